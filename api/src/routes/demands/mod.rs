//! `/demands`, `/orgs/{id}/demands`, `/demand-invitations`, `/staff/demand-reviews`: the demand
//! library, its platform review, matching on publication, and invitations with their answers.

pub mod matching;
pub mod service;

use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use shared::domain::calendar::shanghai::business_date;
use shared::domain::market::Refusal;
use shared::domain::market::demand::{self as lifecycle, DemandActor, DemandEvent};
use shared::domain::notices::market::MarketNotice;
use shared::dto::*;
use shared::error::ErrorCode;
use shared::validate::Check;

use crate::auth::session::{BearerAuth, optional_user};
use crate::calendar::CalendarCache;
use crate::db::models::demands::{DemandInvitationRow, DemandRow, DemandScope, RecommendationRow};
use crate::db::models::orgs::MembershipRow;
use crate::db::{DbConn, now};
use crate::error::ApiError;
use crate::market::{self, acting_member, check_uploaded, ensure_may_transact};
use crate::routes::ApiTags;
use crate::routes::demands::service::{self as demands, not_found};
use crate::routes::notifications::notify::Notice;
use crate::state::AppState;

/// The demand library.
pub struct DemandsApi;

#[derive(ApiResponse)]
enum DemandCreated {
    /// Created as a draft.
    #[oai(status = 201)]
    Created(Json<DemandView>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
enum InvitationCreated {
    /// Invited; its members are notified.
    #[oai(status = 201)]
    Created(Json<DemandInvitation>, #[oai(header = "Location")] String),
}

fn owned(conn: &mut DbConn, id: &str, org: &str, user: &str) -> Result<(DemandRow, String), ApiError> {
    acting_member(conn, org, user)?;
    let (row, name) = DemandRow::find(conn, id)?.ok_or_else(not_found)?;
    if row.org_id != org {
        return Err(not_found());
    }
    Ok((row, name))
}

/// The API view of a demand with the calendar as the database has it now.
fn view(
    conn: &mut DbConn,
    row: DemandRow,
    name: String,
    calendar: &CalendarCache,
) -> Result<DemandView, ApiError> {
    let calendar = calendar.current(conn)?;
    demands::dto(conn, row, name, &calendar)
}

fn visible(row: &DemandRow) -> bool {
    matches!(row.status, DemandStatus::Published | DemandStatus::Closed)
}

fn page_of(
    conn: &mut DbConn,
    scope: DemandScope<'_>,
    cursor: Option<&str>,
    limit: i64,
    calendar: &CalendarCache,
) -> Result<DemandPage, ApiError> {
    let rows = DemandRow::page(conn, scope, cursor, limit + 1)?;
    let (rows, next_cursor) = market::page(rows, limit, |(r, _)| r.id.clone());
    let calendar = calendar.current(conn)?;
    let items =
        rows.into_iter().map(|(r, n)| demands::dto(conn, r, n, &calendar)).collect::<Result<_, _>>()?;
    Ok(DemandPage { items, next_cursor })
}

#[OpenApi(tag = "ApiTags::Demands")]
impl DemandsApi {
    /// Create a demand (a draft) for the organisation in `X-Org-Id`. Verified, unsuspended
    /// organisations only.
    #[oai(path = "/demands", method = "post", operation_id = "create_demand")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        body: Json<CreateDemandRequest>,
    ) -> Result<DemandCreated, ApiError> {
        let calendar = state.calendar.clone();
        let user = auth.0.user_id;
        let demand = state
            .write(move |c, _| {
                acting_member(c, &org.0, &user)?;
                ensure_may_transact(c, &org.0)?;
                demands::check_project(c, body.project_id.as_deref(), &org.0)?;
                let at = now();
                let fields = body.check_on(business_date(at.and_utc()))?;
                check_uploaded(c, "files", &fields.files, &user)?;
                let row = demands::draft(&org.0, &user, &body, fields, at);
                row.insert(c)?;
                let (row, name) = DemandRow::find(c, &row.id)?.ok_or_else(not_found)?;
                view(c, row, name, &calendar)
            })
            .await?;
        let location = format!("/api/v1/demands/{}", demand.id);
        Ok(DemandCreated::Created(Json(demand), location))
    }

    /// Published and closed demands, newest first.
    #[oai(path = "/demands", method = "get", operation_id = "list_demands")]
    async fn list(
        &self,
        state: Data<&AppState>,
        #[oai(validator(max_length = 64))] category: Query<Option<String>>,
        kind: Query<Option<DemandKind>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
        #[oai(validator(max_length = 64))] cursor: Query<Option<String>>,
    ) -> Result<Json<DemandPage>, ApiError> {
        let calendar = state.calendar.clone();
        let limit = market::limit(limit.0);
        let page = state
            .db
            .run(move |c| {
                let scope = DemandScope::Public { category: category.0.as_deref(), kind: kind.0 };
                page_of(c, scope, cursor.0.as_deref(), limit, &calendar)
            })
            .await?;
        Ok(Json(page))
    }

    /// Every demand of an organisation, drafts and reviews included (its members).
    #[oai(path = "/orgs/:id/demands", method = "get", operation_id = "list_organisation_demands")]
    async fn list_own(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
        #[oai(validator(max_length = 64))] cursor: Query<Option<String>>,
    ) -> Result<Json<DemandPage>, ApiError> {
        let calendar = state.calendar.clone();
        let limit = market::limit(limit.0);
        let page = state
            .db
            .run(move |c| {
                crate::routes::orgs::service::acting_role(c, &org.0, &id.0, &auth.0.user_id)?;
                page_of(c, DemandScope::Organisation(&id.0), cursor.0.as_deref(), limit, &calendar)
            })
            .await?;
        Ok(Json(page))
    }

    /// One demand: public when published or closed; otherwise only its organisation's members
    /// (bearer token and `X-Org-Id`) and platform operators.
    #[oai(path = "/demands/:id", method = "get", operation_id = "get_demand")]
    async fn get(
        &self,
        state: Data<&AppState>,
        req: &poem::Request,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<Option<String>>,
    ) -> Result<Json<DemandView>, ApiError> {
        let calendar = state.calendar.clone();
        let user = optional_user(req).await?;
        let demand = state
            .db
            .run(move |c| {
                let (row, name) = DemandRow::find(c, &id.0)?.ok_or_else(not_found)?;
                let allowed = visible(&row)
                    || match (user, org.0) {
                        (Some(user), Some(org)) if org == row.org_id => {
                            acting_member(c, &org, &user.user_id).is_ok()
                        }
                        (Some(user), None) => is_operator(c, &user.user_id),
                        _ => false,
                    };
                if !allowed {
                    return Err(not_found());
                }
                view(c, row, name, &calendar)
            })
            .await?;
        Ok(Json(demand))
    }

    /// Change a draft or rejected demand (its organisation's members).
    #[oai(path = "/demands/:id", method = "patch", operation_id = "update_demand")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        body: Json<UpdateDemandRequest>,
    ) -> Result<Json<DemandView>, ApiError> {
        let calendar = state.calendar.clone();
        let user = auth.0.user_id;
        let demand = state
            .write(move |c, _| {
                let (mut row, name) = owned(c, &id.0, &org.0, &user)?;
                let at = now();
                lifecycle::transition(row.status, DemandEvent::Edit, DemandActor::Poster, at.and_utc())?;
                let fields = body.apply(demands::fields(&row), business_date(at.and_utc()))?;
                if body.files.is_some() {
                    check_uploaded(c, "files", &fields.files, &user)?;
                }
                demands::write(&mut row, fields);
                row.updated_at = at;
                row.save(c)?;
                view(c, row, name, &calendar)
            })
            .await?;
        Ok(Json(demand))
    }

    /// Submit a draft or rejected demand. Certified and VIP organisations publish at once
    /// (matching runs and the best 3–5 organisations are invited); others wait for platform
    /// review, due within two business days (`review_due_at`).
    #[oai(path = "/demands/:id/submission", method = "post", operation_id = "create_demand_submission")]
    async fn submit(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Json<DemandView>, ApiError> {
        let calendar = state.calendar.clone();
        let (user, pool) = (auth.0.user_id, state.candidates.clone());
        let (demand, invited) = state
            .write(move |c, out| {
                let (mut row, name) = owned(c, &id.0, &org.0, &user)?;
                let (tier, standing) = (demands::tier(c, &org.0)?, market::standing(c, &org.0)?);
                let (business, at) = (calendar.current(c)?, now());
                let event =
                    DemandEvent::Submit { tier, standing, deadline: row.deadline, calendar: &business };
                let step = lifecycle::transition(row.status, event, DemandActor::Poster, at.and_utc())?;
                let before = row.status;
                row.submitted_at = Some(at);
                row.rejection_reason = None;
                row.review_due_at = None;
                let invited = demands::apply(c, &mut row, step, at, &pool, out)?;
                if !row.save_if_status(c, before)? {
                    return Err(Refusal::DemandSubmittedAlready.into());
                }
                Ok((view(c, row, name, &calendar)?, invited))
            })
            .await?;
        record_invited(&state, invited);
        Ok(Json(demand))
    }

    /// Close a published demand: no more invitations or answers.
    #[oai(path = "/demands/:id/closure", method = "post", operation_id = "create_demand_closure")]
    async fn close(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Json<DemandView>, ApiError> {
        let calendar = state.calendar.clone();
        let (user, pool) = (auth.0.user_id, state.candidates.clone());
        let demand = state
            .write(move |c, out| {
                let (mut row, name) = owned(c, &id.0, &org.0, &user)?;
                let at = now();
                let step =
                    lifecycle::transition(row.status, DemandEvent::Close, DemandActor::Poster, at.and_utc())?;
                demands::apply(c, &mut row, step, at, &pool, out)?;
                row.save(c)?;
                view(c, row, name, &calendar)
            })
            .await?;
        Ok(Json(demand))
    }

    /// The ranked organisations for a published demand with each factor and the reason, and
    /// how many candidates each hard constraint excluded (the poster's members only).
    #[oai(
        path = "/demands/:id/recommendations",
        method = "get",
        operation_id = "list_demand_recommendations"
    )]
    async fn recommendations(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Json<DemandRecommendations>, ApiError> {
        let list = state
            .db
            .run(move |c| {
                let (row, _) = owned(c, &id.0, &org.0, &auth.0.user_id)?;
                demands::recommendations(c, &row)
            })
            .await?;
        Ok(Json(list))
    }

    /// Invite one more organisation from the ranked list (the poster's members; 403 while the
    /// poster is suspended).
    #[oai(path = "/demands/:id/invitations", method = "post", operation_id = "create_demand_invitation")]
    async fn invite(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        body: Json<InviteToDemandRequest>,
    ) -> Result<InvitationCreated, ApiError> {
        let user = auth.0.user_id;
        let invitation = state
            .write(move |c, out| {
                let (row, _) = owned(c, &id.0, &org.0, &user)?;
                ensure_may_transact(c, &org.0)?;
                let recommendation = RecommendationRow::find(c, &row.id, &body.org_id)?;
                let invited_already =
                    DemandInvitationRow::of_demand(c, &row.id)?.iter().any(|(i, ..)| i.org_id == body.org_id);
                lifecycle::may_invite(row.status, recommendation.is_some(), invited_already)?;
                let recommendation = recommendation.ok_or(Refusal::NotRecommended)?;
                out.extend(demands::invite(c, &row, &recommendation)?);
                let created = DemandInvitationRow::of_demand(c, &row.id)?
                    .into_iter()
                    .find(|(i, ..)| i.org_id == body.org_id)
                    .ok_or_else(|| ApiError::internal("invitation vanished"))?;
                Ok(demands::invitation_dto(created))
            })
            .await?;
        state.candidates.record_invitation(&invitation.org_id, false);
        let location = format!("/api/v1/demand-invitations/{}", invitation.id);
        Ok(InvitationCreated::Created(Json(invitation), location))
    }

    /// A demand's invitations with the answers (the poster's members).
    #[oai(path = "/demands/:id/invitations", method = "get", operation_id = "list_demand_invitations")]
    async fn invitations(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Json<DemandInvitationPage>, ApiError> {
        let page = state
            .db
            .run(move |c| {
                let (row, _) = owned(c, &id.0, &org.0, &auth.0.user_id)?;
                let items = DemandInvitationRow::of_demand(c, &row.id)?
                    .into_iter()
                    .map(demands::invitation_dto)
                    .collect();
                Ok::<_, ApiError>(DemandInvitationPage { items, next_cursor: None })
            })
            .await?;
        Ok(Json(page))
    }

    /// Invitations the organisation in `X-Org-Id` received, newest first.
    #[oai(path = "/demand-invitations", method = "get", operation_id = "list_received_demand_invitations")]
    async fn received(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
        #[oai(validator(max_length = 64))] cursor: Query<Option<String>>,
    ) -> Result<Json<DemandInvitationPage>, ApiError> {
        let limit = market::limit(limit.0);
        let page = state
            .db
            .run(move |c| {
                acting_member(c, &org.0, &auth.0.user_id)?;
                let rows = DemandInvitationRow::received(c, &org.0, cursor.0.as_deref(), limit + 1)?;
                let (rows, next_cursor) = market::page(rows, limit, |(r, ..)| r.id.clone());
                Ok::<_, ApiError>(DemandInvitationPage {
                    items: rows.into_iter().map(demands::invitation_dto).collect(),
                    next_cursor,
                })
            })
            .await?;
        Ok(Json(page))
    }

    /// Answer an invitation: `interested` or `declined`, with an optional note (the invited
    /// organisation's members; an answer is final; 403 while that organisation is suspended).
    /// The poster is notified.
    #[oai(
        path = "/demand-invitations/:id/answer",
        method = "post",
        operation_id = "create_demand_invitation_answer"
    )]
    async fn answer(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        body: Json<AnswerDemandInvitationRequest>,
    ) -> Result<Json<DemandInvitation>, ApiError> {
        let note = body.check()?;
        let (user, answer) = (auth.0.user_id, body.answer);
        let invitation = state
            .write(move |c, out| {
                acting_member(c, &org.0, &user)?;
                let (row, title, poster_id, ..) = demands::received_invitation(c, &id.0, &org.0)?;
                ensure_may_transact(c, &org.0)?;
                let (demand, _) = DemandRow::find(c, &row.demand_id)?.ok_or_else(not_found)?;
                lifecycle::may_answer(demand.status, row.answer)?;
                if !DemandInvitationRow::answer(c, &row.id, answer, note.as_deref(), &user, now())? {
                    return Err(Refusal::InvitationAnsweredAlready.into());
                }
                let answered = demands::received_invitation(c, &row.id, &org.0)?;
                let message = MarketNotice::InvitationAnswered {
                    org_name: answered.4.clone(),
                    title,
                    interested: answer == InvitationAnswer::Interested,
                    note,
                };
                let link = format!("/demands/{}", row.demand_id);
                out.to_org(c, &poster_id, &Notice::new(&message, link, Some(&poster_id)))?;
                Ok(demands::invitation_dto(answered))
            })
            .await?;
        state.candidates.record_invitation(&invitation.org_id, true);
        Ok(Json(invitation))
    }

    /// The platform review queue: demands waiting for review, oldest first (operators).
    #[oai(path = "/staff/demand-reviews", method = "get", operation_id = "list_demand_reviews")]
    async fn review_queue(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
        #[oai(validator(max_length = 64))] cursor: Query<Option<String>>,
    ) -> Result<Json<DemandPage>, ApiError> {
        let calendar = state.calendar.clone();
        let limit = market::limit(limit.0);
        let page = state
            .db
            .run(move |c| {
                require_operator(c, &auth.0.user_id)?;
                page_of(c, DemandScope::ReviewQueue, cursor.0.as_deref(), limit, &calendar)
            })
            .await?;
        Ok(Json(page))
    }

    /// Approve (publish, with matching and invitations) or reject (reason required) a demand
    /// waiting for review (operators; not their own organisation's). The poster is notified.
    #[oai(path = "/staff/demand-reviews/:id", method = "post", operation_id = "create_demand_review")]
    async fn review(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<DemandReviewDecision>,
    ) -> Result<Json<DemandView>, ApiError> {
        let calendar = state.calendar.clone();
        let reason = body.check()?;
        let (user, pool, approve) = (auth.0.user_id, state.candidates.clone(), body.approve);
        let (demand, invited) = state
            .write(move |c, out| {
                require_operator(c, &user)?;
                let (mut row, name) = DemandRow::find(c, &id.0)?.ok_or_else(not_found)?;
                let member_of_poster = MembershipRow::role_of(c, &row.org_id, &user)?.is_some();
                let actor = DemandActor::Operator { member_of_poster };
                let at = now();
                let step =
                    lifecycle::transition(row.status, DemandEvent::Review { approve }, actor, at.and_utc())?;
                row.reviewed_by = Some(user.clone());
                row.reviewed_at = Some(at);
                if !approve {
                    row.rejection_reason = reason.clone();
                }
                let invited = demands::apply(c, &mut row, step, at, &pool, out)?;
                if !row.save_if_status(c, DemandStatus::PendingReview)? {
                    return Err(Refusal::DemandReviewedAlready.into());
                }
                demands::audit_review(c, &user, &row, approve, reason.as_deref(), at)?;
                let message =
                    MarketNotice::DemandReviewed { title: row.title.clone(), approved: approve, reason };
                let notice = Notice::new(&message, format!("/demands/{}", row.id), Some(&row.org_id));
                out.to_org(c, &row.org_id, &notice)?;
                Ok((view(c, row, name, &calendar)?, invited))
            })
            .await?;
        record_invited(&state, invited);
        Ok(Json(demand))
    }
}

/// Counts the invitations a publication sent in the candidate pool (after the commit).
fn record_invited(state: &AppState, invited: Vec<String>) {
    for org in invited {
        state.candidates.record_invitation(&org, false);
    }
}

fn is_operator(conn: &mut DbConn, user: &str) -> bool {
    require_operator(conn, user).is_ok()
}

/// Operators (and staff admins) review demands.
fn require_operator(conn: &mut DbConn, user: &str) -> Result<(), ApiError> {
    let staff = crate::routes::staff::service::require_staff(conn, user)?;
    if staff.holds_any(&[StaffRole::Operator, StaffRole::Admin]) {
        Ok(())
    } else {
        Err(ApiError::new(ErrorCode::Forbidden, "platform operators only"))
    }
}
