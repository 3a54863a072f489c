//! `api_keys`: integrator keys of an organisation, stored as SHA-256 of the secret.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::api_keys;

/// An API key row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_keys)]
pub struct ApiKeyRow {
    pub id: String,
    pub org_id: String,
    pub name: String,
    pub prefix: String,
    pub key_hash: String,
    pub scopes: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

impl ApiKeyRow {
    /// Inserts a key.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(api_keys::table).values(self).execute(conn).map(drop)
    }

    /// A live (unrevoked) key by the hash of its secret.
    pub fn live_by_hash(conn: &mut DbConn, hash: &str) -> QueryResult<Option<ApiKeyRow>> {
        api_keys::table
            .filter(api_keys::key_hash.eq(hash))
            .filter(api_keys::revoked_at.is_null())
            .select(ApiKeyRow::as_select())
            .first(conn)
            .optional()
    }

    /// An organisation's keys, newest first.
    pub fn of_org(conn: &mut DbConn, org_id: &str) -> QueryResult<Vec<ApiKeyRow>> {
        api_keys::table
            .filter(api_keys::org_id.eq(org_id))
            .order(api_keys::id.desc())
            .select(ApiKeyRow::as_select())
            .load(conn)
    }

    /// Revokes a key of `org_id`; `false` if there is no such live key.
    pub fn revoke(conn: &mut DbConn, org_id: &str, id: &str, at: NaiveDateTime) -> QueryResult<bool> {
        let n = diesel::update(
            api_keys::table
                .find(id)
                .filter(api_keys::org_id.eq(org_id))
                .filter(api_keys::revoked_at.is_null()),
        )
        .set(api_keys::revoked_at.eq(at))
        .execute(conn)?;
        Ok(n == 1)
    }

    /// Records use.
    pub fn touch(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> QueryResult<()> {
        diesel::update(api_keys::table.find(id)).set(api_keys::last_used_at.eq(at)).execute(conn).map(drop)
    }
}
