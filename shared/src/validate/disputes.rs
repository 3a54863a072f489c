//! Checks of dispute requests: a filing's claim, amount and evidence; the texts of the actions;
//! an agreement's movements; the arbitration case and decision; a mediation message.

use super::{Check, Checks, Invalid, MAX_FILES};
use crate::dto::{
    AssignMediatorRequest, AwardPaymentRequest, CompensationDecisionRequest, CreateDisputeMessage,
    DisputeText, EscrowMovementInput, FileDisputeRequest, RecordAgreementRequest, RecordDecisionRequest,
    RegisterArbitrationRequest, SignAgreementRequest,
};

/// Shortest and longest claim.
pub const CLAIM_CHARS: (usize, usize) = (10, 2000);
/// Files a mediation message may carry.
pub const MESSAGE_FILES: usize = 5;
/// Movements an agreement may make.
pub const MAX_MOVEMENTS: usize = 10;

fn sha256(checks: &mut Checks, field: &str, sha: &str) -> String {
    let sha = sha.trim().to_ascii_lowercase();
    if sha.is_empty() {
        checks.issue(field, "required");
    } else if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
        checks.issue(field, "invalid_format");
    }
    sha
}

fn file_list(checks: &mut Checks, field: &str, files: &[String], max: usize) -> Vec<String> {
    if files.len() > max {
        checks.issue(field, "too_many");
    }
    let mut out: Vec<String> = Vec::new();
    for (i, sha) in files.iter().enumerate() {
        let sha = sha256(checks, &format!("{field}[{i}]"), sha);
        if !out.contains(&sha) {
            out.push(sha);
        }
    }
    out
}

/// A checked filing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidFiling {
    /// The contract.
    pub contract_id: String,
    /// The claim, trimmed.
    pub claim: String,
    /// Amount claimed, fen.
    pub amount_fen: i64,
    /// Evidence, lower case, without repeats.
    pub evidence: Vec<String>,
}

impl Check for FileDisputeRequest {
    type Valid = ValidFiling;
    /// `contract_id` `required`; `claim` `required` / `too_short` / `too_long` (10–2000);
    /// `amount_fen` `negative` / `too_large`; `evidence` `too_many` (> 10), `evidence[i]`
    /// `invalid_format` (not a SHA-256). Whether the amount fits the contract and the files
    /// exist with an allowed type is the API's check.
    fn check(&self) -> Result<ValidFiling, Invalid> {
        let mut checks = Checks::default();
        let contract_id = checks.text("contract_id", &self.contract_id, 1, 64);
        let claim = checks.text("claim", &self.claim, CLAIM_CHARS.0, CLAIM_CHARS.1);
        checks.amount("amount_fen", self.amount_fen);
        let evidence = file_list(&mut checks, "evidence", &self.evidence, MAX_FILES);
        checks.done(ValidFiling { contract_id, claim, amount_fen: self.amount_fen, evidence })
    }
}

impl Check for DisputeText {
    type Valid = String;
    /// `text` `required` / `too_long` (1–2000).
    fn check(&self) -> Result<String, Invalid> {
        let mut checks = Checks::default();
        let text = checks.text("text", &self.text, 1, 2000);
        checks.done(text)
    }
}

impl Check for AssignMediatorRequest {
    type Valid = String;
    /// `mediator_id` `required` / `too_long`.
    fn check(&self) -> Result<String, Invalid> {
        let mut checks = Checks::default();
        let id = checks.text("mediator_id", &self.mediator_id, 1, 64);
        checks.done(id)
    }
}

impl Check for RecordAgreementRequest {
    type Valid = (String, Vec<EscrowMovementInput>);
    /// `terms` `required` / `too_long` (1–4000); `escrow_movements` `too_many` (> 10);
    /// `escrow_movements[i].amount_fen` `out_of_range` (must be positive) / `too_large`.
    fn check(&self) -> Result<Self::Valid, Invalid> {
        let mut checks = Checks::default();
        let terms = checks.text("terms", &self.terms, 1, 4000);
        if self.escrow_movements.len() > MAX_MOVEMENTS {
            checks.issue("escrow_movements", "too_many");
        }
        for (i, m) in self.escrow_movements.iter().enumerate() {
            let field = format!("escrow_movements[{i}].amount_fen");
            if m.amount_fen <= 0 {
                checks.issue(&field, "out_of_range");
            } else {
                checks.amount(&field, m.amount_fen);
            }
        }
        checks.done((terms, self.escrow_movements.clone()))
    }
}

impl Check for RegisterArbitrationRequest {
    type Valid = (String, String);
    /// `institution` `required` / `too_short` / `too_long` (2–100); `case_number` `required` /
    /// `too_long` (1–60).
    fn check(&self) -> Result<Self::Valid, Invalid> {
        let mut checks = Checks::default();
        let institution = checks.text("institution", &self.institution, 2, 100);
        let case_number = checks.text("case_number", &self.case_number, 1, 60);
        checks.done((institution, case_number))
    }
}

impl Check for RecordDecisionRequest {
    type Valid = (String, String);
    /// `summary` `required` / `too_long` (1–4000); `award_fen` `negative` / `too_large`;
    /// `at_fault` `required` with an award (someone owes it); `document_sha256` `required` /
    /// `invalid_format`. Gives the summary and the document.
    fn check(&self) -> Result<Self::Valid, Invalid> {
        let mut checks = Checks::default();
        let summary = checks.text("summary", &self.summary, 1, 4000);
        checks.amount("award_fen", self.award_fen);
        if self.award_fen > 0 && self.at_fault.is_none() {
            checks.issue("at_fault", "required");
        }
        let document = sha256(&mut checks, "document_sha256", &self.document_sha256);
        checks.done((summary, document))
    }
}

impl Check for CreateDisputeMessage {
    type Valid = (String, Vec<String>);
    /// `body` `required` / `too_long` (1–2000); `files` `too_many` (> 5), `files[i]`
    /// `invalid_format`.
    fn check(&self) -> Result<Self::Valid, Invalid> {
        let mut checks = Checks::default();
        let body = checks.text("body", &self.body, 1, 2000);
        let files = file_list(&mut checks, "files", &self.files, MESSAGE_FILES);
        checks.done((body, files))
    }
}

impl Check for SignAgreementRequest {
    type Valid = ();
    /// `password` `required`; `consent` `required` (must be `true`).
    fn check(&self) -> Result<(), Invalid> {
        let mut checks = Checks::default();
        if self.password.is_empty() {
            checks.issue("password", "required");
        }
        if !self.consent {
            checks.issue("consent", "required");
        }
        checks.finish()
    }
}

impl Check for AwardPaymentRequest {
    type Valid = i64;
    /// As a withdrawal (`PayoutInput`): `amount_fen` `too_small` (not positive) / `too_large`;
    /// `password` `required`. Whether it is more than is owed is the rules' (`out_of_range`).
    fn check(&self) -> Result<i64, Invalid> {
        crate::dto::PayoutInput { amount_fen: self.amount_fen, password: self.password.clone(), code: None }
            .check()
    }
}

impl Check for CompensationDecisionRequest {
    type Valid = Option<String>;
    /// `reason` `required` when rejecting, `too_long` (> 500). Gives the trimmed reason.
    fn check(&self) -> Result<Option<String>, Invalid> {
        let mut checks = Checks::default();
        let min = usize::from(!self.approve);
        let reason = checks.text("reason", self.reason.as_deref().unwrap_or(""), min, 500);
        checks.done(Some(reason).filter(|r| !r.is_empty()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dispute::DisputeParty;

    fn issues(invalid: &Invalid) -> Vec<(&str, &str)> {
        invalid.0.iter().map(|i| (i.field.as_str(), i.issue.as_str())).collect()
    }

    #[test]
    fn a_filing_needs_a_claim_of_ten_characters_a_sane_amount_and_hashes_as_evidence() {
        let filing = FileDisputeRequest {
            contract_id: "c".into(),
            claim: "太短".into(),
            amount_fen: -1,
            evidence: vec!["nothex".into()],
        };
        let invalid = filing.check().expect_err("invalid");
        assert_eq!(
            issues(&invalid),
            [("claim", "too_short"), ("amount_fen", "negative"), ("evidence[0]", "invalid_format")]
        );
        let sha = "A".repeat(64);
        let good = FileDisputeRequest {
            contract_id: " c ".into(),
            claim: "第 2 期款验收后 20 天仍未支付，请求支付并赔偿利息。".into(),
            amount_fen: 100,
            evidence: vec![sha.clone(), sha.to_lowercase()],
        };
        let valid = good.check().expect("valid");
        assert_eq!((valid.contract_id.as_str(), valid.evidence.len()), ("c", 1));
    }

    #[test]
    fn an_agreement_moves_positive_amounts_and_a_decision_names_its_document() {
        let agreement = RecordAgreementRequest {
            terms: "双方同意".into(),
            escrow_movements: vec![EscrowMovementInput { to: DisputeParty::Complainant, amount_fen: 0 }],
            at_fault: None,
        };
        let invalid = agreement.check().expect_err("zero");
        assert_eq!(issues(&invalid), [("escrow_movements[0].amount_fen", "out_of_range")]);
        let decision = RecordDecisionRequest {
            summary: "裁决被申请人支付".into(),
            at_fault: Some(DisputeParty::Respondent),
            award_fen: 10,
            document_sha256: String::new(),
        };
        assert_eq!(issues(&decision.check().expect_err("no document")), [("document_sha256", "required")]);
    }

    #[test]
    fn an_award_names_the_party_at_fault_and_a_payment_is_positive_with_a_password() {
        let decision = RecordDecisionRequest {
            summary: "裁决".into(),
            at_fault: None,
            award_fen: 100,
            document_sha256: "a".repeat(64),
        };
        assert_eq!(issues(&decision.check().expect_err("no party")), [("at_fault", "required")]);
        let none = RecordDecisionRequest { award_fen: 0, ..decision };
        assert!(none.check().is_ok(), "no award needs no party");
        let pay = AwardPaymentRequest { amount_fen: 0, password: String::new(), code: None };
        assert_eq!(
            issues(&pay.check().expect_err("bad")),
            [("amount_fen", "too_small"), ("password", "required")]
        );
        let reject = CompensationDecisionRequest { approve: false, reason: Some("  ".into()) };
        assert_eq!(issues(&reject.check().expect_err("no reason")), [("reason", "required")]);
        let approve = CompensationDecisionRequest { approve: true, reason: None };
        assert_eq!(approve.check().expect("fine"), None);
    }
}
