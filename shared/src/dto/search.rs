//! One search across projects, listings and organisations: Chinese word segmentation,
//! relevance ranking computed by the server (the same on SQLite and PostgreSQL), filters, a
//! radius around a point, sorting and cursor pagination.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::credit::CreditGrade;

/// What a search hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum SearchKind {
    /// A published or closed project.
    Project,
    /// A live resource listing.
    Resource,
    /// A verified organisation in the directory.
    Organisation,
}

impl SearchKind {
    /// Stored / wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Project => "project",
            Self::Resource => "resource",
            Self::Organisation => "organisation",
        }
    }
}

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum SearchSort {
    /// Best match first (newest first when there is no query text).
    #[default]
    Relevance,
    /// Newest first.
    Newest,
    /// Smallest amount (investment or unit price) first.
    AmountAsc,
    /// Largest amount first.
    AmountDesc,
    /// Nearest to `lat`/`lng` first (needs them).
    Distance,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct SearchHit {
    /// What it is.
    pub kind: SearchKind,
    /// Its id (fetch it from `/projects/{id}`, `/resources/{id}` or `/orgs/{id}`).
    pub id: String,
    /// Project name, listing name or organisation name.
    pub title: String,
    /// The start of the description.
    pub snippet: String,
    /// Query words that matched, for highlighting.
    pub matched_terms: Vec<String>,
    /// Relevance score (BM25; 0 without query text).
    pub score: f64,
    /// Region code.
    pub region_code: String,
    /// Full region name.
    pub region_name: String,
    /// Investment (projects) or unit price (listings) in fen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_fen: Option<i64>,
    /// Project type, listing kind, or the organisation's first business role.
    pub subtype: String,
    /// Project status (`published`, `closed`); listings and organisations are always live.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Category codes (listing: its category; organisation: what it offers).
    pub categories: Vec<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// The owning organisation (projects, listings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_name: Option<String>,
    /// An organisation's published credit grade; none while it is not rated (and for projects
    /// and listings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_grade: Option<CreditGrade>,
    /// Distance from `lat`/`lng` in km, when they were given and the hit has coordinates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_km: Option<f64>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// A page of search results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct SearchPage {
    /// Hits in the chosen order.
    pub items: Vec<SearchHit>,
    /// All hits matching the query and filters.
    pub total: i64,
    /// How the query text was segmented.
    pub terms: Vec<String>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}
