//! The API surface: the committed spec is current, docs and operational endpoints, the error
//! envelope for framework errors, security headers, CORS, and SPA serving with deep links.

use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn committed_openapi_document_is_current_and_served() {
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json"))
        .expect("openapi/openapi.json");
    let generated = api::routes::spec_json();
    assert!(
        committed == generated,
        "openapi/openapi.json is stale: regenerate it with `cargo run -p api -- openapi > openapi/openapi.json`"
    );
    let app = spawn_app().await;
    let served: serde_json::Value =
        app.client.get(app.api("/openapi.json")).send().await.expect("send").json().await.expect("json");
    let committed: serde_json::Value = serde_json::from_str(&committed).expect("json");
    assert_eq!(served, committed);
    let schemes = &served["components"]["securitySchemes"];
    assert_eq!(schemes["BearerAuth"]["scheme"], "bearer");
    let docs = app.client.get(format!("{}/docs/", app.base)).send().await.expect("send");
    assert_eq!(docs.status(), 200);
    assert!(docs.text().await.expect("html").contains("swagger"));
}

#[tokio::test]
async fn health_readiness_and_metrics_answer() {
    let app = spawn_app().await;
    let health = app.client.get(format!("{}/healthz", app.base)).send().await.expect("send");
    assert_eq!(health.text().await.expect("text"), "ok");
    let ready = app.client.get(format!("{}/readyz", app.base)).send().await.expect("send");
    assert_eq!(ready.status(), 200);
    app.post("/auth/login", &json!({"login": "x@y.cn", "password": PASSWORD}), None).await;
    let anonymous = app.client.get(format!("{}/metrics", app.base)).send().await.expect("send");
    assert_eq!(anonymous.status(), 401, "metrics need the metrics token");
    let metrics = app.metrics_text().await;
    assert!(metrics.contains("gongzhu_http_requests_total{method=\"POST\",status=\"401\"} 1"), "{metrics}");
    assert!(metrics.contains("# TYPE gongzhu_http_request_duration_seconds histogram"));
}

#[tokio::test]
async fn unknown_api_routes_get_the_envelope_with_the_request_id() {
    let app = spawn_app().await;
    let resp = app.get("/no-such-thing", None).await;
    let body = assert_error(resp, 404, "not_found").await;
    assert!(uuid::Uuid::parse_str(&body.request_id).is_ok());
    let resp = app
        .client
        .get(app.api("/no-such-thing"))
        .header("x-request-id", "client-req-12345")
        .send()
        .await
        .expect("send");
    assert_eq!(assert_error(resp, 404, "not_found").await.request_id, "client-req-12345");
}

#[tokio::test]
async fn responses_carry_security_headers() {
    let app = spawn_app().await;
    let resp = app.get("/me", None).await;
    let headers = resp.headers();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert!(headers["content-security-policy"].to_str().expect("ascii").contains("default-src 'self'"));
}

#[tokio::test]
async fn cors_allows_only_configured_origins() {
    let app =
        spawn_with(Spawn { cors_origins: vec!["https://mini.example.cn".into()], ..Spawn::default() }).await;
    let allowed = app
        .client
        .request(reqwest::Method::OPTIONS, app.api("/auth/login"))
        .header("origin", "https://mini.example.cn")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .expect("send");
    assert_eq!(allowed.headers()["access-control-allow-origin"], "https://mini.example.cn");
    let denied = app
        .client
        .request(reqwest::Method::OPTIONS, app.api("/auth/login"))
        .header("origin", "https://evil.example.com")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .expect("send");
    assert!(!denied.headers().contains_key("access-control-allow-origin"));
}

#[tokio::test]
async fn without_configured_origins_no_cross_origin_call_is_allowed() {
    let app = spawn_app().await;
    let resp = app
        .client
        .request(reqwest::Method::OPTIONS, app.api("/auth/refresh"))
        .header("origin", "https://intranet.example.cn")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .expect("send");
    assert!(!resp.headers().contains_key("access-control-allow-origin"));
    assert!(!resp.headers().contains_key("access-control-allow-credentials"));
}

#[tokio::test]
async fn the_spa_is_served_with_deep_links_falling_back_to_index() {
    let web = std::env::temp_dir().join(format!("gz-web-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&web).expect("dir");
    std::fs::write(web.join("index.html"), "<!doctype html><title>共筑</title>").expect("write");
    std::fs::write(web.join("app.js"), "console.log(1)").expect("write");
    let app = spawn_with(Spawn { web_dir: Some(web.clone()), ..Spawn::default() }).await;
    for path in ["/", "/account/settings", "/login"] {
        let resp = app.client.get(format!("{}{path}", app.base)).send().await.expect("send");
        assert_eq!(resp.status(), 200, "{path}");
        assert!(resp.text().await.expect("html").contains("共筑"), "{path}");
    }
    let js = app.client.get(format!("{}/app.js", app.base)).send().await.expect("send");
    assert_eq!(js.text().await.expect("js"), "console.log(1)");
    std::fs::remove_dir_all(web).ok();
}

#[tokio::test]
async fn graceful_shutdown_stops_accepting() {
    let mut app = spawn_app().await;
    assert_eq!(app.client.get(format!("{}/healthz", app.base)).send().await.expect("send").status(), 200);
    app.stop().await;
    assert!(app.client.get(format!("{}/healthz", app.base)).send().await.is_err());
}
