//! The professional community (社群): groups, membership, posts and Q&A, moderation and points.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use crate::domain::community::groups::{GroupRole, JoinPolicy};
pub use crate::domain::community::moderation::Sanction;
pub use crate::domain::community::points::{Period, PointsReason};

/// One question of a group's join questionnaire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct QuestionnaireItem {
    /// The question, e.g. "造价师证书编号（选填）".
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 200)))]
    pub question: String,
    /// Whether an applicant must answer it.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub required: bool,
}

/// A new group; the creator becomes its owner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct CreateGroupRequest {
    /// Name, unique on the platform, e.g. "二级造价师实战交流群(上海)".
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 2, max_length = 60)))]
    pub name: String,
    /// What the group is for.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 2000)))]
    pub description: String,
    /// The group's rules (群规), shown before joining.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default, validator(max_length = 5000)))]
    pub rules: String,
    /// How people join.
    pub join_policy: JoinPolicy,
    /// Nickname format members must follow, e.g. "城市-专业-姓名" (parts separated by `-`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 40)))]
    pub nickname_format: Option<String>,
    /// Questions an applicant answers (approval-only groups; up to 10).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default, validator(max_items = 10)))]
    pub questionnaire: Vec<QuestionnaireItem>,
    /// The group's own banned words (on top of the platform's); posts containing one are held.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default, validator(max_items = 200)))]
    pub banned_words: Vec<String>,
}

/// Changes to a group (its admins); absent fields stay.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct UpdateGroupRequest {
    /// What the group is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 2000)))]
    pub description: Option<String>,
    /// The rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 5000)))]
    pub rules: Option<String>,
    /// How people join.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_policy: Option<JoinPolicy>,
    /// Nickname format; an empty string removes the rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 40)))]
    pub nickname_format: Option<String>,
    /// Replaces the questionnaire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(validator(max_items = 10)))]
    pub questionnaire: Option<Vec<QuestionnaireItem>>,
    /// Replaces the group's banned words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(validator(max_items = 200)))]
    pub banned_words: Option<Vec<String>>,
}

crate::stored_enum! {
    /// Where the caller stands with a group.
    pub enum MemberStatus in "group_members.status" {
        /// A member.
        Active = "active",
        /// Left the group.
        Left = "left",
        /// Removed by the group's admins (the third step of the ladder).
        Removed = "removed",
        /// Applied; waiting for an admin.
        Pending = "pending",
        /// Invited by an admin; joining is approved at once.
        Invited = "invited",
        /// Not a member.
        None = "none",
    }
}

/// A group as a visitor or member sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct Group {
    /// Group id.
    pub id: String,
    /// Name.
    pub name: String,
    /// What it is for.
    pub description: String,
    /// Rules.
    pub rules: String,
    /// How people join.
    pub join_policy: JoinPolicy,
    /// Nickname format, if the group has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname_format: Option<String>,
    /// The join questionnaire.
    pub questionnaire: Vec<QuestionnaireItem>,
    /// Active members.
    pub member_count: i64,
    /// The owner's display name.
    pub owner_name: String,
    /// The caller's standing (`none` when signed out).
    pub my_status: MemberStatus,
    /// The caller's role, when a member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub my_role: Option<GroupRole>,
    /// Until when the caller is muted, if they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub muted_until: Option<DateTime<Utc>>,
    /// The group's banned words (admins only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub banned_words: Option<Vec<String>>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// Groups, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct GroupPage {
    /// Groups.
    pub items: Vec<Group>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Apply to (or join) a group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct ApplyToGroupRequest {
    /// The nickname to use in the group (checked against its format).
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 40)))]
    pub nickname: String,
    /// Answers to the questionnaire, in its order (empty strings for skipped optional ones).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default, validator(max_items = 10)))]
    pub answers: Vec<String>,
}

crate::stored_enum! {
    /// Where a join application stands.
    pub enum ApplicationStatus in "group_applications.status" {
        /// Waiting for an admin.
        Pending = "pending",
        /// Approved (at once for open groups and invited people): the person is a member.
        Approved = "approved",
        /// Rejected with a reason.
        Rejected = "rejected",
    }
}

/// A question with the applicant's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct QuestionnaireAnswer {
    /// The question.
    pub question: String,
    /// The answer (empty when skipped).
    pub answer: String,
}

/// A join application.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct GroupApplication {
    /// Application id.
    pub id: String,
    /// The group.
    pub group_id: String,
    /// Its name.
    pub group_name: String,
    /// The applicant.
    pub user_id: String,
    /// Their display name.
    pub user_name: String,
    /// The nickname asked for.
    pub nickname: String,
    /// The questionnaire with the answers.
    pub answers: Vec<QuestionnaireAnswer>,
    /// Where it stands.
    pub status: ApplicationStatus,
    /// Why it was rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it was decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<DateTime<Utc>>,
}

/// Applications, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct GroupApplicationPage {
    /// Applications.
    pub items: Vec<GroupApplication>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// An admin's decision on an application.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct DecideApplicationRequest {
    /// Approve (true) or reject (false).
    pub approve: bool,
    /// Why — required when rejecting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 500)))]
    pub reason: Option<String>,
}

/// Invite a person (by their login: phone number or e-mail) to the group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct InviteToGroupRequest {
    /// The person's phone number or e-mail address.
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 3, max_length = 254)))]
    pub login: String,
}

/// An invitation to a group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct GroupInvitation {
    /// Invitation id.
    pub id: String,
    /// The group.
    pub group_id: String,
    /// The invited phone or e-mail, masked (`138****5678`). The answer is the same whether or
    /// not the contact has an account, so it never names the person.
    pub contact_masked: String,
    /// When it was sent.
    pub created_at: DateTime<Utc>,
}

/// A member of a group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct GroupMember {
    /// The person.
    pub user_id: String,
    /// Nickname in the group.
    pub nickname: String,
    /// Role.
    pub role: GroupRole,
    /// Standing (active, left, removed).
    pub status: MemberStatus,
    /// When they joined.
    pub joined_at: DateTime<Utc>,
    /// Until when they are muted, if they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub muted_until: Option<DateTime<Utc>>,
}

/// Members, by join time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct GroupMemberPage {
    /// Members.
    pub items: Vec<GroupMember>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Change a member's role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct ChangeGroupRoleRequest {
    /// The new role (`owner` cannot be given this way).
    pub role: GroupRole,
}

crate::stored_enum! {
    /// What kind of post.
    pub enum PostKind in "posts.kind" {
        /// A discussion post.
        Discussion = "discussion",
        /// A question; the asker accepts one reply as the answer.
        Question = "question",
        /// An announcement (admins only), pinned at once.
        Announcement = "announcement",
    }
}

crate::stored_enum! {
    /// Whether a post or reply shows.
    pub enum PostStatus in "posts.status / replies.status" {
        /// Visible to those who may read the group.
        Published = "published",
        /// Held for review: it contains a banned word (the author and admins see it).
        Held = "held",
        /// Deleted by its author or an admin, or refused on review.
        Deleted = "deleted",
    }
}

/// A new post.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct CreatePostRequest {
    /// Discussion, question or announcement.
    pub kind: PostKind,
    /// Title.
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 100)))]
    pub title: String,
    /// Text; `#话题#` tags a topic, `@昵称` mentions (and notifies) a member.
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 10000)))]
    pub body: String,
}

/// An edit of a post by its author (the previous text is kept in the history).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct UpdatePostRequest {
    /// New title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 100)))]
    pub title: Option<String>,
    /// New text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 10000)))]
    pub body: Option<String>,
}

/// A post.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct Post {
    /// Post id.
    pub id: String,
    /// The group.
    pub group_id: String,
    /// The author.
    pub author_id: String,
    /// The author's nickname in the group.
    pub author_nickname: String,
    /// Kind.
    pub kind: PostKind,
    /// Title.
    pub title: String,
    /// Text.
    pub body: String,
    /// `#topics#` found in the text.
    pub topics: Vec<String>,
    /// Whether it shows.
    pub status: PostStatus,
    /// The banned words that held it (author and admins only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held_words: Option<Vec<String>>,
    /// Pinned to the top of the group.
    pub pinned: bool,
    /// Featured (精华).
    pub featured: bool,
    /// Promoted into the group's FAQ (solved questions only).
    pub in_faq: bool,
    /// The accepted reply (questions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_reply_id: Option<String>,
    /// Published replies.
    pub reply_count: i64,
    /// Edited after posting (see the revisions).
    pub edited: bool,
    /// When it was posted.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// Posts, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct PostPage {
    /// Posts.
    pub items: Vec<Post>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// A reply (an answer, under a question).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct Reply {
    /// Reply id.
    pub id: String,
    /// The post.
    pub post_id: String,
    /// The author.
    pub author_id: String,
    /// Their nickname.
    pub author_nickname: String,
    /// Their role in the group (experts' answers are marked).
    pub author_role: GroupRole,
    /// Text.
    pub body: String,
    /// Whether it shows.
    pub status: PostStatus,
    /// The banned words that held it (author and admins only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held_words: Option<Vec<String>>,
    /// The asker accepted it.
    pub accepted: bool,
    /// Edited after posting.
    pub edited: bool,
    /// When it was written.
    pub created_at: DateTime<Utc>,
}

/// Replies, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct ReplyPage {
    /// Replies.
    pub items: Vec<Reply>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// A new reply, or an edit of one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct ReplyRequest {
    /// Text; `@昵称` mentions a member.
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 5000)))]
    pub body: String,
}

/// A previous version of a post or reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct PostRevision {
    /// Revision id.
    pub id: String,
    /// The reply it belongs to (absent: the post itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_id: Option<String>,
    /// The title before the edit.
    pub title: String,
    /// The text before the edit.
    pub body: String,
    /// When the edit replaced it.
    pub edited_at: DateTime<Utc>,
}

/// Accept a reply as the answer to a question (the asker).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct AcceptAnswerRequest {
    /// The reply.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 64)))]
    pub reply_id: String,
}

/// Pin, feature or promote to the FAQ (the group's admins); absent fields stay.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct CuratePostRequest {
    /// Pinned to the top.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinned: Option<bool>,
    /// Featured (精华).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub featured: Option<bool>,
    /// In the FAQ (only a question with an accepted answer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_faq: Option<bool>,
}

/// An admin's decision on a held post or reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct ReviewHeldRequest {
    /// Publish (true) or delete (false).
    pub publish: bool,
}

crate::stored_enum! {
    /// What a report is about.
    pub enum ReportTarget in "community_reports.target_kind" {
        /// A post.
        Post = "post",
        /// A reply.
        Reply = "reply",
        /// A member.
        Member = "member",
    }
}

crate::stored_enum! {
    /// Where a report stands.
    pub enum ReportStatus in "community_reports.status" {
        /// Waiting for the admins.
        Open = "open",
        /// A sanction answered it.
        Actioned = "actioned",
        /// Dismissed by an admin.
        Dismissed = "dismissed",
    }
}

crate::stored_enum! {
    /// Where an appeal stands.
    pub enum AppealStatus in "appeals.status" {
        /// Waiting for an admin.
        Pending = "pending",
        /// The sanction stands.
        Upheld = "upheld",
        /// The sanction was overturned and its restriction lifted.
        Overturned = "overturned",
    }
}

/// Report a post, reply or member to the group's admins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct CreateReportRequest {
    /// What is reported.
    pub target_kind: ReportTarget,
    /// Its id (a user id for a member).
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 64)))]
    pub target_id: String,
    /// What is wrong.
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 2, max_length = 500)))]
    pub reason: String,
}

/// A report (admins see all of the group's; reporters their own).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct Report {
    /// Report id.
    pub id: String,
    /// The group.
    pub group_id: String,
    /// What is reported.
    pub target_kind: ReportTarget,
    /// Its id.
    pub target_id: String,
    /// The member responsible.
    pub target_user_id: String,
    /// Their nickname.
    pub target_nickname: String,
    /// What is wrong.
    pub reason: String,
    /// Where it stands.
    pub status: ReportStatus,
    /// When it was made.
    pub created_at: DateTime<Utc>,
}

/// Open reports, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct ReportPage {
    /// Reports.
    pub items: Vec<Report>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Apply the next step of the ladder to a member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct CreateSanctionRequest {
    /// The member.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 64)))]
    pub user_id: String,
    /// Why (shown in the moderation log).
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 2, max_length = 500)))]
    pub reason: String,
    /// The report it answers, if any (marked actioned).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 64)))]
    pub report_id: Option<String>,
}

/// A sanction, as the moderation log shows it to members.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct SanctionEntry {
    /// Sanction id.
    pub id: String,
    /// The member.
    pub user_id: String,
    /// Their nickname.
    pub nickname: String,
    /// Warning, mute or removal.
    pub kind: Sanction,
    /// Why.
    pub reason: String,
    /// The admin's nickname.
    pub applied_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Until when a mute lasts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<DateTime<Utc>>,
    /// Overturned on appeal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overturned_at: Option<DateTime<Utc>>,
    /// The appeal's status, if one was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appeal: Option<AppealStatus>,
}

/// The moderation log, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct SanctionPage {
    /// Entries.
    pub items: Vec<SanctionEntry>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Appeal a sanction (the sanctioned person).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct CreateAppealRequest {
    /// Why the sanction is wrong.
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 2, max_length = 2000)))]
    pub statement: String,
}

/// An admin's decision on an appeal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct DecideAppealRequest {
    /// Overturn the sanction (true) or uphold it (false).
    pub overturn: bool,
    /// Why.
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 2, max_length = 500)))]
    pub reason: String,
}

/// An appeal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct Appeal {
    /// Appeal id.
    pub id: String,
    /// The sanction.
    pub sanction_id: String,
    /// The statement.
    pub statement: String,
    /// Where it stands.
    pub status: AppealStatus,
    /// The decision's reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_reason: Option<String>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
}

/// One ledger entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct PointsEntry {
    /// Entry id.
    pub id: String,
    /// Points (negative for redemptions and withdrawals).
    pub delta: i64,
    /// Why.
    pub reason: PointsReason,
    /// The group it was earned in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    /// What it was for (a post, reply, resource, event or reward id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_id: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// The caller's points: the balance and the ledger, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct PointsStatement {
    /// The balance: the sum of every entry.
    pub balance: i64,
    /// Entries.
    pub items: Vec<PointsEntry>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// A leaderboard row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct LeaderboardEntry {
    /// 1 = most points.
    pub rank: i32,
    /// The person.
    pub user_id: String,
    /// Their display name (their nickname when the board is a group's).
    pub name: String,
    /// Points earned in the period.
    pub points: i64,
}

/// Who earned the most points this week or month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct Leaderboard {
    /// Week or month.
    pub period: Period,
    /// When the period began (Asia/Shanghai midnight).
    pub since: DateTime<Utc>,
    /// The top 20.
    pub items: Vec<LeaderboardEntry>,
}

/// Posts and replies held for review in a group (its admins), oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct HeldItems {
    /// Held posts.
    pub posts: Vec<Post>,
    /// Held replies.
    pub replies: Vec<Reply>,
}

/// Questions like the one being typed ("search before you ask"), best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct SimilarQuestions {
    /// Up to 5 questions, solved ones marked by `accepted_reply_id`.
    pub items: Vec<Post>,
}

/// A post's edit history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct PostRevisionList {
    /// Earlier versions, oldest first.
    pub items: Vec<PostRevision>,
}

/// Appeals waiting for a decision, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct AppealList {
    /// Appeals.
    pub items: Vec<Appeal>,
}

/// The caller's referral code and what it brought.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct Referral {
    /// The code to give to people (they enter it when registering).
    pub code: String,
    /// People who registered with it.
    pub registered: i64,
    /// Of those, whose organisation was verified (each earned 20 points).
    pub rewarded: i64,
}
