//! JWTs: HS256 only (the algorithm is pinned on decode, so `alg: none` or a key-confusion token
//! is refused), with `exp`, `iss` and `aud` required and checked. Two audiences: access tokens
//! for the API and short-lived MFA tokens for the second login step.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, errors::ErrorKind};
use serde::{Deserialize, Serialize};

/// Audience of access tokens.
pub const AUDIENCE_API: &str = "gongzhu-api";
/// Audience of MFA tokens (only `POST /auth/login/totp` accepts them).
pub const AUDIENCE_MFA: &str = "gongzhu-mfa";
/// MFA tokens live five minutes.
pub const MFA_TOKEN_TTL_SECS: i64 = 300;

/// The claims Gongzhu puts in its tokens.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    /// The account id.
    pub sub: String,
    /// The session (refresh-token family) the token belongs to; empty in MFA tokens.
    pub sid: String,
    /// Issuer.
    pub iss: String,
    /// Audience.
    pub aud: String,
    /// Issued at (Unix seconds).
    pub iat: i64,
    /// Expires at (Unix seconds).
    pub exp: i64,
    /// Unique token id.
    pub jti: String,
}

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Past its `exp`.
    #[error("token expired")]
    Expired,
    /// Bad signature, wrong algorithm, issuer or audience, or malformed.
    #[error("token invalid")]
    Invalid,
}

/// Signs and checks tokens with one secret.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    issuer: String,
}

impl JwtKeys {
    /// Keys from the HS256 secret and the configured issuer.
    pub fn new(secret: &[u8], issuer: &str) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            issuer: issuer.to_owned(),
        }
    }

    /// Issues a token for `sub` / `sid` to `audience`, valid `ttl_secs` from `now`.
    pub fn issue(&self, sub: &str, sid: &str, audience: &str, now: i64, ttl_secs: i64) -> String {
        let claims = Claims {
            sub: sub.to_owned(),
            sid: sid.to_owned(),
            iss: self.issuer.clone(),
            aud: audience.to_owned(),
            iat: now,
            exp: now + ttl_secs,
            jti: uuid::Uuid::now_v7().to_string(),
        };
        // HS256 encoding of a plain struct cannot fail.
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).unwrap_or_default()
    }

    /// Checks signature, algorithm, expiry (5 s leeway) against the app's clock, issuer and
    /// audience.
    pub fn verify(&self, token: &str, audience: &str) -> Result<Claims, TokenError> {
        self.verify_at(token, audience, crate::clock::current().now().timestamp())
    }

    /// [`JwtKeys::verify`] at `now` (Unix seconds): the expiry is checked against the clock the
    /// tokens were issued by, not the machine's, so a test that moves the clock expires them.
    pub fn verify_at(&self, token: &str, audience: &str, now: i64) -> Result<Claims, TokenError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.validate_exp = false;
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .map(|data| data.claims)
            .map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => TokenError::Expired,
                _ => TokenError::Invalid,
            })?;
        if claims.exp + LEEWAY_SECS < now {
            return Err(TokenError::Expired);
        }
        Ok(claims)
    }
}

/// Seconds a token stays acceptable past its `exp` (clock skew between issuer and checker).
const LEEWAY_SECS: i64 = 5;

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> JwtKeys {
        JwtKeys::new(&[9u8; 32], "gongzhu")
    }

    #[test]
    fn issued_tokens_verify_for_their_audience_only() {
        let token = keys().issue("u1", "s1", AUDIENCE_API, chrono::Utc::now().timestamp(), 60);
        assert_eq!(keys().verify(&token, AUDIENCE_API).expect("valid").sub, "u1");
        assert_eq!(keys().verify(&token, AUDIENCE_MFA), Err(TokenError::Invalid));
    }

    #[test]
    fn expired_tokens_are_refused_as_expired() {
        let token = keys().issue("u1", "s1", AUDIENCE_API, chrono::Utc::now().timestamp() - 120, 60);
        assert_eq!(keys().verify(&token, AUDIENCE_API), Err(TokenError::Expired));
    }

    #[test]
    fn expiry_is_checked_against_the_given_clock_with_five_seconds_leeway() {
        let token = keys().issue("u1", "s1", AUDIENCE_API, 1_000, 60);
        assert!(keys().verify_at(&token, AUDIENCE_API, 1_065).is_ok());
        assert_eq!(keys().verify_at(&token, AUDIENCE_API, 1_066), Err(TokenError::Expired));
    }

    #[test]
    fn tokens_signed_with_another_key_or_issuer_are_refused() {
        let now = chrono::Utc::now().timestamp();
        let other = JwtKeys::new(&[1u8; 32], "gongzhu").issue("u1", "s1", AUDIENCE_API, now, 60);
        assert_eq!(keys().verify(&other, AUDIENCE_API), Err(TokenError::Invalid));
        let foreign = JwtKeys::new(&[9u8; 32], "someone-else").issue("u1", "s1", AUDIENCE_API, now, 60);
        assert_eq!(keys().verify(&foreign, AUDIENCE_API), Err(TokenError::Invalid));
    }
}
