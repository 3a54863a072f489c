//! Replies to posts (answers to questions).

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;
use shared::dto::PostStatus;

use crate::db::DbConn;
use crate::db::schema::{posts, replies};

/// A reply.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = replies)]
#[diesel(treat_none_as_null = true)]
pub struct ReplyRow {
    pub id: String,
    pub post_id: String,
    pub author_id: String,
    pub body: String,
    pub status: PostStatus,
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
        statuses: &[PostStatus],
        cursor: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<ReplyRow>> {
        let mut query = replies::table
            .filter(replies::post_id.eq(post_id.to_owned()))
            .filter(replies::status.eq_any(statuses.to_vec()))
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
            .filter(replies::status.eq(PostStatus::Published))
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
            .filter(replies::status.eq(PostStatus::Held))
            .select(ReplyRow::as_select())
            .order(replies::id.asc())
            .limit(limit)
            .load(conn)
    }
}
