//! Project rules at the API edge: checking a project's fields (every problem named), a new
//! draft, and the DTO. The draft → published → closed lifecycle is
//! `shared::domain::market::project`.

use chrono::NaiveDateTime;
use shared::dto::{CreateProjectRequest, Project, ProjectQuestion, ProjectStatus, UpdateProjectRequest};
use shared::error::ErrorCode;

use crate::db::models::projects::{ProjectQuestionRow, ProjectRow};
use crate::db::{DbConn, new_id};
use crate::error::ApiError;
use crate::market::{Checks, attached, from_json, to_json};

/// 404 for a project the caller may not see.
pub fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "project not found")
}

/// Applies a create request to a fresh draft row.
pub fn create(
    conn: &mut DbConn,
    row: &mut ProjectRow,
    body: &CreateProjectRequest,
    user: &str,
) -> Result<(), ApiError> {
    let update = UpdateProjectRequest {
        name: Some(body.name.clone()),
        project_type: Some(body.project_type),
        investment_fen: Some(body.investment_fen),
        region_code: Some(body.region_code.clone()),
        address: body.address.clone(),
        latitude: body.latitude,
        longitude: body.longitude,
        tags: Some(body.tags.clone()),
        description: Some(body.description.clone()),
        tender_files: Some(body.tender_files.clone()),
    };
    update_row(conn, row, &update, user)
}

/// A new draft of `org_id` by `user`; [`create`] then fills in and checks its fields.
pub fn draft(org_id: &str, user: &str, body: &CreateProjectRequest, at: NaiveDateTime) -> ProjectRow {
    ProjectRow {
        id: new_id(),
        org_id: org_id.to_owned(),
        name: String::new(),
        project_type: body.project_type,
        investment_fen: 0,
        region_code: String::new(),
        address: None,
        latitude: None,
        longitude: None,
        tags: "[]".into(),
        description: String::new(),
        tender_files: "[]".into(),
        status: ProjectStatus::Draft,
        created_by: user.to_owned(),
        created_at: at,
        updated_at: at,
        published_at: None,
        closed_at: None,
    }
}

/// Applies a partial update, checking the result as a whole.
pub fn update_row(
    conn: &mut DbConn,
    row: &mut ProjectRow,
    body: &UpdateProjectRequest,
    user: &str,
) -> Result<(), ApiError> {
    let mut checks = Checks::default();
    if let Some(name) = &body.name {
        row.name = checks.text("name", name, 4, 100);
    }
    if let Some(kind) = body.project_type {
        row.project_type = kind;
    }
    if let Some(fen) = body.investment_fen {
        checks.amount("investment_fen", fen);
        row.investment_fen = fen;
    }
    if let Some(region) = &body.region_code {
        checks.region("region_code", region);
        row.region_code = region.clone();
    }
    if body.address.is_some() {
        row.address = checks.optional_text("address", body.address.as_deref(), 200);
    }
    if body.latitude.is_some() || body.longitude.is_some() {
        checks.coordinates(body.latitude, body.longitude);
        row.latitude = body.latitude;
        row.longitude = body.longitude;
    }
    if let Some(tags) = &body.tags {
        row.tags = to_json(&checks.tags(tags));
    }
    if let Some(description) = &body.description {
        row.description = checks.text("description", description, 0, 5000);
    }
    checks.finish()?;
    if let Some(files) = &body.tender_files {
        row.tender_files = to_json(&crate::market::check_files(conn, "tender_files", files, user)?);
    }
    Ok(())
}

/// The API view of a project.
pub fn dto(conn: &mut DbConn, row: ProjectRow, org_name: String) -> Result<Project, ApiError> {
    let question_count = ProjectQuestionRow::count(conn, &row.id)?;
    view(conn, row, org_name, question_count)
}

/// The API views of a page of projects (question counts in one query).
pub fn dtos(conn: &mut DbConn, rows: Vec<(ProjectRow, String)>) -> Result<Vec<Project>, ApiError> {
    let ids: Vec<String> = rows.iter().map(|(r, _)| r.id.clone()).collect();
    let counts = ProjectQuestionRow::counts(conn, &ids)?;
    rows.into_iter()
        .map(|(row, name)| {
            let count = counts.get(&row.id).copied().unwrap_or(0);
            view(conn, row, name, count)
        })
        .collect()
}

fn view(
    conn: &mut DbConn,
    row: ProjectRow,
    org_name: String,
    question_count: i64,
) -> Result<Project, ApiError> {
    Ok(Project {
        tender_files: attached(conn, &row.tender_files)?,
        region_name: shared::gb2260::full_name(&row.region_code).unwrap_or_default(),
        project_type: row.project_type,
        status: row.status,
        tags: from_json(&row.tags),
        question_count,
        id: row.id,
        org_id: row.org_id,
        org_name,
        name: row.name,
        investment_fen: row.investment_fen,
        region_code: row.region_code,
        address: row.address,
        latitude: row.latitude,
        longitude: row.longitude,
        description: row.description,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
        published_at: row.published_at.map(|t| t.and_utc()),
        closed_at: row.closed_at.map(|t| t.and_utc()),
    })
}

/// The API view of a clarification record.
pub fn question_dto(row: ProjectQuestionRow, asked_by: String) -> ProjectQuestion {
    ProjectQuestion {
        id: row.id,
        project_id: row.project_id,
        question: row.question,
        asked_by,
        asked_at: row.asked_at.and_utc(),
        answer: row.answer,
        answered_at: row.answered_at.map(|t| t.and_utc()),
    }
}
