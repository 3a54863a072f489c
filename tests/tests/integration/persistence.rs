//! Persistence: both migration folders agree, migrations go up/down/up on the test database,
//! and SQLite backup → restore round-trips (refusing to overwrite a live database).

use api::db::{DbTarget, revert_all_migrations, run_migrations};
use api::ops::backup::{self, BackupError};

use crate::helpers::*;

fn migration_names(dialect: &str) -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations/").to_owned() + dialect;
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("migrations dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

#[test]
fn both_migration_folders_hold_the_same_names() {
    let sqlite = migration_names("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, migration_names("postgres"));
}

#[tokio::test]
async fn migrations_go_up_down_and_up_again() {
    let app = spawn_app().await;
    app.register("before@example.com").await;
    let mut conn = app.db.get().expect("conn");
    revert_all_migrations(&mut conn).expect("down");
    run_migrations(&mut conn).expect("up again");
    drop(conn);
    assert_eq!(app.count("users"), 0);
    app.register("after@example.com").await;
}

#[tokio::test]
async fn backup_while_serving_then_restore_round_trips() {
    let app = spawn_app().await;
    let dest = app.dir.join("snapshot.db");
    if on_postgres() {
        assert!(matches!(backup::backup(&app.db, &dest), Err(BackupError::NotSqlite)));
        return;
    }
    app.register("kept@example.com").await;
    backup::backup(&app.db, &dest).expect("online backup");
    assert!(matches!(backup::backup(&app.db, &dest), Err(BackupError::DestinationExists(_))));
    app.register("after-backup@example.com").await;

    let DbTarget::Sqlite(live) = DbTarget::parse(&app.config.database_url()).expect("url") else {
        unreachable!()
    };
    assert!(
        matches!(backup::restore(&dest, &live), Err(BackupError::DatabaseLive(_))),
        "must refuse while serving"
    );

    let restored = app.dir.join("restored.db");
    backup::restore(&dest, &restored).expect("restore");
    let config = api::config::Config {
        database_url: format!("sqlite://{}", restored.display()),
        ..app.config.clone()
    };
    let db =
        api::db::Db::open(DbTarget::parse(&config.database_url()).expect("url"), 1).expect("open restored");
    let mut conn = db.get().expect("conn");
    use diesel::prelude::*;
    let emails: Vec<Option<String>> =
        api::db::schema::users::table.select(api::db::schema::users::email).load(&mut *conn).expect("users");
    assert_eq!(emails, vec![Some("kept@example.com".to_owned())]);

    let garbage = app.dir.join("garbage.db");
    std::fs::write(&garbage, b"not a database").expect("write");
    assert!(matches!(backup::restore(&garbage, &app.dir.join("other.db")), Err(BackupError::BadBackup(..))));
}
