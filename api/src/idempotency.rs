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
//!
//! Money-moving POSTs ([`MONEY_ROUTES`]) work differently, so that a request killed mid-way
//! never leaves a key stuck: the key is required (400 `idempotency_key_required` without it),
//! and the middleware only hands a [`MoneyKey`] to the operation, which claims it *inside its own
//! write transaction* ([`MoneyKey::claim`]) together with the postings and records the id of
//! what it created ([`MoneyKey::record`]). Either both commit or neither does. A retry finds the
//! claim and answers with the current view of what the first request created
//! (`Idempotent-Replayed: true`) — never a second movement; a different request with the key
//! answers 422 `idempotency_mismatch`.

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

/// The money-moving operations (POST; `*` stands for one path segment).
pub const MONEY_ROUTES: &[&str] = &[
    "/api/v1/contracts/*/funding-requests",
    "/api/v1/contracts/*/acceptances/*/answers",
    "/api/v1/finance/bank-statements",
    "/api/v1/finance/statement-lines/*/resolution",
    "/api/v1/orgs/*/payouts",
    "/api/v1/orgs/*/payouts/*/cancellation",
    "/api/v1/finance/payouts/*/decision",
    "/api/v1/disputes/*/agreement/signatures",
    "/api/v1/disputes/*/award/payments",
    "/api/v1/disputes/*/award/recovery-payments",
    "/api/v1/finance/dispute-awards/*/compensation",
    "/api/v1/finance/dispute-awards/*/compensation/decision",
];

/// Whether a POST to `path` moves money.
pub fn is_money_route(path: &str) -> bool {
    let path = path.trim_end_matches('/');
    MONEY_ROUTES.iter().any(|pattern| {
        let (mut a, mut b) = (pattern.split('/'), path.split('/'));
        loop {
            match (a.next(), b.next()) {
                (None, None) => return true,
                (Some("*"), Some(seg)) if !seg.is_empty() => {}
                (Some(p), Some(seg)) if p == seg => {}
                _ => return false,
            }
        }
    })
}

/// The key of a money-moving request, claimed inside the operation's transaction.
#[derive(Debug, Clone)]
pub struct MoneyKey {
    scope: String,
    key: String,
    fingerprint: String,
    replayed: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl MoneyKey {
    /// Claims the key in the caller's write transaction: `None` when this request is the first
    /// (run it, then [`MoneyKey::record`]); `Some(id)` of what the first request created when it
    /// is a retry (answer with its current view).
    ///
    /// # Errors
    /// 422 `idempotency_mismatch` when the key was used for another request.
    pub fn claim(&self, conn: &mut DbConn) -> Result<Option<String>, ApiError> {
        crate::db::models::audit::serialise(conn)?;
        let at = now();
        diesel::delete(keys::table.filter(keys::created_at.lt(at - Duration::hours(TTL_HOURS))))
            .execute(conn)?;
        let existing: Option<(String, String)> = keys::table
            .find((&self.scope, &self.key))
            .select((keys::request_hash, keys::response_body))
            .first(conn)
            .optional()?;
        match existing {
            Some((hash, _)) if hash != self.fingerprint => Err(ApiError::new(
                ErrorCode::IdempotencyMismatch,
                "this Idempotency-Key was used for a different request",
            )
            .with_detail("Idempotency-Key", "reused")),
            Some((_, created)) => {
                self.replayed.store(true, std::sync::atomic::Ordering::Relaxed);
                Ok(Some(created))
            }
            None => {
                diesel::insert_into(keys::table)
                    .values((
                        keys::scope.eq(&self.scope),
                        keys::idem_key.eq(&self.key),
                        keys::request_hash.eq(&self.fingerprint),
                        keys::response_status.eq(Some(0)),
                        keys::response_headers.eq("[\"money\"]"),
                        keys::response_body.eq(""),
                        keys::created_at.eq(at),
                    ))
                    .execute(conn)?;
                Ok(None)
            }
        }
    }

    /// Records the id of what the first request created, in the same transaction as the claim.
    ///
    /// # Errors
    /// A database error.
    pub fn record(&self, conn: &mut DbConn, created: &str) -> Result<(), ApiError> {
        diesel::update(keys::table.find((&self.scope, &self.key)))
            .set(keys::response_body.eq(created))
            .execute(conn)?;
        Ok(())
    }
}

/// The [`MoneyKey`] the middleware handed to a money-moving operation.
///
/// # Errors
/// 400 `idempotency_key_required` when there is none (the route is missing from
/// [`MONEY_ROUTES`], or the request came without a key and past the middleware).
pub fn money_key(req: &Request) -> Result<MoneyKey, ApiError> {
    req.extensions().get::<MoneyKey>().cloned().ok_or_else(|| {
        ApiError::new(
            ErrorCode::IdempotencyKeyRequired,
            "this request moves money: send an Idempotency-Key header",
        )
        .with_detail("Idempotency-Key", "required")
    })
}

/// The middleware's part for a money-moving POST (see the module doc).
async fn money<E: Endpoint>(next: E, mut req: Request, state: AppState) -> Result<Response> {
    let Some(key) = req.header(HEADER).map(str::to_owned) else {
        return Ok(ApiError::new(
            ErrorCode::IdempotencyKeyRequired,
            "this request moves money: send an Idempotency-Key header (a unique value per intended \
             operation, reused on retries)",
        )
        .with_detail("Idempotency-Key", "required")
        .into_response());
    };
    if let Some(invalid) = invalid_key(&key) {
        return Ok(invalid);
    }
    let Some(scope) = scope_of(&req, &state).await? else {
        return next.call(req).await.map(IntoResponse::into_response);
    };
    let body = req.take_body().into_bytes().await?;
    let fingerprint = fingerprint(&req, &body);
    req.set_body(body);
    let replayed = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    req.extensions_mut().insert(MoneyKey { scope, key, fingerprint, replayed: replayed.clone() });
    let mut response = match next.call(req).await {
        Ok(resp) => resp.into_response(),
        Err(err) => crate::error::envelope_for(err),
    };
    if replayed.load(std::sync::atomic::Ordering::Relaxed) {
        response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(response)
}

fn invalid_key(key: &str) -> Option<Response> {
    if key.is_empty() || key.len() > MAX_KEY_LEN || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Some(
            ApiError::field(
                "Idempotency-Key",
                "invalid",
                format!("Idempotency-Key must be 1–{MAX_KEY_LEN} visible ASCII characters"),
            )
            .into_response(),
        );
    }
    None
}

/// The middleware (see the module doc).
pub async fn idempotent<E: Endpoint>(next: E, mut req: Request) -> Result<Response> {
    if req.method() != Method::POST {
        return next.call(req).await.map(IntoResponse::into_response);
    }
    if is_money_route(req.original_uri().path())
        && let Some(state) = req.data::<AppState>().cloned()
    {
        return money(next, req, state).await;
    }
    let Some(key) = req.header(HEADER).map(str::to_owned) else {
        return next.call(req).await.map(IntoResponse::into_response);
    };
    if let Some(invalid) = invalid_key(&key) {
        return Ok(invalid);
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
