//! The matching engine (智能匹配): for a published demand, recommend the best 3–5 organisations
//! from a candidate set, each with a per-factor score breakdown and a human-readable reason.
//!
//! 1. Hard constraints ([`constraints`]) filter the candidates; they are never violated, and the
//!    outcome counts how many candidates each constraint excluded.
//! 2. Every feasible candidate gets a soft score ([`score`]): a weighted mean of seven factors,
//!    with weights from [`MatchingConfig`].
//! 3. The best `max_recommendations` (default 5) are returned — all of them when fewer qualify —
//!    ordered by score, ties broken by organisation id, so the same input (in any order) gives
//!    the same output.
//!
//! [`explain_candidate`] answers "why was X not recommended" for one organisation.
//! Selection keeps only a bounded top list while scanning, so a call is a single pass over the
//! candidates without sorting or allocating per candidate.

mod config;
pub mod constraints;
mod explain;
mod profile;
mod reason;
pub mod score;

use std::cmp::Ordering;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use config::{MatchingConfig, MatchingWeights};
pub use constraints::{ConstraintExclusions, ConstraintViolation, HardConstraint};
pub use explain::{CandidateExplanation, FactorGap, explain_candidate};
pub use profile::{
    CandidateCredit, CandidateProfile, CooperationHistory, Demand, InvitationRecord, LiveFacts, price_levels,
};
pub use reason::{Language, MatchHighlight, describe_highlights};
pub use score::{Factor, FactorScore};

use crate::domain::calendar::shanghai::business_date;
use score::FactorValues;

/// What went wrong in a matching request.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum MatchingError {
    /// The configuration is invalid.
    #[error("invalid matching configuration: {0}")]
    InvalidConfig(&'static str),
    /// The organisation asked about is not in the candidate set.
    #[error("organisation {0} is not among the candidates")]
    UnknownCandidate(String),
}

impl MatchingError {
    /// Stable snake_case code for API error envelopes.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::InvalidConfig(_) => "matching_config_invalid",
            Self::UnknownCandidate(_) => "matching_unknown_candidate",
        }
    }
}

/// One recommended organisation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// 1 for the best.
    pub rank: usize,
    /// The organisation.
    pub org_id: String,
    /// Total score 0–100.
    pub score: f64,
    /// Points per factor; they add up to `score`.
    pub breakdown: Vec<FactorScore>,
    /// What stands out, structured (render with [`describe_highlights`] in another language).
    pub highlights: Vec<MatchHighlight>,
    /// The highlights as one sentence in Simplified Chinese.
    pub reason: String,
}

/// The engine's answer for one demand.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MatchOutcome {
    /// The demand matched.
    pub demand_id: String,
    /// Recommended organisations, best first.
    pub recommendations: Vec<Recommendation>,
    /// Candidates looked at.
    pub candidates_considered: usize,
    /// Candidates that met every hard constraint.
    pub qualified: usize,
    /// True when fewer than `min_recommendations` qualified: tell the poster the exclusions.
    pub fewer_than_minimum: bool,
    /// How many candidates each hard constraint excluded.
    pub exclusions: Vec<ConstraintExclusions>,
}

/// Precomputed, validated parameters of one request.
struct Scoring<'a> {
    demand: &'a Demand,
    config: &'a MatchingConfig,
    weights: FactorValues,
    weight_sum: f64,
    today: chrono::NaiveDate,
}

impl<'a> Scoring<'a> {
    fn new(
        demand: &'a Demand,
        config: &'a MatchingConfig,
        now: DateTime<Utc>,
    ) -> Result<Self, MatchingError> {
        config.validate()?;
        let weights = config.weights.as_array();
        Ok(Self { demand, config, weights, weight_sum: weights.iter().sum(), today: business_date(now) })
    }

    fn values(&self, candidate: &CandidateProfile) -> FactorValues {
        score::factor_values(candidate, self.demand, self.config)
    }

    fn total(&self, candidate: &CandidateProfile) -> f64 {
        score::total(&self.values(candidate), &self.weights, self.weight_sum)
    }

    fn recommendation(&self, rank: usize, candidate: &CandidateProfile) -> Recommendation {
        let values = self.values(candidate);
        let highlights = reason::highlights(candidate, self.demand, &values, &self.weights);
        Recommendation {
            rank,
            org_id: candidate.org_id.clone(),
            score: score::total(&values, &self.weights, self.weight_sum),
            breakdown: score::breakdown(&values, &self.weights, self.weight_sum),
            reason: describe_highlights(&highlights, Language::ZhCn),
            highlights,
        }
    }
}

/// Whether `(score_a, id_a)` ranks before `(score_b, id_b)`: higher score, then smaller id.
fn ranking(score_a: f64, id_a: &str, score_b: f64, id_b: &str) -> Ordering {
    score_b.total_cmp(&score_a).then_with(|| id_a.cmp(id_b))
}

/// The best `capacity` entries seen so far, best first.
struct TopList<'c> {
    capacity: usize,
    entries: Vec<(f64, &'c CandidateProfile)>,
}

impl<'c> TopList<'c> {
    fn new(capacity: usize) -> Self {
        Self { capacity, entries: Vec::with_capacity(capacity + 1) }
    }

    fn offer(&mut self, score: f64, candidate: &'c CandidateProfile) {
        let beats_last = self.entries.last().is_none_or(|(last_score, last)| {
            ranking(score, &candidate.org_id, *last_score, &last.org_id) == Ordering::Less
        });
        if self.entries.len() == self.capacity && !beats_last {
            return;
        }
        let position = self.entries.partition_point(|(other_score, other)| {
            ranking(*other_score, &other.org_id, score, &candidate.org_id) == Ordering::Less
        });
        self.entries.insert(position, (score, candidate));
        self.entries.truncate(self.capacity);
    }
}

/// Recommends organisations for a demand.
///
/// `now` fixes the date on which qualification certificates must be valid. Organisation ids are
/// expected to be unique within `candidates`.
///
/// # Errors
/// [`MatchingError::InvalidConfig`] when the configuration is invalid.
pub fn recommend(
    demand: &Demand,
    candidates: &[CandidateProfile],
    config: &MatchingConfig,
    now: DateTime<Utc>,
) -> Result<MatchOutcome, MatchingError> {
    recommend_with(demand, candidates, &LiveFacts::default(), config, now)
}

/// [`recommend`] with the facts read when the demand is matched ([`LiveFacts`]) in place of
/// the profiles' own.
///
/// # Errors
/// [`MatchingError::InvalidConfig`] when the configuration is invalid.
pub fn recommend_with(
    demand: &Demand,
    candidates: &[CandidateProfile],
    live: &LiveFacts,
    config: &MatchingConfig,
    now: DateTime<Utc>,
) -> Result<MatchOutcome, MatchingError> {
    let patched: Vec<CandidateProfile> = candidates.iter().filter_map(|c| live.applied_to(c)).collect();
    let by_id: std::collections::HashMap<&str, &CandidateProfile> =
        patched.iter().map(|c| (c.org_id.as_str(), c)).collect();
    let scoring = Scoring::new(demand, config, now)?;
    let mut excluded = [0_u32; HardConstraint::ALL.len()];
    let mut qualified = 0_usize;
    let mut top = TopList::new(config.max_recommendations);
    for candidate in candidates {
        let candidate = by_id.get(candidate.org_id.as_str()).copied().unwrap_or(candidate);
        let broken = constraints::broken_constraints(candidate, demand, scoring.today);
        if broken == 0 {
            qualified += 1;
            top.offer(scoring.total(candidate), candidate);
        } else {
            for (count, constraint) in excluded.iter_mut().zip(HardConstraint::ALL) {
                if constraints::breaks(broken, constraint) {
                    *count += 1;
                }
            }
        }
    }
    let recommendations = top
        .entries
        .iter()
        .enumerate()
        .map(|(index, (_, candidate))| scoring.recommendation(index + 1, candidate))
        .collect();
    Ok(MatchOutcome {
        demand_id: demand.id.clone(),
        recommendations,
        candidates_considered: candidates.len(),
        qualified,
        fewer_than_minimum: qualified < config.min_recommendations,
        exclusions: HardConstraint::ALL
            .into_iter()
            .zip(excluded)
            .map(|(constraint, excluded)| ConstraintExclusions { constraint, excluded })
            .collect(),
    })
}

#[cfg(test)]
mod tests;
