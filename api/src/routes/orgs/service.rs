//! Organisation rules at the API edge: the verified fields locked against a profile update
//! (the fields themselves are checked by `shared::validate::orgs`), mapping rows to DTOs, and resolving the
//! caller's active organisation from `X-Org-Id` (non-members get 404, never a hint), and the
//! invitation rules organisations and groups share: the per-inviter rate limit, masked
//! contacts, and handing invitations that waited for a contact to the account that proves it.

use chrono::{Duration, NaiveDateTime};
use shared::account::{Login, mask_email, mask_phone};
use shared::domain::credit::CreditGrade;
use shared::domain::identity::Uscc;
use shared::dto::{
    BusinessRole, ContactInvitationKind, ContactInvitationStatus, InvitationStatus, MemberRole, Organisation,
    OrganisationPublic, UpdateOrganisationRequest, VerificationStatus,
};
use shared::error::ErrorCode;
use shared::validate::orgs::OrganisationFields;

use crate::db::models::orgs::{ContactInvitationRow, InvitationRow, MembershipRow, OrganisationRow};
use crate::db::models::users::User;
use crate::db::{DbConn, new_id};
use crate::error::ApiError;

/// 404 for an organisation the caller may not see.
pub fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "organisation not found")
}

/// The caller's role in `org_id`, which must also be the `X-Org-Id` they act with.
pub fn acting_role(
    conn: &mut DbConn,
    header_org: &str,
    org_id: &str,
    user_id: &str,
) -> Result<MemberRole, ApiError> {
    if header_org != org_id {
        return Err(not_found());
    }
    MembershipRow::role_of(conn, org_id, user_id)?.ok_or_else(not_found)
}

/// Like [`acting_role`], and the role must manage the organisation (owner or admin), which
/// must not be suspended: a suspended organisation is frozen until staff lift the suspension.
pub fn managing_role(
    conn: &mut DbConn,
    header_org: &str,
    org_id: &str,
    user_id: &str,
) -> Result<MemberRole, ApiError> {
    let role = acting_role(conn, header_org, org_id, user_id)?;
    if !role.can_manage() {
        return Err(ApiError::new(ErrorCode::Forbidden, "only owners and admins can do this"));
    }
    ensure_not_suspended(conn, org_id)?;
    Ok(role)
}

/// 403 while platform staff have the organisation suspended: it is frozen — no profile changes,
/// invitations, new members, removals or ownership transfers — until the suspension is lifted.
/// Members may still leave.
pub fn ensure_not_suspended(conn: &mut DbConn, org_id: &str) -> Result<(), ApiError> {
    if OrganisationRow::find(conn, org_id)?.is_some_and(|o| o.suspended_at.is_some()) {
        return Err(ApiError::new(ErrorCode::Forbidden, "the organisation is suspended by the platform"));
    }
    Ok(())
}

/// Who acts for an organisation: a member (by bearer token and `X-Org-Id`) or an API key.
#[derive(Debug, Clone)]
pub enum OrgActor {
    /// A person with their role.
    Member { user_id: String, role: MemberRole },
    /// An integration key.
    Key(crate::auth::api_key::KeyPrincipal),
}

/// Resolves who acts on `org_id` and checks they may use `scope`: members need `X-Org-Id`
/// naming the organisation (and, for writes, a managing role); keys need the scope and must
/// belong to the organisation. Others get 404; a suspended organisation is refused writes.
pub fn resolve_actor(
    conn: &mut DbConn,
    auth: &crate::auth::api_key::OrgAuth,
    header_org: Option<&str>,
    org_id: &str,
    scope: shared::dto::ApiKeyScope,
) -> Result<OrgActor, ApiError> {
    use crate::auth::api_key::OrgAuth;
    let writes = scope == shared::dto::ApiKeyScope::OrgWrite;
    let actor = match auth {
        OrgAuth::Bearer(bearer) => {
            let header = header_org.ok_or_else(|| ApiError::missing("X-Org-Id"))?;
            let user_id = bearer.0.user_id.clone();
            let role = if writes {
                managing_role(conn, header, org_id, &user_id)?
            } else {
                acting_role(conn, header, org_id, &user_id)?
            };
            OrgActor::Member { user_id, role }
        }
        OrgAuth::ApiKey(key) => {
            if key.0.org_id != org_id || header_org.is_some_and(|h| h != org_id) {
                return Err(not_found());
            }
            if !key.0.scopes.contains(&scope) {
                return Err(ApiError::new(
                    ErrorCode::Forbidden,
                    format!("this API key lacks the {} scope", scope.as_str()),
                ));
            }
            if writes && OrganisationRow::find(conn, org_id)?.is_some_and(|o| o.suspended_at.is_some()) {
                return Err(ApiError::new(
                    ErrorCode::Forbidden,
                    "the organisation is suspended by the platform",
                ));
            }
            OrgActor::Key(key.0.clone())
        }
    };
    Ok(actor)
}

/// The issue named in `details` when a PATCH would change a field that real-name
/// verification checked (sent with `409 conflict`).
pub const VERIFIED_FIELD_LOCKED: &str = "verified_field_locked";

/// Refuses with `409 conflict`, naming each field ([`VERIFIED_FIELD_LOCKED`]), a PATCH that
/// would change the legal name or USCC while verification locks them: while a submission waits
/// for review and once verified (rejected or unverified organisations may correct them).
/// Sending the current value is accepted.
pub fn ensure_verified_fields_unchanged(
    row: &OrganisationRow,
    req: &UpdateOrganisationRequest,
) -> Result<(), ApiError> {
    if !matches!(row.verification_status, VerificationStatus::Pending | VerificationStatus::Verified) {
        return Ok(());
    }
    let mut locked = Vec::new();
    if req.name.as_deref().is_some_and(|name| name.trim() != row.name) {
        locked.push("name");
    }
    if req
        .uscc
        .as_deref()
        .is_some_and(|uscc| Uscc::parse(uscc).map(|u| u.as_str() != row.uscc).unwrap_or(true))
    {
        locked.push("uscc");
    }
    if locked.is_empty() {
        return Ok(());
    }
    let mut error = ApiError::new(
        ErrorCode::Conflict,
        "the legal name and USCC are locked while verification is pending and once verified",
    );
    for field in locked {
        error = error.with_detail(field, VERIFIED_FIELD_LOCKED);
    }
    Err(error)
}

/// The stored profile, as the fields an update applies to.
pub fn profile_of(row: &OrganisationRow) -> OrganisationFields {
    OrganisationFields {
        name: row.name.clone(),
        short_name: row.short_name.clone(),
        uscc: row.uscc.clone(),
        roles: parse_list(&row.roles).iter().filter_map(|r| BusinessRole::parse(r)).collect(),
        region_code: row.region_code.clone(),
        address: row.address.clone(),
        latitude: row.latitude,
        longitude: row.longitude,
        contact_name: row.contact_name.clone(),
        contact_phone: row.contact_phone.clone(),
        contact_email: row.contact_email.clone(),
        categories: parse_list(&row.categories),
        regions_served: parse_list(&row.regions_served),
        declared_capacity_fen: row.declared_capacity_fen,
    }
}

/// Writes checked profile fields into `row`.
pub fn store_profile(row: &mut OrganisationRow, fields: OrganisationFields) {
    row.name = fields.name;
    row.short_name = fields.short_name;
    row.uscc = fields.uscc;
    row.roles = json_list(fields.roles.iter().map(|r| r.as_str()));
    row.region_code = fields.region_code;
    row.address = fields.address;
    row.latitude = fields.latitude;
    row.longitude = fields.longitude;
    row.contact_name = fields.contact_name;
    row.contact_phone = fields.contact_phone;
    row.contact_email = fields.contact_email;
    row.categories = json_list(fields.categories.iter().map(String::as_str));
    row.regions_served = json_list(fields.regions_served.iter().map(String::as_str));
    row.declared_capacity_fen = fields.declared_capacity_fen;
}

fn json_list<'s>(items: impl IntoIterator<Item = &'s str>) -> String {
    serde_json::to_string(&items.into_iter().collect::<Vec<_>>()).unwrap_or_else(|_| "[]".into())
}

fn parse_list(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

/// The public profile of a row (500 for a stored credit grade that is not one).
pub fn public(row: &OrganisationRow) -> Result<OrganisationPublic, ApiError> {
    let credit_grade = row
        .credit_grade
        .as_deref()
        .map(|g| {
            CreditGrade::parse(g).ok_or_else(|| ApiError::internal(format!("stored credit grade {g:?}")))
        })
        .transpose()?;
    Ok(OrganisationPublic {
        id: row.id.clone(),
        name: row.name.clone(),
        short_name: row.short_name.clone(),
        uscc: row.uscc.clone(),
        roles: parse_list(&row.roles).iter().filter_map(|r| BusinessRole::parse(r)).collect(),
        region_code: row.region_code.clone(),
        region_name: shared::gb2260::full_name(&row.region_code).unwrap_or_default(),
        categories: parse_list(&row.categories),
        regions_served: parse_list(&row.regions_served),
        verification_status: row.verification_status,
        suspended: row.suspended_at.is_some(),
        created_at: row.created_at.and_utc(),
        credit_grade,
        membership_tier: row.membership_tier,
    })
}

/// The members' view of a row.
pub fn private(row: &OrganisationRow, my_role: MemberRole) -> Result<Organisation, ApiError> {
    Ok(Organisation {
        profile: public(row)?,
        address: row.address.clone(),
        latitude: row.latitude,
        longitude: row.longitude,
        contact_name: row.contact_name.clone(),
        contact_phone: row.contact_phone.clone(),
        contact_email: row.contact_email.clone(),
        declared_capacity_fen: row.declared_capacity_fen,
        my_role,
    })
}

/// Invitations (to organisations and groups together) one person may send per hour.
pub const INVITATIONS_PER_HOUR: usize = 20;

/// 429 `rate_limited` once `inviter` sent [`INVITATIONS_PER_HOUR`] invitations in the last hour,
/// with `Retry-After` until the oldest leaves the window. Counted in the database, so every
/// server process enforces the same limit.
pub fn ensure_invitation_allowance(
    conn: &mut DbConn,
    inviter: &str,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let window = Duration::hours(1);
    let sent = ContactInvitationRow::sent_by_since(conn, inviter, now - window)?;
    if sent.len() >= INVITATIONS_PER_HOUR {
        let ready = sent[sent.len() - INVITATIONS_PER_HOUR] + window;
        return Err(ApiError::rate_limited((ready - now).num_seconds().max(1) as u64));
    }
    Ok(())
}

/// The normalised contact of a login.
pub fn contact_of(login: &Login) -> String {
    match login {
        Login::Email(email) | Login::Phone(email) => email.clone(),
    }
}

/// Records an invitation of `login` to `org_id` with `role` by `caller`; 409 when the contact
/// has a pending invitation or the person is a member already. A person with an account gets
/// the invitation in their list at once.
pub fn record_invitation(
    conn: &mut DbConn,
    org_id: &str,
    caller: &str,
    login: &Login,
    role: MemberRole,
    at: NaiveDateTime,
) -> Result<ContactInvitationRow, ApiError> {
    let conflict = |message: &str| ApiError::new(ErrorCode::Conflict, message);
    let contact = contact_of(login);
    if ContactInvitationRow::pending_to(conn, org_id, &contact)? {
        return Err(conflict("this contact has a pending invitation already"));
    }
    let invitee = crate::routes::auth::accounts::find_by_login(conn, login)?;
    if let Some(invitee) = &invitee {
        // Telling these apart reveals nothing: the inviter manages the members and sees the
        // pending invitations.
        if MembershipRow::role_of(conn, org_id, &invitee.id)?.is_some() {
            return Err(conflict("this person is a member already"));
        }
        if InvitationRow::pending_for(conn, org_id, &invitee.id)?.is_some() {
            return Err(conflict("this contact has a pending invitation already"));
        }
    }
    let addressed = ContactInvitationRow {
        id: new_id(),
        kind: ContactInvitationKind::Organisation,
        target_id: org_id.to_owned(),
        contact,
        role: role.as_str().into(),
        status: if invitee.is_some() {
            ContactInvitationStatus::Claimed
        } else {
            ContactInvitationStatus::Pending
        },
        invited_by: caller.to_owned(),
        created_at: at,
        claimed_at: invitee.is_some().then_some(at),
    };
    addressed.insert(conn)?;
    if let Some(invitee) = invitee {
        InvitationRow {
            id: addressed.id.clone(),
            org_id: org_id.to_owned(),
            invitee_user_id: invitee.id,
            role,
            invited_by: caller.to_owned(),
            status: InvitationStatus::Pending,
            created_at: at,
            decided_at: None,
        }
        .insert(conn)?;
    }
    Ok(addressed)
}

/// A contact masked for display to the inviter (`138****5678`, `z***@example.com`).
pub fn mask_contact(contact: &str) -> String {
    if contact.contains('@') { mask_email(contact) } else { mask_phone(contact) }
}

/// Hands the caller the invitations that waited for their proven (verified) phone number or
/// e-mail address: each becomes an ordinary organisation or group invitation with the same id.
/// Returns the notifications to publish (group invitations notify like a direct one).
pub fn claim_contact_invitations(
    conn: &mut DbConn,
    user: &User,
    now: NaiveDateTime,
) -> Result<Vec<(String, shared::dto::Notification)>, ApiError> {
    let contacts: Vec<String> = [
        user.email.clone().filter(|_| user.email_verified_at.is_some()),
        user.phone.clone().filter(|_| user.phone_verified_at.is_some()),
    ]
    .into_iter()
    .flatten()
    .collect();
    if contacts.is_empty() {
        return Ok(Vec::new());
    }
    let mut sent = Vec::new();
    for waiting in ContactInvitationRow::pending_for_contacts(conn, &contacts)? {
        if !ContactInvitationRow::settle(conn, &waiting.id, ContactInvitationStatus::Claimed, now)? {
            continue;
        }
        if waiting.kind == ContactInvitationKind::Group {
            sent.extend(claim_group_invitation(conn, &waiting, &user.id)?);
            continue;
        }
        let member = MembershipRow::role_of(conn, &waiting.target_id, &user.id)?.is_some();
        if member || InvitationRow::pending_for(conn, &waiting.target_id, &user.id)?.is_some() {
            continue;
        }
        InvitationRow {
            id: waiting.id,
            org_id: waiting.target_id,
            invitee_user_id: user.id.clone(),
            role: waiting.role.parse().map_err(ApiError::internal)?,
            invited_by: waiting.invited_by,
            status: InvitationStatus::Pending,
            created_at: waiting.created_at,
            decided_at: None,
        }
        .insert(conn)?;
    }
    Ok(sent)
}

fn claim_group_invitation(
    conn: &mut DbConn,
    waiting: &ContactInvitationRow,
    user_id: &str,
) -> Result<Vec<(String, shared::dto::Notification)>, ApiError> {
    use diesel::prelude::*;

    use crate::db::models::community::{GroupInvitationRow, GroupMemberRow};
    use crate::db::schema::community_groups;
    let active = GroupMemberRow::find(conn, &waiting.target_id, user_id)?
        .is_some_and(|m| m.status == shared::dto::MemberStatus::Active);
    if active || GroupInvitationRow::open_for(conn, &waiting.target_id, user_id)?.is_some() {
        return Ok(Vec::new());
    }
    let Some(name) = community_groups::table
        .find(&waiting.target_id)
        .select(community_groups::name)
        .first::<String>(conn)
        .optional()?
    else {
        return Ok(Vec::new());
    };
    GroupInvitationRow::delete_used(conn, &waiting.target_id, user_id)?;
    GroupInvitationRow {
        id: waiting.id.clone(),
        group_id: waiting.target_id.clone(),
        user_id: user_id.to_owned(),
        invited_by: waiting.invited_by.clone(),
        created_at: waiting.created_at,
        used_at: None,
    }
    .insert(conn)?;
    let message = shared::domain::notices::market::MarketNotice::GroupInvitation { group: name };
    let notice = crate::routes::notifications::notify::Notice::new(
        &message,
        format!("/groups/{}", waiting.target_id),
        None,
    );
    Ok(crate::routes::notifications::notify::store(conn, &[user_id.to_owned()], &notice)?)
}
