//! Platform staff: who is staff (roles held, TOTP mandatory), carrying out dual-control requests
//! once a second, different staff member approves, and mapping rows to DTOs. Every staff action
//! is written to the audit chain in the same transaction as its effect.

use chrono::NaiveDateTime;
use shared::domain::credit::{CreditConfig, CreditGrade};
use shared::dto::{DualControlAction, StaffRequest, StaffRole};
use shared::error::ErrorCode;

use crate::db::DbConn;
use crate::db::models::audit::{self, AuditEvent};
use crate::db::models::credit::OverrideRow;
use crate::db::models::orgs::OrganisationRow;
use crate::db::models::staff::{DualControlRow, StaffRoleRow};
use crate::db::models::users::User;
use crate::error::ApiError;
use crate::state::Outgoing;

/// A signed-in staff member.
#[derive(Debug, Clone)]
pub struct Staff {
    /// Account id.
    pub user_id: String,
    /// Roles held.
    pub roles: Vec<StaffRole>,
}

impl Staff {
    /// Whether any of `allowed` is held.
    pub fn holds_any(&self, allowed: &[StaffRole]) -> bool {
        self.roles.iter().any(|r| allowed.contains(r))
    }
}

/// Loads the caller as staff: 403 `forbidden` without a staff role, 403 `mfa_required` without
/// TOTP (mandatory for staff).
pub fn require_staff(conn: &mut DbConn, user_id: &str) -> Result<Staff, ApiError> {
    let roles: Vec<StaffRole> = StaffRoleRow::roles_of(conn, user_id)?;
    if roles.is_empty() {
        return Err(ApiError::new(ErrorCode::Forbidden, "platform staff only"));
    }
    let user = User::find_active(conn, user_id)?
        .ok_or_else(|| ApiError::new(ErrorCode::Unauthenticated, "account not found"))?;
    if !user.totp_enabled {
        return Err(ApiError::new(
            ErrorCode::MfaRequired,
            "staff must turn on two-factor authentication first",
        ));
    }
    Ok(Staff { user_id: user_id.to_owned(), roles })
}

/// Records a staff action in the audit chain.
pub fn audit(
    conn: &mut DbConn,
    staff_id: &str,
    action: &str,
    subject: (&str, &str),
    details: serde_json::Value,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    let event = AuditEvent {
        actor_user_id: Some(staff_id),
        actor_label: "staff",
        action,
        subject_type: subject.0,
        subject_id: subject.1,
        details,
        ip: None,
    };
    audit::append(conn, &event, at)?;
    Ok(())
}

/// Checks that what a request names exists and that the action makes sense now (what it must
/// name was checked with the request, `shared::validate::staff`).
pub fn check_request(conn: &mut DbConn, row: &DualControlRow) -> Result<(), ApiError> {
    let action = row.action;
    match action {
        DualControlAction::GrantRole | DualControlAction::RevokeRole => {
            let target = row
                .target_user_id
                .as_deref()
                .ok_or_else(|| ApiError::field("target_user_id", "required", "name the account"))?;
            let role = row.role.ok_or_else(|| ApiError::field("role", "required", "name the role"))?;
            if User::find_active(conn, target)?.is_none() {
                return Err(ApiError::field("target_user_id", "unknown_account", "no such account"));
            }
            let held = StaffRoleRow::roles_of(conn, target)?.contains(&role);
            if action == DualControlAction::GrantRole && held {
                return Err(ApiError::new(ErrorCode::Conflict, "the account holds this role already"));
            }
            if action == DualControlAction::RevokeRole && !held {
                return Err(ApiError::new(ErrorCode::Conflict, "the account does not hold this role"));
            }
        }
        DualControlAction::SuspendOrganisation | DualControlAction::LiftSuspension => {
            let org_id = row
                .target_org_id
                .as_deref()
                .ok_or_else(|| ApiError::field("org_id", "required", "name the organisation"))?;
            let org = OrganisationRow::find(conn, org_id)?
                .ok_or_else(|| ApiError::field("org_id", "unknown_organisation", "no such organisation"))?;
            let suspended = org.suspended_at.is_some();
            if action == DualControlAction::SuspendOrganisation && suspended {
                return Err(ApiError::new(ErrorCode::Conflict, "the organisation is suspended already"));
            }
            if action == DualControlAction::LiftSuspension && !suspended {
                return Err(ApiError::new(ErrorCode::Conflict, "the organisation is not suspended"));
            }
        }
        DualControlAction::ReleaseEscrow => {
            crate::routes::escrow::service::releasable(conn, row)?;
        }
        DualControlAction::OverrideCreditGrade | DualControlAction::LiftCreditOverride => {
            let org_id = row
                .target_org_id
                .as_deref()
                .ok_or_else(|| ApiError::field("org_id", "required", "name the organisation"))?;
            if OrganisationRow::find(conn, org_id)?.is_none() {
                return Err(ApiError::field("org_id", "unknown_organisation", "no such organisation"));
            }
            let overridden = !OverrideRow::active(conn, &[org_id.to_owned()])?.is_empty();
            if action == DualControlAction::OverrideCreditGrade && overridden {
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    "the grade is overridden already; lift that first",
                ));
            }
            if action == DualControlAction::LiftCreditOverride && !overridden {
                return Err(ApiError::new(ErrorCode::Conflict, "the grade is not overridden"));
            }
        }
    }
    Ok(())
}

/// Carries out an approved request (checked again: the world may have changed since). A
/// credit override or its lifting recomputes the organisation's credit with `credit`.
pub fn execute(
    conn: &mut DbConn,
    out: &mut Outgoing,
    row: &DualControlRow,
    approver: &str,
    at: NaiveDateTime,
    credit: &CreditConfig,
) -> Result<(), ApiError> {
    check_request(conn, row)?;
    let target_user = row.target_user_id.clone().unwrap_or_default();
    let role = row.role.ok_or_else(|| ApiError::field("role", "required", "name the role"));
    let org_id = row.target_org_id.clone().unwrap_or_default();
    match row.action {
        DualControlAction::GrantRole => {
            StaffRoleRow {
                user_id: target_user,
                role: role?,
                granted_at: at,
                granted_by: approver.to_owned(),
            }
            .grant(conn)?;
        }
        DualControlAction::RevokeRole => {
            StaffRoleRow::revoke(conn, &target_user, role?)?;
        }
        DualControlAction::SuspendOrganisation => {
            OrganisationRow::set_suspension(conn, &org_id, Some(&row.reason), at)?;
        }
        DualControlAction::LiftSuspension => {
            OrganisationRow::set_suspension(conn, &org_id, None, at)?;
        }
        DualControlAction::ReleaseEscrow => {
            let (loaded, milestone) = crate::routes::escrow::service::releasable(conn, row)?;
            if crate::routes::escrow::service::release_held(conn, out, &loaded, milestone, at)?.is_none() {
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    "this milestone's escrow holds nothing or is frozen",
                )
                .with_detail("milestone", "nothing_held"));
            }
            crate::routes::escrow::closing::after_settlement(conn, out, &loaded.row.id, at)?;
        }
        DualControlAction::OverrideCreditGrade => {
            let grade = row
                .credit_grade
                .clone()
                .ok_or_else(|| ApiError::field("grade", "required", "name the grade"))?;
            OverrideRow {
                id: crate::db::new_id(),
                org_id: org_id.clone(),
                grade,
                reason: row.reason.clone(),
                request_id: row.id.clone(),
                requested_by: row.requested_by.clone(),
                approved_by: approver.to_owned(),
                applied_at: at,
                lift_request_id: None,
                lifted_at: None,
            }
            .insert(conn)?;
            crate::routes::credit::service::recompute(conn, out, &org_id, credit, at)?;
        }
        DualControlAction::LiftCreditOverride => {
            OverrideRow::lift(conn, &org_id, &row.id, at)?;
            crate::routes::credit::service::recompute(conn, out, &org_id, credit, at)?;
        }
    }
    Ok(())
}

/// The DTO of a request row.
pub fn request_dto(row: DualControlRow) -> StaffRequest {
    StaffRequest {
        id: row.id,
        action: row.action,
        target_user_id: row.target_user_id,
        role: row.role,
        org_id: row.target_org_id,
        contract_id: row.target_contract_id,
        milestone: row.milestone.and_then(|m| u32::try_from(m).ok()),
        grade: row.credit_grade.as_deref().and_then(CreditGrade::parse),
        reason: row.reason,
        requested_by: row.requested_by,
        requested_at: row.requested_at.and_utc(),
        status: row.status,
        decided_by: row.decided_by,
        decided_at: row.decided_at.map(|t| t.and_utc()),
        decision_reason: row.decision_reason,
    }
}
