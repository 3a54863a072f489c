//! `contract_closings` (last acceptance, warranty, retention, completion), `defect_claims`,
//! `risk_cases` (the 15-day overdue rule) and `contract_ratings`.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use shared::dto::{DefectClaimState, RiskCaseState};

use crate::db::DbConn;
use crate::db::schema::{contract_closings, contract_ratings, defect_claims, risk_cases};

/// A contract's closing.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = contract_closings, treat_none_as_null = true)]
pub struct ClosingRow {
    pub contract_id: String,
    pub last_accepted_on: NaiveDate,
    pub warranty_ends_on: NaiveDate,
    pub retention_released_at: Option<NaiveDateTime>,
    pub completed_at: Option<NaiveDateTime>,
}

impl ClosingRow {
    /// The closing of a contract, if its last acceptance happened.
    pub fn find(conn: &mut DbConn, contract_id: &str) -> QueryResult<Option<ClosingRow>> {
        contract_closings::table.find(contract_id).select(ClosingRow::as_select()).first(conn).optional()
    }

    /// When each of `contracts` that has completed completed.
    pub fn completed(conn: &mut DbConn, contracts: &[&str]) -> QueryResult<HashMap<String, NaiveDateTime>> {
        let mut completed = HashMap::new();
        for chunk in distinct_chunks(contracts) {
            let rows: Vec<(String, Option<NaiveDateTime>)> = contract_closings::table
                .filter(contract_closings::contract_id.eq_any(chunk))
                .filter(contract_closings::completed_at.is_not_null())
                .select((contract_closings::contract_id, contract_closings::completed_at))
                .load(conn)?;
            completed.extend(rows.into_iter().filter_map(|(id, at)| Some((id, at?))));
        }
        Ok(completed)
    }

    /// Inserts the closing (`false`: it exists already).
    pub fn insert_new(&self, conn: &mut DbConn) -> QueryResult<bool> {
        if Self::find(conn, &self.contract_id)?.is_some() {
            return Ok(false);
        }
        diesel::insert_into(contract_closings::table).values(self).execute(conn).map(|n| n == 1)
    }

    /// Writes it back.
    pub fn save(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::update(contract_closings::table.find(&self.contract_id)).set(self).execute(conn).map(drop)
    }

    /// Closings whose retention is not released yet and whose warranty ended by `today`.
    pub fn retention_due(conn: &mut DbConn, today: NaiveDate) -> QueryResult<Vec<ClosingRow>> {
        contract_closings::table
            .filter(contract_closings::retention_released_at.is_null())
            .filter(contract_closings::warranty_ends_on.le(today))
            .select(ClosingRow::as_select())
            .load(conn)
    }
}

/// A defect claim.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = defect_claims, treat_none_as_null = true)]
pub struct DefectClaimRow {
    pub id: String,
    pub contract_id: String,
    pub description: String,
    pub status: DefectClaimState,
    pub raised_by: String,
    pub raised_at: NaiveDateTime,
    pub closed_by: Option<String>,
    pub closed_at: Option<NaiveDateTime>,
    pub close_note: Option<String>,
}

impl DefectClaimRow {
    /// Inserts a claim.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(defect_claims::table).values(self).execute(conn).map(drop)
    }

    /// A contract's claims, oldest first.
    pub fn of_contract(conn: &mut DbConn, contract_id: &str) -> QueryResult<Vec<DefectClaimRow>> {
        defect_claims::table
            .filter(defect_claims::contract_id.eq(contract_id))
            .order((defect_claims::raised_at.asc(), defect_claims::id.asc()))
            .select(DefectClaimRow::as_select())
            .load(conn)
    }

    /// Closes an open claim (`false`: it was not open).
    pub fn close(&self, conn: &mut DbConn) -> QueryResult<bool> {
        diesel::update(
            defect_claims::table.find(&self.id).filter(defect_claims::status.eq(DefectClaimState::Open)),
        )
        .set(self)
        .execute(conn)
        .map(|n| n == 1)
    }
}

/// A risk case.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = risk_cases)]
pub struct RiskCaseRow {
    pub id: String,
    pub contract_id: String,
    pub org_id: String,
    pub milestones: String,
    pub owed_fen: i64,
    pub status: RiskCaseState,
    pub opened_at: NaiveDateTime,
    pub cleared_at: Option<NaiveDateTime>,
}

impl RiskCaseRow {
    /// Inserts a case.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(risk_cases::table).values(self).execute(conn).map(drop)
    }

    /// The open case of a contract, if any.
    pub fn open_of_contract(conn: &mut DbConn, contract_id: &str) -> QueryResult<Option<RiskCaseRow>> {
        risk_cases::table
            .filter(risk_cases::contract_id.eq(contract_id))
            .filter(risk_cases::status.eq(RiskCaseState::Open))
            .select(RiskCaseRow::as_select())
            .first(conn)
            .optional()
    }

    /// Whether an organisation has an open case (as payer).
    pub fn org_has_open(conn: &mut DbConn, org_id: &str) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            risk_cases::table
                .filter(risk_cases::org_id.eq(org_id))
                .filter(risk_cases::status.eq(RiskCaseState::Open)),
        ))
        .get_result(conn)
    }

    /// Clears an open case (`false`: it was not open).
    pub fn clear(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> QueryResult<bool> {
        diesel::update(risk_cases::table.find(id).filter(risk_cases::status.eq(RiskCaseState::Open)))
            .set((risk_cases::status.eq(RiskCaseState::Cleared), risk_cases::cleared_at.eq(Some(at))))
            .execute(conn)
            .map(|n| n == 1)
    }

    /// Cases, newest first, optionally in one state.
    pub fn list(
        conn: &mut DbConn,
        state: Option<RiskCaseState>,
        limit: i64,
    ) -> QueryResult<Vec<RiskCaseRow>> {
        let mut query = risk_cases::table.into_boxed();
        if let Some(state) = state {
            query = query.filter(risk_cases::status.eq(state));
        }
        query
            .order((risk_cases::opened_at.desc(), risk_cases::id.desc()))
            .limit(limit)
            .select(RiskCaseRow::as_select())
            .load(conn)
    }
}

/// A rating.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = contract_ratings)]
pub struct RatingRow {
    pub contract_id: String,
    pub rater_org_id: String,
    pub ratee_org_id: String,
    pub quality: i32,
    pub timeliness: i32,
    pub communication: i32,
    pub payment: i32,
    pub comment: Option<String>,
    pub rated_by: String,
    pub created_at: NaiveDateTime,
}

impl RatingRow {
    /// Inserts a rating (`false`: this organisation rated this contract already).
    pub fn insert_new(&self, conn: &mut DbConn) -> QueryResult<bool> {
        let exists: bool = diesel::select(diesel::dsl::exists(
            contract_ratings::table
                .filter(contract_ratings::contract_id.eq(&self.contract_id))
                .filter(contract_ratings::rater_org_id.eq(&self.rater_org_id)),
        ))
        .get_result(conn)?;
        if exists {
            return Ok(false);
        }
        diesel::insert_into(contract_ratings::table).values(self).execute(conn).map(|n| n == 1)
    }

    /// A contract's ratings.
    pub fn of_contract(conn: &mut DbConn, contract_id: &str) -> QueryResult<Vec<RatingRow>> {
        contract_ratings::table
            .filter(contract_ratings::contract_id.eq(contract_id))
            .select(RatingRow::as_select())
            .load(conn)
    }

    /// How many ratings each of `contracts` has.
    pub fn counts(conn: &mut DbConn, contracts: &[&str]) -> QueryResult<HashMap<String, i64>> {
        let mut counts = HashMap::new();
        for chunk in distinct_chunks(contracts) {
            let rows: Vec<(String, i64)> = contract_ratings::table
                .filter(contract_ratings::contract_id.eq_any(chunk))
                .group_by(contract_ratings::contract_id)
                .select((contract_ratings::contract_id, diesel::dsl::count_star()))
                .load(conn)?;
            counts.extend(rows);
        }
        Ok(counts)
    }

    /// Ratings an organisation received, newest first.
    pub fn received(conn: &mut DbConn, org_id: &str, limit: i64) -> QueryResult<Vec<RatingRow>> {
        contract_ratings::table
            .filter(contract_ratings::ratee_org_id.eq(org_id))
            .order(contract_ratings::created_at.desc())
            .limit(limit)
            .select(RatingRow::as_select())
            .load(conn)
    }
}

/// `ids` without repeats, in chunks small enough for one statement's bound parameters (SQLite
/// refuses more than 32,766).
fn distinct_chunks<'a>(ids: &[&'a str]) -> Vec<Vec<&'a str>> {
    let mut distinct: Vec<&str> = ids.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    distinct.chunks(1000).map(<[&str]>::to_vec).collect()
}
