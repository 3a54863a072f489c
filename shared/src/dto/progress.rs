//! Progress logs (进度跟踪) of a contract: the performer's log with its photos, the payer's
//! review, and the schedule the warnings compare against. Rules: `domain::contract::progress`;
//! photo metadata: `domain::exif`.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

pub use crate::domain::contract::progress::{ProgressDecision, ProgressState};
use crate::validate::{Check, Checks, Invalid};

/// Most photos on one log.
pub const MAX_PROGRESS_PHOTOS: usize = 9;
/// Shortest and longest work description, in characters.
pub const WORK_DONE_CHARS: (usize, usize) = (2, 2000);
/// Longest issues text, in characters.
pub const MAX_ISSUES_CHARS: usize = 2000;
/// Shortest and longest review comment, in characters.
pub const REVIEW_COMMENT_CHARS: (usize, usize) = (2, 1000);

/// Post a progress log (the performer).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct ProgressLogInput {
    /// The day the log is about (Asia/Shanghai): not after today, not before the contract's
    /// start date.
    pub date: NaiveDate,
    /// What was done (2–2000 characters).
    pub work_done: String,
    /// Percent of the whole work complete (0–100).
    pub percent: i64,
    /// Problems met, if any (at most 2000 characters; blank is none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issues: Option<String>,
    /// Photos: ids (SHA-256) of JPEG, PNG or WebP files the caller uploaded (at most 9).
    #[serde(default)]
    pub photos: Vec<String>,
    /// The log this one revises (its changes were requested), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revises: Option<String>,
}

/// A checked log: date, work done, percent, issues, photos (repeats dropped), revises.
pub type ValidLog = (NaiveDate, String, u8, Option<String>, Vec<String>, Option<String>);

impl Check for ProgressLogInput {
    type Valid = ValidLog;

    /// `work_done` `required` / `too_short` / `too_long`; `percent` `out_of_range`; `issues`
    /// `too_long`; `photos` `too_many`. The date against today and the start is
    /// `domain::contract::progress::date_issue`.
    fn check(&self) -> Result<ValidLog, Invalid> {
        let mut checks = Checks::default();
        let work_done = checks.text("work_done", &self.work_done, WORK_DONE_CHARS.0, WORK_DONE_CHARS.1);
        checks.within("percent", self.percent, 0..=100);
        let issues = checks.optional_text("issues", self.issues.as_deref(), MAX_ISSUES_CHARS);
        let mut photos: Vec<String> = Vec::new();
        for sha in &self.photos {
            if !photos.contains(sha) {
                photos.push(sha.clone());
            }
        }
        if photos.len() > MAX_PROGRESS_PHOTOS {
            checks.issue("photos", "too_many");
        }
        let revises = self.revises.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned);
        let percent = u8::try_from(self.percent.clamp(0, 100)).unwrap_or(0);
        checks.done((self.date, work_done, percent, issues, photos, revises))
    }
}

/// The payer's review of a log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct ProgressReviewInput {
    /// Approve, or request changes.
    pub decision: ProgressDecision,
    /// Why (2–1000 characters): required to request changes, optional to approve.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl Check for ProgressReviewInput {
    type Valid = (ProgressDecision, Option<String>);

    /// `comment` `required` to request changes, `too_short` / `too_long`.
    fn check(&self) -> Result<Self::Valid, Invalid> {
        let mut checks = Checks::default();
        let (min, max) = REVIEW_COMMENT_CHARS;
        let comment = checks.optional_text("comment", self.comment.as_deref(), max);
        if let Some(text) = &comment
            && text.chars().count() < min
        {
            checks.issue("comment", "too_short");
        }
        if self.decision == ProgressDecision::RequestChanges && comment.is_none() {
            checks.issue("comment", "required");
        }
        checks.done((self.decision, comment))
    }
}

/// A photo on a log, with what its EXIF says (shown to the parties and the supervisor only; no
/// other view of the photo carries it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct ProgressPhotoView {
    /// The file id: `GET /files/{sha256}`.
    pub sha256: String,
    /// `image/jpeg`, `image/png` or `image/webp`.
    pub content_type: String,
    /// When the camera says it was taken (its local time, no zone: EXIF `DateTimeOriginal`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captured_at: Option<NaiveDateTime>,
    /// Where it was taken: latitude, decimal degrees (EXIF GPS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    /// Where it was taken: longitude, decimal degrees (EXIF GPS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
}

/// The payer's review of a log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct ProgressReviewView {
    /// Approved or changes requested.
    pub decision: ProgressDecision,
    /// The reviewer's comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Who reviewed.
    pub reviewer_name: String,
    /// When.
    pub reviewed_at: DateTime<Utc>,
}

/// A progress log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct ProgressLogView {
    /// Log id.
    pub id: String,
    /// The contract.
    pub contract_id: String,
    /// The day it is about.
    pub date: NaiveDate,
    /// What was done.
    pub work_done: String,
    /// Percent of the whole work complete.
    pub percent: u8,
    /// Problems met.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issues: Option<String>,
    /// Photos, in the order given.
    pub photos: Vec<ProgressPhotoView>,
    /// Where it stands.
    pub status: ProgressState,
    /// Who posted it.
    pub posted_by_name: String,
    /// When.
    pub posted_at: DateTime<Utc>,
    /// The log it revises.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revises: Option<String>,
    /// The log that revises it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revised_by: Option<String>,
    /// The payer's review, once reviewed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<ProgressReviewView>,
}

/// Where the work stands against the plan today.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct ProgressScheduleView {
    /// Today's business date (Asia/Shanghai).
    pub today: NaiveDate,
    /// What the plan expects complete today, percent.
    pub expected_percent: u8,
    /// The latest log's percent whose changes were not requested (0 without one).
    pub reported_percent: u8,
    /// Days behind the plan (0 when on time or ahead).
    pub slip_days: i64,
    /// The latest log's date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_log_date: Option<NaiveDate>,
}

/// A page of a contract's progress logs, newest first, with the schedule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct ProgressLogPage {
    /// The logs.
    pub items: Vec<ProgressLogView>,
    /// Pass as `cursor` for the next page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    /// Where the work stands against the plan.
    pub schedule: ProgressScheduleView,
}
