//! `/auth/*`: registration, password login with the TOTP step, refresh-token rotation, logout,
//! and password reset by one-time code. Failed logins are throttled per account and per address.

pub mod accounts;
pub mod me;
pub mod totp;

use std::time::Instant;

use poem::Request;
use poem::web::Data;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use shared::account::Login;
use shared::dto::*;
use shared::error::ErrorCode;
use shared::validate::Check;
use shared::validate::account::Registration;

use crate::auth::jwt::{AUDIENCE_MFA, MFA_TOKEN_TTL_SECS, TokenError};
use crate::auth::session::{self, ClientInfo, Rotation};
use crate::db::models::audit::{self, AuditEvent};
use crate::db::models::codes::{CodePurpose, OneTimeCode};
use crate::db::models::sessions::{PasswordChangeRequired, RefreshToken, Session};
use crate::db::models::users::User;
use crate::db::{now, write_tx};
use crate::error::ApiError;
use crate::routes::ApiTags;
use crate::routes::community::referrals;
use crate::state::AppState;

/// Registration, login and token endpoints.
pub struct AuthApi;

#[derive(ApiResponse)]
enum RegisterResponse {
    /// Account created and signed in.
    #[oai(status = 201)]
    Created(
        Json<SessionTokens>,
        #[oai(header = "Location")] String,
        #[oai(header = "Set-Cookie")] Option<String>,
        #[oai(header = "Cache-Control")] String,
    ),
}

#[derive(ApiResponse)]
enum LoginResult {
    /// Signed in, or `mfa_required` with an `mfa_token`.
    #[oai(status = 200)]
    Ok(
        Json<LoginResponse>,
        #[oai(header = "Set-Cookie")] Option<String>,
        #[oai(header = "Cache-Control")] String,
    ),
}

#[derive(ApiResponse)]
enum SessionResult {
    /// A new token pair.
    #[oai(status = 200)]
    Ok(
        Json<SessionTokens>,
        #[oai(header = "Set-Cookie")] Option<String>,
        #[oai(header = "Cache-Control")] String,
    ),
}

#[derive(ApiResponse)]
enum LoggedOut {
    /// The session is ended (also when it had ended already).
    #[oai(status = 204)]
    NoContent(#[oai(header = "Set-Cookie")] String),
}

#[derive(ApiResponse)]
enum Accepted {
    /// A code is on its way (for resets: if such an account exists).
    #[oai(status = 202)]
    Accepted(Json<CodeSent>),
}

#[derive(ApiResponse)]
enum NoContent {
    /// Done.
    #[oai(status = 204)]
    NoContent,
}

const NO_STORE: &str = "no-store";

/// How long an address stays familiar to an account after a sign-in from it.
const FAMILIAR_DAYS: i64 = 90;

/// The client address as a throttle key part.
fn address(client: &ClientInfo) -> &str {
    client.ip.as_deref().unwrap_or("unknown")
}

/// Counts one registration or password-reset request of the client's address
/// (`signup_max_per_ip` in the login window): 429 beyond.
fn throttle_signup(state: &AppState, client: &ClientInfo) -> Result<(), ApiError> {
    let key = format!("signup:{}", address(client));
    state
        .throttle
        .attempt(&key, state.config.signup_max_per_ip, Instant::now())
        .map_err(ApiError::rate_limited)
}

#[OpenApi(prefix_path = "/auth", tag = "ApiTags::Auth")]
impl AuthApi {
    /// Create an account (e-mail or mobile number, password, display name, privacy consent).
    #[oai(path = "/register", method = "post", operation_id = "register_account")]
    async fn register(
        &self,
        state: Data<&AppState>,
        req: &Request,
        body: Json<RegisterRequest>,
    ) -> Result<RegisterResponse, ApiError> {
        let client = ClientInfo::from_request(req, state.config.trust_forwarded_for);
        throttle_signup(&state, &client)?;
        let input = body.check()?;
        let password_hash = accounts::hash_password(&state, body.password.clone()).await?;
        let st = state.clone();
        let referral = body.referral_code.clone().filter(|c| !c.trim().is_empty());
        let (user, tokens) = state
            .db
            .run(move |conn| {
                write_tx(conn, |conn| {
                    input.ensure_unused(conn)?;
                    let referrer = match referral.as_deref() {
                        Some(code) => Some(referrals::referrer_of(conn, code)?.ok_or_else(|| {
                            ApiError::field("referral_code", "unknown", "no one has this referral code")
                        })?),
                        None => None,
                    };
                    let user = input.into_user(password_hash, now());
                    user.insert(conn)?;
                    if let Some(referrer) = referrer {
                        referrals::set_referred_by(conn, &user.id, &referrer)?;
                    }
                    let tokens = session::start_session(conn, &st, &user.id, &client, user.created_at)?;
                    Ok::<_, ApiError>((user, tokens))
                })
            })
            .await?;
        let (tokens, cookie) =
            session::session_response(&state, tokens, &user, body.session_cookie.unwrap_or(false));
        Ok(RegisterResponse::Created(Json(tokens), "/api/v1/me".into(), cookie, NO_STORE.into()))
    }

    /// Sign in with e-mail or mobile number and password. With 2FA on, answers
    /// `mfa_required: true` and an `mfa_token` instead of tokens.
    #[oai(path = "/login", method = "post", operation_id = "create_session")]
    async fn login(
        &self,
        state: Data<&AppState>,
        req: &Request,
        body: Json<LoginRequest>,
    ) -> Result<LoginResult, ApiError> {
        let login = accounts::parse_login(&body.login, "login")?;
        let client = ClientInfo::from_request(req, state.config.trust_forwarded_for);
        let login_text = match &login {
            Login::Email(e) | Login::Phone(e) => e.clone(),
        };
        let user = state.db.run(move |c| accounts::find_by_login(c, &login)).await?;
        let throttle = LoginThrottle::reserve(&state, user.as_ref(), &login_text, &client).await?;
        let hash = user.as_ref().map(|u| u.password_hash.clone());
        let verified = accounts::verify_password(&state, body.password.clone(), hash).await?;
        let outcome = if verified { "auth.sign_in" } else { "auth.sign_in_failed" };
        audit_sign_in(&state, user.as_ref().map(|u| u.id.as_str()), &login_text, outcome, &client).await?;
        let (Some(user), true) = (user, verified) else {
            return Err(ApiError::new(ErrorCode::InvalidCredentials, "login or password is wrong"));
        };
        throttle.succeeded(&state);
        if user.totp_enabled {
            let mfa_token = state.jwt.issue(
                &user.id,
                "",
                AUDIENCE_MFA,
                crate::clock::current().now().timestamp(),
                MFA_TOKEN_TTL_SECS,
            );
            let body = LoginResponse {
                mfa_required: true,
                mfa_token: Some(mfa_token),
                access_token: None,
                token_type: None,
                expires_in: None,
                refresh_token: None,
                refresh_expires_at: None,
                user: None,
            };
            return Ok(LoginResult::Ok(Json(body), None, NO_STORE.into()));
        }
        let (tokens, cookie) = start(&state, &user, &client, body.session_cookie.unwrap_or(false)).await?;
        Ok(LoginResult::Ok(Json(tokens.into()), cookie, NO_STORE.into()))
    }

    /// Second login step with 2FA: the `mfa_token` and a TOTP or recovery code. A code works once.
    #[oai(path = "/login/totp", method = "post", operation_id = "create_session_totp")]
    async fn login_totp(
        &self,
        state: Data<&AppState>,
        req: &Request,
        body: Json<TotpLoginRequest>,
    ) -> Result<SessionResult, ApiError> {
        let claims = state.jwt.verify(&body.mfa_token, AUDIENCE_MFA).map_err(|e| match e {
            TokenError::Expired => {
                ApiError::new(ErrorCode::TokenExpired, "the sign-in took too long; start again")
            }
            TokenError::Invalid => ApiError::new(ErrorCode::Unauthenticated, "invalid mfa_token"),
        })?;
        let key = format!("totp:{}", claims.sub);
        state
            .throttle
            .attempt(&key, state.config.login_max_failures_per_account, Instant::now())
            .map_err(ApiError::rate_limited)?;
        let user = accounts::load_user(&state, &claims.sub).await?;
        let (st, u, code) = (state.clone(), user.clone(), body.code.clone());
        let client = ClientInfo::from_request(req, state.config.trust_forwarded_for);
        let checked = state.db.run(move |c| accounts::check_second_factor(c, &st, &u, &code)).await;
        let outcome = if checked.is_ok() { "auth.second_factor" } else { "auth.second_factor_failed" };
        audit_sign_in(&state, Some(&user.id), &user.id, outcome, &client).await?;
        checked?;
        state.throttle.clear(&key);
        let (tokens, cookie) = start(&state, &user, &client, body.session_cookie.unwrap_or(false)).await?;
        Ok(SessionResult::Ok(Json(tokens), cookie, NO_STORE.into()))
    }

    /// Rotate a refresh token (body, or the `gz_refresh` cookie). Presenting a token that was
    /// already rotated revokes the whole session.
    #[oai(path = "/refresh", method = "post", operation_id = "refresh_session")]
    async fn refresh(
        &self,
        state: Data<&AppState>,
        req: &Request,
        body: Json<RefreshRequest>,
    ) -> Result<SessionResult, ApiError> {
        let from_cookie = body.refresh_token.as_deref().is_none_or(str::is_empty);
        let token = session::presented_refresh_token(req, body.0.refresh_token)
            .ok_or_else(|| ApiError::new(ErrorCode::Unauthenticated, "no refresh token presented"))?;
        let st = state.clone();
        let rotation = state.db.run(move |c| write_tx(c, |c| session::rotate(c, &st, &token, now()))).await?;
        let (tokens, user_id) = match rotation {
            Rotation::Rotated(tokens, user_id) => (tokens, user_id),
            Rotation::Reused => {
                tracing::warn!("refresh token reuse: session revoked");
                return Err(ApiError::new(
                    ErrorCode::RefreshTokenReused,
                    "refresh token was already used; the session is revoked",
                ));
            }
        };
        let user = accounts::load_user(&state, &user_id).await?;
        let (body, cookie) = session::session_response(&state, tokens, &user, from_cookie);
        Ok(SessionResult::Ok(Json(body), cookie, NO_STORE.into()))
    }

    /// End the session of a refresh token (body or cookie).
    #[oai(path = "/logout", method = "post", operation_id = "delete_session")]
    async fn logout(
        &self,
        state: Data<&AppState>,
        req: &Request,
        body: Json<RefreshRequest>,
    ) -> Result<LoggedOut, ApiError> {
        let token = session::presented_refresh_token(req, body.0.refresh_token)
            .ok_or_else(|| ApiError::new(ErrorCode::Unauthenticated, "no refresh token presented"))?;
        let hash = crate::auth::crypto::sha256_hex(&token);
        state
            .db
            .run(move |c| match RefreshToken::find_with_session(c, &hash)? {
                Some((_, s)) => Session::revoke(c, &s.id, "logout", now()).map_err(ApiError::from),
                None => Ok(()),
            })
            .await?;
        Ok(LoggedOut::NoContent(session::clear_refresh_cookie(&state)))
    }

    /// Ask for a password-reset code. Always answers 202, whether or not the account exists.
    #[oai(path = "/password-reset-codes", method = "post", operation_id = "create_password_reset_code")]
    async fn password_reset_code(
        &self,
        state: Data<&AppState>,
        req: &Request,
        body: Json<PasswordResetCodeRequest>,
    ) -> Result<Accepted, ApiError> {
        let login = accounts::parse_login(&body.login, "login")?;
        throttle_signup(&state, &ClientInfo::from_request(req, state.config.trust_forwarded_for))?;
        let st = state.clone();
        state
            .db
            .run(move |c| {
                let Some(user) = accounts::find_by_login(c, &login)? else { return Ok(()) };
                let destination = match &login {
                    Login::Email(e) | Login::Phone(e) => e.clone(),
                };
                // Within the resend cooldown nothing is sent; saying so would reveal the account.
                match write_tx(c, |c| {
                    accounts::issue_code(c, &st, &user.id, CodePurpose::ResetPassword, &destination, now())
                }) {
                    Err(ApiError::TooManyRequests(..)) => Ok(()),
                    other => other,
                }
            })
            .await?;
        Ok(Accepted::Accepted(Json(CodeSent { expires_in: accounts::CODE_TTL_MINUTES * 60 })))
    }

    /// Set a new password with a reset code; every session of the account ends.
    #[oai(path = "/password-resets", method = "post", operation_id = "create_password_reset")]
    async fn password_reset(
        &self,
        state: Data<&AppState>,
        req: &Request,
        body: Json<PasswordResetRequest>,
    ) -> Result<NoContent, ApiError> {
        let login = body.check()?;
        throttle_signup(&state, &ClientInfo::from_request(req, state.config.trust_forwarded_for))?;
        let (st, code) = (state.clone(), body.code.clone());
        // The code is checked before the (costly) hash: a wrong guess costs the server nothing.
        let (user_id, code_id) = state
            .db
            .run(move |c| {
                let user = accounts::find_by_login(c, &login)?.ok_or_else(accounts::invalid_code)?;
                // The guess is claimed in a transaction of its own so it counts even when wrong.
                let code_id = write_tx(c, |c| {
                    accounts::check_code(c, &st, &user.id, CodePurpose::ResetPassword, &code, now())
                })?
                .ok_or_else(accounts::invalid_code)?;
                Ok::<_, ApiError>((user.id, code_id))
            })
            .await?;
        let hash = accounts::hash_password(&state, body.new_password.clone()).await?;
        state
            .db
            .run(move |c| {
                write_tx(c, |c| {
                    let at = now();
                    if !OneTimeCode::consume(c, &code_id, at)? {
                        return Err(accounts::invalid_code());
                    }
                    User::set_password(c, &user_id, &hash, at)?;
                    PasswordChangeRequired::clear(c, &user_id)?;
                    Session::revoke_all_for_user(c, &user_id, None, "password_reset", at)
                        .map_err(ApiError::from)
                })
            })
            .await?;
        Ok(NoContent::NoContent)
    }
}

/// Writes a sign-in attempt to the audit chain (the login is masked for unknown accounts).
async fn audit_sign_in(
    state: &AppState,
    user_id: Option<&str>,
    login: &str,
    action: &'static str,
    client: &ClientInfo,
) -> Result<(), ApiError> {
    let (user_id, ip) = (user_id.map(str::to_owned), client.ip.clone());
    let subject = match &user_id {
        Some(id) => id.clone(),
        None if login.contains('@') => shared::account::mask_email(login),
        None => shared::account::mask_phone(login),
    };
    let details = serde_json::json!({ "user_agent": client.user_agent });
    state
        .db
        .run(move |c| {
            let event = AuditEvent {
                actor_user_id: user_id.as_deref(),
                actor_label: "user",
                action,
                subject_type: if user_id.is_some() { "user" } else { "login" },
                subject_id: &subject,
                details,
                ip: ip.as_deref(),
            };
            audit::record(c, &event).map(drop).map_err(ApiError::from)
        })
        .await
}

async fn start(
    state: &AppState,
    user: &User,
    client: &ClientInfo,
    cookie: bool,
) -> Result<(SessionTokens, Option<String>), ApiError> {
    let (st, id, client) = (state.clone(), user.id.clone(), client.clone());
    let tokens =
        state.db.run(move |c| write_tx(c, |c| session::start_session(c, &st, &id, &client, now()))).await?;
    Ok(session::session_response(state, tokens, user, cookie))
}

/// What registration does with a checked request (`shared::validate::account`) at the
/// database: contacts not taken, the new account row.
trait Registering {
    fn ensure_unused(&self, conn: &mut crate::db::DbConn) -> Result<(), ApiError>;
    fn into_user(self, password_hash: String, at: chrono::NaiveDateTime) -> User;
}

impl Registering for Registration {
    fn ensure_unused(&self, conn: &mut crate::db::DbConn) -> Result<(), ApiError> {
        let taken_email = match &self.email {
            Some(e) => User::find_by_email(conn, e)?.is_some(),
            None => false,
        };
        let taken_phone = match &self.phone {
            Some(p) => User::find_by_phone(conn, p)?.is_some(),
            None => false,
        };
        let field = match (taken_email, taken_phone) {
            (true, _) => "email",
            (_, true) => "phone",
            _ => return Ok(()),
        };
        let mut error =
            ApiError::new(ErrorCode::Conflict, format!("an account with this {field} exists already"));
        if let ApiError::Conflict(body) = &mut error {
            body.0.details.push(FieldIssue::new(field, "taken"));
        }
        Err(error)
    }

    fn into_user(self, password_hash: String, at: chrono::NaiveDateTime) -> User {
        User::new_account(self.email, self.phone, password_hash, self.display_name, at)
    }
}

/// The failed-login budgets one sign-in attempt counts against, reserved before the password
/// check (so a burst cannot outrun the count) and handed back on success:
/// - the account from this address (`login_max_failures_per_account`): an attacker's guesses
///   lock only the attacker's address out of the account;
/// - the address (`login_max_failures_per_ip`), whatever accounts it tries;
/// - the account from unfamiliar addresses (ten times the per-account budget), against guessing
///   spread over many addresses. An address the account signed in from within
///   [`FAMILIAR_DAYS`] is not counted here, so its owner is never locked out by others' guesses.
///
/// The e-mail and the phone of one account share its budgets (keyed by the account id).
struct LoginThrottle {
    pair: String,
    ip: String,
    account: Option<String>,
}

impl LoginThrottle {
    async fn reserve(
        state: &AppState,
        user: Option<&User>,
        login: &str,
        client: &ClientInfo,
    ) -> Result<Self, ApiError> {
        let cfg = &state.config;
        let ident = user.map_or_else(|| format!("login:{login}"), |u| format!("user:{}", u.id));
        let addr = address(client).to_owned();
        let familiar = match (user, client.ip.clone()) {
            (Some(u), Some(ip)) => {
                let (id, since) = (u.id.clone(), now() - chrono::Duration::days(FAMILIAR_DAYS));
                state.db.run(move |c| Session::seen_from(c, &id, &ip, since).map_err(ApiError::from)).await?
            }
            _ => false,
        };
        let started = Instant::now();
        let pair = format!("{ident}|{addr}");
        let ip = format!("ip:{addr}");
        state
            .throttle
            .attempt(&pair, cfg.login_max_failures_per_account, started)
            .map_err(ApiError::rate_limited)?;
        if let Err(wait) = state.throttle.attempt(&ip, cfg.login_max_failures_per_ip, started) {
            state.throttle.forgive(&pair);
            return Err(ApiError::rate_limited(wait));
        }
        let account = (!familiar).then(|| format!("{ident}|unfamiliar"));
        if let Some(key) = &account {
            let limit = cfg.login_max_failures_per_account.saturating_mul(10);
            if let Err(wait) = state.throttle.attempt(key, limit, started) {
                state.throttle.forgive(&pair);
                state.throttle.forgive(&ip);
                return Err(ApiError::rate_limited(wait));
            }
        }
        Ok(Self { pair, ip, account })
    }

    /// The password was right: this attempt does not count, and the address's failures on the
    /// account are forgotten.
    fn succeeded(&self, state: &AppState) {
        state.throttle.clear(&self.pair);
        state.throttle.forgive(&self.ip);
        if let Some(key) = &self.account {
            state.throttle.forgive(key);
        }
    }
}
