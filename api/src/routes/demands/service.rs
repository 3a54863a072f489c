//! Demand rules at the API edge: checking a demand's fields, persisting a lifecycle step
//! decided by `shared::domain::market::demand` (publication with matching and invitations, the
//! review deadline), and the DTOs. The ranking itself is `shared::domain::matching`.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use shared::domain::calendar::BusinessCalendar;
use shared::domain::market::demand::{self as lifecycle, DemandEffect, DemandStep};
use shared::domain::matching::{HardConstraint, Language, MatchingConfig, describe_highlights};
use shared::domain::membership::MembershipTier;
use shared::domain::notices::market::MarketNotice;
use shared::dto::*;
use shared::error::ErrorCode;
use shared::validate::market::DemandFields;

use crate::db::models::demands::{DemandInvitationRow, DemandRow, InvitationWithNames, RecommendationRow};
use crate::db::models::orgs::OrganisationRow;
use crate::db::models::projects::ProjectRow;
use crate::db::{DbConn, new_id, now};
use crate::error::ApiError;
use crate::market::{attached, from_json, to_json};
use crate::routes::demands::matching::CandidatePool;
use crate::routes::notifications::notify::{self, Notice};
use crate::state::Outgoing;

/// Ranked organisations kept per demand (the poster can invite more from them).
pub const RANKED_LIST_LENGTH: usize = 20;
/// Invited on publication: the engine's recommendation count.
pub const INVITED_ON_PUBLICATION: usize = 5;

/// 404 for a demand the caller may not see.
pub fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "demand not found")
}

/// The stored fields, which an update request is applied to and checked against.
pub fn fields(row: &DemandRow) -> DemandFields {
    DemandFields {
        title: row.title.clone(),
        category: row.category.clone(),
        scope: row.scope.clone(),
        quantity: row.quantity.clone(),
        budget_min_fen: row.budget_min_fen,
        budget_max_fen: row.budget_max_fen,
        region_code: row.region_code.clone(),
        required_qualifications: from_json(&row.required_qualifications),
        deadline: row.deadline,
        files: from_json(&row.files),
    }
}

/// Stores checked fields.
pub fn write(row: &mut DemandRow, fields: DemandFields) {
    row.title = fields.title;
    row.category = fields.category;
    row.scope = fields.scope;
    row.quantity = fields.quantity;
    row.budget_min_fen = fields.budget_min_fen;
    row.budget_max_fen = fields.budget_max_fen;
    row.region_code = fields.region_code;
    row.required_qualifications = to_json(&fields.required_qualifications);
    row.deadline = fields.deadline;
    row.files = to_json(&fields.files);
}

/// A new draft of `org_id` by `user` with the fields its create request checked to.
pub fn draft(
    org_id: &str,
    user: &str,
    body: &CreateDemandRequest,
    fields: DemandFields,
    at: NaiveDateTime,
) -> DemandRow {
    let mut row = DemandRow {
        id: new_id(),
        org_id: org_id.to_owned(),
        kind: body.kind,
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
        status: DemandStatus::Draft,
        submitted_at: None,
        review_due_at: None,
        reviewed_by: None,
        reviewed_at: None,
        rejection_reason: None,
        published_at: None,
        match_summary: None,
        created_by: user.to_owned(),
        created_at: at,
        updated_at: at,
    };
    write(&mut row, fields);
    row
}

/// The posting organisation's membership tier (a bad stored value is an error).
pub fn tier(conn: &mut DbConn, org_id: &str) -> Result<MembershipTier, ApiError> {
    let poster = OrganisationRow::find(conn, org_id)?.ok_or_else(crate::routes::orgs::service::not_found)?;
    Ok(poster.membership_tier)
}

/// Persists a lifecycle step on `row` (not yet saved): the new status and its effect —
/// publication with matching and invitations (their notifications go to `out`) or the review
/// deadline. Returns the organisations invited.
pub fn apply(
    conn: &mut DbConn,
    row: &mut DemandRow,
    step: DemandStep,
    at: NaiveDateTime,
    pool: &CandidatePool,
    out: &mut Outgoing,
) -> Result<Vec<String>, ApiError> {
    row.status = step.status;
    row.updated_at = at;
    match step.effect {
        DemandEffect::Publish => {
            let published = publish(conn, row, pool)?;
            out.extend(published.sent);
            return Ok(published.invited);
        }
        DemandEffect::AwaitReview(due) => row.review_due_at = Some(due.value.naive_utc()),
        DemandEffect::Reject | DemandEffect::None => {}
    }
    Ok(Vec::new())
}

/// An invitation `org_id` received, with names (404 for anyone else's).
pub fn received_invitation(
    conn: &mut DbConn,
    id: &str,
    org_id: &str,
) -> Result<InvitationWithNames, ApiError> {
    let missing = || ApiError::new(ErrorCode::NotFound, "invitation not found");
    let found = DemandInvitationRow::find(conn, id)?.ok_or_else(missing)?;
    if found.0.org_id != org_id {
        return Err(missing());
    }
    Ok(found)
}

/// Writes a review decision to the staff audit log.
pub fn audit_review(
    conn: &mut DbConn,
    user: &str,
    row: &DemandRow,
    approve: bool,
    reason: Option<&str>,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    let details = serde_json::json!({ "org_id": row.org_id, "approve": approve, "reason": reason });
    crate::routes::staff::service::audit(conn, user, "demand.reviewed", ("demand", &row.id), details, at)?;
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

/// The API view of a demand; `calendar` tells whether its review deadline is an estimate.
pub fn dto(
    conn: &mut DbConn,
    row: DemandRow,
    org_name: String,
    calendar: &BusinessCalendar,
) -> Result<DemandView, ApiError> {
    let calendar_estimated = lifecycle::calendar_estimated(
        calendar,
        row.review_due_at.map(|t| t.and_utc()),
        row.submitted_at.map(|t| t.and_utc()),
    )?;
    let tender_id = crate::db::models::tenders::TenderRow::tender_id_of(conn, &row.id)?;
    Ok(DemandView {
        tender_id,
        calendar_estimated,
        files: attached(conn, &row.files)?,
        category_name: shared::taxonomy::category(&row.category).map(|c| c.zh.clone()).unwrap_or_default(),
        region_name: shared::gb2260::full_name(&row.region_code).unwrap_or_default(),
        kind: row.kind,
        required_qualifications: from_json(&row.required_qualifications),
        status: row.status,
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

/// Recomputes the review deadline of every demand waiting for review with `calendar` (after a
/// year's schedule was uploaded) and stores those that moved. Returns how many moved.
pub fn recompute_review_deadlines(conn: &mut DbConn, calendar: &BusinessCalendar) -> Result<usize, ApiError> {
    use crate::db::schema::demands;
    let pending: Vec<(String, Option<chrono::NaiveDateTime>, Option<chrono::NaiveDateTime>)> = demands::table
        .filter(demands::status.eq(DemandStatus::PendingReview))
        .filter(demands::review_due_at.is_not_null())
        .select((demands::id, demands::submitted_at, demands::review_due_at))
        .load(conn)?;
    let mut moved = 0;
    for (id, submitted, stored) in pending {
        let Some(submitted) = submitted else { continue };
        let due = lifecycle::review_due(calendar, submitted.and_utc())?.value.naive_utc();
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
    let live = crate::routes::demands::matching::live_facts(conn, &row.org_id, &row.category)?;
    let outcome = pool.recommend(&demand, &live, &config, at.and_utc()).map_err(ApiError::internal)?;
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
    row.status = DemandStatus::Published;
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
        answer: InvitationAnswer::Pending,
        note: None,
        created_at: now(),
        answered_at: None,
        answered_by: None,
    }
    .insert(conn)?;
    let message = MarketNotice::DemandInvitation {
        title: demand.title.clone(),
        reason: recommendation.reason.clone(),
        reason_en: recommendation.reason_en.clone(),
    };
    let notice = Notice::new(&message, "/demand-invitations", Some(&recommendation.org_id));
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
        .map(|(r, org_name, grade, membership_tier)| {
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
                answer: invitation.map(|i| i.answer),
                // A stored grade that is not one shows as none here (as on search hits).
                credit_grade: grade.as_deref().and_then(shared::domain::credit::CreditGrade::parse),
                membership_tier,
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
        answer: row.answer,
        note: row.note,
        created_at: row.created_at.and_utc(),
        answered_at: row.answered_at.map(|t| t.and_utc()),
    }
}
