//! "Why was X not recommended?": for one organisation, the hard constraints it breaks, or its
//! rank and how far each factor leaves it behind the last recommended organisation.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::constraints::violations;
use super::{
    CandidateProfile, ConstraintViolation, Demand, Factor, FactorScore, MatchingConfig, MatchingError,
    Recommendation, Scoring, ranking, recommend, score,
};

/// How far one factor leaves a candidate behind (negative) or ahead of the last recommended.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FactorGap {
    /// The factor.
    pub factor: Factor,
    /// The candidate's points minus the last recommended organisation's points.
    pub points_difference: f64,
}

/// The explanation for one organisation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum CandidateExplanation {
    /// Breaks at least one hard constraint.
    Excluded {
        /// The organisation.
        org_id: String,
        /// Every constraint it breaks, with details.
        violations: Vec<ConstraintViolation>,
    },
    /// It is recommended.
    Recommended {
        /// Its recommendation.
        recommendation: Recommendation,
    },
    /// Qualified, but others scored higher.
    Outranked {
        /// The organisation.
        org_id: String,
        /// Its rank among qualified candidates (1 is best).
        rank: usize,
        /// Its total score.
        score: f64,
        /// Its points per factor.
        breakdown: Vec<FactorScore>,
        /// Score of the last recommended organisation.
        cutoff_score: f64,
        /// Factor by factor, its points against the last recommended organisation's.
        gaps: Vec<FactorGap>,
    },
}

/// Explains the outcome for the organisation `org_id` among `candidates`.
///
/// # Errors
/// [`MatchingError::UnknownCandidate`] when `org_id` is not in `candidates`, and
/// [`MatchingError::InvalidConfig`] for an invalid configuration.
pub fn explain_candidate(
    demand: &Demand,
    candidates: &[CandidateProfile],
    org_id: &str,
    config: &MatchingConfig,
    now: DateTime<Utc>,
) -> Result<CandidateExplanation, MatchingError> {
    let scoring = Scoring::new(demand, config, now)?;
    let candidate = candidates
        .iter()
        .find(|candidate| candidate.org_id == org_id)
        .ok_or_else(|| MatchingError::UnknownCandidate(org_id.to_owned()))?;
    let broken = violations(candidate, demand, scoring.today);
    if !broken.is_empty() {
        return Ok(CandidateExplanation::Excluded { org_id: org_id.to_owned(), violations: broken });
    }
    let outcome = recommend(demand, candidates, config, now)?;
    if let Some(recommendation) =
        outcome.recommendations.iter().find(|recommendation| recommendation.org_id == org_id)
    {
        return Ok(CandidateExplanation::Recommended { recommendation: recommendation.clone() });
    }
    let own_score = scoring.total(candidate);
    let ahead = candidates
        .iter()
        .filter(|other| {
            other.org_id != org_id
                && super::constraints::broken_constraints(other, demand, scoring.today) == 0
                && ranking(scoring.total(other), &other.org_id, own_score, org_id) == std::cmp::Ordering::Less
        })
        .count();
    let own_breakdown = score::breakdown(&scoring.values(candidate), &scoring.weights, scoring.weight_sum);
    let last = outcome.recommendations.last();
    let gaps = last.map_or_else(Vec::new, |last| {
        own_breakdown
            .iter()
            .zip(&last.breakdown)
            .map(|(own, theirs)| FactorGap {
                factor: own.factor,
                points_difference: own.points - theirs.points,
            })
            .collect()
    });
    Ok(CandidateExplanation::Outranked {
        org_id: org_id.to_owned(),
        rank: ahead + 1,
        score: own_score,
        breakdown: own_breakdown,
        cutoff_score: last.map_or(0.0, |last| last.score),
        gaps,
    })
}
