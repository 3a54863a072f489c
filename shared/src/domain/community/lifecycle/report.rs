//! A report to a group's admins: open until an admin handles it once — dismissed, or actioned
//! by the sanction that answers it.

use super::Refusal;
use crate::dto::ReportStatus;

/// How an admin handles a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportEvent {
    /// Nothing to act on.
    Dismiss,
    /// A sanction answers it.
    Action,
}

/// The state after `event`.
///
/// # Errors
/// [`Refusal::ReportHandled`] unless the report is open.
pub fn transition(current: ReportStatus, event: ReportEvent) -> Result<ReportStatus, Refusal> {
    match (current, event) {
        (ReportStatus::Open, ReportEvent::Dismiss) => Ok(ReportStatus::Dismissed),
        (ReportStatus::Open, ReportEvent::Action) => Ok(ReportStatus::Actioned),
        _ => Err(Refusal::ReportHandled),
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;
    use ReportStatus::{Actioned, Dismissed, Open};

    #[rstest]
    #[case(Open, ReportEvent::Dismiss, Ok(Dismissed))]
    #[case(Open, ReportEvent::Action, Ok(Actioned))]
    #[case(Dismissed, ReportEvent::Dismiss, Err(Refusal::ReportHandled))]
    #[case(Dismissed, ReportEvent::Action, Err(Refusal::ReportHandled))]
    #[case(Actioned, ReportEvent::Dismiss, Err(Refusal::ReportHandled))]
    #[case(Actioned, ReportEvent::Action, Err(Refusal::ReportHandled))]
    fn a_report_is_handled_once(
        #[case] from: ReportStatus,
        #[case] event: ReportEvent,
        #[case] expected: Result<ReportStatus, Refusal>,
    ) {
        assert_eq!(transition(from, event), expected);
    }
}
