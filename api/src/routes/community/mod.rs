//! The community's server side: who may read and write in a group, the banned-word hold,
//! @mention notifications, points awards, the stored search terms of questions with the guard
//! on "search before you ask", and the API views of the rows. The rules themselves are in
//! `shared::domain::community`.

pub mod events;
pub mod groups;
pub mod insights;
pub mod moderation;
pub mod points;
pub mod polls;
pub mod posts;
pub mod referrals;
pub mod rewards;
pub mod shared_resources;
pub mod surveys;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use shared::domain::community::groups::GroupAction;
use shared::domain::community::lifecycle::{Refusal, RefusalKind};
use shared::domain::community::moderation::is_muted;
use shared::domain::community::points::{PointsReason, day_start};
use shared::domain::community::text::{
    MAX_TERMS_PER_QUESTION, banned_words_in, document_terms, mentions, platform_banned_words,
};
use shared::domain::notices::community::CommunityNotice;
use shared::dto::*;
use shared::error::ErrorCode;

use crate::auth::throttle::Throttle;
use crate::db::models::community::*;
use crate::db::{DbConn, new_id};
use crate::error::ApiError;
use crate::market::{from_json, to_json};
use crate::routes::notifications::notify::{self, Notice};

impl From<Refusal> for ApiError {
    /// A refused lifecycle event: 403, 404 or 409 with the refusal's message and detail.
    fn from(refusal: Refusal) -> Self {
        let code = match refusal.kind() {
            RefusalKind::Forbidden => ErrorCode::Forbidden,
            RefusalKind::NotFound => ErrorCode::NotFound,
            RefusalKind::WrongState => ErrorCode::Conflict,
        };
        let error = ApiError::new(code, refusal.to_string());
        match refusal.detail() {
            Some((field, issue)) => error.with_detail(field, issue),
            None => error,
        }
    }
}

/// 404 for a group, post, reply or anything in a group the caller may not see.
pub fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "no such group or post")
}

/// A loaded group with the caller's membership (active or not).
pub struct InGroup {
    /// The group.
    pub group: GroupRow,
    /// The caller's membership row, whatever its status.
    pub member: Option<GroupMemberRow>,
}

impl InGroup {
    /// Loads the group and the caller's membership.
    pub fn load(conn: &mut DbConn, group_id: &str, user: Option<&str>) -> Result<Self, ApiError> {
        let group = GroupRow::find(conn, group_id)?.ok_or_else(not_found)?;
        let member = match user {
            Some(user) => GroupMemberRow::find(conn, group_id, user)?,
            None => None,
        };
        Ok(Self { group, member })
    }

    /// The caller's active membership.
    pub fn active(&self) -> Option<&GroupMemberRow> {
        self.member.as_ref().filter(|m| m.status == MemberStatus::Active)
    }

    /// The caller's role, when active.
    pub fn role(&self) -> Option<GroupRole> {
        self.active().map(|m| m.role)
    }

    /// The join policy.
    pub fn policy(&self) -> JoinPolicy {
        self.group.join_policy
    }

    /// Whether the caller may read posts: anyone for open groups, active members otherwise.
    pub fn may_read(&self) -> bool {
        self.policy() == JoinPolicy::Open || self.active().is_some()
    }

    /// 404 unless the caller may read the group's content.
    pub fn ensure_read(&self) -> Result<(), ApiError> {
        if self.may_read() { Ok(()) } else { Err(not_found()) }
    }

    /// 403 unless the caller is an active member.
    pub fn ensure_member(&self) -> Result<&GroupMemberRow, ApiError> {
        self.ensure_read()?;
        self.active().ok_or_else(|| {
            ApiError::new(ErrorCode::Forbidden, "join the group first")
                .with_detail("group_id", "not_a_member")
        })
    }

    /// 403 unless the caller is an active member who is not muted at `now`.
    pub fn ensure_may_speak(&self, now: NaiveDateTime) -> Result<&GroupMemberRow, ApiError> {
        let member = self.ensure_member()?;
        if is_muted(member.muted_until.map(|t| t.and_utc()), now.and_utc()) {
            let until = member.muted_until.map(|t| t.and_utc().to_rfc3339()).unwrap_or_default();
            return Err(ApiError::new(
                ErrorCode::Forbidden,
                format!("you are muted in this group until {until}"),
            )
            .with_detail("group_id", "muted"));
        }
        Ok(member)
    }

    /// 403 unless the caller's role allows `action`.
    pub fn ensure_may(&self, action: GroupAction) -> Result<GroupRole, ApiError> {
        self.ensure_member()?;
        match self.role() {
            Some(role) if role.may(action) => Ok(role),
            _ => Err(ApiError::new(ErrorCode::Forbidden, "your role in this group does not allow this")
                .with_detail("group_id", "group_role")),
        }
    }

    /// Whether the caller may moderate.
    pub fn is_admin(&self) -> bool {
        self.role().is_some_and(|r| r.may(GroupAction::Moderate))
    }

    /// The banned words of `text` under the group's and the platform's lists.
    pub fn banned_words(&self, text: &str) -> Vec<String> {
        let own: Vec<String> = from_json(&self.group.banned_words);
        let platform = platform_banned_words();
        banned_words_in(text, &[&own, &platform]).into_iter().map(str::to_owned).collect()
    }
}

/// How many "search before you ask" requests one address may send a minute.
pub const SIMILAR_PER_MINUTE: u32 = 30;
/// How many "search before you ask" requests run at once in this process (each holds a pooled
/// connection while it ranks).
pub const SIMILAR_SLOTS: usize = 2;
/// How long a request waits for a slot before it is refused.
const SIMILAR_WAIT: Duration = Duration::from_secs(2);

/// The guard on "search before you ask", the community's costliest public read: per address at
/// most [`SIMILAR_PER_MINUTE`] requests a minute, and at most [`SIMILAR_SLOTS`] at work at once;
/// beyond either, 429 `rate_limited` with `Retry-After`. In memory, per process, like the login
/// throttle.
pub struct SimilarQuestionsGuard {
    throttle: Throttle,
    slots: Arc<tokio::sync::Semaphore>,
}

impl Default for SimilarQuestionsGuard {
    fn default() -> Self {
        Self {
            throttle: Throttle::new(Duration::from_secs(60)),
            slots: Arc::new(tokio::sync::Semaphore::new(SIMILAR_SLOTS)),
        }
    }
}

impl SimilarQuestionsGuard {
    /// Counts a request from `address` and waits for a slot; the slot is held until the permit
    /// is dropped (move it into the blocking work, so a dropped request still holds it).
    pub async fn enter(&self, address: Option<&str>) -> Result<tokio::sync::OwnedSemaphorePermit, ApiError> {
        let key = format!("similar:{}", address.unwrap_or("-"));
        self.throttle.attempt(&key, SIMILAR_PER_MINUTE, Instant::now()).map_err(ApiError::rate_limited)?;
        match tokio::time::timeout(SIMILAR_WAIT, self.slots.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(ApiError::rate_limited(1)),
        }
    }
}

/// The stored search terms (JSON) of a question: jieba search-mode terms of the title and body,
/// at most [`MAX_TERMS_PER_QUESTION`], computed once when the question is written.
pub fn question_search_terms(title: &str, body: &str) -> String {
    let terms = document_terms(
        &crate::routes::search::catalogue::segment::terms(title),
        &crate::routes::search::catalogue::segment::terms(body),
        MAX_TERMS_PER_QUESTION,
    );
    to_json(&terms)
}

/// Computes the missing search terms of up to `limit` questions of the group (written before
/// terms were stored), newest first; returns how many were filled.
pub fn fill_question_terms(conn: &mut DbConn, group_id: &str, limit: i64) -> diesel::QueryResult<usize> {
    let rows = PostRow::questions_without_terms(conn, group_id, limit)?;
    for row in &rows {
        PostRow::set_search_terms(conn, &row.id, &question_search_terms(&row.title, &row.body))?;
    }
    Ok(rows.len())
}

/// The user ids of the group's admins and owner.
pub fn admins(conn: &mut DbConn, group_id: &str) -> diesel::QueryResult<Vec<String>> {
    GroupMemberRow::with_roles(conn, group_id, &[GroupRole::Admin, GroupRole::Owner])
}

/// Notifies the active members @-mentioned in `text` (not the writer).
pub fn notify_mentions(
    conn: &mut DbConn,
    group: &GroupRow,
    writer: &GroupMemberRow,
    text: &str,
    post: &PostRow,
) -> diesel::QueryResult<Vec<(String, Notification)>> {
    let names = mentions(text);
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let people: Vec<String> = GroupMemberRow::by_nicknames(conn, &group.id, &names)?
        .into_iter()
        .map(|m| m.user_id)
        .filter(|u| *u != writer.user_id)
        .collect();
    let notice = CommunityNotice::Mention {
        writer: writer.nickname.clone(),
        group: group.name.clone(),
        title: post.title.clone(),
    };
    let link = format!("/groups/{}/posts/{}", group.id, post.id);
    notify::store(conn, &people, &Notice::new(&notice, link, None))
}

/// How many awards for `reason` the person got today (Asia/Shanghai), for the daily caps.
pub fn awards_today(
    conn: &mut DbConn,
    user_id: &str,
    reason: PointsReason,
    at: NaiveDateTime,
) -> diesel::QueryResult<usize> {
    // Lock the person's balance row first, so parallel requests cannot all count below the cap.
    crate::db::models::rewards::BalanceRow::lock(conn, user_id)?;
    let since = day_start(at.and_utc()).naive_utc();
    let count = PointsRow::awards_since(conn, user_id, reason, since)?;
    Ok(usize::try_from(count).unwrap_or(usize::MAX))
}

/// Appends a ledger entry of `delta` points (nothing for 0) and moves the cached balance with
/// it, in the caller's transaction.
pub fn record_points(
    conn: &mut DbConn,
    user_id: &str,
    delta: i64,
    reason: PointsReason,
    group_id: Option<&str>,
    subject_id: Option<&str>,
    at: NaiveDateTime,
) -> diesel::QueryResult<()> {
    if delta == 0 {
        return Ok(());
    }
    PointsRow {
        id: new_id(),
        user_id: user_id.to_owned(),
        delta,
        reason,
        group_id: group_id.map(str::to_owned),
        subject_id: subject_id.map(str::to_owned),
        created_at: at,
    }
    .insert(conn)?;
    crate::db::models::rewards::BalanceRow::add(conn, user_id, delta)
}

/// The API view of a group for the caller.
pub fn group_dto(conn: &mut DbConn, view: &InGroup, user: Option<&str>) -> Result<Group, ApiError> {
    let group = &view.group;
    let owner_name = crate::db::models::users::User::find_active(conn, &group.owner_id)?
        .map(|u| u.display_name)
        .unwrap_or_default();
    let my_status = match (&view.member, user) {
        (Some(m), _) if m.status == MemberStatus::Active => MemberStatus::Active,
        (member, Some(user)) => {
            if GroupApplicationRow::pending_of(conn, &group.id, user)?.is_some() {
                MemberStatus::Pending
            } else if GroupInvitationRow::open_for(conn, &group.id, user)?.is_some() {
                MemberStatus::Invited
            } else {
                member.as_ref().map(|m| m.status).unwrap_or(MemberStatus::None)
            }
        }
        _ => MemberStatus::None,
    };
    let active = view.active();
    Ok(Group {
        id: group.id.clone(),
        name: group.name.clone(),
        description: group.description.clone(),
        rules: group.rules.clone(),
        join_policy: view.policy(),
        nickname_format: group.nickname_format.clone(),
        questionnaire: from_json(&group.questionnaire),
        member_count: GroupMemberRow::count(conn, &group.id)?,
        owner_name,
        my_status,
        my_role: view.role(),
        muted_until: active.and_then(|m| m.muted_until).map(|t| t.and_utc()),
        banned_words: view.is_admin().then(|| from_json(&group.banned_words)),
        created_at: group.created_at.and_utc(),
    })
}

/// The API view of an application.
pub fn application_dto(
    group: &GroupRow,
    (row, user_name): (GroupApplicationRow, String),
) -> GroupApplication {
    let questions: Vec<QuestionnaireItem> = from_json(&group.questionnaire);
    let answers: Vec<String> = from_json(&row.answers);
    GroupApplication {
        id: row.id,
        group_id: row.group_id,
        group_name: group.name.clone(),
        user_id: row.user_id,
        user_name,
        nickname: row.nickname,
        answers: questions
            .into_iter()
            .enumerate()
            .map(|(i, q)| QuestionnaireAnswer {
                question: q.question,
                answer: answers.get(i).cloned().unwrap_or_default(),
            })
            .collect(),
        status: row.status,
        reason: row.reason,
        created_at: row.created_at.and_utc(),
        decided_at: row.decided_at.map(|t| t.and_utc()),
    }
}

/// The API view of a membership.
pub fn member_dto(row: GroupMemberRow) -> GroupMember {
    GroupMember {
        user_id: row.user_id,
        nickname: row.nickname,
        role: row.role,
        status: row.status,
        joined_at: row.joined_at.and_utc(),
        muted_until: row.muted_until.map(|t| t.and_utc()),
    }
}

fn names_of(
    conn: &mut DbConn,
    group_id: &str,
    users: Vec<String>,
) -> diesel::QueryResult<HashMap<String, (String, GroupRole)>> {
    GroupMemberRow::nicknames(conn, group_id, &users)
}

/// The API views of posts; `viewer_admin` and `viewer` decide who sees held words.
pub fn post_dtos(
    conn: &mut DbConn,
    rows: Vec<PostRow>,
    viewer: Option<&str>,
    viewer_admin: bool,
) -> Result<Vec<Post>, ApiError> {
    let Some(first) = rows.first() else { return Ok(Vec::new()) };
    let group_id = first.group_id.clone();
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let counts = ReplyRow::counts(conn, &ids)?;
    let edited = PostRevisionRow::edited(conn, &ids, &[])?;
    let names = names_of(conn, &group_id, rows.iter().map(|r| r.author_id.clone()).collect())?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let may_see_held = viewer_admin || viewer == Some(r.author_id.as_str());
            Post {
                author_nickname: names.get(&r.author_id).map(|(n, _)| n.clone()).unwrap_or_default(),
                kind: r.kind,
                topics: from_json(&r.topics),
                status: r.status,
                held_words: r.held_words.as_deref().filter(|_| may_see_held).map(from_json),
                reply_count: counts.get(&r.id).copied().unwrap_or(0),
                edited: edited.contains(&r.id),
                created_at: r.created_at.and_utc(),
                updated_at: r.updated_at.and_utc(),
                id: r.id,
                group_id: r.group_id,
                author_id: r.author_id,
                title: r.title,
                body: r.body,
                pinned: r.pinned,
                featured: r.featured,
                in_faq: r.in_faq,
                accepted_reply_id: r.accepted_reply_id,
            }
        })
        .collect())
}

/// The API view of one post.
pub fn post_dto(
    conn: &mut DbConn,
    row: PostRow,
    viewer: Option<&str>,
    admin: bool,
) -> Result<Post, ApiError> {
    post_dtos(conn, vec![row], viewer, admin)?.pop().ok_or_else(not_found)
}

/// The API views of replies.
pub fn reply_dtos(
    conn: &mut DbConn,
    group_id: &str,
    post: &PostRow,
    rows: Vec<ReplyRow>,
    viewer: Option<&str>,
    viewer_admin: bool,
) -> Result<Vec<Reply>, ApiError> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let edited = PostRevisionRow::edited(conn, &[], &ids)?;
    let names = names_of(conn, group_id, rows.iter().map(|r| r.author_id.clone()).collect())?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let (nickname, role) =
                names.get(&r.author_id).cloned().unwrap_or_else(|| (String::new(), GroupRole::Member));
            let may_see_held = viewer_admin || viewer == Some(r.author_id.as_str());
            Reply {
                author_nickname: nickname,
                author_role: role,
                status: r.status,
                held_words: r.held_words.as_deref().filter(|_| may_see_held).map(from_json),
                accepted: post.accepted_reply_id.as_deref() == Some(r.id.as_str()),
                edited: edited.contains(&r.id),
                created_at: r.created_at.and_utc(),
                id: r.id,
                post_id: r.post_id,
                author_id: r.author_id,
                body: r.body,
            }
        })
        .collect())
}

/// The API view of a report.
pub fn report_dto(conn: &mut DbConn, row: ReportRow) -> Result<Report, ApiError> {
    let names = names_of(conn, &row.group_id, vec![row.target_user_id.clone()])?;
    Ok(Report {
        target_nickname: names.get(&row.target_user_id).map(|(n, _)| n.clone()).unwrap_or_default(),
        target_kind: row.target_kind,
        created_at: row.created_at.and_utc(),
        id: row.id,
        group_id: row.group_id,
        target_id: row.target_id,
        target_user_id: row.target_user_id,
        reason: row.reason,
        status: row.status,
    })
}

/// The moderation log's view of sanctions.
pub fn sanction_dtos(
    conn: &mut DbConn,
    group_id: &str,
    rows: Vec<SanctionRow>,
) -> Result<Vec<SanctionEntry>, ApiError> {
    let mut people: Vec<String> = rows.iter().map(|r| r.user_id.clone()).collect();
    people.extend(rows.iter().map(|r| r.applied_by.clone()));
    let names = names_of(conn, group_id, people)?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let appeals = AppealRow::of_sanctions(conn, &ids)?;
    let name = |id: &str| names.get(id).map(|(n, _)| n.clone()).unwrap_or_default();
    Ok(rows
        .into_iter()
        .map(|r| SanctionEntry {
            nickname: name(&r.user_id),
            applied_by: name(&r.applied_by),
            kind: r.kind,
            until: r.until_at.map(|t| t.and_utc()),
            overturned_at: r.overturned_at.map(|t| t.and_utc()),
            appeal: appeals.iter().find(|a| a.sanction_id == r.id).map(|a| a.status),
            created_at: r.created_at.and_utc(),
            id: r.id,
            user_id: r.user_id,
            reason: r.reason,
        })
        .collect())
}

/// The API view of an appeal.
pub fn appeal_dto(row: AppealRow) -> Appeal {
    Appeal {
        id: row.id,
        sanction_id: row.sanction_id,
        statement: row.statement,
        status: row.status,
        decision_reason: row.decision_reason,
        created_at: row.created_at.and_utc(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_search_beyond_the_slots_waits_then_is_refused() {
        let guard = SimilarQuestionsGuard::default();
        let held: Vec<_> = hold_slots(&guard, SIMILAR_SLOTS).await;
        let refused = guard.enter(Some("10.0.0.9")).await.expect_err("no slot left");
        assert_eq!(refused.body().code, "rate_limited");
        drop(held);
        assert!(guard.enter(Some("10.0.0.9")).await.is_ok(), "a slot frees when a search ends");
    }

    #[tokio::test]
    async fn an_address_past_its_minute_is_refused_with_a_retry_after() {
        let guard = SimilarQuestionsGuard::default();
        for _ in 0..SIMILAR_PER_MINUTE {
            drop(guard.enter(Some("10.0.0.1")).await.expect("within the limit"));
        }
        match guard.enter(Some("10.0.0.1")).await {
            Err(ApiError::TooManyRequests(body, retry_after)) => {
                assert_eq!(body.0.code, "rate_limited");
                assert!((1..=60).contains(&retry_after));
            }
            other => panic!("expected 429, got {other:?}"),
        }
        assert!(guard.enter(Some("10.0.0.2")).await.is_ok(), "another address is not limited");
    }

    async fn hold_slots(guard: &SimilarQuestionsGuard, n: usize) -> Vec<tokio::sync::OwnedSemaphorePermit> {
        let mut held = Vec::new();
        for i in 0..n {
            held.push(guard.enter(Some(&format!("10.0.1.{i}"))).await.expect("a free slot"));
        }
        held
    }
}
