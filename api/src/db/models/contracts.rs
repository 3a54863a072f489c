//! `contracts`, `contract_versions` and `contract_signatures`.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::dto::{ContractState, SignatureKind};

use crate::db::DbConn;
use crate::db::models::audit::AuditEntry;
use crate::db::schema::{
    audit_log, contract_signatures, contract_versions, contracts, memberships, signing_authorities,
};

/// A contract.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = contracts)]
#[diesel(treat_none_as_null = true)]
pub struct ContractRow {
    pub id: String,
    pub tender_id: String,
    pub bid_id: String,
    pub payer_org_id: String,
    pub performer_org_id: String,
    pub supervisor_org_id: Option<String>,
    pub status: ContractState,
    pub current_version: i32,
    pub effective_version: Option<i32>,
    pub bond_recorded_fen: i64,
    pub effective_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl ContractRow {
    /// Inserts a contract.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(contracts::table).values(self).execute(conn).map(drop)
    }

    /// Writes the row back if it is still at `status` and `version` (`false`: changed meanwhile).
    pub fn save_if(&self, conn: &mut DbConn, status: ContractState, version: i32) -> QueryResult<bool> {
        let n = diesel::update(
            contracts::table
                .find(&self.id)
                .filter(contracts::status.eq(status))
                .filter(contracts::current_version.eq(version)),
        )
        .set(self)
        .execute(conn)?;
        Ok(n == 1)
    }

    /// The ids of the contracts in `status`.
    pub fn ids_with_status(conn: &mut DbConn, status: ContractState) -> QueryResult<Vec<String>> {
        contracts::table
            .filter(contracts::status.eq(status))
            .order(contracts::id.asc())
            .select(contracts::id)
            .load(conn)
    }

    /// One contract.
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<ContractRow>> {
        contracts::table.find(id).select(ContractRow::as_select()).first(conn).optional()
    }

    /// The contract of an awarded bid.
    pub fn of_bid(conn: &mut DbConn, bid_id: &str) -> QueryResult<Option<ContractRow>> {
        contracts::table
            .filter(contracts::bid_id.eq(bid_id))
            .select(ContractRow::as_select())
            .first(conn)
            .optional()
    }

    /// The contracts of a tender, newest first (one per award).
    pub fn of_tender(conn: &mut DbConn, tender_id: &str) -> QueryResult<Vec<ContractRow>> {
        contracts::table
            .filter(contracts::tender_id.eq(tender_id))
            .order(contracts::id.desc())
            .select(ContractRow::as_select())
            .load(conn)
    }

    /// Contracts where the organisation is payer, performer or supervisor, newest first.
    pub fn of_org(conn: &mut DbConn, org_id: &str, limit: i64) -> QueryResult<Vec<ContractRow>> {
        contracts::table
            .filter(
                contracts::payer_org_id
                    .eq(org_id)
                    .or(contracts::performer_org_id.eq(org_id))
                    .or(contracts::supervisor_org_id.eq(org_id)),
            )
            .order(contracts::id.desc())
            .limit(limit)
            .select(ContractRow::as_select())
            .load(conn)
    }

    /// The ids of the contracts in force (`effective`), oldest first.
    pub fn in_force_ids(conn: &mut DbConn) -> QueryResult<Vec<String>> {
        contracts::table
            .filter(contracts::status.eq(ContractState::Effective))
            .order(contracts::id.asc())
            .select(contracts::id)
            .load(conn)
    }
}

/// A version of a contract. `document` holds the whole document's JSON.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = contract_versions)]
pub struct ContractVersionRow {
    pub contract_id: String,
    pub version: i32,
    pub document: String,
    pub sha256: String,
    pub created_by: Option<String>,
    pub created_by_org: Option<String>,
    pub created_at: NaiveDateTime,
    pub in_force_at: Option<NaiveDateTime>,
}

impl ContractVersionRow {
    /// Inserts a version.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(contract_versions::table).values(self).execute(conn).map(drop)
    }

    /// Every version of a contract, oldest first.
    pub fn of_contract(conn: &mut DbConn, contract_id: &str) -> QueryResult<Vec<ContractVersionRow>> {
        contract_versions::table
            .filter(contract_versions::contract_id.eq(contract_id))
            .order(contract_versions::version.asc())
            .select(ContractVersionRow::as_select())
            .load(conn)
    }

    /// One version.
    pub fn find(
        conn: &mut DbConn,
        contract_id: &str,
        version: i32,
    ) -> QueryResult<Option<ContractVersionRow>> {
        contract_versions::table
            .find((contract_id, version))
            .select(ContractVersionRow::as_select())
            .first(conn)
            .optional()
    }

    /// Marks a version as in force.
    pub fn put_in_force(
        conn: &mut DbConn,
        contract_id: &str,
        version: i32,
        at: NaiveDateTime,
    ) -> QueryResult<()> {
        diesel::update(contract_versions::table.find((contract_id, version)))
            .set(contract_versions::in_force_at.eq(Some(at)))
            .execute(conn)
            .map(drop)
    }
}

/// A signature with its evidence.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = contract_signatures)]
pub struct SignatureRow {
    pub id: String,
    pub contract_id: String,
    pub kind: SignatureKind,
    pub version: i32,
    pub org_id: String,
    pub signer_id: String,
    pub signer_name: String,
    pub document_sha256: String,
    pub consent_text: String,
    pub ip: String,
    pub user_agent: String,
    pub signed_at: NaiveDateTime,
    pub audit_seq: i64,
    pub voided_at: Option<NaiveDateTime>,
}

impl SignatureRow {
    /// Inserts a signature.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(contract_signatures::table).values(self).execute(conn).map(drop)
    }

    /// Every signature on a contract, oldest first.
    pub fn of_contract(conn: &mut DbConn, contract_id: &str) -> QueryResult<Vec<SignatureRow>> {
        contract_signatures::table
            .filter(contract_signatures::contract_id.eq(contract_id))
            .order((contract_signatures::signed_at.asc(), contract_signatures::id.asc()))
            .select(SignatureRow::as_select())
            .load(conn)
    }

    /// Voids the live signatures on versions before `version` (a new version was saved).
    pub fn void_before(
        conn: &mut DbConn,
        contract_id: &str,
        version: i32,
        at: NaiveDateTime,
    ) -> QueryResult<usize> {
        diesel::update(
            contract_signatures::table
                .filter(contract_signatures::contract_id.eq(contract_id))
                .filter(contract_signatures::version.lt(version))
                .filter(contract_signatures::voided_at.is_null()),
        )
        .set(contract_signatures::voided_at.eq(Some(at)))
        .execute(conn)
    }
}

/// The audit entries with these sequence numbers and the entries right before them (to check
/// the links), by `seq`.
pub fn audit_entries(conn: &mut DbConn, seqs: &[i64]) -> QueryResult<Vec<AuditEntry>> {
    let mut wanted: Vec<i64> = seqs.iter().flat_map(|s| [*s, s - 1]).collect();
    wanted.sort_unstable();
    wanted.dedup();
    audit_log::table.filter(audit_log::seq.eq_any(wanted)).select(AuditEntry::as_select()).load(conn)
}

/// A member's authority to sign contracts for an organisation.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = signing_authorities)]
pub struct SigningAuthorityRow {
    pub org_id: String,
    pub user_id: String,
    pub granted_by: String,
    pub granted_at: NaiveDateTime,
}

impl SigningAuthorityRow {
    /// Grants (or re-grants) the authority.
    pub fn grant(&self, conn: &mut DbConn) -> QueryResult<()> {
        Self::revoke(conn, &self.org_id, &self.user_id)?;
        diesel::insert_into(signing_authorities::table).values(self).execute(conn).map(drop)
    }

    /// Revokes it; `false` when there was none.
    pub fn revoke(conn: &mut DbConn, org_id: &str, user_id: &str) -> QueryResult<bool> {
        let n = diesel::delete(signing_authorities::table.find((org_id, user_id))).execute(conn)?;
        Ok(n == 1)
    }

    /// The members of `org_id` holding a grant made since they (last) joined.
    pub fn holders(conn: &mut DbConn, org_id: &str) -> QueryResult<Vec<String>> {
        signing_authorities::table
            .inner_join(
                memberships::table.on(memberships::org_id
                    .eq(signing_authorities::org_id)
                    .and(memberships::user_id.eq(signing_authorities::user_id))),
            )
            .filter(signing_authorities::org_id.eq(org_id))
            .filter(signing_authorities::granted_at.ge(memberships::created_at))
            .select(signing_authorities::user_id)
            .load(conn)
    }

    /// Whether `user_id` holds a grant for `org_id` made since they (last) joined.
    pub fn holds(conn: &mut DbConn, org_id: &str, user_id: &str) -> QueryResult<bool> {
        Ok(Self::holders(conn, org_id)?.iter().any(|id| id == user_id))
    }
}
