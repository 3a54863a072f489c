//! The market's lifecycles: demands, projects and listings, as pure state machines (load →
//! decide here → persist in the API). Every refusal is a [`Refusal`]; its `Display` is the
//! English message the API answers with, and [`Refusal::kind`] says which HTTP error it is.

pub mod demand;
pub mod listing;
pub mod project;

use crate::domain::calendar::CalendarError;
use crate::domain::standing::TransactRefusal;

/// What sort of error a refusal is at the API edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalKind {
    /// The object's state does not allow it (409 `conflict`).
    Conflict,
    /// The actor may not do it (403 `forbidden`).
    Forbidden,
    /// The object is not visible to the actor (404 `not_found`).
    NotFound,
    /// A field of the request is wrong for the object's state (422 `validation_failed`).
    Field {
        /// The request field.
        field: &'static str,
        /// The issue code.
        issue: &'static str,
    },
    /// The platform cannot compute it (500 `internal`).
    Internal,
}

/// Why a market lifecycle refuses an event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Editing a demand that is neither a draft nor rejected.
    #[error("only a draft or rejected demand can be changed")]
    DemandNotEditable,
    /// Submitting a demand that is neither a draft nor rejected.
    #[error("only a draft or rejected demand can be submitted")]
    DemandNotSubmittable,
    /// A concurrent submission moved the demand first.
    #[error("the demand was submitted already")]
    DemandSubmittedAlready,
    /// Submitting a demand whose deadline is today or past.
    #[error("the deadline has passed")]
    DeadlinePassed,
    /// Closing a demand that is not published.
    #[error("only a published demand can be closed")]
    DemandNotClosable,
    /// Inviting to a demand that is not published.
    #[error("only a published demand takes invitations")]
    DemandNotInviting,
    /// Inviting an organisation that is not on the ranked list.
    #[error("invite organisations from the ranked list")]
    NotRecommended,
    /// Inviting an organisation twice.
    #[error("this organisation is invited already")]
    InvitedAlready,
    /// Answering an invitation to a demand that is no longer published.
    #[error("the demand is no longer open")]
    DemandNoLongerOpen,
    /// Answering an invitation twice.
    #[error("this invitation has been answered already")]
    InvitationAnsweredAlready,
    /// Reviewing a demand that is not waiting for review.
    #[error("this demand is not waiting for review")]
    DemandNotPendingReview,
    /// A concurrent review decided first.
    #[error("this demand has been reviewed already")]
    DemandReviewedAlready,
    /// An operator reviewing their own organisation's demand.
    #[error("an operator may not review their own organisation's demand")]
    OwnDemandReview,
    /// The organisation may not transact (unverified or suspended).
    #[error("{}", standing_message(*.0))]
    Standing(TransactRefusal),
    /// The review deadline cannot be computed.
    #[error("computing the review deadline failed: {0}")]
    Calendar(CalendarError),
    /// Changing a closed project.
    #[error("a closed project cannot be changed")]
    ProjectClosed,
    /// Asking a question on a closed project.
    #[error("the project is closed to questions")]
    ProjectClosedToQuestions,
    /// A project that is not public (a draft) seen from outside its organisation.
    #[error("project not found")]
    ProjectNotPublic,
    /// Publishing or closing a project from the wrong state.
    #[error("only a {} project can become {}", .from.as_str(), .to.as_str())]
    ProjectWrongState {
        /// The state the move starts from.
        from: crate::dto::ProjectStatus,
        /// The state it would reach.
        to: crate::dto::ProjectStatus,
    },
    /// Changing a withdrawn listing.
    #[error("a withdrawn listing cannot be changed")]
    ListingWithdrawn,
}

fn standing_message(refusal: TransactRefusal) -> &'static str {
    match refusal {
        TransactRefusal::Suspended => "the organisation is suspended by the platform",
        TransactRefusal::NotVerified => {
            "only verified organisations can do this; complete real-name verification first"
        }
    }
}

impl Refusal {
    /// Which HTTP error it is.
    pub fn kind(&self) -> RefusalKind {
        match self {
            Self::OwnDemandReview | Self::Standing(_) => RefusalKind::Forbidden,
            Self::ProjectNotPublic => RefusalKind::NotFound,
            Self::DeadlinePassed => RefusalKind::Field { field: "deadline", issue: "not_in_future" },
            Self::NotRecommended => RefusalKind::Field { field: "org_id", issue: "not_recommended" },
            Self::Calendar(_) => RefusalKind::Internal,
            _ => RefusalKind::Conflict,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::ProjectStatus;

    #[test]
    fn a_refusal_says_the_message_the_api_always_sent() {
        assert_eq!(
            Refusal::ProjectWrongState { from: ProjectStatus::Draft, to: ProjectStatus::Published }
                .to_string(),
            "only a draft project can become published"
        );
        assert_eq!(
            Refusal::Standing(TransactRefusal::Suspended).to_string(),
            "the organisation is suspended by the platform"
        );
        assert_eq!(Refusal::DemandNotEditable.kind(), RefusalKind::Conflict);
        assert_eq!(Refusal::OwnDemandReview.kind(), RefusalKind::Forbidden);
    }
}
