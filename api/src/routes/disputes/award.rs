//! Enforcing an arbitration award at the API edge (rules: `shared::domain::dispute::award`):
//! the decision executes the award from the contract's escrow ([`on_decision`]); a shortfall is
//! due from the party at fault within 10 business days (an `award_due` job, [`due`]), paid from
//! its available funds; then a finance officer requests first compensation from its bond and the
//! risk reserve and a second one decides; the reserve's part is a recovery claim, repaid by the
//! party into the reserve, which blocks it from new contracts until settled ([`blocks_new`]).

use chrono::NaiveDateTime;
use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use serde::{Deserialize, Serialize};
use shared::domain::calendar::BusinessCalendar;
use shared::domain::calendar::shanghai::business_date;
use shared::domain::dispute::DisputeCase;
use shared::domain::dispute::award::{
    self as rules, Award, AwardRefusal, AwardState, SHORTFALL_BUSINESS_DAYS,
};
use shared::domain::ledger::{Account, Transaction, ops};
use shared::domain::notices::disputes::DisputeNotice;
use shared::dto::*;
use shared::error::ErrorCode;
use shared::validate::Check;

use super::service::{load, may_read};
use super::settlement::{balances, take_from_escrow};
use crate::auth::session::{BearerAuth, ClientInfo};
use crate::db::models::audit::{self, AuditEvent};
use crate::db::models::disputes::{AwardRow, DisputeRow};
use crate::db::models::ledger::{AccountRow, Meta, post};
use crate::db::models::orgs::MembershipRow;
use crate::db::models::staff::StaffRoleRow;
use crate::db::{DbConn, now};
use crate::error::ApiError;
use crate::jobs::{JobKind, enqueue};
use crate::routes::ApiTags;
use crate::routes::contracts::service::Loaded;
use crate::routes::credit::jobs::queue_recompute;
use crate::routes::escrow::finance::finance_officer;
use crate::routes::escrow::service::{plan_of, refused as ledger_refused};
use crate::routes::notifications::notify::Notice;
use crate::state::{AppState, Outgoing};

/// Payload of an `award_due` job.
#[derive(Debug, Serialize, Deserialize)]
pub struct DueJob {
    /// The dispute.
    pub dispute_id: String,
}

fn refused(refusal: &AwardRefusal) -> ApiError {
    let (field, issue) = refusal.issue();
    match refusal {
        AwardRefusal::Amount { .. } => ApiError::field(field, issue, refusal.to_string()),
        AwardRefusal::SameOfficer => {
            ApiError::new(ErrorCode::Forbidden, refusal.to_string()).with_detail(field, issue)
        }
        _ => ApiError::new(ErrorCode::Conflict, refusal.to_string()).with_detail(field, issue),
    }
}

fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "no award on this dispute")
}

fn title_of(conn: &mut DbConn, contract_id: &str) -> Result<String, ApiError> {
    let loaded = Loaded::load(conn, contract_id)?;
    Ok(plan_of(&loaded)?.1)
}

fn tell_parties(
    conn: &mut DbConn,
    out: &mut Outgoing,
    row: &AwardRow,
    notice: &DisputeNotice,
) -> Result<(), ApiError> {
    for org in [&row.debtor_org_id, &row.creditor_org_id] {
        out.to_org(conn, org, &Notice::new(notice, format!("/disputes/{}", row.dispute_id), Some(org)))?;
    }
    Ok(())
}

fn tell_finance(
    conn: &mut DbConn,
    out: &mut Outgoing,
    row: &AwardRow,
    notice: &DisputeNotice,
) -> Result<(), ApiError> {
    let officers = StaffRoleRow::holders(conn, StaffRole::FinanceOfficer)?;
    out.to_users(conn, &officers, &Notice::new(notice, format!("/disputes/{}", row.dispute_id), None))?;
    Ok(())
}

/// Whether `org_id` may enter a new contract: 409 `{field}: recovery_claim_open` while it owes
/// the reserve.
pub fn blocks_new(conn: &mut DbConn, org_id: &str, field: &str) -> Result<(), ApiError> {
    let owed = AwardRow::recovery_open(conn, org_id)?;
    if owed > 0 {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!("{field} owes the platform's risk reserve {owed} fen on a recovery claim; no new contract until it is repaid"),
        )
        .with_detail(field, "recovery_claim_open"));
    }
    Ok(())
}

/// Executes the decision's award, if any, from the contract's escrow (in the decision's
/// transaction): to the party not at fault; a shortfall becomes due in 10 business days.
pub fn on_decision(
    conn: &mut DbConn,
    out: &mut Outgoing,
    row: &DisputeRow,
    case: &DisputeCase,
    at: NaiveDateTime,
    calendar: &BusinessCalendar,
) -> Result<(), ApiError> {
    let Some(decision) = case.decision.as_ref().filter(|d| d.award_fen > 0) else { return Ok(()) };
    let debtor = case
        .organisation_at_fault()
        .ok_or_else(|| ApiError::field("at_fault", "required", "an award needs the party at fault"))?
        .to_owned();
    let creditor = if debtor == row.complainant_org_id {
        row.respondent_org_id.clone()
    } else {
        row.complainant_org_id.clone()
    };
    crate::db::models::audit::serialise(conn)?;
    let loaded = Loaded::load(conn, &row.contract_id)?;
    let (takes, award) = rules::from_escrow(decision.award_fen, &balances(conn, &loaded)?);
    let to_payer = creditor == loaded.row.payer_org_id;
    for take in takes {
        take_from_escrow(conn, &row.id, &loaded, take, to_payer, at)?;
    }
    let due =
        calendar.business_deadline(at.and_utc(), SHORTFALL_BUSINESS_DAYS).map_err(ApiError::internal)?.value;
    let mut award_row = AwardRow {
        dispute_id: row.id.clone(),
        contract_id: row.contract_id.clone(),
        debtor_org_id: debtor,
        creditor_org_id: creditor,
        state: award.state,
        award_fen: award.award_fen,
        from_escrow_fen: award.from_escrow_fen,
        paid_fen: 0,
        compensated_fen: 0,
        due_at: due.naive_utc(),
        requested_by: None,
        requested_bond_fen: None,
        requested_reserve_fen: None,
        requested_at: None,
        recovery_fen: 0,
        recovered_fen: 0,
        version: 0,
        created_at: at,
        updated_at: at,
    };
    award_row.apply(&award, at);
    award_row.insert(conn)?;
    let title = plan_of(&loaded)?.1;
    let notice = if award.state == AwardState::Due {
        let payload =
            serde_json::to_string(&DueJob { dispute_id: row.id.clone() }).map_err(ApiError::internal)?;
        enqueue(conn, JobKind::AwardDue, &payload, due.naive_utc())?;
        DisputeNotice::AwardShortfall {
            title,
            shortfall_fen: award.outstanding(),
            due_on: business_date(due - chrono::Duration::seconds(1)).to_string(),
        }
    } else {
        DisputeNotice::AwardPaid { title, amount_fen: award.from_escrow_fen, outstanding_fen: 0 }
    };
    tell_parties(conn, out, &award_row, &notice)
}

/// Writes `next` over `row` under its version.
fn save(conn: &mut DbConn, row: &mut AwardRow, next: &Award, at: NaiveDateTime) -> Result<(), ApiError> {
    let version = row.version;
    row.apply(next, at);
    row.version = version + 1;
    if !row.save_if(conn, version)? {
        return Err(ApiError::new(ErrorCode::Conflict, "the award changed meanwhile; reload it"));
    }
    Ok(())
}

/// The `award_due` job: a shortfall still due at its deadline falls overdue; the parties and
/// finance officers are told, and the debtor's credit is recomputed.
pub async fn due(state: &AppState, dispute_id: String) -> Result<(), ApiError> {
    state
        .write(move |c, out| {
            let at = now();
            let Some(mut row) = AwardRow::find(c, &dispute_id)? else { return Ok(()) };
            if row.state != AwardState::Due || at < row.due_at {
                return Ok(());
            }
            let next = row.award().fall_due().map_err(|r| refused(&r))?;
            save(c, &mut row, &next, at)?;
            let notice = DisputeNotice::AwardOverdue {
                title: title_of(c, &row.contract_id)?,
                outstanding_fen: next.outstanding(),
            };
            tell_parties(c, out, &row, &notice)?;
            tell_finance(c, out, &row, &notice)?;
            queue_recompute(c, &row.debtor_org_id)
        })
        .await
}

/// The award as the API shows it.
pub fn award_view(row: &AwardRow) -> DisputeAwardView {
    let award = row.award();
    let (outstanding_fen, recovery_open_fen) = (award.outstanding(), award.recovery_open());
    DisputeAwardView {
        dispute_id: row.dispute_id.clone(),
        contract_id: row.contract_id.clone(),
        debtor_org_id: row.debtor_org_id.clone(),
        creditor_org_id: row.creditor_org_id.clone(),
        state: row.state,
        award_fen: row.award_fen,
        from_escrow_fen: row.from_escrow_fen,
        paid_fen: row.paid_fen,
        compensated_fen: row.compensated_fen,
        outstanding_fen,
        due_at: row.due_at.and_utc(),
        request: award.request.map(|r| CompensationRequestView {
            requested_by: r.requested_by,
            requested_at: row.requested_at.unwrap_or(row.updated_at).and_utc(),
            bond_fen: r.bond_fen,
            reserve_fen: r.reserve_fen,
        }),
        recovery_fen: row.recovery_fen,
        recovered_fen: row.recovered_fen,
        recovery_open_fen,
    }
}

fn audit_entry(
    conn: &mut DbConn,
    (user, label, client): (&str, &str, &ClientInfo),
    action: &str,
    row: &AwardRow,
    details: serde_json::Value,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    let event = AuditEvent {
        actor_user_id: Some(user),
        actor_label: label,
        action,
        subject_type: "dispute_award",
        subject_id: &row.dispute_id,
        details,
        ip: client.ip.as_deref(),
    };
    audit::append(conn, &event, at)?;
    Ok(())
}

fn move_money(
    conn: &mut DbConn,
    tx: Result<Transaction, shared::domain::ledger::LedgerRefusal>,
    row: &AwardRow,
    by: &str,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    let tx = tx.map_err(|r| ledger_refused(&r))?;
    let meta = Meta {
        contract_id: Some(&row.contract_id),
        milestone: None,
        memo: format!("award:{}", row.dispute_id),
        source: ("dispute_award", &row.dispute_id),
        created_by: Some(by),
    };
    post(conn, &tx, &meta, at)?;
    Ok(())
}

/// What the party at fault pays: the award's shortfall, or its recovery claim.
#[derive(Clone, Copy)]
enum Owed {
    Shortfall,
    Recovery,
}

/// The debtor's owner or admin (`X-Org-Id`) pays `amount` of what it owes.
fn debtor_pays(
    conn: &mut DbConn,
    out: &mut Outgoing,
    (id, org, user, client): (&str, &str, &str, &ClientInfo),
    owed: Owed,
    amount: i64,
) -> Result<(), ApiError> {
    let mut row = AwardRow::find(conn, id)?.ok_or_else(not_found)?;
    if org != row.debtor_org_id {
        return Err(ApiError::new(ErrorCode::Forbidden, "only the party at fault pays the award")
            .with_detail("X-Org-Id", "not_debtor"));
    }
    let at = now();
    let award = row.award();
    let (next, tx, action) = match owed {
        Owed::Shortfall => (
            award.pay(amount),
            ops::award_payment(&row.debtor_org_id, &row.creditor_org_id, amount),
            "dispute.award_paid",
        ),
        Owed::Recovery => (
            award.repay(amount),
            ops::recovery_payment(&row.debtor_org_id, amount),
            "dispute.recovery_repaid",
        ),
    };
    let next = next.map_err(|r| refused(&r))?;
    move_money(conn, tx, &row, user, at)?;
    save(conn, &mut row, &next, at)?;
    audit_entry(conn, (user, "user", client), action, &row, serde_json::json!({ "amount_fen": amount }), at)?;
    if matches!(owed, Owed::Shortfall) {
        let notice = DisputeNotice::AwardPaid {
            title: title_of(conn, &row.contract_id)?,
            amount_fen: amount,
            outstanding_fen: next.outstanding(),
        };
        tell_parties(conn, out, &row, &notice)?;
    }
    Ok(())
}

/// A finance officer's step on a compensation.
enum Step {
    Request,
    Decide { approve: bool, reason: Option<String> },
}

fn compensate(
    conn: &mut DbConn,
    out: &mut Outgoing,
    (id, user, client): (&str, &str, &ClientInfo),
    step: Step,
) -> Result<(), ApiError> {
    finance_officer(conn, user)?;
    crate::db::models::audit::serialise(conn)?;
    let mut row = AwardRow::find(conn, id)?.ok_or_else(not_found)?;
    let at = now();
    let award = row.award();
    let title = title_of(conn, &row.contract_id)?;
    match step {
        Step::Request => {
            let loaded = Loaded::load(conn, &row.contract_id)?;
            let bond = if row.debtor_org_id == loaded.row.performer_org_id {
                AccountRow::find(conn, &Account::bond(&row.contract_id).to_string())?
                    .map_or(0, |a| a.balance_fen)
            } else {
                0
            };
            let reserve =
                AccountRow::find(conn, &Account::RiskReserve.to_string())?.map_or(0, |a| a.balance_fen);
            let next = award.request(user, bond, reserve).map_err(|r| refused(&r))?;
            save(conn, &mut row, &next, at)?;
            let (b, r) = next.request.as_ref().map_or((0, 0), |q| (q.bond_fen, q.reserve_fen));
            let details = serde_json::json!({ "bond_fen": b, "reserve_fen": r });
            audit_entry(
                conn,
                (user, "finance_officer", client),
                "dispute.compensation_requested",
                &row,
                details,
                at,
            )?;
            tell_finance(conn, out, &row, &DisputeNotice::CompensationRequested { title, amount_fen: b + r })
        }
        Step::Decide { approve, reason } => {
            let next = award.decide(user, approve).map_err(|r| refused(&r))?;
            let request = award.request.clone().ok_or_else(not_found)?;
            if approve {
                let tx = ops::compensation(
                    &row.contract_id,
                    request.bond_fen,
                    request.reserve_fen,
                    &row.creditor_org_id,
                );
                move_money(conn, tx, &row, user, at)?;
            }
            save(conn, &mut row, &next, at)?;
            let action =
                if approve { "dispute.compensation_approved" } else { "dispute.compensation_rejected" };
            let details = serde_json::json!({
                "bond_fen": request.bond_fen, "reserve_fen": request.reserve_fen,
                "requested_by": request.requested_by, "reason": reason,
            });
            audit_entry(conn, (user, "finance_officer", client), action, &row, details, at)?;
            if approve {
                let amount_fen = request.bond_fen + request.reserve_fen;
                let notice =
                    DisputeNotice::AwardPaid { title, amount_fen, outstanding_fen: next.outstanding() };
                tell_parties(conn, out, &row, &notice)?;
            }
            Ok(())
        }
    }
}

/// Arbitration awards: payment by the party at fault, first compensation, recovery.
pub struct DisputeAwardsApi;

#[OpenApi(tag = "ApiTags::Disputes")]
impl DisputeAwardsApi {
    /// The award of a decided dispute and how far it is paid (who may read the case, and
    /// finance officers). 404 when the decision awarded nothing.
    #[oai(path = "/disputes/:id/award", method = "get", operation_id = "get_dispute_award")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
    ) -> Result<Json<DisputeAwardView>, ApiError> {
        let view = state
            .db
            .run(move |c| {
                let (dispute, _) = load(c, &id.0)?;
                if !may_read(c, &dispute, &auth.0.user_id)? && finance_officer(c, &auth.0.user_id).is_err() {
                    return Err(ApiError::new(ErrorCode::NotFound, "dispute not found"));
                }
                AwardRow::find(c, &id.0)?.map(|row| award_view(&row)).ok_or_else(not_found)
            })
            .await?;
        Ok(Json(view))
    }

    /// Pay the award's shortfall, in part or in full, from the organisation's available funds
    /// to the other party (owners and admins of the party at fault, `X-Org-Id`, re-authenticated
    /// as for a withdrawal). 403 `X-Org-Id: not_debtor` for the other party, 409 `state:
    /// invalid_transition` once paid or while a compensation awaits its second officer, 422
    /// `amount_fen: out_of_range` above what is owed, 409 `amount_fen: insufficient_funds`.
    /// Requires `Idempotency-Key`.
    #[oai(path = "/disputes/:id/award/payments", method = "post", operation_id = "pay_dispute_award")]
    async fn pay(
        &self,
        state: Data<&AppState>,
        req: &poem::Request,
        auth: BearerAuth,
        #[oai(name = "X-Org-Id")] org: Header<Option<String>>,
        id: Path<String>,
        body: Json<AwardPaymentRequest>,
    ) -> Result<Json<DisputeAwardView>, ApiError> {
        debtor_payment(&state, req, auth, org.0, id.0, body.0, Owed::Shortfall).await
    }

    /// Repay the recovery claim — what the risk reserve paid for the organisation — in part or
    /// in full, from its available funds into the reserve (as for a shortfall payment). While
    /// any is owed the organisation can enter no new contract (409 `recovery_claim_open`).
    #[oai(
        path = "/disputes/:id/award/recovery-payments",
        method = "post",
        operation_id = "repay_dispute_recovery"
    )]
    async fn repay(
        &self,
        state: Data<&AppState>,
        req: &poem::Request,
        auth: BearerAuth,
        #[oai(name = "X-Org-Id")] org: Header<Option<String>>,
        id: Path<String>,
        body: Json<AwardPaymentRequest>,
    ) -> Result<Json<DisputeAwardView>, ApiError> {
        debtor_payment(&state, req, auth, org.0, id.0, body.0, Owed::Recovery).await
    }

    /// Awards for finance officers, oldest due first: by default those still owed (due,
    /// overdue, awaiting a second officer), or those in `state`.
    #[oai(path = "/finance/dispute-awards", method = "get", operation_id = "list_dispute_awards")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        #[oai(name = "state")] filter: Query<Option<AwardState>>,
    ) -> Result<Json<DisputeAwardList>, ApiError> {
        let items = state
            .db
            .run(move |c| {
                finance_officer(c, &auth.0.user_id)?;
                let states = filter.0.map_or_else(
                    || vec![AwardState::Due, AwardState::Overdue, AwardState::CompensationRequested],
                    |s| vec![s],
                );
                Ok::<_, ApiError>(AwardRow::in_states(c, &states, 200)?.iter().map(award_view).collect())
            })
            .await?;
        Ok(Json(DisputeAwardList { items }))
    }

    /// Request first compensation of an overdue award (a finance officer): from the party at
    /// fault's bond on the contract, then the risk reserve, up to what is owed. 409 `state:
    /// invalid_transition` unless overdue, 409 `compensation: nothing_to_compensate`. Requires
    /// `Idempotency-Key`.
    #[oai(
        path = "/finance/dispute-awards/:id/compensation",
        method = "post",
        operation_id = "request_compensation"
    )]
    async fn request(
        &self,
        state: Data<&AppState>,
        req: &poem::Request,
        auth: BearerAuth,
        id: Path<String>,
    ) -> Result<Json<DisputeAwardView>, ApiError> {
        finance_step(&state, req, auth, id.0, Step::Request).await
    }

    /// Approve (the money moves to the other party; the reserve's part becomes a recovery claim)
    /// or reject (`reason` required) a compensation request — a second finance officer (403
    /// `action: same_officer` for the requester). Requires `Idempotency-Key`.
    #[oai(
        path = "/finance/dispute-awards/:id/compensation/decision",
        method = "post",
        operation_id = "decide_compensation"
    )]
    async fn decide(
        &self,
        state: Data<&AppState>,
        req: &poem::Request,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<CompensationDecisionRequest>,
    ) -> Result<Json<DisputeAwardView>, ApiError> {
        let reason = body.check()?;
        finance_step(&state, req, auth, id.0, Step::Decide { approve: body.0.approve, reason }).await
    }
}

async fn debtor_payment(
    state: &AppState,
    req: &poem::Request,
    auth: BearerAuth,
    org: Option<String>,
    id: String,
    body: AwardPaymentRequest,
    owed: Owed,
) -> Result<Json<DisputeAwardView>, ApiError> {
    let key = crate::idempotency::money_key(req)?;
    let amount = body.check()?;
    let org =
        org.ok_or_else(|| ApiError::field("X-Org-Id", "required", "pay for the party with X-Org-Id"))?;
    let user = auth.0.user_id.clone();
    let (o, u) = (org.clone(), user.clone());
    state
        .db
        .run(move |c| match MembershipRow::role_of(c, &o, &u)? {
            Some(role) if role.can_manage() => Ok(()),
            Some(_) => Err(ApiError::new(ErrorCode::Forbidden, "owners and admins pay for an organisation")),
            None => Err(ApiError::new(ErrorCode::NotFound, "dispute not found")),
        })
        .await?;
    let account = crate::routes::auth::accounts::load_user(state, &user).await?;
    crate::routes::auth::accounts::reauthenticate(state, &account, body.password, body.code).await?;
    let client = ClientInfo::from_request(req, state.config.trust_forwarded_for);
    let view = state
        .write(move |c, out| {
            if key.claim(c)?.is_none() {
                debtor_pays(c, out, (&id, &org, &user, &client), owed, amount)?;
                key.record(c, &id)?;
            }
            AwardRow::find(c, &id)?.map(|row| award_view(&row)).ok_or_else(not_found)
        })
        .await?;
    Ok(Json(view))
}

async fn finance_step(
    state: &AppState,
    req: &poem::Request,
    auth: BearerAuth,
    id: String,
    step: Step,
) -> Result<Json<DisputeAwardView>, ApiError> {
    let key = crate::idempotency::money_key(req)?;
    let client = ClientInfo::from_request(req, state.config.trust_forwarded_for);
    let view = state
        .write(move |c, out| {
            if key.claim(c)?.is_none() {
                compensate(c, out, (&id, &auth.0.user_id, &client), step)?;
                key.record(c, &id)?;
            }
            AwardRow::find(c, &id)?.map(|row| award_view(&row)).ok_or_else(not_found)
        })
        .await?;
    Ok(Json(view))
}
