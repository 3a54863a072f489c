//! Reports of posts, replies and members.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::dto::{ReportStatus, ReportTarget};

use crate::db::DbConn;
use crate::db::schema::community_reports;

/// A report.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = community_reports)]
#[diesel(treat_none_as_null = true)]
pub struct ReportRow {
    pub id: String,
    pub group_id: String,
    pub reporter_id: String,
    pub target_kind: ReportTarget,
    pub target_id: String,
    pub target_user_id: String,
    pub reason: String,
    pub status: ReportStatus,
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
            .filter(community_reports::status.eq(ReportStatus::Open))
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
