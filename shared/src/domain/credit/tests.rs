//! Tests of the credit model: numbers per rule, explanations, overrides and monotonicity.

use super::*;
use proptest::prelude::*;
use rstest::rstest;

fn finding<T>(value: T) -> Option<StaffFinding<T>> {
    Some(StaffFinding { value, source: "住建局公示 2024-06".to_owned() })
}

fn exemplary() -> CreditRecord {
    CreditRecord {
        performance: PerformanceRecord {
            contracts_completed: 20,
            contracts_terminated: 0,
            milestones_on_time: 60,
            milestones_due: 60,
            acceptances_first_time: 60,
            acceptances_decided: 60,
        },
        transactions: TransactionRecord {
            cooperations: 20,
            payments_on_time: 40,
            payments_due: 40,
            disputes_lost: 0,
        },
        reputation: RatingRecord { count: 100, sum: 500.0 },
        qualification: QualificationRecord {
            best_valid_grade: Some(GradeRank(0)),
            certificates_held: 2,
            certificates_valid: 2,
        },
        social_responsibility: SocialResponsibilityRecord {
            tax_compliant: finding(true),
            wage_arrears_cases: finding(0),
            safety_incidents: finding(0),
        },
    }
}

fn assessed(record: &CreditRecord) -> CreditAssessment {
    assess(record, &CreditConfig::default()).expect("default config is valid")
}

fn dimension(assessment: &CreditAssessment, which: CreditDimension) -> &DimensionScore {
    assessment
        .dimensions
        .iter()
        .find(|dimension| dimension.dimension == which)
        .expect("all five dimensions are present")
}

#[test]
fn default_weights_are_30_25_20_15_10() {
    let weights = CreditWeights::default();
    assert_eq!(
        [
            weights.performance,
            weights.transaction,
            weights.reputation,
            weights.qualification,
            weights.social_responsibility
        ],
        [30, 25, 20, 15, 10]
    );
    assert_eq!(CreditConfig::default().validate(), Ok(()));
}

#[test]
fn an_exemplary_record_is_aaa_with_the_weighted_total() {
    let assessment = assessed(&exemplary());
    // Reputation: (5 × 4.0 + 500) / 105 = 4.9524 → 98.81; the other four dimensions are 100.
    assert!((dimension(&assessment, CreditDimension::Reputation).score - 98.81).abs() < 1e-9);
    assert!((assessment.total - 99.76).abs() < 1e-9);
    assert_eq!(assessment.standing, CreditStanding::Rated { grade: CreditGrade::Aaa });
    assert!(assessment.privileges.matching_priority);
}

#[rstest]
#[case::no_cooperation(0, CreditStanding::InsufficientData)]
#[case::two_cooperations(2, CreditStanding::InsufficientData)]
#[case::third_cooperation_earns_a_grade(3, CreditStanding::Rated { grade: CreditGrade::Aaa })]
fn too_few_cooperations_is_insufficient_data(#[case] cooperations: u32, #[case] expected: CreditStanding) {
    let record = CreditRecord {
        transactions: TransactionRecord { cooperations, ..TransactionRecord::default() },
        ..exemplary()
    };
    let assessment = assessed(&record);
    assert_eq!(assessment.standing, expected);
    assert!(assessment.privileges.may_bid);
}

#[test]
fn a_newcomer_gets_neutral_dimensions_and_the_platform_mean_rating() {
    let assessment = assessed(&CreditRecord::default());
    assert_eq!(assessment.standing, CreditStanding::InsufficientData);
    let performance = dimension(&assessment, CreditDimension::Performance);
    assert!(!performance.from_own_data);
    assert!((performance.score - 60.0).abs() < 1e-9);
    let reputation = dimension(&assessment, CreditDimension::Reputation);
    assert!(!reputation.from_own_data);
    assert!((reputation.score - 75.0).abs() < 1e-9, "platform mean 4.0 maps to 75");
}

#[test]
fn missing_indicators_are_left_out_of_their_dimension() {
    let record = CreditRecord {
        performance: PerformanceRecord {
            contracts_completed: 3,
            contracts_terminated: 1,
            ..PerformanceRecord::default()
        },
        ..CreditRecord::default()
    };
    let performance = dimension(&assessed(&record), CreditDimension::Performance).clone();
    assert!(performance.from_own_data);
    assert!((performance.score - 75.0).abs() < 1e-9, "only the completion rate counts");
    assert_eq!(performance.indicators[1].score, None);
}

#[rstest]
#[case::one_lost_in_ten_halves_the_indicator(10, 1, 50.0)]
#[case::one_lost_in_five_is_zero(5, 1, 0.0)]
#[case::none_lost_is_full(5, 0, 100.0)]
fn dispute_rate_indicator(#[case] cooperations: u32, #[case] lost: u32, #[case] expected: f64) {
    let record = CreditRecord {
        transactions: TransactionRecord { cooperations, disputes_lost: lost, ..TransactionRecord::default() },
        ..CreditRecord::default()
    };
    let transaction = dimension(&assessed(&record), CreditDimension::Transaction).clone();
    let dispute = transaction
        .indicators
        .iter()
        .find(|indicator| indicator.indicator == Indicator::DisputeRate)
        .expect("dispute indicator shown");
    assert_eq!(dispute.score, Some(expected));
}

#[test]
fn staff_findings_show_their_source() {
    let assessment = assessed(&exemplary());
    let social = dimension(&assessment, CreditDimension::SocialResponsibility);
    assert!(
        social.indicators.iter().all(|indicator| indicator.source.as_deref() == Some("住建局公示 2024-06"))
    );
}

#[test]
fn wage_arrears_weigh_heavily_on_social_responsibility() {
    let record = CreditRecord {
        social_responsibility: SocialResponsibilityRecord {
            wage_arrears_cases: finding(1),
            ..exemplary().social_responsibility
        },
        ..exemplary()
    };
    let social = dimension(&assessed(&record), CreditDimension::SocialResponsibility).clone();
    assert!((social.score - 80.0).abs() < 1e-9);
}

#[rstest]
#[case::weights_not_100(CreditConfig { weights: CreditWeights { performance: 31, ..CreditWeights::default() }, ..CreditConfig::default() })]
#[case::mean_off_the_scale(CreditConfig { platform_mean_rating: 6.0, ..CreditConfig::default() })]
#[case::negative_prior(CreditConfig { rating_prior_weight: -1.0, ..CreditConfig::default() })]
#[case::neutral_above_100(CreditConfig { neutral_dimension_score: 101.0, ..CreditConfig::default() })]
fn invalid_configuration_is_rejected(#[case] config: CreditConfig) {
    let error = assess(&exemplary(), &config).expect_err("invalid config");
    assert_eq!(error.code(), "credit_config_invalid");
}

#[test]
fn custom_weights_change_the_total() {
    let config = CreditConfig {
        weights: CreditWeights {
            performance: 0,
            transaction: 0,
            reputation: 100,
            qualification: 0,
            social_responsibility: 0,
        },
        ..CreditConfig::default()
    };
    let assessment = assess(&exemplary(), &config).expect("valid");
    assert!((assessment.total - 98.81).abs() < 1e-9);
}

fn override_to(grade: CreditGrade, reason: &str, requested: &str, approved: &str) -> GradeOverride {
    GradeOverride {
        grade,
        reason: reason.to_owned(),
        requested_by: requested.to_owned(),
        approved_by: approved.to_owned(),
    }
}

#[test]
fn an_override_carries_its_reason_and_keeps_the_computed_grade() {
    let computed = assessed(&exemplary());
    let reviewed = computed
        .clone()
        .with_override(override_to(CreditGrade::B, "法院失信被执行人名单", "r1", "r2"))
        .expect("dual-controlled override");
    assert_eq!(reviewed.standing, CreditStanding::Rated { grade: CreditGrade::B });
    assert!(!reviewed.privileges.matching_priority);
    let record = reviewed.manual_override.expect("override recorded");
    assert_eq!(record.computed, computed.standing);
    assert_eq!(record.applied.reason, "法院失信被执行人名单");
    assert_eq!(reviewed.total, computed.total);
}

#[rstest]
#[case::blank_reason(override_to(CreditGrade::B, "  ", "r1", "r2"), "credit_override_reason_required")]
#[case::same_reviewer(
    override_to(CreditGrade::B, "reason", "r1", "r1"),
    "credit_override_second_reviewer_required"
)]
fn an_override_needs_a_reason_and_a_second_reviewer(#[case] applied: GradeOverride, #[case] code: &str) {
    let error = assessed(&exemplary()).with_override(applied).expect_err("rejected");
    assert_eq!(error.code(), code);
}

#[test]
fn assessing_many_keeps_input_order() {
    let records = [exemplary(), CreditRecord::default()];
    let assessments = assess_all(&records, &CreditConfig::default()).expect("valid");
    assert_eq!(assessments.len(), 2);
    assert_eq!(assessments[0], assessed(&records[0]));
    assert_eq!(assessments[1], assessed(&records[1]));
}

fn any_record() -> impl Strategy<Value = CreditRecord> {
    let pair = || (0_u32..50, 0_u32..50).prop_map(|(a, b)| (a.min(b), a.max(b)));
    let performance = (0_u32..30, 0_u32..10, pair(), pair()).prop_map(
        |(completed, terminated, (on_time, due), (first, decided))| PerformanceRecord {
            contracts_completed: completed,
            contracts_terminated: terminated,
            milestones_on_time: on_time,
            milestones_due: due,
            acceptances_first_time: first,
            acceptances_decided: decided,
        },
    );
    let transactions = (0_u32..40, pair(), 0_u32..6).prop_map(|(cooperations, (paid, due), lost)| {
        TransactionRecord { cooperations, payments_on_time: paid, payments_due: due, disputes_lost: lost }
    });
    let reputation = (0_u32..30, 0.0_f64..=1.0)
        .prop_map(|(count, position)| RatingRecord { count, sum: f64::from(count) * (1.0 + 4.0 * position) });
    let qualification =
        (prop::option::of(0_u8..5), pair()).prop_map(|(grade, (valid, held))| QualificationRecord {
            best_valid_grade: grade.filter(|_| valid > 0).map(GradeRank),
            certificates_held: held,
            certificates_valid: valid,
        });
    let social = (prop::option::of(any::<bool>()), prop::option::of(0_u32..4), prop::option::of(0_u32..6))
        .prop_map(|(tax, wages, safety)| SocialResponsibilityRecord {
            tax_compliant: tax.and_then(finding),
            wage_arrears_cases: wages.and_then(finding),
            safety_incidents: safety.and_then(finding),
        });
    (performance, transactions, reputation, qualification, social).prop_map(
        |(performance, transactions, reputation, qualification, social_responsibility)| CreditRecord {
            performance,
            transactions,
            reputation,
            qualification,
            social_responsibility,
        },
    )
}

/// Makes one indicator better (or leaves the record alone when it is already at its best).
fn improve(record: &CreditRecord, which: u8) -> CreditRecord {
    let mut better = record.clone();
    let performance = &mut better.performance;
    let transactions = &mut better.transactions;
    let social = &mut better.social_responsibility;
    match which {
        0 => performance.contracts_completed += 1,
        1 => performance.contracts_terminated = performance.contracts_terminated.saturating_sub(1),
        2 if performance.milestones_on_time < performance.milestones_due => {
            performance.milestones_on_time += 1;
        }
        3 if performance.acceptances_first_time < performance.acceptances_decided => {
            performance.acceptances_first_time += 1;
        }
        4 => transactions.cooperations += 1,
        5 if transactions.payments_on_time < transactions.payments_due => {
            transactions.payments_on_time += 1;
        }
        6 => transactions.disputes_lost = transactions.disputes_lost.saturating_sub(1),
        7 => {
            let reputation = &mut better.reputation;
            reputation.sum = (reputation.sum + 0.5).min(5.0 * f64::from(reputation.count));
        }
        8 => {
            let qualification = &mut better.qualification;
            if qualification.certificates_valid > 0 {
                qualification.best_valid_grade = Some(GradeRank(
                    qualification.best_valid_grade.map_or(4, |grade| grade.0.saturating_sub(1)),
                ));
            }
        }
        9 => {
            let qualification = &mut better.qualification;
            if qualification.certificates_valid < qualification.certificates_held {
                qualification.certificates_valid += 1;
            }
        }
        10 => {
            if let Some(tax) = social.tax_compliant.as_mut() {
                tax.value = true;
            }
        }
        11 => {
            if let Some(wages) = social.wage_arrears_cases.as_mut() {
                wages.value = wages.value.saturating_sub(1);
            }
        }
        _ => {
            if let Some(safety) = social.safety_incidents.as_mut() {
                safety.value = safety.value.saturating_sub(1);
            }
        }
    }
    better
}

proptest! {
    #[test]
    fn the_total_is_monotone_in_every_indicator(record in any_record(), which in 0_u8..13) {
        let before = assessed(&record);
        let after = assessed(&improve(&record, which));
        prop_assert!(after.total >= before.total, "{} < {}", after.total, before.total);
        if let (Some(old), Some(new)) = (before.standing.grade(), after.standing.grade()) {
            prop_assert!(new >= old);
        }
    }

    #[test]
    fn every_score_lies_between_0_and_100(record in any_record()) {
        let assessment = assessed(&record);
        prop_assert!((0.0..=100.0).contains(&assessment.total));
        for dimension in &assessment.dimensions {
            prop_assert!((0.0..=100.0).contains(&dimension.score));
        }
    }
}

#[test]
fn configured_weights_are_five_whole_percentages_that_add_up_to_100() {
    assert_eq!(CreditWeights::parse("30,25,20,15,10"), Ok(CreditWeights::default()));
    assert_eq!(CreditWeights::parse(" 40, 20,20,10 ,10").map(|w| w.performance), Ok(40));
    assert_eq!(CreditWeights::parse("30,25,20,15,11"), Err(CreditError::WeightsDoNotSumTo100(101)));
    assert_eq!(CreditWeights::parse("30,25,20,25"), Err(CreditError::MalformedWeights));
    assert_eq!(CreditWeights::parse("a,b,c,d,e"), Err(CreditError::MalformedWeights));
    assert_eq!(CreditWeights::parse("30,25,20,15,101"), Err(CreditError::MalformedWeights));
}
