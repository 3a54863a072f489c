//! The in-app notification centre: a person's notifications, the unread count, marking read,
//! and the single-use ticket that opens the live stream (server-sent events).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// Your organisation was invited to respond to a demand.
    DemandInvitation,
    /// An invited organisation answered your demand's invitation.
    InvitationResponse,
    /// The platform reviewed your demand (published or rejected).
    DemandReview,
    /// Your clarification question on a project was answered.
    QuestionAnswered,
    /// Someone asked a clarification question on your project.
    ProjectQuestion,
    /// Someone applied to a group you administer.
    GroupApplication,
    /// Your application to a group was decided.
    ApplicationDecided,
    /// You were invited to a group.
    GroupInvitation,
    /// Someone @-mentioned you in a group.
    Mention,
    /// Someone replied to your post or answered your question.
    PostReply,
    /// Your answer was accepted.
    AnswerAccepted,
    /// A group's admins sanctioned you (warning, mute, removal).
    Sanctioned,
    /// Your appeal was decided.
    AppealDecided,
    /// A post or reply was held for review (to the group's admins).
    PostHeld,
    /// A member reported a post, reply or member (to the group's admins).
    CommunityReport,
    /// A sanctioned member appealed (to the group's admins).
    CommunityAppeal,
    /// A place opened at an event and you moved up from its waitlist.
    EventPromoted,
    /// An event you signed up for was called off.
    EventCancelled,
}

impl NotificationKind {
    /// Stored / wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DemandInvitation => "demand_invitation",
            Self::InvitationResponse => "invitation_response",
            Self::DemandReview => "demand_review",
            Self::QuestionAnswered => "question_answered",
            Self::ProjectQuestion => "project_question",
            Self::GroupApplication => "group_application",
            Self::ApplicationDecided => "application_decided",
            Self::GroupInvitation => "group_invitation",
            Self::Mention => "mention",
            Self::PostReply => "post_reply",
            Self::AnswerAccepted => "answer_accepted",
            Self::Sanctioned => "sanctioned",
            Self::AppealDecided => "appeal_decided",
            Self::PostHeld => "post_held",
            Self::CommunityReport => "community_report",
            Self::CommunityAppeal => "community_appeal",
            Self::EventPromoted => "event_promoted",
            Self::EventCancelled => "event_cancelled",
        }
    }

    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::DemandInvitation,
            Self::InvitationResponse,
            Self::DemandReview,
            Self::QuestionAnswered,
            Self::ProjectQuestion,
            Self::GroupApplication,
            Self::ApplicationDecided,
            Self::GroupInvitation,
            Self::Mention,
            Self::PostReply,
            Self::AnswerAccepted,
            Self::Sanctioned,
            Self::AppealDecided,
            Self::PostHeld,
            Self::CommunityReport,
            Self::CommunityAppeal,
            Self::EventPromoted,
            Self::EventCancelled,
        ]
        .into_iter()
        .find(|t| t.as_str() == s)
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
