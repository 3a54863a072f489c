//! The scoring sheet: a worked example, incomplete marks, the neutral credit score, full-precision
//! ranking and its tie-breaks, the award check, the CSV, and the properties "ranks are a
//! permutation" and "ranks are monotone in price".

use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;
use rstest::rstest;

use super::at;
use crate::domain::matching::{Language, MatchingConfig};
use crate::domain::tender::TenderRefusal;
use crate::domain::tender::scoring::*;
use crate::domain::tender::weights::{Criterion, EvaluationWeights};
use crate::dto::FieldIssue;
use crate::validate::Invalid;

fn weights(price: u32, duration: u32, credit: u32, technical: u32) -> EvaluationWeights {
    EvaluationWeights {
        price,
        duration,
        credit,
        technical,
        criteria: vec![
            Criterion { name: "施工方案".to_owned(), max_mark: 60 },
            Criterion { name: "项目管理".to_owned(), max_mark: 40 },
        ],
    }
}

fn submitted(minutes: i64) -> DateTime<Utc> {
    at(2025, 3, 1, 2, 0, 0) + Duration::minutes(minutes)
}

fn bid(id: &str, price_fen: i64, duration_days: u32, credit: BidderCredit, minutes: i64) -> ScoringBid {
    ScoringBid {
        bid_id: id.to_owned(),
        bidder_name: format!("{id} 建设有限公司"),
        price_fen,
        duration_days,
        submitted_at: submitted(minutes),
        credit,
    }
}

fn rated(total: f64) -> BidderCredit {
    BidderCredit::Rated { total }
}

fn marks(evaluator: &str, bid: &str, marks: [u32; 2]) -> EvaluatorMarks {
    EvaluatorMarks { evaluator_id: evaluator.to_owned(), bid_id: bid.to_owned(), marks: marks.to_vec() }
}

fn evaluators() -> Vec<String> {
    vec!["e1".to_owned(), "e2".to_owned()]
}

/// ¥1,000,000 / 100 days / credit 80; ¥900,000 / 120 days / no data; ¥1,200,000 / 90 days / 90.
fn example_bids() -> Vec<ScoringBid> {
    vec![
        bid("a", 100_000_000, 100, rated(80.0), 0),
        bid("b", 90_000_000, 120, BidderCredit::InsufficientData, 10),
        bid("c", 120_000_000, 90, rated(90.0), 20),
    ]
}

fn example_marks() -> Vec<EvaluatorMarks> {
    vec![
        marks("e1", "a", [50, 30]),
        marks("e2", "a", [40, 30]),
        marks("e1", "b", [30, 20]),
        marks("e2", "b", [40, 20]),
        marks("e1", "c", [55, 35]),
        marks("e2", "c", [50, 35]),
    ]
}

fn sheet(bids: &[ScoringBid], marks: &[EvaluatorMarks]) -> ScoringSheet {
    scoring_sheet(&weights(40, 20, 10, 30), bids, &evaluators(), marks, &MatchingConfig::default())
        .expect("computable")
}

fn example() -> ScoringSheet {
    sheet(&example_bids(), &example_marks())
}

/// Bid id, price, duration, credit, technical, total, rank.
type Scores<'a> = (&'a str, f64, f64, f64, Option<f64>, Option<f64>, Option<u32>);

#[test]
fn the_worked_example_scores_ranks_and_explains_the_neutral_credit() {
    let sheet = example();
    assert_eq!(sheet.status, SheetStatus::Complete);
    let rows: Vec<Scores<'_>> = sheet
        .rows
        .iter()
        .map(|row| {
            (
                row.bid_id.as_str(),
                row.price_score,
                row.duration_score,
                row.credit_score,
                row.technical_score,
                row.total,
                row.rank,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("c", 30.0, 20.0, 9.0, Some(26.25), Some(85.25), Some(1)),
            ("a", 36.0, 18.0, 8.0, Some(22.5), Some(84.5), Some(2)),
            ("b", 40.0, 15.0, 7.5, Some(16.5), Some(79.0), Some(3)),
        ]
    );
    assert_eq!(sheet.rows[2].credit_basis, CreditBasis::NeutralForInsufficientData);
    assert_eq!(sheet.rows[0].credit_basis, CreditBasis::Rated);
}

#[test]
fn the_neutral_credit_score_comes_from_the_matching_configuration() {
    let config = MatchingConfig { neutral_credit_score: 60.0, ..MatchingConfig::default() };
    let sheet =
        scoring_sheet(&weights(40, 20, 10, 30), &example_bids(), &evaluators(), &example_marks(), &config)
            .expect("computable");
    let row = sheet.rows.iter().find(|row| row.bid_id == "b").expect("row b");
    assert_eq!(row.credit_score, 6.0);
}

#[test]
fn until_every_evaluator_marked_every_bid_the_sheet_names_who_is_missing_and_has_no_totals() {
    let mut partial = example_marks();
    partial.retain(|entry| !(entry.evaluator_id == "e2" && entry.bid_id == "b"));
    let sheet = sheet(&example_bids(), &partial);
    assert_eq!(sheet.status, SheetStatus::AwaitingMarks { missing_evaluators: vec!["e2".to_owned()] });
    let order: Vec<&str> = sheet.rows.iter().map(|row| row.bid_id.as_str()).collect();
    assert_eq!(order, ["a", "b", "c"], "submission order until ranked");
    assert!(
        sheet
            .rows
            .iter()
            .all(|row| row.technical_score.is_none() && row.total.is_none() && row.rank.is_none())
    );
    assert_eq!(sheet.rows[0].price_score, 36.0, "the objective scores are shown already");
}

#[test]
fn technical_points_without_evaluators_leave_the_sheet_incomplete() {
    let sheet =
        scoring_sheet(&weights(40, 20, 10, 30), &example_bids(), &[], &[], &MatchingConfig::default())
            .expect("computable");
    assert_eq!(sheet.status, SheetStatus::NoEvaluators);
}

#[test]
fn without_technical_points_the_sheet_is_complete_without_marks() {
    let sheet = scoring_sheet(&weights(50, 30, 20, 0), &example_bids(), &[], &[], &MatchingConfig::default())
        .expect("computable");
    assert_eq!(sheet.status, SheetStatus::Complete);
    assert!(sheet.rows.iter().all(|row| row.technical_score == Some(0.0) && row.rank.is_some()));
}

#[test]
fn ranking_uses_full_precision_not_the_rounded_totals() {
    // a: 299999/300000 × 50 + 50 = 99.99983 → shows 100.00; b: 50 + 49.999 = 99.999 → shows 100.00.
    let bids = [bid("a", 300_000, 10, rated(100.0), 0), bid("b", 299_999, 10, rated(99.998), 0)];
    let sheet = scoring_sheet(&weights(50, 0, 50, 0), &bids, &[], &[], &MatchingConfig::default())
        .expect("computable");
    assert_eq!(sheet.rows[0].total, sheet.rows[1].total, "equal when shown");
    assert_eq!(sheet.rows[0].bid_id, "a", "the higher exact total ranks first despite the higher price");
}

#[rstest]
#[case::equal_totals_lower_price_first(
    [bid("late_cheap", 500, 10, rated(80.0), 5), bid("early_dear", 600, 10, rated(80.0), 1)],
    ["late_cheap", "early_dear"]
)]
#[case::equal_totals_and_prices_earlier_submission_first(
    [bid("late", 500, 10, rated(80.0), 5), bid("early", 500, 10, rated(80.0), 1)],
    ["early", "late"]
)]
fn ties_go_to_the_lower_price_then_the_earlier_submission(
    #[case] bids: [ScoringBid; 2],
    #[case] order: [&str; 2],
) {
    // No price points: the two totals are exactly equal.
    let sheet = scoring_sheet(&weights(0, 50, 50, 0), &bids, &[], &[], &MatchingConfig::default())
        .expect("computable");
    let ranked: Vec<&str> = sheet.rows.iter().map(|row| row.bid_id.as_str()).collect();
    assert_eq!(ranked, order);
}

#[rstest]
#[case::zero_price(vec![bid("a", 0, 10, rated(80.0), 0)], vec![], ScoringError::InvalidOffer("a".to_owned()))]
#[case::zero_duration(vec![bid("a", 10, 0, rated(80.0), 0)], vec![], ScoringError::InvalidOffer("a".to_owned()))]
#[case::marks_for_an_unknown_bid(example_bids(), vec![marks("e1", "z", [1, 1])], ScoringError::UnknownBid("z".to_owned()))]
#[case::marks_from_a_stranger(example_bids(), vec![marks("e9", "a", [1, 1])], ScoringError::UnknownEvaluator("e9".to_owned()))]
#[case::mark_above_the_maximum(example_bids(), vec![marks("e1", "a", [61, 1])], ScoringError::InvalidMarks { evaluator_id: "e1".to_owned(), bid_id: "a".to_owned() })]
#[case::marked_twice(example_bids(), vec![marks("e1", "a", [1, 1]), marks("e1", "a", [2, 2])], ScoringError::DuplicateMarks { evaluator_id: "e1".to_owned(), bid_id: "a".to_owned() })]
fn inconsistent_inputs_are_reported(
    #[case] bids: Vec<ScoringBid>,
    #[case] given: Vec<EvaluatorMarks>,
    #[case] error: ScoringError,
) {
    let result =
        scoring_sheet(&weights(40, 20, 10, 30), &bids, &evaluators(), &given, &MatchingConfig::default());
    assert_eq!(result, Err(error));
}

#[rstest]
#[case::full_marks(vec![60, 40], Ok(vec![60, 40]))]
#[case::zero_marks(vec![0, 0], Ok(vec![0, 0]))]
#[case::one_mark_missing(vec![60], Err(vec![("marks", "required")]))]
#[case::one_mark_too_many(vec![1, 2, 3], Err(vec![("marks", "too_many")]))]
#[case::above_the_maximum(vec![61, 40], Err(vec![("marks[0]", "out_of_range")]))]
#[case::negative(vec![0, -1], Err(vec![("marks[1]", "out_of_range")]))]
fn marks_lie_between_0_and_each_criterions_maximum(
    #[case] given: Vec<i64>,
    #[case] expected: Result<Vec<u32>, Vec<(&str, &str)>>,
) {
    let expected = expected.map_err(|list| {
        Invalid(list.into_iter().map(|(field, issue)| FieldIssue::new(field, issue)).collect())
    });
    assert_eq!(check_marks(&weights(40, 20, 10, 30), &given), expected);
}

#[rstest]
#[case::first_ranked_needs_no_reason("c", None, &[], Ok(true))]
#[case::second_ranked_needs_a_reason("a", None, &[], Err(TenderRefusal::AwardReason("required")))]
#[case::blank_reason_is_no_reason("a", Some("   "), &[], Err(TenderRefusal::AwardReason("required")))]
#[case::one_character_is_too_short("a", Some(" 好 "), &[], Err(TenderRefusal::AwardReason("too_short")))]
#[case::two_characters_suffice("a", Some("工期"), &[], Ok(false))]
#[case::five_hundred_characters_suffice("a", Some(&*"理".repeat(500)), &[], Ok(false))]
#[case::five_hundred_and_one_are_too_long("a", Some(&*"理".repeat(501)), &[], Err(TenderRefusal::AwardReason("too_long")))]
#[case::after_the_first_lapsed_the_second_needs_no_reason("a", None, &["c"], Ok(true))]
#[case::the_lapsed_bid_cannot_be_awarded_again("c", None, &["c"], Err(TenderRefusal::BidNotAwardable))]
#[case::a_bid_not_on_the_sheet("z", Some("理由充分"), &[], Err(TenderRefusal::BidNotOnSheet))]
fn the_award_check(
    #[case] chosen: &str,
    #[case] reason: Option<&str>,
    #[case] lapsed: &[&str],
    #[case] expected: Result<bool, TenderRefusal>,
) {
    let result = award_check(&example(), chosen, reason, lapsed).map(|choice| choice.best_ranked);
    assert_eq!(result, expected);
}

#[test]
fn the_award_check_keeps_the_trimmed_reason_and_rank_and_needs_a_complete_sheet() {
    let choice = award_check(&example(), "b", Some("  工期最短，质量可靠 "), &[]).expect("allowed");
    assert_eq!((choice.rank, choice.reason.as_deref()), (3, Some("工期最短，质量可靠")));
    let incomplete = sheet(&example_bids(), &example_marks()[..5]);
    assert_eq!(award_check(&incomplete, "c", None, &[]), Err(TenderRefusal::SheetIncomplete));
}

#[rstest]
#[case(0, "0.00")]
#[case(5, "0.05")]
#[case(123_456, "1234.56")]
#[case(-150, "-1.50")]
#[case(i64::MIN, "-92233720368547758.08")]
fn fen_print_as_yuan_with_two_decimals(#[case] fen: i64, #[case] expected: &str) {
    assert_eq!(plain_yuan(fen), expected);
}

#[test]
fn the_csv_has_a_header_and_one_quoted_row_per_bid() {
    let mut bids = example_bids();
    bids[0].bidder_name = "甲, \"乙\"\n公司".to_owned();
    bids[1].bidder_name = "=HYPERLINK(\"x\")".to_owned();
    let csv = sheet_csv(&sheet(&bids, &example_marks()), Language::En);
    let expected = "\u{feff}Rank,Bidder,Price (yuan),Duration (days),Price score,Duration score,Credit score,Technical score,Total,Credit basis\r\n\
        1,c 建设有限公司,1200000.00,90,30.00,20.00,9.00,26.25,85.25,rated\r\n\
        2,\"甲, \"\"乙\"\"\n公司\",1000000.00,100,36.00,18.00,8.00,22.50,84.50,rated\r\n\
        3,\"'=HYPERLINK(\"\"x\"\")\",900000.00,120,40.00,15.00,7.50,16.50,79.00,neutral\r\n";
    assert_eq!(csv, expected);
}

#[test]
fn an_incomplete_csv_leaves_rank_technical_score_and_total_empty() {
    let csv = sheet_csv(&sheet(&example_bids(), &[]), Language::ZhCn);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "\u{feff}排名,投标人,报价(元),工期(天),价格得分,工期得分,信用得分,技术得分,总分,信用依据"
    );
    assert_eq!(lines[1], ",a 建设有限公司,1000000.00,100,36.00,18.00,8.00,,,rated");
    assert_eq!(lines.len(), 5, "header, three rows, and the final line end");
}

fn any_bids() -> impl Strategy<Value = Vec<ScoringBid>> {
    proptest::collection::vec(
        (
            1_i64..=1_000_000_000,
            1_u32..=1000,
            prop_oneof![Just(None), (0.0..=100.0_f64).prop_map(Some)],
            0_i64..100,
        ),
        1..12,
    )
    .prop_map(|offers| {
        offers
            .into_iter()
            .enumerate()
            .map(|(i, (price, days, credit, minutes))| {
                let credit = credit.map_or(BidderCredit::InsufficientData, rated);
                bid(&format!("bid-{i}"), price, days, credit, minutes)
            })
            .collect()
    })
}

fn full_marks_for(bids: &[ScoringBid], seed: u32) -> Vec<EvaluatorMarks> {
    let mut all = Vec::new();
    for (i, scored) in (0_u32..).zip(bids) {
        for evaluator in evaluators() {
            all.push(marks(&evaluator, &scored.bid_id, [(seed + i * 7) % 61, (seed + i * 3) % 41]));
        }
    }
    all
}

proptest! {
    #[test]
    fn ranks_are_a_permutation_of_1_to_n(bids in any_bids(), seed in 0_u32..1000) {
        let sheet = sheet(&bids, &full_marks_for(&bids, seed));
        prop_assert_eq!(&sheet.status, &SheetStatus::Complete);
        let ranks: Vec<u32> = sheet.rows.iter().filter_map(|row| row.rank).collect();
        let expected: Vec<u32> = (1..=u32::try_from(bids.len()).expect("few bids")).collect();
        prop_assert_eq!(ranks, expected);
        for pair in sheet.rows.windows(2) {
            prop_assert!(pair[0].total >= pair[1].total);
        }
    }

    #[test]
    fn with_all_else_equal_ranks_follow_price(
        offers in proptest::collection::vec((1_i64..=1_000_000_000, 0_i64..100), 1..12),
        days in 1_u32..1000,
        credit in 0.0..=100.0_f64,
    ) {
        let bids: Vec<ScoringBid> = offers
            .iter()
            .enumerate()
            .map(|(i, (price, minutes))| bid(&format!("bid-{i}"), *price, days, rated(credit), *minutes))
            .collect();
        let same_marks: Vec<EvaluatorMarks> = bids
            .iter()
            .flat_map(|scored| evaluators().into_iter().map(|e| marks(&e, &scored.bid_id, [30, 20])))
            .collect();
        let sheet = sheet(&bids, &same_marks);
        for pair in sheet.rows.windows(2) {
            prop_assert!(
                (pair[0].price_fen, pair[0].submitted_at) <= (pair[1].price_fen, pair[1].submitted_at),
                "{:?} ranked above {:?}", pair[0], pair[1]
            );
        }
    }
}
