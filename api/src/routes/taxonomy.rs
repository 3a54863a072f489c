//! `/taxonomies/*` and `/regions`: the shipped reference data, for pickers in the SPA and in
//! mini-programs. Public.

use poem_openapi::OpenApi;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use shared::dto::{RegionEntry, RegionList, TaxonomyEntry, TaxonomyList};

use crate::error::ApiError;
use crate::routes::ApiTags;

/// Reference data.
pub struct TaxonomyApi;

#[OpenApi(tag = "ApiTags::Reference")]
impl TaxonomyApi {
    /// Qualification types with their grades, top grade first.
    #[oai(path = "/taxonomies/qualifications", method = "get", operation_id = "list_qualification_types")]
    async fn qualifications(&self) -> Json<TaxonomyList> {
        let items = shared::taxonomy::qualification_types()
            .iter()
            .map(|t| TaxonomyEntry {
                code: t.code.clone(),
                zh: t.zh.clone(),
                en: t.en.clone(),
                grades: t
                    .grades
                    .iter()
                    .map(|g| TaxonomyEntry {
                        code: g.code.clone(),
                        zh: g.zh.clone(),
                        en: g.en.clone(),
                        grades: Vec::new(),
                        group: String::new(),
                    })
                    .collect(),
                group: String::new(),
            })
            .collect();
        Json(TaxonomyList { items })
    }

    /// Categories of work and materials.
    #[oai(path = "/taxonomies/categories", method = "get", operation_id = "list_categories")]
    async fn categories(&self) -> Json<TaxonomyList> {
        let items = shared::taxonomy::categories()
            .iter()
            .map(|c| TaxonomyEntry {
                code: c.code.clone(),
                zh: c.zh.clone(),
                en: c.en.clone(),
                grades: Vec::new(),
                group: c.group.clone(),
            })
            .collect();
        Json(TaxonomyList { items })
    }

    /// GB/T 2260 regions directly below `parent` (omit it for the provinces).
    #[oai(path = "/regions", method = "get", operation_id = "list_regions")]
    async fn regions(
        &self,
        #[oai(validator(max_length = 6))] parent: Query<Option<String>>,
    ) -> Result<Json<RegionList>, ApiError> {
        if let Some(code) = parent.0.as_deref().filter(|c| !shared::gb2260::exists(c)) {
            return Err(ApiError::field(
                "parent",
                "unknown_region",
                format!("{code} is not a GB/T 2260 region"),
            ));
        }
        let items = shared::gb2260::children(parent.0.as_deref())
            .into_iter()
            .map(|(code, name)| RegionEntry { code, name: name.to_owned() })
            .collect();
        Ok(Json(RegionList { items }))
    }
}
