//! `/orgs`, `/me/orgs`, `/me/invitations`, `/invitations`: organisations, their public
//! directory, members, invitations and ownership transfer. Acting for an organisation needs
//! `X-Org-Id` naming it and a membership in it; anyone else gets 404.

pub mod service;

use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use shared::dto::*;
use shared::error::ErrorCode;
use shared::validate::Check;
use shared::validate::orgs::{ApiKeyFields, InvitationFields};

use crate::auth::api_key::{KEY_PREFIX, OrgAuth};
use crate::auth::crypto::{random_token, sha256_hex};
use crate::auth::session::BearerAuth;
use crate::db::models::api_keys::ApiKeyRow;
use crate::db::models::orgs::{
    ContactInvitationRow, InvitationRow, MembershipRow, OrganisationRow, ProfileChanges,
};
use crate::db::models::users::User;
use crate::db::{DbConn, new_id, now};
use crate::error::ApiError;
use crate::routes::ApiTags;
use crate::routes::auth::accounts;
use crate::routes::orgs::service::{self as orgs, OrgActor};
use crate::state::AppState;

/// Organisations and membership.
pub struct OrgsApi;

#[derive(ApiResponse)]
enum Created {
    /// Created; the caller is its owner.
    #[oai(status = 201)]
    Created(Json<Organisation>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
enum InvitationCreated {
    /// The invitation waits for the invitee.
    #[oai(status = 201)]
    Created(Json<Invitation>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
enum KeyCreated {
    /// The key; keep the secret now, it is not shown again.
    #[oai(status = 201)]
    Created(Json<CreatedApiKey>, #[oai(header = "Location")] String, #[oai(header = "Cache-Control")] String),
}

fn key_info(row: ApiKeyRow) -> ApiKeyInfo {
    ApiKeyInfo {
        id: row.id,
        name: row.name,
        prefix: row.prefix,
        scopes: serde_json::from_str::<Vec<String>>(&row.scopes)
            .unwrap_or_default()
            .iter()
            .filter_map(|s| ApiKeyScope::parse(s))
            .collect(),
        created_at: row.created_at.and_utc(),
        last_used_at: row.last_used_at.map(|t| t.and_utc()),
        revoked_at: row.revoked_at.map(|t| t.and_utc()),
    }
}

#[derive(ApiResponse)]
enum NoContent {
    /// Done.
    #[oai(status = 204)]
    NoContent,
}

/// The invitee's view of an invitation addressed to them.
fn invitation_dto(row: InvitationRow, org_name: String) -> Invitation {
    let status = row.status;
    Invitation {
        id: row.id,
        org_id: row.org_id,
        org_name,
        invitee_user_id: Some(row.invitee_user_id),
        contact_masked: None,
        role: row.role,
        status,
        created_at: row.created_at.and_utc(),
        decided_at: row.decided_at.map(|t| t.and_utc()),
    }
}

/// The inviting organisation's view of a pending invitation: the masked contact, never who
/// (or whether anyone) has an account with it.
fn sent_invitation_dto(row: &ContactInvitationRow, org_name: &str) -> Result<Invitation, ApiError> {
    Ok(Invitation {
        id: row.id.clone(),
        org_id: row.target_id.clone(),
        org_name: org_name.to_owned(),
        invitee_user_id: None,
        contact_masked: Some(orgs::mask_contact(&row.contact)),
        role: row.role.parse().map_err(ApiError::internal)?,
        status: InvitationStatus::Pending,
        created_at: row.created_at.and_utc(),
        decided_at: None,
    })
}

fn conflict(message: &str) -> ApiError {
    ApiError::new(ErrorCode::Conflict, message)
}

#[OpenApi(tag = "ApiTags::Orgs")]
impl OrgsApi {
    /// Create an organisation; the caller becomes its owner. Starts unverified.
    #[oai(path = "/orgs", method = "post", operation_id = "create_organisation")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Json<CreateOrganisationRequest>,
    ) -> Result<Created, ApiError> {
        let at = now();
        let mut row = OrganisationRow {
            id: new_id(),
            name: String::new(),
            short_name: None,
            uscc: String::new(),
            roles: "[]".into(),
            region_code: String::new(),
            address: None,
            latitude: None,
            longitude: None,
            contact_name: None,
            contact_phone: None,
            contact_email: None,
            categories: "[]".into(),
            regions_served: "[]".into(),
            declared_capacity_fen: None,
            verification_status: VerificationStatus::Unverified,
            suspended_at: None,
            created_by: auth.0.user_id.clone(),
            created_at: at,
            updated_at: at,
            suspension_reason: None,
            membership_tier: shared::domain::membership::MembershipTier::New,
            credit_score: None,
            credit_grade: None,
        };
        orgs::store_profile(&mut row, body.check()?);
        let user_id = auth.0.user_id;
        let row = state
            .write(move |c, _| {
                if OrganisationRow::uscc_taken(c, &row.uscc, &row.id)? {
                    return Err(uscc_taken());
                }
                row.insert(c)?;
                MembershipRow {
                    id: new_id(),
                    org_id: row.id.clone(),
                    user_id,
                    role: MemberRole::Owner,
                    created_at: at,
                }
                .insert(c)?;
                Ok(row)
            })
            .await?;
        state.org_changed(&row.id).await;
        let location = format!("/api/v1/orgs/{}", row.id);
        Ok(Created::Created(Json(orgs::private(&row, MemberRole::Owner)?), location))
    }

    /// The public directory: verified, not suspended organisations, in keyset pages.
    #[oai(path = "/orgs", method = "get", operation_id = "list_organisations")]
    async fn directory(
        &self,
        state: Data<&AppState>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
        #[oai(validator(max_length = 64))] cursor: Query<Option<String>>,
    ) -> Result<Json<OrganisationPage>, ApiError> {
        let limit = limit.0.unwrap_or(20);
        let rows = state
            .db
            .run(move |c| {
                OrganisationRow::directory(c, cursor.0.as_deref(), limit + 1).map_err(ApiError::from)
            })
            .await?;
        let more = rows.len() as i64 > limit;
        let items: Vec<OrganisationPublic> =
            rows.iter().take(limit as usize).map(orgs::public).collect::<Result<_, _>>()?;
        let next_cursor = if more { items.last().map(|o| o.id.clone()) } else { None };
        Ok(Json(OrganisationPage { items, next_cursor }))
    }

    /// An organisation's public profile.
    #[oai(path = "/orgs/:id", method = "get", operation_id = "get_organisation")]
    async fn get(
        &self,
        state: Data<&AppState>,
        id: Path<String>,
    ) -> Result<Json<OrganisationPublic>, ApiError> {
        let row = state
            .db
            .run(move |c| OrganisationRow::find(c, &id.0).map_err(ApiError::from))
            .await?
            .ok_or_else(orgs::not_found)?;
        Ok(Json(orgs::public(&row)?))
    }

    /// Change the profile: owners and admins acting with `X-Org-Id`, or an API key with the
    /// `org_write` scope (reported as `my_role: admin`).
    #[oai(path = "/orgs/:id", method = "patch", operation_id = "update_organisation")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: OrgAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<Option<String>>,
        body: Json<UpdateOrganisationRequest>,
    ) -> Result<Json<Organisation>, ApiError> {
        let (row, role) = state
            .write(move |c, _| {
                let role =
                    match orgs::resolve_actor(c, &auth, org.0.as_deref(), &id.0, ApiKeyScope::OrgWrite)? {
                        OrgActor::Member { role, .. } => role,
                        OrgActor::Key(_) => MemberRole::Admin,
                    };
                let before = OrganisationRow::find(c, &id.0)?.ok_or_else(orgs::not_found)?;
                orgs::ensure_verified_fields_unchanged(&before, &body)?;
                let mut row = before.clone();
                orgs::store_profile(&mut row, body.apply(orgs::profile_of(&before))?);
                if OrganisationRow::uscc_taken(c, &row.uscc, &row.id)? {
                    return Err(uscc_taken());
                }
                // Only the changed columns, and only if no suspension or verification
                // decision landed since the read (which the checks above relied on).
                let changes = ProfileChanges::between(&before, &row, now());
                if !OrganisationRow::update_profile(c, &row.id, before.verification_status, &changes)? {
                    orgs::ensure_not_suspended(c, &row.id)?;
                    return Err(conflict("the organisation changed meanwhile; reload it and try again"));
                }
                let row = OrganisationRow::find(c, &id.0)?.ok_or_else(orgs::not_found)?;
                Ok((row, role))
            })
            .await?;
        state.org_changed(&row.id).await;
        Ok(Json(orgs::private(&row, role)?))
    }

    /// The caller's organisations with their role in each.
    #[oai(path = "/me/orgs", method = "get", operation_id = "list_my_organisations")]
    async fn mine(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
    ) -> Result<Json<MyOrganisations>, ApiError> {
        let rows =
            state.db.run(move |c| MembershipRow::of_user(c, &auth.0.user_id).map_err(ApiError::from)).await?;
        let items = rows.iter().map(|(row, role)| orgs::private(row, *role)).collect::<Result<_, _>>()?;
        Ok(Json(MyOrganisations { items }))
    }

    /// The members: members acting with `X-Org-Id`, or an API key with `members_read`.
    #[oai(path = "/orgs/:id/members", method = "get", operation_id = "list_members")]
    async fn members(
        &self,
        state: Data<&AppState>,
        auth: OrgAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<Option<String>>,
    ) -> Result<Json<MemberList>, ApiError> {
        let rows = state
            .db
            .run(move |c| {
                orgs::resolve_actor(c, &auth, org.0.as_deref(), &id.0, ApiKeyScope::MembersRead)?;
                let signers = crate::db::models::contracts::SigningAuthorityRow::holders(c, &id.0)?;
                Ok::<_, ApiError>((MembershipRow::list(c, &id.0)?, signers))
            })
            .await?;
        let (rows, signers) = rows;
        let mut items: Vec<Member> = rows
            .into_iter()
            .map(|(m, display_name)| Member {
                signing_authority: m.role.can_manage() || signers.contains(&m.user_id),
                user_id: m.user_id,
                display_name,
                role: m.role,
                joined_at: m.created_at.and_utc(),
            })
            .collect();
        items.sort_by_key(|m| m.role);
        Ok(Json(MemberList { items }))
    }

    /// Remove a member (owners and admins), or leave (your own id). The last owner cannot
    /// leave, and admins cannot remove owners.
    #[oai(path = "/orgs/:id/members/:user_id", method = "delete", operation_id = "delete_member")]
    async fn remove_member(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        user_id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<NoContent, ApiError> {
        let caller = auth.0.user_id;
        state
            .write(move |c, _| {
                let my_role = orgs::acting_role(c, &org.0, &id.0, &caller)?;
                let target = MembershipRow::role_of(c, &id.0, &user_id.0)?
                    .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such member"))?;
                let leaving = user_id.0 == caller;
                if !leaving {
                    orgs::ensure_not_suspended(c, &id.0)?;
                }
                if !leaving
                    && (!my_role.can_manage()
                        || (target == MemberRole::Owner && my_role != MemberRole::Owner))
                {
                    return Err(ApiError::new(ErrorCode::Forbidden, "you may not remove this member"));
                }
                if target == MemberRole::Owner && MembershipRow::owner_count(c, &id.0)? <= 1 {
                    return Err(conflict("the last owner cannot leave; transfer ownership first"));
                }
                MembershipRow::remove(c, &id.0, &user_id.0)?;
                Ok(())
            })
            .await?;
        Ok(NoContent::NoContent)
    }

    /// Hand ownership to another member (owners only); the caller becomes an admin.
    #[oai(path = "/orgs/:id/ownership-transfer", method = "post", operation_id = "create_ownership_transfer")]
    async fn transfer(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        body: Json<OwnershipTransferRequest>,
    ) -> Result<Json<MemberList>, ApiError> {
        let caller = auth.0.user_id.clone();
        let org_id = id.0.clone();
        state
            .write(move |c, _| {
                orgs::ensure_not_suspended(c, &id.0)?;
                if orgs::acting_role(c, &org.0, &id.0, &caller)? != MemberRole::Owner {
                    return Err(ApiError::new(ErrorCode::Forbidden, "only an owner can transfer ownership"));
                }
                if body.user_id == caller {
                    return Err(ApiError::field("user_id", "already_owner", "you are the owner already"));
                }
                if MembershipRow::set_role(c, &id.0, &body.user_id, MemberRole::Owner)? == 0 {
                    return Err(ApiError::field("user_id", "not_a_member", "the new owner must be a member"));
                }
                MembershipRow::set_role(c, &id.0, &caller, MemberRole::Admin)?;
                Ok(())
            })
            .await?;
        self.members(state, OrgAuth::Bearer(auth), Path(org_id.clone()), Header(Some(org_id))).await
    }

    /// Invite a phone number or e-mail address (owners and admins). The answer is the same
    /// whether or not the contact has an account — the invitation id and the masked contact —
    /// so it cannot be used to find out who is registered. Without an account the invitation
    /// waits, and reaches the person once they register and verify that phone number or
    /// e-mail. At most 20 invitations (organisations and groups together) per person and hour:
    /// 429 `rate_limited` with `Retry-After` after that.
    #[oai(path = "/orgs/:id/invitations", method = "post", operation_id = "create_invitation")]
    async fn invite(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        body: Json<CreateInvitationRequest>,
    ) -> Result<InvitationCreated, ApiError> {
        let InvitationFields { login, role } = body.check()?;
        let caller = auth.0.user_id;
        let dto = state
            .write(move |c, _| {
                orgs::managing_role(c, &org.0, &id.0, &caller)?;
                let organisation = OrganisationRow::find(c, &id.0)?.ok_or_else(orgs::not_found)?;
                let at = now();
                orgs::ensure_invitation_allowance(c, &caller, at)?;
                let addressed = orgs::record_invitation(c, &id.0, &caller, &login, role, at)?;
                sent_invitation_dto(&addressed, &organisation.name)
            })
            .await?;
        let location = format!("/api/v1/invitations/{}", dto.id);
        Ok(InvitationCreated::Created(Json(dto), location))
    }

    /// Invitations the organisation sent that wait for an answer (owners and admins), with
    /// masked contacts; whether a contact has an account is not shown.
    #[oai(path = "/orgs/:id/invitations", method = "get", operation_id = "list_invitations")]
    async fn sent_invitations(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Json<InvitationList>, ApiError> {
        let items = state
            .db
            .run(move |c| {
                orgs::managing_role(c, &org.0, &id.0, &auth.0.user_id)?;
                let name = OrganisationRow::find(c, &id.0)?.ok_or_else(orgs::not_found)?.name;
                let mut items = Vec::new();
                for row in ContactInvitationRow::live_of(c, &id.0)? {
                    let waiting = row.status == ContactInvitationStatus::Pending
                        || InvitationRow::find_of_org(c, &id.0, &row.id)?
                            .is_some_and(|i| i.status == InvitationStatus::Pending);
                    if waiting {
                        items.push(sent_invitation_dto(&row, &name)?);
                    }
                }
                Ok::<_, ApiError>(items)
            })
            .await?;
        Ok(Json(InvitationList { items }))
    }

    /// Withdraw a pending invitation (owners and admins); 409 once it was answered.
    #[oai(
        path = "/orgs/:id/invitations/:invitation_id",
        method = "delete",
        operation_id = "delete_invitation"
    )]
    async fn withdraw_invitation(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        invitation_id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<NoContent, ApiError> {
        state
            .write(move |c, _| {
                orgs::managing_role(c, &org.0, &id.0, &auth.0.user_id)?;
                let addressed = ContactInvitationRow::find_of(c, &id.0, &invitation_id.0)?;
                if let Some(addressed) = addressed.filter(|a| a.status != ContactInvitationStatus::Claimed) {
                    return if ContactInvitationRow::settle(
                        c,
                        &addressed.id,
                        ContactInvitationStatus::Withdrawn,
                        now(),
                    )? {
                        Ok(())
                    } else {
                        Err(conflict("this invitation has been answered already"))
                    };
                }
                InvitationRow::find_of_org(c, &id.0, &invitation_id.0)?
                    .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "invitation not found"))?;
                if InvitationRow::decide(c, &invitation_id.0, "withdrawn", now())? {
                    Ok(())
                } else {
                    Err(conflict("this invitation has been answered already"))
                }
            })
            .await?;
        Ok(NoContent::NoContent)
    }

    /// Invitations waiting for the caller, including those sent to their verified phone number
    /// or e-mail before they had an account.
    #[oai(path = "/me/invitations", method = "get", operation_id = "list_my_invitations")]
    async fn my_invitations(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
    ) -> Result<Json<InvitationList>, ApiError> {
        let user = accounts::load_user(&state, &auth.0.user_id).await?;
        let (rows, sent) = state
            .write(move |c, _| {
                let sent = orgs::claim_contact_invitations(c, &user, now())?;
                Ok::<_, ApiError>((InvitationRow::pending_of_user(c, &user.id)?, sent))
            })
            .await?;
        state.notifier.publish(sent);
        Ok(Json(InvitationList { items: rows.into_iter().map(|(r, n)| invitation_dto(r, n)).collect() }))
    }

    /// Accept an invitation addressed to you and join the organisation.
    #[oai(path = "/invitations/:id/acceptance", method = "post", operation_id = "accept_invitation")]
    async fn accept(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
    ) -> Result<Json<Organisation>, ApiError> {
        let user = accounts::load_user(&state, &auth.0.user_id).await?;
        let (row, role) = state
            .write(move |c, _| {
                let invitation = answer(c, &id.0, &user, "accepted")?;
                let user_id = user.id;
                orgs::ensure_not_suspended(c, &invitation.org_id)?;
                let role = invitation.role;
                MembershipRow {
                    id: new_id(),
                    org_id: invitation.org_id.clone(),
                    user_id,
                    role,
                    created_at: now(),
                }
                .insert(c)?;
                let row = OrganisationRow::find(c, &invitation.org_id)?.ok_or_else(orgs::not_found)?;
                Ok::<_, ApiError>((row, role))
            })
            .await?;
        Ok(Json(orgs::private(&row, role)?))
    }

    /// Create an integrator API key (owners and admins). The secret is in this answer only.
    #[oai(path = "/orgs/:id/api-keys", method = "post", operation_id = "create_api_key")]
    async fn create_key(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        body: Json<CreateApiKeyRequest>,
    ) -> Result<KeyCreated, ApiError> {
        let ApiKeyFields { name, scopes } = body.check()?;
        let secret = format!("{KEY_PREFIX}{}", random_token(30));
        let user_id = auth.0.user_id;
        let row = state
            .write(move |c, _| {
                orgs::managing_role(c, &org.0, &id.0, &user_id)?;
                let row = ApiKeyRow {
                    id: new_id(),
                    org_id: id.0.clone(),
                    name,
                    prefix: secret.chars().take(10).collect(),
                    key_hash: sha256_hex(&secret),
                    scopes: serde_json::to_string(&scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>())
                        .unwrap_or_default(),
                    created_by: user_id.clone(),
                    created_at: now(),
                    last_used_at: None,
                    revoked_at: None,
                };
                row.insert(c)?;
                Ok::<_, ApiError>((row, secret))
            })
            .await?;
        let (row, secret) = row;
        let location = format!("/api/v1/orgs/{}/api-keys/{}", row.org_id, row.id);
        Ok(KeyCreated::Created(
            Json(CreatedApiKey { info: key_info(row), secret }),
            location,
            "no-store".into(),
        ))
    }

    /// The organisation's API keys (owners and admins), never their secrets.
    #[oai(path = "/orgs/:id/api-keys", method = "get", operation_id = "list_api_keys")]
    async fn list_keys(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Json<ApiKeyList>, ApiError> {
        let rows = state
            .db
            .run(move |c| {
                orgs::managing_role(c, &org.0, &id.0, &auth.0.user_id)?;
                ApiKeyRow::of_org(c, &id.0).map_err(ApiError::from)
            })
            .await?;
        Ok(Json(ApiKeyList { items: rows.into_iter().map(key_info).collect() }))
    }

    /// Revoke an API key (owners and admins); it stops working at once.
    #[oai(path = "/orgs/:id/api-keys/:key_id", method = "delete", operation_id = "delete_api_key")]
    async fn revoke_key(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        key_id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<NoContent, ApiError> {
        state
            .write(move |c, _| {
                orgs::managing_role(c, &org.0, &id.0, &auth.0.user_id)?;
                if ApiKeyRow::revoke(c, &id.0, &key_id.0, now())? {
                    Ok(())
                } else {
                    Err(ApiError::new(ErrorCode::NotFound, "no such live API key"))
                }
            })
            .await?;
        Ok(NoContent::NoContent)
    }

    /// Decline an invitation addressed to you.
    #[oai(path = "/invitations/:id/declination", method = "post", operation_id = "decline_invitation")]
    async fn decline(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
    ) -> Result<NoContent, ApiError> {
        let user = accounts::load_user(&state, &auth.0.user_id).await?;
        state.write(move |c, _| answer(c, &id.0, &user, "declined").map(drop)).await?;
        Ok(NoContent::NoContent)
    }
}

/// Answers an invitation addressed to `user` (or to their verified contact before they had an
/// account): 404 for anyone else, 409 once answered.
fn answer(c: &mut DbConn, id: &str, user: &User, status: &str) -> Result<InvitationRow, ApiError> {
    // A group invitation claimed here notifies nobody new: the caller is acting on it now.
    orgs::claim_contact_invitations(c, user, now())?;
    let invitation = InvitationRow::find_for_invitee(c, id, &user.id)?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "invitation not found"))?;
    if !InvitationRow::decide(c, id, status, now())? {
        return Err(conflict("this invitation has been answered already"));
    }
    Ok(invitation)
}

fn uscc_taken() -> ApiError {
    let mut error = conflict("an organisation with this USCC exists already");
    if let ApiError::Conflict(body) = &mut error {
        body.0.details.push(FieldIssue::new("uscc", "taken"));
    }
    error
}
