//! Evaluation weights of a tender: price, duration, credit and technical, each a whole number of
//! points 0–100 summing to exactly 100, and the technical criteria evaluators mark (1–10 named
//! criteria, names 1–50 characters and unique, each with a maximum mark of 1–100). The poster sets
//! them when publishing the tender; they are fixed once bidding opens.

use serde::{Deserialize, Serialize};

use crate::validate::{Check, Checks, Invalid};

/// What the weights must add up to.
pub const WEIGHT_TOTAL: i64 = 100;
/// Most technical criteria on one tender.
pub const MAX_CRITERIA: usize = 10;
/// Longest criterion name, in characters.
pub const MAX_CRITERION_NAME_CHARS: usize = 50;
/// Largest maximum mark of one criterion.
pub const MAX_CRITERION_MARK: i64 = 100;

/// Weights as the poster entered them, before [`Check::check`].
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct WeightsInput {
    /// Points for price (0–100).
    pub price: i64,
    /// Points for duration (0–100).
    pub duration: i64,
    /// Points for credit (0–100).
    pub credit: i64,
    /// Points for the technical proposal (0–100).
    pub technical: i64,
    /// The technical criteria: 1–10 when technical has points, at most 10 otherwise.
    pub criteria: Vec<CriterionInput>,
}

/// One technical criterion as entered.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct CriterionInput {
    /// Its name, 1–50 characters after trimming, unique on the tender.
    pub name: String,
    /// The highest mark an evaluator may give, 1–100.
    pub max_mark: i64,
}

/// Checked evaluation weights.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct EvaluationWeights {
    /// Points for price.
    pub price: u32,
    /// Points for duration.
    pub duration: u32,
    /// Points for credit.
    pub credit: u32,
    /// Points for the technical proposal.
    pub technical: u32,
    /// The technical criteria, in the order evaluators mark them.
    pub criteria: Vec<Criterion>,
}

/// A checked technical criterion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct Criterion {
    /// Its name (trimmed).
    pub name: String,
    /// The highest mark.
    pub max_mark: u32,
}

impl EvaluationWeights {
    /// The sum of the criteria's maximum marks.
    #[must_use]
    pub fn max_marks_total(&self) -> u32 {
        self.criteria.iter().map(|criterion| criterion.max_mark).sum()
    }
}

fn points(checks: &mut Checks, field: &str, value: i64) -> u32 {
    checks.within(field, value, 0..=WEIGHT_TOTAL);
    u32::try_from(value.clamp(0, WEIGHT_TOTAL)).unwrap_or(0)
}

impl Check for WeightsInput {
    type Valid = EvaluationWeights;

    /// Every field issue: `price` / `duration` / `credit` / `technical` `out_of_range` outside
    /// 0–100; `weights` `sum_not_100` unless the four add up to exactly 100; `criteria`
    /// `required` when technical has points and there is no criterion, `too_many` above 10;
    /// `criteria[i].name` `required`, `too_long` (above 50 characters) or `duplicate` (same
    /// trimmed name as an earlier one); `criteria[i].max_mark` `out_of_range` outside 1–100.
    fn check(&self) -> Result<EvaluationWeights, Invalid> {
        let mut checks = Checks::default();
        let price = points(&mut checks, "price", self.price);
        let duration = points(&mut checks, "duration", self.duration);
        let credit = points(&mut checks, "credit", self.credit);
        let technical = points(&mut checks, "technical", self.technical);
        let sum = [self.price, self.duration, self.credit, self.technical]
            .iter()
            .try_fold(0_i64, |sum, weight| sum.checked_add(*weight));
        if sum != Some(WEIGHT_TOTAL) {
            checks.issue("weights", "sum_not_100");
        }
        if self.criteria.is_empty() && self.technical > 0 {
            checks.issue("criteria", "required");
        } else if self.criteria.len() > MAX_CRITERIA {
            checks.issue("criteria", "too_many");
        }
        let mut criteria: Vec<Criterion> = Vec::with_capacity(self.criteria.len());
        for (i, input) in self.criteria.iter().enumerate() {
            let field = format!("criteria[{i}].name");
            let name = checks.text(&field, &input.name, 1, MAX_CRITERION_NAME_CHARS);
            if !name.is_empty() && criteria.iter().any(|earlier| earlier.name == name) {
                checks.issue(&field, "duplicate");
            }
            checks.within(&format!("criteria[{i}].max_mark"), input.max_mark, 1..=MAX_CRITERION_MARK);
            let max_mark = u32::try_from(input.max_mark.clamp(1, MAX_CRITERION_MARK)).unwrap_or(1);
            criteria.push(Criterion { name, max_mark });
        }
        checks.done(EvaluationWeights { price, duration, credit, technical, criteria })
    }
}
