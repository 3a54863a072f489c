//! An organisation's membership as stored — its tier and whether an inactivity demotion holds —
//! and the one function every trigger goes through ([`evaluate`]), the quarterly schedule, and
//! what the next tier needs ([`next_tier`]).
//!
//! A demotion for two quarters without a transaction *holds* until the organisation's next
//! transaction: until then a credit change or a review does not promote it back (conditions
//! met on paper — say, volume still inside the 12-month window — are not activity).

use chrono::{DateTime, Datelike, Months, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use super::{
    MembershipFacts, MembershipTier, QuarterActivity, TierChange, TierDecision, TierReason, TierThresholds,
    on_activity, quarterly_review,
};
use crate::domain::calendar::shanghai::{SHANGHAI, business_date};

/// The stored membership of an organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierStanding {
    /// The tier in force.
    pub tier: MembershipTier,
    /// An inactivity demotion holds until the next transaction.
    pub held: bool,
}

/// What asks for an evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TierTrigger {
    /// A contract of the organisation was fully settled (a transaction).
    Transaction,
    /// The organisation's published credit score changed.
    CreditChange,
    /// The quarterly review, with the transactions of the two quarters before it.
    QuarterlyReview(QuarterActivity),
}

/// The standing after `trigger` and the decision to record (a change is recorded and notified;
/// [`TierChange::Unchanged`] is not).
#[must_use]
pub fn evaluate(
    standing: TierStanding,
    facts: &MembershipFacts,
    trigger: TierTrigger,
    thresholds: &TierThresholds,
) -> (TierStanding, TierDecision) {
    let unchanged = |standing: TierStanding| {
        let decision = TierDecision::new(standing.tier, standing.tier, vec![TierReason::ConditionsUnchanged]);
        (standing, decision)
    };
    match trigger {
        TierTrigger::Transaction => {
            let decision = on_activity(standing.tier, facts, thresholds);
            (TierStanding { tier: decision.tier, held: false }, decision)
        }
        TierTrigger::CreditChange if standing.held => unchanged(standing),
        TierTrigger::CreditChange => {
            let decision = on_activity(standing.tier, facts, thresholds);
            (TierStanding { tier: decision.tier, held: false }, decision)
        }
        TierTrigger::QuarterlyReview(activity) => {
            let decision = quarterly_review(standing.tier, facts, &activity, thresholds);
            match decision.change {
                TierChange::Promoted if standing.held => unchanged(standing),
                TierChange::Demoted => {
                    let inactive = decision.reasons.contains(&TierReason::TwoQuartersWithoutTransaction);
                    (TierStanding { tier: decision.tier, held: standing.held || inactive }, decision)
                }
                _ => (TierStanding { tier: decision.tier, held: standing.held }, decision),
            }
        }
    }
}

/// The first day of the quarter `date` is in.
#[must_use]
pub fn quarter_start(date: NaiveDate) -> NaiveDate {
    let month = (date.month0() / 3) * 3 + 1;
    NaiveDate::from_ymd_opt(date.year(), month, 1).unwrap_or(date)
}

/// The two most recent complete quarters before `today` (Asia/Shanghai dates, half-open
/// `[start, end)`): the quarter just ended, then the one before it.
#[must_use]
pub fn review_quarters(today: NaiveDate) -> [(NaiveDate, NaiveDate); 2] {
    let this = quarter_start(today);
    let back = |d: NaiveDate| d.checked_sub_months(Months::new(3)).unwrap_or(d);
    let last = back(this);
    let before = back(last);
    [(last, this), (before, last)]
}

/// The first quarterly review strictly after `instant`: the next 1st of January, April, July or
/// October at 01:00 Asia/Shanghai (half an hour after that day's monthly credit run, so the
/// review reads the new scores).
#[must_use]
pub fn next_quarterly_run(instant: DateTime<Utc>) -> DateTime<Utc> {
    let at = |date: NaiveDate| {
        date.and_time(NaiveTime::from_hms_opt(1, 0, 0).unwrap_or_default())
            .and_local_timezone(SHANGHAI)
            .single()
            .map_or(instant, |local| local.with_timezone(&Utc))
    };
    let this = quarter_start(business_date(instant));
    if at(this) > instant {
        return at(this);
    }
    this.checked_add_months(Months::new(3)).map_or(instant, at)
}

/// The start of the 12-month volume window ending `today` (the same day a year earlier; a
/// contract settled on it counts).
#[must_use]
pub fn volume_window_start(today: NaiveDate) -> NaiveDate {
    today.checked_sub_months(Months::new(12)).unwrap_or(today)
}

/// One condition of the next tier, with where the organisation stands.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Requirement {
    /// Completed transactions (Regular).
    CompletedTransactions {
        /// So far.
        current: u32,
        /// Needed.
        required: u32,
    },
    /// Settled volume of the last 12 months must exceed the threshold (Certified).
    VolumeAbove {
        /// Volume, fen.
        current_fen: i64,
        /// Must be exceeded, fen.
        threshold_fen: i64,
    },
    /// Credit score at least (VIP).
    CreditScore {
        /// Current score; none while the credit has too little data.
        current: Option<f64>,
        /// Needed.
        required: f64,
    },
    /// A demotion for inactivity holds until the next transaction.
    NextTransaction,
}

impl Requirement {
    /// Whether the condition holds now.
    #[must_use]
    pub fn met(&self) -> bool {
        match *self {
            Self::CompletedTransactions { current, required } => current >= required,
            Self::VolumeAbove { current_fen, threshold_fen } => current_fen > threshold_fen,
            Self::CreditScore { current, required } => current.is_some_and(|s| s >= required),
            Self::NextTransaction => false,
        }
    }

    /// How far along, 0–1 (for a progress bar).
    #[must_use]
    pub fn progress(&self) -> f64 {
        let ratio = |current: f64, required: f64| {
            if required <= 0.0 { 1.0 } else { (current / required).clamp(0.0, 1.0) }
        };
        match *self {
            Self::CompletedTransactions { current, required } => {
                ratio(f64::from(current), f64::from(required))
            }
            #[allow(clippy::cast_precision_loss)]
            Self::VolumeAbove { current_fen, threshold_fen } if current_fen <= threshold_fen => {
                ratio(current_fen as f64, threshold_fen as f64)
            }
            Self::VolumeAbove { .. } => 1.0,
            Self::CreditScore { current, required } => ratio(current.unwrap_or(0.0), required),
            Self::NextTransaction => 0.0,
        }
    }
}

/// The tier above `standing` and every condition it needs (each tier needs those of the tiers
/// below, so all are listed); none at VIP.
#[must_use]
pub fn next_tier(
    standing: TierStanding,
    facts: &MembershipFacts,
    thresholds: &TierThresholds,
) -> Option<(MembershipTier, Vec<Requirement>)> {
    let next = match standing.tier {
        MembershipTier::New => MembershipTier::Regular,
        MembershipTier::Regular => MembershipTier::Certified,
        MembershipTier::Certified => MembershipTier::Vip,
        MembershipTier::Vip => return None,
    };
    let mut needs = Vec::new();
    if standing.held {
        needs.push(Requirement::NextTransaction);
    }
    needs.push(Requirement::CompletedTransactions {
        current: facts.completed_transactions,
        required: thresholds.regular_completed_transactions,
    });
    if next >= MembershipTier::Certified {
        needs.push(Requirement::VolumeAbove {
            current_fen: facts.volume_last_12_months_fen,
            threshold_fen: thresholds.certified_volume_above_fen,
        });
    }
    if next == MembershipTier::Vip {
        needs.push(Requirement::CreditScore {
            current: facts.credit_score,
            required: thresholds.vip_credit_score,
        });
    }
    Some((next, needs))
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: TierThresholds = TierThresholds {
        regular_completed_transactions: 3,
        certified_volume_above_fen: 500_000_000,
        vip_credit_score: 90.0,
    };

    fn facts(completed: u32, volume_fen: i64, credit: Option<f64>) -> MembershipFacts {
        MembershipFacts {
            completed_transactions: completed,
            volume_last_12_months_fen: volume_fen,
            credit_score: credit,
        }
    }

    fn standing(tier: MembershipTier, held: bool) -> TierStanding {
        TierStanding { tier, held }
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().expect("instant")
    }

    const IDLE: QuarterActivity = QuarterActivity { last_quarter: 0, quarter_before: 0 };

    #[test]
    fn an_inactivity_demotion_holds_against_a_credit_change_until_the_next_transaction() {
        let rich = facts(12, 900_000_000, Some(95.0));
        let (held, decision) =
            evaluate(standing(MembershipTier::Vip, false), &rich, TierTrigger::QuarterlyReview(IDLE), &T);
        assert_eq!((held, decision.change), (standing(MembershipTier::Certified, true), TierChange::Demoted));
        assert_eq!(decision.reasons, vec![TierReason::TwoQuartersWithoutTransaction]);

        let (after_credit, decision) = evaluate(held, &rich, TierTrigger::CreditChange, &T);
        assert_eq!((after_credit, decision.change), (held, TierChange::Unchanged), "a credit change alone");

        let (reviewed, _) = evaluate(held, &rich, TierTrigger::QuarterlyReview(IDLE), &T);
        assert_eq!(reviewed, standing(MembershipTier::Regular, true), "still idle: one more tier down");

        let (back, decision) = evaluate(reviewed, &rich, TierTrigger::Transaction, &T);
        assert_eq!((back, decision.change), (standing(MembershipTier::Vip, false), TierChange::Promoted));
    }

    #[test]
    fn a_held_standing_is_not_promoted_by_a_review_but_may_still_drop_a_tier_whose_condition_failed() {
        let some = QuarterActivity { last_quarter: 0, quarter_before: 1 };
        let (kept, decision) = evaluate(
            standing(MembershipTier::Regular, true),
            &facts(9, 900_000_000, None),
            TierTrigger::QuarterlyReview(some),
            &T,
        );
        assert_eq!((kept, decision.change), (standing(MembershipTier::Regular, true), TierChange::Unchanged));
        let (dropped, decision) = evaluate(
            standing(MembershipTier::Vip, false),
            &facts(9, 900_000_000, Some(80.0)),
            TierTrigger::QuarterlyReview(some),
            &T,
        );
        assert_eq!(dropped, standing(MembershipTier::Certified, false), "a failed condition does not hold");
        assert_eq!(decision.reasons, vec![TierReason::ConditionNoLongerHeld { tier: MembershipTier::Vip }]);
    }

    #[test]
    fn the_third_transaction_promotes_at_once_and_a_credit_change_can_make_a_vip() {
        let (s, d) = evaluate(
            standing(MembershipTier::New, false),
            &facts(3, 10_000, None),
            TierTrigger::Transaction,
            &T,
        );
        assert_eq!((s.tier, d.change), (MembershipTier::Regular, TierChange::Promoted));
        let (s, d) = evaluate(
            standing(MembershipTier::Certified, false),
            &facts(5, 600_000_000, Some(90.0)),
            TierTrigger::CreditChange,
            &T,
        );
        assert_eq!((s.tier, d.change), (MembershipTier::Vip, TierChange::Promoted));
    }

    #[test]
    fn quarters_are_calendar_quarters_and_the_review_looks_at_the_two_before() {
        assert_eq!(quarter_start(date("2026-05-17")), date("2026-04-01"));
        assert_eq!(quarter_start(date("2026-12-31")), date("2026-10-01"));
        assert_eq!(
            review_quarters(date("2026-01-01")),
            [(date("2025-10-01"), date("2026-01-01")), (date("2025-07-01"), date("2025-10-01"))]
        );
        assert_eq!(volume_window_start(date("2026-02-28")), date("2025-02-28"));
    }

    #[test]
    fn the_review_is_due_on_the_first_day_of_a_quarter_at_one_in_the_morning_shanghai() {
        assert_eq!(next_quarterly_run(utc("2026-12-07T08:00:00Z")), utc("2026-12-31T17:00:00Z"));
        assert_eq!(next_quarterly_run(utc("2026-12-31T16:59:59Z")), utc("2026-12-31T17:00:00Z"));
        assert_eq!(next_quarterly_run(utc("2026-12-31T17:00:00Z")), utc("2027-03-31T17:00:00Z"));
        assert_eq!(next_quarterly_run(utc("2026-03-31T16:10:00Z")), utc("2026-03-31T17:00:00Z"));
    }

    #[test]
    fn the_next_tier_lists_every_condition_with_progress() {
        let (next, needs) =
            next_tier(standing(MembershipTier::New, false), &facts(2, 0, None), &T).expect("next");
        assert_eq!(next, MembershipTier::Regular);
        assert_eq!(needs, vec![Requirement::CompletedTransactions { current: 2, required: 3 }]);
        assert!(!needs[0].met() && (needs[0].progress() - 2.0 / 3.0).abs() < 1e-9);

        let (next, needs) =
            next_tier(standing(MembershipTier::Certified, true), &facts(7, 600_000_000, Some(85.0)), &T)
                .expect("next");
        assert_eq!(next, MembershipTier::Vip);
        assert_eq!(needs[0], Requirement::NextTransaction);
        assert_eq!(needs.iter().map(Requirement::met).collect::<Vec<_>>(), [false, true, true, false]);
        assert!((needs[3].progress() - 85.0 / 90.0).abs() < 1e-9);
        assert!(!Requirement::VolumeAbove { current_fen: 500_000_000, threshold_fen: 500_000_000 }.met());
        assert!(next_tier(standing(MembershipTier::Vip, false), &facts(9, 0, None), &T).is_none());
    }
}
