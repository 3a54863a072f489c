//! Demand rules at the API edge: checking a demand's fields, submission (review below the
//! Certified tier, SLA two business days), publication with matching and invitations, and the
//! DTOs. The ranking itself is `shared::domain::matching`.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use shared::domain::calendar::shanghai::business_date;
use shared::domain::calendar::{BusinessCalendar, Coverage, Reckoned};
use shared::domain::matching::{HardConstraint, Language, MatchingConfig, describe_highlights};
use shared::dto::*;
use shared::error::ErrorCode;

use crate::db::models::demands::{DemandInvitationRow, DemandRow, InvitationWithNames, RecommendationRow};
use crate::db::models::projects::ProjectRow;
use crate::db::{DbConn, new_id, now};
use crate::error::ApiError;
use crate::market::{Checks, attached, check_files, from_json, to_json};
use crate::routes::demands::matching::{CandidatePool, requirement};
use crate::routes::notifications::notify::{self, Notice};

/// Business days the platform review may take.
pub const REVIEW_SLA_BUSINESS_DAYS: u32 = 2;
/// Ranked organisations kept per demand (the poster can invite more from them).
pub const RANKED_LIST_LENGTH: usize = 20;
/// Invited on publication: the engine's recommendation count.
pub const INVITED_ON_PUBLICATION: usize = 5;
/// Most required qualifications on one demand.
const MAX_QUALIFICATIONS: usize = 5;

/// 404 for a demand the caller may not see.
pub fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "demand not found")
}

/// The create request as a full update.
pub fn as_update(body: &CreateDemandRequest) -> UpdateDemandRequest {
    UpdateDemandRequest {
        title: Some(body.title.clone()),
        category: Some(body.category.clone()),
        scope: Some(body.scope.clone()),
        quantity: body.quantity.clone(),
        budget_min_fen: Some(body.budget_min_fen),
        budget_max_fen: Some(body.budget_max_fen),
        region_code: Some(body.region_code.clone()),
        required_qualifications: Some(body.required_qualifications.clone()),
        deadline: Some(body.deadline),
        files: Some(body.files.clone()),
    }
}

/// Applies a partial update and checks the demand as a whole.
pub fn update_row(
    conn: &mut DbConn,
    row: &mut DemandRow,
    body: &UpdateDemandRequest,
    user: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let mut checks = Checks::default();
    if let Some(title) = &body.title {
        row.title = checks.text("title", title, 4, 100);
    }
    if let Some(category) = &body.category {
        checks.category("category", category);
        row.category = category.clone();
    }
    if let Some(scope) = &body.scope {
        row.scope = checks.text("scope", scope, 10, 5000);
    }
    if body.quantity.is_some() {
        row.quantity = checks.optional_text("quantity", body.quantity.as_deref(), 100);
    }
    if let Some(min) = body.budget_min_fen {
        checks.amount("budget_min_fen", min);
        row.budget_min_fen = min;
    }
    if let Some(max) = body.budget_max_fen {
        checks.amount("budget_max_fen", max);
        row.budget_max_fen = max;
    }
    if row.budget_min_fen > row.budget_max_fen {
        checks.issue("budget_max_fen", "below_minimum");
    }
    if let Some(region) = &body.region_code {
        checks.region("region_code", region);
        row.region_code = region.clone();
    }
    if let Some(required) = &body.required_qualifications {
        if required.len() > MAX_QUALIFICATIONS {
            checks.issue("required_qualifications", "too_many");
        }
        for (i, q) in required.iter().enumerate() {
            match shared::taxonomy::qualification_type(&q.type_code) {
                None => {
                    checks.issue(&format!("required_qualifications[{i}].type_code"), "unknown_qualification")
                }
                Some(_) if requirement(q).is_none() => {
                    checks.issue(&format!("required_qualifications[{i}].minimum_grade"), "unknown_grade");
                }
                Some(_) => {}
            }
        }
        row.required_qualifications = to_json(required);
    }
    if let Some(deadline) = body.deadline {
        if deadline <= business_date(now) {
            checks.issue("deadline", "not_in_future");
        }
        row.deadline = deadline;
    }
    checks.finish()?;
    if let Some(files) = &body.files {
        row.files = to_json(&check_files(conn, "files", files, user)?);
    }
    Ok(())
}

/// Checks that a linked project belongs to the demand's organisation.
pub fn check_project(conn: &mut DbConn, project_id: Option<&str>, org_id: &str) -> Result<(), ApiError> {
    let Some(project_id) = project_id else { return Ok(()) };
    match ProjectRow::find(conn, project_id)? {
        Some((project, _)) if project.org_id == org_id => Ok(()),
        _ => Err(ApiError::field("project_id", "not_found", "no such project of your organisation")),
    }
}

/// The status of a row.
pub fn status(row: &DemandRow) -> DemandStatus {
    DemandStatus::parse(&row.status).unwrap_or(DemandStatus::Draft)
}

/// The API view of a demand; `calendar` tells whether its review deadline is an estimate.
pub fn dto(
    conn: &mut DbConn,
    row: DemandRow,
    org_name: String,
    calendar: &BusinessCalendar,
) -> Result<DemandView, ApiError> {
    let calendar_estimated = match (row.review_due_at, row.submitted_at) {
        (Some(_), Some(submitted)) => {
            review_due(calendar, submitted.and_utc())?.coverage != Coverage::Official
        }
        _ => false,
    };
    Ok(DemandView {
        calendar_estimated,
        files: attached(conn, &row.files)?,
        category_name: shared::taxonomy::category(&row.category).map(|c| c.zh.clone()).unwrap_or_default(),
        region_name: shared::gb2260::full_name(&row.region_code).unwrap_or_default(),
        kind: DemandKind::parse(&row.kind).unwrap_or(DemandKind::Procurement),
        required_qualifications: from_json(&row.required_qualifications),
        status: status(&row),
        id: row.id,
        org_id: row.org_id,
        org_name,
        title: row.title,
        category: row.category,
        scope: row.scope,
        quantity: row.quantity,
        budget_min_fen: row.budget_min_fen,
        budget_max_fen: row.budget_max_fen,
        region_code: row.region_code,
        deadline: row.deadline,
        project_id: row.project_id,
        submitted_at: row.submitted_at.map(|t| t.and_utc()),
        review_due_at: row.review_due_at.map(|t| t.and_utc()),
        rejection_reason: row.rejection_reason,
        published_at: row.published_at.map(|t| t.and_utc()),
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    })
}

/// The deadline of a review submitted at `at`, with whether official holiday data covered it.
pub fn review_due(
    calendar: &BusinessCalendar,
    at: DateTime<Utc>,
) -> Result<Reckoned<DateTime<Utc>>, ApiError> {
    calendar.business_deadline(at, REVIEW_SLA_BUSINESS_DAYS).map_err(ApiError::internal)
}

/// Recomputes the review deadline of every demand waiting for review with `calendar` (after a
/// year's schedule was uploaded) and stores those that moved. Returns how many moved.
pub fn recompute_review_deadlines(conn: &mut DbConn, calendar: &BusinessCalendar) -> Result<usize, ApiError> {
    use crate::db::schema::demands;
    let pending: Vec<(String, Option<chrono::NaiveDateTime>, Option<chrono::NaiveDateTime>)> = demands::table
        .filter(demands::status.eq(DemandStatus::PendingReview.as_str()))
        .filter(demands::review_due_at.is_not_null())
        .select((demands::id, demands::submitted_at, demands::review_due_at))
        .load(conn)?;
    let mut moved = 0;
    for (id, submitted, stored) in pending {
        let Some(submitted) = submitted else { continue };
        let due = review_due(calendar, submitted.and_utc())?.value.naive_utc();
        if stored != Some(due) {
            diesel::update(demands::table.find(&id))
                .set(demands::review_due_at.eq(Some(due)))
                .execute(conn)?;
            moved += 1;
        }
    }
    Ok(moved)
}

/// What matching found, kept with the demand.
#[derive(Serialize, Deserialize)]
pub struct MatchSummary {
    candidates_considered: i64,
    qualified: i64,
    fewer_than_minimum: bool,
    exclusions: Vec<(String, i64)>,
    matched_at: DateTime<Utc>,
}

fn constraint_code(constraint: HardConstraint) -> String {
    serde_json::to_value(constraint).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// Organisations notified, for the live stream and the candidate pool's invitation counts.
pub struct Published {
    /// Notifications to publish after the commit.
    pub sent: Vec<(String, Notification)>,
    /// Organisations invited.
    pub invited: Vec<String>,
}

/// Publishes a demand: ranks every organisation, keeps the ranked list, invites the first
/// five (or all qualified when fewer), and notifies them. Runs inside the caller's transaction.
pub fn publish(conn: &mut DbConn, row: &mut DemandRow, pool: &CandidatePool) -> Result<Published, ApiError> {
    let at = now();
    let demand = crate::routes::demands::matching::demand(row)
        .ok_or_else(|| ApiError::internal("stored demand unreadable"))?;
    let config = MatchingConfig { max_recommendations: RANKED_LIST_LENGTH, ..MatchingConfig::default() };
    let outcome = pool.recommend(&demand, &config, at.and_utc()).map_err(ApiError::internal)?;
    let recommendations: Vec<RecommendationRow> = outcome
        .recommendations
        .iter()
        .map(|r| RecommendationRow {
            demand_id: row.id.clone(),
            org_id: r.org_id.clone(),
            rank: i32::try_from(r.rank).unwrap_or(i32::MAX),
            score: r.score,
            factors: to_json(&r.breakdown),
            reason: r.reason.clone(),
            reason_en: describe_highlights(&r.highlights, Language::En),
        })
        .collect();
    RecommendationRow::replace(conn, &row.id, &recommendations)?;
    row.status = DemandStatus::Published.as_str().into();
    row.published_at = Some(at);
    row.updated_at = at;
    row.match_summary = Some(to_json(&MatchSummary {
        candidates_considered: i64::try_from(outcome.candidates_considered).unwrap_or(i64::MAX),
        qualified: i64::try_from(outcome.qualified).unwrap_or(i64::MAX),
        fewer_than_minimum: outcome.fewer_than_minimum,
        exclusions: outcome
            .exclusions
            .iter()
            .map(|e| (constraint_code(e.constraint), i64::from(e.excluded)))
            .collect(),
        matched_at: at.and_utc(),
    }));
    let mut published = Published { sent: Vec::new(), invited: Vec::new() };
    for recommendation in recommendations.iter().take(INVITED_ON_PUBLICATION) {
        published.sent.extend(invite(conn, row, recommendation)?);
        published.invited.push(recommendation.org_id.clone());
    }
    Ok(published)
}

/// Invites a ranked organisation and notifies its members.
pub fn invite(
    conn: &mut DbConn,
    demand: &DemandRow,
    recommendation: &RecommendationRow,
) -> Result<Vec<(String, Notification)>, ApiError> {
    DemandInvitationRow {
        id: new_id(),
        demand_id: demand.id.clone(),
        org_id: recommendation.org_id.clone(),
        rank: recommendation.rank,
        reason: recommendation.reason.clone(),
        reason_en: recommendation.reason_en.clone(),
        answer: InvitationAnswer::Pending.as_str().into(),
        note: None,
        created_at: now(),
        answered_at: None,
        answered_by: None,
    }
    .insert(conn)?;
    let notice = Notice {
        kind: NotificationKind::DemandInvitation,
        texts: notify::untranslated(
            format!("你的企业受邀响应需求「{}」", demand.title),
            format!("推荐理由：{}", recommendation.reason),
        ),
        link: "/demand-invitations".into(),
        org_id: Some(&recommendation.org_id),
    };
    Ok(notify::store_for_org(conn, &recommendation.org_id, &notice)?)
}

/// The ranked list with each organisation's invitation.
pub fn recommendations(conn: &mut DbConn, row: &DemandRow) -> Result<DemandRecommendations, ApiError> {
    let summary: Option<MatchSummary> =
        row.match_summary.as_deref().and_then(|s| serde_json::from_str(s).ok());
    let Some(summary) = summary else {
        return Err(ApiError::new(ErrorCode::Conflict, "matching runs when the demand is published"));
    };
    let invitations = DemandInvitationRow::of_demand(conn, &row.id)?;
    let items = RecommendationRow::of_demand(conn, &row.id)?
        .into_iter()
        .map(|(r, org_name)| {
            let invitation = invitations.iter().find(|(i, ..)| i.org_id == r.org_id).map(|(i, ..)| i);
            let factors: Vec<shared::domain::matching::FactorScore> = from_json(&r.factors);
            DemandRecommendation {
                rank: r.rank,
                org_name,
                score: r.score,
                factors: factors
                    .iter()
                    .map(|f| MatchFactor {
                        factor: serde_json::to_value(f.factor)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_owned))
                            .unwrap_or_default(),
                        value: f.value,
                        points: f.points,
                    })
                    .collect(),
                reason: r.reason,
                reason_en: r.reason_en,
                invitation_id: invitation.map(|i| i.id.clone()),
                answer: invitation.and_then(|i| InvitationAnswer::parse(&i.answer)),
                org_id: r.org_id,
            }
        })
        .collect();
    Ok(DemandRecommendations {
        items,
        candidates_considered: summary.candidates_considered,
        qualified: summary.qualified,
        fewer_than_minimum: summary.fewer_than_minimum,
        exclusions: summary
            .exclusions
            .into_iter()
            .map(|(constraint, excluded)| ConstraintExclusion { constraint, excluded })
            .collect(),
        matched_at: summary.matched_at,
    })
}

/// The API view of an invitation.
pub fn invitation_dto(
    (row, title, poster_id, poster_name, org_name): InvitationWithNames,
) -> DemandInvitation {
    DemandInvitation {
        id: row.id,
        demand_id: row.demand_id,
        demand_title: title,
        poster_org_id: poster_id,
        poster_org_name: poster_name,
        org_id: row.org_id,
        org_name,
        rank: row.rank,
        reason: row.reason,
        reason_en: row.reason_en,
        answer: InvitationAnswer::parse(&row.answer).unwrap_or(InvitationAnswer::Pending),
        note: row.note,
        created_at: row.created_at.and_utc(),
        answered_at: row.answered_at.map(|t| t.and_utc()),
    }
}
