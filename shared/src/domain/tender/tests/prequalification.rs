//! The prequalification report: every item with its code and verdict, the four hard blocks, and
//! the honest "no contracts yet".

use chrono::NaiveDate;
use rstest::rstest;

use crate::domain::credit::{CreditGrade, CreditStanding};
use crate::domain::membership::MembershipTier;
use crate::domain::qualification::{
    GradeRank, HeldQualification, QualificationRequirement, RequirementCheck,
};
use crate::domain::tender::prequalification::*;
use crate::dto::VerificationStatus;

const GENERAL: &str = "construction_general_contracting";

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn cert(grade: u8, expires_on: NaiveDate) -> HeldQualification {
    HeldQualification { kind: GENERAL.to_owned(), grade: GradeRank(grade), expires_on }
}

fn requirements() -> Vec<QualificationRequirement> {
    vec![QualificationRequirement { kind: GENERAL.to_owned(), minimum_grade: GradeRank(2) }]
}

fn facts<'a>(
    requirements: &'a [QualificationRequirement],
    held: &'a [HeldQualification],
) -> PrequalificationFacts<'a> {
    PrequalificationFacts {
        verification: VerificationStatus::Verified,
        suspended: false,
        requirements,
        held,
        today: date(2025, 6, 1),
        credit: CreditStanding::Rated { grade: CreditGrade::Aa },
        tier: MembershipTier::Regular,
        contracts_completed: 4,
        on_time_milestone_rate_bp: Some(9650),
        open_disputes: 0,
    }
}

fn codes(report: &PrequalificationReport) -> Vec<(ItemCode, ItemOutcome)> {
    report.items.iter().map(|item| (item.code, item.outcome)).collect()
}

#[test]
fn a_sound_organisation_may_bid_and_every_item_is_explained() {
    let requirements = requirements();
    let held = [cert(1, date(2027, 12, 31))];
    let report = prequalify(&facts(&requirements, &held));
    assert!(report.may_bid);
    assert!(report.blocking.is_empty());
    assert_eq!(
        codes(&report),
        [
            (ItemCode::Verified, ItemOutcome::Pass),
            (ItemCode::NotSuspended, ItemOutcome::Pass),
            (ItemCode::QualificationMet, ItemOutcome::Pass),
            (ItemCode::CreditRated, ItemOutcome::Pass),
            (ItemCode::MembershipTier, ItemOutcome::Info),
            (ItemCode::PastPerformance, ItemOutcome::Info),
            (ItemCode::NoOpenDisputes, ItemOutcome::Pass),
        ]
    );
    let qualification = &report.items[2];
    assert_eq!(qualification.zh, "持有施工总承包二级及以上资质，证书有效期至2027-12-31");
    assert_eq!(
        qualification.en,
        "holds Construction general contracting at Grade 2 or above, certificate valid until 2027-12-31"
    );
    let detail = qualification.qualification.as_ref().expect("certificate detail");
    assert_eq!(detail.certificate, Some(cert(1, date(2027, 12, 31))));
    assert_eq!(report.items[3].en, "credit grade AA");
    assert_eq!(report.items[5].zh, "已完成合同4份，节点按时率96.50 %");
    assert_eq!(report.items[5].en, "4 contracts completed, on-time milestone rate 96.50 %");
}

#[rstest]
#[case::not_verified(
    |f: &mut PrequalificationFacts<'_>| f.verification = VerificationStatus::Pending,
    ItemCode::NotVerified,
    BlockingReason::NotVerified
)]
#[case::suspended(|f: &mut PrequalificationFacts<'_>| f.suspended = true, ItemCode::Suspended, BlockingReason::Suspended)]
#[case::grade_c(
    |f: &mut PrequalificationFacts<'_>| f.credit = CreditStanding::Rated { grade: CreditGrade::C },
    ItemCode::CreditGradeC,
    BlockingReason::CreditGradeC
)]
fn hard_blocks_stop_the_bid(
    #[case] change: fn(&mut PrequalificationFacts<'_>),
    #[case] failed: ItemCode,
    #[case] reason: BlockingReason,
) {
    let requirements = requirements();
    let held = [cert(1, date(2027, 12, 31))];
    let mut given = facts(&requirements, &held);
    change(&mut given);
    let report = prequalify(&given);
    assert!(!report.may_bid);
    assert_eq!(report.blocking, [reason]);
    let item = report.items.iter().find(|item| item.code == failed).expect("failed item");
    assert_eq!(item.outcome, ItemOutcome::Fail);
}

#[rstest]
#[case::missing(vec![], ItemCode::QualificationMissing, "未持有施工总承包资质（要求二级及以上）", None)]
#[case::expired(
    vec![cert(1, date(2025, 5, 31))],
    ItemCode::QualificationExpired,
    "施工总承包二级资质证书已于2025-05-31过期",
    Some(cert(1, date(2025, 5, 31)))
)]
#[case::below_grade(
    vec![cert(3, date(2027, 1, 1))],
    ItemCode::QualificationBelowGrade,
    "持有施工总承包三级资质，低于要求的二级",
    Some(cert(3, date(2027, 1, 1)))
)]
fn a_failed_required_qualification_blocks_and_says_why(
    #[case] held: Vec<HeldQualification>,
    #[case] code: ItemCode,
    #[case] zh: &str,
    #[case] certificate: Option<HeldQualification>,
) {
    let requirements = requirements();
    let report = prequalify(&facts(&requirements, &held));
    assert!(!report.may_bid);
    assert_eq!(report.blocking, [BlockingReason::QualificationFailed { kind: GENERAL.to_owned() }]);
    let item = &report.items[2];
    assert_eq!((item.code, item.outcome, item.zh.as_str()), (code, ItemOutcome::Fail, zh));
    assert_eq!(item.qualification.as_ref().and_then(|detail| detail.certificate.clone()), certificate);
}

#[test]
fn the_valid_certificate_expiring_last_is_shown_and_a_certificate_is_valid_on_its_last_day() {
    let requirements = requirements();
    let held = [cert(2, date(2025, 6, 1)), cert(0, date(2026, 1, 1)), cert(1, date(2024, 1, 1))];
    let report = prequalify(&facts(&requirements, &held));
    let detail = report.items[2].qualification.as_ref().expect("detail");
    assert_eq!(detail.check, RequirementCheck::Met);
    assert_eq!(detail.certificate, Some(cert(0, date(2026, 1, 1))));
}

#[test]
fn every_blocking_reason_is_listed_in_item_order() {
    let requirements = requirements();
    let mut given = facts(&requirements, &[]);
    given.verification = VerificationStatus::Unverified;
    given.suspended = true;
    given.credit = CreditStanding::Rated { grade: CreditGrade::C };
    let report = prequalify(&given);
    assert_eq!(
        report.blocking,
        [
            BlockingReason::NotVerified,
            BlockingReason::Suspended,
            BlockingReason::QualificationFailed { kind: GENERAL.to_owned() },
            BlockingReason::CreditGradeC,
        ]
    );
}

#[test]
fn newcomers_are_shown_honestly_and_may_bid() {
    let mut given = facts(&[], &[]);
    given.credit = CreditStanding::InsufficientData;
    given.tier = MembershipTier::New;
    given.contracts_completed = 0;
    given.on_time_milestone_rate_bp = None;
    let report = prequalify(&given);
    assert!(report.may_bid);
    let info: Vec<(ItemCode, &str)> = report
        .items
        .iter()
        .filter(|item| item.outcome == ItemOutcome::Info)
        .map(|item| (item.code, item.en.as_str()))
        .collect();
    assert_eq!(
        info,
        [
            (ItemCode::CreditInsufficientData, "too little platform data for a credit grade yet (may bid)"),
            (ItemCode::MembershipTier, "membership tier: New"),
            (ItemCode::NoContractsYet, "no contracts completed on the platform yet"),
        ]
    );
}

#[rstest]
#[case::no_milestone_due_yet(2, None, 0, "2 contracts completed, no milestone due yet", "no open disputes")]
#[case::one_open_dispute(
    1,
    Some(10_000),
    1,
    "1 contract completed, on-time milestone rate 100.00 %",
    "1 open dispute"
)]
#[case::open_disputes_never_block(
    3,
    Some(5),
    4,
    "3 contracts completed, on-time milestone rate 0.05 %",
    "4 open disputes"
)]
fn past_performance_and_disputes_are_information(
    #[case] contracts: u32,
    #[case] rate: Option<u32>,
    #[case] disputes: u32,
    #[case] performance: &str,
    #[case] dispute_text: &str,
) {
    let mut given = facts(&[], &[]);
    given.contracts_completed = contracts;
    given.on_time_milestone_rate_bp = rate;
    given.open_disputes = disputes;
    let report = prequalify(&given);
    assert!(report.may_bid);
    let texts: Vec<&str> = report.items.iter().rev().take(2).map(|item| item.en.as_str()).collect();
    assert_eq!(texts, [dispute_text, performance]);
}

#[test]
fn an_unknown_qualification_type_is_named_by_its_code() {
    let requirements = [QualificationRequirement { kind: "made_up".to_owned(), minimum_grade: GradeRank(1) }];
    let report = prequalify(&facts(&requirements, &[]));
    assert_eq!(report.items[2].en, "holds no made_up qualification (grade 2 or above required)");
}

#[test]
fn the_report_serialises_with_snake_case_codes() {
    let report = prequalify(&facts(&[], &[]));
    let json = serde_json::to_value(&report).expect("serialises");
    assert_eq!(json["items"][0]["code"], "verified");
    assert_eq!(json["items"][0]["outcome"], "pass");
    let blocked = prequalify(&PrequalificationFacts { suspended: true, ..facts(&[], &[]) });
    assert_eq!(serde_json::to_value(&blocked.blocking).expect("serialises")[0]["reason"], "suspended");
}
