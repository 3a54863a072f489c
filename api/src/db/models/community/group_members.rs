//! Memberships of groups.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::domain::community::groups::GroupRole;
use shared::dto::MemberStatus;

use crate::db::DbConn;
use crate::db::schema::group_members;

/// A person's membership of a group (kept after leaving or removal, with the status).
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = group_members)]
#[diesel(treat_none_as_null = true)]
pub struct GroupMemberRow {
    pub group_id: String,
    pub user_id: String,
    pub role: GroupRole,
    pub nickname: String,
    pub status: MemberStatus,
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
            .filter(group_members::status.eq(MemberStatus::Active))
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
            .filter(group_members::status.eq(MemberStatus::Active))
            .filter(group_members::nickname.eq_any(names))
            .select(GroupMemberRow::as_select())
            .load(conn)
    }

    /// Active members holding one of `roles` (for notifying admins).
    pub fn with_roles(conn: &mut DbConn, group_id: &str, roles: &[GroupRole]) -> QueryResult<Vec<String>> {
        group_members::table
            .filter(group_members::group_id.eq(group_id))
            .filter(group_members::status.eq(MemberStatus::Active))
            .filter(group_members::role.eq_any(roles))
            .select(group_members::user_id)
            .load(conn)
    }

    /// How many active members.
    pub fn count(conn: &mut DbConn, group_id: &str) -> QueryResult<i64> {
        group_members::table
            .filter(group_members::group_id.eq(group_id))
            .filter(group_members::status.eq(MemberStatus::Active))
            .count()
            .get_result(conn)
    }

    /// Nicknames of several people in a group (any status), by user id.
    pub fn nicknames(
        conn: &mut DbConn,
        group_id: &str,
        user_ids: &[String],
    ) -> QueryResult<std::collections::HashMap<String, (String, GroupRole)>> {
        let rows: Vec<(String, String, GroupRole)> = group_members::table
            .filter(group_members::group_id.eq(group_id))
            .filter(group_members::user_id.eq_any(user_ids))
            .select((group_members::user_id, group_members::nickname, group_members::role))
            .load(conn)?;
        Ok(rows.into_iter().map(|(u, n, r)| (u, (n, r))).collect())
    }
}
