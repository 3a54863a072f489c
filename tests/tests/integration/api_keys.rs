//! Integrator API keys: shown once, stored hashed, scoped, bound to one organisation, revocable,
//! and every use audited.

use serde_json::{Value, json};
use shared::domain::identity::Uscc;

use crate::helpers::*;

async fn org(app: &TestApp, token: &str, serial: u32) -> String {
    let body = json!({
        "name": format!("集成测试建设有限公司{serial}"),
        "uscc": Uscc::complete(&format!("91310101MA{serial:07}")).expect("uscc").as_str(),
        "roles": ["contractor"], "region_code": "310101"
    });
    let resp = app.post("/orgs", &body, Some(token)).await;
    assert_eq!(resp.status(), 201);
    resp.json::<Value>().await.expect("json")["profile"]["id"].as_str().expect("id").to_owned()
}

async fn create_key(app: &TestApp, token: &str, org: &str, scopes: Value) -> reqwest::Response {
    app.client
        .post(app.api(&format!("/orgs/{org}/api-keys")))
        .bearer_auth(token)
        .header("x-org-id", org)
        .json(&json!({"name": "ERP 对接", "scopes": scopes}))
        .send()
        .await
        .expect("send")
}

async fn with_key(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    key: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut req = app.client.request(method, app.api(path)).header("x-api-key", key);
    if let Some(body) = body {
        req = req.json(&body);
    }
    req.send().await.expect("send")
}

#[tokio::test]
async fn a_key_acts_for_its_organisation_within_its_scopes() {
    let app = spawn_app().await;
    let owner = app.register("keys@example.com").await;
    let org_a = org(&app, &owner.access_token, 1).await;
    let org_b = org(&app, &owner.access_token, 2).await;

    let resp = create_key(&app, &owner.access_token, &org_a, json!(["members_read"])).await;
    assert_eq!(resp.status(), 201);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let created: Value = resp.json().await.expect("json");
    let secret = created["secret"].as_str().expect("secret").to_owned();
    assert!(
        secret.starts_with("gzk_") && secret.starts_with(created["info"]["prefix"].as_str().expect("prefix"))
    );

    let listed: Value = app
        .client
        .get(app.api(&format!("/orgs/{org_a}/api-keys")))
        .bearer_auth(&owner.access_token)
        .header("x-org-id", &org_a)
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert!(!listed.to_string().contains(&secret), "listings never show the secret");
    assert_eq!(listed["items"][0]["scopes"], json!(["members_read"]));

    let members =
        with_key(&app, reqwest::Method::GET, &format!("/orgs/{org_a}/members"), &secret, None).await;
    assert_eq!(members.status(), 200);
    let outside_scope = with_key(
        &app,
        reqwest::Method::PATCH,
        &format!("/orgs/{org_a}"),
        &secret,
        Some(json!({"short_name": "x"})),
    )
    .await;
    assert_error(outside_scope, 403, "forbidden").await;
    let other_org =
        with_key(&app, reqwest::Method::GET, &format!("/orgs/{org_b}/members"), &secret, None).await;
    assert_error(other_org, 404, "not_found").await;
    let forged =
        with_key(&app, reqwest::Method::GET, &format!("/orgs/{org_a}/members"), "gzk_not-a-real-key", None)
            .await;
    assert_error(forged, 401, "unauthenticated").await;

    let writer: Value =
        create_key(&app, &owner.access_token, &org_a, json!(["org_write"])).await.json().await.expect("json");
    let writer_secret = writer["secret"].as_str().expect("secret");
    let patched = with_key(
        &app,
        reqwest::Method::PATCH,
        &format!("/orgs/{org_a}"),
        writer_secret,
        Some(json!({"short_name": "接口改名"})),
    )
    .await;
    assert_eq!(patched.status(), 200);
    assert_eq!(patched.json::<Value>().await.expect("json")["profile"]["short_name"], "接口改名");

    let key_id = created["info"]["id"].as_str().expect("id");
    let revoked = app
        .client
        .delete(app.api(&format!("/orgs/{org_a}/api-keys/{key_id}")))
        .bearer_auth(&owner.access_token)
        .header("x-org-id", &org_a)
        .send()
        .await
        .expect("send");
    assert_eq!(revoked.status(), 204);
    let after = with_key(&app, reqwest::Method::GET, &format!("/orgs/{org_a}/members"), &secret, None).await;
    assert_error(after, 401, "unauthenticated").await;

    use api::db::schema::audit_log::dsl::*;
    use diesel::prelude::*;
    let uses: i64 = audit_log
        .filter(action.eq("api_key.used"))
        .count()
        .get_result(&mut *app.db.get().expect("conn"))
        .expect("count");
    assert_eq!(uses, 4, "every authenticated key use is audited");
}

#[tokio::test]
async fn only_owners_and_admins_manage_keys_and_bad_requests_change_nothing() {
    let app = spawn_app().await;
    let owner = app.register("kowner@example.com").await;
    let member = app.register("kmember@example.com").await;
    let org_id = org(&app, &owner.access_token, 3).await;
    let invite = app
        .client
        .post(app.api(&format!("/orgs/{org_id}/invitations")))
        .bearer_auth(&owner.access_token)
        .header("x-org-id", &org_id)
        .json(&json!({"login": "kmember@example.com", "role": "member"}))
        .send()
        .await
        .expect("send")
        .json::<Value>()
        .await
        .expect("json");
    app.post(
        &format!("/invitations/{}/acceptance", invite["id"].as_str().expect("id")),
        &json!({}),
        Some(&member.access_token),
    )
    .await;

    assert_error(
        create_key(&app, &member.access_token, &org_id, json!(["members_read"])).await,
        403,
        "forbidden",
    )
    .await;
    assert_error(create_key(&app, &owner.access_token, &org_id, json!([])).await, 422, "validation_failed")
        .await;
    assert_error(
        create_key(&app, &owner.access_token, &org_id, json!(["root"])).await,
        400,
        "validation_failed",
    )
    .await;
    let stranger = app.register("kstranger@example.com").await;
    assert_error(
        create_key(&app, &stranger.access_token, &org_id, json!(["members_read"])).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(app.count("api_keys"), 0);
}
