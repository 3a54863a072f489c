//! Platform staff: created from the CLI, TOTP mandatory, dual control (a different staff member
//! approves), suspension taking effect, and the audit log with its chain check.

use api::auth::totp::{code_for_step, step_at};
use diesel::connection::SimpleConnection;
use serde_json::{Value, json};
use shared::domain::identity::Uscc;

use crate::helpers::*;

/// Registers `email`, grants `role` through the operator CLI path, and turns TOTP on.
async fn staff(app: &TestApp, email: &str, role: &str) -> (String, String) {
    let session = app.register(email).await;
    api::ops::staff_cli::create_staff(&app.db, &app.config, email, role, "员工").expect("grant");
    let token = session.access_token;
    let enrolment: Value =
        app.post("/me/totp", &json!({"password": PASSWORD}), Some(&token)).await.json().await.expect("json");
    let secret = enrolment["secret"].as_str().expect("secret");
    let code = code_for_step(secret, step_at(chrono::Utc::now().timestamp())).expect("code");
    assert_eq!(app.post("/me/totp/confirmation", &json!({"code": code}), Some(&token)).await.status(), 204);
    (token, session.user.id)
}

async fn org_of(app: &TestApp, email: &str) -> (String, String) {
    let owner = app.register(email).await;
    let body = json!({
        "name": "被监管的建设有限公司", "uscc": Uscc::complete("91440305MA0000099").expect("uscc").as_str(),
        "roles": ["supplier"], "region_code": "440305"
    });
    let resp = app.post("/orgs", &body, Some(&owner.access_token)).await;
    assert_eq!(resp.status(), 201);
    let id = resp.json::<Value>().await.expect("json")["profile"]["id"].as_str().expect("id").to_owned();
    (owner.access_token, id)
}

#[tokio::test]
async fn staff_need_a_role_and_two_factor() {
    let app = spawn_app().await;
    let plain = app.register("plain@example.com").await;
    assert_error(app.get("/staff/requests", Some(&plain.access_token)).await, 403, "forbidden").await;
    let no_totp = app.register("nototp@example.com").await;
    api::ops::staff_cli::create_staff(&app.db, &app.config, "nototp@example.com", "admin", "x")
        .expect("grant");
    assert_error(app.get("/staff/requests", Some(&no_totp.access_token)).await, 403, "mfa_required").await;
    let standing: Value = app.get("/staff/me", Some(&no_totp.access_token)).await.json().await.expect("json");
    assert_eq!(standing, json!({"roles": ["admin"], "totp_enabled": false}));
}

#[tokio::test]
async fn the_operator_cli_creates_staff_accounts_with_a_one_time_password() {
    let app = spawn_app().await;
    let (id, password) =
        api::ops::staff_cli::create_staff(&app.db, &app.config, "13700000001", "reviewer", "审核员")
            .expect("create");
    let password = password.expect("new account gets a password");
    let body = app.login("13700000001", &password).await;
    assert_eq!(body["user"]["id"], id.as_str());
    assert!(
        api::ops::staff_cli::create_staff(&app.db, &app.config, "13700000001", "reviewer", "x").is_err(),
        "held already"
    );
    assert!(
        api::ops::staff_cli::create_staff(&app.db, &app.config, "x@example.com", "janitor", "x").is_err(),
        "unknown role"
    );
    let err = api::ops::staff_cli::create_staff(&app.db, &app.config, "not-a-login", "admin", "x")
        .expect_err("bad login");
    assert!(err.to_string().contains("not-a-login"));
}

#[tokio::test]
async fn role_grants_need_a_second_admin() {
    let app = spawn_app().await;
    let (first, _) = staff(&app, "admin1@example.com", "admin").await;
    let (second, _) = staff(&app, "admin2@example.com", "admin").await;
    let candidate = app.register("candidate@example.com").await;
    let ask = json!({"action": "grant_role", "target_user_id": candidate.user.id, "role": "reviewer", "reason": "新入职审核员"});
    let resp = app.post("/staff/requests", &ask, Some(&first)).await;
    assert_eq!(resp.status(), 201);
    let request: Value = resp.json().await.expect("json");
    let id = request["id"].as_str().expect("id");
    assert_eq!(request["status"], "pending");

    let inbox: Value = app.get("/staff/requests", Some(&second)).await.json().await.expect("json");
    assert_eq!(inbox["items"][0]["id"], id);
    let own = app.post(&format!("/staff/requests/{id}/approval"), &json!({}), Some(&first)).await;
    assert_error(own, 403, "forbidden").await;
    assert_eq!(app.count("staff_roles"), 2, "nothing granted by a self-approval");

    let approved = app
        .post(&format!("/staff/requests/{id}/approval"), &json!({"reason": "核实无误"}), Some(&second))
        .await;
    assert_eq!(approved.status(), 200);
    assert_eq!(approved.json::<Value>().await.expect("json")["status"], "executed");
    let standing: Value =
        app.get("/staff/me", Some(&candidate.access_token)).await.json().await.expect("json");
    assert_eq!(standing["roles"], json!(["reviewer"]));
    let again = app.post(&format!("/staff/requests/{id}/approval"), &json!({}), Some(&second)).await;
    assert_error(again, 409, "conflict").await;
    let duplicate = app.post("/staff/requests", &ask, Some(&first)).await;
    assert_error(duplicate, 409, "conflict").await;

    let revoke = json!({"action": "revoke_role", "target_user_id": candidate.user.id, "role": "reviewer", "reason": "调岗"});
    let request: Value =
        app.post("/staff/requests", &revoke, Some(&second)).await.json().await.expect("json");
    let revoke_id = request["id"].as_str().expect("id");
    assert_eq!(
        app.post(&format!("/staff/requests/{revoke_id}/approval"), &json!({}), Some(&first)).await.status(),
        200
    );
    let standing: Value =
        app.get("/staff/me", Some(&candidate.access_token)).await.json().await.expect("json");
    assert_eq!(standing["roles"], json!([]));
}

#[tokio::test]
async fn suspension_freezes_an_organisation_until_lifted() {
    let app = spawn_app().await;
    let (op1, _) = staff(&app, "op1@example.com", "operator").await;
    let (op2, _) = staff(&app, "op2@example.com", "operator").await;
    let (reviewer, _) = staff(&app, "rev@example.com", "reviewer").await;
    let (owner, org) = org_of(&app, "owner@example.com").await;
    let patch = |token: String| {
        let (app, org) = (&app, org.clone());
        async move {
            app.client
                .patch(app.api(&format!("/orgs/{org}")))
                .bearer_auth(token)
                .header("x-org-id", &org)
                .json(&json!({"short_name": "改名"}))
                .send()
                .await
                .expect("send")
        }
    };

    let ask = json!({"action": "suspend_organisation", "org_id": org, "reason": "涉嫌虚假资质"});
    assert_error(app.post("/staff/requests", &ask, Some(&reviewer)).await, 403, "forbidden").await;
    assert_error(
        app.post("/staff/requests", &json!({"action": "suspend_organisation", "reason": "x"}), Some(&op1))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_error(
        app.post(
            "/staff/requests",
            &json!({"action": "suspend_organisation", "org_id": org, "reason": " "}),
            Some(&op1),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let request: Value = app.post("/staff/requests", &ask, Some(&op1)).await.json().await.expect("json");
    let id = request["id"].as_str().expect("id");
    assert_eq!(patch(owner.clone()).await.status(), 200, "still live while the request waits");

    assert_eq!(
        app.post(&format!("/staff/requests/{id}/approval"), &json!({}), Some(&op2)).await.status(),
        200
    );
    assert_error(patch(owner.clone()).await, 403, "forbidden").await;
    let public: Value = app.get(&format!("/orgs/{org}"), None).await.json().await.expect("json");
    assert_eq!(public["suspended"], true);
    assert_eq!(
        shared::domain::standing::may_transact(
            shared::dto::VerificationStatus::Verified,
            public["suspended"] == true
        ),
        Err(shared::domain::standing::TransactRefusal::Suspended)
    );

    // Frozen: no ownership transfer, no new members while suspended.
    let transfer = app
        .client
        .post(app.api(&format!("/orgs/{org}/ownership-transfer")))
        .bearer_auth(&owner)
        .header("x-org-id", &org)
        .json(&json!({"user_id": "someone"}))
        .send()
        .await
        .expect("send");
    assert_error(transfer, 403, "forbidden").await;
    let extra = json!({"action": "suspend_organisation", "org_id": org, "role": "admin", "reason": "x"});
    assert_error(app.post("/staff/requests", &extra, Some(&op1)).await, 422, "validation_failed").await;

    let lift: Value = app
        .post(
            "/staff/requests",
            &json!({"action": "lift_suspension", "org_id": org, "reason": "复核通过"}),
            Some(&op2),
        )
        .await
        .json()
        .await
        .expect("json");
    let lift_id = lift["id"].as_str().expect("id");
    let reject_without_reason =
        app.post(&format!("/staff/requests/{lift_id}/rejection"), &json!({}), Some(&op1)).await;
    assert_error(reject_without_reason, 422, "validation_failed").await;
    assert_eq!(
        app.post(&format!("/staff/requests/{lift_id}/approval"), &json!({}), Some(&op1)).await.status(),
        200
    );
    assert_eq!(patch(owner).await.status(), 200);
}

#[tokio::test]
async fn staff_read_the_audit_log_and_the_chain_check_names_a_forged_entry() {
    let app = spawn_app().await;
    let (admin, _) = staff(&app, "auditor@example.com", "admin").await;
    let (other, _) = staff(&app, "auditor2@example.com", "admin").await;
    let target = app.register("t@example.com").await;
    let request: Value = app
        .post("/staff/requests", &json!({"action": "grant_role", "target_user_id": target.user.id, "role": "mediator", "reason": "调解员"}), Some(&admin))
        .await
        .json()
        .await
        .expect("json");
    app.post(
        &format!("/staff/requests/{}/rejection", request["id"].as_str().expect("id")),
        &json!({"reason": "暂缓"}),
        Some(&other),
    )
    .await;

    let page: Value = app.get("/staff/audit?limit=2", Some(&admin)).await.json().await.expect("json");
    assert_eq!(page["items"][0]["action"], "staff.request_rejected");
    assert_eq!(page["items"][1]["action"], "staff.request_created");
    let cursor = page["next_cursor"].as_str().expect("older entries");
    let older: Value =
        app.get(&format!("/staff/audit?cursor={cursor}"), Some(&admin)).await.json().await.expect("json");
    assert!(older["items"].as_array().expect("items").iter().any(|e| e["action"] == "staff.role_granted"));

    let report: Value =
        app.post("/staff/audit/verification", &json!({}), Some(&admin)).await.json().await.expect("json");
    assert_eq!(report["intact"], true);
    let entries = report["entries"].as_i64().expect("count");
    app.db
        .get()
        .expect("conn")
        .batch_execute("UPDATE audit_log SET actor_label = 'cli' WHERE seq = 3")
        .expect("forge");
    let report: Value =
        app.post("/staff/audit/verification", &json!({}), Some(&admin)).await.json().await.expect("json");
    assert_eq!(report["intact"], false);
    assert_eq!(report["broken_seq"], 3);
    assert!(report["broken_id"].is_string());
    assert!(entries > 3);
}
