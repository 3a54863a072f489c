//! The demand library (需求库): subcontracting and procurement demands, their platform review,
//! the matching engine's recommendations and the invitations sent to recommended organisations.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::AttachedFile;

crate::stored_enum! {
    /// What kind of demand.
    pub enum DemandKind in "demands.kind" {
        /// 分包 a subcontracting demand.
        Subcontracting = "subcontracting",
        /// 采购 a procurement demand.
        Procurement = "procurement",
    }
}

crate::stored_enum! {
    /// Where a demand stands.
    pub enum DemandStatus in "demands.status" {
        /// Being written; only its organisation sees it.
        Draft = "draft",
        /// Submitted by an organisation below the Certified tier; waits for platform review.
        PendingReview = "pending_review",
        /// Refused by the reviewer (reason given); can be edited and submitted again.
        Rejected = "rejected",
        /// Public; recommendations made and invitations sent.
        Published = "published",
        /// No longer open.
        Closed = "closed",
    }
}

impl DemandStatus {
    /// Whether the poster may still edit it.
    pub fn editable(self) -> bool {
        matches!(self, Self::Draft | Self::Rejected)
    }
}

/// A required qualification: a taxonomy type and the lowest acceptable grade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct RequiredQualification {
    /// Qualification type code (`GET /taxonomy/qualifications`).
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 64)))]
    pub type_code: String,
    /// Lowest acceptable grade code of that type, e.g. `second`.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 32)))]
    pub minimum_grade: String,
}

/// Create a demand (a draft). Verified organisations only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct CreateDemandRequest {
    /// Subcontracting or procurement.
    pub kind: DemandKind,
    /// Title, 4–100 characters.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 300)))]
    pub title: String,
    /// Taxonomy category code of the work or material.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 64)))]
    pub category: String,
    /// Scope of work or specification, 10–5000 characters.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 20000)))]
    pub scope: String,
    /// Quantity in words, e.g. 约1200吨, up to 100 characters.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 400)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<String>,
    /// Budget lower end in fen.
    pub budget_min_fen: i64,
    /// Budget upper end in fen (≥ the lower end).
    pub budget_max_fen: i64,
    /// Where the work is: a GB/T 2260 code.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 6)))]
    pub region_code: String,
    /// Qualifications every candidate must hold, up to 5.
    #[cfg_attr(feature = "openapi", oai(validator(max_items = 10)))]
    #[cfg_attr(feature = "openapi", oai(default))]
    #[serde(default)]
    pub required_qualifications: Vec<RequiredQualification>,
    /// Last day for responses (Shanghai date, after today).
    pub deadline: NaiveDate,
    /// Attached files: SHA-256 ids of files the caller uploaded, up to 10.
    #[cfg_attr(feature = "openapi", oai(validator(max_items = 20)))]
    #[cfg_attr(feature = "openapi", oai(default))]
    #[serde(default)]
    pub files: Vec<String>,
    /// The poster's project this demand belongs to.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 64)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
}

/// Change a draft or rejected demand. Absent fields stay.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct UpdateDemandRequest {
    /// Title.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 300)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Category code.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 64)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Scope.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 20000)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Quantity in words.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 400)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<String>,
    /// Budget lower end in fen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_min_fen: Option<i64>,
    /// Budget upper end in fen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_max_fen: Option<i64>,
    /// Region code.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 6)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region_code: Option<String>,
    /// Required qualifications (replaces the list).
    #[cfg_attr(feature = "openapi", oai(validator(max_items = 10)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_qualifications: Option<Vec<RequiredQualification>>,
    /// Deadline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<NaiveDate>,
    /// Files (replaces the list).
    #[cfg_attr(feature = "openapi", oai(validator(max_items = 20)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<Vec<String>>,
}

/// A demand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct DemandView {
    /// Demand id.
    pub id: String,
    /// The posting organisation.
    pub org_id: String,
    /// Its name.
    pub org_name: String,
    /// Subcontracting or procurement.
    pub kind: DemandKind,
    /// Title.
    pub title: String,
    /// Category code.
    pub category: String,
    /// Category name in Chinese.
    pub category_name: String,
    /// Scope.
    pub scope: String,
    /// Quantity in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<String>,
    /// Budget lower end in fen.
    pub budget_min_fen: i64,
    /// Budget upper end in fen.
    pub budget_max_fen: i64,
    /// Region code.
    pub region_code: String,
    /// Full region name.
    pub region_name: String,
    /// Required qualifications.
    pub required_qualifications: Vec<RequiredQualification>,
    /// Last day for responses.
    pub deadline: NaiveDate,
    /// Attached files.
    pub files: Vec<AttachedFile>,
    /// The project it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
    /// Status.
    pub status: DemandStatus,
    /// When it was last submitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<DateTime<Utc>>,
    /// While in review: the reviewer decides by this time (two business days after submission).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_due_at: Option<DateTime<Utc>>,
    /// `true` when `review_due_at` reaches into a year without an official holiday table: only
    /// weekends were counted as days off there, so the deadline is an estimate (shown as
    /// "预计 / estimated") that is recomputed once staff upload that year's schedule.
    #[serde(default)]
    pub calendar_estimated: bool,
    /// Why the reviewer rejected it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejection_reason: Option<String>,
    /// When it was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<DateTime<Utc>>,
    /// The tender opened on it, if any (`GET /tenders/{id}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tender_id: Option<String>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// A page of demands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct DemandPage {
    /// Demands, newest first.
    pub items: Vec<DemandView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// The staff reviewer's decision on a demand waiting for review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct DemandReviewDecision {
    /// `true` publishes it (and runs matching); `false` rejects it.
    pub approve: bool,
    /// Required when rejecting: what to fix, 2–500 characters.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 2000)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// One factor of a recommendation's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct MatchFactor {
    /// Factor: `cooperation_history`, `regional_proximity`, `credit`, `membership_tier`,
    /// `capacity_headroom`, `responsiveness` or `price_level`.
    pub factor: String,
    /// Its value, 0–1.
    pub value: f64,
    /// Points it adds to the 0–100 total.
    pub points: f64,
}

crate::stored_enum! {
    /// Where an invitation to a demand stands.
    pub enum InvitationAnswer in "demand_invitations.answer" {
        /// Not answered yet.
        Pending = "pending",
        /// The organisation wants to take part.
        Interested = "interested",
        /// The organisation declined.
        Declined = "declined",
    }
}

/// A recommended organisation with the reasons for its rank.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct DemandRecommendation {
    /// Rank, 1 = best.
    pub rank: i32,
    /// The organisation.
    pub org_id: String,
    /// Its name.
    pub org_name: String,
    /// Total score 0–100.
    pub score: f64,
    /// Each factor's part of the score.
    pub factors: Vec<MatchFactor>,
    /// Why it ranks here, in Chinese.
    pub reason: String,
    /// Why it ranks here, in English.
    pub reason_en: String,
    /// The invitation sent to it, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invitation_id: Option<String>,
    /// Its answer, when invited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<InvitationAnswer>,
    /// Its published credit grade now (absent: not rated yet or insufficient data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_grade: Option<crate::domain::credit::CreditGrade>,
    /// Its membership tier now.
    #[serde(default = "new_tier")]
    pub membership_tier: crate::domain::membership::MembershipTier,
}

fn new_tier() -> crate::domain::membership::MembershipTier {
    crate::domain::membership::MembershipTier::New
}

/// How many candidates one hard constraint excluded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ConstraintExclusion {
    /// Constraint: `verified`, `not_suspended`, `credit_not_c`, `offers_category`,
    /// `holds_qualifications`, `serves_region` or `not_the_poster`.
    pub constraint: String,
    /// Candidates it excluded (one candidate may break several).
    pub excluded: i64,
}

/// The matching engine's result for a published demand (poster only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct DemandRecommendations {
    /// Ranked organisations: the first 3–5 were invited on publication; the rest can be invited.
    pub items: Vec<DemandRecommendation>,
    /// Organisations considered.
    pub candidates_considered: i64,
    /// Those passing every hard constraint.
    pub qualified: i64,
    /// Fewer than three qualified: all were invited, and `exclusions` says why not more.
    pub fewer_than_minimum: bool,
    /// Per hard constraint, how many it excluded.
    pub exclusions: Vec<ConstraintExclusion>,
    /// When matching ran.
    pub matched_at: DateTime<Utc>,
}

/// Invite one more organisation from the recommendation list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct InviteToDemandRequest {
    /// An organisation from `GET /demands/{id}/recommendations`.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 64)))]
    pub org_id: String,
}

/// An invitation to respond to a demand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct DemandInvitation {
    /// Invitation id.
    pub id: String,
    /// The demand.
    pub demand_id: String,
    /// Its title.
    pub demand_title: String,
    /// The posting organisation.
    pub poster_org_id: String,
    /// Its name.
    pub poster_org_name: String,
    /// The invited organisation.
    pub org_id: String,
    /// Its name.
    pub org_name: String,
    /// Rank in the recommendations when invited.
    pub rank: i32,
    /// Why it was recommended, in Chinese.
    pub reason: String,
    /// Why it was recommended, in English.
    pub reason_en: String,
    /// The answer so far.
    pub answer: InvitationAnswer,
    /// The invited organisation's note with its answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// When it was sent.
    pub created_at: DateTime<Utc>,
    /// When it was answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_at: Option<DateTime<Utc>>,
}

/// Invitations, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct DemandInvitationPage {
    /// Invitations.
    pub items: Vec<DemandInvitation>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// The invited organisation's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct AnswerDemandInvitationRequest {
    /// `interested` or `declined` (an answer is final).
    pub answer: InvitationAnswer,
    /// A note to the poster, up to 500 characters.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 2000)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}
