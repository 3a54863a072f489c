//! Credit benchmark (issue #17). Prints figures; asserts nothing.
//!
//! - the pure computation for 100,000 organisations (contract history, ratings, qualifications,
//!   the five dimensions and the grade), in process — target ≤ 1 s;
//! - the monthly run end to end on SQLite (`routes::credit::jobs::monthly`: reading every
//!   organisation's history, writing the month's assessments, publishing changed grades, in
//!   batches of 100 each in its own transaction) for 100,000 organisations with 12 months of
//!   history: 11 earlier monthly assessments each, 20,000 settled contracts between 10,000 of
//!   them (four each, enough for a grade) with accepted and paid milestones and both parties'
//!   ratings — target ≤ 60 s;
//! - one organisation's recompute on an event (`service::recompute`, in a write transaction),
//!   an organisation with a contract history — target ≤ 20 ms.
//!
//! The data is written with SQL straight into the database (foreign keys off for the seeding
//! connection only: tenders, bids and users behind the contracts are not needed by credit).
//! `cargo bench -p integration-tests --bench credit` (release); `--profile dev` gives an upper
//! bound.

use std::time::{Duration, Instant};

use api::config::Config;
use diesel::prelude::*;
use shared::domain::contract::closing::rating_revealed;
use shared::domain::contract::document::ContractDocument;
use shared::domain::credit::{
    self as model, ContractFacts, ContractSide, CreditConfig, CreditRecord, MilestoneFacts,
    SocialResponsibilityRecord,
};
use shared::dto::*;
use support::{Served, percentile};

mod support;

const ORGS: usize = 100_000;
const CONTRACTS: usize = 20_000;
const EARLIER_MONTHS: usize = 11;
const RECOMPUTES: usize = 50;
/// Pairs of organisations the contracts are between (each organisation in 4 contracts).
const ACTIVE_PAIRS: usize = 5_000;

/// The payment plan every seeded contract has: an advance and two milestones.
fn document(today: chrono::NaiveDate) -> String {
    let milestone = |name: &str, value: i64, days: i64| MilestoneInput {
        name: name.into(),
        value,
        planned_date: today - chrono::Duration::days(days),
        due_condition: if value == 1_000 { String::new() } else { "经验收合格".into() },
    };
    let request = ContractTermsRequest {
        based_on_version: 0,
        template: ContractTemplate::Subcontracting,
        title: "基准测试钢结构分包合同".into(),
        scope: "主体钢结构制作与安装，含防腐防火涂装，须配合总包进度。".into(),
        plan: PaymentPlanInput {
            amount_fen: 100_000_000,
            allocation: Allocation::Shares,
            milestones: vec![
                milestone("预付款", 1_000, 200),
                milestone("主体", 5_000, 120),
                milestone("收尾", 4_000, 60),
            ],
            retention_bp: 300,
            performance_bond_bp: 0,
            warranty_months: 1,
        },
        duration_days: 180,
        start_date: today - chrono::Duration::days(200),
        supervisor_org_id: None,
        dispute_clause: "提交杭州仲裁委员会仲裁解决。".into(),
    };
    // Dated in the past on purpose: check_on with a day before the start.
    let (terms, _) = request.check_on(today - chrono::Duration::days(400)).expect("terms");
    let document = ContractDocument { contract_id: "bench".into(), version: 1, parties: Vec::new(), terms };
    serde_json::to_string(&document).expect("json")
}

fn run(conn: &mut api::db::DbConn, sql: &str) {
    diesel::sql_query(sql).execute(conn).unwrap_or_else(|e| panic!("{e}: {sql}"));
}

/// Writes the organisations and their history.
fn seed(conn: &mut api::db::DbConn, at: chrono::NaiveDateTime) {
    let today = shared::domain::calendar::shanghai::business_date(at.and_utc());
    let ts = at.format("%Y-%m-%d %H:%M:%S").to_string();
    let doc = document(today).replace('\'', "''");
    run(conn, "PRAGMA foreign_keys = OFF");
    run(conn, "BEGIN");
    let numbers = |n: usize| {
        format!("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {}) ", n - 1)
    };
    run(
        conn,
        &format!(
            "{}INSERT INTO organisations (id, name, uscc, roles, region_code, categories, regions_served, \
             verification_status, created_by, created_at, updated_at, membership_tier, membership_held) \
             SELECT printf('org-%06d', i), printf('基准企业%06d有限公司', i), printf('91330100MA%08d', i), \
             '[\"subcontractor\"]', '330106', '[\"steel_structure\"]', '[\"330100\"]', 'verified', 'bench', \
             '{ts}', '{ts}', 'new', 0 FROM n",
            numbers(ORGS)
        ),
    );
    run(
        conn,
        &format!(
            "{}INSERT INTO contracts (id, tender_id, bid_id, payer_org_id, performer_org_id, status, \
             current_version, effective_version, bond_recorded_fen, effective_at, created_at, updated_at) \
             SELECT printf('con-%06d', i), 'bench', printf('bid-%06d', i), printf('org-%06d', 2 * (i % {ACTIVE_PAIRS})), printf('org-%06d', 2 * (i % {ACTIVE_PAIRS}) + 1), \
             'completed', 1, 1, 0, '{ts}', '{ts}', '{ts}' FROM n",
            numbers(CONTRACTS)
        ),
    );
    run(
        conn,
        &format!(
            "INSERT INTO contract_versions (contract_id, version, document, sha256, created_at, in_force_at) \
             SELECT id, 1, '{doc}', 'bench', '{ts}', '{ts}' FROM contracts"
        ),
    );
    // Milestones 1 and 2 accepted at once (1) or after a rejection (2), paid 5 and 20 days later.
    for (milestone, status, days, paid_after) in
        [(1, "accepted", 110, 5), (2, "rejected", 55, 20), (2, "accepted", 50, 20)]
    {
        run(
            conn,
            &format!(
                "INSERT INTO acceptances (id, contract_id, milestone, status, quantities, note, requested_by, \
                 requested_at, decided_at) SELECT printf('acc-{milestone}-{status}-%s', id), id, {milestone}, '{status}', '[]', '', \
                 'bench', datetime('{ts}', '-{days} days'), datetime('{ts}', '-{days} days') FROM contracts"
            ),
        );
        if status == "accepted" {
            let amount = if milestone == 1 { 50_000_000 } else { 40_000_000 };
            let paid = days - paid_after;
            run(
                conn,
                &format!(
                    "INSERT INTO ledger_transactions (id, kind, contract_id, milestone, amount_fen, memo, source_type, \
                     source_id, created_at) SELECT printf('tx-{milestone}-%s', id), 'release', id, {milestone}, {amount}, '', \
                     'bench', id, datetime('{ts}', '-{paid} days') FROM contracts"
                ),
            );
        }
    }
    run(
        conn,
        &format!(
            "INSERT INTO contract_closings (contract_id, last_accepted_on, warranty_ends_on, completed_at) \
             SELECT id, date('{ts}', '-50 days'), date('{ts}', '-20 days'), datetime('{ts}', '-20 days') FROM contracts"
        ),
    );
    for (rater, ratee, q) in [
        ("payer_org_id", "performer_org_id", "4 + (rowid % 2)"),
        ("performer_org_id", "payer_org_id", "3 + (rowid % 3)"),
    ] {
        run(
            conn,
            &format!(
                "INSERT INTO contract_ratings (contract_id, rater_org_id, ratee_org_id, quality, timeliness, communication, \
                 payment, rated_by, created_at) SELECT id, {rater}, {ratee}, {q}, 4, 5, 4, 'bench', datetime('{ts}', '-15 days') \
                 FROM contracts"
            ),
        );
    }
    let month = model::month_of(at.and_utc());
    let (year, mon): (i32, u32) = (month[..4].parse().expect("year"), month[5..].parse().expect("month"));
    for back in 1..=EARLIER_MONTHS {
        let index = year * 12 + i32::try_from(mon).expect("month") - 1 - i32::try_from(back).expect("back");
        let earlier = format!("{:04}-{:02}", index / 12, index % 12 + 1);
        run(
            conn,
            &format!(
                "INSERT INTO credit_assessments (org_id, month, computed_grade, total, performance, transaction_history, \
                 reputation, qualification, social_responsibility, dimensions, triggered_by, computed_at) \
                 SELECT id, '{earlier}', NULL, 60.0, 60.0, 60.0, 60.0, 60.0, 60.0, '[]', 'monthly', '{ts}' FROM organisations"
            ),
        );
    }
    run(conn, "COMMIT");
    run(conn, "PRAGMA foreign_keys = ON");
}

/// The pure computation for `ORGS` organisations: every tenth with four settled contracts and
/// four ratings (as many as the seeded database's).
fn pure(today: chrono::NaiveDate) -> Duration {
    let milestone = |index: u32, days: i64, decisions: Vec<bool>, paid: i64| MilestoneFacts {
        index,
        planned_date: today - chrono::Duration::days(days),
        decisions,
        accepted_on: Some(today - chrono::Duration::days(days)),
        paid_in_full_on: Some(today - chrono::Duration::days(days - paid)),
    };
    let contract = ContractFacts {
        side: ContractSide::Performer,
        state: shared::domain::contract::lifecycle::ContractState::Completed,
        milestones: vec![milestone(1, 110, vec![true], 5), milestone(2, 55, vec![false, true], 20)],
    };
    let config = CreditConfig::default();
    let started = Instant::now();
    let mut graded = 0_usize;
    for i in 0..ORGS {
        let facts = if i % 10 == 0 { vec![contract.clone(); 4] } else { Vec::new() };
        let (performance, transactions, _) = model::contract_history(&facts, today);
        let aspects: Vec<[i32; 4]> = if i % 10 == 0 {
            vec![[4, 4, 5, 4], [5, 4, 5, 3], [4, 5, 5, 4], [3, 4, 4, 4]]
        } else {
            Vec::new()
        };
        let held = vec![(None, today + chrono::Duration::days(300))];
        let record = CreditRecord {
            performance,
            transactions,
            reputation: model::ratings(&aspects),
            qualification: model::qualifications(&held, today),
            social_responsibility: SocialResponsibilityRecord::default(),
        };
        let assessment = model::assess(&record, &config).expect("assess");
        graded += usize::from(assessment.standing.grade().is_some());
        // Keep the revealing rule in the loop as the server does per rating.
        std::hint::black_box(rating_revealed(true, Some(today), today));
    }
    let took = started.elapsed();
    println!(
        "pure: {ORGS} organisations assessed in {:.1} ms ({graded} graded)",
        took.as_secs_f64() * 1000.0
    );
    took
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let at = api::db::now();
    let today = shared::domain::calendar::shanghai::business_date(at.and_utc());
    pure(today);

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
    {
        let db =
            api::db::Db::open(api::db::DbTarget::parse(&config.database_url).expect("url"), 1).expect("db");
        let mut conn = db.get().expect("conn");
        let started = Instant::now();
        seed(&mut conn, at);
        println!(
            "seeded {ORGS} organisations, {CONTRACTS} contracts, {} earlier assessments in {:.1} s",
            ORGS * EARLIER_MONTHS,
            started.elapsed().as_secs_f64()
        );
    }
    let served = Served::start(config).await;
    println!("serving at {}", served.base);
    let state = served.state.clone();

    let started = Instant::now();
    let changed = api::routes::credit::jobs::monthly(&state).await.expect("monthly run");
    let took = started.elapsed();
    println!(
        "monthly run, SQLite, {ORGS} organisations: {:.1} s end to end ({changed} published credit changed)",
        took.as_secs_f64()
    );

    let mut times = Vec::new();
    let credit = api::routes::credit::config(&state);
    for i in 0..RECOMPUTES {
        let org = format!("org-{:06}", 2 * (i * 97 % ACTIVE_PAIRS) + 1);
        let started = Instant::now();
        state
            .write(move |c, out| {
                api::routes::credit::service::recompute(c, out, &org, &credit, api::db::now())
            })
            .await
            .expect("recompute");
        times.push(started.elapsed());
    }
    times.sort();
    println!(
        "one organisation's recompute (event), n={RECOMPUTES}: p50 {:.2} ms  p99 {:.2} ms",
        percentile(&times, 0.5),
        percentile(&times, 0.99)
    );
    served.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}
