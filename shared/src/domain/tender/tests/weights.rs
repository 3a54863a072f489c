//! Evaluation weights: every field code, and "accepted exactly when the four add up to 100".

use proptest::prelude::*;
use rstest::rstest;

use crate::domain::tender::weights::*;
use crate::dto::FieldIssue;
use crate::validate::{Check, Invalid};

fn criterion(name: &str, max_mark: i64) -> CriterionInput {
    CriterionInput { name: name.to_owned(), max_mark }
}

fn input(price: i64, duration: i64, credit: i64, technical: i64) -> WeightsInput {
    WeightsInput {
        price,
        duration,
        credit,
        technical,
        criteria: vec![criterion("施工方案", 60), criterion("项目管理", 40)],
    }
}

fn issues(result: Result<EvaluationWeights, Invalid>) -> Vec<(String, String)> {
    match result {
        Ok(_) => Vec::new(),
        Err(Invalid(list)) => list.into_iter().map(|FieldIssue { field, issue }| (field, issue)).collect(),
    }
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(field, issue)| ((*field).to_owned(), (*issue).to_owned())).collect()
}

#[test]
fn weights_adding_up_to_100_are_accepted_with_trimmed_criteria() {
    let mut weights = input(40, 20, 10, 30);
    weights.criteria[0].name = "  施工方案 ".to_owned();
    let valid = weights.check().expect("valid");
    assert_eq!((valid.price, valid.duration, valid.credit, valid.technical), (40, 20, 10, 30));
    assert_eq!(valid.criteria[0], Criterion { name: "施工方案".to_owned(), max_mark: 60 });
    assert_eq!(valid.max_marks_total(), 100);
}

#[rstest]
#[case::sum_99(input(40, 20, 10, 29), &[("weights", "sum_not_100")])]
#[case::sum_101(input(40, 20, 10, 31), &[("weights", "sum_not_100")])]
#[case::negative_weight(input(110, -10, 0, 0), &[("price", "out_of_range"), ("duration", "out_of_range")])]
#[case::weight_above_100(input(101, 0, 0, 0), &[("price", "out_of_range"), ("weights", "sum_not_100")])]
#[case::overflowing_weights(input(i64::MAX, i64::MAX, 0, 0), &[("price", "out_of_range"), ("duration", "out_of_range"), ("weights", "sum_not_100")])]
fn weights_are_whole_points_adding_up_to_100(
    #[case] weights: WeightsInput,
    #[case] expected: &[(&str, &str)],
) {
    assert_eq!(issues(weights.check()), pairs(expected));
}

#[rstest]
#[case::technical_points_need_a_criterion(vec![], &[("criteria", "required")])]
#[case::eleven_criteria(
    (0..11).map(|i| criterion(&format!("c{i}"), 10)).collect(),
    &[("criteria", "too_many")]
)]
#[case::blank_name(vec![criterion("  ", 10)], &[("criteria[0].name", "required")])]
#[case::name_of_51_chars(vec![criterion(&"评".repeat(51), 10)], &[("criteria[0].name", "too_long")])]
#[case::duplicate_after_trimming(vec![criterion("质量", 10), criterion(" 质量", 10)], &[("criteria[1].name", "duplicate")])]
#[case::zero_max_mark(vec![criterion("质量", 0)], &[("criteria[0].max_mark", "out_of_range")])]
#[case::max_mark_above_100(vec![criterion("质量", 101)], &[("criteria[0].max_mark", "out_of_range")])]
fn technical_criteria_are_named_unique_and_bounded(
    #[case] criteria: Vec<CriterionInput>,
    #[case] expected: &[(&str, &str)],
) {
    let weights = WeightsInput { criteria, ..input(40, 20, 10, 30) };
    assert_eq!(issues(weights.check()), pairs(expected));
}

#[rstest]
#[case::ten_criteria_of_50_chars((0..10).map(|i| criterion(&format!("{i}{}", "标".repeat(49)), 100)).collect())]
#[case::max_mark_1(vec![criterion("质量", 1)])]
fn the_criteria_limits_are_inclusive(#[case] criteria: Vec<CriterionInput>) {
    assert!(WeightsInput { criteria, ..input(40, 20, 10, 30) }.check().is_ok());
}

#[test]
fn without_technical_points_no_criterion_is_needed() {
    let weights = WeightsInput { criteria: vec![], ..input(50, 30, 20, 0) };
    assert!(weights.check().is_ok());
}

#[test]
fn every_problem_is_named_at_once() {
    let weights = WeightsInput {
        price: 150,
        duration: 0,
        credit: 0,
        technical: 30,
        criteria: vec![criterion("", 0), criterion(&"x".repeat(60), 5)],
    };
    assert_eq!(
        issues(weights.check()),
        pairs(&[
            ("price", "out_of_range"),
            ("weights", "sum_not_100"),
            ("criteria[0].name", "required"),
            ("criteria[0].max_mark", "out_of_range"),
            ("criteria[1].name", "too_long"),
        ])
    );
}

/// Four weights in 0..=100 that add up to 100: three cut points on 0..=100.
fn summing_to_100() -> impl Strategy<Value = [i64; 4]> {
    proptest::array::uniform3(0_i64..=100).prop_map(|mut cuts| {
        cuts.sort_unstable();
        [cuts[0], cuts[1] - cuts[0], cuts[2] - cuts[1], 100 - cuts[2]]
    })
}

proptest! {
    #[test]
    fn any_four_weights_adding_up_to_100_are_accepted([p, d, c, t] in summing_to_100()) {
        prop_assert!(input(p, d, c, t).check().is_ok());
    }

    #[test]
    fn weights_are_accepted_exactly_when_they_add_up_to_100(
        [p, d, c, t] in proptest::array::uniform4(-5_i64..=105),
    ) {
        let in_range = [p, d, c, t].iter().all(|weight| (0..=100).contains(weight));
        prop_assert_eq!(input(p, d, c, t).check().is_ok(), in_range && p + d + c + t == 100);
    }
}
