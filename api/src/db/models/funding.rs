//! `funding_requests`: a payer's (milestone) or performer's (bond) request to pay into escrow,
//! with the reference code its bank transfer quotes (and, paid through WeChat Pay, the Native
//! order's payment link and last known state; the order's `out_trade_no` is the reference).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::dto::{FundingChannel, FundingStatus, FundingTarget};

use crate::db::DbConn;
use crate::db::schema::funding_requests;

/// A funding request.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = funding_requests)]
pub struct FundingRequestRow {
    pub id: String,
    pub reference: String,
    pub contract_id: String,
    pub target: FundingTarget,
    pub milestone: Option<i32>,
    pub org_id: String,
    pub amount_fen: i64,
    pub channel: FundingChannel,
    pub status: FundingStatus,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub paid_at: Option<NaiveDateTime>,
    pub transaction_id: Option<String>,
    pub cancelled_at: Option<NaiveDateTime>,
    /// The WeChat Pay Native order's payment link, once the order exists.
    pub code_url: Option<String>,
    /// The provider's last known order state (`NOTPAY`, `SUCCESS`, `CLOSED` …).
    pub provider_state: Option<String>,
}

impl FundingRequestRow {
    /// Inserts a request.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(funding_requests::table).values(self).execute(conn).map(drop)
    }

    /// One request.
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<FundingRequestRow>> {
        funding_requests::table.find(id).select(FundingRequestRow::as_select()).first(conn).optional()
    }

    /// The requests with these references.
    pub fn by_references(conn: &mut DbConn, references: &[String]) -> QueryResult<Vec<FundingRequestRow>> {
        funding_requests::table
            .filter(funding_requests::reference.eq_any(references))
            .select(FundingRequestRow::as_select())
            .load(conn)
    }

    /// Pending requests, newest first, optionally only the one with `reference`.
    pub fn pending(
        conn: &mut DbConn,
        reference: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<FundingRequestRow>> {
        let mut query =
            funding_requests::table.filter(funding_requests::status.eq(FundingStatus::Pending)).into_boxed();
        if let Some(code) = reference {
            query = query.filter(funding_requests::reference.eq(code.trim().to_uppercase()));
        }
        query
            .order(funding_requests::id.desc())
            .limit(limit)
            .select(FundingRequestRow::as_select())
            .load(conn)
    }

    /// Every request of a contract, newest first.
    pub fn of_contract(conn: &mut DbConn, contract_id: &str) -> QueryResult<Vec<FundingRequestRow>> {
        funding_requests::table
            .filter(funding_requests::contract_id.eq(contract_id))
            .order(funding_requests::id.desc())
            .select(FundingRequestRow::as_select())
            .load(conn)
    }

    /// Marks a pending request paid by `transaction_id` (`false`: it was not pending any more).
    pub fn mark_paid(
        conn: &mut DbConn,
        id: &str,
        transaction_id: &str,
        at: NaiveDateTime,
    ) -> QueryResult<bool> {
        let n = diesel::update(
            funding_requests::table.find(id).filter(funding_requests::status.eq(FundingStatus::Pending)),
        )
        .set((
            funding_requests::status.eq(FundingStatus::Paid),
            funding_requests::paid_at.eq(Some(at)),
            funding_requests::transaction_id.eq(Some(transaction_id)),
        ))
        .execute(conn)?;
        Ok(n == 1)
    }

    /// Cancels a pending request (`false`: it was not pending any more).
    pub fn cancel(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> QueryResult<bool> {
        let n = diesel::update(
            funding_requests::table.find(id).filter(funding_requests::status.eq(FundingStatus::Pending)),
        )
        .set((
            funding_requests::status.eq(FundingStatus::Cancelled),
            funding_requests::cancelled_at.eq(Some(at)),
        ))
        .execute(conn)?;
        Ok(n == 1)
    }

    /// Stores the provider's order (its payment link and state) on a request.
    pub fn opened(conn: &mut DbConn, id: &str, code_url: &str, state: &str) -> QueryResult<()> {
        diesel::update(funding_requests::table.find(id))
            .set((
                funding_requests::code_url.eq(Some(code_url)),
                funding_requests::provider_state.eq(Some(state)),
            ))
            .execute(conn)
            .map(drop)
    }

    /// Records the provider's order state on a request (only while it is pending: an older
    /// event arriving after the payment changes nothing).
    pub fn provider_state(conn: &mut DbConn, id: &str, state: &str) -> QueryResult<()> {
        diesel::update(
            funding_requests::table.find(id).filter(funding_requests::status.eq(FundingStatus::Pending)),
        )
        .set(funding_requests::provider_state.eq(Some(state)))
        .execute(conn)
        .map(drop)
    }
}
