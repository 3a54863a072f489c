//! Search (issue #6) across projects, listings and organisations: Chinese words, an
//! organisation's short name, region / amount / kind / tag / status filters, a radius around a
//! point, sorting, and cursor pages that concatenate and stay stable under inserts.
//!
//! The suite runs on SQLite and on PostgreSQL; ranking is computed by the server, so every
//! assertion here names exact hits in exact order and must hold on both engines alike.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

/// Percent-encodes a query value.
fn enc(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.,".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

struct Corpus {
    builder: OrgAccount,
    supplier: OrgAccount,
    /// Published projects by name.
    projects: Vec<(String, String)>,
    /// Listings by name.
    listings: Vec<(String, String)>,
}

impl Corpus {
    fn project(&self, name: &str) -> String {
        self.projects.iter().find(|(n, _)| n == name).map(|(_, id)| id.clone()).expect("project")
    }

    fn listing(&self, name: &str) -> String {
        self.listings.iter().find(|(n, _)| n == name).map(|(_, id)| id.clone()).expect("listing")
    }
}

async fn add_project(app: &TestApp, org: &OrgAccount, body: &Value) -> String {
    let created =
        json_of(app.as_org(Method::POST, "/projects", &org.token, &org.id, Some(body)).await, 201).await;
    let id = created["id"].as_str().expect("id").to_owned();
    let path = format!("/projects/{id}/publication");
    json_of(app.as_org(Method::POST, &path, &org.token, &org.id, None).await, 200).await;
    id
}

fn project(name: &str, kind: &str, fen: i64, region: &str, at: (f64, f64), tags: &[&str]) -> Value {
    json!({
        "name": name, "project_type": kind, "investment_fen": fen, "region_code": region,
        "latitude": at.0, "longitude": at.1, "tags": tags, "description": format!("{name}，公开招标。")
    })
}

/// Four published projects, a draft, two listings, two verified organisations and one
/// unverified.
async fn corpus(app: &TestApp) -> Corpus {
    let reviewer = app.staff_member("reviewer@gongzhu.test", &["reviewer"]).await;
    let builder = app
        .verified_org(
            "builder@example.com",
            OrgSpec::new("浙江交工路桥建设集团有限公司")
                .short("浙交工")
                .offering(&["municipal_roads"])
                .serving(&["330000"]),
            &reviewer,
        )
        .await;
    let supplier = app
        .verified_org(
            "supplier@example.com",
            OrgSpec::new("江苏华建材料贸易有限公司")
                .roles(&["supplier"])
                .registered_in("320505")
                .offering(&["steel", "cement"]),
            &reviewer,
        )
        .await;
    app.org_account("pending@example.com", OrgSpec::new("待认证市政道路工程有限公司")).await;

    let mut projects = Vec::new();
    for (org, body) in [
        (
            &builder,
            project(
                "某市市政道路改造工程",
                "municipal",
                12_000_000_000,
                "330106",
                (30.2592, 120.13),
                &["EPC", "政府投资"],
            ),
        ),
        (
            &builder,
            project(
                "滨江区安置房建设项目",
                "housing",
                80_000_000_000,
                "330108",
                (30.2084, 120.2119),
                &["安置房"],
            ),
        ),
        (
            &supplier,
            project(
                "苏州高新区综合管廊工程",
                "municipal",
                30_000_000_000,
                "320505",
                (31.2960, 120.5660),
                &["EPC"],
            ),
        ),
        (
            &supplier,
            project(
                "天河区市政道路养护工程",
                "municipal",
                5_000_000_000,
                "440106",
                (23.1246, 113.3612),
                &["养护"],
            ),
        ),
    ] {
        let id = add_project(app, org, &body).await;
        projects.push((body["name"].as_str().expect("name").to_owned(), id));
    }
    let draft = project("市政道路草稿工程", "municipal", 1, "330106", (30.25, 120.15), &["EPC"]);
    json_of(app.as_org(Method::POST, "/projects", &builder.token, &builder.id, Some(&draft)).await, 201)
        .await;

    let mut listings = Vec::new();
    for body in [
        json!({"kind": "material", "category": "steel", "name": "HRB400E 螺纹钢", "unit_price_fen": 420_000, "unit": "吨",
               "regions_served": ["320000"], "lead_time_days": 3, "tags": ["现货"]}),
        json!({"kind": "material", "category": "cement", "name": "P.O 42.5 普通硅酸盐水泥", "unit_price_fen": 45_000, "unit": "吨",
               "regions_served": ["330000"], "lead_time_days": 2}),
    ] {
        let created = json_of(
            app.as_org(Method::POST, "/resources", &supplier.token, &supplier.id, Some(&body)).await,
            201,
        )
        .await;
        listings.push((
            body["name"].as_str().expect("name").to_owned(),
            created["id"].as_str().expect("id").to_owned(),
        ));
    }
    Corpus { builder, supplier, projects, listings }
}

async fn search(app: &TestApp, query: &str) -> Value {
    json_of(app.get(&format!("/search?{query}"), None).await, 200).await
}

fn titles(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|h| h["title"].as_str().expect("title").to_owned())
        .collect()
}

#[tokio::test]
async fn chinese_words_find_projects_and_short_names_find_organisations() {
    let app = spawn_app().await;
    let corpus = corpus(&app).await;

    let roads = search(&app, &format!("q={}", enc("市政道路"))).await;
    assert!(!roads["terms"].as_array().expect("terms").is_empty());
    let found: std::collections::BTreeSet<String> = titles(&roads).into_iter().collect();
    let expected =
        ["某市市政道路改造工程", "天河区市政道路养护工程", "浙江交工路桥建设集团有限公司（浙交工）"];
    assert_eq!(
        found,
        expected.map(str::to_owned).into(),
        "two projects and the organisation offering 市政道路工程; drafts and unverified organisations stay out"
    );
    assert_eq!(roads["total"], 3);
    let projects_only = search(&app, &format!("q={}&kind=project", enc("市政道路"))).await;
    assert_eq!(projects_only["total"], 2);
    let hit = roads["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|h| h["title"] == "某市市政道路改造工程")
        .expect("hit")
        .clone();
    assert_eq!(hit["kind"], "project");
    assert_eq!(hit["id"], corpus.project("某市市政道路改造工程").as_str());
    assert_eq!(hit["region_code"], "330106");
    assert_eq!(hit["region_name"], "浙江省 杭州市 西湖区");
    assert_eq!(hit["amount_fen"], 12_000_000_000_i64);
    assert_eq!(hit["subtype"], "municipal");
    assert_eq!(hit["status"], "published");
    assert_eq!(hit["org_name"], "浙江交工路桥建设集团有限公司");
    assert_eq!(hit["tags"], json!(["EPC", "政府投资"]));
    assert_eq!(hit["matched_terms"], roads["terms"]);
    assert!(hit["score"].as_f64().expect("score") > 0.0);
    assert!(hit["snippet"].as_str().expect("snippet").starts_with("某市市政道路改造工程"));

    let short = search(&app, &format!("q={}", enc("浙交工"))).await;
    assert_eq!(ids(&short), vec![corpus.builder.id.clone()], "{short}");
    assert_eq!(short["items"][0]["kind"], "organisation");
    assert_eq!(short["items"][0]["title"], "浙江交工路桥建设集团有限公司（浙交工）");

    let steel = search(&app, &format!("q={}", enc("螺纹钢"))).await;
    assert_eq!(ids(&steel), vec![corpus.listing("HRB400E 螺纹钢")]);
    assert_eq!(steel["items"][0]["org_name"], "江苏华建材料贸易有限公司");
    let latin = search(&app, "q=hrb400e").await;
    assert_eq!(ids(&latin), vec![corpus.listing("HRB400E 螺纹钢")], "latin words are case-insensitive");
    assert_eq!(search(&app, &format!("q={}", enc("太空电梯"))).await["total"], 0);
}

#[tokio::test]
async fn filters_narrow_by_kind_region_amount_tags_status_and_radius() {
    let app = spawn_app().await;
    let corpus = corpus(&app).await;

    let everything = search(&app, "limit=100").await;
    assert_eq!(everything["total"], 8, "4 projects, 2 listings, 2 verified organisations: {everything}");
    let kinds = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|h| h["kind"].as_str().expect("kind").to_owned())
            .collect()
    };
    assert!(kinds(&search(&app, "kind=resource").await).iter().all(|k| k == "resource"));
    assert_eq!(
        titles(&search(&app, "kind=organisation&sort=newest").await),
        ["江苏华建材料贸易有限公司", "浙江交工路桥建设集团有限公司（浙交工）"]
    );
    assert_eq!(titles(&search(&app, "kind=project&type=housing").await), ["滨江区安置房建设项目"]);
    assert_eq!(titles(&search(&app, "kind=organisation&type=supplier").await), ["江苏华建材料贸易有限公司"]);
    assert_eq!(
        titles(&search(&app, "category=steel&sort=newest").await),
        ["HRB400E 螺纹钢", "江苏华建材料贸易有限公司"],
        "a listing of the category and an organisation offering it"
    );

    // A province covers its districts; a listing serving Jiangsu is found in Suzhou.
    let zhejiang = search(&app, "kind=project&region=330000&sort=amount_asc").await;
    assert_eq!(titles(&zhejiang), ["某市市政道路改造工程", "滨江区安置房建设项目"]);
    let suzhou = search(&app, "kind=resource&region=320505").await;
    assert_eq!(titles(&suzhou), ["HRB400E 螺纹钢"]);
    let err = assert_error(app.get("/search?region=999999", None).await, 422, "validation_failed").await;
    assert!(has_issue(&err, "region", "unknown_region"), "{err:?}");

    let amounts =
        search(&app, "kind=project&min_amount=10000000000&max_amount=30000000000&sort=amount_asc").await;
    assert_eq!(titles(&amounts), ["某市市政道路改造工程", "苏州高新区综合管廊工程"], "bounds are inclusive");
    let err =
        assert_error(app.get("/search?min_amount=10&max_amount=5", None).await, 422, "validation_failed")
            .await;
    assert!(has_issue(&err, "max_amount", "below_minimum"), "{err:?}");
    assert_error(app.get("/search?min_amount=-1", None).await, 400, "validation_failed").await;

    assert_eq!(
        titles(&search(&app, "tags=EPC&sort=amount_asc").await),
        ["某市市政道路改造工程", "苏州高新区综合管廊工程"]
    );
    assert_eq!(
        titles(&search(&app, &format!("tags=EPC,{}", enc("政府投资"))).await),
        ["某市市政道路改造工程"]
    );

    // Within 20 km of West Lake: the two Hangzhou projects, with their distances.
    let near = search(&app, "kind=project&lat=30.25&lng=120.15&radius_km=20&sort=distance").await;
    assert_eq!(titles(&near), ["某市市政道路改造工程", "滨江区安置房建设项目"]);
    let first_km = near["items"][0]["distance_km"].as_f64().expect("distance");
    let second_km = near["items"][1]["distance_km"].as_f64().expect("distance");
    assert!(first_km < 3.0 && second_km > first_km && second_km < 20.0, "{near}");
    let by_distance = search(&app, "kind=project&lat=30.25&lng=120.15&sort=distance").await;
    assert_eq!(
        titles(&by_distance),
        ["某市市政道路改造工程", "滨江区安置房建设项目", "苏州高新区综合管廊工程", "天河区市政道路养护工程"]
    );
    for query in ["sort=distance", "radius_km=10", "lng=120.15&sort=distance"] {
        let err =
            assert_error(app.get(&format!("/search?{query}"), None).await, 422, "validation_failed").await;
        assert!(has_issue(&err, "lat", "required"), "{query}: {err:?}");
    }
    assert_error(app.get("/search?lat=91&lng=120&sort=distance", None).await, 400, "validation_failed").await;

    let ascending = search(&app, "kind=project&sort=amount_asc").await;
    assert_eq!(
        titles(&ascending),
        ["天河区市政道路养护工程", "某市市政道路改造工程", "苏州高新区综合管廊工程", "滨江区安置房建设项目"]
    );
    let descending = search(&app, "kind=project&sort=amount_desc").await;
    let mut reversed = titles(&ascending);
    reversed.reverse();
    assert_eq!(titles(&descending), reversed);
    assert_error(app.get("/search?sort=cheapest", None).await, 400, "validation_failed").await;
    assert_error(app.get("/search?kind=person", None).await, 400, "validation_failed").await;

    // Closing a project keeps it searchable under its new status.
    let closed = corpus.project("天河区市政道路养护工程");
    let path = format!("/projects/{closed}/closure");
    json_of(app.as_org(Method::POST, &path, &corpus.supplier.token, &corpus.supplier.id, None).await, 200)
        .await;
    assert_eq!(ids(&search(&app, "status=closed").await), vec![closed]);
    assert_eq!(search(&app, "kind=project&status=published").await["total"], 3);
}

#[tokio::test]
async fn cursor_pages_concatenate_and_stay_stable_while_documents_are_added() {
    let app = spawn_app().await;
    let corpus = corpus(&app).await;

    // Relevance with query text: pages of one, walked while better and worse matches arrive.
    let query = format!("q={}&limit=1", enc("工程"));
    let before = ids(&search(&app, &format!("q={}&limit=100", enc("工程"))).await);
    assert!(before.len() >= 3, "{before:?}");
    let first = search(&app, &query).await;
    assert_eq!(ids(&first), before[..1].to_vec());
    let mut inserted = Vec::new();
    for (name, fen) in [("西湖区工程工程工程", 1_i64), ("上城区道路管网改造工程及附属工程", 1)]
    {
        let body = project(name, "municipal", fen, "330102", (30.24, 120.17), &[]);
        inserted.push(add_project(&app, &corpus.builder, &body).await);
    }
    let mut paged = ids(&first);
    paged.extend(app.walk_pages(&format!("/search?{query}"), &first, Caller::Anonymous).await);
    assert_pages_stable(&before, &paged, &inserted);

    // Newest first without query text: newer documents never appear on later pages.
    let before = ids(&search(&app, "sort=newest&limit=100").await);
    let first = search(&app, "sort=newest&limit=3").await;
    let late = add_project(
        &app,
        &corpus.builder,
        &project("拱墅区运河步道工程", "municipal", 3, "330105", (30.32, 120.14), &[]),
    )
    .await;
    let mut paged = ids(&first);
    paged.extend(app.walk_pages("/search?sort=newest&limit=3", &first, Caller::Anonymous).await);
    assert_eq!(paged, before, "no duplicates, no skips, nothing newer: {late}");

    // Amount order: the first page ends between two projects of 1 fen; another one of 1 fen
    // arrives; the pages neither repeat nor skip.
    let before = ids(&search(&app, "kind=project&sort=amount_asc&limit=100").await);
    let first = search(&app, "kind=project&sort=amount_asc&limit=1").await;
    let cheap = add_project(
        &app,
        &corpus.builder,
        &project("一分钱试点工程", "other", 1, "330106", (30.26, 120.12), &[]),
    )
    .await;
    let mut paged = ids(&first);
    paged.extend(
        app.walk_pages("/search?kind=project&sort=amount_asc&limit=1", &first, Caller::Anonymous).await,
    );
    assert_pages_stable(&before, &paged, &[cheap]);

    // A cursor is opaque: garbage, or one from a query with other words, is refused.
    let garbage = ["not-a-cursor", "e30", "%E4%B8%AD"];
    for cursor in garbage {
        let err =
            assert_error(app.get(&format!("/search?cursor={cursor}"), None).await, 422, "validation_failed")
                .await;
        assert!(has_issue(&err, "cursor", "invalid"), "{cursor}: {err:?}");
    }
    let two_words = search(&app, &format!("q={}&limit=1", enc("市政道路 工程"))).await;
    let cursor = two_words["next_cursor"].as_str().expect("more than one hit");
    let err = assert_error(
        app.get(&format!("/search?q=hrb400e&cursor={cursor}"), None).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(has_issue(&err, "cursor", "invalid"), "{err:?}");
    assert_error(app.get("/search?limit=0", None).await, 400, "validation_failed").await;
    assert_error(app.get("/search?limit=101", None).await, 400, "validation_failed").await;
}

#[tokio::test]
async fn changes_reach_search_at_once() {
    let app = spawn_app().await;
    let corpus = corpus(&app).await;
    let id = corpus.project("滨江区安置房建设项目");
    let path = format!("/projects/{id}");
    let patch = json!({"name": "滨江区人才公寓建设项目", "tags": ["人才公寓"], "description": "面向高层次人才的租赁住房。"});
    json_of(
        app.as_org(Method::PATCH, &path, &corpus.builder.token, &corpus.builder.id, Some(&patch)).await,
        200,
    )
    .await;
    assert_eq!(ids(&search(&app, &format!("q={}", enc("人才公寓"))).await), vec![id.clone()]);
    assert_eq!(search(&app, &format!("q={}", enc("安置房"))).await["total"], 0, "the old name is gone");
    assert_eq!(ids(&search(&app, &format!("tags={}", enc("人才公寓"))).await), vec![id]);

    // Renaming an organisation renames its hits and its projects' owner name.
    let org_path = format!("/orgs/{}", corpus.builder.id);
    let rename = json!({"short_name": "浙江交投"});
    json_of(
        app.as_org(Method::PATCH, &org_path, &corpus.builder.token, &corpus.builder.id, Some(&rename)).await,
        200,
    )
    .await;
    assert_eq!(ids(&search(&app, &format!("q={}", enc("浙江交投"))).await), vec![corpus.builder.id.clone()]);
    assert_eq!(search(&app, &format!("q={}", enc("浙交工"))).await["total"], 0);

    let listing = corpus.listing("HRB400E 螺纹钢");
    let withdrawn = app
        .as_org(
            Method::DELETE,
            &format!("/resources/{listing}"),
            &corpus.supplier.token,
            &corpus.supplier.id,
            None,
        )
        .await;
    assert_eq!(withdrawn.status(), 204);
    assert_eq!(search(&app, &format!("q={}", enc("螺纹钢"))).await["total"], 0);
}

/// Organisations have no amount and listings no location: their sort key is "last". Walking
/// the pages one hit at a time must still reach every hit, in the order of one big page.
#[tokio::test]
async fn pages_walk_past_hits_without_an_amount_or_a_location() {
    let app = spawn_app().await;
    corpus(&app).await;
    let mut refused = Vec::new();
    for query in ["sort=amount_asc", "sort=amount_desc", "lat=30.25&lng=120.15&sort=distance"] {
        let everything = ids(&search(&app, &format!("{query}&limit=100")).await);
        assert_eq!(everything.len(), 8, "{query}");
        let first = search(&app, &format!("{query}&limit=1")).await;
        let mut paged = ids(&first);
        let mut cursor = first["next_cursor"].as_str().map(str::to_owned);
        while let Some(c) = cursor {
            let resp = app.get(&format!("/search?{query}&limit=1&cursor={c}"), None).await;
            if resp.status() != 200 {
                use base64::Engine as _;
                let body = resp.text().await.expect("body");
                let decoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(&c).unwrap_or_default();
                refused.push(format!(
                    "{query}: page {} refused the cursor page {} returned ({}): {body}",
                    paged.len() + 1,
                    paged.len(),
                    String::from_utf8_lossy(&decoded)
                ));
                break;
            }
            let page: Value = resp.json().await.expect("json");
            paged.extend(ids(&page));
            cursor = page["next_cursor"].as_str().map(str::to_owned);
        }
        if refused.is_empty() {
            assert_eq!(paged, everything, "{query}");
        }
    }
    assert!(refused.is_empty(), "{refused:#?}");
}

/// Another server process sharing the database changes a project (simulated here by writing
/// the row directly, which this server's handlers never see): the periodic catalogue refresh
/// brings the change into this server's index.
#[tokio::test]
async fn changes_made_by_another_process_reach_the_index_on_the_next_refresh() {
    let app = spawn_with(Spawn { catalogue_refresh_secs: Some(1), ..Spawn::default() }).await;
    let reviewer = app.staff_member("reviewer@gongzhu.test", &["reviewer"]).await;
    let org = app
        .verified_org(
            "builder@example.com",
            OrgSpec::new("浙江交工路桥建设集团有限公司").offering(&["municipal_roads"]).serving(&["330000"]),
            &reviewer,
        )
        .await;
    let id = add_project(
        &app,
        &org,
        &project("某市市政道路改造工程", "municipal", 100_000_000, "330106", (30.2, 120.1), &[]),
    )
    .await;
    let before = search(&app, &format!("q={}", enc("隧道"))).await;
    assert_eq!(before["total"], 0, "{before}");
    let now = chrono::Utc::now().naive_utc().format("%Y-%m-%d %H:%M:%S%.6f");
    app.sql(&format!(
        "UPDATE projects SET name = '某市隧道贯通工程', updated_at = '{now}' WHERE id = '{id}'"
    ));
    let mut found = Value::Null;
    for _ in 0..40 {
        found = search(&app, &format!("q={}", enc("隧道"))).await;
        if found["total"] == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(titles(&found), vec!["某市隧道贯通工程"], "the refresh re-read the changed row");
    let old_name = search(&app, &format!("q={}", enc("市政道路"))).await;
    assert!(!titles(&old_name).contains(&"某市市政道路改造工程".to_owned()), "{old_name}");
}
