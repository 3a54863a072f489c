//! `POST /auth/login`: e-mail and phone logins, wrong credentials, throttling.

use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn login_by_email_or_phone_returns_tokens() {
    let app = spawn_app().await;
    let resp = app
        .post("/auth/register", &json!({"email": "wang.fang@example.com", "phone": "13800138002", "password": PASSWORD, "display_name": "王芳", "accept_privacy": true}), None)
        .await;
    assert_eq!(resp.status(), 201);
    for login in ["wang.fang@example.com", "WANG.FANG@example.com", "138 0013 8002"] {
        let body = app.login(login, PASSWORD).await;
        assert_eq!(body["mfa_required"], false);
        assert!(body["access_token"].is_string() && body["refresh_token"].is_string());
        assert_eq!(body["user"]["display_name"], "王芳");
    }
}

#[tokio::test]
async fn wrong_password_and_unknown_account_look_the_same() {
    let app = spawn_app().await;
    app.register("li@example.com").await;
    let wrong =
        app.post("/auth/login", &json!({"login": "li@example.com", "password": "wrongpass123"}), None).await;
    let wrong = assert_error(wrong, 401, "invalid_credentials").await;
    let unknown =
        app.post("/auth/login", &json!({"login": "nobody@example.com", "password": PASSWORD}), None).await;
    let unknown = assert_error(unknown, 401, "invalid_credentials").await;
    assert_eq!(wrong.message, unknown.message);
}

#[tokio::test]
async fn malformed_login_is_a_validation_error() {
    let app = spawn_app().await;
    let resp = app.post("/auth/login", &json!({"login": "12345", "password": PASSWORD}), None).await;
    let body = assert_error(resp, 422, "validation_failed").await;
    assert!(has_issue(&body, "login", "invalid_phone"));
}

#[tokio::test]
async fn five_failures_lock_the_account_with_retry_after_even_for_the_right_password() {
    let app = spawn_app().await;
    app.register("target@example.com").await;
    for _ in 0..5 {
        let resp = app
            .post("/auth/login", &json!({"login": "target@example.com", "password": "wrongpass123"}), None)
            .await;
        assert_eq!(resp.status(), 401);
    }
    let resp =
        app.post("/auth/login", &json!({"login": "target@example.com", "password": PASSWORD}), None).await;
    let retry_after: u64 = resp.headers()["retry-after"].to_str().expect("ascii").parse().expect("seconds");
    assert!(retry_after > 0 && retry_after <= 900, "{retry_after}");
    assert_error(resp, 429, "rate_limited").await;
}

#[tokio::test]
async fn one_address_spraying_many_accounts_is_throttled() {
    let app = spawn_app().await;
    for i in 0..30 {
        let resp = app
            .post(
                "/auth/login",
                &json!({"login": format!("user{i}@example.com"), "password": "wrongpass123"}),
                None,
            )
            .await;
        assert_eq!(resp.status(), 401);
    }
    let resp = app
        .post("/auth/login", &json!({"login": "fresh@example.com", "password": "wrongpass123"}), None)
        .await;
    assert_error(resp, 429, "rate_limited").await;
}

#[tokio::test]
async fn the_email_and_phone_of_one_account_share_one_budget() {
    let app = spawn_app().await;
    let resp = app
        .post("/auth/register", &json!({"email": "both@example.com", "phone": "13600136000", "password": PASSWORD, "display_name": "两用", "accept_privacy": true}), None)
        .await;
    assert_eq!(resp.status(), 201);
    for _ in 0..5 {
        let resp = app
            .post("/auth/login", &json!({"login": "both@example.com", "password": "wrongpass123"}), None)
            .await;
        assert_eq!(resp.status(), 401);
    }
    let via_phone =
        app.post("/auth/login", &json!({"login": "13600136000", "password": PASSWORD}), None).await;
    assert_error(via_phone, 429, "rate_limited").await;
}
