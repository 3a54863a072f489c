//! `one_time_codes`: six-digit codes that prove a contact or authorise a password reset.
//! Stored as a keyed hash; at most [`MAX_ATTEMPTS`] guesses; a new code replaces the old one.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::models::outbox::OutboxMessage;
use crate::db::schema::one_time_codes;

/// Wrong guesses allowed before a code is dead.
pub const MAX_ATTEMPTS: i32 = 5;

pub use shared::domain::messaging::CodePurpose;

/// A one-time code row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = one_time_codes)]
pub struct OneTimeCode {
    pub id: String,
    pub user_id: String,
    pub purpose: CodePurpose,
    pub destination: String,
    pub code_hash: String,
    pub attempts: i32,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub consumed_at: Option<NaiveDateTime>,
}

impl OneTimeCode {
    /// Stores a new code, retiring any live code of the same account and purpose.
    pub fn replace(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::update(
            one_time_codes::table
                .filter(one_time_codes::user_id.eq(&self.user_id))
                .filter(one_time_codes::purpose.eq(self.purpose))
                .filter(one_time_codes::consumed_at.is_null()),
        )
        .set(one_time_codes::consumed_at.eq(self.created_at))
        .execute(conn)?;
        diesel::insert_into(one_time_codes::table).values(self).execute(conn).map(drop)
    }

    /// The live code of an account for a purpose (not consumed, not expired, guesses left).
    pub fn live(
        conn: &mut DbConn,
        user_id: &str,
        purpose: CodePurpose,
        now: NaiveDateTime,
    ) -> QueryResult<Option<OneTimeCode>> {
        one_time_codes::table
            .filter(one_time_codes::user_id.eq(user_id))
            .filter(one_time_codes::purpose.eq(purpose))
            .filter(one_time_codes::consumed_at.is_null())
            .filter(one_time_codes::expires_at.gt(now))
            .filter(one_time_codes::attempts.lt(MAX_ATTEMPTS))
            .order(one_time_codes::id.desc())
            .select(OneTimeCode::as_select())
            .first(conn)
            .optional()
    }

    /// The send times of the account's codes of this purpose since `since`, oldest first (for
    /// the daily cap).
    pub fn sent_since(
        conn: &mut DbConn,
        user_id: &str,
        purpose: CodePurpose,
        since: NaiveDateTime,
    ) -> QueryResult<Vec<NaiveDateTime>> {
        one_time_codes::table
            .filter(one_time_codes::user_id.eq(user_id))
            .filter(one_time_codes::purpose.eq(purpose))
            .filter(one_time_codes::created_at.gt(since))
            .order(one_time_codes::created_at.asc())
            .select(one_time_codes::created_at)
            .load(conn)
    }

    /// When the account last had a code of this purpose sent (for the resend cooldown).
    pub fn last_sent_at(
        conn: &mut DbConn,
        user_id: &str,
        purpose: CodePurpose,
    ) -> QueryResult<Option<NaiveDateTime>> {
        one_time_codes::table
            .filter(one_time_codes::user_id.eq(user_id))
            .filter(one_time_codes::purpose.eq(purpose))
            .select(diesel::dsl::max(one_time_codes::created_at))
            .first(conn)
    }

    /// Claims one guess at a code: a single compare-and-set, so parallel guesses can never
    /// exceed [`MAX_ATTEMPTS`] on either database. `false` once the guesses are spent or the code
    /// was used.
    pub fn claim_attempt(conn: &mut DbConn, id: &str) -> QueryResult<bool> {
        let n = diesel::update(
            one_time_codes::table
                .find(id)
                .filter(one_time_codes::attempts.lt(MAX_ATTEMPTS))
                .filter(one_time_codes::consumed_at.is_null()),
        )
        .set(one_time_codes::attempts.eq(one_time_codes::attempts + 1))
        .execute(conn)?;
        Ok(n == 1)
    }

    /// Uses the code up and scrubs it (and any other dead code) from the outbox text; `false`
    /// if it had been used concurrently.
    pub fn consume(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
        let updated =
            diesel::update(one_time_codes::table.find(id).filter(one_time_codes::consumed_at.is_null()))
                .set(one_time_codes::consumed_at.eq(now))
                .execute(conn)?;
        OutboxMessage::scrub_dead_codes(conn, now)?;
        Ok(updated == 1)
    }

    /// Erases every code row of an account (account deletion: they hold the e-mail or phone).
    pub fn erase_for_user(conn: &mut DbConn, user_id: &str) -> QueryResult<usize> {
        diesel::delete(one_time_codes::table.filter(one_time_codes::user_id.eq(user_id))).execute(conn)
    }
}
