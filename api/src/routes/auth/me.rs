//! `/me`: the signed-in person's profile, password, contact verification, data export and
//! account deletion.

use poem::web::Data;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use shared::dto::*;
use shared::error::ErrorCode;
use shared::validate::Check;

use crate::auth::session::{self, BearerAuth};
use crate::db::models::codes::{CodePurpose, OneTimeCode};
use crate::db::models::orgs::MembershipRow;
use crate::db::models::outbox::{OutboxMessage, redact_codes};
use crate::db::models::sessions::Session;
use crate::db::models::users::{RecoveryCode, User};
use crate::db::{now, write_tx};
use crate::error::ApiError;
use crate::routes::ApiTags;
use crate::routes::{auth::accounts, orgs::service as orgs};
use crate::state::AppState;

/// The caller's own account.
pub struct MeApi;

#[derive(ApiResponse)]
enum NoContent {
    /// Done.
    #[oai(status = 204)]
    NoContent,
}

#[derive(ApiResponse)]
enum Deleted {
    /// The account is deleted and every session ended.
    #[oai(status = 204)]
    NoContent(#[oai(header = "Set-Cookie")] String),
}

#[derive(ApiResponse)]
enum CodeQueued {
    /// The code is on its way.
    #[oai(status = 202)]
    Accepted(Json<CodeSent>),
}

#[derive(ApiResponse)]
enum Export {
    /// The export, as a JSON download.
    #[oai(status = 200)]
    Ok(
        Json<AccountExport>,
        #[oai(header = "Content-Disposition")] String,
        #[oai(header = "Cache-Control")] String,
    ),
}

#[OpenApi(prefix_path = "/me", tag = "ApiTags::Me")]
impl MeApi {
    /// The signed-in person's account.
    #[oai(path = "/", method = "get", operation_id = "get_me")]
    async fn get_me(&self, state: Data<&AppState>, auth: BearerAuth) -> Result<Json<UserProfile>, ApiError> {
        let user = accounts::load_user(&state, &auth.0.user_id).await?;
        Ok(Json(session::profile(&user)))
    }

    /// Change profile fields (display name).
    #[oai(path = "/", method = "patch", operation_id = "update_me")]
    async fn update_me(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Json<UpdateProfileRequest>,
    ) -> Result<Json<UserProfile>, ApiError> {
        let name = body.check()?;
        let id = auth.0.user_id.clone();
        if let Some(name) = name {
            state
                .db
                .run(move |c| User::set_display_name(c, &id, &name, now()).map_err(ApiError::from))
                .await?;
        }
        self.get_me(state, auth).await
    }

    /// Change the password (current one required); every other session ends.
    #[oai(path = "/password", method = "post", operation_id = "change_password")]
    async fn change_password(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Json<ChangePasswordRequest>,
    ) -> Result<NoContent, ApiError> {
        let user = accounts::load_user(&state, &auth.0.user_id).await?;
        let hints: Vec<&str> = [user.email.as_deref(), user.phone.as_deref()].into_iter().flatten().collect();
        body.check_for(&hints)?;
        if !accounts::verify_password_throttled(&state, &user, body.current_password.clone()).await? {
            return Err(ApiError::field("current_password", "wrong_password", "current password is wrong"));
        }
        let hash = accounts::hash_password(&state, body.new_password.clone()).await?;
        let session_id = auth.0.session_id;
        state
            .db
            .run(move |c| {
                write_tx(c, |c| {
                    User::set_password(c, &user.id, &hash, now())?;
                    crate::db::models::sessions::PasswordChangeRequired::clear(c, &user.id)?;
                    Session::revoke_all_for_user(c, &user.id, Some(&session_id), "password_changed", now())
                })
                .map_err(ApiError::from)
            })
            .await?;
        Ok(NoContent::NoContent)
    }

    /// Send a one-time code to the account's e-mail or phone, to prove it.
    #[oai(
        path = "/contact-verification-codes",
        method = "post",
        operation_id = "create_contact_verification_code"
    )]
    async fn contact_code(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Json<ContactCodeRequest>,
    ) -> Result<CodeQueued, ApiError> {
        let user = accounts::load_user(&state, &auth.0.user_id).await?;
        let (purpose, destination, verified) = contact(&user, body.channel)?;
        if verified {
            return Err(ApiError::new(ErrorCode::Conflict, "this contact is verified already"));
        }
        let st = state.clone();
        state
            .db
            .run(move |c| {
                write_tx(c, |c| accounts::issue_code(c, &st, &user.id, purpose, &destination, now()))
            })
            .await?;
        Ok(CodeQueued::Accepted(Json(CodeSent { expires_in: accounts::CODE_TTL_MINUTES * 60 })))
    }

    /// Prove the e-mail or phone with the code that was sent to it. Organisation and group
    /// invitations that were sent to it before the account existed are handed over now.
    #[oai(path = "/contact-verifications", method = "post", operation_id = "create_contact_verification")]
    async fn verify_contact(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Json<ContactVerificationRequest>,
    ) -> Result<Json<UserProfile>, ApiError> {
        let user = accounts::load_user(&state, &auth.0.user_id).await?;
        let (purpose, _, _) = contact(&user, body.channel)?;
        let (st, id, code) = (state.clone(), user.id.clone(), body.code.clone());
        let is_email = body.channel == ContactChannel::Email;
        let sent = state
            .db
            .run(move |c| {
                // The guess is claimed in a transaction of its own so it counts even when wrong.
                let code_id = write_tx(c, |c| accounts::check_code(c, &st, &id, purpose, &code, now()))?
                    .ok_or_else(accounts::invalid_code)?;
                write_tx(c, |c| {
                    if !OneTimeCode::consume(c, &code_id, now())? {
                        return Err(accounts::invalid_code());
                    }
                    User::mark_contact_verified(c, &id, is_email, now())?;
                    // Invitations sent to this contact before the account existed reach it now.
                    let user = User::find_active(c, &id)?
                        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "account not found"))?;
                    orgs::claim_contact_invitations(c, &user, now())
                })
            })
            .await?;
        state.notifier.publish(sent);
        self.get_me(state, auth).await
    }

    /// Download everything Gongzhu holds about you (PIPL).
    #[oai(path = "/export", method = "get", operation_id = "export_me")]
    async fn export(&self, state: Data<&AppState>, auth: BearerAuth) -> Result<Export, ApiError> {
        let user = accounts::load_user(&state, &auth.0.user_id).await?;
        let u = user.clone();
        let (sessions, messages, remaining, records) = state
            .db
            .run(move |c| {
                let sessions = Session::list_for_user(c, &u.id)?;
                let mut messages = Vec::new();
                for contact in [u.email.as_deref(), u.phone.as_deref()].into_iter().flatten() {
                    messages.extend(OutboxMessage::recent(c, Some(contact), 1000)?);
                }
                let records = accounts::community_records(c, &u.id)?;
                Ok::<_, ApiError>((sessions, messages, RecoveryCode::remaining(c, &u.id)?, records))
            })
            .await?;
        let export = AccountExport {
            exported_at: crate::clock::current().now(),
            profile: session::profile(&user),
            privacy_policy_version: user.privacy_policy_version.clone(),
            privacy_accepted_at: user.privacy_accepted_at.and_utc(),
            recovery_codes_remaining: remaining,
            sessions: sessions
                .into_iter()
                .map(|s| SessionRecord {
                    created_at: s.created_at.and_utc(),
                    last_used_at: s.last_used_at.and_utc(),
                    revoked_at: s.revoked_at.map(|t| t.and_utc()),
                    ip: s.ip,
                    user_agent: s.user_agent,
                })
                .collect(),
            messages: messages
                .into_iter()
                .map(|m| MessageRecord {
                    channel: m.channel.as_str().to_owned(),
                    destination: m.destination,
                    // An export made with a stolen access token must not hand over a live code.
                    body: redact_codes(&m.body),
                    created_at: m.created_at.and_utc(),
                })
                .collect(),
            group_memberships: records.groups,
            posts: records.posts,
            points_balance: records.points_balance,
            points: records.points,
            uploads: records.uploads,
        };
        let disposition = format!("attachment; filename=\"gongzhu-export-{}.json\"", user.id);
        Ok(Export::Ok(Json(export), disposition, "no-store".into()))
    }

    /// Delete the account: personal data is erased — contacts, one-time codes, messages, session
    /// addresses and browsers, group nicknames and memberships, uploads nothing else uses — and
    /// the row stays as a pseudonymous reference for contracts and the audit chain. Needs the
    /// password (and a code with 2FA).
    #[oai(path = "/", method = "delete", operation_id = "delete_me")]
    async fn delete_me(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Json<ReauthRequest>,
    ) -> Result<Deleted, ApiError> {
        let user = accounts::load_user(&state, &auth.0.user_id).await?;
        accounts::reauthenticate(&state, &user, body.0.password, body.0.code).await?;
        let orphans = state
            .db
            .run(move |c| {
                write_tx(c, |c| {
                    for (organisation, role) in MembershipRow::of_user(c, &user.id)? {
                        if role == shared::dto::MemberRole::Owner && MembershipRow::owner_count(c, &organisation.id)? <= 1 {
                            let message = format!(
                                "you are the last owner of {}; transfer ownership before deleting your account",
                                organisation.name
                            );
                            return Err(ApiError::new(ErrorCode::Conflict, message));
                        }
                    }
                    let orphans = accounts::erase_personal_data(c, &user, now())?;
                    MembershipRow::remove_all_for_user(c, &user.id)?;
                    Session::revoke_all_for_user(c, &user.id, None, "account_deleted", now())?;
                    User::pseudonymise(c, &user.id, now())?;
                    Ok::<_, ApiError>(orphans)
                })
            })
            .await?;
        // Contents go only after the rows are gone for good; a failure leaves an unreachable
        // file on disk, never a row without its content.
        let store = state.files.clone();
        let deleted = tokio::task::spawn_blocking(move || {
            orphans
                .iter()
                .filter_map(|sha| store.delete(sha).err())
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
        })
        .await
        .map_err(ApiError::internal)?;
        for error in deleted {
            tracing::warn!("deleting an erased account's upload: {error}");
        }
        Ok(Deleted::NoContent(session::clear_refresh_cookie(&state)))
    }
}

/// The code purpose, address and verified flag of one of the account's contacts.
fn contact(user: &User, channel: ContactChannel) -> Result<(CodePurpose, String, bool), ApiError> {
    let missing = |field: &str| {
        ApiError::field("channel", &format!("no_{field}"), format!("the account has no {field}"))
    };
    match channel {
        ContactChannel::Email => {
            let email = user.email.clone().ok_or_else(|| missing("email"))?;
            Ok((CodePurpose::VerifyEmail, email, user.email_verified_at.is_some()))
        }
        ContactChannel::Phone => {
            let phone = user.phone.clone().ok_or_else(|| missing("phone"))?;
            Ok((CodePurpose::VerifyPhone, phone, user.phone_verified_at.is_some()))
        }
    }
}
