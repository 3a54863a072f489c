//! `bank_statements` and `bank_statement_lines`: imported statements of the platform's
//! receiving account and their credit lines, matched or queued for the finance officer.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use shared::dto::{LineState, QueueReason};

use crate::db::DbConn;
use crate::db::schema::{bank_statement_lines, bank_statements};

/// An import.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = bank_statements)]
pub struct StatementRow {
    pub id: String,
    pub sha256: String,
    pub file_name: String,
    pub encoding: String,
    pub lines: i32,
    pub already_imported: i32,
    pub matched: i32,
    pub queued: i32,
    pub skipped_outflows: i32,
    pub imported_by: String,
    pub imported_at: NaiveDateTime,
}

/// A credit line.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = bank_statement_lines)]
pub struct LineRow {
    pub id: String,
    pub statement_id: String,
    pub serial: String,
    pub trade_date: NaiveDate,
    pub counterparty_name: String,
    pub counterparty_account: String,
    pub amount_fen: i64,
    pub memo: String,
    pub reference: Option<String>,
    pub status: LineState,
    pub reason: Option<QueueReason>,
    pub funding_request_id: Option<String>,
    pub transaction_id: Option<String>,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<NaiveDateTime>,
    pub note: Option<String>,
    pub created_at: NaiveDateTime,
}

impl StatementRow {
    /// Inserts an import.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(bank_statements::table).values(self).execute(conn).map(drop)
    }

    /// One import.
    pub fn by_id(conn: &mut DbConn, id: &str) -> QueryResult<Option<StatementRow>> {
        bank_statements::table.find(id).select(StatementRow::as_select()).first(conn).optional()
    }

    /// The import of a file with this SHA-256.
    pub fn by_sha256(conn: &mut DbConn, sha256: &str) -> QueryResult<Option<StatementRow>> {
        bank_statements::table
            .filter(bank_statements::sha256.eq(sha256))
            .select(StatementRow::as_select())
            .first(conn)
            .optional()
    }

    /// Imports, newest first.
    pub fn recent(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<StatementRow>> {
        bank_statements::table
            .order(bank_statements::id.desc())
            .limit(limit)
            .select(StatementRow::as_select())
            .load(conn)
    }
}

impl LineRow {
    /// Inserts a line.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(bank_statement_lines::table).values(self).execute(conn).map(drop)
    }

    /// One line.
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<LineRow>> {
        bank_statement_lines::table.find(id).select(LineRow::as_select()).first(conn).optional()
    }

    /// Which of these serials were imported before.
    pub fn known_serials(conn: &mut DbConn, serials: &[String]) -> QueryResult<Vec<String>> {
        bank_statement_lines::table
            .filter(bank_statement_lines::serial.eq_any(serials))
            .select(bank_statement_lines::serial)
            .load(conn)
    }

    /// Lines in these states, oldest first, after `cursor` (a line id).
    pub fn in_states(
        conn: &mut DbConn,
        states: &[LineState],
        cursor: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<LineRow>> {
        let mut query =
            bank_statement_lines::table.filter(bank_statement_lines::status.eq_any(states)).into_boxed();
        if let Some(after) = cursor {
            query = query.filter(bank_statement_lines::id.gt(after));
        }
        query.order(bank_statement_lines::id.asc()).limit(limit).select(LineRow::as_select()).load(conn)
    }

    /// Moves a queued line to `status` (`false`: it was not queued any more).
    pub fn resolve(
        conn: &mut DbConn,
        id: &str,
        status: LineState,
        resolution: (Option<&str>, Option<&str>),
        by: &str,
        note: &str,
        at: NaiveDateTime,
    ) -> QueryResult<bool> {
        let n = diesel::update(
            bank_statement_lines::table
                .find(id)
                .filter(bank_statement_lines::status.eq_any([LineState::Unmatched, LineState::Mismatched])),
        )
        .set((
            bank_statement_lines::status.eq(status),
            bank_statement_lines::funding_request_id.eq(resolution.0),
            bank_statement_lines::transaction_id.eq(resolution.1),
            bank_statement_lines::resolved_by.eq(Some(by)),
            bank_statement_lines::resolved_at.eq(Some(at)),
            bank_statement_lines::note.eq(Some(note)),
        ))
        .execute(conn)?;
        Ok(n == 1)
    }
}
