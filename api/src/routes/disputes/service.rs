//! Disputes at the API edge (rules: `shared::domain::dispute`): load → `transition` → persist.
//! Persisting writes the case JSON and the queried columns under the row's version, queues the
//! `dispute_deadline` job when the running deadline moved, recomputes the credit of an
//! organisation newly held at fault (queued in the same transaction), releases what the
//! contract's escrow held once the case ends, and notifies both parties.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use shared::domain::calendar::BusinessCalendar;
use shared::domain::dispute::{
    self as rules, DisputeActor, DisputeCase, DisputeError, DisputeEvent, StaffRole as Acting,
    next_deadline_on,
};
use shared::domain::notices::disputes::DisputeNotice;
use shared::dto::*;
use shared::error::ErrorCode;

use crate::db::DbConn;
use crate::db::models::disputes::DisputeRow;
use crate::db::models::orgs::MembershipRow;
use crate::db::models::staff::StaffRoleRow;
use crate::error::ApiError;
use crate::jobs::{JobKind, enqueue};
use crate::routes::contracts::service::Loaded;
use crate::routes::credit::jobs::queue_recompute;
use crate::routes::escrow::closing::after_settlement;
use crate::routes::escrow::service::{plan_of, release_held};
use crate::routes::notifications::notify::Notice;
use crate::state::Outgoing;

/// Payload of a `dispute_deadline` job.
#[derive(Debug, Serialize, Deserialize)]
pub struct DeadlineJob {
    /// The dispute.
    pub dispute_id: String,
}

/// The API error of a refused event.
pub fn refused(error: &DisputeError) -> ApiError {
    let message = error.to_string();
    match error {
        DisputeError::NotPermitted(_) => ApiError::new(ErrorCode::Forbidden, message),
        DisputeError::Blank(field) => ApiError::field(field, "required", message),
        DisputeError::InvalidAmount(_) => ApiError::field("amount_fen", "out_of_range", message),
        DisputeError::SameParties => ApiError::field("contract_id", "same_parties", message),
        DisputeError::InvalidTransition { .. } => {
            ApiError::new(ErrorCode::Conflict, message).with_detail("state", "invalid_transition")
        }
        DisputeError::AlreadyAnswered => {
            ApiError::new(ErrorCode::Conflict, message).with_detail("state", "already_answered")
        }
        DisputeError::ArbitrationNotRegistered => {
            ApiError::new(ErrorCode::Conflict, message).with_detail("arbitration", "not_registered")
        }
        DisputeError::DeadlineNotReached(_)
        | DisputeError::NoDeadlineRunning
        | DisputeError::ClockWentBackwards => {
            ApiError::new(ErrorCode::Conflict, message).with_detail("deadline", "not_due")
        }
        DisputeError::Calendar(_) => ApiError::internal(message),
    }
}

/// A dispute and its case; 404 when there is none.
pub fn load(conn: &mut DbConn, id: &str) -> Result<(DisputeRow, DisputeCase), ApiError> {
    let row =
        DisputeRow::find(conn, id)?.ok_or_else(|| ApiError::new(ErrorCode::NotFound, "dispute not found"))?;
    let case = serde_json::from_str(&row.case_json).map_err(ApiError::internal)?;
    Ok((row, case))
}

/// The caller acting for a party (`X-Org-Id`, owner or admin there): the actor; 404 for
/// anyone else (the case is not theirs to see).
pub fn party_actor(
    conn: &mut DbConn,
    row: &DisputeRow,
    org: &str,
    user: &str,
) -> Result<DisputeActor, ApiError> {
    let is_party = org == row.complainant_org_id || org == row.respondent_org_id;
    match MembershipRow::role_of(conn, org, user)? {
        Some(role) if is_party && role.can_manage() => {
            Ok(DisputeActor::Organisation { org_id: org.to_owned() })
        }
        Some(_) if is_party => Err(ApiError::new(ErrorCode::Forbidden, "owners and admins act in a dispute")),
        _ => Err(ApiError::new(ErrorCode::NotFound, "dispute not found")),
    }
}

/// The caller as staff acting in the first of `roles` they hold: 403 otherwise.
pub fn staff_actor(conn: &mut DbConn, user: &str, roles: &[Acting]) -> Result<DisputeActor, ApiError> {
    let me = crate::routes::staff::service::require_staff(conn, user)?;
    let held = |r: Acting| match r {
        Acting::Operator => me.holds_any(&[StaffRole::Operator]),
        Acting::Mediator => me.holds_any(&[StaffRole::Mediator]),
        Acting::Admin => me.holds_any(&[StaffRole::Admin]),
    };
    roles
        .iter()
        .find(|r| held(**r))
        .map(|role| DisputeActor::Staff { staff_id: user.to_owned(), role: *role })
        .ok_or_else(|| ApiError::new(ErrorCode::Forbidden, "this staff role may not act on disputes so"))
}

/// Whether the caller may read the case: staff on disputes, or a member of a party.
pub fn may_read(conn: &mut DbConn, row: &DisputeRow, user: &str) -> Result<bool, ApiError> {
    let roles = StaffRoleRow::roles_of(conn, user)?;
    if roles.iter().any(|r| matches!(r, StaffRole::Operator | StaffRole::Mediator | StaffRole::Admin)) {
        return Ok(true);
    }
    Ok(MembershipRow::role_of(conn, &row.complainant_org_id, user)?.is_some()
        || MembershipRow::role_of(conn, &row.respondent_org_id, user)?.is_some())
}

/// Applies `event` by `actor` now and persists it; returns the new row and case.
pub fn act(
    conn: &mut DbConn,
    out: &mut Outgoing,
    id: &str,
    event: DisputeEvent,
    actor: &DisputeActor,
    at: NaiveDateTime,
    calendar: &BusinessCalendar,
) -> Result<(DisputeRow, DisputeCase), ApiError> {
    let (row, case) = load(conn, id)?;
    let next = rules::transition_on(&case, event, actor, at.and_utc(), calendar).map_err(|e| refused(&e))?;
    persist(conn, out, row, &case, next, at, calendar)
}

/// Writes `next` over `row` (read with `before`), with everything that follows from the change.
pub fn persist(
    conn: &mut DbConn,
    out: &mut Outgoing,
    mut row: DisputeRow,
    before: &DisputeCase,
    next: DisputeCase,
    at: NaiveDateTime,
    calendar: &BusinessCalendar,
) -> Result<(DisputeRow, DisputeCase), ApiError> {
    let version = row.version;
    let deadline = next_deadline_on(&next, calendar).map_err(|e| refused(&e))?.map(|d| d.due_at.naive_utc());
    let at_fault = next.organisation_at_fault().map(str::to_owned);
    row.state = next.state;
    row.mediator_id.clone_from(&next.mediator_id);
    row.case_json = serde_json::to_string(&next).map_err(ApiError::internal)?;
    row.version = version + 1;
    row.updated_at = at;
    let moved_deadline = deadline != row.deadline_at;
    row.deadline_at = deadline;
    let newly_at_fault = at_fault.is_some() && at_fault != row.at_fault_org_id;
    row.at_fault_org_id.clone_from(&at_fault);
    if !row.save_if(conn, version)? {
        return Err(ApiError::new(ErrorCode::Conflict, "the dispute changed meanwhile; reload it"));
    }
    if let (true, Some(due)) = (moved_deadline, deadline) {
        let payload =
            serde_json::to_string(&DeadlineJob { dispute_id: row.id.clone() }).map_err(ApiError::internal)?;
        enqueue(conn, JobKind::DisputeDeadline, &payload, due)?;
    }
    if let (true, Some(org)) = (newly_at_fault, at_fault.as_deref()) {
        queue_recompute(conn, org)?;
    }
    let loaded = Loaded::load(conn, &row.contract_id)?;
    let (_, title) = plan_of(&loaded)?;
    if next.state != before.state {
        notify(conn, out, &row, &DisputeNotice::Moved { title: title.clone(), state: next.state })?;
    }
    if next.escalated_to_admin && !before.escalated_to_admin {
        let admins = StaffRoleRow::holders(conn, StaffRole::Admin)?;
        let notice = DisputeNotice::Escalated { title };
        out.to_users(conn, &admins, &Notice::new(&notice, format!("/staff/disputes/{}", row.id), None))?;
    }
    if next.state.is_terminal() {
        release_after(conn, out, &loaded, at)?;
    }
    Ok((row, next))
}

/// Once a case ends, what the contract's accepted milestones hold is released (unless another
/// hold — a risk case, another dispute — still stands), and the contract may complete.
fn release_after(
    conn: &mut DbConn,
    out: &mut Outgoing,
    loaded: &Loaded,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    let (milestones, _, _) = crate::routes::escrow::closing::statuses(conn, loaded)?;
    for m in milestones.iter().filter(|m| m.accepted_on.is_some()) {
        release_held(conn, out, loaded, m.index, at)?;
    }
    after_settlement(conn, out, &loaded.row.id, at)
}

/// Tells both parties' members.
pub fn notify(
    conn: &mut DbConn,
    out: &mut Outgoing,
    row: &DisputeRow,
    notice: &DisputeNotice,
) -> Result<(), ApiError> {
    for org in [&row.complainant_org_id, &row.respondent_org_id] {
        out.to_org(conn, org, &Notice::new(notice, format!("/disputes/{}", row.id), Some(org)))?;
    }
    Ok(())
}

/// A new dispute's row for `case`.
pub fn new_row(
    case: &DisputeCase,
    at: NaiveDateTime,
    calendar: &BusinessCalendar,
) -> Result<DisputeRow, ApiError> {
    let deadline = next_deadline_on(case, calendar).map_err(|e| refused(&e))?.map(|d| d.due_at.naive_utc());
    Ok(DisputeRow {
        id: case.filing.id.clone(),
        contract_id: case.filing.contract_id.clone(),
        complainant_org_id: case.filing.complainant_org_id.clone(),
        respondent_org_id: case.filing.respondent_org_id.clone(),
        state: case.state,
        mediator_id: None,
        at_fault_org_id: None,
        deadline_at: deadline,
        decision_sha256: None,
        complainant_signed_by: None,
        complainant_signed_at: None,
        respondent_signed_by: None,
        respondent_signed_at: None,
        executed_at: None,
        case_json: serde_json::to_string(case).map_err(ApiError::internal)?,
        version: 0,
        filed_at: at,
        updated_at: at,
    })
}

/// The case as the API shows it.
pub fn view(
    row: &DisputeRow,
    case: &DisputeCase,
    calendar: &BusinessCalendar,
) -> Result<DisputeView, ApiError> {
    let deadline = next_deadline_on(case, calendar).map_err(|e| refused(&e))?;
    let at_fault = case
        .decision
        .as_ref()
        .map(|d| d.at_fault)
        .or_else(|| case.agreement.as_ref().map(|a| a.at_fault))
        .flatten();
    Ok(DisputeView {
        id: row.id.clone(),
        contract_id: row.contract_id.clone(),
        complainant_org_id: row.complainant_org_id.clone(),
        respondent_org_id: row.respondent_org_id.clone(),
        state: case.state,
        claim: case.filing.claim.clone(),
        amount_fen: case.filing.amount_fen,
        evidence: case.filing.evidence.clone(),
        filed_at: case.filed_at,
        mediator_id: case.mediator_id.clone(),
        answer: case.answer.as_ref().map(|a| a.statement.clone()),
        respondent_non_responsive: case.respondent_non_responsive,
        escalated_to_admin: case.escalated_to_admin,
        sla_breaches: case
            .sla_breaches
            .iter()
            .map(|b| DisputeDeadlineView { kind: b.deadline, due_at: b.due_at, on_expiry: None })
            .collect(),
        deadline: deadline.map(|d| DisputeDeadlineView {
            kind: d.kind,
            due_at: d.due_at,
            on_expiry: Some(d.on_expiry),
        }),
        mediation_opened_at: case.mediation_opened_at,
        agreement_terms: case.agreement.as_ref().map(|a| a.terms.clone()),
        escrow_movements: case
            .agreement
            .iter()
            .flat_map(|a| a.escrow_movements.iter())
            .map(|m| EscrowMovementView { to: m.to, amount_fen: m.amount_fen })
            .collect(),
        arbitration: case.arbitration.as_ref().map(|a| format!("{} {}", a.institution, a.case_number)),
        decision: case.decision.as_ref().map(|d| d.summary.clone()),
        award_fen: case.decision.as_ref().map(|d| d.award_fen),
        decision_document: row.decision_sha256.clone(),
        complainant_signed_at: row.complainant_signed_at.map(|t| t.and_utc()),
        respondent_signed_at: row.respondent_signed_at.map(|t| t.and_utc()),
        executed_at: row.executed_at.map(|t| t.and_utc()),
        at_fault,
        escrow_frozen: case.escrow_frozen(),
        timeline: case
            .timeline
            .iter()
            .map(|t| {
                let (actor, org_id, staff_id) = match &t.actor {
                    DisputeActor::Organisation { org_id } => {
                        (DisputeActorKind::Organisation, Some(org_id.clone()), None)
                    }
                    DisputeActor::Staff { staff_id, .. } => {
                        (DisputeActorKind::Staff, None, Some(staff_id.clone()))
                    }
                    DisputeActor::System => (DisputeActorKind::System, None, None),
                };
                DisputeStepView {
                    at: t.at,
                    actor,
                    org_id,
                    staff_id,
                    event: t.event.as_ref().map(DisputeEvent::kind),
                    consequence: t.consequence,
                    state_after: t.state_after,
                }
            })
            .collect(),
    })
}
