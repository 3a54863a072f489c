//! `bank_accounts` (sealed numbers) and `payouts` (withdrawals).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::dto::PayoutState;

use crate::db::DbConn;
use crate::db::schema::{bank_accounts, payouts};

/// A bank account withdrawals go to.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = bank_accounts)]
pub struct BankAccountRow {
    pub id: String,
    pub org_id: String,
    pub account_name: String,
    pub bank_name: String,
    pub branch: Option<String>,
    pub number_sealed: String,
    pub masked_number: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub retired_at: Option<NaiveDateTime>,
}

impl BankAccountRow {
    /// Retires the organisation's current account and inserts this one.
    pub fn replace(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::update(
            bank_accounts::table
                .filter(bank_accounts::org_id.eq(&self.org_id))
                .filter(bank_accounts::retired_at.is_null()),
        )
        .set(bank_accounts::retired_at.eq(self.created_at))
        .execute(conn)?;
        diesel::insert_into(bank_accounts::table).values(self).execute(conn).map(drop)
    }

    /// The organisation's current account.
    pub fn current(conn: &mut DbConn, org_id: &str) -> QueryResult<Option<BankAccountRow>> {
        bank_accounts::table
            .filter(bank_accounts::org_id.eq(org_id))
            .filter(bank_accounts::retired_at.is_null())
            .select(BankAccountRow::as_select())
            .first(conn)
            .optional()
    }

    /// Accounts by id (current or retired).
    pub fn by_ids(conn: &mut DbConn, ids: &[String]) -> QueryResult<Vec<BankAccountRow>> {
        bank_accounts::table
            .filter(bank_accounts::id.eq_any(ids))
            .select(BankAccountRow::as_select())
            .load(conn)
    }
}

/// A withdrawal.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = payouts, treat_none_as_null = true)]
pub struct PayoutRow {
    pub id: String,
    pub org_id: String,
    pub bank_account_id: String,
    pub amount_fen: i64,
    pub status: PayoutState,
    pub requested_by: String,
    pub requested_at: NaiveDateTime,
    pub hold_transaction_id: String,
    pub approved_by: Option<String>,
    pub approved_at: Option<NaiveDateTime>,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub bank_reference: Option<String>,
    pub reason: Option<String>,
    pub transaction_id: Option<String>,
}

impl PayoutRow {
    /// Inserts a withdrawal.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(payouts::table).values(self).execute(conn).map(drop)
    }

    /// One withdrawal.
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<PayoutRow>> {
        payouts::table.find(id).select(PayoutRow::as_select()).first(conn).optional()
    }

    /// Saves a decision if the row is still in `from` (`false`: someone decided meanwhile).
    pub fn save_if(&self, conn: &mut DbConn, from: PayoutState) -> QueryResult<bool> {
        diesel::update(payouts::table.find(&self.id).filter(payouts::status.eq(from)))
            .set(self)
            .execute(conn)
            .map(|n| n == 1)
    }

    /// An organisation's withdrawals, newest first.
    pub fn of_org(conn: &mut DbConn, org_id: &str, limit: i64) -> QueryResult<Vec<PayoutRow>> {
        payouts::table
            .filter(payouts::org_id.eq(org_id))
            .order((payouts::requested_at.desc(), payouts::id.desc()))
            .limit(limit)
            .select(PayoutRow::as_select())
            .load(conn)
    }

    /// Withdrawals in these states, oldest first (the finance queue).
    pub fn in_states(conn: &mut DbConn, states: &[PayoutState], limit: i64) -> QueryResult<Vec<PayoutRow>> {
        payouts::table
            .filter(payouts::status.eq_any(states))
            .order((payouts::requested_at.asc(), payouts::id.asc()))
            .limit(limit)
            .select(PayoutRow::as_select())
            .load(conn)
    }
}
