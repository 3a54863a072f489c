//! Membership tiers from platform data (rules: `shared::domain::membership`): the facts of a set
//! of organisations read in a fixed number of queries, [`apply`] — one trigger evaluated for
//! each, the new standing written, each change recorded in the history and notified — and the
//! members' view with the next tier's conditions. All in the caller's transaction.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use shared::domain::calendar::shanghai::business_date;
use shared::domain::contract::document::ContractDocument;
use shared::domain::membership::{
    MembershipFacts, QuarterActivity, TierReason, TierThresholds, TierTrigger, evaluate, next_tier,
    review_quarters, volume_window_start,
};
use shared::domain::notices::membership::MembershipNotice;
use shared::dto::*;
use shared::error::ErrorCode;

use crate::db::models::membership::{MemberStanding, MembershipChangeRow, settled};
use crate::db::models::users::User;
use crate::db::{DbConn, new_id};
use crate::error::ApiError;
use crate::routes::notifications::notify::Notice;
use crate::state::Outgoing;

/// Where the SPA shows an organisation its membership.
pub fn page(org_id: &str) -> String {
    format!("/orgs/{org_id}/membership")
}

/// The facts of each organisation at `at`, with its transactions of the two quarters before.
pub fn facts(
    conn: &mut DbConn,
    standings: &[MemberStanding],
    at: NaiveDateTime,
) -> Result<HashMap<String, (MembershipFacts, QuarterActivity)>, ApiError> {
    let ids: Vec<String> = standings.iter().map(|s| s.id.clone()).collect();
    let mut out: HashMap<String, (MembershipFacts, QuarterActivity)> = standings
        .iter()
        .map(|s| {
            let score = s.credit_grade.as_ref().and(s.credit_score);
            (
                s.id.clone(),
                (
                    MembershipFacts { credit_score: score, ..MembershipFacts::default() },
                    QuarterActivity::default(),
                ),
            )
        })
        .collect();
    let today = business_date(at.and_utc());
    let window = volume_window_start(today);
    let [(last_from, last_to), (before_from, _)] = review_quarters(today);
    for (payer, performer, completed_at, document) in settled(conn, &ids, at)? {
        let amount = serde_json::from_str::<ContractDocument>(&document)
            .map_err(ApiError::internal)?
            .terms
            .plan
            .amount_fen;
        let on = business_date(completed_at.and_utc());
        for org in [&payer, &performer] {
            let Some((facts, activity)) = out.get_mut(org) else { continue };
            facts.completed_transactions += 1;
            if on >= window {
                facts.volume_last_12_months_fen = facts
                    .volume_last_12_months_fen
                    .checked_add(amount)
                    .ok_or_else(|| ApiError::internal("settled volume overflows i64 fen"))?;
            }
            if (last_from..last_to).contains(&on) {
                activity.last_quarter += 1;
            } else if (before_from..last_from).contains(&on) {
                activity.quarter_before += 1;
            }
        }
    }
    Ok(out)
}

/// Evaluates `trigger` for each of `orgs`: writes the new standing, and for each change of tier
/// a history entry and a notification to the organisation's members with the reasons. Returns
/// the organisations whose tier changed.
pub fn apply(
    conn: &mut DbConn,
    out: &mut Outgoing,
    orgs: &[String],
    trigger: TierTriggerKind,
    at: NaiveDateTime,
) -> Result<Vec<String>, ApiError> {
    if orgs.is_empty() {
        return Ok(Vec::new());
    }
    let standings = MemberStanding::of(conn, orgs)?;
    apply_to(conn, out, &standings, trigger, at)
}

/// [`apply`] on standings already loaded.
pub fn apply_to(
    conn: &mut DbConn,
    out: &mut Outgoing,
    standings: &[MemberStanding],
    trigger: TierTriggerKind,
    at: NaiveDateTime,
) -> Result<Vec<String>, ApiError> {
    let facts = facts(conn, standings, at)?;
    let thresholds = TierThresholds::default();
    let mut changed = Vec::new();
    for row in standings {
        let Some((facts, activity)) = facts.get(&row.id) else { continue };
        let event = match trigger {
            TierTriggerKind::Transaction => TierTrigger::Transaction,
            TierTriggerKind::CreditChange => TierTrigger::CreditChange,
            TierTriggerKind::QuarterlyReview => TierTrigger::QuarterlyReview(*activity),
        };
        let (standing, decision) = evaluate(row.standing(), facts, event, &thresholds);
        if standing != row.standing() {
            MemberStanding::save(conn, &row.id, standing, at)?;
        }
        let Some(change) = TierChangeKind::of(decision.change) else { continue };
        MembershipChangeRow {
            id: new_id(),
            org_id: row.id.clone(),
            previous: decision.previous,
            tier: decision.tier,
            change,
            triggered_by: trigger,
            reasons: serde_json::to_string(&decision.reasons).map_err(ApiError::internal)?,
            created_at: at,
        }
        .insert(conn)?;
        let notice = MembershipNotice::Changed {
            change: decision.change,
            tier: decision.tier,
            reasons: decision.reasons,
        };
        out.to_org(conn, &row.id, &Notice::new(&notice, page(&row.id), Some(&row.id)))?;
        changed.push(row.id.clone());
    }
    Ok(changed)
}

/// The members' view of an organisation's membership at `at`; 404 for an unknown organisation.
pub fn view(conn: &mut DbConn, org_id: &str, at: NaiveDateTime) -> Result<MembershipView, ApiError> {
    let row = MemberStanding::of(conn, &[org_id.to_owned()])?
        .pop()
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "organisation not found"))?;
    let (facts, activity) = facts(conn, std::slice::from_ref(&row), at)?.remove(&row.id).unwrap_or_default();
    let next = next_tier(row.standing(), &facts, &TierThresholds::default());
    let advisor = match row.advisor_id.as_deref().filter(|_| row.membership_tier.has_named_advisor()) {
        Some(id) => User::find_active(conn, id)?.map(|u| AdvisorView {
            user_id: u.id,
            name: u.display_name,
            email: u.email,
            phone: u.phone,
        }),
        None => None,
    };
    let history = MembershipChangeRow::history(conn, org_id, 50)?
        .into_iter()
        .map(|h| {
            let reasons: Vec<TierReason> = serde_json::from_str(&h.reasons).map_err(ApiError::internal)?;
            Ok(TierChangeView {
                previous: h.previous,
                tier: h.tier,
                change: h.change,
                trigger: h.triggered_by,
                reasons: reasons.iter().map(TierReasonView::from).collect(),
                at: h.created_at.and_utc(),
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(MembershipView {
        org_id: row.id.clone(),
        tier: row.membership_tier,
        since: row.membership_since.map(|s| s.and_utc()),
        held: row.membership_held,
        completed_transactions: facts.completed_transactions,
        volume_last_12_months_fen: facts.volume_last_12_months_fen,
        credit_score: facts.credit_score,
        last_quarter_transactions: activity.last_quarter,
        quarter_before_transactions: activity.quarter_before,
        next_tier: next.as_ref().map(|(tier, _)| *tier),
        requirements: next
            .map(|(_, needs)| needs.into_iter().map(RequirementView::from).collect())
            .unwrap_or_default(),
        advisor,
        history,
    })
}
