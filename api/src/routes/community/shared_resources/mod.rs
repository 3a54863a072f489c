//! Shared resources of a group (资源分享): sharing in the fixed format (+10 points, at most 5
//! awards a day), categories, 1–5 ratings (never one's own) and comments, sorting by rating,
//! deletion (within a day of sharing it takes the award back) and the monthly update log.

pub mod service;

use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use shared::domain::community::groups::GroupAction;
use shared::domain::community::points::{PointsReason, award, withdrawal_reverses_award};
use shared::domain::community::resources::{monthly_log_text, sort_score};
use shared::dto::*;
use shared::error::ErrorCode;
use shared::validate::Check;

use crate::auth::session::{BearerAuth, optional_user};
use crate::db::models::community::PointsRow;
use crate::db::models::shared_resources::*;
use crate::db::{DbConn, new_id, now};
use crate::error::ApiError;
use crate::market;
use crate::routes::ApiTags;
use crate::routes::community::shared_resources::service::{self as resources, resource_dto};
use crate::routes::community::{self, InGroup, not_found};
use crate::state::AppState;

/// Shared resources.
pub struct SharedResourcesApi;

#[derive(ApiResponse)]
enum ResourceShared {
    /// Shared (+10 points to the sharer unless the day's 5 awards are used up).
    #[oai(status = 201)]
    Created(Json<SharedResource>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
enum CommentCreated {
    /// Posted.
    #[oai(status = 201)]
    Created(Json<ResourceComment>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
enum ResourceDeleted {
    /// Deleted.
    #[oai(status = 204)]
    Done,
}

/// Loads a published resource the caller may read, with its group.
fn readable(
    conn: &mut DbConn,
    id: &str,
    user: Option<&str>,
) -> Result<(SharedResourceRow, InGroup), ApiError> {
    let row = SharedResourceRow::find(conn, id)?
        .filter(|r| r.status == SharedResourceStatus::Published)
        .ok_or_else(not_found)?;
    let view = InGroup::load(conn, &row.group_id, user)?;
    view.ensure_read()?;
    Ok((row, view))
}

#[OpenApi(tag = "ApiTags::Groups")]
impl SharedResourcesApi {
    /// Share a resource in a group (members who are not muted): name, source (required),
    /// applicable scenario, category, and a link or an uploaded file.
    #[oai(path = "/groups/:id/shared-resources", method = "post", operation_id = "create_shared_resource")]
    async fn share(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<ShareResourceRequest>,
    ) -> Result<ResourceShared, ApiError> {
        let user = auth.0.user_id;
        let dto = state
            .write(move |c, _| {
                let view = InGroup::load(c, &id.0, Some(&user))?;
                let at = now();
                view.ensure_may_speak(at)?;
                let checked = resources::check_share(c, &body, &user, &view)?;
                let row = SharedResourceRow {
                    id: new_id(),
                    group_id: id.0.clone(),
                    name: checked.name,
                    source: checked.source,
                    scenario: checked.scenario,
                    category: checked.category,
                    link: checked.link,
                    file_sha256: checked.file_id,
                    sharer_id: user.clone(),
                    status: SharedResourceStatus::Published,
                    rating_sum: 0,
                    rating_count: 0,
                    created_at: at,
                    deleted_at: None,
                    deleted_by: None,
                };
                row.insert(c)?;
                let today = community::awards_today(c, &user, PointsReason::ResourceShared, at)?;
                let points = award(PointsReason::ResourceShared, today);
                let reason = PointsReason::ResourceShared;
                community::record_points(c, &user, points, reason, Some(&row.group_id), Some(&row.id), at)?;
                resource_dto(c, row, Some(&user))
            })
            .await?;
        let location = format!("/api/v1/shared-resources/{}", dto.id);
        Ok(ResourceShared::Created(Json(dto), location))
    }

    /// A group's shared resources (open groups: anyone; others: members), optionally of one
    /// category. `sort=newest` (default) pages with `cursor`; `sort=rating` returns the best
    /// `limit` (Bayesian mean of the ratings, unrated last) without further pages.
    #[expect(clippy::too_many_arguments, reason = "the query parameters of one endpoint")]
    #[oai(path = "/groups/:id/shared-resources", method = "get", operation_id = "list_shared_resources")]
    async fn list(
        &self,
        state: Data<&AppState>,
        req: &Request,
        id: Path<String>,
        category: Query<Option<ResourceCategory>>,
        sort: Query<Option<ResourceSort>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
        #[oai(validator(max_length = 64))] cursor: Query<Option<String>>,
    ) -> Result<Json<SharedResourcePage>, ApiError> {
        let user = optional_user(req).await?.map(|u| u.user_id);
        let limit = market::limit(limit.0);
        let page = state
            .db
            .run(move |c| {
                InGroup::load(c, &id.0, user.as_deref())?.ensure_read()?;
                let category = category.0;
                let (rows, next_cursor) = if sort.0 == Some(ResourceSort::Rating) {
                    let mut rows = SharedResourceRow::published(c, &id.0, category, None, 10_000)?;
                    rows.sort_by(|a, b| {
                        sort_score(b.rating_sum, b.rating_count)
                            .total_cmp(&sort_score(a.rating_sum, a.rating_count))
                            .then_with(|| b.id.cmp(&a.id))
                    });
                    rows.truncate(usize::try_from(limit).unwrap_or(20));
                    (rows, None)
                } else {
                    let rows =
                        SharedResourceRow::published(c, &id.0, category, cursor.0.as_deref(), limit + 1)?;
                    market::page(rows, limit, |r| r.id.clone())
                };
                let items = resources::resource_dtos(c, rows, user.as_deref())?;
                Ok::<_, ApiError>(SharedResourcePage { items, next_cursor })
            })
            .await?;
        Ok(Json(page))
    }

    /// One shared resource.
    #[oai(path = "/shared-resources/:id", method = "get", operation_id = "get_shared_resource")]
    async fn get(
        &self,
        state: Data<&AppState>,
        req: &Request,
        id: Path<String>,
    ) -> Result<Json<SharedResource>, ApiError> {
        let user = optional_user(req).await?.map(|u| u.user_id);
        let dto = state
            .db
            .run(move |c| {
                let (row, _) = readable(c, &id.0, user.as_deref())?;
                resource_dto(c, row, user.as_deref())
            })
            .await?;
        Ok(Json(dto))
    }

    /// Delete a shared resource (its sharer, or the group's resource admins). Deleted within a
    /// day of sharing, the sharer's award for it is taken back.
    #[oai(path = "/shared-resources/:id", method = "delete", operation_id = "delete_shared_resource")]
    async fn delete(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
    ) -> Result<ResourceDeleted, ApiError> {
        let user = auth.0.user_id;
        state
            .write(move |c, _| {
                let (row, view) = readable(c, &id.0, Some(&user))?;
                if row.sharer_id != user {
                    view.ensure_may(GroupAction::ManageResources)?;
                }
                let at = now();
                // Conditional: of two concurrent deletions only one takes the award back.
                if !SharedResourceRow::mark_deleted(c, &row.id, &user, at)? {
                    return Err(not_found());
                }
                if withdrawal_reverses_award(row.created_at.and_utc(), at.and_utc()) {
                    let awarded =
                        PointsRow::award_for(c, &row.sharer_id, PointsReason::ResourceShared, &row.id)?;
                    let reason = PointsReason::ResourceWithdrawn;
                    community::record_points(
                        c,
                        &row.sharer_id,
                        -awarded,
                        reason,
                        Some(&row.group_id),
                        Some(&row.id),
                        at,
                    )?;
                }
                Ok::<_, ApiError>(())
            })
            .await?;
        Ok(ResourceDeleted::Done)
    }

    /// Rate a resource 1–5 (members; not one's own). Rating again replaces one's rating.
    #[oai(path = "/shared-resources/:id/ratings", method = "post", operation_id = "create_resource_rating")]
    async fn rate(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<RateResourceRequest>,
    ) -> Result<Json<SharedResource>, ApiError> {
        let user = auth.0.user_id;
        let dto = state
            .write(move |c, _| {
                let (row, view) = readable(c, &id.0, Some(&user))?;
                view.ensure_member()?;
                if row.sharer_id == user {
                    return Err(ApiError::new(ErrorCode::Forbidden, "you cannot rate a resource you shared")
                        .with_detail("stars", "own_resource"));
                }
                let previous = RatingRow::find(c, &row.id, &user)?;
                let (sum, count) = match &previous {
                    Some(p) => (i64::from(body.stars - p.stars), 0),
                    None => (i64::from(body.stars), 1),
                };
                RatingRow {
                    resource_id: row.id.clone(),
                    user_id: user.clone(),
                    stars: body.stars,
                    rated_at: now(),
                }
                .upsert(c)?;
                // Relative, so concurrent ratings by different people all count.
                SharedResourceRow::add_rating(c, &row.id, sum, count)?;
                let row = SharedResourceRow::find(c, &row.id)?.ok_or_else(not_found)?;
                resource_dto(c, row, Some(&user))
            })
            .await?;
        Ok(Json(dto))
    }

    /// Comment on a resource (members who are not muted; banned words are refused).
    #[oai(path = "/shared-resources/:id/comments", method = "post", operation_id = "create_resource_comment")]
    async fn comment(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<CommentRequest>,
    ) -> Result<CommentCreated, ApiError> {
        let text = body.check()?;
        let user = auth.0.user_id;
        let dto = state
            .write(move |c, _| {
                let (row, view) = readable(c, &id.0, Some(&user))?;
                let at = now();
                view.ensure_may_speak(at)?;
                let banned = view.banned_words(&text);
                if !banned.is_empty() {
                    return Err(ApiError::field(
                        "body",
                        "banned_words",
                        format!("含有违禁词：{}", banned.join("、")),
                    ));
                }
                let comment = CommentRow {
                    id: new_id(),
                    resource_id: row.id,
                    author_id: user.clone(),
                    body: text,
                    created_at: at,
                };
                comment.insert(c)?;
                resources::comment_dtos(c, &row.group_id, vec![comment])?.pop().ok_or_else(not_found)
            })
            .await?;
        let location = format!("/api/v1/shared-resources/{}/comments", dto.resource_id);
        Ok(CommentCreated::Created(Json(dto), location))
    }

    /// A resource's comments, oldest first.
    #[oai(path = "/shared-resources/:id/comments", method = "get", operation_id = "list_resource_comments")]
    async fn comments(
        &self,
        state: Data<&AppState>,
        req: &Request,
        id: Path<String>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
        #[oai(validator(max_length = 64))] cursor: Query<Option<String>>,
    ) -> Result<Json<ResourceCommentPage>, ApiError> {
        let user = optional_user(req).await?.map(|u| u.user_id);
        let limit = market::limit(limit.0);
        let page = state
            .db
            .run(move |c| {
                let (row, _) = readable(c, &id.0, user.as_deref())?;
                let rows = CommentRow::page(c, &row.id, cursor.0.as_deref(), limit + 1)?;
                let (rows, next_cursor) = market::page(rows, limit, |r| r.id.clone());
                let items = resources::comment_dtos(c, &row.group_id, rows)?;
                Ok::<_, ApiError>(ResourceCommentPage { items, next_cursor })
            })
            .await?;
        Ok(Json(page))
    }

    /// The monthly update log (资源更新日志): what was shared in a month (`YYYY-MM`, Asia/Shanghai;
    /// default this month) and is still shared, by category, with a text ready to post.
    #[oai(path = "/groups/:id/resource-log", method = "get", operation_id = "get_resource_log")]
    async fn log(
        &self,
        state: Data<&AppState>,
        req: &Request,
        id: Path<String>,
        #[oai(validator(max_length = 7))] month: Query<Option<String>>,
    ) -> Result<Json<MonthlyResourceLog>, ApiError> {
        let user = optional_user(req).await?.map(|u| u.user_id);
        let month = month.0.unwrap_or_else(|| resources::this_month(crate::clock::current().now()));
        let (from, to) = resources::month_range(&month)?;
        let log = state
            .db
            .run(move |c| {
                let view = InGroup::load(c, &id.0, user.as_deref())?;
                view.ensure_read()?;
                let rows = SharedResourceRow::shared_between(c, &id.0, from, to)?;
                let items = resources::resource_dtos(c, rows, user.as_deref())?;
                let total = items.len() as i64;
                let sections: Vec<MonthlyLogSection> = ResourceCategory::ALL
                    .iter()
                    .copied()
                    .map(|category| MonthlyLogSection {
                        category,
                        items: items.iter().filter(|i| i.category == category).cloned().collect(),
                    })
                    .filter(|s| !s.items.is_empty())
                    .collect();
                let text = monthly_log_text(&view.group.name, &month, &sections);
                Ok::<_, ApiError>(MonthlyResourceLog { month, total, sections, text })
            })
            .await?;
        Ok(Json(log))
    }
}
