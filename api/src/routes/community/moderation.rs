//! Group moderation: reports, the three-step ladder (warning → 7-day mute → removal) applied by
//! the group's admins, the moderation log members can read, and appeals.

use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use shared::domain::community::groups::GroupAction;
use shared::domain::community::moderation::{next_sanction, restricted_until};
use shared::dto::*;
use shared::error::ErrorCode;

use crate::auth::session::BearerAuth;
use crate::db::models::community::*;
use crate::db::{new_id, now, write_tx};
use crate::error::ApiError;
use crate::market::{self, Checks, wrong_state};
use crate::routes::ApiTags;
use crate::routes::community::{self, InGroup, not_found};
use crate::routes::notifications::notify::{self, Notice};
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
        let mut checks = Checks::default();
        let reason = checks.text("reason", &body.reason, 2, 500);
        checks.finish()?;
        let user = auth.0.user_id;
        let (dto, sent) = state
            .db
            .run(move |c| {
                write_tx(c, |c| {
                    let view = InGroup::load(c, &id.0, Some(&user))?;
                    view.ensure_member()?;
                    let unknown = || {
                        ApiError::field(
                            "target_id",
                            "not_found",
                            "nothing to report with this id in the group",
                        )
                    };
                    let target_user = match body.target_kind {
                        ReportTarget::Post => PostRow::find(c, &body.target_id)?
                            .filter(|p| p.group_id == view.group.id && p.status != "deleted")
                            .map(|p| p.author_id),
                        ReportTarget::Reply => {
                            match ReplyRow::find(c, &body.target_id)?.filter(|r| r.status != "deleted") {
                                Some(reply) => PostRow::find(c, &reply.post_id)?
                                    .filter(|p| p.group_id == view.group.id)
                                    .map(|_| reply.author_id),
                                None => None,
                            }
                        }
                        ReportTarget::Member => {
                            GroupMemberRow::find(c, &view.group.id, &body.target_id)?.map(|m| m.user_id)
                        }
                    }
                    .ok_or_else(unknown)?;
                    if target_user == user {
                        return Err(ApiError::field("target_id", "self", "you cannot report yourself"));
                    }
                    let row = ReportRow {
                        id: new_id(),
                        group_id: view.group.id.clone(),
                        reporter_id: user.clone(),
                        target_kind: body.target_kind.as_str().into(),
                        target_id: body.target_id.clone(),
                        target_user_id: target_user,
                        reason,
                        status: ReportStatus::Open.as_str().into(),
                        decided_by: None,
                        decided_at: None,
                        created_at: now(),
                    };
                    row.insert(c)?;
                    let notice = Notice {
                        kind: NotificationKind::CommunityReport,
                        texts: notify::untranslated(
                            format!("「{}」收到新的举报", view.group.name),
                            row.reason.chars().take(120).collect(),
                        ),
                        link: format!("/groups/{}/moderation", view.group.id),
                        org_id: None,
                    };
                    let admins = community::admins(c, &view.group.id)?;
                    let sent = notify::store(c, &admins, &notice)?;
                    Ok((community::report_dto(c, row)?, sent))
                })
            })
            .await?;
        state.notifier.publish(sent);
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
            .db
            .run(move |c| {
                write_tx(c, |c| {
                    let view = InGroup::load(c, &id.0, Some(&user))?;
                    view.ensure_may(GroupAction::Moderate)?;
                    let mut row = ReportRow::find(c, &report_id.0)?
                        .filter(|r| r.group_id == view.group.id)
                        .ok_or_else(not_found)?;
                    if row.status != ReportStatus::Open.as_str() {
                        return Err(wrong_state("the report was already handled"));
                    }
                    row.status = ReportStatus::Dismissed.as_str().into();
                    row.decided_by = Some(user.clone());
                    row.decided_at = Some(now());
                    row.save(c)?;
                    community::report_dto(c, row)
                })
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
        let mut checks = Checks::default();
        let reason = checks.text("reason", &body.reason, 2, 500);
        checks.finish()?;
        let user = auth.0.user_id;
        let (dto, sent) = state
            .db
            .run(move |c| {
                write_tx(c, |c| {
                    let view = InGroup::load(c, &id.0, Some(&user))?;
                    let my_role = view.ensure_may(GroupAction::Moderate)?;
                    let mut target = GroupMemberRow::find(c, &view.group.id, &body.user_id)?
                        .filter(|m| m.status == MemberStatus::Active.as_str())
                        .ok_or_else(|| {
                            ApiError::field("user_id", "not_a_member", "no such member in the group")
                        })?;
                    let their_role = GroupRole::parse(&target.role).unwrap_or(GroupRole::Member);
                    if target.user_id == user || their_role >= my_role {
                        return Err(ApiError::new(
                            ErrorCode::Forbidden,
                            "you may sanction members below your role only",
                        )
                        .with_detail("user_id", "group_role"));
                    }
                    let mut report = match &body.report_id {
                        Some(rid) => Some(
                            ReportRow::find(c, rid)?
                                .filter(|r| r.group_id == view.group.id && r.target_user_id == target.user_id)
                                .ok_or_else(|| {
                                    ApiError::field(
                                        "report_id",
                                        "not_found",
                                        "no such report about this member",
                                    )
                                })?,
                        ),
                        None => None,
                    };
                    if report.as_ref().is_some_and(|r| r.status != ReportStatus::Open.as_str()) {
                        return Err(wrong_state("the report was already handled"));
                    }
                    let standing = SanctionRow::standing(c, &view.group.id, &target.user_id)?;
                    let kind = next_sanction(usize::try_from(standing).unwrap_or(usize::MAX));
                    let at = now();
                    let until = restricted_until(kind, at.and_utc()).map(|t| t.naive_utc());
                    let row = SanctionRow {
                        id: new_id(),
                        group_id: view.group.id.clone(),
                        user_id: target.user_id.clone(),
                        kind: kind.as_str().into(),
                        reason,
                        report_id: body.report_id.clone(),
                        applied_by: user.clone(),
                        created_at: at,
                        until_at: until,
                        overturned_at: None,
                    };
                    row.insert(c)?;
                    match kind {
                        Sanction::Warning => {}
                        Sanction::Mute => {
                            target.muted_until = until;
                            target.save(c)?;
                        }
                        Sanction::Removal => {
                            target.status = MemberStatus::Removed.as_str().into();
                            target.left_at = Some(at);
                            target.save(c)?;
                        }
                    }
                    // A removed member's places at coming events go to the waitlists.
                    let mut sent = if kind == Sanction::Removal {
                        crate::routes::community::events::service::drop_member_signups(
                            c,
                            &view.group.id,
                            &target.user_id,
                            at,
                        )?
                    } else {
                        Vec::new()
                    };
                    if let Some(report) = report.as_mut() {
                        report.status = ReportStatus::Actioned.as_str().into();
                        report.decided_by = Some(user.clone());
                        report.decided_at = Some(at);
                        report.save(c)?;
                    }
                    let what = match kind {
                        Sanction::Warning => "警告",
                        Sanction::Mute => "禁言 7 天",
                        Sanction::Removal => "移出群组",
                    };
                    let notice = Notice {
                        kind: NotificationKind::Sanctioned,
                        texts: notify::untranslated(
                            format!("你在「{}」受到处理：{what}", view.group.name),
                            format!("原因：{}。如有异议可申诉。", row.reason),
                        ),
                        link: format!("/groups/{}/moderation?sanction={}", view.group.id, row.id),
                        org_id: None,
                    };
                    sent.extend(notify::store(c, std::slice::from_ref(&target.user_id), &notice)?);
                    let dto = community::sanction_dtos(c, &view.group.id, vec![row])?
                        .pop()
                        .ok_or_else(not_found)?;
                    Ok((dto, sent))
                })
            })
            .await?;
        state.notifier.publish(sent);
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
                let sanctioned =
                    view.member.as_ref().is_some_and(|m| m.status == MemberStatus::Removed.as_str());
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
        let mut checks = Checks::default();
        let statement = checks.text("statement", &body.statement, 2, 2000);
        checks.finish()?;
        let user = auth.0.user_id;
        let (dto, sent) = state
            .db
            .run(move |c| {
                write_tx(c, |c| {
                    let sanction =
                        SanctionRow::find(c, &id.0)?.filter(|s| s.user_id == user).ok_or_else(not_found)?;
                    if sanction.overturned_at.is_some() {
                        return Err(wrong_state("the sanction was already overturned"));
                    }
                    if !AppealRow::of_sanctions(c, std::slice::from_ref(&sanction.id))?.is_empty() {
                        return Err(wrong_state("this sanction was already appealed"));
                    }
                    let row = AppealRow {
                        id: new_id(),
                        sanction_id: sanction.id.clone(),
                        user_id: user.clone(),
                        statement,
                        status: AppealStatus::Pending.as_str().into(),
                        decision_reason: None,
                        decided_by: None,
                        decided_at: None,
                        created_at: now(),
                    };
                    row.insert(c)?;
                    let group = GroupRow::find(c, &sanction.group_id)?.ok_or_else(not_found)?;
                    let notice = Notice {
                        kind: NotificationKind::CommunityAppeal,
                        texts: notify::untranslated(
                            format!("「{}」收到一份申诉", group.name),
                            row.statement.chars().take(120).collect(),
                        ),
                        link: format!("/groups/{}/moderation", group.id),
                        org_id: None,
                    };
                    let admins = community::admins(c, &group.id)?;
                    let sent = notify::store(c, &admins, &notice)?;
                    Ok((community::appeal_dto(row), sent))
                })
            })
            .await?;
        state.notifier.publish(sent);
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
        let mut checks = Checks::default();
        let reason = checks.text("reason", &body.reason, 2, 500);
        checks.finish()?;
        let user = auth.0.user_id;
        let (dto, sent) = state
            .db
            .run(move |c| {
                write_tx(c, |c| {
                    let mut appeal = AppealRow::find(c, &id.0)?.ok_or_else(not_found)?;
                    let mut sanction = SanctionRow::find(c, &appeal.sanction_id)?.ok_or_else(not_found)?;
                    let view = InGroup::load(c, &sanction.group_id, Some(&user))?;
                    view.ensure_may(GroupAction::Moderate)?;
                    if sanction.applied_by == user && community::admins(c, &view.group.id)?.len() > 1 {
                        return Err(ApiError::new(
                            ErrorCode::Forbidden,
                            "another admin decides an appeal against your sanction",
                        )
                        .with_detail("id", "own_sanction"));
                    }
                    if appeal.status != AppealStatus::Pending.as_str() {
                        return Err(wrong_state("the appeal was already decided"));
                    }
                    let at = now();
                    appeal.status =
                        if body.overturn { AppealStatus::Overturned } else { AppealStatus::Upheld }
                            .as_str()
                            .into();
                    appeal.decision_reason = Some(reason);
                    appeal.decided_by = Some(user.clone());
                    appeal.decided_at = Some(at);
                    appeal.save(c)?;
                    if body.overturn {
                        sanction.overturned_at = Some(at);
                        sanction.save(c)?;
                        if let Some(mut member) =
                            GroupMemberRow::find(c, &sanction.group_id, &sanction.user_id)?
                        {
                            match Sanction::parse(&sanction.kind) {
                                Some(Sanction::Mute) if member.muted_until == sanction.until_at => {
                                    member.muted_until = None
                                }
                                Some(Sanction::Removal)
                                    if member.status == MemberStatus::Removed.as_str() =>
                                {
                                    member.status = MemberStatus::Active.as_str().into();
                                    member.left_at = None;
                                }
                                _ => {}
                            }
                            member.save(c)?;
                        }
                    }
                    let notice = Notice {
                        kind: NotificationKind::AppealDecided,
                        texts: notify::untranslated(
                            format!(
                                "你在「{}」的申诉{}",
                                view.group.name,
                                if body.overturn { "成立，处理已撤销" } else { "未获支持" }
                            ),
                            appeal.decision_reason.clone().unwrap_or_default(),
                        ),
                        link: format!("/groups/{}/moderation", view.group.id),
                        org_id: None,
                    };
                    let sent = notify::store(c, std::slice::from_ref(&appeal.user_id), &notice)?;
                    Ok((community::appeal_dto(appeal), sent))
                })
            })
            .await?;
        state.notifier.publish(sent);
        Ok(Json(dto))
    }
}
