//! Posts (discussions, questions, articles) and their list filters.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::dto::{PostKind, PostStatus};

use crate::db::DbConn;
use crate::db::schema::posts;

/// A post. `topics` and `held_words` are JSON arrays.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = posts)]
#[diesel(treat_none_as_null = true)]
pub struct PostRow {
    pub id: String,
    pub group_id: String,
    pub author_id: String,
    pub kind: PostKind,
    pub title: String,
    pub body: String,
    pub topics: String,
    pub status: PostStatus,
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
    pub kind: Option<PostKind>,
    pub topic: Option<&'a str>,
    pub pinned: Option<bool>,
    pub featured: Option<bool>,
    pub in_faq: Option<bool>,
    pub status: Option<PostStatus>,
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
            .filter(posts::status.eq(filter.status.unwrap_or(PostStatus::Published)))
            .select(PostRow::as_select())
            .order(posts::id.desc())
            .limit(limit)
            .into_boxed();
        if let Some(cursor) = cursor {
            query = query.filter(posts::id.lt(cursor.to_owned()));
        }
        if let Some(kind) = filter.kind {
            query = query.filter(posts::kind.eq(kind));
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
            .filter(posts::status.eq(PostStatus::Published))
            .filter(posts::kind.eq(PostKind::Question))
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
            .filter(posts::kind.eq(PostKind::Question))
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
