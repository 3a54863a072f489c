//! The risk rules: the 30 % advance line, the 5–10 % bond, and the amendment window's
//! boundaries.

use chrono::{DateTime, Duration, TimeZone, Utc};
use rstest::rstest;

use super::{date, milestone, plan, plan_input};
use crate::domain::contract::milestones::{Allocation, PaymentPlanInput};
use crate::domain::contract::risk::*;
use crate::validate::Check;

#[rstest]
#[case::exactly_30_percent(3000, false)]
#[case::one_basis_point_above(3001, true)]
#[case::no_advance(0, false)]
fn an_advance_strictly_above_30_percent_is_high_risk(#[case] advance_bp: i64, #[case] high: bool) {
    assert_eq!(advance_is_high_risk(&plan(advance_bp, 1000)), high);
}

#[test]
fn on_a_tiny_amount_the_share_decides_not_the_rounded_fen() {
    let mut input = plan_input(3001, 500);
    input.amount_fen = 100;
    let plan = input.check().expect("valid");
    assert_eq!(plan.milestones[0].amount_fen, 30, "30.01 fen rounds down to 30");
    assert!(advance_is_high_risk(&plan));
}

#[rstest]
#[case::exactly_30_percent_in_fen(30_000_000, false)]
#[case::one_fen_above(30_000_001, true)]
fn given_in_amounts_the_line_is_exact(#[case] advance_fen: i64, #[case] high: bool) {
    let input = PaymentPlanInput {
        allocation: Allocation::Amounts,
        milestones: vec![
            milestone("预付款", advance_fen, date(2025, 4, 1)),
            milestone("竣工", 100_000_000 - advance_fen, date(2025, 9, 30)),
        ],
        ..plan_input(0, 1000)
    };
    assert_eq!(advance_is_high_risk(&input.check().expect("valid")), high);
}

#[test]
fn the_bond_range_is_5_to_10_percent_rounded_inwards() {
    let mut input = plan_input(4000, 1000);
    input.amount_fen = 1_000_001;
    let plan = input.check().expect("valid");
    assert_eq!(required_bond(&plan), Some(BondRange { min_fen: 50_001, max_fen: 100_000 }));
    assert_eq!(required_bond(&super::plan(3000, 0)), None);
}

#[rstest]
#[case::ordinary_contract_needs_no_bond(1000, 0, Ok(()))]
#[case::high_risk_without_bond(4000, 0, Err(RiskRefusal::BondNotRecorded { min_fen: 5_000_000, max_fen: 10_000_000 }))]
#[case::high_risk_one_fen_short(4000, 4_999_999, Err(RiskRefusal::BondTooSmall { recorded_fen: 4_999_999, min_fen: 5_000_000 }))]
#[case::high_risk_exactly_5_percent(4000, 5_000_000, Ok(()))]
#[case::high_risk_exactly_10_percent(4000, 10_000_000, Ok(()))]
#[case::high_risk_one_fen_over(4000, 10_000_001, Err(RiskRefusal::BondTooLarge { recorded_fen: 10_000_001, max_fen: 10_000_000 }))]
fn a_high_risk_contract_takes_effect_only_with_a_5_to_10_percent_bond(
    #[case] advance_bp: i64,
    #[case] bond_fen: i64,
    #[case] expected: Result<(), RiskRefusal>,
) {
    assert_eq!(may_take_effect(&plan(advance_bp, 1000), bond_fen), expected);
}

#[test]
fn the_risk_refusal_says_what_bond_is_needed() {
    let refusal = RiskRefusal::BondNotRecorded { min_fen: 5_000_000, max_fen: 10_000_000 };
    assert_eq!(
        refusal.to_string(),
        "the advance payment is above 30 %, so a performance bond of ¥50000.00 to ¥100000.00 (5–10 % of the amount) must be recorded before the contract takes effect"
    );
    assert_eq!(refusal.code(), "bond_required");
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 30, 8, 0, 0).single().expect("valid instant")
}

fn ago(days: i64, seconds: i64) -> DateTime<Utc> {
    now() - Duration::days(days) - Duration::seconds(seconds)
}

#[rstest]
#[case::two_amendments_do_not_warn(vec![ago(1, 0), ago(0, 0)], false)]
#[case::three_within_30_days_warn(vec![ago(20, 0), ago(10, 0), ago(0, 0)], true)]
#[case::the_oldest_exactly_30_days_ago_counts(vec![ago(30, 0), ago(10, 0), ago(0, 0)], true)]
#[case::one_second_more_and_it_does_not(vec![ago(30, 1), ago(10, 0), ago(0, 0)], false)]
#[case::later_amendments_are_ignored(vec![ago(5, 0), ago(0, 0), now() + Duration::days(1)], false)]
#[case::order_does_not_matter(vec![ago(0, 0), ago(29, 0), ago(2, 0), ago(90, 0)], true)]
fn three_amendments_within_30_days_warn(#[case] amended_at: Vec<DateTime<Utc>>, #[case] warns: bool) {
    assert_eq!(amendment_warning(&amended_at, now()), warns);
}

#[rstest]
#[case::three_in_any_past_window(vec![ago(100, 0), ago(90, 0), ago(75, 0), ago(0, 0)], true)]
#[case::spread_out(vec![ago(100, 0), ago(69, 0), ago(38, 0), ago(7, 0)], false)]
#[case::window_exactly_30_days(vec![ago(60, 0), ago(45, 0), ago(30, 0)], true)]
fn a_burst_is_any_30_day_window_with_three(#[case] amended_at: Vec<DateTime<Utc>>, #[case] burst: bool) {
    assert_eq!(amendment_burst(&amended_at), burst);
}
