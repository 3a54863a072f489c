//! Password reset by one-time code through the outbox.

use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn reset_by_code_changes_the_password_and_ends_every_session() {
    let app = spawn_app().await;
    let session = app.register("reset@example.com").await;
    let resp = app.post("/auth/password-reset-codes", &json!({"login": "reset@example.com"}), None).await;
    assert_eq!(resp.status(), 202);
    let code = app.last_code("reset@example.com");
    assert!(app.last_message("reset@example.com").contains("重置密码"));

    let wrong = app
        .post(
            "/auth/password-resets",
            &json!({"login": "reset@example.com", "code": "000000", "new_password": "newsecret2026x"}),
            None,
        )
        .await;
    if code != "000000" {
        assert_error(wrong, 422, "invalid_code").await;
    }
    let weak = app
        .post(
            "/auth/password-resets",
            &json!({"login": "reset@example.com", "code": code, "new_password": "weak"}),
            None,
        )
        .await;
    assert_error(weak, 422, "validation_failed").await;

    let ok = app
        .post(
            "/auth/password-resets",
            &json!({"login": "reset@example.com", "code": code, "new_password": "newsecret2026x"}),
            None,
        )
        .await;
    assert_eq!(ok.status(), 204);
    assert_error(app.get("/me", Some(&session.access_token)).await, 401, "unauthenticated").await;
    assert_error(
        app.post("/auth/login", &json!({"login": "reset@example.com", "password": PASSWORD}), None).await,
        401,
        "invalid_credentials",
    )
    .await;
    app.login("reset@example.com", "newsecret2026x").await;

    let replay = app
        .post(
            "/auth/password-resets",
            &json!({"login": "reset@example.com", "code": code, "new_password": "another2026xyz"}),
            None,
        )
        .await;
    assert_error(replay, 422, "invalid_code").await;
}

#[tokio::test]
async fn unknown_accounts_get_the_same_202_and_no_message() {
    let app = spawn_app().await;
    let resp = app.post("/auth/password-reset-codes", &json!({"login": "ghost@example.com"}), None).await;
    assert_eq!(resp.status(), 202);
    assert_eq!(app.count("outbox_messages"), 0);
    let resp = app
        .post(
            "/auth/password-resets",
            &json!({"login": "ghost@example.com", "code": "123456", "new_password": "newsecret2026x"}),
            None,
        )
        .await;
    assert_error(resp, 422, "invalid_code").await;
}

#[tokio::test]
async fn five_wrong_guesses_kill_the_code() {
    let app = spawn_app().await;
    app.register("guess@example.com").await;
    app.post("/auth/password-reset-codes", &json!({"login": "guess@example.com"}), None).await;
    let code = app.last_code("guess@example.com");
    let wrong = if code == "111111" { "222222" } else { "111111" };
    for _ in 0..5 {
        let resp = app
            .post(
                "/auth/password-resets",
                &json!({"login": "guess@example.com", "code": wrong, "new_password": "newsecret2026x"}),
                None,
            )
            .await;
        assert_eq!(resp.status(), 422);
    }
    let resp = app
        .post(
            "/auth/password-resets",
            &json!({"login": "guess@example.com", "code": code, "new_password": "newsecret2026x"}),
            None,
        )
        .await;
    assert_error(resp, 422, "invalid_code").await;
}

#[tokio::test]
async fn a_burst_of_parallel_guesses_still_gets_only_five() {
    let app = spawn_app().await;
    app.register("burst@example.com").await;
    app.post("/auth/password-reset-codes", &json!({"login": "burst@example.com"}), None).await;
    let code = app.last_code("burst@example.com");
    let wrong: Vec<String> = (0..20)
        .map(|i| format!("{:06}", (code.parse::<u32>().expect("digits") + 1 + i) % 1_000_000))
        .collect();
    let bodies: Vec<serde_json::Value> = wrong
        .iter()
        .map(|guess| json!({"login": "burst@example.com", "code": guess, "new_password": "newsecret2026x"}))
        .collect();
    let guesses = bodies.iter().map(|body| app.post("/auth/password-resets", body, None));
    for resp in futures::future::join_all(guesses).await {
        assert_eq!(resp.status(), 422);
    }
    let right = app
        .post(
            "/auth/password-resets",
            &json!({"login": "burst@example.com", "code": code, "new_password": "newsecret2026x"}),
            None,
        )
        .await;
    assert_error(right, 422, "invalid_code").await;
}

#[tokio::test]
async fn at_most_ten_codes_a_day() {
    let app = spawn_with(Spawn { code_resend_secs: Some(0), ..Spawn::default() }).await;
    app.register("daily@example.com").await;
    for _ in 0..10 {
        let resp = app.post("/auth/password-reset-codes", &json!({"login": "daily@example.com"}), None).await;
        assert_eq!(resp.status(), 202);
    }
    assert_eq!(app.count("one_time_codes"), 10);
    let eleventh = app.post("/auth/password-reset-codes", &json!({"login": "daily@example.com"}), None).await;
    assert_eq!(eleventh.status(), 202, "the answer never reveals the account");
    assert_eq!(app.count("one_time_codes"), 10, "but no eleventh code is made");
}
