//! Project rules at the API edge: a new draft, storing the fields checked by
//! `shared::validate::market`, and the DTO. The draft → published → closed lifecycle is
//! `shared::domain::market::project`.

use chrono::NaiveDateTime;
use shared::dto::{Project, ProjectQuestion, ProjectStatus};
use shared::error::ErrorCode;
use shared::validate::market::ProjectFields;

use crate::db::models::projects::{ProjectQuestionRow, ProjectRow};
use crate::db::{DbConn, new_id};
use crate::error::ApiError;
use crate::market::{attached, from_json, to_json};

/// 404 for a project the caller may not see.
pub fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "project not found")
}

/// A new draft of `org_id` by `user` with the fields its create request checked to.
pub fn draft(org_id: &str, user: &str, fields: ProjectFields, at: NaiveDateTime) -> ProjectRow {
    let mut row = ProjectRow {
        id: new_id(),
        org_id: org_id.to_owned(),
        name: String::new(),
        project_type: fields.project_type,
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
    };
    write(&mut row, fields);
    row
}

/// The stored fields, which an update request is applied to and checked against.
pub fn fields(row: &ProjectRow) -> ProjectFields {
    ProjectFields {
        name: row.name.clone(),
        project_type: row.project_type,
        investment_fen: row.investment_fen,
        region_code: row.region_code.clone(),
        address: row.address.clone(),
        latitude: row.latitude,
        longitude: row.longitude,
        tags: from_json(&row.tags),
        description: row.description.clone(),
        tender_files: from_json(&row.tender_files),
    }
}

/// Stores checked fields.
pub fn write(row: &mut ProjectRow, fields: ProjectFields) {
    row.name = fields.name;
    row.project_type = fields.project_type;
    row.investment_fen = fields.investment_fen;
    row.region_code = fields.region_code;
    row.address = fields.address;
    row.latitude = fields.latitude;
    row.longitude = fields.longitude;
    row.tags = to_json(&fields.tags);
    row.description = fields.description;
    row.tender_files = to_json(&fields.tender_files);
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
