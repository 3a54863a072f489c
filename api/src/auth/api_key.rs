//! Integrator API keys: `X-API-Key: gzk_…` authenticates as the key's organisation within the
//! key's scopes. Every use is written to the audit chain and stamps `last_used_at`.
//! [`OrgAuth`] accepts either an API key or a person's bearer token on organisation endpoints.

use poem::Request;
use poem_openapi::SecurityScheme;
use poem_openapi::auth::ApiKey;
use shared::dto::ApiKeyScope;
use shared::error::ErrorCode;

use crate::auth::crypto::sha256_hex;
use crate::auth::session::BearerAuth;
use crate::db::models::api_keys::ApiKeyRow;
use crate::db::models::audit::{self, AuditEvent};
use crate::db::{now, write_tx};
use crate::error::ApiError;
use crate::state::AppState;

/// The header that carries a key.
pub const HEADER: &str = "x-api-key";

/// Prefix of every key, so leaked keys are easy to recognise and scan for.
pub const KEY_PREFIX: &str = "gzk_";

/// The organisation an API key acts for, and what it may do.
#[derive(Debug, Clone)]
pub struct KeyPrincipal {
    /// Key id.
    pub key_id: String,
    /// The key's organisation.
    pub org_id: String,
    /// Granted scopes.
    pub scopes: Vec<ApiKeyScope>,
}

/// `X-API-Key: <secret>`.
#[derive(SecurityScheme)]
#[oai(ty = "api_key", key_name = "X-API-Key", key_in = "header", checker = "check_api_key")]
pub struct ApiKeyAuth(pub KeyPrincipal);

/// A person (bearer token, with `X-Org-Id`) or an integration (API key).
#[derive(SecurityScheme)]
pub enum OrgAuth {
    /// An integrator API key.
    ApiKey(ApiKeyAuth),
    /// A signed-in person.
    Bearer(BearerAuth),
}

async fn check_api_key(req: &Request, key: ApiKey) -> poem::Result<KeyPrincipal> {
    let state = req.data::<AppState>().ok_or_else(|| ApiError::internal("application state missing"))?;
    let refused = || ApiError::new(ErrorCode::Unauthenticated, "invalid or revoked API key");
    if !key.key.starts_with(KEY_PREFIX) || key.key.len() > 128 {
        return Err(refused().into());
    }
    let hash = sha256_hex(&key.key);
    let request_line = format!("{} {}", req.method(), req.uri().path());
    let ip = req.remote_addr().as_socket_addr().map(|a| a.ip().to_string());
    let row = state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                let Some(row) = ApiKeyRow::live_by_hash(c, &hash)? else { return Ok(None) };
                let at = now();
                ApiKeyRow::touch(c, &row.id, at)?;
                let event = AuditEvent {
                    actor_user_id: None,
                    actor_label: "api_key",
                    action: "api_key.used",
                    subject_type: "api_key",
                    subject_id: &row.id,
                    details: serde_json::json!({ "org_id": row.org_id, "request": request_line }),
                    ip: ip.as_deref(),
                };
                audit::append(c, &event, at)?;
                Ok::<_, ApiError>(Some(row))
            })
        })
        .await?
        .ok_or_else(refused)?;
    let scopes = serde_json::from_str::<Vec<String>>(&row.scopes)
        .unwrap_or_default()
        .iter()
        .filter_map(|s| ApiKeyScope::parse(s))
        .collect();
    Ok(KeyPrincipal { key_id: row.id, org_id: row.org_id, scopes })
}
