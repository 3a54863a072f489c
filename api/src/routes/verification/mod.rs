//! Real-name verification: `/orgs/{id}/verification` (submit, resubmit, read) and the reviewer's
//! `/staff/verifications` (queue, decision, audited reveal of the ID number).

pub mod service;

use poem::web::Data;
use poem_openapi::param::{Header, Path};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use shared::dto::*;
use shared::error::ErrorCode;
use shared::validate::Check;

use crate::auth::crypto::unseal;
use crate::auth::session::BearerAuth;
use crate::db::models::orgs::{MembershipRow, OrganisationRow};
use crate::db::models::verification::SubmissionRow;
use crate::db::now;
use crate::error::ApiError;
use crate::routes::ApiTags;
use crate::routes::staff::service::{self as staff, require_staff};
use crate::routes::{orgs::service as orgs, verification::service as verification};
use crate::state::AppState;

/// Verification submissions and review.
pub struct VerificationApi;

#[derive(ApiResponse)]
enum Submitted {
    /// Waiting for a reviewer.
    #[oai(status = 201)]
    Created(Json<VerificationView>, #[oai(header = "Location")] String),
}

const REVIEWERS: &[StaffRole] = &[StaffRole::Reviewer, StaffRole::Admin];

fn no_submission() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "no verification submission")
}

#[OpenApi(tag = "ApiTags::Verification")]
impl VerificationApi {
    /// Submit the organisation's verification (owners and admins), or resubmit after a
    /// rejection. 409 while one is pending or once verified.
    #[oai(path = "/orgs/:id/verification", method = "post", operation_id = "create_verification")]
    async fn submit(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        body: Json<SubmitVerificationRequest>,
    ) -> Result<Submitted, ApiError> {
        let (key, user_id) = (state.keys.encryption_key, auth.0.user_id);
        let view = state
            .write(move |c, _| {
                orgs::managing_role(c, &org.0, &id.0, &user_id)?;
                let organisation = OrganisationRow::find(c, &id.0)?.ok_or_else(orgs::not_found)?;
                match organisation.verification_status {
                    VerificationStatus::Pending => {
                        return Err(ApiError::new(ErrorCode::Conflict, "a submission is waiting for review"));
                    }
                    VerificationStatus::Verified => {
                        return Err(ApiError::new(
                            ErrorCode::Conflict,
                            "the organisation is verified already",
                        ));
                    }
                    VerificationStatus::Unverified | VerificationStatus::Rejected => {}
                }
                let at = now();
                let today = shared::domain::calendar::shanghai::business_date(at.and_utc());
                let (row, certificates) =
                    verification::build_submission(c, &key, &id.0, &user_id, &body, today, at)?;
                // Compare-and-set, so two submissions sent at once cannot both be pending.
                if !OrganisationRow::claim_pending(c, &id.0, at)? {
                    return Err(ApiError::new(ErrorCode::Conflict, "a submission is waiting for review"));
                }
                row.insert(c, &certificates)?;
                verification::view(c, row)
            })
            .await?;
        let location = format!("/api/v1/orgs/{}/verification", view.org_id);
        Ok(Submitted::Created(Json(view), location))
    }

    /// The organisation's verification status and latest submission (with the reviewer's reason
    /// and the masked ID number), for members acting with `X-Org-Id`.
    #[oai(path = "/orgs/:id/verification", method = "get", operation_id = "get_verification")]
    async fn latest(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Json<VerificationState>, ApiError> {
        let verification = state
            .db
            .run(move |c| {
                orgs::acting_role(c, &org.0, &id.0, &auth.0.user_id)?;
                let organisation = OrganisationRow::find(c, &id.0)?.ok_or_else(orgs::not_found)?;
                let latest = match SubmissionRow::latest_of(c, &id.0)? {
                    Some(row) => Some(verification::view(c, row)?),
                    None => None,
                };
                Ok::<_, ApiError>(VerificationState { status: organisation.verification_status, latest })
            })
            .await?;
        Ok(Json(verification))
    }

    /// The reviewer's queue: pending submissions, oldest first.
    #[oai(path = "/staff/verifications", method = "get", operation_id = "list_verification_queue")]
    async fn queue(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
    ) -> Result<Json<VerificationQueue>, ApiError> {
        let items = state
            .db
            .run(move |c| {
                let me = require_staff(c, &auth.0.user_id)?;
                if !me.holds_any(REVIEWERS) {
                    return Err(ApiError::new(ErrorCode::Forbidden, "reviewers only"));
                }
                SubmissionRow::with_status(c, VerificationStatus::Pending, 200)?
                    .into_iter()
                    .map(|row| verification::view(c, row))
                    .collect()
            })
            .await?;
        Ok(Json(VerificationQueue { items }))
    }

    /// Approve or reject a pending submission (a reason is required to reject). Audited.
    #[oai(path = "/staff/verifications/:id/decision", method = "post", operation_id = "decide_verification")]
    async fn decide(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<ReviewDecisionRequest>,
    ) -> Result<Json<VerificationView>, ApiError> {
        let reason = body.check()?;
        let view = state
            .write(move |c, _| {
                let me = require_staff(c, &auth.0.user_id)?;
                if !me.holds_any(REVIEWERS) {
                    return Err(ApiError::new(ErrorCode::Forbidden, "reviewers only"));
                }
                let row = SubmissionRow::find(c, &id.0)?.ok_or_else(no_submission)?;
                let involved = row.submitted_by == me.user_id
                    || MembershipRow::role_of(c, &row.org_id, &me.user_id)?.is_some();
                if involved {
                    return Err(ApiError::new(
                        ErrorCode::Forbidden,
                        "a reviewer may not decide a submission of their own organisation",
                    ));
                }
                let status = match body.decision {
                    ReviewOutcome::Approve => VerificationStatus::Verified,
                    ReviewOutcome::Reject => VerificationStatus::Rejected,
                };
                let at = now();
                if !SubmissionRow::decide(c, &row.id, status, &me.user_id, reason.as_deref(), at)? {
                    return Err(ApiError::new(ErrorCode::Conflict, "this submission has been decided already"));
                }
                // Only the status column: a suspension or profile edit made meanwhile stays.
                if !OrganisationRow::set_verification_status(c, &row.org_id, status, at)? {
                    return Err(orgs::not_found());
                }
                if status == VerificationStatus::Verified {
                    crate::routes::community::referrals::award_for_verified_org(c, &row.org_id, at)?;
                }
                let details = serde_json::json!({ "org_id": row.org_id, "decision": status.as_str(), "reason": reason });
                staff::audit(c, &me.user_id, "verification.decided", ("verification", &row.id), details, at)?;
                let row = SubmissionRow::find(c, &row.id)?.ok_or_else(no_submission)?;
                verification::view(c, row)
            })
            .await?;
        state.org_changed(&view.org_id).await;
        Ok(Json(view))
    }

    /// Reveal the legal representative's full ID number (reviewers; the reason is audited).
    #[oai(
        path = "/staff/verifications/:id/id-number-reveal",
        method = "post",
        operation_id = "reveal_verification_id_number"
    )]
    async fn reveal(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<RevealRequest>,
    ) -> Result<Json<RevealedIdNumber>, ApiError> {
        let reason = body.check()?;
        let key = state.keys.encryption_key;
        let id_number = state
            .write(move |c, _| {
                let me = require_staff(c, &auth.0.user_id)?;
                if !me.holds_any(REVIEWERS) {
                    return Err(ApiError::new(ErrorCode::Forbidden, "reviewers only"));
                }
                let row = SubmissionRow::find(c, &id.0)?.ok_or_else(no_submission)?;
                let plain = unseal(&key, &row.legal_rep_id_enc).map_err(ApiError::internal)?;
                let details = serde_json::json!({ "org_id": row.org_id, "reason": reason });
                staff::audit(
                    c,
                    &me.user_id,
                    "verification.id_number_revealed",
                    ("verification", &row.id),
                    details,
                    now(),
                )?;
                String::from_utf8(plain).map_err(ApiError::internal)
            })
            .await?;
        Ok(Json(RevealedIdNumber { id_number }))
    }
}
