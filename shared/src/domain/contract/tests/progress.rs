//! Progress logs: who posts and reviews, revisions, the schedule, the slip and the warnings.

use super::{date, plan};
use crate::domain::contract::document::PartyRole;
use crate::domain::contract::lifecycle::ContractState;
use crate::domain::contract::progress::{
    ProgressDecision, ProgressRefusal, ProgressState, Revised, Schedule, Warning, Watch, date_issue,
    may_post, review, warnings,
};
use crate::dto::{ProgressLogInput, ProgressReviewInput};
use crate::validate::Check;

/// Advance 10 %, then ¥500,000 planned 2025-06-30 and ¥400,000 planned 2025-09-30, from
/// 2025-04-01: the first milestone is 5555 bp of the work.
fn schedule() -> Schedule {
    Schedule::of(&plan(1000, 0), date(2025, 4, 1))
}

fn watch(today: chrono::NaiveDate, last_log: Option<chrono::NaiveDate>, percent: u8) -> Watch {
    Watch { today, effective_on: date(2025, 3, 20), last_log, percent, accepted: Vec::new() }
}

#[test]
fn only_the_performer_posts_and_only_on_a_contract_in_force() {
    assert_eq!(may_post(ContractState::Effective, PartyRole::Performer, None), Ok(()));
    for role in [PartyRole::Payer, PartyRole::Supervisor] {
        assert_eq!(may_post(ContractState::Effective, role, None), Err(ProgressRefusal::NotThePerformer));
    }
    for state in [ContractState::Signing, ContractState::Completed, ContractState::Terminated] {
        assert_eq!(may_post(state, PartyRole::Performer, None), Err(ProgressRefusal::NotEffective));
    }
}

#[test]
fn a_revision_replaces_a_log_whose_changes_were_requested_once() {
    let post = |state, revised| {
        may_post(ContractState::Effective, PartyRole::Performer, Some(Revised { state, revised }))
    };
    assert_eq!(post(ProgressState::ChangesRequested, false), Ok(()));
    assert_eq!(post(ProgressState::ChangesRequested, true), Err(ProgressRefusal::AlreadyRevised));
    assert_eq!(post(ProgressState::Submitted, false), Err(ProgressRefusal::NotChangesRequested));
    assert_eq!(post(ProgressState::Approved, false), Err(ProgressRefusal::NotChangesRequested));
}

#[test]
fn the_payer_reviews_a_submitted_log_once() {
    let approve = ProgressDecision::Approve;
    assert_eq!(review(ProgressState::Submitted, PartyRole::Payer, approve), Ok(ProgressState::Approved));
    assert_eq!(
        review(ProgressState::Submitted, PartyRole::Payer, ProgressDecision::RequestChanges),
        Ok(ProgressState::ChangesRequested)
    );
    for role in [PartyRole::Performer, PartyRole::Supervisor] {
        let refused = review(ProgressState::Submitted, role, approve).expect_err("not the payer");
        assert!(refused.is_forbidden());
    }
    for state in [ProgressState::Approved, ProgressState::ChangesRequested] {
        assert_eq!(review(state, PartyRole::Payer, approve), Err(ProgressRefusal::AlreadyReviewed));
    }
}

#[test]
fn a_log_date_is_neither_in_the_future_nor_before_the_start() {
    let (today, start) = (date(2025, 5, 10), date(2025, 4, 1));
    assert_eq!(date_issue(today, today, start), None);
    assert_eq!(date_issue(start, today, start), None);
    assert_eq!(date_issue(date(2025, 5, 11), today, start), Some("in_the_future"));
    assert_eq!(date_issue(date(2025, 3, 31), today, start), Some("before_start"));
}

#[test]
fn the_plan_expects_the_work_share_of_each_milestone_by_its_date_in_straight_lines() {
    let s = schedule();
    assert_eq!(s.points.iter().map(|p| p.2).collect::<Vec<_>>(), vec![5555, 10_000]);
    assert_eq!(s.expected_bp(date(2025, 3, 1)), 0);
    assert_eq!(s.expected_bp(date(2025, 4, 1)), 0);
    // 2025-04-01 → 2025-06-30 is 90 days; half-way is 45 days in.
    assert_eq!(s.expected_bp(date(2025, 5, 16)), 5555 / 2);
    assert_eq!(s.expected_bp(date(2025, 6, 30)), 5555);
    assert_eq!(s.expected_bp(date(2025, 9, 30)), 10_000);
    assert_eq!(s.expected_bp(date(2026, 1, 1)), 10_000);
    assert_eq!(s.date_for(0), date(2025, 4, 1));
    assert_eq!(s.date_for(5555), date(2025, 6, 30));
    assert_eq!(s.date_for(10_000), date(2025, 9, 30));
}

#[test]
fn the_slip_is_how_long_ago_the_plan_reached_the_reported_percent() {
    let s = schedule();
    // The plan reaches 27.77 % on 2025-05-16 (day 45); 27 % a day or so earlier.
    let reached = s.date_for(2700);
    assert_eq!(s.slip_days(27, reached), 0);
    assert_eq!(s.slip_days(27, reached + chrono::Duration::days(10)), 10);
    assert_eq!(s.slip_days(90, date(2025, 5, 1)), 0, "ahead is no slip");
    assert_eq!(s.slip_days(100, date(2026, 1, 1)), 0, "done is never late");
}

#[test]
fn no_log_for_seven_days_warns_once_a_week_of_silence() {
    let s = schedule();
    let last = date(2025, 4, 20);
    let on = |today| warnings(&s, &watch(today, Some(last), 30));
    assert!(on(date(2025, 4, 26)).iter().all(|w| !matches!(w, Warning::NoLog { .. })));
    let seventh = on(date(2025, 4, 27));
    let silence = seventh.iter().find(|w| matches!(w, Warning::NoLog { .. })).expect("silence");
    assert_eq!(silence, &Warning::NoLog { since: last, days: 7 });
    let next_day = on(date(2025, 4, 28));
    let again = next_day.iter().find(|w| matches!(w, Warning::NoLog { .. })).expect("still silent");
    assert_eq!(silence.period(date(2025, 4, 27)), again.period(date(2025, 4, 28)), "same period");
    assert_eq!(silence.condition(), "no_log");
    // Without any log, silence counts from the start (or the effective date, if later).
    let fresh = warnings(&s, &watch(date(2025, 4, 8), None, 0));
    assert!(fresh.contains(&Warning::NoLog { since: date(2025, 4, 1), days: 7 }), "{fresh:?}");
}

#[test]
fn a_slip_above_seven_days_warns() {
    let s = schedule();
    let reached = s.date_for(2000);
    let on = |days: i64| warnings(&s, &watch(reached + chrono::Duration::days(days), Some(reached), 20));
    assert!(on(7).iter().all(|w| !matches!(w, Warning::Slip { .. })));
    let late = on(8);
    assert!(late.iter().any(|w| matches!(w, Warning::Slip { days: 8, percent: 20, .. })), "{late:?}");
}

#[test]
fn a_milestone_due_in_three_to_five_days_warns_while_behind() {
    let s = schedule();
    let due = date(2025, 6, 30);
    let behind = |days: i64, percent: u8| {
        warnings(
            &s,
            &watch(due - chrono::Duration::days(days), Some(due - chrono::Duration::days(days)), percent),
        )
        .into_iter()
        .any(|w| matches!(w, Warning::MilestoneBehind { milestone: 1, .. }))
    };
    assert!(!behind(6, 10) && behind(5, 10) && behind(3, 10) && !behind(2, 10));
    assert!(!behind(4, 56), "56 % covers the milestone's 55.55 %");
    let mut accepted = watch(due - chrono::Duration::days(4), None, 10);
    accepted.accepted = vec![1];
    assert!(warnings(&s, &accepted).iter().all(|w| !matches!(w, Warning::MilestoneBehind { .. })));
}

#[test]
fn nothing_warns_before_the_start_or_once_the_work_is_done() {
    let s = schedule();
    assert!(warnings(&s, &watch(date(2025, 3, 30), None, 0)).is_empty());
    assert!(warnings(&s, &watch(date(2025, 12, 30), Some(date(2025, 10, 1)), 100)).is_empty());
}

fn log(work_done: &str, percent: i64, photos: usize) -> ProgressLogInput {
    ProgressLogInput {
        date: date(2025, 5, 1),
        work_done: work_done.to_owned(),
        percent,
        issues: Some("  ".to_owned()),
        photos: (0..photos).map(|i| format!("{i:064}")).collect(),
        revises: None,
    }
}

#[test]
fn a_log_names_every_bad_field() {
    let ok = log("  浇筑三层楼板  ", 35, 9).check().expect("valid");
    assert_eq!((ok.1.as_str(), ok.2, ok.3, ok.4.len()), ("浇筑三层楼板", 35, None, 9));
    let names = |input: ProgressLogInput| {
        input.check().expect_err("invalid").0.into_iter().map(|i| (i.field, i.issue)).collect::<Vec<_>>()
    };
    let pair = |f: &str, i: &str| (f.to_owned(), i.to_owned());
    assert_eq!(names(log("", 35, 0)), vec![pair("work_done", "required")]);
    assert_eq!(names(log("挖", 35, 0)), vec![pair("work_done", "too_short")]);
    assert_eq!(names(log(&"字".repeat(2001), 35, 0)), vec![pair("work_done", "too_long")]);
    assert_eq!(
        names(log("浇筑楼板", 101, 10)),
        vec![pair("percent", "out_of_range"), pair("photos", "too_many")]
    );
    assert_eq!(names(log("浇筑楼板", -1, 0)), vec![pair("percent", "out_of_range")]);
}

#[test]
fn requesting_changes_needs_a_comment() {
    let input = |decision, comment: Option<&str>| ProgressReviewInput {
        decision,
        comment: comment.map(str::to_owned),
    };
    assert!(input(ProgressDecision::Approve, None).check().is_ok());
    let missing = input(ProgressDecision::RequestChanges, Some(" ")).check().expect_err("no comment");
    assert_eq!(missing.0[0].issue, "required");
    let short = input(ProgressDecision::RequestChanges, Some("改")).check().expect_err("short");
    assert_eq!(short.0[0].issue, "too_short");
    assert_eq!(
        input(ProgressDecision::RequestChanges, Some("照片不清楚")).check().expect("ok").1.as_deref(),
        Some("照片不清楚")
    );
}
