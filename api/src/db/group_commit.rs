//! Group commit for SQLite's single writer.
//!
//! SQLite lets one connection write at a time. Left to themselves, concurrent writers wait for
//! the lock in `busy_timeout`'s sleep-and-retry loop: the lock often sits free while they sleep,
//! and who gets it next is luck, so under 32 concurrent writers a request could wait seconds.
//! Instead, one thread per database does the writing ([`GroupWriter`]): requests queue their
//! write closures; the thread takes every queued closure (up to [`MAX_BATCH`]), opens one
//! `BEGIN IMMEDIATE` transaction, runs each closure in a savepoint of its own — an error rolls
//! back that closure's savepoint only, so one refused request does not sink the others —, then
//! commits once (one WAL fsync under `synchronous=FULL` for the whole group). Only then is any
//! closure's result handed back: nobody is answered before their changes are durable, and if the
//! commit fails every closure of the group gets the error (none of their changes exist). Each
//! closure runs with its request's id and clock, as on [`super::Db::run`].
//!
//! A closure sees the changes of the closures run before it in the same group, exactly as it
//! would had they committed one by one before it: the order of execution is the order of the
//! commit. PostgreSQL does not use this (its writers run concurrently).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;

use diesel::connection::{AnsiTransactionManager, Connection, TransactionManager};
use diesel::sqlite::SqliteConnection;

use super::{DbConn, DbError, DbManager};

/// The most closures committed together.
pub const MAX_BATCH: usize = 64;

/// A closure's outcome, handed back once the group's commit is known.
type Deliver = Box<dyn FnOnce(Option<String>) + Send>;
/// A queued write closure: runs in its savepoint and returns how to deliver its outcome.
type Job = Box<dyn FnOnce(&mut DbConn) -> Deliver + Send>;

/// How many groups and closures were committed (for benchmarks and metrics).
#[derive(Debug, Default)]
pub struct GroupStats {
    /// Transactions committed (or attempted).
    pub groups: AtomicU64,
    /// Closures run in them.
    pub writes: AtomicU64,
    /// Microseconds spent running the closures (the writes' own queries).
    pub run_micros: AtomicU64,
    /// Microseconds spent getting a connection and `BEGIN IMMEDIATE` (waiting for the lock
    /// when a write outside the writer thread holds it).
    pub begin_micros: AtomicU64,
    /// Microseconds spent committing (the WAL fsync, and a checkpoint when one falls due).
    pub commit_micros: AtomicU64,
    /// The longest commit, in microseconds.
    pub max_commit_micros: AtomicU64,
}

/// The queue to the writer thread of one SQLite database. The thread holds no connection
/// between groups (each write brings the pool along), so once the `Db` is dropped no connection
/// of it stays open — a file copied or checkpointed right after must not find one — and the
/// thread ends when the last clone of the writer is gone.
#[derive(Clone)]
pub struct GroupWriter {
    queue: mpsc::Sender<(r2d2::Pool<DbManager>, Job)>,
    /// Counters.
    pub stats: Arc<GroupStats>,
}

impl GroupWriter {
    /// Starts the writer thread.
    pub fn start() -> std::io::Result<Self> {
        let (queue, jobs) = mpsc::channel::<(r2d2::Pool<DbManager>, Job)>();
        let stats = Arc::new(GroupStats::default());
        let counters = stats.clone();
        std::thread::Builder::new().name("sqlite-group-commit".into()).spawn(move || {
            while let Ok((pool, first)) = jobs.recv() {
                let mut group = vec![first];
                while group.len() < MAX_BATCH
                    && let Ok((_, next)) = jobs.try_recv()
                {
                    group.push(next);
                }
                counters.groups.fetch_add(1, Ordering::Relaxed);
                counters.writes.fetch_add(group.len() as u64, Ordering::Relaxed);
                commit_group(&pool, group, &counters);
            }
        })?;
        Ok(Self { queue, stats })
    }

    /// Runs `f` in the next group; resolves once the group committed (or failed).
    pub async fn write<T, E, F>(&self, pool: r2d2::Pool<DbManager>, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + From<diesel::result::Error> + Send + 'static,
    {
        let (answer, answered) = tokio::sync::oneshot::channel::<Result<T, E>>();
        let request_id = crate::error::current_request_id();
        let clock = crate::clock::current();
        let job: Job = Box::new(move |conn: &mut DbConn| {
            let outcome = crate::error::REQUEST_ID
                .sync_scope(request_id, || crate::clock::CLOCK.sync_scope(clock, || conn.transaction(f)));
            Box::new(move |commit_failed: Option<String>| {
                let outcome = match commit_failed {
                    Some(error) => Err(E::from(DbError::GroupCommit(error))),
                    None => outcome,
                };
                let _ = answer.send(outcome);
            })
        });
        self.queue
            .send((pool, job))
            .map_err(|_| E::from(DbError::GroupCommit("the writer thread stopped".into())))?;
        answered.await.map_err(|_| E::from(DbError::GroupCommit("the write was abandoned".into())))?
    }
}

/// One transaction for `group` (see the module doc). When it cannot begin, the closures are
/// dropped unrun and their callers get [`DbError::GroupCommit`].
fn commit_group(pool: &r2d2::Pool<DbManager>, group: Vec<Job>, stats: &GroupStats) {
    let micros = |since: std::time::Instant| u64::try_from(since.elapsed().as_micros()).unwrap_or(u64::MAX);
    let began = std::time::Instant::now();
    let mut conn = match pool.get() {
        Ok(conn) => conn,
        Err(error) => return tracing::error!(%error, "group commit: no connection"),
    };
    let DbConn::Sqlite(inner) = &mut *conn else {
        return tracing::error!("group commit is for SQLite");
    };
    if let Err(error) = AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE") {
        return tracing::error!(%error, "group commit: BEGIN IMMEDIATE failed");
    }
    let mut deliveries = Vec::with_capacity(group.len());
    let mut panicked = false;
    let running = std::time::Instant::now();
    stats.begin_micros.fetch_add(micros(began), Ordering::Relaxed);
    for job in group {
        // A closure that panics takes the group down with it (the rest is dropped unrun).
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(&mut conn))) {
            Ok(deliver) => deliveries.push(deliver),
            Err(_) => {
                panicked = true;
                break;
            }
        }
    }
    stats.run_micros.fetch_add(micros(running), Ordering::Relaxed);
    let committing = std::time::Instant::now();
    let DbConn::Sqlite(inner) = &mut *conn else { unreachable!("checked above that this is SQLite") };
    let failed = if panicked {
        Some("a write panicked; its group was rolled back".to_owned())
    } else {
        <AnsiTransactionManager as TransactionManager<SqliteConnection>>::commit_transaction(inner)
            .err()
            .map(|e| e.to_string())
    };
    let commit = micros(committing);
    stats.commit_micros.fetch_add(commit, Ordering::Relaxed);
    stats.max_commit_micros.fetch_max(commit, Ordering::Relaxed);
    if let Some(error) = &failed {
        tracing::error!(%error, "group commit failed; every write of the group is refused");
        // Out of every savepoint and the transaction; a connection left inside one is discarded
        // by the pool (`DbManager::has_broken`).
        for _ in 0..3 {
            let depth = <AnsiTransactionManager as TransactionManager<SqliteConnection>>::transaction_manager_status_mut(inner)
                .transaction_depth();
            if !matches!(depth, Ok(Some(_))) {
                break;
            }
            if <AnsiTransactionManager as TransactionManager<SqliteConnection>>::rollback_transaction(inner)
                .is_err()
            {
                break;
            }
        }
    }
    for deliver in deliveries {
        deliver(failed.clone());
    }
}
