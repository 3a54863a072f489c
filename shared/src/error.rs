//! Stable, snake_case error codes shared by the API (which emits them in the error envelope) and
//! the SPA (which translates them). The list is the contract documented in docs/API-DESIGN.md.

use serde::{Deserialize, Serialize};

/// A machine-readable error code. The string form never changes once published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request body, query or path failed validation; `details` names the fields.
    ValidationFailed,
    /// No valid credentials were presented (missing, malformed, tampered or revoked token).
    Unauthenticated,
    /// The access token has expired; refresh it.
    TokenExpired,
    /// Login or password is wrong.
    InvalidCredentials,
    /// A rotated refresh token was presented again; the whole session family is revoked.
    RefreshTokenReused,
    /// A one-time, TOTP or recovery code is wrong, expired or already used.
    InvalidCode,
    /// The action needs a second factor that was not given.
    MfaRequired,
    /// Authenticated, but not allowed to do this.
    Forbidden,
    /// No such resource, or not visible to the caller.
    NotFound,
    /// The request conflicts with current state (duplicate, wrong state).
    Conflict,
    /// The request body is larger than allowed.
    PayloadTooLarge,
    /// The content type is not accepted here.
    UnsupportedMediaType,
    /// An `Idempotency-Key` was reused with a different request body.
    IdempotencyMismatch,
    /// A money-moving request came without an `Idempotency-Key` header.
    IdempotencyKeyRequired,
    /// Too many requests; retry after the `Retry-After` header's seconds.
    RateLimited,
    /// The account signed in with a one-time password and must choose its own first.
    PasswordChangeRequired,
    /// The path exists but not with this method; `Allow` lists the methods it has.
    MethodNotAllowed,
    /// An unexpected server error; the `request_id` identifies it in the logs.
    Internal,
}

impl ErrorCode {
    /// The snake_case string sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ValidationFailed => "validation_failed",
            Self::Unauthenticated => "unauthenticated",
            Self::TokenExpired => "token_expired",
            Self::InvalidCredentials => "invalid_credentials",
            Self::RefreshTokenReused => "refresh_token_reused",
            Self::InvalidCode => "invalid_code",
            Self::MfaRequired => "mfa_required",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::Conflict => "conflict",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::IdempotencyMismatch => "idempotency_mismatch",
            Self::IdempotencyKeyRequired => "idempotency_key_required",
            Self::RateLimited => "rate_limited",
            Self::PasswordChangeRequired => "password_change_required",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Internal => "internal",
        }
    }

    /// The HTTP status this code is sent with.
    pub fn http_status(self) -> u16 {
        match self {
            Self::ValidationFailed => 422,
            Self::Unauthenticated
            | Self::TokenExpired
            | Self::InvalidCredentials
            | Self::RefreshTokenReused => 401,
            Self::InvalidCode => 422,
            Self::MfaRequired | Self::Forbidden | Self::PasswordChangeRequired => 403,
            Self::MethodNotAllowed => 405,
            Self::NotFound => 404,
            Self::Conflict => 409,
            Self::PayloadTooLarge => 413,
            Self::UnsupportedMediaType => 415,
            Self::IdempotencyMismatch => 422,
            Self::IdempotencyKeyRequired => 400,
            Self::RateLimited => 429,
            Self::Internal => 500,
        }
    }

    /// Every code, for documentation and exhaustive tests.
    pub const ALL: [ErrorCode; 18] = [
        Self::ValidationFailed,
        Self::Unauthenticated,
        Self::TokenExpired,
        Self::InvalidCredentials,
        Self::RefreshTokenReused,
        Self::InvalidCode,
        Self::MfaRequired,
        Self::Forbidden,
        Self::NotFound,
        Self::Conflict,
        Self::PayloadTooLarge,
        Self::UnsupportedMediaType,
        Self::IdempotencyMismatch,
        Self::IdempotencyKeyRequired,
        Self::RateLimited,
        Self::PasswordChangeRequired,
        Self::MethodNotAllowed,
        Self::Internal,
    ];
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn wire_string_matches_serde_form() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_string(&code).expect("serialises");
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }

    #[test]
    fn only_internal_is_a_server_error() {
        for code in ErrorCode::ALL {
            assert_eq!(code.http_status() >= 500, code == ErrorCode::Internal, "{code}");
        }
    }
}
