//! Risk controls on contracts (风险防控):
//! - an advance payment above 30 % of the amount (strictly above 3000 bp; exactly 30 % is not)
//!   makes the contract high-risk, and a high-risk contract takes effect only once a performance
//!   bond of 5–10 % of its amount is recorded ([`may_take_effect`]);
//! - three or more amendments within 30 days warn both parties ([`amendment_warning`]).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::milestones::{FULL_SHARE_BP, PaymentPlan};
use crate::domain::comparison::yuan;

/// An advance strictly above this share (30 %) makes a contract high-risk.
pub const HIGH_RISK_ADVANCE_BP: u32 = 3_000;
/// Smallest performance bond of a high-risk contract, basis points of its amount (5 %).
pub const BOND_MIN_BP: u32 = 500;
/// Largest performance bond of a high-risk contract, basis points of its amount (10 %).
pub const BOND_MAX_BP: u32 = 1_000;
/// Length of the amendment window, days.
pub const AMENDMENT_WINDOW_DAYS: i64 = 30;
/// Amendments within the window that warn.
pub const AMENDMENT_WARNING_COUNT: usize = 3;

/// Whether the advance payment (milestone 0) is above 30 % of the amount: compared on the share
/// when the plan was given in shares (3001 bp is high-risk however the fen round), else exactly on
/// the amounts (advance × 10000 > 3000 × amount).
#[must_use]
pub fn advance_is_high_risk(plan: &PaymentPlan) -> bool {
    match plan.advance() {
        Some(advance) => match advance.share_bp {
            Some(share) => share > HIGH_RISK_ADVANCE_BP,
            None => {
                i128::from(advance.amount_fen) * i128::from(FULL_SHARE_BP)
                    > i128::from(HIGH_RISK_ADVANCE_BP) * i128::from(plan.amount_fen)
            }
        },
        None => false,
    }
}

/// The performance bond a contract needs before it takes effect, in fen (both bounds included).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BondRange {
    /// 5 % of the amount, rounded up to the fen.
    pub min_fen: i64,
    /// 10 % of the amount, rounded down to the fen.
    pub max_fen: i64,
}

/// The bond range a high-risk contract needs; `None` for a contract that is not high-risk.
#[must_use]
pub fn required_bond(plan: &PaymentPlan) -> Option<BondRange> {
    if !advance_is_high_risk(plan) {
        return None;
    }
    let amount = i128::from(plan.amount_fen);
    let full = i128::from(FULL_SHARE_BP);
    let min = (amount * i128::from(BOND_MIN_BP) + full - 1) / full;
    let max = amount * i128::from(BOND_MAX_BP) / full;
    Some(BondRange {
        min_fen: i64::try_from(min).unwrap_or(i64::MAX),
        max_fen: i64::try_from(max).unwrap_or(i64::MAX),
    })
}

/// Why a contract may not take effect yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum RiskRefusal {
    /// High-risk and no bond recorded.
    #[error(
        "the advance payment is above 30 %, so a performance bond of {} to {} (5–10 % of the amount) must be recorded before the contract takes effect",
        yuan(*.min_fen), yuan(*.max_fen)
    )]
    BondNotRecorded {
        /// Smallest acceptable bond, fen.
        min_fen: i64,
        /// Largest acceptable bond, fen.
        max_fen: i64,
    },
    /// High-risk and the recorded bond is below 5 %.
    #[error(
        "the advance payment is above 30 %, so the performance bond must be at least {} (5 % of the amount); {} is recorded",
        yuan(*.min_fen), yuan(*.recorded_fen)
    )]
    BondTooSmall {
        /// The bond recorded, fen.
        recorded_fen: i64,
        /// Smallest acceptable bond, fen.
        min_fen: i64,
    },
    /// High-risk and the recorded bond is above 10 %.
    #[error(
        "the performance bond may be at most {} (10 % of the amount); {} is recorded",
        yuan(*.max_fen), yuan(*.recorded_fen)
    )]
    BondTooLarge {
        /// The bond recorded, fen.
        recorded_fen: i64,
        /// Largest acceptable bond, fen.
        max_fen: i64,
    },
}

impl RiskRefusal {
    /// Stable snake_case code.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::BondNotRecorded { .. } => "bond_required",
            Self::BondTooSmall { .. } => "bond_too_small",
            Self::BondTooLarge { .. } => "bond_too_large",
        }
    }
}

/// Whether the risk rule lets a contract under `plan` take effect with `bond_recorded_fen` of
/// performance bond recorded (0 when none): always for a contract that is not high-risk; for a
/// high-risk one only with a bond of 5–10 % of the amount (both bounds included).
///
/// # Errors
/// The [`RiskRefusal`] saying what bond is missing.
pub fn may_take_effect(plan: &PaymentPlan, bond_recorded_fen: i64) -> Result<(), RiskRefusal> {
    let Some(BondRange { min_fen, max_fen }) = required_bond(plan) else { return Ok(()) };
    if bond_recorded_fen <= 0 {
        Err(RiskRefusal::BondNotRecorded { min_fen, max_fen })
    } else if bond_recorded_fen < min_fen {
        Err(RiskRefusal::BondTooSmall { recorded_fen: bond_recorded_fen, min_fen })
    } else if bond_recorded_fen > max_fen {
        Err(RiskRefusal::BondTooLarge { recorded_fen: bond_recorded_fen, max_fen })
    } else {
        Ok(())
    }
}

/// Whether the amendments that took effect at `amended_at` warn at `now`: at least 3 of them lie
/// in the 30 days ending at `now`, i.e. at `t` with `now − 30 days ≤ t ≤ now` (an amendment exactly
/// 30 days old still counts; one a second older does not; later ones are ignored). Asked when an
/// amendment takes effect (`now` = its time), this finds every 30-day window holding 3 amendments.
#[must_use]
pub fn amendment_warning(amended_at: &[DateTime<Utc>], now: DateTime<Utc>) -> bool {
    let since = now - Duration::days(AMENDMENT_WINDOW_DAYS);
    amended_at.iter().filter(|at| since <= **at && **at <= now).count() >= AMENDMENT_WARNING_COUNT
}

/// Whether any 30-day window (both ends included) ever held 3 or more of the amendments at
/// `amended_at`, in any order: [`amendment_warning`] asked at each amendment's time.
#[must_use]
pub fn amendment_burst(amended_at: &[DateTime<Utc>]) -> bool {
    amended_at.iter().any(|at| amendment_warning(amended_at, *at))
}
