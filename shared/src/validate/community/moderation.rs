//! Checks of moderation: a report, a sanction, an appeal and the decision on it. Each needs a
//! reason of two characters or more, so that an admin (or the sanctioned person) reads why.

use super::super::{Check, Invalid};
use super::one_text;
use crate::dto::{CreateAppealRequest, CreateReportRequest, CreateSanctionRequest, DecideAppealRequest};

/// Longest reason of a report, sanction or appeal decision.
pub const MAX_REASON_CHARS: usize = 500;
/// Longest statement of an appeal.
pub const MAX_STATEMENT_CHARS: usize = 2000;

impl Check for CreateReportRequest {
    /// What is wrong, trimmed (2–500 characters).
    type Valid = String;
    fn check(&self) -> Result<String, Invalid> {
        one_text("reason", &self.reason, 2, MAX_REASON_CHARS)
    }
}

impl Check for CreateSanctionRequest {
    /// Why, trimmed (2–500 characters).
    type Valid = String;
    fn check(&self) -> Result<String, Invalid> {
        one_text("reason", &self.reason, 2, MAX_REASON_CHARS)
    }
}

impl Check for CreateAppealRequest {
    /// Why the sanction is wrong, trimmed (2–2,000 characters).
    type Valid = String;
    fn check(&self) -> Result<String, Invalid> {
        one_text("statement", &self.statement, 2, MAX_STATEMENT_CHARS)
    }
}

impl Check for DecideAppealRequest {
    /// Why, trimmed (2–500 characters).
    type Valid = String;
    fn check(&self) -> Result<String, Invalid> {
        one_text("reason", &self.reason, 2, MAX_REASON_CHARS)
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::super::test_util::{issues, pairs};
    use super::*;
    use crate::dto::ReportTarget;

    fn report(reason: &str) -> CreateReportRequest {
        CreateReportRequest { target_kind: ReportTarget::Post, target_id: "p1".into(), reason: reason.into() }
    }

    #[rstest]
    #[case(" ", "required")]
    #[case(" 广 ", "too_short")]
    #[case(&"广".repeat(501), "too_long")]
    fn a_report_needs_a_reason_of_2_to_500_characters(#[case] reason: &str, #[case] issue: &str) {
        assert_eq!(issues(report(reason).check()), pairs(&[("reason", issue)]));
    }

    #[test]
    fn reasons_come_back_trimmed() {
        assert_eq!(report(" 广告引流 ").check().expect("valid"), "广告引流");
        let sanction =
            CreateSanctionRequest {
                user_id: "u".into(), reason: " 多次发广告 ".into(), report_id: None
            };
        assert_eq!(sanction.check().expect("valid"), "多次发广告");
    }

    #[rstest]
    #[case(CreateSanctionRequest { user_id: "u".into(), reason: "x".into(), report_id: None }.check(), "reason")]
    #[case(CreateAppealRequest { statement: "冤".into() }.check(), "statement")]
    #[case(DecideAppealRequest { overturn: false, reason: "否".into() }.check(), "reason")]
    fn a_sanction_and_an_appeal_say_why(#[case] result: Result<String, Invalid>, #[case] field: &str) {
        assert_eq!(issues(result), pairs(&[(field, "too_short")]));
    }

    #[test]
    fn an_appeal_statement_may_be_longer_than_a_reason() {
        let statement = "申".repeat(MAX_STATEMENT_CHARS);
        assert!(CreateAppealRequest { statement: statement.clone() }.check().is_ok());
        let body = CreateAppealRequest { statement: format!("{statement}诉") };
        assert_eq!(issues(body.check()), pairs(&[("statement", "too_long")]));
    }
}
