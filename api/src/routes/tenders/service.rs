//! Tendering at the API edge: who may see what, sealing of offers and bid files, the stored
//! prequalification report, the views, and the two jobs (closing at the deadline, lapsing an
//! unsigned award). The rules themselves are `shared::domain::tender`.
//!
//! Sealed bids: every offer field is one AES-256-GCM sealed JSON value under the data key, kept
//! so for life; bid files are sealed bytes in the file store with sealed metadata. Opening them
//! happens only in [`open_offer`] and [`open_file_meta`], behind [`BidReader`], which says who
//! is reading: the bidder always, the posting organisation's owners and admins and the named
//! evaluators once bidding has closed, nobody else (staff included).

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use shared::domain::calendar::BusinessCalendar;
use shared::domain::calendar::shanghai::{business_date, end_of_day};
use shared::domain::matching::MatchingConfig;
use shared::domain::notices::tenders::TenderNotice;
use shared::domain::tender::lifecycle::{
    self as lifecycle, BidEvent, Tender, TenderActor, TenderEffect, TenderEvent, award_lapses_at,
    bid_transition,
};
use shared::domain::tender::prequalification::{PrequalificationFacts, PrequalificationReport, prequalify};
use shared::domain::tender::scoring::{
    BidderCredit, EvaluatorMarks, ScoringBid, ScoringSheet, SheetStatus, scoring_sheet,
};
use shared::domain::tender::{RefusalKind, TenderRefusal};
use shared::dto::*;
use shared::error::ErrorCode;
use shared::validate::tenders::Offer;

use crate::auth::crypto::{open_sealed_json, seal};
use crate::calendar::CalendarCache;
use crate::db::models::contracts::ContractRow;
use crate::db::models::demands::{DemandInvitationRow, DemandRow, RecommendationRow};
use crate::db::models::orgs::OrganisationRow;
use crate::db::models::tenders::{BidFileRow, BidRow, MarksRow, PrequalificationRow, TenderRow, user_names};
use crate::db::models::verification::QualificationRow;
use crate::db::{DbConn, now};
use crate::error::ApiError;
use crate::jobs::{JobKind, enqueue};
use crate::market::from_json;
use crate::routes::demands::matching;
use crate::routes::notifications::notify::Notice;
use crate::state::Outgoing;

impl From<TenderRefusal> for ApiError {
    fn from(refusal: TenderRefusal) -> Self {
        let message = refusal.to_string();
        match refusal.kind() {
            RefusalKind::Conflict => Self::new(ErrorCode::Conflict, message),
            RefusalKind::Forbidden => Self::new(ErrorCode::Forbidden, message),
            RefusalKind::NotFound => Self::new(ErrorCode::NotFound, message),
            RefusalKind::Field { field, issue } => Self::field(field, issue, message),
            RefusalKind::Internal => Self::internal(message),
        }
    }
}

/// 404 for a tender.
pub fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "tender not found")
}

/// 404 for a bid (also what anyone who may not know of it gets).
pub fn bid_not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "bid not found")
}

/// UTC instant of a stored timestamp.
pub fn utc(at: NaiveDateTime) -> DateTime<Utc> {
    at.and_utc()
}

/// The lifecycle's view of a stored tender.
pub fn tender_of(row: &TenderRow) -> Tender {
    Tender {
        state: row.status,
        bidding_closes_at: utc(row.bidding_closes_at),
        awarded_bid_id: row.awarded_bid_id.clone(),
        awarded_on: row.awarded_on,
    }
}

/// The stored weights.
pub fn weights_of(row: &TenderRow) -> Result<EvaluationWeights, ApiError> {
    serde_json::from_str(&row.weights).map_err(ApiError::internal)
}

/// The named evaluators' user ids.
pub fn evaluators_of(row: &TenderRow) -> Vec<String> {
    from_json(&row.evaluators)
}

/// Seals an offer with the data key.
pub fn seal_offer(key: &[u8; 32], offer: &Offer) -> Result<String, ApiError> {
    Ok(seal(key, &serde_json::to_vec(offer).map_err(ApiError::internal)?))
}

/// Opens a sealed offer: call only behind a [`BidReader`].
pub fn open_offer(key: &[u8; 32], sealed: &str) -> Result<Offer, ApiError> {
    open_sealed_json(key, sealed).map_err(ApiError::internal)
}

/// A bid file's metadata, sealed in `bid_files.meta_sealed`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileMeta {
    /// The name it was uploaded with.
    pub name: String,
    /// Detected type.
    pub content_type: String,
    /// Size of the plaintext in bytes.
    pub size: i64,
    /// SHA-256 of the plaintext.
    pub sha256: String,
}

/// Opens a bid file's metadata: call only behind a [`BidReader`].
pub fn open_file_meta(key: &[u8; 32], sealed: &str) -> Result<FileMeta, ApiError> {
    open_sealed_json(key, sealed).map_err(ApiError::internal)
}

/// Who reads a bid's contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BidReader {
    /// A member of the bidding organisation: always.
    Bidder,
    /// An owner or admin of the posting organisation, or a named evaluator, once bidding closed.
    Evaluation,
}

/// Who the caller (a member of `acting_org`, with `role`) is for `bid` on `tender`:
/// the bidder; the poster's owner/admin or a named evaluator, refused with 403 while bidding is
/// open (the bid is sealed); or nobody, answered as 404.
pub fn bid_reader(
    tender: &TenderRow,
    bid: &BidRow,
    acting_org: &str,
    role: MemberRole,
    user_id: &str,
) -> Result<BidReader, ApiError> {
    if bid.org_id == acting_org {
        return Ok(BidReader::Bidder);
    }
    if tender.org_id == acting_org && evaluates(tender, role, user_id) {
        if tender.status == TenderState::Open || tender.closed_at.is_none() {
            return Err(ApiError::new(
                ErrorCode::Forbidden,
                format!(
                    "bids are sealed until bidding closes at {}",
                    utc(tender.bidding_closes_at).to_rfc3339()
                ),
            ));
        }
        return Ok(BidReader::Evaluation);
    }
    Err(bid_not_found())
}

/// Whether a member of the posting organisation takes part in evaluation: its owners and
/// admins, and the named evaluators.
pub fn evaluates(tender: &TenderRow, role: MemberRole, user_id: &str) -> bool {
    matches!(role, MemberRole::Owner | MemberRole::Admin)
        || evaluators_of(tender).iter().any(|id| id == user_id)
}

/// Whether `org_id` may bid at all: the tender is open to all, or the organisation was invited
/// to or recommended for the demand.
pub fn eligible(conn: &mut DbConn, tender: &TenderRow, org_id: &str) -> Result<bool, ApiError> {
    if tender.open_to_all {
        return Ok(true);
    }
    if RecommendationRow::find(conn, &tender.demand_id, org_id)?.is_some() {
        return Ok(true);
    }
    Ok(DemandInvitationRow::of_demand(conn, &tender.demand_id)?.iter().any(|(inv, ..)| inv.org_id == org_id))
}

/// Computes the prequalification report of `org_id` for the tender's demand today.
///
/// Past performance and open disputes are zero on every organisation until contracts reach
/// completion and disputes exist on the platform: the report says "no contract completed on
/// the platform yet" rather than inventing a rate.
pub fn assess(
    conn: &mut DbConn,
    demand: &DemandRow,
    org_id: &str,
    today: NaiveDate,
) -> Result<(PrequalificationReport, OrganisationRow), ApiError> {
    let org = OrganisationRow::find(conn, org_id)?.ok_or_else(crate::routes::orgs::service::not_found)?;
    let required: Vec<RequiredQualification> = from_json(&demand.required_qualifications);
    let requirements: Vec<_> = required.iter().filter_map(matching::requirement).collect();
    let held = matching::held(&QualificationRow::verified(conn, Some(org_id))?);
    let credit = matching::credit(&org);
    let facts = PrequalificationFacts {
        verification: org.verification_status,
        suspended: org.suspended_at.is_some(),
        requirements: &requirements,
        held: &held,
        today,
        credit: credit.standing,
        tier: org.membership_tier,
        contracts_completed: 0,
        on_time_milestone_rate_bp: None,
        open_disputes: 0,
    };
    Ok((prequalify(&facts), org))
}

/// Computes and stores the report of `org_id` on `tender` (replacing its earlier one).
pub fn record_prequalification(
    conn: &mut DbConn,
    tender: &TenderRow,
    demand: &DemandRow,
    org_id: &str,
    at: NaiveDateTime,
) -> Result<(PrequalificationReport, PrequalificationView), ApiError> {
    let (report, org) = assess(conn, demand, org_id, business_date(utc(at)))?;
    let row = PrequalificationRow {
        tender_id: tender.id.clone(),
        org_id: org_id.to_owned(),
        may_bid: report.may_bid,
        report: serde_json::to_string(&report).map_err(ApiError::internal)?,
        created_at: at,
    };
    row.replace(conn)?;
    let eligible = eligible(conn, tender, org_id)?;
    Ok((report.clone(), prequalification_view(&row, &report, org.name, eligible)))
}

fn word<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// The API view of a stored report.
pub fn prequalification_view(
    row: &PrequalificationRow,
    report: &PrequalificationReport,
    org_name: String,
    eligible: bool,
) -> PrequalificationView {
    let items = report
        .items
        .iter()
        .map(|item| PrequalificationItemView {
            code: word(&item.code),
            outcome: word(&item.outcome),
            zh: item.zh.clone(),
            en: item.en.clone(),
            qualification_type: item.qualification.as_ref().map(|q| q.requirement.kind.clone()),
            certificate_expires_on: item
                .qualification
                .as_ref()
                .and_then(|q| q.certificate.as_ref())
                .map(|c| c.expires_on),
        })
        .collect();
    PrequalificationView {
        tender_id: row.tender_id.clone(),
        org_id: row.org_id.clone(),
        org_name,
        may_bid: row.may_bid,
        eligible,
        items,
        generated_at: utc(row.created_at),
    }
}

/// The named evaluators with their names, in the order named.
pub fn evaluator_views(conn: &mut DbConn, ids: &[String]) -> Result<Vec<EvaluatorView>, ApiError> {
    let names = user_names(conn, ids)?;
    Ok(ids
        .iter()
        .map(|id| EvaluatorView {
            user_id: id.clone(),
            name: names.iter().find(|(uid, _)| uid == id).map(|(_, n)| n.clone()).unwrap_or_default(),
        })
        .collect())
}

/// The API view of a tender for a caller acting for `viewer_org` (the bid count only for the
/// posting organisation, the own bid for a bidder).
pub fn tender_view(
    conn: &mut DbConn,
    (row, demand_title, org_name): (TenderRow, String, String),
    viewer_org: Option<&str>,
    calendar: &CalendarCache,
) -> Result<TenderView, ApiError> {
    let weights = weights_of(&row)?;
    let evaluators = evaluator_views(conn, &evaluators_of(&row))?;
    let bid_count =
        if viewer_org == Some(row.org_id.as_str()) { Some(BidRow::live_count(conn, &row.id)?) } else { None };
    let own_bid_id = match viewer_org {
        Some(org) if org != row.org_id => BidRow::live(conn, &row.id, org)?.map(|bid| bid.id),
        _ => None,
    };
    let signing_deadline = match (row.status, row.awarded_on) {
        (TenderState::Awarded, Some(on)) => Some(award_lapses_at(on, &*calendar.current(conn)?)?.value),
        _ => None,
    };
    Ok(TenderView {
        id: row.id,
        demand_id: row.demand_id,
        demand_title,
        org_id: row.org_id,
        org_name,
        status: row.status,
        open_to_all: row.open_to_all,
        bidding_closes_at: utc(row.bidding_closes_at),
        weights,
        evaluators,
        bid_count,
        own_bid_id,
        contract_id: match &row.awarded_bid_id {
            Some(bid) => ContractRow::of_bid(conn, bid)?.map(|c| c.id),
            None => None,
        },
        awarded_bid_id: row.awarded_bid_id,
        awarded_on: row.awarded_on,
        signing_deadline,
        award_reason: row.award_reason,
        closed_at: row.closed_at.map(utc),
        created_at: utc(row.created_at),
    })
}

/// The API view of a bid with its contents: call only behind a [`BidReader`].
pub fn bid_view(
    conn: &mut DbConn,
    key: &[u8; 32],
    (bid, org_name): (BidRow, String),
    tender: &TenderRow,
    demand_title: &str,
) -> Result<BidView, ApiError> {
    let offer = open_offer(key, &bid.offer_sealed)?;
    let files = BidFileRow::of_bid(conn, &bid.id)?
        .into_iter()
        .map(|file| {
            let meta = open_file_meta(key, &file.meta_sealed)?;
            Ok(BidFileView {
                download_path: format!("/bids/{}/files/{}", bid.id, file.id),
                id: file.id,
                name: meta.name,
                content_type: meta.content_type,
                size: meta.size,
                sha256: meta.sha256,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(BidView {
        id: bid.id,
        tender_id: bid.tender_id,
        demand_title: demand_title.to_owned(),
        bidding_closes_at: utc(tender.bidding_closes_at),
        org_id: bid.org_id,
        org_name,
        status: bid.status,
        revision: bid.revision,
        price_fen: offer.price_fen,
        duration_days: offer.duration_days,
        proposal: offer.proposal,
        validity_days: offer.validity_days,
        files,
        submitted_at: utc(bid.submitted_at),
        rank: bid.rank,
    })
}

/// Whether a bid is on the scoring sheet: judged valid, and whatever the award made of it.
fn on_sheet(state: BidState) -> bool {
    matches!(state, BidState::Valid | BidState::Awarded | BidState::NotAwarded | BidState::AwardLapsed)
}

/// A computed sheet, the marks it was computed from, and the bids on it with their bidders'
/// names.
pub type Sheet = (ScoringSheet, Vec<MarksRow>, Vec<(BidRow, String)>);

/// The scoring sheet of a closed tender, with every mark given so far.
pub fn sheet(conn: &mut DbConn, key: &[u8; 32], tender: &TenderRow) -> Result<Sheet, ApiError> {
    let weights = weights_of(tender)?;
    let bids: Vec<(BidRow, String)> =
        BidRow::of_tender(conn, &tender.id)?.into_iter().filter(|(bid, _)| on_sheet(bid.status)).collect();
    let ids: Vec<&str> = bids.iter().map(|(bid, _)| bid.org_id.as_str()).collect();
    let orgs: std::collections::HashMap<String, OrganisationRow> =
        OrganisationRow::find_many(conn, &ids)?.into_iter().map(|org| (org.id.clone(), org)).collect();
    let mut scoring = Vec::with_capacity(bids.len());
    for (bid, name) in &bids {
        let offer = open_offer(key, &bid.offer_sealed)?;
        let org = orgs.get(&bid.org_id).ok_or_else(bid_not_found)?;
        let credit = matching::credit(org);
        scoring.push(ScoringBid {
            bid_id: bid.id.clone(),
            bidder_name: name.clone(),
            price_fen: offer.price_fen,
            duration_days: u32::try_from(offer.duration_days).map_err(ApiError::internal)?,
            submitted_at: utc(bid.submitted_at),
            credit: match credit.standing.grade() {
                Some(_) => BidderCredit::Rated { total: credit.score },
                None => BidderCredit::InsufficientData,
            },
        });
    }
    let marks = MarksRow::of_tender(conn, &tender.id)?;
    let given: Vec<EvaluatorMarks> = marks
        .iter()
        .map(|m| EvaluatorMarks {
            evaluator_id: m.evaluator_id.clone(),
            bid_id: m.bid_id.clone(),
            marks: from_json(&m.marks),
        })
        .collect();
    let sheet = scoring_sheet(&weights, &scoring, &evaluators_of(tender), &given, &MatchingConfig::default())
        .map_err(ApiError::internal)?;
    Ok((sheet, marks, bids))
}

/// The sheet as the API shows it to `user_id`: every evaluator's marks once complete, only the
/// caller's own before.
pub fn sheet_view(
    conn: &mut DbConn,
    tender: &TenderRow,
    demand_title: String,
    sheet: ScoringSheet,
    marks: Vec<MarksRow>,
    user_id: &str,
) -> Result<ScoringSheetView, ApiError> {
    let evaluators = evaluator_views(conn, &evaluators_of(tender))?;
    let name_of =
        |id: &str| evaluators.iter().find(|e| e.user_id == id).map(|e| e.name.clone()).unwrap_or_default();
    let (state, missing) = match &sheet.status {
        SheetStatus::Complete => (SheetState::Complete, Vec::new()),
        SheetStatus::AwaitingMarks { missing_evaluators } => (
            SheetState::AwaitingMarks,
            evaluators.iter().filter(|e| missing_evaluators.contains(&e.user_id)).cloned().collect(),
        ),
        SheetStatus::NoEvaluators => (SheetState::NoEvaluators, Vec::new()),
    };
    let complete = state == SheetState::Complete;
    let marks = marks
        .into_iter()
        .filter(|m| complete || m.evaluator_id == user_id)
        .map(|m| MarksView {
            evaluator_name: name_of(&m.evaluator_id),
            marks: from_json(&m.marks),
            bid_id: m.bid_id,
            evaluator_id: m.evaluator_id,
        })
        .collect();
    Ok(ScoringSheetView {
        tender_id: tender.id.clone(),
        demand_title,
        state,
        missing_evaluators: missing,
        weights: weights_of(tender)?,
        rows: sheet.rows,
        marks,
    })
}

/// The job payload naming a tender.
#[derive(Debug, Serialize, Deserialize)]
pub struct TenderJob {
    /// The tender.
    pub tender_id: String,
}

/// Queues the deadline job of a tender.
pub fn schedule_close(conn: &mut DbConn, tender: &TenderRow) -> Result<(), ApiError> {
    let payload =
        serde_json::to_string(&TenderJob { tender_id: tender.id.clone() }).map_err(ApiError::internal)?;
    enqueue(conn, JobKind::TenderClose, &payload, tender.bidding_closes_at).map(drop)
}

/// Queues the lapse job of an award: just after the end (Shanghai) of its last signing day.
pub fn schedule_lapse(
    conn: &mut DbConn,
    tender_id: &str,
    last_signing_day: NaiveDate,
) -> Result<(), ApiError> {
    let payload =
        serde_json::to_string(&TenderJob { tender_id: tender_id.to_owned() }).map_err(ApiError::internal)?;
    let at = end_of_day(last_signing_day).map_err(ApiError::internal)?;
    enqueue(conn, JobKind::AwardLapse, &payload, at.naive_utc()).map(drop)
}

/// The deadline job: closes bidding, judges every submitted bid (a bidder that no longer passes
/// prequalification is disqualified) and tells the poster and the bidders. A tender that is no
/// longer open (cancelled) is left alone.
pub fn close(conn: &mut DbConn, out: &mut Outgoing, tender_id: &str) -> Result<(), ApiError> {
    let Some((mut row, title, _)) = TenderRow::find(conn, tender_id)? else { return Ok(()) };
    if row.status != TenderState::Open {
        return Ok(());
    }
    let at = now();
    let step = lifecycle::transition(&tender_of(&row), TenderEvent::Close, TenderActor::System, utc(at))?;
    let demand = DemandRow::find(conn, &row.demand_id)?.ok_or_else(not_found)?.0;
    let mut valid = 0;
    let mut bidders = Vec::new();
    for (mut bid, _) in BidRow::of_tender(conn, &row.id)? {
        if bid.status != BidState::Submitted {
            continue;
        }
        let (report, _) = record_prequalification(conn, &row, &demand, &bid.org_id, at)?;
        let judged = bid_transition(
            bid.status,
            BidEvent::Judge { qualified: report.may_bid },
            TenderActor::System,
            utc(row.bidding_closes_at),
            utc(at),
        )?;
        let revision = bid.revision;
        bid.status = judged.state;
        bid.updated_at = at;
        bid.save_if(conn, BidState::Submitted, revision)?;
        if judged.state == BidState::Valid {
            valid += 1;
        }
        bidders.push(bid.org_id);
    }
    debug_assert_eq!(step.effect, TenderEffect::JudgeBids);
    row.status = step.tender.state;
    row.closed_at = Some(at);
    row.updated_at = at;
    if !row.save_if_status(conn, TenderState::Open)? {
        return Err(ApiError::new(ErrorCode::Conflict, "the tender changed while closing; retrying"));
    }
    let notice = TenderNotice::Closed { title, valid_bids: valid };
    let link = format!("/tenders/{}", row.id);
    out.to_org(conn, &row.org_id, &Notice::new(&notice, link.clone(), Some(&row.org_id)))?;
    for org in &bidders {
        out.to_org(conn, org, &Notice::new(&notice, link.clone(), Some(org)))?;
    }
    Ok(())
}

/// The lapse job: an award whose contract was not signed by the end of its last signing day
/// lapses; the poster may then award another bid. An award already signed is left alone.
pub fn lapse(
    conn: &mut DbConn,
    out: &mut Outgoing,
    tender_id: &str,
    calendar: &BusinessCalendar,
) -> Result<(), ApiError> {
    let Some((mut row, title, _)) = TenderRow::find(conn, tender_id)? else { return Ok(()) };
    if row.status != TenderState::Awarded {
        return Ok(());
    }
    let at = now();
    let step = match lifecycle::transition(
        &tender_of(&row),
        TenderEvent::Lapse { calendar },
        TenderActor::System,
        utc(at),
    ) {
        Ok(step) => step,
        // The holiday table changed since the job was queued: queue it again for the new day.
        Err(TenderRefusal::AwardNotLapsedYet(day)) => return schedule_lapse(conn, &row.id, day),
        Err(refusal) => return Err(refusal.into()),
    };
    let TenderEffect::AwardLapsed { bid_id } = step.effect else {
        return Err(ApiError::internal("a lapse must lapse the awarded bid"));
    };
    let (mut bid, _) = BidRow::find(conn, &bid_id)?.ok_or_else(bid_not_found)?;
    let lapsed = bid_transition(
        bid.status,
        BidEvent::Lapse,
        TenderActor::System,
        utc(row.bidding_closes_at),
        utc(at),
    )?;
    let (from, revision) = (bid.status, bid.revision);
    bid.status = lapsed.state;
    bid.updated_at = at;
    bid.save_if(conn, from, revision)?;
    row.status = step.tender.state;
    row.updated_at = at;
    if !row.save_if_status(conn, TenderState::Awarded)? {
        return Ok(());
    }
    abandon_contract(conn, &bid.id, at)?;
    let notice = TenderNotice::AwardLapsed { title };
    let link = format!("/tenders/{}", row.id);
    out.to_org(conn, &row.org_id, &Notice::new(&notice, link.clone(), Some(&row.org_id)))?;
    out.to_org(conn, &bid.org_id, &Notice::new(&notice, link, Some(&bid.org_id)))?;
    Ok(())
}

/// The unsigned contract of a lapsed award is abandoned.
fn abandon_contract(conn: &mut DbConn, bid_id: &str, at: NaiveDateTime) -> Result<(), ApiError> {
    use shared::domain::contract::lifecycle::{ContractActor, ContractEvent};
    let Some(row) = ContractRow::of_bid(conn, bid_id)? else { return Ok(()) };
    let loaded = crate::routes::contracts::service::Loaded::load(conn, &row.id)?;
    let step = shared::domain::contract::lifecycle::transition(
        &loaded.lifecycle()?,
        ContractEvent::Abandon,
        &ContractActor::System,
        utc(at),
    )?;
    let mut row = loaded.row.clone();
    row.status = step.contract.state;
    row.updated_at = at;
    row.save_if(conn, loaded.row.status, loaded.row.current_version)?;
    Ok(())
}

/// A stored bid's offer judged for a sheet: the lowest and highest ranks, for messages.
pub fn ranked(sheet: &ScoringSheet) -> usize {
    sheet.rows.iter().filter(|row| row.rank.is_some()).count()
}
