//! The platform data the credit model reads: one record per dimension, as counts and findings
//! that the API aggregates from contracts, milestones, payments, disputes, ratings,
//! certificates and staff entries.

use serde::{Deserialize, Serialize};

use crate::domain::qualification::GradeRank;

/// Everything the credit model reads about one organisation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CreditRecord {
    /// Performance (履约能力).
    pub performance: PerformanceRecord,
    /// Transaction history (交易历史).
    pub transactions: TransactionRecord,
    /// Peer ratings (行业口碑).
    pub reputation: RatingRecord,
    /// Certificates (资质等级).
    pub qualification: QualificationRecord,
    /// Staff-entered social responsibility findings (社会责任).
    pub social_responsibility: SocialResponsibilityRecord,
}

/// Contract and milestone outcomes as the performing party.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PerformanceRecord {
    /// Contracts completed and accepted.
    pub contracts_completed: u32,
    /// Contracts terminated for non-performance.
    pub contracts_terminated: u32,
    /// Milestones finished by their due date.
    pub milestones_on_time: u32,
    /// Milestones whose due date has passed.
    pub milestones_due: u32,
    /// Acceptance requests approved the first time.
    pub acceptances_first_time: u32,
    /// Acceptance requests decided.
    pub acceptances_decided: u32,
}

/// Cooperation volume, payment behaviour as payer, and disputes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionRecord {
    /// Contracts signed on the platform, in either role.
    pub cooperations: u32,
    /// Milestone payments made by their due date, as payer.
    pub payments_on_time: u32,
    /// Milestone payments that fell due, as payer.
    pub payments_due: u32,
    /// Disputes lost (decided against the organisation, or settled with it at fault).
    pub disputes_lost: u32,
}

/// Peer ratings received from counterparties; each rating is the mean of its four aspects
/// (quality, timeliness, communication, payment) on the 1–5 scale.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RatingRecord {
    /// Number of ratings.
    pub count: u32,
    /// Sum of the ratings.
    pub sum: f64,
}

/// Verified qualification certificates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualificationRecord {
    /// Best grade among the certificates valid today (none when none is valid).
    pub best_valid_grade: Option<GradeRank>,
    /// Certificates held, valid or not.
    pub certificates_held: u32,
    /// Certificates valid today.
    pub certificates_valid: u32,
}

/// A fact entered by platform staff, with where they found it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffFinding<T> {
    /// The fact.
    pub value: T,
    /// Its source, e.g. "国家税务总局纳税信用A级名单 2024".
    pub source: String,
}

/// Social responsibility findings; each is absent until staff enter it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SocialResponsibilityRecord {
    /// Whether taxes are paid in compliance.
    pub tax_compliant: Option<StaffFinding<bool>>,
    /// Recorded cases of migrant-worker wage arrears.
    pub wage_arrears_cases: Option<StaffFinding<u32>>,
    /// Recorded safety incidents.
    pub safety_incidents: Option<StaffFinding<u32>>,
}
