//! Search rules at the API edge: reading the filters of a query string, cursors, and the page
//! of hits as the API shows it.

use data_encoding::BASE64URL_NOPAD;
use shared::domain::region::RegionCode;
use shared::domain::search::{Hit, SearchCursor, SearchError, SearchResults};
use shared::dto::{SearchHit, SearchPage};

use crate::error::ApiError;

/// Reads a cursor this search returned.
pub fn decode_cursor(text: &str) -> Result<SearchCursor, ApiError> {
    BASE64URL_NOPAD
        .decode(text.as_bytes())
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| ApiError::field("cursor", "invalid", "the cursor is not one this search returned"))
}

fn encode_cursor(cursor: &SearchCursor) -> String {
    BASE64URL_NOPAD.encode(&serde_json::to_vec(cursor).unwrap_or_default())
}

/// The `region` filter: a GB/T 2260 code that exists.
pub fn region(code: Option<&str>) -> Result<Option<RegionCode>, ApiError> {
    let Some(code) = code else { return Ok(None) };
    RegionCode::parse(code)
        .ok()
        .filter(|_| shared::gb2260::exists(code))
        .map(Some)
        .ok_or_else(|| ApiError::field("region", "unknown_region", "not a GB/T 2260 region code"))
}

/// 422 when the amount range is upside down.
pub fn check_amounts(min: Option<i64>, max: Option<i64>) -> Result<(), ApiError> {
    match (min, max) {
        (Some(min), Some(max)) if min > max => {
            Err(ApiError::field("max_amount", "below_minimum", "max_amount is below min_amount"))
        }
        _ => Ok(()),
    }
}

/// The `tags` filter: comma-separated, blanks dropped.
pub fn tags(tags: Option<&str>) -> Vec<String> {
    tags.map(|t| t.split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect())
        .unwrap_or_default()
}

/// A search error as the API answers it.
pub fn search_error(error: SearchError) -> ApiError {
    match error {
        SearchError::PointRequired => ApiError::field("lat", "required", error.to_string()),
        SearchError::CursorMismatch => ApiError::field("cursor", "invalid", error.to_string()),
    }
}

/// A page of results as the API shows it.
pub fn page(results: &SearchResults<'_>, terms: &[String]) -> SearchPage {
    SearchPage {
        total: i64::try_from(results.total).unwrap_or(i64::MAX),
        next_cursor: results.next.as_ref().map(encode_cursor),
        items: results.hits.iter().map(|hit| hit_dto(hit, terms)).collect(),
        terms: terms.to_vec(),
    }
}

fn hit_dto(hit: &Hit<'_>, terms: &[String]) -> SearchHit {
    let d = hit.document;
    let region_code = d.regions.first().map(ToString::to_string).unwrap_or_default();
    SearchHit {
        kind: d.kind,
        id: d.id.clone(),
        title: d.title.clone(),
        snippet: d.snippet.clone(),
        matched_terms: terms.to_vec(),
        score: hit.score,
        region_name: shared::gb2260::full_name(&region_code).unwrap_or_default(),
        region_code,
        amount_fen: d.amount_fen,
        subtype: d.subtypes.first().cloned().unwrap_or_default(),
        status: d.status.clone(),
        categories: d.categories.clone(),
        tags: d.tags.clone(),
        org_name: d.org_name.clone(),
        credit_grade: d.credit_grade,
        distance_km: hit.distance_km,
        created_at: d.created_at,
    }
}
