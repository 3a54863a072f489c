//! Applying one event to a dispute: state rules, who may fire what, and deadline consequences.

use chrono::{DateTime, Utc};

use super::case::{Agreement, ArbitrationCase, ArbitrationDecision, RespondentAnswer, SlaBreach};
use super::deadline::{DeadlineConsequence, next_deadline_on};
use super::event::{DisputeActor, DisputeEvent, EventKind, StaffRole};
use super::{DisputeCase, DisputeError, DisputeState, TimelineEntry};
use crate::domain::calendar::BusinessCalendar;

/// Applies `event`, fired by `actor` at `now`, and returns the updated case.
///
/// # Errors
/// [`DisputeError::InvalidTransition`] when the event cannot happen in the current state (always
/// so in a terminal state), [`DisputeError::NotPermitted`] when the actor may not fire it, and the
/// validation or deadline errors of the individual events.
pub fn transition(
    case: &DisputeCase,
    event: DisputeEvent,
    actor: &DisputeActor,
    now: DateTime<Utc>,
) -> Result<DisputeCase, DisputeError> {
    transition_on(case, event, actor, now, BusinessCalendar::official())
}

/// [`transition`] with deadlines counted on `calendar` (the platform's: shipped years plus
/// uploaded ones).
///
/// # Errors
/// As [`transition`].
pub fn transition_on(
    case: &DisputeCase,
    event: DisputeEvent,
    actor: &DisputeActor,
    now: DateTime<Utc>,
    calendar: &BusinessCalendar,
) -> Result<DisputeCase, DisputeError> {
    let kind = event.kind();
    if case.state.is_terminal() {
        return Err(DisputeError::InvalidTransition { event: kind, state: case.state });
    }
    if case.timeline.last().is_some_and(|entry| now < entry.at) {
        return Err(DisputeError::ClockWentBackwards);
    }
    if !is_permitted(case, kind, actor) {
        return Err(DisputeError::NotPermitted(kind));
    }
    let mut next = case.clone();
    let consequence = apply(&mut next, &event, now, calendar)?;
    next.timeline.push(TimelineEntry {
        at: now,
        actor: actor.clone(),
        event: Some(event),
        consequence,
        state_after: next.state,
    });
    Ok(next)
}

fn is_permitted(case: &DisputeCase, kind: EventKind, actor: &DisputeActor) -> bool {
    match (kind, actor) {
        (EventKind::AssignMediator, DisputeActor::Staff { role, .. }) => {
            matches!(role, StaffRole::Operator | StaffRole::Admin)
        }
        (EventKind::Respond, DisputeActor::Organisation { org_id }) => {
            *org_id == case.filing.respondent_org_id
        }
        (EventKind::Withdraw, DisputeActor::Organisation { org_id }) => {
            *org_id == case.filing.complainant_org_id
        }
        (
            EventKind::OpenMediation
            | EventKind::RecordAgreement
            | EventKind::DeclareMediationFailed
            | EventKind::RegisterArbitration
            | EventKind::RecordDecision
            | EventKind::Close,
            DisputeActor::Staff { staff_id, role },
        ) => match role {
            StaffRole::Admin => true,
            StaffRole::Mediator => case.mediator_id.as_deref() == Some(staff_id.as_str()),
            StaffRole::Operator => false,
        },
        (EventKind::DeadlinePassed, DisputeActor::System) => true,
        _ => false,
    }
}

fn require_text(text: &str, field: &'static str) -> Result<(), DisputeError> {
    if text.trim().is_empty() { Err(DisputeError::Blank(field)) } else { Ok(()) }
}

fn invalid(case: &DisputeCase, kind: EventKind) -> DisputeError {
    DisputeError::InvalidTransition { event: kind, state: case.state }
}

/// Records an SLA breach when the deadline running now has already passed.
fn note_late(
    case: &mut DisputeCase,
    now: DateTime<Utc>,
    calendar: &BusinessCalendar,
) -> Result<(), DisputeError> {
    if let Some(deadline) = next_deadline_on(case, calendar)?.filter(|deadline| deadline.has_passed(now)) {
        case.sla_breaches.push(SlaBreach { deadline: deadline.kind, due_at: deadline.due_at });
    }
    Ok(())
}

fn open_mediation(case: &mut DisputeCase, now: DateTime<Utc>) {
    case.state = DisputeState::InMediation;
    case.mediation_opened_at = Some(now);
}

fn apply(
    case: &mut DisputeCase,
    event: &DisputeEvent,
    now: DateTime<Utc>,
    calendar: &BusinessCalendar,
) -> Result<Option<DeadlineConsequence>, DisputeError> {
    let kind = event.kind();
    match (case.state, event) {
        (DisputeState::AwaitingAssignment, DisputeEvent::AssignMediator { mediator_id }) => {
            require_text(mediator_id, "mediator_id")?;
            note_late(case, now, calendar)?;
            case.mediator_id = Some(mediator_id.clone());
            case.state = if case.answer.is_some() || case.respondent_non_responsive {
                DisputeState::AwaitingMediation
            } else {
                DisputeState::AwaitingResponse
            };
        }
        (
            DisputeState::AwaitingAssignment | DisputeState::AwaitingResponse,
            DisputeEvent::Respond { statement },
        ) => {
            require_text(statement, "statement")?;
            if case.answer.is_some() || case.respondent_non_responsive {
                return Err(DisputeError::AlreadyAnswered);
            }
            case.answer = Some(RespondentAnswer { statement: statement.clone(), answered_at: now });
            if case.state == DisputeState::AwaitingResponse {
                case.state = DisputeState::AwaitingMediation;
            }
        }
        (DisputeState::AwaitingMediation, DisputeEvent::OpenMediation) => {
            note_late(case, now, calendar)?;
            open_mediation(case, now);
        }
        (DisputeState::InMediation, DisputeEvent::RecordAgreement { terms, escrow_movements, at_fault }) => {
            require_text(terms, "terms")?;
            if let Some(movement) = escrow_movements.iter().find(|movement| movement.amount_fen <= 0) {
                return Err(DisputeError::InvalidAmount(movement.amount_fen));
            }
            case.agreement = Some(Agreement {
                terms: terms.clone(),
                escrow_movements: escrow_movements.clone(),
                at_fault: *at_fault,
            });
            case.state = DisputeState::Resolved;
        }
        (DisputeState::InMediation, DisputeEvent::DeclareMediationFailed { reason }) => {
            require_text(reason, "reason")?;
            case.state = DisputeState::InArbitration;
        }
        (DisputeState::InArbitration, DisputeEvent::RegisterArbitration { institution, case_number })
            if case.arbitration.is_none() =>
        {
            require_text(institution, "institution")?;
            require_text(case_number, "case_number")?;
            case.arbitration =
                Some(ArbitrationCase { institution: institution.clone(), case_number: case_number.clone() });
        }
        (DisputeState::InArbitration, DisputeEvent::RecordDecision { summary, at_fault, award_fen }) => {
            if case.arbitration.is_none() {
                return Err(DisputeError::ArbitrationNotRegistered);
            }
            require_text(summary, "summary")?;
            if *award_fen < 0 {
                return Err(DisputeError::InvalidAmount(*award_fen));
            }
            case.decision = Some(ArbitrationDecision {
                summary: summary.clone(),
                at_fault: *at_fault,
                award_fen: *award_fen,
            });
            case.state = DisputeState::Decided;
        }
        (DisputeState::Resolved | DisputeState::Decided, DisputeEvent::Close) => {
            case.state = DisputeState::Closed;
        }
        (state, DisputeEvent::Withdraw { reason }) if state.allows_withdrawal() => {
            require_text(reason, "reason")?;
            case.state = DisputeState::Withdrawn;
        }
        (_, DisputeEvent::DeadlinePassed) => return deadline_passed(case, now, calendar).map(Some),
        _ => return Err(invalid(case, kind)),
    }
    Ok(None)
}

fn deadline_passed(
    case: &mut DisputeCase,
    now: DateTime<Utc>,
    calendar: &BusinessCalendar,
) -> Result<DeadlineConsequence, DisputeError> {
    let deadline = next_deadline_on(case, calendar)?.ok_or(DisputeError::NoDeadlineRunning)?;
    if !deadline.has_passed(now) {
        return Err(DisputeError::DeadlineNotReached(deadline.due_at));
    }
    match deadline.on_expiry {
        DeadlineConsequence::EscalateToAdmin => {
            case.escalated_to_admin = true;
            case.sla_breaches.push(SlaBreach { deadline: deadline.kind, due_at: deadline.due_at });
        }
        DeadlineConsequence::MarkRespondentNonResponsive => {
            case.respondent_non_responsive = true;
        }
        DeadlineConsequence::OpenMediationWithoutAnswer => {
            case.respondent_non_responsive = true;
            open_mediation(case, now);
        }
        DeadlineConsequence::OpenMediationAutomatically => {
            case.sla_breaches.push(SlaBreach { deadline: deadline.kind, due_at: deadline.due_at });
            open_mediation(case, now);
        }
        DeadlineConsequence::EscalateToArbitration => {
            case.state = DisputeState::InArbitration;
        }
    }
    Ok(deadline.on_expiry)
}
