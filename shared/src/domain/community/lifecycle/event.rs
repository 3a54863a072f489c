//! A community event's lifecycle: scheduled until it starts, then started, then ended — or
//! called off (cancelled) by its host or an admin before it starts. Sign-ups and their
//! cancellations happen only while it is scheduled; the summary only once it has ended (and was
//! not called off). A cancelled sign-up frees a place for the waitlist
//! ([`super::super::events::promotions`]).

use chrono::{DateTime, Utc};

use super::Refusal;
use crate::domain::community::events::admit;
use crate::dto::{EventStatus, SignupStatus};

/// Where an event stands at a moment: the stored status plus the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventPhase {
    /// Before its start.
    Scheduled,
    /// Between start and end.
    Started,
    /// After its end.
    Ended,
    /// Called off.
    Cancelled,
}

/// What the server knows of an event for a transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventFacts {
    /// The stored status.
    pub status: EventStatus,
    /// When it starts.
    pub starts_at: DateTime<Utc>,
    /// When it ends.
    pub ends_at: DateTime<Utc>,
    /// Whether a summary was written already.
    pub summarised: bool,
}

impl EventFacts {
    /// The phase at `now`.
    #[must_use]
    pub fn phase(&self, now: DateTime<Utc>) -> EventPhase {
        if self.status == EventStatus::Cancelled {
            EventPhase::Cancelled
        } else if now < self.starts_at {
            EventPhase::Scheduled
        } else if now < self.ends_at {
            EventPhase::Started
        } else {
            EventPhase::Ended
        }
    }
}

/// Who fires an event's transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventActor {
    /// The host or one of the group's admins.
    pub runs_it: bool,
}

/// Something that happens to an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventCommand {
    /// A member signs up; `mine` is their existing sign-up's status, `confirmed` the places
    /// taken of `capacity`.
    SignUp {
        /// The caller's existing sign-up, if any.
        mine: Option<SignupStatus>,
        /// Confirmed places.
        confirmed: usize,
        /// All places.
        capacity: usize,
    },
    /// A member cancels their sign-up.
    CancelSignup {
        /// The caller's existing sign-up, if any.
        mine: Option<SignupStatus>,
    },
    /// The host or an admin calls the event off.
    CallOff,
    /// The host or an admin writes the summary.
    Summarise,
}

/// What a transition decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventOutcome {
    /// The new sign-up's status (a place or the waitlist).
    SignedUp(SignupStatus),
    /// The sign-up is cancelled; promote the waitlist.
    SignupCancelled,
    /// The event's status becomes cancelled; tell everyone signed up.
    CalledOff,
    /// The summary is stored; `first` says whether it is the first (which may pay the host).
    Summarised {
        /// No summary existed before.
        first: bool,
    },
}

/// Applies `command`, fired by `actor` at `now`, to the event described by `facts`.
///
/// # Errors
/// The [`Refusal`] naming why the command cannot happen now or by this actor: a host-only
/// command by someone else first, then the event's phase, then the caller's sign-up.
pub fn transition(
    facts: &EventFacts,
    command: EventCommand,
    actor: EventActor,
    now: DateTime<Utc>,
) -> Result<EventOutcome, Refusal> {
    let phase = facts.phase(now);
    let open = || match phase {
        EventPhase::Cancelled => Err(Refusal::EventCalledOff),
        EventPhase::Started | EventPhase::Ended => Err(Refusal::EventStarted),
        EventPhase::Scheduled => Ok(()),
    };
    let active = |mine: Option<SignupStatus>| mine.is_some_and(|s| s != SignupStatus::Cancelled);
    match command {
        EventCommand::SignUp { mine, confirmed, capacity } => {
            open()?;
            if active(mine) {
                return Err(Refusal::AlreadySignedUp);
            }
            Ok(EventOutcome::SignedUp(admit(confirmed, capacity)))
        }
        EventCommand::CancelSignup { mine } => {
            open()?;
            if !active(mine) {
                return Err(Refusal::NotSignedUp);
            }
            Ok(EventOutcome::SignupCancelled)
        }
        EventCommand::CallOff => {
            if !actor.runs_it {
                return Err(Refusal::NotHostToCallOff);
            }
            open()?;
            Ok(EventOutcome::CalledOff)
        }
        EventCommand::Summarise => {
            if !actor.runs_it {
                return Err(Refusal::NotHostToSummarise);
            }
            match phase {
                EventPhase::Cancelled => Err(Refusal::EventCalledOff),
                EventPhase::Scheduled | EventPhase::Started => Err(Refusal::EventNotEnded),
                EventPhase::Ended => Ok(EventOutcome::Summarised { first: !facts.summarised }),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};
    use proptest::prelude::*;
    use rstest::rstest;

    use super::*;

    fn at(hours: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap() + Duration::hours(hours)
    }

    /// Starts at hour 10, ends at hour 12.
    fn facts(status: EventStatus, summarised: bool) -> EventFacts {
        EventFacts { status, starts_at: at(10), ends_at: at(12), summarised }
    }

    const HOST: EventActor = EventActor { runs_it: true };
    const MEMBER: EventActor = EventActor { runs_it: false };

    fn sign_up(mine: Option<SignupStatus>, confirmed: usize) -> EventCommand {
        EventCommand::SignUp { mine, confirmed, capacity: 2 }
    }

    #[rstest]
    #[case::a_place_while_there_are_places(
        sign_up(None, 1),
        MEMBER,
        9,
        Ok(EventOutcome::SignedUp(SignupStatus::Confirmed))
    )]
    #[case::the_waitlist_when_full(
        sign_up(None, 2),
        MEMBER,
        9,
        Ok(EventOutcome::SignedUp(SignupStatus::Waitlisted))
    )]
    #[case::again_after_cancelling(
        sign_up(Some(SignupStatus::Cancelled), 0),
        MEMBER,
        9,
        Ok(EventOutcome::SignedUp(SignupStatus::Confirmed))
    )]
    #[case::not_twice(sign_up(Some(SignupStatus::Waitlisted), 0), MEMBER, 9, Err(Refusal::AlreadySignedUp))]
    #[case::not_once_started(sign_up(None, 0), MEMBER, 10, Err(Refusal::EventStarted))]
    #[case::not_once_ended(sign_up(None, 0), MEMBER, 13, Err(Refusal::EventStarted))]
    #[case::cancel_a_place(EventCommand::CancelSignup { mine: Some(SignupStatus::Confirmed) }, MEMBER, 9, Ok(EventOutcome::SignupCancelled))]
    #[case::cancel_nothing(EventCommand::CancelSignup { mine: None }, MEMBER, 9, Err(Refusal::NotSignedUp))]
    #[case::cancel_a_cancelled(EventCommand::CancelSignup { mine: Some(SignupStatus::Cancelled) }, MEMBER, 9, Err(Refusal::NotSignedUp))]
    #[case::cancel_after_start(EventCommand::CancelSignup { mine: Some(SignupStatus::Confirmed) }, MEMBER, 11, Err(Refusal::EventStarted))]
    #[case::host_calls_off(EventCommand::CallOff, HOST, 9, Ok(EventOutcome::CalledOff))]
    #[case::member_does_not_call_off(EventCommand::CallOff, MEMBER, 9, Err(Refusal::NotHostToCallOff))]
    #[case::not_called_off_once_started(EventCommand::CallOff, HOST, 10, Err(Refusal::EventStarted))]
    #[case::summary_after_the_end(EventCommand::Summarise, HOST, 12, Ok(EventOutcome::Summarised { first: true }))]
    #[case::summary_not_during(EventCommand::Summarise, HOST, 11, Err(Refusal::EventNotEnded))]
    #[case::summary_not_before(EventCommand::Summarise, HOST, 9, Err(Refusal::EventNotEnded))]
    #[case::summary_by_the_host_only(EventCommand::Summarise, MEMBER, 13, Err(Refusal::NotHostToSummarise))]
    fn a_scheduled_event(
        #[case] command: EventCommand,
        #[case] actor: EventActor,
        #[case] hour: i64,
        #[case] expected: Result<EventOutcome, Refusal>,
    ) {
        assert_eq!(transition(&facts(EventStatus::Scheduled, false), command, actor, at(hour)), expected);
    }

    #[rstest]
    #[case(sign_up(None, 0), HOST)]
    #[case(EventCommand::CancelSignup { mine: Some(SignupStatus::Confirmed) }, MEMBER)]
    #[case(EventCommand::CallOff, HOST)]
    #[case(EventCommand::Summarise, HOST)]
    fn a_called_off_event_refuses_everything(#[case] command: EventCommand, #[case] actor: EventActor) {
        for hour in [9, 11, 13] {
            let got = transition(&facts(EventStatus::Cancelled, false), command, actor, at(hour));
            assert_eq!(got, Err(Refusal::EventCalledOff));
        }
    }

    #[test]
    fn a_second_summary_replaces_the_first_but_is_not_first() {
        let got = transition(&facts(EventStatus::Scheduled, true), EventCommand::Summarise, HOST, at(13));
        assert_eq!(got, Ok(EventOutcome::Summarised { first: false }));
    }

    #[test]
    fn the_phase_follows_the_clock() {
        let event = facts(EventStatus::Scheduled, false);
        assert_eq!(event.phase(at(9)), EventPhase::Scheduled);
        assert_eq!(event.phase(at(10)), EventPhase::Started);
        assert_eq!(event.phase(at(12)), EventPhase::Ended);
        assert_eq!(facts(EventStatus::Cancelled, false).phase(at(9)), EventPhase::Cancelled);
    }

    proptest! {
        /// Nothing but a summary ever happens to an event once it has started, and a summary
        /// never before it has ended.
        #[test]
        fn after_the_start_only_a_summary_after_the_end(hour in 10i64..40, runs_it: bool, kind in 0u8..4) {
            let command = match kind {
                0 => sign_up(None, 0),
                1 => EventCommand::CancelSignup { mine: Some(SignupStatus::Confirmed) },
                2 => EventCommand::CallOff,
                _ => EventCommand::Summarise,
            };
            let got = transition(&facts(EventStatus::Scheduled, false), command, EventActor { runs_it }, at(hour));
            match got {
                Ok(EventOutcome::Summarised { .. }) => prop_assert!(hour >= 12 && runs_it),
                Ok(other) => prop_assert!(false, "{other:?} after the start"),
                Err(_) => {}
            }
        }
    }
}
