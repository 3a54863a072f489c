//! The quarterly membership review (1st of January, April, July and October, 01:00
//! Asia/Shanghai): every organisation's tier re-checked in batches of [`BATCH`], each batch in
//! its own write transaction. A rerun in the same quarter (the runner's retry after a failed
//! batch, or a second process) moves no organisation the first run already moved: an
//! organisation with a `quarterly_review` change since the quarter began is skipped, and for
//! the others the review reads the same two quarters before the current one.

use shared::domain::calendar::shanghai::{business_date, start_of_day};
use shared::domain::membership::quarter_start;
use shared::dto::TierTriggerKind;

use super::service::apply_to;
use crate::db::models::membership::{MemberStanding, MembershipChangeRow, standings_after};
use crate::db::now;
use crate::error::ApiError;
use crate::state::AppState;

/// Organisations per transaction.
pub const BATCH: i64 = 200;

/// Reviews every organisation; returns how many tiers changed.
pub async fn quarterly(state: &AppState) -> Result<usize, ApiError> {
    let at = now();
    let began = start_of_day(quarter_start(business_date(at.and_utc()))).naive_utc();
    let mut after = String::new();
    let mut changed = 0;
    loop {
        let from = after.clone();
        let batch: Vec<MemberStanding> =
            state.db.run(move |c| standings_after(c, &from, BATCH).map_err(ApiError::from)).await?;
        let Some(last) = batch.last().map(|s| s.id.clone()) else { break };
        let moved = state
            .write(move |c, out| {
                let ids: Vec<String> = batch.iter().map(|s| s.id.clone()).collect();
                let done = MembershipChangeRow::reviewed_since(c, &ids, began)?;
                let due: Vec<MemberStanding> = batch.into_iter().filter(|s| !done.contains(&s.id)).collect();
                apply_to(c, out, &due, TierTriggerKind::QuarterlyReview, at)
            })
            .await?;
        changed += moved.len();
        for org in moved {
            state.org_changed(&org).await;
        }
        after = last;
    }
    tracing::info!("quarterly membership review: {changed} tiers changed");
    Ok(changed)
}
