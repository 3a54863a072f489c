//! `/me/totp`: enrol in TOTP two-factor authentication (secret, otpauth URI, recovery codes),
//! confirm it with a first code, and turn it off with password and code.

use poem::web::Data;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use shared::dto::*;
use shared::error::ErrorCode;

use crate::auth::crypto::{seal, sha256_hex};
use crate::auth::session::BearerAuth;
use crate::auth::totp;
use crate::db::models::sessions::Session;
use crate::db::models::users::{RecoveryCode, User};
use crate::db::{new_id, now, write_tx};
use crate::error::ApiError;
use crate::routes::ApiTags;
use crate::routes::auth::accounts;
use crate::state::AppState;

/// TOTP enrolment.
pub struct TotpApi;

#[derive(ApiResponse)]
enum Enrolled {
    /// Add the secret to an authenticator app, keep the recovery codes, then confirm.
    #[oai(status = 201)]
    Created(Json<TotpEnrolment>, #[oai(header = "Location")] String, #[oai(header = "Cache-Control")] String),
}

#[derive(ApiResponse)]
enum NoContent {
    /// Done.
    #[oai(status = 204)]
    NoContent,
}

#[OpenApi(prefix_path = "/me/totp", tag = "ApiTags::Me")]
impl TotpApi {
    /// Start TOTP enrolment with the password (replaces an unconfirmed one). 409 if 2FA is
    /// already on.
    #[oai(path = "/", method = "post", operation_id = "create_totp_enrolment")]
    async fn enrol(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Json<TotpEnrolRequest>,
    ) -> Result<Enrolled, ApiError> {
        let user = accounts::load_user(&state, &auth.0.user_id).await?;
        if user.totp_enabled {
            return Err(ApiError::new(ErrorCode::Conflict, "two-factor authentication is on already"));
        }
        accounts::reauthenticate(&state, &user, body.0.password, None).await?;
        let secret = totp::new_secret();
        let label = user.email.clone().or(user.phone.clone()).unwrap_or_else(|| user.id.clone());
        let uri = totp::otpauth_uri(&secret, &label, "共筑 Gongzhu");
        let codes = totp::new_recovery_codes();
        let sealed = seal(&state.keys.encryption_key, secret.as_bytes());
        let at = now();
        let rows: Vec<RecoveryCode> = codes
            .iter()
            .map(|code| RecoveryCode {
                id: new_id(),
                user_id: user.id.clone(),
                code_hash: sha256_hex(code),
                created_at: at,
                used_at: None,
            })
            .collect();
        state
            .db
            .run(move |c| {
                write_tx(c, |c| {
                    User::set_pending_totp(c, &user.id, &sealed, at)?;
                    RecoveryCode::replace_all(c, &user.id, &rows)
                })
                .map_err(ApiError::from)
            })
            .await?;
        let body = TotpEnrolment { secret, otpauth_uri: uri, recovery_codes: codes };
        Ok(Enrolled::Created(Json(body), "/api/v1/me/totp".into(), "no-store".into()))
    }

    /// Confirm enrolment with a first code from the app; 2FA is on from now.
    #[oai(path = "/confirmation", method = "post", operation_id = "confirm_totp")]
    async fn confirm(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Json<TotpCodeRequest>,
    ) -> Result<NoContent, ApiError> {
        let user = accounts::load_user(&state, &auth.0.user_id).await?;
        if user.totp_enabled {
            return Err(ApiError::new(ErrorCode::Conflict, "two-factor authentication is on already"));
        }
        if user.totp_secret_enc.is_none() {
            return Err(ApiError::new(ErrorCode::Conflict, "start an enrolment first"));
        }
        if body.code.trim().len() != 6 {
            return Err(ApiError::field("code", "invalid", "enter the 6-digit code from the app"));
        }
        let (st, code, session_id) = (state.clone(), body.0.code, auth.0.session_id.clone());
        state
            .db
            .run(move |c| {
                write_tx(c, |c| {
                    accounts::check_second_factor(c, &st, &user, &code)?;
                    User::set_totp_enabled(c, &user.id, true, now())?;
                    // Sessions opened before 2FA was on (perhaps by someone else) end now.
                    Session::revoke_all_for_user(c, &user.id, Some(&session_id), "totp_enabled", now())
                        .map_err(ApiError::from)
                })
            })
            .await?;
        Ok(NoContent::NoContent)
    }

    /// Turn 2FA off: password plus a TOTP or recovery code.
    #[oai(path = "/", method = "delete", operation_id = "delete_totp")]
    async fn disable(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Json<ReauthRequest>,
    ) -> Result<NoContent, ApiError> {
        let user = accounts::load_user(&state, &auth.0.user_id).await?;
        if !user.totp_enabled {
            return Err(ApiError::new(ErrorCode::Conflict, "two-factor authentication is off"));
        }
        accounts::reauthenticate(&state, &user, body.0.password, body.0.code).await?;
        state
            .db
            .run(move |c| {
                write_tx(c, |c| {
                    User::set_totp_enabled(c, &user.id, false, now())?;
                    RecoveryCode::replace_all(c, &user.id, &[])
                })
                .map_err(ApiError::from)
            })
            .await?;
        Ok(NoContent::NoContent)
    }
}
