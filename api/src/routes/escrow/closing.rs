//! The end of a contract's money at the API edge (rules: `shared::domain::contract::closing`):
//! the last acceptance (bond back, warranty started), completion, the 15-day overdue rule
//! (freeze, risk case, clearing), the retention at the warranty's end, and the `escrow_watch`
//! job that applies the time-driven rules. Opening or clearing a risk case and completing a
//! contract queue a credit recompute of the organisations concerned in the same transaction;
//! completing one is a transaction for both parties' membership tiers (promoted at once).
//! Every movement goes through `ledger::post` under the money lock.

use chrono::{NaiveDate, NaiveDateTime};
use shared::domain::calendar::shanghai::business_date;
use shared::domain::contract::closing::{self as rules, MilestoneStatus};
use shared::domain::contract::lifecycle::{self as lifecycle, ContractActor, ContractEvent, ContractState};
use shared::domain::ledger::{Account, ops};
use shared::domain::notices::escrow::EscrowNotice;
use shared::dto::*;
use shared::error::ErrorCode;

use super::service::{notify_parties, plan_of, refused, release_held, seen};
use crate::db::models::acceptances::AcceptanceRow;
use crate::db::models::closing::{ClosingRow, DefectClaimRow, RiskCaseRow};
use crate::db::models::contracts::ContractRow;
use crate::db::models::ledger::{AccountRow, Meta, post};
use crate::db::{DbConn, new_id};
use crate::error::ApiError;
use crate::routes::contracts::service::Loaded;
use crate::routes::credit::jobs::queue_recompute;
use crate::routes::membership::service as membership;
use crate::state::Outgoing;

/// A contract's milestones as the closing rules see them, and its title.
pub fn statuses(conn: &mut DbConn, loaded: &Loaded) -> Result<(Vec<MilestoneStatus>, String, u32), ApiError> {
    let (plan, title) = plan_of(loaded)?;
    let seen = seen(conn, &loaded.row.id)?;
    let accepted = AcceptanceRow::of_contract(conn, &loaded.row.id)?;
    let accepted_on = |m: u32| {
        accepted
            .iter()
            .filter(|a| a.status == AcceptanceState::Accepted && u32::try_from(a.milestone).ok() == Some(m))
            .filter_map(|a| a.decided_at)
            .map(|at| business_date(at.and_utc()))
            .max()
    };
    let list = rules::statuses(&plan, |m| seen.get(&Some(m)).copied().unwrap_or_default(), accepted_on);
    Ok((list, title, plan.warranty_months))
}

/// Whether nothing may leave the contract's escrow, bond or retention: an open risk case or an
/// open dispute.
pub fn escrow_held(conn: &mut DbConn, contract_id: &str) -> Result<bool, ApiError> {
    Ok(RiskCaseRow::open_of_contract(conn, contract_id)?.is_some()
        || crate::db::models::disputes::DisputeRow::open_on_contract(conn, contract_id)?)
}

/// A payer with an open risk case takes on no new contract (award, first signature): 409
/// `org: open_risk_case`.
pub fn ensure_no_open_case(conn: &mut DbConn, org_id: &str) -> Result<(), ApiError> {
    if RiskCaseRow::org_has_open(conn, org_id)? {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "an accepted milestone of another contract is unpaid for more than 15 days; pay it first",
        )
        .with_detail("org", "open_risk_case"));
    }
    Ok(())
}

/// What follows a release or an acceptance: at the last acceptance the bond returns and the
/// warranty starts; when everything is accepted and paid the contract completes.
pub fn after_settlement(
    conn: &mut DbConn,
    out: &mut Outgoing,
    id: &str,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    let loaded = Loaded::load(conn, id)?;
    if loaded.row.status != ContractState::Effective {
        return Ok(());
    }
    let (milestones, title, warranty_months) = statuses(conn, &loaded)?;
    if let Some(last) = rules::last_acceptance(&milestones) {
        let closing = ClosingRow {
            contract_id: id.to_owned(),
            last_accepted_on: last,
            warranty_ends_on: rules::warranty_end(last, warranty_months),
            retention_released_at: None,
            completed_at: None,
        };
        if closing.insert_new(conn)? {
            let bond_fen = return_bond(conn, &loaded.row, at)?;
            let ends_on = closing.warranty_ends_on;
            notify_parties(
                conn,
                out,
                &loaded.row,
                &EscrowNotice::WarrantyStarted { title: title.clone(), bond_fen, ends_on },
            )?;
        }
    }
    if rules::completes(&milestones) {
        complete(conn, out, &loaded, &title, at)?;
    }
    Ok(())
}

/// Returns what the bond holds to the performer (not when frozen). Returns the amount.
fn return_bond(conn: &mut DbConn, row: &ContractRow, at: NaiveDateTime) -> Result<i64, ApiError> {
    crate::db::models::audit::serialise(conn)?;
    let Some(bond) = AccountRow::find(conn, &Account::bond(&row.id).to_string())? else { return Ok(0) };
    if bond.balance_fen <= 0 || bond.frozen_at.is_some() || escrow_held(conn, &row.id)? {
        return Ok(0);
    }
    let tx = ops::bond_return(&row.id, bond.balance_fen, &row.performer_org_id).map_err(|r| refused(&r))?;
    let meta = Meta {
        contract_id: Some(&row.id),
        milestone: None,
        memo: "bond:last_acceptance".to_owned(),
        source: ("contract", &row.id),
        created_by: None,
    };
    post(conn, &tx, &meta, at)?;
    Ok(bond.balance_fen)
}

fn complete(
    conn: &mut DbConn,
    out: &mut Outgoing,
    loaded: &Loaded,
    title: &str,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    let step = lifecycle::transition(
        &loaded.lifecycle()?,
        ContractEvent::Complete,
        &ContractActor::System,
        at.and_utc(),
    )?;
    let mut row = loaded.row.clone();
    row.status = step.contract.state;
    row.updated_at = at;
    if !row.save_if(conn, loaded.row.status, loaded.row.current_version)? {
        return Err(ApiError::new(ErrorCode::Conflict, "the contract changed meanwhile; retry"));
    }
    if let Some(mut closing) = ClosingRow::find(conn, &row.id)? {
        closing.completed_at = Some(at);
        closing.save(conn)?;
    }
    queue_recompute(conn, &row.performer_org_id)?;
    queue_recompute(conn, &row.payer_org_id)?;
    notify_parties(conn, out, &row, &EscrowNotice::Completed { title: title.to_owned() })?;
    let parties = [row.payer_org_id.clone(), row.performer_org_id.clone()];
    membership::apply(conn, out, &parties, TierTriggerKind::Transaction, at)?;
    Ok(())
}

/// Applies the 15-day rule to one contract on `today`: opens a case and freezes the payer's
/// escrow when an accepted milestone is overdue; clears an open case (unfreezing, then
/// releasing what accepted milestones hold) once every accepted milestone is funded in full.
pub fn watch_overdue(
    conn: &mut DbConn,
    out: &mut Outgoing,
    id: &str,
    today: NaiveDate,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    crate::db::models::audit::serialise(conn)?;
    let loaded = Loaded::load(conn, id)?;
    let (milestones, title, _) = statuses(conn, &loaded)?;
    let open = RiskCaseRow::open_of_contract(conn, id)?;
    match open {
        Some(case) if rules::unfunded_accepted(&milestones).is_empty() => {
            RiskCaseRow::clear(conn, &case.id, at)?;
            queue_recompute(conn, &case.org_id)?;
            AccountRow::set_escrow_frozen(conn, id, None, at)?;
            notify_parties(conn, out, &loaded.row, &EscrowNotice::Unfrozen { title })?;
            for m in milestones.iter().filter(|m| m.accepted_on.is_some()) {
                release_held(conn, out, &loaded, m.index, at)?;
            }
            after_settlement(conn, out, id, at)?;
        }
        None if loaded.row.status == ContractState::Effective => {
            let late = rules::overdue(&milestones, today);
            if late.is_empty() {
                return Ok(());
            }
            let owed_fen = rules::unfunded_accepted(&milestones).iter().map(|(_, owed)| owed).sum();
            let case = RiskCaseRow {
                id: new_id(),
                contract_id: id.to_owned(),
                org_id: loaded.row.payer_org_id.clone(),
                milestones: serde_json::to_string(&late).map_err(ApiError::internal)?,
                owed_fen,
                status: RiskCaseState::Open,
                opened_at: at,
                cleared_at: None,
            };
            case.insert(conn)?;
            queue_recompute(conn, &case.org_id)?;
            let reason = format!("risk_case:{}", case.id);
            AccountRow::set_escrow_frozen(conn, id, Some(&reason), at)?;
            notify_parties(
                conn,
                out,
                &loaded.row,
                &EscrowNotice::Frozen { title, milestones: late, owed_fen },
            )?;
        }
        _ => {}
    }
    Ok(())
}

/// Releases the retention to the performer when the warranty has ended and no claim is open.
pub fn release_retention(
    conn: &mut DbConn,
    out: &mut Outgoing,
    id: &str,
    today: NaiveDate,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    crate::db::models::audit::serialise(conn)?;
    let Some(mut closing) = ClosingRow::find(conn, id)? else { return Ok(()) };
    let open_claims =
        DefectClaimRow::of_contract(conn, id)?.iter().filter(|c| c.status == DefectClaimState::Open).count();
    if closing.retention_released_at.is_some()
        || !rules::retention_due(Some(closing.warranty_ends_on), today, open_claims)
    {
        return Ok(());
    }
    let loaded = Loaded::load(conn, id)?;
    let account = AccountRow::find(conn, &Account::retention(id).to_string())?;
    let held = account.as_ref().map_or(0, |a| a.balance_fen);
    if account.is_some_and(|a| a.frozen_at.is_some()) || escrow_held(conn, id)? {
        return Ok(());
    }
    if held > 0 {
        let tx = ops::retention_release(id, held, &loaded.row.performer_org_id).map_err(|r| refused(&r))?;
        let meta = Meta {
            contract_id: Some(id),
            milestone: None,
            memo: "retention:warranty_ended".to_owned(),
            source: ("contract", id),
            created_by: None,
        };
        post(conn, &tx, &meta, at)?;
        let (_, title) = plan_of(&loaded)?;
        notify_parties(conn, out, &loaded.row, &EscrowNotice::RetentionReleased { title, amount_fen: held })?;
    }
    closing.retention_released_at = Some(at);
    closing.save(conn)?;
    Ok(())
}

/// The `escrow_watch` job: the 15-day rule on every contract in force or with an open case,
/// and the retention of every contract whose warranty ended. Each contract in its own
/// transaction, so one failure does not hold the others back; idempotent. Returns how many
/// contracts were looked at.
pub async fn watch(state: &crate::state::AppState) -> Result<usize, ApiError> {
    let at = state.clock.now().naive_utc();
    let today = business_date(state.clock.now());
    let (ids, due) = state
        .db
        .run(move |c| {
            let mut ids = ContractRow::ids_with_status(c, ContractState::Effective)?;
            ids.extend(
                RiskCaseRow::list(c, Some(RiskCaseState::Open), 10_000)?.into_iter().map(|r| r.contract_id),
            );
            ids.sort();
            ids.dedup();
            let due: Vec<String> =
                ClosingRow::retention_due(c, today)?.into_iter().map(|r| r.contract_id).collect();
            Ok::<_, ApiError>((ids, due))
        })
        .await?;
    let looked_at = ids.len() + due.len();
    for id in ids {
        state.write(move |c, out| watch_overdue(c, out, &id, today, at)).await?;
    }
    for id in due {
        state.write(move |c, out| release_retention(c, out, &id, today, at)).await?;
    }
    Ok(looked_at)
}
