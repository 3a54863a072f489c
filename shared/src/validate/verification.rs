//! Checks of the real-name verification requests: a submission (the legal representative, the
//! ID number's checksum, certificates against the taxonomy and not expired), a reviewer's
//! decision and the reason to reveal an ID number. Whether each file is one the submitter
//! uploaded, and a PDF or image, is the API's check (`unknown_file`, `pdf_or_image_required`).

use chrono::NaiveDate;

use super::{Check, Checks, Invalid};
use crate::domain::identity::ResidentId;
use crate::dto::{
    QualificationInput, RevealRequest, ReviewDecisionRequest, ReviewOutcome, SubmitVerificationRequest,
};

/// Characters in the legal representative's name.
pub const LEGAL_REPRESENTATIVE_NAME_CHARS: std::ops::RangeInclusive<usize> = 2..=30;

/// A submission, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct SubmissionFields {
    /// The legal representative's name, trimmed.
    pub legal_representative_name: String,
    /// The legal representative's ID number, checksum verified.
    pub legal_representative_id_number: ResidentId,
    /// The certificates, numbers trimmed.
    pub qualifications: Vec<QualificationInput>,
}

impl SubmitVerificationRequest {
    /// Checks every field; a certificate that expired before `today` is refused.
    pub fn check_on(&self, today: NaiveDate) -> Result<SubmissionFields, Invalid> {
        let mut checks = Checks::default();
        let name = self.legal_representative_name.trim().to_owned();
        if name.is_empty() {
            checks.issue("legal_representative_name", "required");
        } else if !LEGAL_REPRESENTATIVE_NAME_CHARS.contains(&name.chars().count()) {
            checks.issue("legal_representative_name", "invalid_length");
        }
        let id_number = ResidentId::parse(&self.legal_representative_id_number);
        if id_number.is_err() {
            checks.issue("legal_representative_id_number", "invalid_id_number");
        }
        let mut qualifications = Vec::new();
        for (i, q) in self.qualifications.iter().enumerate() {
            let field = |name: &str| format!("qualifications[{i}].{name}");
            match crate::taxonomy::qualification_type(&q.type_code) {
                None => checks.issue(&field("type_code"), "unknown_qualification_type"),
                Some(kind) if kind.rank(&q.grade).is_none() => checks.issue(&field("grade"), "unknown_grade"),
                Some(_) => {}
            }
            if q.number.trim().is_empty() {
                checks.issue(&field("number"), "required");
            }
            if q.expires_on < today {
                checks.issue(&field("expires_on"), "expired");
            }
            qualifications.push(QualificationInput { number: q.number.trim().to_owned(), ..q.clone() });
        }
        match id_number {
            Ok(id_number) => checks.done(SubmissionFields {
                legal_representative_name: name,
                legal_representative_id_number: id_number,
                qualifications,
            }),
            Err(_) => Err(Invalid(checks.issues)),
        }
    }
}

impl Check for ReviewDecisionRequest {
    /// The reason, trimmed; blank is none.
    type Valid = Option<String>;
    /// A rejection must say why.
    fn check(&self) -> Result<Option<String>, Invalid> {
        let mut checks = Checks::default();
        let reason = self.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned);
        if self.decision == ReviewOutcome::Reject && reason.is_none() {
            checks.issue("reason", "required");
        }
        checks.done(reason)
    }
}

impl Check for RevealRequest {
    /// The reason, trimmed.
    type Valid = String;
    /// Revealing a full ID number must say why.
    fn check(&self) -> Result<String, Invalid> {
        let mut checks = Checks::default();
        let reason = self.reason.trim().to_owned();
        if reason.is_empty() {
            checks.issue("reason", "required");
        }
        checks.done(reason)
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;
    use crate::dto::FieldIssue;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 7).expect("a date")
    }

    fn issues(result: Result<impl std::fmt::Debug, Invalid>) -> Vec<(String, String)> {
        result.expect_err("refused").0.into_iter().map(|FieldIssue { field, issue }| (field, issue)).collect()
    }

    fn one(field: &str, issue: &str) -> Vec<(String, String)> {
        vec![(field.into(), issue.into())]
    }

    fn submission() -> SubmitVerificationRequest {
        SubmitVerificationRequest {
            licence_file: "licence".into(),
            legal_representative_name: " 王建国 ".into(),
            legal_representative_id_number: "11010519491231002X".into(),
            qualifications: vec![QualificationInput {
                type_code: "professional_contracting".into(),
                grade: "second".into(),
                number: " D133000001 ".into(),
                expires_on: today(),
                file: "certificate".into(),
            }],
        }
    }

    #[test]
    fn a_valid_submission_is_trimmed() {
        let fields = submission().check_on(today()).expect("valid");
        assert_eq!(fields.legal_representative_name, "王建国");
        assert_eq!(fields.legal_representative_id_number.as_str(), "11010519491231002X");
        assert_eq!(fields.qualifications[0].number, "D133000001");
    }

    #[rstest]
    #[case::name_blank(|b: &mut SubmitVerificationRequest| b.legal_representative_name = "  ".into(), "legal_representative_name", "required")]
    #[case::name_too_short(|b: &mut SubmitVerificationRequest| b.legal_representative_name = " 王 ".into(), "legal_representative_name", "invalid_length")]
    #[case::name_too_long(|b: &mut SubmitVerificationRequest| b.legal_representative_name = "王".repeat(31), "legal_representative_name", "invalid_length")]
    #[case::bad_id_number(|b: &mut SubmitVerificationRequest| b.legal_representative_id_number = "110105194912310021".into(), "legal_representative_id_number", "invalid_id_number")]
    #[case::unknown_type(|b: &mut SubmitVerificationRequest| b.qualifications[0].type_code = "nothing".into(), "qualifications[0].type_code", "unknown_qualification_type")]
    #[case::unknown_grade(|b: &mut SubmitVerificationRequest| b.qualifications[0].grade = "tenth".into(), "qualifications[0].grade", "unknown_grade")]
    #[case::blank_number(|b: &mut SubmitVerificationRequest| b.qualifications[0].number = " ".into(), "qualifications[0].number", "required")]
    #[case::expired(|b: &mut SubmitVerificationRequest| b.qualifications[0].expires_on = today().pred_opt().expect("a date"), "qualifications[0].expires_on", "expired")]
    fn a_submission_is_refused(
        #[case] change: fn(&mut SubmitVerificationRequest),
        #[case] field: &str,
        #[case] issue: &str,
    ) {
        let mut body = submission();
        change(&mut body);
        assert_eq!(issues(body.check_on(today())), one(field, issue));
    }

    #[rstest]
    #[case::reject_without_reason(ReviewOutcome::Reject, None)]
    #[case::reject_with_blank_reason(ReviewOutcome::Reject, Some(" "))]
    fn a_rejection_needs_a_reason(#[case] decision: ReviewOutcome, #[case] reason: Option<&str>) {
        let body = ReviewDecisionRequest { decision, reason: reason.map(str::to_owned) };
        assert_eq!(issues(body.check()), one("reason", "required"));
    }

    #[test]
    fn an_approval_needs_no_reason() {
        let body = ReviewDecisionRequest { decision: ReviewOutcome::Approve, reason: Some("  ".into()) };
        assert_eq!(body.check(), Ok(None));
    }

    #[test]
    fn a_reveal_needs_a_reason() {
        assert_eq!(issues(RevealRequest { reason: "  ".into() }.check()), one("reason", "required"));
        assert_eq!(RevealRequest { reason: " 核对 ".into() }.check(), Ok("核对".into()));
    }
}
