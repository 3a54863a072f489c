//! Membership (四级用户分级) at the API edge: an organisation's tier, what the next tier needs
//! and how far it is, and its history (members and staff); admins name a VIP organisation's
//! platform advisor. Tiers move in `service::apply`, called when a contract is fully settled
//! (`routes::escrow::closing`), when published credit changes (`routes::credit::service`) and
//! by the quarterly review (`jobs`).

pub mod jobs;
pub mod service;

use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use shared::domain::notices::membership::MembershipNotice;
use shared::dto::*;
use shared::error::ErrorCode;
use shared::validate::Check;

use crate::auth::session::BearerAuth;
use crate::db::models::membership::MemberStanding;
use crate::db::models::orgs::MembershipRow;
use crate::db::models::staff::StaffRoleRow;
use crate::db::models::users::User;
use crate::db::{DbConn, now};
use crate::error::ApiError;
use crate::routes::ApiTags;
use crate::routes::notifications::notify::Notice;
use crate::routes::staff::service::{Staff, audit, require_staff};
use crate::state::{AppState, Outgoing};

/// Membership tiers and advisors.
pub struct MembershipApi;

#[derive(ApiResponse)]
enum Removed {
    /// The advisor was removed.
    #[oai(status = 204)]
    NoContent,
}

fn require_admin(conn: &mut DbConn, user_id: &str) -> Result<Staff, ApiError> {
    let me = require_staff(conn, user_id)?;
    if !me.holds_any(&[StaffRole::Admin]) {
        return Err(ApiError::new(ErrorCode::Forbidden, "admins assign platform advisors"));
    }
    Ok(me)
}

/// Names `advisor` (an operator) the advisor of the VIP organisation `org_id`.
fn assign(
    conn: &mut DbConn,
    out: &mut Outgoing,
    me: &str,
    org_id: &str,
    advisor: &str,
) -> Result<(), ApiError> {
    require_admin(conn, me)?;
    let org = MemberStanding::of(conn, &[org_id.to_owned()])?
        .pop()
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "organisation not found"))?;
    if !org.membership_tier.has_named_advisor() {
        return Err(ApiError::new(ErrorCode::Conflict, "only VIP organisations have a platform advisor")
            .with_detail("membership", "not_vip"));
    }
    let user = User::find_active(conn, advisor)?;
    let operator = StaffRoleRow::roles_of(conn, advisor)?.contains(&StaffRole::Operator);
    let Some(user) = user.filter(|_| operator) else {
        return Err(ApiError::field(
            "user_id",
            "not_an_operator",
            "name a staff member with the operator role",
        ));
    };
    let at = now();
    MemberStanding::set_advisor(conn, org_id, advisor, at)?;
    let details = serde_json::json!({ "advisor_id": advisor, "previous": org.advisor_id });
    audit(conn, me, "membership.advisor_assigned", ("organisation", org_id), details, at)?;
    let notice = MembershipNotice::AdvisorAssigned { name: user.display_name };
    out.to_org(conn, org_id, &Notice::new(&notice, service::page(org_id), Some(org_id)))?;
    Ok(())
}

#[OpenApi(tag = "ApiTags::Orgs")]
impl MembershipApi {
    /// An organisation's membership: the tier in force (and whether an inactivity demotion
    /// holds until the next transaction), the facts it rests on, every condition of the next
    /// tier with progress, the VIP advisor, and the history of changes — to its members and
    /// staff. 403 for others, 404 for an unknown organisation.
    #[oai(path = "/orgs/:id/membership", method = "get", operation_id = "get_org_membership")]
    async fn membership(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
    ) -> Result<Json<MembershipView>, ApiError> {
        let view = state
            .db
            .run(move |c| {
                let member = MembershipRow::role_of(c, &id.0, &auth.0.user_id)?.is_some();
                if !member && require_staff(c, &auth.0.user_id).is_err() {
                    MemberStanding::of(c, std::slice::from_ref(&id.0))?
                        .pop()
                        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "organisation not found"))?;
                    return Err(ApiError::new(
                        ErrorCode::Forbidden,
                        "members of the organisation and staff only",
                    ));
                }
                service::view(c, &id.0, now())
            })
            .await?;
        Ok(Json(view))
    }

    /// Name the platform advisor of a VIP organisation (admins): a staff member holding the
    /// operator role. Audited; the organisation's members are notified. 409 `membership:
    /// not_vip` below VIP; 422 `user_id: not_an_operator`. The advisor is dropped when the
    /// organisation leaves VIP.
    #[oai(
        path = "/staff/orgs/:id/advisor",
        method = "put",
        operation_id = "assign_org_advisor",
        tag = "ApiTags::Staff"
    )]
    async fn assign_advisor(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<AssignAdvisor>,
    ) -> Result<Json<MembershipView>, ApiError> {
        let advisor = body.check()?;
        let view = state
            .write(move |c, out| {
                assign(c, out, &auth.0.user_id, &id.0, &advisor)?;
                service::view(c, &id.0, now())
            })
            .await?;
        Ok(Json(view))
    }

    /// Remove an organisation's platform advisor (admins). Audited. 404 for an unknown
    /// organisation.
    #[oai(
        path = "/staff/orgs/:id/advisor",
        method = "delete",
        operation_id = "remove_org_advisor",
        tag = "ApiTags::Staff"
    )]
    async fn remove_advisor(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
    ) -> Result<Removed, ApiError> {
        state
            .write(move |c, _| {
                require_admin(c, &auth.0.user_id)?;
                let org = MemberStanding::of(c, std::slice::from_ref(&id.0))?
                    .pop()
                    .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "organisation not found"))?;
                let at = now();
                MemberStanding::clear_advisor(c, &id.0, at)?;
                let details = serde_json::json!({ "previous": org.advisor_id });
                audit(c, &auth.0.user_id, "membership.advisor_removed", ("organisation", &id.0), details, at)
            })
            .await?;
        Ok(Removed::NoContent)
    }
}
