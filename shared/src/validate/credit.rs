//! Checks of credit requests: a social-responsibility finding names an organisation, a value
//! that fits its kind and a source.

use super::{Check, Checks, Invalid};
use crate::dto::{CreateCreditFinding, CreditFindingKind};

/// Shortest and longest source text.
pub const SOURCE_CHARS: (usize, usize) = (2, 200);
/// Largest count a finding may record.
pub const MAX_FINDING_COUNT: u32 = 1000;

/// A checked finding: the source and document trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidFinding {
    /// The organisation.
    pub org_id: String,
    /// The source, trimmed.
    pub source: String,
    /// The document's SHA-256, lower case.
    pub document_sha256: Option<String>,
}

impl Check for CreateCreditFinding {
    type Valid = ValidFinding;
    /// `org_id` `required`; `value` `out_of_range` (tax compliance 0 or 1, counts 0–1000);
    /// `source` `required` / `too_short` / `too_long` (2–200 characters); `document_sha256`
    /// `invalid_format` unless 64 hex characters.
    fn check(&self) -> Result<ValidFinding, Invalid> {
        let mut checks = Checks::default();
        let org_id = checks.text("org_id", &self.org_id, 1, 64);
        let max = if self.kind == CreditFindingKind::TaxCompliant { 1 } else { MAX_FINDING_COUNT };
        checks.within("value", i64::from(self.value), 0..=i64::from(max));
        let source = checks.text("source", &self.source, SOURCE_CHARS.0, SOURCE_CHARS.1);
        let document_sha256 =
            self.document_sha256.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(|sha| {
                if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
                    checks.issue("document_sha256", "invalid_format");
                }
                sha.to_ascii_lowercase()
            });
        checks.done(ValidFinding { org_id, source, document_sha256 })
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    fn finding(kind: CreditFindingKind, value: u32, source: &str, sha: Option<&str>) -> CreateCreditFinding {
        CreateCreditFinding {
            org_id: "org".into(),
            kind,
            value,
            source: source.into(),
            document_sha256: sha.map(str::to_owned),
        }
    }

    fn fields(result: Result<ValidFinding, Invalid>) -> Vec<(String, String)> {
        result.expect_err("refused").0.into_iter().map(|i| (i.field, i.issue)).collect()
    }

    #[rstest]
    #[case::tax_compliance_is_one_or_zero(
        finding(CreditFindingKind::TaxCompliant, 2, "税务局公示", None),
        "value",
        "out_of_range"
    )]
    #[case::counts_are_bounded(
        finding(CreditFindingKind::SafetyIncidents, 1001, "应急管理局通报", None),
        "value",
        "out_of_range"
    )]
    #[case::the_source_is_required(
        finding(CreditFindingKind::WageArrearsCases, 1, "  ", None),
        "source",
        "required"
    )]
    #[case::the_source_has_two_characters_at_least(
        finding(CreditFindingKind::WageArrearsCases, 1, "x", None),
        "source",
        "too_short"
    )]
    #[case::the_source_has_200_characters_at_most(finding(CreditFindingKind::WageArrearsCases, 1, &"源".repeat(201), None), "source", "too_long")]
    #[case::a_document_is_named_by_its_sha256(
        finding(CreditFindingKind::TaxCompliant, 1, "税务局公示", Some("abc")),
        "document_sha256",
        "invalid_format"
    )]
    fn bad_findings_name_the_field(
        #[case] body: CreateCreditFinding,
        #[case] field: &str,
        #[case] issue: &str,
    ) {
        assert_eq!(fields(body.check()), vec![(field.to_owned(), issue.to_owned())]);
    }

    #[test]
    fn a_good_finding_is_trimmed() {
        let sha = "AB".repeat(32);
        let valid = finding(CreditFindingKind::SafetyIncidents, 2, " 应急管理局通报 ", Some(&sha))
            .check()
            .expect("valid");
        assert_eq!(valid.source, "应急管理局通报");
        assert_eq!(valid.document_sha256, Some("ab".repeat(32)));
    }
}
