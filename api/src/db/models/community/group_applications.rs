//! Applications to join a group.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::dto::ApplicationStatus;

use crate::db::DbConn;
use crate::db::schema::{group_applications, users};

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
    pub status: ApplicationStatus,
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
            .filter(group_applications::status.eq(ApplicationStatus::Pending))
            .select(GroupApplicationRow::as_select())
            .first(conn)
            .optional()
    }

    /// A group's applications of one status, oldest first, after `cursor`.
    pub fn page(
        conn: &mut DbConn,
        group_id: &str,
        status: ApplicationStatus,
        cursor: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<(GroupApplicationRow, String)>> {
        let mut query = group_applications::table
            .inner_join(users::table)
            .filter(group_applications::group_id.eq(group_id.to_owned()))
            .filter(group_applications::status.eq(status))
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
