//! Tests of the contract domain: the payment plan, the risk rules, the lifecycle.

mod lifecycle;
mod milestones;
mod progress;
mod risk;

use chrono::NaiveDate;

use super::milestones::{Allocation, MilestoneInput, PaymentPlan, PaymentPlanInput};
use crate::validate::Check;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn milestone(name: &str, value: i64, planned: NaiveDate) -> MilestoneInput {
    MilestoneInput {
        name: name.to_owned(),
        value,
        planned_date: planned,
        due_condition: if name == "预付款" { String::new() } else { format!("{name}验收合格") },
    }
}

/// ¥1,000,000 with an advance of `advance_bp`, the rest in two milestones (50 % and the rest),
/// a bond of `bond_bp`.
fn plan_input(advance_bp: i64, bond_bp: i64) -> PaymentPlanInput {
    PaymentPlanInput {
        amount_fen: 100_000_000,
        allocation: Allocation::Shares,
        milestones: vec![
            milestone("预付款", advance_bp, date(2025, 4, 1)),
            milestone("主体结构", 5000, date(2025, 6, 30)),
            milestone("竣工", 5000 - advance_bp, date(2025, 9, 30)),
        ],
        retention_bp: 300,
        performance_bond_bp: bond_bp,
        warranty_months: 24,
    }
}

fn plan(advance_bp: i64, bond_bp: i64) -> PaymentPlan {
    plan_input(advance_bp, bond_bp).check().expect("valid plan")
}
mod acceptance;
mod escrow;
