//! Account rules that several endpoints share: turning shared's checks into API errors,
//! password hashing off the async runtime, re-authentication, one-time codes via the outbox,
//! and the PIPL parts of export and deletion that reach beyond the account row.

use chrono::{Duration, NaiveDateTime};
use shared::account::{self, Login};
use shared::dto::{GroupMembershipRecord, PointsRecord, PostRecord, UploadRecord};
use shared::error::ErrorCode;

use crate::auth::crypto::{constant_time_eq, keyed_hash, random_digits, unseal};
use crate::auth::totp;
use crate::db::models::codes::{CodePurpose, OneTimeCode};
use crate::db::models::files::FileRow;
use crate::db::models::outbox::{MessageChannel, OutboxMessage, OutboxStatus};
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

/// Hashes a password on the blocking pool (argon2 is deliberately slow), at most
/// `argon2_max_concurrent` at once: further requests wait for a permit, so a burst of public
/// requests cannot take every core and gigabytes of memory.
pub async fn hash_password(state: &AppState, password: String) -> Result<String, ApiError> {
    let _permit = state.hashing.acquire().await.map_err(ApiError::internal)?;
    state.metrics.password_hashed();
    let hashing = state.passwords.clone();
    tokio::task::spawn_blocking(move || hashing.hash(&password))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)
}

/// Verifies a password on the blocking pool (bounded like [`hash_password`]); with no hash,
/// spends the same time and fails.
pub async fn verify_password(
    state: &AppState,
    password: String,
    hash: Option<String>,
) -> Result<bool, ApiError> {
    let _permit = state.hashing.acquire().await.map_err(ApiError::internal)?;
    state.metrics.password_hashed();
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
    let now = crate::clock::current().now();
    if let Some(step) = totp::matching_step(&secret, code, now.timestamp()) {
        return if User::claim_totp_step(conn, &user.id, step)? { Ok(()) } else { Err(invalid()) };
    }
    let hash = crate::auth::crypto::sha256_hex(&totp::normalize_recovery_code(code));
    if RecoveryCode::consume(conn, &user.id, &hash, now.naive_utc())? { Ok(()) } else { Err(invalid()) }
}

/// Checks `user`'s password for a sensitive change, throttled per account like a login
/// (`reauth:<user>`, `login_max_failures_per_account` in the login window): a stolen session
/// cannot be used to guess the password. A right password hands the attempt back.
pub async fn verify_password_throttled(
    state: &AppState,
    user: &User,
    password: String,
) -> Result<bool, ApiError> {
    let key = format!("reauth:{}", user.id);
    state
        .throttle
        .attempt(&key, state.config.login_max_failures_per_account, std::time::Instant::now())
        .map_err(ApiError::rate_limited)?;
    let ok = verify_password(state, password, Some(user.password_hash.clone())).await?;
    if ok {
        state.throttle.forgive(&key);
    }
    Ok(ok)
}

/// Re-authentication for sensitive changes: the password, and a second factor when TOTP is on;
/// both guesses count against the account's re-authentication budget.
pub async fn reauthenticate(
    state: &AppState,
    user: &User,
    password: String,
    code: Option<String>,
) -> Result<(), ApiError> {
    if !verify_password_throttled(state, user, password).await? {
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
    let key = format!("reauth:{}", user.id);
    state
        .throttle
        .attempt(&key, state.config.login_max_failures_per_account, std::time::Instant::now())
        .map_err(ApiError::rate_limited)?;
    let (st, u) = (state.clone(), user.clone());
    state.db.run(move |c| check_second_factor(c, &st, &u, &code)).await?;
    state.throttle.forgive(&key);
    Ok(())
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
    let code_id = id.clone();
    OneTimeCode {
        code_hash: keyed_hash(&state.keys.encryption_key, &id, &code),
        id,
        user_id: user_id.to_owned(),
        purpose,
        destination: destination.to_owned(),
        attempts: 0,
        created_at: now,
        expires_at: now + Duration::minutes(CODE_TTL_MINUTES),
        consumed_at: None,
    }
    .replace(conn)?;
    let channel = MessageChannel::of(destination);
    let subject = if channel == MessageChannel::Email { "共筑 Gongzhu 验证码" } else { "" };
    let action = match purpose {
        CodePurpose::ResetPassword => "重置密码",
        CodePurpose::VerifyEmail | CodePurpose::VerifyPhone => "验证联系方式",
    };
    OutboxMessage {
        id: new_id(),
        channel,
        destination: destination.to_owned(),
        subject: subject.into(),
        body: format!(
            "【共筑】您正在{action}，验证码 {code}，{CODE_TTL_MINUTES} 分钟内有效。如非本人操作，请忽略。"
        ),
        status: OutboxStatus::Pending,
        attempts: 0,
        created_at: now,
        delivered_at: None,
        code_id: Some(code_id),
    }
    .insert(conn)?;
    // The code this one replaced, and any that expired meanwhile, leave the outbox text.
    OutboxMessage::scrub_dead_codes(conn, now)?;
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

/// The nickname a deleted person's group memberships keep (their posts stay readable).
pub const DELETED_NICKNAME: &str = "已注销用户";

/// What an export adds beyond the account itself: group memberships, posts, points, uploads.
pub struct CommunityRecords {
    /// Group memberships.
    pub groups: Vec<GroupMembershipRecord>,
    /// Posts written.
    pub posts: Vec<PostRecord>,
    /// Points balance.
    pub points_balance: i64,
    /// Points ledger, oldest first.
    pub points: Vec<PointsRecord>,
    /// Files uploaded.
    pub uploads: Vec<UploadRecord>,
}

/// Reads the person's community and upload records for the PIPL export.
pub fn community_records(conn: &mut DbConn, user_id: &str) -> Result<CommunityRecords, ApiError> {
    use diesel::prelude::*;

    use crate::db::schema::{community_groups, group_members, point_balances, points_ledger, posts};
    let groups = group_members::table
        .inner_join(community_groups::table.on(community_groups::id.eq(group_members::group_id)))
        .filter(group_members::user_id.eq(user_id))
        .order(group_members::joined_at.asc())
        .select((
            group_members::group_id,
            community_groups::name,
            group_members::nickname,
            group_members::role,
            group_members::status,
            group_members::joined_at,
        ))
        .load::<(String, String, String, String, String, NaiveDateTime)>(conn)?
        .into_iter()
        .map(|(group_id, group_name, nickname, role, status, joined)| GroupMembershipRecord {
            group_id,
            group_name,
            nickname,
            role,
            status,
            joined_at: joined.and_utc(),
        })
        .collect();
    let posts = posts::table
        .filter(posts::author_id.eq(user_id))
        .order(posts::created_at.asc())
        .select((
            posts::id,
            posts::group_id,
            posts::title,
            posts::body,
            posts::status,
            posts::created_at,
            posts::deleted_at,
        ))
        .load::<(String, String, String, String, String, NaiveDateTime, Option<NaiveDateTime>)>(conn)?
        .into_iter()
        .map(|(id, group_id, title, body, status, created, deleted)| PostRecord {
            id,
            group_id,
            title,
            body,
            status,
            created_at: created.and_utc(),
            deleted_at: deleted.map(|t| t.and_utc()),
        })
        .collect();
    let points_balance = point_balances::table
        .find(user_id)
        .select(point_balances::balance)
        .first::<i64>(conn)
        .optional()?
        .unwrap_or(0);
    let points = points_ledger::table
        .filter(points_ledger::user_id.eq(user_id))
        .order(points_ledger::created_at.asc())
        .select((points_ledger::delta, points_ledger::reason, points_ledger::created_at))
        .load::<(i64, String, NaiveDateTime)>(conn)?
        .into_iter()
        .map(|(delta, reason, at)| PointsRecord { delta, reason, created_at: at.and_utc() })
        .collect();
    let uploads = FileRow::uploads_of(conn, user_id)?
        .into_iter()
        .map(|(file, original_name, at)| UploadRecord {
            sha256: file.sha256,
            original_name,
            content_type: file.content_type,
            size: file.size,
            uploaded_at: at.and_utc(),
        })
        .collect();
    Ok(CommunityRecords { groups, posts, points_balance, points, uploads })
}

/// Erases what account deletion must beyond the account row (PIPL): the one-time codes (they
/// hold the e-mail or phone), messages sent to the person, invitations waiting for their
/// contacts, the address and browser of every session, their group nicknames (which groups
/// may require in real-name format; the memberships end), and their uploads. Files someone
/// else uploaded too, or that a verification, certificate, project, demand or shared resource
/// still uses, stay. Returns the hashes of files whose content the caller deletes once this
/// transaction has committed.
pub fn erase_personal_data(
    conn: &mut DbConn,
    user: &User,
    now: NaiveDateTime,
) -> Result<Vec<String>, ApiError> {
    use diesel::prelude::*;

    use crate::db::schema::{contact_invitations, group_members, sessions};
    let contacts: Vec<String> = [user.email.clone(), user.phone.clone()].into_iter().flatten().collect();
    for contact in &contacts {
        OutboxMessage::erase_for(conn, contact)?;
    }
    diesel::delete(contact_invitations::table.filter(contact_invitations::contact.eq_any(&contacts)))
        .execute(conn)?;
    OneTimeCode::erase_for_user(conn, &user.id)?;
    diesel::update(sessions::table.filter(sessions::user_id.eq(&user.id)))
        .set((sessions::ip.eq(None::<String>), sessions::user_agent.eq(None::<String>)))
        .execute(conn)?;
    diesel::update(
        group_members::table
            .filter(group_members::user_id.eq(&user.id))
            .filter(group_members::status.eq("active")),
    )
    .set((group_members::status.eq("left"), group_members::left_at.eq(Some(now))))
    .execute(conn)?;
    diesel::update(group_members::table.filter(group_members::user_id.eq(&user.id)))
        .set(group_members::nickname.eq(DELETED_NICKNAME))
        .execute(conn)?;
    Ok(FileRow::forget_uploads_of(conn, &user.id)?)
}
