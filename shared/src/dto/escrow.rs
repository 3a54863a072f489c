//! Escrow (资金监管), the ledger and the finance console: funding requests with the transfer
//! instructions, a contract's escrow per milestone, an organisation's wallet with its postings,
//! bank statement imports and the reconciliation queue. Rules: `domain::ledger` and
//! `domain::contract::escrow`; money is integer fen everywhere.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub use crate::domain::contract::acceptance::{
    AcceptanceRequestInput, AcceptanceState, Quantity, Settlement,
};
use crate::domain::contract::document::PartyRole;
pub use crate::domain::ledger::statement::{LineState, QueueReason};
pub use crate::domain::ledger::{AccountKind, TransactionKind};
use crate::validate::{Check, Checks, Invalid};

crate::stored_enum! {
    /// What a funding request pays into.
    pub enum FundingTarget in "funding_requests.target" {
        /// A milestone's escrow (the payer's).
        Milestone = "milestone",
        /// The contract's performance bond (the performer's).
        Bond = "bond",
    }
}

crate::stored_enum! {
    /// How the money comes.
    pub enum FundingChannel in "funding_requests.channel" {
        /// 对公转账: a bank transfer quoting the reference; matched from the bank statement.
        BankTransfer = "bank_transfer",
        /// 微信支付: a WeChat Pay Native order; the payer scans its `code_url`, WeChat Pay's
        /// signed notification credits escrow.
        WechatPay = "wechat_pay",
    }
}

crate::stored_enum! {
    /// Where a funding request stands.
    pub enum FundingStatus in "funding_requests.status" {
        /// Waiting for the money.
        Pending = "pending",
        /// The money arrived and was credited.
        Paid = "paid",
        /// Withdrawn by the requester; money quoting it later waits in the finance queue.
        Cancelled = "cancelled",
    }
}

/// Ask to fund a milestone or the bond: the system computes the amount (what is still open).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct FundingRequestInput {
    /// A milestone (payer) or the bond (performer).
    pub target: FundingTarget,
    /// The milestone (0 = the advance); required for `milestone`, absent for `bond`.
    pub milestone: Option<u32>,
    /// How the money comes.
    pub channel: FundingChannel,
}

impl Check for FundingRequestInput {
    type Valid = (FundingTarget, Option<u32>, FundingChannel);

    /// `milestone` `required` for a milestone, `not_allowed` for the bond.
    fn check(&self) -> Result<Self::Valid, Invalid> {
        let mut checks = Checks::default();
        match (self.target, self.milestone) {
            (FundingTarget::Milestone, None) => checks.issue("milestone", "required"),
            (FundingTarget::Bond, Some(_)) => checks.issue("milestone", "not_allowed"),
            _ => {}
        }
        checks.done((self.target, self.milestone, self.channel))
    }
}

/// Where to send a bank transfer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct TransferInstructions {
    /// 收款户名: the platform's escrow account holder.
    pub account_name: String,
    /// 开户行.
    pub bank_name: String,
    /// 收款账号.
    pub account_number: String,
    /// The exact amount, fen.
    pub amount_fen: i64,
    /// The reference to write in the memo (摘要 / 附言 / 用途), e.g. `GZ7K3M9QX2R`.
    pub reference: String,
}

/// A funding request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct FundingRequestView {
    /// Its id.
    pub id: String,
    /// The contract.
    pub contract_id: String,
    /// The reference code (11 characters, `GZ…`).
    pub reference: String,
    /// What it pays into.
    pub target: FundingTarget,
    /// The milestone, for `milestone`.
    pub milestone: Option<u32>,
    /// The amount, fen.
    pub amount_fen: i64,
    /// How the money comes.
    pub channel: FundingChannel,
    /// Where it stands.
    pub status: FundingStatus,
    /// The organisation paying.
    pub org_id: String,
    /// When it was asked for.
    pub created_at: DateTime<Utc>,
    /// When the money was credited.
    pub paid_at: Option<DateTime<Utc>>,
    /// Where to send the transfer (pending bank transfers, to the paying organisation, when the
    /// platform's receiving account is configured).
    pub instructions: Option<TransferInstructions>,
    /// The WeChat Pay Native order's payment link (`weixin://wxpay/bizpayurl?pr=…`, shown as a QR
    /// code to scan with WeChat): pending `wechat_pay` requests, to the paying organisation.
    pub code_url: Option<String>,
}

/// Where a milestone's money stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum MilestoneMoneyState {
    /// Nothing arrived, nothing asked.
    Unfunded,
    /// A funding request waits for the money.
    Requested,
    /// Part of it arrived.
    PartlyFunded,
    /// All of it is in escrow.
    Funded,
    /// Released to the payee (in part or in whole).
    PartlyReleased,
    /// All of it was released.
    Released,
    /// Returned to the payer (the contract ended).
    Refunded,
}

/// A milestone's escrow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct MilestoneEscrow {
    /// 0 = the advance.
    pub index: u32,
    /// Its name.
    pub name: String,
    /// Its amount, fen.
    pub amount_fen: i64,
    /// When it is planned.
    pub planned_date: NaiveDate,
    /// Arrived in escrow in all, fen.
    pub funded_fen: i64,
    /// Released to the payee (before retention), fen.
    pub released_fen: i64,
    /// Returned to the payer, fen.
    pub refunded_fen: i64,
    /// Held in escrow now, fen.
    pub balance_fen: i64,
    /// Asked for by pending requests, fen.
    pub pending_fen: i64,
    /// Not yet arrived nor asked for, fen.
    pub open_fen: i64,
    /// Where it stands.
    pub state: MilestoneMoneyState,
    /// Planned within 7 days (or past) without all its money, on a contract that takes money:
    /// the payer is warned (`domain::contract::escrow::funding_due`).
    pub funding_due: bool,
}

/// The performance bond.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct BondEscrow {
    /// What the plan asks, fen (0: no bond).
    pub required_fen: i64,
    /// Arrived in all, fen.
    pub funded_fen: i64,
    /// Held now, fen.
    pub balance_fen: i64,
    /// Asked for by pending requests, fen.
    pub pending_fen: i64,
}

/// A contract's escrow, for its parties and supervisor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct EscrowView {
    /// The contract.
    pub contract_id: String,
    /// The contract's state.
    pub contract_state: crate::domain::contract::lifecycle::ContractState,
    /// Whether the payer's escrow on the contract is frozen (no money out).
    pub frozen: bool,
    /// Every milestone of the version in force (or the current version before effect).
    pub milestones: Vec<MilestoneEscrow>,
    /// The bond.
    pub bond: BondEscrow,
    /// Held as retention, fen.
    pub retention_fen: i64,
    /// The last day of the warranty, once every payment milestone is accepted.
    pub warranty_ends_on: Option<NaiveDate>,
    /// The open risk case freezing the escrow (accepted milestones unpaid > 15 days), if any.
    pub risk_case_id: Option<String>,
    /// Funding requests, newest first (the caller's organisation's, or all for the supervisor).
    pub funding_requests: Vec<FundingRequestView>,
}

/// A posting on an account, with the balance after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct PostingView {
    /// The account's posting number (1, 2, …).
    pub seq: i64,
    /// The transaction.
    pub transaction_id: String,
    /// Why money moved.
    pub kind: TransactionKind,
    /// Into (+) or out of (−) the account, fen.
    pub amount_fen: i64,
    /// The account's balance after it, fen.
    pub balance_after_fen: i64,
    /// The contract, if any.
    pub contract_id: Option<String>,
    /// The milestone, if any.
    pub milestone: Option<u32>,
    /// What it was (e.g. the reference or the statement serial).
    pub memo: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// A page of postings, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct PostingPage {
    /// The postings.
    pub items: Vec<PostingView>,
    /// Pass as `cursor` for the next (older) page.
    pub next_cursor: Option<String>,
}

/// An account's balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct AccountBalance {
    /// The account id (e.g. `available:<org>`, `escrow:<contract>:1`).
    pub account_id: String,
    /// Its kind.
    pub kind: AccountKind,
    /// The contract, for contract accounts.
    pub contract_id: Option<String>,
    /// The milestone, for escrow.
    pub milestone: Option<u32>,
    /// Balance, fen.
    pub balance_fen: i64,
    /// Whether it is frozen.
    pub frozen: bool,
}

/// An organisation's wallet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct WalletView {
    /// The organisation.
    pub org_id: String,
    /// Released to it and withdrawable, fen.
    pub available_fen: i64,
    /// Withdrawals asked for and not yet sent by finance, fen.
    pub payout_pending_fen: i64,
    /// Held in escrow on contracts it pays, fen.
    pub in_escrow_fen: i64,
    /// Its bonds held on contracts it performs, fen.
    pub bonds_fen: i64,
    /// Retention held on contracts it performs, fen.
    pub retention_fen: i64,
    /// Every account behind those figures.
    pub accounts: Vec<AccountBalance>,
}

/// The result of importing a bank statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct StatementImportView {
    /// The import.
    pub id: String,
    /// The file's name.
    pub file_name: String,
    /// `utf-8` or `gbk`.
    pub encoding: String,
    /// Credit lines in the file.
    pub lines: i32,
    /// Lines seen in an earlier import (by serial), left alone.
    pub already_imported: i32,
    /// New lines credited to their funding request.
    pub matched: i32,
    /// New lines waiting in the reconciliation queue.
    pub queued: i32,
    /// Outflow rows skipped.
    pub skipped_outflows: i32,
    /// Who imported it.
    pub imported_by: String,
    /// When.
    pub imported_at: DateTime<Utc>,
}

/// A statement line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct StatementLineView {
    /// Its id.
    pub id: String,
    /// The import it came in.
    pub statement_id: String,
    /// 流水号.
    pub serial: String,
    /// 交易日期.
    pub trade_date: NaiveDate,
    /// 对方户名.
    pub counterparty_name: String,
    /// 对方账号.
    pub counterparty_account: String,
    /// 贷方金额, fen.
    pub amount_fen: i64,
    /// The memo.
    pub memo: String,
    /// The reference found in the memo.
    pub reference: Option<String>,
    /// Where it stands.
    pub status: LineState,
    /// Why it waits (queued lines).
    pub reason: Option<QueueReason>,
    /// The funding request it was credited to.
    pub funding_request_id: Option<String>,
    /// The finance officer who resolved it.
    pub resolved_by: Option<String>,
    /// When.
    pub resolved_at: Option<DateTime<Utc>>,
    /// The finance officer's note.
    pub note: Option<String>,
}

/// A page of statement lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct StatementLinePage {
    /// The lines, oldest first.
    pub items: Vec<StatementLineView>,
    /// Pass as `cursor` for the next page.
    pub next_cursor: Option<String>,
}

/// What the finance officer does with a queued line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum LineAction {
    /// Credit it to a pending funding request of exactly its amount.
    Match,
    /// The money was sent back to the sender outside the platform.
    Return,
}

/// Resolve a queued statement line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct LineResolutionRequest {
    /// Match or return.
    pub action: LineAction,
    /// The funding request, for `match`.
    pub funding_request_id: Option<String>,
    /// Why (1–500 characters; e.g. "付款人来电确认，附言漏写识别码").
    pub note: String,
}

/// Longest resolution note, in characters.
pub const MAX_NOTE_CHARS: usize = 500;

impl Check for LineResolutionRequest {
    type Valid = (LineAction, Option<String>, String);

    /// `note` `required`/`too_long`; `funding_request_id` `required` for `match`,
    /// `not_allowed` for `return`.
    fn check(&self) -> Result<Self::Valid, Invalid> {
        let mut checks = Checks::default();
        let note = checks.text("note", &self.note, 1, MAX_NOTE_CHARS);
        let request = self.funding_request_id.as_deref().map(str::trim).filter(|r| !r.is_empty());
        match (self.action, request) {
            (LineAction::Match, None) => checks.issue("funding_request_id", "required"),
            (LineAction::Return, Some(_)) => checks.issue("funding_request_id", "not_allowed"),
            _ => {}
        }
        checks.done((self.action, request.map(str::to_owned), note))
    }
}

crate::stored_enum! {
    /// A confirmer's decision on an acceptance request.
    pub enum AcceptanceDecision in "acceptance_signatures.decision" {
        /// Confirm the milestone is done as stated.
        Confirm = "confirm",
        /// Reject it, with a reason.
        Reject = "reject",
    }
}

/// The payer's or supervisor's answer, signed with re-authentication.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct AcceptanceAnswerInput {
    /// Confirm or reject.
    pub decision: AcceptanceDecision,
    /// Why (2–1000 characters), required to reject.
    pub reason: Option<String>,
    /// The signer's password.
    pub password: String,
    /// A TOTP or recovery code when the signer has TOTP on.
    pub code: Option<String>,
    /// Agreement to the consent text shown with the request (must be true).
    pub consent: bool,
}

impl Check for AcceptanceAnswerInput {
    type Valid = (AcceptanceDecision, Option<String>);

    /// `reason` `required`/`too_short`/`too_long` to reject; `password` `required`; `consent`
    /// `required`.
    fn check(&self) -> Result<Self::Valid, Invalid> {
        let mut checks = Checks::default();
        if self.password.is_empty() {
            checks.issue("password", "required");
        }
        if !self.consent {
            checks.issue("consent", "required");
        }
        let reason = match (self.decision, self.reason.as_deref().map(str::trim).filter(|r| !r.is_empty())) {
            (AcceptanceDecision::Reject, None) => {
                checks.issue("reason", "required");
                None
            }
            (_, Some(reason)) => Some(checks.text("reason", reason, 2, 1000)),
            (AcceptanceDecision::Confirm, None) => None,
        };
        checks.done((self.decision, reason))
    }
}

/// A confirmer's signed answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct AcceptanceSignatureView {
    /// Payer or supervisor.
    pub role: PartyRole,
    /// The organisation.
    pub org_id: String,
    /// Who signed.
    pub signer_name: String,
    /// What they decided.
    pub decision: AcceptanceDecision,
    /// Why, for a rejection.
    pub reason: Option<String>,
    /// When.
    pub signed_at: DateTime<Utc>,
}

/// An acceptance request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct AcceptanceView {
    /// Its id.
    pub id: String,
    /// The contract.
    pub contract_id: String,
    /// The milestone.
    pub milestone: u32,
    /// Where it stands.
    pub status: AcceptanceState,
    /// The quantities delivered.
    pub quantities: Vec<Quantity>,
    /// The performer's note.
    pub note: String,
    /// Who asked.
    pub requested_by_name: String,
    /// When.
    pub requested_at: DateTime<Utc>,
    /// Whether the supervisor must confirm too.
    pub needs_supervisor: bool,
    /// The answers so far.
    pub signatures: Vec<AcceptanceSignatureView>,
    /// When it was accepted or rejected.
    pub decided_at: Option<DateTime<Utc>>,
    /// The settlement figures, once accepted.
    pub settlement: Option<Settlement>,
    /// SHA-256 of the settlement statement PDF, once accepted.
    pub statement_sha256: Option<String>,
    /// The consent text a confirmer agrees to.
    pub consent_text: String,
}
