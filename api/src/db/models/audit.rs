//! `audit_log`: the append-only, hash-chained record of security-relevant actions (staff
//! actions, verification decisions and reveals, sign-ins and failed sign-ins, API-key use).
//! Each row's `hash` is SHA-256 over its fields and the previous row's hash; appends are
//! serialised (SQLite: the IMMEDIATE write transaction; PostgreSQL: a transaction-scoped
//! advisory lock) so the chain never forks.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::db::schema::audit_log;
use crate::db::{DbConn, new_id, write_tx};

/// The `prev_hash` of the first row.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// Advisory-lock key that serialises appends on PostgreSQL.
const APPEND_LOCK: i64 = 0x0067_7a61_7564_6974; // "gzaudit"

/// One audit row.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = audit_log)]
pub struct AuditEntry {
    pub seq: i64,
    pub id: String,
    pub at: NaiveDateTime,
    pub actor_user_id: Option<String>,
    pub actor_label: String,
    pub action: String,
    pub subject_type: String,
    pub subject_id: String,
    pub details: String,
    pub ip: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// What to record.
#[derive(Debug, Clone)]
pub struct AuditEvent<'a> {
    /// Acting account, if any.
    pub actor_user_id: Option<&'a str>,
    /// Who acted, readable (`user`, `cli`, `system`, a staff role).
    pub actor_label: &'a str,
    /// Dotted action name, e.g. `auth.sign_in_failed`, `staff.role_granted`.
    pub action: &'a str,
    /// Kind of the thing acted on (`user`, `organisation`, …).
    pub subject_type: &'a str,
    /// Its id (or a login for failed sign-ins).
    pub subject_id: &'a str,
    /// JSON details.
    pub details: serde_json::Value,
    /// Client address.
    pub ip: Option<&'a str>,
}

/// The hash of a row's content chained to `prev_hash`. Fields are length-prefixed so no two
/// different rows can serialise alike.
pub fn entry_hash(e: &AuditEntry) -> String {
    let mut hasher = Sha256::new();
    let at = e.at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string();
    let seq = e.seq.to_string();
    let fields: [&str; 11] = [
        &seq,
        &e.id,
        &at,
        e.actor_user_id.as_deref().unwrap_or(""),
        &e.actor_label,
        &e.action,
        &e.subject_type,
        &e.subject_id,
        &e.details,
        e.ip.as_deref().unwrap_or(""),
        &e.prev_hash,
    ];
    for field in fields {
        hasher.update((field.len() as u64).to_be_bytes());
        hasher.update(field.as_bytes());
    }
    data_encoding::HEXLOWER.encode(&hasher.finalize())
}

/// Serialises the caller's write transaction with every other audited or money-moving one on
/// PostgreSQL (a transaction-scoped advisory lock, re-entrant within the transaction; one lock
/// for both, so they cannot deadlock on each other). SQLite write transactions are serialised
/// already (`BEGIN IMMEDIATE`).
pub fn serialise(conn: &mut DbConn) -> QueryResult<()> {
    if let DbConn::Pg(pg) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<diesel::sql_types::BigInt, _>(APPEND_LOCK)
            .execute(pg)?;
    }
    Ok(())
}

/// Appends one event inside the caller's write transaction.
pub fn append(conn: &mut DbConn, event: &AuditEvent<'_>, at: NaiveDateTime) -> QueryResult<AuditEntry> {
    serialise(conn)?;
    let last: Option<(i64, String)> = audit_log::table
        .order(audit_log::seq.desc())
        .select((audit_log::seq, audit_log::hash))
        .first(conn)
        .optional()?;
    let (seq, prev_hash) = last.map_or((1, GENESIS_HASH.to_owned()), |(s, h)| (s + 1, h));
    let mut entry = AuditEntry {
        seq,
        id: new_id(),
        at,
        actor_user_id: event.actor_user_id.map(str::to_owned),
        actor_label: event.actor_label.to_owned(),
        action: event.action.to_owned(),
        subject_type: event.subject_type.to_owned(),
        subject_id: event.subject_id.to_owned(),
        details: event.details.to_string(),
        ip: event.ip.map(str::to_owned),
        prev_hash,
        hash: String::new(),
    };
    entry.hash = entry_hash(&entry);
    diesel::insert_into(audit_log::table).values(&entry).execute(conn)?;
    Ok(entry)
}

/// Appends one event in a transaction of its own.
pub fn record(conn: &mut DbConn, event: &AuditEvent<'_>) -> QueryResult<AuditEntry> {
    write_tx(conn, |c| append(c, event, crate::db::now()))
}

/// Where the chain first breaks.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChainBreak {
    /// Sequence number of the first bad entry (or where a missing one should be).
    pub seq: i64,
    /// Id of the entry found there, if any.
    pub id: Option<String>,
    /// What is wrong.
    pub problem: String,
}

/// Result of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChainReport {
    /// Entries checked.
    pub entries: i64,
    /// The first break, if any.
    pub first_break: Option<ChainBreak>,
}

/// Walks the chain in `seq` order in pages and reports the first entry that was edited
/// (hash mismatch), deleted (gap in `seq`) or moved (`prev_hash` does not match).
pub fn verify(conn: &mut DbConn) -> QueryResult<ChainReport> {
    let mut expected_seq = 1;
    let mut prev_hash = GENESIS_HASH.to_owned();
    let mut checked = 0;
    loop {
        let page: Vec<AuditEntry> = audit_log::table
            .filter(audit_log::seq.ge(expected_seq))
            .order(audit_log::seq.asc())
            .limit(1000)
            .select(AuditEntry::as_select())
            .load(conn)?;
        if page.is_empty() {
            return Ok(ChainReport { entries: checked, first_break: None });
        }
        for entry in page {
            let broken = |problem: &str| ChainBreak {
                seq: entry.seq,
                id: Some(entry.id.clone()),
                problem: problem.to_owned(),
            };
            let problem = if entry.seq != expected_seq {
                Some(ChainBreak {
                    seq: expected_seq,
                    id: None,
                    problem: format!("entry {expected_seq} is missing"),
                })
            } else if entry.prev_hash != prev_hash {
                Some(broken(
                    "does not follow the previous entry (reordered, or an earlier entry was replaced)",
                ))
            } else if entry_hash(&entry) != entry.hash {
                Some(broken("content does not match its hash (edited)"))
            } else {
                None
            };
            if let Some(first_break) = problem {
                return Ok(ChainReport { entries: checked, first_break: Some(first_break) });
            }
            checked += 1;
            expected_seq += 1;
            prev_hash = entry.hash;
        }
    }
}

/// Entries older than `before_seq` (or the newest), newest first.
pub fn page(conn: &mut DbConn, before_seq: Option<i64>, limit: i64) -> QueryResult<Vec<AuditEntry>> {
    audit_log::table
        .filter(audit_log::seq.lt(before_seq.unwrap_or(i64::MAX)))
        .order(audit_log::seq.desc())
        .limit(limit)
        .select(AuditEntry::as_select())
        .load(conn)
}
