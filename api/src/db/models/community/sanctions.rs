//! Sanctions on members.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::domain::community::moderation::Sanction;

use crate::db::DbConn;
use crate::db::schema::sanctions;

/// A sanction.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = sanctions)]
#[diesel(treat_none_as_null = true)]
pub struct SanctionRow {
    pub id: String,
    pub group_id: String,
    pub user_id: String,
    pub kind: Sanction,
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
