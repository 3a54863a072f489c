//! Withdrawals (提现) to an organisation's bank account under dual control, and the bank
//! account itself (encrypted at rest, shown masked). Rules: `domain::ledger::payout`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::ledger::payout::account_number;
pub use crate::domain::ledger::payout::{PayoutAction, PayoutState};
use crate::validate::{Check, Checks, Invalid};

/// Longest account holder name, bank name or branch.
pub const MAX_BANK_NAME_CHARS: usize = 100;
/// Longest reason on a withdrawal decision.
pub const MAX_PAYOUT_NOTE_CHARS: usize = 500;
/// Longest bank transaction number (流水号).
pub const MAX_BANK_REFERENCE_CHARS: usize = 64;

/// The bank account withdrawals go to, set by an owner or admin with re-authentication. The
/// holder must be the organisation itself (同名账户).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct BankAccountInput {
    /// The account holder (户名): the organisation's registered name.
    pub account_name: String,
    /// The bank (开户行), e.g. 中国工商银行.
    pub bank_name: String,
    /// The branch (支行), optional.
    pub branch: Option<String>,
    /// The account number; spaces and hyphens are dropped (9–30 digits).
    pub account_number: String,
    /// The caller's password.
    pub password: String,
    /// A TOTP or recovery code when the caller has TOTP on.
    pub code: Option<String>,
}

/// A checked bank account: name, bank, branch, digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidBankAccount {
    /// The holder.
    pub account_name: String,
    /// The bank.
    pub bank_name: String,
    /// The branch.
    pub branch: Option<String>,
    /// The digits.
    pub account_number: String,
}

impl Check for BankAccountInput {
    type Valid = ValidBankAccount;

    /// `account_name`/`bank_name` `required`/`too_long`; `branch` `too_long`; `account_number`
    /// `required`/`invalid`; `password` `required`.
    fn check(&self) -> Result<ValidBankAccount, Invalid> {
        let mut checks = Checks::default();
        let account_name = checks.text("account_name", &self.account_name, 1, MAX_BANK_NAME_CHARS);
        let bank_name = checks.text("bank_name", &self.bank_name, 1, MAX_BANK_NAME_CHARS);
        let branch = checks.optional_text("branch", self.branch.as_deref(), MAX_BANK_NAME_CHARS);
        let number = if self.account_number.trim().is_empty() {
            checks.issue("account_number", "required");
            String::new()
        } else {
            account_number(&self.account_number).unwrap_or_else(|issue| {
                checks.issue("account_number", issue);
                String::new()
            })
        };
        if self.password.is_empty() {
            checks.issue("password", "required");
        }
        checks.done(ValidBankAccount { account_name, bank_name, branch, account_number: number })
    }
}

/// A bank account as shown: the number masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct BankAccountView {
    /// The account record.
    pub id: String,
    /// The organisation.
    pub org_id: String,
    /// The holder.
    pub account_name: String,
    /// The bank.
    pub bank_name: String,
    /// The branch.
    pub branch: Option<String>,
    /// The number, first and last four digits shown (`6222***********1234`).
    pub masked_number: String,
    /// Who set it.
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// A withdrawal asked for by an owner or admin, with re-authentication.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct PayoutInput {
    /// How much, fen (at most the available balance).
    pub amount_fen: i64,
    /// The caller's password.
    pub password: String,
    /// A TOTP or recovery code when the caller has TOTP on.
    pub code: Option<String>,
}

impl Check for PayoutInput {
    type Valid = i64;

    /// `amount_fen` `too_small` (not positive) / `too_large`; `password` `required`.
    fn check(&self) -> Result<i64, Invalid> {
        let mut checks = Checks::default();
        if self.amount_fen <= 0 {
            checks.issue("amount_fen", "too_small");
        } else {
            checks.amount("amount_fen", self.amount_fen);
        }
        if self.password.is_empty() {
            checks.issue("password", "required");
        }
        checks.done(self.amount_fen)
    }
}

/// A withdrawal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct PayoutView {
    /// The withdrawal.
    pub id: String,
    /// The organisation.
    pub org_id: String,
    /// The organisation's name (for the finance console).
    pub org_name: String,
    /// How much, fen.
    pub amount_fen: i64,
    /// Where it stands.
    pub status: PayoutState,
    /// Whether two finance officers must act (above the dual-control amount).
    pub needs_second_officer: bool,
    /// The account it goes to (masked).
    pub bank_account: BankAccountView,
    /// Who asked.
    pub requested_by: String,
    /// When.
    pub requested_at: DateTime<Utc>,
    /// The officer who approved first (dual control).
    pub approved_by: Option<String>,
    /// When.
    pub approved_at: Option<DateTime<Utc>>,
    /// The officer who confirmed it sent, or rejected it.
    pub decided_by: Option<String>,
    /// When.
    pub decided_at: Option<DateTime<Utc>>,
    /// The bank's transaction number of the transfer (when paid).
    pub bank_reference: Option<String>,
    /// Why it was rejected.
    pub reason: Option<String>,
}

/// A finance officer's action on a withdrawal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct PayoutDecisionInput {
    /// Approve (first of two), confirm sent, or reject.
    pub action: PayoutAction,
    /// The bank's transaction number of the transfer, required to confirm.
    pub bank_reference: Option<String>,
    /// Why, required to reject.
    pub reason: Option<String>,
}

impl Check for PayoutDecisionInput {
    type Valid = (PayoutAction, Option<String>, Option<String>);

    /// `bank_reference` `required` to confirm, `not_allowed` otherwise, `too_long`; `reason`
    /// `required` to reject, `too_long`.
    fn check(&self) -> Result<Self::Valid, Invalid> {
        let mut checks = Checks::default();
        let reference =
            checks.optional_text("bank_reference", self.bank_reference.as_deref(), MAX_BANK_REFERENCE_CHARS);
        let reason = checks.optional_text("reason", self.reason.as_deref(), MAX_PAYOUT_NOTE_CHARS);
        match (self.action, &reference) {
            (PayoutAction::Confirm, None) => checks.issue("bank_reference", "required"),
            (PayoutAction::Approve | PayoutAction::Reject, Some(_)) => {
                checks.issue("bank_reference", "not_allowed");
            }
            _ => {}
        }
        if self.action == PayoutAction::Reject && reason.is_none() {
            checks.issue("reason", "required");
        }
        checks.done((self.action, reference, reason))
    }
}

/// A revealed bank account number (finance officers; the reason is audited).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct RevealedAccountNumber {
    /// The full number.
    pub account_number: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(result: Result<impl std::fmt::Debug, Invalid>) -> Vec<(String, String)> {
        result.expect_err("invalid").0.into_iter().map(|f| (f.field, f.issue)).collect()
    }

    #[test]
    fn a_bank_account_needs_every_part_and_a_real_number() {
        let input = BankAccountInput {
            account_name: "江南钢贸有限公司".into(),
            bank_name: "中国工商银行".into(),
            branch: None,
            account_number: "6222 0212 3456 7891 234".into(),
            password: "pw".into(),
            code: None,
        };
        assert_eq!(input.check().expect("valid").account_number, "6222021234567891234");
        let bad = BankAccountInput { account_number: "62220A".into(), password: String::new(), ..input };
        assert_eq!(
            fields(bad.check()),
            vec![("account_number".into(), "invalid".into()), ("password".into(), "required".into())]
        );
    }

    #[test]
    fn a_decision_says_what_its_action_needs() {
        let confirm =
            PayoutDecisionInput { action: PayoutAction::Confirm, bank_reference: None, reason: None };
        assert_eq!(fields(confirm.check()), vec![("bank_reference".into(), "required".into())]);
        let reject = PayoutDecisionInput {
            action: PayoutAction::Reject,
            bank_reference: Some("X1".into()),
            reason: None,
        };
        assert_eq!(
            fields(reject.check()),
            vec![("bank_reference".into(), "not_allowed".into()), ("reason".into(), "required".into())]
        );
        let ok = PayoutDecisionInput {
            action: PayoutAction::Confirm,
            bank_reference: Some(" 20261207001 ".into()),
            reason: None,
        };
        assert_eq!(ok.check(), Ok((PayoutAction::Confirm, Some("20261207001".into()), None)));
    }
}
