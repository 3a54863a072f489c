//! The dispute workflow (纠纷处理) as a state machine.
//!
//! ```text
//! AwaitingAssignment ──assign──▶ AwaitingResponse ──respond / 3 business days──▶ AwaitingMediation
//!         │ (respond early: straight to AwaitingMediation on assignment)               │ open / 5 business days
//!         ▼                                                                              ▼
//!   2 clock hours: escalated to an admin (SLA breach)                              InMediation
//!                                         agreement ◀──────────────────────────────┤ failed / 10 business days
//!                                             ▼                                      ▼
//!                                          Resolved ──close──▶ Closed ◀──close── Decided ◀──decision── InArbitration
//! Withdrawn: by the complainant from any state before Resolved / Decided.
//! ```
//!
//! [`transition`] applies an event fired by an actor at `now` and returns the new case or a typed
//! error; [`next_deadline`] says which deadline is running and what happens when it passes (the
//! system then fires [`DisputeEvent::DeadlinePassed`]). Escrow on the contract stays frozen until
//! the case is closed or withdrawn. Every accepted event is appended to the case's timeline.

pub mod award;
mod case;
mod deadline;
mod event;
mod transition;

use chrono::{DateTime, Utc};
use thiserror::Error;

pub use case::{
    Agreement, ArbitrationCase, ArbitrationDecision, DisputeCase, DisputeFiling, EscrowMovement,
    RespondentAnswer, SlaBreach, TimelineEntry, file,
};
pub use deadline::{Deadline, DeadlineConsequence, DeadlineKind, next_deadline, next_deadline_on};
pub use event::{DisputeActor, DisputeEvent, DisputeParty, EventKind, StaffRole};
pub use transition::{transition, transition_on};

use crate::domain::calendar::CalendarError;

/// Hours within which a mediator must be assigned.
pub const ASSIGNMENT_SLA_HOURS: u32 = 2;
/// Business days after filing within which the respondent must answer.
pub const RESPONSE_BUSINESS_DAYS: u32 = 3;
/// Business days after filing within which mediation must open.
pub const MEDIATION_OPENING_BUSINESS_DAYS: u32 = 5;
/// Business days mediation may run at most.
pub const MEDIATION_MAX_BUSINESS_DAYS: u32 = 10;

crate::stored_enum! {
    /// Where a dispute stands.
    pub enum DisputeState in "disputes.state" {
        /// Filed; no mediator yet.
        AwaitingAssignment = "awaiting_assignment",
        /// Mediator assigned; waiting for the respondent's answer.
        AwaitingResponse = "awaiting_response",
        /// Answered (or the respondent was marked non-responsive); mediation not yet open.
        AwaitingMediation = "awaiting_mediation",
        /// Online mediation is running.
        InMediation = "in_mediation",
        /// Mediation failed or timed out; the case is with an arbitration institution.
        InArbitration = "in_arbitration",
        /// Settled by agreement in mediation; escrow movements to execute, then close.
        Resolved = "resolved",
        /// Arbitration decision recorded; execute it, then close.
        Decided = "decided",
        /// Done (terminal).
        Closed = "closed",
        /// Withdrawn by the complainant (terminal).
        Withdrawn = "withdrawn",
    }
}

impl DisputeState {
    /// Whether nothing can happen any more.
    #[must_use]
    pub const fn is_terminal(self) -> bool {
        matches!(self, Self::Closed | Self::Withdrawn)
    }

    /// Whether the complainant may still withdraw (before any resolution or decision).
    #[must_use]
    pub const fn allows_withdrawal(self) -> bool {
        matches!(
            self,
            Self::AwaitingAssignment
                | Self::AwaitingResponse
                | Self::AwaitingMediation
                | Self::InMediation
                | Self::InArbitration
        )
    }
}

/// Why an event was refused.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum DisputeError {
    /// The event cannot happen in the current state.
    #[error("{event:?} is not possible while the dispute is {state:?}")]
    InvalidTransition {
        /// The event.
        event: EventKind,
        /// The current state.
        state: DisputeState,
    },
    /// The actor may not fire this event on this case.
    #[error("this actor may not fire {0:?} on this dispute")]
    NotPermitted(EventKind),
    /// The system fired a deadline that has not passed yet.
    #[error("the running deadline only passes at {0}")]
    DeadlineNotReached(DateTime<Utc>),
    /// The system fired a deadline while none is running.
    #[error("no deadline is running")]
    NoDeadlineRunning,
    /// `now` is earlier than the last entry of the timeline.
    #[error("the event is dated before the last timeline entry")]
    ClockWentBackwards,
    /// A required text is blank.
    #[error("{0} must not be blank")]
    Blank(&'static str),
    /// A money amount is not allowed (negative claim, non-positive movement).
    #[error("amount {0} fen is not allowed here")]
    InvalidAmount(i64),
    /// Complainant and respondent are the same organisation.
    #[error("an organisation cannot file a dispute against itself")]
    SameParties,
    /// The respondent has already answered.
    #[error("the respondent has already answered")]
    AlreadyAnswered,
    /// A decision needs the arbitration case registered first.
    #[error("register the arbitration institution and case number first")]
    ArbitrationNotRegistered,
    /// A deadline could not be computed.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

impl DisputeError {
    /// Stable snake_case code for API error envelopes.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::InvalidTransition { .. } => "dispute_invalid_transition",
            Self::NotPermitted(_) => "forbidden",
            Self::DeadlineNotReached(_) => "dispute_deadline_not_reached",
            Self::NoDeadlineRunning => "dispute_no_deadline_running",
            Self::ClockWentBackwards => "dispute_clock_went_backwards",
            Self::Blank(_) | Self::InvalidAmount(_) | Self::SameParties => "validation_failed",
            Self::AlreadyAnswered => "dispute_already_answered",
            Self::ArbitrationNotRegistered => "dispute_arbitration_not_registered",
            Self::Calendar(error) => error.code(),
        }
    }
}

#[cfg(test)]
mod tests;
