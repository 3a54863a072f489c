//! The one error envelope every 4xx/5xx response carries.

use serde::{Deserialize, Serialize};

/// The error envelope: `{ code, message, details, request_id }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(rename = "Error"))]
pub struct ErrorBody {
    /// Stable snake_case error code (see docs/API-DESIGN.md for the list).
    pub code: String,
    /// Human-readable explanation (English); clients translate by `code`.
    pub message: String,
    /// Per-field problems, for validation errors; empty otherwise.
    #[serde(default)]
    pub details: Vec<FieldIssue>,
    /// The request id, also sent as the `X-Request-Id` header and written to the server log.
    pub request_id: String,
}

/// One problem with one field of the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct FieldIssue {
    /// The field's name (a JSON path for nested fields), or `body` / `query` / `header`.
    pub field: String,
    /// A stable snake_case issue code such as `required`, `too_short`, `invalid_email`.
    pub issue: String,
}

impl FieldIssue {
    /// A field issue from a field name and an issue code.
    pub fn new(field: impl Into<String>, issue: impl Into<String>) -> Self {
        Self { field: field.into(), issue: issue.into() }
    }
}
