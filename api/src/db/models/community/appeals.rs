//! Appeals against sanctions.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::dto::AppealStatus;

use crate::db::DbConn;
use crate::db::schema::{appeals, sanctions};

/// An appeal.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = appeals)]
#[diesel(treat_none_as_null = true)]
pub struct AppealRow {
    pub id: String,
    pub sanction_id: String,
    pub user_id: String,
    pub statement: String,
    pub status: AppealStatus,
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
            .filter(appeals::status.eq(AppealStatus::Pending))
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
