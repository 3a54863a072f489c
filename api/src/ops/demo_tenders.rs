//! Demo tendering, made through the same rules and service code as the API: three published
//! demands of the demo contractor (中建华东) — one in bidding with two sealed bids, one awarded
//! whose contract the contractor has signed and the supplier has yet to sign, and one whose
//! contract both signed and is in force. Signatures carry demo evidence (address `127.0.0.1`,
//! user agent `gongzhu demo`) in the audit chain like real ones.

use chrono::{Duration, NaiveDateTime};
use shared::domain::calendar::shanghai::business_date;
use shared::dto::*;

use crate::auth::session::ClientInfo;
use crate::db::models::demands::DemandRow;
use crate::db::models::orgs::OrganisationRow;
use crate::db::models::tenders::{BidRevisionRow, BidRow, TenderRow};
use crate::db::models::users::User;
use crate::db::{DbConn, new_id};
use crate::error::ApiError;
use crate::routes::contracts::service::Renderer;
use crate::routes::tenders::service::{schedule_close, schedule_lapse, seal_offer};
use crate::state::Outgoing;

/// The demo organisations and people the tenders are made between.
pub struct Cast<'a> {
    /// 中建华东 (the contractor, Certified).
    pub contractor: &'a OrganisationRow,
    /// Its owner.
    pub contractor_owner: &'a User,
    /// 江南钢贸 (steel supplier).
    pub steel: &'a OrganisationRow,
    /// Its owner.
    pub steel_owner: &'a User,
    /// 西南机电 (subcontractor and supplier).
    pub mep: &'a OrganisationRow,
    /// Its owner.
    pub mep_owner: &'a User,
}

fn demand(conn: &mut DbConn, cast: &Cast<'_>, title: &str, at: NaiveDateTime) -> Result<DemandRow, ApiError> {
    let today = business_date(at.and_utc());
    let body = CreateDemandRequest {
        kind: DemandKind::Procurement,
        title: title.to_owned(),
        category: "steel".to_owned(),
        scope: "HRB400E 螺纹钢与 Q355B 型钢，按施工进度分批送货至工地，附材质证明书与复试报告。".to_owned(),
        quantity: Some("约800吨".to_owned()),
        budget_min_fen: 300_000_000,
        budget_max_fen: 420_000_000,
        region_code: "310115".to_owned(),
        required_qualifications: Vec::new(),
        deadline: today + Duration::days(20),
        files: Vec::new(),
        project_id: None,
    };
    let fields = body.check_on(today)?;
    let mut row = crate::routes::demands::service::draft(
        &cast.contractor.id,
        &cast.contractor_owner.id,
        &body,
        fields,
        at,
    );
    row.status = DemandStatus::Published;
    row.submitted_at = Some(at);
    row.published_at = Some(at);
    row.insert(conn)?;
    Ok(row)
}

fn tender(
    conn: &mut DbConn,
    cast: &Cast<'_>,
    demand: &DemandRow,
    closes_at: NaiveDateTime,
    at: NaiveDateTime,
) -> Result<TenderRow, ApiError> {
    let weights = WeightsInput { price: 60, duration: 20, credit: 20, technical: 0, criteria: Vec::new() };
    let weights = shared::validate::Check::check(&weights)?;
    let row = TenderRow {
        id: new_id(),
        demand_id: demand.id.clone(),
        org_id: cast.contractor.id.clone(),
        status: TenderState::Open,
        open_to_all: true,
        bidding_closes_at: closes_at,
        weights: serde_json::to_string(&weights).map_err(ApiError::internal)?,
        evaluators: "[]".to_owned(),
        awarded_bid_id: None,
        awarded_on: None,
        award_reason: None,
        closed_at: None,
        created_by: cast.contractor_owner.id.clone(),
        created_at: at,
        updated_at: at,
    };
    row.insert(conn)?;
    Ok(row)
}

fn bid(
    conn: &mut DbConn,
    key: &[u8; 32],
    tender: &TenderRow,
    org: &OrganisationRow,
    user: &str,
    (price_fen, duration_days): (i64, i64),
    at: NaiveDateTime,
) -> Result<BidRow, ApiError> {
    let offer = shared::validate::Check::check(&BidRequest {
        price_fen,
        duration_days,
        proposal: "分三批供货，首批合同生效后7日内到场；提供钢厂质保书及第三方复试报告，配备专职跟单员。"
            .to_owned(),
        validity_days: 90,
    })?;
    let row = BidRow {
        id: new_id(),
        tender_id: tender.id.clone(),
        org_id: org.id.clone(),
        status: BidState::Submitted,
        live_key: Some(BidRow::live_key_of(&tender.id, &org.id)),
        revision: 1,
        offer_sealed: seal_offer(key, &offer)?,
        rank: None,
        submitted_at: at,
        created_by: user.to_owned(),
        created_at: at,
        updated_at: at,
    };
    row.insert(conn)?;
    BidRevisionRow {
        bid_id: row.id.clone(),
        revision: 1,
        offer_sealed: row.offer_sealed.clone(),
        created_by: user.to_owned(),
        created_at: at,
    }
    .insert(conn)?;
    Ok(row)
}

/// Closes `tender` as the deadline job would have, and awards the steel supplier's bid (first
/// on price), drafting its contract.
fn awarded(
    conn: &mut DbConn,
    (key, renderer): (&[u8; 32], &Renderer),
    cast: &Cast<'_>,
    title: &str,
    at: NaiveDateTime,
) -> Result<String, ApiError> {
    let demand = demand(conn, cast, title, at - Duration::days(12))?;
    let mut tender = tender(conn, cast, &demand, at - Duration::days(2), at - Duration::days(10))?;
    let steel =
        bid(conn, key, &tender, cast.steel, &cast.steel_owner.id, (360_000_000, 60), at - Duration::days(5))?;
    let mep =
        bid(conn, key, &tender, cast.mep, &cast.mep_owner.id, (395_000_000, 75), at - Duration::days(4))?;
    for (mut row, state, rank) in [(steel.clone(), BidState::Awarded, 1), (mep, BidState::NotAwarded, 2)] {
        row.status = state;
        row.rank = Some(rank);
        row.save_if(conn, BidState::Submitted, 1)?;
    }
    tender.status = TenderState::Awarded;
    tender.closed_at = Some(at - Duration::days(2));
    tender.awarded_bid_id = Some(steel.id.clone());
    tender.awarded_on = Some(business_date(at.and_utc()));
    tender.save_if_status(conn, TenderState::Open)?;
    let calendar = crate::calendar::CalendarCache::default().current(conn)?;
    let awarded_on = business_date(at.and_utc());
    let last_day = shared::domain::tender::lifecycle::award_lapses_at(awarded_on, &calendar)?.value;
    schedule_lapse(conn, &tender.id, last_day)?;
    let mut out = Outgoing::default();
    let contract = crate::routes::contracts::service::draft(
        conn,
        &mut out,
        renderer,
        &tender,
        &steel,
        (360_000_000, 60),
        at,
    )?;
    Ok(contract.id)
}

/// Loads the three demo tenders (inside the caller's transaction).
pub fn load(
    conn: &mut DbConn,
    (key, renderer): (&[u8; 32], &Renderer),
    cast: &Cast<'_>,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    // 1. In bidding: closes in 7 days, two sealed bids.
    let open = demand(conn, cast, "浦东商业综合体项目钢材集中采购", at)?;
    let bidding = tender(conn, cast, &open, at + Duration::days(7), at)?;
    schedule_close(conn, &bidding)?;
    bid(conn, key, &bidding, cast.steel, &cast.steel_owner.id, (372_000_000, 45), at)?;
    bid(conn, key, &bidding, cast.mep, &cast.mep_owner.id, (388_000_000, 40), at)?;
    // 2. Awarded, signed by the contractor, awaiting the supplier.
    let client = ClientInfo { ip: Some("127.0.0.1".to_owned()), user_agent: Some("gongzhu demo".to_owned()) };
    let mut out = Outgoing::default();
    let waiting = awarded(conn, (key, renderer), cast, "临港物流园二期钢结构用钢采购", at)?;
    let loaded = crate::routes::contracts::send_for_signing(
        conn,
        &waiting,
        &cast.contractor.id,
        &cast.contractor_owner.id,
    )?;
    let sha = loaded.current()?.sha256.clone();
    crate::routes::contracts::sign(
        conn,
        &mut out,
        &waiting,
        &cast.contractor.id,
        cast.contractor_owner,
        &sha,
        &client,
    )?;
    // 3. In force: both signed.
    let effective = awarded(conn, (key, renderer), cast, "嘉定学校新建工程主体钢筋采购", at)?;
    let loaded =
        crate::routes::contracts::send_for_signing(conn, &effective, &cast.steel.id, &cast.steel_owner.id)?;
    let sha = loaded.current()?.sha256.clone();
    crate::routes::contracts::sign(
        conn,
        &mut out,
        &effective,
        &cast.contractor.id,
        cast.contractor_owner,
        &sha,
        &client,
    )?;
    crate::routes::contracts::sign(
        conn,
        &mut out,
        &effective,
        &cast.steel.id,
        cast.steel_owner,
        &sha,
        &client,
    )?;
    Ok(())
}
