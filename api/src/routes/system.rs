//! Operational endpoints outside the versioned API: liveness, readiness, Prometheus metrics.

use diesel::connection::SimpleConnection;
use poem::http::StatusCode;
use poem::web::Data;
use poem::{IntoResponse, Response, handler};

use crate::state::AppState;

/// Liveness: the process answers.
#[handler]
pub fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the database answers a query.
#[handler]
pub async fn readyz(state: Data<&AppState>) -> Response {
    let ready = state.db.run(|c| c.batch_execute("SELECT 1").map_err(crate::db::DbError::from)).await;
    match ready {
        Ok(()) => "ready".into_response(),
        Err(e) => {
            tracing::warn!("readiness check failed: {e}");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// Prometheus text exposition, for `Authorization: Bearer <metrics_token>` only (401 without
/// it); 404 when no `metrics_token` is configured.
#[handler]
pub fn metrics(state: Data<&AppState>, req: &poem::Request) -> Response {
    let token = state.config.metrics_token.as_str();
    let presented = req.header("authorization").and_then(|h| h.strip_prefix("Bearer ")).map(str::trim);
    if token.is_empty() {
        return crate::error::envelope_for(poem::Error::from_status(StatusCode::NOT_FOUND));
    }
    let allowed = presented.is_some_and(|p| {
        crate::auth::crypto::constant_time_eq(
            &crate::auth::crypto::sha256_hex(p),
            &crate::auth::crypto::sha256_hex(token),
        )
    });
    if !allowed {
        return crate::error::envelope_for(poem::Error::from_status(StatusCode::UNAUTHORIZED));
    }
    state.metrics.render().with_content_type("text/plain; version=0.0.4").into_response()
}
