//! Invitations to a group.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::group_invitations;

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
