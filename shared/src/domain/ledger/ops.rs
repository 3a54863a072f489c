//! The movements of the escrow workflow, built as balanced [`Transaction`]s. Each builder refuses
//! a non-positive amount ([`LedgerRefusal::Malformed`]); whether the money is there (and not
//! frozen) is [`super::Ledger::apply`]'s to decide.
//!
//! Retention (质保金) is withheld from every release of a payment milestone — floor(amount ×
//! retention ÷ 10000) — and never from the advance (milestone 0), which is paid before any work.
//! The risk reserve accrues 1 % of settled volume, rounded down to the fen.

use super::{Account, LedgerRefusal, Posting, Transaction, TransactionKind};

/// The reserve rate, basis points of settled volume (1 %).
pub const RESERVE_BP: i64 = 100;

fn positive(amount_fen: i64) -> Result<i64, LedgerRefusal> {
    if amount_fen > 0 { Ok(amount_fen) } else { Err(LedgerRefusal::Malformed) }
}

fn movement(
    kind: TransactionKind,
    from: Account,
    to: Account,
    amount_fen: i64,
) -> Result<Transaction, LedgerRefusal> {
    let amount = positive(amount_fen)?;
    Ok(Transaction {
        kind,
        postings: vec![
            Posting { account: from, amount_fen: -amount },
            Posting { account: to, amount_fen: amount },
        ],
    })
}

/// A payer's transfer arrived for a milestone: clearing → escrow.
///
/// # Errors
/// A non-positive amount.
pub fn fund_escrow(contract_id: &str, milestone: u32, amount_fen: i64) -> Result<Transaction, LedgerRefusal> {
    movement(
        TransactionKind::FundEscrow,
        Account::Clearing,
        Account::escrow(contract_id, milestone),
        amount_fen,
    )
}

/// A performer's transfer arrived for the bond: clearing → bond.
///
/// # Errors
/// A non-positive amount.
pub fn fund_bond(contract_id: &str, amount_fen: i64) -> Result<Transaction, LedgerRefusal> {
    movement(TransactionKind::FundBond, Account::Clearing, Account::bond(contract_id), amount_fen)
}

/// The retention withheld from releasing `amount_fen` of `milestone` (none from the advance).
#[must_use]
pub fn retention_of(milestone: u32, amount_fen: i64, retention_bp: u32) -> i64 {
    if milestone == 0 || amount_fen <= 0 {
        return 0;
    }
    let withheld = i128::from(amount_fen) * i128::from(retention_bp) / 10_000;
    i64::try_from(withheld).unwrap_or(0)
}

/// Escrow released to the payee: escrow → retention (the withheld part) + payee's available.
///
/// # Errors
/// A non-positive amount.
pub fn release(
    contract_id: &str,
    milestone: u32,
    amount_fen: i64,
    retention_bp: u32,
    payee_org_id: &str,
) -> Result<Transaction, LedgerRefusal> {
    let amount = positive(amount_fen)?;
    let withheld = retention_of(milestone, amount, retention_bp);
    let mut postings =
        vec![Posting { account: Account::escrow(contract_id, milestone), amount_fen: -amount }];
    if withheld > 0 {
        postings.push(Posting { account: Account::retention(contract_id), amount_fen: withheld });
    }
    if amount > withheld {
        postings.push(Posting { account: Account::available(payee_org_id), amount_fen: amount - withheld });
    }
    Ok(Transaction { kind: TransactionKind::Release, postings })
}

/// Unreleased escrow returned to the payer: escrow → payer's available.
///
/// # Errors
/// A non-positive amount.
pub fn refund(
    contract_id: &str,
    milestone: u32,
    amount_fen: i64,
    payer_org_id: &str,
) -> Result<Transaction, LedgerRefusal> {
    movement(
        TransactionKind::Refund,
        Account::escrow(contract_id, milestone),
        Account::available(payer_org_id),
        amount_fen,
    )
}

/// The bond returned to the performer: bond → performer's available.
///
/// # Errors
/// A non-positive amount.
pub fn bond_return(
    contract_id: &str,
    amount_fen: i64,
    performer_org_id: &str,
) -> Result<Transaction, LedgerRefusal> {
    movement(
        TransactionKind::BondReturn,
        Account::bond(contract_id),
        Account::available(performer_org_id),
        amount_fen,
    )
}

/// The retention released when the warranty ended: retention → performer's available.
///
/// # Errors
/// A non-positive amount.
pub fn retention_release(
    contract_id: &str,
    amount_fen: i64,
    performer_org_id: &str,
) -> Result<Transaction, LedgerRefusal> {
    movement(
        TransactionKind::RetentionRelease,
        Account::retention(contract_id),
        Account::available(performer_org_id),
        amount_fen,
    )
}

/// A withdrawal asked for: available → payout pending (so it cannot be spent twice).
///
/// # Errors
/// A non-positive amount.
pub fn payout_request(org_id: &str, amount_fen: i64) -> Result<Transaction, LedgerRefusal> {
    movement(
        TransactionKind::PayoutRequest,
        Account::available(org_id),
        Account::payout_pending(org_id),
        amount_fen,
    )
}

/// A withdrawal finance confirmed as sent to the bank account: payout pending → clearing.
///
/// # Errors
/// A non-positive amount.
pub fn payout(org_id: &str, amount_fen: i64) -> Result<Transaction, LedgerRefusal> {
    movement(TransactionKind::Payout, Account::payout_pending(org_id), Account::Clearing, amount_fen)
}

/// A withdrawal rejected by finance or withdrawn: payout pending → available.
///
/// # Errors
/// A non-positive amount.
pub fn payout_return(org_id: &str, amount_fen: i64) -> Result<Transaction, LedgerRefusal> {
    movement(
        TransactionKind::PayoutReturn,
        Account::payout_pending(org_id),
        Account::available(org_id),
        amount_fen,
    )
}

/// An award's shortfall paid by the party at fault: its available → the other party's.
///
/// # Errors
/// A non-positive amount.
pub fn award_payment(
    debtor_org_id: &str,
    creditor_org_id: &str,
    amount_fen: i64,
) -> Result<Transaction, LedgerRefusal> {
    movement(
        TransactionKind::AwardPayment,
        Account::available(debtor_org_id),
        Account::available(creditor_org_id),
        amount_fen,
    )
}

/// First compensation of an award: `bond_fen` from the contract's bond and `reserve_fen` from the
/// risk reserve → the creditor's available.
///
/// # Errors
/// A negative part, or nothing to move.
pub fn compensation(
    contract_id: &str,
    bond_fen: i64,
    reserve_fen: i64,
    creditor_org_id: &str,
) -> Result<Transaction, LedgerRefusal> {
    if bond_fen < 0 || reserve_fen < 0 {
        return Err(LedgerRefusal::Malformed);
    }
    let total = positive(bond_fen.checked_add(reserve_fen).ok_or(LedgerRefusal::Overflow)?)?;
    let mut postings = Vec::new();
    if bond_fen > 0 {
        postings.push(Posting { account: Account::bond(contract_id), amount_fen: -bond_fen });
    }
    if reserve_fen > 0 {
        postings.push(Posting { account: Account::RiskReserve, amount_fen: -reserve_fen });
    }
    postings.push(Posting { account: Account::available(creditor_org_id), amount_fen: total });
    Ok(Transaction { kind: TransactionKind::Compensation, postings })
}

/// A recovery claim repaid: the party's available → the risk reserve.
///
/// # Errors
/// A non-positive amount.
pub fn recovery_payment(debtor_org_id: &str, amount_fen: i64) -> Result<Transaction, LedgerRefusal> {
    movement(
        TransactionKind::RecoveryPayment,
        Account::available(debtor_org_id),
        Account::RiskReserve,
        amount_fen,
    )
}

/// The reserve's share of a settlement of `settled_fen`: 1 %, rounded down.
#[must_use]
pub fn reserve_share(settled_fen: i64) -> i64 {
    i64::try_from(i128::from(settled_fen.max(0)) * i128::from(RESERVE_BP) / 10_000).unwrap_or(0)
}

/// The reserve accrual for a settlement of `settled_fen` (platform equity → reserve); `None` when
/// 1 % of it is less than a fen.
#[must_use]
pub fn reserve_accrual(settled_fen: i64) -> Option<Transaction> {
    movement(
        TransactionKind::ReserveAccrual,
        Account::PlatformEquity,
        Account::RiskReserve,
        reserve_share(settled_fen),
    )
    .ok()
}
