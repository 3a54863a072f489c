//! The in-app notification centre: a person's notifications, the unread count, marking read,
//! and the single-use ticket that opens the live stream (server-sent events).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

crate::stored_enum! {
    /// What a notification is about.
    pub enum NotificationKind in "notifications.kind" {
        /// Your organisation was invited to respond to a demand.
        DemandInvitation = "demand_invitation",
        /// An invited organisation answered your demand's invitation.
        InvitationResponse = "invitation_response",
        /// The platform reviewed your demand (published or rejected).
        DemandReview = "demand_review",
        /// Your clarification question on a project was answered.
        QuestionAnswered = "question_answered",
        /// Someone asked a clarification question on your project.
        ProjectQuestion = "project_question",
        /// Someone applied to a group you administer.
        GroupApplication = "group_application",
        /// Your application to a group was decided.
        ApplicationDecided = "application_decided",
        /// You were invited to a group.
        GroupInvitation = "group_invitation",
        /// Someone @-mentioned you in a group.
        Mention = "mention",
        /// Someone replied to your post or answered your question.
        PostReply = "post_reply",
        /// Your answer was accepted.
        AnswerAccepted = "answer_accepted",
        /// A group's admins sanctioned you (warning, mute, removal).
        Sanctioned = "sanctioned",
        /// Your appeal was decided.
        AppealDecided = "appeal_decided",
        /// A post or reply was held for review (to the group's admins).
        PostHeld = "post_held",
        /// A member reported a post, reply or member (to the group's admins).
        CommunityReport = "community_report",
        /// A sanctioned member appealed (to the group's admins).
        CommunityAppeal = "community_appeal",
        /// A place opened at an event and you moved up from its waitlist.
        EventPromoted = "event_promoted",
        /// An event you signed up for was called off.
        EventCancelled = "event_cancelled",
        /// Bidding opened on a demand your organisation was invited to or recommended for.
        TenderOpened = "tender_opened",
        /// Bidding closed on a tender you posted or bid on.
        TenderClosed = "tender_closed",
        /// Your organisation's bid won.
        BidAwarded = "bid_awarded",
        /// Another bid won; yours is told its rank.
        BidNotAwarded = "bid_not_awarded",
        /// An award lapsed because its contract was not signed in time.
        AwardLapsed = "award_lapsed",
        /// A tender your organisation bid on was cancelled.
        TenderCancelled = "tender_cancelled",
        /// The contract of an award was drafted.
        ContractDrafted = "contract_drafted",
        /// The other party saved a new contract version.
        ContractChanged = "contract_changed",
        /// The other party signed a contract.
        ContractSigned = "contract_signed",
        /// A contract or amendment came into force (or waits only for its bond).
        ContractInForce = "contract_in_force",
        /// Three or more amendments within 30 days.
        AmendmentWarning = "amendment_warning",
        /// A contract's termination was signed (by one party, or by all: it ended).
        ContractEnded = "contract_ended",
        /// Money arrived in a contract's escrow or bond.
        EscrowFunded = "escrow_funded",
        /// Escrow released to the payee, or returned when the contract ended.
        EscrowReleased = "escrow_released",
        /// A milestone's acceptance was requested, accepted or rejected.
        AcceptanceUpdate = "acceptance_update",
        /// The performer posted a progress log, or the payer reviewed one.
        ProgressUpdate = "progress_update",
        /// No progress log for 7 days, a schedule slip above 7 days, or a milestone due in 3–5
        /// days while its progress is behind.
        ProgressWarning = "progress_warning",
        /// Accepted milestones unpaid for more than 15 days froze the payer's escrow (a risk
        /// case), or the case cleared.
        RiskAlert = "risk_alert",
        /// The other party rated the cooperation, or the ratings were shown.
        RatingUpdate = "rating_update",
        /// Your organisation's membership tier changed (promoted or demoted, with the reason),
        /// or a platform advisor was assigned to it.
        MembershipChanged = "membership_changed",
        /// A dispute on your organisation's contract was filed or moved on (to both parties), or
        /// one waits for a mediator (to staff).
        DisputeUpdate = "dispute_update",
    }
}

/// One notification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct Notification {
    /// Notification id (UUIDv7: later ones sort after earlier ones).
    pub id: String,
    /// What it is about.
    pub kind: NotificationKind,
    /// One line, in Chinese.
    pub title: String,
    /// Detail, in Chinese.
    pub body: String,
    /// The same line in English (empty on notifications stored before December 2026).
    #[serde(default)]
    pub title_en: String,
    /// The same detail in English (empty on notifications stored before December 2026).
    #[serde(default)]
    pub body_en: String,
    /// The SPA path it points to, e.g. `/demands/…`.
    pub link: String,
    /// The organisation it concerns, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was marked read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_at: Option<DateTime<Utc>>,
}

/// A page of notifications with the unread count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct NotificationPage {
    /// Newest first; with `after`, the ones newer than it, oldest first.
    pub items: Vec<Notification>,
    /// Unread notifications in total.
    pub unread: i64,
    /// Pass as `cursor` for the next (older) page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// The unread count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct UnreadCount {
    /// Unread notifications.
    pub unread: i64,
}

/// A ticket for `GET /notifications/stream?ticket=…` (EventSource cannot send headers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct StreamTicket {
    /// Single use; valid for 60 seconds.
    pub ticket: String,
    /// When it stops being accepted.
    pub expires_at: DateTime<Utc>,
}
