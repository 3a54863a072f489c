//! Contracts (合同) drafted from an awarded bid: terms from a template, versions with a diff,
//! the rendered PDF of each version, e-signatures with their evidence, the certificate of
//! completion and the verification of the signed history. Rules: `domain::contract`; request
//! checks: `validate::contracts`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub use crate::domain::contract::document::{Change, ContractTerms, PartyRole};
pub use crate::domain::contract::lifecycle::ContractState;
pub use crate::domain::contract::milestones::{
    Allocation, Milestone, MilestoneInput, PaymentPlan, PaymentPlanInput,
};

crate::stored_enum! {
    /// Which template a contract is written from.
    pub enum ContractTemplate in "contract_versions.document" {
        /// 建设工程施工专业分包合同: subcontracting works.
        Subcontracting = "subcontracting",
        /// 材料采购合同: material purchase.
        Purchase = "purchase",
        /// 建设工程设计合同: design services.
        Design = "design",
    }
}

crate::stored_enum! {
    /// What a signature signs.
    pub enum SignatureKind in "contract_signatures.kind" {
        /// A version of the contract.
        Contract = "contract",
        /// The termination of the version in force.
        Termination = "termination",
    }
}

/// Save the draft (or an amendment) as a new version: the whole terms, based on the version the
/// editor saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct ContractTermsRequest {
    /// The version the editor started from: a newer one saved meanwhile is refused (409), so
    /// two editors never overwrite each other.
    pub based_on_version: u32,
    /// The template.
    pub template: ContractTemplate,
    /// Contract title, 4–100 characters.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 400)))]
    pub title: String,
    /// Scope of work or supply, 10–5000 characters.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 20000)))]
    pub scope: String,
    /// Amount, milestones (the advance is milestone 0), retention, bond, warranty.
    pub plan: PaymentPlanInput,
    /// Duration in calendar days, 1–3650.
    pub duration_days: i64,
    /// Start date; not before today.
    pub start_date: NaiveDate,
    /// The supervisor (监理): a verified organisation the payer names; it reads the contract and
    /// confirms acceptances, and does not sign. Only the payer may set or change it.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 64)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supervisor_org_id: Option<String>,
    /// How disputes are resolved, 10–1000 characters.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 4000)))]
    pub dispute_clause: String,
}

/// A party (or the supervisor) as the contract names it, captured when the version was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct PartyView {
    /// Payer (甲方), performer (乙方) or supervisor (监理).
    pub role: PartyRole,
    /// The organisation.
    pub org_id: String,
    /// Its registered name.
    pub name: String,
    /// Unified social credit code.
    pub uscc: String,
    /// Legal representative, from its verification.
    pub legal_representative: String,
    /// Registered address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// A signature on a version, with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct SignatureView {
    /// Signature id.
    pub id: String,
    /// A version, or the termination of the version in force.
    pub kind: SignatureKind,
    /// The version signed.
    pub version: u32,
    /// SHA-256 of the PDF signed.
    pub document_sha256: String,
    /// The signing organisation.
    pub org_id: String,
    /// Its name.
    pub org_name: String,
    /// The person who signed.
    pub signer_name: String,
    /// When.
    pub signed_at: DateTime<Utc>,
    /// From which address.
    pub ip: String,
    /// With which browser or client.
    pub user_agent: String,
    /// The consent the signer agreed to.
    pub consent_text: String,
    /// The audit-chain entry holding the evidence.
    pub audit_seq: i64,
    /// Set when a later version voided this signature.
    pub voided: bool,
}

/// A bond range in fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct BondRequirement {
    /// Smallest acceptable bond (5 % of the amount, rounded up).
    pub min_fen: i64,
    /// Largest acceptable bond (10 %, rounded down).
    pub max_fen: i64,
}

/// A contract as its parties and supervisor see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct ContractView {
    /// Contract id.
    pub id: String,
    /// The tender it was awarded in.
    pub tender_id: String,
    /// The awarded bid.
    pub bid_id: String,
    /// Where it stands.
    pub status: ContractState,
    /// Payer, performer and (if named) supervisor, as the current version names them.
    pub parties: Vec<PartyView>,
    /// The newest version: the draft, the one out for signature, or a pending amendment.
    pub current_version: u32,
    /// Its PDF's SHA-256: what a signer consents to.
    pub current_sha256: String,
    /// The version in force, once effective.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_version: Option<u32>,
    /// The current version's terms.
    pub terms: ContractTerms,
    /// An advance above 30 % makes the contract high-risk.
    pub high_risk: bool,
    /// The performance bond it needs before taking effect, when high-risk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_bond: Option<BondRequirement>,
    /// Bond recorded so far, fen (funded through escrow).
    pub bond_recorded_fen: i64,
    /// Every party signed, and the bond rule holds it back.
    pub awaiting_bond: bool,
    /// Signatures on the current version.
    pub signatures: Vec<SignatureView>,
    /// Parties that signed the termination of the version in force (both: terminated).
    pub termination_signed_by: Vec<String>,
    /// Whether the current version is out for signature.
    pub awaiting_signatures: bool,
    /// Three or more amendments came into force within 30 days.
    pub amendment_warning: bool,
    /// The last day on which both parties must have signed, while the award stands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_deadline: Option<NaiveDate>,
    /// The consent text a signer of the acting organisation agrees to for the current version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_text: Option<String>,
    /// When it was drafted.
    pub created_at: DateTime<Utc>,
    /// When it took effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_at: Option<DateTime<Utc>>,
}

/// One version of a contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct ContractVersionView {
    /// 1, 2, 3, …
    pub version: u32,
    /// SHA-256 of its PDF.
    pub sha256: String,
    /// Who saved it.
    pub created_by_name: String,
    /// For which organisation (the platform for the first draft).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by_org_name: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When it came into force, if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_force_at: Option<DateTime<Utc>>,
    /// Where to download its PDF.
    pub pdf_path: String,
}

/// What changed between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ContractDiffView {
    /// The older version.
    pub from_version: u32,
    /// The newer version.
    pub to_version: u32,
    /// Each changed line of the document.
    pub changes: Vec<Change>,
}

/// Sign the current version: re-authentication and consent to the exact document hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct SignContractRequest {
    /// SHA-256 of the version the signer read (must be the current version's).
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 64)))]
    pub sha256: String,
    /// The signer's password.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 256)))]
    pub password: String,
    /// A TOTP or recovery code, when the signer has TOTP on.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 32)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// `true`: the signer agrees to the consent text shown for this version.
    pub consent: bool,
}

/// One stored version re-hashed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct VersionCheck {
    /// The version.
    pub version: u32,
    /// The hash recorded when it was made.
    pub recorded_sha256: String,
    /// The hash of the stored bytes now.
    pub computed_sha256: String,
    /// Whether they match.
    pub intact: bool,
}

/// One signature checked against the audit chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct SignatureCheck {
    /// The signature.
    pub signature_id: String,
    /// The version it signs.
    pub version: u32,
    /// The signing organisation.
    pub org_id: String,
    /// Its audit entry.
    pub audit_seq: i64,
    /// The audit entry exists, its hash is intact and links to the entry before it, and it
    /// records this signature's organisation, version and document hash.
    pub in_audit_chain: bool,
    /// The signed hash is the recorded hash of that version.
    pub matches_version: bool,
}

/// The verification of a contract's history: every version re-hashed, every signature matched
/// to its audit entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ContractVerification {
    /// The contract.
    pub contract_id: String,
    /// Everything checks out.
    pub valid: bool,
    /// Per version.
    pub versions: Vec<VersionCheck>,
    /// Per signature.
    pub signatures: Vec<SignatureCheck>,
}
