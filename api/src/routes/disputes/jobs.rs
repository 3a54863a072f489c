//! The `dispute_deadline` job: queued (in the transaction that set it) for the moment a case's
//! running deadline passes; fires `DeadlinePassed` as the system. A job whose deadline moved
//! meanwhile (the case went on) finds none passed and does nothing: the later deadline has its
//! own job.

use shared::domain::dispute::{DisputeActor, DisputeEvent, next_deadline_on};

use super::service::{DeadlineJob, act, load};
use crate::db::now;
use crate::error::ApiError;
use crate::state::AppState;

/// The payload of a case's deadline job.
pub fn deadline_payload(dispute_id: &str) -> DeadlineJob {
    DeadlineJob { dispute_id: dispute_id.to_owned() }
}

/// Fires the deadline of `dispute_id` if it has passed.
pub async fn deadline(state: &AppState, dispute_id: String) -> Result<(), ApiError> {
    let cache = state.calendar.clone();
    state
        .write(move |c, out| {
            let cal = cache.current(c)?;
            let at = now();
            let (_, case) = load(c, &dispute_id)?;
            let due = next_deadline_on(&case, &cal).map_err(|e| super::service::refused(&e))?;
            if due.is_none_or(|d| !d.has_passed(at.and_utc())) {
                return Ok(());
            }
            act(c, out, &dispute_id, DisputeEvent::DeadlinePassed, &DisputeActor::System, at, &cal)?;
            Ok(())
        })
        .await
}
