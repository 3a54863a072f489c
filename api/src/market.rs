//! Rules at the API edge shared by projects, listings and demands (the field checks themselves
//! are `shared::validate`, used by the SPA too): the "may transact" gate for publishing, the one
//! mapping of a lifecycle [`Refusal`] to its HTTP error, attached files, JSON list columns, and
//! keyset page assembly.

use shared::domain::market::{Refusal, RefusalKind};
use shared::domain::standing::{TransactRefusal, may_transact};
use shared::dto::{AttachedFile, DemandStatus, MemberRole, ProjectStatus};
use shared::error::ErrorCode;

use crate::db::DbConn;
use crate::db::models::files::FileRow;
use crate::db::models::orgs::OrganisationRow;
use crate::error::ApiError;
use crate::routes::orgs::service as orgs;

pub use shared::validate::Checks;

/// Serialises a list column.
pub fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}

/// Reads a list column (an unreadable one reads as empty).
pub fn from_json<T: serde::de::DeserializeOwned + Default>(json: &str) -> T {
    serde_json::from_str(json).unwrap_or_default()
}

/// The caller's role in the organisation named by `X-Org-Id`.
pub fn acting_member(conn: &mut DbConn, org_id: &str, user_id: &str) -> Result<MemberRole, ApiError> {
    orgs::acting_role(conn, org_id, org_id, user_id)
}

/// Whether the organisation may publish, bid and sign now: verified and not suspended.
pub fn standing(conn: &mut DbConn, org_id: &str) -> Result<Result<(), TransactRefusal>, ApiError> {
    let org = OrganisationRow::find(conn, org_id)?.ok_or_else(orgs::not_found)?;
    Ok(may_transact(org.verification_status, org.suspended_at.is_some()))
}

/// 403 unless the organisation may publish, bid and sign: verified and not suspended.
pub fn ensure_may_transact(conn: &mut DbConn, org_id: &str) -> Result<(), ApiError> {
    standing(conn, org_id)?.map_err(|refusal| Refusal::Standing(refusal).into())
}

impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> Self {
        let message = refusal.to_string();
        match (refusal.kind(), &refusal) {
            (_, Refusal::Standing(standing)) => {
                Self::new(ErrorCode::Forbidden, message).with_detail("X-Org-Id", standing.code())
            }
            (RefusalKind::Conflict, _) => Self::new(ErrorCode::Conflict, message),
            (RefusalKind::Forbidden, _) => Self::new(ErrorCode::Forbidden, message),
            (RefusalKind::NotFound, _) => Self::new(ErrorCode::NotFound, message),
            (RefusalKind::Field { field, issue }, _) => Self::field(field, issue, message),
            (RefusalKind::Internal, _) => Self::internal(message),
        }
    }
}

/// Checks that every file (already counted and deduplicated by the request's shared check) was
/// uploaded by `user_id`: `unknown_file` names each one that was not.
pub fn check_uploaded(
    conn: &mut DbConn,
    field: &str,
    files: &[String],
    user_id: &str,
) -> Result<(), ApiError> {
    let mut checks = Checks::default();
    for (i, sha) in files.iter().enumerate() {
        if !FileRow::uploaded_by(conn, sha, user_id)? {
            checks.issue(&format!("{field}[{i}]"), "unknown_file");
        }
    }
    Ok(checks.finish()?)
}

/// Attached files as the API shows them (downloads through `/files/{sha256}`).
pub fn attached(conn: &mut DbConn, files_json: &str) -> Result<Vec<AttachedFile>, ApiError> {
    let shas: Vec<String> = from_json(files_json);
    if shas.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::with_capacity(shas.len());
    for sha in shas {
        if let Some(row) = FileRow::find(conn, &sha)? {
            out.push(AttachedFile {
                download_path: format!("/files/{}", row.sha256),
                sha256: row.sha256,
                content_type: row.content_type,
                size: row.size,
            });
        }
    }
    Ok(out)
}

/// Splits a fetched `limit + 1` rows into the page and the next cursor.
pub fn page<T>(mut rows: Vec<T>, limit: i64, id: impl Fn(&T) -> String) -> (Vec<T>, Option<String>) {
    let limit = usize::try_from(limit).unwrap_or(0);
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next = if more { rows.last().map(id) } else { None };
    (rows, next)
}

/// The page size asked for (default 20).
pub fn limit(asked: Option<i64>) -> i64 {
    asked.unwrap_or(20).clamp(1, 100)
}

/// Whether `user_id` may download a file through what it is attached to: a published or closed
/// project or demand (any signed-in person), or any project or demand of an organisation the
/// person belongs to.
pub fn attachment_visible(conn: &mut DbConn, sha256: &str, user_id: &str) -> diesel::QueryResult<bool> {
    use diesel::prelude::*;

    use crate::db::schema::{demands, memberships, projects};
    // File ids are 64 hex characters, so a quoted substring match cannot hit another id.
    let pattern = format!("%\"{sha256}\"%");
    let mine =
        || memberships::table.filter(memberships::user_id.eq(user_id.to_owned())).select(memberships::org_id);
    let projects: i64 = projects::table
        .filter(projects::tender_files.like(pattern.clone()))
        .filter(projects::status.ne(ProjectStatus::Draft).or(projects::org_id.eq_any(mine())))
        .count()
        .get_result(conn)?;
    let demands: i64 = demands::table
        .filter(demands::files.like(pattern))
        .filter(
            demands::status
                .eq_any([DemandStatus::Published, DemandStatus::Closed])
                .or(demands::org_id.eq_any(mine())),
        )
        .count()
        .get_result(conn)?;
    Ok(projects + demands > 0)
}
