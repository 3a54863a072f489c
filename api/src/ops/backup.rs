//! Online backup and offline restore of the embedded SQLite database. PostgreSQL deployments use
//! `pg_dump` / `pg_restore` (README). A running server holds an exclusive lock on
//! `<database>.lock`; restore takes the same lock first, so it can never overwrite a live database.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel::sqlite::SqliteConnection;

use crate::db::{Db, DbConn, DbTarget};

/// Why a backup or restore did not happen.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// PostgreSQL is backed up with its own tools.
    #[error("backups of PostgreSQL databases are made with pg_dump (see README), not by gongzhu")]
    NotSqlite,
    /// The destination exists already.
    #[error("{0} exists already; choose a new file name")]
    DestinationExists(PathBuf),
    /// A server is using the database.
    #[error("the database {0} is in use by a running server; stop it before restoring")]
    DatabaseLive(PathBuf),
    /// The file to restore is not a healthy Gongzhu database.
    #[error("{0} is not a usable Gongzhu backup: {1}")]
    BadBackup(PathBuf, String),
    /// A database error.
    #[error("database: {0}")]
    Db(String),
    /// A file-system error.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// The lock file guarding a SQLite database.
fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Takes the database's exclusive lock, or reports that a server holds it. The lock lasts as
/// long as the returned file is open.
pub fn lock_database(db: &Path) -> Result<File, BackupError> {
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let file = OpenOptions::new().create(true).truncate(false).write(true).open(lock_path(db))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(BackupError::DatabaseLive(db.to_owned())),
        Err(std::fs::TryLockError::Error(e)) => Err(BackupError::Io(e)),
    }
}

/// Writes a consistent snapshot of the live database to `dest` (`VACUUM INTO` runs in one read
/// transaction, so concurrent writers neither block it nor tear it).
pub fn backup(db: &Db, dest: &Path) -> Result<(), BackupError> {
    if !matches!(db.target(), DbTarget::Sqlite(_)) {
        return Err(BackupError::NotSqlite);
    }
    if dest.exists() {
        return Err(BackupError::DestinationExists(dest.to_owned()));
    }
    let mut conn = db.get().map_err(|e| BackupError::Db(e.to_string()))?;
    let DbConn::Sqlite(sqlite) = &mut *conn else {
        return Err(BackupError::NotSqlite);
    };
    diesel::sql_query("VACUUM INTO ?")
        .bind::<Text, _>(dest.to_string_lossy().into_owned())
        .execute(sqlite)
        .map_err(|e| BackupError::Db(e.to_string()))?;
    Ok(())
}

/// Replaces the database at `target` with the backup `source`, after checking the backup's
/// integrity. Refuses while a server holds the database; keeps the replaced file beside it as
/// `<name>.before-restore-<timestamp>`.
pub fn restore(source: &Path, target: &Path) -> Result<PathBuf, BackupError> {
    let _lock = lock_database(target)?;
    check_backup(source)?;
    let staged = target.with_extension("restoring");
    std::fs::copy(source, &staged)?;
    File::open(&staged)?.sync_all()?;
    let mut kept = target.as_os_str().to_owned();
    kept.push(format!(".before-restore-{}", crate::clock::current().now().format("%Y%m%dT%H%M%SZ")));
    let kept = PathBuf::from(kept);
    if target.exists() {
        std::fs::rename(target, &kept)?;
    }
    // The old database's WAL travels with the kept copy (it may hold committed changes), so it
    // is never replayed into the restored one.
    for suffix in ["-wal", "-shm"] {
        let with_suffix = |p: &Path| {
            let mut side = p.as_os_str().to_owned();
            side.push(suffix);
            PathBuf::from(side)
        };
        match std::fs::rename(with_suffix(target), with_suffix(&kept)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        }
    }
    std::fs::rename(&staged, target)?;
    Ok(kept)
}

/// The file opens as SQLite, passes `integrity_check` and carries Gongzhu's migrations table.
fn check_backup(source: &Path) -> Result<(), BackupError> {
    let bad = |why: String| BackupError::BadBackup(source.to_owned(), why);
    if !source.is_file() {
        return Err(bad("no such file".into()));
    }
    let mut conn = SqliteConnection::establish(&source.to_string_lossy()).map_err(|e| bad(e.to_string()))?;
    #[derive(QueryableByName)]
    struct Check {
        #[diesel(sql_type = Text)]
        integrity_check: String,
    }
    let check: Check =
        diesel::sql_query("PRAGMA integrity_check").get_result(&mut conn).map_err(|e| bad(e.to_string()))?;
    if check.integrity_check != "ok" {
        return Err(bad(check.integrity_check));
    }
    conn.batch_execute("SELECT version FROM __diesel_schema_migrations LIMIT 1")
        .map_err(|_| bad("it holds no Gongzhu schema".into()))?;
    Ok(())
}
