//! The payment plan of a contract: milestone 0 is the advance payment (预付款, may be 0 %,
//! released when the contract takes effect), then 1–20 payment milestones, each with a name
//! (1–50 characters), a share in basis points or an amount in fen, a planned date and a due
//! condition (1–500 characters; optional for the advance). Shares add up to exactly 10000 bp
//! (99.99 % and 100.01 % are refused, `shares_not_100`); amounts add up to exactly the contract
//! amount (`amounts_not_total`). Given as shares, the fen amounts are floor(amount × share ÷
//! 10000) with the rounding remainder on the last milestone, so they always add up exactly.
//! Planned dates do not go backwards after milestone 0. Retention 0–10 %, performance bond
//! 0–10 % (at least 5 % when the advance makes the contract high-risk, see [`super::risk`]),
//! warranty 0–60 months.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::risk::{BOND_MIN_BP, advance_is_high_risk};
use crate::validate::{Check, Checks, Invalid, MAX_AMOUNT_FEN};

/// The whole contract amount in basis points.
pub const FULL_SHARE_BP: i64 = 10_000;
/// Most payment milestones after the advance.
pub const MAX_PAYMENT_MILESTONES: usize = 20;
/// Longest milestone name, in characters.
pub const MAX_MILESTONE_NAME_CHARS: usize = 50;
/// Longest due condition, in characters.
pub const MAX_DUE_CONDITION_CHARS: usize = 500;
/// Highest retention, in basis points (10 %).
pub const MAX_RETENTION_BP: i64 = 1_000;
/// Highest performance bond, in basis points (10 %).
pub const MAX_BOND_BP: i64 = 1_000;
/// Longest warranty, in months.
pub const MAX_WARRANTY_MONTHS: i64 = 60;

/// How the milestones' values are given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum Allocation {
    /// Each value is a share in basis points; they add up to 10000.
    Shares,
    /// Each value is an amount in fen; they add up to the contract amount.
    Amounts,
}

/// A milestone as entered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct MilestoneInput {
    /// Its name.
    pub name: String,
    /// Share in basis points or amount in fen, as the plan's [`Allocation`] says.
    pub value: i64,
    /// When it is planned.
    pub planned_date: NaiveDate,
    /// What makes it due (e.g. "主体结构封顶验收合格").
    pub due_condition: String,
}

/// A payment plan as entered, before [`Check::check`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct PaymentPlanInput {
    /// The contract amount in fen (1 fen to ¥100 billion).
    pub amount_fen: i64,
    /// Whether the milestone values are shares or amounts.
    pub allocation: Allocation,
    /// Milestone 0 (the advance), then 1–20 payment milestones.
    pub milestones: Vec<MilestoneInput>,
    /// Retention withheld from each release, basis points (0–1000).
    pub retention_bp: i64,
    /// Performance bond, basis points of the amount (0–1000).
    pub performance_bond_bp: i64,
    /// Warranty after the last acceptance, months (0–60).
    pub warranty_months: i64,
}

/// A checked milestone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct Milestone {
    /// 0 for the advance, then 1, 2, …
    pub index: u32,
    /// Its name (trimmed).
    pub name: String,
    /// Its share in basis points when the plan was given in shares.
    pub share_bp: Option<u32>,
    /// Its amount in fen.
    pub amount_fen: i64,
    /// When it is planned.
    pub planned_date: NaiveDate,
    /// What makes it due (trimmed; may be empty for the advance).
    pub due_condition: String,
}

/// A checked payment plan: the milestone amounts add up to `amount_fen` exactly.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct PaymentPlan {
    /// The contract amount in fen.
    pub amount_fen: i64,
    /// Milestone 0 (the advance) first.
    pub milestones: Vec<Milestone>,
    /// Retention, basis points.
    pub retention_bp: u32,
    /// Performance bond, basis points of the amount.
    pub performance_bond_bp: u32,
    /// Warranty, months.
    pub warranty_months: u32,
}

impl PaymentPlan {
    /// The advance payment (milestone 0).
    #[must_use]
    pub fn advance(&self) -> Option<&Milestone> {
        self.milestones.first()
    }
}

/// Splits `amount_fen` by `shares_bp` (which should add up to 10000): each milestone but the last
/// gets floor(amount × share ÷ 10000), the last gets what is left, so the amounts add up to
/// `amount_fen` exactly. Empty shares give no amounts.
#[must_use]
pub fn split_by_shares(amount_fen: i64, shares_bp: &[u32]) -> Vec<i64> {
    let Some((_, leading)) = shares_bp.split_last() else { return Vec::new() };
    let mut amounts: Vec<i64> = leading
        .iter()
        .map(|share| {
            let exact = i128::from(amount_fen) * i128::from(*share) / i128::from(FULL_SHARE_BP);
            i64::try_from(exact).unwrap_or(i64::MAX)
        })
        .collect();
    let allotted = amounts.iter().fold(0_i64, |sum, amount| sum.saturating_add(*amount));
    amounts.push(amount_fen.saturating_sub(allotted));
    amounts
}

fn to_u32(value: i64) -> u32 {
    u32::try_from(value.max(0)).unwrap_or(u32::MAX)
}

impl Check for PaymentPlanInput {
    type Valid = PaymentPlan;

    /// Every field issue: `amount_fen` `out_of_range` (1 fen to ¥100 billion); `milestones`
    /// `required` (fewer than the advance and one milestone), `too_many` (more than 20 after the
    /// advance), `shares_not_100` or `amounts_not_total`; `milestones[i].name` `required` /
    /// `too_long`; `milestones[i].due_condition` `required` (i ≥ 1) / `too_long`;
    /// `milestones[i].share_bp` or `.amount_fen` `out_of_range` (the advance may be 0, the
    /// others must be positive; none above the whole); `milestones[i].planned_date`
    /// `before_previous` (i ≥ 2); `retention_bp` and `performance_bond_bp` `out_of_range`
    /// outside 0–1000; `performance_bond_bp` `below_high_risk_minimum` when the advance is above
    /// 30 % and the bond below 5 %; `warranty_months` `out_of_range` outside 0–60.
    fn check(&self) -> Result<PaymentPlan, Invalid> {
        let mut checks = Checks::default();
        checks.within("amount_fen", self.amount_fen, 1..=MAX_AMOUNT_FEN);
        if self.milestones.len() < 2 {
            checks.issue("milestones", "required");
        } else if self.milestones.len() > MAX_PAYMENT_MILESTONES + 1 {
            checks.issue("milestones", "too_many");
        }
        let (value_field, whole) = match self.allocation {
            Allocation::Shares => ("share_bp", FULL_SHARE_BP),
            Allocation::Amounts => ("amount_fen", self.amount_fen.max(0)),
        };
        let mut milestones = Vec::with_capacity(self.milestones.len());
        for (i, (index, input)) in (0_u32..).zip(&self.milestones).enumerate() {
            let name =
                checks.text(&format!("milestones[{i}].name"), &input.name, 1, MAX_MILESTONE_NAME_CHARS);
            let min_condition = usize::from(i > 0);
            let due_condition = checks.text(
                &format!("milestones[{i}].due_condition"),
                &input.due_condition,
                min_condition,
                MAX_DUE_CONDITION_CHARS,
            );
            checks.within(&format!("milestones[{i}].{value_field}"), input.value, i64::from(i > 0)..=whole);
            if i >= 2 && input.planned_date < self.milestones[i - 1].planned_date {
                checks.issue(&format!("milestones[{i}].planned_date"), "before_previous");
            }
            let (share_bp, amount_fen) = match self.allocation {
                Allocation::Shares => (Some(to_u32(input.value.min(FULL_SHARE_BP))), 0),
                Allocation::Amounts => (None, input.value),
            };
            milestones.push(Milestone {
                index,
                name,
                share_bp,
                amount_fen,
                planned_date: input.planned_date,
                due_condition,
            });
        }
        let total = self.milestones.iter().try_fold(0_i64, |sum, input| sum.checked_add(input.value));
        if !self.milestones.is_empty() && total != Some(whole) {
            let issue = match self.allocation {
                Allocation::Shares => "shares_not_100",
                Allocation::Amounts => "amounts_not_total",
            };
            checks.issue("milestones", issue);
        }
        if self.allocation == Allocation::Shares {
            let shares: Vec<u32> = milestones.iter().map(|m| m.share_bp.unwrap_or(0)).collect();
            for (milestone, amount) in milestones.iter_mut().zip(split_by_shares(self.amount_fen, &shares)) {
                milestone.amount_fen = amount;
            }
        }
        checks.within("retention_bp", self.retention_bp, 0..=MAX_RETENTION_BP);
        checks.within("performance_bond_bp", self.performance_bond_bp, 0..=MAX_BOND_BP);
        checks.within("warranty_months", self.warranty_months, 0..=MAX_WARRANTY_MONTHS);
        let plan = PaymentPlan {
            amount_fen: self.amount_fen,
            milestones,
            retention_bp: to_u32(self.retention_bp),
            performance_bond_bp: to_u32(self.performance_bond_bp),
            warranty_months: to_u32(self.warranty_months),
        };
        if advance_is_high_risk(&plan) && self.performance_bond_bp < i64::from(BOND_MIN_BP) {
            checks.issue("performance_bond_bp", "below_high_risk_minimum");
        }
        checks.done(plan)
    }
}
