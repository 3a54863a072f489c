//! The contract state machine. Every version of the contract is rendered once to a PDF and its
//! SHA-256 is what the parties sign; [`transition`] applies one event and returns the new
//! contract with its effects, or a [`ContractRefusal`].
//!
//! Rules:
//! - `Draft`: any party revises (each revision is a new version) or sends the current version
//!   for signing (`Signing`).
//! - `Signing`: each party signs the current version's SHA-256 once; a revision makes a new
//!   version and voids every signature on the old one. When every party has signed, the contract
//!   becomes `Effective` if [`super::risk::may_take_effect`] allows; otherwise it waits for the
//!   bond, and the system re-checks when a bond is recorded.
//! - `Effective`: a revision is an amendment — a new version all parties sign again while the
//!   effective version stays in force; it comes into force when all have signed (and the risk
//!   rule allows). Three amendments in force within 30 days warn both parties. The system
//!   completes the contract or ends it by a dispute outcome; a termination needs every party's
//!   signature.
//! - `Draft` / `Signing`: the system abandons the contract when its award lapses.
//! - `Completed`, `Terminated`, `EndedByDispute`, `Abandoned` are final.
//!
//! A signer is refused when the document hash is not the current version's (`stale_document`),
//! its organisation is not a party (`not_a_party`), it signed already (`already_signed`), its
//! organisation is suspended (`organisation_suspended`) or rated C (`credit_grade_c`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::milestones::PaymentPlan;
use super::risk::{RiskRefusal, amendment_warning, may_take_effect};
use crate::domain::credit::CreditStanding;
use crate::domain::market::RefusalKind;

crate::stored_enum! {
    /// Where a contract stands.
    pub enum ContractState in "contracts.status" {
        /// Being written; every change is a new version.
        Draft = "draft",
        /// A version is out for signature.
        Signing = "signing",
        /// In force (an amendment may be out for signature meanwhile).
        Effective = "effective",
        /// Every milestone accepted and settled (terminal).
        Completed = "completed",
        /// Ended by a termination every party signed (terminal).
        Terminated = "terminated",
        /// Ended by a dispute outcome (terminal).
        EndedByDispute = "ended_by_dispute",
        /// Never signed: the award lapsed (terminal).
        Abandoned = "abandoned",
    }
}

impl ContractState {
    /// Whether nothing can happen any more.
    #[must_use]
    pub const fn is_terminal(self) -> bool {
        matches!(self, Self::Completed | Self::Terminated | Self::EndedByDispute | Self::Abandoned)
    }
}

/// A version of the contract document.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DocumentVersion {
    /// 1, 2, 3, …
    pub number: u32,
    /// Lower-case hex SHA-256 of the rendered PDF.
    pub sha256: String,
}

/// A party's signature on a version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    /// The signing organisation.
    pub org_id: String,
    /// The version signed.
    pub version: u32,
    /// When.
    pub signed_at: DateTime<Utc>,
}

/// A contract as the lifecycle needs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contract {
    /// Where it stands.
    pub state: ContractState,
    /// The organisations that sign (payer and performer; a supervisor is not a party).
    pub parties: Vec<String>,
    /// The newest version: the draft, the version out for signature, or a pending amendment.
    pub current: DocumentVersion,
    /// The version in force, once effective.
    pub effective: Option<DocumentVersion>,
    /// Signatures on the current version.
    pub signatures: Vec<Signature>,
    /// Parties that signed the termination.
    pub termination_signed_by: Vec<String>,
    /// When each amendment came into force.
    pub amendments_in_force_at: Vec<DateTime<Utc>>,
}

impl Contract {
    /// A new draft between `parties` whose first version hashes to `sha256`.
    #[must_use]
    pub fn draft(parties: Vec<String>, sha256: String) -> Self {
        Self {
            state: ContractState::Draft,
            parties,
            current: DocumentVersion { number: 1, sha256 },
            effective: None,
            signatures: Vec::new(),
            termination_signed_by: Vec::new(),
            amendments_in_force_at: Vec::new(),
        }
    }

    /// Whether a version that is not in force is out for signature (the first version while
    /// `Signing`, an amendment while `Effective`).
    #[must_use]
    pub fn awaits_signatures(&self) -> bool {
        match self.state {
            ContractState::Signing => true,
            ContractState::Effective => self.effective.as_ref() != Some(&self.current),
            _ => false,
        }
    }

    fn all_signed(&self) -> bool {
        self.parties.iter().all(|party| self.signatures.iter().any(|signature| signature.org_id == *party))
    }
}

/// Who fires a contract event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ContractActor {
    /// A member acting for an organisation.
    Organisation {
        /// The organisation.
        org_id: String,
    },
    /// The platform (escrow, acceptance, disputes, tender lapse).
    System,
}

/// The signer's organisation, as signing needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignerStanding {
    /// Suspended by the platform.
    pub suspended: bool,
    /// Its credit standing (grade C may not sign).
    pub credit: CreditStanding,
}

/// Something that happens to a contract.
#[derive(Clone, Copy, Debug)]
pub enum ContractEvent<'a> {
    /// A party saves a change: a new version hashing to `sha256` (fires: a party).
    Revise {
        /// SHA-256 of the new version's PDF.
        sha256: &'a str,
    },
    /// A party sends the current draft for signature (fires: a party).
    SendForSigning,
    /// A party signs the version hashing to `sha256` (fires: a party, after re-authenticating).
    Sign {
        /// SHA-256 of the document the signer saw.
        sha256: &'a str,
        /// The signer's organisation.
        standing: SignerStanding,
        /// The payment plan of the version signed (for the risk rule).
        plan: &'a PaymentPlan,
        /// Performance bond recorded so far, fen.
        bond_recorded_fen: i64,
    },
    /// A performance bond was recorded; the system re-checks a fully signed version
    /// (fires: system).
    BondRecorded {
        /// The payment plan of the version waiting.
        plan: &'a PaymentPlan,
        /// Performance bond recorded, fen.
        bond_recorded_fen: i64,
    },
    /// A party signs the termination (fires: a party).
    SignTermination,
    /// Every milestone is accepted and settled (fires: system).
    Complete,
    /// A dispute outcome ends the contract (fires: system).
    EndByDispute,
    /// The award lapsed unsigned (fires: system).
    Abandon,
}

/// What else happens with an event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContractEffect {
    /// A new version was stored.
    NewVersion(u32),
    /// Signatures on the previous version no longer count; tell the parties.
    SignaturesVoided,
    /// Record the signature evidence (hash, signer, time, IP, user agent, consent) in the audit
    /// chain.
    Signed {
        /// The organisation.
        org_id: String,
        /// The version.
        version: u32,
    },
    /// Every party signed, but the risk rule holds the version back until a bond is recorded.
    AwaitingBond(RiskRefusal),
    /// The contract took effect: release the advance payment and mark the tender signed.
    TookEffect(u32),
    /// An amendment came into force.
    AmendmentInForce(u32),
    /// Three or more amendments within 30 days: warn both parties.
    AmendmentWarning,
    /// A party signed the termination.
    TerminationSigned(String),
    /// The contract ended (completed, terminated, by dispute, abandoned): unreleased escrow
    /// returns to the payer.
    Ended(ContractState),
}

/// The outcome of an event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContractStep {
    /// The contract after the event.
    pub contract: Contract,
    /// What else happens, in order.
    pub effects: Vec<ContractEffect>,
}

/// Why a contract event is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ContractRefusal {
    /// The acting organisation is not a party (or the system fired a party's event).
    #[error("only the contract's parties can do this")]
    NotAParty,
    /// A party fired an event only the platform fires.
    #[error("only the platform does this")]
    SystemOnly,
    /// The signed hash is not the current version's.
    #[error("the document has changed since it was shown; review the current version and sign again")]
    StaleDocument,
    /// The party signed this version (or the termination) already.
    #[error("this organisation has signed already")]
    AlreadySigned,
    /// The signer's organisation is suspended.
    #[error("the organisation is suspended by the platform and cannot sign")]
    SignerSuspended,
    /// The signer's organisation is rated C.
    #[error("an organisation with credit grade C cannot sign")]
    SignerGradeC,
    /// A revision identical to the current version.
    #[error("the new version is identical to the current one")]
    Unchanged,
    /// Sending for signing a contract that is not a draft.
    #[error("only a draft can be sent for signature")]
    NotADraft,
    /// Signing while no version is out for signature.
    #[error("no version of the contract is out for signature")]
    NothingToSign,
    /// A bond re-check while not every party has signed.
    #[error("not every party has signed yet")]
    NotFullySigned,
    /// The risk rule still holds the version back.
    #[error("{0}")]
    Risk(RiskRefusal),
    /// Completing, terminating or ending a contract that is not in force.
    #[error("the contract is not in force")]
    NotEffective,
    /// Abandoning a contract that has taken effect.
    #[error("only an unsigned contract can be abandoned")]
    NotAbandonable,
    /// Any event on a finished contract.
    #[error("the contract has ended")]
    Ended,
}

impl ContractRefusal {
    /// Stable snake_case code for the API's error envelope.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::NotAParty => "not_a_party",
            Self::SystemOnly => "forbidden",
            Self::StaleDocument => "stale_document",
            Self::AlreadySigned => "already_signed",
            Self::SignerSuspended => "organisation_suspended",
            Self::SignerGradeC => "credit_grade_c",
            Self::Risk(refusal) => refusal.code(),
            _ => "conflict",
        }
    }

    /// Which HTTP error it is.
    #[must_use]
    pub const fn kind(&self) -> RefusalKind {
        match self {
            Self::NotAParty | Self::SystemOnly | Self::SignerSuspended | Self::SignerGradeC => {
                RefusalKind::Forbidden
            }
            _ => RefusalKind::Conflict,
        }
    }
}

/// Applies `event`, fired by `actor` at `now`, to `contract` (rules in the module doc).
///
/// # Errors
/// The [`ContractRefusal`] saying why the event cannot happen.
pub fn transition(
    contract: &Contract,
    event: ContractEvent<'_>,
    actor: &ContractActor,
    now: DateTime<Utc>,
) -> Result<ContractStep, ContractRefusal> {
    let by_system = matches!(
        event,
        ContractEvent::BondRecorded { .. }
            | ContractEvent::Complete
            | ContractEvent::EndByDispute
            | ContractEvent::Abandon
    );
    let party = match (actor, by_system) {
        (ContractActor::System, true) => None,
        (ContractActor::Organisation { org_id }, false) if contract.parties.contains(org_id) => {
            Some(org_id.clone())
        }
        (ContractActor::Organisation { .. }, true) => return Err(ContractRefusal::SystemOnly),
        _ => return Err(ContractRefusal::NotAParty),
    };
    if contract.state.is_terminal() {
        return Err(ContractRefusal::Ended);
    }
    let mut next = contract.clone();
    let mut effects = Vec::new();
    match event {
        ContractEvent::Revise { sha256 } => {
            if sha256 == contract.current.sha256 {
                return Err(ContractRefusal::Unchanged);
            }
            next.current = DocumentVersion { number: contract.current.number + 1, sha256: sha256.to_owned() };
            effects.push(ContractEffect::NewVersion(next.current.number));
            if contract.awaits_signatures() && !contract.signatures.is_empty() {
                effects.push(ContractEffect::SignaturesVoided);
            }
            next.signatures.clear();
        }
        ContractEvent::SendForSigning => {
            if contract.state != ContractState::Draft {
                return Err(ContractRefusal::NotADraft);
            }
            next.state = ContractState::Signing;
        }
        ContractEvent::Sign { sha256, standing, plan, bond_recorded_fen } => {
            let org_id = party.unwrap_or_default();
            if !contract.awaits_signatures() {
                return Err(ContractRefusal::NothingToSign);
            }
            if sha256 != contract.current.sha256 {
                return Err(ContractRefusal::StaleDocument);
            }
            if contract.signatures.iter().any(|signature| signature.org_id == org_id) {
                return Err(ContractRefusal::AlreadySigned);
            }
            if standing.suspended {
                return Err(ContractRefusal::SignerSuspended);
            }
            if !standing.credit.privileges().may_bid {
                return Err(ContractRefusal::SignerGradeC);
            }
            let version = contract.current.number;
            next.signatures.push(Signature { org_id: org_id.clone(), version, signed_at: now });
            effects.push(ContractEffect::Signed { org_id, version });
            if next.all_signed() {
                match may_take_effect(plan, bond_recorded_fen) {
                    Ok(()) => bring_into_force(&mut next, &mut effects, now),
                    Err(refusal) => effects.push(ContractEffect::AwaitingBond(refusal)),
                }
            }
        }
        ContractEvent::BondRecorded { plan, bond_recorded_fen } => {
            if !contract.awaits_signatures() {
                return Err(ContractRefusal::NothingToSign);
            }
            if !contract.all_signed() {
                return Err(ContractRefusal::NotFullySigned);
            }
            may_take_effect(plan, bond_recorded_fen).map_err(ContractRefusal::Risk)?;
            bring_into_force(&mut next, &mut effects, now);
        }
        ContractEvent::SignTermination => {
            let org_id = party.unwrap_or_default();
            if contract.state != ContractState::Effective {
                return Err(ContractRefusal::NotEffective);
            }
            if contract.termination_signed_by.contains(&org_id) {
                return Err(ContractRefusal::AlreadySigned);
            }
            next.termination_signed_by.push(org_id.clone());
            effects.push(ContractEffect::TerminationSigned(org_id));
            if next.parties.iter().all(|party| next.termination_signed_by.contains(party)) {
                end(&mut next, &mut effects, ContractState::Terminated);
            }
        }
        ContractEvent::Complete | ContractEvent::EndByDispute => {
            if contract.state != ContractState::Effective {
                return Err(ContractRefusal::NotEffective);
            }
            let to = if matches!(event, ContractEvent::Complete) {
                ContractState::Completed
            } else {
                ContractState::EndedByDispute
            };
            end(&mut next, &mut effects, to);
        }
        ContractEvent::Abandon => {
            if !matches!(contract.state, ContractState::Draft | ContractState::Signing) {
                return Err(ContractRefusal::NotAbandonable);
            }
            end(&mut next, &mut effects, ContractState::Abandoned);
        }
    }
    Ok(ContractStep { contract: next, effects })
}

/// Puts the fully signed current version in force: the contract takes effect, or an amendment
/// comes into force (with the 30-day amendment warning).
fn bring_into_force(contract: &mut Contract, effects: &mut Vec<ContractEffect>, now: DateTime<Utc>) {
    let version = contract.current.number;
    if contract.state == ContractState::Effective {
        contract.amendments_in_force_at.push(now);
        effects.push(ContractEffect::AmendmentInForce(version));
        if amendment_warning(&contract.amendments_in_force_at, now) {
            effects.push(ContractEffect::AmendmentWarning);
        }
    } else {
        contract.state = ContractState::Effective;
        effects.push(ContractEffect::TookEffect(version));
    }
    contract.effective = Some(contract.current.clone());
}

fn end(contract: &mut Contract, effects: &mut Vec<ContractEffect>, to: ContractState) {
    contract.state = to;
    effects.push(ContractEffect::Ended(to));
}
