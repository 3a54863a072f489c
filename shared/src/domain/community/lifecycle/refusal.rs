//! Why a community lifecycle refused an event. Each refusal has a kind (which HTTP status the
//! server answers with), a stable English message (the API's `message`) and, for some, a field
//! detail (the API's `details`).

/// What sort of refusal: the server maps it to 403, 404 or 409.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalKind {
    /// The caller may not fire this event (403 `forbidden`).
    Forbidden,
    /// What the event acts on is not there (404 `not_found`).
    NotFound,
    /// The object is not in a state that allows the event (409 `conflict`).
    WrongState,
}

/// A refused community event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    // Events and sign-ups.
    /// The event was called off.
    #[error("this event was called off")]
    EventCalledOff,
    /// The event has started: no more sign-ups, cancellations or calling off.
    #[error("this event has already started")]
    EventStarted,
    /// The summary waits for the end.
    #[error("the summary is written after the event has ended")]
    EventNotEnded,
    /// Signed up already.
    #[error("you have already signed up")]
    AlreadySignedUp,
    /// Nothing to cancel.
    #[error("you have not signed up")]
    NotSignedUp,
    /// Only the host or an admin writes the summary.
    #[error("only the host or an admin writes the summary")]
    NotHostToSummarise,
    /// Only the host or an admin calls an event off.
    #[error("only the host or an admin calls it off")]
    NotHostToCallOff,

    // Rewards.
    /// No stock left.
    #[error("this reward is out of stock")]
    OutOfStock,
    /// The balance does not cover the cost.
    #[error("not enough points: the reward costs {cost}, the balance is {balance}")]
    NotEnoughPoints {
        /// The reward's cost.
        cost: i64,
        /// The person's balance.
        balance: i64,
    },
    /// Cancelling after hand-over (or twice).
    #[error("only a redemption not yet handed over can be cancelled")]
    RedemptionNotCancellable,
    /// Fulfilling twice, or a cancelled one.
    #[error("this redemption was already fulfilled or cancelled")]
    RedemptionDecided,

    // Reports, sanctions and appeals.
    /// The report is not open any more.
    #[error("the report was already handled")]
    ReportHandled,
    /// Sanctioning oneself, an equal or a higher role.
    #[error("you may sanction members below your role only")]
    SanctionAbove,
    /// The sanction was lifted already.
    #[error("the sanction was already overturned")]
    SanctionOverturned,
    /// One appeal per sanction.
    #[error("this sanction was already appealed")]
    AlreadyAppealed,
    /// The appeal is not pending any more.
    #[error("the appeal was already decided")]
    AppealDecided,
    /// The admin who applied the sanction does not decide its appeal (unless alone).
    #[error("another admin decides an appeal against your sanction")]
    OwnSanction,

    // Groups.
    /// Joining a group one belongs to.
    #[error("you are already a member of this group")]
    AlreadyMember,
    /// Applying while an application waits.
    #[error("your application is waiting for the admins")]
    ApplicationPending,
    /// Removed by the admins and not invited back.
    #[error("the group's admins removed you")]
    RemovedFromGroup,
    /// An invite-only group without an invitation.
    #[error("this group admits invited people only")]
    InviteOnly,
    /// Deciding an application twice.
    #[error("the application was already decided")]
    ApplicationDecided,
    /// Inviting a contact twice.
    #[error("this contact was already invited")]
    AlreadyInvited,
    /// Inviting a member.
    #[error("this person is already a member")]
    InviteeIsMember,
    /// The owner hands the group over before leaving.
    #[error("the owner cannot leave the group")]
    OwnerCannotLeave,

    // Polls, surveys and feedback.
    /// Voting after the deadline.
    #[error("{0}")]
    PollClosed(String),
    /// One ballot per person.
    #[error("you have already voted")]
    AlreadyVoted,
    /// Answering after the survey closed.
    #[error("this survey has closed")]
    SurveyClosed,
    /// One response per person.
    #[error("you have responded to this survey")]
    AlreadyResponded,
    /// One feedback per group and week.
    #[error("you have given feedback to this group this week")]
    FeedbackGiven,

    // Posts and replies.
    /// Replying to a held post.
    #[error("the post is held for review")]
    PostHeld,
    /// Curating a held post.
    #[error("review the held post first")]
    ReviewHeldFirst,
    /// Reviewing a post that is not held.
    #[error("the post is not held")]
    PostNotHeld,
    /// Reviewing a reply that is not held.
    #[error("the reply is not held")]
    ReplyNotHeld,
    /// Only the asker accepts an answer.
    #[error("only the asker accepts an answer")]
    NotTheAsker,
    /// Accepting an answer to a discussion or announcement.
    #[error("only a question has an accepted answer")]
    NotAQuestion,
    /// Accepting twice.
    #[error("an answer was already accepted")]
    AnswerAlreadyAccepted,
    /// The author deleting an accepted answer.
    #[error("an accepted answer stays; ask an admin")]
    AcceptedAnswerStays,
}

impl Refusal {
    /// Which status the server answers with.
    #[must_use]
    pub fn kind(&self) -> RefusalKind {
        match self {
            Self::NotHostToSummarise
            | Self::NotHostToCallOff
            | Self::SanctionAbove
            | Self::OwnSanction
            | Self::RemovedFromGroup
            | Self::InviteOnly
            | Self::NotTheAsker => RefusalKind::Forbidden,
            Self::NotSignedUp => RefusalKind::NotFound,
            _ => RefusalKind::WrongState,
        }
    }

    /// The field detail the API adds (`field`, `issue`), where there is one.
    #[must_use]
    pub fn detail(&self) -> Option<(&'static str, &'static str)> {
        match self {
            Self::OutOfStock => Some(("reward_id", "out_of_stock")),
            Self::NotEnoughPoints { .. } => Some(("cost", "not_enough_points")),
            Self::SanctionAbove => Some(("user_id", "group_role")),
            Self::OwnSanction => Some(("id", "own_sanction")),
            Self::RemovedFromGroup => Some(("group_id", "removed")),
            Self::InviteOnly => Some(("group_id", "invite_only")),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_keeps_the_message_and_detail_the_api_has_always_sent() {
        let short = Refusal::NotEnoughPoints { cost: 50, balance: 12 };
        assert_eq!(short.to_string(), "not enough points: the reward costs 50, the balance is 12");
        assert_eq!(short.kind(), RefusalKind::WrongState);
        assert_eq!(short.detail(), Some(("cost", "not_enough_points")));
        assert_eq!(Refusal::InviteOnly.kind(), RefusalKind::Forbidden);
        assert_eq!(Refusal::NotSignedUp.kind(), RefusalKind::NotFound);
    }
}
