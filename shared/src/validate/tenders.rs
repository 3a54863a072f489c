//! Checks of the tendering requests: opening a tender and submitting or revising a bid. The
//! evaluators' marks are checked by `domain::tender::scoring::check_marks` against the tender's
//! criteria; the award by `domain::tender::scoring::award_check` against the scoring sheet.

use chrono::{DateTime, Duration, Utc};

use super::{Check, Checks, Invalid, MAX_AMOUNT_FEN};
use crate::domain::tender::weights::EvaluationWeights;
use crate::dto::{BidRequest, FieldIssue, OpenTenderRequest};

/// Shortest time between opening a tender and its deadline.
pub const MIN_BIDDING_PERIOD: Duration = Duration::hours(1);
/// Longest bidding period, in days.
pub const MAX_BIDDING_DAYS: i64 = 180;
/// Most evaluators on one tender.
pub const MAX_EVALUATORS: usize = 10;
/// Technical proposal length, in characters.
pub const PROPOSAL_CHARS: (usize, usize) = (10, 20_000);
/// Longest offered duration, in days.
pub const MAX_DURATION_DAYS: i64 = 3650;
/// Bid validity, in days.
pub const VALIDITY_DAYS: std::ops::RangeInclusive<i64> = 30..=365;

/// A checked tender opening.
#[derive(Debug, Clone, PartialEq)]
pub struct TenderOpening {
    /// When bidding closes.
    pub bidding_closes_at: DateTime<Utc>,
    /// Open tender or invited only.
    pub open_to_all: bool,
    /// The checked weights.
    pub weights: EvaluationWeights,
    /// The evaluators' user ids (trimmed, no repeats); membership is checked by the API.
    pub evaluators: Vec<String>,
}

impl OpenTenderRequest {
    /// Checks the request at `now`: `bidding_closes_at` `too_soon` (less than an hour away) or
    /// `too_late` (more than 180 days away); the weights' issues under `weights.` (see
    /// [`crate::domain::tender::weights::WeightsInput`]); `evaluators` `required` when the
    /// technical weight has points and nobody is named, `too_many` above 10,
    /// `evaluators[i]` `required` (blank) or `duplicate`.
    ///
    /// # Errors
    /// Every field issue.
    pub fn check_at(&self, now: DateTime<Utc>) -> Result<TenderOpening, Invalid> {
        let mut checks = Checks::default();
        if self.bidding_closes_at < now + MIN_BIDDING_PERIOD {
            checks.issue("bidding_closes_at", "too_soon");
        } else if self.bidding_closes_at > now + Duration::days(MAX_BIDDING_DAYS) {
            checks.issue("bidding_closes_at", "too_late");
        }
        let weights = match self.weights.check() {
            Ok(weights) => Some(weights),
            Err(Invalid(issues)) => {
                for FieldIssue { field, issue } in issues {
                    checks.issue(&format!("weights.{field}"), &issue);
                }
                None
            }
        };
        if self.evaluators.is_empty() && self.weights.technical > 0 {
            checks.issue("evaluators", "required");
        } else if self.evaluators.len() > MAX_EVALUATORS {
            checks.issue("evaluators", "too_many");
        }
        let mut evaluators: Vec<String> = Vec::with_capacity(self.evaluators.len());
        for (i, id) in self.evaluators.iter().enumerate() {
            let id = id.trim();
            if id.is_empty() {
                checks.issue(&format!("evaluators[{i}]"), "required");
            } else if evaluators.iter().any(|earlier| earlier == id) {
                checks.issue(&format!("evaluators[{i}]"), "duplicate");
            } else {
                evaluators.push(id.to_owned());
            }
        }
        checks.finish()?;
        // `finish` passed, so the weights had no issue.
        let weights = weights.ok_or_else(|| Invalid(Vec::new()))?;
        Ok(TenderOpening {
            bidding_closes_at: self.bidding_closes_at,
            open_to_all: self.open_to_all,
            weights,
            evaluators,
        })
    }
}

/// A checked offer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Offer {
    /// Price in fen.
    pub price_fen: i64,
    /// Duration in days.
    pub duration_days: i64,
    /// Technical proposal (trimmed).
    pub proposal: String,
    /// Validity in days.
    pub validity_days: i64,
}

impl Check for BidRequest {
    type Valid = Offer;

    /// `price_fen` `out_of_range` unless 1 fen to ¥100 billion; `duration_days` `out_of_range`
    /// outside 1–3650; `proposal` `required`, `too_short` (under 10 characters) or `too_long`
    /// (over 20000); `validity_days` `out_of_range` outside 30–365.
    fn check(&self) -> Result<Offer, Invalid> {
        let mut checks = Checks::default();
        checks.within("price_fen", self.price_fen, 1..=MAX_AMOUNT_FEN);
        checks.within("duration_days", self.duration_days, 1..=MAX_DURATION_DAYS);
        let proposal = checks.text("proposal", &self.proposal, PROPOSAL_CHARS.0, PROPOSAL_CHARS.1);
        checks.within("validity_days", self.validity_days, VALIDITY_DAYS);
        checks.done(Offer {
            price_fen: self.price_fen,
            duration_days: self.duration_days,
            proposal,
            validity_days: self.validity_days,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::{CriterionInput, WeightsInput};

    fn codes(result: Result<impl std::fmt::Debug, Invalid>) -> Vec<(String, String)> {
        result.expect_err("invalid").0.into_iter().map(|i| (i.field, i.issue)).collect()
    }

    fn opening(closes_in: Duration, technical: i64, evaluators: &[&str]) -> OpenTenderRequest {
        OpenTenderRequest {
            bidding_closes_at: now() + closes_in,
            open_to_all: false,
            weights: WeightsInput {
                price: 100 - technical,
                duration: 0,
                credit: 0,
                technical,
                criteria: if technical > 0 {
                    vec![CriterionInput { name: "施工方案".into(), max_mark: 10 }]
                } else {
                    Vec::new()
                },
            },
            evaluators: evaluators.iter().map(|e| (*e).to_owned()).collect(),
        }
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-07T02:00:00Z").expect("time").with_timezone(&Utc)
    }

    #[test]
    fn a_sound_opening_passes_with_trimmed_unique_evaluators() {
        let checked = opening(Duration::days(7), 30, &[" u1 ", "u2"]).check_at(now()).expect("valid");
        assert_eq!(checked.evaluators, vec!["u1".to_owned(), "u2".to_owned()]);
        assert_eq!(checked.weights.technical, 30);
    }

    #[test]
    fn the_deadline_must_be_an_hour_to_180_days_away() {
        let soon = opening(Duration::minutes(59), 0, &[]).check_at(now());
        assert_eq!(codes(soon), vec![("bidding_closes_at".into(), "too_soon".into())]);
        let late = opening(Duration::days(181), 0, &[]).check_at(now());
        assert_eq!(codes(late), vec![("bidding_closes_at".into(), "too_late".into())]);
        assert!(opening(Duration::hours(1), 0, &[]).check_at(now()).is_ok());
    }

    #[test]
    fn weight_issues_are_nested_and_evaluators_are_required_for_technical_points() {
        let mut request = opening(Duration::days(3), 30, &["u1", "u1", " "]);
        request.weights.price = 71;
        assert_eq!(
            codes(request.check_at(now())),
            vec![
                ("weights.weights".into(), "sum_not_100".into()),
                ("evaluators[1]".into(), "duplicate".into()),
                ("evaluators[2]".into(), "required".into()),
            ]
        );
        let nobody = opening(Duration::days(3), 30, &[]).check_at(now());
        assert_eq!(codes(nobody), vec![("evaluators".into(), "required".into())]);
        let eleven: Vec<String> = (0..11).map(|i| format!("u{i}")).collect();
        let refs: Vec<&str> = eleven.iter().map(String::as_str).collect();
        let crowd = opening(Duration::days(3), 30, &refs).check_at(now());
        assert_eq!(codes(crowd), vec![("evaluators".into(), "too_many".into())]);
    }

    #[test]
    fn offers_are_checked_field_by_field() {
        let good = BidRequest {
            price_fen: 1,
            duration_days: 1,
            proposal: "  十个字符的技术方案说明  ".into(),
            validity_days: 30,
        };
        assert_eq!(good.check().expect("valid").proposal, "十个字符的技术方案说明");
        let bad = BidRequest { price_fen: 0, duration_days: 3651, proposal: "短".into(), validity_days: 29 };
        assert_eq!(
            codes(bad.check()),
            vec![
                ("price_fen".into(), "out_of_range".into()),
                ("duration_days".into(), "out_of_range".into()),
                ("proposal".into(), "too_short".into()),
                ("validity_days".into(), "out_of_range".into()),
            ]
        );
        let huge = BidRequest { price_fen: MAX_AMOUNT_FEN + 1, ..good };
        assert_eq!(codes(huge.check()), vec![("price_fen".into(), "out_of_range".into())]);
    }
}
