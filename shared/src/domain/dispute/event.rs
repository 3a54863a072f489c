//! Dispute events and the actors who may fire them.

use serde::{Deserialize, Serialize};

use super::case::EscrowMovement;

crate::stored_enum! {
    /// A side of the dispute.
    pub enum DisputeParty in "disputes (JSON)" {
        /// The organisation that filed.
        Complainant = "complainant",
        /// The organisation complained about.
        Respondent = "respondent",
    }
}

/// Platform staff roles that act on disputes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    /// Dispatches cases to mediators.
    Operator,
    /// Runs mediation for the cases assigned to them.
    Mediator,
    /// Handles escalations; may act in place of the mediator.
    Admin,
}

/// Who fires an event.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum DisputeActor {
    /// A member acting for an organisation.
    Organisation {
        /// The organisation.
        org_id: String,
    },
    /// Platform staff.
    Staff {
        /// Staff member id.
        staff_id: String,
        /// Their role.
        role: StaffRole,
    },
    /// The platform's deadline scheduler.
    System,
}

/// Something that happens to a dispute.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "event")]
pub enum DisputeEvent {
    /// An operator or admin assigns a mediator (fires: operator, admin).
    AssignMediator {
        /// Staff id of the mediator.
        mediator_id: String,
    },
    /// The respondent answers the claim (fires: respondent).
    Respond {
        /// The answer.
        statement: String,
    },
    /// The mediator opens online mediation (fires: assigned mediator, admin).
    OpenMediation,
    /// Mediation ends in agreement (fires: assigned mediator, admin).
    RecordAgreement {
        /// Terms agreed.
        terms: String,
        /// Escrow movements to execute.
        escrow_movements: Vec<EscrowMovement>,
        /// The party the agreement holds at fault, if any (feeds the credit model).
        at_fault: Option<DisputeParty>,
    },
    /// Mediation fails; the case goes to arbitration (fires: assigned mediator, admin).
    DeclareMediationFailed {
        /// Why it failed.
        reason: String,
    },
    /// The arbitration institution and case number are known (fires: assigned mediator, admin).
    RegisterArbitration {
        /// Arbitration institution.
        institution: String,
        /// Its case number.
        case_number: String,
    },
    /// The arbitration decision is recorded (fires: assigned mediator, admin).
    RecordDecision {
        /// Summary of the award.
        summary: String,
        /// The party held at fault, if any (feeds the credit model).
        at_fault: Option<DisputeParty>,
        /// Amount awarded, fen.
        award_fen: i64,
    },
    /// The agreement or decision has been executed (fires: assigned mediator, admin).
    Close,
    /// The complainant withdraws (fires: complainant).
    Withdraw {
        /// Why.
        reason: String,
    },
    /// The running deadline has passed (fires: system).
    DeadlinePassed,
}

/// The kind of an event, for errors and permission checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename = "DisputeEventKind", rename_all = "snake_case"))]
pub enum EventKind {
    /// Filing the dispute (fires: complainant).
    File,
    /// [`DisputeEvent::AssignMediator`].
    AssignMediator,
    /// [`DisputeEvent::Respond`].
    Respond,
    /// [`DisputeEvent::OpenMediation`].
    OpenMediation,
    /// [`DisputeEvent::RecordAgreement`].
    RecordAgreement,
    /// [`DisputeEvent::DeclareMediationFailed`].
    DeclareMediationFailed,
    /// [`DisputeEvent::RegisterArbitration`].
    RegisterArbitration,
    /// [`DisputeEvent::RecordDecision`].
    RecordDecision,
    /// [`DisputeEvent::Close`].
    Close,
    /// [`DisputeEvent::Withdraw`].
    Withdraw,
    /// [`DisputeEvent::DeadlinePassed`].
    DeadlinePassed,
}

impl DisputeEvent {
    /// The event's kind.
    #[must_use]
    pub const fn kind(&self) -> EventKind {
        match self {
            Self::AssignMediator { .. } => EventKind::AssignMediator,
            Self::Respond { .. } => EventKind::Respond,
            Self::OpenMediation => EventKind::OpenMediation,
            Self::RecordAgreement { .. } => EventKind::RecordAgreement,
            Self::DeclareMediationFailed { .. } => EventKind::DeclareMediationFailed,
            Self::RegisterArbitration { .. } => EventKind::RegisterArbitration,
            Self::RecordDecision { .. } => EventKind::RecordDecision,
            Self::Close => EventKind::Close,
            Self::Withdraw { .. } => EventKind::Withdraw,
            Self::DeadlinePassed => EventKind::DeadlinePassed,
        }
    }
}
