//! Configuration of the matching engine: one weight per soft factor and the few constants that
//! shape the factors, each with its documented default.

use serde::{Deserialize, Serialize};

use super::{Factor, MatchingError};

/// Weight of each soft factor. Weights are relative (the total score is normalised by their sum)
/// and must be finite and non-negative with a positive sum. Defaults add up to 1.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MatchingWeights {
    /// Cooperation history with the poster (default 0.20).
    pub cooperation_history: f64,
    /// Regional proximity (default 0.10).
    pub regional_proximity: f64,
    /// Credit score (default 0.25).
    pub credit: f64,
    /// Membership tier (default 0.05).
    pub membership_tier: f64,
    /// Capacity headroom (default 0.20).
    pub capacity_headroom: f64,
    /// Responsiveness to invitations (default 0.10).
    pub responsiveness: f64,
    /// Price level in the category (default 0.10).
    pub price_level: f64,
}

impl Default for MatchingWeights {
    fn default() -> Self {
        Self {
            cooperation_history: 0.20,
            regional_proximity: 0.10,
            credit: 0.25,
            membership_tier: 0.05,
            capacity_headroom: 0.20,
            responsiveness: 0.10,
            price_level: 0.10,
        }
    }
}

impl MatchingWeights {
    /// The weight of one factor.
    #[must_use]
    pub const fn of(&self, factor: Factor) -> f64 {
        match factor {
            Factor::CooperationHistory => self.cooperation_history,
            Factor::RegionalProximity => self.regional_proximity,
            Factor::Credit => self.credit,
            Factor::MembershipTier => self.membership_tier,
            Factor::CapacityHeadroom => self.capacity_headroom,
            Factor::Responsiveness => self.responsiveness,
            Factor::PriceLevel => self.price_level,
        }
    }

    /// The weights in [`Factor::ALL`] order.
    #[must_use]
    pub fn as_array(&self) -> [f64; Factor::COUNT] {
        Factor::ALL.map(|factor| self.of(factor))
    }
}

/// Parameters of the matching engine.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MatchingConfig {
    /// Soft-factor weights.
    pub weights: MatchingWeights,
    /// How many organisations to recommend at most (default 5).
    pub max_recommendations: usize,
    /// Below this many qualified candidates the poster is told why others were excluded
    /// (default 3).
    pub min_recommendations: usize,
    /// Credit score assumed for an organisation with insufficient data: neutral, below rated AA
    /// (default 75).
    pub neutral_credit_score: f64,
    /// Added to the credit factor (capped at 1) of an AAA organisation: its matching priority
    /// (default 0.10).
    pub aaa_priority_bonus: f64,
}

impl Default for MatchingConfig {
    fn default() -> Self {
        Self {
            weights: MatchingWeights::default(),
            max_recommendations: 5,
            min_recommendations: 3,
            neutral_credit_score: 75.0,
            aaa_priority_bonus: 0.10,
        }
    }
}

impl MatchingConfig {
    /// Checks the configuration.
    ///
    /// # Errors
    /// [`MatchingError::InvalidConfig`] naming the problem.
    pub fn validate(&self) -> Result<(), MatchingError> {
        let weights = self.weights.as_array();
        if weights.iter().any(|weight| !weight.is_finite() || *weight < 0.0) {
            return Err(MatchingError::InvalidConfig("weights must be finite and non-negative"));
        }
        if weights.iter().sum::<f64>() <= 0.0 {
            return Err(MatchingError::InvalidConfig("weights must not all be zero"));
        }
        if self.max_recommendations == 0 || self.min_recommendations > self.max_recommendations {
            return Err(MatchingError::InvalidConfig(
                "max_recommendations must be positive and at least min_recommendations",
            ));
        }
        if !(0.0..=100.0).contains(&self.neutral_credit_score) {
            return Err(MatchingError::InvalidConfig("the neutral credit score must lie between 0 and 100"));
        }
        if !(0.0..=1.0).contains(&self.aaa_priority_bonus) {
            return Err(MatchingError::InvalidConfig("the AAA priority bonus must lie between 0 and 1"));
        }
        Ok(())
    }
}
