//! Escrow of a contract (资金监管): who funds what, how much a funding request asks for, and
//! what releases when money arrives.
//!
//! - The payer funds the milestones (milestone 0 is the advance); the performer funds the
//!   performance bond (the plan's bond share of the amount). Funding is possible while the
//!   contract is out for signature or in force — not in a draft, whose amounts may still change,
//!   and not after it ended.
//! - A funding request asks for what is still open: the milestone's amount less what arrived and
//!   what other pending requests already ask for. Nothing open → 409 `already_funded` (all
//!   arrived) or `funding_pending` (a pending request covers the rest).
//! - Money that arrives for the advance of an effective contract, or for a milestone already
//!   accepted, releases at once (funding before work is expected, not enforced); otherwise it
//!   waits in escrow for the acceptance.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::document::PartyRole;
use super::lifecycle::ContractState;
use super::milestones::PaymentPlan;
use crate::dto::{FundingTarget, MilestoneMoneyState};

/// What a milestone's escrow has seen, in fen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Funds {
    /// Arrived into escrow in all.
    pub funded_fen: i64,
    /// Asked for by pending funding requests.
    pub pending_fen: i64,
}

/// Why a funding request is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FundingRefusal {
    /// Draft or ended.
    #[error("the contract is {0}; escrow is funded while it is out for signature or in force")]
    NotFundable(&'static str),
    /// Milestones are funded by the payer.
    #[error("milestones are funded by the payer")]
    NotThePayer,
    /// The bond is funded by the performer.
    #[error("the performance bond is funded by the performer")]
    NotThePerformer,
    /// No such milestone in the plan in force.
    #[error("the contract has no such milestone")]
    UnknownMilestone,
    /// The contract needs no bond.
    #[error("the contract needs no performance bond")]
    NoBond,
    /// Everything has arrived.
    #[error("this is funded in full already")]
    AlreadyFunded,
    /// A pending request covers what is open.
    #[error("a pending funding request covers what is open; pay it or cancel it first")]
    FundingPending,
}

impl FundingRefusal {
    /// The `details` issue (the field is named by [`FundingRefusal::field`]).
    #[must_use]
    pub const fn issue(&self) -> &'static str {
        match self {
            Self::NotFundable(_) => "not_fundable",
            Self::NotThePayer | Self::NotThePerformer => "not_your_part",
            Self::UnknownMilestone => "unknown_milestone",
            Self::NoBond => "no_bond",
            Self::AlreadyFunded => "already_funded",
            Self::FundingPending => "funding_pending",
        }
    }

    /// The request field the refusal is about.
    #[must_use]
    pub const fn field(&self) -> &'static str {
        match self {
            Self::UnknownMilestone => "milestone",
            Self::NotFundable(_) => "contract",
            _ => "target",
        }
    }

    /// Whether the caller may not do this at all (403) rather than not now (409/422).
    #[must_use]
    pub const fn is_forbidden(&self) -> bool {
        matches!(self, Self::NotThePayer | Self::NotThePerformer)
    }
}

/// A milestone planned this many days ahead (or already past) and not fully funded is flagged.
pub const FUNDING_DUE_DAYS: i64 = 7;

/// Whether a contract in `state` takes money (out for signature or in force).
#[must_use]
pub const fn is_fundable(state: ContractState) -> bool {
    matches!(state, ContractState::Signing | ContractState::Effective)
}

/// Whether the payer should be warned that a milestone is due soon without its money: the
/// contract takes money, the milestone is planned within [`FUNDING_DUE_DAYS`] of `today` (or
/// is past), and less than its amount has arrived.
#[must_use]
pub fn funding_due(
    state: ContractState,
    planned: NaiveDate,
    amount_fen: i64,
    funded_fen: i64,
    today: NaiveDate,
) -> bool {
    is_fundable(state) && funded_fen < amount_fen && (planned - today).num_days() <= FUNDING_DUE_DAYS
}

/// What a milestone's escrow has seen, in fen, for [`money_state`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Seen {
    /// Arrived in all.
    pub funded_fen: i64,
    /// Released to the payee (before retention).
    pub released_fen: i64,
    /// Returned to the payer.
    pub refunded_fen: i64,
}

/// Where a milestone's money stands, from what its escrow has seen and what pending requests ask.
#[must_use]
pub fn money_state(amount_fen: i64, seen: Seen, pending_fen: i64) -> MilestoneMoneyState {
    let balance = seen.funded_fen - seen.released_fen - seen.refunded_fen;
    if seen.refunded_fen > 0 && balance == 0 && seen.released_fen == 0 {
        MilestoneMoneyState::Refunded
    } else if seen.released_fen >= amount_fen && amount_fen > 0 {
        MilestoneMoneyState::Released
    } else if seen.released_fen > 0 {
        MilestoneMoneyState::PartlyReleased
    } else if seen.funded_fen >= amount_fen && amount_fen > 0 {
        MilestoneMoneyState::Funded
    } else if seen.funded_fen > 0 {
        MilestoneMoneyState::PartlyFunded
    } else if pending_fen > 0 {
        MilestoneMoneyState::Requested
    } else {
        MilestoneMoneyState::Unfunded
    }
}

/// The performance bond the plan asks of the performer, fen (bond share of the amount, rounded
/// up to the fen so a high-risk contract's 5 % minimum is always met).
#[must_use]
pub fn bond_fen(plan: &PaymentPlan) -> i64 {
    let exact = i128::from(plan.amount_fen) * i128::from(plan.performance_bond_bp);
    i64::try_from((exact + 9_999) / 10_000).unwrap_or(i64::MAX)
}

/// What a target is worth in the plan: a milestone's amount or the bond.
///
/// # Errors
/// `UnknownMilestone`, `NoBond`.
pub fn target_amount(
    plan: &PaymentPlan,
    target: FundingTarget,
    milestone: Option<u32>,
) -> Result<i64, FundingRefusal> {
    match target {
        FundingTarget::Milestone => plan
            .milestones
            .iter()
            .find(|m| Some(m.index) == milestone)
            .map(|m| m.amount_fen)
            .ok_or(FundingRefusal::UnknownMilestone),
        FundingTarget::Bond => match bond_fen(plan) {
            0 => Err(FundingRefusal::NoBond),
            fen => Ok(fen),
        },
    }
}

/// How much a new funding request asks for.
///
/// # Errors
/// Every [`FundingRefusal`] (see the module doc).
pub fn funding_amount(
    state: ContractState,
    role: PartyRole,
    plan: &PaymentPlan,
    target: FundingTarget,
    milestone: Option<u32>,
    funds: Funds,
) -> Result<i64, FundingRefusal> {
    if !is_fundable(state) {
        return Err(FundingRefusal::NotFundable(state.as_str()));
    }
    match (target, role) {
        (FundingTarget::Milestone, PartyRole::Payer) | (FundingTarget::Bond, PartyRole::Performer) => {}
        (FundingTarget::Milestone, _) => return Err(FundingRefusal::NotThePayer),
        (FundingTarget::Bond, _) => return Err(FundingRefusal::NotThePerformer),
    }
    let amount = target_amount(plan, target, milestone)?;
    let open = amount.saturating_sub(funds.funded_fen);
    if open <= 0 {
        return Err(FundingRefusal::AlreadyFunded);
    }
    let uncovered = open.saturating_sub(funds.pending_fen);
    if uncovered <= 0 {
        return Err(FundingRefusal::FundingPending);
    }
    Ok(uncovered)
}

/// Whether money arriving in a milestone's escrow releases at once: the advance of an effective
/// contract, or a milestone already accepted.
#[must_use]
pub fn releases_on_arrival(milestone: u32, state: ContractState, accepted: bool) -> bool {
    state == ContractState::Effective && (milestone == 0 || accepted)
}
