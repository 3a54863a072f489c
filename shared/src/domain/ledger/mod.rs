//! The escrow ledger (资金监管台账): double-entry bookkeeping in integer fen.
//!
//! Every movement of money is one [`Transaction`] of two or more [`Posting`]s whose amounts sum
//! to exactly zero; a posting's amount is positive when money goes *into* its account and
//! negative when it comes *out*. An account's balance is the sum of its postings.
//!
//! Accounts ([`AccountKind`]):
//! - per organisation: `available` — money released to it, which it may withdraw;
//!   `payout_pending` — withdrawals asked for and not yet confirmed as sent by finance;
//! - per contract: `escrow` per milestone (milestone 0 is the advance), `bond` (the performer's
//!   performance bond), `retention` (withheld from each release until the warranty ends);
//! - platform: `clearing` — the platform's receiving bank account seen from the ledger: money
//!   arriving from a bank or a payment provider comes *out of* clearing into an escrow or bond
//!   account, money paid out goes back *into* it, so its balance is minus what the platform's
//!   bank holds for others; `risk_reserve` — 1 % of settled volume set aside; `platform_equity`
//!   — the platform's own funds, which pay for the reserve.
//!
//! Accounts that hold users' money (every account but `clearing` and `platform_equity`) may
//! never go negative. A frozen account (the 15-day overdue rule, a dispute) gives no money out.
//! Sums are checked: an overflow is a refusal, never a wrap.
//!
//! [`Ledger::apply`] is the one rule every movement passes, in the server (on the balances it
//! loaded under lock) and in the property tests. [`ops`] builds the movements of the escrow
//! workflow; [`statement`] reads bank statements and reconciles them with funding requests;
//! [`reference`] makes and reads the reference codes payers quote on a bank transfer; [`online`]
//! decides what an online payment provider's notification does to a funding request.

pub mod online;
pub mod ops;
pub mod payout;
pub mod reference;
pub mod statement;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;

crate::stored_enum! {
    /// What an account holds.
    pub enum AccountKind in "ledger_accounts.kind" {
        /// An organisation's released funds, which it may withdraw.
        Available = "available",
        /// An organisation's withdrawals waiting for a finance officer (sent, or returned).
        PayoutPending = "payout_pending",
        /// A contract milestone's escrow (milestone 0 is the advance).
        Escrow = "escrow",
        /// A contract's performance bond, funded by the performer.
        Bond = "bond",
        /// A contract's retention, withheld from each release until the warranty ends.
        Retention = "retention",
        /// The platform's receiving bank account, seen from the ledger (normally negative).
        Clearing = "clearing",
        /// The risk reserve (1 % of settled volume).
        RiskReserve = "risk_reserve",
        /// The platform's own funds (pays for the reserve; may be negative).
        PlatformEquity = "platform_equity",
    }
}

impl AccountKind {
    /// Whether the account holds users' money (or the reserve) and so may never go negative.
    #[must_use]
    pub const fn must_not_go_negative(self) -> bool {
        !matches!(self, Self::Clearing | Self::PlatformEquity)
    }
}

/// Which account: its kind and owner. The [`fmt::Display`] form is the stored account id:
/// `available:<org>`, `payout_pending:<org>`, `escrow:<contract>:<milestone>`, `bond:<contract>`,
/// `retention:<contract>`, `clearing`, `risk_reserve`, `platform_equity`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Account {
    /// An organisation's available funds.
    Available {
        /// The organisation.
        org_id: String,
    },
    /// An organisation's withdrawals waiting for finance.
    PayoutPending {
        /// The organisation.
        org_id: String,
    },
    /// A milestone's escrow.
    Escrow {
        /// The contract.
        contract_id: String,
        /// The milestone (0 = the advance).
        milestone: u32,
    },
    /// A contract's performance bond.
    Bond {
        /// The contract.
        contract_id: String,
    },
    /// A contract's retention.
    Retention {
        /// The contract.
        contract_id: String,
    },
    /// The platform's clearing account.
    Clearing,
    /// The risk reserve.
    RiskReserve,
    /// The platform's equity.
    PlatformEquity,
}

impl Account {
    /// An organisation's available funds.
    #[must_use]
    pub fn available(org_id: &str) -> Self {
        Self::Available { org_id: org_id.to_owned() }
    }

    /// An organisation's withdrawals waiting for finance.
    #[must_use]
    pub fn payout_pending(org_id: &str) -> Self {
        Self::PayoutPending { org_id: org_id.to_owned() }
    }

    /// A milestone's escrow.
    #[must_use]
    pub fn escrow(contract_id: &str, milestone: u32) -> Self {
        Self::Escrow { contract_id: contract_id.to_owned(), milestone }
    }

    /// A contract's bond.
    #[must_use]
    pub fn bond(contract_id: &str) -> Self {
        Self::Bond { contract_id: contract_id.to_owned() }
    }

    /// A contract's retention.
    #[must_use]
    pub fn retention(contract_id: &str) -> Self {
        Self::Retention { contract_id: contract_id.to_owned() }
    }

    /// Its kind.
    #[must_use]
    pub const fn kind(&self) -> AccountKind {
        match self {
            Self::Available { .. } => AccountKind::Available,
            Self::PayoutPending { .. } => AccountKind::PayoutPending,
            Self::Escrow { .. } => AccountKind::Escrow,
            Self::Bond { .. } => AccountKind::Bond,
            Self::Retention { .. } => AccountKind::Retention,
            Self::Clearing => AccountKind::Clearing,
            Self::RiskReserve => AccountKind::RiskReserve,
            Self::PlatformEquity => AccountKind::PlatformEquity,
        }
    }

    /// The owning organisation, for `available` and `payout_pending`.
    #[must_use]
    pub fn org_id(&self) -> Option<&str> {
        match self {
            Self::Available { org_id } | Self::PayoutPending { org_id } => Some(org_id),
            _ => None,
        }
    }

    /// The contract, for `escrow`, `bond` and `retention`.
    #[must_use]
    pub fn contract_id(&self) -> Option<&str> {
        match self {
            Self::Escrow { contract_id, .. }
            | Self::Bond { contract_id }
            | Self::Retention { contract_id } => Some(contract_id),
            _ => None,
        }
    }

    /// The milestone, for `escrow`.
    #[must_use]
    pub const fn milestone(&self) -> Option<u32> {
        match self {
            Self::Escrow { milestone, .. } => Some(*milestone),
            _ => None,
        }
    }

    /// Reads the stored id back (the inverse of [`fmt::Display`]).
    #[must_use]
    pub fn parse(id: &str) -> Option<Self> {
        let mut parts = id.split(':');
        let account = match (parts.next()?, parts.next(), parts.next()) {
            ("available", Some(org), None) if !org.is_empty() => Self::available(org),
            ("payout_pending", Some(org), None) if !org.is_empty() => Self::payout_pending(org),
            ("escrow", Some(contract), Some(n)) if !contract.is_empty() => {
                Self::escrow(contract, n.parse().ok()?)
            }
            ("bond", Some(contract), None) if !contract.is_empty() => Self::bond(contract),
            ("retention", Some(contract), None) if !contract.is_empty() => Self::retention(contract),
            ("clearing", None, None) => Self::Clearing,
            ("risk_reserve", None, None) => Self::RiskReserve,
            ("platform_equity", None, None) => Self::PlatformEquity,
            _ => return None,
        };
        parts.next().is_none().then_some(account)
    }
}

impl fmt::Display for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Available { org_id } => write!(f, "available:{org_id}"),
            Self::PayoutPending { org_id } => write!(f, "payout_pending:{org_id}"),
            Self::Escrow { contract_id, milestone } => write!(f, "escrow:{contract_id}:{milestone}"),
            Self::Bond { contract_id } => write!(f, "bond:{contract_id}"),
            Self::Retention { contract_id } => write!(f, "retention:{contract_id}"),
            Self::Clearing => f.write_str("clearing"),
            Self::RiskReserve => f.write_str("risk_reserve"),
            Self::PlatformEquity => f.write_str("platform_equity"),
        }
    }
}

crate::stored_enum! {
    /// Why money moved.
    pub enum TransactionKind in "ledger_transactions.kind" {
        /// A payer's transfer credited to a milestone's escrow.
        FundEscrow = "fund_escrow",
        /// A performer's transfer credited to the contract's bond.
        FundBond = "fund_bond",
        /// Escrow released to the payee (retention withheld).
        Release = "release",
        /// Unreleased escrow returned to the payer (the contract ended).
        Refund = "refund",
        /// The bond returned to the performer.
        BondReturn = "bond_return",
        /// The retention released to the performer when the warranty ended.
        RetentionRelease = "retention_release",
        /// Available funds set aside for a withdrawal the organisation asked for.
        PayoutRequest = "payout_request",
        /// A withdrawal sent to the organisation's bank account (confirmed by finance).
        Payout = "payout",
        /// A withdrawal rejected or withdrawn: the money goes back to available funds.
        PayoutReturn = "payout_return",
        /// The risk reserve accrual (platform equity → reserve).
        ReserveAccrual = "reserve_accrual",
        /// An award's shortfall paid by the party at fault (its available → the other party's).
        AwardPayment = "award_payment",
        /// First compensation of an award (the party at fault's bond and the reserve → the other
        /// party's available).
        Compensation = "compensation",
        /// A recovery claim repaid (the party's available → the reserve).
        RecoveryPayment = "recovery_payment",
    }
}

/// One line of a transaction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posting {
    /// The account.
    pub account: Account,
    /// Fen into (positive) or out of (negative) the account; never zero.
    pub amount_fen: i64,
}

/// A movement of money: postings that sum to zero.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transaction {
    /// Why.
    pub kind: TransactionKind,
    /// Two or more postings.
    pub postings: Vec<Posting>,
}

impl Transaction {
    /// The money that moved: the sum of the positive postings.
    #[must_use]
    pub fn volume_fen(&self) -> i64 {
        self.postings
            .iter()
            .filter(|p| p.amount_fen > 0)
            .fold(0_i64, |sum, p| sum.saturating_add(p.amount_fen))
    }
}

/// Why a movement is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LedgerRefusal {
    /// Fewer than two postings, a zero posting, or an account twice.
    #[error("a transaction needs two or more non-zero postings on distinct accounts")]
    Malformed,
    /// The postings do not sum to zero.
    #[error("the postings do not balance (they sum to {0} fen)")]
    Unbalanced(i128),
    /// A sum left the range of `i64`.
    #[error("an amount overflowed")]
    Overflow,
    /// The account would go negative.
    #[error("account {account} holds {balance_fen} fen, {needed_fen} fen needed")]
    InsufficientFunds {
        /// The account.
        account: String,
        /// Its balance.
        balance_fen: i64,
        /// What the movement takes out of it.
        needed_fen: i64,
    },
    /// The account is frozen and gives no money out.
    #[error("account {0} is frozen")]
    Frozen(String),
}

impl LedgerRefusal {
    /// The API answers every refusal 409 `conflict`; this is the `details` issue saying which.
    #[must_use]
    pub const fn issue(&self) -> &'static str {
        match self {
            Self::InsufficientFunds { .. } => "insufficient_funds",
            Self::Frozen(_) => "frozen",
            Self::Overflow => "overflow",
            Self::Malformed | Self::Unbalanced(_) => "unbalanced",
        }
    }

    /// The error code the API answers with.
    #[must_use]
    pub const fn code(&self) -> ErrorCode {
        ErrorCode::Conflict
    }
}

/// Checks a transaction's shape: two or more non-zero postings on distinct accounts that sum to
/// exactly zero.
///
/// # Errors
/// [`LedgerRefusal::Malformed`] or [`LedgerRefusal::Unbalanced`].
pub fn check_balanced(tx: &Transaction) -> Result<(), LedgerRefusal> {
    let accounts: BTreeSet<&Account> = tx.postings.iter().map(|p| &p.account).collect();
    if tx.postings.len() < 2
        || accounts.len() != tx.postings.len()
        || tx.postings.iter().any(|p| p.amount_fen == 0)
    {
        return Err(LedgerRefusal::Malformed);
    }
    let sum: i128 = tx.postings.iter().map(|p| i128::from(p.amount_fen)).sum();
    if sum == 0 { Ok(()) } else { Err(LedgerRefusal::Unbalanced(sum)) }
}

/// Balances of the accounts a movement touches (or of the whole ledger, in tests), and which of
/// them are frozen.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ledger {
    balances: BTreeMap<Account, i64>,
    frozen: BTreeSet<Account>,
}

impl Ledger {
    /// An empty ledger.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Records an account's balance as loaded (and whether it is frozen).
    pub fn load(&mut self, account: Account, balance_fen: i64, frozen: bool) {
        if frozen {
            self.frozen.insert(account.clone());
        } else {
            self.frozen.remove(&account);
        }
        self.balances.insert(account, balance_fen);
    }

    /// An account's balance (0 when it never moved).
    #[must_use]
    pub fn balance(&self, account: &Account) -> i64 {
        self.balances.get(account).copied().unwrap_or(0)
    }

    /// Whether the account is frozen.
    #[must_use]
    pub fn is_frozen(&self, account: &Account) -> bool {
        self.frozen.contains(account)
    }

    /// Freezes or unfreezes an account.
    pub fn set_frozen(&mut self, account: &Account, frozen: bool) {
        if frozen {
            self.frozen.insert(account.clone());
        } else {
            self.frozen.remove(account);
        }
    }

    /// Every account with its balance.
    pub fn balances(&self) -> impl Iterator<Item = (&Account, i64)> {
        self.balances.iter().map(|(a, b)| (a, *b))
    }

    /// What `tx` would leave each account it touches with, without applying it.
    ///
    /// # Errors
    /// Any [`LedgerRefusal`]: the shape, an overflow, a frozen account giving money out, or an
    /// account that must not go negative going negative.
    pub fn preview(&self, tx: &Transaction) -> Result<Vec<(Account, i64)>, LedgerRefusal> {
        check_balanced(tx)?;
        let mut after = Vec::with_capacity(tx.postings.len());
        for posting in &tx.postings {
            let balance = self.balance(&posting.account);
            if posting.amount_fen < 0 && self.is_frozen(&posting.account) {
                return Err(LedgerRefusal::Frozen(posting.account.to_string()));
            }
            let new = balance.checked_add(posting.amount_fen).ok_or(LedgerRefusal::Overflow)?;
            if new < 0 && posting.account.kind().must_not_go_negative() {
                return Err(LedgerRefusal::InsufficientFunds {
                    account: posting.account.to_string(),
                    balance_fen: balance,
                    needed_fen: posting.amount_fen.checked_neg().ok_or(LedgerRefusal::Overflow)?,
                });
            }
            after.push((posting.account.clone(), new));
        }
        Ok(after)
    }

    /// Applies `tx` when [`Ledger::preview`] allows it; nothing changes otherwise. Returns each
    /// touched account's new balance, in posting order.
    ///
    /// # Errors
    /// As [`Ledger::preview`].
    pub fn apply(&mut self, tx: &Transaction) -> Result<Vec<(Account, i64)>, LedgerRefusal> {
        let after = self.preview(tx)?;
        for (account, balance) in &after {
            self.balances.insert(account.clone(), *balance);
        }
        Ok(after)
    }

    /// The sum of every balance (zero in a ledger built only by [`Ledger::apply`]).
    #[must_use]
    pub fn total(&self) -> i128 {
        self.balances.values().map(|b| i128::from(*b)).sum()
    }
}
