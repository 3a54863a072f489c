//! Account rules that several endpoints share: turning shared's checks into API errors,
//! password hashing off the async runtime, re-authentication, and one-time codes via the outbox.

use chrono::{Duration, NaiveDateTime, Utc};
use shared::account::{self, Login};
use shared::dto::FieldIssue;
use shared::error::ErrorCode;

use crate::auth::crypto::{constant_time_eq, keyed_hash, random_digits, unseal};
use crate::auth::totp;
use crate::db::models::codes::{CodePurpose, OneTimeCode};
use crate::db::models::outbox::{OutboxMessage, STATUS_PENDING};
use crate::db::models::users::{RecoveryCode, User};
use crate::db::{DbConn, new_id};
use crate::error::ApiError;
use crate::state::AppState;

/// Privacy policy version a registration consents to.
pub const PRIVACY_POLICY_VERSION: &str = "2026-11";
/// One-time codes of one purpose an account may be sent per 24 hours.
pub const CODES_PER_DAY: usize = 10;
/// Minutes a one-time code stays valid.
pub const CODE_TTL_MINUTES: i64 = 10;

/// A login string parsed, or `validation_failed` on `field`.
pub fn parse_login(raw: &str, field: &str) -> Result<Login, ApiError> {
    account::parse_login(raw).map_err(|e| ApiError::field(field, e.as_str(), e.to_string()))
}

/// The password policy as an API error listing every broken rule.
pub fn check_password(password: &str, hints: &[&str], field: &str) -> Result<(), ApiError> {
    account::check_password(password, hints).map_err(|issues| {
        let message = issues.iter().map(|i| i.message()).collect::<Vec<_>>().join("; ");
        let details = issues.iter().map(|i| FieldIssue::new(field, i.as_str())).collect();
        ApiError::validation(message, details)
    })
}

/// Hashes a password on the blocking pool (argon2 is deliberately slow).
pub async fn hash_password(state: &AppState, password: String) -> Result<String, ApiError> {
    let hashing = state.passwords.clone();
    tokio::task::spawn_blocking(move || hashing.hash(&password))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)
}

/// Verifies a password on the blocking pool; with no hash, spends the same time and fails.
pub async fn verify_password(
    state: &AppState,
    password: String,
    hash: Option<String>,
) -> Result<bool, ApiError> {
    let hashing = state.passwords.clone();
    tokio::task::spawn_blocking(move || match hash {
        Some(hash) => hashing.verify(&password, &hash),
        None => {
            hashing.verify_dummy(&password);
            false
        }
    })
    .await
    .map_err(ApiError::internal)
}

/// Finds an active account by login.
pub fn find_by_login(conn: &mut DbConn, login: &Login) -> Result<Option<User>, ApiError> {
    Ok(match login {
        Login::Email(email) => User::find_by_email(conn, email)?,
        Login::Phone(phone) => User::find_by_phone(conn, phone)?,
    })
}

/// Loads the caller's account (404 if it vanished).
pub async fn load_user(state: &AppState, user_id: &str) -> Result<User, ApiError> {
    let id = user_id.to_owned();
    state
        .db
        .run(move |c| User::find_active(c, &id).map_err(ApiError::from))
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "account not found"))
}

/// Checks a second-factor code for an account with TOTP: a fresh 6-digit code (its step is
/// claimed so it cannot be replayed) or an unused recovery code (consumed).
pub fn check_second_factor(
    conn: &mut DbConn,
    state: &AppState,
    user: &User,
    code: &str,
) -> Result<(), ApiError> {
    let invalid = || {
        ApiError::new(ErrorCode::InvalidCode, "the code is wrong, expired or already used")
            .with_detail("code", "invalid_code")
    };
    let secret = user
        .totp_secret_enc
        .as_deref()
        .and_then(|sealed| unseal(&state.keys.encryption_key, sealed).ok())
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(invalid)?;
    let now = Utc::now();
    if let Some(step) = totp::matching_step(&secret, code, now.timestamp()) {
        return if User::claim_totp_step(conn, &user.id, step)? { Ok(()) } else { Err(invalid()) };
    }
    let hash = crate::auth::crypto::sha256_hex(&totp::normalize_recovery_code(code));
    if RecoveryCode::consume(conn, &user.id, &hash, now.naive_utc())? { Ok(()) } else { Err(invalid()) }
}

/// Re-authentication for sensitive changes: the password, and a second factor when TOTP is on.
pub async fn reauthenticate(
    state: &AppState,
    user: &User,
    password: String,
    code: Option<String>,
) -> Result<(), ApiError> {
    if !verify_password(state, password, Some(user.password_hash.clone())).await? {
        return Err(ApiError::new(ErrorCode::InvalidCredentials, "password is wrong")
            .with_detail("password", "wrong_password"));
    }
    if !user.totp_enabled {
        return Ok(());
    }
    let code = code.ok_or_else(|| {
        ApiError::new(ErrorCode::MfaRequired, "a TOTP or recovery code is required")
            .with_detail("code", "required")
    })?;
    let (st, u) = (state.clone(), user.clone());
    state.db.run(move |c| check_second_factor(c, &st, &u, &code)).await
}

/// Creates a one-time code for `purpose`, retiring the previous one, and queues it to
/// `destination` through the outbox. Refuses with 429 within the resend cooldown.
pub fn issue_code(
    conn: &mut DbConn,
    state: &AppState,
    user_id: &str,
    purpose: CodePurpose,
    destination: &str,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    if let Some(last) = OneTimeCode::last_sent_at(conn, user_id, purpose)? {
        let ready = last + Duration::seconds(state.config.code_resend_secs);
        if ready > now {
            return Err(ApiError::rate_limited((ready - now).num_seconds().max(1) as u64));
        }
    }
    // At most CODES_PER_DAY codes of one purpose a day: each code allows five guesses, so this
    // bounds guessing at 50 a day per account whatever the resend cooldown.
    let sent = OneTimeCode::sent_since(conn, user_id, purpose, now - Duration::hours(24))?;
    if sent.len() >= CODES_PER_DAY {
        let ready = sent[sent.len() - CODES_PER_DAY] + Duration::hours(24);
        return Err(ApiError::rate_limited((ready - now).num_seconds().max(1) as u64));
    }
    let code = random_digits(6);
    let id = new_id();
    OneTimeCode {
        code_hash: keyed_hash(&state.keys.encryption_key, &id, &code),
        id,
        user_id: user_id.to_owned(),
        purpose: purpose.as_str().to_owned(),
        destination: destination.to_owned(),
        attempts: 0,
        created_at: now,
        expires_at: now + Duration::minutes(CODE_TTL_MINUTES),
        consumed_at: None,
    }
    .replace(conn)?;
    let (channel, subject) =
        if destination.contains('@') { ("email", "共筑 Gongzhu 验证码") } else { ("sms", "") };
    let action = match purpose {
        CodePurpose::ResetPassword => "重置密码",
        CodePurpose::VerifyEmail | CodePurpose::VerifyPhone => "验证联系方式",
    };
    OutboxMessage {
        id: new_id(),
        channel: channel.into(),
        destination: destination.to_owned(),
        subject: subject.into(),
        body: format!(
            "【共筑】您正在{action}，验证码 {code}，{CODE_TTL_MINUTES} 分钟内有效。如非本人操作，请忽略。"
        ),
        status: STATUS_PENDING.into(),
        attempts: 0,
        created_at: now,
        delivered_at: None,
    }
    .insert(conn)?;
    Ok(())
}

/// Checks a one-time code: claims one guess (committed by the caller's transaction whatever the
/// outcome) and answers the code's id when it matches. The caller then consumes it with
/// [`OneTimeCode::consume`] in the same transaction as the change the code authorises.
pub fn check_code(
    conn: &mut DbConn,
    state: &AppState,
    user_id: &str,
    purpose: CodePurpose,
    code: &str,
    now: NaiveDateTime,
) -> Result<Option<String>, ApiError> {
    let Some(live) = OneTimeCode::live(conn, user_id, purpose, now)? else { return Ok(None) };
    if !OneTimeCode::claim_attempt(conn, &live.id)? {
        return Ok(None);
    }
    let expected = keyed_hash(&state.keys.encryption_key, &live.id, code.trim());
    Ok(constant_time_eq(&expected, &live.code_hash).then_some(live.id))
}

/// The error for a wrong, expired or used code.
pub fn invalid_code() -> ApiError {
    ApiError::new(ErrorCode::InvalidCode, "the code is wrong, expired or already used")
        .with_detail("code", "invalid_code")
}
