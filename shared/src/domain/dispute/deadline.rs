//! The deadlines of a dispute and what happens when each passes.
//!
//! | state | deadline | due | when it passes |
//! |---|---|---|---|
//! | awaiting assignment (not yet escalated) | mediator assignment | filing + 2 clock hours | escalated to an admin, SLA breach |
//! | awaiting assignment (escalated), no answer | respondent answer | end of the 3rd business day after filing | respondent marked non-responsive |
//! | awaiting response | respondent answer | end of the 3rd business day after filing | mediation opens, respondent marked non-responsive |
//! | awaiting mediation | mediation opening | end of the 5th business day after filing | mediation opens automatically, SLA breach |
//! | in mediation | mediation end | end of the 10th business day after opening | escalated to arbitration |

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{
    ASSIGNMENT_SLA_HOURS, DisputeCase, DisputeError, DisputeState, MEDIATION_MAX_BUSINESS_DAYS,
    MEDIATION_OPENING_BUSINESS_DAYS, RESPONSE_BUSINESS_DAYS,
};
use crate::domain::calendar::{BusinessCalendar, Coverage, shanghai};

/// Which deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename = "DisputeDeadlineKind", rename_all = "snake_case"))]
pub enum DeadlineKind {
    /// A mediator must be assigned within 2 clock hours of filing.
    MediatorAssignment,
    /// The respondent must answer within 3 business days of filing.
    RespondentAnswer,
    /// Mediation must open within 5 business days of filing.
    MediationOpening,
    /// Mediation runs at most 10 business days.
    MediationEnd,
}

/// What the system does when a deadline passes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename = "DisputeDeadlineConsequence", rename_all = "snake_case"))]
pub enum DeadlineConsequence {
    /// Escalate to an admin and count an SLA breach.
    EscalateToAdmin,
    /// Mark the respondent non-responsive (no mediator yet to open mediation).
    MarkRespondentNonResponsive,
    /// Open mediation with the respondent marked non-responsive.
    OpenMediationWithoutAnswer,
    /// Open mediation automatically and count an SLA breach.
    OpenMediationAutomatically,
    /// Escalate the case to arbitration.
    EscalateToArbitration,
}

/// The deadline now running on a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// Which deadline.
    pub kind: DeadlineKind,
    /// When it passes.
    pub due_at: DateTime<Utc>,
    /// Whether official holiday data covered the business days counted.
    pub coverage: Coverage,
    /// What happens then.
    pub on_expiry: DeadlineConsequence,
}

impl Deadline {
    /// Whether it has passed at `now`.
    #[must_use]
    pub fn has_passed(&self, now: DateTime<Utc>) -> bool {
        now >= self.due_at
    }
}

fn business(
    calendar: &BusinessCalendar,
    kind: DeadlineKind,
    from: DateTime<Utc>,
    days: u32,
    on_expiry: DeadlineConsequence,
) -> Result<Deadline, DisputeError> {
    let due = calendar.business_deadline(from, days)?;
    Ok(Deadline { kind, due_at: due.value, coverage: due.coverage, on_expiry })
}

/// The deadline running on a case, if any.
///
/// # Errors
/// [`DisputeError::Calendar`] only for dates at the edge of what chrono can represent.
pub fn next_deadline(case: &DisputeCase) -> Result<Option<Deadline>, DisputeError> {
    next_deadline_on(case, BusinessCalendar::official())
}

/// [`next_deadline`] on `calendar` (the platform's: shipped years plus uploaded ones).
///
/// # Errors
/// As [`next_deadline`].
pub fn next_deadline_on(
    case: &DisputeCase,
    calendar: &BusinessCalendar,
) -> Result<Option<Deadline>, DisputeError> {
    let answered = case.answer.is_some() || case.respondent_non_responsive;
    let deadline = match case.state {
        DisputeState::AwaitingAssignment if !case.escalated_to_admin => Some(Deadline {
            kind: DeadlineKind::MediatorAssignment,
            due_at: shanghai::add_clock_hours(case.filed_at, ASSIGNMENT_SLA_HOURS)?,
            coverage: Coverage::Official,
            on_expiry: DeadlineConsequence::EscalateToAdmin,
        }),
        DisputeState::AwaitingAssignment if !answered => Some(business(
            calendar,
            DeadlineKind::RespondentAnswer,
            case.filed_at,
            RESPONSE_BUSINESS_DAYS,
            DeadlineConsequence::MarkRespondentNonResponsive,
        )?),
        DisputeState::AwaitingResponse => Some(business(
            calendar,
            DeadlineKind::RespondentAnswer,
            case.filed_at,
            RESPONSE_BUSINESS_DAYS,
            DeadlineConsequence::OpenMediationWithoutAnswer,
        )?),
        DisputeState::AwaitingMediation => Some(business(
            calendar,
            DeadlineKind::MediationOpening,
            case.filed_at,
            MEDIATION_OPENING_BUSINESS_DAYS,
            DeadlineConsequence::OpenMediationAutomatically,
        )?),
        DisputeState::InMediation => {
            let opened = case.mediation_opened_at.unwrap_or(case.filed_at);
            Some(business(
                calendar,
                DeadlineKind::MediationEnd,
                opened,
                MEDIATION_MAX_BUSINESS_DAYS,
                DeadlineConsequence::EscalateToArbitration,
            )?)
        }
        DisputeState::AwaitingAssignment
        | DisputeState::InArbitration
        | DisputeState::Resolved
        | DisputeState::Decided
        | DisputeState::Closed
        | DisputeState::Withdrawn => None,
    };
    Ok(deadline)
}
