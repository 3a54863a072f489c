//! Scoring of the five dimensions from their indicators. Each indicator scores 0–100; a
//! dimension is the weighted mean of the indicators that have data (weights below, in percent).
//!
//! | dimension | indicator | weight | 100 points when | 0 points when |
//! |---|---|---|---|---|
//! | performance | completion rate | 40 | all completed | none completed |
//! | performance | on-time milestone rate | 35 | all on time | none on time |
//! | performance | first-time acceptance rate | 25 | all first time | none |
//! | transaction | cooperations | 30 | ≥ 20 (logarithmic) | 0 |
//! | transaction | payment timeliness | 40 | all on time | none on time |
//! | transaction | dispute rate | 30 | no dispute lost | ≥ 1 lost per 5 contracts |
//! | reputation | Bayesian mean rating | 100 | 5.0 | 1.0 |
//! | qualification | best valid grade | 70 | rank 0 (特级/甲级); rank 1: 85, 2: 70, 3: 55, lower: 40 | only expired certificates |
//! | qualification | certificate validity | 30 | all valid | none valid |
//! | social | tax compliance | 40 | compliant | not compliant |
//! | social | wage payment | 40 | no arrears case | 2 or more cases (−50 each) |
//! | social | safety record | 20 | no incident | 4 or more incidents (−25 each) |

use super::indicators::{
    PerformanceRecord, QualificationRecord, RatingRecord, SocialResponsibilityRecord, TransactionRecord,
};
use super::rating::bayesian_mean;
use super::{Indicator, IndicatorScore, Observation};

/// Cooperations at which the volume indicator reaches 100.
const FULL_COOPERATIONS: f64 = 20.0;
/// Lost disputes per contract at which the dispute indicator reaches 0.
const DISPUTE_RATE_AT_ZERO: f64 = 0.2;

fn rate(indicator: Indicator, weight_percent: u8, numerator: u32, denominator: u32) -> IndicatorScore {
    let score = (denominator > 0).then(|| 100.0 * (f64::from(numerator) / f64::from(denominator)).min(1.0));
    IndicatorScore {
        indicator,
        weight_percent,
        observation: Observation::Rate { numerator, denominator },
        score,
        source: None,
    }
}

/// Performance: completion, on-time milestones, first-time acceptance.
pub fn performance(record: &PerformanceRecord) -> Vec<IndicatorScore> {
    vec![
        rate(
            Indicator::CompletionRate,
            40,
            record.contracts_completed,
            record.contracts_completed.saturating_add(record.contracts_terminated),
        ),
        rate(Indicator::OnTimeMilestoneRate, 35, record.milestones_on_time, record.milestones_due),
        rate(
            Indicator::FirstTimeAcceptanceRate,
            25,
            record.acceptances_first_time,
            record.acceptances_decided,
        ),
    ]
}

/// Transaction history: volume of cooperation, payment timeliness, disputes lost per contract.
pub fn transactions(record: &TransactionRecord) -> Vec<IndicatorScore> {
    let volume =
        100.0 * ((1.0 + f64::from(record.cooperations)).ln() / (1.0 + FULL_COOPERATIONS).ln()).min(1.0);
    let contracts = record.cooperations.max(record.disputes_lost);
    let dispute_score = (contracts > 0).then(|| {
        let lost_per_contract = f64::from(record.disputes_lost) / f64::from(contracts);
        100.0 * (1.0 - lost_per_contract / DISPUTE_RATE_AT_ZERO).max(0.0)
    });
    vec![
        IndicatorScore {
            indicator: Indicator::Cooperations,
            weight_percent: 30,
            observation: Observation::Count { value: record.cooperations },
            score: Some(volume),
            source: None,
        },
        rate(Indicator::PaymentTimeliness, 40, record.payments_on_time, record.payments_due),
        IndicatorScore {
            indicator: Indicator::DisputeRate,
            weight_percent: 30,
            observation: Observation::Rate { numerator: record.disputes_lost, denominator: contracts },
            score: dispute_score,
            source: None,
        },
    ]
}

/// Reputation: the Bayesian mean of peer ratings, mapped from 1–5 to 0–100. With no ratings it
/// is the platform mean, which is a score but not the organisation's own data.
pub fn reputation(
    record: &RatingRecord,
    platform_mean: f64,
    prior_weight: f64,
) -> (Vec<IndicatorScore>, bool) {
    let shrunk_mean = bayesian_mean(record.count, record.sum, platform_mean, prior_weight);
    let mean = (record.count > 0).then(|| record.sum / f64::from(record.count));
    let indicator = IndicatorScore {
        indicator: Indicator::PeerRating,
        weight_percent: 100,
        observation: Observation::Rating { count: record.count, mean, shrunk_mean },
        score: Some((25.0 * (shrunk_mean - 1.0)).clamp(0.0, 100.0)),
        source: None,
    };
    (vec![indicator], record.count > 0)
}

/// Qualification: best valid grade and the share of certificates still valid. An organisation
/// holding no certificate at all (e.g. a material supplier) has no data here.
pub fn qualification(record: &QualificationRecord) -> Vec<IndicatorScore> {
    let grade_score = (record.certificates_held > 0).then_some(match record.best_valid_grade {
        Some(grade) => match grade.0 {
            0 => 100.0,
            1 => 85.0,
            2 => 70.0,
            3 => 55.0,
            _ => 40.0,
        },
        None => 0.0,
    });
    vec![
        IndicatorScore {
            indicator: Indicator::BestQualificationGrade,
            weight_percent: 70,
            observation: Observation::Grade { best_valid: record.best_valid_grade },
            score: grade_score,
            source: None,
        },
        rate(Indicator::CertificateValidity, 30, record.certificates_valid, record.certificates_held),
    ]
}

/// Social responsibility: tax compliance, wage payment, safety, each with its staff source.
pub fn social_responsibility(record: &SocialResponsibilityRecord) -> Vec<IndicatorScore> {
    let tax = record.tax_compliant.as_ref();
    let wages = record.wage_arrears_cases.as_ref();
    let safety = record.safety_incidents.as_ref();
    vec![
        IndicatorScore {
            indicator: Indicator::TaxCompliance,
            weight_percent: 40,
            observation: tax.map_or(Observation::NotRecorded, |finding| Observation::Compliance {
                compliant: finding.value,
            }),
            score: tax.map(|finding| if finding.value { 100.0 } else { 0.0 }),
            source: tax.map(|finding| finding.source.clone()),
        },
        IndicatorScore {
            indicator: Indicator::WagePayment,
            weight_percent: 40,
            observation: wages
                .map_or(Observation::NotRecorded, |finding| Observation::Count { value: finding.value }),
            score: wages.map(|finding| (100.0 - 50.0 * f64::from(finding.value)).max(0.0)),
            source: wages.map(|finding| finding.source.clone()),
        },
        IndicatorScore {
            indicator: Indicator::SafetyRecord,
            weight_percent: 20,
            observation: safety
                .map_or(Observation::NotRecorded, |finding| Observation::Count { value: finding.value }),
            score: safety.map(|finding| (100.0 - 25.0 * f64::from(finding.value)).max(0.0)),
            source: safety.map(|finding| finding.source.clone()),
        },
    ]
}

/// Weighted mean of the indicators that have a score; none when none has.
pub fn combine(indicators: &[IndicatorScore]) -> Option<f64> {
    let (weighted, weights) = indicators
        .iter()
        .filter_map(|indicator| {
            indicator.score.map(|score| {
                (score * f64::from(indicator.weight_percent), f64::from(indicator.weight_percent))
            })
        })
        .fold((0.0, 0.0), |(sum, total), (value, weight)| (sum + value, total + weight));
    (weights > 0.0).then(|| weighted / weights)
}
