//! `users`: accounts. Deleted accounts keep their row (pseudonymised) so contracts and the
//! audit chain can still name them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{recovery_codes, users};

/// An account row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub email_verified_at: Option<NaiveDateTime>,
    pub phone_verified_at: Option<NaiveDateTime>,
    pub password_hash: String,
    pub display_name: String,
    pub totp_secret_enc: Option<String>,
    pub totp_enabled: bool,
    pub totp_last_step: Option<i64>,
    pub privacy_policy_version: String,
    pub privacy_accepted_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
}

impl User {
    /// A new account of `display_name` signing in with `password_hash`, contacts unverified, no
    /// second factor, the current privacy policy accepted `at`.
    pub fn new_account(
        email: Option<String>,
        phone: Option<String>,
        password_hash: String,
        display_name: String,
        at: NaiveDateTime,
    ) -> Self {
        Self {
            id: crate::db::new_id(),
            email,
            phone,
            email_verified_at: None,
            phone_verified_at: None,
            password_hash,
            display_name,
            totp_secret_enc: None,
            totp_enabled: false,
            totp_last_step: None,
            privacy_policy_version: crate::routes::auth::accounts::PRIVACY_POLICY_VERSION.into(),
            privacy_accepted_at: at,
            created_at: at,
            updated_at: at,
            deleted_at: None,
        }
    }

    /// Inserts a new account.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(users::table).values(self).execute(conn).map(drop)
    }

    /// An active (not deleted) account by id.
    pub fn find_active(conn: &mut DbConn, id: &str) -> QueryResult<Option<User>> {
        users::table
            .filter(users::id.eq(id))
            .filter(users::deleted_at.is_null())
            .select(User::as_select())
            .first(conn)
            .optional()
    }

    /// An active account by normalised e-mail address.
    pub fn find_by_email(conn: &mut DbConn, email: &str) -> QueryResult<Option<User>> {
        users::table
            .filter(users::email.eq(email))
            .filter(users::deleted_at.is_null())
            .select(User::as_select())
            .first(conn)
            .optional()
    }

    /// An active account by normalised mobile number.
    pub fn find_by_phone(conn: &mut DbConn, phone: &str) -> QueryResult<Option<User>> {
        users::table
            .filter(users::phone.eq(phone))
            .filter(users::deleted_at.is_null())
            .select(User::as_select())
            .first(conn)
            .optional()
    }

    /// Sets a new password hash.
    pub fn set_password(conn: &mut DbConn, id: &str, hash: &str, now: NaiveDateTime) -> QueryResult<()> {
        diesel::update(users::table.find(id))
            .set((users::password_hash.eq(hash), users::updated_at.eq(now)))
            .execute(conn)
            .map(drop)
    }

    /// Sets the display name.
    pub fn set_display_name(conn: &mut DbConn, id: &str, name: &str, now: NaiveDateTime) -> QueryResult<()> {
        diesel::update(users::table.find(id))
            .set((users::display_name.eq(name), users::updated_at.eq(now)))
            .execute(conn)
            .map(drop)
    }

    /// Marks the e-mail address or the phone as proven.
    pub fn mark_contact_verified(
        conn: &mut DbConn,
        id: &str,
        email: bool,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        let target = users::table.find(id);
        if email {
            diesel::update(target)
                .set((users::email_verified_at.eq(now), users::updated_at.eq(now)))
                .execute(conn)
        } else {
            diesel::update(target)
                .set((users::phone_verified_at.eq(now), users::updated_at.eq(now)))
                .execute(conn)
        }
        .map(drop)
    }

    /// Stores a pending (unconfirmed) TOTP secret, replacing any earlier pending one.
    pub fn set_pending_totp(
        conn: &mut DbConn,
        id: &str,
        secret_enc: &str,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        diesel::update(users::table.find(id))
            .set((
                users::totp_secret_enc.eq(secret_enc),
                users::totp_enabled.eq(false),
                users::totp_last_step.eq(None::<i64>),
                users::updated_at.eq(now),
            ))
            .execute(conn)
            .map(drop)
    }

    /// Turns TOTP on or off; turning it off forgets the secret.
    pub fn set_totp_enabled(
        conn: &mut DbConn,
        id: &str,
        enabled: bool,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        let target = users::table.find(id);
        if enabled {
            diesel::update(target)
                .set((users::totp_enabled.eq(true), users::updated_at.eq(now)))
                .execute(conn)
        } else {
            diesel::update(target)
                .set((
                    users::totp_enabled.eq(false),
                    users::totp_secret_enc.eq(None::<String>),
                    users::totp_last_step.eq(None::<i64>),
                    users::updated_at.eq(now),
                ))
                .execute(conn)
        }
        .map(drop)
    }

    /// Records the TOTP time step just used, only if it is newer than the last one — the
    /// compare-and-set that makes a code single-use even under concurrent logins.
    pub fn claim_totp_step(conn: &mut DbConn, id: &str, step: i64) -> QueryResult<bool> {
        let updated = diesel::update(
            users::table.find(id).filter(users::totp_last_step.is_null().or(users::totp_last_step.lt(step))),
        )
        .set(users::totp_last_step.eq(step))
        .execute(conn)?;
        Ok(updated == 1)
    }

    /// Erases personal data and marks the account deleted; the row stays as a pseudonymous
    /// reference for contracts and the audit chain.
    pub fn pseudonymise(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> QueryResult<()> {
        diesel::update(users::table.find(id))
            .set((
                users::email.eq(None::<String>),
                users::phone.eq(None::<String>),
                users::email_verified_at.eq(None::<NaiveDateTime>),
                users::phone_verified_at.eq(None::<NaiveDateTime>),
                users::password_hash.eq(""),
                users::display_name.eq("已注销用户"),
                users::totp_secret_enc.eq(None::<String>),
                users::totp_enabled.eq(false),
                users::totp_last_step.eq(None::<i64>),
                users::updated_at.eq(now),
                users::deleted_at.eq(now),
            ))
            .execute(conn)?;
        diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(id))).execute(conn).map(drop)
    }
}

/// A TOTP recovery code (stored as a SHA-256 hash; the codes are high-entropy).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = recovery_codes)]
pub struct RecoveryCode {
    pub id: String,
    pub user_id: String,
    pub code_hash: String,
    pub created_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
}

impl RecoveryCode {
    /// Replaces the account's recovery codes with a new set.
    pub fn replace_all(conn: &mut DbConn, user_id: &str, codes: &[RecoveryCode]) -> QueryResult<()> {
        diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id))).execute(conn)?;
        // One row at a time: diesel's multi-backend has no portable batch insert.
        for code in codes {
            diesel::insert_into(recovery_codes::table).values(code).execute(conn)?;
        }
        Ok(())
    }

    /// Uses an unused recovery code with this hash; `false` if there is none.
    pub fn consume(
        conn: &mut DbConn,
        user_id: &str,
        code_hash: &str,
        now: NaiveDateTime,
    ) -> QueryResult<bool> {
        let updated = diesel::update(
            recovery_codes::table
                .filter(recovery_codes::user_id.eq(user_id))
                .filter(recovery_codes::code_hash.eq(code_hash))
                .filter(recovery_codes::used_at.is_null()),
        )
        .set(recovery_codes::used_at.eq(now))
        .execute(conn)?;
        Ok(updated == 1)
    }

    /// How many unused recovery codes the account has left.
    pub fn remaining(conn: &mut DbConn, user_id: &str) -> QueryResult<i64> {
        recovery_codes::table
            .filter(recovery_codes::user_id.eq(user_id))
            .filter(recovery_codes::used_at.is_null())
            .count()
            .get_result(conn)
    }
}
