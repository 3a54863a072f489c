//! `/staff/*`: the staff console's API — the caller's staff standing, dual-control requests
//! (requested by one staff member, executed only when a different one approves), and the audit
//! log with its chain check. Staff must have TOTP on.

pub mod calendar;
pub mod service;

use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use shared::dto::*;
use shared::error::ErrorCode;
use shared::validate::Check;

use crate::auth::session::BearerAuth;
use crate::db::models::audit;
use crate::db::models::jobs::JobRow;
use crate::db::models::staff::{DualControlRow, StaffRoleRow};
use crate::db::models::users::User;
use crate::db::{new_id, now, write_tx};
use crate::error::ApiError;
use crate::routes::ApiTags;
use crate::routes::staff::service::{self as staff, require_staff};
use crate::state::AppState;

/// Staff console operations.
pub struct StaffApi;

#[derive(ApiResponse)]
enum RequestCreated {
    /// Waiting for a second staff member.
    #[oai(status = 201)]
    Created(Json<StaffRequest>, #[oai(header = "Location")] String),
}

fn not_allowed() -> ApiError {
    ApiError::new(ErrorCode::Forbidden, "your staff role may not request or decide this action")
}

#[OpenApi(prefix_path = "/staff", tag = "ApiTags::Staff")]
impl StaffApi {
    /// The caller's staff roles (empty for non-staff) and whether TOTP is on.
    #[oai(path = "/me", method = "get", operation_id = "get_staff_profile")]
    async fn me(&self, state: Data<&AppState>, auth: BearerAuth) -> Result<Json<StaffProfile>, ApiError> {
        let id = auth.0.user_id;
        let (roles, totp_enabled) = state
            .db
            .run(move |c| {
                let roles = StaffRoleRow::roles_of(c, &id)?;
                let totp = User::find_active(c, &id)?.is_some_and(|u| u.totp_enabled);
                Ok::<_, ApiError>((roles, totp))
            })
            .await?;
        Ok(Json(StaffProfile { roles, totp_enabled }))
    }

    /// Ask for a dual-control action (role grant or revocation, suspension or lifting it).
    #[oai(path = "/requests", method = "post", operation_id = "create_staff_request")]
    async fn request(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Json<CreateStaffRequest>,
    ) -> Result<RequestCreated, ApiError> {
        let reason = body.check()?;
        let user_id = auth.0.user_id;
        let row = state
            .db
            .run(move |c| {
                write_tx(c, |c| {
                    let me = require_staff(c, &user_id)?;
                    if !me.holds_any(body.action.allowed_roles()) {
                        return Err(not_allowed());
                    }
                    let at = now();
                    let row = DualControlRow {
                        id: new_id(),
                        action: body.action,
                        target_user_id: body.target_user_id.clone(),
                        target_org_id: body.org_id.clone(),
                        role: body.role,
                        reason,
                        requested_by: me.user_id.clone(),
                        requested_at: at,
                        status: StaffRequestStatus::Pending,
                        decided_by: None,
                        decided_at: None,
                        decision_reason: None,
                        target_contract_id: body.contract_id.clone(),
                        milestone: body.milestone.and_then(|m| i32::try_from(m).ok()),
                        credit_grade: body.grade.map(|g| g.as_str().to_owned()),
                    };
                    staff::check_request(c, &row)?;
                    row.insert(c)?;
                    let details = serde_json::json!({ "action": row.action, "reason": row.reason, "org_id": row.target_org_id, "grade": row.credit_grade });
                    staff::audit(
                        c,
                        &me.user_id,
                        "staff.request_created",
                        ("staff_request", &row.id),
                        details,
                        at,
                    )?;
                    Ok(row)
                })
            })
            .await?;
        let location = format!("/api/v1/staff/requests/{}", row.id);
        Ok(RequestCreated::Created(Json(staff::request_dto(row)), location))
    }

    /// The dual-control inbox (default: pending requests).
    #[oai(path = "/requests", method = "get", operation_id = "list_staff_requests")]
    async fn inbox(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        status: Query<Option<StaffRequestStatus>>,
    ) -> Result<Json<StaffRequestList>, ApiError> {
        let status = status.0.unwrap_or(StaffRequestStatus::Pending);
        let rows = state
            .db
            .run(move |c| {
                require_staff(c, &auth.0.user_id)?;
                DualControlRow::list(c, Some(status)).map_err(ApiError::from)
            })
            .await?;
        Ok(Json(StaffRequestList { items: rows.into_iter().map(staff::request_dto).collect() }))
    }

    /// Approve and carry out a request. The approver must be a different staff member from the
    /// requester and hold a role allowed for the action.
    #[oai(path = "/requests/:id/approval", method = "post", operation_id = "approve_staff_request")]
    async fn approve(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<StaffDecisionRequest>,
    ) -> Result<Json<StaffRequest>, ApiError> {
        let reason = body.check_decision(true)?;
        self.decide(state, auth, id.0, reason, true).await
    }

    /// Turn a request down (a reason is required). The requester may withdraw their own.
    #[oai(path = "/requests/:id/rejection", method = "post", operation_id = "reject_staff_request")]
    async fn reject(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<StaffDecisionRequest>,
    ) -> Result<Json<StaffRequest>, ApiError> {
        let reason = body.check_decision(false)?;
        self.decide(state, auth, id.0, reason, false).await
    }

    /// Background jobs by status (default `parked`: the ones that failed too often and wait
    /// for staff), oldest first. Operators and admins.
    #[oai(path = "/jobs", method = "get", operation_id = "list_jobs")]
    async fn jobs(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        status: Query<Option<JobStatus>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
        #[oai(validator(max_length = 64))] cursor: Query<Option<String>>,
    ) -> Result<Json<JobPage>, ApiError> {
        let status = status.0.unwrap_or(JobStatus::Parked);
        let limit = crate::market::limit(limit.0);
        state
            .db
            .run(move |c| {
                let staff = require_staff(c, &auth.0.user_id)?;
                if !staff.holds_any(&[StaffRole::Operator, StaffRole::Admin]) {
                    return Err(not_allowed());
                }
                let rows = JobRow::page(c, status, cursor.0.as_deref(), limit + 1)?;
                let (rows, next_cursor) = crate::market::page(rows, limit, |r| r.id.clone());
                let items = rows.into_iter().map(job_view).collect();
                Ok(Json(JobPage { items, next_cursor }))
            })
            .await
    }

    /// Give a parked job another go now (its attempts start again). Operators and admins;
    /// audited. 409 when the job is not parked.
    #[oai(path = "/jobs/:id/retry", method = "post", operation_id = "create_job_retry")]
    async fn retry_job(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
    ) -> Result<Json<JobView>, ApiError> {
        let view = state
            .db
            .run(move |c| {
                write_tx(c, |c| {
                    let staff = require_staff(c, &auth.0.user_id)?;
                    if !staff.holds_any(&[StaffRole::Operator, StaffRole::Admin]) {
                        return Err(not_allowed());
                    }
                    let job = JobRow::find(c, &id.0)?
                        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such job"))?;
                    let at = now();
                    if !JobRow::retry_parked(c, &job.id, at)? {
                        return Err(ApiError::new(ErrorCode::Conflict, "only a parked job can be retried"));
                    }
                    staff::audit(
                        c,
                        &staff.user_id,
                        "job.retried",
                        ("job", &job.id),
                        serde_json::json!({"kind": job.kind}),
                        at,
                    )?;
                    let job = JobRow::find(c, &job.id)?
                        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such job"))?;
                    Ok(job_view(job))
                })
            })
            .await?;
        state.jobs.wake();
        Ok(Json(view))
    }

    /// The audit log, newest first (`cursor` = the last `seq` seen).
    #[oai(path = "/audit", method = "get", operation_id = "list_audit_entries")]
    async fn audit_log(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
        cursor: Query<Option<i64>>,
    ) -> Result<Json<AuditPage>, ApiError> {
        let limit = limit.0.unwrap_or(50);
        let rows = state
            .db
            .run(move |c| {
                require_staff(c, &auth.0.user_id)?;
                audit::page(c, cursor.0, limit + 1).map_err(ApiError::from)
            })
            .await?;
        let more = rows.len() as i64 > limit;
        let items: Vec<AuditRecord> = rows
            .into_iter()
            .take(limit as usize)
            .map(|e| AuditRecord {
                seq: e.seq,
                id: e.id,
                at: e.at.and_utc(),
                actor_user_id: e.actor_user_id,
                actor_label: e.actor_label,
                action: e.action,
                subject_type: e.subject_type,
                subject_id: e.subject_id,
                details: e.details,
                ip: e.ip,
                hash: e.hash,
            })
            .collect();
        let next_cursor = if more { items.last().map(|e| e.seq.to_string()) } else { None };
        Ok(Json(AuditPage { items, next_cursor }))
    }

    /// Check the whole audit hash chain and name the first broken entry.
    #[oai(path = "/audit/verification", method = "post", operation_id = "verify_audit_chain")]
    async fn verify_chain(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
    ) -> Result<Json<AuditChainReport>, ApiError> {
        let report = state
            .db
            .run(move |c| {
                require_staff(c, &auth.0.user_id)?;
                audit::verify(c).map_err(ApiError::from)
            })
            .await?;
        let broken = report.first_break;
        Ok(Json(AuditChainReport {
            entries: report.entries,
            intact: broken.is_none(),
            broken_seq: broken.as_ref().map(|b| b.seq),
            broken_id: broken.as_ref().and_then(|b| b.id.clone()),
            problem: broken.map(|b| b.problem),
        }))
    }
}

impl StaffApi {
    async fn decide(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: String,
        reason: Option<String>,
        approve: bool,
    ) -> Result<Json<StaffRequest>, ApiError> {
        let user_id = auth.0.user_id;
        let credit = crate::routes::credit::config(&state);
        let row = state
            .write(move |c, out| {
                let me = require_staff(c, &user_id)?;
                let row = DualControlRow::find(c, &id)?
                    .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such request"))?;
                let action = row.action;
                let withdrawing = !approve && row.requested_by == me.user_id;
                if !withdrawing && !me.holds_any(action.allowed_roles()) {
                    return Err(not_allowed());
                }
                if approve && row.requested_by == me.user_id {
                    return Err(ApiError::new(
                        ErrorCode::Forbidden,
                        "a different staff member must approve this request",
                    ));
                }
                let at = now();
                let status =
                    if approve { StaffRequestStatus::Executed } else { StaffRequestStatus::Rejected };
                if !DualControlRow::decide(c, &row.id, status, &me.user_id, reason.as_deref(), at)? {
                    return Err(ApiError::new(ErrorCode::Conflict, "this request has been decided already"));
                }
                if approve {
                    staff::execute(c, out, &row, &me.user_id, at, &credit)?;
                }
                let details = serde_json::json!({
                    "action": row.action, "target_user_id": row.target_user_id, "org_id": row.target_org_id,
                    "role": row.role, "requested_by": row.requested_by, "reason": reason,
                    "contract_id": row.target_contract_id, "milestone": row.milestone,
                    "grade": row.credit_grade,
                });
                let audit_action = if approve { "staff.request_executed" } else { "staff.request_rejected" };
                staff::audit(c, &me.user_id, audit_action, ("staff_request", &row.id), details, at)?;
                DualControlRow::find(c, &row.id)?.ok_or_else(|| ApiError::internal("request vanished"))
            })
            .await?;
        if let Some(org_id) =
            row.target_org_id.as_deref().filter(|_| row.status == StaffRequestStatus::Executed)
        {
            state.org_changed(org_id).await;
        }
        Ok(Json(staff::request_dto(row)))
    }
}

/// A job row as staff see it (its status column is typed: a bad stored value fails the read).
fn job_view(row: JobRow) -> JobView {
    JobView {
        id: row.id,
        kind: row.kind,
        status: row.status,
        run_at: row.run_at.and_utc(),
        attempts: row.attempts,
        last_error: row.last_error,
        created_at: row.created_at.and_utc(),
        finished_at: row.finished_at.map(|t| t.and_utc()),
    }
}
