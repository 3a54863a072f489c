//! The credit jobs: the monthly run over every organisation (it stores the month's platform
//! prior, which event recomputes that month use), and the recompute of one
//! organisation queued by an event (a risk case opened or cleared, a contract completed) in
//! that event's transaction.

use serde::{Deserialize, Serialize};
use shared::domain::calendar::shanghai::business_date;
use shared::domain::credit::CreditConfig;
use shared::dto::CreditTrigger;

use super::service::{BATCH, assess_batch, platform_mean, recompute as recompute_one};
use crate::db::models::credit::{all_org_ids, store_prior};
use crate::db::{DbConn, now};
use crate::error::ApiError;
use crate::jobs::{JobKind, enqueue};
use crate::state::AppState;

/// Payload of a `credit_recompute` job.
#[derive(Debug, Serialize, Deserialize)]
pub struct RecomputeJob {
    /// The organisation.
    pub org_id: String,
}

/// Queues a recompute of `org_id`, due now, in the caller's transaction.
pub fn queue_recompute(conn: &mut DbConn, org_id: &str) -> Result<(), ApiError> {
    let payload =
        serde_json::to_string(&RecomputeJob { org_id: org_id.to_owned() }).map_err(ApiError::internal)?;
    enqueue(conn, JobKind::CreditRecompute, &payload, now())?;
    Ok(())
}

/// One `credit_recompute` job.
pub async fn recompute(state: &AppState, org_id: String) -> Result<(), ApiError> {
    let config = super::config(state);
    let id = org_id.clone();
    let changed = state.write(move |c, out| recompute_one(c, out, &id, &config, now())).await?;
    if changed {
        state.org_changed(&org_id).await;
    }
    Ok(())
}

/// The monthly run: every organisation in batches, each batch in its own write transaction
/// (a failed batch fails the run, which the runner retries; batches already written stay, and
/// the retry rewrites nothing that did not change). Returns how many organisations' published
/// credit changed.
pub async fn monthly(state: &AppState) -> Result<usize, ApiError> {
    let at = now();
    let today = business_date(at.and_utc());
    let month = shared::domain::credit::month_of(at.and_utc());
    let (ids, prior) = state
        .write(move |c, _| {
            let prior = platform_mean(c, today)?;
            store_prior(c, &month, prior, at)?;
            Ok::<_, ApiError>((all_org_ids(c)?, prior))
        })
        .await?;
    let config = CreditConfig { platform_mean_rating: prior, ..super::config(state) };
    let mut changed = 0;
    for batch in ids.chunks(BATCH) {
        let batch = batch.to_vec();
        let orgs = state
            .write(move |c, out| assess_batch(c, out, &batch, &config, CreditTrigger::Monthly, at))
            .await?;
        changed += orgs.len();
        state.orgs_changed(orgs).await;
    }
    tracing::info!("monthly credit: {} organisations assessed, {changed} changed", ids.len());
    Ok(changed)
}
