//! `/search`: one search across projects, listings and organisations (Chinese segmentation,
//! BM25 relevance computed by the server, filters, radius, sort, cursor pages).

pub mod catalogue;
pub mod service;

use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use shared::domain::search::SearchQuery;
use shared::dto::*;

use crate::error::ApiError;
use crate::routes::ApiTags;
use crate::routes::search::catalogue::segment::query_terms;
use crate::state::AppState;

/// Search.
pub struct SearchApi;

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
        let region = service::region(region.0.as_deref())?;
        service::check_amounts(min_amount.0, max_amount.0)?;
        let terms = query_terms(q.0.as_deref().unwrap_or(""));
        let query = SearchQuery {
            terms: terms.clone(),
            kind: kind.0,
            subtype: subtype.0,
            region,
            min_amount_fen: min_amount.0,
            max_amount_fen: max_amount.0,
            tags: service::tags(tags.0.as_deref()),
            status: status.0,
            category: category.0,
            point: lat.0.zip(lng.0),
            radius_km: radius_km.0,
            sort: sort.0.unwrap_or_default(),
            limit: usize::try_from(limit.0.unwrap_or(20)).unwrap_or(20),
            cursor: cursor.0.as_deref().map(service::decode_cursor).transpose()?,
        };
        let page = state
            .search
            .search(&query, |results| service::page(&results, &terms))
            .map_err(service::search_error)?;
        Ok(Json(page))
    }
}
