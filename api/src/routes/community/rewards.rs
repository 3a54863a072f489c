//! The rewards catalogue and redemptions: operators keep the catalogue; anyone signed in redeems
//! points for a reward. A redemption takes one from the stock and the cost from the balance with
//! conditional updates in one transaction, so concurrent redemptions never take either below
//! zero; cancelling returns both.

use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use serde_json::json;
use shared::domain::community::lifecycle::Refusal;
use shared::domain::community::lifecycle::redemption::{self, RedemptionEvent};
use shared::domain::community::points::PointsReason;
use shared::dto::*;
use shared::error::ErrorCode;
use shared::validate::Check;
use shared::validate::community::resources::RewardFields;

use crate::auth::session::BearerAuth;
use crate::db::models::community::PointsRow;
use crate::db::models::rewards::*;
use crate::db::{DbConn, new_id, now};
use crate::error::ApiError;
use crate::market;
use crate::routes::ApiTags;
use crate::routes::community;
use crate::routes::staff::service::{audit, require_staff};
use crate::state::AppState;

/// Rewards and redemptions.
pub struct RewardsApi;

#[derive(ApiResponse)]
enum RewardCreated {
    /// In the catalogue.
    #[oai(status = 201)]
    Created(Json<Reward>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
enum Redeemed {
    /// Redeemed: the points are taken and the reward is reserved.
    #[oai(status = 201)]
    Created(Json<Redemption>, #[oai(header = "Location")] String),
}

fn reward_dto(row: RewardRow) -> Reward {
    Reward {
        id: row.id,
        name: row.name,
        description: row.description,
        cost: row.cost,
        stock: row.stock,
        active: row.active,
    }
}

fn redemption_dto(conn: &mut DbConn, row: RedemptionRow) -> Result<Redemption, ApiError> {
    let reward_name = RewardRow::find(conn, &row.reward_id)?.map(|r| r.name).unwrap_or_default();
    Ok(Redemption {
        status: row.status,
        created_at: row.created_at.and_utc(),
        decided_at: row.decided_at.map(|t| t.and_utc()),
        id: row.id,
        reward_id: row.reward_id,
        reward_name,
        user_id: row.user_id,
        cost: row.cost,
    })
}

/// 403 unless the caller is an operator or staff admin.
fn require_operator(conn: &mut DbConn, user: &str) -> Result<(), ApiError> {
    if require_staff(conn, user)?.holds_any(&[StaffRole::Operator, StaffRole::Admin]) {
        Ok(())
    } else {
        Err(ApiError::new(ErrorCode::Forbidden, "operators keep the rewards catalogue"))
    }
}

fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "no such reward or redemption")
}

#[OpenApi(tag = "ApiTags::Groups")]
impl RewardsApi {
    /// Add a reward to the catalogue (platform operators; audited).
    #[oai(path = "/rewards", method = "post", operation_id = "create_reward")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Json<CreateRewardRequest>,
    ) -> Result<RewardCreated, ApiError> {
        let RewardFields { name, description } = body.check()?;
        let user = auth.0.user_id;
        let dto = state
            .write(move |c, _| {
                require_operator(c, &user)?;
                let at = now();
                let row = RewardRow {
                    id: new_id(),
                    name,
                    description,
                    cost: body.cost,
                    stock: body.stock,
                    active: true,
                    created_by: user.clone(),
                    created_at: at,
                };
                row.insert(c)?;
                audit(
                    c,
                    &user,
                    "community.reward_created",
                    ("reward", &row.id),
                    json!({"cost": row.cost, "stock": row.stock}),
                    at,
                )?;
                Ok::<_, ApiError>(reward_dto(row))
            })
            .await?;
        let location = format!("/api/v1/rewards/{}", dto.id);
        Ok(RewardCreated::Created(Json(dto), location))
    }

    /// The catalogue, cheapest first (`all=true`, operators: withdrawn rewards too).
    #[oai(path = "/rewards", method = "get", operation_id = "list_rewards")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        all: Query<Option<bool>>,
    ) -> Result<Json<RewardList>, ApiError> {
        let user = auth.0.user_id;
        let list = state
            .db
            .run(move |c| {
                let all = all.0 == Some(true);
                if all {
                    require_operator(c, &user)?;
                }
                let items = RewardRow::list(c, all)?.into_iter().map(reward_dto).collect();
                Ok::<_, ApiError>(RewardList { items })
            })
            .await?;
        Ok(Json(list))
    }

    /// Restock, withdraw or offer a reward again (platform operators; audited).
    #[oai(path = "/rewards/:id", method = "patch", operation_id = "update_reward")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<UpdateRewardRequest>,
    ) -> Result<Json<Reward>, ApiError> {
        let user = auth.0.user_id;
        let dto = state
            .write(move |c, _| {
                require_operator(c, &user)?;
                let row = RewardRow::find(c, &id.0)?.ok_or_else(not_found)?;
                // Relative updates: redemptions made meanwhile are not overwritten.
                if let Some(n) = body.restock
                    && !RewardRow::restock(c, &row.id, n)?
                {
                    return Err(ApiError::field("restock", "below_zero", format!("only {} left", row.stock)));
                }
                if let Some(active) = body.active {
                    RewardRow::set_active(c, &row.id, active)?;
                }
                let row = RewardRow::find(c, &row.id)?.ok_or_else(not_found)?;
                audit(
                    c,
                    &user,
                    "community.reward_updated",
                    ("reward", &row.id),
                    json!({"stock": row.stock, "active": row.active}),
                    now(),
                )?;
                Ok(reward_dto(row))
            })
            .await?;
        Ok(Json(dto))
    }

    /// Redeem points for a reward. 409 `out_of_stock` when none is left, 409
    /// `not_enough_points` when the balance does not cover the cost; nothing changes then.
    #[oai(path = "/rewards/:id/redemptions", method = "post", operation_id = "create_redemption")]
    async fn redeem(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
    ) -> Result<Redeemed, ApiError> {
        let user = auth.0.user_id;
        let dto = state
            .write(move |c, _| {
                let reward = RewardRow::find(c, &id.0)?.filter(|r| r.active).ok_or_else(not_found)?;
                // Taking stock is conditional (no overselling); refused, the transaction rolls it back.
                let in_stock = RewardRow::take_one(c, &reward.id)?;
                let status = redemption::redeem(in_stock, reward.cost, BalanceRow::get(c, &user)?)?;
                if !BalanceRow::debit(c, &user, reward.cost)? {
                    // A concurrent redemption spent the points since the balance was read.
                    let balance = BalanceRow::get(c, &user)?;
                    return Err(Refusal::NotEnoughPoints { cost: reward.cost, balance }.into());
                }
                let at = now();
                let row = RedemptionRow {
                    id: new_id(),
                    reward_id: reward.id.clone(),
                    user_id: user.clone(),
                    cost: reward.cost,
                    status,
                    created_at: at,
                    decided_at: None,
                    decided_by: None,
                };
                row.insert(c)?;
                // The balance row was debited above; the ledger entry records why.
                PointsRow {
                    id: new_id(),
                    user_id: user.clone(),
                    delta: -reward.cost,
                    reason: PointsReason::Redemption,
                    group_id: None,
                    subject_id: Some(row.id.clone()),
                    created_at: at,
                }
                .insert(c)?;
                redemption_dto(c, row)
            })
            .await?;
        let location = format!("/api/v1/redemptions/{}", dto.id);
        Ok(Redeemed::Created(Json(dto), location))
    }

    /// The caller's redemptions, newest first.
    #[oai(path = "/me/redemptions", method = "get", operation_id = "list_my_redemptions")]
    async fn mine(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
        #[oai(validator(max_length = 64))] cursor: Query<Option<String>>,
    ) -> Result<Json<RedemptionPage>, ApiError> {
        let user = auth.0.user_id;
        let limit = market::limit(limit.0);
        let page = state
            .db
            .run(move |c| {
                let rows = RedemptionRow::page(c, Some(&user), None, cursor.0.as_deref(), limit + 1)?;
                let (rows, next_cursor) = market::page(rows, limit, |r| r.id.clone());
                let items = rows.into_iter().map(|r| redemption_dto(c, r)).collect::<Result<_, _>>()?;
                Ok::<_, ApiError>(RedemptionPage { items, next_cursor })
            })
            .await?;
        Ok(Json(page))
    }

    /// Cancel a redemption that was not handed over yet (the person, or an operator): the
    /// points and the stock are returned.
    #[oai(
        path = "/redemptions/:id/cancellation",
        method = "post",
        operation_id = "create_redemption_cancellation"
    )]
    async fn cancel(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
    ) -> Result<Json<Redemption>, ApiError> {
        let user = auth.0.user_id;
        let dto = state
            .write(move |c, _| {
                let row = RedemptionRow::find(c, &id.0)?.ok_or_else(not_found)?;
                let staff = row.user_id != user;
                if staff {
                    require_operator(c, &user).map_err(|_| not_found())?;
                }
                let at = now();
                let next = redemption::transition(row.status, RedemptionEvent::Cancel)?;
                // Conditional: of two concurrent cancellations only one refunds.
                if !RedemptionRow::decide(c, &row.id, row.status, next, &user, at)? {
                    return Err(Refusal::RedemptionNotCancellable.into());
                }
                let row = RedemptionRow::find(c, &row.id)?.ok_or_else(not_found)?;
                RewardRow::put_back(c, &row.reward_id)?;
                community::record_points(
                    c,
                    &row.user_id,
                    row.cost,
                    PointsReason::RedemptionRefund,
                    None,
                    Some(&row.id),
                    at,
                )?;
                if staff {
                    audit(
                        c,
                        &user,
                        "community.redemption_cancelled",
                        ("redemption", &row.id),
                        json!({}),
                        at,
                    )?;
                }
                redemption_dto(c, row)
            })
            .await?;
        Ok(Json(dto))
    }

    /// Mark a redemption handed over (platform operators; audited).
    #[oai(
        path = "/redemptions/:id/fulfilment",
        method = "post",
        operation_id = "create_redemption_fulfilment"
    )]
    async fn fulfil(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
    ) -> Result<Json<Redemption>, ApiError> {
        let user = auth.0.user_id;
        let dto = state
            .write(move |c, _| {
                require_operator(c, &user)?;
                let row = RedemptionRow::find(c, &id.0)?.ok_or_else(not_found)?;
                let at = now();
                let next = redemption::transition(row.status, RedemptionEvent::Fulfil)?;
                if !RedemptionRow::decide(c, &row.id, row.status, next, &user, at)? {
                    return Err(Refusal::RedemptionDecided.into());
                }
                let row = RedemptionRow::find(c, &row.id)?.ok_or_else(not_found)?;
                audit(c, &user, "community.redemption_fulfilled", ("redemption", &row.id), json!({}), at)?;
                redemption_dto(c, row)
            })
            .await?;
        Ok(Json(dto))
    }
}
