//! Rows as search documents: which text is the title, the tags and the body, and the facts
//! filters look at.

use chrono::NaiveDateTime;
use shared::domain::credit::CreditGrade;
use shared::domain::region::RegionCode;
use shared::domain::search::{BODY_WEIGHT, SearchDocument, SearchIndex, TAG_WEIGHT, TITLE_WEIGHT};
use shared::dto::SearchKind;

use super::segment::terms;
use crate::db::models::orgs::OrganisationRow;
use crate::db::models::projects::ProjectRow;
use crate::db::models::resources::ResourceRow;

/// A document with its segmented fields.
pub struct Indexed {
    document: SearchDocument,
    title: Vec<String>,
    tags: Vec<String>,
    body: Vec<String>,
}

impl Indexed {
    /// Adds (or replaces) it in `index`.
    pub fn add_to(self, index: &mut SearchIndex) {
        index.upsert(
            self.document,
            &[(&self.title, TITLE_WEIGHT), (&self.tags, TAG_WEIGHT), (&self.body, BODY_WEIGHT)],
        );
    }
}

fn list(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

fn regions(codes: &[String]) -> Vec<RegionCode> {
    codes.iter().filter_map(|c| RegionCode::parse(c).ok()).collect()
}

/// The first ~80 characters of a description.
pub fn snippet(text: &str) -> String {
    const CHARS: usize = 80;
    let mut out: String = text.chars().take(CHARS).collect();
    if text.chars().nth(CHARS).is_some() {
        out.push('…');
    }
    out
}

fn utc(at: NaiveDateTime) -> chrono::DateTime<chrono::Utc> {
    at.and_utc()
}

fn tag_terms(tags: &[String]) -> Vec<String> {
    tags.iter().flat_map(|t| terms(t)).collect()
}

/// A published or closed project.
pub fn project(row: &ProjectRow, org_name: &str) -> Indexed {
    let tags = list(&row.tags);
    let type_name = row.project_type.name_zh();
    let region_name = shared::gb2260::full_name(&row.region_code).unwrap_or_default();
    Indexed {
        title: terms(&row.name),
        tags: tag_terms(&tags),
        body: terms(&format!("{} {type_name} {region_name} {org_name}", row.description)),
        document: SearchDocument {
            kind: SearchKind::Project,
            id: row.id.clone(),
            title: row.name.clone(),
            snippet: snippet(&row.description),
            regions: regions(std::slice::from_ref(&row.region_code)),
            amount_fen: Some(row.investment_fen),
            subtypes: vec![row.project_type.as_str().to_owned()],
            status: Some(row.status.as_str().to_owned()),
            categories: Vec::new(),
            tags,
            org_name: Some(org_name.to_owned()),
            credit_grade: None,
            location: row.latitude.zip(row.longitude),
            created_at: utc(row.created_at),
        },
    }
}

/// A live listing; its regions are the regions it serves.
pub fn resource(row: &ResourceRow, org_name: &str) -> Indexed {
    let tags = list(&row.tags);
    let served = list(&row.regions_served);
    let kind_name = row.kind.name_zh();
    let category = shared::taxonomy::category(&row.category).map_or("", |c| c.zh.as_str());
    let parameters: Vec<shared::dto::ResourceParameter> =
        serde_json::from_str(&row.parameters).unwrap_or_default();
    let parameter_text: Vec<String> = parameters.iter().map(|p| format!("{} {}", p.name, p.value)).collect();
    Indexed {
        title: terms(&row.name),
        tags: tag_terms(&tags),
        body: terms(&format!(
            "{} {kind_name} {category} {org_name} {}",
            row.description,
            parameter_text.join(" ")
        )),
        document: SearchDocument {
            kind: SearchKind::Resource,
            id: row.id.clone(),
            title: row.name.clone(),
            snippet: snippet(&row.description),
            regions: regions(&served),
            amount_fen: Some(row.unit_price_fen),
            subtypes: vec![row.kind.as_str().to_owned()],
            status: None,
            categories: vec![row.category.clone()],
            tags,
            org_name: Some(org_name.to_owned()),
            credit_grade: None,
            location: None,
            created_at: utc(row.created_at),
        },
    }
}

/// A directory organisation: its name and short name (简称) are the title.
pub fn organisation(row: &OrganisationRow) -> Indexed {
    let categories = list(&row.categories);
    let mut region_list = vec![row.region_code.clone()];
    region_list.extend(list(&row.regions_served));
    let category_names: Vec<&str> =
        categories.iter().filter_map(|c| shared::taxonomy::category(c)).map(|c| c.zh.as_str()).collect();
    let region_name = shared::gb2260::full_name(&row.region_code).unwrap_or_default();
    let title_text = format!("{} {}", row.name, row.short_name.as_deref().unwrap_or(""));
    Indexed {
        title: terms(&title_text),
        tags: Vec::new(),
        body: terms(&format!(
            "{} {region_name} {}",
            category_names.join(" "),
            row.address.as_deref().unwrap_or("")
        )),
        document: SearchDocument {
            kind: SearchKind::Organisation,
            id: row.id.clone(),
            title: match &row.short_name {
                Some(short) => format!("{}（{short}）", row.name),
                None => row.name.clone(),
            },
            snippet: category_names.join("、"),
            regions: regions(&region_list),
            amount_fen: None,
            subtypes: list(&row.roles),
            status: None,
            categories,
            tags: Vec::new(),
            org_name: None,
            credit_grade: row.credit_grade.as_deref().and_then(CreditGrade::parse),
            location: row.latitude.zip(row.longitude),
            created_at: utc(row.created_at),
        },
    }
}
