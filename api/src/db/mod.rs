//! Persistence: one diesel `MultiConnection` over SQLite (embedded default) and PostgreSQL
//! (production), chosen from the URL scheme — never by trial, since SQLite accepts any path.
//! Queries run on the blocking pool (`Db::run`); writes go through [`write_tx`], which starts
//! SQLite transactions `IMMEDIATE` so a writer waits on `busy_timeout` instead of failing with
//! SQLITE_BUSY when a deferred transaction upgrades.

pub mod group_commit;
pub mod models;
pub mod schema;

use std::path::PathBuf;
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

/// Migrations for each backend; both folders hold the same names (checked by a test).
pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
/// PostgreSQL dialect of the same migrations.
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// A connection to either backend; queries written once against `schema` run on both.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    /// Embedded SQLite (bundled libsqlite3).
    Sqlite(SqliteConnection),
    /// PostgreSQL server.
    Pg(PgConnection),
}

/// Which database a URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbTarget {
    /// A SQLite file path (from `sqlite://path`).
    Sqlite(PathBuf),
    /// A PostgreSQL URL (`postgres://` or `postgresql://`), passed to libpq as is.
    Postgres(String),
}

/// The URL is neither `sqlite://…` nor `postgres://…`.
#[derive(Debug, thiserror::Error)]
#[error("unsupported database URL {0:?}: use sqlite://path/to/file.db or postgres://user@host/db")]
pub struct UnsupportedDatabaseUrl(pub String);

impl DbTarget {
    /// Reads a database URL by its scheme.
    pub fn parse(url: &str) -> Result<Self, UnsupportedDatabaseUrl> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(UnsupportedDatabaseUrl(url.to_owned()));
            }
            Ok(Self::Sqlite(PathBuf::from(path)))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres(url.to_owned()))
        } else {
            Err(UnsupportedDatabaseUrl(url.to_owned()))
        }
    }
}

/// Opens one connection, applying SQLite's pragmas in the documented order.
pub fn connect(target: &DbTarget) -> ConnectionResult<DbConn> {
    match target {
        DbTarget::Sqlite(path) => {
            let mut conn = SqliteConnection::establish(&path.to_string_lossy())?;
            // busy_timeout first so the pragmas below wait rather than fail under contention.
            // synchronous=FULL: contract, ledger and escrow rows must survive power loss; WAL
            // keeps that affordable (one fsync per commit on the WAL).
            conn.batch_execute(
                "PRAGMA busy_timeout = 5000;
                 PRAGMA journal_mode = WAL;
                 PRAGMA synchronous = FULL;
                 PRAGMA foreign_keys = ON;",
            )
            .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
            Ok(DbConn::Sqlite(conn))
        }
        DbTarget::Postgres(url) => {
            let mut conn = PgConnection::establish(url)?;
            conn.batch_execute("SET TIME ZONE 'UTC'")
                .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
            Ok(DbConn::Pg(conn))
        }
    }
}

/// r2d2 manager that connects by [`DbTarget`] (the derive's `establish` would try each backend).
#[derive(Debug, Clone)]
pub struct DbManager {
    target: DbTarget,
}

impl r2d2::ManageConnection for DbManager {
    type Connection = DbConn;
    type Error = diesel::ConnectionError;

    fn connect(&self) -> Result<DbConn, Self::Error> {
        connect(&self.target)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), Self::Error> {
        conn.batch_execute("SELECT 1").map_err(diesel::ConnectionError::CouldntSetupConfiguration)
    }

    /// A connection still inside a transaction (a panic mid-`write_tx`) must not be reused: on
    /// SQLite it would hold the write lock for ever.
    fn has_broken(&self, conn: &mut DbConn) -> bool {
        let status = <DbConn as Connection>::TransactionManager::transaction_manager_status_mut(conn);
        !matches!(status.transaction_depth(), Ok(None))
    }
}

/// Everything that can go wrong talking to the database, seen from a handler.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// A query failed.
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    /// No connection could be had from the pool in time.
    #[error("database pool: {0}")]
    Pool(#[from] r2d2::Error),
    /// The blocking task panicked or was cancelled.
    #[error("database task failed: {0}")]
    Join(#[from] tokio::task::JoinError),
    /// The group commit a write was part of failed (nothing of the group was written).
    #[error("group commit: {0}")]
    GroupCommit(String),
}

/// The connection pool plus the backend it talks to.
#[derive(Clone)]
pub struct Db {
    pool: r2d2::Pool<DbManager>,
    target: DbTarget,
    /// SQLite's writer thread ([`group_commit`]); `None` on PostgreSQL.
    writer: Option<group_commit::GroupWriter>,
}

/// Failure to open the database at start-up.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The pool could not reach the database.
    #[error("cannot open database: {0}")]
    Pool(#[from] r2d2::Error),
    /// A migration failed.
    #[error("migrations failed: {0}")]
    Migration(String),
    /// The SQLite file's directory could not be created.
    #[error("cannot create database directory: {0}")]
    Io(#[from] std::io::Error),
}

impl Db {
    /// Opens a pool on `target` and applies pending migrations.
    pub fn open(target: DbTarget, pool_size: u32) -> Result<Self, OpenError> {
        if let DbTarget::Sqlite(path) = &target
            && let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)?;
        }
        let pool = r2d2::Pool::builder()
            .max_size(pool_size)
            .connection_timeout(Duration::from_secs(10))
            .build(DbManager { target: target.clone() })?;
        let writer = match target {
            DbTarget::Sqlite(_) => Some(group_commit::GroupWriter::start()?),
            DbTarget::Postgres(_) => None,
        };
        let db = Self { pool, target, writer };
        let mut conn = db.pool.get()?;
        run_migrations(&mut conn).map_err(OpenError::Migration)?;
        drop(conn);
        Ok(db)
    }

    /// The backend this pool talks to.
    pub fn target(&self) -> &DbTarget {
        &self.target
    }

    /// Runs `f` with a pooled connection on the blocking thread pool.
    pub async fn run<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let pool = self.pool.clone();
        // Errors built on the blocking thread carry the request id too, and `now()` there reads
        // the caller's clock.
        let request_id = crate::error::current_request_id();
        let clock = crate::clock::current();
        tokio::task::spawn_blocking(move || {
            crate::error::REQUEST_ID.sync_scope(request_id, || {
                crate::clock::CLOCK.sync_scope(clock, || {
                    let mut conn = pool.get().map_err(|e| E::from(DbError::Pool(e)))?;
                    f(&mut conn)
                })
            })
        })
        .await
        .map_err(|e| E::from(DbError::Join(e)))?
    }

    /// Runs `f` in a write transaction and resolves once it committed: on SQLite in the writer
    /// thread's next group commit (a savepoint of its own in a transaction shared with the
    /// writes queued alongside; see [`group_commit`]), on PostgreSQL as [`write_tx`] on the
    /// blocking pool. Either way `f`'s changes are durable when this returns `Ok`, and none
    /// exist when it returns `Err`.
    pub async fn write<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + From<diesel::result::Error> + Send + 'static,
    {
        match &self.writer {
            Some(writer) => writer.write(self.pool.clone(), f).await,
            None => self.run(move |c| write_tx(c, f)).await,
        }
    }

    /// The SQLite writer thread's counters (`None` on PostgreSQL).
    pub fn group_commit_stats(&self) -> Option<&group_commit::GroupStats> {
        self.writer.as_ref().map(|w| &*w.stats)
    }

    /// Synchronous access for CLI sub-commands and tests.
    pub fn get(&self) -> Result<r2d2::PooledConnection<DbManager>, r2d2::Error> {
        self.pool.get()
    }
}

/// Applies pending migrations for the connection's backend.
pub fn run_migrations(conn: &mut DbConn) -> Result<(), String> {
    let result = match conn {
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()),
        DbConn::Pg(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
    };
    result.map_err(|e| e.to_string())
}

/// Reverts every applied migration (used by the up/down/up test and `gongzhu migrate --reset`).
pub fn revert_all_migrations(conn: &mut DbConn) -> Result<(), String> {
    let result = match conn {
        DbConn::Sqlite(c) => c.revert_all_migrations(SQLITE_MIGRATIONS).map(|_| ()),
        DbConn::Pg(c) => c.revert_all_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
    };
    result.map_err(|e| e.to_string())
}

/// Runs `f` in a write transaction: `BEGIN IMMEDIATE` on SQLite, a normal transaction on
/// PostgreSQL. Commits on `Ok`, rolls back on `Err`.
pub fn write_tx<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    if !matches!(conn, DbConn::Sqlite(_)) {
        return conn.transaction(f);
    }
    if let DbConn::Sqlite(inner) = conn {
        AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
    }
    let result = f(conn);
    let DbConn::Sqlite(inner) = conn else { unreachable!("checked above that this is a SQLite connection") };
    match result {
        Ok(value) => {
            <AnsiTransactionManager as TransactionManager<SqliteConnection>>::commit_transaction(inner)?;
            Ok(value)
        }
        Err(error) => {
            <AnsiTransactionManager as TransactionManager<SqliteConnection>>::rollback_transaction(inner)?;
            Err(error)
        }
    }
}

/// Current UTC time from the running task's [`crate::clock::Clock`], as stored in the database:
/// microsecond precision (what both backends keep), so a value read back equals the value
/// written.
pub fn now() -> chrono::NaiveDateTime {
    crate::clock::current().naive()
}

/// A new UUIDv7 id as a string.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_url_scheme_decides_the_backend() {
        assert_eq!(
            DbTarget::parse("sqlite://data/gongzhu.db").expect("sqlite"),
            DbTarget::Sqlite(PathBuf::from("data/gongzhu.db"))
        );
        assert!(matches!(DbTarget::parse("postgres://u@h/db"), Ok(DbTarget::Postgres(_))));
        assert!(matches!(DbTarget::parse("postgresql://u@h/db"), Ok(DbTarget::Postgres(_))));
    }

    #[test]
    fn unknown_database_url_is_an_error_not_a_fallback() {
        for url in ["mysql://x", "data/gongzhu.db", "sqlite://", "", "file:x.db"] {
            assert!(DbTarget::parse(url).is_err(), "{url}");
        }
    }
}
