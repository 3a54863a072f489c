//! `Idempotency-Key` on every POST of a signed-in caller (a person's bearer token or an API
//! key), with Stripe's semantics:
//! - the first request with a key runs and its response is stored for 24 hours;
//! - the same key with the same request (method, path, query, `X-Org-Id` and body) replays the
//!   stored response (status, body, `Content-Type`, `Location`) with `Idempotent-Replayed: true`
//!   and runs nothing;
//! - the same key with a different request answers 422 `idempotency_mismatch`;
//! - while the first request is still running, another with the key answers 409 `conflict`.
//!
//! Keys are scoped to the caller (the account, or the API key), so two callers cannot see each
//! other's responses. Outcomes that depend on the moment rather than the request — 401, 429 and
//! server errors — are not stored: the key is released and a retry runs afresh. A request
//! stuck in flight for longer than [`STALE_AFTER_SECS`] (its process died) may be taken over.
//! Anonymous POSTs (`/auth/*`) do not take a key.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use poem::http::{HeaderValue, Method, StatusCode};
use poem::{Endpoint, IntoResponse, Request, Response, Result};
use shared::error::ErrorCode;

use crate::auth::crypto::sha256_hex;
use crate::auth::jwt::AUDIENCE_API;
use crate::db::models::api_keys::ApiKeyRow;
use crate::db::models::sessions::Session;
use crate::db::schema::idempotency_keys as keys;
use crate::db::{DbConn, now, write_tx};
use crate::error::ApiError;
use crate::state::AppState;

/// The request header.
pub const HEADER: &str = "idempotency-key";
/// How long an outcome is kept.
pub const TTL_HOURS: i64 = 24;
/// A first request still unfinished after this long is presumed dead.
pub const STALE_AFTER_SECS: i64 = 300;
/// Longest accepted key.
pub const MAX_KEY_LEN: usize = 255;

/// What the stored row says about a new request with the same key.
#[derive(Debug, PartialEq, Eq)]
enum Claim {
    /// No outcome yet: this request runs.
    Run,
    /// The stored outcome of the same request.
    Replay { status: u16, headers: String, body: String },
    /// The key was used for another request.
    Mismatch,
    /// The first request is still running.
    InFlight,
}

/// The middleware (see the module doc).
pub async fn idempotent<E: Endpoint>(next: E, mut req: Request) -> Result<Response> {
    if req.method() != Method::POST {
        return next.call(req).await.map(IntoResponse::into_response);
    }
    let Some(key) = req.header(HEADER).map(str::to_owned) else {
        return next.call(req).await.map(IntoResponse::into_response);
    };
    if key.is_empty() || key.len() > MAX_KEY_LEN || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Ok(ApiError::field(
            "Idempotency-Key",
            "invalid",
            format!("Idempotency-Key must be 1–{MAX_KEY_LEN} visible ASCII characters"),
        )
        .into_response());
    }
    let Some(state) = req.data::<AppState>().cloned() else {
        return next.call(req).await.map(IntoResponse::into_response);
    };
    let Some(scope) = scope_of(&req, &state).await? else {
        return next.call(req).await.map(IntoResponse::into_response);
    };
    let body = req.take_body().into_bytes().await?;
    let fingerprint = fingerprint(&req, &body);
    req.set_body(body);
    let (s, k, f) = (scope.clone(), key.clone(), fingerprint);
    let claim =
        state.db.run(move |c| write_tx(c, |c| claim(c, &s, &k, &f, now()).map_err(ApiError::from))).await?;
    match claim {
        Claim::Run => {}
        Claim::Replay { status, headers, body } => return Ok(replay(status, &headers, body)),
        Claim::Mismatch => {
            return Ok(ApiError::new(
                ErrorCode::IdempotencyMismatch,
                "this Idempotency-Key was used for a different request",
            )
            .with_detail("Idempotency-Key", "reused")
            .into_response());
        }
        Claim::InFlight => {
            return Ok(ApiError::new(
                ErrorCode::Conflict,
                "a request with this Idempotency-Key is still being processed; retry shortly",
            )
            .with_detail("Idempotency-Key", "in_flight")
            .into_response());
        }
    }
    let response = match next.call(req).await {
        Ok(resp) => resp.into_response(),
        Err(err) => crate::error::envelope_for(err),
    };
    let status = response.status();
    let transient = status.is_server_error()
        || status == StatusCode::TOO_MANY_REQUESTS
        || status == StatusCode::UNAUTHORIZED;
    if transient {
        let (s, k) = (scope, key);
        state.db.run(move |c| write_tx(c, |c| release(c, &s, &k))).await?;
        return Ok(response);
    }
    let (parts, body) = response.into_parts();
    let bytes = body.into_bytes().await?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let stored_headers = serde_json::to_string(&kept_headers(&parts.headers)).unwrap_or_else(|_| "[]".into());
    let (s, k, t) = (scope, key, text);
    let code = i32::from(parts.status.as_u16());
    state.db.run(move |c| write_tx(c, |c| store(c, &s, &k, code, &stored_headers, &t))).await?;
    Ok(Response::from_parts(parts, bytes.into()))
}

/// The caller a key belongs to: `user:<id>` for a live session's bearer token, `key:<hash>` for
/// a live API key; `None` for anonymous callers or invalid credentials (the operation then
/// refuses the request itself).
async fn scope_of(req: &Request, state: &AppState) -> Result<Option<String>, ApiError> {
    let bearer = req
        .header("authorization")
        .and_then(|h| h.strip_prefix("Bearer "))
        .and_then(|t| state.jwt.verify(t.trim(), AUDIENCE_API).ok());
    if let Some(claims) = bearer {
        let (sid, uid) = (claims.sid.clone(), claims.sub.clone());
        let live = state.db.run(move |c| Session::is_live(c, &sid, &uid).map_err(ApiError::from)).await?;
        return Ok(live.then(|| format!("user:{}", claims.sub)));
    }
    if let Some(key) = req.header(crate::auth::api_key::HEADER) {
        let hash = sha256_hex(key);
        let h = hash.clone();
        let live = state.db.run(move |c| ApiKeyRow::live_by_hash(c, &h).map_err(ApiError::from)).await?;
        return Ok(live.map(|row| format!("key:{}", row.id)));
    }
    Ok(None)
}

/// What makes two requests "the same": method, path with query, active organisation, body.
fn fingerprint(req: &Request, body: &[u8]) -> String {
    let org = req.header("x-org-id").unwrap_or("");
    let target = req.original_uri().path_and_query().map_or("", |p| p.as_str());
    use sha2::{Digest, Sha256};
    // The body is hashed as bytes: uploads are binary, and a lossy text form could make two
    // different files look the same.
    let body_hash = data_encoding::HEXLOWER.encode(&Sha256::digest(body));
    sha256_hex(&format!("{}\n{}\n{}\n{body_hash}", req.method(), target, org))
}

fn claim(
    conn: &mut DbConn,
    scope: &str,
    key: &str,
    fingerprint: &str,
    at: NaiveDateTime,
) -> QueryResult<Claim> {
    diesel::delete(keys::table.filter(keys::created_at.lt(at - Duration::hours(TTL_HOURS)))).execute(conn)?;
    let existing: Option<(String, Option<i32>, String, String, NaiveDateTime)> = keys::table
        .find((scope, key))
        .select((
            keys::request_hash,
            keys::response_status,
            keys::response_headers,
            keys::response_body,
            keys::created_at,
        ))
        .first(conn)
        .optional()?;
    let Some((hash, status, headers, body, created_at)) = existing else {
        let inserted = diesel::insert_into(keys::table)
            .values((
                keys::scope.eq(scope),
                keys::idem_key.eq(key),
                keys::request_hash.eq(fingerprint),
                keys::response_headers.eq("[]"),
                keys::response_body.eq(""),
                keys::created_at.eq(at),
            ))
            .execute(conn);
        return match inserted {
            Ok(_) => Ok(Claim::Run),
            // A concurrent first request won the insert (PostgreSQL).
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => Ok(Claim::InFlight),
            Err(e) => Err(e),
        };
    };
    if hash != fingerprint {
        return Ok(Claim::Mismatch);
    }
    match status {
        Some(code) => Ok(Claim::Replay { status: u16::try_from(code).unwrap_or(500), headers, body }),
        None if created_at < at - Duration::seconds(STALE_AFTER_SECS) => {
            let taken =
                diesel::update(keys::table.find((scope, key)).filter(keys::created_at.eq(created_at)))
                    .set(keys::created_at.eq(at))
                    .execute(conn)?;
            Ok(if taken == 1 { Claim::Run } else { Claim::InFlight })
        }
        None => Ok(Claim::InFlight),
    }
}

fn store(
    conn: &mut DbConn,
    scope: &str,
    key: &str,
    status: i32,
    headers: &str,
    body: &str,
) -> Result<(), ApiError> {
    diesel::update(keys::table.find((scope, key)))
        .set((
            keys::response_status.eq(status),
            keys::response_headers.eq(headers),
            keys::response_body.eq(body),
        ))
        .execute(conn)?;
    Ok(())
}

fn release(conn: &mut DbConn, scope: &str, key: &str) -> Result<(), ApiError> {
    diesel::delete(keys::table.find((scope, key))).execute(conn)?;
    Ok(())
}

/// The response headers a replay repeats.
fn kept_headers(headers: &poem::http::HeaderMap) -> Vec<(String, String)> {
    ["content-type", "location", "cache-control"]
        .iter()
        .filter_map(|name| {
            headers.get(*name).and_then(|v| v.to_str().ok()).map(|v| ((*name).to_owned(), v.to_owned()))
        })
        .collect()
}

fn replay(status: u16, headers: &str, body: String) -> Response {
    let mut response = Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .body(body);
    let stored: Vec<(String, String)> = serde_json::from_str(headers).unwrap_or_default();
    for (name, value) in stored {
        if let (Ok(name), Ok(value)) =
            (poem::http::HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(&value))
        {
            response.headers_mut().insert(name, value);
        }
    }
    response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    response
}
