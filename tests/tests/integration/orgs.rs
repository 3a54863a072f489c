//! Organisations: creation with checked USCC and region, the public profile and directory,
//! acting with `X-Org-Id`, invitations, member removal, ownership transfer, and what another
//! organisation's people cannot do.

use serde_json::{Value, json};
use shared::domain::identity::Uscc;

use crate::helpers::*;

/// A valid USCC whose serial part is `n`.
fn uscc(n: u32) -> String {
    Uscc::complete(&format!("91310115MA{n:07}")).expect("valid body").as_str().to_owned()
}

fn org_body(n: u32) -> Value {
    json!({
        "name": format!("上海建工第{n}工程有限公司"),
        "short_name": format!("建工{n}"),
        "uscc": uscc(n),
        "roles": ["contractor", "subcontractor"],
        "region_code": "310115",
        "address": "上海市浦东新区世纪大道100号",
        "latitude": 31.2304,
        "longitude": 121.4737,
        "contact_phone": "13800138000",
        "categories": ["building_construction"],
        "regions_served": ["310000", "320500"],
        "declared_capacity_fen": 500_000_000_000_i64
    })
}

async fn create_org(app: &TestApp, token: &str, n: u32) -> String {
    let resp = app.post("/orgs", &org_body(n), Some(token)).await;
    assert_eq!(resp.status(), 201);
    let body: Value = resp.json().await.expect("json");
    body["profile"]["id"].as_str().expect("id").to_owned()
}

async fn with_org(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
    org: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut req = app.client.request(method, app.api(path)).bearer_auth(token).header("x-org-id", org);
    if let Some(body) = body {
        req = req.json(&body);
    }
    req.send().await.expect("send")
}

#[tokio::test]
async fn creating_an_organisation_makes_the_caller_owner() {
    let app = spawn_app().await;
    let owner = app.register("owner@example.com").await;
    let resp = app.post("/orgs", &org_body(1), Some(&owner.access_token)).await;
    assert_eq!(resp.status(), 201);
    let location = resp.headers()["location"].to_str().expect("ascii").to_owned();
    let body: Value = resp.json().await.expect("json");
    assert_eq!(body["my_role"], "owner");
    assert_eq!(body["profile"]["region_name"], "上海市 浦东新区");
    assert_eq!(body["profile"]["verification_status"], "unverified");
    assert_eq!(body["profile"]["roles"], json!(["contractor", "subcontractor"]));
    let id = body["profile"]["id"].as_str().expect("id");
    assert_eq!(location, format!("/api/v1/orgs/{id}"));

    let public: Value = app.get(&format!("/orgs/{id}"), None).await.json().await.expect("json");
    assert_eq!(public["name"], "上海建工第1工程有限公司");
    assert!(public.get("contact_phone").is_none() && public.get("declared_capacity_fen").is_none());

    let mine: Value = app.get("/me/orgs", Some(&owner.access_token)).await.json().await.expect("json");
    assert_eq!(mine["items"][0]["contact_phone"], "13800138000");
}

#[tokio::test]
async fn bad_uscc_unknown_region_and_other_mistakes_are_named_and_change_nothing() {
    let app = spawn_app().await;
    let owner = app.register("bad@example.com").await;
    let mut body = org_body(2);
    body["uscc"] = json!("91310115MA00000020");
    body["region_code"] = json!("319999");
    body["roles"] = json!([]);
    body["latitude"] = json!(95.0);
    body["regions_served"] = json!(["999900"]);
    body["categories"] = json!(["time_travel"]);
    let resp = app.post("/orgs", &body, Some(&owner.access_token)).await;
    let err = assert_error(resp, 422, "validation_failed").await;
    for (field, issue) in [
        ("uscc", "invalid_uscc"),
        ("region_code", "unknown_region"),
        ("roles", "required"),
        ("latitude", "invalid_coordinates"),
        ("regions_served", "unknown_region"),
        ("categories", "unknown_category"),
    ] {
        assert!(has_issue(&err, field, issue), "{field}/{issue}: {err:?}");
    }
    let mut unknown = org_body(2);
    unknown["verification_status"] = json!("verified");
    assert_error(app.post("/orgs", &unknown, Some(&owner.access_token)).await, 400, "validation_failed")
        .await;
    let mut bad_role = org_body(2);
    bad_role["roles"] = json!(["landlord"]);
    assert_error(app.post("/orgs", &bad_role, Some(&owner.access_token)).await, 400, "validation_failed")
        .await;
    assert_error(app.post("/orgs", &org_body(2), None).await, 401, "unauthenticated").await;
    assert_eq!(app.count("organisations"), 0);
    assert_eq!(app.count("memberships"), 0);
}

#[tokio::test]
async fn a_uscc_belongs_to_one_organisation() {
    let app = spawn_app().await;
    let a = app.register("a@example.com").await;
    let b = app.register("b@example.com").await;
    create_org(&app, &a.access_token, 3).await;
    let err =
        assert_error(app.post("/orgs", &org_body(3), Some(&b.access_token)).await, 409, "conflict").await;
    assert!(has_issue(&err, "uscc", "taken"));
    assert_eq!(app.count("organisations"), 1);
}

#[tokio::test]
async fn owners_edit_with_x_org_id_others_cannot_even_see_it() {
    let app = spawn_app().await;
    let a = app.register("owner-a@example.com").await;
    let b = app.register("owner-b@example.com").await;
    let org_a = create_org(&app, &a.access_token, 4).await;
    let org_b = create_org(&app, &b.access_token, 5).await;

    let resp = with_org(
        &app,
        reqwest::Method::PATCH,
        &format!("/orgs/{org_a}"),
        &a.access_token,
        &org_a,
        Some(json!({"short_name": "新简称", "contact_email": "Info@Example.com"})),
    )
    .await;
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.expect("json");
    assert_eq!(body["profile"]["short_name"], "新简称");
    assert_eq!(body["contact_email"], "info@example.com");

    // B's owner, acting as B or pretending to act as A: 404 either way, nothing changed.
    for header in [&org_b, &org_a] {
        let resp = with_org(
            &app,
            reqwest::Method::PATCH,
            &format!("/orgs/{org_a}"),
            &b.access_token,
            header,
            Some(json!({"name": "被篡改的名称"})),
        )
        .await;
        assert_error(resp, 404, "not_found").await;
        let resp = with_org(
            &app,
            reqwest::Method::GET,
            &format!("/orgs/{org_a}/members"),
            &b.access_token,
            header,
            None,
        )
        .await;
        assert_error(resp, 404, "not_found").await;
    }
    let public: Value = app.get(&format!("/orgs/{org_a}"), None).await.json().await.expect("json");
    assert_eq!(public["name"], "上海建工第4工程有限公司");

    let no_header = app
        .client
        .patch(app.api(&format!("/orgs/{org_a}")))
        .bearer_auth(&a.access_token)
        .json(&json!({}))
        .send()
        .await
        .expect("send");
    assert_error(no_header, 400, "validation_failed").await;
    let bad = with_org(
        &app,
        reqwest::Method::PATCH,
        &format!("/orgs/{org_a}"),
        &a.access_token,
        &org_a,
        Some(json!({"region_code": "000000"})),
    )
    .await;
    assert_error(bad, 422, "validation_failed").await;
}

#[tokio::test]
async fn invitations_are_accepted_only_by_their_invitee() {
    let app = spawn_app().await;
    let owner = app.register("inviter@example.com").await;
    let invitee = app.register("invitee@example.com").await;
    let stranger = app.register("stranger@example.com").await;
    let org = create_org(&app, &owner.access_token, 6).await;

    let invite = |login: &str, role: &str| json!({"login": login, "role": role});
    let resp = with_org(
        &app,
        reqwest::Method::POST,
        &format!("/orgs/{org}/invitations"),
        &owner.access_token,
        &org,
        Some(invite("invitee@example.com", "member")),
    )
    .await;
    assert_eq!(resp.status(), 201);
    let invitation: Value = resp.json().await.expect("json");
    let id = invitation["id"].as_str().expect("id").to_owned();
    let again = with_org(
        &app,
        reqwest::Method::POST,
        &format!("/orgs/{org}/invitations"),
        &owner.access_token,
        &org,
        Some(invite("invitee@example.com", "member")),
    )
    .await;
    assert_error(again, 409, "conflict").await;
    let as_owner = with_org(
        &app,
        reqwest::Method::POST,
        &format!("/orgs/{org}/invitations"),
        &owner.access_token,
        &org,
        Some(invite("stranger@example.com", "owner")),
    )
    .await;
    assert_error(as_owner, 422, "validation_failed").await;
    let nobody = with_org(
        &app,
        reqwest::Method::POST,
        &format!("/orgs/{org}/invitations"),
        &owner.access_token,
        &org,
        Some(invite("nobody@example.com", "member")),
    )
    .await;
    // Whether the contact has an account is not revealed (issue #13): the invitation waits.
    assert_eq!(nobody.status(), 201);

    let listed: Value =
        app.get("/me/invitations", Some(&invitee.access_token)).await.json().await.expect("json");
    assert_eq!(listed["items"][0]["org_name"], "上海建工第6工程有限公司");
    let stolen =
        app.post(&format!("/invitations/{id}/acceptance"), &json!({}), Some(&stranger.access_token)).await;
    assert_error(stolen, 404, "not_found").await;
    assert_eq!(app.count("memberships"), 1);

    let accepted =
        app.post(&format!("/invitations/{id}/acceptance"), &json!({}), Some(&invitee.access_token)).await;
    assert_eq!(accepted.status(), 200);
    let joined: Value = accepted.json().await.expect("json");
    assert_eq!(joined["my_role"], "member");
    let twice =
        app.post(&format!("/invitations/{id}/acceptance"), &json!({}), Some(&invitee.access_token)).await;
    assert_error(twice, 409, "conflict").await;

    let members: Value = with_org(
        &app,
        reqwest::Method::GET,
        &format!("/orgs/{org}/members"),
        &invitee.access_token,
        &org,
        None,
    )
    .await
    .json()
    .await
    .expect("json");
    let roles: Vec<&str> = members["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|m| m["role"].as_str().expect("role"))
        .collect();
    assert_eq!(roles, ["owner", "member"]);
    let member_edit = with_org(
        &app,
        reqwest::Method::PATCH,
        &format!("/orgs/{org}"),
        &invitee.access_token,
        &org,
        Some(json!({"name": "成员改名"})),
    )
    .await;
    assert_error(member_edit, 403, "forbidden").await;

    let resp = with_org(
        &app,
        reqwest::Method::POST,
        &format!("/orgs/{org}/invitations"),
        &owner.access_token,
        &org,
        Some(invite("stranger@example.com", "admin")),
    )
    .await;
    let declined_id = resp.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    assert_eq!(
        app.post(
            &format!("/invitations/{declined_id}/declination"),
            &json!({}),
            Some(&stranger.access_token)
        )
        .await
        .status(),
        204
    );
    assert_eq!(app.count("memberships"), 2);
}

#[tokio::test]
async fn members_leave_admins_cannot_remove_owners_and_ownership_transfers() {
    let app = spawn_app().await;
    let owner = app.register("o@example.com").await;
    let admin = app.register("ad@example.com").await;
    let org = create_org(&app, &owner.access_token, 7).await;
    let resp = with_org(
        &app,
        reqwest::Method::POST,
        &format!("/orgs/{org}/invitations"),
        &owner.access_token,
        &org,
        Some(json!({"login": "ad@example.com", "role": "admin"})),
    )
    .await;
    let id = resp.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    app.post(&format!("/invitations/{id}/acceptance"), &json!({}), Some(&admin.access_token)).await;
    let (owner_id, admin_id) = (owner.user.id.clone(), admin.user.id.clone());

    let resp = with_org(
        &app,
        reqwest::Method::DELETE,
        &format!("/orgs/{org}/members/{owner_id}"),
        &admin.access_token,
        &org,
        None,
    )
    .await;
    assert_error(resp, 403, "forbidden").await;
    let resp = with_org(
        &app,
        reqwest::Method::DELETE,
        &format!("/orgs/{org}/members/{owner_id}"),
        &owner.access_token,
        &org,
        None,
    )
    .await;
    assert_error(resp, 409, "conflict").await;

    let resp = with_org(
        &app,
        reqwest::Method::POST,
        &format!("/orgs/{org}/ownership-transfer"),
        &admin.access_token,
        &org,
        Some(json!({"user_id": owner_id})),
    )
    .await;
    assert_error(resp, 403, "forbidden").await;
    let resp = with_org(
        &app,
        reqwest::Method::POST,
        &format!("/orgs/{org}/ownership-transfer"),
        &owner.access_token,
        &org,
        Some(json!({"user_id": admin_id})),
    )
    .await;
    assert_eq!(resp.status(), 200);
    let members: Value = resp.json().await.expect("json");
    assert_eq!(members["items"][0]["user_id"], admin_id.as_str());
    assert_eq!(members["items"][0]["role"], "owner");

    let resp = with_org(
        &app,
        reqwest::Method::DELETE,
        &format!("/orgs/{org}/members/{owner_id}"),
        &owner.access_token,
        &org,
        None,
    )
    .await;
    assert_eq!(resp.status(), 204, "the former owner, now admin, may leave");
    assert_eq!(app.count("memberships"), 1);
}

#[tokio::test]
async fn the_directory_lists_verified_organisations_in_pages() {
    let app = spawn_app().await;
    let owner = app.register("dir@example.com").await;
    let mut ids = Vec::new();
    for n in 10..13 {
        ids.push(create_org(&app, &owner.access_token, n).await);
    }
    let empty: Value = app.get("/orgs", None).await.json().await.expect("json");
    assert_eq!(empty["items"], json!([]));
    {
        use api::db::schema::organisations::dsl::*;
        use diesel::prelude::*;
        let mut conn = app.db.get().expect("conn");
        diesel::update(organisations.filter(id.ne(&ids[1])))
            .set(verification_status.eq("verified"))
            .execute(&mut *conn)
            .expect("verify");
    }
    let first: Value = app.get("/orgs?limit=1", None).await.json().await.expect("json");
    assert_eq!(first["items"][0]["id"], ids[0].as_str());
    let cursor = first["next_cursor"].as_str().expect("more");
    let second: Value =
        app.get(&format!("/orgs?limit=1&cursor={cursor}"), None).await.json().await.expect("json");
    assert_eq!(second["items"][0]["id"], ids[2].as_str());
    assert!(second.get("next_cursor").is_none());
    assert_error(app.get("/orgs?limit=500", None).await, 400, "validation_failed").await;
}

#[tokio::test]
async fn demo_data_fills_the_directory_and_its_people_sign_in() {
    let app = spawn_app().await;
    let password = api::ops::demo::load(&app.db, &app.config).expect("demo loads");
    let directory: Value = app.get("/orgs?limit=100", None).await.json().await.expect("json");
    let names: Vec<&str> = directory["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|o| o["short_name"].as_str().expect("name"))
        .collect();
    assert_eq!(names.len(), 100, "the demo market fills more than a page");
    assert!(names.contains(&"中建华东") && names.contains(&"建材金服"));
    let session = app.login("13800138001", &password).await;
    let mine: Value = app.get("/me/orgs", session["access_token"].as_str()).await.json().await.expect("json");
    assert_eq!(mine["items"][0]["profile"]["short_name"], "中建华东");
    assert_eq!(mine["items"][0]["my_role"], "owner");
    assert!(api::ops::demo::load(&app.db, &app.config).is_err(), "loading twice changes nothing");
    assert_eq!(app.count("organisations") as usize, api::ops::demo::DEMO_ORGANISATIONS.len() + 120);
    assert_eq!((app.count("projects"), app.count("resources"), app.count("demands")), (300, 300, 203));
    // Demo tendering: one tender in bidding, one contract awaiting the supplier's signature,
    // one in force — made through the same rules as the API, so they verify.
    let contractor = mine["items"][0]["profile"]["id"].as_str().expect("org id").to_owned();
    let token = session["access_token"].as_str().expect("token").to_owned();
    let contracts: Vec<shared::dto::ContractView> = app
        .as_(&token)
        .org(&contractor)
        .get(&format!("/orgs/{contractor}/contracts"))
        .await
        .expect("contracts");
    let states: Vec<(shared::dto::ContractState, usize)> =
        contracts.iter().map(|c| (c.status, c.signatures.len())).collect();
    assert!(states.contains(&(shared::dto::ContractState::Signing, 1)), "{states:?}");
    assert!(states.contains(&(shared::dto::ContractState::Effective, 2)), "{states:?}");
    for contract in &contracts {
        let path = format!("/contracts/{}/verification", contract.id);
        let report: shared::dto::ContractVerification =
            app.as_(&token).org(&contractor).get(&path).await.expect("verify");
        assert!(report.valid, "{report:?}");
    }
    assert_eq!(app.count("tenders"), 3);
    assert!(app.count("demand_invitations") > 200, "published demo demands invited their matches");
    // The demo community: the cost-engineer group's owner sees its posts, events and board.
    let owner = app.login("13600136007", &password).await;
    let owner = owner["access_token"].as_str().expect("token");
    let groups: Value = app.get("/groups?mine=true", Some(owner)).await.json().await.expect("json");
    let group =
        groups["items"].as_array().expect("items").iter().find(|g| g["name"] == "二级造价师实战交流群(上海)");
    let group = group.expect("the cost group")["id"].as_str().expect("id").to_owned();
    let posts: Value =
        app.get(&format!("/groups/{group}/posts"), Some(owner)).await.json().await.expect("json");
    assert!(posts["items"].as_array().is_some_and(|p| p.len() >= 4));
    let events: Value =
        app.get(&format!("/groups/{group}/events"), Some(owner)).await.json().await.expect("json");
    assert_eq!(events["items"][0]["confirmed_count"], 5);
    let expert = app.login("13600136006", &password).await;
    let points: Value =
        app.get("/me/points", expert["access_token"].as_str()).await.json().await.expect("json");
    assert_eq!(points["balance"], 35, "the expert's accepted answer and hosted session");
}

#[tokio::test]
async fn organisations_see_and_withdraw_the_invitations_they_sent() {
    let app = spawn_app().await;
    let owner = app.register("sender@example.com").await;
    let invitee = app.register("maybe@example.com").await;
    let outsider = app.register("outsider@example.com").await;
    let org = create_org(&app, &owner.access_token, 20).await;
    let sent = with_org(
        &app,
        reqwest::Method::POST,
        &format!("/orgs/{org}/invitations"),
        &owner.access_token,
        &org,
        Some(json!({"login": "maybe@example.com", "role": "member"})),
    )
    .await;
    let id = sent.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();

    let listed: Value = with_org(
        &app,
        reqwest::Method::GET,
        &format!("/orgs/{org}/invitations"),
        &owner.access_token,
        &org,
        None,
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(listed["items"][0]["id"], id.as_str());
    let foreign = with_org(
        &app,
        reqwest::Method::GET,
        &format!("/orgs/{org}/invitations"),
        &outsider.access_token,
        &org,
        None,
    )
    .await;
    assert_error(foreign, 404, "not_found").await;

    let withdrawn = with_org(
        &app,
        reqwest::Method::DELETE,
        &format!("/orgs/{org}/invitations/{id}"),
        &owner.access_token,
        &org,
        None,
    )
    .await;
    assert_eq!(withdrawn.status(), 204);
    let mine: Value =
        app.get("/me/invitations", Some(&invitee.access_token)).await.json().await.expect("json");
    assert_eq!(mine["items"], json!([]));
    let late =
        app.post(&format!("/invitations/{id}/acceptance"), &json!({}), Some(&invitee.access_token)).await;
    assert_error(late, 409, "conflict").await;
    let again = with_org(
        &app,
        reqwest::Method::DELETE,
        &format!("/orgs/{org}/invitations/{id}"),
        &owner.access_token,
        &org,
        None,
    )
    .await;
    assert_error(again, 409, "conflict").await;
    assert_eq!(app.count("memberships"), 1);
}
