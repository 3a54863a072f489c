//! `/search`: one search across projects, listings and organisations (Chinese segmentation,
//! BM25 relevance computed by the server, filters, radius, sort, cursor pages).

pub mod catalogue;

use data_encoding::BASE64URL_NOPAD;
use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use shared::domain::region::RegionCode;
use shared::domain::search::{SearchCursor, SearchError, SearchQuery};
use shared::dto::*;

use crate::error::ApiError;
use crate::routes::ApiTags;
use crate::routes::search::catalogue::segment::query_terms;
use crate::state::AppState;

/// Search.
pub struct SearchApi;

fn decode_cursor(text: &str) -> Result<SearchCursor, ApiError> {
    BASE64URL_NOPAD
        .decode(text.as_bytes())
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| ApiError::field("cursor", "invalid", "the cursor is not one this search returned"))
}

fn encode_cursor(cursor: &SearchCursor) -> String {
    BASE64URL_NOPAD.encode(&serde_json::to_vec(cursor).unwrap_or_default())
}

#[OpenApi(tag = "ApiTags::Search")]
impl SearchApi {
    /// Search projects, listings and organisations. `q` is segmented into Chinese words
    /// (jieba); a hit holds every word. Filters: `kind`, `type` (project type, listing kind or
    /// business role), `region` (GB/T 2260; a province covers its cities), amount range in fen,
    /// `tags` (comma-separated, all required), `status`, `category`, and `radius_km` around
    /// `lat`/`lng`. Sorted by relevance (BM25), newest, amount or distance.
    #[oai(path = "/search", method = "get", operation_id = "search")]
    #[expect(clippy::too_many_arguments, reason = "each query parameter is one filter")]
    async fn search(
        &self,
        state: Data<&AppState>,
        #[oai(validator(max_length = 100))] q: Query<Option<String>>,
        kind: Query<Option<SearchKind>>,
        #[oai(name = "type", validator(max_length = 32))] subtype: Query<Option<String>>,
        #[oai(validator(max_length = 6))] region: Query<Option<String>>,
        #[oai(validator(minimum(value = "0")))] min_amount: Query<Option<i64>>,
        #[oai(validator(minimum(value = "0")))] max_amount: Query<Option<i64>>,
        #[oai(validator(max_length = 200))] tags: Query<Option<String>>,
        #[oai(validator(max_length = 32))] status: Query<Option<String>>,
        #[oai(validator(max_length = 64))] category: Query<Option<String>>,
        #[oai(validator(minimum(value = "-90"), maximum(value = "90")))] lat: Query<Option<f64>>,
        #[oai(validator(minimum(value = "-180"), maximum(value = "180")))] lng: Query<Option<f64>>,
        #[oai(validator(minimum(value = "0"), maximum(value = "5000")))] radius_km: Query<Option<f64>>,
        sort: Query<Option<SearchSort>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
        #[oai(validator(max_length = 2000))] cursor: Query<Option<String>>,
    ) -> Result<Json<SearchPage>, ApiError> {
        let region = match region.0.as_deref() {
            Some(code) => {
                Some(RegionCode::parse(code).ok().filter(|_| shared::gb2260::exists(code)).ok_or_else(
                    || ApiError::field("region", "unknown_region", "not a GB/T 2260 region code"),
                )?)
            }
            None => None,
        };
        if let (Some(min), Some(max)) = (min_amount.0, max_amount.0)
            && min > max
        {
            return Err(ApiError::field("max_amount", "below_minimum", "max_amount is below min_amount"));
        }
        let terms = query_terms(q.0.as_deref().unwrap_or(""));
        let query = SearchQuery {
            terms: terms.clone(),
            kind: kind.0,
            subtype: subtype.0,
            region,
            min_amount_fen: min_amount.0,
            max_amount_fen: max_amount.0,
            tags: tags
                .0
                .map(|t| t.split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect())
                .unwrap_or_default(),
            status: status.0,
            category: category.0,
            point: lat.0.zip(lng.0),
            radius_km: radius_km.0,
            sort: sort.0.unwrap_or_default(),
            limit: usize::try_from(limit.0.unwrap_or(20)).unwrap_or(20),
            cursor: cursor.0.as_deref().map(decode_cursor).transpose()?,
        };
        let page = state
            .search
            .search(&query, |results| SearchPage {
                total: i64::try_from(results.total).unwrap_or(i64::MAX),
                next_cursor: results.next.as_ref().map(encode_cursor),
                items: results
                    .hits
                    .iter()
                    .map(|hit| {
                        let d = hit.document;
                        let region_code = d.regions.first().map(ToString::to_string).unwrap_or_default();
                        SearchHit {
                            kind: d.kind,
                            id: d.id.clone(),
                            title: d.title.clone(),
                            snippet: d.snippet.clone(),
                            matched_terms: terms.clone(),
                            score: hit.score,
                            region_name: shared::gb2260::full_name(&region_code).unwrap_or_default(),
                            region_code,
                            amount_fen: d.amount_fen,
                            subtype: d.subtypes.first().cloned().unwrap_or_default(),
                            status: d.status.clone(),
                            categories: d.categories.clone(),
                            tags: d.tags.clone(),
                            org_name: d.org_name.clone(),
                            distance_km: hit.distance_km,
                            created_at: d.created_at,
                        }
                    })
                    .collect(),
                terms: terms.clone(),
            })
            .map_err(|e| match e {
                SearchError::PointRequired => ApiError::field("lat", "required", e.to_string()),
                SearchError::CursorMismatch => ApiError::field("cursor", "invalid", e.to_string()),
            })?;
        Ok(Json(page))
    }
}
