//! Uploaded files and real-name verification: the submission (licence, legal representative's
//! ID number, qualification certificates), the reviewer's queue and decision, taxonomies.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::VerificationStatus;

/// A stored file (content-addressed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct FileInfo {
    /// SHA-256 of the content, hex; the file's id.
    pub sha256: String,
    /// Size in bytes.
    pub size: i64,
    /// Detected type: `application/pdf`, `image/jpeg`, `image/png` or `image/webp`.
    pub content_type: String,
}

/// One qualification certificate in a submission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct QualificationInput {
    /// Type code from `GET /taxonomies/qualifications`.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 64)))]
    pub type_code: String,
    /// Grade code of that type (e.g. `first`, `class_a`, `held`).
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 32)))]
    pub grade: String,
    /// Certificate number.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 64)))]
    pub number: String,
    /// Last valid day.
    pub expires_on: NaiveDate,
    /// SHA-256 of the uploaded scan.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 64)))]
    pub file: String,
}

/// Submit (or resubmit after a rejection) the organisation's real-name verification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct SubmitVerificationRequest {
    /// SHA-256 of the uploaded business licence.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 64)))]
    pub licence_file: String,
    /// Legal representative's name.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 50)))]
    pub legal_representative_name: String,
    /// Legal representative's resident ID number (GB 11643 checksum). Stored encrypted; only
    /// ever shown masked.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 32)))]
    pub legal_representative_id_number: String,
    /// Qualification certificates (may be empty).
    #[cfg_attr(feature = "openapi", oai(validator(max_items = 20)))]
    pub qualifications: Vec<QualificationInput>,
}

/// A certificate as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct QualificationView {
    /// Type code.
    pub type_code: String,
    /// Type name (Chinese).
    pub type_name: String,
    /// Grade code.
    pub grade: String,
    /// Grade name (Chinese).
    pub grade_name: String,
    /// Certificate number.
    pub number: String,
    /// Last valid day.
    pub expires_on: NaiveDate,
    /// SHA-256 of the scan.
    pub file: String,
}

/// A verification submission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct VerificationView {
    /// Submission id.
    pub id: String,
    /// The organisation.
    pub org_id: String,
    /// Its name.
    pub org_name: String,
    /// Its USCC (checked at creation).
    pub uscc: String,
    /// `pending`, `verified` or `rejected`.
    pub status: VerificationStatus,
    /// When it was submitted.
    pub submitted_at: DateTime<Utc>,
    /// SHA-256 of the licence scan.
    pub licence_file: String,
    /// Legal representative's name.
    pub legal_representative_name: String,
    /// The ID number, masked (e.g. `1101**********1234`).
    pub legal_representative_id_masked: String,
    /// Certificates.
    pub qualifications: Vec<QualificationView>,
    /// When it was decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed_at: Option<DateTime<Utc>>,
    /// The reviewer's reason (always given for a rejection).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Where an organisation stands in verification, with its latest submission if there is one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct VerificationState {
    /// The organisation's verification status.
    pub status: VerificationStatus,
    /// The newest submission; absent while nothing has been submitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest: Option<VerificationView>,
}

/// The reviewer's queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct VerificationQueue {
    /// Oldest first.
    pub items: Vec<VerificationView>,
}

/// A reviewer's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum ReviewOutcome {
    /// The organisation is verified.
    Approve,
    /// Sent back with a reason; the organisation may resubmit.
    Reject,
}

/// Decide a submission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct ReviewDecisionRequest {
    /// Approve or reject.
    pub decision: ReviewOutcome,
    /// Why (required to reject; shown to the organisation).
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 1000)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Reveal a full ID number (audited).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct RevealRequest {
    /// Why the full number is needed (kept in the audit log).
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 500)))]
    pub reason: String,
}

/// A revealed ID number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct RevealedIdNumber {
    /// The full resident ID number.
    pub id_number: String,
}

/// A taxonomy entry for pickers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct TaxonomyEntry {
    /// Stable code.
    pub code: String,
    /// Chinese name.
    pub zh: String,
    /// English name.
    pub en: String,
    /// Grades, top first (qualification types only).
    pub grades: Vec<TaxonomyEntry>,
    /// Group (categories only: works, labour, materials, equipment, services, finance).
    pub group: String,
}

/// A taxonomy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct TaxonomyList {
    /// Entries.
    pub items: Vec<TaxonomyEntry>,
}

/// A GB/T 2260 region for pickers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct RegionEntry {
    /// Six-digit code.
    pub code: String,
    /// Name.
    pub name: String,
}

/// Regions directly below a parent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct RegionList {
    /// The regions.
    pub items: Vec<RegionEntry>,
}
