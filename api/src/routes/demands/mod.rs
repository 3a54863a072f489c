//! `/demands`, `/orgs/{id}/demands`, `/demand-invitations`, `/staff/demand-reviews`: the demand
//! library, its platform review, matching on publication, and invitations with their answers.

pub mod matching;
pub mod service;

use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use shared::domain::membership::MembershipTier;
use shared::dto::*;
use shared::error::ErrorCode;

use crate::auth::session::{BearerAuth, optional_user};
use crate::calendar::CalendarCache;
use crate::db::models::demands::{DemandInvitationRow, DemandRow, DemandScope, RecommendationRow};
use crate::db::models::orgs::OrganisationRow;
use crate::db::{DbConn, new_id, now, write_tx};
use crate::error::ApiError;
use crate::market::{self, acting_member, ensure_may_transact, wrong_state};
use crate::routes::ApiTags;
use crate::routes::demands::service::{self as demands, not_found, status};
use crate::routes::notifications::notify::{self, Notice};
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
    matches!(status(row), DemandStatus::Published | DemandStatus::Closed)
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
            .db
            .run(move |c| {
                write_tx(c, |c| {
                    acting_member(c, &org.0, &user)?;
                    ensure_may_transact(c, &org.0)?;
                    demands::check_project(c, body.project_id.as_deref(), &org.0)?;
                    let at = now();
                    let mut row = DemandRow {
                        id: new_id(),
                        org_id: org.0.clone(),
                        kind: body.kind.as_str().into(),
                        title: String::new(),
                        category: String::new(),
                        scope: String::new(),
                        quantity: None,
                        budget_min_fen: 0,
                        budget_max_fen: 0,
                        region_code: String::new(),
                        required_qualifications: "[]".into(),
                        deadline: body.deadline,
                        files: "[]".into(),
                        project_id: body.project_id.clone(),
                        status: DemandStatus::Draft.as_str().into(),
                        submitted_at: None,
                        review_due_at: None,
                        reviewed_by: None,
                        reviewed_at: None,
                        rejection_reason: None,
                        published_at: None,
                        match_summary: None,
                        created_by: user.clone(),
                        created_at: at,
                        updated_at: at,
                    };
                    demands::update_row(c, &mut row, &demands::as_update(&body), &user, at.and_utc())?;
                    row.insert(c)?;
                    let (row, name) = DemandRow::find(c, &row.id)?.ok_or_else(not_found)?;
                    view(c, row, name, &calendar)
                })
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
                let scope = DemandScope::Public {
                    category: category.0.as_deref(),
                    kind: kind.0.map(DemandKind::as_str),
                };
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
            .db
            .run(move |c| {
                write_tx(c, |c| {
                    let (mut row, name) = owned(c, &id.0, &org.0, &user)?;
                    if !status(&row).editable() {
                        return Err(wrong_state("only a draft or rejected demand can be changed"));
                    }
                    let at = now();
                    demands::update_row(c, &mut row, &body, &user, at.and_utc())?;
                    row.updated_at = at;
                    row.save(c)?;
                    view(c, row, name, &calendar)
                })
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
        let (demand, published) = state
            .db
            .run(move |c| {
                write_tx(c, |c| {
                    let (mut row, name) = owned(c, &id.0, &org.0, &user)?;
                    let before = row.status.clone();
                    if !status(&row).editable() {
                        return Err(wrong_state("only a draft or rejected demand can be submitted"));
                    }
                    ensure_may_transact(c, &org.0)?;
                    if row.deadline <= shared::domain::calendar::shanghai::business_date(now().and_utc()) {
                        return Err(ApiError::field("deadline", "not_in_future", "the deadline has passed"));
                    }
                    let poster = OrganisationRow::find(c, &org.0)?
                        .ok_or_else(crate::routes::orgs::service::not_found)?;
                    let tier = serde_json::from_value::<MembershipTier>(serde_json::Value::String(
                        poster.membership_tier,
                    ))
                    .unwrap_or(MembershipTier::New);
                    let at = now();
                    row.submitted_at = Some(at);
                    row.rejection_reason = None;
                    let published = if tier.publishes_without_review() {
                        row.review_due_at = None;
                        Some(demands::publish(c, &mut row, &pool)?)
                    } else {
                        row.status = DemandStatus::PendingReview.as_str().into();
                        let due = demands::review_due(&*calendar.current(c)?, at.and_utc())?;
                        row.review_due_at = Some(due.value.naive_utc());
                        row.updated_at = at;
                        None
                    };
                    if !row.save_if_status(c, &before)? {
                        return Err(wrong_state("the demand was submitted already"));
                    }
                    Ok((view(c, row, name, &calendar)?, published))
                })
            })
            .await?;
        self.after_publication(&state, published);
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
        let user = auth.0.user_id;
        let demand = state
            .db
            .run(move |c| {
                write_tx(c, |c| {
                    let (mut row, name) = owned(c, &id.0, &org.0, &user)?;
                    if status(&row) != DemandStatus::Published {
                        return Err(wrong_state("only a published demand can be closed"));
                    }
                    row.status = DemandStatus::Closed.as_str().into();
                    row.updated_at = now();
                    row.save(c)?;
                    view(c, row, name, &calendar)
                })
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
        let (invitation, sent) = state
            .db
            .run(move |c| {
                write_tx(c, |c| {
                    let (row, _) = owned(c, &id.0, &org.0, &user)?;
                    ensure_may_transact(c, &org.0)?;
                    if status(&row) != DemandStatus::Published {
                        return Err(wrong_state("only a published demand takes invitations"));
                    }
                    let recommendation =
                        RecommendationRow::find(c, &row.id, &body.org_id)?.ok_or_else(|| {
                            ApiError::field(
                                "org_id",
                                "not_recommended",
                                "invite organisations from the ranked list",
                            )
                        })?;
                    if DemandInvitationRow::of_demand(c, &row.id)?
                        .iter()
                        .any(|(i, ..)| i.org_id == body.org_id)
                    {
                        return Err(wrong_state("this organisation is invited already"));
                    }
                    let sent = demands::invite(c, &row, &recommendation)?;
                    let created = DemandInvitationRow::of_demand(c, &row.id)?
                        .into_iter()
                        .find(|(i, ..)| i.org_id == body.org_id)
                        .ok_or_else(|| ApiError::internal("invitation vanished"))?;
                    Ok((demands::invitation_dto(created), sent))
                })
            })
            .await?;
        state.notifier.publish(sent);
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
        if body.answer == InvitationAnswer::Pending {
            return Err(ApiError::field("answer", "invalid", "answer interested or declined"));
        }
        let mut checks = market::Checks::default();
        let note = checks.optional_text("note", body.note.as_deref(), 500);
        checks.finish()?;
        let user = auth.0.user_id;
        let (invitation, sent) = state
            .db
            .run(move |c| {
                write_tx(c, |c| {
                    acting_member(c, &org.0, &user)?;
                    let missing = || ApiError::new(ErrorCode::NotFound, "invitation not found");
                    let (row, title, poster_id, ..) =
                        DemandInvitationRow::find(c, &id.0)?.ok_or_else(missing)?;
                    if row.org_id != org.0 {
                        return Err(missing());
                    }
                    ensure_may_transact(c, &org.0)?;
                    let (demand, _) = DemandRow::find(c, &row.demand_id)?.ok_or_else(not_found)?;
                    if status(&demand) != DemandStatus::Published {
                        return Err(wrong_state("the demand is no longer open"));
                    }
                    if !DemandInvitationRow::answer(
                        c,
                        &row.id,
                        body.answer.as_str(),
                        note.as_deref(),
                        &user,
                        now(),
                    )? {
                        return Err(wrong_state("this invitation has been answered already"));
                    }
                    let answered = DemandInvitationRow::find(c, &row.id)?.ok_or_else(missing)?;
                    let verb = if body.answer == InvitationAnswer::Interested {
                        "有意向参与"
                    } else {
                        "婉拒了"
                    };
                    let notice = Notice {
                        kind: NotificationKind::InvitationResponse,
                        texts: notify::untranslated(
                            format!("{}{}需求「{title}」", answered.4, verb),
                            note.clone().unwrap_or_default(),
                        ),
                        link: format!("/demands/{}", row.demand_id),
                        org_id: Some(&poster_id),
                    };
                    let sent = notify::store_for_org(c, &poster_id, &notice)?;
                    Ok((demands::invitation_dto(answered), sent))
                })
            })
            .await?;
        state.notifier.publish(sent);
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
        let reason = body.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned);
        if !body.approve && reason.as_ref().is_none_or(|r| r.chars().count() < 2) {
            return Err(ApiError::field("reason", "required", "say why the demand is rejected"));
        }
        if reason.as_ref().is_some_and(|r| r.chars().count() > 500) {
            return Err(ApiError::field("reason", "too_long", "a reason is at most 500 characters"));
        }
        let (user, pool, approve) = (auth.0.user_id, state.candidates.clone(), body.approve);
        let (demand, published, mut sent) = state
            .db
            .run(move |c| {
                write_tx(c, |c| {
                    require_operator(c, &user)?;
                    let (mut row, name) = DemandRow::find(c, &id.0)?.ok_or_else(not_found)?;
                    if crate::db::models::orgs::MembershipRow::role_of(c, &row.org_id, &user)?.is_some() {
                        return Err(ApiError::new(
                            ErrorCode::Forbidden,
                            "an operator may not review their own organisation's demand",
                        ));
                    }
                    if status(&row) != DemandStatus::PendingReview {
                        return Err(wrong_state("this demand is not waiting for review"));
                    }
                    let at = now();
                    row.reviewed_by = Some(user.clone());
                    row.reviewed_at = Some(at);
                    let published = if approve {
                        Some(demands::publish(c, &mut row, &pool)?)
                    } else {
                        row.status = DemandStatus::Rejected.as_str().into();
                        row.rejection_reason = reason.clone();
                        row.updated_at = at;
                        None
                    };
                    if !row.save_if_status(c, DemandStatus::PendingReview.as_str())? {
                        return Err(wrong_state("this demand has been reviewed already"));
                    }
                    let details =
                        serde_json::json!({ "org_id": row.org_id, "approve": approve, "reason": reason });
                    crate::routes::staff::service::audit(
                        c,
                        &user,
                        "demand.reviewed",
                        ("demand", &row.id),
                        details,
                        at,
                    )?;
                    let notice = Notice {
                        kind: NotificationKind::DemandReview,
                        texts: notify::untranslated(
                            if approve {
                                format!("需求「{}」已通过审核并发布", row.title)
                            } else {
                                format!("需求「{}」未通过审核", row.title)
                            },
                            reason.clone().unwrap_or_else(|| "已为你推荐并邀请匹配的企业。".into()),
                        ),
                        link: format!("/demands/{}", row.id),
                        org_id: Some(&row.org_id),
                    };
                    let sent = notify::store_for_org(c, &row.org_id, &notice)?;
                    Ok((view(c, row, name, &calendar)?, published, sent))
                })
            })
            .await?;
        if let Some(published) = published {
            sent.extend(published.sent);
            for org in published.invited {
                state.candidates.record_invitation(&org, false);
            }
        }
        state.notifier.publish(sent);
        Ok(Json(demand))
    }
}

impl DemandsApi {
    fn after_publication(&self, state: &AppState, published: Option<demands::Published>) {
        if let Some(published) = published {
            state.notifier.publish(published.sent);
            for org in published.invited {
                state.candidates.record_invitation(&org, false);
            }
        }
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
