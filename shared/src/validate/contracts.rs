//! Checks of the contract requests: saving terms as a new version (the payment plan's own checks
//! are `domain::contract::milestones`, reported under `plan.`) and signing.

use chrono::NaiveDate;

use super::{Check, Checks, Invalid};
use crate::domain::contract::document::ContractTerms;
use crate::dto::{ContractTermsRequest, FieldIssue, SignContractRequest};

/// Title length, in characters.
pub const TITLE_CHARS: (usize, usize) = (4, 100);
/// Scope length, in characters.
pub const SCOPE_CHARS: (usize, usize) = (10, 5000);
/// Dispute clause length, in characters.
pub const DISPUTE_CLAUSE_CHARS: (usize, usize) = (10, 1000);
/// Longest duration, in days.
pub const MAX_DURATION_DAYS: i64 = 3650;

impl ContractTermsRequest {
    /// Checks the terms on `today` (Shanghai): `title` and `scope` `required` / `too_short` /
    /// `too_long`; the plan's issues under `plan.` (e.g. `plan.milestones` `shares_not_100`,
    /// `plan.performance_bond_bp` `below_high_risk_minimum`); `duration_days` `out_of_range`
    /// outside 1–3650; `start_date` `in_the_past`; `dispute_clause` `required` / `too_short` /
    /// `too_long`; `supervisor_org_id` `required` when given blank.
    ///
    /// # Errors
    /// Every field issue.
    pub fn check_on(&self, today: NaiveDate) -> Result<(ContractTerms, Option<String>), Invalid> {
        let mut checks = Checks::default();
        let title = checks.text("title", &self.title, TITLE_CHARS.0, TITLE_CHARS.1);
        let scope = checks.text("scope", &self.scope, SCOPE_CHARS.0, SCOPE_CHARS.1);
        let plan = match self.plan.check() {
            Ok(plan) => Some(plan),
            Err(Invalid(issues)) => {
                for FieldIssue { field, issue } in issues {
                    checks.issue(&format!("plan.{field}"), &issue);
                }
                None
            }
        };
        checks.within("duration_days", self.duration_days, 1..=MAX_DURATION_DAYS);
        if self.start_date < today {
            checks.issue("start_date", "in_the_past");
        }
        let dispute_clause = checks.text(
            "dispute_clause",
            &self.dispute_clause,
            DISPUTE_CLAUSE_CHARS.0,
            DISPUTE_CLAUSE_CHARS.1,
        );
        let supervisor = self.supervisor_org_id.as_deref().map(str::trim);
        if supervisor == Some("") {
            checks.issue("supervisor_org_id", "required");
        }
        checks.finish()?;
        let plan = plan.ok_or_else(|| Invalid(Vec::new()))?;
        let terms = ContractTerms {
            template: self.template,
            title,
            scope,
            plan,
            duration_days: u32::try_from(self.duration_days).unwrap_or(1),
            start_date: self.start_date,
            dispute_clause,
        };
        Ok((terms, supervisor.map(str::to_owned)))
    }
}

impl Check for SignContractRequest {
    type Valid = ();

    /// `sha256` `invalid_format` unless 64 hex characters; `password` `required`; `consent`
    /// `required` unless `true`.
    fn check(&self) -> Result<(), Invalid> {
        let mut checks = Checks::default();
        if self.sha256.len() != 64 || !self.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            checks.issue("sha256", "invalid_format");
        }
        if self.password.is_empty() {
            checks.issue("password", "required");
        }
        if !self.consent {
            checks.issue("consent", "required");
        }
        checks.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::{Allocation, ContractTemplate, MilestoneInput, PaymentPlanInput};

    fn date(text: &str) -> NaiveDate {
        text.parse().expect("date")
    }

    fn request(shares: [i64; 3]) -> ContractTermsRequest {
        let milestone = |name: &str, value, day: &str| MilestoneInput {
            name: name.into(),
            value,
            planned_date: date(day),
            due_condition: if name == "预付款" { String::new() } else { "验收合格".into() },
        };
        ContractTermsRequest {
            based_on_version: 1,
            template: ContractTemplate::Subcontracting,
            title: " 体育馆钢结构分包合同 ".into(),
            scope: "主体钢结构制作与安装，含防腐防火涂装".into(),
            plan: PaymentPlanInput {
                amount_fen: 950_000_000,
                allocation: Allocation::Shares,
                milestones: vec![
                    milestone("预付款", shares[0], "2027-01-10"),
                    milestone("主体完工", shares[1], "2027-03-01"),
                    milestone("竣工验收", shares[2], "2027-05-01"),
                ],
                retention_bp: 300,
                performance_bond_bp: 0,
                warranty_months: 24,
            },
            duration_days: 120,
            start_date: date("2027-01-10"),
            supervisor_org_id: None,
            dispute_clause: "提交杭州仲裁委员会仲裁解决".into(),
        }
    }

    fn codes(result: Result<impl std::fmt::Debug, Invalid>) -> Vec<(String, String)> {
        result.expect_err("invalid").0.into_iter().map(|i| (i.field, i.issue)).collect()
    }

    #[test]
    fn sound_terms_pass_trimmed_with_amounts_that_add_up() {
        let (terms, supervisor) = request([1_000, 6_000, 3_000]).check_on(date("2027-01-01")).expect("valid");
        assert_eq!(terms.title, "体育馆钢结构分包合同");
        assert_eq!(terms.plan.milestones.iter().map(|m| m.amount_fen).sum::<i64>(), 950_000_000);
        assert_eq!(supervisor, None);
    }

    #[test]
    fn shares_of_99_99_and_100_01_percent_are_refused_under_plan() {
        for shares in [[1_000, 6_000, 2_999], [1_000, 6_000, 3_001]] {
            assert_eq!(
                codes(request(shares).check_on(date("2027-01-01"))),
                vec![("plan.milestones".to_owned(), "shares_not_100".to_owned())]
            );
        }
    }

    #[test]
    fn a_high_advance_needs_a_bond_and_dates_and_texts_are_checked() {
        let mut bad = request([4_000, 3_000, 3_000]);
        bad.duration_days = 0;
        bad.title = "短".into();
        bad.dispute_clause = String::new();
        bad.supervisor_org_id = Some(" ".into());
        assert_eq!(
            codes(bad.check_on(date("2027-02-01"))),
            vec![
                ("title".to_owned(), "too_short".to_owned()),
                ("plan.performance_bond_bp".to_owned(), "below_high_risk_minimum".to_owned()),
                ("duration_days".to_owned(), "out_of_range".to_owned()),
                ("start_date".to_owned(), "in_the_past".to_owned()),
                ("dispute_clause".to_owned(), "required".to_owned()),
                ("supervisor_org_id".to_owned(), "required".to_owned()),
            ]
        );
    }

    #[test]
    fn signing_needs_a_hash_a_password_and_consent() {
        let sign =
            SignContractRequest { sha256: "xyz".into(), password: String::new(), code: None, consent: false };
        assert_eq!(
            codes(sign.check()),
            vec![
                ("sha256".to_owned(), "invalid_format".to_owned()),
                ("password".to_owned(), "required".to_owned()),
                ("consent".to_owned(), "required".to_owned()),
            ]
        );
        let good =
            SignContractRequest { sha256: "a".repeat(64), password: "x".into(), code: None, consent: true };
        assert!(good.check().is_ok());
    }
}
