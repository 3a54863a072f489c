//! The five-dimension credit model (五维一体信用评价): performance, transaction history,
//! reputation, qualification and social responsibility, each scored 0–100 from its indicators
//! (shown with the score), combined with configurable weights into a total that is graded
//! AAA/AA/A/B/C — or marked "insufficient data" for an organisation with too few cooperations.
//!
//! Scores are rounded to two decimals and the grade is taken from the rounded total, so the
//! number a person sees always agrees with the grade next to it.

mod dimensions;
mod explain;
mod gather;
mod grade;
mod indicators;
mod rating;
mod review;
mod schedule;

use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use explain::{dimension_label, explain, indicator_label, indicator_value};
pub use gather::{
    ContractFacts, ContractSide, MilestoneFacts, PaymentDays, contract_history, qualifications, ratings,
};
pub use grade::{CreditGrade, CreditStanding, GradePrivileges};
pub use indicators::{
    CreditRecord, PerformanceRecord, QualificationRecord, RatingRecord, SocialResponsibilityRecord,
    StaffFinding, TransactionRecord,
};
pub use rating::bayesian_mean;
pub use review::{GradeOverride, OverrideRecord};
pub use schedule::{month_of, next_monthly_run, previous_month};

use crate::domain::qualification::GradeRank;

/// What went wrong when configuring or reviewing a credit assessment.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum CreditError {
    /// The dimension weights must add up to exactly 100 %.
    #[error("dimension weights add up to {0} %, not 100 %")]
    WeightsDoNotSumTo100(u32),
    /// Configured weights must be five whole percentages (0–100), comma-separated.
    #[error("dimension weights must be five whole percentages separated by commas, e.g. 30,25,20,15,10")]
    MalformedWeights,
    /// The rating prior must be a finite, non-negative weight and a mean within 1–5.
    #[error("the rating prior must have a weight of at least 0 and a mean between 1 and 5")]
    InvalidRatingPrior,
    /// The neutral score of a dimension without data must lie within 0–100.
    #[error("the neutral dimension score must lie between 0 and 100")]
    InvalidNeutralScore,
    /// An override must say why.
    #[error("a grade override needs a reason")]
    OverrideWithoutReason,
    /// The approving reviewer must differ from the requesting one.
    #[error("a grade override must be approved by a second, different reviewer")]
    OverrideNotDualControlled,
}

impl CreditError {
    /// Stable snake_case code for API error envelopes.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::WeightsDoNotSumTo100(_)
            | Self::MalformedWeights
            | Self::InvalidRatingPrior
            | Self::InvalidNeutralScore => "credit_config_invalid",
            Self::OverrideWithoutReason => "credit_override_reason_required",
            Self::OverrideNotDualControlled => "credit_override_second_reviewer_required",
        }
    }
}

/// The five dimensions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum CreditDimension {
    /// 履约能力.
    Performance,
    /// 交易历史.
    Transaction,
    /// 行业口碑.
    Reputation,
    /// 资质等级.
    Qualification,
    /// 社会责任.
    SocialResponsibility,
}

/// Dimension weights in whole percent; they must add up to 100.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditWeights {
    /// Default 30.
    pub performance: u8,
    /// Default 25.
    pub transaction: u8,
    /// Default 20.
    pub reputation: u8,
    /// Default 15.
    pub qualification: u8,
    /// Default 10.
    pub social_responsibility: u8,
}

impl Default for CreditWeights {
    fn default() -> Self {
        Self {
            performance: 30,
            transaction: 25,
            reputation: 20,
            qualification: 15,
            social_responsibility: 10,
        }
    }
}

impl CreditWeights {
    /// Parses the weights from configuration, `performance,transaction,reputation,qualification,
    /// social_responsibility` in whole percent (e.g. `30,25,20,15,10`), and checks that they add
    /// up to 100.
    ///
    /// # Errors
    /// [`CreditError::MalformedWeights`] unless five whole numbers 0–100,
    /// [`CreditError::WeightsDoNotSumTo100`] with their sum.
    pub fn parse(text: &str) -> Result<Self, CreditError> {
        let parts: Vec<Option<u8>> =
            text.split(',').map(|p| p.trim().parse::<u8>().ok().filter(|w| *w <= 100)).collect();
        let &[
            Some(performance),
            Some(transaction),
            Some(reputation),
            Some(qualification),
            Some(social_responsibility),
        ] = parts.as_slice()
        else {
            return Err(CreditError::MalformedWeights);
        };
        let weights = Self { performance, transaction, reputation, qualification, social_responsibility };
        weights.check()?;
        Ok(weights)
    }

    /// Checks that the weights add up to 100.
    ///
    /// # Errors
    /// [`CreditError::WeightsDoNotSumTo100`].
    pub fn check(self) -> Result<(), CreditError> {
        match self.sum() {
            100 => Ok(()),
            sum => Err(CreditError::WeightsDoNotSumTo100(sum)),
        }
    }

    /// The weight of `dimension`, percent.
    #[must_use]
    pub const fn of(self, dimension: CreditDimension) -> u8 {
        match dimension {
            CreditDimension::Performance => self.performance,
            CreditDimension::Transaction => self.transaction,
            CreditDimension::Reputation => self.reputation,
            CreditDimension::Qualification => self.qualification,
            CreditDimension::SocialResponsibility => self.social_responsibility,
        }
    }

    fn sum(self) -> u32 {
        [self.performance, self.transaction, self.reputation, self.qualification, self.social_responsibility]
            .into_iter()
            .map(u32::from)
            .sum()
    }
}

/// Parameters of the credit model.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreditConfig {
    /// Dimension weights (default 30/25/20/15/10).
    pub weights: CreditWeights,
    /// Mean rating over the whole platform, the prior of the Bayesian average; set it from the
    /// platform's data at each monthly run (default 4.0).
    pub platform_mean_rating: f64,
    /// How many ratings the prior weighs (default 5).
    pub rating_prior_weight: f64,
    /// Cooperations needed before a grade is given (default 3); fewer is "insufficient data".
    pub min_cooperations_for_grade: u32,
    /// Score of a dimension without any data (default 60, the B threshold).
    pub neutral_dimension_score: f64,
}

impl Default for CreditConfig {
    fn default() -> Self {
        Self {
            weights: CreditWeights::default(),
            platform_mean_rating: 4.0,
            rating_prior_weight: 5.0,
            min_cooperations_for_grade: 3,
            neutral_dimension_score: 60.0,
        }
    }
}

impl CreditConfig {
    /// Checks the configuration.
    ///
    /// # Errors
    /// A [`CreditError`] naming the invalid parameter.
    pub fn validate(&self) -> Result<(), CreditError> {
        self.weights.check()?;
        let prior_ok = self.rating_prior_weight.is_finite()
            && self.rating_prior_weight >= 0.0
            && (1.0..=5.0).contains(&self.platform_mean_rating);
        if !prior_ok {
            return Err(CreditError::InvalidRatingPrior);
        }
        if !(0.0..=100.0).contains(&self.neutral_dimension_score) {
            return Err(CreditError::InvalidNeutralScore);
        }
        Ok(())
    }
}

/// An indicator of a dimension.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum Indicator {
    /// Contracts completed over contracts completed or terminated.
    CompletionRate,
    /// Milestones on time over milestones due.
    OnTimeMilestoneRate,
    /// Acceptances passed the first time over acceptances decided.
    FirstTimeAcceptanceRate,
    /// Number of cooperations.
    Cooperations,
    /// Payments on time over payments due.
    PaymentTimeliness,
    /// Disputes lost per contract.
    DisputeRate,
    /// Peer ratings, shrunk towards the platform mean.
    PeerRating,
    /// Best valid qualification grade.
    BestQualificationGrade,
    /// Valid certificates over certificates held.
    CertificateValidity,
    /// Tax compliance.
    TaxCompliance,
    /// Migrant-worker wage payment.
    WagePayment,
    /// Safety incidents.
    SafetyRecord,
}

/// What was observed for an indicator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Observation {
    /// A ratio; a zero denominator means no data.
    Rate {
        /// Favourable (or, for the dispute rate, unfavourable) cases.
        numerator: u32,
        /// All cases.
        denominator: u32,
    },
    /// A count.
    Count {
        /// The count.
        value: u32,
    },
    /// Peer ratings.
    Rating {
        /// Number of ratings.
        count: u32,
        /// Plain mean of the ratings, if any.
        mean: Option<f64>,
        /// Bayesian mean used for the score.
        shrunk_mean: f64,
    },
    /// Best valid qualification grade.
    Grade {
        /// Rank of the best valid grade, if any certificate is valid.
        best_valid: Option<GradeRank>,
    },
    /// A compliance finding.
    Compliance {
        /// Whether compliant.
        compliant: bool,
    },
    /// Nothing entered yet.
    NotRecorded,
}

/// One indicator with its observation, score and weight within its dimension.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorScore {
    /// Which indicator.
    pub indicator: Indicator,
    /// Weight within the dimension, percent.
    pub weight_percent: u8,
    /// What was observed.
    pub observation: Observation,
    /// Score 0–100, none without data.
    pub score: Option<f64>,
    /// Source of a staff-entered finding.
    pub source: Option<String>,
}

/// One dimension's score and how it was reached.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DimensionScore {
    /// Which dimension.
    pub dimension: CreditDimension,
    /// Weight in the total, percent.
    pub weight_percent: u8,
    /// Score 0–100 (two decimals).
    pub score: f64,
    /// False when the dimension had no data of the organisation's own and the neutral score
    /// (or, for reputation, the platform mean) stands in.
    pub from_own_data: bool,
    /// The indicators, each with its observation and score.
    pub indicators: Vec<IndicatorScore>,
}

/// The result of assessing one organisation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreditAssessment {
    /// The five dimensions in the order performance, transaction, reputation, qualification,
    /// social responsibility.
    pub dimensions: Vec<DimensionScore>,
    /// Weighted total 0–100 (two decimals). Provisional when the standing is insufficient data.
    pub total: f64,
    /// The grade (or insufficient data) in force, after any override.
    pub standing: CreditStanding,
    /// What the standing allows.
    pub privileges: GradePrivileges,
    /// A reviewer's override, if one was applied.
    pub manual_override: Option<OverrideRecord>,
}

/// Rounds to two decimals, the precision scores are shown with.
fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// Assesses one organisation.
///
/// # Errors
/// A [`CreditError`] when the configuration is invalid.
pub fn assess(record: &CreditRecord, config: &CreditConfig) -> Result<CreditAssessment, CreditError> {
    config.validate()?;
    Ok(assess_validated(record, config))
}

/// Assesses many organisations with one configuration (the monthly run), in input order.
///
/// # Errors
/// A [`CreditError`] when the configuration is invalid.
pub fn assess_all(
    records: &[CreditRecord],
    config: &CreditConfig,
) -> Result<Vec<CreditAssessment>, CreditError> {
    config.validate()?;
    Ok(records.iter().map(|record| assess_validated(record, config)).collect())
}

fn assess_validated(record: &CreditRecord, config: &CreditConfig) -> CreditAssessment {
    let (reputation, rated_by_peers) =
        dimensions::reputation(&record.reputation, config.platform_mean_rating, config.rating_prior_weight);
    let parts = [
        (CreditDimension::Performance, dimensions::performance(&record.performance), None),
        (CreditDimension::Transaction, dimensions::transactions(&record.transactions), None),
        (CreditDimension::Reputation, reputation, Some(rated_by_peers)),
        (CreditDimension::Qualification, dimensions::qualification(&record.qualification), None),
        (
            CreditDimension::SocialResponsibility,
            dimensions::social_responsibility(&record.social_responsibility),
            None,
        ),
    ];
    let mut weighted_sum = 0.0;
    let dimensions: Vec<DimensionScore> = parts
        .into_iter()
        .map(|(dimension, indicators, own_data)| {
            let combined = dimensions::combine(&indicators);
            let score = round2(combined.unwrap_or(config.neutral_dimension_score));
            let weight_percent = config.weights.of(dimension);
            weighted_sum += f64::from(weight_percent) * score;
            DimensionScore {
                dimension,
                weight_percent,
                score,
                from_own_data: own_data.unwrap_or(combined.is_some()),
                indicators,
            }
        })
        .collect();
    let total = round2(weighted_sum / 100.0);
    let standing = if record.transactions.cooperations < config.min_cooperations_for_grade {
        CreditStanding::InsufficientData
    } else {
        CreditStanding::Rated { grade: CreditGrade::from_score(total) }
    };
    CreditAssessment { dimensions, total, standing, privileges: standing.privileges(), manual_override: None }
}

#[cfg(test)]
mod tests;
