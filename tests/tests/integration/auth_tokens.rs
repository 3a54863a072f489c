//! Tokens: refresh rotation and reuse detection, the browser's cookie mode, logout, and the
//! access tokens that must be refused (expired, tampered, `alg: none`, wrong audience).

use api::auth::jwt::{AUDIENCE_API, AUDIENCE_MFA, Claims, JwtKeys};
use api::auth::keys::Keys;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;

use crate::helpers::*;

fn claims_of(token: &str) -> Claims {
    let payload = token.split('.').nth(1).expect("payload");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("b64")).expect("claims")
}

#[tokio::test]
async fn refresh_rotates_and_reusing_a_rotated_token_revokes_the_family() {
    let app = spawn_app().await;
    let first = app.register("rot@example.com").await;
    let old = first.refresh_token.clone().expect("body refresh token");
    let resp = app.post("/auth/refresh", &json!({"refresh_token": old}), None).await;
    assert_eq!(resp.status(), 200);
    let second: shared::dto::SessionTokens = resp.json().await.expect("tokens");
    let new = second.refresh_token.clone().expect("rotated");
    assert_ne!(new, old);
    assert_eq!(app.get("/me", Some(&second.access_token)).await.status(), 200);

    let replay = app.post("/auth/refresh", &json!({"refresh_token": old}), None).await;
    assert_error(replay, 401, "refresh_token_reused").await;
    let after = app.post("/auth/refresh", &json!({"refresh_token": new}), None).await;
    assert_error(after, 401, "unauthenticated").await;
    let me = app.get("/me", Some(&second.access_token)).await;
    assert_error(me, 401, "unauthenticated").await;
}

#[tokio::test]
async fn browser_sessions_keep_the_refresh_token_in_an_httponly_cookie() {
    let app = spawn_app().await;
    let resp = app
        .post("/auth/register", &json!({"email": "web@example.com", "password": PASSWORD, "display_name": "网页", "accept_privacy": true, "session_cookie": true}), None)
        .await;
    assert_eq!(resp.status(), 201);
    let cookie = resp.headers()["set-cookie"].to_str().expect("ascii").to_owned();
    assert!(cookie.starts_with("gz_refresh="), "{cookie}");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/api/v1/auth"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    let body: serde_json::Value = resp.json().await.expect("json");
    assert!(body.get("refresh_token").is_none(), "the body must not carry the refresh token");

    let pair = cookie.split(';').next().expect("pair").to_owned();
    let resp = app
        .client
        .post(app.api("/auth/refresh"))
        .header("cookie", &pair)
        .json(&json!({}))
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), 200);
    let rotated = resp.headers()["set-cookie"].to_str().expect("ascii").to_owned();
    assert_ne!(rotated.split(';').next(), Some(pair.as_str()));

    let logout = app
        .client
        .post(app.api("/auth/logout"))
        .header("cookie", rotated.split(';').next().expect("pair"))
        .json(&json!({}))
        .send()
        .await
        .expect("send");
    assert_eq!(logout.status(), 204);
    assert!(logout.headers()["set-cookie"].to_str().expect("ascii").contains("Max-Age=0"));
}

#[tokio::test]
async fn logout_ends_the_session_for_access_and_refresh_tokens() {
    let app = spawn_app().await;
    let session = app.register("out@example.com").await;
    let refresh = session.refresh_token.clone().expect("refresh");
    let resp = app.post("/auth/logout", &json!({"refresh_token": refresh}), None).await;
    assert_eq!(resp.status(), 204);
    assert_error(app.get("/me", Some(&session.access_token)).await, 401, "unauthenticated").await;
    assert_error(
        app.post("/auth/refresh", &json!({"refresh_token": refresh}), None).await,
        401,
        "unauthenticated",
    )
    .await;
    // Logging out twice is harmless.
    assert_eq!(app.post("/auth/logout", &json!({"refresh_token": refresh}), None).await.status(), 204);
    assert_error(app.post("/auth/logout", &json!({}), None).await, 401, "unauthenticated").await;
}

#[tokio::test]
async fn expired_tampered_alg_none_and_wrong_audience_tokens_are_refused() {
    let app = spawn_app().await;
    let session = app.register("tok@example.com").await;
    let claims = claims_of(&session.access_token);
    let keys = Keys::load(&app.config).expect("keys");
    let jwt = JwtKeys::new(&keys.jwt_secret, &app.config.jwt_issuer);
    let now = chrono::Utc::now().timestamp();

    let expired = jwt.issue(&claims.sub, &claims.sid, AUDIENCE_API, now - 3600, 60);
    assert_error(app.get("/me", Some(&expired)).await, 401, "token_expired").await;

    let wrong_audience = jwt.issue(&claims.sub, &claims.sid, AUDIENCE_MFA, now, 60);
    assert_error(app.get("/me", Some(&wrong_audience)).await, 401, "unauthenticated").await;

    let parts: Vec<&str> = session.access_token.split('.').collect();
    let mut forged = claims.clone();
    forged.sub = uuid::Uuid::now_v7().to_string();
    let forged_payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&forged).expect("json"));
    let tampered = format!("{}.{}.{}", parts[0], forged_payload, parts[2]);
    assert_error(app.get("/me", Some(&tampered)).await, 401, "unauthenticated").await;

    let none_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let alg_none = format!("{none_header}.{}.", parts[1]);
    assert_error(app.get("/me", Some(&alg_none)).await, 401, "unauthenticated").await;

    let foreign = JwtKeys::new(&[42u8; 32], &app.config.jwt_issuer).issue(
        &claims.sub,
        &claims.sid,
        AUDIENCE_API,
        now,
        60,
    );
    assert_error(app.get("/me", Some(&foreign)).await, 401, "unauthenticated").await;

    assert_error(app.get("/me", Some("not-a-jwt")).await, 401, "unauthenticated").await;
    assert_error(app.get("/me", None).await, 401, "unauthenticated").await;
    assert_eq!(app.get("/me", Some(&session.access_token)).await.status(), 200);
}

#[tokio::test]
async fn an_access_token_expires_when_the_app_clock_passes_its_exp() {
    let app = spawn_app().await;
    let session = app.register("clock-expiry@example.com").await;
    assert_eq!(app.get("/me", Some(&session.access_token)).await.status(), 200);
    app.advance_clock(session.expires_in - 30).await;
    assert_eq!(app.get("/me", Some(&session.access_token)).await.status(), 200, "still inside its lifetime");
    app.advance_clock(40).await;
    assert_error(app.get("/me", Some(&session.access_token)).await, 401, "token_expired").await;
}
