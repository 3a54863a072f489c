//! The end of a contract's money: defect claims during the warranty, the risk cases the 15-day
//! overdue rule opens, the risk reserve report, and the ratings both sides give each other after
//! completion. Rules: `domain::contract::closing`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::validate::{Check, Checks, Invalid};

/// Longest defect claim description or note.
pub const MAX_CLAIM_CHARS: usize = 2000;
/// Longest rating comment.
pub const MAX_RATING_COMMENT_CHARS: usize = 500;

crate::stored_enum! {
    /// Where a defect claim stands.
    pub enum DefectClaimState in "defect_claims.status" {
        /// Raised; holds the retention.
        Open = "open",
        /// Closed by the payer as remedied.
        Remedied = "remedied",
    }
}

/// A defect claim the payer raises during the warranty (质保期缺陷索赔).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct DefectClaimInput {
    /// What is wrong (2–2000 characters).
    pub description: String,
}

impl Check for DefectClaimInput {
    type Valid = String;

    /// `description` `required`/`too_short`/`too_long`.
    fn check(&self) -> Result<String, Invalid> {
        let mut checks = Checks::default();
        let text = checks.text("description", &self.description, 2, MAX_CLAIM_CHARS);
        checks.done(text)
    }
}

/// The payer closes a claim as remedied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct DefectClaimCloseInput {
    /// How it was remedied (2–2000 characters).
    pub note: String,
}

impl Check for DefectClaimCloseInput {
    type Valid = String;

    /// `note` `required`/`too_short`/`too_long`.
    fn check(&self) -> Result<String, Invalid> {
        let mut checks = Checks::default();
        let text = checks.text("note", &self.note, 2, MAX_CLAIM_CHARS);
        checks.done(text)
    }
}

/// A defect claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct DefectClaimView {
    /// The claim.
    pub id: String,
    /// The contract.
    pub contract_id: String,
    /// What is wrong.
    pub description: String,
    /// Where it stands.
    pub status: DefectClaimState,
    /// Who raised it.
    pub raised_by: String,
    /// When.
    pub raised_at: DateTime<Utc>,
    /// When it was closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// How it was remedied.
    pub close_note: Option<String>,
}

crate::stored_enum! {
    /// Where a risk case stands.
    pub enum RiskCaseState in "risk_cases.status" {
        /// The payer's escrow on the contract is frozen.
        Open = "open",
        /// Paid; the escrow is unfrozen.
        Cleared = "cleared",
    }
}

/// A risk case: accepted milestones unpaid for more than 15 days froze the payer's escrow on
/// the contract and bar the payer from new contracts until it clears.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct RiskCaseView {
    /// The case.
    pub id: String,
    /// The contract.
    pub contract_id: String,
    /// The payer.
    pub org_id: String,
    /// The payer's name.
    pub org_name: String,
    /// The overdue milestones when it opened.
    pub milestones: Vec<u32>,
    /// What the payer owed on accepted milestones when it opened, fen.
    pub owed_fen: i64,
    /// Where it stands.
    pub status: RiskCaseState,
    /// When it opened.
    pub opened_at: DateTime<Utc>,
    /// When it cleared.
    pub cleared_at: Option<DateTime<Utc>>,
}

/// One month of the risk reserve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ReserveMonth {
    /// `YYYY-MM` (Asia/Shanghai).
    pub month: String,
    /// Released to payees that month (settled volume), fen.
    pub settled_fen: i64,
    /// Accrued to the reserve that month, fen.
    pub accrued_fen: i64,
}

/// The risk reserve report (风险准备金).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ReserveReport {
    /// The reserve's balance, fen.
    pub balance_fen: i64,
    /// Settled volume in all, fen.
    pub settled_fen: i64,
    /// Accrued in all, fen.
    pub accrued_fen: i64,
    /// The accrual rate, basis points of settled volume.
    pub rate_bp: i64,
    /// Month by month, newest first.
    pub months: Vec<ReserveMonth>,
}

/// A rating one party gives the other after completion: 1–5 on each dimension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct RatingInput {
    /// 质量 (1–5).
    pub quality: u8,
    /// 工期 / timeliness (1–5).
    pub timeliness: u8,
    /// 沟通 (1–5).
    pub communication: u8,
    /// 付款 / payment (1–5).
    pub payment: u8,
    /// A comment (≤ 500 characters).
    pub comment: Option<String>,
}

impl Check for RatingInput {
    type Valid = Option<String>;

    /// Each score `out_of_range` outside 1–5; `comment` `too_long`.
    fn check(&self) -> Result<Option<String>, Invalid> {
        let mut checks = Checks::default();
        for (field, score) in [
            ("quality", self.quality),
            ("timeliness", self.timeliness),
            ("communication", self.communication),
            ("payment", self.payment),
        ] {
            checks.within(field, i64::from(score), 1..=5);
        }
        let comment = checks.optional_text("comment", self.comment.as_deref(), MAX_RATING_COMMENT_CHARS);
        checks.done(comment)
    }
}

/// A rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct RatingView {
    /// The contract.
    pub contract_id: String,
    /// Who rated.
    pub rater_org_id: String,
    /// Their name.
    pub rater_name: String,
    /// Who was rated.
    pub ratee_org_id: String,
    /// 质量.
    pub quality: u8,
    /// 工期.
    pub timeliness: u8,
    /// 沟通.
    pub communication: u8,
    /// 付款.
    pub payment: u8,
    /// The comment.
    pub comment: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// A contract's ratings as a party sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ContractRatingsView {
    /// Whether ratings are open (the contract is completed).
    pub open: bool,
    /// The caller's organisation's rating, if given.
    pub mine: Option<RatingView>,
    /// Whether the other party has rated.
    pub theirs_given: bool,
    /// The other party's rating, once shown (both rated, or 14 days after completion).
    pub theirs: Option<RatingView>,
    /// When ratings are shown even if only one side rated.
    pub reveal_on: Option<NaiveDate>,
}

/// The ratings an organisation received (shown ones only), with the averages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct OrgRatingsView {
    /// The organisation.
    pub org_id: String,
    /// How many.
    pub count: u32,
    /// Mean quality (0 when none).
    pub quality: f64,
    /// Mean timeliness.
    pub timeliness: f64,
    /// Mean communication.
    pub communication: f64,
    /// Mean payment.
    pub payment: f64,
    /// Newest first (at most 50).
    pub items: Vec<RatingView>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_one_to_five() {
        let ok = RatingInput {
            quality: 5,
            timeliness: 1,
            communication: 3,
            payment: 4,
            comment: Some(" 好 ".into()),
        };
        assert_eq!(ok.check(), Ok(Some("好".into())));
        let bad = RatingInput { quality: 0, timeliness: 6, ..ok };
        let issues: Vec<(String, String)> =
            bad.check().expect_err("refused").0.into_iter().map(|f| (f.field, f.issue)).collect();
        assert_eq!(issues.len(), 2);
        assert_eq!(issues[0].0, "quality");
        assert_eq!(issues[1].0, "timeliness");
    }
}
