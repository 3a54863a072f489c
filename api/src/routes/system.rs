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

/// Prometheus text exposition.
#[handler]
pub fn metrics(state: Data<&AppState>) -> Response {
    state.metrics.render().with_content_type("text/plain; version=0.0.4").into_response()
}
