//! Tiered membership (四级用户分级): New → Regular after 3 completed transactions → Certified when
//! the transaction volume of the last 12 months exceeds ¥5,000,000 → VIP when the credit score is
//! at least 90. Each tier requires the conditions of the tiers below it.
//!
//! Promotion takes effect as soon as the conditions hold ([`on_activity`], called whenever a
//! transaction completes or a credit score changes). The quarterly review ([`quarterly_review`])
//! re-checks every tier: two consecutive quarters without a transaction demote one tier; otherwise
//! a tier whose condition no longer holds drops one tier, and conditions met but not yet applied
//! promote. A review never moves an organisation down more than one tier.

use serde::{Deserialize, Serialize};

mod standing;

pub use standing::{
    Requirement, TierStanding, TierTrigger, evaluate, next_quarterly_run, next_tier, quarter_start,
    review_quarters, volume_window_start,
};

crate::stored_enum! {
    /// The four membership tiers, lowest first.
    #[derive(PartialOrd, Ord)]
    pub enum MembershipTier in "organisations.membership_tier" {
        /// 新用户.
        New = "new",
        /// 普通用户.
        Regular = "regular",
        /// 认证用户: demands publish without platform review.
        Certified = "certified",
        /// VIP用户: a named platform advisor and priority matching.
        Vip = "vip",
    }
}

impl MembershipTier {
    /// The tier one below (New stays New).
    #[must_use]
    pub const fn one_below(self) -> Self {
        match self {
            Self::New | Self::Regular => Self::New,
            Self::Certified => Self::Regular,
            Self::Vip => Self::Certified,
        }
    }

    /// Certified and VIP publish demands without platform review.
    #[must_use]
    pub const fn publishes_without_review(self) -> bool {
        matches!(self, Self::Certified | Self::Vip)
    }

    /// VIP members get a named platform advisor.
    #[must_use]
    pub const fn has_named_advisor(self) -> bool {
        matches!(self, Self::Vip)
    }

    /// VIP members get priority in matching.
    #[must_use]
    pub const fn has_matching_priority(self) -> bool {
        matches!(self, Self::Vip)
    }
}

/// Thresholds of the tiers.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TierThresholds {
    /// Completed transactions for Regular (default 3).
    pub regular_completed_transactions: u32,
    /// Volume of the last 12 months, in fen, that must be *exceeded* for Certified
    /// (default 500,000,000 fen = ¥5,000,000).
    pub certified_volume_above_fen: i64,
    /// Credit score at or above which a Certified member becomes VIP (default 90).
    pub vip_credit_score: f64,
}

impl Default for TierThresholds {
    fn default() -> Self {
        Self {
            regular_completed_transactions: 3,
            certified_volume_above_fen: 500_000_000,
            vip_credit_score: 90.0,
        }
    }
}

/// The facts about an organisation that the tiers depend on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MembershipFacts {
    /// Transactions completed on the platform, ever.
    pub completed_transactions: u32,
    /// Transaction volume of the last 12 months, in fen.
    pub volume_last_12_months_fen: i64,
    /// Current credit total; none while the credit standing is "insufficient data".
    pub credit_score: Option<f64>,
}

/// Transactions in the two most recent complete quarters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuarterActivity {
    /// Transactions in the quarter just ended.
    pub last_quarter: u32,
    /// Transactions in the quarter before it.
    pub quarter_before: u32,
}

/// Why a tier was given or kept.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum TierReason {
    /// Enough completed transactions for Regular.
    CompletedTransactions {
        /// Completed so far.
        completed: u32,
        /// Required.
        required: u32,
    },
    /// Volume of the last 12 months above the Certified threshold.
    VolumeExceeded {
        /// Volume, fen.
        volume_fen: i64,
        /// Threshold, fen.
        threshold_fen: i64,
    },
    /// Credit score at or above the VIP threshold.
    CreditScoreReached {
        /// Score.
        score: f64,
        /// Threshold.
        threshold: f64,
    },
    /// Two consecutive quarters without a transaction.
    TwoQuartersWithoutTransaction,
    /// The condition of the current tier no longer holds.
    ConditionNoLongerHeld {
        /// The tier whose condition failed.
        tier: MembershipTier,
    },
    /// Nothing changed.
    ConditionsUnchanged,
}

/// Which way a decision moved the tier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TierChange {
    /// Moved up.
    Promoted,
    /// Moved down.
    Demoted,
    /// Stayed.
    Unchanged,
}

/// The outcome of a tier evaluation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TierDecision {
    /// The tier before.
    pub previous: MembershipTier,
    /// The tier now in force.
    pub tier: MembershipTier,
    /// Up, down or unchanged.
    pub change: TierChange,
    /// Why: for a promotion, the condition of each tier gained.
    pub reasons: Vec<TierReason>,
}

impl TierDecision {
    fn new(previous: MembershipTier, tier: MembershipTier, reasons: Vec<TierReason>) -> Self {
        let change = match tier.cmp(&previous) {
            std::cmp::Ordering::Greater => TierChange::Promoted,
            std::cmp::Ordering::Less => TierChange::Demoted,
            std::cmp::Ordering::Equal => TierChange::Unchanged,
        };
        Self { previous, tier, change, reasons }
    }
}

/// The highest tier whose conditions (and those of every tier below) hold, with the reason for
/// each tier above New.
#[must_use]
pub fn qualified_tier(
    facts: &MembershipFacts,
    thresholds: &TierThresholds,
) -> (MembershipTier, Vec<TierReason>) {
    let mut reasons = Vec::new();
    if facts.completed_transactions < thresholds.regular_completed_transactions {
        return (MembershipTier::New, reasons);
    }
    reasons.push(TierReason::CompletedTransactions {
        completed: facts.completed_transactions,
        required: thresholds.regular_completed_transactions,
    });
    if facts.volume_last_12_months_fen <= thresholds.certified_volume_above_fen {
        return (MembershipTier::Regular, reasons);
    }
    reasons.push(TierReason::VolumeExceeded {
        volume_fen: facts.volume_last_12_months_fen,
        threshold_fen: thresholds.certified_volume_above_fen,
    });
    match facts.credit_score {
        Some(score) if score >= thresholds.vip_credit_score => {
            reasons.push(TierReason::CreditScoreReached { score, threshold: thresholds.vip_credit_score });
            (MembershipTier::Vip, reasons)
        }
        _ => (MembershipTier::Certified, reasons),
    }
}

/// Promotes as soon as the conditions hold; never demotes (that is the quarterly review's job).
#[must_use]
pub fn on_activity(
    current: MembershipTier,
    facts: &MembershipFacts,
    thresholds: &TierThresholds,
) -> TierDecision {
    let (qualified, reasons) = qualified_tier(facts, thresholds);
    if qualified > current {
        let gained = reasons.into_iter().skip(tier_index(current)).collect();
        TierDecision::new(current, qualified, gained)
    } else {
        TierDecision::new(current, current, vec![TierReason::ConditionsUnchanged])
    }
}

/// The quarterly re-check of one organisation's tier.
#[must_use]
pub fn quarterly_review(
    current: MembershipTier,
    facts: &MembershipFacts,
    activity: &QuarterActivity,
    thresholds: &TierThresholds,
) -> TierDecision {
    if activity.last_quarter == 0 && activity.quarter_before == 0 && current > MembershipTier::New {
        return TierDecision::new(
            current,
            current.one_below(),
            vec![TierReason::TwoQuartersWithoutTransaction],
        );
    }
    let (qualified, _) = qualified_tier(facts, thresholds);
    if qualified < current {
        TierDecision::new(
            current,
            current.one_below(),
            vec![TierReason::ConditionNoLongerHeld { tier: current }],
        )
    } else {
        on_activity(current, facts, thresholds)
    }
}

const fn tier_index(tier: MembershipTier) -> usize {
    match tier {
        MembershipTier::New => 0,
        MembershipTier::Regular => 1,
        MembershipTier::Certified => 2,
        MembershipTier::Vip => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rstest::rstest;

    const YUAN: i64 = 100;

    fn facts(completed: u32, volume_fen: i64, credit: Option<f64>) -> MembershipFacts {
        MembershipFacts {
            completed_transactions: completed,
            volume_last_12_months_fen: volume_fen,
            credit_score: credit,
        }
    }

    fn active() -> QuarterActivity {
        QuarterActivity { last_quarter: 1, quarter_before: 1 }
    }

    #[rstest]
    #[case::second_completed_transaction_stays_new(facts(2, 0, None), MembershipTier::New)]
    #[case::third_completed_transaction_promotes(facts(3, 0, None), MembershipTier::Regular)]
    #[case::exactly_five_million_is_not_above(facts(3, 5_000_000 * YUAN, Some(95.0)), MembershipTier::Regular)]
    #[case::one_fen_above_five_million_certifies(facts(3, 5_000_000 * YUAN + 1, None), MembershipTier::Certified)]
    #[case::credit_89_99_stays_certified(facts(3, 6_000_000 * YUAN, Some(89.99)), MembershipTier::Certified)]
    #[case::credit_90_is_vip(facts(3, 6_000_000 * YUAN, Some(90.0)), MembershipTier::Vip)]
    #[case::volume_without_three_transactions_stays_new(facts(2, 9_000_000 * YUAN, Some(99.0)), MembershipTier::New)]
    fn promotion_takes_effect_as_soon_as_the_condition_holds(
        #[case] facts: MembershipFacts,
        #[case] expected: MembershipTier,
    ) {
        let decision = on_activity(MembershipTier::New, &facts, &TierThresholds::default());
        assert_eq!(decision.tier, expected);
        let expected_change =
            if expected == MembershipTier::New { TierChange::Unchanged } else { TierChange::Promoted };
        assert_eq!(decision.change, expected_change);
    }

    #[test]
    fn a_jump_of_several_tiers_gives_each_reason() {
        let decision = on_activity(
            MembershipTier::Regular,
            &facts(10, 8_000_000 * YUAN, Some(92.5)),
            &TierThresholds::default(),
        );
        assert_eq!(decision.tier, MembershipTier::Vip);
        assert_eq!(
            decision.reasons,
            vec![
                TierReason::VolumeExceeded { volume_fen: 800_000_000, threshold_fen: 500_000_000 },
                TierReason::CreditScoreReached { score: 92.5, threshold: 90.0 },
            ]
        );
    }

    #[test]
    fn activity_never_demotes() {
        let decision = on_activity(MembershipTier::Vip, &facts(0, 0, None), &TierThresholds::default());
        assert_eq!(decision.tier, MembershipTier::Vip);
        assert_eq!(decision.change, TierChange::Unchanged);
    }

    #[rstest]
    #[case::one_empty_quarter_keeps_the_tier(1, 0, MembershipTier::Certified)]
    #[case::the_quarter_before_empty_keeps_the_tier(0, 1, MembershipTier::Certified)]
    #[case::the_second_empty_quarter_demotes_one_tier(0, 0, MembershipTier::Regular)]
    fn two_consecutive_empty_quarters_demote(
        #[case] last_quarter: u32,
        #[case] quarter_before: u32,
        #[case] expected: MembershipTier,
    ) {
        let decision = quarterly_review(
            MembershipTier::Certified,
            &facts(12, 6_000_000 * YUAN, Some(85.0)),
            &QuarterActivity { last_quarter, quarter_before },
            &TierThresholds::default(),
        );
        assert_eq!(decision.tier, expected);
    }

    #[test]
    fn a_new_member_without_transactions_stays_new() {
        let decision = quarterly_review(
            MembershipTier::New,
            &facts(0, 0, None),
            &QuarterActivity::default(),
            &TierThresholds::default(),
        );
        assert_eq!(decision.tier, MembershipTier::New);
        assert_eq!(decision.change, TierChange::Unchanged);
    }

    #[test]
    fn a_vip_whose_credit_fell_below_90_drops_to_certified_at_review() {
        let decision = quarterly_review(
            MembershipTier::Vip,
            &facts(20, 9_000_000 * YUAN, Some(86.0)),
            &active(),
            &TierThresholds::default(),
        );
        assert_eq!(decision.tier, MembershipTier::Certified);
        assert_eq!(decision.reasons, vec![TierReason::ConditionNoLongerHeld { tier: MembershipTier::Vip }]);
    }

    #[test]
    fn a_review_promotes_when_conditions_hold() {
        let decision = quarterly_review(
            MembershipTier::Regular,
            &facts(20, 9_000_000 * YUAN, Some(80.0)),
            &active(),
            &TierThresholds::default(),
        );
        assert_eq!(decision.tier, MembershipTier::Certified);
        assert_eq!(decision.change, TierChange::Promoted);
    }

    #[test]
    fn tier_privileges() {
        assert!(!MembershipTier::Regular.publishes_without_review());
        assert!(MembershipTier::Certified.publishes_without_review());
        assert!(MembershipTier::Vip.has_named_advisor() && MembershipTier::Vip.has_matching_priority());
        assert!(!MembershipTier::Certified.has_named_advisor());
    }

    fn any_tier() -> impl Strategy<Value = MembershipTier> {
        prop_oneof![
            Just(MembershipTier::New),
            Just(MembershipTier::Regular),
            Just(MembershipTier::Certified),
            Just(MembershipTier::Vip),
        ]
    }

    fn any_facts() -> impl Strategy<Value = MembershipFacts> {
        (0_u32..8, 0_i64..1_000_000_000, prop::option::of(50.0_f64..100.0))
            .prop_map(|(completed, volume, credit)| facts(completed, volume, credit))
    }

    proptest! {
        #[test]
        fn a_review_moves_down_at_most_one_tier(
            tier in any_tier(),
            facts in any_facts(),
            last in 0_u32..3,
            before in 0_u32..3,
        ) {
            let activity = QuarterActivity { last_quarter: last, quarter_before: before };
            let decision = quarterly_review(tier, &facts, &activity, &TierThresholds::default());
            prop_assert!(decision.tier >= tier.one_below());
        }

        #[test]
        fn activity_reaches_the_qualified_tier_or_stays_higher(tier in any_tier(), facts in any_facts()) {
            let thresholds = TierThresholds::default();
            let decision = on_activity(tier, &facts, &thresholds);
            prop_assert_eq!(decision.tier, tier.max(qualified_tier(&facts, &thresholds).0));
        }
    }
}
