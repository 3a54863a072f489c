//! `/groups`: professional community groups — creation and settings, joining (open, approval
//! with the group's questionnaire, invitation), members and roles, leaving.

use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
pub mod service;

use shared::domain::community::groups::GroupAction;
use shared::domain::community::lifecycle::membership::{
    Applicant, decide_application, join_decision, may_apply, may_invite, may_leave,
};
use shared::domain::notices::community::CommunityNotice;
use shared::dto::*;
use shared::error::ErrorCode;
use shared::validate::Check;
use shared::validate::community::groups::{ApplicationFields, GroupChanges, GroupFields};

use crate::auth::session::{BearerAuth, optional_user};
use crate::db::models::community::*;
use crate::db::models::users::User;
use crate::db::{new_id, now};
use crate::error::ApiError;
use crate::market::{self, to_json};
use crate::routes::ApiTags;
use crate::routes::community::{self, InGroup, not_found};
use crate::routes::notifications::notify::Notice;
use crate::routes::orgs::service as orgs;
use crate::state::AppState;

/// Groups and membership.
pub struct GroupsApi;

#[derive(ApiResponse)]
enum GroupCreated {
    /// Created; the caller is its owner.
    #[oai(status = 201)]
    Created(Json<Group>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
enum ApplicationCreated {
    /// Recorded: approved at once for open groups and invited people (the caller is a member),
    /// otherwise pending for the group's admins.
    #[oai(status = 201)]
    Created(Json<GroupApplication>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
enum InvitationCreated {
    /// Sent; the person is notified and joins by applying.
    #[oai(status = 201)]
    Created(Json<GroupInvitation>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
enum Left {
    /// Left the group.
    #[oai(status = 204)]
    Done,
}

#[OpenApi(tag = "ApiTags::Groups")]
impl GroupsApi {
    /// Create a group (any signed-in person); the creator becomes its owner, with their display
    /// name as nickname.
    #[oai(path = "/groups", method = "post", operation_id = "create_group")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Json<CreateGroupRequest>,
    ) -> Result<GroupCreated, ApiError> {
        let GroupFields {
            name,
            description,
            rules,
            nickname_format: format,
            questionnaire,
            banned_words: banned,
        } = body.check()?;
        let user = auth.0.user_id;
        let group = state
            .write(move |c, _| {
                if GroupRow::name_taken(c, &name)? {
                    return Err(ApiError::new(ErrorCode::Conflict, "a group with this name exists")
                        .with_detail("name", "taken"));
                }
                let me = User::find_active(c, &user)?.ok_or_else(not_found)?;
                let at = now();
                let row = GroupRow {
                    id: new_id(),
                    name,
                    description,
                    rules,
                    join_policy: body.join_policy,
                    nickname_format: format,
                    questionnaire: to_json(&questionnaire),
                    banned_words: to_json(&banned),
                    owner_id: user.clone(),
                    created_at: at,
                    updated_at: at,
                };
                row.insert(c)?;
                service::admit(c, &row.id, &user, GroupRole::Owner, &me.display_name)?;
                let view = InGroup::load(c, &row.id, Some(&user))?;
                community::group_dto(c, &view, Some(&user))
            })
            .await?;
        let location = format!("/api/v1/groups/{}", group.id);
        Ok(GroupCreated::Created(Json(group), location))
    }

    /// Groups, newest first; `mine=true` lists the caller's (needs a bearer token).
    #[oai(path = "/groups", method = "get", operation_id = "list_groups")]
    async fn list(
        &self,
        state: Data<&AppState>,
        req: &Request,
        mine: Query<Option<bool>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
        #[oai(validator(max_length = 64))] cursor: Query<Option<String>>,
    ) -> Result<Json<GroupPage>, ApiError> {
        let user = optional_user(req).await?.map(|u| u.user_id);
        if mine.0 == Some(true) && user.is_none() {
            return Err(ApiError::new(ErrorCode::Unauthenticated, "sign in to list your groups"));
        }
        let limit = market::limit(limit.0);
        let page = state
            .db
            .run(move |c| {
                let member_of = user.as_deref().filter(|_| mine.0 == Some(true));
                let rows = GroupRow::page(c, member_of, cursor.0.as_deref(), limit + 1)?;
                let (rows, next_cursor) = market::page(rows, limit, |r| r.id.clone());
                let mut items = Vec::with_capacity(rows.len());
                for row in rows {
                    let member = match &user {
                        Some(u) => GroupMemberRow::find(c, &row.id, u)?,
                        None => None,
                    };
                    items.push(community::group_dto(c, &InGroup { group: row, member }, user.as_deref())?);
                }
                Ok::<_, ApiError>(GroupPage { items, next_cursor })
            })
            .await?;
        Ok(Json(page))
    }

    /// One group: its description, rules, questionnaire and the caller's standing.
    #[oai(path = "/groups/:id", method = "get", operation_id = "get_group")]
    async fn get(
        &self,
        state: Data<&AppState>,
        req: &Request,
        id: Path<String>,
    ) -> Result<Json<Group>, ApiError> {
        let user = optional_user(req).await?.map(|u| u.user_id);
        let group = state
            .db
            .run(move |c| {
                let view = InGroup::load(c, &id.0, user.as_deref())?;
                community::group_dto(c, &view, user.as_deref())
            })
            .await?;
        Ok(Json(group))
    }

    /// Change a group's description, rules, join policy, nickname format, questionnaire or
    /// banned words (its admins).
    #[oai(path = "/groups/:id", method = "patch", operation_id = "update_group")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<UpdateGroupRequest>,
    ) -> Result<Json<Group>, ApiError> {
        let GroupChanges { description, rules, nickname_format: format, questionnaire, banned_words: banned } =
            body.check()?;
        let user = auth.0.user_id;
        let group = state
            .write(move |c, _| {
                let mut view = InGroup::load(c, &id.0, Some(&user))?;
                view.ensure_may(GroupAction::Curate)?;
                let row = &mut view.group;
                if let Some(d) = description {
                    row.description = d;
                }
                if let Some(r) = rules {
                    row.rules = r;
                }
                if let Some(p) = body.join_policy {
                    row.join_policy = p;
                }
                if let Some(f) = format {
                    row.nickname_format = f;
                }
                if let Some(q) = questionnaire {
                    row.questionnaire = to_json(&q);
                }
                if let Some(b) = banned {
                    row.banned_words = to_json(&b);
                }
                row.updated_at = now();
                row.save(c)?;
                community::group_dto(c, &view, Some(&user))
            })
            .await?;
        Ok(Json(group))
    }

    /// Join or apply: open groups and invited people join at once; approval-only groups record
    /// a pending application with the questionnaire's answers for the admins (who are
    /// notified); invite-only groups refuse people without an invitation, and a removed member
    /// comes back only by a new invitation. The nickname must follow the group's format;
    /// required questions need an answer.
    #[oai(path = "/groups/:id/applications", method = "post", operation_id = "create_group_application")]
    async fn apply(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<ApplyToGroupRequest>,
    ) -> Result<ApplicationCreated, ApiError> {
        // The form's own problems are refused before anything is loaded; the group's nickname
        // format and questionnaire are checked once it is.
        body.check()?;
        let account = crate::routes::auth::accounts::load_user(&state, &auth.0.user_id).await?;
        let user = auth.0.user_id;
        let dto = state
            .write(move |c, out| {
                let view = InGroup::load(c, &id.0, Some(&user))?;
                // An invitation sent to the caller's verified contact before they had an
                // account counts; its notification is moot, they are here.
                orgs::claim_contact_invitations(c, &account, now())?;
                let invitation = GroupInvitationRow::open_for(c, &view.group.id, &user)?;
                let pending = GroupApplicationRow::pending_of(c, &view.group.id, &user)?.is_some();
                let member = view.member.as_ref().map(|m| m.status);
                may_apply(Applicant { member, invited: invitation.is_some(), pending })?;
                let questionnaire: Vec<QuestionnaireItem> = market::from_json(&view.group.questionnaire);
                let ApplicationFields { nickname, answers } =
                    body.check_for(view.group.nickname_format.as_deref(), &questionnaire)?;
                let status = join_decision(view.policy(), invitation.is_some())?;
                let application = service::Application { user, nickname, answers, status };
                let row = service::record_application(c, out, &view, application, invitation)?;
                let found = GroupApplicationRow::find(c, &row.id)?.ok_or_else(not_found)?;
                Ok(community::application_dto(&view.group, found))
            })
            .await?;
        let location = format!("/api/v1/groups/{}/applications/{}", dto.group_id, dto.id);
        Ok(ApplicationCreated::Created(Json(dto), location))
    }

    /// A group's applications (its admins), oldest first; `status` defaults to `pending`.
    #[oai(path = "/groups/:id/applications", method = "get", operation_id = "list_group_applications")]
    async fn applications(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        status: Query<Option<ApplicationStatus>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
        #[oai(validator(max_length = 64))] cursor: Query<Option<String>>,
    ) -> Result<Json<GroupApplicationPage>, ApiError> {
        let limit = market::limit(limit.0);
        let user = auth.0.user_id;
        let page = state
            .db
            .run(move |c| {
                let view = InGroup::load(c, &id.0, Some(&user))?;
                view.ensure_may(GroupAction::ManageMembers)?;
                let status = status.0.unwrap_or(ApplicationStatus::Pending);
                let rows =
                    GroupApplicationRow::page(c, &view.group.id, status, cursor.0.as_deref(), limit + 1)?;
                let (rows, next_cursor) = market::page(rows, limit, |(r, _)| r.id.clone());
                let items = rows.into_iter().map(|r| community::application_dto(&view.group, r)).collect();
                Ok::<_, ApiError>(GroupApplicationPage { items, next_cursor })
            })
            .await?;
        Ok(Json(page))
    }

    /// Approve or reject a pending application (the group's admins); rejecting needs a reason.
    /// The applicant is notified either way.
    #[oai(
        path = "/groups/:id/applications/:application_id/decision",
        method = "post",
        operation_id = "create_group_application_decision"
    )]
    async fn decide(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        application_id: Path<String>,
        body: Json<DecideApplicationRequest>,
    ) -> Result<Json<GroupApplication>, ApiError> {
        let reason = body.check()?;
        let user = auth.0.user_id;
        let dto = state
            .write(move |c, out| {
                let view = InGroup::load(c, &id.0, Some(&user))?;
                view.ensure_may(GroupAction::ManageMembers)?;
                let (mut row, name) = GroupApplicationRow::find(c, &application_id.0)?
                    .filter(|(r, _)| r.group_id == view.group.id)
                    .ok_or_else(not_found)?;
                row.status = decide_application(row.status, body.approve)?;
                row.reason = reason;
                row.decided_by = Some(user.clone());
                row.decided_at = Some(now());
                row.save(c)?;
                if body.approve {
                    service::admit(c, &view.group.id, &row.user_id, GroupRole::Member, &row.nickname)?;
                }
                let notice = CommunityNotice::ApplicationDecided {
                    group: view.group.name.clone(),
                    approved: body.approve,
                    reason: row.reason.clone(),
                };
                let link = format!("/groups/{}", view.group.id);
                out.to_users(c, std::slice::from_ref(&row.user_id), &Notice::new(&notice, link, None))?;
                Ok(community::application_dto(&view.group, (row, name)))
            })
            .await?;
        Ok(Json(dto))
    }

    /// Invite a person by phone number or e-mail (the group's admins); they are notified and
    /// join at once when they apply, whatever the join policy. The answer is the same whether
    /// or not the contact has an account — `user_id` is empty and `user_name` is the masked
    /// contact — so it cannot be used to find out who is registered. Without an account the
    /// invitation waits until someone registers and verifies that phone number or e-mail. At
    /// most 20 invitations (groups and organisations together) per person and hour: 429
    /// `rate_limited` with `Retry-After` after that.
    #[oai(path = "/groups/:id/invitations", method = "post", operation_id = "create_group_invitation")]
    async fn invite(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<InviteToGroupRequest>,
    ) -> Result<InvitationCreated, ApiError> {
        let login = body.check()?;
        let user = auth.0.user_id;
        let dto = state
            .write(move |c, out| {
                let view = InGroup::load(c, &id.0, Some(&user))?;
                view.ensure_may(GroupAction::ManageMembers)?;
                let at = now();
                orgs::ensure_invitation_allowance(c, &user, at)?;
                let contact = orgs::contact_of(&login);
                let (account, facts) = service::invitee(c, &view, &login, &contact)?;
                may_invite(facts)?;
                service::send_invitation(c, out, &view, (&user, contact, account), at)
            })
            .await?;
        let location = format!("/api/v1/groups/{}/invitations/{}", dto.group_id, dto.id);
        Ok(InvitationCreated::Created(Json(dto), location))
    }

    /// A group's active members (anyone who may read the group).
    #[oai(path = "/groups/:id/members", method = "get", operation_id = "list_group_members")]
    async fn members(
        &self,
        state: Data<&AppState>,
        req: &Request,
        id: Path<String>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
        #[oai(validator(max_length = 64))] cursor: Query<Option<String>>,
    ) -> Result<Json<GroupMemberPage>, ApiError> {
        let user = optional_user(req).await?.map(|u| u.user_id);
        let limit = market::limit(limit.0);
        let page = state
            .db
            .run(move |c| {
                let view = InGroup::load(c, &id.0, user.as_deref())?;
                view.ensure_read()?;
                let rows = GroupMemberRow::page(c, &view.group.id, cursor.0.as_deref(), limit + 1)?;
                let (rows, next_cursor) = market::page(rows, limit, |r| r.user_id.clone());
                Ok::<_, ApiError>(GroupMemberPage {
                    items: rows.into_iter().map(community::member_dto).collect(),
                    next_cursor,
                })
            })
            .await?;
        Ok(Json(page))
    }

    /// Change a member's role: the owner names admins; admins name experts, topic hosts and
    /// resource admins. Ownership is not transferred this way.
    #[oai(path = "/groups/:id/members/:user_id", method = "patch", operation_id = "update_group_member")]
    async fn change_role(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        user_id: Path<String>,
        body: Json<ChangeGroupRoleRequest>,
    ) -> Result<Json<GroupMember>, ApiError> {
        let role = body.check()?;
        let user = auth.0.user_id;
        let member = state
            .write(move |c, _| {
                let view = InGroup::load(c, &id.0, Some(&user))?;
                view.ensure_member()?;
                let mut target = GroupMemberRow::find(c, &view.group.id, &user_id.0)?
                    .filter(|m| m.status == MemberStatus::Active)
                    .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such member"))?;
                let current = target.role;
                let touches_admin = role == GroupRole::Admin || current >= GroupRole::Admin;
                view.ensure_may(if touches_admin {
                    GroupAction::ManageAdmins
                } else {
                    GroupAction::ManageHelpers
                })?;
                if current == GroupRole::Owner {
                    return Err(ApiError::new(ErrorCode::Forbidden, "the owner's role cannot change"));
                }
                target.role = role;
                target.save(c)?;
                Ok::<_, ApiError>(community::member_dto(target))
            })
            .await?;
        Ok(Json(member))
    }

    /// Leave a group (the owner cannot). Posts stay; places at coming events go to the waitlists;
    /// rejoining follows the join policy.
    #[oai(path = "/groups/:id/membership", method = "delete", operation_id = "delete_group_membership")]
    async fn leave(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
    ) -> Result<Left, ApiError> {
        let user = auth.0.user_id;
        state
            .write(move |c, out| {
                let view = InGroup::load(c, &id.0, Some(&user))?;
                let mut member = view.ensure_member()?.clone();
                may_leave(member.role)?;
                let at = now();
                member.status = MemberStatus::Left;
                member.left_at = Some(at);
                member.save(c)?;
                // Their places at coming events go to the waitlists.
                out.extend(crate::routes::community::events::service::drop_member_signups(
                    c,
                    &view.group.id,
                    &user,
                    at,
                )?);
                Ok(())
            })
            .await?;
        Ok(Left::Done)
    }
}
