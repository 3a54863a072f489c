//! Escrow benchmark (issue #16). Prints figures; asserts nothing but correctness of answers.
//!
//! - 32 concurrent clients move money through HTTP for a fixed time on SQLite with
//!   `synchronous=FULL` (the server's setting; checked and printed): each cancels withdrawals of
//!   its own organisation (`POST /orgs/{id}/payouts/{payout_id}/cancellation` with an
//!   `Idempotency-Key`: a ledger transaction payout pending → available, the key claimed, the
//!   withdrawal updated and an audit entry appended, one write transaction). No password is
//!   involved, so the figure is the write path's, not argon2's. A poem hello-world endpoint in the
//!   same process with 32 clients gives the ratio (target ≥ 0.03) and the p99 (target ≤ 500 ms).
//! - The wallet page: an account with 10,000 postings, `GET /orgs/{id}/wallet/postings` (first
//!   page, default limit 20) by one client, 200 times: p50 / p99 (target ≤ 20 ms) and bytes.
//!
//! The withdrawals to cancel are seeded directly (one hold transaction per organisation for all
//! of them, then the rows), so the measurement starts at once.
//!
//! `cargo bench -p integration-tests --bench escrow` (release profile); the figures in the notes
//! were taken with `--profile dev` (what the tests run; an upper bound). `GONGZHU_BENCH_SECS`
//! (default 10) sets how long the movements run.

use std::time::{Duration, Instant};

use api::config::Config;
use api::db::models::ledger::{Meta, post};
use api::db::models::payouts::PayoutRow;
use api::db::{DbConn, new_id, write_tx};
use diesel::prelude::*;
use serde_json::{Value, json};
use shared::domain::ledger::{Account, Posting, Transaction, TransactionKind};
use shared::dto::PayoutState;
use support::{Served, percentile};

#[path = "support/hello.rs"]
mod hello;
mod support;

const CLIENTS: usize = 32;
/// Withdrawals seeded per client (more than it can cancel in the measured time).
const PAYOUTS_PER_CLIENT: usize = 1500;
/// Of which the warm-up may use this many.
const WARM_UP_PAYOUTS: usize = 100;
const WALLET_POSTINGS: usize = 10_000;
const WALLET_REQUESTS: usize = 200;
const PASSWORD: &str = "gongzhu2026build";

struct Figures {
    count: usize,
    per_second: f64,
    p50_ms: f64,
    p90_ms: f64,
    p99_ms: f64,
    max_ms: f64,
}

fn figures(mut times: Vec<Duration>, elapsed: Duration) -> Figures {
    times.sort();
    Figures {
        count: times.len(),
        per_second: times.len() as f64 / elapsed.as_secs_f64(),
        p50_ms: percentile(&times, 0.5),
        p90_ms: percentile(&times, 0.9),
        p99_ms: percentile(&times, 0.99),
        max_ms: percentile(&times, 1.0),
    }
}

fn seconds() -> u64 {
    std::env::var("GONGZHU_BENCH_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(10)
}

#[derive(Clone)]
struct Org {
    id: String,
    token: String,
    user: String,
}

/// Registers a person and creates the organisation they own, with a bank account.
async fn organisation(client: &reqwest::Client, base: &str, i: usize) -> Org {
    let session: Value = client
        .post(format!("{base}/auth/register"))
        .json(&json!({"email": format!("bench-{i}@gongzhu.test"), "password": PASSWORD,
                      "display_name": "基准", "accept_privacy": true}))
        .send()
        .await
        .expect("register")
        .json()
        .await
        .expect("json");
    let token = session["access_token"].as_str().expect("token").to_owned();
    let uscc = shared::domain::identity::Uscc::complete(&format!("91330106MA{i:07}")).expect("uscc");
    let name = format!("基准测试{i}号建设集团有限公司");
    let org: Value = client
        .post(format!("{base}/orgs"))
        .bearer_auth(&token)
        .json(&json!({"name": name, "uscc": uscc.as_str(), "roles": ["contractor"], "region_code": "330106"}))
        .send()
        .await
        .expect("org")
        .json()
        .await
        .expect("json");
    let id =
        org["profile"]["id"].as_str().unwrap_or_else(|| panic!("organisation not created: {org}")).to_owned();
    let me: Value = client
        .get(format!("{base}/me"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("me")
        .json()
        .await
        .expect("json");
    let user = me["id"].as_str().expect("user id").to_owned();
    let account = client
        .put(format!("{base}/orgs/{id}/bank-account"))
        .bearer_auth(&token)
        .header("x-org-id", &id)
        .json(&json!({"account_name": name, "bank_name": "中国工商银行",
                      "account_number": format!("6222021234{i:09}"), "password": PASSWORD}))
        .send()
        .await
        .expect("bank account");
    assert!(account.status().is_success(), "bank account: {}", account.text().await.unwrap_or_default());
    Org { id, token, user }
}

fn seed_tx(kind: TransactionKind, to: Account, amount_fen: i64) -> Transaction {
    Transaction {
        kind,
        postings: vec![
            Posting { account: Account::Clearing, amount_fen: -amount_fen },
            Posting { account: to, amount_fen },
        ],
    }
}

/// `PAYOUTS_PER_CLIENT` requested withdrawals of 100 fen for `org`, held by one transaction.
fn seed_payouts(conn: &mut DbConn, org: &Org) -> Vec<String> {
    write_tx(conn, |c| {
        let at = api::db::now();
        let total = i64::try_from(PAYOUTS_PER_CLIENT).expect("count") * 100;
        let meta = Meta {
            contract_id: None,
            milestone: None,
            memo: "bench: withdrawals held".into(),
            source: ("bench", &org.id),
            created_by: None,
        };
        let hold = post(
            c,
            &seed_tx(TransactionKind::PayoutRequest, Account::payout_pending(&org.id), total),
            &meta,
            at,
        )
        .map_err(|e| diesel::result::Error::QueryBuilderError(e.to_string().into()))?;
        let bank: String =
            api::db::models::payouts::BankAccountRow::current(c, &org.id)?.expect("bank account").id;
        let rows: Vec<PayoutRow> = (0..PAYOUTS_PER_CLIENT)
            .map(|_| PayoutRow {
                id: new_id(),
                org_id: org.id.clone(),
                bank_account_id: bank.clone(),
                amount_fen: 100,
                status: PayoutState::Requested,
                requested_by: org.user.clone(),
                requested_at: at,
                hold_transaction_id: hold.clone(),
                approved_by: None,
                approved_at: None,
                decided_by: None,
                decided_at: None,
                bank_reference: None,
                reason: None,
                transaction_id: None,
            })
            .collect();
        for row in &rows {
            row.insert(c)?;
        }
        Ok::<_, diesel::result::Error>(rows.into_iter().map(|r| r.id).collect())
    })
    .expect("seed withdrawals")
}

/// `WALLET_POSTINGS` postings on `org`'s available account, in one transaction.
fn seed_wallet(conn: &mut DbConn, org: &Org) {
    write_tx(conn, |c| {
        let at = api::db::now();
        for i in 0..WALLET_POSTINGS {
            let meta = Meta {
                contract_id: None,
                milestone: None,
                memo: format!("bench: posting {i}"),
                source: ("bench", &org.id),
                created_by: None,
            };
            post(
                c,
                &seed_tx(TransactionKind::BondReturn, Account::available(&org.id), 100 + i as i64),
                &meta,
                at,
            )
            .map_err(|e| diesel::result::Error::QueryBuilderError(e.to_string().into()))?;
        }
        Ok::<_, diesel::result::Error>(())
    })
    .expect("seed the wallet");
}

/// Movements that failed (non-2xx).
static FAILED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Every client's request times, as figures over the time since `started`.
async fn gather(tasks: Vec<tokio::task::JoinHandle<Vec<Duration>>>, started: Instant) -> Figures {
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.expect("client"));
    }
    figures(all, started.elapsed())
}

/// `CLIENTS` clients GET `url` for `duration`.
async fn hello_load(client: &reqwest::Client, url: &str, duration: Duration) -> Figures {
    let started = Instant::now();
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (client, url) = (client.clone(), url.to_owned());
            tokio::spawn(async move {
                let mut times = Vec::new();
                while started.elapsed() < duration {
                    let t = Instant::now();
                    let resp = client.get(&url).send().await.expect("hello");
                    resp.bytes().await.expect("body");
                    times.push(t.elapsed());
                }
                times
            })
        })
        .collect();
    gather(tasks, started).await
}

/// Each client cancels its organisation's withdrawals for `duration`.
async fn movement_load(
    client: &reqwest::Client,
    base: &str,
    work: Vec<(Org, Vec<String>)>,
    duration: Duration,
) -> Figures {
    let started = Instant::now();
    let tasks: Vec<_> = work
        .into_iter()
        .enumerate()
        .map(|(c, (org, payouts))| {
            let (client, base) = (client.clone(), base.to_owned());
            tokio::spawn(async move {
                let mut times = Vec::new();
                for payout in &payouts {
                    if started.elapsed() >= duration {
                        break;
                    }
                    let t = Instant::now();
                    let resp = client
                        .post(format!("{base}/orgs/{}/payouts/{payout}/cancellation", org.id))
                        .bearer_auth(&org.token)
                        .header("x-org-id", &org.id)
                        .header("idempotency-key", format!("bench-{payout}"))
                        .json(&json!({}))
                        .send()
                        .await
                        .expect("cancel");
                    let status = resp.status();
                    let body = resp.bytes().await.expect("body");
                    // A failure is counted (and shown once), not timed: the figures are of answers.
                    if status.is_success() {
                        times.push(t.elapsed());
                    } else if FAILED.fetch_add(1, std::sync::atomic::Ordering::Relaxed) == 0 {
                        println!("cancel failed: {status} {}", String::from_utf8_lossy(&body));
                    }
                }
                if times.len() == payouts.len() {
                    println!("client {c} ran out of withdrawals to cancel");
                }
                times
            })
        })
        .collect();
    gather(tasks, started).await
}

fn synchronous_setting(conn: &mut DbConn) -> i32 {
    #[derive(QueryableByName)]
    struct Synchronous {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        synchronous: i32,
    }
    let DbConn::Sqlite(sqlite) = conn else { panic!("SQLite only") };
    let rows: Vec<Synchronous> = diesel::sql_query("PRAGMA synchronous").load(sqlite).expect("pragma");
    rows[0].synchronous
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let dir = std::env::temp_dir().join(format!("gongzhu-bench-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let config = Config {
        listen: "127.0.0.1:0".into(),
        data_dir: dir.join("data"),
        database_url: format!("sqlite://{}", dir.join("bench.db").display()),
        web_dir: dir.join("no-web"),
        // Only the set-up signs in (movements need no password); cheap hashes keep it short.
        argon2_memory_kib: 1024,
        argon2_iterations: 1,
        log: "error".into(),
        signup_max_per_ip: 10_000,
        ..Config::default()
    };
    let served = Served::start(config.clone()).await;
    let (state, base) = (served.state.clone(), served.base.clone());
    let hello_url = hello::serve().await;
    let client = reqwest::Client::builder().pool_max_idle_per_host(CLIENTS).build().expect("client");

    let seeding = Instant::now();
    let mut orgs = Vec::new();
    for i in 0..=CLIENTS {
        orgs.push(organisation(&client, &base, i).await);
    }
    let wallet_org = orgs.pop().expect("the wallet's organisation");
    let mut work = Vec::new();
    let synchronous = {
        let mut conn = state.db.get().expect("conn");
        for org in orgs {
            let payouts = seed_payouts(&mut conn, &org);
            work.push((org, payouts));
        }
        seed_wallet(&mut conn, &wallet_org);
        synchronous_setting(&mut conn)
    };
    println!(
        "engine: SQLite, PRAGMA synchronous = {synchronous} ({}), pool {} connections; seeded {CLIENTS} organisations × {PAYOUTS_PER_CLIENT} withdrawals and {WALLET_POSTINGS} postings in {:.1} s",
        if synchronous == 2 { "FULL" } else { "NOT FULL" },
        config.db_pool_size,
        seeding.elapsed().as_secs_f64()
    );

    let duration = Duration::from_secs(seconds());
    let _ = hello_load(&client, &hello_url, Duration::from_secs(1)).await;
    let greeting = hello_load(&client, &hello_url, duration).await;
    // Warm-up (connections, caches), on withdrawals of their own: 1 s, not counted.
    let warm_up: Vec<(Org, Vec<String>)> = work
        .iter_mut()
        .map(|(org, payouts)| (org.clone(), payouts.drain(..WARM_UP_PAYOUTS).collect()))
        .collect();
    let _ = movement_load(&client, &base, warm_up, Duration::from_secs(1)).await;
    let moves = movement_load(&client, &base, work, duration).await;
    println!(
        "\n{:<66} {:>8} {:>9} {:>9} {:>9} {:>9} {:>10} {:>9}",
        format!("32 clients, {duration:?} each"),
        "n",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "max ms",
        "req/s",
        "× hello"
    );
    for (name, f) in [
        ("hello world (poem, same process)", &greeting),
        ("POST …/payouts/{id}/cancellation (escrow movement)", &moves),
    ] {
        println!(
            "{name:<66} {:>8} {:>9.2} {:>9.2} {:>9.2} {:>9.2} {:>10.0} {:>9.4}",
            f.count,
            f.p50_ms,
            f.p90_ms,
            f.p99_ms,
            f.max_ms,
            f.per_second,
            f.per_second / greeting.per_second
        );
    }
    println!(
        "failed movements (non-2xx, not in the figures): {}",
        FAILED.load(std::sync::atomic::Ordering::Relaxed)
    );
    if let Some(stats) = state.db.group_commit_stats() {
        let load = |n: &std::sync::atomic::AtomicU64| n.load(std::sync::atomic::Ordering::Relaxed) as f64;
        let (groups, writes) = (load(&stats.groups).max(1.0), load(&stats.writes).max(1.0));
        println!(
            "SQLite group commit: {writes} write transactions in {groups} commits ({:.1} per commit); \
             in the writer thread per commit: {:.2} ms connection + BEGIN IMMEDIATE, {:.2} ms running \
             the writes ({:.2} ms each), {:.2} ms COMMIT (WAL fsync; the longest {:.1} ms)",
            writes / groups,
            load(&stats.begin_micros) / groups / 1000.0,
            load(&stats.run_micros) / groups / 1000.0,
            load(&stats.run_micros) / writes / 1000.0,
            load(&stats.commit_micros) / groups / 1000.0,
            load(&stats.max_commit_micros) / 1000.0
        );
    }
    {
        let mut conn = state.db.get().expect("conn");
        let summary = api::db::models::ledger::check(&mut conn).expect("query").expect("ledger balanced");
        println!(
            "ledger balanced after the run: {} accounts, {} postings",
            summary.accounts, summary.postings
        );
    }

    let url = format!("{base}/orgs/{}/wallet/postings", wallet_org.id);
    let mut times = Vec::new();
    let mut bytes = 0;
    for _ in 0..WALLET_REQUESTS {
        let t = Instant::now();
        let resp = client
            .get(&url)
            .bearer_auth(&wallet_org.token)
            .header("x-org-id", &wallet_org.id)
            .send()
            .await
            .expect("wallet page");
        assert!(resp.status().is_success(), "wallet page {}", resp.status());
        bytes = resp.bytes().await.expect("body").len();
        times.push(t.elapsed());
    }
    let wallet = figures(times, Duration::from_secs(1));
    println!(
        "\nGET /orgs/{{id}}/wallet/postings, first page of an account with {WALLET_POSTINGS} postings (one client, {WALLET_REQUESTS} requests): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms, {bytes} bytes (uncompressed JSON)",
        wallet.p50_ms, wallet.p99_ms, wallet.max_ms
    );
    served.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}
