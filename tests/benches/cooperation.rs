//! Cooperation benchmark (issue #15). Prints figures; asserts nothing.
//!
//! - the scoring sheet of a closed tender with 200 sealed bids and 3 evaluators' marks, through
//!   HTTP (`GET /tenders/{id}/scoring-sheet`), one request at a time — target ≤ 50 ms;
//! - rendering a contract version to PDF (20 milestones), in process — target ≤ 300 ms p99;
//! - verifying a contract with 20 versions and 2 signatures, through HTTP
//!   (`GET /contracts/{id}/verification`) and in process — target ≤ 10 ms.
//!
//! `cargo bench -p integration-tests --bench cooperation` (release); the figures in the notes
//! were taken with `--profile dev` (unoptimised, what the tests run), an upper bound. SQLite.

use std::time::{Duration, Instant};

use api::config::Config;
use api::db::models::contracts::ContractRow;
use api::db::models::orgs::MembershipRow;
use api::db::models::tenders::{BidRow, MarksRow, TenderRow};
use api::db::models::users::User;
use api::db::{DbConn, new_id};
use api::routes::contracts::service::{Renderer, render_document, save_version};
use diesel::prelude::*;
use serde_json::json;
use shared::domain::contract::document::ContractDocument;
use shared::dto::*;
use shared::validate::Check;
use support::{Served, percentile};

mod support;

const BIDS: usize = 200;
const EVALUATORS: usize = 3;
const VERSIONS: u32 = 20;
const PASSWORD: &str = "bench-password-2026";

fn report(name: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "{name:<62} n={:<4} p50 {:>8.2} ms  p99 {:>8.2} ms  max {:>8.2} ms",
        times.len(),
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        percentile(&times, 1.0)
    );
}

fn person(conn: &mut DbConn, config: &Config, email: &str, org: &str, at: chrono::NaiveDateTime) -> String {
    let hash =
        api::auth::password::PasswordHashing::new(config).expect("argon2").hash(PASSWORD).expect("hash");
    let user = User::new_account(Some(email.to_owned()), None, hash, email.to_owned(), at);
    user.insert(conn).expect("user");
    MembershipRow {
        id: new_id(),
        org_id: org.to_owned(),
        user_id: user.id.clone(),
        role: MemberRole::Owner,
        created_at: at,
    }
    .insert(conn)
    .expect("membership");
    user.id
}

fn demand(conn: &mut DbConn, org: &str, user: &str, at: chrono::NaiveDateTime) -> String {
    let today = shared::domain::calendar::shanghai::business_date(at.and_utc());
    let body = CreateDemandRequest {
        kind: DemandKind::Subcontracting,
        title: "基准测试钢结构分包".into(),
        category: "steel_structure".into(),
        scope: "主体钢结构制作与安装，含防腐防火涂装。".into(),
        quantity: None,
        budget_min_fen: 100_000_000,
        budget_max_fen: 900_000_000,
        region_code: "330106".into(),
        required_qualifications: Vec::new(),
        deadline: today + chrono::Duration::days(30),
        files: Vec::new(),
        project_id: None,
    };
    let fields = body.check_on(today).expect("demand");
    let mut row = api::routes::demands::service::draft(org, user, &body, fields, at);
    row.status = DemandStatus::Published;
    row.published_at = Some(at);
    row.insert(conn).expect("demand");
    row.id
}

/// A closed tender with `BIDS` valid sealed bids and every evaluator's marks.
fn tender(
    conn: &mut DbConn,
    key: &[u8; 32],
    poster: &str,
    evaluators: &[String],
    bidders: &[String],
    at: chrono::NaiveDateTime,
) -> (String, String) {
    let demand_id = demand(conn, poster, &evaluators[0], at);
    let weights = WeightsInput {
        price: 40,
        duration: 20,
        credit: 10,
        technical: 30,
        criteria: vec![
            CriterionInput { name: "施工组织设计".into(), max_mark: 60 },
            CriterionInput { name: "质量安全保证".into(), max_mark: 40 },
        ],
    }
    .check()
    .expect("weights");
    let tender = TenderRow {
        id: new_id(),
        demand_id,
        org_id: poster.to_owned(),
        status: TenderState::Closed,
        open_to_all: true,
        bidding_closes_at: at,
        weights: serde_json::to_string(&weights).expect("json"),
        evaluators: serde_json::to_string(evaluators).expect("json"),
        awarded_bid_id: None,
        awarded_on: None,
        award_reason: None,
        closed_at: Some(at),
        created_by: evaluators[0].clone(),
        created_at: at,
        updated_at: at,
    };
    tender.insert(conn).expect("tender");
    let mut first_bid = String::new();
    for (i, org) in bidders.iter().enumerate() {
        let offer = BidRequest {
            price_fen: 500_000_000 + (i as i64) * 1_234_567,
            duration_days: 90 + (i as i64 % 60),
            proposal: "钢结构深化设计、工厂加工与现场吊装方案。".into(),
            validity_days: 90,
        }
        .check()
        .expect("offer");
        let bid = BidRow {
            id: new_id(),
            tender_id: tender.id.clone(),
            org_id: org.clone(),
            status: BidState::Valid,
            live_key: Some(BidRow::live_key_of(&tender.id, org)),
            revision: 1,
            offer_sealed: api::routes::tenders::service::seal_offer(key, &offer).expect("seal"),
            rank: None,
            submitted_at: at,
            created_by: evaluators[0].clone(),
            created_at: at,
            updated_at: at,
        };
        bid.insert(conn).expect("bid");
        for (e, evaluator) in evaluators.iter().enumerate() {
            MarksRow {
                tender_id: tender.id.clone(),
                bid_id: bid.id.clone(),
                evaluator_id: evaluator.clone(),
                marks: json!([30 + (i + e) % 30, 20 + (i * e) % 20]).to_string(),
                created_at: at,
                updated_at: at,
            }
            .replace(conn)
            .expect("marks");
        }
        if first_bid.is_empty() {
            first_bid = bid.id;
        }
    }
    // Awarded to the first bid, whose contract the benchmark signs.
    let mut awarded = tender.clone();
    awarded.status = TenderState::Awarded;
    awarded.awarded_bid_id = Some(first_bid.clone());
    awarded.awarded_on = Some(shared::domain::calendar::shanghai::business_date(at.and_utc()));
    awarded.save_if_status(conn, TenderState::Closed).expect("award");
    (tender.id, first_bid)
}

/// A contract with `VERSIONS` versions, signed by both parties (in force).
fn contract(
    conn: &mut DbConn,
    renderer: &Renderer,
    (tender_id, bid_id): (&str, &str),
    (payer, payer_user): (&str, &str),
    (performer, performer_user): (&str, &str),
    at: chrono::NaiveDateTime,
) -> (String, ContractDocument) {
    let mut row = ContractRow {
        id: new_id(),
        tender_id: tender_id.to_owned(),
        bid_id: bid_id.to_owned(),
        payer_org_id: payer.to_owned(),
        performer_org_id: performer.to_owned(),
        supervisor_org_id: None,
        status: ContractState::Draft,
        current_version: VERSIONS as i32,
        effective_version: None,
        bond_recorded_fen: 0,
        effective_at: None,
        created_at: at,
        updated_at: at,
    };
    row.insert(conn).expect("contract");
    let today = shared::domain::calendar::shanghai::business_date(at.and_utc());
    let mut milestones = vec![MilestoneInput {
        name: "预付款".into(),
        value: 1_000,
        planned_date: today + chrono::Duration::days(20),
        due_condition: String::new(),
    }];
    for i in 1..=19 {
        milestones.push(MilestoneInput {
            name: format!("第{i}节点"),
            value: if i == 19 { 9_000 - 18 * 473 } else { 473 },
            planned_date: today + chrono::Duration::days(20 + i * 10),
            due_condition: format!("第{i}节点工程经甲方及监理验收合格，且乙方提交进度款申请与完税发票"),
        });
    }
    let mut last = None;
    for version in 1..=VERSIONS {
        let request = ContractTermsRequest {
            based_on_version: version.saturating_sub(1),
            template: ContractTemplate::Subcontracting,
            title: "基准测试钢结构分包合同".into(),
            scope: "主体钢结构制作与安装，含防腐防火涂装，须配合总包进度。".repeat(8),
            plan: PaymentPlanInput {
                amount_fen: 987_654_321,
                allocation: Allocation::Shares,
                milestones: milestones.clone(),
                retention_bp: 300,
                performance_bond_bp: 0,
                warranty_months: 24,
            },
            duration_days: 200 + i64::from(version),
            start_date: today + chrono::Duration::days(20),
            supervisor_org_id: None,
            dispute_clause: "提交杭州仲裁委员会仲裁解决。".into(),
        };
        let (terms, _) = request.check_on(today).expect("terms");
        let document = ContractDocument {
            contract_id: row.id.clone(),
            version,
            parties: api::routes::contracts::service::parties(conn, &row).expect("parties"),
            terms,
        };
        save_version(conn, renderer, &document, None, at).expect("version");
        last = Some(document);
    }
    row.status = ContractState::Signing;
    row.save_if(conn, ContractState::Draft, VERSIONS as i32).expect("signing");
    let loaded = api::routes::contracts::service::Loaded::load(conn, &row.id).expect("load");
    let sha = loaded.current().expect("current").sha256.clone();
    let client =
        api::auth::session::ClientInfo { ip: Some("127.0.0.1".into()), user_agent: Some("bench".into()) };
    let mut out = api::state::Outgoing::default();
    for (org, user) in [(payer, payer_user), (performer, performer_user)] {
        let signer = User::find_active(conn, user).expect("query").expect("user");
        api::routes::contracts::sign(conn, &mut out, &row.id, org, &signer, &sha, &client).expect("sign");
    }
    (row.id, last.expect("versions"))
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let dir = std::env::temp_dir().join(format!("gongzhu-bench-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let config = Config {
        listen: "127.0.0.1:0".into(),
        data_dir: dir.join("data"),
        database_url: format!("sqlite://{}", dir.join("bench.db").display()),
        db_pool_size: 8,
        web_dir: dir.join("no-web"),
        argon2_memory_kib: 1024,
        argon2_iterations: 1,
        log: "error".into(),
        ..Config::default()
    };
    let db = api::db::Db::open(api::db::DbTarget::parse(&config.database_url).expect("url"), 2).expect("db");
    let keys = api::auth::keys::Keys::load(&config).expect("keys");
    let font = api::pdf::load_font(None).expect("the CJK font (scripts/setup.sh all)");
    let files =
        std::sync::Arc::new(api::routes::files::service::LocalFileStore::new(config.data_dir.join("files")));
    let renderer = Renderer { font: font.clone(), files };
    let at = api::db::now();
    let (tender_id, contract_id, document, poster, evaluator) = {
        let mut conn = db.get().expect("conn");
        let owner = api::ops::seed::owner_account(&mut conn, "基准数据", at).expect("owner");
        let plan = api::ops::seed::SeedPlan { organisations: BIDS + 1, projects: 0, listings: 0, seed: 15 };
        api::ops::seed::seed(&mut conn, &owner, plan, 20_000_000, at).expect("seed");
        let orgs: Vec<String> = api::db::schema::organisations::table
            .select(api::db::schema::organisations::id)
            .order(api::db::schema::organisations::id.asc())
            .load(&mut conn)
            .expect("orgs");
        let poster = orgs[0].clone();
        let evaluators: Vec<String> = (0..EVALUATORS)
            .map(|e| person(&mut conn, &config, &format!("judge{e}@bench.test"), &poster, at))
            .collect();
        let performer_user = person(&mut conn, &config, "supplier@bench.test", &orgs[1], at);
        // The signing parties are rated A or better (seeded grades are random; grade C may not sign).
        diesel::update(
            api::db::schema::organisations::table
                .filter(api::db::schema::organisations::id.eq_any([&poster, &orgs[1]])),
        )
        .set(api::db::schema::organisations::credit_grade.eq(Some("a")))
        .execute(&mut conn)
        .expect("grades");
        let (tender_id, first_bid) =
            tender(&mut conn, &keys.encryption_key, &poster, &evaluators, &orgs[1..=BIDS], at);
        let started = Instant::now();
        let (contract_id, document) = contract(
            &mut conn,
            &renderer,
            (&tender_id, &first_bid),
            (&poster, &evaluators[0]),
            (&orgs[1], &performer_user),
            at,
        );
        println!(
            "contract with {VERSIONS} versions rendered, stored and signed in {:.0} ms",
            started.elapsed().as_secs_f64() * 1000.0
        );
        (tender_id, contract_id, document, poster, evaluators[0].clone())
    };
    let _ = evaluator;

    let renders: Vec<Duration> = (0..100)
        .map(|_| {
            let t = Instant::now();
            let pdf = render_document(&document, &font).expect("render");
            assert!(pdf.starts_with(b"%PDF-"));
            t.elapsed()
        })
        .collect();
    let size = render_document(&document, &font).expect("render").len();
    report(&format!("render a contract version to PDF ({size} bytes), in process"), renders);

    let served = Served::start(config.clone()).await;
    let (state, base) = (served.state.clone(), served.base.clone());
    let client = reqwest::Client::new();
    let login: serde_json::Value = client
        .post(format!("{base}/auth/login"))
        .json(&json!({"login": "judge0@bench.test", "password": PASSWORD}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("tokens");
    let token = login["access_token"].as_str().expect("access token").to_owned();
    let get = |path: String| {
        let (client, token, poster) = (client.clone(), token.clone(), poster.clone());
        async move {
            let t = Instant::now();
            let resp =
                client.get(path).bearer_auth(token).header("x-org-id", poster).send().await.expect("request");
            assert!(resp.status().is_success(), "{}", resp.status());
            let body = resp.bytes().await.expect("body");
            (t.elapsed(), body)
        }
    };
    let sheet_url = format!("{base}/tenders/{tender_id}/scoring-sheet");
    let (_, body) = get(sheet_url.clone()).await;
    let sheet: ScoringSheetView = serde_json::from_slice(&body).expect("sheet");
    println!(
        "scoring sheet: {} rows, state {:?}, {} marks, {} bytes",
        sheet.rows.len(),
        sheet.state,
        sheet.marks.len(),
        body.len()
    );
    let mut times = Vec::new();
    for _ in 0..50 {
        times.push(get(sheet_url.clone()).await.0);
    }
    report(&format!("GET scoring sheet, {BIDS} bids × {EVALUATORS} evaluators (HTTP, sequential)"), times);

    let verify_url = format!("{base}/contracts/{contract_id}/verification");
    let (_, body) = get(verify_url.clone()).await;
    let verification: ContractVerification = serde_json::from_slice(&body).expect("verification");
    assert!(verification.valid, "{verification:?}");
    let mut times = Vec::new();
    for _ in 0..50 {
        times.push(get(verify_url.clone()).await.0);
    }
    report(&format!("GET verification, {VERSIONS} versions + 2 signatures (HTTP)"), times);
    let in_process: Vec<Duration> = {
        let mut conn = state.db.get().expect("conn");
        let loaded = api::routes::contracts::service::Loaded::load(&mut conn, &contract_id).expect("load");
        (0..50)
            .map(|_| {
                let t = Instant::now();
                let report =
                    api::routes::contracts::service::verify(&mut conn, &loaded, state.files.as_ref())
                        .expect("verify");
                assert!(report.valid);
                t.elapsed()
            })
            .collect()
    };
    report(&format!("verify {VERSIONS} versions + 2 signatures, in process (re-hash + audit)"), in_process);

    served.stop().await;
    std::fs::remove_dir_all(dir).ok();
}
