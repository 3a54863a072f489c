//! Checks of the organisation requests: the profile (create and update), API keys and
//! invitations. What depends on stored state besides the profile itself — the verified fields
//! locked while verification is pending or done, membership for an ownership transfer — is
//! the API's check.

use super::{Check, Checks, Invalid};
use crate::account::{Login, normalize_email, normalize_phone, parse_login};
use crate::domain::identity::Uscc;
use crate::dto::{
    ApiKeyScope, BusinessRole, CreateApiKeyRequest, CreateInvitationRequest, CreateOrganisationRequest,
    MemberRole, Organisation, UpdateOrganisationRequest,
};

/// Characters in an organisation's legal name.
pub const NAME_CHARS: std::ops::RangeInclusive<usize> = 2..=100;
/// Most characters in a short name.
pub const MAX_SHORT_NAME_CHARS: usize = 20;
/// Characters in an API key's name.
pub const API_KEY_NAME_CHARS: std::ops::RangeInclusive<usize> = 1..=50;

/// An organisation's editable profile, checked: trimmed text, normalised contacts, sorted
/// lists without repeats.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OrganisationFields {
    pub name: String,
    pub short_name: Option<String>,
    /// The normalised USCC.
    pub uscc: String,
    pub roles: Vec<BusinessRole>,
    pub region_code: String,
    pub address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub categories: Vec<String>,
    pub regions_served: Vec<String>,
    pub declared_capacity_fen: Option<i64>,
}

impl From<&Organisation> for OrganisationFields {
    /// The profile as the API sent it, for an update to apply to.
    fn from(org: &Organisation) -> Self {
        let p = &org.profile;
        Self {
            name: p.name.clone(),
            short_name: p.short_name.clone(),
            uscc: p.uscc.clone(),
            roles: p.roles.clone(),
            region_code: p.region_code.clone(),
            address: org.address.clone(),
            latitude: org.latitude,
            longitude: org.longitude,
            contact_name: org.contact_name.clone(),
            contact_phone: org.contact_phone.clone(),
            contact_email: org.contact_email.clone(),
            categories: p.categories.clone(),
            regions_served: p.regions_served.clone(),
            declared_capacity_fen: org.declared_capacity_fen,
        }
    }
}

impl From<&CreateOrganisationRequest> for UpdateOrganisationRequest {
    fn from(body: &CreateOrganisationRequest) -> Self {
        Self {
            name: Some(body.name.clone()),
            short_name: body.short_name.clone(),
            uscc: Some(body.uscc.clone()),
            roles: Some(body.roles.clone()),
            region_code: Some(body.region_code.clone()),
            address: body.address.clone(),
            latitude: body.latitude,
            longitude: body.longitude,
            contact_name: body.contact_name.clone(),
            contact_phone: body.contact_phone.clone(),
            contact_email: body.contact_email.clone(),
            categories: body.categories.clone(),
            regions_served: body.regions_served.clone(),
            declared_capacity_fen: body.declared_capacity_fen,
        }
    }
}

impl Check for CreateOrganisationRequest {
    type Valid = OrganisationFields;
    /// Every field; coordinates must come as a pair.
    fn check(&self) -> Result<OrganisationFields, Invalid> {
        UpdateOrganisationRequest::from(self).apply(OrganisationFields::default())
    }
}

impl UpdateOrganisationRequest {
    /// Applies the given fields to `current`, checking each. Whether the legal name and USCC
    /// may change at all (verification locks them) is the API's check, made before this one.
    pub fn apply(&self, mut out: OrganisationFields) -> Result<OrganisationFields, Invalid> {
        let mut checks = Checks::default();
        if let Some(name) = &self.name {
            let name = name.trim();
            if NAME_CHARS.contains(&name.chars().count()) {
                out.name = name.to_owned();
            } else {
                checks.issue("name", "invalid_length");
            }
        }
        if let Some(short) = &self.short_name {
            match Some(short.trim()).filter(|s| !s.is_empty()) {
                Some(s) if s.chars().count() > MAX_SHORT_NAME_CHARS => {
                    checks.issue("short_name", "invalid_length")
                }
                other => out.short_name = other.map(str::to_owned),
            }
        }
        if let Some(uscc) = &self.uscc {
            match Uscc::parse(uscc) {
                Ok(parsed) => out.uscc = parsed.as_str().to_owned(),
                Err(_) => checks.issue("uscc", "invalid_uscc"),
            }
        }
        if let Some(roles) = &self.roles {
            let mut roles = roles.clone();
            roles.sort();
            roles.dedup();
            if roles.is_empty() {
                checks.issue("roles", "required");
            }
            out.roles = roles;
        }
        if let Some(code) = &self.region_code {
            if crate::gb2260::exists(code) {
                out.region_code = code.clone();
            } else {
                checks.issue("region_code", "unknown_region");
            }
        }
        if let Some(address) = &self.address {
            out.address = Some(address.trim().to_owned()).filter(|a| !a.is_empty());
        }
        match (self.latitude, self.longitude) {
            (Some(lat), Some(lon)) if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => {
                out.latitude = Some(lat);
                out.longitude = Some(lon);
            }
            (None, None) => {}
            _ => checks.issue("latitude", "invalid_coordinates"),
        }
        if let Some(name) = &self.contact_name {
            out.contact_name = Some(name.trim().to_owned()).filter(|n| !n.is_empty());
        }
        if let Some(phone) = &self.contact_phone {
            match normalize_phone(phone) {
                Ok(p) => out.contact_phone = Some(p),
                Err(e) => checks.issue("contact_phone", e.as_str()),
            }
        }
        if let Some(email) = &self.contact_email {
            match normalize_email(email) {
                Ok(e) => out.contact_email = Some(e),
                Err(e) => checks.issue("contact_email", e.as_str()),
            }
        }
        if let Some(categories) = &self.categories {
            let mut codes: Vec<String> = categories.iter().map(|c| c.trim().to_owned()).collect();
            codes.sort_unstable();
            codes.dedup();
            if codes.iter().all(|c| crate::taxonomy::category(c).is_some()) {
                out.categories = codes;
            } else {
                checks.issue("categories", "unknown_category");
            }
        }
        if let Some(regions) = &self.regions_served {
            if regions.iter().all(|r| crate::gb2260::exists(r)) {
                out.regions_served = regions.clone();
            } else {
                checks.issue("regions_served", "unknown_region");
            }
        }
        match self.declared_capacity_fen {
            Some(fen) if fen < 0 => checks.issue("declared_capacity_fen", "negative"),
            Some(fen) => out.declared_capacity_fen = Some(fen),
            None => {}
        }
        checks.done(out)
    }
}

/// A new API key's fields, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyFields {
    /// The name, trimmed.
    pub name: String,
    /// The scopes, sorted, without repeats.
    pub scopes: Vec<ApiKeyScope>,
}

impl Check for CreateApiKeyRequest {
    type Valid = ApiKeyFields;
    fn check(&self) -> Result<ApiKeyFields, Invalid> {
        let mut checks = Checks::default();
        let name = self.name.trim().to_owned();
        if name.is_empty() {
            checks.issue("name", "required");
        } else if !API_KEY_NAME_CHARS.contains(&name.chars().count()) {
            checks.issue("name", "invalid_length");
        }
        let mut scopes = self.scopes.clone();
        scopes.sort();
        scopes.dedup();
        if scopes.is_empty() {
            checks.issue("scopes", "required");
        }
        checks.done(ApiKeyFields { name, scopes })
    }
}

/// An invitation, checked: who is invited, and to which role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationFields {
    /// The invitee's normalised e-mail address or mobile number.
    pub login: Login,
    /// `admin` or `member`.
    pub role: MemberRole,
}

impl Check for CreateInvitationRequest {
    type Valid = InvitationFields;
    /// Ownership moves by transfer only (`owner_by_transfer_only`); the login must be an
    /// e-mail address or a mainland mobile number.
    fn check(&self) -> Result<InvitationFields, Invalid> {
        let mut checks = Checks::default();
        if self.role == MemberRole::Owner {
            checks.issue("role", "owner_by_transfer_only");
        }
        match parse_login(&self.login) {
            Ok(login) => checks.done(InvitationFields { login, role: self.role }),
            Err(e) => {
                checks.issue("login", e.as_str());
                Err(Invalid(checks.issues))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;
    use crate::dto::FieldIssue;

    fn issues(result: Result<impl std::fmt::Debug, Invalid>) -> Vec<(String, String)> {
        result.expect_err("refused").0.into_iter().map(|FieldIssue { field, issue }| (field, issue)).collect()
    }

    fn one(field: &str, issue: &str) -> Vec<(String, String)> {
        vec![(field.into(), issue.into())]
    }

    fn organisation() -> CreateOrganisationRequest {
        CreateOrganisationRequest {
            name: " 杭州城建集团有限公司 ".into(),
            short_name: Some("杭城建".into()),
            uscc: "91350100M000100Y43".into(),
            roles: vec![BusinessRole::Supplier, BusinessRole::Contractor, BusinessRole::Supplier],
            region_code: "110105".into(),
            address: Some("  ".into()),
            latitude: Some(30.2),
            longitude: Some(120.1),
            contact_name: Some(" 王工 ".into()),
            contact_phone: Some("+86 138 0013 8000".into()),
            contact_email: Some("Ops@Example.COM".into()),
            categories: None,
            regions_served: Some(vec!["110105".into()]),
            declared_capacity_fen: Some(0),
        }
    }

    #[test]
    fn a_valid_organisation_is_trimmed_and_normalised() {
        let fields = organisation().check().expect("valid");
        assert_eq!(fields.name, "杭州城建集团有限公司");
        assert_eq!(fields.roles, vec![BusinessRole::Contractor, BusinessRole::Supplier]);
        assert_eq!(fields.address, None);
        assert_eq!(fields.contact_name.as_deref(), Some("王工"));
        assert_eq!(fields.contact_phone.as_deref(), Some("13800138000"));
        assert_eq!(fields.contact_email.as_deref(), Some("ops@example.com"));
    }

    #[rstest]
    #[case::name_too_short(|b: &mut CreateOrganisationRequest| b.name = " 杭 ".into(), "name", "invalid_length")]
    #[case::name_too_long(|b: &mut CreateOrganisationRequest| b.name = "建".repeat(101), "name", "invalid_length")]
    #[case::short_name_too_long(|b: &mut CreateOrganisationRequest| b.short_name = Some("建".repeat(21)), "short_name", "invalid_length")]
    #[case::uscc_bad_checksum(|b: &mut CreateOrganisationRequest| b.uscc = "91350100M000100Y44".into(), "uscc", "invalid_uscc")]
    #[case::no_roles(|b: &mut CreateOrganisationRequest| b.roles.clear(), "roles", "required")]
    #[case::unknown_region(|b: &mut CreateOrganisationRequest| b.region_code = "999999".into(), "region_code", "unknown_region")]
    #[case::latitude_alone(|b: &mut CreateOrganisationRequest| b.longitude = None, "latitude", "invalid_coordinates")]
    #[case::latitude_out_of_range(|b: &mut CreateOrganisationRequest| b.latitude = Some(91.0), "latitude", "invalid_coordinates")]
    #[case::bad_phone(|b: &mut CreateOrganisationRequest| b.contact_phone = Some("12345".into()), "contact_phone", "invalid_phone")]
    #[case::bad_email(|b: &mut CreateOrganisationRequest| b.contact_email = Some("ops".into()), "contact_email", "invalid_email")]
    #[case::unknown_category(|b: &mut CreateOrganisationRequest| b.categories = Some(vec!["nothing".into()]), "categories", "unknown_category")]
    #[case::unknown_region_served(|b: &mut CreateOrganisationRequest| b.regions_served = Some(vec!["999999".into()]), "regions_served", "unknown_region")]
    #[case::negative_capacity(|b: &mut CreateOrganisationRequest| b.declared_capacity_fen = Some(-1), "declared_capacity_fen", "negative")]
    fn an_organisation_is_refused(
        #[case] change: fn(&mut CreateOrganisationRequest),
        #[case] field: &str,
        #[case] issue: &str,
    ) {
        let mut body = organisation();
        change(&mut body);
        assert_eq!(issues(body.check()), one(field, issue));
    }

    #[test]
    fn an_update_changes_only_the_fields_sent() {
        let current = organisation().check().expect("valid");
        let update = UpdateOrganisationRequest {
            name: None,
            short_name: Some(" ".into()),
            uscc: None,
            roles: None,
            region_code: None,
            address: Some(" 朝阳路 1 号 ".into()),
            latitude: None,
            longitude: None,
            contact_name: None,
            contact_phone: None,
            contact_email: None,
            categories: None,
            regions_served: None,
            declared_capacity_fen: None,
        };
        let fields = update.apply(current.clone()).expect("valid");
        assert_eq!(fields.short_name, None);
        assert_eq!(fields.address.as_deref(), Some("朝阳路 1 号"));
        assert_eq!(
            OrganisationFields {
                short_name: current.short_name.clone(),
                address: current.address.clone(),
                ..fields
            },
            current
        );
    }

    #[test]
    fn an_update_names_every_problem() {
        let update = UpdateOrganisationRequest {
            name: Some("x".into()),
            short_name: None,
            uscc: Some("nope".into()),
            roles: Some(Vec::new()),
            region_code: None,
            address: None,
            latitude: None,
            longitude: Some(1.0),
            contact_name: None,
            contact_phone: None,
            contact_email: None,
            categories: None,
            regions_served: None,
            declared_capacity_fen: Some(-5),
        };
        let got = issues(update.apply(OrganisationFields::default()));
        let want = [
            ("name", "invalid_length"),
            ("uscc", "invalid_uscc"),
            ("roles", "required"),
            ("latitude", "invalid_coordinates"),
            ("declared_capacity_fen", "negative"),
        ];
        assert_eq!(got, want.map(|(f, i)| (f.to_owned(), i.to_owned())).to_vec());
    }

    #[rstest]
    #[case::blank_name(" ", vec![ApiKeyScope::OrgWrite], "name", "required")]
    #[case::long_name(&"k".repeat(51), vec![ApiKeyScope::OrgWrite], "name", "invalid_length")]
    #[case::no_scopes("ERP", Vec::new(), "scopes", "required")]
    fn an_api_key_is_refused(
        #[case] name: &str,
        #[case] scopes: Vec<ApiKeyScope>,
        #[case] field: &str,
        #[case] issue: &str,
    ) {
        let body = CreateApiKeyRequest { name: name.into(), scopes };
        assert_eq!(issues(body.check()), one(field, issue));
    }

    #[test]
    fn an_api_key_has_its_name_trimmed_and_scopes_deduplicated() {
        let body = CreateApiKeyRequest {
            name: " ERP ".into(),
            scopes: vec![ApiKeyScope::OrgWrite, ApiKeyScope::MembersRead, ApiKeyScope::OrgWrite],
        };
        let fields = body.check().expect("valid");
        assert_eq!(fields.name, "ERP");
        assert_eq!(fields.scopes, vec![ApiKeyScope::MembersRead, ApiKeyScope::OrgWrite]);
    }

    #[rstest]
    #[case::owner_by_invitation("13800138000", MemberRole::Owner, one("role", "owner_by_transfer_only"))]
    #[case::bad_phone("12345", MemberRole::Member, one("login", "invalid_phone"))]
    #[case::bad_email("a@b", MemberRole::Admin, one("login", "invalid_email"))]
    #[case::both("a@b", MemberRole::Owner, vec![("role".into(), "owner_by_transfer_only".into()), ("login".into(), "invalid_email".into())])]
    fn an_invitation_is_refused(
        #[case] login: &str,
        #[case] role: MemberRole,
        #[case] want: Vec<(String, String)>,
    ) {
        let body = CreateInvitationRequest { login: login.into(), role };
        assert_eq!(issues(body.check()), want);
    }

    #[test]
    fn an_invitation_gives_the_normalised_login() {
        let body = CreateInvitationRequest { login: " 138 0013 8000 ".into(), role: MemberRole::Admin };
        assert_eq!(body.check().expect("valid").login, Login::Phone("13800138000".into()));
    }
}
