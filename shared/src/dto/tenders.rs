//! Tendering (招投标) on a published demand: opening a tender, the prequalification report, sealed
//! bids and their files, the evaluators' marks, the scoring sheet (评分表) and the award. The
//! rules are `domain::tender`; the request checks are `validate::tenders`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub use crate::domain::tender::lifecycle::{BidState, TenderState};
pub use crate::domain::tender::scoring::{CreditBasis, SheetRow};
pub use crate::domain::tender::weights::{Criterion, CriterionInput, EvaluationWeights, WeightsInput};

/// Open bidding on a published demand (its organisation's owner or admin).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct OpenTenderRequest {
    /// When bidding closes: at least one hour and at most 180 days from now. Bids are accepted
    /// strictly before this instant; a job closes the tender at it.
    pub bidding_closes_at: DateTime<Utc>,
    /// `true`: any verified organisation that passes prequalification may bid (open tender,
    /// 公开招标); `false`: only the invited and recommended organisations (邀请招标).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub open_to_all: bool,
    /// Evaluation weights (price, duration, credit, technical: whole points summing to 100) and
    /// the technical criteria the evaluators mark.
    pub weights: WeightsInput,
    /// The evaluators: user ids of members of the posting organisation, 1–10 when the technical
    /// weight has points (0–10 otherwise), no repeats.
    #[cfg_attr(feature = "openapi", oai(validator(max_items = 20)))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub evaluators: Vec<String>,
}

/// A named evaluator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct EvaluatorView {
    /// The evaluator's user id.
    pub user_id: String,
    /// Their display name.
    pub name: String,
}

/// A tender.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct TenderView {
    /// Tender id.
    pub id: String,
    /// The demand it is on.
    pub demand_id: String,
    /// The demand's title.
    pub demand_title: String,
    /// The posting organisation.
    pub org_id: String,
    /// Its name.
    pub org_name: String,
    /// Where the tender stands.
    pub status: TenderState,
    /// Open tender (any eligible organisation) or invited only.
    pub open_to_all: bool,
    /// When bidding closes.
    pub bidding_closes_at: DateTime<Utc>,
    /// The evaluation weights and technical criteria.
    pub weights: EvaluationWeights,
    /// The named evaluators.
    pub evaluators: Vec<EvaluatorView>,
    /// Live bids (submitted, not withdrawn); only for the posting organisation. The count, never
    /// the contents: those stay sealed until the tender closes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bid_count: Option<i64>,
    /// The acting organisation's live bid on this tender, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub own_bid_id: Option<String>,
    /// The bid whose award is (or was last) in force.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub awarded_bid_id: Option<String>,
    /// The contract drafted for that award.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_id: Option<String>,
    /// The Shanghai date of that award.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub awarded_on: Option<NaiveDate>,
    /// The last day on which the awarded bid's contract can be signed (10 business days); the
    /// award lapses after it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_deadline: Option<NaiveDate>,
    /// Why a bid that was not ranked first was awarded (shown to the posting organisation and
    /// the bidders).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub award_reason: Option<String>,
    /// When bidding actually closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<DateTime<Utc>>,
    /// When the tender opened.
    pub created_at: DateTime<Utc>,
}

/// One line of a prequalification report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct PrequalificationItemView {
    /// Stable code, e.g. `verified`, `qualification_expired`, `credit_grade_c`,
    /// `credit_insufficient_data`, `no_contracts_yet`.
    pub code: String,
    /// `pass`, `fail` (blocks the bid) or `info`.
    pub outcome: String,
    /// Explanation in Chinese.
    pub zh: String,
    /// Explanation in English.
    pub en: String,
    /// For a qualification item: the required type code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualification_type: Option<String>,
    /// For a qualification item: the expiry of the certificate that decides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_expires_on: Option<NaiveDate>,
}

/// The prequalification report (资格预审报告) of one organisation for one tender, generated when
/// it looks at the tender as a bidder, bids or revises, and stored; the posting organisation
/// sees every report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct PrequalificationView {
    /// The tender.
    pub tender_id: String,
    /// The organisation assessed.
    pub org_id: String,
    /// Its name.
    pub org_name: String,
    /// Whether nothing blocks a bid.
    pub may_bid: bool,
    /// Whether the organisation may bid on this tender at all: invited or recommended, or the
    /// tender is open to all.
    pub eligible: bool,
    /// The items, in order: verification, suspension, each required qualification, credit,
    /// membership tier, past performance, open disputes.
    pub items: Vec<PrequalificationItemView>,
    /// When the report was generated.
    pub generated_at: DateTime<Utc>,
}

/// A sealed bid, or its revision (the whole offer is replaced).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct BidRequest {
    /// The offered price in fen (more than 0, at most ¥100 billion).
    pub price_fen: i64,
    /// The offered duration in calendar days, 1–3650.
    pub duration_days: i64,
    /// The technical proposal, 10–20000 characters.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 80000)))]
    pub proposal: String,
    /// How long the offer stays valid after bidding closes, in days (投标有效期), 30–365.
    pub validity_days: i64,
}

/// A file attached to a bid (sealed at rest; readable by the bidder, and after the close by
/// the posting organisation's owners and admins and the evaluators).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct BidFileView {
    /// File id on the bid.
    pub id: String,
    /// The name it was uploaded with.
    pub name: String,
    /// Detected type: PDF, DOCX or XLSX.
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
    /// SHA-256 of the content.
    pub sha256: String,
    /// Where to download it.
    pub download_path: String,
}

/// A bid with its contents (for the bidder; after the close for the poster and evaluators).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct BidView {
    /// Bid id.
    pub id: String,
    /// The tender.
    pub tender_id: String,
    /// The demand's title.
    pub demand_title: String,
    /// When bidding closes.
    pub bidding_closes_at: DateTime<Utc>,
    /// The bidding organisation.
    pub org_id: String,
    /// Its name.
    pub org_name: String,
    /// Where the bid stands.
    pub status: BidState,
    /// Revision number, 1 for the first offer.
    pub revision: i32,
    /// Price in fen.
    pub price_fen: i64,
    /// Duration in days.
    pub duration_days: i64,
    /// Technical proposal.
    pub proposal: String,
    /// Validity in days.
    pub validity_days: i64,
    /// Attached files.
    pub files: Vec<BidFileView>,
    /// When the current revision was submitted.
    pub submitted_at: DateTime<Utc>,
    /// Its rank on the scoring sheet, told to every bidder once the tender is awarded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<i32>,
}

/// One evaluator's technical marks for one bid, one per criterion in the tender's order, each
/// from 0 to the criterion's maximum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct MarksRequest {
    /// The marks.
    #[cfg_attr(feature = "openapi", oai(validator(max_items = 20)))]
    pub marks: Vec<i64>,
}

/// Marks given by one evaluator to one bid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct MarksView {
    /// The bid.
    pub bid_id: String,
    /// The evaluator.
    pub evaluator_id: String,
    /// Their name.
    pub evaluator_name: String,
    /// One mark per criterion.
    pub marks: Vec<u32>,
}

/// Whether the scoring sheet is final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum SheetState {
    /// Every evaluator marked every valid bid: totals and ranks are final.
    Complete,
    /// Some evaluators have not marked every bid yet (`missing_evaluators`).
    AwaitingMarks,
    /// The technical weight has points but no evaluator is named.
    NoEvaluators,
}

/// The scoring sheet (评分表) of a closed tender: the posting organisation's owners and admins
/// and the evaluators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ScoringSheetView {
    /// The tender.
    pub tender_id: String,
    /// The demand's title.
    pub demand_title: String,
    /// Whether totals and ranks are final.
    pub state: SheetState,
    /// Evaluators who have not marked every valid bid.
    pub missing_evaluators: Vec<EvaluatorView>,
    /// The weights the sheet applies.
    pub weights: EvaluationWeights,
    /// One row per valid bid: in rank order when complete, in submission order before.
    pub rows: Vec<SheetRow>,
    /// Each evaluator's marks: all of them once the sheet is complete; before that only the
    /// caller's own (evaluators score independently).
    pub marks: Vec<MarksView>,
}

/// Award the tender to one bid of a complete scoring sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct AwardRequest {
    /// The bid awarded.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 64)))]
    pub bid_id: String,
    /// Why, 2–500 characters: required when the bid is not the best-ranked one still awardable.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 2000)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}
