//! `ledger_accounts`, `ledger_transactions` and `ledger_postings`: the escrow ledger. [`post`]
//! is the only writer: it serialises with every other money-moving transaction, loads the
//! touched accounts, lets `shared::domain::ledger::Ledger::apply` decide, then writes the
//! transaction, one posting per account (numbered per account, with the balance after it) and
//! the cached balances — all in the caller's write transaction. [`check`] proves the caches.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::domain::ledger::{Account, AccountKind, Ledger, LedgerRefusal, Transaction, TransactionKind};

use crate::db::DbConn;
use crate::db::models::audit::serialise;
use crate::db::schema::{ledger_accounts, ledger_postings, ledger_transactions};

/// An account with its cached balance.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = ledger_accounts)]
pub struct AccountRow {
    pub id: String,
    pub kind: AccountKind,
    pub org_id: Option<String>,
    pub contract_id: Option<String>,
    pub milestone: Option<i32>,
    pub balance_fen: i64,
    pub posting_count: i64,
    pub frozen_at: Option<NaiveDateTime>,
    pub frozen_reason: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A transaction's header.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = ledger_transactions)]
pub struct TransactionRow {
    pub id: String,
    pub kind: TransactionKind,
    pub contract_id: Option<String>,
    pub milestone: Option<i32>,
    pub amount_fen: i64,
    pub memo: String,
    pub source_type: String,
    pub source_id: String,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
}

/// A posting.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = ledger_postings)]
pub struct PostingRow {
    pub account_id: String,
    pub seq: i64,
    pub transaction_id: String,
    pub amount_fen: i64,
    pub balance_after_fen: i64,
    pub created_at: NaiveDateTime,
}

/// What a movement is about, besides its postings.
#[derive(Debug, Clone)]
pub struct Meta<'a> {
    /// The contract.
    pub contract_id: Option<&'a str>,
    /// The milestone.
    pub milestone: Option<u32>,
    /// Shown with the postings (a reference, a statement serial …).
    pub memo: String,
    /// What caused it: (`funding_request` | `statement_line` | `contract` …, id).
    pub source: (&'a str, &'a str),
    /// Who, when a person did it.
    pub created_by: Option<&'a str>,
}

/// A refused movement, or a database error.
#[derive(Debug, thiserror::Error)]
pub enum PostError {
    /// The ledger rule refused it.
    #[error(transparent)]
    Refused(#[from] LedgerRefusal),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

impl AccountRow {
    fn new(account: &Account, at: NaiveDateTime) -> Self {
        Self {
            id: account.to_string(),
            kind: account.kind(),
            org_id: account.org_id().map(str::to_owned),
            contract_id: account.contract_id().map(str::to_owned),
            milestone: account.milestone().and_then(|m| i32::try_from(m).ok()),
            balance_fen: 0,
            posting_count: 0,
            frozen_at: None,
            frozen_reason: None,
            created_at: at,
            updated_at: at,
        }
    }

    /// One account (`None`: it never moved).
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<AccountRow>> {
        ledger_accounts::table.find(id).select(AccountRow::as_select()).first(conn).optional()
    }

    /// The account, created with a zero balance when it does not exist yet. Call inside a write
    /// transaction that holds [`serialise`].
    pub fn get_or_create(conn: &mut DbConn, account: &Account, at: NaiveDateTime) -> QueryResult<AccountRow> {
        if let Some(row) = Self::find(conn, &account.to_string())? {
            return Ok(row);
        }
        let row = Self::new(account, at);
        diesel::insert_into(ledger_accounts::table).values(&row).execute(conn)?;
        Ok(row)
    }

    /// Every account of a contract.
    pub fn of_contract(conn: &mut DbConn, contract_id: &str) -> QueryResult<Vec<AccountRow>> {
        ledger_accounts::table
            .filter(ledger_accounts::contract_id.eq(contract_id))
            .order(ledger_accounts::id.asc())
            .select(AccountRow::as_select())
            .load(conn)
    }

    /// Freezes (`Some(reason)`) or unfreezes (`None`) every escrow account of a contract; the
    /// caller holds the money lock (`audit::serialise`), so no release is half-way.
    pub fn set_escrow_frozen(
        conn: &mut DbConn,
        contract_id: &str,
        reason: Option<&str>,
        at: NaiveDateTime,
    ) -> QueryResult<usize> {
        diesel::update(
            ledger_accounts::table
                .filter(ledger_accounts::contract_id.eq(contract_id))
                .filter(ledger_accounts::kind.eq(AccountKind::Escrow)),
        )
        .set((
            ledger_accounts::frozen_at.eq(reason.map(|_| at)),
            ledger_accounts::frozen_reason.eq(reason),
            ledger_accounts::updated_at.eq(at),
        ))
        .execute(conn)
    }

    /// Every contract account of these contracts.
    pub fn of_contracts(conn: &mut DbConn, contract_ids: &[String]) -> QueryResult<Vec<AccountRow>> {
        ledger_accounts::table
            .filter(ledger_accounts::contract_id.eq_any(contract_ids))
            .order(ledger_accounts::id.asc())
            .select(AccountRow::as_select())
            .load(conn)
    }
}

/// Posts `tx` (see the module doc) and returns the transaction id.
///
/// # Errors
/// [`PostError::Refused`] when the ledger rule refuses (nothing written), or a database error.
pub fn post(
    conn: &mut DbConn,
    tx: &Transaction,
    meta: &Meta<'_>,
    at: NaiveDateTime,
) -> Result<String, PostError> {
    serialise(conn)?;
    let mut rows: BTreeMap<Account, AccountRow> = BTreeMap::new();
    let mut ledger = Ledger::new();
    for posting in &tx.postings {
        let row = AccountRow::get_or_create(conn, &posting.account, at)?;
        ledger.load(posting.account.clone(), row.balance_fen, row.frozen_at.is_some());
        rows.insert(posting.account.clone(), row);
    }
    let after = ledger.apply(tx)?;
    let id = crate::db::new_id();
    TransactionRow {
        id: id.clone(),
        kind: tx.kind,
        contract_id: meta.contract_id.map(str::to_owned),
        milestone: meta.milestone.and_then(|m| i32::try_from(m).ok()),
        amount_fen: tx.volume_fen(),
        memo: meta.memo.clone(),
        source_type: meta.source.0.to_owned(),
        source_id: meta.source.1.to_owned(),
        created_by: meta.created_by.map(str::to_owned),
        created_at: at,
    }
    .insert(conn)?;
    for (posting, (account, balance)) in tx.postings.iter().zip(after) {
        let Some(row) = rows.get(&account) else { continue };
        let seq = row.posting_count + 1;
        diesel::insert_into(ledger_postings::table)
            .values(&PostingRow {
                account_id: row.id.clone(),
                seq,
                transaction_id: id.clone(),
                amount_fen: posting.amount_fen,
                balance_after_fen: balance,
                created_at: at,
            })
            .execute(conn)?;
        let updated = diesel::update(
            ledger_accounts::table.find(&row.id).filter(ledger_accounts::posting_count.eq(row.posting_count)),
        )
        .set((
            ledger_accounts::balance_fen.eq(balance),
            ledger_accounts::posting_count.eq(seq),
            ledger_accounts::updated_at.eq(at),
        ))
        .execute(conn)?;
        if updated != 1 {
            // Another writer moved the account between the read and this write: never
            // silently overwrite a balance.
            return Err(PostError::Db(diesel::result::Error::RollbackTransaction));
        }
    }
    Ok(id)
}

impl TransactionRow {
    fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(ledger_transactions::table).values(self).execute(conn).map(drop)
    }

    /// Every transaction of a contract, oldest first.
    pub fn of_contract(conn: &mut DbConn, contract_id: &str) -> QueryResult<Vec<TransactionRow>> {
        ledger_transactions::table
            .filter(ledger_transactions::contract_id.eq(contract_id))
            .order(ledger_transactions::id.asc())
            .select(TransactionRow::as_select())
            .load(conn)
    }

    /// `(amount, when)` of every transaction of these kinds (the reserve report).
    pub fn amounts_of_kinds(
        conn: &mut DbConn,
        kinds: &[TransactionKind],
    ) -> QueryResult<Vec<(TransactionKind, i64, NaiveDateTime)>> {
        ledger_transactions::table
            .filter(ledger_transactions::kind.eq_any(kinds))
            .select((
                ledger_transactions::kind,
                ledger_transactions::amount_fen,
                ledger_transactions::created_at,
            ))
            .load(conn)
    }
}

/// One account's postings with their transactions, newest first, older than `before_seq`.
pub fn postings_page(
    conn: &mut DbConn,
    account_id: &str,
    before_seq: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<(PostingRow, TransactionRow)>> {
    let mut query = ledger_postings::table
        .inner_join(ledger_transactions::table)
        .filter(ledger_postings::account_id.eq(account_id))
        .into_boxed();
    if let Some(seq) = before_seq {
        query = query.filter(ledger_postings::seq.lt(seq));
    }
    query
        .order(ledger_postings::seq.desc())
        .limit(limit)
        .select((PostingRow::as_select(), TransactionRow::as_select()))
        .load(conn)
}

/// The first discrepancy between the postings and the cached balances, or a rule broken.
pub fn check(conn: &mut DbConn) -> QueryResult<Result<LedgerSummary, String>> {
    let accounts: Vec<AccountRow> =
        ledger_accounts::table.order(ledger_accounts::id.asc()).select(AccountRow::as_select()).load(conn)?;
    let mut summary = LedgerSummary::default();
    let mut total: i128 = 0;
    for account in &accounts {
        let postings: Vec<(i64, i64, i64)> = ledger_postings::table
            .filter(ledger_postings::account_id.eq(&account.id))
            .order(ledger_postings::seq.asc())
            .select((ledger_postings::seq, ledger_postings::amount_fen, ledger_postings::balance_after_fen))
            .load(conn)?;
        let mut running: i64 = 0;
        for (i, (seq, amount, after)) in postings.iter().enumerate() {
            let expected_seq = i64::try_from(i).unwrap_or(i64::MAX) + 1;
            if *seq != expected_seq {
                return Ok(Err(format!(
                    "account {}: posting {expected_seq} is missing (found {seq})",
                    account.id
                )));
            }
            let Some(next) = running.checked_add(*amount) else {
                return Ok(Err(format!("account {}: posting {seq} overflows", account.id)));
            };
            running = next;
            if running != *after {
                return Ok(Err(format!(
                    "account {}: posting {seq} says the balance after is {after} fen, the postings sum to {running}",
                    account.id
                )));
            }
            if running < 0 && account.kind.must_not_go_negative() {
                return Ok(Err(format!(
                    "account {}: negative ({running} fen) after posting {seq}",
                    account.id
                )));
            }
        }
        if running != account.balance_fen || i64::try_from(postings.len()).ok() != Some(account.posting_count)
        {
            return Ok(Err(format!(
                "account {}: cached balance {} fen over {} postings, the postings sum to {running} over {}",
                account.id,
                account.balance_fen,
                account.posting_count,
                postings.len()
            )));
        }
        total += i128::from(running);
        summary.accounts += 1;
        summary.postings += postings.len();
    }
    let sums: Vec<(String, i64)> = ledger_postings::table
        .select((ledger_postings::transaction_id, ledger_postings::amount_fen))
        .order(ledger_postings::transaction_id.asc())
        .load(conn)?;
    let mut by_tx: BTreeMap<String, (i128, usize)> = BTreeMap::new();
    for (tx, amount) in sums {
        let entry = by_tx.entry(tx).or_default();
        entry.0 += i128::from(amount);
        entry.1 += 1;
    }
    let transactions: Vec<String> = ledger_transactions::table
        .select(ledger_transactions::id)
        .order(ledger_transactions::id.asc())
        .load(conn)?;
    for id in &transactions {
        match by_tx.get(id) {
            Some((0, n)) if *n >= 2 => {}
            Some((sum, n)) => {
                return Ok(Err(format!("transaction {id}: {n} postings summing to {sum} fen")));
            }
            None => return Ok(Err(format!("transaction {id}: no postings"))),
        }
    }
    if by_tx.len() != transactions.len() {
        return Ok(Err("postings name a transaction that does not exist".to_owned()));
    }
    if total != 0 {
        return Ok(Err(format!("the balances sum to {total} fen, not zero")));
    }
    summary.transactions = transactions.len();
    Ok(Ok(summary))
}

/// What [`check`] went through.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct LedgerSummary {
    /// Accounts checked.
    pub accounts: usize,
    /// Postings checked.
    pub postings: usize,
    /// Transactions checked.
    pub transactions: usize,
}
