//! The hash-chained audit log: sign-ins are recorded, and editing, deleting or reordering a
//! row in the database is detected with the entry named.

use api::db::models::audit::{self, AuditEvent};
use diesel::connection::SimpleConnection;
use serde_json::json;

use crate::helpers::*;

async fn app_with_entries() -> TestApp {
    let app = spawn_app().await;
    app.register("audit@example.com").await;
    for password in [PASSWORD, "wrongpass123", PASSWORD] {
        let _ =
            app.post("/auth/login", &json!({"login": "audit@example.com", "password": password}), None).await;
    }
    let mut conn = app.db.get().expect("conn");
    let event = AuditEvent {
        actor_user_id: None,
        actor_label: "cli",
        action: "test.marker",
        subject_type: "test",
        subject_id: "4",
        details: json!({"n": 4}),
        ip: None,
    };
    audit::record(&mut conn, &event).expect("append");
    app
}

fn verify(app: &TestApp) -> audit::ChainReport {
    audit::verify(&mut app.db.get().expect("conn")).expect("verify")
}

#[tokio::test]
async fn sign_ins_and_failures_are_chained_and_verify() {
    let app = app_with_entries().await;
    let report = verify(&app);
    assert_eq!(report, audit::ChainReport { entries: 4, first_break: None });
    let mut conn = app.db.get().expect("conn");
    use api::db::schema::audit_log::dsl::*;
    use diesel::prelude::*;
    let actions: Vec<String> = audit_log.order(seq.asc()).select(action).load(&mut *conn).expect("load");
    assert_eq!(actions, ["auth.sign_in", "auth.sign_in_failed", "auth.sign_in", "test.marker"]);
}

#[tokio::test]
async fn an_edited_row_is_named() {
    let app = app_with_entries().await;
    app.db
        .get()
        .expect("conn")
        .batch_execute("UPDATE audit_log SET details = '{\"user_agent\":\"forged\"}' WHERE seq = 2")
        .expect("tamper");
    let broken = verify(&app).first_break.expect("detected");
    assert_eq!(broken.seq, 2);
    assert!(broken.problem.contains("edited"), "{broken:?}");
}

#[tokio::test]
async fn a_deleted_row_is_named() {
    let app = app_with_entries().await;
    app.db.get().expect("conn").batch_execute("DELETE FROM audit_log WHERE seq = 3").expect("tamper");
    let broken = verify(&app).first_break.expect("detected");
    assert_eq!(broken.seq, 3);
    assert!(broken.problem.contains("missing"), "{broken:?}");
}

#[tokio::test]
async fn reordered_rows_are_named() {
    let app = app_with_entries().await;
    app.db
        .get()
        .expect("conn")
        .batch_execute("UPDATE audit_log SET seq = -1 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = -1;")
        .expect("tamper");
    let broken = verify(&app).first_break.expect("detected");
    assert_eq!(broken.seq, 2);
}
