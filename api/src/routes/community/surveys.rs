//! Group surveys: several questions (single, multiple choice, free text), always anonymous; one
//! response per member before the deadline; results per question for the members once it has
//! closed (not before, not even for the admins, so that no one can tell an answer by comparing).

use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use shared::domain::community::groups::GroupAction;
use shared::domain::community::lifecycle::Refusal;
use shared::domain::community::surveys::{ResponseRefused, check_response, results};
use shared::dto::*;
use shared::error::ErrorCode;
use shared::validate::community::insights::SurveyFields;

use crate::auth::session::{BearerAuth, optional_user};
use crate::db::models::insights::SurveyRow;
use crate::db::{DbConn, new_id, now};
use crate::error::ApiError;
use crate::market::{self, from_json, to_json};
use crate::routes::ApiTags;
use crate::routes::community::{InGroup, not_found};
use crate::state::AppState;

/// Surveys.
pub struct SurveysApi;

#[derive(ApiResponse)]
enum SurveyCreated {
    /// Open for responses until the deadline.
    #[oai(status = 201)]
    Created(Json<Survey>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
enum Responded {
    /// Counted (without the person).
    #[oai(status = 201)]
    Created(Json<Survey>),
}

fn survey_dtos(
    conn: &mut DbConn,
    rows: Vec<SurveyRow>,
    viewer: Option<&str>,
) -> Result<Vec<Survey>, ApiError> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let counts = SurveyRow::respondents(conn, &ids, viewer)?;
    let now = crate::clock::current().now();
    Ok(rows
        .into_iter()
        .map(|r| {
            let (responses, responded) = counts.get(&r.id).copied().unwrap_or((0, false));
            Survey {
                questions: from_json(&r.questions),
                closed: now >= r.deadline.and_utc(),
                deadline: r.deadline.and_utc(),
                created_at: r.created_at.and_utc(),
                responses,
                responded,
                id: r.id,
                group_id: r.group_id,
                title: r.title,
                description: r.description,
            }
        })
        .collect())
}

fn survey_dto(conn: &mut DbConn, row: SurveyRow, viewer: Option<&str>) -> Result<Survey, ApiError> {
    survey_dtos(conn, vec![row], viewer)?.pop().ok_or_else(not_found)
}

fn readable(conn: &mut DbConn, id: &str, user: Option<&str>) -> Result<(SurveyRow, InGroup), ApiError> {
    let row = SurveyRow::find(conn, id)?.ok_or_else(not_found)?;
    let view = InGroup::load(conn, &row.group_id, user)?;
    view.ensure_read()?;
    Ok((row, view))
}

#[OpenApi(tag = "ApiTags::Groups")]
impl SurveysApi {
    /// Start a survey in a group (its admins).
    #[oai(path = "/groups/:id/surveys", method = "post", operation_id = "create_survey")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<CreateSurveyRequest>,
    ) -> Result<SurveyCreated, ApiError> {
        let SurveyFields { title, description, questions } = body.check_at(crate::clock::current().now())?;
        let user = auth.0.user_id;
        let dto = state
            .write(move |c, _| {
                let view = InGroup::load(c, &id.0, Some(&user))?;
                view.ensure_may(GroupAction::Curate)?;
                view.ensure_may_speak(now())?;
                let mut fields = vec![
                    ("title".to_owned(), title.clone()),
                    ("description".to_owned(), description.clone()),
                ];
                for (i, q) in questions.iter().enumerate() {
                    fields.push((format!("questions[{i}].question"), q.question.clone()));
                    fields.extend(
                        q.options
                            .iter()
                            .enumerate()
                            .map(|(j, o)| (format!("questions[{i}].options[{j}]"), o.clone())),
                    );
                }
                let fields: Vec<(&str, &str)> =
                    fields.iter().map(|(f, t)| (f.as_str(), t.as_str())).collect();
                crate::routes::community::events::service::refuse_banned(&view, &fields)?;
                let row = SurveyRow {
                    id: new_id(),
                    group_id: id.0.clone(),
                    title,
                    description,
                    questions: to_json(&questions),
                    deadline: body.deadline.naive_utc(),
                    created_by: user.clone(),
                    created_at: now(),
                };
                row.insert(c)?;
                survey_dto(c, row, Some(&user))
            })
            .await?;
        let location = format!("/api/v1/surveys/{}", dto.id);
        Ok(SurveyCreated::Created(Json(dto), location))
    }

    /// A group's surveys, newest first (readers of the group).
    #[oai(path = "/groups/:id/surveys", method = "get", operation_id = "list_group_surveys")]
    async fn list(
        &self,
        state: Data<&AppState>,
        req: &Request,
        id: Path<String>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
        #[oai(validator(max_length = 64))] cursor: Query<Option<String>>,
    ) -> Result<Json<SurveyPage>, ApiError> {
        let user = optional_user(req).await?.map(|u| u.user_id);
        let limit = market::limit(limit.0);
        let page = state
            .db
            .run(move |c| {
                InGroup::load(c, &id.0, user.as_deref())?.ensure_read()?;
                let rows = SurveyRow::page(c, &id.0, cursor.0.as_deref(), limit + 1)?;
                let (rows, next_cursor) = market::page(rows, limit, |r| r.id.clone());
                Ok::<_, ApiError>(SurveyPage { items: survey_dtos(c, rows, user.as_deref())?, next_cursor })
            })
            .await?;
        Ok(Json(page))
    }

    /// One survey with its questions and whether the caller responded.
    #[oai(path = "/surveys/:id", method = "get", operation_id = "get_survey")]
    async fn get(
        &self,
        state: Data<&AppState>,
        req: &Request,
        id: Path<String>,
    ) -> Result<Json<Survey>, ApiError> {
        let user = optional_user(req).await?.map(|u| u.user_id);
        let dto = state
            .db
            .run(move |c| {
                let (row, _) = readable(c, &id.0, user.as_deref())?;
                survey_dto(c, row, user.as_deref())
            })
            .await?;
        Ok(Json(dto))
    }

    /// Respond (members, once, before the deadline): one answer per question in order. The
    /// response is stored without the person.
    #[oai(path = "/surveys/:id/responses", method = "post", operation_id = "create_survey_response")]
    async fn respond(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<SurveyResponseRequest>,
    ) -> Result<Responded, ApiError> {
        let user = auth.0.user_id;
        let dto = state
            .write(move |c, _| {
                let (row, view) = readable(c, &id.0, Some(&user))?;
                view.ensure_member()?;
                let questions: Vec<SurveyQuestion> = from_json(&row.questions);
                check_response(
                    &questions,
                    &body.answers,
                    row.deadline.and_utc(),
                    crate::clock::current().now(),
                )
                .map_err(|r| match r {
                    ResponseRefused::Closed => Refusal::SurveyClosed.into(),
                    ResponseRefused::WrongCount => ApiError::field(
                        "answers",
                        "wrong_count",
                        format!("answer each of the {} questions", questions.len()),
                    ),
                    ResponseRefused::Answer { index, issue } => ApiError::field(
                        &format!("answers[{index}]"),
                        issue,
                        "this answer does not fit its question",
                    ),
                })?;
                if !row.respond(c, &user, &to_json(&body.answers))? {
                    return Err(Refusal::AlreadyResponded.into());
                }
                survey_dto(c, row, Some(&user))
            })
            .await?;
        Ok(Responded::Created(Json(dto)))
    }

    /// The results per question, for the group's members once the survey has closed.
    #[oai(path = "/surveys/:id/results", method = "get", operation_id = "get_survey_results")]
    async fn results(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
    ) -> Result<Json<SurveyResults>, ApiError> {
        let user = auth.0.user_id;
        let dto = state
            .db
            .run(move |c| {
                let (row, view) = readable(c, &id.0, Some(&user))?;
                view.ensure_member()?;
                // Not even the admins see results while responses come in: comparing them before
                // and after a known person responded would tell what that person answered.
                if crate::clock::current().now() < row.deadline.and_utc() {
                    return Err(ApiError::new(
                        ErrorCode::Forbidden,
                        "results are shown once the survey has closed",
                    )
                    .with_detail("id", "survey_open"));
                }
                let questions: Vec<SurveyQuestion> = from_json(&row.questions);
                let responses: Vec<Vec<SurveyAnswer>> =
                    SurveyRow::responses(c, &row.id)?.iter().map(|r| from_json(r)).collect();
                let per_question = results(&questions, &responses);
                Ok::<_, ApiError>(SurveyResults {
                    survey: survey_dto(c, row, Some(&user))?,
                    questions: per_question,
                })
            })
            .await?;
        Ok(Json(dto))
    }
}
