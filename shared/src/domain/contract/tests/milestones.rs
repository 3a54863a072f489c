//! The payment plan: shares add up to exactly 100 %, amounts to the contract amount, the split by
//! shares always adds up exactly (property), and every field's limits.

use proptest::prelude::*;
use rstest::rstest;

use super::{date, milestone, plan, plan_input};
use crate::domain::contract::milestones::*;
use crate::dto::FieldIssue;
use crate::validate::{Check, Invalid};

fn issues(input: &PaymentPlanInput) -> Vec<(String, String)> {
    match input.check() {
        Ok(_) => Vec::new(),
        Err(Invalid(list)) => list.into_iter().map(|FieldIssue { field, issue }| (field, issue)).collect(),
    }
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(field, issue)| ((*field).to_owned(), (*issue).to_owned())).collect()
}

#[test]
fn shares_become_fen_amounts_that_add_up_exactly() {
    let mut input = plan_input(1000, 0);
    input.amount_fen = 100_000_001;
    let plan = input.check().expect("valid");
    let amounts: Vec<i64> = plan.milestones.iter().map(|m| m.amount_fen).collect();
    assert_eq!(amounts, [10_000_000, 50_000_000, 40_000_001], "the remainder goes to the last");
    assert_eq!(plan.milestones[1].share_bp, Some(5000));
    assert_eq!(plan.milestones[0].index, 0);
    assert_eq!(plan.advance().map(|m| m.amount_fen), Some(10_000_000));
}

#[test]
fn a_zero_advance_is_allowed() {
    assert_eq!(plan(0, 0).milestones[0].amount_fen, 0);
}

#[rstest]
#[case::shares_99_99_percent(9999, &[("milestones", "shares_not_100")])]
#[case::shares_100_01_percent(10001, &[("milestones", "shares_not_100")])]
#[case::shares_exactly_100_percent(10000, &[])]
fn shares_add_up_to_exactly_10000_basis_points(#[case] total: i64, #[case] expected: &[(&str, &str)]) {
    let mut input = plan_input(1000, 0);
    input.milestones[2].value = total - 6000;
    assert_eq!(issues(&input), pairs(expected));
}

#[rstest]
#[case::one_fen_short(99_999_999, &[("milestones", "amounts_not_total")])]
#[case::one_fen_over(100_000_001, &[("milestones", "amounts_not_total")])]
#[case::exact(100_000_000, &[])]
fn amounts_add_up_to_the_contract_amount(#[case] total: i64, #[case] expected: &[(&str, &str)]) {
    let input = PaymentPlanInput {
        allocation: Allocation::Amounts,
        milestones: vec![
            milestone("预付款", 20_000_000, date(2025, 4, 1)),
            milestone("主体结构", 50_000_000, date(2025, 6, 30)),
            milestone("竣工", total - 70_000_000, date(2025, 9, 30)),
        ],
        ..plan_input(0, 0)
    };
    assert_eq!(issues(&input), pairs(expected));
    if expected.is_empty() {
        let plan = input.check().expect("valid");
        assert_eq!(plan.milestones[0].share_bp, None);
        assert_eq!(plan.milestones[2].amount_fen, 30_000_000);
    }
}

#[test]
fn the_advance_and_one_milestone_are_needed_and_at_most_twenty_follow() {
    let mut input = plan_input(0, 0);
    input.milestones.truncate(1);
    input.milestones[0].value = 10_000;
    input.performance_bond_bp = 500;
    assert_eq!(issues(&input), pairs(&[("milestones", "required")]));
    let mut input = plan_input(0, 0);
    input.milestones = (0..21)
        .map(|i| milestone(&format!("第{i}期"), if i == 0 { 0 } else { 500 }, date(2025, 5, 1)))
        .collect();
    assert_eq!(issues(&input), pairs(&[]), "the advance and twenty milestones");
    input.milestones.push(milestone("第21期", 0, date(2025, 5, 1)));
    assert_eq!(
        issues(&input),
        pairs(&[("milestones", "too_many"), ("milestones[21].share_bp", "out_of_range")])
    );
}

#[rstest]
#[case::later_milestone_before_an_earlier_one(date(2025, 6, 29), &[("milestones[2].planned_date", "before_previous")])]
#[case::same_day_is_fine(date(2025, 6, 30), &[])]
fn planned_dates_do_not_go_backwards_after_the_advance(
    #[case] last: chrono::NaiveDate,
    #[case] expected: &[(&str, &str)],
) {
    let mut input = plan_input(1000, 0);
    input.milestones[0].planned_date = date(2026, 1, 1);
    input.milestones[2].planned_date = last;
    assert_eq!(issues(&input), pairs(expected), "the advance's own date is not compared");
}

#[rstest]
#[case::retention_10_percent(|i: &mut PaymentPlanInput| i.retention_bp = 1000, &[])]
#[case::retention_above_10_percent(|i: &mut PaymentPlanInput| i.retention_bp = 1001, &[("retention_bp", "out_of_range")])]
#[case::negative_retention(|i: &mut PaymentPlanInput| i.retention_bp = -1, &[("retention_bp", "out_of_range")])]
#[case::bond_10_percent(|i: &mut PaymentPlanInput| i.performance_bond_bp = 1000, &[])]
#[case::bond_above_10_percent(|i: &mut PaymentPlanInput| i.performance_bond_bp = 1001, &[("performance_bond_bp", "out_of_range")])]
#[case::warranty_60_months(|i: &mut PaymentPlanInput| i.warranty_months = 60, &[])]
#[case::warranty_61_months(|i: &mut PaymentPlanInput| i.warranty_months = 61, &[("warranty_months", "out_of_range")])]
#[case::zero_amount(|i: &mut PaymentPlanInput| i.amount_fen = 0, &[("amount_fen", "out_of_range")])]
#[case::zero_share_after_the_advance(
    |i: &mut PaymentPlanInput| { i.milestones[1].value = 0; i.milestones[2].value = 9000; },
    &[("milestones[1].share_bp", "out_of_range")]
)]
#[case::negative_advance(
    |i: &mut PaymentPlanInput| { i.milestones[0].value = -1; i.milestones[2].value = 5001; },
    &[("milestones[0].share_bp", "out_of_range")]
)]
#[case::blank_name(|i: &mut PaymentPlanInput| i.milestones[1].name = " ".into(), &[("milestones[1].name", "required")])]
#[case::name_of_51_chars(|i: &mut PaymentPlanInput| i.milestones[1].name = "节".repeat(51), &[("milestones[1].name", "too_long")])]
#[case::milestone_without_due_condition(
    |i: &mut PaymentPlanInput| i.milestones[1].due_condition = String::new(),
    &[("milestones[1].due_condition", "required")]
)]
#[case::due_condition_of_501_chars(
    |i: &mut PaymentPlanInput| i.milestones[2].due_condition = "验".repeat(501),
    &[("milestones[2].due_condition", "too_long")]
)]
#[case::high_risk_advance_with_a_small_bond(
    |i: &mut PaymentPlanInput| { i.milestones[0].value = 3001; i.milestones[2].value = 1999; i.performance_bond_bp = 499; },
    &[("performance_bond_bp", "below_high_risk_minimum")]
)]
#[case::high_risk_advance_with_a_5_percent_bond(
    |i: &mut PaymentPlanInput| { i.milestones[0].value = 3001; i.milestones[2].value = 1999; i.performance_bond_bp = 500; },
    &[]
)]
fn field_limits(#[case] change: fn(&mut PaymentPlanInput), #[case] expected: &[(&str, &str)]) {
    let mut input = plan_input(1000, 0);
    change(&mut input);
    assert_eq!(issues(&input), pairs(expected));
}

#[test]
fn split_by_shares_handles_the_edges() {
    assert!(split_by_shares(100, &[]).is_empty());
    assert_eq!(split_by_shares(1, &[3333, 3333, 3334]), [0, 0, 1]);
    assert_eq!(split_by_shares(10_000_000_000_000, &[1, 9999]), [1_000_000_000, 9_999_000_000_000]);
}

/// Between 1 and 21 shares that add up to 10000 (cut points on 0..=10000).
fn shares() -> impl Strategy<Value = Vec<u32>> {
    proptest::collection::vec(0_u32..=10_000, 0..20).prop_map(|mut cuts| {
        cuts.sort_unstable();
        cuts.push(10_000);
        let mut previous = 0;
        cuts.into_iter()
            .map(|cut| {
                let share = cut - previous;
                previous = cut;
                share
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn amounts_split_by_shares_always_add_up_exactly(
        amount in 1_i64..=10_000_000_000_000,
        shares in shares(),
    ) {
        let amounts = split_by_shares(amount, &shares);
        prop_assert_eq!(amounts.len(), shares.len());
        prop_assert_eq!(amounts.iter().sum::<i64>(), amount);
        for (fen, share) in amounts.iter().zip(&shares).take(shares.len() - 1) {
            prop_assert_eq!(i128::from(*fen), i128::from(amount) * i128::from(*share) / 10_000);
        }
        prop_assert!(amounts.iter().all(|fen| *fen >= 0));
    }

    #[test]
    fn a_checked_plan_always_adds_up_to_its_amount(
        amount in 1_i64..=10_000_000_000_000,
        shares in shares().prop_filter("a positive share after the advance", |s| s.len() >= 2 && s[1..].iter().all(|v| *v > 0)),
    ) {
        let input = PaymentPlanInput {
            amount_fen: amount,
            allocation: Allocation::Shares,
            milestones: shares.iter().enumerate().map(|(i, share)| milestone(&format!("第{i}期"), i64::from(*share), date(2025, 5, 1))).collect(),
            retention_bp: 0,
            performance_bond_bp: 1000,
            warranty_months: 0,
        };
        let plan = input.check().expect("valid");
        prop_assert_eq!(plan.milestones.iter().map(|m| m.amount_fen).sum::<i64>(), amount);
    }
}
