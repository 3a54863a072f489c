//! `acceptances` and `acceptance_signatures`: a performer's request to accept a milestone and
//! the confirmers' signed answers.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::dto::{AcceptanceDecision, AcceptanceState, PartyRole};

use crate::db::DbConn;
use crate::db::schema::{acceptance_signatures, acceptances};

/// An acceptance request; `quantities` and `settlement` are JSON.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = acceptances)]
pub struct AcceptanceRow {
    pub id: String,
    pub contract_id: String,
    pub milestone: i32,
    pub status: AcceptanceState,
    pub quantities: String,
    pub note: String,
    pub requested_by: String,
    pub requested_at: NaiveDateTime,
    pub decided_at: Option<NaiveDateTime>,
    pub settlement: Option<String>,
    pub statement_sha256: Option<String>,
    pub transaction_id: Option<String>,
}

/// A confirmer's signed answer.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = acceptance_signatures)]
pub struct AcceptanceSignatureRow {
    pub id: String,
    pub acceptance_id: String,
    pub role: PartyRole,
    pub org_id: String,
    pub signer_id: String,
    pub signer_name: String,
    pub decision: AcceptanceDecision,
    pub reason: Option<String>,
    pub consent_text: String,
    pub ip: String,
    pub user_agent: String,
    pub signed_at: NaiveDateTime,
    pub audit_seq: i64,
}

impl AcceptanceRow {
    /// Inserts a request.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(acceptances::table).values(self).execute(conn).map(drop)
    }

    /// One request.
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<AcceptanceRow>> {
        acceptances::table.find(id).select(AcceptanceRow::as_select()).first(conn).optional()
    }

    /// Every request of a contract, oldest first.
    pub fn of_contract(conn: &mut DbConn, contract_id: &str) -> QueryResult<Vec<AcceptanceRow>> {
        acceptances::table
            .filter(acceptances::contract_id.eq(contract_id))
            .order(acceptances::id.asc())
            .select(AcceptanceRow::as_select())
            .load(conn)
    }

    /// Writes the decision if the request is still open (`false`: decided meanwhile).
    pub fn decide(&self, conn: &mut DbConn) -> QueryResult<bool> {
        let n = diesel::update(
            acceptances::table.find(&self.id).filter(acceptances::status.eq(AcceptanceState::Requested)),
        )
        .set((
            acceptances::status.eq(self.status),
            acceptances::decided_at.eq(self.decided_at),
            acceptances::settlement.eq(&self.settlement),
            acceptances::statement_sha256.eq(&self.statement_sha256),
            acceptances::transaction_id.eq(&self.transaction_id),
        ))
        .execute(conn)?;
        Ok(n == 1)
    }
}

impl AcceptanceSignatureRow {
    /// Inserts an answer.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(acceptance_signatures::table).values(self).execute(conn).map(drop)
    }

    /// The answers to a request, oldest first.
    pub fn of(conn: &mut DbConn, acceptance_id: &str) -> QueryResult<Vec<AcceptanceSignatureRow>> {
        acceptance_signatures::table
            .filter(acceptance_signatures::acceptance_id.eq(acceptance_id))
            .order(acceptance_signatures::signed_at.asc())
            .select(AcceptanceSignatureRow::as_select())
            .load(conn)
    }
}
