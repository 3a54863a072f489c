//! The community tables: groups, members, applications, invitations, posts, replies, revisions,
//! the points ledger, reports, sanctions and appeals.

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{
    appeals, community_groups, community_reports, group_applications, group_invitations, group_members,
    points_ledger, post_revisions, posts, replies, sanctions, users,
};

/// A group. `questionnaire` and `banned_words` are JSON arrays.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = community_groups)]
#[diesel(treat_none_as_null = true)]
pub struct GroupRow {
    pub id: String,
    pub name: String,
    pub description: String,
    pub rules: String,
    pub join_policy: String,
    pub nickname_format: Option<String>,
    pub questionnaire: String,
    pub banned_words: String,
    pub owner_id: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl GroupRow {
    /// Inserts a group.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(community_groups::table).values(self).execute(conn).map(drop)
    }

    /// Writes every field back.
    pub fn save(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::update(community_groups::table.find(&self.id)).set(self).execute(conn).map(drop)
    }

    /// One group.
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<GroupRow>> {
        community_groups::table.find(id).select(GroupRow::as_select()).first(conn).optional()
    }

    /// Whether a group has this name.
    pub fn name_taken(conn: &mut DbConn, name: &str) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(community_groups::table.filter(community_groups::name.eq(name))))
            .get_result(conn)
    }

    /// Groups newest first after `cursor`; only those `member_of` belongs to when given.
    pub fn page(
        conn: &mut DbConn,
        member_of: Option<&str>,
        cursor: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<GroupRow>> {
        let mut query = community_groups::table
            .select(GroupRow::as_select())
            .order(community_groups::id.desc())
            .limit(limit)
            .into_boxed();
        if let Some(cursor) = cursor {
            query = query.filter(community_groups::id.lt(cursor.to_owned()));
        }
        if let Some(user) = member_of {
            let mine = group_members::table
                .filter(group_members::user_id.eq(user.to_owned()))
                .filter(group_members::status.eq("active"))
                .select(group_members::group_id);
            query = query.filter(community_groups::id.eq_any(mine));
        }
        query.load(conn)
    }
}

/// A person's membership of a group (kept after leaving or removal, with the status).
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = group_members)]
#[diesel(treat_none_as_null = true)]
pub struct GroupMemberRow {
    pub group_id: String,
    pub user_id: String,
    pub role: String,
    pub nickname: String,
    pub status: String,
    pub joined_at: NaiveDateTime,
    pub muted_until: Option<NaiveDateTime>,
    pub left_at: Option<NaiveDateTime>,
}

impl GroupMemberRow {
    /// Inserts or replaces (a person who left and rejoins) a membership.
    pub fn upsert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::delete(
            group_members::table
                .filter(group_members::group_id.eq(&self.group_id))
                .filter(group_members::user_id.eq(&self.user_id)),
        )
        .execute(conn)?;
        diesel::insert_into(group_members::table).values(self).execute(conn).map(drop)
    }

    /// Writes every field back.
    pub fn save(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::update(group_members::table.find((&self.group_id, &self.user_id)))
            .set(self)
            .execute(conn)
            .map(drop)
    }

    /// One membership, whatever its status.
    pub fn find(conn: &mut DbConn, group_id: &str, user_id: &str) -> QueryResult<Option<GroupMemberRow>> {
        group_members::table
            .find((group_id, user_id))
            .select(GroupMemberRow::as_select())
            .first(conn)
            .optional()
    }

    /// Active members in user-id order after `cursor` (a user id): a stable keyset order.
    pub fn page(
        conn: &mut DbConn,
        group_id: &str,
        cursor: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<GroupMemberRow>> {
        let mut query = group_members::table
            .filter(group_members::group_id.eq(group_id.to_owned()))
            .filter(group_members::status.eq("active"))
            .select(GroupMemberRow::as_select())
            .order(group_members::user_id.asc())
            .limit(limit)
            .into_boxed();
        if let Some(cursor) = cursor {
            query = query.filter(group_members::user_id.gt(cursor.to_owned()));
        }
        query.load(conn)
    }

    /// Active members whose nickname is one of `names`.
    pub fn by_nicknames(
        conn: &mut DbConn,
        group_id: &str,
        names: &[String],
    ) -> QueryResult<Vec<GroupMemberRow>> {
        group_members::table
            .filter(group_members::group_id.eq(group_id))
            .filter(group_members::status.eq("active"))
            .filter(group_members::nickname.eq_any(names))
            .select(GroupMemberRow::as_select())
            .load(conn)
    }

    /// Active members holding one of `roles` (for notifying admins).
    pub fn with_roles(conn: &mut DbConn, group_id: &str, roles: &[&str]) -> QueryResult<Vec<String>> {
        group_members::table
            .filter(group_members::group_id.eq(group_id))
            .filter(group_members::status.eq("active"))
            .filter(group_members::role.eq_any(roles))
            .select(group_members::user_id)
            .load(conn)
    }

    /// How many active members.
    pub fn count(conn: &mut DbConn, group_id: &str) -> QueryResult<i64> {
        group_members::table
            .filter(group_members::group_id.eq(group_id))
            .filter(group_members::status.eq("active"))
            .count()
            .get_result(conn)
    }

    /// Nicknames of several people in a group (any status), by user id.
    pub fn nicknames(
        conn: &mut DbConn,
        group_id: &str,
        user_ids: &[String],
    ) -> QueryResult<std::collections::HashMap<String, (String, String)>> {
        let rows: Vec<(String, String, String)> = group_members::table
            .filter(group_members::group_id.eq(group_id))
            .filter(group_members::user_id.eq_any(user_ids))
            .select((group_members::user_id, group_members::nickname, group_members::role))
            .load(conn)?;
        Ok(rows.into_iter().map(|(u, n, r)| (u, (n, r))).collect())
    }
}

/// A join application. `answers` is a JSON array of strings in questionnaire order.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = group_applications)]
#[diesel(treat_none_as_null = true)]
pub struct GroupApplicationRow {
    pub id: String,
    pub group_id: String,
    pub user_id: String,
    pub nickname: String,
    pub answers: String,
    pub status: String,
    pub reason: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

impl GroupApplicationRow {
    /// Inserts an application.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(group_applications::table).values(self).execute(conn).map(drop)
    }

    /// Writes every field back.
    pub fn save(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::update(group_applications::table.find(&self.id)).set(self).execute(conn).map(drop)
    }

    /// One application with the applicant's display name.
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<(GroupApplicationRow, String)>> {
        group_applications::table
            .inner_join(users::table)
            .filter(group_applications::id.eq(id))
            .select((GroupApplicationRow::as_select(), users::display_name))
            .first(conn)
            .optional()
    }

    /// The person's pending application to the group, if any.
    pub fn pending_of(
        conn: &mut DbConn,
        group_id: &str,
        user_id: &str,
    ) -> QueryResult<Option<GroupApplicationRow>> {
        group_applications::table
            .filter(group_applications::group_id.eq(group_id))
            .filter(group_applications::user_id.eq(user_id))
            .filter(group_applications::status.eq("pending"))
            .select(GroupApplicationRow::as_select())
            .first(conn)
            .optional()
    }

    /// A group's applications of one status, oldest first, after `cursor`.
    pub fn page(
        conn: &mut DbConn,
        group_id: &str,
        status: &str,
        cursor: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<(GroupApplicationRow, String)>> {
        let mut query = group_applications::table
            .inner_join(users::table)
            .filter(group_applications::group_id.eq(group_id.to_owned()))
            .filter(group_applications::status.eq(status.to_owned()))
            .select((GroupApplicationRow::as_select(), users::display_name))
            .order(group_applications::id.asc())
            .limit(limit)
            .into_boxed();
        if let Some(cursor) = cursor {
            query = query.filter(group_applications::id.gt(cursor.to_owned()));
        }
        query.load(conn)
    }
}

/// An invitation to an invite-only (or any) group.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = group_invitations)]
#[diesel(treat_none_as_null = true)]
pub struct GroupInvitationRow {
    pub id: String,
    pub group_id: String,
    pub user_id: String,
    pub invited_by: String,
    pub created_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
}

impl GroupInvitationRow {
    /// Inserts an invitation.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(group_invitations::table).values(self).execute(conn).map(drop)
    }

    /// The person's unused invitation to the group.
    pub fn open_for(
        conn: &mut DbConn,
        group_id: &str,
        user_id: &str,
    ) -> QueryResult<Option<GroupInvitationRow>> {
        group_invitations::table
            .filter(group_invitations::group_id.eq(group_id))
            .filter(group_invitations::user_id.eq(user_id))
            .filter(group_invitations::used_at.is_null())
            .select(GroupInvitationRow::as_select())
            .first(conn)
            .optional()
    }

    /// Forgets the person's used invitations to the group (before inviting them again).
    pub fn delete_used(conn: &mut DbConn, group_id: &str, user_id: &str) -> QueryResult<()> {
        diesel::delete(
            group_invitations::table
                .filter(group_invitations::group_id.eq(group_id))
                .filter(group_invitations::user_id.eq(user_id))
                .filter(group_invitations::used_at.is_not_null()),
        )
        .execute(conn)
        .map(drop)
    }

    /// Marks it used.
    pub fn mark_used(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> QueryResult<()> {
        diesel::update(group_invitations::table.find(id))
            .set(group_invitations::used_at.eq(at))
            .execute(conn)
            .map(drop)
    }
}

/// A post. `topics` and `held_words` are JSON arrays.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = posts)]
#[diesel(treat_none_as_null = true)]
pub struct PostRow {
    pub id: String,
    pub group_id: String,
    pub author_id: String,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub topics: String,
    pub status: String,
    pub held_words: Option<String>,
    pub pinned: bool,
    pub featured: bool,
    pub in_faq: bool,
    pub accepted_reply_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
    pub deleted_by: Option<String>,
}

/// Filters of a post list.
#[derive(Default)]
pub struct PostFilter<'a> {
    pub kind: Option<&'a str>,
    pub topic: Option<&'a str>,
    pub pinned: Option<bool>,
    pub featured: Option<bool>,
    pub in_faq: Option<bool>,
    pub status: Option<&'a str>,
    pub solved: Option<bool>,
}

impl PostRow {
    /// Inserts a post.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(posts::table).values(self).execute(conn).map(drop)
    }

    /// Writes every field back.
    pub fn save(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::update(posts::table.find(&self.id)).set(self).execute(conn).map(drop)
    }

    /// One post.
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<PostRow>> {
        posts::table.find(id).select(PostRow::as_select()).first(conn).optional()
    }

    /// A group's posts, newest first, after `cursor`.
    pub fn page(
        conn: &mut DbConn,
        group_id: &str,
        filter: &PostFilter<'_>,
        cursor: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<PostRow>> {
        let mut query = posts::table
            .filter(posts::group_id.eq(group_id.to_owned()))
            .filter(posts::status.eq(filter.status.unwrap_or("published").to_owned()))
            .select(PostRow::as_select())
            .order(posts::id.desc())
            .limit(limit)
            .into_boxed();
        if let Some(cursor) = cursor {
            query = query.filter(posts::id.lt(cursor.to_owned()));
        }
        if let Some(kind) = filter.kind {
            query = query.filter(posts::kind.eq(kind.to_owned()));
        }
        if let Some(topic) = filter.topic {
            // Topics are a JSON array of strings: match the quoted element, LIKE wildcards escaped.
            let quoted = serde_json::json!(topic).to_string();
            let escaped = quoted.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            query = query.filter(posts::topics.like(format!("%{escaped}%")).escape('\\'));
        }
        if let Some(pinned) = filter.pinned {
            query = query.filter(posts::pinned.eq(pinned));
        }
        if let Some(featured) = filter.featured {
            query = query.filter(posts::featured.eq(featured));
        }
        if let Some(in_faq) = filter.in_faq {
            query = query.filter(posts::in_faq.eq(in_faq));
        }
        match filter.solved {
            Some(true) => query = query.filter(posts::accepted_reply_id.is_not_null()),
            Some(false) => query = query.filter(posts::accepted_reply_id.is_null()),
            None => {}
        }
        query.load(conn)
    }

    /// Several posts by id (any order).
    pub fn find_many(conn: &mut DbConn, ids: &[String]) -> QueryResult<Vec<PostRow>> {
        posts::table.filter(posts::id.eq_any(ids)).select(PostRow::as_select()).load(conn)
    }

    /// Stores a question's search terms (a JSON array).
    pub fn set_search_terms(conn: &mut DbConn, id: &str, terms: &str) -> QueryResult<()> {
        diesel::update(posts::table.find(id)).set(posts::search_terms.eq(terms)).execute(conn).map(drop)
    }

    /// A group's published questions (for "search before you ask"), newest first, at most
    /// `cap`: (id, stored search terms) only, never the bodies.
    pub fn question_terms(
        conn: &mut DbConn,
        group_id: &str,
        cap: i64,
    ) -> QueryResult<Vec<(String, Option<String>)>> {
        posts::table
            .filter(posts::group_id.eq(group_id))
            .filter(posts::status.eq("published"))
            .filter(posts::kind.eq("question"))
            .select((posts::id, posts::search_terms))
            .order(posts::id.desc())
            .limit(cap)
            .load(conn)
    }

    /// A group's questions (any status) whose search terms were never computed, newest first.
    pub fn questions_without_terms(
        conn: &mut DbConn,
        group_id: &str,
        limit: i64,
    ) -> QueryResult<Vec<PostRow>> {
        posts::table
            .filter(posts::group_id.eq(group_id))
            .filter(posts::kind.eq("question"))
            .filter(posts::search_terms.is_null())
            .select(PostRow::as_select())
            .order(posts::id.desc())
            .limit(limit)
            .load(conn)
    }

    /// Records `reply_id` as the accepted answer unless one already is. A conditional update:
    /// of two concurrent acceptances (PostgreSQL, READ COMMITTED) the second waits for the
    /// first's row lock, re-reads the row and changes nothing. Returns whether this one won.
    pub fn accept_answer(
        conn: &mut DbConn,
        id: &str,
        reply_id: &str,
        at: NaiveDateTime,
    ) -> QueryResult<bool> {
        diesel::update(posts::table.filter(posts::id.eq(id)).filter(posts::accepted_reply_id.is_null()))
            .set((posts::accepted_reply_id.eq(reply_id), posts::updated_at.eq(at)))
            .execute(conn)
            .map(|n| n == 1)
    }
}

/// A reply.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = replies)]
#[diesel(treat_none_as_null = true)]
pub struct ReplyRow {
    pub id: String,
    pub post_id: String,
    pub author_id: String,
    pub body: String,
    pub status: String,
    pub held_words: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
    pub deleted_by: Option<String>,
}

impl ReplyRow {
    /// Inserts a reply.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(replies::table).values(self).execute(conn).map(drop)
    }

    /// Writes every field back.
    pub fn save(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::update(replies::table.find(&self.id)).set(self).execute(conn).map(drop)
    }

    /// One reply.
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<ReplyRow>> {
        replies::table.find(id).select(ReplyRow::as_select()).first(conn).optional()
    }

    /// Several replies by id (any order).
    pub fn find_many(conn: &mut DbConn, ids: &[String]) -> QueryResult<Vec<ReplyRow>> {
        replies::table.filter(replies::id.eq_any(ids)).select(ReplyRow::as_select()).load(conn)
    }

    /// A post's replies of the given statuses, oldest first, after `cursor`.
    pub fn page(
        conn: &mut DbConn,
        post_id: &str,
        statuses: &[&str],
        cursor: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<ReplyRow>> {
        let mut query = replies::table
            .filter(replies::post_id.eq(post_id.to_owned()))
            .filter(replies::status.eq_any(statuses.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>()))
            .select(ReplyRow::as_select())
            .order(replies::id.asc())
            .limit(limit)
            .into_boxed();
        if let Some(cursor) = cursor {
            query = query.filter(replies::id.gt(cursor.to_owned()));
        }
        query.load(conn)
    }

    /// Published reply counts of several posts.
    pub fn counts(
        conn: &mut DbConn,
        post_ids: &[String],
    ) -> QueryResult<std::collections::HashMap<String, i64>> {
        let rows: Vec<(String, i64)> = replies::table
            .filter(replies::post_id.eq_any(post_ids))
            .filter(replies::status.eq("published"))
            .group_by(replies::post_id)
            .select((replies::post_id, count_star()))
            .load(conn)?;
        Ok(rows.into_iter().collect())
    }

    /// A group's held replies (with their post ids), oldest first.
    pub fn held_in_group(conn: &mut DbConn, group_id: &str, limit: i64) -> QueryResult<Vec<ReplyRow>> {
        replies::table
            .inner_join(posts::table)
            .filter(posts::group_id.eq(group_id))
            .filter(replies::status.eq("held"))
            .select(ReplyRow::as_select())
            .order(replies::id.asc())
            .limit(limit)
            .load(conn)
    }
}

/// A previous version of a post or reply; `held`: that version was held for review.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = post_revisions)]
pub struct PostRevisionRow {
    pub id: String,
    pub post_id: String,
    pub reply_id: Option<String>,
    pub title: String,
    pub body: String,
    pub edited_by: String,
    pub edited_at: NaiveDateTime,
    pub held: bool,
}

impl PostRevisionRow {
    /// Inserts a revision.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(post_revisions::table).values(self).execute(conn).map(drop)
    }

    /// A post's revisions (its replies' too), oldest first.
    pub fn of_post(conn: &mut DbConn, post_id: &str) -> QueryResult<Vec<PostRevisionRow>> {
        post_revisions::table
            .filter(post_revisions::post_id.eq(post_id))
            .select(PostRevisionRow::as_select())
            .order(post_revisions::id.asc())
            .load(conn)
    }

    /// Which of these posts or replies have revisions.
    pub fn edited(conn: &mut DbConn, post_ids: &[String], reply_ids: &[String]) -> QueryResult<Vec<String>> {
        let mut posts_edited: Vec<String> = post_revisions::table
            .filter(post_revisions::post_id.eq_any(post_ids))
            .filter(post_revisions::reply_id.is_null())
            .select(post_revisions::post_id)
            .distinct()
            .load(conn)?;
        let replies_edited: Vec<Option<String>> = post_revisions::table
            .filter(post_revisions::reply_id.eq_any(reply_ids))
            .select(post_revisions::reply_id)
            .distinct()
            .load(conn)?;
        posts_edited.extend(replies_edited.into_iter().flatten());
        Ok(posts_edited)
    }
}

/// One points ledger entry.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = points_ledger)]
pub struct PointsRow {
    pub id: String,
    pub user_id: String,
    pub delta: i64,
    pub reason: String,
    pub group_id: Option<String>,
    pub subject_id: Option<String>,
    pub created_at: NaiveDateTime,
}

impl PointsRow {
    /// Appends an entry.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(points_ledger::table).values(self).execute(conn).map(drop)
    }

    /// A person's balance: the sum of their entries (summed here: SQLite and PostgreSQL type
    /// SUM(BIGINT) differently).
    pub fn balance(conn: &mut DbConn, user_id: &str) -> QueryResult<i64> {
        let deltas: Vec<i64> = points_ledger::table
            .filter(points_ledger::user_id.eq(user_id))
            .select(points_ledger::delta)
            .load(conn)?;
        Ok(deltas.into_iter().sum())
    }

    /// How many awards for `reason` with a positive amount the person got since `since`.
    pub fn awards_since(
        conn: &mut DbConn,
        user_id: &str,
        reason: &str,
        since: NaiveDateTime,
    ) -> QueryResult<i64> {
        points_ledger::table
            .filter(points_ledger::user_id.eq(user_id))
            .filter(points_ledger::reason.eq(reason))
            .filter(points_ledger::delta.gt(0))
            .filter(points_ledger::created_at.ge(since))
            .count()
            .get_result(conn)
    }

    /// The points an award for `reason` on `subject_id` brought the person (0 when none).
    pub fn award_for(conn: &mut DbConn, user_id: &str, reason: &str, subject_id: &str) -> QueryResult<i64> {
        let deltas: Vec<i64> = points_ledger::table
            .filter(points_ledger::user_id.eq(user_id))
            .filter(points_ledger::reason.eq(reason))
            .filter(points_ledger::subject_id.eq(subject_id))
            .select(points_ledger::delta)
            .load(conn)?;
        Ok(deltas.into_iter().sum())
    }

    /// A person's entries, newest first, after `cursor`.
    pub fn page(
        conn: &mut DbConn,
        user_id: &str,
        cursor: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<PointsRow>> {
        let mut query = points_ledger::table
            .filter(points_ledger::user_id.eq(user_id.to_owned()))
            .select(PointsRow::as_select())
            .order(points_ledger::id.desc())
            .limit(limit)
            .into_boxed();
        if let Some(cursor) = cursor {
            query = query.filter(points_ledger::id.lt(cursor.to_owned()));
        }
        query.load(conn)
    }

    /// The `limit` people who earned the most points (awards and withdrawals, not redemptions)
    /// since `since`, optionally in one group, with a positive total: (user id, display name,
    /// points), most first, ties by user id. Summed and ranked in SQL (the CAST because
    /// PostgreSQL types SUM(BIGINT) as NUMERIC), so a busy month is never read row by row.
    pub fn leaderboard(
        conn: &mut DbConn,
        since: NaiveDateTime,
        group_id: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<(String, String, i64)>> {
        use diesel::dsl::sql;
        use diesel::sql_types::{BigInt, Bool};
        let mut query = points_ledger::table
            .filter(points_ledger::created_at.ge(since))
            .filter(
                points_ledger::reason.ne_all(vec!["redemption".to_owned(), "redemption_refund".to_owned()]),
            )
            .group_by(points_ledger::user_id)
            .select((points_ledger::user_id, sql::<BigInt>("CAST(SUM(points_ledger.delta) AS BIGINT)")))
            .into_boxed();
        if let Some(group_id) = group_id {
            query = query.filter(points_ledger::group_id.eq(group_id.to_owned()));
        }
        let totals: Vec<(String, i64)> = query
            .having(sql::<Bool>("SUM(points_ledger.delta) > 0"))
            .order(sql::<BigInt>("CAST(SUM(points_ledger.delta) AS BIGINT) DESC, points_ledger.user_id"))
            .limit(limit)
            .load(conn)?;
        let people: Vec<&String> = totals.iter().map(|(u, _)| u).collect();
        let names: std::collections::HashMap<String, String> = users::table
            .filter(users::id.eq_any(people))
            .select((users::id, users::display_name))
            .load::<(String, String)>(conn)?
            .into_iter()
            .collect();
        Ok(totals
            .into_iter()
            .map(|(u, p)| {
                let name = names.get(&u).cloned().unwrap_or_default();
                (u, name, p)
            })
            .collect())
    }
}

/// A report.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = community_reports)]
#[diesel(treat_none_as_null = true)]
pub struct ReportRow {
    pub id: String,
    pub group_id: String,
    pub reporter_id: String,
    pub target_kind: String,
    pub target_id: String,
    pub target_user_id: String,
    pub reason: String,
    pub status: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

impl ReportRow {
    /// Inserts a report.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(community_reports::table).values(self).execute(conn).map(drop)
    }

    /// Writes every field back.
    pub fn save(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::update(community_reports::table.find(&self.id)).set(self).execute(conn).map(drop)
    }

    /// One report.
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<ReportRow>> {
        community_reports::table.find(id).select(ReportRow::as_select()).first(conn).optional()
    }

    /// A group's open reports, oldest first, after `cursor`.
    pub fn open_page(
        conn: &mut DbConn,
        group_id: &str,
        cursor: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<ReportRow>> {
        let mut query = community_reports::table
            .filter(community_reports::group_id.eq(group_id.to_owned()))
            .filter(community_reports::status.eq("open"))
            .select(ReportRow::as_select())
            .order(community_reports::id.asc())
            .limit(limit)
            .into_boxed();
        if let Some(cursor) = cursor {
            query = query.filter(community_reports::id.gt(cursor.to_owned()));
        }
        query.load(conn)
    }
}

/// A sanction.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = sanctions)]
#[diesel(treat_none_as_null = true)]
pub struct SanctionRow {
    pub id: String,
    pub group_id: String,
    pub user_id: String,
    pub kind: String,
    pub reason: String,
    pub report_id: Option<String>,
    pub applied_by: String,
    pub created_at: NaiveDateTime,
    pub until_at: Option<NaiveDateTime>,
    pub overturned_at: Option<NaiveDateTime>,
}

impl SanctionRow {
    /// Inserts a sanction.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(sanctions::table).values(self).execute(conn).map(drop)
    }

    /// Writes every field back.
    pub fn save(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::update(sanctions::table.find(&self.id)).set(self).execute(conn).map(drop)
    }

    /// One sanction.
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<SanctionRow>> {
        sanctions::table.find(id).select(SanctionRow::as_select()).first(conn).optional()
    }

    /// How many sanctions stand (not overturned) against the person in the group.
    pub fn standing(conn: &mut DbConn, group_id: &str, user_id: &str) -> QueryResult<i64> {
        sanctions::table
            .filter(sanctions::group_id.eq(group_id))
            .filter(sanctions::user_id.eq(user_id))
            .filter(sanctions::overturned_at.is_null())
            .count()
            .get_result(conn)
    }

    /// The moderation log, newest first, after `cursor`.
    pub fn page(
        conn: &mut DbConn,
        group_id: &str,
        cursor: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<SanctionRow>> {
        let mut query = sanctions::table
            .filter(sanctions::group_id.eq(group_id.to_owned()))
            .select(SanctionRow::as_select())
            .order(sanctions::id.desc())
            .limit(limit)
            .into_boxed();
        if let Some(cursor) = cursor {
            query = query.filter(sanctions::id.lt(cursor.to_owned()));
        }
        query.load(conn)
    }
}

/// An appeal.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = appeals)]
#[diesel(treat_none_as_null = true)]
pub struct AppealRow {
    pub id: String,
    pub sanction_id: String,
    pub user_id: String,
    pub statement: String,
    pub status: String,
    pub decision_reason: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

impl AppealRow {
    /// Inserts an appeal.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(appeals::table).values(self).execute(conn).map(drop)
    }

    /// Writes every field back.
    pub fn save(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::update(appeals::table.find(&self.id)).set(self).execute(conn).map(drop)
    }

    /// One appeal.
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<AppealRow>> {
        appeals::table.find(id).select(AppealRow::as_select()).first(conn).optional()
    }

    /// A group's pending appeals, oldest first.
    pub fn pending_in_group(conn: &mut DbConn, group_id: &str) -> QueryResult<Vec<AppealRow>> {
        appeals::table
            .inner_join(sanctions::table)
            .filter(sanctions::group_id.eq(group_id))
            .filter(appeals::status.eq("pending"))
            .select(AppealRow::as_select())
            .order(appeals::id.asc())
            .limit(100)
            .load(conn)
    }

    /// The appeal of each of these sanctions, if any.
    pub fn of_sanctions(conn: &mut DbConn, ids: &[String]) -> QueryResult<Vec<AppealRow>> {
        appeals::table.filter(appeals::sanction_id.eq_any(ids)).select(AppealRow::as_select()).load(conn)
    }
}
