//! `/projects`, `/orgs/{id}/projects`: the project library with tender documents and public
//! clarification Q&A. Drafts are visible only to their organisation; publishing needs a
//! verified, unsuspended organisation.

pub mod service;

use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use shared::domain::market::project::{self as lifecycle, ProjectEffect, ProjectEvent};
use shared::domain::notices::market::MarketNotice;
use shared::dto::*;
use shared::error::ErrorCode;
use shared::validate::Check;

use crate::auth::session::{BearerAuth, optional_user};
use crate::db::models::projects::{ProjectQuestionRow, ProjectRow, ProjectScope};
use crate::db::{DbConn, new_id, now};
use crate::error::ApiError;
use crate::market::{self, acting_member, check_uploaded, ensure_may_transact};
use crate::routes::ApiTags;
use crate::routes::notifications::notify::Notice;
use crate::routes::projects::service::{self as projects, not_found};
use crate::state::AppState;

/// The project library.
pub struct ProjectsApi;

#[derive(ApiResponse)]
enum ProjectCreated {
    /// Created as a draft.
    #[oai(status = 201)]
    Created(Json<Project>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
enum QuestionCreated {
    /// Asked; the project's organisation is notified.
    #[oai(status = 201)]
    Created(Json<ProjectQuestion>, #[oai(header = "Location")] String),
}

/// Loads a project the caller (member of `org`) owns, for a change.
fn owned(conn: &mut DbConn, id: &str, org: &str, user: &str) -> Result<(ProjectRow, String), ApiError> {
    acting_member(conn, org, user)?;
    let (row, org_name) = ProjectRow::find(conn, id)?.ok_or_else(not_found)?;
    if row.org_id != org {
        return Err(not_found());
    }
    Ok((row, org_name))
}

/// Whether the caller may see the project: public ones anyone, drafts their organisation.
fn visible(
    conn: &mut DbConn,
    row: &ProjectRow,
    user: Option<&str>,
    org: Option<&str>,
) -> Result<bool, ApiError> {
    if row.status != ProjectStatus::Draft {
        return Ok(true);
    }
    match (user, org) {
        (Some(user), Some(org)) if org == row.org_id => Ok(acting_member(conn, org, user).is_ok()),
        _ => Ok(false),
    }
}

#[OpenApi(tag = "ApiTags::Projects")]
impl ProjectsApi {
    /// Create a project (a draft) for the organisation in `X-Org-Id`. Verified, unsuspended
    /// organisations only.
    #[oai(path = "/projects", method = "post", operation_id = "create_project")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        body: Json<CreateProjectRequest>,
    ) -> Result<ProjectCreated, ApiError> {
        let user = auth.0.user_id;
        let project = state
            .write(move |c, _| {
                acting_member(c, &org.0, &user)?;
                ensure_may_transact(c, &org.0)?;
                let fields = body.check()?;
                check_uploaded(c, "tender_files", &fields.tender_files, &user)?;
                let row = projects::draft(&org.0, &user, fields, now());
                row.insert(c)?;
                let (row, name) = ProjectRow::find(c, &row.id)?.ok_or_else(not_found)?;
                projects::dto(c, row, name)
            })
            .await?;
        let location = format!("/api/v1/projects/{}", project.id);
        Ok(ProjectCreated::Created(Json(project), location))
    }

    /// Published and closed projects, newest first; filter by organisation or status.
    #[oai(path = "/projects", method = "get", operation_id = "list_projects")]
    async fn list(
        &self,
        state: Data<&AppState>,
        #[oai(validator(max_length = 64))] org_id: Query<Option<String>>,
        status: Query<Option<ProjectStatus>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
        #[oai(validator(max_length = 64))] cursor: Query<Option<String>>,
    ) -> Result<Json<ProjectPage>, ApiError> {
        let limit = market::limit(limit.0);
        let page = state
            .db
            .run(move |c| {
                let scope = ProjectScope::Public {
                    org_id: org_id.0.as_deref(),
                    status: status.0.filter(|s| *s != ProjectStatus::Draft),
                };
                if status.0 == Some(ProjectStatus::Draft) {
                    return Ok(ProjectPage { items: Vec::new(), next_cursor: None });
                }
                let rows = ProjectRow::page(c, scope, cursor.0.as_deref(), limit + 1)?;
                let (rows, next_cursor) = market::page(rows, limit, |(r, _)| r.id.clone());
                let items = projects::dtos(c, rows)?;
                Ok::<_, ApiError>(ProjectPage { items, next_cursor })
            })
            .await?;
        Ok(Json(page))
    }

    /// Every project of an organisation, drafts included (its members, with `X-Org-Id`).
    #[oai(path = "/orgs/:id/projects", method = "get", operation_id = "list_organisation_projects")]
    async fn list_own(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
        #[oai(validator(max_length = 64))] cursor: Query<Option<String>>,
    ) -> Result<Json<ProjectPage>, ApiError> {
        let limit = market::limit(limit.0);
        let page = state
            .db
            .run(move |c| {
                crate::routes::orgs::service::acting_role(c, &org.0, &id.0, &auth.0.user_id)?;
                let rows =
                    ProjectRow::page(c, ProjectScope::Organisation(&id.0), cursor.0.as_deref(), limit + 1)?;
                let (rows, next_cursor) = market::page(rows, limit, |(r, _)| r.id.clone());
                let items = projects::dtos(c, rows)?;
                Ok::<_, ApiError>(ProjectPage { items, next_cursor })
            })
            .await?;
        Ok(Json(page))
    }

    /// One project: public when published or closed; a draft only for its organisation
    /// (bearer token and `X-Org-Id`).
    #[oai(path = "/projects/:id", method = "get", operation_id = "get_project")]
    async fn get(
        &self,
        state: Data<&AppState>,
        req: &Request,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<Option<String>>,
    ) -> Result<Json<Project>, ApiError> {
        let user = optional_user(req).await?;
        let project = state
            .db
            .run(move |c| {
                let (row, name) = ProjectRow::find(c, &id.0)?.ok_or_else(not_found)?;
                if !visible(c, &row, user.as_ref().map(|u| u.user_id.as_str()), org.0.as_deref())? {
                    return Err(not_found());
                }
                projects::dto(c, row, name)
            })
            .await?;
        Ok(Json(project))
    }

    /// Change a draft or published project (its organisation's members). Closed projects are
    /// read-only, and a suspended organisation's projects are frozen (403).
    #[oai(path = "/projects/:id", method = "patch", operation_id = "update_project")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        body: Json<UpdateProjectRequest>,
    ) -> Result<Json<Project>, ApiError> {
        let user = auth.0.user_id;
        let project = state
            .write(move |c, _| {
                let (mut row, name) = owned(c, &id.0, &org.0, &user)?;
                lifecycle::transition(row.status, ProjectEvent::Edit)?;
                // A suspended organisation's projects are frozen, drafts included.
                ensure_may_transact(c, &org.0)?;
                let fields = body.apply(projects::fields(&row))?;
                if body.tender_files.is_some() {
                    check_uploaded(c, "tender_files", &fields.tender_files, &user)?;
                }
                projects::write(&mut row, fields);
                row.updated_at = now();
                row.save(c)?;
                projects::dto(c, row, name)
            })
            .await?;
        self.reindex(&state, &project.id).await;
        Ok(Json(project))
    }

    /// Publish a draft: it enters the library and search. Verified organisations only.
    #[oai(path = "/projects/:id/publication", method = "post", operation_id = "create_project_publication")]
    async fn publish(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Json<Project>, ApiError> {
        self.transition(&state, auth, id.0, org.0, ProjectEvent::Publish).await
    }

    /// Close a published project (awarded or cancelled); it stays visible, read-only.
    #[oai(path = "/projects/:id/closure", method = "post", operation_id = "create_project_closure")]
    async fn close(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Json<Project>, ApiError> {
        self.transition(&state, auth, id.0, org.0, ProjectEvent::Close).await
    }

    /// A project's clarification records (答疑记录), oldest first. Public projects only.
    #[oai(path = "/projects/:id/questions", method = "get", operation_id = "list_project_questions")]
    async fn questions(
        &self,
        state: Data<&AppState>,
        id: Path<String>,
    ) -> Result<Json<ProjectQuestionList>, ApiError> {
        let list = state
            .db
            .run(move |c| {
                let (row, _) = ProjectRow::find(c, &id.0)?.ok_or_else(not_found)?;
                if row.status == ProjectStatus::Draft {
                    return Err(not_found());
                }
                let items = ProjectQuestionRow::of_project(c, &row.id)?
                    .into_iter()
                    .map(|(q, name)| projects::question_dto(q, name))
                    .collect();
                Ok(ProjectQuestionList { items })
            })
            .await?;
        Ok(Json(list))
    }

    /// Ask a clarification question on a published project (any signed-in person). The
    /// project's organisation is notified; the question and its answer are public.
    #[oai(path = "/projects/:id/questions", method = "post", operation_id = "create_project_question")]
    async fn ask(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<AskProjectQuestionRequest>,
    ) -> Result<QuestionCreated, ApiError> {
        let question = body.check()?;
        let user = auth.0.user_id;
        let dto = state
            .write(move |c, out| {
                let (project, _) = ProjectRow::find(c, &id.0)?.ok_or_else(not_found)?;
                lifecycle::transition(project.status, ProjectEvent::Ask)?;
                let row = ProjectQuestionRow {
                    id: new_id(),
                    project_id: project.id.clone(),
                    asked_by: user.clone(),
                    question,
                    asked_at: now(),
                    answer: None,
                    answered_by: None,
                    answered_at: None,
                };
                row.insert(c)?;
                let message = MarketNotice::ProjectQuestion {
                    project: project.name.clone(),
                    question: row.question.clone(),
                };
                let link = format!("/projects/{}", project.id);
                out.to_org(c, &project.org_id, &Notice::new(&message, link, Some(&project.org_id)))?;
                let (row, name) = ProjectQuestionRow::find(c, &row.id)?.ok_or_else(not_found)?;
                Ok(projects::question_dto(row, name))
            })
            .await?;
        let location = format!("/api/v1/projects/{}/questions/{}", dto.project_id, dto.id);
        Ok(QuestionCreated::Created(Json(dto), location))
    }

    /// Answer (or revise the answer to) a clarification question: the project's organisation,
    /// with `X-Org-Id`. The asker is notified.
    #[oai(
        path = "/projects/:id/questions/:question_id/answer",
        method = "post",
        operation_id = "create_project_answer"
    )]
    async fn answer(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        question_id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        body: Json<AnswerProjectQuestionRequest>,
    ) -> Result<Json<ProjectQuestion>, ApiError> {
        let answer = body.check()?;
        let user = auth.0.user_id;
        let dto = state
            .write(move |c, out| {
                let (project, _) = owned(c, &id.0, &org.0, &user)?;
                let no_question = || ApiError::new(ErrorCode::NotFound, "question not found");
                let (mut row, asker) =
                    ProjectQuestionRow::find(c, &question_id.0)?.ok_or_else(no_question)?;
                if row.project_id != project.id {
                    return Err(no_question());
                }
                row.answer = Some(answer.clone());
                row.answered_by = Some(user.clone());
                row.answered_at = Some(now());
                row.save(c)?;
                let message = MarketNotice::QuestionAnswered { project: project.name.clone(), answer };
                let notice = Notice::new(&message, format!("/projects/{}", project.id), None);
                out.to_users(c, std::slice::from_ref(&row.asked_by), &notice)?;
                Ok(projects::question_dto(row, asker))
            })
            .await?;
        Ok(Json(dto))
    }
}

impl ProjectsApi {
    async fn transition(
        &self,
        state: &AppState,
        auth: BearerAuth,
        id: String,
        org: String,
        event: ProjectEvent,
    ) -> Result<Json<Project>, ApiError> {
        let user = auth.0.user_id;
        let project = state
            .write(move |c, _| {
                let (mut row, name) = owned(c, &id, &org, &user)?;
                let (next, effect) = lifecycle::transition(row.status, event)?;
                ensure_may_transact(c, &org)?;
                let at = now();
                row.status = next;
                row.updated_at = at;
                match effect {
                    ProjectEffect::StampPublished => row.published_at = Some(at),
                    ProjectEffect::StampClosed => row.closed_at = Some(at),
                    ProjectEffect::None => {}
                }
                row.save(c)?;
                projects::dto(c, row, name)
            })
            .await?;
        self.reindex(state, &project.id).await;
        Ok(Json(project))
    }

    async fn reindex(&self, state: &AppState, id: &str) {
        let (search, id) = (state.search.clone(), id.to_owned());
        if let Err(error) =
            state.db.run(move |c| search.refresh_project(c, &id).map_err(ApiError::from)).await
        {
            tracing::error!(?error, "refreshing a project in the search index failed");
        }
    }
}
