//! TOTP two-factor authentication: enrol, confirm, the two-step login, replay refusal, recovery
//! codes, disabling.

use api::auth::totp::{code_for_step, step_at};
use serde_json::{Value, json};

use crate::helpers::*;

fn code_now(secret: &str, offset_steps: i64) -> String {
    code_for_step(secret, step_at(chrono::Utc::now().timestamp()) + offset_steps).expect("code")
}

async fn enrol(app: &TestApp, token: &str) -> (String, Vec<String>) {
    let resp = app.post("/me/totp", &json!({"password": PASSWORD}), Some(token)).await;
    assert_eq!(resp.status(), 201);
    let body: Value = resp.json().await.expect("json");
    let secret = body["secret"].as_str().expect("secret").to_owned();
    assert!(body["otpauth_uri"].as_str().expect("uri").starts_with("otpauth://totp/"));
    let codes: Vec<String> = serde_json::from_value(body["recovery_codes"].clone()).expect("codes");
    assert_eq!(codes.len(), 10);
    (secret, codes)
}

async fn mfa_token(app: &TestApp, login: &str) -> String {
    let body = app.login(login, PASSWORD).await;
    assert_eq!(body["mfa_required"], true);
    assert!(body.get("access_token").is_none() && body.get("refresh_token").is_none());
    body["mfa_token"].as_str().expect("mfa token").to_owned()
}

#[tokio::test]
async fn enrolled_accounts_sign_in_in_two_steps_and_a_code_works_once() {
    let app = spawn_app().await;
    let session = app.register("mfa@example.com").await;
    let token = session.access_token.as_str();
    let (secret, _) = enrol(&app, token).await;
    let wrong = app.post("/me/totp/confirmation", &json!({"code": "12345"}), Some(token)).await;
    assert_error(wrong, 422, "validation_failed").await;
    let confirm =
        app.post("/me/totp/confirmation", &json!({"code": code_now(&secret, -1)}), Some(token)).await;
    assert_eq!(confirm.status(), 204);
    assert_error(app.post("/me/totp", &json!({"password": PASSWORD}), Some(token)).await, 409, "conflict")
        .await;

    let mfa = mfa_token(&app, "mfa@example.com").await;
    let code = code_now(&secret, 0);
    let resp = app.post("/auth/login/totp", &json!({"mfa_token": mfa, "code": code}), None).await;
    assert_eq!(resp.status(), 200);
    let tokens: shared::dto::SessionTokens = resp.json().await.expect("tokens");
    assert_eq!(app.get("/me", Some(&tokens.access_token)).await.status(), 200);

    let replay = app.post("/auth/login/totp", &json!({"mfa_token": mfa, "code": code}), None).await;
    let err = assert_error(replay, 422, "invalid_code").await;
    assert!(has_issue(&err, "code", "invalid_code"), "names the field: {err:?}");
    let access_as_mfa = app
        .post(
            "/auth/login/totp",
            &json!({"mfa_token": tokens.access_token, "code": code_now(&secret, 1)}),
            None,
        )
        .await;
    assert_error(access_as_mfa, 401, "unauthenticated").await;
}

#[tokio::test]
async fn recovery_codes_work_once_each() {
    let app = spawn_app().await;
    let session = app.register("recover@example.com").await;
    let (secret, codes) = enrol(&app, &session.access_token).await;
    app.post("/me/totp/confirmation", &json!({"code": code_now(&secret, 0)}), Some(&session.access_token))
        .await;
    let mfa = mfa_token(&app, "recover@example.com").await;
    let ok =
        app.post("/auth/login/totp", &json!({"mfa_token": mfa, "code": codes[0].to_uppercase()}), None).await;
    assert_eq!(ok.status(), 200);
    let again = app.post("/auth/login/totp", &json!({"mfa_token": mfa, "code": codes[0]}), None).await;
    assert_error(again, 422, "invalid_code").await;
}

#[tokio::test]
async fn disabling_needs_password_and_code_and_restores_one_step_login() {
    let app = spawn_app().await;
    let session = app.register("off@example.com").await;
    let token = session.access_token.as_str();
    let (secret, codes) = enrol(&app, token).await;
    app.post("/me/totp/confirmation", &json!({"code": code_now(&secret, 0)}), Some(token)).await;
    let no_code = app
        .client
        .delete(app.api("/me/totp"))
        .bearer_auth(token)
        .json(&json!({"password": PASSWORD}))
        .send()
        .await
        .expect("send");
    assert_error(no_code, 403, "mfa_required").await;
    let resp = app
        .client
        .delete(app.api("/me/totp"))
        .bearer_auth(token)
        .json(&json!({"password": PASSWORD, "code": codes[3]}))
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), 204);
    let body = app.login("off@example.com", PASSWORD).await;
    assert_eq!(body["mfa_required"], false);
}

#[tokio::test]
async fn wrong_codes_are_throttled() {
    let app = spawn_app().await;
    let session = app.register("brute@example.com").await;
    let (secret, _) = enrol(&app, &session.access_token).await;
    app.post("/me/totp/confirmation", &json!({"code": code_now(&secret, 0)}), Some(&session.access_token))
        .await;
    let mfa = mfa_token(&app, "brute@example.com").await;
    let right = code_now(&secret, 0);
    let wrong = if right == "000000" { "000001" } else { "000000" };
    for _ in 0..5 {
        let resp = app.post("/auth/login/totp", &json!({"mfa_token": mfa, "code": wrong}), None).await;
        assert_eq!(resp.status(), 422);
    }
    let resp = app.post("/auth/login/totp", &json!({"mfa_token": mfa, "code": right}), None).await;
    assert_error(resp, 429, "rate_limited").await;
}

#[tokio::test]
async fn a_parallel_burst_of_codes_cannot_outrun_the_throttle() {
    let app = spawn_app().await;
    let session = app.register("burst-totp@example.com").await;
    let (secret, _) = enrol(&app, &session.access_token).await;
    app.post("/me/totp/confirmation", &json!({"code": code_now(&secret, 0)}), Some(&session.access_token))
        .await;
    let mfa = mfa_token(&app, "burst-totp@example.com").await;
    let right = code_now(&secret, 0);
    let guesses: Vec<String> = (1..=30)
        .map(|i| format!("{:06}", (right.parse::<u32>().expect("digits") + i * 7919) % 1_000_000))
        .collect();
    let bodies: Vec<Value> = guesses.iter().map(|code| json!({"mfa_token": mfa, "code": code})).collect();
    let requests = bodies.iter().map(|body| app.post("/auth/login/totp", body, None));
    let statuses: Vec<u16> =
        futures::future::join_all(requests).await.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 422).count(), 5, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 25);
}

#[tokio::test]
async fn enrolment_needs_the_password() {
    let app = spawn_app().await;
    let session = app.register("enrol-pw@example.com").await;
    let wrong = app.post("/me/totp", &json!({"password": "wrongpass123"}), Some(&session.access_token)).await;
    let err = assert_error(wrong, 401, "invalid_credentials").await;
    assert!(has_issue(&err, "password", "wrong_password"));
    assert_error(
        app.post("/me/totp", &json!({}), Some(&session.access_token)).await,
        400,
        "validation_failed",
    )
    .await;
    assert_eq!(app.count("recovery_codes"), 0, "nothing enrolled");
}
