//! The dispute case record: the filing, what has happened since, and its visible timeline.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::deadline::{DeadlineConsequence, DeadlineKind};
use super::event::{DisputeActor, DisputeEvent, DisputeParty};
use super::{DisputeError, DisputeState};

/// What the complainant files.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeFiling {
    /// Dispute id.
    pub id: String,
    /// The contract in dispute.
    pub contract_id: String,
    /// The filing organisation.
    pub complainant_org_id: String,
    /// The organisation complained about.
    pub respondent_org_id: String,
    /// The claim.
    pub claim: String,
    /// Amount claimed, fen.
    pub amount_fen: i64,
    /// Evidence file ids.
    pub evidence: Vec<String>,
}

/// The respondent's answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RespondentAnswer {
    /// The answer.
    pub statement: String,
    /// When it was given.
    pub answered_at: DateTime<Utc>,
}

/// An escrow movement agreed in mediation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscrowMovement {
    /// Who receives the money.
    pub to: DisputeParty,
    /// Amount, fen (positive).
    pub amount_fen: i64,
}

/// A settlement reached in mediation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agreement {
    /// Terms agreed.
    pub terms: String,
    /// Escrow movements to execute.
    pub escrow_movements: Vec<EscrowMovement>,
    /// The party held at fault, if any.
    pub at_fault: Option<DisputeParty>,
}

/// The arbitration case the dispute was handed to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArbitrationCase {
    /// Institution.
    pub institution: String,
    /// Case number there.
    pub case_number: String,
}

/// The arbitration award.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArbitrationDecision {
    /// Summary.
    pub summary: String,
    /// The party held at fault, if any.
    pub at_fault: Option<DisputeParty>,
    /// Amount awarded, fen.
    pub award_fen: i64,
}

/// A deadline that was missed and counted as a breach of the platform's SLA.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaBreach {
    /// Which deadline.
    pub deadline: DeadlineKind,
    /// When it was due.
    pub due_at: DateTime<Utc>,
}

/// One step on the case's visible timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// When.
    pub at: DateTime<Utc>,
    /// Who (the system for missed deadlines).
    pub actor: DisputeActor,
    /// What happened; none for the filing itself.
    pub event: Option<DisputeEvent>,
    /// For a missed deadline, what it caused.
    pub consequence: Option<DeadlineConsequence>,
    /// The state afterwards.
    pub state_after: DisputeState,
}

/// A dispute and everything that has happened to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeCase {
    /// What was filed.
    pub filing: DisputeFiling,
    /// When it was filed.
    pub filed_at: DateTime<Utc>,
    /// Where it stands.
    pub state: DisputeState,
    /// The assigned mediator's staff id.
    pub mediator_id: Option<String>,
    /// The respondent's answer.
    pub answer: Option<RespondentAnswer>,
    /// The respondent let the answer deadline pass.
    pub respondent_non_responsive: bool,
    /// No mediator was assigned in time; an admin is on it.
    pub escalated_to_admin: bool,
    /// Missed platform deadlines.
    pub sla_breaches: Vec<SlaBreach>,
    /// When mediation opened.
    pub mediation_opened_at: Option<DateTime<Utc>>,
    /// The agreement, if mediation succeeded.
    pub agreement: Option<Agreement>,
    /// The arbitration case, once registered.
    pub arbitration: Option<ArbitrationCase>,
    /// The arbitration decision.
    pub decision: Option<ArbitrationDecision>,
    /// Every step, oldest first.
    pub timeline: Vec<TimelineEntry>,
}

impl DisputeCase {
    /// Escrow on the contract is frozen while the dispute is open.
    #[must_use]
    pub const fn escrow_frozen(&self) -> bool {
        !self.state.is_terminal()
    }

    /// The organisation held at fault by the agreement or the decision, for the credit model.
    #[must_use]
    pub fn organisation_at_fault(&self) -> Option<&str> {
        let at_fault = self
            .decision
            .as_ref()
            .map(|decision| decision.at_fault)
            .or_else(|| self.agreement.as_ref().map(|agreement| agreement.at_fault))??;
        Some(match at_fault {
            DisputeParty::Complainant => &self.filing.complainant_org_id,
            DisputeParty::Respondent => &self.filing.respondent_org_id,
        })
    }
}

/// Opens a dispute.
///
/// # Errors
/// [`DisputeError::NotPermitted`] unless `complainant` acts for the filing organisation,
/// [`DisputeError::SameParties`], [`DisputeError::Blank`] for a blank claim or party, and
/// [`DisputeError::InvalidAmount`] for a negative amount.
pub fn file(
    filing: DisputeFiling,
    complainant: DisputeActor,
    now: DateTime<Utc>,
) -> Result<DisputeCase, DisputeError> {
    let filed_by_complainant = matches!(
        &complainant,
        DisputeActor::Organisation { org_id } if *org_id == filing.complainant_org_id
    );
    if !filed_by_complainant {
        return Err(DisputeError::NotPermitted(super::EventKind::File));
    }
    if filing.complainant_org_id.trim().is_empty() || filing.respondent_org_id.trim().is_empty() {
        return Err(DisputeError::Blank("party"));
    }
    if filing.complainant_org_id == filing.respondent_org_id {
        return Err(DisputeError::SameParties);
    }
    if filing.claim.trim().is_empty() {
        return Err(DisputeError::Blank("claim"));
    }
    if filing.amount_fen < 0 {
        return Err(DisputeError::InvalidAmount(filing.amount_fen));
    }
    let state = DisputeState::AwaitingAssignment;
    Ok(DisputeCase {
        filing,
        filed_at: now,
        state,
        mediator_id: None,
        answer: None,
        respondent_non_responsive: false,
        escalated_to_admin: false,
        sla_breaches: Vec::new(),
        mediation_opened_at: None,
        agreement: None,
        arbitration: None,
        decision: None,
        timeline: vec![TimelineEntry {
            at: now,
            actor: complainant,
            event: None,
            consequence: None,
            state_after: state,
        }],
    })
}
