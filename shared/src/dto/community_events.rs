//! Group events (sharing sessions and workshops with a sign-up list and waitlist) and polls.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use crate::domain::community::events::SignupStatus;

crate::stored_enum! {
    /// What kind of event.
    pub enum EventKind in "community_events.kind" {
        /// A sharing session (分享会): one host presents.
        SharingSession = "sharing_session",
        /// A workshop (工作坊): hands-on, usually smaller.
        Workshop = "workshop",
    }
}

crate::stored_enum! {
    /// Where an event stands.
    pub enum EventStatus in "community_events.status" {
        /// Open for sign-up until it starts.
        Scheduled = "scheduled",
        /// Called off by its host or an admin; sign-ups were told.
        Cancelled = "cancelled",
    }
}

/// A new event (topic hosts and admins). Give an online link, a venue, or both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct CreateEventRequest {
    /// Title, e.g. "EPC项目全过程造价管控分享会".
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 2, max_length = 100)))]
    pub title: String,
    /// What it covers.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default, validator(max_length = 5000)))]
    pub description: String,
    /// Sharing session or workshop.
    pub kind: EventKind,
    /// When it starts (must be in the future).
    pub starts_at: DateTime<Utc>,
    /// When it ends (after `starts_at`, at most 7 days later).
    pub ends_at: DateTime<Utc>,
    /// Online meeting link (https://…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 500)))]
    pub online_link: Option<String>,
    /// Venue address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 200)))]
    pub venue: Option<String>,
    /// Places (1–10,000); sign-ups beyond it join the waitlist.
    #[cfg_attr(feature = "openapi", oai(validator(minimum(value = "1"), maximum(value = "10000"))))]
    pub capacity: i64,
    /// The host, an active member of the group (default: the caller).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 64)))]
    pub host_user_id: Option<String>,
}

/// An event as a member sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct Event {
    /// Event id.
    pub id: String,
    /// The group.
    pub group_id: String,
    /// Title.
    pub title: String,
    /// What it covers.
    pub description: String,
    /// Sharing session or workshop.
    pub kind: EventKind,
    /// Scheduled or cancelled.
    pub status: EventStatus,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End.
    pub ends_at: DateTime<Utc>,
    /// Online link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online_link: Option<String>,
    /// Venue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue: Option<String>,
    /// Places.
    pub capacity: i64,
    /// Confirmed sign-ups.
    pub confirmed_count: i64,
    /// Sign-ups waiting for a place.
    pub waitlist_count: i64,
    /// The host.
    pub host_user_id: String,
    /// The host's nickname in the group.
    pub host_nickname: String,
    /// The caller's sign-up, if any (confirmed or waitlisted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub my_signup: Option<SignupStatus>,
    /// The caller's place on the waitlist (1 = next), when waitlisted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub my_waitlist_position: Option<i64>,
    /// The summary written afterwards (会后总结).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// When the summary was written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summarised_at: Option<DateTime<Utc>>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// A group's events: upcoming ones soonest first, past ones latest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct EventPage {
    /// Events.
    pub items: Vec<Event>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Which events to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum EventScope {
    /// Not yet ended, soonest first.
    Upcoming,
    /// Ended, latest first.
    Past,
}

/// One line of the sign-up list (接龙).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct EventSignup {
    /// The person.
    pub user_id: String,
    /// Their nickname in the group.
    pub nickname: String,
    /// Confirmed or waitlisted.
    pub status: SignupStatus,
    /// 1-based place in sign-up order within its status.
    pub position: i64,
    /// When they signed up.
    pub signed_up_at: DateTime<Utc>,
}

/// An event's sign-up list: confirmed in sign-up order, then the waitlist in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct EventSignupList {
    /// Confirmed places.
    pub confirmed: Vec<EventSignup>,
    /// The waitlist, next first.
    pub waitlisted: Vec<EventSignup>,
}

/// The summary written after an event (its host or an admin, once it has ended).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct EventSummaryRequest {
    /// What was covered, with links to slides or recordings.
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 10, max_length = 10000)))]
    pub summary: String,
}

/// Calls an event off (its host or an admin, before it starts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct CancelEventRequest {
    /// Why, told to everyone signed up.
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 2, max_length = 500)))]
    pub reason: String,
}

/// A new poll (topic hosts and admins).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct CreatePollRequest {
    /// The question.
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 2, max_length = 200)))]
    pub question: String,
    /// 2–20 options, each 1–100 characters, all different.
    #[cfg_attr(feature = "openapi", oai(validator(min_items = 2, max_items = 20)))]
    pub options: Vec<String>,
    /// Whether a ballot may choose several options.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub multiple: bool,
    /// Whether ballots are anonymous: nobody, not even the admins, can see who chose what.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub anonymous: bool,
    /// Voting closes at this instant (in the future, at most 90 days ahead).
    pub deadline: DateTime<Utc>,
}

/// A poll with its results so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct Poll {
    /// Poll id.
    pub id: String,
    /// The group.
    pub group_id: String,
    /// The question.
    pub question: String,
    /// The options, in order; ballots refer to them by 0-based index.
    pub options: Vec<String>,
    /// Votes per option, in the options' order; empty while an anonymous poll is open.
    pub counts: Vec<i64>,
    /// Whether the counts are withheld: an anonymous poll's results show once it has closed, so
    /// that comparing them before and after a known person voted tells nothing.
    pub results_hidden: bool,
    /// How many people voted.
    pub voters: i64,
    /// Several options per ballot.
    pub multiple: bool,
    /// Anonymous ballots.
    pub anonymous: bool,
    /// When voting closes.
    pub deadline: DateTime<Utc>,
    /// Whether the deadline has passed.
    pub closed: bool,
    /// Who created it (nickname).
    pub created_by_nickname: String,
    /// Whether the caller has voted.
    pub voted: bool,
    /// The caller's choices (never for anonymous polls: they are not linked to the person).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub my_choices: Option<Vec<i32>>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// A group's polls, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct PollPage {
    /// Polls.
    pub items: Vec<Poll>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// A ballot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct CastBallotRequest {
    /// 0-based option indexes (exactly one unless the poll is multiple choice).
    #[cfg_attr(feature = "openapi", oai(validator(min_items = 1, max_items = 20)))]
    pub choices: Vec<i32>,
}

/// Who voted for what in a named (not anonymous) poll.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct PollBallot {
    /// The voter.
    pub user_id: String,
    /// Their nickname.
    pub nickname: String,
    /// Their choices.
    pub choices: Vec<i32>,
}

/// The named ballots of a poll.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct PollBallotList {
    /// Ballots in voting order.
    pub items: Vec<PollBallot>,
}
