//! An agreement's money: its escrow movements must fit what the contract's escrow holds when
//! it is recorded, and they execute on the ledger — in one transaction, under the money lock —
//! only once both parties have signed it re-authenticated. A movement to the payer is a refund,
//! to the performer a release (no retention withheld: the agreement settles the amount; the
//! reserve accrues 1 % as for every release); each takes from the milestones' escrow in
//! milestone order.

use chrono::NaiveDateTime;
use shared::domain::dispute::{DisputeCase, DisputeParty};
use shared::domain::ledger::{Account, ops};
use shared::domain::notices::disputes::DisputeNotice;
use shared::error::ErrorCode;

use crate::db::DbConn;
use crate::db::models::disputes::DisputeRow;
use crate::db::models::ledger::{AccountRow, Meta, post};
use crate::error::ApiError;
use crate::routes::contracts::service::Loaded;
use crate::routes::escrow::service::{plan_of, refused};
use crate::state::Outgoing;

/// What each milestone's escrow holds, in milestone order.
pub fn balances(conn: &mut DbConn, loaded: &Loaded) -> Result<Vec<(u32, i64)>, ApiError> {
    let (plan, _) = plan_of(loaded)?;
    plan.milestones
        .iter()
        .map(|m| {
            let account = AccountRow::find(conn, &Account::escrow(&loaded.row.id, m.index).to_string())?;
            Ok((m.index, account.map_or(0, |a| a.balance_fen.max(0))))
        })
        .collect()
}

/// 422 `escrow_movements: exceeds_escrow` when the movements add up to more than the
/// contract's escrow holds.
pub fn check_fits(conn: &mut DbConn, contract_id: &str, amounts: &[i64]) -> Result<(), ApiError> {
    crate::db::models::audit::serialise(conn)?;
    let loaded = Loaded::load(conn, contract_id)?;
    let held: i64 = balances(conn, &loaded)?.iter().map(|(_, b)| b).sum();
    let total = amounts.iter().try_fold(0_i64, |sum, a| sum.checked_add(*a));
    if total.is_none_or(|t| t > held) {
        return Err(ApiError::field(
            "escrow_movements",
            "exceeds_escrow",
            format!("the movements exceed what the contract's escrow holds ({held} fen)"),
        ));
    }
    Ok(())
}

/// Moves `take` (milestone, fen) of a milestone's escrow for dispute `dispute_id`: back to the
/// payer (a refund) or to the performer (a release, no retention, with the reserve accrual).
pub fn take_from_escrow(
    conn: &mut DbConn,
    dispute_id: &str,
    loaded: &Loaded,
    (milestone, take): (u32, i64),
    to_payer: bool,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    let contract = &loaded.row.id;
    let tx = if to_payer {
        ops::refund(contract, milestone, take, &loaded.row.payer_org_id)
    } else {
        ops::release(contract, milestone, take, 0, &loaded.row.performer_org_id)
    }
    .map_err(|r| refused(&r))?;
    let memo = format!("dispute:{dispute_id}");
    let meta = Meta {
        contract_id: Some(contract),
        milestone: Some(milestone),
        memo: memo.clone(),
        source: ("dispute", dispute_id),
        created_by: None,
    };
    post(conn, &tx, &meta, at)?;
    if !to_payer && let Some(accrual) = ops::reserve_accrual(take) {
        post(conn, &accrual, &Meta { memo: format!("reserve:{memo}"), ..meta }, at)?;
    }
    Ok(())
}

/// Makes the agreement's escrow movements; notifies both parties.
pub fn execute(
    conn: &mut DbConn,
    out: &mut Outgoing,
    row: &DisputeRow,
    case: &DisputeCase,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    crate::db::models::audit::serialise(conn)?;
    let loaded = Loaded::load(conn, &row.contract_id)?;
    let payer = loaded.row.payer_org_id.clone();
    let mut held = balances(conn, &loaded)?;
    for movement in case.agreement.iter().flat_map(|a| a.escrow_movements.iter()) {
        let to = match movement.to {
            DisputeParty::Complainant => &row.complainant_org_id,
            DisputeParty::Respondent => &row.respondent_org_id,
        };
        let mut left = movement.amount_fen;
        for (milestone, balance) in &mut held {
            let take = left.min(*balance);
            if take <= 0 {
                continue;
            }
            take_from_escrow(conn, &row.id, &loaded, (*milestone, take), *to == payer, at)?;
            *balance -= take;
            left -= take;
        }
        if left > 0 {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                "the contract's escrow no longer holds what the agreement moves",
            )
            .with_detail("escrow_movements", "exceeds_escrow"));
        }
    }
    let (_, title) = plan_of(&loaded)?;
    super::service::notify(conn, out, row, &DisputeNotice::Executed { title })
}
