//! Tendering on a published demand (招投标): the tender and bid lifecycles, the evaluation
//! weights, the scoring sheet (评分表) and the prequalification report (资格预审).
//!
//! ```text
//!  Open ──close (deadline job, at/after the deadline)──▶ Closed ──award (poster)──▶ Awarded ──contract takes effect──▶ Signed
//!   │                                                     │                          │ 10 business days unsigned (job)
//!   └──cancel (poster)──▶ Cancelled ◀──cancel (poster)─────┘                          ▼
//!                                   ◀──cancel (poster)──────────────────────────── Lapsed ──award the next bid──▶ Awarded
//! ```
//!
//! Bids: `Submitted` (revised or withdrawn by the bidder before the deadline) → at close `Valid`
//! or `Disqualified` → on award one `Awarded`, the others `NotAwarded`; an award that lapses makes
//! its bid `AwardLapsed`, and a `NotAwarded` bid may then be awarded.
//!
//! Everything here is pure (load → decide here → persist in the API): times and dates are
//! parameters. Every refusal is a [`TenderRefusal`] whose `Display` is the English message the
//! API answers with and whose [`TenderRefusal::kind`] says which HTTP error it is.

pub mod lifecycle;
pub mod prequalification;
pub mod scoring;
pub mod weights;

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::calendar::CalendarError;
pub use crate::domain::market::RefusalKind;

/// Business days the winning bidder and the poster have to sign the contract after an award;
/// after that the award lapses.
pub const AWARD_SIGNING_BUSINESS_DAYS: u32 = 10;

/// Why a tender or bid event, or an award choice, is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TenderRefusal {
    /// Only a member of the posting organisation may fire this event (403).
    #[error("only the organisation that posted the tender can do this")]
    PosterOnly,
    /// Only the bidder may change its bid (403).
    #[error("only the bidder can change its bid")]
    BidderOnly,
    /// Only the platform's jobs fire this event: closing at the deadline, lapsing an award,
    /// recording a contract that took effect, judging bids at close (403).
    #[error("only the platform does this, when its time comes")]
    SystemOnly,
    /// The poster's own organisation bidding on its tender (403).
    #[error("an organisation cannot bid on its own tender")]
    OwnTender,
    /// The prequalification report blocks the bidder (403).
    #[error("the prequalification report does not allow this organisation to bid")]
    NotPrequalified,
    /// The bidder already has a live bid: revise it instead (409).
    #[error("this organisation has already bid; revise the bid instead")]
    AlreadyBid,
    /// Closing before the deadline (409).
    #[error("bidding is open until {0}")]
    BiddingStillOpen(DateTime<Utc>),
    /// Bidding, revising or withdrawing at or after the deadline, or on a tender not open (409).
    #[error("bidding has closed")]
    BiddingClosed,
    /// Closing a tender that is not open (409).
    #[error("only an open tender can be closed")]
    NotOpen,
    /// Awarding a tender that is still open or already awarded (409).
    #[error("the tender can be awarded only after bidding closes, or after an award lapses")]
    NotAwardable,
    /// Cancelling a tender with an award in force, or one that is signed (409).
    #[error("a tender with an award in force cannot be cancelled")]
    AwardInForce,
    /// Any event on a signed or cancelled tender (409).
    #[error("the tender is finished")]
    Finished,
    /// Awarding a bid that is not valid (withdrawn, disqualified, lapsed) (409).
    #[error("only a valid bid whose award has not lapsed can be awarded")]
    BidNotAwardable,
    /// Recording a contract or a lapse while no award is waiting for its contract (409).
    #[error("no award is waiting for its contract")]
    NoAwardPending,
    /// Lapsing an award before its signing period is over (409).
    #[error("the contract can still be signed until the end of {0}")]
    AwardNotLapsedYet(NaiveDate),
    /// The bid's state does not allow the event (409).
    #[error("a {} bid cannot {}", .state.as_str(), .action)]
    BidWrongState {
        /// The bid's state.
        state: lifecycle::BidState,
        /// What was attempted, e.g. `be revised`.
        action: &'static str,
    },
    /// Awarding before every evaluator has scored every valid bid (409).
    #[error("the scoring sheet is incomplete: technical marks are missing")]
    SheetIncomplete,
    /// Awarding a bid that is not on the scoring sheet (409).
    #[error("the bid is not on the scoring sheet")]
    BidNotOnSheet,
    /// The reason for not awarding the first-ranked bid is missing or of the wrong length (422 on
    /// `reason`: `required`, `too_short`, `too_long`).
    #[error("give a reason of 2 to 500 characters for not awarding the first-ranked bid")]
    AwardReason(&'static str),
    /// A date could not be computed (500).
    #[error("computing the signing deadline failed: {0}")]
    Calendar(CalendarError),
}

impl TenderRefusal {
    /// Which HTTP error it is.
    #[must_use]
    pub const fn kind(&self) -> RefusalKind {
        match self {
            Self::PosterOnly
            | Self::BidderOnly
            | Self::SystemOnly
            | Self::OwnTender
            | Self::NotPrequalified => RefusalKind::Forbidden,
            Self::AwardReason(issue) => RefusalKind::Field { field: "reason", issue },
            Self::Calendar(_) => RefusalKind::Internal,
            _ => RefusalKind::Conflict,
        }
    }
}

#[cfg(test)]
mod tests;
