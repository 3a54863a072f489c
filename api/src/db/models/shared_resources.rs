//! A group's shared resources, their ratings and comments.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::dto::{ResourceCategory, SharedResourceStatus};

use crate::db::DbConn;
use crate::db::schema::{resource_comments, resource_ratings, shared_resources};

/// A shared resource.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = shared_resources)]
#[diesel(treat_none_as_null = true)]
pub struct SharedResourceRow {
    pub id: String,
    pub group_id: String,
    pub name: String,
    pub source: String,
    pub scenario: String,
    pub category: ResourceCategory,
    pub link: Option<String>,
    pub file_sha256: Option<String>,
    pub sharer_id: String,
    pub status: SharedResourceStatus,
    pub rating_sum: i64,
    pub rating_count: i64,
    pub created_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
    pub deleted_by: Option<String>,
}

impl SharedResourceRow {
    /// Inserts a resource.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(shared_resources::table).values(self).execute(conn).map(drop)
    }

    /// Marks a published resource deleted; returns whether it was (a conditional update: a
    /// second, concurrent deletion finds it gone).
    pub fn mark_deleted(conn: &mut DbConn, id: &str, by: &str, at: NaiveDateTime) -> QueryResult<bool> {
        let changed = diesel::update(
            shared_resources::table
                .find(id)
                .filter(shared_resources::status.eq(SharedResourceStatus::Published)),
        )
        .set((
            shared_resources::status.eq(SharedResourceStatus::Deleted),
            shared_resources::deleted_at.eq(Some(at)),
            shared_resources::deleted_by.eq(Some(by)),
        ))
        .execute(conn)?;
        Ok(changed == 1)
    }

    /// Moves the rating sum and count by the given amounts.
    pub fn add_rating(conn: &mut DbConn, id: &str, sum: i64, count: i64) -> QueryResult<()> {
        diesel::update(shared_resources::table.find(id))
            .set((
                shared_resources::rating_sum.eq(shared_resources::rating_sum + sum),
                shared_resources::rating_count.eq(shared_resources::rating_count + count),
            ))
            .execute(conn)
            .map(drop)
    }

    /// One resource (deleted ones included).
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<SharedResourceRow>> {
        shared_resources::table.find(id).select(SharedResourceRow::as_select()).first(conn).optional()
    }

    /// A group's published resources, newest first, optionally of one category.
    pub fn published(
        conn: &mut DbConn,
        group_id: &str,
        category: Option<ResourceCategory>,
        cursor: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<SharedResourceRow>> {
        let mut query = shared_resources::table
            .filter(shared_resources::group_id.eq(group_id.to_owned()))
            .filter(shared_resources::status.eq(SharedResourceStatus::Published))
            .order(shared_resources::id.desc())
            .limit(limit)
            .select(SharedResourceRow::as_select())
            .into_boxed();
        if let Some(category) = category {
            query = query.filter(shared_resources::category.eq(category));
        }
        if let Some(cursor) = cursor {
            query = query.filter(shared_resources::id.lt(cursor.to_owned()));
        }
        query.load(conn)
    }

    /// A group's published resources shared in `[from, to)`, oldest first.
    pub fn shared_between(
        conn: &mut DbConn,
        group_id: &str,
        from: NaiveDateTime,
        to: NaiveDateTime,
    ) -> QueryResult<Vec<SharedResourceRow>> {
        shared_resources::table
            .filter(shared_resources::group_id.eq(group_id))
            .filter(shared_resources::status.eq(SharedResourceStatus::Published))
            .filter(shared_resources::created_at.ge(from))
            .filter(shared_resources::created_at.lt(to))
            .order(shared_resources::id.asc())
            .select(SharedResourceRow::as_select())
            .load(conn)
    }

    /// Whether a published resource of a group `readable` by the person has this file.
    pub fn groups_with_file(conn: &mut DbConn, sha256: &str) -> QueryResult<Vec<String>> {
        shared_resources::table
            .filter(shared_resources::file_sha256.eq(sha256))
            .filter(shared_resources::status.eq(SharedResourceStatus::Published))
            .select(shared_resources::group_id)
            .load(conn)
    }
}

/// One person's rating of a resource.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = resource_ratings)]
pub struct RatingRow {
    pub resource_id: String,
    pub user_id: String,
    pub stars: i32,
    pub rated_at: NaiveDateTime,
}

impl RatingRow {
    /// The person's rating, if any.
    pub fn find(conn: &mut DbConn, resource_id: &str, user_id: &str) -> QueryResult<Option<RatingRow>> {
        resource_ratings::table
            .find((resource_id, user_id))
            .select(RatingRow::as_select())
            .first(conn)
            .optional()
    }

    /// Inserts or replaces the person's rating.
    pub fn upsert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::delete(resource_ratings::table.find((&self.resource_id, &self.user_id))).execute(conn)?;
        diesel::insert_into(resource_ratings::table).values(self).execute(conn).map(drop)
    }

    /// The person's ratings among `resource_ids`.
    pub fn of_user(
        conn: &mut DbConn,
        resource_ids: &[String],
        user_id: &str,
    ) -> QueryResult<Vec<(String, i32)>> {
        resource_ratings::table
            .filter(resource_ratings::resource_id.eq_any(resource_ids))
            .filter(resource_ratings::user_id.eq(user_id))
            .select((resource_ratings::resource_id, resource_ratings::stars))
            .load(conn)
    }
}

/// A comment on a resource.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = resource_comments)]
pub struct CommentRow {
    pub id: String,
    pub resource_id: String,
    pub author_id: String,
    pub body: String,
    pub created_at: NaiveDateTime,
}

impl CommentRow {
    /// Inserts a comment.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(resource_comments::table).values(self).execute(conn).map(drop)
    }

    /// A resource's comments, oldest first, after `cursor`.
    pub fn page(
        conn: &mut DbConn,
        resource_id: &str,
        cursor: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<CommentRow>> {
        let mut query = resource_comments::table
            .filter(resource_comments::resource_id.eq(resource_id.to_owned()))
            .order(resource_comments::id.asc())
            .limit(limit)
            .select(CommentRow::as_select())
            .into_boxed();
        if let Some(cursor) = cursor {
            query = query.filter(resource_comments::id.gt(cursor.to_owned()));
        }
        query.load(conn)
    }

    /// Comments per resource.
    pub fn counts(
        conn: &mut DbConn,
        resource_ids: &[String],
    ) -> QueryResult<std::collections::HashMap<String, i64>> {
        let rows: Vec<String> = resource_comments::table
            .filter(resource_comments::resource_id.eq_any(resource_ids))
            .select(resource_comments::resource_id)
            .load(conn)?;
        let mut counts = std::collections::HashMap::new();
        for id in rows {
            *counts.entry(id).or_insert(0) += 1;
        }
        Ok(counts)
    }
}
