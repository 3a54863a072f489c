//! Events and polls on the server side: the group's banned words in a new event or poll, the
//! sign-up list's promotions, the host's award for a summarised session, and the API views of
//! the rows. The requests' checks are in `shared::validate::community::events`; the rules in
//! `shared::domain::community` (`events` for the waitlist, `points` for the host's award,
//! `polls` for ballots).

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use shared::domain::community::events::promotions;
use shared::domain::community::points::{
    NoHostingAward, PointsReason, SAME_ATTENDEES_WINDOW_DAYS, attendee_set, hosted_session_award,
};
use shared::domain::community::polls::tally;
use shared::domain::notices::community::CommunityNotice;
use shared::dto::*;

use crate::db::DbConn;
use crate::db::models::community::GroupMemberRow;
use crate::db::models::events::*;
use crate::error::ApiError;
use crate::market::{Checks, from_json, to_json};
use crate::routes::community::InGroup;
use crate::routes::notifications::notify::{self, Notice};

/// 422 `banned_words` on the first of `fields` holding a banned word of the group or platform.
pub fn refuse_banned(view: &InGroup, fields: &[(&str, &str)]) -> Result<(), ApiError> {
    let mut checks = Checks::default();
    for (field, text) in fields {
        if !view.banned_words(text).is_empty() {
            checks.issue(field, "banned_words");
        }
    }
    Ok(checks.finish()?)
}

/// Awards the host of a summarised `event` its points, in the caller's transaction, when
/// [`hosted_session_award`] allows it: counting only the confirmed attendees with a verified
/// phone or e-mail, the host's awards today, and the attendee sets of the host's awards in the
/// last 30 days. Returns the points, or why there are none.
pub fn award_host(
    conn: &mut DbConn,
    event: &EventRow,
    at: NaiveDateTime,
) -> diesel::QueryResult<Result<i64, NoHostingAward>> {
    let host = &event.host_id;
    // Locks the host's balance row: concurrent summaries of two events by one host queue here.
    let today = crate::routes::community::awards_today(conn, host, PointsReason::SessionHosted, at)?;
    let confirmed: Vec<String> = SignupRow::with_status(conn, &event.id, SignupStatus::Confirmed)?
        .into_iter()
        .map(|s| s.user_id)
        .collect();
    let verified = attendee_set(host, &with_verified_contact(conn, &confirmed)?);
    let since = at - Duration::days(SAME_ATTENDEES_WINDOW_DAYS);
    let recent: Vec<Vec<String>> =
        SessionAwardRow::attendee_sets_since(conn, host, since)?.iter().map(|s| from_json(s)).collect();
    let points = match hosted_session_award(host, &verified, today, &recent) {
        Ok(points) => points,
        refused => return Ok(refused),
    };
    crate::routes::community::record_points(
        conn,
        host,
        points,
        PointsReason::SessionHosted,
        Some(&event.group_id),
        Some(&event.id),
        at,
    )?;
    SessionAwardRow {
        event_id: event.id.clone(),
        host_id: host.clone(),
        attendees: to_json(&verified),
        awarded_at: at,
    }
    .insert(conn)?;
    Ok(Ok(points))
}

/// Whether the caller may run the event (its host, or a group admin).
pub fn may_run(view: &InGroup, event: &EventRow, user: &str) -> bool {
    event.host_id == user || view.is_admin()
}

/// After a cancellation, confirms the first waitlisted people for the places that opened and
/// tells them; returns the notifications to publish.
pub fn promote_waitlist(
    conn: &mut DbConn,
    event: &EventRow,
) -> diesel::QueryResult<Vec<(String, Notification)>> {
    let confirmed = SignupRow::with_status(conn, &event.id, SignupStatus::Confirmed)?.len();
    let waiting = SignupRow::with_status(conn, &event.id, SignupStatus::Waitlisted)?;
    let capacity = usize::try_from(event.capacity).unwrap_or(0);
    let n = promotions(confirmed, capacity, waiting.len());
    let mut promoted = Vec::with_capacity(n);
    for mut signup in waiting.into_iter().take(n) {
        signup.status = SignupStatus::Confirmed;
        signup.save(conn)?;
        promoted.push(signup.user_id);
    }
    let notice =
        CommunityNotice::EventPromoted { title: event.title.clone(), starts_at: event.starts_at.and_utc() };
    let link = format!("/groups/{}/events/{}", event.group_id, event.id);
    notify::store(conn, &promoted, &Notice::new(&notice, link, None))
}

/// Cancels a departing member's places in the group's events that have not started, moving the
/// waitlists up; returns the notifications to publish (to those promoted).
pub fn drop_member_signups(
    conn: &mut DbConn,
    group_id: &str,
    user_id: &str,
    at: NaiveDateTime,
) -> diesel::QueryResult<Vec<(String, Notification)>> {
    let mut sent = Vec::new();
    for signup in SignupRow::live_of_user_in_group(conn, group_id, user_id, at)? {
        let Some(event) = EventRow::lock(conn, &signup.event_id)? else { continue };
        let mut signup = signup;
        signup.status = SignupStatus::Cancelled;
        signup.cancelled_at = Some(at);
        signup.save(conn)?;
        sent.extend(promote_waitlist(conn, &event)?);
    }
    Ok(sent)
}

/// The API views of events for `viewer`.
pub fn event_dtos(
    conn: &mut DbConn,
    rows: Vec<EventRow>,
    viewer: Option<&str>,
) -> Result<Vec<Event>, ApiError> {
    let Some(first) = rows.first() else { return Ok(Vec::new()) };
    let group_id = first.group_id.clone();
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let counts = SignupRow::counts(conn, &ids)?;
    let hosts: Vec<String> = rows.iter().map(|r| r.host_id.clone()).collect();
    let names = GroupMemberRow::nicknames(conn, &group_id, &hosts)?;
    let mine = match viewer {
        Some(user) => SignupRow::of_user(conn, &ids, user)?,
        None => Vec::new(),
    };
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let (confirmed_count, waitlist_count) = counts.get(&r.id).copied().unwrap_or((0, 0));
        let my = mine.iter().find(|s| s.event_id == r.id).map(|s| s.status);
        let my_waitlist_position = match (my, viewer) {
            (Some(SignupStatus::Waitlisted), Some(user)) => {
                let waiting = SignupRow::with_status(conn, &r.id, SignupStatus::Waitlisted)?;
                waiting.iter().position(|s| s.user_id == user).map(|p| p as i64 + 1)
            }
            _ => None,
        };
        out.push(Event {
            host_nickname: names.get(&r.host_id).map(|(n, _)| n.clone()).unwrap_or_default(),
            kind: r.kind,
            status: r.status,
            starts_at: r.starts_at.and_utc(),
            ends_at: r.ends_at.and_utc(),
            summarised_at: r.summarised_at.map(|t| t.and_utc()),
            created_at: r.created_at.and_utc(),
            confirmed_count,
            waitlist_count,
            my_signup: my,
            my_waitlist_position,
            id: r.id,
            group_id: r.group_id,
            title: r.title,
            description: r.description,
            online_link: r.online_link,
            venue: r.venue,
            capacity: r.capacity,
            host_user_id: r.host_id,
            summary: r.summary,
        });
    }
    Ok(out)
}

/// The API view of one event.
pub fn event_dto(conn: &mut DbConn, row: EventRow, viewer: Option<&str>) -> Result<Event, ApiError> {
    event_dtos(conn, vec![row], viewer)?.pop().ok_or_else(crate::routes::community::not_found)
}

/// The sign-up list of an event.
pub fn signup_list(conn: &mut DbConn, event: &EventRow) -> Result<EventSignupList, ApiError> {
    let confirmed = SignupRow::with_status(conn, &event.id, SignupStatus::Confirmed)?;
    let waitlisted = SignupRow::with_status(conn, &event.id, SignupStatus::Waitlisted)?;
    let people: Vec<String> = confirmed.iter().chain(&waitlisted).map(|s| s.user_id.clone()).collect();
    let names = GroupMemberRow::nicknames(conn, &event.group_id, &people)?;
    let lines = |rows: Vec<SignupRow>| -> Vec<EventSignup> {
        rows.into_iter()
            .zip(1..)
            .map(|(s, position)| EventSignup {
                nickname: names.get(&s.user_id).map(|(n, _)| n.clone()).unwrap_or_default(),
                status: s.status,
                position,
                signed_up_at: s.signed_up_at.and_utc(),
                user_id: s.user_id,
            })
            .collect()
    };
    Ok(EventSignupList { confirmed: lines(confirmed), waitlisted: lines(waitlisted) })
}

/// The API views of polls for `viewer` at `now`.
pub fn poll_dtos(
    conn: &mut DbConn,
    rows: Vec<PollRow>,
    viewer: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<Poll>, ApiError> {
    let Some(first) = rows.first() else { return Ok(Vec::new()) };
    let group_id = first.group_id.clone();
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let voters = PollVoterRow::counts(conn, &ids)?;
    let ballots = BallotRow::of_polls(conn, &ids)?;
    let creators: Vec<String> = rows.iter().map(|r| r.created_by.clone()).collect();
    let names = GroupMemberRow::nicknames(conn, &group_id, &creators)?;
    let mine = match viewer {
        Some(user) => PollVoterRow::of_user(conn, &ids, user)?,
        None => Vec::new(),
    };
    Ok(rows
        .into_iter()
        .map(|r| {
            let options: Vec<String> = from_json(&r.options);
            let cast: Vec<Vec<usize>> = ballots
                .get(&r.id)
                .map(|b| b.iter().map(|c| from_json::<Vec<usize>>(c)).collect())
                .unwrap_or_default();
            let my = mine.iter().find(|v| v.poll_id == r.id);
            let closed = now >= r.deadline.and_utc();
            let results_hidden = r.anonymous && !closed;
            Poll {
                counts: if results_hidden { Vec::new() } else { tally(options.len(), &cast) },
                results_hidden,
                voters: voters.get(&r.id).copied().unwrap_or(0),
                closed,
                created_by_nickname: names.get(&r.created_by).map(|(n, _)| n.clone()).unwrap_or_default(),
                voted: my.is_some(),
                my_choices: my.and_then(|v| v.choices.as_deref()).map(from_json::<Vec<i32>>),
                deadline: r.deadline.and_utc(),
                created_at: r.created_at.and_utc(),
                options,
                id: r.id,
                group_id: r.group_id,
                question: r.question,
                multiple: r.multiple,
                anonymous: r.anonymous,
            }
        })
        .collect())
}

/// The API view of one poll.
pub fn poll_dto(
    conn: &mut DbConn,
    row: PollRow,
    viewer: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Poll, ApiError> {
    poll_dtos(conn, vec![row], viewer, now)?.pop().ok_or_else(crate::routes::community::not_found)
}

/// Encodes an event-list cursor: the last event's start (microseconds) and id.
pub fn event_cursor(row: &EventRow) -> String {
    format!("{}_{}", row.starts_at.and_utc().timestamp_micros(), row.id)
}

/// Decodes an event-list cursor (422 when malformed).
pub fn parse_event_cursor(cursor: &str) -> Result<(NaiveDateTime, String), ApiError> {
    let bad = || ApiError::field("cursor", "invalid", "not a cursor from this list");
    let (micros, id) = cursor.split_once('_').ok_or_else(bad)?;
    let micros: i64 = micros.parse().map_err(|_| bad())?;
    let at = DateTime::from_timestamp_micros(micros).ok_or_else(bad)?;
    Ok((at.naive_utc(), id.to_owned()))
}
