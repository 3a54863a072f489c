//! A person's community points: the ledger statement, the referral code, and the weekly and
//! monthly leaderboards.

use poem::Request;
use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use shared::domain::community::points::period_start;
use shared::dto::*;

use crate::auth::session::{BearerAuth, optional_user};
use crate::db::models::community::{GroupMemberRow, PointsRow};
use crate::error::ApiError;
use crate::market;
use crate::routes::ApiTags;
use crate::routes::community::InGroup;
use crate::routes::community::referrals;
use crate::state::AppState;

/// Points.
pub struct PointsApi;

#[OpenApi(tag = "ApiTags::Groups")]
impl PointsApi {
    /// The caller's points: the balance (the sum of the ledger) and the entries, newest first.
    #[oai(path = "/me/points", method = "get", operation_id = "get_my_points")]
    async fn mine(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
        #[oai(validator(max_length = 64))] cursor: Query<Option<String>>,
    ) -> Result<Json<PointsStatement>, ApiError> {
        let limit = market::limit(limit.0);
        let user = auth.0.user_id;
        let statement = state
            .db
            .run(move |c| {
                let balance = PointsRow::balance(c, &user)?;
                let rows = PointsRow::page(c, &user, cursor.0.as_deref(), limit + 1)?;
                let (rows, next_cursor) = market::page(rows, limit, |r| r.id.clone());
                let items = rows
                    .into_iter()
                    .map(|r| PointsEntry {
                        id: r.id,
                        delta: r.delta,
                        reason: r.reason,
                        group_id: r.group_id,
                        subject_id: r.subject_id,
                        created_at: r.created_at.and_utc(),
                    })
                    .collect();
                Ok::<_, ApiError>(PointsStatement { balance, items, next_cursor })
            })
            .await?;
        Ok(Json(statement))
    }

    /// The caller's referral code (made on first request), how many people registered with it
    /// and how many of them earned the caller 20 points (their organisation was verified).
    #[oai(path = "/me/referral", method = "get", operation_id = "get_my_referral")]
    async fn referral(&self, state: Data<&AppState>, auth: BearerAuth) -> Result<Json<Referral>, ApiError> {
        let user = auth.0.user_id;
        let referral = state
            .write(move |c, _| {
                let code = referrals::code_of(c, &user)?;
                let (registered, rewarded) = referrals::counts(c, &user)?;
                Ok::<_, ApiError>(Referral { code, registered, rewarded })
            })
            .await?;
        Ok(Json(referral))
    }

    /// Who earned the most points this week (Monday 00:00 Asia/Shanghai) or month: the top 20,
    /// platform-wide or in one group (open groups: anyone; others: their members). Redemptions
    /// do not lower a place on the board.
    #[oai(path = "/points/leaderboard", method = "get", operation_id = "get_points_leaderboard")]
    async fn leaderboard(
        &self,
        state: Data<&AppState>,
        req: &Request,
        period: Query<Option<Period>>,
        #[oai(validator(max_length = 64))] group_id: Query<Option<String>>,
    ) -> Result<Json<Leaderboard>, ApiError> {
        let period = period.0.unwrap_or(Period::Week);
        let since = period_start(period, crate::clock::current().now());
        let viewer = optional_user(req).await?.map(|u| u.user_id);
        let board = state
            .db
            .run(move |c| {
                if let Some(group_id) = group_id.0.as_deref() {
                    // A group's board shows its members: readable where its posts are.
                    InGroup::load(c, group_id, viewer.as_deref())?.ensure_read()?;
                }
                let totals = PointsRow::leaderboard(c, since.naive_utc(), group_id.0.as_deref(), 20)?;
                // A group's board names people by their nickname in the group.
                let nicknames = match group_id.0.as_deref() {
                    Some(group_id) => {
                        let people: Vec<String> = totals.iter().map(|(u, _, _)| u.clone()).collect();
                        GroupMemberRow::nicknames(c, group_id, &people)?
                    }
                    None => Default::default(),
                };
                let items = totals
                    .into_iter()
                    .zip(1..)
                    .map(|((user_id, name, points), rank)| LeaderboardEntry {
                        rank,
                        name: nicknames.get(&user_id).map(|(n, _)| n.clone()).unwrap_or(name),
                        user_id,
                        points,
                    })
                    .collect();
                Ok::<_, ApiError>(Leaderboard { period, since, items })
            })
            .await?;
        Ok(Json(board))
    }
}
