//! `jobs`: the durable job table. A job is claimed with a lease (`locked_by`, `locked_until`):
//! on PostgreSQL the claim selects with `FOR UPDATE SKIP LOCKED`, on SQLite it runs inside the
//! single-writer (IMMEDIATE) transaction, so with several server processes each due job is
//! claimed by exactly one of them. A lease that runs out (its process died) makes the job
//! claimable again.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text, Timestamp};

use shared::dto::JobStatus;

use crate::db::DbConn;
use crate::db::schema::jobs;

/// A job row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, QueryableByName)]
#[diesel(table_name = jobs)]
pub struct JobRow {
    pub id: String,
    pub kind: String,
    pub payload: String,
    pub dedupe_key: Option<String>,
    pub status: JobStatus,
    pub run_at: NaiveDateTime,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub locked_by: Option<String>,
    pub locked_until: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
}

impl JobRow {
    /// Inserts a job.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(jobs::table).values(self).execute(conn).map(drop)
    }

    /// The job holding `dedupe_key`, if any.
    pub fn by_dedupe_key(conn: &mut DbConn, key: &str) -> QueryResult<Option<JobRow>> {
        jobs::table.filter(jobs::dedupe_key.eq(key)).select(JobRow::as_select()).first(conn).optional()
    }

    /// One job.
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<JobRow>> {
        jobs::table.find(id).select(JobRow::as_select()).first(conn).optional()
    }

    /// Claims the earliest due, unleased pending job for `worker` until `lease_until`, counting
    /// the attempt. Call inside a write transaction.
    pub fn claim_due(
        conn: &mut DbConn,
        worker: &str,
        now: NaiveDateTime,
        lease_until: NaiveDateTime,
    ) -> QueryResult<Option<JobRow>> {
        let pick = "SELECT id FROM jobs WHERE status = 'pending' AND run_at <= {now} \
                    AND (locked_until IS NULL OR locked_until < {now}) ORDER BY run_at, id LIMIT 1";
        let (sql, lock) = match conn {
            DbConn::Pg(_) => (pick.replace("{now}", "$3"), " FOR UPDATE SKIP LOCKED"),
            DbConn::Sqlite(_) => (pick.replace("{now}", "?3"), ""),
        };
        let update = format!(
            "UPDATE jobs SET locked_by = {w}, locked_until = {l}, attempts = attempts + 1 \
             WHERE id = ({sql}{lock}) RETURNING *",
            w = if matches!(conn, DbConn::Pg(_)) { "$1" } else { "?1" },
            l = if matches!(conn, DbConn::Pg(_)) { "$2" } else { "?2" },
        );
        let query = diesel::sql_query(update)
            .bind::<Text, _>(worker)
            .bind::<Timestamp, _>(lease_until)
            .bind::<Timestamp, _>(now);
        let rows: Vec<JobRow> = match conn {
            DbConn::Pg(c) => query.load(c)?,
            DbConn::Sqlite(c) => query.load(c)?,
        };
        Ok(rows.into_iter().next())
    }

    /// A one-off job succeeded (`locked_by` keeps the runner that ran it).
    pub fn finish(conn: &mut DbConn, id: &str, worker: &str, at: NaiveDateTime) -> QueryResult<bool> {
        diesel::update(jobs::table.find(id).filter(jobs::locked_by.eq(worker)))
            .set((
                jobs::status.eq(JobStatus::Done),
                jobs::finished_at.eq(at),
                jobs::locked_until.eq(None::<NaiveDateTime>),
                jobs::last_error.eq(None::<String>),
            ))
            .execute(conn)
            .map(|n| n == 1)
    }

    /// A periodic job succeeded: the same row waits for its next run.
    pub fn reschedule(
        conn: &mut DbConn,
        id: &str,
        worker: &str,
        next: NaiveDateTime,
        at: NaiveDateTime,
    ) -> QueryResult<bool> {
        diesel::update(jobs::table.find(id).filter(jobs::locked_by.eq(worker)))
            .set((
                jobs::run_at.eq(next),
                jobs::attempts.eq(0_i64),
                jobs::finished_at.eq(at),
                jobs::locked_by.eq(None::<String>),
                jobs::locked_until.eq(None::<NaiveDateTime>),
                jobs::last_error.eq(None::<String>),
            ))
            .execute(conn)
            .map(|n| n == 1)
    }

    /// A run failed: retry at `retry_at`, or park the job when `park`.
    pub fn fail(
        conn: &mut DbConn,
        id: &str,
        worker: &str,
        error: &str,
        retry_at: NaiveDateTime,
        park: bool,
    ) -> QueryResult<bool> {
        let status = if park { JobStatus::Parked } else { JobStatus::Pending };
        diesel::update(jobs::table.find(id).filter(jobs::locked_by.eq(worker)))
            .set((
                jobs::status.eq(status),
                jobs::run_at.eq(retry_at),
                jobs::last_error.eq(error.chars().take(2000).collect::<String>()),
                jobs::locked_by.eq(None::<String>),
                jobs::locked_until.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)
            .map(|n| n == 1)
    }

    /// A parked job is given another go (staff).
    pub fn retry_parked(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> QueryResult<bool> {
        diesel::update(jobs::table.find(id).filter(jobs::status.eq(JobStatus::Parked)))
            .set((jobs::status.eq(JobStatus::Pending), jobs::run_at.eq(at), jobs::attempts.eq(0_i64)))
            .execute(conn)
            .map(|n| n == 1)
    }

    /// Jobs in `status`, oldest due first, after the `cursor` id.
    pub fn page(
        conn: &mut DbConn,
        status: JobStatus,
        cursor: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<JobRow>> {
        let mut query = jobs::table.filter(jobs::status.eq(status)).select(JobRow::as_select()).into_boxed();
        if let Some(cursor) = cursor {
            query = query.filter(jobs::id.gt(cursor.to_owned()));
        }
        query.order(jobs::id.asc()).limit(limit).load(conn)
    }

    /// The earliest `run_at` of a pending job (to sleep until it).
    pub fn next_due(conn: &mut DbConn) -> QueryResult<Option<NaiveDateTime>> {
        diesel::sql_query("SELECT MIN(run_at) AS next FROM jobs WHERE status = 'pending'")
            .get_result::<NextDue>(conn)
            .map(|r| r.next)
    }
}

#[derive(QueryableByName)]
struct NextDue {
    #[diesel(sql_type = Nullable<Timestamp>)]
    next: Option<NaiveDateTime>,
}
