//! `/demands/{id}/tender`, `/tenders/…`: opening bidding on a published demand, the
//! prequalification reports, the evaluators' marks, the scoring sheet (评分表) and its CSV, the
//! award and cancelling. Bids are `bids`. Bidding closes by the deadline job
//! ([`service::close`]), never by a request; an award not signed in 10 business days lapses by
//! another job ([`service::lapse`]).

pub mod bids;
pub mod service;

use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::{Json, PlainText};
use poem_openapi::{ApiResponse, OpenApi};
use shared::domain::matching::Language;
use shared::domain::notices::tenders::TenderNotice;
use shared::domain::tender::lifecycle::{
    self as lifecycle, BidEvent, TenderActor, TenderEffect, TenderEvent,
};
use shared::domain::tender::scoring::{award_check, check_marks, sheet_csv};
use shared::dto::*;
use shared::error::ErrorCode;

use crate::auth::session::BearerAuth;
use crate::db::models::demands::{DemandInvitationRow, DemandRow, RecommendationRow};
use crate::db::models::orgs::MembershipRow;
use crate::db::models::tenders::{BidRow, MarksRow, PrequalificationRow, TenderRow, TenderWithNames};
use crate::db::{DbConn, new_id, now};
use crate::error::ApiError;
use crate::market::{acting_member, ensure_may_transact, to_json};
use crate::routes::ApiTags;
use crate::routes::notifications::notify::Notice;
use crate::routes::orgs::service::managing_role;
use crate::state::{AppState, Outgoing};
use service::{bid_not_found, evaluates, not_found, tender_of, tender_view, utc};

/// Tenders on demands.
pub struct TendersApi;

#[derive(ApiResponse)]
enum TenderOpened {
    /// Bidding is open; the invited and recommended organisations are told.
    #[oai(status = 201)]
    Created(Json<TenderView>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
enum SheetCsv {
    /// The scoring sheet as CSV (UTF-8 with a byte-order mark).
    #[oai(status = 200)]
    Ok(
        PlainText<String>,
        #[oai(header = "Content-Type")] String,
        #[oai(header = "Content-Disposition")] String,
    ),
}

/// A tender the caller's organisation (`X-Org-Id`) posted, with the caller's role there.
fn posted(
    conn: &mut DbConn,
    id: &str,
    org: &str,
    user: &str,
) -> Result<(TenderWithNames, MemberRole), ApiError> {
    let role = acting_member(conn, org, user)?;
    let found = TenderRow::find(conn, id)?.ok_or_else(not_found)?;
    if found.0.org_id != org {
        return Err(not_found());
    }
    Ok((found, role))
}

/// Like [`posted`], for an owner or admin of the posting organisation or a named evaluator.
fn evaluated(conn: &mut DbConn, id: &str, org: &str, user: &str) -> Result<TenderWithNames, ApiError> {
    let (found, role) = posted(conn, id, org, user)?;
    if !evaluates(&found.0, role, user) {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "only the organisation's owners and admins and the named evaluators take part in evaluation",
        ));
    }
    if found.0.closed_at.is_none() {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "bidding is still open: bids are sealed until it closes",
        ));
    }
    Ok(found)
}

/// Tells the invited and recommended organisations that bidding opened, and assesses those that
/// answered their invitation with interest.
fn announce(conn: &mut DbConn, out: &mut Outgoing, tender: &TenderRow, title: &str) -> Result<(), ApiError> {
    let mut orgs: Vec<String> =
        RecommendationRow::of_demand(conn, &tender.demand_id)?.into_iter().map(|(r, ..)| r.org_id).collect();
    let invitations = DemandInvitationRow::of_demand(conn, &tender.demand_id)?;
    // Organisations that already said they are interested get their prequalification report now.
    let demand = DemandRow::find(conn, &tender.demand_id)?.ok_or_else(not_found)?.0;
    for (invitation, ..) in invitations.iter().filter(|(i, ..)| i.answer == InvitationAnswer::Interested) {
        service::record_prequalification(conn, tender, &demand, &invitation.org_id, tender.created_at)?;
    }
    orgs.extend(invitations.into_iter().map(|(i, ..)| i.org_id));
    orgs.sort();
    orgs.dedup();
    let closes = utc(tender.bidding_closes_at)
        .with_timezone(&shared::domain::calendar::shanghai::SHANGHAI)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let notice = TenderNotice::Opened { title: title.to_owned(), closes };
    let link = format!("/tenders/{}", tender.id);
    for org in orgs.iter().filter(|org| **org != tender.org_id) {
        out.to_org(conn, org, &Notice::new(&notice, link.clone(), Some(org)))?;
    }
    Ok(())
}

/// Checks that every evaluator is a member of `org`: `evaluators[i]` `not_a_member`.
fn check_evaluators(conn: &mut DbConn, org: &str, evaluators: &[String]) -> Result<(), ApiError> {
    let mut checks = shared::validate::Checks::default();
    for (i, id) in evaluators.iter().enumerate() {
        if MembershipRow::role_of(conn, org, id)?.is_none() {
            checks.issue(&format!("evaluators[{i}]"), "not_a_member");
        }
    }
    Ok(checks.finish()?)
}

#[OpenApi(tag = "ApiTags::Tenders")]
impl TendersApi {
    /// Open bidding on a published demand of the organisation in `X-Org-Id` (its owners and
    /// admins; verified, unsuspended organisations). One tender per demand. The invited and
    /// recommended organisations are told; a job closes bidding at `bidding_closes_at`.
    #[oai(path = "/demands/:id/tender", method = "post", operation_id = "open_tender")]
    async fn open(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        body: Json<OpenTenderRequest>,
    ) -> Result<TenderOpened, ApiError> {
        let calendar = state.calendar.clone();
        let user = auth.0.user_id;
        let view = state
            .write(move |c, out| {
                managing_role(c, &org.0, &org.0, &user)?;
                ensure_may_transact(c, &org.0)?;
                let (demand, _) =
                    DemandRow::find(c, &id.0)?.ok_or_else(crate::routes::demands::service::not_found)?;
                if demand.org_id != org.0 {
                    return Err(crate::routes::demands::service::not_found());
                }
                if demand.status != DemandStatus::Published {
                    return Err(ApiError::new(
                        ErrorCode::Conflict,
                        "bidding can be opened only on a published demand",
                    ));
                }
                let at = now();
                let opening = body.check_at(utc(at))?;
                check_evaluators(c, &org.0, &opening.evaluators)?;
                if TenderRow::of_demand(c, &demand.id)?.is_some() {
                    return Err(ApiError::new(ErrorCode::Conflict, "this demand already has a tender"));
                }
                let row = TenderRow {
                    id: new_id(),
                    demand_id: demand.id.clone(),
                    org_id: org.0.clone(),
                    status: TenderState::Open,
                    open_to_all: opening.open_to_all,
                    bidding_closes_at: opening.bidding_closes_at.naive_utc(),
                    weights: serde_json::to_string(&opening.weights).map_err(ApiError::internal)?,
                    evaluators: to_json(&opening.evaluators),
                    awarded_bid_id: None,
                    awarded_on: None,
                    award_reason: None,
                    closed_at: None,
                    created_by: user.clone(),
                    created_at: at,
                    updated_at: at,
                };
                row.insert(c)?;
                service::schedule_close(c, &row)?;
                announce(c, out, &row, &demand.title)?;
                let found = TenderRow::find(c, &row.id)?.ok_or_else(not_found)?;
                tender_view(c, found, Some(&org.0), &calendar)
            })
            .await?;
        state.jobs.wake();
        let location = format!("/api/v1/tenders/{}", view.id);
        Ok(TenderOpened::Created(Json(view), location))
    }

    /// The tender on a demand (any signed-in person; `X-Org-Id` adds the bid count for the
    /// posting organisation and the own bid for a bidder).
    #[oai(path = "/demands/:id/tender", method = "get", operation_id = "get_demand_tender")]
    async fn of_demand(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<Option<String>>,
    ) -> Result<Json<TenderView>, ApiError> {
        show(&state, auth.0.user_id, org.0, move |c| TenderRow::of_demand(c, &id.0)).await
    }

    /// One tender (any signed-in person; see `get_demand_tender`).
    #[oai(path = "/tenders/:id", method = "get", operation_id = "get_tender")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<Option<String>>,
    ) -> Result<Json<TenderView>, ApiError> {
        show(&state, auth.0.user_id, org.0, move |c| TenderRow::find(c, &id.0)).await
    }

    /// Cancel a tender before any award is in force (the posting organisation's owners and
    /// admins). Every bidder is told.
    #[oai(path = "/tenders/:id/cancel", method = "post", operation_id = "cancel_tender")]
    async fn cancel(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Json<TenderView>, ApiError> {
        let calendar = state.calendar.clone();
        let user = auth.0.user_id;
        let view = state
            .write(move |c, out| {
                managing_role(c, &org.0, &org.0, &user)?;
                let ((mut row, title, name), _) = posted(c, &id.0, &org.0, &user)?;
                let at = now();
                let step = lifecycle::transition(
                    &tender_of(&row),
                    TenderEvent::Cancel,
                    TenderActor::Poster,
                    utc(at),
                )?;
                let from = row.status;
                row.status = step.tender.state;
                row.updated_at = at;
                if !row.save_if_status(c, from)? {
                    return Err(ApiError::new(
                        ErrorCode::Conflict,
                        "the tender changed meanwhile; reload it",
                    ));
                }
                let notice = TenderNotice::Cancelled { title: title.clone() };
                let mut bidders: Vec<String> =
                    BidRow::of_tender(c, &row.id)?.into_iter().map(|(bid, _)| bid.org_id).collect();
                bidders.dedup();
                for bidder in &bidders {
                    out.to_org(
                        c,
                        bidder,
                        &Notice::new(&notice, format!("/tenders/{}", row.id), Some(bidder)),
                    )?;
                }
                tender_view(c, (row, title, name), Some(&org.0), &calendar)
            })
            .await?;
        Ok(Json(view))
    }

    /// The prequalification report of the organisation in `X-Org-Id` for this tender, computed
    /// now and stored (the poster sees it too). `may_bid` says whether anything blocks a bid;
    /// `eligible` whether the organisation may bid on this tender at all.
    #[oai(path = "/tenders/:id/prequalification", method = "get", operation_id = "get_prequalification")]
    async fn prequalification(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Json<PrequalificationView>, ApiError> {
        let user = auth.0.user_id;
        let view = state
            .write(move |c, _| {
                acting_member(c, &org.0, &user)?;
                let (tender, ..) = TenderRow::find(c, &id.0)?.ok_or_else(not_found)?;
                if tender.org_id == org.0 {
                    return Err(shared::domain::tender::TenderRefusal::OwnTender.into());
                }
                let demand = DemandRow::find(c, &tender.demand_id)?.ok_or_else(not_found)?.0;
                Ok(service::record_prequalification(c, &tender, &demand, &org.0, now())?.1)
            })
            .await?;
        Ok(Json(view))
    }

    /// Every stored prequalification report on a tender (the posting organisation's members).
    #[oai(path = "/tenders/:id/prequalifications", method = "get", operation_id = "list_prequalifications")]
    async fn prequalifications(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Json<Vec<PrequalificationView>>, ApiError> {
        let views = state
            .db
            .run(move |c| {
                let ((tender, ..), _) = posted(c, &id.0, &org.0, &auth.0.user_id)?;
                let mut views = Vec::new();
                for (row, name) in PrequalificationRow::of_tender(c, &tender.id)? {
                    let report = serde_json::from_str(&row.report).map_err(ApiError::internal)?;
                    let eligible = service::eligible(c, &tender, &row.org_id)?;
                    views.push(service::prequalification_view(&row, &report, name, eligible));
                }
                Ok::<_, ApiError>(views)
            })
            .await?;
        Ok(Json(views))
    }

    /// Give or replace a named evaluator's technical marks for one valid bid, after bidding
    /// closed and before the award: one mark per criterion, 0 to its maximum (`marks`
    /// `required` / `too_many`, `marks[i]` `out_of_range`). Evaluators score independently.
    #[oai(path = "/tenders/:id/bids/:bid_id/marks", method = "put", operation_id = "put_marks")]
    async fn mark(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        bid_id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        body: Json<MarksRequest>,
    ) -> Result<Json<MarksView>, ApiError> {
        let user = auth.0.user_id;
        let view = state
            .write(move |c, _| {
                let ((tender, ..), _) = posted(c, &id.0, &org.0, &user)?;
                if !service::evaluators_of(&tender).contains(&user) {
                    return Err(ApiError::new(
                        ErrorCode::Forbidden,
                        "only a named evaluator gives technical marks",
                    ));
                }
                if tender.status != TenderState::Closed {
                    return Err(ApiError::new(
                        ErrorCode::Conflict,
                        "marks are given after bidding closes and before the award",
                    ));
                }
                let (bid, _) = BidRow::find(c, &bid_id.0)?.ok_or_else(bid_not_found)?;
                if bid.tender_id != tender.id || bid.status != BidState::Valid {
                    return Err(bid_not_found());
                }
                let marks = check_marks(&service::weights_of(&tender)?, &body.marks)?;
                let at = now();
                MarksRow {
                    tender_id: tender.id,
                    bid_id: bid.id.clone(),
                    evaluator_id: user.clone(),
                    marks: to_json(&marks),
                    created_at: at,
                    updated_at: at,
                }
                .replace(c)?;
                let name = service::evaluator_views(c, std::slice::from_ref(&user))?.remove(0).name;
                Ok(MarksView { bid_id: bid.id, evaluator_id: user, evaluator_name: name, marks })
            })
            .await?;
        Ok(Json(view))
    }

    /// The scoring sheet of a closed tender (the posting organisation's owners and admins and
    /// the named evaluators): scores per bid, totals and ranks once every evaluator marked every
    /// valid bid, and the marks (all once complete, the caller's own before).
    #[oai(path = "/tenders/:id/scoring-sheet", method = "get", operation_id = "get_scoring_sheet")]
    async fn sheet(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Json<ScoringSheetView>, ApiError> {
        let key = state.keys.encryption_key;
        let user = auth.0.user_id;
        let view = state
            .db
            .run(move |c| {
                let (tender, title, _) = evaluated(c, &id.0, &org.0, &user)?;
                let (sheet, marks, _) = service::sheet(c, &key, &tender)?;
                service::sheet_view(c, &tender, title, sheet, marks, &user)
            })
            .await?;
        Ok(Json(view))
    }

    /// The scoring sheet as CSV for spreadsheets and printing (same readers as the sheet);
    /// `lang=en` for English headers.
    #[oai(path = "/tenders/:id/scoring-sheet.csv", method = "get", operation_id = "get_scoring_sheet_csv")]
    async fn sheet_csv(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        #[oai(validator(max_length = 8))] lang: Query<Option<String>>,
    ) -> Result<SheetCsv, ApiError> {
        let key = state.keys.encryption_key;
        let user = auth.0.user_id;
        let csv = state
            .db
            .run(move |c| {
                let (tender, ..) = evaluated(c, &id.0, &org.0, &user)?;
                let (sheet, ..) = service::sheet(c, &key, &tender)?;
                let language = if lang.0.as_deref() == Some("en") { Language::En } else { Language::ZhCn };
                Ok::<_, ApiError>((tender.id, sheet_csv(&sheet, language)))
            })
            .await?;
        Ok(SheetCsv::Ok(
            PlainText(csv.1),
            "text/csv; charset=utf-8".into(),
            format!("attachment; filename=\"scoring-sheet-{}.csv\"", csv.0),
        ))
    }

    /// Award the tender to one bid of the complete scoring sheet (the posting organisation's
    /// owners and admins). A reason is required when the bid is not the best-ranked one still
    /// awardable. The winner is told to sign within 10 business days; the other bidders are told
    /// their rank.
    #[oai(path = "/tenders/:id/award", method = "post", operation_id = "award_tender")]
    async fn award(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        body: Json<AwardRequest>,
    ) -> Result<Json<TenderView>, ApiError> {
        let (key, calendar) = (state.keys.encryption_key, state.calendar.clone());
        let font =
            state.pdf_font.get(&state.config.pdf_font).map_err(crate::routes::contracts::service::no_font)?;
        let renderer = crate::routes::contracts::service::Renderer { font, files: state.files.clone() };
        let user = auth.0.user_id;
        let view = state
            .write(move |c, out| {
                managing_role(c, &org.0, &org.0, &user)?;
                let (row, title, name) = evaluated(c, &id.0, &org.0, &user)?;
                let current = calendar.current(c)?;
                let row = award(c, out, (&key, &renderer), row, &title, &body, &current)?;
                tender_view(c, (row, title, name), Some(&org.0), &calendar)
            })
            .await?;
        state.jobs.wake();
        Ok(Json(view))
    }
}

/// The tender `find` loads, as the caller acting for `org` (if given) sees it.
async fn show(
    state: &AppState,
    user: String,
    org: Option<String>,
    find: impl FnOnce(&mut DbConn) -> diesel::QueryResult<Option<TenderWithNames>> + Send + 'static,
) -> Result<Json<TenderView>, ApiError> {
    let calendar = state.calendar.clone();
    let view = state
        .db
        .run(move |c| {
            let found = find(c)?.ok_or_else(not_found)?;
            let viewer = acting_org(c, org.as_deref(), &user)?;
            tender_view(c, found, viewer.as_deref(), &calendar)
        })
        .await?;
    Ok(Json(view))
}

/// The organisation in `X-Org-Id` when the caller is its member; `None` without the header.
fn acting_org(conn: &mut DbConn, org: Option<&str>, user: &str) -> Result<Option<String>, ApiError> {
    match org {
        Some(org) => acting_member(conn, org, user).map(|_| Some(org.to_owned())),
        None => Ok(None),
    }
}

/// Awards `body.bid_id`: checks the choice against the sheet, moves the tender and every bid
/// on the sheet, stores the ranks, queues the lapse job, tells the bidders and drafts the
/// contract from its template.
fn award(
    conn: &mut DbConn,
    out: &mut Outgoing,
    (key, renderer): (&[u8; 32], &crate::routes::contracts::service::Renderer),
    mut row: TenderRow,
    title: &str,
    body: &AwardRequest,
    calendar: &shared::domain::calendar::BusinessCalendar,
) -> Result<TenderRow, ApiError> {
    crate::routes::escrow::closing::ensure_no_open_case(conn, &row.org_id)?;
    let (sheet, _, bids) = service::sheet(conn, key, &row)?;
    let lapsed: Vec<&str> =
        bids.iter().filter(|(b, _)| b.status == BidState::AwardLapsed).map(|(b, _)| b.id.as_str()).collect();
    let choice = award_check(&sheet, &body.bid_id, body.reason.as_deref(), &lapsed)?;
    let chosen = bids.iter().find(|(b, _)| b.id == choice.bid_id).ok_or_else(bid_not_found)?;
    let at = now();
    let event = TenderEvent::Award { bid_id: &choice.bid_id, bid_state: chosen.0.status, calendar };
    let step = lifecycle::transition(&tender_of(&row), event, TenderActor::Poster, utc(at))?;
    let TenderEffect::AwardBid { bid_id, last_signing_day } = step.effect else {
        return Err(ApiError::internal("an award must award a bid"));
    };
    let ranked = service::ranked(&sheet);
    let link = format!("/tenders/{}", row.id);
    for (mut bid, _) in bids {
        let sheet_row = sheet.rows.iter().find(|r| r.bid_id == bid.id);
        let rank = sheet_row.and_then(|r| r.rank).unwrap_or(0);
        let event = if bid.id == bid_id { BidEvent::Award } else { BidEvent::PassOver };
        if event == BidEvent::PassOver && bid.status != BidState::Valid {
            continue;
        }
        let moved = lifecycle::bid_transition(
            bid.status,
            event,
            TenderActor::System,
            utc(row.bidding_closes_at),
            utc(at),
        )?;
        let (from, revision) = (bid.status, bid.revision);
        bid.status = moved.state;
        bid.rank = i32::try_from(rank).ok();
        bid.updated_at = at;
        bid.save_if(conn, from, revision)?;
        let notice = if bid.id == bid_id {
            let price_fen = sheet_row.map_or(0, |r| r.price_fen);
            TenderNotice::Awarded {
                title: title.to_owned(),
                price_fen,
                sign_by: last_signing_day.value.to_string(),
            }
        } else {
            TenderNotice::NotAwarded { title: title.to_owned(), rank, of: ranked }
        };
        out.to_org(conn, &bid.org_id, &Notice::new(&notice, link.clone(), Some(&bid.org_id)))?;
    }
    let from = row.status;
    row.status = step.tender.state;
    row.awarded_bid_id = step.tender.awarded_bid_id;
    row.awarded_on = step.tender.awarded_on;
    row.award_reason = choice.reason;
    row.updated_at = at;
    if !row.save_if_status(conn, from)? {
        return Err(ApiError::new(ErrorCode::Conflict, "the tender was awarded meanwhile"));
    }
    service::schedule_lapse(conn, &row.id, last_signing_day.value)?;
    let (winner, _) = BidRow::find(conn, &bid_id)?.ok_or_else(bid_not_found)?;
    let offer = service::open_offer(key, &winner.offer_sealed)?;
    crate::routes::contracts::service::draft(
        conn,
        out,
        renderer,
        &row,
        &winner,
        (offer.price_fen, offer.duration_days),
        at,
    )?;
    Ok(row)
}
