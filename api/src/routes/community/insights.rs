//! Group insights: anonymous feedback to the admins, the weekly digest (featured posts, new
//! resources, coming events) and the admins' analytics (active members, posts per day, question
//! resolution rate, satisfaction).

use chrono::{Duration, NaiveDate};
use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use shared::domain::calendar::shanghai;
use shared::domain::community::groups::GroupAction;
use shared::domain::community::insights::{self, Activity, week_start};
use shared::domain::community::lifecycle::Refusal;
use shared::dto::*;
use shared::validate::Check;

use crate::auth::session::{BearerAuth, optional_user};
use crate::db::models::community::GroupMemberRow;
use crate::db::models::events::EventRow;
use crate::db::models::insights::{self as reads, FeedbackRow};
use crate::db::models::shared_resources::SharedResourceRow;
use crate::error::ApiError;
use crate::routes::ApiTags;
use crate::routes::community::{self, InGroup};
use crate::state::AppState;

/// How many days the analytics cover.
const ANALYTICS_DAYS: u32 = 30;

/// Insights.
pub struct InsightsApi;

#[derive(ApiResponse)]
enum FeedbackGiven {
    /// Counted for this week.
    #[oai(status = 201)]
    Created(Json<FeedbackReceipt>),
}

#[OpenApi(tag = "ApiTags::Groups")]
impl InsightsApi {
    /// Give the group's admins anonymous feedback (members; once a week per group). What is
    /// stored carries no person and no time but the week.
    #[oai(path = "/groups/:id/feedback", method = "post", operation_id = "create_group_feedback")]
    async fn give(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<FeedbackRequest>,
    ) -> Result<FeedbackGiven, ApiError> {
        let text = body.check()?;
        let user = auth.0.user_id;
        let week = week_start(shanghai::business_date(crate::clock::current().now()));
        state
            .write(move |c, _| {
                InGroup::load(c, &id.0, Some(&user))?.ensure_member()?;
                let row = FeedbackRow {
                    id: uuid::Uuid::new_v4().to_string(),
                    group_id: id.0.clone(),
                    score: body.score,
                    body: text,
                    week: week.to_string(),
                };
                if !row.insert_once(c, &user)? {
                    return Err(Refusal::FeedbackGiven.into());
                }
                Ok::<_, ApiError>(())
            })
            .await?;
        Ok(FeedbackGiven::Created(Json(FeedbackReceipt { week })))
    }

    /// The group's anonymous feedback, newest weeks first, with the mean score (admins). A week's
    /// feedback shows once the week is over: read live, a change right after a known person
    /// gave feedback would tell what they wrote.
    #[oai(path = "/groups/:id/feedback", method = "get", operation_id = "list_group_feedback")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
    ) -> Result<Json<FeedbackList>, ApiError> {
        let user = auth.0.user_id;
        let this_week = week_start(shanghai::business_date(crate::clock::current().now()));
        let list = state
            .db
            .run(move |c| {
                InGroup::load(c, &id.0, Some(&user))?.ensure_may(GroupAction::SeeAnalytics)?;
                let rows = FeedbackRow::latest(c, &id.0, None, &this_week.to_string(), 200)?;
                let scores: Vec<i32> = rows.iter().map(|r| r.score).collect();
                let items = rows
                    .into_iter()
                    .map(|r| Feedback {
                        score: r.score,
                        body: r.body,
                        week: NaiveDate::parse_from_str(&r.week, "%Y-%m-%d").unwrap_or_default(),
                    })
                    .collect();
                Ok::<_, ApiError>(FeedbackList { items, mean_score: insights::mean_score(&scores) })
            })
            .await?;
        Ok(Json(list))
    }

    /// The weekly digest (readers of the group): featured posts written in the week, resources
    /// shared in it, and events starting from its Monday until a week after it ends. `week` is
    /// any day of the week wanted (default: this week, Asia/Shanghai).
    #[oai(path = "/groups/:id/digest", method = "get", operation_id = "get_group_digest")]
    async fn digest(
        &self,
        state: Data<&AppState>,
        req: &Request,
        id: Path<String>,
        week: Query<Option<NaiveDate>>,
    ) -> Result<Json<GroupDigest>, ApiError> {
        let user = optional_user(req).await?.map(|u| u.user_id);
        let day = week.0.unwrap_or_else(|| shanghai::business_date(crate::clock::current().now()));
        if !(2000..=2100).contains(&chrono::Datelike::year(&day)) {
            return Err(ApiError::field("week", "invalid", "a week between 2000 and 2100"));
        }
        let monday = week_start(day);
        let from = shanghai::start_of_day(monday).naive_utc();
        let to = shanghai::start_of_day(monday + Duration::days(7)).naive_utc();
        let events_to = shanghai::start_of_day(monday + Duration::days(14)).naive_utc();
        let digest = state
            .db
            .run(move |c| {
                let view = InGroup::load(c, &id.0, user.as_deref())?;
                view.ensure_read()?;
                let posts = reads::featured_between(c, &id.0, from, to)?;
                let featured_posts = community::post_dtos(c, posts, user.as_deref(), false)?;
                let resources = SharedResourceRow::shared_between(c, &id.0, from, to)?;
                let new_resources = crate::routes::community::shared_resources::service::resource_dtos(
                    c,
                    resources,
                    user.as_deref(),
                )?;
                let events = EventRow::starting_between(c, &id.0, from, events_to)?;
                let coming_events =
                    crate::routes::community::events::service::event_dtos(c, events, user.as_deref())?;
                Ok::<_, ApiError>(GroupDigest {
                    group_id: view.group.id.clone(),
                    group_name: view.group.name.clone(),
                    week: monday,
                    featured_posts,
                    new_resources,
                    coming_events,
                })
            })
            .await?;
        Ok(Json(digest))
    }

    /// The group's analytics for the last 30 days (admins): active members, posts and active
    /// members per day, the question resolution rate and satisfaction from anonymous feedback of
    /// the weeks that are over.
    #[oai(path = "/groups/:id/analytics", method = "get", operation_id = "get_group_analytics")]
    async fn analytics(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
    ) -> Result<Json<GroupAnalytics>, ApiError> {
        let user = auth.0.user_id;
        let now = crate::clock::current().now();
        let today = shanghai::business_date(now);
        let first = today - Duration::days(i64::from(ANALYTICS_DAYS) - 1);
        let since = shanghai::start_of_day(first).naive_utc();
        let dto = state
            .db
            .run(move |c| {
                InGroup::load(c, &id.0, Some(&user))?.ensure_may(GroupAction::SeeAnalytics)?;
                let activity: Vec<Activity> = reads::activity_since(c, &id.0, since)?
                    .into_iter()
                    .map(|(at, user, post)| Activity {
                        day: shanghai::business_date(at.and_utc()),
                        user,
                        post,
                    })
                    .collect();
                let (questions, solved_questions) = reads::questions_since(c, &id.0, since)?;
                let this_week = week_start(today).to_string();
                let feedback =
                    FeedbackRow::latest(c, &id.0, Some(&week_start(first).to_string()), &this_week, 10_000)?;
                let scores: Vec<i32> = feedback.iter().map(|f| f.score).collect();
                let days = insights::daily(&activity, first, ANALYTICS_DAYS)
                    .into_iter()
                    .map(|d| ActivityDay { day: d.day, posts: d.posts, active_members: d.active_members })
                    .collect();
                Ok::<_, ApiError>(GroupAnalytics {
                    member_count: GroupMemberRow::count(c, &id.0)?,
                    active_members_7d: insights::active_since(&activity, today - Duration::days(6)),
                    active_members_30d: insights::active_since(&activity, first),
                    days,
                    questions,
                    solved_questions,
                    resolution_rate: insights::resolution_rate(questions, solved_questions),
                    satisfaction: insights::mean_score(&scores),
                    satisfaction_responses: scores.len() as i64,
                    computed_at: now,
                })
            })
            .await?;
        Ok(Json(dto))
    }
}
