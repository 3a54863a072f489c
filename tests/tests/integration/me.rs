//! `/me`: profile, password change, contact verification, export, deletion.

use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn profile_reads_and_updates() {
    let app = spawn_app().await;
    let session = app.register("me@example.com").await;
    let me: serde_json::Value = app.get("/me", Some(&session.access_token)).await.json().await.expect("json");
    assert_eq!(me["email"], "me@example.com");
    let resp = app
        .client
        .patch(app.api("/me"))
        .bearer_auth(&session.access_token)
        .json(&json!({"display_name": "  赵敏 "}))
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), 200);
    let me: serde_json::Value = resp.json().await.expect("json");
    assert_eq!(me["display_name"], "赵敏");
    let bad = app
        .client
        .patch(app.api("/me"))
        .bearer_auth(&session.access_token)
        .json(&json!({"display_name": ""}))
        .send()
        .await
        .expect("send");
    assert_error(bad, 422, "validation_failed").await;
    let unknown = app
        .client
        .patch(app.api("/me"))
        .bearer_auth(&session.access_token)
        .json(&json!({"email": "x@y.cn"}))
        .send()
        .await
        .expect("send");
    assert_error(unknown, 400, "validation_failed").await;
}

#[tokio::test]
async fn password_change_needs_the_current_password_and_ends_other_sessions() {
    let app = spawn_app().await;
    let first = app.register("pw@example.com").await;
    let other = app.login("pw@example.com", PASSWORD).await;
    let other_token = other["access_token"].as_str().expect("token");
    let wrong = app
        .post(
            "/me/password",
            &json!({"current_password": "wrongpass123", "new_password": "newsecret2026x"}),
            Some(&first.access_token),
        )
        .await;
    let body = assert_error(wrong, 422, "validation_failed").await;
    assert!(has_issue(&body, "current_password", "wrong_password"));
    let ok = app
        .post(
            "/me/password",
            &json!({"current_password": PASSWORD, "new_password": "newsecret2026x"}),
            Some(&first.access_token),
        )
        .await;
    assert_eq!(ok.status(), 204);
    assert_eq!(app.get("/me", Some(&first.access_token)).await.status(), 200, "the current session stays");
    assert_error(app.get("/me", Some(other_token)).await, 401, "unauthenticated").await;
    app.login("pw@example.com", "newsecret2026x").await;
}

#[tokio::test]
async fn contact_is_verified_with_the_code_sent_to_it() {
    let app = spawn_app().await;
    let session = app.register("verify@example.com").await;
    let token = session.access_token.as_str();
    let sent = app.post("/me/contact-verification-codes", &json!({"channel": "email"}), Some(token)).await;
    assert_eq!(sent.status(), 202);
    let again = app.post("/me/contact-verification-codes", &json!({"channel": "email"}), Some(token)).await;
    assert!(again.headers().contains_key("retry-after"));
    assert_error(again, 429, "rate_limited").await;
    let no_phone =
        app.post("/me/contact-verification-codes", &json!({"channel": "phone"}), Some(token)).await;
    assert_error(no_phone, 422, "validation_failed").await;
    let bad_channel =
        app.post("/me/contact-verification-codes", &json!({"channel": "fax"}), Some(token)).await;
    assert_error(bad_channel, 400, "validation_failed").await;

    let code = app.last_code("verify@example.com");
    let wrong = if code == "999999" { "888888" } else { "999999" };
    let resp =
        app.post("/me/contact-verifications", &json!({"channel": "email", "code": wrong}), Some(token)).await;
    assert_error(resp, 422, "invalid_code").await;
    let resp =
        app.post("/me/contact-verifications", &json!({"channel": "email", "code": code}), Some(token)).await;
    assert_eq!(resp.status(), 200);
    let me: serde_json::Value = resp.json().await.expect("json");
    assert_eq!(me["email_verified"], true);
    let resp = app.post("/me/contact-verification-codes", &json!({"channel": "email"}), Some(token)).await;
    assert_error(resp, 409, "conflict").await;
}

#[tokio::test]
async fn export_holds_profile_consent_sessions_and_messages() {
    let app = spawn_app().await;
    let session = app.register("export@example.com").await;
    app.post("/me/contact-verification-codes", &json!({"channel": "email"}), Some(&session.access_token))
        .await;
    let resp = app.get("/me/export", Some(&session.access_token)).await;
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-disposition"].to_str().expect("ascii").starts_with("attachment"));
    let export: shared::dto::AccountExport = resp.json().await.expect("export");
    assert_eq!(export.profile.email.as_deref(), Some("export@example.com"));
    assert_eq!(export.privacy_policy_version, "2026-11");
    assert_eq!(export.sessions.len(), 1);
    assert_eq!(export.messages.len(), 1);
    let code = app.last_code("export@example.com");
    assert!(
        !export.messages[0].body.contains(&code),
        "a stolen token must not read live codes from the export"
    );
    assert!(export.messages[0].body.contains("******"));
}

#[tokio::test]
async fn deletion_needs_the_password_then_erases_personal_data() {
    let app = spawn_app().await;
    let session = app.register("gone@example.com").await;
    let token = session.access_token.as_str();
    let resp = app
        .client
        .delete(app.api("/me"))
        .bearer_auth(token)
        .json(&json!({"password": "wrongpass123"}))
        .send()
        .await
        .expect("send");
    let err = assert_error(resp, 401, "invalid_credentials").await;
    assert!(has_issue(&err, "password", "wrong_password"), "names the field: {err:?}");
    assert_eq!(app.get("/me", Some(token)).await.status(), 200);

    let resp = app
        .client
        .delete(app.api("/me"))
        .bearer_auth(token)
        .json(&json!({"password": PASSWORD}))
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), 204);
    assert_error(app.get("/me", Some(token)).await, 401, "unauthenticated").await;
    assert_error(
        app.post("/auth/login", &json!({"login": "gone@example.com", "password": PASSWORD}), None).await,
        401,
        "invalid_credentials",
    )
    .await;
    // The row stays, pseudonymised; the address is free again.
    assert_eq!(app.count("users"), 1);
    app.register("gone@example.com").await;
    assert_eq!(app.count("users"), 2);
}

#[tokio::test]
async fn the_last_owner_cannot_delete_their_account() {
    let app = spawn_app().await;
    let session = app.register("sole-owner@example.com").await;
    let body = json!({
        "name": "独资建设有限公司",
        "uscc": shared::domain::identity::Uscc::complete("91310101MA0000777").expect("uscc").as_str(),
        "roles": ["contractor"], "region_code": "310101"
    });
    assert_eq!(app.post("/orgs", &body, Some(&session.access_token)).await.status(), 201);
    let resp = app
        .client
        .delete(app.api("/me"))
        .bearer_auth(&session.access_token)
        .json(&json!({"password": PASSWORD}))
        .send()
        .await
        .expect("send");
    assert_error(resp, 409, "conflict").await;
    assert_eq!(app.get("/me", Some(&session.access_token)).await.status(), 200, "nothing changed");
    assert_eq!(app.count("memberships"), 1);
}
