//! Checks of events and polls: a new event (when, where), its summary and cancellation, a new
//! poll. The current instant is a parameter: an event starts and a poll closes in the future.

use chrono::{DateTime, Duration, Utc};

use super::super::{Check, Checks, Invalid};
use super::{choices, link, one_text};
use crate::dto::{CancelEventRequest, CreateEventRequest, CreatePollRequest, EventSummaryRequest};

/// The longest event (a multi-day workshop), in days.
pub const MAX_EVENT_DAYS: i64 = 7;
/// The shortest event, in minutes: a session must be long enough to be one.
pub const MIN_EVENT_MINUTES: i64 = 30;
/// Most places at an event.
pub const MAX_EVENT_CAPACITY: i64 = 10_000;
/// How far ahead a poll's deadline may be, in days.
pub const MAX_POLL_DAYS: i64 = 90;
/// Fewest and most options of a poll.
pub const MIN_POLL_OPTIONS: usize = 2;
pub const MAX_POLL_OPTIONS: usize = 20;

/// A new event's texts and place, checked: at least one of the link and the venue.
#[derive(Debug, Clone, PartialEq)]
pub struct EventFields {
    pub title: String,
    pub description: String,
    pub online_link: Option<String>,
    pub venue: Option<String>,
}

impl CreateEventRequest {
    /// Checks a new event at `now`: its texts, a link or a venue, a start in the future, an
    /// end 30 minutes to 7 days after it, and 1–10,000 places.
    pub fn check_at(&self, now: DateTime<Utc>) -> Result<EventFields, Invalid> {
        let mut checks = Checks::default();
        let title = checks.text("title", &self.title, 2, 100);
        let description = checks.text("description", &self.description, 0, 5000);
        let online_link = link(&mut checks, "online_link", self.online_link.as_deref(), 500);
        let venue = checks.optional_text("venue", self.venue.as_deref(), 200);
        if online_link.is_none() && venue.is_none() {
            checks.issue("venue", "online_link_or_venue_required");
        }
        if self.starts_at <= now {
            checks.issue("starts_at", "in_the_past");
        }
        let length = self.ends_at - self.starts_at;
        if self.ends_at <= self.starts_at {
            checks.issue("ends_at", "before_start");
        } else if length < Duration::minutes(MIN_EVENT_MINUTES) {
            checks.issue("ends_at", "too_short");
        } else if length > Duration::days(MAX_EVENT_DAYS) {
            checks.issue("ends_at", "too_long");
        }
        checks.within("capacity", self.capacity, 1..=MAX_EVENT_CAPACITY);
        checks.done(EventFields { title, description, online_link, venue })
    }
}

impl Check for EventSummaryRequest {
    /// The summary, trimmed (10–10,000 characters).
    type Valid = String;
    fn check(&self) -> Result<String, Invalid> {
        one_text("summary", &self.summary, 10, 10_000)
    }
}

impl Check for CancelEventRequest {
    /// Why the event is called off, trimmed (2–500 characters).
    type Valid = String;
    fn check(&self) -> Result<String, Invalid> {
        one_text("reason", &self.reason, 2, 500)
    }
}

/// A new poll's question and options, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct PollFields {
    pub question: String,
    pub options: Vec<String>,
}

impl CreatePollRequest {
    /// Checks a new poll at `now`: the question (2–200 characters), 2–20 options (`too_few`,
    /// `too_many`), each 1–100 characters and all different, and a deadline in the future, at
    /// most 90 days ahead.
    pub fn check_at(&self, now: DateTime<Utc>) -> Result<PollFields, Invalid> {
        let mut checks = Checks::default();
        let question = checks.text("question", &self.question, 2, 200);
        if self.options.len() < MIN_POLL_OPTIONS {
            checks.issue("options", "too_few");
        } else if self.options.len() > MAX_POLL_OPTIONS {
            checks.issue("options", "too_many");
        }
        let options = choices(&mut checks, "options", &self.options);
        deadline(&mut checks, self.deadline, now, MAX_POLL_DAYS);
        checks.done(PollFields { question, options })
    }
}

/// A deadline after `now` (`in_the_past`) and at most `max_days` ahead (`too_far`).
pub(super) fn deadline(checks: &mut Checks, deadline: DateTime<Utc>, now: DateTime<Utc>, max_days: i64) {
    if deadline <= now {
        checks.issue("deadline", "in_the_past");
    } else if deadline - now > Duration::days(max_days) {
        checks.issue("deadline", "too_far");
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use rstest::rstest;

    use super::super::test_util::{issues, pairs};
    use super::*;
    use crate::dto::EventKind;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, 8, 0, 0).single().expect("a valid instant")
    }

    fn event() -> CreateEventRequest {
        CreateEventRequest {
            title: " EPC项目造价管控分享会 ".into(),
            description: String::new(),
            kind: EventKind::SharingSession,
            starts_at: now() + Duration::days(1),
            ends_at: now() + Duration::days(1) + Duration::hours(2),
            online_link: Some(" https://meeting.example/123 ".into()),
            venue: Some(" ".into()),
            capacity: 50,
            host_user_id: None,
        }
    }

    #[rstest]
    #[case(0, false)]
    #[case(1, true)]
    #[case(10_000, true)]
    #[case(10_001, false)]
    fn an_event_has_1_to_10000_places(#[case] capacity: i64, #[case] ok: bool) {
        let body = CreateEventRequest { capacity, ..event() };
        match ok {
            true => assert!(body.check_at(now()).is_ok()),
            false => assert_eq!(issues(body.check_at(now())), pairs(&[("capacity", "out_of_range")])),
        }
    }

    #[test]
    fn a_valid_event_comes_back_trimmed() {
        let fields = event().check_at(now()).expect("valid");
        assert_eq!(fields.title, "EPC项目造价管控分享会");
        assert_eq!(fields.online_link.as_deref(), Some("https://meeting.example/123"));
        assert_eq!(fields.venue, None);
    }

    #[rstest]
    #[case(Some("meeting.example/123"), None, &[("online_link", "not_a_link")])]
    #[case(None, Some("  "), &[("venue", "online_link_or_venue_required")])]
    #[case(None, Some("上海市徐汇区漕溪北路 1 号"), &[])]
    fn an_event_happens_online_or_at_a_venue(
        #[case] online_link: Option<&str>,
        #[case] venue: Option<&str>,
        #[case] want: &[(&str, &str)],
    ) {
        let body = CreateEventRequest {
            online_link: online_link.map(str::to_owned),
            venue: venue.map(str::to_owned),
            ..event()
        };
        match want {
            [] => assert!(body.check_at(now()).is_ok()),
            want => assert_eq!(issues(body.check_at(now())), pairs(want)),
        }
    }

    #[rstest]
    #[case(Duration::zero(), Duration::hours(1), &[("starts_at", "in_the_past")])]
    #[case(Duration::hours(2), Duration::hours(1), &[("ends_at", "before_start")])]
    #[case(Duration::hours(1), Duration::minutes(89), &[("ends_at", "too_short")])]
    #[case(Duration::hours(1), Duration::days(8), &[("ends_at", "too_long")])]
    #[case(Duration::hours(25), Duration::hours(1), &[("ends_at", "before_start")])]
    fn an_event_starts_later_and_lasts_30_minutes_to_7_days(
        #[case] start: Duration,
        #[case] end: Duration,
        #[case] want: &[(&str, &str)],
    ) {
        let body = CreateEventRequest { starts_at: now() + start, ends_at: now() + end, ..event() };
        assert_eq!(issues(body.check_at(now())), pairs(want));
    }

    #[rstest]
    #[case(EventSummaryRequest { summary: " 讲了清单计价 ".into() }.check(), "summary", "too_short")]
    #[case(CancelEventRequest { reason: " ".into() }.check(), "reason", "required")]
    fn a_summary_and_a_cancellation_say_enough(
        #[case] result: Result<String, Invalid>,
        #[case] field: &str,
        #[case] issue: &str,
    ) {
        assert_eq!(issues(result), pairs(&[(field, issue)]));
    }

    fn poll(options: &[&str], deadline: DateTime<Utc>) -> CreatePollRequest {
        CreatePollRequest {
            question: " 下次活动选哪天？ ".into(),
            options: options.iter().map(|o| (*o).to_owned()).collect(),
            multiple: false,
            anonymous: true,
            deadline,
        }
    }

    #[rstest]
    #[case(&["周六", " 周六 "], 1, &[("options[1]", "duplicate")])]
    #[case(&["周六", " "], 1, &[("options[1]", "required")])]
    #[case(&["周六", "周日"], 0, &[("deadline", "in_the_past")])]
    #[case(&["周六", "周日"], 91, &[("deadline", "too_far")])]
    #[case(&["周六"], 1, &[("options", "too_few")])]
    #[case(&["周六", "周日"], -1, &[("deadline", "in_the_past")])]
    #[case(&["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21"], 1, &[("options", "too_many")])]
    fn a_poll_has_2_to_20_distinct_options_and_closes_within_90_days(
        #[case] options: &[&str],
        #[case] days: i64,
        #[case] want: &[(&str, &str)],
    ) {
        assert_eq!(issues(poll(options, now() + Duration::days(days)).check_at(now())), pairs(want));
    }

    #[test]
    fn a_poll_asks_a_question_of_2_characters_or_more() {
        let body = CreatePollRequest {
            question: " 选 ".into(),
            ..poll(&["周六", "周日"], now() + Duration::days(1))
        };
        assert_eq!(issues(body.check_at(now())), pairs(&[("question", "too_short")]));
    }

    #[test]
    fn a_valid_poll_comes_back_trimmed() {
        let fields = poll(&[" 周六 ", "周日"], now() + Duration::days(90)).check_at(now()).expect("valid");
        assert_eq!(
            fields,
            PollFields {
                question: "下次活动选哪天？".into(), options: vec!["周六".into(), "周日".into()]
            }
        );
    }
}
