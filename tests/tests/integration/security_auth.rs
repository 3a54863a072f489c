//! Regression tests for issue #13 (security and abuse): throttled re-authentication and password
//! checks, bounded public hashing, login lockout that others cannot trigger, streams bound to
//! their session, session hardening, `Idempotency-Key`, strict input and protocol details.

use std::time::Duration;

use futures::future::join_all;
use serde_json::{Value, json};

use crate::helpers::*;

const WRONG: &str = "wrongpassword2026";

fn forwarded() -> Spawn {
    Spawn { tweak: Some(|c| c.trust_forwarded_for = true), ..Spawn::default() }
}

async fn login_from(app: &TestApp, address: &str, login: &str, password: &str) -> reqwest::Response {
    app.client
        .post(app.api("/auth/login"))
        .header("x-forwarded-for", address)
        .json(&json!({"login": login, "password": password}))
        .send()
        .await
        .expect("send")
}

async fn metric(app: &TestApp, name: &str) -> u64 {
    app.metrics_text()
        .await
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name} ")))
        .and_then(|v| v.trim().parse().ok())
        .expect("metric present")
}

// Item 4: re-authentication is throttled like a login.
#[tokio::test]
async fn password_change_guesses_are_throttled_even_with_a_live_session() {
    let app = spawn_app().await;
    let session = app.register("reauth@example.com").await;
    for _ in 0..5 {
        let resp = app
            .post(
                "/me/password",
                &json!({"current_password": WRONG, "new_password": "another2026pass"}),
                Some(&session.access_token),
            )
            .await;
        assert_error(resp, 422, "validation_failed").await;
    }
    let resp = app
        .post(
            "/me/password",
            &json!({"current_password": PASSWORD, "new_password": "another2026pass"}),
            Some(&session.access_token),
        )
        .await;
    assert_eq!(resp.status(), 429, "the sixth check is refused, even with the right password");
    assert!(resp.headers().contains_key("retry-after"));
    // The TOTP enrolment's password check shares the budget.
    let resp = app.post("/me/totp", &json!({"password": PASSWORD}), Some(&session.access_token)).await;
    assert_error(resp, 429, "rate_limited").await;
}

// Item 5: a wrong reset code costs no hashing; registrations and resets are limited per address.
#[tokio::test]
async fn a_wrong_reset_code_is_refused_before_any_hashing() {
    let app = spawn_app().await;
    app.register("reset@example.com").await;
    let accepted = app.post("/auth/password-reset-codes", &json!({"login": "reset@example.com"}), None).await;
    assert_eq!(accepted.status(), 202);
    let before = metric(&app, "gongzhu_password_hashes_total").await;
    let resp = app
        .post(
            "/auth/password-resets",
            &json!({"login": "reset@example.com", "code": "000000", "new_password": "another2026pass"}),
            None,
        )
        .await;
    assert_error(resp, 422, "invalid_code").await;
    assert_eq!(metric(&app, "gongzhu_password_hashes_total").await, before, "no hash for a wrong code");
    let code = app.last_code("reset@example.com");
    let resp = app
        .post(
            "/auth/password-resets",
            &json!({"login": "reset@example.com", "code": code, "new_password": "another2026pass"}),
            None,
        )
        .await;
    assert_eq!(resp.status(), 204);
    assert_eq!(metric(&app, "gongzhu_password_hashes_total").await, before + 1);
    app.login("reset@example.com", "another2026pass").await;
}

#[tokio::test]
async fn registrations_are_limited_per_address() {
    let app = spawn_with(Spawn { tweak: Some(|c| c.signup_max_per_ip = 3), ..Spawn::default() }).await;
    for i in 0..3 {
        app.register(&format!("s{i}@example.com")).await;
    }
    let users = app.count("users");
    let resp = app
        .post(
            "/auth/register",
            &json!({"email": "s9@example.com", "password": PASSWORD, "display_name": "张伟", "accept_privacy": true}),
            None,
        )
        .await;
    assert_error(resp, 429, "rate_limited").await;
    assert_eq!(app.count("users"), users, "nothing created");
}

// Item 16: someone else's guesses do not lock the owner out.
#[tokio::test]
async fn guesses_from_one_address_do_not_lock_the_owner_out_from_another() {
    let app = spawn_with(forwarded()).await;
    app.register("owner@example.com").await;
    assert_eq!(login_from(&app, "198.51.100.7", "owner@example.com", PASSWORD).await.status(), 200);
    for _ in 0..5 {
        let resp = login_from(&app, "203.0.113.9", "owner@example.com", WRONG).await;
        assert_error(resp, 401, "invalid_credentials").await;
    }
    let attacker = login_from(&app, "203.0.113.9", "owner@example.com", PASSWORD).await;
    assert_error(attacker, 429, "rate_limited").await;
    // The owner's familiar address, and even a new one, still sign in.
    assert_eq!(login_from(&app, "198.51.100.7", "owner@example.com", PASSWORD).await.status(), 200);
    assert_eq!(login_from(&app, "192.0.2.44", "owner@example.com", PASSWORD).await.status(), 200);
}

#[tokio::test]
async fn guesses_spread_over_many_addresses_lock_only_unfamiliar_addresses() {
    let app = spawn_with(forwarded()).await;
    app.register("spread@example.com").await;
    assert_eq!(login_from(&app, "198.51.100.8", "spread@example.com", PASSWORD).await.status(), 200);
    for i in 0..50 {
        let resp = login_from(&app, &format!("203.0.113.{}", i + 1), "spread@example.com", WRONG).await;
        assert_eq!(resp.status(), 401);
    }
    let stranger = login_from(&app, "192.0.2.200", "spread@example.com", PASSWORD).await;
    assert_error(stranger, 429, "rate_limited").await;
    assert_eq!(login_from(&app, "198.51.100.8", "spread@example.com", PASSWORD).await.status(), 200);
}

// Item 8: a stream ends with its session, and a person's streams are capped.
async fn open_stream(app: &TestApp, token: &str) -> reqwest::Response {
    let ticket = json_of(app.post("/notifications/stream-tickets", &json!({}), Some(token)).await, 201).await;
    let ticket = ticket["ticket"].as_str().expect("ticket").to_owned();
    app.client.get(app.api(&format!("/notifications/stream?ticket={ticket}"))).send().await.expect("send")
}

#[tokio::test]
async fn a_stream_closes_when_its_session_ends() {
    let app = spawn_app().await;
    let session = app.register("stream@example.com").await;
    let mut stream = open_stream(&app, &session.access_token).await;
    assert_eq!(stream.status(), 200);
    let first = stream.chunk().await.expect("chunk").expect("ready event");
    assert!(String::from_utf8_lossy(&first).contains("ready"));
    let out = app.post("/auth/logout", &json!({"refresh_token": session.refresh_token}), None).await;
    assert_eq!(out.status(), 204);
    let ended = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match stream.chunk().await {
                Ok(Some(_)) => {}
                Ok(None) | Err(_) => return,
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the stream must end after logout");
}

#[tokio::test]
async fn a_person_may_hold_a_bounded_number_of_streams() {
    let app = spawn_with(Spawn { tweak: Some(|c| c.max_streams_per_user = 2), ..Spawn::default() }).await;
    let session = app.register("many@example.com").await;
    let a = open_stream(&app, &session.access_token).await;
    let b = open_stream(&app, &session.access_token).await;
    assert_eq!((a.status().as_u16(), b.status().as_u16()), (200, 200));
    let c = open_stream(&app, &session.access_token).await;
    assert_error(c, 429, "rate_limited").await;
    drop(a);
    let d = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let resp = open_stream(&app, &session.access_token).await;
            if resp.status() == 200 {
                return resp;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    })
    .await;
    assert!(d.is_ok(), "a closed stream frees its place");
}

// Item 14: absolute session lifetime, HSTS, metrics behind a token.
#[tokio::test]
async fn refresh_never_extends_a_session_past_its_absolute_lifetime() {
    let app =
        spawn_with(Spawn { tweak: Some(|c| c.session_max_lifetime_secs = 24 * 3600), ..Spawn::default() })
            .await;
    let session = app.register("old@example.com").await;
    // Half a day on, the refresh works, but its expiry is capped at the session's end.
    let half_day = app.advance_clock(12 * 3600).await;
    let rotated = app.post("/auth/refresh", &json!({"refresh_token": session.refresh_token}), None).await;
    let rotated: Value = json_of(rotated, 200).await;
    let expires: chrono::DateTime<chrono::Utc> =
        rotated["refresh_expires_at"].as_str().expect("expiry").parse().expect("rfc3339");
    let server_now: chrono::DateTime<chrono::Utc> =
        half_day["now"].as_str().expect("now").parse().expect("rfc3339");
    assert!(expires <= server_now + chrono::Duration::hours(12) + chrono::Duration::seconds(5), "{expires}");
    // A day after sign-in the session is over, although its refresh lifetime (30 days) is not.
    app.advance_clock(12 * 3600 + 60).await;
    let refused =
        app.post("/auth/refresh", &json!({"refresh_token": rotated["refresh_token"].as_str()}), None).await;
    assert_error(refused, 401, "unauthenticated").await;
}

#[tokio::test]
async fn hsts_is_sent_when_cookies_are_secure_and_metrics_need_a_token() {
    let plain = spawn_app().await;
    let resp = plain.get("/taxonomy/qualifications", None).await;
    assert!(!resp.headers().contains_key("strict-transport-security"));
    let secure = spawn_with(Spawn {
        tweak: Some(|c| {
            c.cookie_secure = true;
            c.metrics_token = String::new();
        }),
        ..Spawn::default()
    })
    .await;
    let resp = secure.get("/taxonomy/qualifications", None).await;
    assert_eq!(resp.headers()["strict-transport-security"], "max-age=31536000; includeSubDomains");
    let metrics = secure.client.get(format!("{}/metrics", secure.base)).send().await.expect("send");
    assert_error(metrics, 404, "not_found").await;
    let wrong =
        plain.client.get(format!("{}/metrics", plain.base)).bearer_auth("nope").send().await.expect("send");
    assert_error(wrong, 401, "unauthenticated").await;
}

// Item 15: Idempotency-Key.
fn org_body(name: &str) -> Value {
    OrgSpec::new(name).body()
}

async fn create_org_with_key(app: &TestApp, token: &str, key: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(app.api("/orgs"))
        .bearer_auth(token)
        .header("idempotency-key", key)
        .json(body)
        .send()
        .await
        .expect("send")
}

#[tokio::test]
async fn the_same_key_and_body_replays_the_first_response() {
    let app = spawn_app().await;
    let session = app.register("idem@example.com").await;
    let body = org_body("上海幂等建设有限公司");
    let first = create_org_with_key(&app, &session.access_token, "key-0001", &body).await;
    let location = first.headers()["location"].clone();
    let first: Value = json_of(first, 201).await;
    let again = create_org_with_key(&app, &session.access_token, "key-0001", &body).await;
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.headers()["location"], location);
    let again: Value = json_of(again, 201).await;
    assert_eq!(again["id"], first["id"]);
    assert_eq!(app.count("organisations"), 1);
    let mut other = body.clone();
    other["name"] = json!("上海另一家建设有限公司");
    let mismatch = create_org_with_key(&app, &session.access_token, "key-0001", &other).await;
    assert_error(mismatch, 422, "idempotency_mismatch").await;
    assert_eq!(app.count("organisations"), 1);
    // Another person's identical key is theirs alone.
    let stranger = app.register("idem2@example.com").await;
    let theirs =
        create_org_with_key(&app, &stranger.access_token, "key-0001", &org_body("杭州他人建设有限公司"))
            .await;
    assert_eq!(theirs.status(), 201);
    assert!(!theirs.headers().contains_key("idempotent-replayed"));
}

#[tokio::test]
async fn concurrent_requests_with_one_key_act_once() {
    let app = spawn_app().await;
    let session = app.register("burst@example.com").await;
    let body = org_body("苏州并发建设有限公司");
    let answers =
        join_all((0..8).map(|_| create_org_with_key(&app, &session.access_token, "burst-key", &body))).await;
    let statuses: Vec<u16> = answers.iter().map(|r| r.status().as_u16()).collect();
    assert!(statuses.iter().all(|s| *s == 201 || *s == 409), "{statuses:?}");
    assert!(statuses.contains(&201));
    assert_eq!(app.count("organisations"), 1, "eight requests with one key create one organisation");
}

#[tokio::test]
async fn the_spec_declares_the_key_on_creating_posts() {
    let app = spawn_app().await;
    let spec: Value =
        app.client.get(app.api("/openapi.json")).send().await.expect("send").json().await.expect("json");
    let params = spec["paths"]["/orgs"]["post"]["parameters"].as_array().expect("parameters");
    assert!(params.iter().any(|p| p["name"] == "Idempotency-Key" && p["in"] == "header"));
    assert!(spec["paths"]["/auth/register"]["post"]["parameters"].is_null());
}

// Item 17: input the server refuses.
#[tokio::test]
async fn control_characters_and_coerced_types_are_refused() {
    let app = spawn_app().await;
    let session = app.register("strict@example.com").await;
    let mut nul = org_body("上海\u{0}建设有限公司");
    let resp = app.post("/orgs", &nul, Some(&session.access_token)).await;
    let body = assert_error(resp, 422, "validation_failed").await;
    assert!(has_issue(&body, "name", "invalid_characters"), "{body:?}");
    nul["name"] = json!("上海严格建设有限公司");
    nul["region_code"] = json!(310_101);
    nul["categories"] = json!([true, 5]);
    let resp = app.post("/orgs", &nul, Some(&session.access_token)).await;
    let body = assert_error(resp, 422, "validation_failed").await;
    assert!(has_issue(&body, "region_code", "expected_string"), "{body:?}");
    assert!(has_issue(&body, "categories[0]", "expected_string"), "{body:?}");
    assert_eq!(app.count("organisations"), 0);
    let resp = app
        .client
        .patch(app.api("/me"))
        .bearer_auth(&session.access_token)
        .json(&json!({"display_name": null}))
        .send()
        .await
        .expect("send");
    let body = assert_error(resp, 422, "validation_failed").await;
    assert!(has_issue(&body, "display_name", "null_not_allowed"), "{body:?}");
}

#[tokio::test]
async fn a_garbage_or_foreign_cursor_is_422_everywhere() {
    let app = spawn_app().await;
    let session = app.register("cursor@example.com").await;
    for path in ["/orgs?cursor=garbage", "/projects?cursor=%27%20OR%201%3D1", "/groups?cursor=abc"] {
        let resp = app.get(path, Some(&session.access_token)).await;
        let body = assert_error(resp, 422, "validation_failed").await;
        assert!(has_issue(&body, "cursor", "invalid"), "{path}: {body:?}");
    }
    let resp = app.get("/notifications?after=zzz", Some(&session.access_token)).await;
    assert_error(resp, 422, "validation_failed").await;
    // A well-formed cursor still pages.
    let id = uuid::Uuid::now_v7().to_string();
    let resp = app.get(&format!("/groups?cursor={id}"), Some(&session.access_token)).await;
    assert_eq!(resp.status(), 200);
}

// Item 18: protocol details.
#[tokio::test]
async fn a_wrong_method_is_405_with_allow() {
    let app = spawn_app().await;
    let resp = app.client.delete(app.api("/auth/login")).send().await.expect("send");
    assert_eq!(resp.status(), 405);
    assert_eq!(resp.headers()["allow"], "POST");
    assert_error(resp, 405, "method_not_allowed").await;
    let resp = app.client.put(app.api("/me")).send().await.expect("send");
    assert_eq!(resp.headers()["allow"], "DELETE, GET, PATCH");
}

#[tokio::test]
async fn an_invalid_api_key_beside_a_valid_token_is_refused() {
    let app = spawn_app().await;
    let session = app.register("both@example.com").await;
    let resp = app
        .client
        .get(app.api("/me"))
        .bearer_auth(&session.access_token)
        .header("x-api-key", "gzk_not-a-real-key")
        .send()
        .await
        .expect("send");
    assert_error(resp, 401, "unauthenticated").await;
    let org = app.org_account("keys@example.com", OrgSpec::new("南京钥匙建设有限公司")).await;
    let resp = app
        .client
        .get(app.api(&format!("/orgs/{}/members", org.id)))
        .bearer_auth(&org.token)
        .header("x-org-id", &org.id)
        .header("x-api-key", "gzk_forged")
        .send()
        .await
        .expect("send");
    assert_error(resp, 401, "unauthenticated").await;
}

#[tokio::test]
async fn a_one_time_staff_password_must_be_changed_first() {
    let app = spawn_app().await;
    let (_, password) =
        api::ops::staff_cli::create_staff(&app.db, &app.config, "ops@gongzhu.test", "reviewer", "运营")
            .expect("create staff");
    let password = password.expect("a new account gets a one-time password");
    let signed_in = app.login("ops@gongzhu.test", &password).await;
    let token = signed_in["access_token"].as_str().expect("token").to_owned();
    let resp = app.get("/notifications/unread-count", Some(&token)).await;
    assert_error(resp, 403, "password_change_required").await;
    assert_eq!(app.get("/me", Some(&token)).await.status(), 200);
    let changed = app
        .post(
            "/me/password",
            &json!({"current_password": password, "new_password": "mynewpass2026"}),
            Some(&token),
        )
        .await;
    assert_eq!(changed.status(), 204);
    assert_eq!(app.get("/notifications/unread-count", Some(&token)).await.status(), 200);
}

#[tokio::test]
async fn the_same_key_under_another_organisation_header_is_a_mismatch() {
    let app = spawn_app().await;
    let org = app.org_account("hdr@example.com", OrgSpec::new("无锡头部建设有限公司")).await;
    let body = org_body("无锡第二建设有限公司");
    let send = |org_header: &'static str| {
        app.client
            .post(app.api("/orgs"))
            .bearer_auth(&org.token)
            .header("idempotency-key", "hdr-key")
            .header("x-org-id", org_header)
            .json(&body)
            .send()
    };
    assert_eq!(send("first").await.expect("send").status(), 201);
    assert_error(send("second").await.expect("send"), 422, "idempotency_mismatch").await;
}

// Item 15 on the path the security read used: a retried redemption takes the points once, and
// item 18: its refusal speaks English with the promised issue.
#[tokio::test]
async fn a_retried_redemption_with_one_key_redeems_once() {
    use crate::community::{balance, cost_group, join, person};
    use crate::community_resources::share;
    let app = spawn_app().await;
    let operator = app.staff_member("ops@gongzhu.test", &["operator"]).await;
    let owner = person(&app, "owner@example.com").await;
    let a = person(&app, "a@example.com").await;
    let group = cost_group(&app, &owner).await;
    join(&app, &group, &owner, &a, "上海-土建-甲").await;
    for i in 0..3 {
        share(&app, &group, &a, &format!("资料{i}")).await;
    }
    assert_eq!(balance(&app, &a).await, 30);
    let reward = json!({"name": "造价实务图书", "description": "包邮", "cost": 20, "stock": 5});
    let created = json_of(app.post("/rewards", &reward, Some(&operator)).await, 201).await;
    let path = app.api(&format!("/rewards/{}/redemptions", created["id"].as_str().expect("id")));
    let redeem = || {
        app.client.post(&path).bearer_auth(&a.token).header("idempotency-key", "r-1").json(&json!({})).send()
    };
    let first = redeem().await.expect("send");
    let first: Value = json_of(first, 201).await;
    let again = redeem().await.expect("send");
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(json_of(again, 201).await["id"], first["id"]);
    assert_eq!(balance(&app, &a).await, 10, "the points are taken once");
    let short = app.client.post(&path).bearer_auth(&a.token).json(&json!({})).send().await.expect("send");
    let err = assert_error(short, 409, "conflict").await;
    assert!(has_issue(&err, "cost", "not_enough_points"));
    assert!(err.message.is_ascii(), "messages are English: {}", err.message);
}
