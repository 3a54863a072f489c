//! Errors at the HTTP edge. Which error type belongs where:
//! - `shared`: domain errors (`thiserror`) carrying a stable [`ErrorCode`];
//! - `api::db`: diesel's `QueryResult` / [`DbError`];
//! - handlers: [`ApiError`], the one type that becomes a response. It derives poem-openapi's
//!   `ApiResponse` (so the spec lists every error status) and is built `From` the other two:
//!   diesel NotFound → 404, unique violation → 409, anything else → 500 with nothing leaked.
//!
//! Errors raised outside operations (unknown route, body too large, framework parse errors)
//! are turned into the same envelope by [`bad_request`] and [`envelope_for`].

use poem::http::StatusCode;
use poem_openapi::{ApiResponse, payload::Json};
use shared::dto::{ErrorBody, FieldIssue};
use shared::error::ErrorCode;

use crate::db::DbError;

tokio::task_local! {
    /// The id of the request being handled (set by the request-id middleware).
    pub static REQUEST_ID: String;
}

/// The current request's id, or `-` outside a request.
pub fn current_request_id() -> String {
    REQUEST_ID.try_with(Clone::clone).unwrap_or_else(|_| "-".to_owned())
}

/// Every error response of the API, in the one envelope.
#[derive(ApiResponse, Debug)]
#[oai(bad_request_handler = "bad_request")]
pub enum ApiError {
    /// The request could not be parsed (`validation_failed`).
    #[oai(status = 400)]
    BadRequest(Json<ErrorBody>),
    /// Missing, invalid or expired credentials (`unauthenticated`, `token_expired`,
    /// `invalid_credentials`, `refresh_token_reused`).
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>),
    /// Not allowed (`forbidden`, `mfa_required`).
    #[oai(status = 403)]
    Forbidden(Json<ErrorBody>),
    /// No such resource, or not visible to the caller (`not_found`).
    #[oai(status = 404)]
    NotFound(Json<ErrorBody>),
    /// Conflicts with current state (`conflict`).
    #[oai(status = 409)]
    Conflict(Json<ErrorBody>),
    /// Body too large (`payload_too_large`).
    #[oai(status = 413)]
    PayloadTooLarge(Json<ErrorBody>),
    /// Content type not accepted (`unsupported_media_type`).
    #[oai(status = 415)]
    UnsupportedMediaType(Json<ErrorBody>),
    /// Well-formed but invalid (`validation_failed`, `invalid_code`, `idempotency_mismatch`).
    #[oai(status = 422)]
    Unprocessable(Json<ErrorBody>),
    /// Too many requests (`rate_limited`); retry after `Retry-After` seconds.
    #[oai(status = 429)]
    TooManyRequests(Json<ErrorBody>, #[oai(header = "Retry-After")] u64),
    /// Unexpected failure (`internal`); quote the `request_id` when reporting it.
    #[oai(status = 500)]
    Internal(Json<ErrorBody>),
}

impl ApiError {
    /// An error with a code and message, at the code's status.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::with_status(code.http_status(), code, message.into(), Vec::new())
    }

    /// `validation_failed` (422) naming the fields at fault.
    pub fn validation(message: impl Into<String>, details: Vec<FieldIssue>) -> Self {
        Self::with_status(422, ErrorCode::ValidationFailed, message.into(), details)
    }

    /// `validation_failed` for one field.
    pub fn field(field: &str, issue: &str, message: impl Into<String>) -> Self {
        Self::validation(message, vec![FieldIssue::new(field, issue)])
    }

    /// `400 validation_failed`: a required header or parameter is absent.
    pub fn missing(field: &str) -> Self {
        Self::with_status(
            400,
            ErrorCode::ValidationFailed,
            format!("{field} is required"),
            vec![FieldIssue::new(field, "required")],
        )
    }

    /// `rate_limited` with a `Retry-After`.
    pub fn rate_limited(retry_after_secs: u64) -> Self {
        let body = body(ErrorCode::RateLimited, "too many attempts; try again later".into(), Vec::new());
        Self::TooManyRequests(Json(body), retry_after_secs)
    }

    /// `internal`: logs the cause with the request id and returns nothing of it.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(request_id = %current_request_id(), "internal error: {cause}");
        Self::new(ErrorCode::Internal, "internal error")
    }

    fn with_status(status: u16, code: ErrorCode, message: String, details: Vec<FieldIssue>) -> Self {
        let json = Json(body(code, message, details));
        match status {
            400 => Self::BadRequest(json),
            401 => Self::Unauthorized(json),
            403 => Self::Forbidden(json),
            404 => Self::NotFound(json),
            409 => Self::Conflict(json),
            413 => Self::PayloadTooLarge(json),
            415 => Self::UnsupportedMediaType(json),
            422 => Self::Unprocessable(json),
            429 => Self::TooManyRequests(json, 1),
            _ => Self::Internal(json),
        }
    }

    /// Names the field at fault in the envelope's `details` (any status and code).
    pub fn with_detail(mut self, field: &str, issue: &str) -> Self {
        match &mut self {
            Self::BadRequest(b)
            | Self::Unauthorized(b)
            | Self::Forbidden(b)
            | Self::NotFound(b)
            | Self::Conflict(b)
            | Self::PayloadTooLarge(b)
            | Self::UnsupportedMediaType(b)
            | Self::Unprocessable(b)
            | Self::TooManyRequests(b, _)
            | Self::Internal(b) => b.0.details.push(FieldIssue::new(field, issue)),
        }
        self
    }

    /// The envelope inside.
    pub fn body(&self) -> &ErrorBody {
        match self {
            Self::BadRequest(b)
            | Self::Unauthorized(b)
            | Self::Forbidden(b)
            | Self::NotFound(b)
            | Self::Conflict(b)
            | Self::PayloadTooLarge(b)
            | Self::UnsupportedMediaType(b)
            | Self::Unprocessable(b)
            | Self::TooManyRequests(b, _)
            | Self::Internal(b) => &b.0,
        }
    }
}

fn body(code: ErrorCode, message: String, details: Vec<FieldIssue>) -> ErrorBody {
    ErrorBody { code: code.as_str().to_owned(), message, details, request_id: current_request_id() }
}

impl From<shared::validate::Invalid> for ApiError {
    fn from(invalid: shared::validate::Invalid) -> Self {
        ApiError::validation("some fields are invalid", invalid.0)
    }
}

impl From<DbError> for ApiError {
    fn from(error: DbError) -> Self {
        match error {
            DbError::Query(e) => e.into(),
            other => Self::internal(other),
        }
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match error {
            Error::NotFound => Self::new(ErrorCode::NotFound, "not found"),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                Self::new(ErrorCode::Conflict, "already exists")
            }
            other => Self::internal(error_chain(&other)),
        }
    }
}

/// An error with its causes, `outer: inner: …` (diesel names only the field of a value it could
/// not read; the cause names the column and the value).
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Turns a framework parse error (bad JSON, missing or unknown field, wrong type, bad header)
/// into `400 validation_failed`, naming the field when the message does.
pub fn bad_request(error: poem::Error) -> ApiError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return ApiError::new(ErrorCode::PayloadTooLarge, "request body is too large");
    }
    if error.status() == StatusCode::UNSUPPORTED_MEDIA_TYPE {
        return ApiError::new(ErrorCode::UnsupportedMediaType, "send application/json");
    }
    let message = error.to_string();
    let field = quoted_field(&message).unwrap_or_else(|| "body".to_owned());
    let issue = if message.contains("is not allowed") || message.contains("unknown field") {
        "unknown_field"
    } else if message.contains("required") || message.contains("missing") || message.contains("found null") {
        "required"
    } else {
        "invalid"
    };
    ApiError::with_status(400, ErrorCode::ValidationFailed, message, vec![FieldIssue::new(field, issue)])
}

/// The last backtick- or quote-delimited name in a poem-openapi parse message, e.g.
/// ``failed to parse "RegisterRequest": field `password` …`` → `password`.
fn quoted_field(message: &str) -> Option<String> {
    for quote in ['`', '"'] {
        let parts: Vec<&str> = message.split(quote).collect();
        if parts.len() >= 3 {
            let candidate = parts[parts.len() - 2];
            let is_name = !candidate.is_empty()
                && candidate
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.');
            if is_name {
                return Some(candidate.to_owned());
            }
        }
    }
    None
}

/// The envelope response for any error that reached the outermost layer. Our own `ApiError`
/// responses pass through untouched; everything else is mapped by status.
pub fn envelope_for(error: poem::Error) -> poem::Response {
    use poem::IntoResponse;
    if error.is_from_response() {
        return error.into_response();
    }
    let status = error.status();
    let api_error = match status.as_u16() {
        400 => bad_request(error),
        401 => ApiError::new(ErrorCode::Unauthenticated, "authentication required"),
        403 => ApiError::new(ErrorCode::Forbidden, "forbidden"),
        404 => ApiError::new(ErrorCode::NotFound, "no such resource"),
        405 => ApiError::with_status(405, ErrorCode::NotFound, "method not allowed".into(), Vec::new()),
        413 => ApiError::new(ErrorCode::PayloadTooLarge, "request body is too large"),
        415 => ApiError::new(ErrorCode::UnsupportedMediaType, "unsupported content type"),
        422 => ApiError::validation(error.to_string(), Vec::new()),
        429 => ApiError::rate_limited(1),
        _ if status.is_client_error() => ApiError::validation(error.to_string(), Vec::new()),
        _ => ApiError::internal(error),
    };
    let mut response = api_error.into_response();
    if status == StatusCode::METHOD_NOT_ALLOWED {
        response.set_status(status);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_messages_name_their_field() {
        assert_eq!(
            quoted_field("failed to parse \"RegisterRequest\": field `password` is required").as_deref(),
            Some("password")
        );
        assert_eq!(quoted_field("properties \"nickname\" is not allowed").as_deref(), Some("nickname"));
        assert_eq!(quoted_field("expected value at line 1 column 1"), None);
    }

    #[test]
    fn unique_violation_is_a_conflict_and_not_found_is_404() {
        assert_eq!(ApiError::from(diesel::result::Error::NotFound).body().code, "not_found");
        let unique = diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            Box::new("users.email".to_owned()),
        );
        assert_eq!(ApiError::from(unique).body().code, "conflict");
    }
}
