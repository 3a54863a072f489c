//! Computing credit from platform data (rules: `shared::domain::credit`): gathering a batch of
//! organisations' history in a fixed number of queries, assessing each, applying an override in
//! force, upserting the month's assessment and publishing the score and grade to the
//! `organisations` columns that bidding, signing and matching read — all in the caller's
//! transaction. Also the views of a stored assessment and who may see its detail.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use shared::domain::calendar::shanghai::business_date;
use shared::domain::contract::closing::rating_revealed;
use shared::domain::contract::document::ContractDocument;
use shared::domain::credit::{
    self as model, ContractFacts, ContractSide, CreditAssessment, CreditConfig, CreditGrade, CreditRecord,
    CreditStanding, DimensionScore, GradeOverride, MilestoneFacts, SocialResponsibilityRecord, StaffFinding,
};
use shared::dto::*;

use crate::db::models::closing::{ClosingRow, RatingRow};
use crate::db::models::credit::{self as rows, AssessmentRow, FindingRow, OverrideRow, SignedContract};
use crate::db::models::files::FileRow;
use crate::db::models::orgs::OrganisationRow;
use crate::db::{DbConn, new_id, now};
use crate::error::ApiError;
use crate::routes::membership::service as membership;
use crate::routes::staff::service::{audit, require_staff};
use crate::state::Outgoing;
use shared::error::ErrorCode;
use shared::validate::credit::ValidFinding;

/// Organisations per transaction in the monthly run.
pub const BATCH: usize = 100;

/// The mean of every revealed rating on the platform (each the mean of its four aspects), the
/// prior of the Bayesian mean; 4.0 while there is none.
pub fn platform_mean(conn: &mut DbConn, today: NaiveDate) -> Result<f64, ApiError> {
    let all = rows::ratings(conn, None)?;
    let revealed = revealed(conn, all, today)?;
    let record = model::ratings(&revealed.into_iter().map(|(_, _, a)| a).collect::<Vec<_>>());
    Ok(if record.count == 0 { 4.0 } else { record.sum / f64::from(record.count) })
}

/// The prior for an event recompute at `at`: the month's stored by the monthly run, else
/// computed from every revealed rating ([`platform_mean`]).
pub fn prior(conn: &mut DbConn, at: NaiveDateTime) -> Result<f64, ApiError> {
    match rows::stored_prior(conn, &model::month_of(at.and_utc()))? {
        Some(mean) => Ok(mean),
        None => platform_mean(conn, business_date(at.and_utc())),
    }
}

/// The ratings shown now: both parties rated, or 14 days after completion.
fn revealed(
    conn: &mut DbConn,
    rated: Vec<rows::Rated>,
    today: NaiveDate,
) -> Result<Vec<rows::Rated>, ApiError> {
    let contracts: Vec<&str> = rated.iter().map(|r| r.0.as_str()).collect();
    let counts = RatingRow::counts(conn, &contracts)?;
    let completed = ClosingRow::completed(conn, &contracts)?;
    Ok(rated
        .into_iter()
        .filter(|(contract, _, _)| {
            let both = counts.get(contract).is_some_and(|n| *n >= 2);
            rating_revealed(both, completed.get(contract).map(|at| business_date(at.and_utc())), today)
        })
        .collect())
}

/// One organisation's assessment as computed at a moment: the row that would be stored, the
/// assessment in force (the override applied) and the override in force.
pub struct Assessed {
    /// The month's row.
    pub row: AssessmentRow,
    /// The assessment in force.
    pub in_force: CreditAssessment,
    /// The override in force, if any.
    pub applied: Option<OverrideRow>,
}

/// Assesses a batch of organisations at `at` with `config` (its prior set from the platform):
/// gathers their history, scores each and applies the override in force. Reads only.
pub fn assess_orgs(
    conn: &mut DbConn,
    orgs: &[String],
    config: &CreditConfig,
    trigger: CreditTrigger,
    at: NaiveDateTime,
) -> Result<Vec<Assessed>, ApiError> {
    let today = business_date(at.and_utc());
    let month = model::month_of(at.and_utc());
    let (signed, decisions, releases) = rows::contract_history(conn, orgs)?;
    let facts = contract_facts(&signed, decisions, releases)?;
    let received = rows::ratings(conn, Some(orgs))?;
    let ratings = rows::group(revealed(conn, received, today)?, |r| r.1.clone());
    let certificates = rows::group(rows::certificates(conn, orgs)?, |c| c.0.clone());
    let findings = rows::group(FindingRow::of_orgs(conn, orgs)?, |f| f.org_id.clone());
    let lost = crate::db::models::disputes::DisputeRow::lost_by(conn, orgs)?;
    let mut overrides: HashMap<String, OverrideRow> =
        OverrideRow::active(conn, orgs)?.into_iter().map(|o| (o.org_id.clone(), o)).collect();
    orgs.iter()
        .map(|org| {
            let mine: Vec<ContractFacts> = facts
                .iter()
                .filter_map(|(c, f)| side(c, org).map(|side| ContractFacts { side, ..f.clone() }))
                .collect();
            let (performance, mut transactions, days) = model::contract_history(&mine, today);
            transactions.disputes_lost =
                lost.iter().filter(|o| *o == org).count().try_into().unwrap_or(u32::MAX);
            let aspects: Vec<[i32; 4]> =
                ratings.get(org).map(|r| r.iter().map(|x| x.2).collect()).unwrap_or_default();
            let held: Vec<_> = certificates
                .get(org)
                .map(|c| c.iter().map(|(_, kind, grade, expires)| (rank(kind, grade), *expires)).collect())
                .unwrap_or_default();
            let record = CreditRecord {
                performance,
                transactions,
                reputation: model::ratings(&aspects),
                qualification: model::qualifications(&held, today),
                social_responsibility: social(findings.get(org).map_or(&[][..], Vec::as_slice)),
            };
            let computed = model::assess(&record, config).map_err(ApiError::internal)?;
            let applied = overrides.remove(org);
            let in_force = apply(computed.clone(), applied.as_ref())?;
            let row = assessment_row(
                org,
                &month,
                &computed,
                &in_force,
                days.mean(),
                applied.as_ref(),
                trigger,
                at,
            )?;
            Ok(Assessed { row, in_force, applied })
        })
        .collect()
}

/// Assesses a batch of organisations ([`assess_orgs`]), upserts each one's assessment of the
/// month unless it says the same already, and publishes the score and grade. Returns the
/// organisations whose published credit changed; their membership tiers are re-evaluated
/// (a credit change may make a VIP) in the same transaction.
pub fn assess_batch(
    conn: &mut DbConn,
    out: &mut Outgoing,
    orgs: &[String],
    config: &CreditConfig,
    trigger: CreditTrigger,
    at: NaiveDateTime,
) -> Result<Vec<String>, ApiError> {
    let month = model::month_of(at.and_utc());
    let existing: HashMap<String, AssessmentRow> =
        AssessmentRow::of_month(conn, orgs, &month)?.into_iter().map(|r| (r.org_id.clone(), r)).collect();
    let mut changed = Vec::new();
    for Assessed { row, in_force, .. } in assess_orgs(conn, orgs, config, trigger, at)? {
        if existing.get(&row.org_id).is_some_and(|old| old.same_as(&row)) {
            continue;
        }
        row.upsert(conn)?;
        let grade = in_force.standing.grade().map(CreditGrade::as_str);
        if AssessmentRow::publish(conn, &row.org_id, in_force.total, grade, at)? {
            changed.push(row.org_id.clone());
        }
    }
    membership::apply(conn, out, &changed, TierTriggerKind::CreditChange, at)?;
    Ok(changed)
}

/// The view of one organisation's credit computed now, for an organisation with no stored
/// assessment yet: the same computation as the jobs' (platform prior, override applied), marked
/// `trigger: live`, and stored nowhere.
pub fn live_view(
    conn: &mut DbConn,
    org_id: &str,
    config: &CreditConfig,
    detail: bool,
    at: NaiveDateTime,
) -> Result<CreditView, ApiError> {
    let config = CreditConfig { platform_mean_rating: prior(conn, at)?, ..*config };
    let assessed = assess_orgs(conn, &[org_id.to_owned()], &config, CreditTrigger::Live, at)?;
    let Some(Assessed { row, applied, .. }) = assessed.into_iter().next() else {
        return Err(ApiError::internal("an organisation assessed to nothing"));
    };
    view(&row, None, applied.as_ref(), detail)
}

/// Enters a reviewer's finding (403 for other staff roles and non-staff; 422 for an unknown
/// organisation or document), audits it and recomputes the organisation. Returns the row and
/// whether the published credit changed.
pub fn enter_finding(
    conn: &mut DbConn,
    out: &mut Outgoing,
    user_id: &str,
    valid: ValidFinding,
    kind: CreditFindingKind,
    value: u32,
    config: &CreditConfig,
) -> Result<(FindingRow, bool), ApiError> {
    let me = require_staff(conn, user_id)?;
    if !me.holds_any(&[StaffRole::Reviewer]) {
        return Err(ApiError::new(ErrorCode::Forbidden, "reviewers enter credit findings"));
    }
    if OrganisationRow::find(conn, &valid.org_id)?.is_none() {
        return Err(ApiError::field("org_id", "unknown_organisation", "no such organisation"));
    }
    if let Some(sha) = &valid.document_sha256
        && FileRow::find(conn, sha)?.is_none()
    {
        return Err(ApiError::field("document_sha256", "unknown_file", "upload the document first"));
    }
    let at = now();
    let row = FindingRow {
        id: new_id(),
        org_id: valid.org_id,
        kind,
        value: i32::try_from(value).unwrap_or(i32::MAX),
        source: valid.source,
        document_sha256: valid.document_sha256,
        entered_by: me.user_id.clone(),
        entered_at: at,
    };
    row.insert(conn)?;
    let details = serde_json::json!({
        "org_id": row.org_id, "kind": row.kind, "value": row.value, "source": row.source,
        "document_sha256": row.document_sha256,
    });
    audit(conn, &me.user_id, "credit.finding_entered", ("credit_finding", &row.id), details, at)?;
    let changed = recompute(conn, out, &row.org_id, config, at)?;
    Ok((row, changed))
}

/// Recomputes one organisation now (an event); returns whether its published credit changed.
pub fn recompute(
    conn: &mut DbConn,
    out: &mut Outgoing,
    org_id: &str,
    config: &CreditConfig,
    at: NaiveDateTime,
) -> Result<bool, ApiError> {
    let config = CreditConfig { platform_mean_rating: prior(conn, at)?, ..*config };
    Ok(!assess_batch(conn, out, &[org_id.to_owned()], &config, CreditTrigger::Event, at)?.is_empty())
}

fn side(contract: &SignedContract, org: &str) -> Option<ContractSide> {
    if contract.performer_org_id == org {
        Some(ContractSide::Performer)
    } else if contract.payer_org_id == org {
        Some(ContractSide::Payer)
    } else {
        None
    }
}

fn rank(kind: &str, grade: &str) -> Option<shared::domain::qualification::GradeRank> {
    shared::taxonomy::qualification_type(kind)?.rank(grade)
}

/// Each signed contract with its milestones as the model reads them (the side is set per
/// organisation).
fn contract_facts(
    signed: &[SignedContract],
    decisions: Vec<rows::Decision>,
    releases: Vec<rows::Release>,
) -> Result<Vec<(&SignedContract, ContractFacts)>, ApiError> {
    let decisions = rows::group(decisions, |d| (d.0.clone(), d.1));
    let releases = rows::group(releases, |r| (r.0.clone(), r.1));
    signed
        .iter()
        .map(|contract| {
            let document: ContractDocument =
                serde_json::from_str(&contract.document).map_err(ApiError::internal)?;
            let milestones = document
                .terms
                .plan
                .milestones
                .iter()
                .map(|m| {
                    let key = (contract.id.clone(), i32::try_from(m.index).unwrap_or(i32::MAX));
                    let decided = decisions.get(&key).map_or(&[][..], Vec::as_slice);
                    let mut released = 0;
                    let paid_in_full_on = releases.get(&key).and_then(|list| {
                        list.iter().find_map(|(_, _, amount, at)| {
                            released += amount;
                            (released >= m.amount_fen).then(|| business_date(at.and_utc()))
                        })
                    });
                    MilestoneFacts {
                        index: m.index,
                        planned_date: m.planned_date,
                        decisions: decided.iter().map(|d| d.2).collect(),
                        accepted_on: decided.iter().find(|d| d.2).map(|d| business_date(d.3.and_utc())),
                        paid_in_full_on,
                    }
                })
                .collect();
            let facts = ContractFacts { side: ContractSide::Payer, state: contract.status, milestones };
            Ok((contract, facts))
        })
        .collect()
}

/// The newest finding of each kind.
fn social(findings: &[FindingRow]) -> SocialResponsibilityRecord {
    let newest = |kind: CreditFindingKind| {
        findings
            .iter()
            .rev()
            .find(|f| f.kind == kind)
            .map(|f| (u32::try_from(f.value).unwrap_or(0), f.source.clone()))
    };
    SocialResponsibilityRecord {
        tax_compliant: newest(CreditFindingKind::TaxCompliant)
            .map(|(value, source)| StaffFinding { value: value == 1, source }),
        wage_arrears_cases: newest(CreditFindingKind::WageArrearsCases)
            .map(|(value, source)| StaffFinding { value, source }),
        safety_incidents: newest(CreditFindingKind::SafetyIncidents)
            .map(|(value, source)| StaffFinding { value, source }),
    }
}

/// The assessment with the override in force, if any.
fn apply(assessment: CreditAssessment, active: Option<&OverrideRow>) -> Result<CreditAssessment, ApiError> {
    let Some(active) = active else { return Ok(assessment) };
    let grade = CreditGrade::parse(&active.grade)
        .ok_or_else(|| ApiError::internal(format!("stored credit grade {:?}", active.grade)))?;
    assessment
        .with_override(GradeOverride {
            grade,
            reason: active.reason.clone(),
            requested_by: active.requested_by.clone(),
            approved_by: active.approved_by.clone(),
        })
        .map_err(ApiError::internal)
}

#[expect(clippy::too_many_arguments, reason = "one row from its parts")]
fn assessment_row(
    org: &str,
    month: &str,
    computed: &CreditAssessment,
    in_force: &CreditAssessment,
    payment_mean_days: Option<f64>,
    active: Option<&OverrideRow>,
    trigger: CreditTrigger,
    at: NaiveDateTime,
) -> Result<AssessmentRow, ApiError> {
    let score = |i: usize| computed.dimensions.get(i).map_or(0.0, |d| d.score);
    Ok(AssessmentRow {
        org_id: org.to_owned(),
        month: month.to_owned(),
        computed_grade: computed.standing.grade().map(|g| g.as_str().to_owned()),
        total: computed.total,
        performance: score(0),
        transaction_history: score(1),
        reputation: score(2),
        qualification: score(3),
        social_responsibility: score(4),
        dimensions: serde_json::to_string(&computed.dimensions).map_err(ApiError::internal)?,
        payment_mean_days: payment_mean_days.map(|d| (d * 100.0).round() / 100.0),
        override_id: active.map(|o| o.id.clone()),
        override_grade: in_force.manual_override.as_ref().map(|o| o.applied.grade.as_str().to_owned()),
        triggered_by: trigger,
        computed_at: at,
    })
}

/// A stored assessment as the model's type again (for the explanation).
fn stored(row: &AssessmentRow, applied: Option<&OverrideRow>) -> Result<CreditAssessment, ApiError> {
    let dimensions: Vec<DimensionScore> =
        serde_json::from_str(&row.dimensions).map_err(ApiError::internal)?;
    let standing = match row.computed_grade.as_deref().map(CreditGrade::parse) {
        Some(Some(grade)) => CreditStanding::Rated { grade },
        Some(None) => {
            return Err(ApiError::internal(format!("stored credit grade {:?}", row.computed_grade)));
        }
        None => CreditStanding::InsufficientData,
    };
    let assessment = CreditAssessment {
        dimensions,
        total: row.total,
        standing,
        privileges: standing.privileges(),
        manual_override: None,
    };
    apply(assessment, applied.filter(|o| row.override_id.as_deref() == Some(o.id.as_str())))
}

/// The view of a stored assessment (`applied`: the override it names, if any): the public
/// part, and with `detail` the indicators (with their change since `previous`) and the
/// explanation.
pub fn view(
    row: &AssessmentRow,
    previous: Option<&AssessmentRow>,
    applied: Option<&OverrideRow>,
    detail: bool,
) -> Result<CreditView, ApiError> {
    let assessment = stored(row, applied)?;
    let before = previous.map(|p| stored(p, None)).transpose()?;
    let detail = detail.then(|| {
        let (explanation_zh, explanation_en) = model::explain(&assessment);
        let earlier = |indicator| {
            before.as_ref().and_then(|b| {
                b.dimensions
                    .iter()
                    .flat_map(|d| &d.indicators)
                    .find(|i| i.indicator == indicator)
                    .and_then(model::indicator_value)
            })
        };
        let indicators = assessment
            .dimensions
            .iter()
            .flat_map(|d| d.indicators.iter().map(move |i| (d.dimension, i)))
            .map(|(dimension, i)| {
                let value = model::indicator_value(i);
                let (numerator, denominator) = match i.observation {
                    model::Observation::Rate { numerator, denominator } => {
                        (Some(numerator), Some(denominator))
                    }
                    _ => (None, None),
                };
                CreditIndicatorView {
                    indicator: i.indicator,
                    dimension,
                    weight_percent: i.weight_percent,
                    numerator,
                    denominator,
                    value,
                    score: i.score,
                    change: value
                        .zip(earlier(i.indicator))
                        .map(|(now, then)| ((now - then) * 100.0).round() / 100.0),
                    source: i.source.clone(),
                }
            })
            .collect();
        let overridden = assessment.manual_override.as_ref();
        CreditDetail {
            indicators,
            payment_mean_days: row.payment_mean_days,
            computed_grade: overridden.and_then(|o| o.computed.grade()),
            override_reason: overridden.map(|o| o.applied.reason.clone()),
            explanation_zh,
            explanation_en,
        }
    });
    Ok(CreditView {
        org_id: row.org_id.clone(),
        month: row.month.clone(),
        grade: assessment.standing.grade(),
        insufficient_data: assessment.standing == CreditStanding::InsufficientData,
        total: row.total,
        dimensions: assessment
            .dimensions
            .iter()
            .map(|d| CreditDimensionView {
                dimension: d.dimension,
                weight_percent: d.weight_percent,
                score: d.score,
                from_own_data: d.from_own_data,
            })
            .collect(),
        overridden: assessment.manual_override.is_some(),
        trigger: row.triggered_by,
        computed_at: row.computed_at.and_utc(),
        detail,
    })
}
