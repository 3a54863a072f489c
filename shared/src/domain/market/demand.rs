//! A demand's lifecycle: draft → (submit) → pending_review → (review) → published / rejected →
//! closed. Certified and VIP organisations publish at once on submission; a rejected demand is
//! edited and submitted again. Invitations go out only on a published demand, and an invitation
//! is answered once, while its demand is published. The platform review is due within
//! [`REVIEW_SLA_BUSINESS_DAYS`] business days.

use chrono::{DateTime, NaiveDate, Utc};

use super::Refusal;
use crate::domain::calendar::shanghai::business_date;
use crate::domain::calendar::{BusinessCalendar, Coverage, Reckoned};
use crate::domain::membership::MembershipTier;
use crate::domain::standing::TransactRefusal;
use crate::dto::{DemandStatus, InvitationAnswer};

/// Business days the platform review may take.
pub const REVIEW_SLA_BUSINESS_DAYS: u32 = 2;

/// Who fires a demand event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemandActor {
    /// A member of the posting organisation (edits, submits, closes).
    Poster,
    /// A platform operator (reviews); `member_of_poster` when they also belong to the poster.
    Operator {
        /// Whether the operator is a member of the posting organisation.
        member_of_poster: bool,
    },
}

/// Something that happens to a demand.
#[derive(Debug, Clone, Copy)]
pub enum DemandEvent<'a> {
    /// The poster changes its fields.
    Edit,
    /// The poster submits it for publication.
    Submit {
        /// The poster's membership tier (Certified and VIP skip the review).
        tier: MembershipTier,
        /// Whether the poster may transact now.
        standing: Result<(), TransactRefusal>,
        /// The demand's answer deadline.
        deadline: NaiveDate,
        /// The business calendar the review deadline is counted in.
        calendar: &'a BusinessCalendar,
    },
    /// An operator decides a review.
    Review {
        /// Publish (`true`) or reject.
        approve: bool,
    },
    /// The poster closes it.
    Close,
}

/// What else changes with the state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemandEffect {
    /// Nothing but the fields the event carries.
    None,
    /// Publication: matching runs, the ranked list is kept and the best are invited.
    Publish,
    /// Waits for review, due at this instant (with whether official holiday data covered it).
    AwaitReview(Reckoned<DateTime<Utc>>),
    /// The review refused it (the reason is stored).
    Reject,
}

/// The outcome of an event: the next state and its effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemandStep {
    /// The state after the event.
    pub status: DemandStatus,
    /// What else changes.
    pub effect: DemandEffect,
}

impl DemandStep {
    const fn to(status: DemandStatus, effect: DemandEffect) -> Self {
        Self { status, effect }
    }
}

/// Applies `event`, fired by `actor` at `now`, to a demand in `current`.
///
/// # Errors
/// The [`Refusal`] saying why the event cannot happen: the wrong state, an operator reviewing
/// their own organisation's demand, a poster that may not transact, a deadline that has passed.
pub fn transition(
    current: DemandStatus,
    event: DemandEvent<'_>,
    actor: DemandActor,
    now: DateTime<Utc>,
) -> Result<DemandStep, Refusal> {
    match (event, actor) {
        (DemandEvent::Edit, DemandActor::Poster) => {
            if current.editable() {
                Ok(DemandStep::to(current, DemandEffect::None))
            } else {
                Err(Refusal::DemandNotEditable)
            }
        }
        (DemandEvent::Submit { tier, standing, deadline, calendar }, DemandActor::Poster) => {
            if !current.editable() {
                return Err(Refusal::DemandNotSubmittable);
            }
            standing.map_err(Refusal::Standing)?;
            if deadline <= business_date(now) {
                return Err(Refusal::DeadlinePassed);
            }
            if tier.publishes_without_review() {
                Ok(DemandStep::to(DemandStatus::Published, DemandEffect::Publish))
            } else {
                let due = review_due(calendar, now)?;
                Ok(DemandStep::to(DemandStatus::PendingReview, DemandEffect::AwaitReview(due)))
            }
        }
        (DemandEvent::Review { approve }, DemandActor::Operator { member_of_poster }) => {
            if member_of_poster {
                return Err(Refusal::OwnDemandReview);
            }
            match (current, approve) {
                (DemandStatus::PendingReview, true) => {
                    Ok(DemandStep::to(DemandStatus::Published, DemandEffect::Publish))
                }
                (DemandStatus::PendingReview, false) => {
                    Ok(DemandStep::to(DemandStatus::Rejected, DemandEffect::Reject))
                }
                _ => Err(Refusal::DemandNotPendingReview),
            }
        }
        (DemandEvent::Close, DemandActor::Poster) => match current {
            DemandStatus::Published => Ok(DemandStep::to(DemandStatus::Closed, DemandEffect::None)),
            _ => Err(Refusal::DemandNotClosable),
        },
        (DemandEvent::Review { .. }, DemandActor::Poster) => Err(Refusal::DemandNotPendingReview),
        (DemandEvent::Edit, DemandActor::Operator { .. }) => Err(Refusal::DemandNotEditable),
        (DemandEvent::Submit { .. }, DemandActor::Operator { .. }) => Err(Refusal::DemandNotSubmittable),
        (DemandEvent::Close, DemandActor::Operator { .. }) => Err(Refusal::DemandNotClosable),
    }
}

/// Whether the poster may invite one more organisation: the demand is published, the
/// organisation is on its ranked list (`recommended`) and not invited yet.
///
/// # Errors
/// [`Refusal::DemandNotInviting`], [`Refusal::NotRecommended`] or [`Refusal::InvitedAlready`].
pub fn may_invite(current: DemandStatus, recommended: bool, invited_already: bool) -> Result<(), Refusal> {
    if current != DemandStatus::Published {
        Err(Refusal::DemandNotInviting)
    } else if !recommended {
        Err(Refusal::NotRecommended)
    } else if invited_already {
        Err(Refusal::InvitedAlready)
    } else {
        Ok(())
    }
}

/// Whether an invitation standing at `answer` may be answered now that its demand is in
/// `demand`: only while the demand is published and the invitation unanswered.
///
/// # Errors
/// [`Refusal::DemandNoLongerOpen`] or [`Refusal::InvitationAnsweredAlready`].
pub fn may_answer(demand: DemandStatus, answer: InvitationAnswer) -> Result<(), Refusal> {
    if demand != DemandStatus::Published {
        Err(Refusal::DemandNoLongerOpen)
    } else if answer != InvitationAnswer::Pending {
        Err(Refusal::InvitationAnsweredAlready)
    } else {
        Ok(())
    }
}

/// The deadline of a review submitted at `submitted`: the end (Shanghai time) of the
/// [`REVIEW_SLA_BUSINESS_DAYS`]th business day after it, with whether official holiday data
/// covered the days counted.
///
/// # Errors
/// [`Refusal::Calendar`] when the date leaves the representable range.
pub fn review_due(
    calendar: &BusinessCalendar,
    submitted: DateTime<Utc>,
) -> Result<Reckoned<DateTime<Utc>>, Refusal> {
    calendar.business_deadline(submitted, REVIEW_SLA_BUSINESS_DAYS).map_err(Refusal::Calendar)
}

/// Whether a demand's shown review deadline is an estimate (counted over days without official
/// holiday data); `false` when no review deadline runs.
///
/// # Errors
/// [`Refusal::Calendar`] as [`review_due`].
pub fn calendar_estimated(
    calendar: &BusinessCalendar,
    review_due_at: Option<DateTime<Utc>>,
    submitted_at: Option<DateTime<Utc>>,
) -> Result<bool, Refusal> {
    match (review_due_at, submitted_at) {
        (Some(_), Some(submitted)) => Ok(review_due(calendar, submitted)?.coverage != Coverage::Official),
        _ => Ok(false),
    }
}

#[cfg(test)]
mod tests;
