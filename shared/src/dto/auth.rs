//! Accounts and sessions: registration, login (with TOTP), token refresh, the caller's profile,
//! password and contact management, 2FA enrolment, data export and deletion.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Create an account with an e-mail address or a mainland mobile number (at least one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct RegisterRequest {
    /// E-mail address; required unless `phone` is given.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 254)))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Mainland mobile number (11 digits, optional +86); required unless `email` is given.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 20)))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Password: 10–128 characters with at least one letter and one digit.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 512)))]
    pub password: String,
    /// Name shown to other people (1–50 characters).
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 200)))]
    pub display_name: String,
    /// Must be `true`: the person accepts the privacy policy (recorded with its version and time).
    pub accept_privacy: bool,
    /// Browser clients set `true` to receive the refresh token in an HttpOnly cookie instead of
    /// the body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_cookie: Option<bool>,
    /// The referral code of the person who invited them (`GET /me/referral`); that person earns
    /// 20 points once this person's organisation is verified.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 16)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral_code: Option<String>,
}

/// Sign in with an e-mail address or mobile number and a password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct LoginRequest {
    /// E-mail address or mobile number.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 254)))]
    pub login: String,
    /// The password.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 512)))]
    pub password: String,
    /// Browser clients set `true` to receive the refresh token in an HttpOnly cookie.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_cookie: Option<bool>,
}

/// Second step of a login with 2FA: the `mfa_token` from the first step and a code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct TotpLoginRequest {
    /// The `mfa_token` returned by `POST /auth/login` (valid for 5 minutes).
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 2048)))]
    pub mfa_token: String,
    /// A 6-digit code from the authenticator app, or an unused recovery code.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 32)))]
    pub code: String,
    /// Browser clients set `true` to receive the refresh token in an HttpOnly cookie.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_cookie: Option<bool>,
}

/// Exchange a refresh token for a new access token and a new refresh token (rotation).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct RefreshRequest {
    /// The refresh token; browser clients omit it and send the `gz_refresh` cookie instead.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 256)))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

/// A new session: tokens and the signed-in person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct SessionTokens {
    /// Short-lived JWT for `Authorization: Bearer`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until `access_token` expires.
    pub expires_in: i64,
    /// Rotating refresh token; absent when it was set as an HttpOnly cookie.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// When the refresh token expires.
    pub refresh_expires_at: DateTime<Utc>,
    /// The signed-in person.
    pub user: UserProfile,
}

/// Answer to a password login: either a session, or `mfa_required` with an `mfa_token` for
/// `POST /auth/login/totp` (and no tokens).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct LoginResponse {
    /// `true` when a TOTP or recovery code must be given next.
    pub mfa_required: bool,
    /// Token for the second step; present only when `mfa_required`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mfa_token: Option<String>,
    /// Short-lived JWT; absent when `mfa_required`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    /// `Bearer`; absent when `mfa_required`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
    /// Seconds until `access_token` expires; absent when `mfa_required`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<i64>,
    /// Rotating refresh token; absent when `mfa_required` or set as a cookie.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// When the refresh token expires; absent when `mfa_required`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_expires_at: Option<DateTime<Utc>>,
    /// The signed-in person; absent when `mfa_required`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<UserProfile>,
}

impl From<SessionTokens> for LoginResponse {
    fn from(s: SessionTokens) -> Self {
        Self {
            mfa_required: false,
            mfa_token: None,
            access_token: Some(s.access_token),
            token_type: Some(s.token_type),
            expires_in: Some(s.expires_in),
            refresh_token: s.refresh_token,
            refresh_expires_at: Some(s.refresh_expires_at),
            user: Some(s.user),
        }
    }
}

/// A person's own account as they see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct UserProfile {
    /// Account id (UUIDv7).
    pub id: String,
    /// E-mail address, if the account has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Whether the e-mail address was proven with a one-time code.
    pub email_verified: bool,
    /// Mobile number, if the account has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Whether the mobile number was proven with a one-time code.
    pub phone_verified: bool,
    /// Name shown to other people.
    pub display_name: String,
    /// Whether TOTP two-factor authentication is on.
    pub totp_enabled: bool,
    /// When the account was created.
    pub created_at: DateTime<Utc>,
}

/// Change the display name (or, later, other profile fields).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct UpdateProfileRequest {
    /// New display name (1–50 characters).
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 200)))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
}

/// Change the password; every other session is signed out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct ChangePasswordRequest {
    /// The current password.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 512)))]
    pub current_password: String,
    /// The new password (same policy as registration).
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 512)))]
    pub new_password: String,
}

/// Which contact a one-time code goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum ContactChannel {
    /// The account's e-mail address.
    Email,
    /// The account's mobile number (SMS).
    Phone,
}

/// Send a one-time code to one of the account's contacts, to prove it is theirs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct ContactCodeRequest {
    /// The contact to verify.
    pub channel: ContactChannel,
}

/// Prove a contact with the one-time code that was sent to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct ContactVerificationRequest {
    /// The contact being verified.
    pub channel: ContactChannel,
    /// The 6-digit code.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 16)))]
    pub code: String,
}

/// A one-time code was sent (or, for password resets, would have been if the account exists).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct CodeSent {
    /// Seconds the code stays valid.
    pub expires_in: i64,
}

/// Ask for a password-reset code, sent to the login's e-mail or phone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct PasswordResetCodeRequest {
    /// E-mail address or mobile number of the account.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 254)))]
    pub login: String,
}

/// Set a new password with a reset code; every session of the account is signed out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct PasswordResetRequest {
    /// E-mail address or mobile number of the account.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 254)))]
    pub login: String,
    /// The 6-digit code that was sent.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 16)))]
    pub code: String,
    /// The new password.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 512)))]
    pub new_password: String,
}

/// A TOTP enrolment: add the secret to an authenticator app, then confirm with a code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct TotpEnrolment {
    /// Base32 secret (RFC 4648, no padding).
    pub secret: String,
    /// `otpauth://totp/…` URI for a QR code.
    pub otpauth_uri: String,
    /// Ten one-time recovery codes, shown only now.
    pub recovery_codes: Vec<String>,
}

/// Start TOTP enrolment: the password proves it is the account's owner, not someone holding a
/// stolen session, who turns two-factor on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct TotpEnrolRequest {
    /// The current password.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 512)))]
    pub password: String,
}

/// A TOTP code from the authenticator app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct TotpCodeRequest {
    /// The 6-digit code.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 16)))]
    pub code: String,
}

/// Re-authentication for a sensitive change: the password, plus a TOTP or recovery code when
/// 2FA is on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct ReauthRequest {
    /// The current password.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 512)))]
    pub password: String,
    /// A TOTP or recovery code; required when 2FA is on.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 32)))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// Everything Gongzhu holds about a person (PIPL data export).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct AccountExport {
    /// When this export was made.
    pub exported_at: DateTime<Utc>,
    /// The account.
    pub profile: UserProfile,
    /// Version of the privacy policy consented to.
    pub privacy_policy_version: String,
    /// When consent was given.
    pub privacy_accepted_at: DateTime<Utc>,
    /// Unused TOTP recovery codes left.
    pub recovery_codes_remaining: i64,
    /// Sign-in sessions, newest first.
    pub sessions: Vec<SessionRecord>,
    /// Messages sent to the person's e-mail or phone (codes are included as sent).
    pub messages: Vec<MessageRecord>,
    /// Community groups the person is or was in.
    #[serde(default)]
    pub group_memberships: Vec<GroupMembershipRecord>,
    /// Posts the person wrote (deleted ones included, marked).
    #[serde(default)]
    pub posts: Vec<PostRecord>,
    /// The points balance.
    #[serde(default)]
    pub points_balance: i64,
    /// Every points award and spend, oldest first.
    #[serde(default)]
    pub points: Vec<PointsRecord>,
    /// Files the person uploaded.
    #[serde(default)]
    pub uploads: Vec<UploadRecord>,
}

/// A group membership in an export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct GroupMembershipRecord {
    /// The group.
    pub group_id: String,
    /// Its name.
    pub group_name: String,
    /// The nickname used in it.
    pub nickname: String,
    /// `owner`, `admin` or `member`.
    pub role: String,
    /// `active`, `left` or `removed`.
    pub status: String,
    /// When the person joined.
    pub joined_at: DateTime<Utc>,
}

/// A post in an export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct PostRecord {
    /// Post id.
    pub id: String,
    /// The group it is in.
    pub group_id: String,
    /// Title.
    pub title: String,
    /// Text.
    pub body: String,
    /// Moderation status.
    pub status: String,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// When it was deleted, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<DateTime<Utc>>,
}

/// One points award or spend in an export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct PointsRecord {
    /// Points gained (positive) or spent (negative).
    pub delta: i64,
    /// Why.
    pub reason: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// An uploaded file in an export (download it at `/api/v1/files/{sha256}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct UploadRecord {
    /// File id.
    pub sha256: String,
    /// The name it was uploaded with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_name: Option<String>,
    /// Detected type.
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
    /// When it was uploaded.
    pub uploaded_at: DateTime<Utc>,
}

/// One sign-in session in an export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct SessionRecord {
    /// When the session started.
    pub created_at: DateTime<Utc>,
    /// When it was last refreshed.
    pub last_used_at: DateTime<Utc>,
    /// When it ended, if it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<DateTime<Utc>>,
    /// Client address at sign-in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// Browser or app at sign-in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
}

/// One message sent to the person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct MessageRecord {
    /// `email` or `sms`.
    pub channel: String,
    /// Where it went.
    pub destination: String,
    /// The text.
    pub body: String,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
}
