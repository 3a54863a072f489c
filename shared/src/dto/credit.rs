//! Credit (五维一体信用评价): an organisation's assessment (the public part and the indicator
//! detail), its 12-month history, and the social-responsibility findings staff enter.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::credit::{CreditDimension, CreditGrade, Indicator};

crate::stored_enum! {
    /// A social-responsibility finding staff enter with its source.
    pub enum CreditFindingKind in "credit_findings.kind" {
        /// Tax compliance: `value` 1 compliant, 0 not.
        TaxCompliant = "tax_compliant",
        /// Recorded migrant-worker wage arrears cases: `value` the count.
        WageArrearsCases = "wage_arrears_cases",
        /// Recorded safety incidents: `value` the count.
        SafetyIncidents = "safety_incidents",
    }
}

crate::stored_enum! {
    /// What computed an assessment.
    pub enum CreditTrigger in "credit_assessments.triggered_by" {
        /// The monthly run (1st of the month, 00:30 Asia/Shanghai).
        Monthly = "monthly",
        /// An event: a risk case opened or cleared, a contract completed, a finding entered,
        /// an override applied or lifted.
        Event = "event",
        /// Computed for this answer because the organisation has no stored assessment yet (before
        /// its first monthly run or event); never stored.
        Live = "live",
    }
}

/// A social-responsibility finding to enter (reviewers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct CreateCreditFinding {
    /// The organisation.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 64)))]
    pub org_id: String,
    /// What was found.
    pub kind: CreditFindingKind,
    /// `tax_compliant`: 1 compliant, 0 not; the counts: 0–1000.
    pub value: u32,
    /// Where it was found (2–200 characters), e.g. "国家税务总局纳税信用A级名单 2026".
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 400)))]
    pub source: String,
    /// SHA-256 of the source document uploaded to the file store, if any.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 64)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_sha256: Option<String>,
}

/// A finding as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct CreditFindingView {
    /// Finding id.
    pub id: String,
    /// The organisation.
    pub org_id: String,
    /// What was found.
    pub kind: CreditFindingKind,
    /// The value (see the kind).
    pub value: u32,
    /// Where it was found.
    pub source: String,
    /// The source document's SHA-256.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_sha256: Option<String>,
    /// The staff member who entered it.
    pub entered_by: String,
    /// When.
    pub entered_at: DateTime<Utc>,
}

/// One dimension's score (public).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct CreditDimensionView {
    /// Which dimension.
    pub dimension: CreditDimension,
    /// Its weight in the total, percent.
    pub weight_percent: u8,
    /// Score 0–100 (two decimals).
    pub score: f64,
    /// False when the organisation had no data of its own for it (a baseline stands in).
    pub from_own_data: bool,
}

/// One indicator with its value and how it moved since the previous month's assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct CreditIndicatorView {
    /// Which indicator.
    pub indicator: Indicator,
    /// Its dimension.
    pub dimension: CreditDimension,
    /// Weight within the dimension, percent.
    pub weight_percent: u8,
    /// Favourable (for the dispute rate: unfavourable) cases, for rates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numerator: Option<u32>,
    /// All cases, for rates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denominator: Option<u32>,
    /// The value: a rate in percent, a count, the Bayesian mean rating (1–5), the best grade's
    /// rank (0 top), compliance 1 / 0; none without data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Its score 0–100; none without data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// `value` minus the previous month's value, when both exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<f64>,
    /// The source of a staff finding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// What only the organisation, its counterparties in a contract in force and staff see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct CreditDetail {
    /// Every indicator.
    pub indicators: Vec<CreditIndicatorView>,
    /// Mean days from acceptance to full payment of the milestones it paid as payer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_mean_days: Option<f64>,
    /// The grade the model computed, when an override replaced it (none: insufficient data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub computed_grade: Option<CreditGrade>,
    /// Why the grade was overridden.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub override_reason: Option<String>,
    /// The explanation in Chinese.
    pub explanation_zh: String,
    /// The explanation in English.
    pub explanation_en: String,
}

/// An organisation's credit assessment of one month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct CreditView {
    /// The organisation.
    pub org_id: String,
    /// The month, `YYYY-MM` (Asia/Shanghai).
    pub month: String,
    /// The grade in force (after an override); none while data is insufficient.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<CreditGrade>,
    /// Too little platform data for a grade (fewer than 3 cooperations), and not overridden.
    pub insufficient_data: bool,
    /// Weighted total 0–100 (provisional while data is insufficient).
    pub total: f64,
    /// The five dimensions.
    pub dimensions: Vec<CreditDimensionView>,
    /// The grade was set by staff review (dual control), not computed.
    pub overridden: bool,
    /// What computed it; `live`: computed for this answer and not stored (no assessment of the
    /// organisation is stored yet).
    pub trigger: CreditTrigger,
    /// When.
    pub computed_at: DateTime<Utc>,
    /// Indicator detail and explanation, to those allowed to see it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<CreditDetail>,
}

/// The last 12 monthly assessments, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct CreditHistoryView {
    /// The assessments.
    pub items: Vec<CreditView>,
}
