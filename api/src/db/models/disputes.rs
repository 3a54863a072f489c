//! `disputes` (the case as JSON beside its queried columns), `dispute_messages` (the
//! mediation thread) and `dispute_awards` (enforcing an arbitration award).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::domain::dispute::DisputeState;
use shared::domain::dispute::award::{Award, AwardState, CompensationRequest};
use shared::dto::DisputeSide;

use crate::db::DbConn;
use crate::db::schema::{dispute_awards, dispute_messages, disputes};

/// A dispute row.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = disputes)]
#[diesel(treat_none_as_null = true)]
pub struct DisputeRow {
    pub id: String,
    pub contract_id: String,
    pub complainant_org_id: String,
    pub respondent_org_id: String,
    pub state: DisputeState,
    pub mediator_id: Option<String>,
    pub at_fault_org_id: Option<String>,
    pub deadline_at: Option<NaiveDateTime>,
    pub decision_sha256: Option<String>,
    pub complainant_signed_by: Option<String>,
    pub complainant_signed_at: Option<NaiveDateTime>,
    pub respondent_signed_by: Option<String>,
    pub respondent_signed_at: Option<NaiveDateTime>,
    pub executed_at: Option<NaiveDateTime>,
    /// JSON of `shared::domain::dispute::DisputeCase`.
    pub case_json: String,
    pub version: i32,
    pub filed_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// States in which a dispute is open (not closed or withdrawn).
pub const OPEN: [DisputeState; 7] = [
    DisputeState::AwaitingAssignment,
    DisputeState::AwaitingResponse,
    DisputeState::AwaitingMediation,
    DisputeState::InMediation,
    DisputeState::InArbitration,
    DisputeState::Resolved,
    DisputeState::Decided,
];

impl DisputeRow {
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(disputes::table).values(self).execute(conn).map(|_| ())
    }

    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<DisputeRow>> {
        disputes::table.find(id).select(DisputeRow::as_select()).first(conn).optional()
    }

    /// Writes the row if nobody wrote it since `version` was read (then `version + 1`).
    pub fn save_if(&self, conn: &mut DbConn, version: i32) -> QueryResult<bool> {
        let n = diesel::update(disputes::table.find(&self.id).filter(disputes::version.eq(version)))
            .set(self)
            .execute(conn)?;
        Ok(n > 0)
    }

    /// Whether a dispute on the contract is open (its escrow is frozen).
    pub fn open_on_contract(conn: &mut DbConn, contract_id: &str) -> QueryResult<bool> {
        let n: i64 = disputes::table
            .filter(disputes::contract_id.eq(contract_id))
            .filter(disputes::state.eq_any(OPEN))
            .count()
            .get_result(conn)?;
        Ok(n > 0)
    }

    /// An organisation's disputes (either side), newest first.
    pub fn of_org(conn: &mut DbConn, org_id: &str, limit: i64) -> QueryResult<Vec<DisputeRow>> {
        disputes::table
            .filter(disputes::complainant_org_id.eq(org_id).or(disputes::respondent_org_id.eq(org_id)))
            .order((disputes::filed_at.desc(), disputes::id.desc()))
            .limit(limit)
            .select(DisputeRow::as_select())
            .load(conn)
    }

    /// Open disputes, oldest first (the staff queue).
    pub fn open(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<DisputeRow>> {
        disputes::table
            .filter(disputes::state.eq_any(OPEN))
            .order((disputes::filed_at.asc(), disputes::id.asc()))
            .limit(limit)
            .select(DisputeRow::as_select())
            .load(conn)
    }

    /// Disputes lost (held at fault) per organisation of `orgs`.
    pub fn lost_by(conn: &mut DbConn, orgs: &[String]) -> QueryResult<Vec<String>> {
        disputes::table
            .filter(disputes::at_fault_org_id.eq_any(orgs))
            .select(disputes::at_fault_org_id.assume_not_null())
            .load(conn)
    }
}

/// A message of the mediation thread.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = dispute_messages)]
pub struct DisputeMessageRow {
    pub id: String,
    pub dispute_id: String,
    pub side: DisputeSide,
    pub author_id: String,
    pub body: String,
    /// JSON list of SHA-256.
    pub files: String,
    pub created_at: NaiveDateTime,
}

impl DisputeMessageRow {
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(dispute_messages::table).values(self).execute(conn).map(|_| ())
    }

    /// The thread, oldest first.
    pub fn of_dispute(conn: &mut DbConn, dispute_id: &str) -> QueryResult<Vec<DisputeMessageRow>> {
        dispute_messages::table
            .filter(dispute_messages::dispute_id.eq(dispute_id))
            .order((dispute_messages::created_at.asc(), dispute_messages::id.asc()))
            .select(DisputeMessageRow::as_select())
            .load(conn)
    }
}

/// The enforcement of an arbitration award (`shared::domain::dispute::award`).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = dispute_awards)]
#[diesel(treat_none_as_null = true)]
pub struct AwardRow {
    pub dispute_id: String,
    pub contract_id: String,
    pub debtor_org_id: String,
    pub creditor_org_id: String,
    pub state: AwardState,
    pub award_fen: i64,
    pub from_escrow_fen: i64,
    pub paid_fen: i64,
    pub compensated_fen: i64,
    pub due_at: NaiveDateTime,
    pub requested_by: Option<String>,
    pub requested_bond_fen: Option<i64>,
    pub requested_reserve_fen: Option<i64>,
    pub requested_at: Option<NaiveDateTime>,
    pub recovery_fen: i64,
    pub recovered_fen: i64,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl AwardRow {
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(dispute_awards::table).values(self).execute(conn).map(|_| ())
    }

    pub fn find(conn: &mut DbConn, dispute_id: &str) -> QueryResult<Option<AwardRow>> {
        dispute_awards::table.find(dispute_id).select(AwardRow::as_select()).first(conn).optional()
    }

    /// Writes the row if nobody wrote it since `version` was read.
    pub fn save_if(&self, conn: &mut DbConn, version: i32) -> QueryResult<bool> {
        let n = diesel::update(
            dispute_awards::table.find(&self.dispute_id).filter(dispute_awards::version.eq(version)),
        )
        .set(self)
        .execute(conn)?;
        Ok(n > 0)
    }

    /// Awards in `states`, oldest due first (the finance queue).
    pub fn in_states(conn: &mut DbConn, states: &[AwardState], limit: i64) -> QueryResult<Vec<AwardRow>> {
        dispute_awards::table
            .filter(dispute_awards::state.eq_any(states))
            .order((dispute_awards::due_at.asc(), dispute_awards::dispute_id.asc()))
            .limit(limit)
            .select(AwardRow::as_select())
            .load(conn)
    }

    /// What `org_id` still owes the reserve on recovery claims (blocks new contracts when > 0).
    pub fn recovery_open(conn: &mut DbConn, org_id: &str) -> QueryResult<i64> {
        let rows: Vec<(i64, i64)> = dispute_awards::table
            .filter(dispute_awards::debtor_org_id.eq(org_id))
            .filter(dispute_awards::recovery_fen.gt(dispute_awards::recovered_fen))
            .select((dispute_awards::recovery_fen, dispute_awards::recovered_fen))
            .load(conn)?;
        Ok(rows.iter().map(|(owed, paid)| owed - paid).sum())
    }

    /// The award as the rules see it.
    pub fn award(&self) -> Award {
        Award {
            state: self.state,
            award_fen: self.award_fen,
            from_escrow_fen: self.from_escrow_fen,
            paid_fen: self.paid_fen,
            compensated_fen: self.compensated_fen,
            request: self.requested_by.clone().map(|requested_by| CompensationRequest {
                requested_by,
                bond_fen: self.requested_bond_fen.unwrap_or(0),
                reserve_fen: self.requested_reserve_fen.unwrap_or(0),
            }),
            recovery_fen: self.recovery_fen,
            recovered_fen: self.recovered_fen,
        }
    }

    /// Copies `award` into the row (the request's time is `at` when a new one appears).
    pub fn apply(&mut self, award: &Award, at: NaiveDateTime) {
        if award.request.is_some() && self.requested_by.is_none() {
            self.requested_at = Some(at);
        } else if award.request.is_none() {
            self.requested_at = None;
        }
        self.state = award.state;
        self.paid_fen = award.paid_fen;
        self.compensated_fen = award.compensated_fen;
        self.requested_by = award.request.as_ref().map(|r| r.requested_by.clone());
        self.requested_bond_fen = award.request.as_ref().map(|r| r.bond_fen);
        self.requested_reserve_fen = award.request.as_ref().map(|r| r.reserve_fen);
        self.recovery_fen = award.recovery_fen;
        self.recovered_fen = award.recovered_fen;
        self.updated_at = at;
    }
}
