//! The resource library (issue #6): listings created, changed and withdrawn (gone from the
//! public list, search and comparison, still seen by their organisation), checked fields,
//! verified-only listing, other organisations kept out, stable pages, and the comparison table
//! with rows aligned by parameter and the best value marked.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

fn listing_body(name: &str) -> Value {
    json!({
        "kind": "material",
        "category": "cement",
        "name": name,
        "description": "散装出厂，可提供质检报告。",
        "parameters": [{"name": "抗压强度", "value": "42.5", "unit": "MPa", "better": "higher"}],
        "unit_price_fen": 45_000,
        "unit": "吨",
        "stock": 1000,
        "regions_served": ["330000"],
        "lead_time_days": 3,
        "tags": ["散装"]
    })
}

async fn suppliers(app: &TestApp) -> (OrgAccount, OrgAccount) {
    let reviewer = app.staff_member("reviewer@gongzhu.test", &["reviewer"]).await;
    let spec =
        |name: &str| OrgSpec::new(name).roles(&["supplier"]).offering(&["cement"]).serving(&["330000"]);
    let a = app.verified_org("a@example.com", spec("浙江钱江水泥有限公司"), &reviewer).await;
    let b = app.verified_org("b@example.com", spec("安徽海螺建材销售有限公司"), &reviewer).await;
    (a, b)
}

async fn list(app: &TestApp, org: &OrgAccount, body: &Value) -> String {
    let created =
        json_of(app.as_org(Method::POST, "/resources", &org.token, &org.id, Some(body)).await, 201).await;
    created["id"].as_str().expect("id").to_owned()
}

#[tokio::test]
async fn a_listing_is_live_at_once_changes_and_leaves_everything_public_when_withdrawn() {
    let app = spawn_app().await;
    let (a, b) = suppliers(&app).await;
    let resp = app
        .as_org(Method::POST, "/resources", &a.token, &a.id, Some(&listing_body("P.O 42.5 普通硅酸盐水泥")))
        .await;
    let location = resp.headers()["location"].to_str().expect("ascii").to_owned();
    let created = json_of(resp, 201).await;
    let id = created["id"].as_str().expect("id").to_owned();
    assert_eq!(location, format!("/api/v1/resources/{id}"));
    assert_eq!(created["listed"], true);
    assert_eq!(created["category_name"], "水泥");
    assert_eq!(created["org_name"], "浙江钱江水泥有限公司");
    assert_eq!(
        created["parameters"][0],
        json!({"name": "抗压强度", "value": "42.5", "unit": "MPa", "better": "higher"})
    );
    let other = list(&app, &b, &listing_body("P.O 52.5 高标号水泥")).await;

    let path = format!("/resources/{id}");
    assert_eq!(json_of(app.get(&path, None).await, 200).await, created);
    assert_eq!(ids(&json_of(app.get("/resources", None).await, 200).await), vec![other.clone(), id.clone()]);
    let hits =
        json_of(app.get("/search?q=%E7%A1%85%E9%85%B8%E7%9B%90%E6%B0%B4%E6%B3%A5", None).await, 200).await;
    assert_eq!(ids(&hits), vec![id.clone()], "{hits}");

    let changed = json_of(
        app.as_org(
            Method::PATCH,
            &path,
            &a.token,
            &a.id,
            Some(&json!({"unit_price_fen": 43_000, "lead_time_days": 2})),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(changed["unit_price_fen"], 43_000);
    assert_eq!(changed["lead_time_days"], 2);
    assert_eq!(changed["name"], "P.O 42.5 普通硅酸盐水泥");
    let hits = json_of(app.get("/search?kind=resource&max_amount=44000", None).await, 200).await;
    assert_eq!(ids(&hits), vec![id.clone()], "the new price is searchable: {hits}");

    let withdrawn = app.as_org(Method::DELETE, &path, &a.token, &a.id, None).await;
    assert_eq!(withdrawn.status(), 204);
    assert_error(app.get(&path, None).await, 404, "not_found").await;
    assert_error(app.get_as(&path, Caller::ForOrg(&b.token, &b.id)).await, 404, "not_found").await;
    let own_view = json_of(app.get_as(&path, Caller::ForOrg(&a.token, &a.id)).await, 200).await;
    assert_eq!(own_view["listed"], false);
    assert_eq!(ids(&json_of(app.get("/resources", None).await, 200).await), vec![other.clone()]);
    let hits = json_of(app.get("/search?kind=resource", None).await, 200).await;
    assert_eq!(ids(&hits), vec![other.clone()], "withdrawn listings leave search: {hits}");
    let err = assert_error(
        app.get(&format!("/resources/comparison?ids={id},{other}"), None).await,
        404,
        "not_found",
    )
    .await;
    assert!(has_issue(&err, "ids[0]", "not_found"), "{err:?}");
    let own =
        json_of(app.get_as(&format!("/orgs/{}/resources", a.id), Caller::ForOrg(&a.token, &a.id)).await, 200)
            .await;
    assert_eq!(ids(&own), vec![id.clone()]);
    assert_eq!(own["items"][0]["listed"], false);
    let patch = json!({"unit_price_fen": 1});
    assert_error(app.as_org(Method::PATCH, &path, &a.token, &a.id, Some(&patch)).await, 409, "conflict")
        .await;
}

#[tokio::test]
async fn other_organisations_cannot_change_withdraw_or_list_someone_elses_listings() {
    let app = spawn_app().await;
    let (a, b) = suppliers(&app).await;
    let id = list(&app, &a, &listing_body("P.O 42.5 普通硅酸盐水泥")).await;
    let path = format!("/resources/{id}");
    let before = json_of(app.get(&path, None).await, 200).await;
    for header in [&b.id, &a.id] {
        let patch = json!({"unit_price_fen": 1});
        assert_error(
            app.as_org(Method::PATCH, &path, &b.token, header, Some(&patch)).await,
            404,
            "not_found",
        )
        .await;
        assert_error(app.as_org(Method::DELETE, &path, &b.token, header, None).await, 404, "not_found").await;
        let own = format!("/orgs/{}/resources", a.id);
        assert_error(app.get_as(&own, Caller::ForOrg(&b.token, header)).await, 404, "not_found").await;
    }
    assert_eq!(json_of(app.get(&path, None).await, 200).await, before);
    assert_error(app.client.delete(app.api(&path)).send().await.expect("send"), 401, "unauthenticated").await;
    let unknown = format!("/resources/{}", uuid::Uuid::now_v7());
    assert_error(app.get(&unknown, None).await, 404, "not_found").await;
    assert_error(app.as_org(Method::DELETE, &unknown, &a.token, &a.id, None).await, 404, "not_found").await;
    let patch = json!({"unit_price_fen": 1});
    assert_error(app.as_org(Method::PATCH, &unknown, &a.token, &a.id, Some(&patch)).await, 404, "not_found")
        .await;
}

#[tokio::test]
async fn only_verified_organisations_list_resources() {
    let app = spawn_app().await;
    let (a, _) = suppliers(&app).await;
    let pending =
        app.org_account("new@example.com", OrgSpec::new("新注册建材有限公司").roles(&["supplier"])).await;
    let body = listing_body("P.O 42.5 普通硅酸盐水泥");
    let err = assert_error(
        app.as_org(Method::POST, "/resources", &pending.token, &pending.id, Some(&body)).await,
        403,
        "forbidden",
    )
    .await;
    assert!(has_issue(&err, "X-Org-Id", "organisation_not_verified"), "{err:?}");
    assert_error(
        app.as_org(Method::POST, "/resources", &pending.token, &a.id, Some(&body)).await,
        404,
        "not_found",
    )
    .await;
    assert_error(app.post("/resources", &body, None).await, 401, "unauthenticated").await;
    assert_eq!(app.count("resources"), 0);
}

#[tokio::test]
async fn bad_listing_fields_are_named_and_change_nothing() {
    let app = spawn_app().await;
    let (a, _) = suppliers(&app).await;
    let mut bad = listing_body("泥");
    bad["unit_price_fen"] = json!(-5);
    bad["unit"] = json!("");
    bad["lead_time_days"] = json!(400);
    bad["regions_served"] = json!(["330000", "999999"]);
    bad["stock"] = json!(-1);
    bad["parameters"] = json!([
        {"name": "抗压强度", "value": "42.5"},
        {"name": "抗压强度", "value": "52.5"},
        {"name": "细度", "value": ""}
    ]);
    let err = assert_error(
        app.as_org(Method::POST, "/resources", &a.token, &a.id, Some(&bad)).await,
        422,
        "validation_failed",
    )
    .await;
    for (field, issue) in [
        ("name", "too_short"),
        ("unit_price_fen", "negative"),
        ("unit", "required"),
        ("lead_time_days", "out_of_range"),
        ("regions_served[1]", "unknown_region"),
        ("stock", "out_of_range"),
        ("parameters[1].name", "duplicate"),
        ("parameters[2].value", "required"),
    ] {
        assert!(has_issue(&err, field, issue), "{field}/{issue}: {err:?}");
    }
    let mut no_regions = listing_body("P.O 42.5 普通硅酸盐水泥");
    no_regions["regions_served"] = json!([]);
    no_regions["category"] = json!("moon_rock");
    let err = assert_error(
        app.as_org(Method::POST, "/resources", &a.token, &a.id, Some(&no_regions)).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(has_issue(&err, "category", "unknown_category"), "{err:?}");
    let mut no_regions = listing_body("P.O 42.5 普通硅酸盐水泥");
    no_regions["regions_served"] = json!([]);
    let err = assert_error(
        app.as_org(Method::POST, "/resources", &a.token, &a.id, Some(&no_regions)).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(has_issue(&err, "regions_served", "required"), "{err:?}");
    let mut bad_kind = listing_body("P.O 42.5 普通硅酸盐水泥");
    bad_kind["kind"] = json!("spaceship");
    assert_error(
        app.as_org(Method::POST, "/resources", &a.token, &a.id, Some(&bad_kind)).await,
        400,
        "validation_failed",
    )
    .await;
    let mut unknown = listing_body("P.O 42.5 普通硅酸盐水泥");
    unknown["listed"] = json!(false);
    assert_error(
        app.as_org(Method::POST, "/resources", &a.token, &a.id, Some(&unknown)).await,
        400,
        "validation_failed",
    )
    .await;
    assert_eq!(app.count("resources"), 0);

    let id = list(&app, &a, &listing_body("P.O 42.5 普通硅酸盐水泥")).await;
    let path = format!("/resources/{id}");
    let before = json_of(app.get(&path, None).await, 200).await;
    let patch = json!({"name": " ", "lead_time_days": -1, "tags": ["这是一个超过二十个字符长度的标签名称会被拒绝的"]});
    let err = assert_error(
        app.as_org(Method::PATCH, &path, &a.token, &a.id, Some(&patch)).await,
        422,
        "validation_failed",
    )
    .await;
    for (field, issue) in [("name", "required"), ("lead_time_days", "out_of_range"), ("tags[0]", "too_long")]
    {
        assert!(has_issue(&err, field, issue), "{field}/{issue}: {err:?}");
    }
    assert_eq!(json_of(app.get(&path, None).await, 200).await, before, "a refused PATCH changes nothing");
}

fn parameter(name: &str, value: &str, unit: &str, better: Option<&str>) -> Value {
    let mut p = json!({"name": name, "value": value, "unit": unit});
    if let Some(better) = better {
        p["better"] = json!(better);
    }
    p
}

#[tokio::test]
async fn a_comparison_aligns_parameters_by_name_and_marks_the_best_values() {
    let app = spawn_app().await;
    let (a, b) = suppliers(&app).await;
    let mut first = listing_body("钱江 P.O 42.5 水泥");
    first["unit_price_fen"] = json!(45_000);
    first["lead_time_days"] = json!(5);
    first["stock"] = json!(1000);
    first["parameters"] = json!([
        parameter("抗压强度", "42.5", "MPa", Some("higher")),
        parameter("细度", "3.5", "%", Some("lower"))
    ]);
    let mut second = listing_body("海螺 P.O 52.5 水泥");
    second["unit_price_fen"] = json!(42_000);
    second["lead_time_days"] = json!(7);
    second["stock"] = json!(500);
    second["parameters"] = json!([
        parameter("抗压强度", "52.5", "MPa", Some("higher")),
        parameter("初凝时间", "45", "min", None)
    ]);
    let mut third = listing_body("钱江 P.C 42.5 复合水泥");
    third["unit_price_fen"] = json!(48_000);
    third["lead_time_days"] = json!(2);
    third["stock"] = json!(2000);
    third["parameters"] =
        json!([parameter("细度", "2.8", "%", Some("lower")), parameter("抗压强度", "42.5", "MPa", None)]);
    let l1 = list(&app, &a, &first).await;
    let l2 = list(&app, &b, &second).await;
    let l3 = list(&app, &a, &third).await;

    let table = json_of(app.get(&format!("/resources/comparison?ids={l1},{l2},{l3}"), None).await, 200).await;
    let listed: Vec<&str> = table["listings"]
        .as_array()
        .expect("listings")
        .iter()
        .map(|l| l["id"].as_str().expect("id"))
        .collect();
    assert_eq!(listed, vec![l1.as_str(), l2.as_str(), l3.as_str()], "in the order asked");
    let rows = table["rows"].as_array().expect("rows");
    let labels: Vec<&str> = rows.iter().map(|r| r["label"].as_str().expect("label")).collect();
    assert_eq!(labels, vec!["供应商", "单价", "交货期", "库存", "供货区域", "抗压强度", "细度", "初凝时间"]);
    let row = |label: &str| rows.iter().find(|r| r["label"] == label).expect("row").clone();
    assert_eq!(
        row("供应商")["values"],
        json!(["浙江钱江水泥有限公司", "安徽海螺建材销售有限公司", "浙江钱江水泥有限公司"])
    );
    assert_eq!(row("单价")["values"], json!(["¥450.00/吨", "¥420.00/吨", "¥480.00/吨"]));
    assert_eq!(row("单价")["unit"], "元/吨");
    assert_eq!(row("单价")["best"], json!([1]), "lowest price");
    assert_eq!(row("交货期")["best"], json!([2]), "shortest lead time");
    assert_eq!(row("库存")["best"], json!([2]), "most stock");
    assert_eq!(row("供货区域")["best"], json!([]));
    assert_eq!(row("抗压强度")["values"], json!(["42.5", "52.5", "42.5"]));
    assert_eq!(row("抗压强度")["unit"], "MPa");
    assert_eq!(row("抗压强度")["best"], json!([1]), "higher is better");
    assert_eq!(row("细度")["values"], json!(["3.5", null, "2.8"]), "a missing parameter is a gap");
    assert_eq!(row("细度")["best"], json!([2]), "lower is better");
    assert_eq!(row("初凝时间")["values"], json!([null, "45", null]));
    assert_eq!(row("初凝时间")["best"], json!([]), "no direction, no best");

    // The best index follows the order asked for.
    let reversed = json_of(app.get(&format!("/resources/comparison?ids={l3},{l1}"), None).await, 200).await;
    let price = reversed["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["label"] == "单价")
        .expect("row")
        .clone();
    assert_eq!(price["best"], json!([1]));

    for ids in [l1.clone(), format!("{l1},{l1}"), format!("{l1}, ,{l1}")] {
        let err = assert_error(
            app.get(&format!("/resources/comparison?ids={ids}"), None).await,
            422,
            "validation_failed",
        )
        .await;
        assert!(has_issue(&err, "ids", "out_of_range"), "{ids}: {err:?}");
    }
    let six: Vec<String> =
        std::iter::once(l1.clone()).chain((0..5).map(|_| uuid::Uuid::now_v7().to_string())).collect();
    let err = assert_error(
        app.get(&format!("/resources/comparison?ids={}", six.join(",")), None).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(has_issue(&err, "ids", "out_of_range"), "{err:?}");
    let unknown = uuid::Uuid::now_v7();
    let err = assert_error(
        app.get(&format!("/resources/comparison?ids={l1},{unknown},{l2}"), None).await,
        404,
        "not_found",
    )
    .await;
    assert!(has_issue(&err, "ids[1]", "not_found"), "{err:?}");
    assert_error(app.get("/resources/comparison", None).await, 400, "validation_failed").await;
}

#[tokio::test]
async fn listing_pages_are_stable_while_listings_are_added_and_filters_apply() {
    let app = spawn_app().await;
    let (a, b) = suppliers(&app).await;
    for n in 0..5 {
        let mut body = listing_body(&format!("第{n}批 P.O 42.5 水泥"));
        if n == 4 {
            body["kind"] = json!("machinery_rental");
            body["category"] = json!("tower_cranes");
            body["unit"] = json!("台班");
        }
        list(&app, if n % 2 == 0 { &a } else { &b }, &body).await;
    }
    let before = ids(&json_of(app.get("/resources?limit=100", None).await, 200).await);
    assert_eq!(before.len(), 5);
    let first = json_of(app.get("/resources?limit=2", None).await, 200).await;
    let mut inserted = Vec::new();
    for n in 5..8 {
        inserted.push(list(&app, &b, &listing_body(&format!("第{n}批 P.O 42.5 水泥"))).await);
    }
    let mut paged = ids(&first);
    paged.extend(app.walk_pages("/resources?limit=2", &first, Caller::Anonymous).await);
    assert_pages_stable(&before, &paged, &inserted);
    assert_eq!(paged, before, "newer listings never show up on later pages");

    let cranes = json_of(app.get("/resources?kind=machinery_rental", None).await, 200).await;
    assert_eq!(ids(&cranes), vec![before[0].clone()]);
    let cement = json_of(app.get("/resources?category=cement&limit=100", None).await, 200).await;
    assert_eq!(cement["items"].as_array().expect("items").len(), 7);
    let of_a = json_of(app.get(&format!("/resources?org_id={}&limit=100", a.id), None).await, 200).await;
    assert_eq!(of_a["items"].as_array().expect("items").len(), 3);
    assert_error(app.get("/resources?kind=spaceship", None).await, 400, "validation_failed").await;
    assert_error(app.get("/resources?limit=0", None).await, 400, "validation_failed").await;
}
