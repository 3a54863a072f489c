//! Group moderation: reports, the three-step ladder (warning → 7-day mute → removal) applied by
//! the group's admins, the moderation log members can read, and appeals.

use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
pub mod service;

use shared::domain::community::groups::GroupAction;
use shared::domain::community::lifecycle::appeal::{self, AppealDecider, may_appeal, may_sanction};
use shared::domain::community::lifecycle::report::{self, ReportEvent};
use shared::domain::notices::community::CommunityNotice;
use shared::dto::*;
use shared::validate::Check;

use crate::auth::session::BearerAuth;
use crate::db::models::community::*;
use crate::db::{new_id, now};
use crate::error::ApiError;
use crate::market;
use crate::routes::ApiTags;
use crate::routes::community::{self, InGroup, not_found};
use crate::routes::notifications::notify::Notice;
use crate::state::AppState;

/// Reports, sanctions and appeals.
pub struct ModerationApi;

#[derive(ApiResponse)]
enum ReportCreated {
    /// Recorded for the group's admins.
    #[oai(status = 201)]
    Created(Json<Report>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
enum SanctionCreated {
    /// Applied and logged; the member is notified.
    #[oai(status = 201)]
    Created(Json<SanctionEntry>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
enum AppealCreated {
    /// Recorded for the group's admins.
    #[oai(status = 201)]
    Created(Json<Appeal>, #[oai(header = "Location")] String),
}

#[OpenApi(tag = "ApiTags::Groups")]
impl ModerationApi {
    /// Report a post, reply or member of a group one belongs to.
    #[oai(path = "/groups/:id/reports", method = "post", operation_id = "create_report")]
    async fn report(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<CreateReportRequest>,
    ) -> Result<ReportCreated, ApiError> {
        let reason = body.check()?;
        let user = auth.0.user_id;
        let dto = state
            .write(move |c, out| {
                let view = InGroup::load(c, &id.0, Some(&user))?;
                view.ensure_member()?;
                let target_user = service::report_target(c, &view, body.target_kind, &body.target_id)?;
                if target_user == user {
                    return Err(ApiError::field("target_id", "self", "you cannot report yourself"));
                }
                let row = ReportRow {
                    id: new_id(),
                    group_id: view.group.id.clone(),
                    reporter_id: user.clone(),
                    target_kind: body.target_kind,
                    target_id: body.target_id.clone(),
                    target_user_id: target_user,
                    reason,
                    status: ReportStatus::Open,
                    decided_by: None,
                    decided_at: None,
                    created_at: now(),
                };
                row.insert(c)?;
                let notice =
                    CommunityNotice::Report { group: view.group.name.clone(), reason: row.reason.clone() };
                let link = format!("/groups/{}/moderation", view.group.id);
                let admins = community::admins(c, &view.group.id)?;
                out.to_users(c, &admins, &Notice::new(&notice, link, None))?;
                community::report_dto(c, row)
            })
            .await?;
        let location = format!("/api/v1/groups/{}/reports/{}", dto.group_id, dto.id);
        Ok(ReportCreated::Created(Json(dto), location))
    }

    /// A group's open reports (its admins), oldest first.
    #[oai(path = "/groups/:id/reports", method = "get", operation_id = "list_reports")]
    async fn reports(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
        #[oai(validator(max_length = 64))] cursor: Query<Option<String>>,
    ) -> Result<Json<ReportPage>, ApiError> {
        let limit = market::limit(limit.0);
        let user = auth.0.user_id;
        let page = state
            .db
            .run(move |c| {
                let view = InGroup::load(c, &id.0, Some(&user))?;
                view.ensure_may(GroupAction::Moderate)?;
                let rows = ReportRow::open_page(c, &view.group.id, cursor.0.as_deref(), limit + 1)?;
                let (rows, next_cursor) = market::page(rows, limit, |r| r.id.clone());
                let items =
                    rows.into_iter().map(|r| community::report_dto(c, r)).collect::<Result<_, _>>()?;
                Ok::<_, ApiError>(ReportPage { items, next_cursor })
            })
            .await?;
        Ok(Json(page))
    }

    /// Dismiss an open report (the group's admins).
    #[oai(
        path = "/groups/:id/reports/:report_id/dismissal",
        method = "post",
        operation_id = "create_report_dismissal"
    )]
    async fn dismiss(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        report_id: Path<String>,
    ) -> Result<Json<Report>, ApiError> {
        let user = auth.0.user_id;
        let dto = state
            .write(move |c, _| {
                let view = InGroup::load(c, &id.0, Some(&user))?;
                view.ensure_may(GroupAction::Moderate)?;
                let mut row = ReportRow::find(c, &report_id.0)?
                    .filter(|r| r.group_id == view.group.id)
                    .ok_or_else(not_found)?;
                row.status = report::transition(row.status, ReportEvent::Dismiss)?;
                row.decided_by = Some(user.clone());
                row.decided_at = Some(now());
                row.save(c)?;
                community::report_dto(c, row)
            })
            .await?;
        Ok(Json(dto))
    }

    /// Apply the next step of the ladder to a member (the group's admins): a first sanction in
    /// force is a warning, a second a 7-day mute, a third removal. Admins sanction members
    /// below admin; only the owner sanctions an admin. A report it answers is marked actioned.
    #[oai(path = "/groups/:id/sanctions", method = "post", operation_id = "create_sanction")]
    async fn sanction(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<CreateSanctionRequest>,
    ) -> Result<SanctionCreated, ApiError> {
        let reason = body.check()?;
        let user = auth.0.user_id;
        let dto = state
            .write(move |c, out| {
                let view = InGroup::load(c, &id.0, Some(&user))?;
                let my_role = view.ensure_may(GroupAction::Moderate)?;
                let target = service::sanction_target(c, &view, &body.user_id)?;
                may_sanction(target.user_id == user, my_role, target.role)?;
                let report = service::answered_report(c, &view, body.report_id.as_deref(), &target)?;
                let order = service::SanctionOrder { target, reason, report, by: user, at: now() };
                let row = service::apply_sanction(c, out, &view, order)?;
                community::sanction_dtos(c, &view.group.id, vec![row])?.pop().ok_or_else(not_found)
            })
            .await?;
        let location = format!("/api/v1/sanctions/{}", dto.id);
        Ok(SanctionCreated::Created(Json(dto), location))
    }

    /// The group's moderation log, newest first: every sanction with its reason, readable by
    /// the group's members (and by the sanctioned person after removal).
    #[oai(path = "/groups/:id/sanctions", method = "get", operation_id = "list_group_sanctions")]
    async fn log(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
        #[oai(validator(max_length = 64))] cursor: Query<Option<String>>,
    ) -> Result<Json<SanctionPage>, ApiError> {
        let limit = market::limit(limit.0);
        let user = auth.0.user_id;
        let page = state
            .db
            .run(move |c| {
                let view = InGroup::load(c, &id.0, Some(&user))?;
                let sanctioned = view.member.as_ref().is_some_and(|m| m.status == MemberStatus::Removed);
                if !sanctioned {
                    view.ensure_member()?;
                }
                let rows = SanctionRow::page(c, &view.group.id, cursor.0.as_deref(), limit + 1)?;
                let (rows, next_cursor) = market::page(rows, limit, |r| r.id.clone());
                let rows: Vec<SanctionRow> =
                    rows.into_iter().filter(|r| !sanctioned || r.user_id == user).collect();
                let items = community::sanction_dtos(c, &view.group.id, rows)?;
                Ok::<_, ApiError>(SanctionPage { items, next_cursor })
            })
            .await?;
        Ok(Json(page))
    }

    /// Appeal a sanction (the sanctioned person, once per sanction); the admins are notified.
    #[oai(path = "/sanctions/:id/appeals", method = "post", operation_id = "create_appeal")]
    async fn appeal(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<CreateAppealRequest>,
    ) -> Result<AppealCreated, ApiError> {
        let statement = body.check()?;
        let user = auth.0.user_id;
        let dto = state
            .write(move |c, out| {
                let sanction =
                    SanctionRow::find(c, &id.0)?.filter(|s| s.user_id == user).ok_or_else(not_found)?;
                let appealed = !AppealRow::of_sanctions(c, std::slice::from_ref(&sanction.id))?.is_empty();
                let status = may_appeal(sanction.overturned_at.is_some(), appealed)?;
                let row = AppealRow {
                    id: new_id(),
                    sanction_id: sanction.id.clone(),
                    user_id: user.clone(),
                    statement,
                    status,
                    decision_reason: None,
                    decided_by: None,
                    decided_at: None,
                    created_at: now(),
                };
                row.insert(c)?;
                let group = GroupRow::find(c, &sanction.group_id)?.ok_or_else(not_found)?;
                let notice =
                    CommunityNotice::Appeal { group: group.name.clone(), statement: row.statement.clone() };
                let link = format!("/groups/{}/moderation", group.id);
                let admins = community::admins(c, &group.id)?;
                out.to_users(c, &admins, &Notice::new(&notice, link, None))?;
                Ok(community::appeal_dto(row))
            })
            .await?;
        let location = format!("/api/v1/appeals/{}", dto.id);
        Ok(AppealCreated::Created(Json(dto), location))
    }

    /// A group's pending appeals (its admins), oldest first.
    #[oai(path = "/groups/:id/appeals", method = "get", operation_id = "list_appeals")]
    async fn appeals(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
    ) -> Result<Json<AppealList>, ApiError> {
        let user = auth.0.user_id;
        let list = state
            .db
            .run(move |c| {
                let view = InGroup::load(c, &id.0, Some(&user))?;
                view.ensure_may(GroupAction::Moderate)?;
                let items = AppealRow::pending_in_group(c, &view.group.id)?
                    .into_iter()
                    .map(community::appeal_dto)
                    .collect();
                Ok::<_, ApiError>(AppealList { items })
            })
            .await?;
        Ok(Json(list))
    }

    /// Decide an appeal (the group's admins other than the one who applied the sanction, unless
    /// the group has no other): overturning lifts a mute or lets a removed member back in, and
    /// the sanction stops counting on the ladder.
    #[oai(path = "/appeals/:id/decision", method = "post", operation_id = "create_appeal_decision")]
    async fn decide(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<DecideAppealRequest>,
    ) -> Result<Json<Appeal>, ApiError> {
        let reason = body.check()?;
        let user = auth.0.user_id;
        let dto = state
            .write(move |c, out| {
                let mut appeal = AppealRow::find(c, &id.0)?.ok_or_else(not_found)?;
                let mut sanction = SanctionRow::find(c, &appeal.sanction_id)?.ok_or_else(not_found)?;
                let view = InGroup::load(c, &sanction.group_id, Some(&user))?;
                view.ensure_may(GroupAction::Moderate)?;
                let decider = AppealDecider {
                    applied_it: sanction.applied_by == user,
                    other_admins: community::admins(c, &view.group.id)?.len() > 1,
                };
                appeal.status = appeal::decide(appeal.status, decider, body.overturn)?;
                let at = now();
                appeal.decision_reason = Some(reason.clone());
                appeal.decided_by = Some(user.clone());
                appeal.decided_at = Some(at);
                appeal.save(c)?;
                if body.overturn {
                    service::lift(c, &mut sanction, at)?;
                }
                let notice = CommunityNotice::AppealDecided {
                    group: view.group.name.clone(),
                    overturned: body.overturn,
                    reason,
                };
                let link = format!("/groups/{}/moderation", view.group.id);
                out.to_users(c, std::slice::from_ref(&appeal.user_id), &Notice::new(&notice, link, None))?;
                Ok(community::appeal_dto(appeal))
            })
            .await?;
        Ok(Json(dto))
    }
}
