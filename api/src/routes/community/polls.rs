//! Group polls: single or multiple choice, a deadline, named or anonymous. Results are counted
//! from ballots that carry no person; for anonymous polls nothing links a ballot to its voter.

use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use shared::domain::community::groups::GroupAction;
use shared::domain::community::lifecycle::Refusal;
use shared::domain::community::polls::{BallotRefused, check_ballot};
use shared::dto::*;
use shared::error::ErrorCode;
use shared::validate::community::events::PollFields;

use crate::auth::session::{BearerAuth, optional_user};
use crate::db::models::community::GroupMemberRow;
use crate::db::models::events::*;
use crate::db::{DbConn, new_id, now};
use crate::error::ApiError;
use crate::market::{self, from_json, to_json};
use crate::routes::ApiTags;
use crate::routes::community::events::service::{self as events, poll_dto};
use crate::routes::community::{InGroup, not_found};
use crate::state::AppState;

/// Polls and ballots.
pub struct PollsApi;

#[derive(ApiResponse)]
enum PollCreated {
    /// Open for votes until the deadline.
    #[oai(status = 201)]
    Created(Json<Poll>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
enum BallotCast {
    /// Counted; the poll with its results.
    #[oai(status = 201)]
    Created(Json<Poll>, #[oai(header = "Location")] String),
}

fn readable_poll(conn: &mut DbConn, id: &str, user: Option<&str>) -> Result<(PollRow, InGroup), ApiError> {
    let poll = PollRow::find(conn, id)?.ok_or_else(not_found)?;
    let view = InGroup::load(conn, &poll.group_id, user)?;
    view.ensure_read()?;
    Ok((poll, view))
}

#[OpenApi(tag = "ApiTags::Groups")]
impl PollsApi {
    /// Start a poll in a group (its topic hosts and admins).
    #[oai(path = "/groups/:id/polls", method = "post", operation_id = "create_poll")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<CreatePollRequest>,
    ) -> Result<PollCreated, ApiError> {
        let at = crate::clock::current().now();
        let PollFields { question, options } = body.check_at(at)?;
        let user = auth.0.user_id;
        let dto = state
            .write(move |c, _| {
                let view = InGroup::load(c, &id.0, Some(&user))?;
                view.ensure_may(GroupAction::HostEvents)?;
                view.ensure_may_speak(now())?;
                let mut fields = vec![("question".to_owned(), question.clone())];
                fields.extend(options.iter().enumerate().map(|(i, o)| (format!("options[{i}]"), o.clone())));
                let fields: Vec<(&str, &str)> =
                    fields.iter().map(|(f, t)| (f.as_str(), t.as_str())).collect();
                events::refuse_banned(&view, &fields)?;
                let row = PollRow {
                    id: new_id(),
                    group_id: id.0.clone(),
                    question,
                    options: to_json(&options),
                    multiple: body.multiple,
                    anonymous: body.anonymous,
                    deadline: body.deadline.naive_utc(),
                    created_by: user.clone(),
                    created_at: now(),
                };
                row.insert(c)?;
                poll_dto(c, row, Some(&user), at)
            })
            .await?;
        let location = format!("/api/v1/polls/{}", dto.id);
        Ok(PollCreated::Created(Json(dto), location))
    }

    /// A group's polls, newest first, with results (open groups: anyone; others: members).
    #[oai(path = "/groups/:id/polls", method = "get", operation_id = "list_group_polls")]
    async fn list(
        &self,
        state: Data<&AppState>,
        req: &Request,
        id: Path<String>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
        #[oai(validator(max_length = 64))] cursor: Query<Option<String>>,
    ) -> Result<Json<PollPage>, ApiError> {
        let user = optional_user(req).await?.map(|u| u.user_id);
        let limit = market::limit(limit.0);
        let page = state
            .db
            .run(move |c| {
                InGroup::load(c, &id.0, user.as_deref())?.ensure_read()?;
                let rows = PollRow::page(c, &id.0, cursor.0.as_deref(), limit + 1)?;
                let (rows, next_cursor) = market::page(rows, limit, |r| r.id.clone());
                let items = events::poll_dtos(c, rows, user.as_deref(), crate::clock::current().now())?;
                Ok::<_, ApiError>(PollPage { items, next_cursor })
            })
            .await?;
        Ok(Json(page))
    }

    /// One poll with its results and whether the caller voted.
    #[oai(path = "/polls/:id", method = "get", operation_id = "get_poll")]
    async fn get(
        &self,
        state: Data<&AppState>,
        req: &Request,
        id: Path<String>,
    ) -> Result<Json<Poll>, ApiError> {
        let user = optional_user(req).await?.map(|u| u.user_id);
        let dto = state
            .db
            .run(move |c| {
                let (poll, _) = readable_poll(c, &id.0, user.as_deref())?;
                poll_dto(c, poll, user.as_deref(), crate::clock::current().now())
            })
            .await?;
        Ok(Json(dto))
    }

    /// Vote (members, before the deadline, once). In an anonymous poll the ballot is stored
    /// without the voter, who is only marked as having voted.
    #[oai(path = "/polls/:id/ballots", method = "post", operation_id = "create_poll_ballot")]
    async fn vote(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<CastBallotRequest>,
    ) -> Result<BallotCast, ApiError> {
        let user = auth.0.user_id;
        let dto = state
            .write(move |c, _| {
                let (poll, view) = readable_poll(c, &id.0, Some(&user))?;
                view.ensure_member()?;
                let at = crate::clock::current().now();
                let options: Vec<String> = from_json(&poll.options);
                let choices: Vec<usize> =
                    body.choices.iter().map(|&c| usize::try_from(c).unwrap_or(usize::MAX)).collect();
                check_ballot(&choices, options.len(), poll.multiple, poll.deadline.and_utc(), at).map_err(
                    |refused| match refused {
                        BallotRefused::Closed => Refusal::PollClosed(refused.to_string()).into(),
                        _ => ApiError::field("choices", ballot_issue(&refused), refused.to_string()),
                    },
                )?;
                if PollVoterRow::find(c, &poll.id, &user)?.is_some() {
                    return Err(Refusal::AlreadyVoted.into());
                }
                let mut sorted = body.choices.clone();
                sorted.sort_unstable();
                PollVoterRow {
                    poll_id: poll.id.clone(),
                    user_id: user.clone(),
                    choices: (!poll.anonymous).then(|| to_json(&sorted)),
                    voted_at: (!poll.anonymous).then(now),
                }
                .insert(c)?;
                // A random (not time-ordered) id: a ballot's id must not tell when it was cast.
                BallotRow {
                    id: uuid::Uuid::new_v4().to_string(),
                    poll_id: poll.id.clone(),
                    choices: to_json(&sorted),
                }
                .insert(c)?;
                poll_dto(c, poll, Some(&user), at)
            })
            .await?;
        let location = format!("/api/v1/polls/{}", dto.id);
        Ok(BallotCast::Created(Json(dto), location))
    }

    /// Who chose what in a named poll (readers of the group). Anonymous polls answer 403: their
    /// ballots are not linked to anyone.
    #[oai(path = "/polls/:id/ballots", method = "get", operation_id = "list_poll_ballots")]
    async fn ballots(
        &self,
        state: Data<&AppState>,
        req: &Request,
        id: Path<String>,
    ) -> Result<Json<PollBallotList>, ApiError> {
        let user = optional_user(req).await?.map(|u| u.user_id);
        let list = state
            .db
            .run(move |c| {
                let (poll, _) = readable_poll(c, &id.0, user.as_deref())?;
                if poll.anonymous {
                    return Err(ApiError::new(
                        ErrorCode::Forbidden,
                        "ballots of an anonymous poll are not linked to voters",
                    )
                    .with_detail("poll_id", "anonymous"));
                }
                let voters = PollVoterRow::of_poll(c, &poll.id)?;
                let people: Vec<String> = voters.iter().map(|v| v.user_id.clone()).collect();
                let names = GroupMemberRow::nicknames(c, &poll.group_id, &people)?;
                let items = voters
                    .into_iter()
                    .map(|v| PollBallot {
                        nickname: names.get(&v.user_id).map(|(n, _)| n.clone()).unwrap_or_default(),
                        choices: v.choices.as_deref().map(from_json).unwrap_or_default(),
                        user_id: v.user_id,
                    })
                    .collect();
                Ok(PollBallotList { items })
            })
            .await?;
        Ok(Json(list))
    }
}

fn ballot_issue(refused: &BallotRefused) -> &'static str {
    use BallotRefused as R;
    match refused {
        R::Closed => "poll_closed",
        R::OneChoiceOnly => "one_choice_only",
        R::NoChoice => "required",
        R::UnknownChoice => "unknown_choice",
    }
}
