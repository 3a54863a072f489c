//! Escrow at the API edge: the plan money follows, what each milestone's escrow has seen,
//! funding requests and their instructions, crediting arrived money (and what releases at
//! once), the advance released when a contract takes effect, and unreleased money returned when
//! it ends. Every movement goes through `db::models::ledger::post`.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use shared::domain::calendar::shanghai::business_date;
use shared::domain::contract::escrow::{
    Funds, Seen, bond_fen, funding_due, money_state, releases_on_arrival,
};
use shared::domain::contract::lifecycle::{self as lifecycle, ContractActor, ContractEvent, ContractRefusal};
use shared::domain::contract::milestones::PaymentPlan;
use shared::domain::ledger::{Account, LedgerRefusal, Transaction, TransactionKind, ops};
use shared::domain::notices::escrow::{EscrowNotice, Purpose};
use shared::dto::*;
use shared::error::ErrorCode;

use crate::config::Config;
use crate::db::DbConn;
use crate::db::models::closing::{ClosingRow, RiskCaseRow};
use crate::db::models::contracts::ContractRow;
use crate::db::models::funding::FundingRequestRow;
use crate::db::models::ledger::{AccountRow, Meta, PostError, TransactionRow, post};
use crate::error::ApiError;
use crate::routes::contracts::service::{Loaded, document_of};
use crate::routes::notifications::notify::Notice;
use crate::state::Outgoing;

impl From<PostError> for ApiError {
    fn from(error: PostError) -> Self {
        match error {
            PostError::Refused(refusal) => refused(&refusal),
            PostError::Db(e) => e.into(),
        }
    }
}

/// 409 `conflict` naming the ledger refusal (`amount_fen: insufficient_funds | frozen | …`).
pub fn refused(refusal: &LedgerRefusal) -> ApiError {
    ApiError::new(refusal.code(), refusal.to_string()).with_detail("amount_fen", refusal.issue())
}

/// The payment plan money follows: the version in force, or the current one before effect.
pub fn plan_of(loaded: &Loaded) -> Result<(PaymentPlan, String), ApiError> {
    let number = loaded.row.effective_version.unwrap_or(loaded.row.current_version);
    let document = document_of(loaded.version(number)?)?;
    Ok((document.terms.plan, document.terms.title))
}

/// Per milestone (`None`: the bond), what arrived, was released and was returned.
pub fn seen(conn: &mut DbConn, contract_id: &str) -> Result<BTreeMap<Option<u32>, Seen>, ApiError> {
    let mut by_target: BTreeMap<Option<u32>, Seen> = BTreeMap::new();
    for tx in TransactionRow::of_contract(conn, contract_id)? {
        let milestone = tx.milestone.and_then(|m| u32::try_from(m).ok());
        let (target, field): (Option<u32>, fn(&mut Seen) -> &mut i64) = match tx.kind {
            TransactionKind::FundEscrow => (milestone, |s| &mut s.funded_fen),
            TransactionKind::FundBond => (None, |s| &mut s.funded_fen),
            TransactionKind::Release => (milestone, |s| &mut s.released_fen),
            TransactionKind::Refund => (milestone, |s| &mut s.refunded_fen),
            TransactionKind::BondReturn => (None, |s| &mut s.refunded_fen),
            _ => continue,
        };
        *field(by_target.entry(target).or_default()) += tx.amount_fen;
    }
    Ok(by_target)
}

/// What a target has: arrived in all and asked for by pending requests.
pub fn funds_of(
    seen: &BTreeMap<Option<u32>, Seen>,
    requests: &[FundingRequestRow],
    target: FundingTarget,
    milestone: Option<u32>,
) -> Funds {
    let key = if target == FundingTarget::Bond { None } else { milestone };
    let pending_fen = requests
        .iter()
        .filter(|r| r.status == FundingStatus::Pending && r.target == target)
        .filter(|r| r.milestone.and_then(|m| u32::try_from(m).ok()) == key)
        .map(|r| r.amount_fen)
        .sum();
    Funds { funded_fen: seen.get(&key).map_or(0, |s| s.funded_fen), pending_fen }
}

/// A request as its viewer sees it: what to do to pay (bank transfer instructions when the
/// receiving account is configured, the WeChat Pay link) for the paying organisation while it is
/// pending (`crate::payments::instructions`).
pub fn request_view(row: &FundingRequestRow, config: &Config, viewer_org: &str) -> FundingRequestView {
    let told = if row.status == FundingStatus::Pending && row.org_id == viewer_org {
        crate::payments::instructions(config, row)
    } else {
        crate::payments::Instructions::default()
    };
    FundingRequestView {
        id: row.id.clone(),
        contract_id: row.contract_id.clone(),
        reference: row.reference.clone(),
        target: row.target,
        milestone: row.milestone.and_then(|m| u32::try_from(m).ok()),
        amount_fen: row.amount_fen,
        channel: row.channel,
        status: row.status,
        org_id: row.org_id.clone(),
        created_at: row.created_at.and_utc(),
        paid_at: row.paid_at.map(|t| t.and_utc()),
        instructions: told.transfer,
        code_url: told.code_url,
    }
}

/// A contract's escrow as `viewer_org` sees it (its own requests; the supervisor sees all).
pub fn escrow_view(
    conn: &mut DbConn,
    loaded: &Loaded,
    viewer_org: &str,
    config: &Config,
) -> Result<EscrowView, ApiError> {
    let (plan, _) = plan_of(loaded)?;
    let today = business_date(crate::db::now().and_utc());
    let contract_id = &loaded.row.id;
    let seen = seen(conn, contract_id)?;
    let requests = FundingRequestRow::of_contract(conn, contract_id)?;
    let accounts = AccountRow::of_contract(conn, contract_id)?;
    let balance = |account: &Account| {
        accounts.iter().find(|a| a.id == account.to_string()).map_or(0, |a| a.balance_fen)
    };
    let milestones = plan
        .milestones
        .iter()
        .map(|m| {
            let s = seen.get(&Some(m.index)).copied().unwrap_or_default();
            let funds = funds_of(&seen, &requests, FundingTarget::Milestone, Some(m.index));
            MilestoneEscrow {
                index: m.index,
                name: m.name.clone(),
                amount_fen: m.amount_fen,
                planned_date: m.planned_date,
                funded_fen: s.funded_fen,
                released_fen: s.released_fen,
                refunded_fen: s.refunded_fen,
                balance_fen: balance(&Account::escrow(contract_id, m.index)),
                pending_fen: funds.pending_fen,
                open_fen: (m.amount_fen - s.funded_fen - funds.pending_fen).max(0),
                state: money_state(m.amount_fen, s, funds.pending_fen),
                funding_due: funding_due(
                    loaded.row.status,
                    m.planned_date,
                    m.amount_fen,
                    s.funded_fen,
                    today,
                ),
            }
        })
        .collect();
    let bond_seen = seen.get(&None).copied().unwrap_or_default();
    let is_supervisor = loaded.row.supervisor_org_id.as_deref() == Some(viewer_org);
    Ok(EscrowView {
        contract_id: contract_id.clone(),
        contract_state: loaded.row.status,
        frozen: accounts.iter().any(|a| a.frozen_at.is_some()),
        milestones,
        bond: BondEscrow {
            required_fen: bond_fen(&plan),
            funded_fen: bond_seen.funded_fen,
            balance_fen: balance(&Account::bond(contract_id)),
            pending_fen: funds_of(&seen, &requests, FundingTarget::Bond, None).pending_fen,
        },
        retention_fen: balance(&Account::retention(contract_id)),
        warranty_ends_on: ClosingRow::find(conn, contract_id)?.map(|c| c.warranty_ends_on),
        risk_case_id: RiskCaseRow::open_of_contract(conn, contract_id)?.map(|c| c.id),
        funding_requests: requests
            .iter()
            .filter(|r| is_supervisor || r.org_id == viewer_org)
            .map(|r| request_view(r, config, viewer_org))
            .collect(),
    })
}

pub fn notify_parties(
    conn: &mut DbConn,
    out: &mut Outgoing,
    row: &ContractRow,
    notice: &EscrowNotice,
) -> Result<(), ApiError> {
    for org in [row.payer_org_id.clone(), row.performer_org_id.clone()] {
        out.to_org(conn, &org, &Notice::new(notice, format!("/contracts/{}", row.id), Some(&org)))?;
    }
    Ok(())
}

/// Credits an arrived payment to a pending request: escrow or bond, the request paid, and what
/// that sets off (a release on arrival, the contract taking effect on its bond). Returns the
/// transaction id.
pub fn credit(
    conn: &mut DbConn,
    out: &mut Outgoing,
    request: &FundingRequestRow,
    source: (&str, &str),
    by: Option<&str>,
    at: NaiveDateTime,
) -> Result<String, ApiError> {
    let milestone = request.milestone.and_then(|m| u32::try_from(m).ok());
    let tx = match (request.target, milestone) {
        (FundingTarget::Bond, _) => ops::fund_bond(&request.contract_id, request.amount_fen),
        (FundingTarget::Milestone, Some(m)) => ops::fund_escrow(&request.contract_id, m, request.amount_fen),
        (FundingTarget::Milestone, None) => {
            return Err(ApiError::internal("a milestone request without a milestone"));
        }
    }
    .map_err(|r| refused(&r))?;
    let meta = Meta {
        contract_id: Some(&request.contract_id),
        milestone,
        memo: request.reference.clone(),
        source,
        created_by: by,
    };
    let id = post(conn, &tx, &meta, at)?;
    if !FundingRequestRow::mark_paid(conn, &request.id, &id, at)? {
        return Err(ApiError::new(ErrorCode::Conflict, "the funding request is not pending any more")
            .with_detail("funding_request_id", "not_pending"));
    }
    let loaded = Loaded::load(conn, &request.contract_id)?;
    let (_, title) = plan_of(&loaded)?;
    let purpose = milestone.map_or(Purpose::Bond, Purpose::Milestone);
    notify_parties(
        conn,
        out,
        &loaded.row,
        &EscrowNotice::Funded { title, purpose, amount_fen: request.amount_fen },
    )?;
    if loaded.row.status.is_terminal() {
        // Money for a contract that ended meanwhile goes straight back.
        on_ended(conn, out, &loaded.row, at)?;
        return Ok(id);
    }
    let accepted = |conn: &mut DbConn, m: u32| -> Result<bool, ApiError> {
        Ok(crate::db::models::acceptances::AcceptanceRow::of_contract(conn, &loaded.row.id)?
            .iter()
            .any(|a| a.milestone == i32::try_from(m).unwrap_or(-1) && a.status == AcceptanceState::Accepted))
    };
    if super::closing::escrow_held(conn, &loaded.row.id)? {
        // Money for a frozen contract may clear its risk case (which releases what is due).
        let today = business_date(at.and_utc());
        super::closing::watch_overdue(conn, out, &loaded.row.id, today, at)?;
        return Ok(id);
    }
    match milestone {
        Some(m) if releases_on_arrival(m, loaded.row.status, accepted(conn, m)?) => {
            release_held(conn, out, &loaded, m, at)?;
            super::closing::after_settlement(conn, out, &loaded.row.id, at)?;
        }
        None => bond_arrived(conn, out, &loaded, at)?,
        Some(_) => {}
    }
    Ok(id)
}

/// What a milestone's escrow would release now: its balance, or nothing while it is frozen (an
/// open risk case, a dispute) — frozen money stays until the freeze lifts. Read under the money
/// lock, so two releases cannot both see the same balance.
pub fn releasable_now(conn: &mut DbConn, contract_id: &str, milestone: u32) -> Result<i64, ApiError> {
    crate::db::models::audit::serialise(conn)?;
    let account = AccountRow::find(conn, &Account::escrow(contract_id, milestone).to_string())?;
    let frozen = account.as_ref().is_some_and(|a| a.frozen_at.is_some())
        || super::closing::escrow_held(conn, contract_id)?;
    Ok(if frozen { 0 } else { account.map_or(0, |a| a.balance_fen.max(0)) })
}

/// Releases everything a milestone's escrow holds to the performer (retention withheld);
/// nothing when it holds nothing. Returns the transaction id.
pub fn release_held(
    conn: &mut DbConn,
    out: &mut Outgoing,
    loaded: &Loaded,
    milestone: u32,
    at: NaiveDateTime,
) -> Result<Option<String>, ApiError> {
    let row = &loaded.row;
    let held = releasable_now(conn, &row.id, milestone)?;
    if held <= 0 {
        return Ok(None);
    }
    let (plan, title) = plan_of(loaded)?;
    let tx = ops::release(&row.id, milestone, held, plan.retention_bp, &row.performer_org_id)
        .map_err(|r| refused(&r))?;
    let retained_fen = retained(&tx, &row.id);
    let meta = Meta {
        contract_id: Some(&row.id),
        milestone: Some(milestone),
        memo: format!("release:{milestone}"),
        source: ("contract", &row.id),
        created_by: None,
    };
    let id = post(conn, &tx, &meta, at)?;
    // The risk reserve accrues 1 % of settled volume from the platform's own funds.
    if let Some(accrual) = ops::reserve_accrual(held) {
        let meta = Meta { memo: format!("reserve:{milestone}"), ..meta };
        post(conn, &accrual, &meta, at)?;
    }
    let notice = EscrowNotice::Released { title, milestone, paid_fen: held - retained_fen, retained_fen };
    notify_parties(conn, out, row, &notice)?;
    Ok(Some(id))
}

fn retained(tx: &Transaction, contract_id: &str) -> i64 {
    let retention = Account::retention(contract_id);
    tx.postings.iter().filter(|p| p.account == retention).map(|p| p.amount_fen).sum()
}

/// The bond arrived: record it on the contract, and bring a fully signed contract that waited
/// for it into force.
fn bond_arrived(
    conn: &mut DbConn,
    out: &mut Outgoing,
    loaded: &Loaded,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    let bond =
        AccountRow::find(conn, &Account::bond(&loaded.row.id).to_string())?.map_or(0, |a| a.balance_fen);
    let mut row = loaded.row.clone();
    row.bond_recorded_fen = bond;
    row.updated_at = at;
    let (plan, title) = plan_of(loaded)?;
    let event = ContractEvent::BondRecorded { plan: &plan, bond_recorded_fen: bond };
    match lifecycle::transition(&loaded.lifecycle()?, event, &ContractActor::System, at.and_utc()) {
        Ok(step) => {
            row.status = step.contract.state;
            for effect in &step.effects {
                crate::routes::contracts::in_force(conn, out, &mut row, effect, &title, at)?;
            }
        }
        // Not signed by everyone yet, in force already, or still short: the bond is recorded
        // and the signatures decide later.
        Err(ContractRefusal::NothingToSign | ContractRefusal::NotFullySigned | ContractRefusal::Risk(_)) => {}
        Err(refusal) => return Err(refusal.into()),
    }
    if !row.save_if(conn, loaded.row.status, loaded.row.current_version)? {
        return Err(ApiError::new(ErrorCode::Conflict, "the contract changed meanwhile; retry"));
    }
    Ok(())
}

/// The contract took effect: the advance (milestone 0) releases what its escrow holds.
pub fn on_effective(
    conn: &mut DbConn,
    out: &mut Outgoing,
    row: &ContractRow,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    let mut loaded = Loaded::load(conn, &row.id)?;
    loaded.row = row.clone();
    release_held(conn, out, &loaded, 0, at).map(drop)
}

/// The contract ended without completion: what escrow holds returns to the payer and the bond
/// to the performer (frozen escrow stays until it is unfrozen).
pub fn on_ended(
    conn: &mut DbConn,
    out: &mut Outgoing,
    row: &ContractRow,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    crate::db::models::audit::serialise(conn)?;
    for request in FundingRequestRow::of_contract(conn, &row.id)? {
        if request.status == FundingStatus::Pending {
            FundingRequestRow::cancel(conn, &request.id, at)?;
        }
    }
    let mut refunded_fen = 0;
    let mut bond_fen = 0;
    let held = super::closing::escrow_held(conn, &row.id)?;
    for account in AccountRow::of_contract(conn, &row.id)? {
        let frozen = account.frozen_at.is_some() || (held && account.kind == AccountKind::Escrow);
        if account.balance_fen <= 0 || frozen {
            continue;
        }
        let milestone = account.milestone.and_then(|m| u32::try_from(m).ok());
        let tx = match (account.kind, milestone) {
            (AccountKind::Escrow, Some(m)) => ops::refund(&row.id, m, account.balance_fen, &row.payer_org_id),
            (AccountKind::Bond, _) => ops::bond_return(&row.id, account.balance_fen, &row.performer_org_id),
            _ => continue,
        }
        .map_err(|r| refused(&r))?;
        let meta = Meta {
            contract_id: Some(&row.id),
            milestone,
            memo: format!("ended:{}", row.status.as_str()),
            source: ("contract", &row.id),
            created_by: None,
        };
        post(conn, &tx, &meta, at)?;
        if account.kind == AccountKind::Bond {
            bond_fen += account.balance_fen
        } else {
            refunded_fen += account.balance_fen
        }
    }
    if refunded_fen + bond_fen > 0 {
        let loaded = Loaded::load(conn, &row.id)?;
        let (_, title) = plan_of(&loaded)?;
        notify_parties(conn, out, row, &EscrowNotice::Returned { title, refunded_fen, bond_fen })?;
    }
    Ok(())
}

/// What a staff escrow release (a dual-control request) names, checked: the contract exists,
/// the milestone is on its plan, and its escrow holds money that is not frozen. Checked when
/// asked for and again when approved.
pub fn releasable(
    conn: &mut DbConn,
    row: &crate::db::models::staff::DualControlRow,
) -> Result<(Loaded, u32), ApiError> {
    // Under the money lock, so a concurrent release cannot have emptied the escrow unseen.
    crate::db::models::audit::serialise(conn)?;
    let contract_id = row
        .target_contract_id
        .as_deref()
        .ok_or_else(|| ApiError::field("contract_id", "required", "name the contract"))?;
    let milestone = row
        .milestone
        .and_then(|m| u32::try_from(m).ok())
        .ok_or_else(|| ApiError::field("milestone", "required", "name the milestone"))?;
    let loaded = Loaded::load(conn, contract_id)
        .map_err(|_| ApiError::field("contract_id", "unknown_contract", "no such contract"))?;
    let (plan, _) = plan_of(&loaded)?;
    if !plan.milestones.iter().any(|m| m.index == milestone) {
        return Err(ApiError::field("milestone", "unknown_milestone", "the contract has no such milestone"));
    }
    let account = AccountRow::find(conn, &Account::escrow(contract_id, milestone).to_string())?;
    match account {
        Some(a) if a.frozen_at.is_some() => {
            Err(ApiError::new(ErrorCode::Conflict, "this escrow is frozen")
                .with_detail("milestone", "frozen"))
        }
        Some(a) if a.balance_fen > 0 => Ok((loaded, milestone)),
        _ => Err(ApiError::new(ErrorCode::Conflict, "this milestone's escrow holds nothing")
            .with_detail("milestone", "nothing_held")),
    }
}
