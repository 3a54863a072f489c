//! Group events: sharing sessions and workshops with a time, an online link or venue, a host
//! and a capacity; the sign-up list (接龙) whose waitlist moves up automatically when someone
//! cancels; the summary afterwards (+30 points to the host, under the rules of
//! `shared::domain::community::points::hosted_session_award`); calling an event off.

pub mod service;

use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use shared::domain::community::groups::GroupAction;
use shared::domain::community::lifecycle::event::{EventActor, EventCommand, EventFacts, EventOutcome};
use shared::domain::community::lifecycle::{self};
use shared::domain::notices::community::CommunityNotice;
use shared::dto::*;
use shared::validate::Check;
use shared::validate::community::events::EventFields;

use crate::auth::session::{BearerAuth, optional_user};
use crate::db::models::community::GroupMemberRow;
use crate::db::models::events::*;
use crate::db::{DbConn, new_id, now};
use crate::error::ApiError;
use crate::market;
use crate::routes::ApiTags;
use crate::routes::community::events::service::{self as events, event_dto, may_run};
use crate::routes::community::{InGroup, not_found};
use crate::routes::notifications::notify::{self, Notice};
use crate::state::AppState;

/// Events and their sign-up lists.
pub struct EventsApi;

#[derive(ApiResponse)]
enum EventCreated {
    /// Scheduled.
    #[oai(status = 201)]
    Created(Json<Event>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
enum SignedUp {
    /// Signed up: `my_signup` says whether the caller has a place or waits for one.
    #[oai(status = 201)]
    Created(Json<Event>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
enum SignupCancelled {
    /// Cancelled; the first on the waitlist (if any) has the place now.
    #[oai(status = 204)]
    Done,
}

/// An empty JSON object: signing up needs no fields.
#[derive(Debug, poem_openapi::Object)]
#[oai(deny_unknown_fields)]
struct SignupRequest {}

/// Loads an event the caller may read, with its group.
fn readable_event(conn: &mut DbConn, id: &str, user: Option<&str>) -> Result<(EventRow, InGroup), ApiError> {
    let event = EventRow::find(conn, id)?.ok_or_else(not_found)?;
    let view = InGroup::load(conn, &event.group_id, user)?;
    view.ensure_read()?;
    Ok((event, view))
}

/// Loads an event for a sign-up change (locked against concurrent changes).
fn locked_event(conn: &mut DbConn, id: &str, user: &str) -> Result<(EventRow, InGroup), ApiError> {
    readable_event(conn, id, Some(user))?;
    let event = EventRow::lock(conn, id)?.ok_or_else(not_found)?;
    let view = InGroup::load(conn, &event.group_id, Some(user))?;
    Ok((event, view))
}

/// Asks the event's lifecycle whether `command`, fired by `user` now, may happen.
fn decide(
    view: &InGroup,
    event: &EventRow,
    user: &str,
    command: EventCommand,
) -> Result<EventOutcome, ApiError> {
    let facts = EventFacts {
        status: event.status,
        starts_at: event.starts_at.and_utc(),
        ends_at: event.ends_at.and_utc(),
        summarised: event.summarised_at.is_some(),
    };
    let actor = EventActor { runs_it: may_run(view, event, user) };
    Ok(lifecycle::event::transition(&facts, command, actor, now().and_utc())?)
}

#[OpenApi(tag = "ApiTags::Groups")]
impl EventsApi {
    /// Schedule an event in a group (its topic hosts and admins). The host must be an active
    /// member; the caller hosts when no other host is named.
    #[oai(path = "/groups/:id/events", method = "post", operation_id = "create_event")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<CreateEventRequest>,
    ) -> Result<EventCreated, ApiError> {
        let EventFields { title, description, online_link, venue } =
            body.check_at(crate::clock::current().now())?;
        let user = auth.0.user_id;
        let dto = state
            .write(move |c, _| {
                let view = InGroup::load(c, &id.0, Some(&user))?;
                view.ensure_may(GroupAction::HostEvents)?;
                view.ensure_may_speak(now())?;
                events::refuse_banned(&view, &[("title", &title), ("description", &description)])?;
                let host = body.host_user_id.clone().unwrap_or_else(|| user.clone());
                let host_member = GroupMemberRow::find(c, &id.0, &host)?;
                if host_member.is_none_or(|m| m.status != MemberStatus::Active) {
                    return Err(ApiError::field("host_user_id", "not_a_member", "the host must be a member"));
                }
                let row = EventRow {
                    id: new_id(),
                    group_id: id.0.clone(),
                    title,
                    description,
                    kind: body.kind,
                    status: EventStatus::Scheduled,
                    starts_at: body.starts_at.naive_utc(),
                    ends_at: body.ends_at.naive_utc(),
                    online_link,
                    venue,
                    capacity: body.capacity,
                    host_id: host,
                    created_by: user.clone(),
                    summary: None,
                    summarised_at: None,
                    cancel_reason: None,
                    signup_version: 0,
                    created_at: now(),
                };
                row.insert(c)?;
                event_dto(c, row, Some(&user))
            })
            .await?;
        let location = format!("/api/v1/events/{}", dto.id);
        Ok(EventCreated::Created(Json(dto), location))
    }

    /// A group's events: `upcoming` (not yet ended, soonest first; the default) or `past`
    /// (latest first). Open groups: anyone; others: members.
    #[oai(path = "/groups/:id/events", method = "get", operation_id = "list_group_events")]
    async fn list(
        &self,
        state: Data<&AppState>,
        req: &Request,
        id: Path<String>,
        scope: Query<Option<EventScope>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
        #[oai(validator(max_length = 100))] cursor: Query<Option<String>>,
    ) -> Result<Json<EventPage>, ApiError> {
        let user = optional_user(req).await?.map(|u| u.user_id);
        let limit = market::limit(limit.0);
        let cursor = cursor.0.as_deref().map(events::parse_event_cursor).transpose()?;
        let upcoming = scope.0.unwrap_or(EventScope::Upcoming) == EventScope::Upcoming;
        let page = state
            .db
            .run(move |c| {
                InGroup::load(c, &id.0, user.as_deref())?.ensure_read()?;
                let rows = EventRow::page(c, &id.0, upcoming, now(), cursor, limit + 1)?;
                let more = rows.len() as i64 > limit;
                let rows: Vec<EventRow> = rows.into_iter().take(limit as usize).collect();
                let next_cursor = if more { rows.last().map(events::event_cursor) } else { None };
                let items = events::event_dtos(c, rows, user.as_deref())?;
                Ok::<_, ApiError>(EventPage { items, next_cursor })
            })
            .await?;
        Ok(Json(page))
    }

    /// One event, with the caller's sign-up and place on the waitlist.
    #[oai(path = "/events/:id", method = "get", operation_id = "get_event")]
    async fn get(
        &self,
        state: Data<&AppState>,
        req: &Request,
        id: Path<String>,
    ) -> Result<Json<Event>, ApiError> {
        let user = optional_user(req).await?.map(|u| u.user_id);
        let dto = state
            .db
            .run(move |c| {
                let (event, _) = readable_event(c, &id.0, user.as_deref())?;
                event_dto(c, event, user.as_deref())
            })
            .await?;
        Ok(Json(dto))
    }

    /// The sign-up list (接龙): confirmed places in sign-up order, then the waitlist.
    #[oai(path = "/events/:id/signups", method = "get", operation_id = "list_event_signups")]
    async fn signups(
        &self,
        state: Data<&AppState>,
        req: &Request,
        id: Path<String>,
    ) -> Result<Json<EventSignupList>, ApiError> {
        let user = optional_user(req).await?.map(|u| u.user_id);
        let list = state
            .db
            .run(move |c| {
                let (event, _) = readable_event(c, &id.0, user.as_deref())?;
                events::signup_list(c, &event)
            })
            .await?;
        Ok(Json(list))
    }

    /// Sign up (members, before the event starts): a place while there are places, otherwise
    /// the waitlist. Signing up twice is 409.
    #[oai(path = "/events/:id/signups", method = "post", operation_id = "create_event_signup")]
    async fn sign_up(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        _body: Json<SignupRequest>,
    ) -> Result<SignedUp, ApiError> {
        let user = auth.0.user_id;
        let dto = state
            .write(move |c, _| {
                let (event, view) = locked_event(c, &id.0, &user)?;
                view.ensure_member()?;
                let mine = SignupRow::find(c, &event.id, &user)?.map(|s| s.status);
                let confirmed = SignupRow::with_status(c, &event.id, SignupStatus::Confirmed)?.len();
                let capacity = usize::try_from(event.capacity).unwrap_or(0);
                let command = EventCommand::SignUp { mine, confirmed, capacity };
                let EventOutcome::SignedUp(status) = decide(&view, &event, &user, command)? else {
                    return Err(ApiError::internal("a sign-up decided something else"));
                };
                let at = now();
                SignupRow {
                    event_id: event.id.clone(),
                    user_id: user.clone(),
                    status,
                    signed_up_at: at,
                    cancelled_at: None,
                }
                .upsert(c)?;
                event_dto(c, event, Some(&user))
            })
            .await?;
        let location = format!("/api/v1/events/{}/signups", dto.id);
        Ok(SignedUp::Created(Json(dto), location))
    }

    /// Cancel one's sign-up (before the event starts). A freed place goes to the first on the
    /// waitlist at once, who is notified.
    #[oai(path = "/events/:id/signups/me", method = "delete", operation_id = "delete_event_signup")]
    async fn cancel_signup(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
    ) -> Result<SignupCancelled, ApiError> {
        let user = auth.0.user_id;
        state
            .write(move |c, out| {
                let (event, view) = locked_event(c, &id.0, &user)?;
                let found = SignupRow::find(c, &event.id, &user)?;
                let command = EventCommand::CancelSignup { mine: found.as_ref().map(|s| s.status) };
                decide(&view, &event, &user, command)?;
                let Some(mut signup) = found else { return Err(not_found()) };
                let at = now();
                signup.status = SignupStatus::Cancelled;
                signup.cancelled_at = Some(at);
                signup.save(c)?;
                out.extend(events::promote_waitlist(c, &event)?);
                Ok(())
            })
            .await?;
        Ok(SignupCancelled::Done)
    }

    /// Write the summary after the event (its host or an admin, once it has ended). The first
    /// summary earns the host 30 points when at least two confirmed attendees other than the
    /// host have a verified phone or e-mail, at most once a day (Asia/Shanghai), and not again
    /// for the same attendees (or some of them) within 30 days.
    #[oai(path = "/events/:id/summary", method = "post", operation_id = "create_event_summary")]
    async fn summarise(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<EventSummaryRequest>,
    ) -> Result<Json<Event>, ApiError> {
        let summary = body.check()?;
        let user = auth.0.user_id;
        let dto = state
            .write(move |c, _| {
                // Locked: two first summaries sent at once must not both pay the host.
                let (mut event, view) = locked_event(c, &id.0, &user)?;
                view.ensure_member()?;
                let EventOutcome::Summarised { first } =
                    decide(&view, &event, &user, EventCommand::Summarise)?
                else {
                    return Err(ApiError::internal("a summary decided something else"));
                };
                let at = now();
                event.summary = Some(summary);
                event.summarised_at = Some(at);
                event.save(c)?;
                if first && let Err(why) = events::award_host(c, &event, at)? {
                    tracing::info!(event_id = %event.id, %why, "summarised session earns no points");
                }
                event_dto(c, event, Some(&user))
            })
            .await?;
        Ok(Json(dto))
    }

    /// Call an event off before it starts (its host or an admin); everyone signed up is told
    /// the reason.
    #[oai(path = "/events/:id/cancellation", method = "post", operation_id = "create_event_cancellation")]
    async fn cancel(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<CancelEventRequest>,
    ) -> Result<Json<Event>, ApiError> {
        let reason = body.check()?;
        let user = auth.0.user_id;
        let dto = state
            .write(move |c, out| {
                let (mut event, view) = locked_event(c, &id.0, &user)?;
                view.ensure_member()?;
                decide(&view, &event, &user, EventCommand::CallOff)?;
                event.status = EventStatus::Cancelled;
                event.cancel_reason = Some(reason.clone());
                event.save(c)?;
                let mut people: Vec<String> = Vec::new();
                for status in [SignupStatus::Confirmed, SignupStatus::Waitlisted] {
                    people
                        .extend(SignupRow::with_status(c, &event.id, status)?.into_iter().map(|s| s.user_id));
                }
                people.retain(|p| *p != user);
                let notice = CommunityNotice::EventCancelled { title: event.title.clone(), reason };
                let link = format!("/groups/{}/events/{}", event.group_id, event.id);
                let sent = notify::store(c, &people, &Notice::new(&notice, link, None))?;
                out.extend(sent);
                event_dto(c, event, Some(&user))
            })
            .await?;
        Ok(Json(dto))
    }
}
