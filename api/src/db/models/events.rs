//! The community's events with their sign-up lists and the hosts' awards, and polls with their
//! voters and ballots.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::dto::{EventKind, EventStatus, SignupStatus};

use crate::db::DbConn;
use crate::db::schema::{
    community_events, event_signups, poll_ballots, poll_voters, polls, session_awards, users,
};

/// An event of a group.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = community_events)]
#[diesel(treat_none_as_null = true)]
pub struct EventRow {
    pub id: String,
    pub group_id: String,
    pub title: String,
    pub description: String,
    pub kind: EventKind,
    pub status: EventStatus,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub online_link: Option<String>,
    pub venue: Option<String>,
    pub capacity: i64,
    pub host_id: String,
    pub created_by: String,
    pub summary: Option<String>,
    pub summarised_at: Option<NaiveDateTime>,
    pub cancel_reason: Option<String>,
    pub signup_version: i64,
    pub created_at: NaiveDateTime,
}

impl EventRow {
    /// Inserts an event.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(community_events::table).values(self).execute(conn).map(drop)
    }

    /// Writes every field back.
    pub fn save(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::update(community_events::table.find(&self.id)).set(self).execute(conn).map(drop)
    }

    /// One event.
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<EventRow>> {
        community_events::table.find(id).select(EventRow::as_select()).first(conn).optional()
    }

    /// Loads the event for a sign-up change, first bumping its `signup_version`: on PostgreSQL
    /// the row lock this takes queues concurrent changes to the same event until commit.
    pub fn lock(conn: &mut DbConn, id: &str) -> QueryResult<Option<EventRow>> {
        diesel::update(community_events::table.find(id))
            .set(community_events::signup_version.eq(community_events::signup_version + 1))
            .execute(conn)?;
        Self::find(conn, id)
    }

    /// A group's events: not yet ended at `now` (soonest first) or ended (latest first), after
    /// the `(starts_at, id)` cursor.
    pub fn page(
        conn: &mut DbConn,
        group_id: &str,
        upcoming: bool,
        now: NaiveDateTime,
        cursor: Option<(NaiveDateTime, String)>,
        limit: i64,
    ) -> QueryResult<Vec<EventRow>> {
        use community_events::dsl as e;
        let mut query = e::community_events
            .filter(e::group_id.eq(group_id.to_owned()))
            .select(EventRow::as_select())
            .limit(limit)
            .into_boxed();
        if upcoming {
            query = query.filter(e::ends_at.gt(now)).order((e::starts_at.asc(), e::id.asc()));
            if let Some((at, id)) = cursor {
                query = query.filter(e::starts_at.gt(at).or(e::starts_at.eq(at).and(e::id.gt(id))));
            }
        } else {
            query = query.filter(e::ends_at.le(now)).order((e::starts_at.desc(), e::id.desc()));
            if let Some((at, id)) = cursor {
                query = query.filter(e::starts_at.lt(at).or(e::starts_at.eq(at).and(e::id.lt(id))));
            }
        }
        query.load(conn)
    }

    /// A group's scheduled events starting in `[from, to)`, soonest first (for the digest).
    pub fn starting_between(
        conn: &mut DbConn,
        group_id: &str,
        from: NaiveDateTime,
        to: NaiveDateTime,
    ) -> QueryResult<Vec<EventRow>> {
        community_events::table
            .filter(community_events::group_id.eq(group_id))
            .filter(community_events::status.eq(EventStatus::Scheduled))
            .filter(community_events::starts_at.ge(from))
            .filter(community_events::starts_at.lt(to))
            .order(community_events::starts_at.asc())
            .select(EventRow::as_select())
            .load(conn)
    }
}

/// A person's sign-up for an event (one row per person; signing up again after cancelling
/// moves them to the back of the list).
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = event_signups)]
#[diesel(treat_none_as_null = true)]
pub struct SignupRow {
    pub event_id: String,
    pub user_id: String,
    pub status: SignupStatus,
    pub signed_up_at: NaiveDateTime,
    pub cancelled_at: Option<NaiveDateTime>,
}

impl SignupRow {
    /// Inserts or replaces the person's sign-up.
    pub fn upsert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::delete(event_signups::table.find((&self.event_id, &self.user_id))).execute(conn)?;
        diesel::insert_into(event_signups::table).values(self).execute(conn).map(drop)
    }

    /// Writes every field back.
    pub fn save(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::update(event_signups::table.find((&self.event_id, &self.user_id)))
            .set(self)
            .execute(conn)
            .map(drop)
    }

    /// One person's sign-up.
    pub fn find(conn: &mut DbConn, event_id: &str, user_id: &str) -> QueryResult<Option<SignupRow>> {
        event_signups::table.find((event_id, user_id)).select(SignupRow::as_select()).first(conn).optional()
    }

    /// An event's sign-ups with `status`, in sign-up order.
    pub fn with_status(
        conn: &mut DbConn,
        event_id: &str,
        status: SignupStatus,
    ) -> QueryResult<Vec<SignupRow>> {
        event_signups::table
            .filter(event_signups::event_id.eq(event_id))
            .filter(event_signups::status.eq(status))
            .order((event_signups::signed_up_at.asc(), event_signups::user_id.asc()))
            .select(SignupRow::as_select())
            .load(conn)
    }

    /// (confirmed, waitlisted) counts per event.
    pub fn counts(
        conn: &mut DbConn,
        event_ids: &[String],
    ) -> QueryResult<std::collections::HashMap<String, (i64, i64)>> {
        let rows: Vec<(String, SignupStatus)> = event_signups::table
            .filter(event_signups::event_id.eq_any(event_ids))
            .filter(event_signups::status.ne(SignupStatus::Cancelled))
            .select((event_signups::event_id, event_signups::status))
            .load(conn)?;
        let mut counts = std::collections::HashMap::new();
        for (event, status) in rows {
            let entry: &mut (i64, i64) = counts.entry(event).or_default();
            if status == SignupStatus::Confirmed {
                entry.0 += 1;
            } else {
                entry.1 += 1;
            }
        }
        Ok(counts)
    }

    /// A person's live sign-ups for the group's scheduled events that start after `now`.
    pub fn live_of_user_in_group(
        conn: &mut DbConn,
        group_id: &str,
        user_id: &str,
        now: NaiveDateTime,
    ) -> QueryResult<Vec<SignupRow>> {
        let upcoming = community_events::table
            .filter(community_events::group_id.eq(group_id.to_owned()))
            .filter(community_events::status.eq(EventStatus::Scheduled))
            .filter(community_events::starts_at.gt(now))
            .select(community_events::id);
        event_signups::table
            .filter(event_signups::user_id.eq(user_id))
            .filter(event_signups::status.ne(SignupStatus::Cancelled))
            .filter(event_signups::event_id.eq_any(upcoming))
            .select(SignupRow::as_select())
            .load(conn)
    }

    /// The caller's live sign-ups among `event_ids`.
    pub fn of_user(conn: &mut DbConn, event_ids: &[String], user_id: &str) -> QueryResult<Vec<SignupRow>> {
        event_signups::table
            .filter(event_signups::event_id.eq_any(event_ids))
            .filter(event_signups::user_id.eq(user_id))
            .filter(event_signups::status.ne(SignupStatus::Cancelled))
            .select(SignupRow::as_select())
            .load(conn)
    }
}

/// A hosted-session award with the attendee set (JSON array of user ids, sorted) it counted.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = session_awards)]
pub struct SessionAwardRow {
    pub event_id: String,
    pub host_id: String,
    pub attendees: String,
    pub awarded_at: NaiveDateTime,
}

impl SessionAwardRow {
    /// Inserts an award.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(session_awards::table).values(self).execute(conn).map(drop)
    }

    /// The attendee sets (JSON) of the host's awards since `since`.
    pub fn attendee_sets_since(
        conn: &mut DbConn,
        host_id: &str,
        since: NaiveDateTime,
    ) -> QueryResult<Vec<String>> {
        session_awards::table
            .filter(session_awards::host_id.eq(host_id))
            .filter(session_awards::awarded_at.ge(since))
            .select(session_awards::attendees)
            .load(conn)
    }
}

/// Which of `user_ids` are live accounts with a verified phone or e-mail.
pub fn with_verified_contact(conn: &mut DbConn, user_ids: &[String]) -> QueryResult<Vec<String>> {
    users::table
        .filter(users::id.eq_any(user_ids))
        .filter(users::deleted_at.is_null())
        .filter(users::email_verified_at.is_not_null().or(users::phone_verified_at.is_not_null()))
        .select(users::id)
        .load(conn)
}

/// A poll. `options` is a JSON array of strings.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = polls)]
pub struct PollRow {
    pub id: String,
    pub group_id: String,
    pub question: String,
    pub options: String,
    pub multiple: bool,
    pub anonymous: bool,
    pub deadline: NaiveDateTime,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

impl PollRow {
    /// Inserts a poll.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(polls::table).values(self).execute(conn).map(drop)
    }

    /// One poll.
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<PollRow>> {
        polls::table.find(id).select(PollRow::as_select()).first(conn).optional()
    }

    /// A group's polls, newest first, after `cursor`.
    pub fn page(
        conn: &mut DbConn,
        group_id: &str,
        cursor: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<PollRow>> {
        let mut query = polls::table
            .filter(polls::group_id.eq(group_id.to_owned()))
            .order(polls::id.desc())
            .limit(limit)
            .select(PollRow::as_select())
            .into_boxed();
        if let Some(cursor) = cursor {
            query = query.filter(polls::id.lt(cursor.to_owned()));
        }
        query.load(conn)
    }
}

/// That a person voted in a poll; the choices and time only for named polls.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = poll_voters)]
pub struct PollVoterRow {
    pub poll_id: String,
    pub user_id: String,
    pub choices: Option<String>,
    pub voted_at: Option<NaiveDateTime>,
}

impl PollVoterRow {
    /// Records the voter; a second vote by the same person violates the primary key (409).
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(poll_voters::table).values(self).execute(conn).map(drop)
    }

    /// The person's voter row, if they voted.
    pub fn find(conn: &mut DbConn, poll_id: &str, user_id: &str) -> QueryResult<Option<PollVoterRow>> {
        poll_voters::table.find((poll_id, user_id)).select(PollVoterRow::as_select()).first(conn).optional()
    }

    /// A named poll's voters in voting order.
    pub fn of_poll(conn: &mut DbConn, poll_id: &str) -> QueryResult<Vec<PollVoterRow>> {
        poll_voters::table
            .filter(poll_voters::poll_id.eq(poll_id))
            .order((poll_voters::voted_at.asc(), poll_voters::user_id.asc()))
            .select(PollVoterRow::as_select())
            .load(conn)
    }

    /// How many people voted in each poll.
    pub fn counts(
        conn: &mut DbConn,
        poll_ids: &[String],
    ) -> QueryResult<std::collections::HashMap<String, i64>> {
        let rows: Vec<String> = poll_voters::table
            .filter(poll_voters::poll_id.eq_any(poll_ids))
            .select(poll_voters::poll_id)
            .load(conn)?;
        let mut counts = std::collections::HashMap::new();
        for poll in rows {
            *counts.entry(poll).or_insert(0) += 1;
        }
        Ok(counts)
    }

    /// Which of `poll_ids` the person voted in, with their (named) choices.
    pub fn of_user(conn: &mut DbConn, poll_ids: &[String], user_id: &str) -> QueryResult<Vec<PollVoterRow>> {
        poll_voters::table
            .filter(poll_voters::poll_id.eq_any(poll_ids))
            .filter(poll_voters::user_id.eq(user_id))
            .select(PollVoterRow::as_select())
            .load(conn)
    }
}

/// A ballot's choices (a JSON array of option indexes), linked to no person.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = poll_ballots)]
pub struct BallotRow {
    pub id: String,
    pub poll_id: String,
    pub choices: String,
}

impl BallotRow {
    /// Inserts a ballot.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(poll_ballots::table).values(self).execute(conn).map(drop)
    }

    /// The choices of every ballot of the polls, by poll.
    pub fn of_polls(
        conn: &mut DbConn,
        poll_ids: &[String],
    ) -> QueryResult<std::collections::HashMap<String, Vec<String>>> {
        let rows: Vec<(String, String)> = poll_ballots::table
            .filter(poll_ballots::poll_id.eq_any(poll_ids))
            .select((poll_ballots::poll_id, poll_ballots::choices))
            .load(conn)?;
        let mut by_poll: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
        for (poll, choices) in rows {
            by_poll.entry(poll).or_default().push(choices);
        }
        Ok(by_poll)
    }
}
