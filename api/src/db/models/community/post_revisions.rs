//! Earlier versions of posts and replies.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::post_revisions;

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
