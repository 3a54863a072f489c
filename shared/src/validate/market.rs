//! Checks of the information centre's requests: projects, listings and demands, their
//! questions, invitations and reviews. The API applies them before it touches the database; the
//! SPA's forms run the same checks before they send.

use chrono::NaiveDate;

use super::{Check, Checks, Invalid, MAX_AMOUNT_FEN};
use crate::dto::{
    AnswerDemandInvitationRequest, AnswerProjectQuestionRequest, AskProjectQuestionRequest,
    CreateDemandRequest, CreateProjectRequest, CreateResourceRequest, DemandReviewDecision, ProjectType,
    RequiredQualification, ResourceParameter, UpdateDemandRequest, UpdateProjectRequest,
    UpdateResourceRequest,
};

/// Most required qualifications on one demand.
pub const MAX_QUALIFICATIONS: usize = 5;
/// Most parameters on one listing.
pub const MAX_PARAMETERS: usize = 30;
/// Most regions one listing serves.
pub const MAX_REGIONS_SERVED: usize = 50;
/// Longest lead time of a listing, in days.
pub const MAX_LEAD_TIME_DAYS: i64 = 365;

/// A project's editable fields, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectFields {
    pub name: String,
    pub project_type: ProjectType,
    pub investment_fen: i64,
    pub region_code: String,
    pub address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub tags: Vec<String>,
    pub description: String,
    pub tender_files: Vec<String>,
}

impl ProjectFields {
    /// The fields of a new draft of `project_type`, before its create request is applied.
    pub fn blank(project_type: ProjectType) -> Self {
        Self {
            name: String::new(),
            project_type,
            investment_fen: 0,
            region_code: String::new(),
            address: None,
            latitude: None,
            longitude: None,
            tags: Vec::new(),
            description: String::new(),
            tender_files: Vec::new(),
        }
    }
}

impl From<&CreateProjectRequest> for UpdateProjectRequest {
    fn from(body: &CreateProjectRequest) -> Self {
        Self {
            name: Some(body.name.clone()),
            project_type: Some(body.project_type),
            investment_fen: Some(body.investment_fen),
            region_code: Some(body.region_code.clone()),
            address: body.address.clone(),
            latitude: body.latitude,
            longitude: body.longitude,
            tags: Some(body.tags.clone()),
            description: Some(body.description.clone()),
            tender_files: Some(body.tender_files.clone()),
        }
    }
}

impl Check for CreateProjectRequest {
    type Valid = ProjectFields;
    fn check(&self) -> Result<ProjectFields, Invalid> {
        UpdateProjectRequest::from(self).apply(ProjectFields::blank(self.project_type))
    }
}

impl UpdateProjectRequest {
    /// Applies the given fields to `current` and checks the project as a whole.
    pub fn apply(&self, mut out: ProjectFields) -> Result<ProjectFields, Invalid> {
        let mut checks = Checks::default();
        if let Some(name) = &self.name {
            out.name = checks.text("name", name, 4, 100);
        }
        if let Some(kind) = self.project_type {
            out.project_type = kind;
        }
        if let Some(fen) = self.investment_fen {
            checks.amount("investment_fen", fen);
            out.investment_fen = fen;
        }
        if let Some(region) = &self.region_code {
            checks.region("region_code", region);
            out.region_code = region.clone();
        }
        if self.address.is_some() {
            out.address = checks.optional_text("address", self.address.as_deref(), 200);
        }
        if self.latitude.is_some() || self.longitude.is_some() {
            checks.coordinates(self.latitude, self.longitude);
            out.latitude = self.latitude;
            out.longitude = self.longitude;
        }
        if let Some(tags) = &self.tags {
            out.tags = checks.tags(tags);
        }
        if let Some(description) = &self.description {
            out.description = checks.text("description", description, 0, 5000);
        }
        if let Some(files) = &self.tender_files {
            out.tender_files = checks.files("tender_files", files);
        }
        checks.done(out)
    }
}

impl Check for AskProjectQuestionRequest {
    /// The question, trimmed.
    type Valid = String;
    fn check(&self) -> Result<String, Invalid> {
        let mut checks = Checks::default();
        let question = checks.text("question", &self.question, 5, 1000);
        checks.done(question)
    }
}

impl Check for AnswerProjectQuestionRequest {
    /// The answer, trimmed.
    type Valid = String;
    fn check(&self) -> Result<String, Invalid> {
        let mut checks = Checks::default();
        let answer = checks.text("answer", &self.answer, 1, 2000);
        checks.done(answer)
    }
}

/// A listing's editable fields, checked.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResourceFields {
    pub name: String,
    pub description: String,
    pub parameters: Vec<ResourceParameter>,
    pub unit_price_fen: i64,
    pub unit: String,
    pub stock: Option<i64>,
    pub availability: Option<String>,
    pub regions_served: Vec<String>,
    pub lead_time_days: i32,
    pub tags: Vec<String>,
}

impl From<&CreateResourceRequest> for UpdateResourceRequest {
    fn from(body: &CreateResourceRequest) -> Self {
        Self {
            name: Some(body.name.clone()),
            description: Some(body.description.clone()),
            parameters: Some(body.parameters.clone()),
            unit_price_fen: Some(body.unit_price_fen),
            unit: Some(body.unit.clone()),
            stock: body.stock,
            availability: body.availability.clone(),
            regions_served: Some(body.regions_served.clone()),
            lead_time_days: Some(body.lead_time_days),
            tags: Some(body.tags.clone()),
        }
    }
}

impl Check for CreateResourceRequest {
    type Valid = ResourceFields;
    /// Every field, and the category (fixed once listed).
    fn check(&self) -> Result<ResourceFields, Invalid> {
        let mut checks = Checks::default();
        checks.category("category", &self.category);
        let fields = UpdateResourceRequest::from(self).apply(ResourceFields::default());
        merge(checks, fields)
    }
}

impl UpdateResourceRequest {
    /// Applies the given fields to `current`, checking each.
    pub fn apply(&self, mut out: ResourceFields) -> Result<ResourceFields, Invalid> {
        let mut checks = Checks::default();
        if let Some(name) = &self.name {
            out.name = checks.text("name", name, 2, 100);
        }
        if let Some(description) = &self.description {
            out.description = checks.text("description", description, 0, 5000);
        }
        if let Some(list) = &self.parameters {
            out.parameters = parameters(&mut checks, list);
        }
        if let Some(price) = self.unit_price_fen {
            checks.amount("unit_price_fen", price);
            out.unit_price_fen = price;
        }
        if let Some(unit) = &self.unit {
            out.unit = checks.text("unit", unit, 1, 10);
        }
        if let Some(stock) = self.stock {
            checks.within("stock", stock, 0..=MAX_AMOUNT_FEN);
            out.stock = Some(stock);
        }
        if self.availability.is_some() {
            out.availability = checks.optional_text("availability", self.availability.as_deref(), 100);
        }
        if let Some(regions) = &self.regions_served {
            out.regions_served = checks.regions("regions_served", regions, 1, MAX_REGIONS_SERVED);
        }
        if let Some(days) = self.lead_time_days {
            checks.within("lead_time_days", days.into(), 0..=MAX_LEAD_TIME_DAYS);
            out.lead_time_days = days;
        }
        if let Some(tags) = &self.tags {
            out.tags = checks.tags(tags);
        }
        checks.done(out)
    }
}

fn parameters(checks: &mut Checks, list: &[ResourceParameter]) -> Vec<ResourceParameter> {
    if list.len() > MAX_PARAMETERS {
        checks.issue("parameters", "too_many");
    }
    let mut out: Vec<ResourceParameter> = Vec::new();
    for (i, p) in list.iter().enumerate() {
        let name = checks.text(&format!("parameters[{i}].name"), &p.name, 1, 30);
        let value = checks.text(&format!("parameters[{i}].value"), &p.value, 1, 100);
        let unit = checks.optional_text(&format!("parameters[{i}].unit"), p.unit.as_deref(), 10);
        if out.iter().any(|q| q.name == name) {
            checks.issue(&format!("parameters[{i}].name"), "duplicate");
        }
        out.push(ResourceParameter { name, value, unit, better: p.better });
    }
    out
}

/// A demand's editable fields, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct DemandFields {
    pub title: String,
    pub category: String,
    pub scope: String,
    pub quantity: Option<String>,
    pub budget_min_fen: i64,
    pub budget_max_fen: i64,
    pub region_code: String,
    pub required_qualifications: Vec<RequiredQualification>,
    pub deadline: NaiveDate,
    pub files: Vec<String>,
}

impl DemandFields {
    /// The fields of a new draft before its create request is applied.
    pub fn blank(deadline: NaiveDate) -> Self {
        Self {
            title: String::new(),
            category: String::new(),
            scope: String::new(),
            quantity: None,
            budget_min_fen: 0,
            budget_max_fen: 0,
            region_code: String::new(),
            required_qualifications: Vec::new(),
            deadline,
            files: Vec::new(),
        }
    }
}

impl From<&CreateDemandRequest> for UpdateDemandRequest {
    fn from(body: &CreateDemandRequest) -> Self {
        Self {
            title: Some(body.title.clone()),
            category: Some(body.category.clone()),
            scope: Some(body.scope.clone()),
            quantity: body.quantity.clone(),
            budget_min_fen: Some(body.budget_min_fen),
            budget_max_fen: Some(body.budget_max_fen),
            region_code: Some(body.region_code.clone()),
            required_qualifications: Some(body.required_qualifications.clone()),
            deadline: Some(body.deadline),
            files: Some(body.files.clone()),
        }
    }
}

impl CreateDemandRequest {
    /// Checks a new demand on `today` (the Shanghai business date): every field.
    pub fn check_on(&self, today: NaiveDate) -> Result<DemandFields, Invalid> {
        UpdateDemandRequest::from(self).apply(DemandFields::blank(self.deadline), today)
    }
}

impl UpdateDemandRequest {
    /// Applies the given fields to `current` and checks the demand as a whole on `today`: the
    /// budget range, and a deadline after today when one is given.
    pub fn apply(&self, mut out: DemandFields, today: NaiveDate) -> Result<DemandFields, Invalid> {
        let mut checks = Checks::default();
        if let Some(title) = &self.title {
            out.title = checks.text("title", title, 4, 100);
        }
        if let Some(category) = &self.category {
            checks.category("category", category);
            out.category = category.clone();
        }
        if let Some(scope) = &self.scope {
            out.scope = checks.text("scope", scope, 10, 5000);
        }
        if self.quantity.is_some() {
            out.quantity = checks.optional_text("quantity", self.quantity.as_deref(), 100);
        }
        if let Some(min) = self.budget_min_fen {
            checks.amount("budget_min_fen", min);
            out.budget_min_fen = min;
        }
        if let Some(max) = self.budget_max_fen {
            checks.amount("budget_max_fen", max);
            out.budget_max_fen = max;
        }
        if out.budget_min_fen > out.budget_max_fen {
            checks.issue("budget_max_fen", "below_minimum");
        }
        if let Some(region) = &self.region_code {
            checks.region("region_code", region);
            out.region_code = region.clone();
        }
        if let Some(required) = &self.required_qualifications {
            qualifications(&mut checks, required);
            out.required_qualifications = required.clone();
        }
        if let Some(deadline) = self.deadline {
            if deadline <= today {
                checks.issue("deadline", "not_in_future");
            }
            out.deadline = deadline;
        }
        if let Some(files) = &self.files {
            out.files = checks.files("files", files);
        }
        checks.done(out)
    }
}

fn qualifications(checks: &mut Checks, required: &[RequiredQualification]) {
    if required.len() > MAX_QUALIFICATIONS {
        checks.issue("required_qualifications", "too_many");
    }
    for (i, q) in required.iter().enumerate() {
        let field = |part: &str| format!("required_qualifications[{i}].{part}");
        match crate::taxonomy::qualification_type(&q.type_code) {
            None if q.type_code.trim().is_empty() => checks.issue(&field("type_code"), "required"),
            None => checks.issue(&field("type_code"), "unknown_qualification"),
            Some(_) if q.minimum_grade.trim().is_empty() => checks.issue(&field("minimum_grade"), "required"),
            Some(kind) if kind.rank(&q.minimum_grade).is_none() => {
                checks.issue(&field("minimum_grade"), "unknown_grade")
            }
            Some(_) => {}
        }
    }
}

impl Check for AnswerDemandInvitationRequest {
    /// The note to the poster, trimmed (blank: none).
    type Valid = Option<String>;
    fn check(&self) -> Result<Option<String>, Invalid> {
        let mut checks = Checks::default();
        let note = checks.optional_text("note", self.note.as_deref(), 500);
        checks.done(note)
    }
}

impl Check for DemandReviewDecision {
    /// The reviewer's reason, trimmed: required (2 characters or more) to reject, at most 500.
    type Valid = Option<String>;
    fn check(&self) -> Result<Option<String>, Invalid> {
        let mut checks = Checks::default();
        let reason = checks.optional_text("reason", self.reason.as_deref(), 500);
        if !self.approve && reason.as_ref().is_none_or(|r| r.chars().count() < 2) {
            checks.issue("reason", "required");
        }
        checks.done(reason)
    }
}

/// Merges the issues of an extra check into a request's own.
fn merge<T>(extra: Checks, own: Result<T, Invalid>) -> Result<T, Invalid> {
    match (extra.finish(), own) {
        (Ok(()), own) => own,
        (Err(Invalid(mut first)), Err(Invalid(rest))) => {
            first.extend(rest);
            Err(Invalid(first))
        }
        (Err(invalid), Ok(_)) => Err(invalid),
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;
    use crate::dto::{DemandKind, FieldIssue};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 7).expect("a valid date")
    }

    fn demand() -> CreateDemandRequest {
        CreateDemandRequest {
            kind: DemandKind::Procurement,
            title: "  钢筋采购需求  ".into(),
            category: "building_construction".into(),
            scope: "HRB400 螺纹钢 500 吨，分三批交付".into(),
            quantity: Some(" ".into()),
            budget_min_fen: 100,
            budget_max_fen: 200,
            region_code: "110105".into(),
            required_qualifications: Vec::new(),
            deadline: NaiveDate::from_ymd_opt(2027, 1, 31).expect("a valid date"),
            files: vec!["a".into(), "a".into()],
            project_id: None,
        }
    }

    fn issues(result: Result<impl std::fmt::Debug, Invalid>) -> Vec<(String, String)> {
        result.expect_err("refused").0.into_iter().map(|FieldIssue { field, issue }| (field, issue)).collect()
    }

    fn one(field: &str, issue: &str) -> Vec<(String, String)> {
        vec![(field.into(), issue.into())]
    }

    #[test]
    fn a_valid_demand_comes_back_trimmed_and_deduplicated() {
        let fields = demand().check_on(today()).expect("valid");
        assert_eq!(fields.title, "钢筋采购需求");
        assert_eq!(fields.quantity, None);
        assert_eq!(fields.files, vec!["a".to_owned()]);
    }

    #[test]
    fn every_problem_of_a_demand_is_named_at_once() {
        let body = CreateDemandRequest {
            title: "钢".into(),
            category: String::new(),
            budget_min_fen: 300,
            deadline: today(),
            ..demand()
        };
        let got = issues(body.check_on(today()));
        let want = [
            ("title", "too_short"),
            ("category", "required"),
            ("budget_max_fen", "below_minimum"),
            ("deadline", "not_in_future"),
        ];
        assert_eq!(got, want.map(|(f, i)| (f.to_owned(), i.to_owned())).to_vec());
    }

    #[rstest]
    #[case("", "second", "required_qualifications[0].type_code", "required")]
    #[case("no_such_type", "second", "required_qualifications[0].type_code", "unknown_qualification")]
    #[case("construction_general_contracting", "", "required_qualifications[0].minimum_grade", "required")]
    #[case(
        "construction_general_contracting",
        "platinum",
        "required_qualifications[0].minimum_grade",
        "unknown_grade"
    )]
    fn a_required_qualification_names_its_type_and_grade(
        #[case] type_code: &str,
        #[case] grade: &str,
        #[case] field: &str,
        #[case] issue: &str,
    ) {
        let required =
            vec![RequiredQualification { type_code: type_code.into(), minimum_grade: grade.into() }];
        let body = CreateDemandRequest { required_qualifications: required, ..demand() };
        assert_eq!(issues(body.check_on(today())), one(field, issue));
    }

    #[test]
    fn an_update_is_checked_against_what_is_stored() {
        let stored = demand().check_on(today()).expect("valid");
        // Lowering the maximum below the stored minimum is refused though only one field is sent.
        let update = UpdateDemandRequest { budget_max_fen: Some(50), ..UpdateDemandRequest::default() };
        assert_eq!(issues(update.apply(stored.clone(), today())), one("budget_max_fen", "below_minimum"));
        // A past deadline already stored does not block editing the title.
        let late = DemandFields { deadline: today(), ..stored };
        let update = UpdateDemandRequest {
            title: Some("新的标题名称".into()),
            ..UpdateDemandRequest::default()
        };
        assert_eq!(update.apply(late, today()).expect("valid").title, "新的标题名称");
    }

    #[test]
    fn a_project_names_each_bad_field() {
        let body = CreateProjectRequest {
            name: "某市地铁".into(),
            project_type: ProjectType::Municipal,
            investment_fen: -1,
            region_code: "999999".into(),
            address: None,
            latitude: Some(91.0),
            longitude: None,
            tags: vec!["隧道".into(), " 隧道 ".into()],
            description: String::new(),
            tender_files: (0..11).map(|i| i.to_string()).collect(),
        };
        let got = issues(body.check());
        let want = [
            ("investment_fen", "negative"),
            ("region_code", "unknown_region"),
            ("longitude", "required"),
            ("tender_files", "too_many"),
        ];
        assert_eq!(got, want.map(|(f, i)| (f.to_owned(), i.to_owned())).to_vec());
    }

    #[test]
    fn a_listing_checks_its_category_with_its_fields() {
        let body = CreateResourceRequest {
            kind: crate::dto::ResourceKind::Material,
            category: "nothing".into(),
            name: "螺纹钢".into(),
            description: String::new(),
            parameters: vec![
                ResourceParameter { name: "直径".into(), value: "12mm".into(), unit: None, better: None },
                ResourceParameter { name: "直径".into(), value: "14mm".into(), unit: None, better: None },
            ],
            unit_price_fen: 1,
            unit: "吨".into(),
            stock: Some(-1),
            availability: None,
            regions_served: vec!["110105".into()],
            lead_time_days: 366,
            tags: Vec::new(),
        };
        let got = issues(body.check());
        let want = [
            ("category", "unknown_category"),
            ("parameters[1].name", "duplicate"),
            ("stock", "out_of_range"),
            ("lead_time_days", "out_of_range"),
        ];
        assert_eq!(got, want.map(|(f, i)| (f.to_owned(), i.to_owned())).to_vec());
    }

    #[rstest]
    #[case(true, None, Ok(None))]
    #[case(true, Some("  "), Ok(None))]
    #[case(false, None, Err("required"))]
    #[case(false, Some(" 否 "), Err("required"))]
    #[case(false, Some("资料不全"), Ok(Some("资料不全")))]
    fn a_rejection_needs_a_reason(
        #[case] approve: bool,
        #[case] reason: Option<&str>,
        #[case] want: Result<Option<&str>, &str>,
    ) {
        let body = DemandReviewDecision { approve, reason: reason.map(str::to_owned) };
        match want {
            Ok(reason) => assert_eq!(body.check().expect("valid").as_deref(), reason),
            Err(issue) => assert_eq!(issues(body.check()), one("reason", issue)),
        }
    }
}
