//! Disputes (纠纷处理): filing, the staff and party actions on a case, the mediation thread, and
//! the case as the parties and staff see it — its state, the deadline running, every step on
//! the timeline. The rules are `crate::domain::dispute`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::dispute::award::AwardState;
use crate::domain::dispute::{DeadlineConsequence, DeadlineKind, DisputeParty, DisputeState, EventKind};

/// File a dispute on a contract (owners and admins of a party, acting with `X-Org-Id`); the
/// respondent is the other party.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct FileDisputeRequest {
    /// The contract in dispute (signed: in force, ended or completed).
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 64)))]
    pub contract_id: String,
    /// The claim (10–2000 characters).
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 4000)))]
    pub claim: String,
    /// The amount claimed, fen (0 – the contract's amount).
    pub amount_fen: i64,
    /// SHA-256 of evidence files uploaded first (PDF, JPEG, PNG, WebP; at most 10).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default, validator(max_items = 20)))]
    pub evidence: Vec<String>,
}

/// A text given with an action: the respondent's answer, why mediation failed, why the
/// complainant withdraws (1–2000 characters).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct DisputeText {
    /// The text.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 4000)))]
    pub text: String,
}

/// Assign a mediator (operators and admins).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct AssignMediatorRequest {
    /// The user id of a staff member holding the mediator role.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 64)))]
    pub mediator_id: String,
}

/// One escrow movement of an agreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct EscrowMovementInput {
    /// Who receives the money from the contract's escrow.
    pub to: DisputeParty,
    /// Amount, fen (positive).
    pub amount_fen: i64,
}

/// Record the agreement reached in mediation (the assigned mediator or an admin).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct RecordAgreementRequest {
    /// The terms (1–4000 characters).
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 8000)))]
    pub terms: String,
    /// Escrow movements the agreement makes (at most 10).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default, validator(max_items = 10)))]
    pub escrow_movements: Vec<EscrowMovementInput>,
    /// The party held at fault, if any (feeds its credit at once).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_fault: Option<DisputeParty>,
}

/// Register the arbitration case (the assigned mediator or an admin).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct RegisterArbitrationRequest {
    /// The arbitration institution (2–100 characters), e.g. 杭州仲裁委员会.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 200)))]
    pub institution: String,
    /// Its case number (1–60 characters).
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 120)))]
    pub case_number: String,
}

/// Record the arbitration decision with its document (the assigned mediator or an admin).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct RecordDecisionRequest {
    /// Summary of the award (1–4000 characters).
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 8000)))]
    pub summary: String,
    /// The party held at fault, if any (feeds its credit at once).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_fault: Option<DisputeParty>,
    /// Amount awarded, fen (0 or more).
    pub award_fen: i64,
    /// SHA-256 of the decision document uploaded first.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 64)))]
    pub document_sha256: String,
}

/// Sign the agreement for a party (owners and admins, `X-Org-Id`), re-authenticated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct SignAgreementRequest {
    /// The signer's password.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 256)))]
    pub password: String,
    /// A TOTP or recovery code, when the signer has TOTP on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 32)))]
    pub code: Option<String>,
    /// The signer agrees to the terms and the escrow movements (must be `true`).
    pub consent: bool,
}

/// A message in the mediation thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct CreateDisputeMessage {
    /// The message (1–2000 characters).
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 4000)))]
    pub body: String,
    /// SHA-256 of files uploaded first (at most 5).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default, validator(max_items = 10)))]
    pub files: Vec<String>,
}

crate::stored_enum! {
    /// Who wrote a message in the mediation thread.
    pub enum DisputeSide in "dispute_messages.side" {
        /// A member of the complainant.
        Complainant = "complainant",
        /// A member of the respondent.
        Respondent = "respondent",
        /// The mediator or an admin.
        Mediator = "mediator",
    }
}

/// A message of the mediation thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct DisputeMessageView {
    /// Message id.
    pub id: String,
    /// Which side wrote it.
    pub side: DisputeSide,
    /// The author's name.
    pub author_name: String,
    /// The text.
    pub body: String,
    /// Attached files (SHA-256; download with `GET /files/{sha256}`).
    pub files: Vec<String>,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// The mediation thread, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct DisputeMessageList {
    /// Messages, oldest first.
    pub items: Vec<DisputeMessageView>,
}

crate::stored_enum! {
    /// Who acted on a timeline step.
    pub enum DisputeActorKind in "(computed)" {
        /// A member acting for an organisation.
        Organisation = "organisation",
        /// Platform staff.
        Staff = "staff",
        /// The deadline scheduler.
        System = "system",
    }
}

/// One step of a case's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct DisputeStepView {
    /// When.
    pub at: DateTime<Utc>,
    /// Who acted.
    pub actor: DisputeActorKind,
    /// The organisation that acted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// The staff member who acted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff_id: Option<String>,
    /// What happened (absent for the filing itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<EventKind>,
    /// For a missed deadline, what it caused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consequence: Option<DeadlineConsequence>,
    /// The state afterwards.
    pub state_after: DisputeState,
}

/// A deadline, running or missed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct DisputeDeadlineView {
    /// Which deadline.
    pub kind: DeadlineKind,
    /// When it passes (or passed).
    pub due_at: DateTime<Utc>,
    /// What happens when it passes (running deadlines only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_expiry: Option<DeadlineConsequence>,
}

/// An escrow movement of an agreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct EscrowMovementView {
    /// Who receives it.
    pub to: DisputeParty,
    /// Amount, fen.
    pub amount_fen: i64,
}

/// A dispute as its parties and staff see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct DisputeView {
    /// Dispute id.
    pub id: String,
    /// The contract.
    pub contract_id: String,
    /// The filing organisation.
    pub complainant_org_id: String,
    /// The organisation complained about.
    pub respondent_org_id: String,
    /// Where it stands.
    pub state: DisputeState,
    /// The claim.
    pub claim: String,
    /// Amount claimed, fen.
    pub amount_fen: i64,
    /// Evidence files (SHA-256).
    pub evidence: Vec<String>,
    /// When it was filed.
    pub filed_at: DateTime<Utc>,
    /// The assigned mediator's user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mediator_id: Option<String>,
    /// The respondent's answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    /// The respondent let the 3-business-day answer deadline pass.
    pub respondent_non_responsive: bool,
    /// No mediator within 2 hours: an admin is on it.
    pub escalated_to_admin: bool,
    /// Missed platform deadlines (SLA breaches).
    pub sla_breaches: Vec<DisputeDeadlineView>,
    /// The deadline running now, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<DisputeDeadlineView>,
    /// When mediation opened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mediation_opened_at: Option<DateTime<Utc>>,
    /// The agreement's terms, if mediation succeeded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement_terms: Option<String>,
    /// The agreement's escrow movements.
    pub escrow_movements: Vec<EscrowMovementView>,
    /// The arbitration institution and case number, once registered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arbitration: Option<String>,
    /// The arbitration decision's summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    /// The amount awarded, fen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub award_fen: Option<i64>,
    /// The decision document (SHA-256; download with `GET /files/{sha256}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_document: Option<String>,
    /// When the complainant signed the agreement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complainant_signed_at: Option<DateTime<Utc>>,
    /// When the respondent signed the agreement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub respondent_signed_at: Option<DateTime<Utc>>,
    /// When the agreement's escrow movements were executed on the ledger (both signed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executed_at: Option<DateTime<Utc>>,
    /// The party held at fault by the agreement or the decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_fault: Option<DisputeParty>,
    /// Escrow, bond and retention of the contract are frozen while the dispute is open.
    pub escrow_frozen: bool,
    /// Every step, oldest first.
    pub timeline: Vec<DisputeStepView>,
}

/// Disputes, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct DisputeList {
    /// Disputes.
    pub items: Vec<DisputeView>,
}

/// Pay part or all of what is owed on an award (the shortfall, or the recovery claim), from the
/// paying organisation's available funds; an owner or admin, re-authenticated as for a
/// withdrawal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct AwardPaymentRequest {
    /// Amount, fen (1 – what is owed).
    pub amount_fen: i64,
    /// The caller's password.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 256)))]
    pub password: String,
    /// A TOTP or recovery code when the caller has TOTP on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 32)))]
    pub code: Option<String>,
}

/// A second finance officer's decision on a compensation request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct CompensationDecisionRequest {
    /// Approve (the money moves) or reject (the award is overdue again).
    pub approve: bool,
    /// Why it is rejected (1–500 characters; required when rejecting).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 1000)))]
    pub reason: Option<String>,
}

/// A pending compensation request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct CompensationRequestView {
    /// The requesting finance officer.
    pub requested_by: String,
    /// When.
    pub requested_at: DateTime<Utc>,
    /// From the party at fault's bond on the contract, fen.
    pub bond_fen: i64,
    /// From the risk reserve, fen.
    pub reserve_fen: i64,
}

/// The enforcement of an arbitration award: escrow first, then the party at fault, then first
/// compensation by the platform.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct DisputeAwardView {
    /// The dispute.
    pub dispute_id: String,
    /// The contract.
    pub contract_id: String,
    /// The party at fault, who owes the award.
    pub debtor_org_id: String,
    /// The other party, who receives it.
    pub creditor_org_id: String,
    /// Where it stands.
    pub state: AwardState,
    /// The amount awarded, fen.
    pub award_fen: i64,
    /// Paid from the contract's escrow at the decision.
    pub from_escrow_fen: i64,
    /// Paid by the party at fault since.
    pub paid_fen: i64,
    /// Paid by the platform from the bond and the reserve.
    pub compensated_fen: i64,
    /// Still owed to the creditor.
    pub outstanding_fen: i64,
    /// When the shortfall is due (end of the 10th business day after the decision).
    pub due_at: DateTime<Utc>,
    /// The compensation waiting for a second finance officer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<CompensationRequestView>,
    /// The recovery claim: what the reserve paid for the party at fault.
    pub recovery_fen: i64,
    /// What the party has repaid of it.
    pub recovered_fen: i64,
    /// What it still owes the reserve (blocks it from new contracts while positive).
    pub recovery_open_fen: i64,
}

/// Awards for the finance console.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct DisputeAwardList {
    /// Awards, oldest due first.
    pub items: Vec<DisputeAwardView>,
}

/// A staff member who may mediate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct MediatorView {
    /// The user id (what `POST /disputes/{id}/assignment` takes).
    pub user_id: String,
    /// Their name.
    pub display_name: String,
    /// Open cases assigned to them now.
    pub open_cases: u32,
}

/// The mediators, fewest open cases first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct MediatorList {
    /// Mediators.
    pub items: Vec<MediatorView>,
}
