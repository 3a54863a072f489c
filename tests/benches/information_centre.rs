//! Information-centre benchmark through HTTP (issue #6). Prints figures; asserts nothing.
//!
//! Seeds 100,000 organisations, projects and listings (`api::ops::seed`), starts the real server
//! in this process, and measures with 32 concurrent clients: search, list endpoints, and a poem
//! hello-world endpoint served by the same runtime (throughput is reported as a ratio of it);
//! then publishing demands one after another (matching over every candidate organisation).
//!
//! `cargo bench -p integration-tests --bench information_centre` runs on SQLite; with
//! `GONGZHU_BENCH_PG_URL=postgres://…/dbname` (an empty database) it runs on PostgreSQL.
//! `GONGZHU_BENCH_SCALE` (default 100000) sets the volume.

use std::sync::Arc;
use std::time::Instant;

use api::config::Config;
use diesel::prelude::*;
use serde_json::{Value, json};
use support::{Served, percentile};

#[path = "support/hello.rs"]
mod hello;
mod support;

const CLIENTS: usize = 32;
const REQUESTS_PER_CLIENT: usize = 40;
const PUBLICATIONS: usize = 100;

struct Figures {
    name: String,
    p50_ms: f64,
    p99_ms: f64,
    per_second: f64,
}

/// `CLIENTS` clients each send `REQUESTS_PER_CLIENT` GETs, cycling through `urls`.
async fn load(client: &reqwest::Client, name: &str, urls: Arc<Vec<String>>) -> Figures {
    load_with(client, name, urls, CLIENTS, REQUESTS_PER_CLIENT).await
}

/// `clients` clients each send `requests` GETs, cycling through `urls`.
async fn load_with(
    client: &reqwest::Client,
    name: &str,
    urls: Arc<Vec<String>>,
    clients: usize,
    requests: usize,
) -> Figures {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (client, urls) = (client.clone(), urls.clone());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::with_capacity(requests);
            for r in 0..requests {
                let url = &urls[(c * requests + r) % urls.len()];
                let t = Instant::now();
                let resp = client.get(url).send().await.expect("request");
                assert!(resp.status().is_success(), "{url}: {}", resp.status());
                resp.bytes().await.expect("body");
                times.push(t.elapsed());
            }
            times
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.expect("client"));
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort();
    Figures {
        name: name.into(),
        p50_ms: percentile(&all, 0.5),
        p99_ms: percentile(&all, 0.99),
        per_second: all.len() as f64 / elapsed,
    }
}

/// Undoes `%XX` escapes (for printing query shapes).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(byte) = text.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn scale() -> usize {
    std::env::var("GONGZHU_BENCH_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(100_000)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let dir = std::env::temp_dir().join(format!("gongzhu-bench-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let pg = std::env::var("GONGZHU_BENCH_PG_URL").ok();
    let database_url = pg.clone().unwrap_or_else(|| format!("sqlite://{}", dir.join("bench.db").display()));
    let config = Config {
        listen: "127.0.0.1:0".into(),
        data_dir: dir.join("data"),
        database_url,
        db_pool_size: 16,
        web_dir: dir.join("no-web"),
        argon2_memory_kib: 1024,
        argon2_iterations: 1,
        log: "error".into(),
        ..Config::default()
    };
    let n = scale();
    println!("engine: {}", if pg.is_some() { "PostgreSQL" } else { "SQLite" });

    // Seed before the server starts, so its index and candidate pool load everything.
    let seeding = Instant::now();
    {
        let db =
            api::db::Db::open(api::db::DbTarget::parse(&config.database_url).expect("url"), 2).expect("db");
        let mut conn = db.get().expect("conn");
        let at = api::db::now();
        let owner = api::ops::seed::owner_account(&mut conn, "基准数据", at).expect("owner");
        let plan = api::ops::seed::SeedPlan { organisations: n, projects: n, listings: n, seed: 1 };
        let (seeded, _) = api::ops::seed::seed(&mut conn, &owner, plan, 10_000_000, at).expect("seed");
        println!("seeded {seeded:?} in {:.1} s", seeding.elapsed().as_secs_f64());
    }
    let loading = Instant::now();
    let served = Served::start(config.clone()).await;
    let state = served.state.clone();
    println!(
        "server start (index + candidate pool load) {:.1} s; {} search documents, {} candidates",
        loading.elapsed().as_secs_f64(),
        state.search.read(|i| i.len()),
        state.candidates.len()
    );
    let base = served.base.clone();
    let hello_url = hello::serve().await;
    let client = reqwest::Client::builder().pool_max_idle_per_host(CLIENTS).build().expect("client");

    let enc = |s: &str| s.bytes().map(|b| format!("%{b:02X}")).collect::<String>();
    let searches: Vec<String> = [
        "q=市政道路",
        "q=钢结构&kind=resource",
        "q=商品混凝土&region=330000&sort=amount_asc",
        "q=杭州 安置房",
        "q=中建&kind=organisation",
        "q=道路&min_amount=100000000&max_amount=10000000000&sort=newest",
        "q=螺纹钢&lat=30.26&lng=120.13&radius_km=50&sort=distance",
        "kind=project&type=water&region=420000",
    ]
    .iter()
    .map(|q| {
        let encoded: Vec<String> = q
            .split('&')
            .map(|kv| {
                let (k, v) = kv.split_once('=').expect("k=v");
                format!("{k}={}", enc(v))
            })
            .collect();
        format!("{base}/search?{}", encoded.join("&"))
    })
    .collect();
    let lists = vec![
        format!("{base}/projects?limit=20"),
        format!("{base}/resources?limit=20"),
        format!("{base}/orgs?limit=20"),
        format!("{base}/demands?limit=20"),
        format!("{base}/resources?category=steel&limit=20"),
    ];

    // Warm up connections and caches.
    let _ = load(&client, "warm-up", Arc::new(searches.clone())).await;
    let mut figures = vec![load(&client, "hello world (poem)", Arc::new(vec![hello_url.clone()])).await];
    figures.push(load(&client, "GET /search (8 query shapes)", Arc::new(searches.clone())).await);
    figures.push(
        load_with(&client, "GET /search, one client at a time", Arc::new(searches.clone()), 1, 400).await,
    );
    for url in &searches {
        let shape = url.split_once("/search?").map_or(url.as_str(), |(_, q)| q);
        let name = format!("  one shape, one client: {}", percent_decode(shape));
        figures.push(load_with(&client, &name, Arc::new(vec![url.clone()]), 1, 60).await);
    }
    figures.push(
        load(&client, "GET list endpoints (projects, resources, orgs, demands)", Arc::new(lists)).await,
    );
    for url in [
        format!("{base}/projects?limit=20"),
        format!("{base}/resources?limit=20"),
        format!("{base}/orgs?limit=20"),
    ] {
        let name = format!("GET {}", url.trim_start_matches(&base));
        figures.push(load(&client, &name, Arc::new(vec![url])).await);
    }

    // Publishing: a Certified contractor publishes demands one after another.
    let session: Value = client
        .post(format!("{base}/auth/register"))
        .json(&json!({"email": "bench@gongzhu.test", "password": "gongzhu2026build", "display_name": "基准", "accept_privacy": true}))
        .send()
        .await
        .expect("register")
        .json()
        .await
        .expect("json");
    let token = session["access_token"].as_str().expect("token").to_owned();
    let uscc = shared::domain::identity::Uscc::complete("91330106MA9BENCH0").expect("uscc");
    let org: Value = client
        .post(format!("{base}/orgs"))
        .bearer_auth(&token)
        .json(&json!({"name": "基准测试建设集团有限公司", "uscc": uscc.as_str(), "roles": ["contractor"], "region_code": "330106"}))
        .send()
        .await
        .expect("org")
        .json()
        .await
        .expect("json");
    let org_id =
        org["profile"]["id"].as_str().unwrap_or_else(|| panic!("organisation not created: {org}")).to_owned();
    {
        use api::db::schema::organisations as o;
        let mut conn = state.db.get().expect("conn");
        diesel::update(o::table.find(&org_id))
            .set((o::verification_status.eq("verified"), o::membership_tier.eq("certified")))
            .execute(&mut conn)
            .expect("verify");
    }
    state.org_changed(&org_id).await;
    let deadline = (chrono::Utc::now() + chrono::Duration::days(30)).date_naive().to_string();
    let categories =
        ["steel", "ready_mix_concrete", "labour_subcontracting", "mep_installation", "machinery_rental"];
    let regions = ["330106", "320102", "440305", "510107", "420106"];
    let mut publish_times = Vec::new();
    let mut qualified = Vec::new();
    for i in 0..PUBLICATIONS {
        let created: Value = client
            .post(format!("{base}/demands"))
            .bearer_auth(&token)
            .header("X-Org-Id", &org_id)
            .json(&json!({
                "kind": "procurement", "title": format!("基准需求第{i}号"), "category": categories[i % 5],
                "scope": "基准测试用的采购需求，范围说明足够长。", "budget_min_fen": 100_000_000, "budget_max_fen": 200_000_000,
                "region_code": regions[i % 5], "deadline": deadline,
            }))
            .send()
            .await
            .expect("demand")
            .json()
            .await
            .expect("json");
        let id = created["id"].as_str().unwrap_or_else(|| panic!("demand not created: {created}"));
        let t = Instant::now();
        let resp = client
            .post(format!("{base}/demands/{id}/submission"))
            .bearer_auth(&token)
            .header("X-Org-Id", &org_id)
            .send()
            .await
            .expect("submit");
        assert!(resp.status().is_success(), "submission {}", resp.status());
        let _ = resp.bytes().await;
        publish_times.push(t.elapsed());
        if i == 0 {
            let recs: Value = client
                .get(format!("{base}/demands/{id}/recommendations"))
                .bearer_auth(&token)
                .header("X-Org-Id", &org_id)
                .send()
                .await
                .expect("recs")
                .json()
                .await
                .expect("json");
            qualified.push((recs["candidates_considered"].clone(), recs["qualified"].clone()));
        }
    }
    publish_times.sort();

    let hello_rate = figures[0].per_second;
    println!(
        "\n{:<70} {:>9} {:>9} {:>10} {:>9}",
        "endpoint (32 clients unless noted)", "p50 ms", "p99 ms", "req/s", "× hello"
    );
    for f in &figures {
        println!(
            "{:<70} {:>9.2} {:>9.2} {:>10.0} {:>9.3}",
            f.name,
            f.p50_ms,
            f.p99_ms,
            f.per_second,
            f.per_second / hello_rate
        );
    }
    println!(
        "\nPOST /demands/{{id}}/submission, matching over {} candidates (one client, {PUBLICATIONS} demands): p50 {:.2} ms, p99 {:.2} ms; first demand considered/qualified: {:?}",
        state.candidates.len(),
        percentile(&publish_times, 0.5),
        percentile(&publish_times, 0.99),
        qualified
    );
    served.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}
