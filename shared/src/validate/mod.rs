//! Field checks shared by the API and the SPA: one request is validated once, here, with the
//! same field codes on both sides (`required`, `too_short`, `too_long`, `too_many`, `negative`,
//! `too_large`, `unknown_region`, `unknown_category`, `out_of_range`, `duplicate`). A check
//! collects every problem so one response (or one form) names all of them.
//!
//! Each create or update request has its check here, one module per feature:
//! - a request that stands alone implements [`Check`]: `request.check()` gives its typed,
//!   trimmed values or every field issue;
//! - an update is checked as a whole against what is stored: `request.apply(current)` gives the
//!   new fields (e.g. [`market::DemandFields`]) or every issue;
//! - what a check needs besides the request (today's date) is a parameter, never read inside.
//!
//! What needs the database (a file the caller uploaded, a name already taken) is checked by the
//! API after this, with the same field codes.

pub mod account;
pub mod community;
pub mod contracts;
pub mod credit;
pub mod disputes;
pub mod market;
pub mod membership;
pub mod orgs;
pub mod staff;
pub mod tenders;
pub mod verification;

use crate::dto::FieldIssue;

/// A request checked once, here, by the API and the SPA alike.
pub trait Check {
    /// What a valid request gives: trimmed text, deduplicated lists, typed values.
    type Valid;
    /// Checks every field, naming every problem.
    fn check(&self) -> Result<Self::Valid, Invalid>;
}

/// Every problem a request had, by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid(pub Vec<FieldIssue>);

/// Most tags on one object, and most characters in one tag.
pub const MAX_TAGS: usize = 10;
pub const MAX_TAG_CHARS: usize = 20;
/// Most files attached to one object.
pub const MAX_FILES: usize = 10;
/// Largest amount accepted anywhere: ¥100 billion in fen.
pub const MAX_AMOUNT_FEN: i64 = 10_000_000_000_000;

/// Collects field problems so one response names all of them.
#[derive(Default)]
pub struct Checks {
    issues: Vec<FieldIssue>,
}

impl Checks {
    /// Records a problem.
    pub fn issue(&mut self, field: &str, issue: &str) {
        self.issues.push(FieldIssue::new(field, issue));
    }

    /// Trimmed text of `min..=max` characters.
    pub fn text(&mut self, field: &str, value: &str, min: usize, max: usize) -> String {
        let trimmed = value.trim();
        let chars = trimmed.chars().count();
        if chars == 0 && min > 0 {
            self.issue(field, "required");
        } else if chars < min {
            self.issue(field, "too_short");
        } else if chars > max {
            self.issue(field, "too_long");
        }
        trimmed.to_owned()
    }

    /// Optional text: blank becomes `None`.
    pub fn optional_text(&mut self, field: &str, value: Option<&str>, max: usize) -> Option<String> {
        let value = value.map(str::trim).filter(|v| !v.is_empty())?;
        Some(self.text(field, value, 1, max))
    }

    /// An amount in fen within `0..=MAX_AMOUNT_FEN`.
    pub fn amount(&mut self, field: &str, fen: i64) {
        if fen < 0 {
            self.issue(field, "negative");
        } else if fen > MAX_AMOUNT_FEN {
            self.issue(field, "too_large");
        }
    }

    /// A GB/T 2260 code that exists (blank: `required`).
    pub fn region(&mut self, field: &str, code: &str) {
        if code.trim().is_empty() {
            self.issue(field, "required");
        } else if !crate::gb2260::exists(code) {
            self.issue(field, "unknown_region");
        }
    }

    /// A list of existing region codes, `min..=max` long, without repeats.
    pub fn regions(&mut self, field: &str, codes: &[String], min: usize, max: usize) -> Vec<String> {
        if codes.len() < min {
            self.issue(field, "required");
        } else if codes.len() > max {
            self.issue(field, "too_many");
        }
        let mut out: Vec<String> = Vec::new();
        for (i, code) in codes.iter().enumerate() {
            self.region(&format!("{field}[{i}]"), code);
            if !out.contains(code) {
                out.push(code.clone());
            }
        }
        out
    }

    /// A taxonomy category code (blank: `required`).
    pub fn category(&mut self, field: &str, code: &str) {
        if code.trim().is_empty() {
            self.issue(field, "required");
        } else if crate::taxonomy::category(code).is_none() {
            self.issue(field, "unknown_category");
        }
    }

    /// Uploaded file ids: at most [`MAX_FILES`], repeats dropped. Whether the caller uploaded
    /// them is the API's check (`unknown_file`).
    pub fn files(&mut self, field: &str, files: &[String]) -> Vec<String> {
        if files.len() > MAX_FILES {
            self.issue(field, "too_many");
        }
        let mut out: Vec<String> = Vec::new();
        for sha in files {
            if !out.contains(sha) {
                out.push(sha.clone());
            }
        }
        out
    }

    /// A whole number within `range` (`out_of_range` otherwise).
    pub fn within(&mut self, field: &str, value: i64, range: std::ops::RangeInclusive<i64>) {
        if !range.contains(&value) {
            self.issue(field, "out_of_range");
        }
    }

    /// Coordinates: both or neither, in range.
    pub fn coordinates(&mut self, latitude: Option<f64>, longitude: Option<f64>) {
        match (latitude, longitude) {
            (Some(lat), Some(lng)) => {
                if !(-90.0..=90.0).contains(&lat) {
                    self.issue("latitude", "out_of_range");
                }
                if !(-180.0..=180.0).contains(&lng) {
                    self.issue("longitude", "out_of_range");
                }
            }
            (None, None) => {}
            (None, Some(_)) => self.issue("latitude", "required"),
            (Some(_), None) => self.issue("longitude", "required"),
        }
    }

    /// Tags: trimmed, non-empty, unique, at most [`MAX_TAGS`] of [`MAX_TAG_CHARS`].
    pub fn tags(&mut self, tags: &[String]) -> Vec<String> {
        if tags.len() > MAX_TAGS {
            self.issue("tags", "too_many");
        }
        let mut out: Vec<String> = Vec::new();
        for (i, tag) in tags.iter().enumerate() {
            let tag = self.text(&format!("tags[{i}]"), tag, 1, MAX_TAG_CHARS);
            if !tag.is_empty() && !out.contains(&tag) {
                out.push(tag);
            }
        }
        out
    }

    /// Fails with every recorded problem.
    pub fn finish(self) -> Result<(), Invalid> {
        if self.issues.is_empty() { Ok(()) } else { Err(Invalid(self.issues)) }
    }

    /// `value` when nothing was recorded, else every recorded problem.
    pub fn done<T>(self, value: T) -> Result<T, Invalid> {
        self.finish().map(|()| value)
    }
}
