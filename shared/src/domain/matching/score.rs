//! The soft score: one value in 0–1 per factor, combined as a weighted mean and shown as 0–100.
//!
//! | factor | value |
//! |---|---|
//! | cooperation history | `(1 − 0.5^n) × q`: n contracts completed with the poster, q the poster's mean rating r as `(r − 2.5) / 2.5` clamped to 0–1 (0.4, i.e. 3.5 stars, without ratings), so work the poster rated poorly earns nothing |
//! | regional proximity | home in the demand's city 1.0, same province 0.7, elsewhere 0.4 (the candidate has declared it serves the region, so distance is a preference, not a bar) |
//! | credit | `(score − 60) / 40` clamped to 0–1, the neutral score for insufficient data, plus the AAA priority bonus |
//! | membership tier | New 0.4, Regular 0.6, Certified 0.8, VIP 1.0 |
//! | capacity headroom | r = (capacity − open contracts) / budget: below 1 → 0, then `0.5 + 0.25 (r − 1)` up to 1; 0.5 when capacity is not declared |
//! | responsiveness | `(answered + 1.4) / (received + 2)`: 0.7 for a newcomer, shrunk like a rating |
//! | price level | index p: 1.0 at or below 0.9, `1 − (p − 0.9) / 0.6` above, 0 from 1.5; 0.5 when unknown |

use serde::{Deserialize, Serialize};

use super::{CandidateProfile, Demand, MatchingConfig};
use crate::domain::credit::{CreditGrade, CreditStanding};
use crate::domain::membership::MembershipTier;
use crate::domain::region::Proximity;

/// The soft-score factors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Factor {
    /// Cooperation history with the poster (count and ratings).
    CooperationHistory,
    /// Regional proximity of the candidate's home to the demand.
    RegionalProximity,
    /// Credit score.
    Credit,
    /// Membership tier.
    MembershipTier,
    /// Free capacity relative to the demand's budget.
    CapacityHeadroom,
    /// Share of invitations answered.
    Responsiveness,
    /// Price level in the demand's category.
    PriceLevel,
}

impl Factor {
    /// Number of factors.
    pub const COUNT: usize = 7;
    /// All factors, in breakdown order.
    pub const ALL: [Self; Self::COUNT] = [
        Self::CooperationHistory,
        Self::RegionalProximity,
        Self::Credit,
        Self::MembershipTier,
        Self::CapacityHeadroom,
        Self::Responsiveness,
        Self::PriceLevel,
    ];
}

/// One factor's part of a candidate's score.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FactorScore {
    /// The factor.
    pub factor: Factor,
    /// Its value, 0–1.
    pub value: f64,
    /// Its weight.
    pub weight: f64,
    /// Points it adds to the 0–100 total.
    pub points: f64,
}

/// Factor values of one candidate, in [`Factor::ALL`] order.
pub type FactorValues = [f64; Factor::COUNT];

fn unit(value: f64) -> f64 {
    if value.is_nan() { 0.0 } else { value.clamp(0.0, 1.0) }
}

fn cooperation_history(candidate: &CandidateProfile) -> f64 {
    let history = &candidate.history_with_poster;
    let count = i32::try_from(history.completed_contracts.min(64)).unwrap_or(64);
    let familiarity = 1.0 - 0.5_f64.powi(count);
    let quality = history.mean_rating().map_or(0.4, |mean| unit((mean - 2.5) / 2.5));
    familiarity * quality
}

fn regional_proximity(candidate: &CandidateProfile, demand: &Demand) -> f64 {
    match candidate.home_region.proximity(demand.region) {
        Proximity::SameCity => 1.0,
        Proximity::SameProvince => 0.7,
        Proximity::Elsewhere => 0.4,
    }
}

/// The credit score the engine uses: the neutral prior for an organisation with too little data.
#[must_use]
pub fn effective_credit_score(candidate: &CandidateProfile, config: &MatchingConfig) -> f64 {
    match candidate.credit.standing {
        CreditStanding::InsufficientData => config.neutral_credit_score,
        CreditStanding::Rated { .. } => candidate.credit.score,
    }
}

fn credit(candidate: &CandidateProfile, config: &MatchingConfig) -> f64 {
    let base = unit((effective_credit_score(candidate, config) - 60.0) / 40.0);
    let priority = candidate.credit.standing == CreditStanding::Rated { grade: CreditGrade::Aaa };
    if priority { unit(base + config.aaa_priority_bonus) } else { base }
}

fn membership_tier(candidate: &CandidateProfile) -> f64 {
    match candidate.tier {
        MembershipTier::New => 0.4,
        MembershipTier::Regular => 0.6,
        MembershipTier::Certified => 0.8,
        MembershipTier::Vip => 1.0,
    }
}

/// Free capacity over the demand's budget; none when capacity is not declared.
#[must_use]
pub fn headroom_ratio(candidate: &CandidateProfile, demand: &Demand) -> Option<f64> {
    if candidate.capacity_fen <= 0 {
        return None;
    }
    let free = candidate.capacity_fen.saturating_sub(candidate.open_contract_value_fen).max(0);
    // Money is fen in i64; as f64 it stays exact up to 2^53 fen (about ¥90 trillion).
    #[expect(clippy::cast_precision_loss, reason = "ratios of amounts far below 2^53 fen")]
    let ratio = if demand.budget_max_fen > 0 {
        free as f64 / demand.budget_max_fen as f64
    } else if free > 0 {
        1.0
    } else {
        0.0
    };
    Some(ratio)
}

fn capacity_headroom(candidate: &CandidateProfile, demand: &Demand) -> f64 {
    match headroom_ratio(candidate, demand) {
        None => 0.5,
        Some(ratio) if ratio < 1.0 => 0.0,
        Some(ratio) => unit(0.5 + 0.25 * (ratio - 1.0)),
    }
}

/// Share of invitations answered, shrunk towards 0.7 with a weight of two invitations.
#[must_use]
pub fn responsiveness(candidate: &CandidateProfile) -> f64 {
    let invitations = candidate.invitations;
    let answered = f64::from(invitations.answered.min(invitations.received));
    unit((answered + 1.4) / (f64::from(invitations.received) + 2.0))
}

fn price_level(candidate: &CandidateProfile) -> f64 {
    candidate
        .price_index
        .filter(|index| index.is_finite())
        .map_or(0.5, |index| unit(1.0 - (index - 0.9) / 0.6))
}

/// The factor values of one candidate.
#[must_use]
pub fn factor_values(candidate: &CandidateProfile, demand: &Demand, config: &MatchingConfig) -> FactorValues {
    [
        cooperation_history(candidate),
        regional_proximity(candidate, demand),
        credit(candidate, config),
        membership_tier(candidate),
        capacity_headroom(candidate, demand),
        responsiveness(candidate),
        price_level(candidate),
    ]
}

/// The 0–100 total of factor values under normalised weights.
#[must_use]
pub fn total(values: &FactorValues, weights: &FactorValues, weight_sum: f64) -> f64 {
    let weighted: f64 = values.iter().zip(weights).map(|(value, weight)| value * weight).sum();
    100.0 * weighted / weight_sum
}

/// The per-factor breakdown (points add up to the total).
#[must_use]
pub fn breakdown(values: &FactorValues, weights: &FactorValues, weight_sum: f64) -> Vec<FactorScore> {
    Factor::ALL
        .iter()
        .zip(values.iter().zip(weights))
        .map(|(factor, (value, weight))| FactorScore {
            factor: *factor,
            value: *value,
            weight: *weight,
            points: 100.0 * value * weight / weight_sum,
        })
        .collect()
}
