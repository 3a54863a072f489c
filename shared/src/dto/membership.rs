//! Membership (四级用户分级): an organisation's tier, what the next tier needs and how far it is,
//! the history of changes, and the VIP platform advisor.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::membership::{MembershipTier, Requirement, TierChange, TierReason};
use crate::domain::notices::membership::reason_texts;

crate::stored_enum! {
    /// What moved a tier.
    pub enum TierTriggerKind in "membership_changes.triggered_by" {
        /// A contract of the organisation was fully settled.
        Transaction = "transaction",
        /// The organisation's published credit score changed.
        CreditChange = "credit_change",
        /// The quarterly review (1st of January, April, July, October, 01:00 Asia/Shanghai).
        QuarterlyReview = "quarterly_review",
    }
}

crate::stored_enum! {
    /// Which way a tier moved.
    pub enum TierChangeKind in "membership_changes.change" {
        /// Up.
        Promoted = "promoted",
        /// Down.
        Demoted = "demoted",
    }
}

impl TierChangeKind {
    /// The kind of a decision's change; none when nothing changed.
    #[must_use]
    pub fn of(change: TierChange) -> Option<Self> {
        match change {
            TierChange::Promoted => Some(Self::Promoted),
            TierChange::Demoted => Some(Self::Demoted),
            TierChange::Unchanged => None,
        }
    }
}

crate::stored_enum! {
    /// A condition of a tier.
    pub enum RequirementKind in "(computed)" {
        /// Completed transactions (Regular: 3).
        CompletedTransactions = "completed_transactions",
        /// Settled volume of the last 12 months must exceed the threshold (Certified: ¥5,000,000).
        VolumeAbove = "volume_above",
        /// Credit score at least (VIP: 90).
        CreditScore = "credit_score",
        /// An inactivity demotion holds until the organisation's next transaction.
        NextTransaction = "next_transaction",
    }
}

/// One condition of the next tier and where the organisation stands on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct RequirementView {
    /// Which condition.
    pub kind: RequirementKind,
    /// `completed_transactions`: the count so far; `volume_above`: the volume in fen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<i64>,
    /// `completed_transactions`: the count needed; `volume_above`: the fen to exceed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<i64>,
    /// `credit_score`: the current score (absent while the credit has too little data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_score: Option<f64>,
    /// `credit_score`: the score needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_score: Option<f64>,
    /// Whether it holds now.
    pub met: bool,
    /// How far along, 0–1.
    pub progress: f64,
}

impl From<Requirement> for RequirementView {
    fn from(r: Requirement) -> Self {
        let (met, progress) = (r.met(), r.progress());
        let mut view = Self {
            kind: RequirementKind::NextTransaction,
            current: None,
            required: None,
            current_score: None,
            required_score: None,
            met,
            progress,
        };
        match r {
            Requirement::CompletedTransactions { current, required } => {
                view.kind = RequirementKind::CompletedTransactions;
                (view.current, view.required) = (Some(i64::from(current)), Some(i64::from(required)));
            }
            Requirement::VolumeAbove { current_fen, threshold_fen } => {
                view.kind = RequirementKind::VolumeAbove;
                (view.current, view.required) = (Some(current_fen), Some(threshold_fen));
            }
            Requirement::CreditScore { current, required } => {
                view.kind = RequirementKind::CreditScore;
                (view.current_score, view.required_score) = (current, Some(required));
            }
            Requirement::NextTransaction => {}
        }
        view
    }
}

/// A reason for a tier change, in both languages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct TierReasonView {
    /// 中文.
    pub text: String,
    /// English.
    pub text_en: String,
}

impl From<&TierReason> for TierReasonView {
    fn from(reason: &TierReason) -> Self {
        let (text, text_en) = reason_texts(reason);
        Self { text, text_en }
    }
}

/// One change of tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct TierChangeView {
    /// The tier before.
    pub previous: MembershipTier,
    /// The tier after.
    pub tier: MembershipTier,
    /// Up or down.
    pub change: TierChangeKind,
    /// What moved it.
    pub trigger: TierTriggerKind,
    /// Why.
    pub reasons: Vec<TierReasonView>,
    /// When.
    pub at: DateTime<Utc>,
}

/// The named platform advisor of a VIP organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct AdvisorView {
    /// The staff member's user id.
    pub user_id: String,
    /// Name.
    pub name: String,
    /// E-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Mobile number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// An organisation's membership (its members and staff).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct MembershipView {
    /// The organisation.
    pub org_id: String,
    /// The tier in force.
    pub tier: MembershipTier,
    /// Since when (absent for an organisation that never changed tier).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<DateTime<Utc>>,
    /// An inactivity demotion holds until the next transaction.
    pub held: bool,
    /// Fully settled contracts, ever (a transaction counts for both parties).
    pub completed_transactions: u32,
    /// Settled volume of the last 12 months, fen (the amounts of contracts settled in it).
    pub volume_last_12_months_fen: i64,
    /// The published credit score; absent while the credit has too little data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_score: Option<f64>,
    /// Transactions in the quarter just ended (Asia/Shanghai calendar quarters).
    pub last_quarter_transactions: u32,
    /// Transactions in the quarter before it.
    pub quarter_before_transactions: u32,
    /// The next tier (absent at VIP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_tier: Option<MembershipTier>,
    /// Every condition of the next tier with where the organisation stands.
    pub requirements: Vec<RequirementView>,
    /// The named platform advisor (VIP only, once an admin assigned one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advisor: Option<AdvisorView>,
    /// Changes of tier, newest first (at most 50).
    pub history: Vec<TierChangeView>,
}

/// Assign a platform advisor to a VIP organisation (admins).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct AssignAdvisor {
    /// The user id of a staff member holding the operator role.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 64)))]
    pub user_id: String,
}
