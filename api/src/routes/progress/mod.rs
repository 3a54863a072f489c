//! `/contracts/{id}/progress-logs`: progress logs (进度跟踪). The performer posts what was done
//! (date, work, percent complete, photos, issues) on a contract in force; the payer approves or
//! requests changes with a comment (audited); the supervisor reads. Photos are the poster's own
//! JPEG/PNG/WebP uploads; their EXIF capture time and GPS position are read on attach and shown
//! in these views only, which only the parties and the supervisor can read. Rules:
//! `shared::domain::contract::progress`; the warnings: [`service::watch_contract`], run daily by
//! the `progress_watch` job.

pub mod service;

use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use shared::domain::contract::progress::may_post;
use shared::dto::*;
use shared::validate::Check;

use crate::auth::session::{BearerAuth, ClientInfo};
use crate::db::models::progress::ProgressLogRow;
use crate::error::ApiError;
use crate::routes::ApiTags;
use crate::state::AppState;
use service::{check_photos, log_not_found, schedule_view, view};

/// Progress logs.
pub struct ProgressApi;

#[derive(ApiResponse)]
enum Posted {
    /// The log; the payer and the supervisor are told.
    #[oai(status = 201)]
    Created(Json<ProgressLogView>, #[oai(header = "Location")] String),
}

#[OpenApi(tag = "ApiTags::Progress")]
impl ProgressApi {
    /// Post a progress log (the performer's members, contract in force): `{date, work_done
    /// (2–2000), percent (0–100), issues?, photos (≤ 9 own JPEG/PNG/WebP uploads), revises?}`.
    /// 422 `work_done`, `percent: out_of_range`, `photos: too_many`, `photos[i]: unknown_file |
    /// not_an_image`, `date: in_the_future | before_start`, `revises: unknown_log`; 403
    /// `progress: not_your_part` (payer, supervisor); 409 `progress: not_effective`, `revises:
    /// not_changes_requested | already_revised`; a non-party 404.
    #[oai(path = "/contracts/:id/progress-logs", method = "post", operation_id = "create_progress_log")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        body: Json<ProgressLogInput>,
    ) -> Result<Posted, ApiError> {
        let valid = body.check()?;
        let (cid, o, user, files) =
            (id.0.clone(), org.0.clone(), auth.0.user_id.clone(), state.files.clone());
        let shas = valid.4.clone();
        let photos = state
            .db
            .run(move |c| {
                // Who may post is said before anything about the photos.
                let (loaded, role, _) = crate::routes::contracts::readable(c, &cid, &o, &user)?;
                may_post(loaded.row.status, role, None)?;
                check_photos(c, files.as_ref(), &user, &shas)
            })
            .await?;
        let view = state
            .write(move |c, out| {
                let row = service::post(c, out, (&id.0, &org.0, &auth.0.user_id), valid, photos)?;
                view(c, &row)
            })
            .await?;
        let location = format!("/api/v1/contracts/{}/progress-logs/{}", view.contract_id, view.id);
        Ok(Posted::Created(Json(view), location))
    }

    /// The contract's progress logs, newest first, in pages of `limit` (≤ 100, default 20) by
    /// `cursor`, with where the work stands against the plan (parties and supervisor).
    #[oai(path = "/contracts/:id/progress-logs", method = "get", operation_id = "list_progress_logs")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        #[oai(validator(max_length = 40))] cursor: Query<Option<String>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
    ) -> Result<Json<ProgressLogPage>, ApiError> {
        let page = state
            .db
            .run(move |c| {
                let (loaded, ..) = crate::routes::contracts::readable(c, &id.0, &org.0, &auth.0.user_id)?;
                if let Some(cursor) = &cursor.0
                    && ProgressLogRow::find(c, &id.0, cursor)?.is_none()
                {
                    return Err(ApiError::field("cursor", "invalid", "not a cursor of this list"));
                }
                let limit = crate::market::limit(limit.0);
                let rows = ProgressLogRow::page(c, &id.0, cursor.0.as_deref(), limit + 1)?;
                let (rows, next_cursor) = crate::market::page(rows, limit, |r| r.id.clone());
                let items = rows.iter().map(|r| view(c, r)).collect::<Result<Vec<_>, _>>()?;
                Ok(ProgressLogPage { items, next_cursor, schedule: schedule_view(c, &loaded)? })
            })
            .await?;
        Ok(Json(page))
    }

    /// One progress log (parties and supervisor).
    #[oai(path = "/contracts/:id/progress-logs/:log_id", method = "get", operation_id = "get_progress_log")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        log_id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Json<ProgressLogView>, ApiError> {
        let view = state
            .db
            .run(move |c| {
                crate::routes::contracts::readable(c, &id.0, &org.0, &auth.0.user_id)?;
                let row = ProgressLogRow::find(c, &id.0, &log_id.0)?.ok_or_else(log_not_found)?;
                view(c, &row)
            })
            .await?;
        Ok(Json(view))
    }

    /// Review a submitted log (the payer's members): `{decision: approve | request_changes,
    /// comment (2–1000, required to request changes)}`; audited; the performer is told. 403
    /// `progress: not_your_part` (performer, supervisor); 409 `progress: already_reviewed`.
    #[oai(
        path = "/contracts/:id/progress-logs/:log_id/review",
        method = "post",
        operation_id = "review_progress_log"
    )]
    #[expect(clippy::too_many_arguments, reason = "the path, header and body of one endpoint")]
    async fn review(
        &self,
        state: Data<&AppState>,
        req: &poem::Request,
        auth: BearerAuth,
        id: Path<String>,
        log_id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        body: Json<ProgressReviewInput>,
    ) -> Result<Json<ProgressLogView>, ApiError> {
        let valid = body.check()?;
        let client = ClientInfo::from_request(req, state.config.trust_forwarded_for);
        let view = state
            .write(move |c, out| {
                let who = (id.0.as_str(), log_id.0.as_str(), org.0.as_str(), auth.0.user_id.as_str());
                let row = service::review(c, out, who, valid, client.ip.as_deref())?;
                view(c, &row)
            })
            .await?;
        Ok(Json(view))
    }
}
