//! A community group.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::domain::community::groups::JoinPolicy;
use shared::dto::MemberStatus;

use crate::db::DbConn;
use crate::db::schema::{community_groups, group_members};

/// A group. `questionnaire` and `banned_words` are JSON arrays.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = community_groups)]
#[diesel(treat_none_as_null = true)]
pub struct GroupRow {
    pub id: String,
    pub name: String,
    pub description: String,
    pub rules: String,
    pub join_policy: JoinPolicy,
    pub nickname_format: Option<String>,
    pub questionnaire: String,
    pub banned_words: String,
    pub owner_id: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl GroupRow {
    /// Inserts a group.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(community_groups::table).values(self).execute(conn).map(drop)
    }

    /// Writes every field back.
    pub fn save(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::update(community_groups::table.find(&self.id)).set(self).execute(conn).map(drop)
    }

    /// One group.
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<GroupRow>> {
        community_groups::table.find(id).select(GroupRow::as_select()).first(conn).optional()
    }

    /// Whether a group has this name.
    pub fn name_taken(conn: &mut DbConn, name: &str) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(community_groups::table.filter(community_groups::name.eq(name))))
            .get_result(conn)
    }

    /// Groups newest first after `cursor`; only those `member_of` belongs to when given.
    pub fn page(
        conn: &mut DbConn,
        member_of: Option<&str>,
        cursor: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<GroupRow>> {
        let mut query = community_groups::table
            .select(GroupRow::as_select())
            .order(community_groups::id.desc())
            .limit(limit)
            .into_boxed();
        if let Some(cursor) = cursor {
            query = query.filter(community_groups::id.lt(cursor.to_owned()));
        }
        if let Some(user) = member_of {
            let mine = group_members::table
                .filter(group_members::user_id.eq(user.to_owned()))
                .filter(group_members::status.eq(MemberStatus::Active))
                .select(group_members::group_id);
            query = query.filter(community_groups::id.eq_any(mine));
        }
        query.load(conn)
    }
}
