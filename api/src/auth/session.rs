//! Sessions: issuing an access token plus a rotating refresh token, rotating it (a replay of a
//! rotated token revokes the whole family), and the bearer security scheme that checks access
//! tokens on every request (signature, claims, and that the session and account are still live).

use chrono::{Duration, NaiveDateTime};
use poem::Request;
use poem_openapi::SecurityScheme;
use poem_openapi::auth::Bearer;
use shared::dto::{SessionTokens, UserProfile};
use shared::error::ErrorCode;

use crate::auth::crypto::{random_token, sha256_hex};
use crate::auth::jwt::{AUDIENCE_API, TokenError};
use crate::db::models::api_keys::ApiKeyRow;
use crate::db::models::sessions::{PasswordChangeRequired, RefreshToken, Session};
use crate::db::models::users::User;
use crate::db::{DbConn, new_id};
use crate::error::ApiError;
use crate::state::AppState;

/// Name of the HttpOnly cookie that carries the browser's refresh token.
pub const REFRESH_COOKIE: &str = "gz_refresh";
/// Path the refresh cookie is sent to (only the auth endpoints).
pub const REFRESH_COOKIE_PATH: &str = "/api/v1/auth";

/// Who is calling, as established by a valid access token.
#[derive(Debug, Clone)]
pub struct AuthUser {
    /// The account id.
    pub user_id: String,
    /// The session the token belongs to.
    pub session_id: String,
}

/// `Authorization: Bearer <access token>`.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", bearer_format = "JWT", checker = "check_bearer")]
pub struct BearerAuth(pub AuthUser);

async fn check_bearer(req: &Request, bearer: Bearer) -> poem::Result<AuthUser> {
    Ok(verify_bearer(req, &bearer.token).await?)
}

/// Verifies an access token and that its session is still live. A request that also carries an
/// `X-API-Key` which is not a live key is refused: an invalid credential is never ignored. An
/// account that must change its one-time password may only read `/me` and change the password.
async fn verify_bearer(req: &Request, token: &str) -> Result<AuthUser, ApiError> {
    let state = req.data::<AppState>().ok_or_else(|| ApiError::internal("application state missing"))?;
    let claims = state.jwt.verify(token, AUDIENCE_API).map_err(|e| match e {
        TokenError::Expired => ApiError::new(ErrorCode::TokenExpired, "access token expired; refresh it"),
        TokenError::Invalid => ApiError::new(ErrorCode::Unauthenticated, "invalid access token"),
    })?;
    let api_key = req.header(crate::auth::api_key::HEADER).map(sha256_hex);
    let restricted_ok = may_act_before_password_change(req);
    let (user_id, session_id) = (claims.sub.clone(), claims.sid.clone());
    let (live, key_ok, must_change) = state
        .db
        .run(move |c| {
            let live = Session::is_live(c, &session_id, &user_id)?;
            let key_ok = match api_key {
                Some(hash) => ApiKeyRow::live_by_hash(c, &hash)?.is_some(),
                None => true,
            };
            let must_change = !restricted_ok && PasswordChangeRequired::is_set(c, &user_id)?;
            Ok::<_, ApiError>((live, key_ok, must_change))
        })
        .await?;
    if !live {
        return Err(ApiError::new(ErrorCode::Unauthenticated, "session ended; sign in again"));
    }
    if !key_ok {
        return Err(ApiError::new(ErrorCode::Unauthenticated, "invalid or revoked API key"));
    }
    if must_change {
        return Err(ApiError::new(
            ErrorCode::PasswordChangeRequired,
            "choose a new password first (POST /me/password)",
        ));
    }
    Ok(AuthUser { user_id: claims.sub, session_id: claims.sid })
}

/// The requests an account with a one-time password may make: read its profile, change the
/// password.
fn may_act_before_password_change(req: &Request) -> bool {
    let path = req.original_uri().path().trim_end_matches('/');
    (req.method() == poem::http::Method::GET && path.ends_with("/api/v1/me"))
        || (req.method() == poem::http::Method::POST && path.ends_with("/api/v1/me/password"))
}

/// The caller of an operation that anonymous callers may also use (public projects and
/// demands): `None` without an `Authorization` header; a present but invalid token is an
/// error (`token_expired`, `unauthenticated`), as on authenticated operations.
pub async fn optional_user(req: &Request) -> Result<Option<AuthUser>, ApiError> {
    let Some(header) = req.headers().get(poem::http::header::AUTHORIZATION) else { return Ok(None) };
    let token = header
        .to_str()
        .ok()
        .and_then(|h| h.strip_prefix("Bearer "))
        .ok_or_else(|| ApiError::new(ErrorCode::Unauthenticated, "malformed Authorization header"))?;
    verify_bearer(req, token.trim()).await.map(Some)
}

/// Where a sign-in came from (kept with the session, shown in the data export).
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    /// Client address.
    pub ip: Option<String>,
    /// `User-Agent`, truncated.
    pub user_agent: Option<String>,
}

impl ClientInfo {
    /// Reads the client address (from `X-Forwarded-For` only when configured) and user agent.
    pub fn from_request(req: &Request, trust_forwarded_for: bool) -> Self {
        let forwarded = trust_forwarded_for
            .then(|| req.header("x-forwarded-for"))
            .flatten()
            // The rightmost entry is the one our trusted proxy appended; entries to its left
            // come from the client and can say anything.
            .and_then(|v| v.rsplit(',').next())
            .map(|v| v.trim().to_owned());
        let remote = req.remote_addr().as_socket_addr().map(|a| a.ip().to_string());
        Self {
            ip: forwarded.or(remote),
            user_agent: req.header("user-agent").map(|ua| ua.chars().take(255).collect()),
        }
    }
}

/// A freshly issued token pair (the refresh token in clear, only in memory).
pub struct IssuedTokens {
    /// JWT access token.
    pub access_token: String,
    /// Refresh token.
    pub refresh_token: String,
    /// When the refresh token expires.
    pub refresh_expires_at: NaiveDateTime,
}

/// A new refresh token of a session started at `session_started`: valid for the refresh
/// lifetime, but never past the session's absolute end (`session_max_lifetime_secs`).
fn new_refresh(
    state: &AppState,
    session_id: &str,
    session_started: NaiveDateTime,
    now: NaiveDateTime,
) -> (RefreshToken, String) {
    let token = random_token(32);
    let sliding = now + Duration::seconds(state.config.refresh_token_ttl_secs);
    let absolute = session_started + Duration::seconds(state.config.session_max_lifetime_secs);
    let row = RefreshToken {
        id: new_id(),
        session_id: session_id.to_owned(),
        token_hash: sha256_hex(&token),
        created_at: now,
        expires_at: sliding.min(absolute),
        used_at: None,
    };
    (row, token)
}

/// Starts a session for `user`: a new refresh-token family and an access token.
pub fn start_session(
    conn: &mut DbConn,
    state: &AppState,
    user_id: &str,
    client: &ClientInfo,
    now: NaiveDateTime,
) -> Result<IssuedTokens, ApiError> {
    let session = Session {
        id: new_id(),
        user_id: user_id.to_owned(),
        created_at: now,
        last_used_at: now,
        revoked_at: None,
        revoked_reason: None,
        user_agent: client.user_agent.clone(),
        ip: client.ip.clone(),
    };
    session.insert(conn)?;
    let (row, refresh_token) = new_refresh(state, &session.id, now, now);
    row.insert(conn)?;
    Ok(IssuedTokens {
        access_token: access_token(state, user_id, &session.id),
        refresh_token,
        refresh_expires_at: row.expires_at,
    })
}

fn access_token(state: &AppState, user_id: &str, session_id: &str) -> String {
    state.jwt.issue(
        user_id,
        session_id,
        AUDIENCE_API,
        crate::clock::current().now().timestamp(),
        state.config.access_token_ttl_secs,
    )
}

/// The outcome of presenting a refresh token.
pub enum Rotation {
    /// A new pair for this account.
    Rotated(IssuedTokens, String),
    /// The token had been rotated already: the family is now revoked.
    Reused,
}

/// Rotates a refresh token. Unknown, expired or revoked tokens are `unauthenticated`; a token
/// used before revokes its session (the family) and reports [`Rotation::Reused`].
pub fn rotate(
    conn: &mut DbConn,
    state: &AppState,
    token: &str,
    now: NaiveDateTime,
) -> Result<Rotation, ApiError> {
    let refused = || ApiError::new(ErrorCode::Unauthenticated, "refresh token is not valid; sign in again");
    let Some((row, session)) = RefreshToken::find_with_session(conn, &sha256_hex(token))? else {
        return Err(refused());
    };
    if session.revoked_at.is_some() {
        return Err(refused());
    }
    if row.used_at.is_some() || !RefreshToken::claim(conn, &row.id, now)? {
        Session::revoke(conn, &session.id, "refresh_token_reused", now)?;
        return Ok(Rotation::Reused);
    }
    let session_end = session.created_at + Duration::seconds(state.config.session_max_lifetime_secs);
    if row.expires_at <= now || session_end <= now || User::find_active(conn, &session.user_id)?.is_none() {
        return Err(refused());
    }
    Session::touch(conn, &session.id, now)?;
    let (next, refresh_token) = new_refresh(state, &session.id, session.created_at, now);
    next.insert(conn)?;
    let tokens = IssuedTokens {
        access_token: access_token(state, &session.user_id, &session.id),
        refresh_token,
        refresh_expires_at: next.expires_at,
    };
    Ok(Rotation::Rotated(tokens, session.user_id))
}

/// The profile DTO of an account row.
pub fn profile(user: &User) -> UserProfile {
    UserProfile {
        id: user.id.clone(),
        email: user.email.clone(),
        email_verified: user.email_verified_at.is_some(),
        phone: user.phone.clone(),
        phone_verified: user.phone_verified_at.is_some(),
        display_name: user.display_name.clone(),
        totp_enabled: user.totp_enabled,
        created_at: user.created_at.and_utc(),
    }
}

/// Packs issued tokens for the response; with `cookie` the refresh token goes into a
/// `Set-Cookie` value instead of the body.
pub fn session_response(
    state: &AppState,
    tokens: IssuedTokens,
    user: &User,
    cookie: bool,
) -> (SessionTokens, Option<String>) {
    let set_cookie = cookie.then(|| refresh_cookie(state, &tokens.refresh_token));
    let body = SessionTokens {
        access_token: tokens.access_token,
        token_type: "Bearer".into(),
        expires_in: state.config.access_token_ttl_secs,
        refresh_token: (!cookie).then_some(tokens.refresh_token),
        refresh_expires_at: tokens.refresh_expires_at.and_utc(),
        user: profile(user),
    };
    (body, set_cookie)
}

/// `Set-Cookie` value carrying a refresh token.
pub fn refresh_cookie(state: &AppState, token: &str) -> String {
    let secure = if state.config.cookie_secure { "; Secure" } else { "" };
    format!(
        "{REFRESH_COOKIE}={token}; Path={REFRESH_COOKIE_PATH}; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        state.config.refresh_token_ttl_secs
    )
}

/// `Set-Cookie` value that removes the refresh cookie.
pub fn clear_refresh_cookie(state: &AppState) -> String {
    let secure = if state.config.cookie_secure { "; Secure" } else { "" };
    format!("{REFRESH_COOKIE}=; Path={REFRESH_COOKIE_PATH}; HttpOnly; SameSite=Strict; Max-Age=0{secure}")
}

/// The refresh token from the body, else from the cookie.
pub fn presented_refresh_token(req: &Request, body: Option<String>) -> Option<String> {
    body.filter(|t| !t.is_empty()).or_else(|| {
        req.headers()
            .get_all("cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == REFRESH_COOKIE)
            .map(|(_, value)| value.to_owned())
            .filter(|t| !t.is_empty())
    })
}
