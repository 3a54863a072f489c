//! `tenders`, `tender_prequalifications`, `bids`, `bid_revisions`, `bid_files` and
//! `tender_marks`. Offer fields and file metadata are sealed columns: this module moves them
//! as opaque text; `routes::tenders::service` seals and opens them.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use shared::dto::{BidState, TenderState};

use crate::db::DbConn;
use crate::db::schema::{
    bid_files, bid_revisions, bids, demands, organisations, tender_marks, tender_prequalifications, tenders,
    users,
};

/// A tender. `weights` and `evaluators` hold JSON.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = tenders)]
#[diesel(treat_none_as_null = true)]
pub struct TenderRow {
    pub id: String,
    pub demand_id: String,
    pub org_id: String,
    pub status: TenderState,
    pub open_to_all: bool,
    pub bidding_closes_at: NaiveDateTime,
    pub weights: String,
    pub evaluators: String,
    pub awarded_bid_id: Option<String>,
    pub awarded_on: Option<NaiveDate>,
    pub award_reason: Option<String>,
    pub closed_at: Option<NaiveDateTime>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A tender with its demand's title and the poster's name.
pub type TenderWithNames = (TenderRow, String, String);

impl TenderRow {
    /// Inserts a tender.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(tenders::table).values(self).execute(conn).map(drop)
    }

    /// Writes the row back if it is still in `from`; `false` when another request or job moved
    /// it first.
    pub fn save_if_status(&self, conn: &mut DbConn, from: TenderState) -> QueryResult<bool> {
        let n = diesel::update(tenders::table.find(&self.id).filter(tenders::status.eq(from)))
            .set(self)
            .execute(conn)?;
        Ok(n == 1)
    }

    /// One tender with names.
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<TenderWithNames>> {
        tenders::table
            .inner_join(demands::table)
            .inner_join(organisations::table.on(organisations::id.eq(tenders::org_id)))
            .filter(tenders::id.eq(id))
            .select((TenderRow::as_select(), demands::title, organisations::name))
            .first(conn)
            .optional()
    }

    /// The id of the tender on a demand, if any.
    pub fn tender_id_of(conn: &mut DbConn, demand_id: &str) -> QueryResult<Option<String>> {
        tenders::table.filter(tenders::demand_id.eq(demand_id)).select(tenders::id).first(conn).optional()
    }

    /// The tender on a demand.
    pub fn of_demand(conn: &mut DbConn, demand_id: &str) -> QueryResult<Option<TenderWithNames>> {
        match Self::tender_id_of(conn, demand_id)? {
            Some(id) => Self::find(conn, &id),
            None => Ok(None),
        }
    }
}

/// A bid. `offer_sealed` is the sealed JSON of the current offer.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = bids)]
#[diesel(treat_none_as_null = true)]
pub struct BidRow {
    pub id: String,
    pub tender_id: String,
    pub org_id: String,
    pub status: BidState,
    pub live_key: Option<String>,
    pub revision: i32,
    pub offer_sealed: String,
    pub rank: Option<i32>,
    pub submitted_at: NaiveDateTime,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl BidRow {
    /// The live key of a bid by `org_id` on `tender_id`.
    pub fn live_key_of(tender_id: &str, org_id: &str) -> String {
        format!("{tender_id}:{org_id}")
    }

    /// Inserts a bid; a unique violation on `live_key` means the organisation already bid.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(bids::table).values(self).execute(conn).map(drop)
    }

    /// Writes the row back if it is still in `from` at `revision` (`false`: changed meanwhile).
    pub fn save_if(&self, conn: &mut DbConn, from: BidState, revision: i32) -> QueryResult<bool> {
        let n = diesel::update(
            bids::table.find(&self.id).filter(bids::status.eq(from)).filter(bids::revision.eq(revision)),
        )
        .set(self)
        .execute(conn)?;
        Ok(n == 1)
    }

    /// One bid with its organisation's name.
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<(BidRow, String)>> {
        bids::table
            .inner_join(organisations::table)
            .filter(bids::id.eq(id))
            .select((BidRow::as_select(), organisations::name))
            .first(conn)
            .optional()
    }

    /// Every bid on a tender with the bidders' names, oldest first.
    pub fn of_tender(conn: &mut DbConn, tender_id: &str) -> QueryResult<Vec<(BidRow, String)>> {
        bids::table
            .inner_join(organisations::table)
            .filter(bids::tender_id.eq(tender_id))
            .order(bids::id.asc())
            .select((BidRow::as_select(), organisations::name))
            .load(conn)
    }

    /// The live (not withdrawn) bid of an organisation on a tender.
    pub fn live(conn: &mut DbConn, tender_id: &str, org_id: &str) -> QueryResult<Option<BidRow>> {
        bids::table
            .filter(bids::live_key.eq(Self::live_key_of(tender_id, org_id)))
            .select(BidRow::as_select())
            .first(conn)
            .optional()
    }

    /// How many live bids a tender has.
    pub fn live_count(conn: &mut DbConn, tender_id: &str) -> QueryResult<i64> {
        bids::table
            .filter(bids::tender_id.eq(tender_id))
            .filter(bids::live_key.is_not_null())
            .count()
            .get_result(conn)
    }

    /// An organisation's bids, newest first.
    pub fn of_org(conn: &mut DbConn, org_id: &str, limit: i64) -> QueryResult<Vec<(BidRow, String)>> {
        bids::table
            .inner_join(organisations::table)
            .filter(bids::org_id.eq(org_id))
            .order(bids::id.desc())
            .limit(limit)
            .select((BidRow::as_select(), organisations::name))
            .load(conn)
    }
}

/// A kept revision of a bid's offer.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = bid_revisions)]
pub struct BidRevisionRow {
    pub bid_id: String,
    pub revision: i32,
    pub offer_sealed: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

impl BidRevisionRow {
    /// Inserts a revision.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(bid_revisions::table).values(self).execute(conn).map(drop)
    }
}

/// A file on a bid: sealed bytes in the file store under `storage_key`, sealed metadata here.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = bid_files)]
pub struct BidFileRow {
    pub id: String,
    pub bid_id: String,
    pub storage_key: String,
    pub meta_sealed: String,
    pub uploaded_by: String,
    pub created_at: NaiveDateTime,
}

impl BidFileRow {
    /// Inserts a file.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(bid_files::table).values(self).execute(conn).map(drop)
    }

    /// A bid's files, in upload order.
    pub fn of_bid(conn: &mut DbConn, bid_id: &str) -> QueryResult<Vec<BidFileRow>> {
        bid_files::table
            .filter(bid_files::bid_id.eq(bid_id))
            .order(bid_files::id.asc())
            .select(BidFileRow::as_select())
            .load(conn)
    }

    /// Removes a file from a bid; `false` when it was not there.
    pub fn delete(conn: &mut DbConn, bid_id: &str, id: &str) -> QueryResult<bool> {
        let n = diesel::delete(
            bid_files::table.filter(bid_files::id.eq(id)).filter(bid_files::bid_id.eq(bid_id)),
        )
        .execute(conn)?;
        Ok(n == 1)
    }

    /// Whether another file row still points at the sealed bytes.
    pub fn storage_in_use(conn: &mut DbConn, storage_key: &str) -> QueryResult<bool> {
        let n: i64 =
            bid_files::table.filter(bid_files::storage_key.eq(storage_key)).count().get_result(conn)?;
        Ok(n > 0)
    }
}

/// A stored prequalification report. `report` holds the report's JSON.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = tender_prequalifications)]
pub struct PrequalificationRow {
    pub tender_id: String,
    pub org_id: String,
    pub may_bid: bool,
    pub report: String,
    pub created_at: NaiveDateTime,
}

impl PrequalificationRow {
    /// Stores the report, replacing the organisation's earlier one.
    pub fn replace(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::delete(
            tender_prequalifications::table
                .filter(tender_prequalifications::tender_id.eq(&self.tender_id))
                .filter(tender_prequalifications::org_id.eq(&self.org_id)),
        )
        .execute(conn)?;
        diesel::insert_into(tender_prequalifications::table).values(self).execute(conn).map(drop)
    }

    /// Every report on a tender with the organisations' names.
    pub fn of_tender(conn: &mut DbConn, tender_id: &str) -> QueryResult<Vec<(PrequalificationRow, String)>> {
        tender_prequalifications::table
            .inner_join(organisations::table.on(organisations::id.eq(tender_prequalifications::org_id)))
            .filter(tender_prequalifications::tender_id.eq(tender_id))
            .order(tender_prequalifications::created_at.asc())
            .select((PrequalificationRow::as_select(), organisations::name))
            .load(conn)
    }
}

/// One evaluator's marks for one bid. `marks` holds a JSON list.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = tender_marks)]
pub struct MarksRow {
    pub tender_id: String,
    pub bid_id: String,
    pub evaluator_id: String,
    pub marks: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl MarksRow {
    /// Stores the marks, replacing the evaluator's earlier marks for the bid (keeping when
    /// they were first given).
    pub fn replace(&self, conn: &mut DbConn) -> QueryResult<()> {
        let target = tender_marks::table
            .filter(tender_marks::bid_id.eq(&self.bid_id))
            .filter(tender_marks::evaluator_id.eq(&self.evaluator_id));
        let n = diesel::update(target)
            .set((tender_marks::marks.eq(&self.marks), tender_marks::updated_at.eq(self.updated_at)))
            .execute(conn)?;
        if n == 0 {
            diesel::insert_into(tender_marks::table).values(self).execute(conn)?;
        }
        Ok(())
    }

    /// Every mark on a tender.
    pub fn of_tender(conn: &mut DbConn, tender_id: &str) -> QueryResult<Vec<MarksRow>> {
        tender_marks::table
            .filter(tender_marks::tender_id.eq(tender_id))
            .order((tender_marks::bid_id.asc(), tender_marks::evaluator_id.asc()))
            .select(MarksRow::as_select())
            .load(conn)
    }
}

/// Display names of users, for evaluators.
pub fn user_names(conn: &mut DbConn, ids: &[String]) -> QueryResult<Vec<(String, String)>> {
    users::table.filter(users::id.eq_any(ids)).select((users::id, users::display_name)).load(conn)
}
