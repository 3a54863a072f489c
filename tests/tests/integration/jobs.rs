//! The clock and the durable job runner (issue #14 items 1 and 2): tests move time through the
//! test clock instead of rewriting rows; each job runs exactly once even with two server
//! processes on one PostgreSQL database (this test's server and a `gongzhu-test-server` child
//! process, see [`crate::server_process`]); failures are retried with backoff, then parked for
//! staff.

use std::time::Duration;

use api::db::models::jobs::JobRow;
use serde_json::{Value, json};
use shared::dto::JobStatus;

use crate::helpers::*;
use crate::server_process::ServerProcess;

async fn advance(app: &TestApp, seconds: i64) -> Value {
    app.advance_clock(seconds).await
}

fn enqueue(app: &TestApp, payload: &str) -> String {
    let mut conn = app.db.get().expect("conn");
    api::jobs::enqueue(&mut conn, api::jobs::JobKind::Probe, payload, api::db::now()).expect("enqueue")
}

fn job(app: &TestApp, id: &str) -> JobRow {
    let mut conn = app.db.get().expect("conn");
    JobRow::find(&mut conn, id).expect("query").expect("job")
}

async fn until<F: Fn() -> bool>(what: &str, check: F) {
    for _ in 0..200 {
        if check() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting until {what}");
}

#[tokio::test]
async fn moving_the_clock_expires_a_one_time_code() {
    let app = spawn_app().await;
    app.register("clock@example.com").await;
    let sent = app.post("/auth/password-reset-codes", &json!({"login": "clock@example.com"}), None).await;
    assert_eq!(sent.status(), 202);
    let code = app.last_code("clock@example.com");
    let moved = advance(&app, 11 * 60).await;
    assert_eq!(moved["offset_seconds"], 660);
    let resp = app
        .post(
            "/auth/password-resets",
            &json!({"login": "clock@example.com", "code": code, "new_password": "another2026pass"}),
            None,
        )
        .await;
    assert_error(resp, 422, "invalid_code").await;
}

#[tokio::test]
async fn the_clock_only_moves_forward_within_bounds() {
    let app = spawn_app().await;
    let resp = app.post("/test/clock", &json!({"seconds": -5}), None).await;
    assert_error(resp, 422, "validation_failed").await;
}

#[tokio::test]
async fn a_queued_job_runs_once_promptly() {
    let app = spawn_app().await;
    let id = enqueue(&app, "{}");
    until("the probe ran", || job(&app, &id).status == JobStatus::Done).await;
    let row = job(&app, &id);
    assert_eq!(row.attempts, 1);
    assert!(row.locked_by.is_some(), "the runner that ran it is recorded");
}

#[tokio::test]
async fn a_failing_job_backs_off_then_is_parked_for_staff() {
    let app = spawn_app().await;
    let operator = app.staff_member("ops@gongzhu.test", &["operator"]).await;
    let id = enqueue(&app, r#"{"mode":"fail"}"#);
    until("the first run failed", || job(&app, &id).attempts == 1 && job(&app, &id).locked_until.is_none())
        .await;
    let first = job(&app, &id);
    assert_eq!(first.status, JobStatus::Pending);
    assert!(first.last_error.as_deref().is_some_and(|e| e.contains("fail")));
    // Not retried before its backoff (10 s) has passed.
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(job(&app, &id).attempts, 1);
    for attempt in 2..=api::jobs::MAX_ATTEMPTS {
        advance(&app, api::jobs::backoff(attempt - 1).num_seconds()).await;
        until("the retry ran", || {
            job(&app, &id).attempts == attempt && job(&app, &id).locked_until.is_none()
        })
        .await;
    }
    assert_eq!(job(&app, &id).status, JobStatus::Parked);
    let parked = json_of(app.get("/staff/jobs?status=parked", Some(&operator)).await, 200).await;
    assert_eq!(ids(&parked), std::slice::from_ref(&id));
    let someone = app.register("nobody@example.com").await;
    assert_error(app.get("/staff/jobs", Some(&someone.access_token)).await, 403, "forbidden").await;
    let retried =
        json_of(app.post(&format!("/staff/jobs/{id}/retry"), &json!({}), Some(&operator)).await, 200).await;
    assert_eq!(retried["status"], "pending");
    assert_error(
        app.post(&format!("/staff/jobs/{id}/retry"), &json!({}), Some(&operator)).await,
        409,
        "conflict",
    )
    .await;
}

#[tokio::test]
async fn periodic_work_is_one_row_per_kind() {
    let app = spawn_app().await;
    until("the periodic jobs exist", || {
        let mut conn = app.db.get().expect("conn");
        ["outbox_delivery", "certificate_reminders"]
            .iter()
            .all(|k| JobRow::by_dedupe_key(&mut conn, k).expect("query").is_some())
    })
    .await;
    // The outbox is delivered by its job.
    app.register("outbox@example.com").await;
    app.post("/auth/password-reset-codes", &json!({"login": "outbox@example.com"}), None).await;
    until("the code was delivered", || app.count("outbox_messages") > 0 && pending_outbox(&app) == 0).await;
}

fn pending_outbox(app: &TestApp) -> i64 {
    use api::db::schema::outbox_messages::dsl::*;
    use diesel::prelude::*;
    let mut conn = app.db.get().expect("conn");
    outbox_messages.filter(status.eq("pending")).count().get_result(&mut conn).expect("count")
}

/// Probe jobs enqueued by the two-server test, all due now and visible at once (one transaction).
const PROBES: usize = 600;

/// Two server processes on one PostgreSQL database — this test's server and a separate OS
/// process of the `gongzhu-test-server` binary — run every job exactly once, and both run some.
#[tokio::test]
async fn two_servers_on_one_database_run_each_job_once() {
    if !on_postgres() {
        // One SQLite file belongs to one server process (it holds the file's lock).
        return;
    }
    let app = spawn_app().await;
    // Declared after `app`, so it is killed before `app` drops the database under it.
    let mut second = ServerProcess::start(&app, "second").await;
    let jobs: Vec<String> = {
        let mut conn = app.db.get().expect("conn");
        api::db::write_tx(&mut conn, |c| {
            (0..PROBES)
                .map(|_| api::jobs::enqueue(c, api::jobs::JobKind::Probe, "{}", api::db::now()))
                .collect()
        })
        .expect("enqueue the probes")
    };
    // Each runner looks for due jobs at least every 500 ms and runs one job at a time, so
    // several hundred jobs outlast a poll of the other runner.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    while probes_not_done(&app) > 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out: {} probes not done",
            probes_not_done(&app)
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut by_runner = std::collections::HashMap::<String, usize>::new();
    for row in jobs.iter().map(|id| job(&app, id)) {
        assert_eq!(row.attempts, 1, "{} was claimed more than once", row.id);
        *by_runner.entry(row.locked_by.expect("the runner that ran it")).or_default() += 1;
    }
    assert_eq!(by_runner.len(), 2, "both processes ran probes: {by_runner:?}");
    second.kill();
}

/// Probe jobs not yet done.
fn probes_not_done(app: &TestApp) -> i64 {
    use api::db::schema::jobs::dsl::*;
    use diesel::prelude::*;
    let mut conn = app.db.get().expect("conn");
    jobs.filter(kind.eq("probe"))
        .filter(status.ne(JobStatus::Done))
        .count()
        .get_result(&mut conn)
        .expect("count")
}
