//! `sessions` and `refresh_tokens`: a session is one refresh-token family; each refresh rotates
//! the token, and presenting a rotated token again revokes the whole family.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{refresh_tokens, sessions, users};

/// A session (refresh-token family) row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions)]
pub struct Session {
    pub id: String,
    pub user_id: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    pub revoked_reason: Option<String>,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
}

/// A refresh token row (the token itself is never stored, only its SHA-256).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshToken {
    pub id: String,
    pub session_id: String,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
}

impl Session {
    /// Inserts a new session.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(sessions::table).values(self).execute(conn).map(drop)
    }

    /// Whether the session is live and its account active: checked on every authenticated
    /// request, so logout and account deletion take effect at once.
    pub fn is_live(conn: &mut DbConn, session_id: &str, user_id: &str) -> QueryResult<bool> {
        let found: i64 = sessions::table
            .inner_join(users::table)
            .filter(sessions::id.eq(session_id))
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::revoked_at.is_null())
            .filter(users::deleted_at.is_null())
            .count()
            .get_result(conn)?;
        Ok(found == 1)
    }

    /// Revokes one session.
    pub fn revoke(conn: &mut DbConn, id: &str, reason: &str, now: NaiveDateTime) -> QueryResult<()> {
        diesel::update(sessions::table.find(id).filter(sessions::revoked_at.is_null()))
            .set((sessions::revoked_at.eq(now), sessions::revoked_reason.eq(reason)))
            .execute(conn)
            .map(drop)
    }

    /// Revokes every session of an account except `keep` (if given).
    pub fn revoke_all_for_user(
        conn: &mut DbConn,
        user_id: &str,
        keep: Option<&str>,
        reason: &str,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        let live = sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::revoked_at.is_null())
            .filter(sessions::id.ne(keep.unwrap_or("")));
        diesel::update(live)
            .set((sessions::revoked_at.eq(now), sessions::revoked_reason.eq(reason)))
            .execute(conn)
            .map(drop)
    }

    /// The account's sessions, newest first (for data export).
    pub fn list_for_user(conn: &mut DbConn, user_id: &str) -> QueryResult<Vec<Session>> {
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .order(sessions::id.desc())
            .select(Session::as_select())
            .load(conn)
    }

    /// Whether the account has signed in from `ip` since `since` (a familiar address).
    pub fn seen_from(conn: &mut DbConn, user_id: &str, ip: &str, since: NaiveDateTime) -> QueryResult<bool> {
        let n: i64 = sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::ip.eq(ip))
            .filter(sessions::created_at.ge(since))
            .count()
            .get_result(conn)?;
        Ok(n > 0)
    }

    /// Updates the last-used time.
    pub fn touch(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> QueryResult<()> {
        diesel::update(sessions::table.find(id)).set(sessions::last_used_at.eq(now)).execute(conn).map(drop)
    }
}

impl RefreshToken {
    /// Inserts a new refresh token.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(refresh_tokens::table).values(self).execute(conn).map(drop)
    }

    /// A refresh token with its session, by token hash.
    pub fn find_with_session(conn: &mut DbConn, hash: &str) -> QueryResult<Option<(RefreshToken, Session)>> {
        refresh_tokens::table
            .inner_join(sessions::table)
            .filter(refresh_tokens::token_hash.eq(hash))
            .select((RefreshToken::as_select(), Session::as_select()))
            .first(conn)
            .optional()
    }

    /// Marks the token used if it was not yet; `false` means it had been used (a replay).
    pub fn claim(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
        let updated =
            diesel::update(refresh_tokens::table.find(id).filter(refresh_tokens::used_at.is_null()))
                .set(refresh_tokens::used_at.eq(now))
                .execute(conn)?;
        Ok(updated == 1)
    }
}

/// `password_change_required`: accounts signed in with a one-time password given by an operator,
/// which may do nothing but choose their own password.
pub struct PasswordChangeRequired;

impl PasswordChangeRequired {
    /// Marks `user_id` as having to change its password.
    pub fn set(conn: &mut DbConn, user_id: &str, now: NaiveDateTime) -> QueryResult<()> {
        use crate::db::schema::password_change_required as p;
        let present = Self::is_set(conn, user_id)?;
        if !present {
            diesel::insert_into(p::table).values((p::user_id.eq(user_id), p::since.eq(now))).execute(conn)?;
        }
        Ok(())
    }

    /// Whether `user_id` still has to change its password.
    pub fn is_set(conn: &mut DbConn, user_id: &str) -> QueryResult<bool> {
        use crate::db::schema::password_change_required as p;
        let n: i64 = p::table.filter(p::user_id.eq(user_id)).count().get_result(conn)?;
        Ok(n > 0)
    }

    /// The password was changed: the restriction ends.
    pub fn clear(conn: &mut DbConn, user_id: &str) -> QueryResult<()> {
        use crate::db::schema::password_change_required as p;
        diesel::delete(p::table.filter(p::user_id.eq(user_id))).execute(conn).map(drop)
    }
}
