//! Crash test (issue #16): 8 writers move money through HTTP — withdrawals asked for
//! (`POST /orgs/{id}/payouts`: available → payout pending) and most of them cancelled again
//! (`…/cancellation`: payout pending → available) — while the server, a separate OS process,
//! is SIGKILLed at random moments 20 times and started again on the same database and port.
//! A writer retries a request that got no answer (connection error) or a 5xx with the *same*
//! `Idempotency-Key` until it is acknowledged (2xx).
//!
//! Afterwards: every acknowledged request's movement is in the ledger exactly once (counted by
//! the ledger transactions' source, the withdrawal), and nothing else is; every request sent
//! again with its key replays (`Idempotent-Replayed: true`, the same id) and moves nothing; the
//! ledger balances (`ledger::check`, what `gongzhu ledger-check` runs); the audit chain
//! verifies; on SQLite `PRAGMA integrity_check` is `ok`. The figures are printed (run with
//! `--nocapture` to see them).
//!
//! The server is this crate's `gongzhu-test-server` (the `gongzhu` entry point, built with the
//! test build); `GONGZHU_TEST_SERVER_BIN=target/release/gongzhu` runs the release binary.
//! `GONGZHU_CRASH_SEED` repeats a run's kill moments.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use api::db::models::ledger::{AccountRow, Meta, post};
use api::db::schema::{ledger_transactions, payouts};
use diesel::prelude::*;
use serde_json::{Value, json};
use shared::domain::ledger::{Account, Posting, Transaction, TransactionKind};

use crate::helpers::*;
use crate::server_process::ServerProcess;

const WRITERS: usize = 8;
const KILLS: usize = 20;
/// What each organisation starts with: far more than the writers can set aside.
const SEED_FEN: i64 = 1_000_000_000_000;
/// A request unanswered for this long (retries included) fails the test.
const REQUEST_DEADLINE: Duration = Duration::from_secs(60);
const NAMES: [&str; WRITERS] = ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛"];

/// One acknowledged request, to send again at the end.
struct Sent {
    path: String,
    body: Value,
    key: String,
    id: String,
}

/// What one writer saw.
#[derive(Default)]
struct Tally {
    /// Withdrawals asked for and acknowledged: (id, amount).
    created: Vec<(String, i64)>,
    /// Withdrawals cancelled and acknowledged.
    cancelled: Vec<String>,
    /// Requests that needed more than one attempt.
    retried: usize,
    /// Of those, answered as a replay (the first attempt had committed; its answer was lost).
    replayed: usize,
    /// Attempts that got no answer or a 5xx.
    failed_attempts: usize,
    sent: Vec<Sent>,
}

/// Posts until acknowledged, with the same key every time; returns the answer and whether it
/// was a replay.
async fn post_until_acknowledged(
    client: &reqwest::Client,
    base: &str,
    org: &OrgAccount,
    path: &str,
    body: &Value,
    key: &str,
    tally: &mut Tally,
) -> (Value, bool) {
    let started = Instant::now();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let answer = client
            .post(format!("{base}/api/v1{path}"))
            .bearer_auth(&org.token)
            .header("x-org-id", &org.id)
            .header("idempotency-key", key)
            .json(body)
            .send()
            .await;
        match answer {
            Ok(resp) if resp.status().is_success() => {
                let replayed = resp.headers().get("idempotent-replayed").is_some_and(|v| v == "true");
                // The process may die between the head and the body: that is no answer either.
                if let Ok(view) = resp.json::<Value>().await {
                    if attempts > 1 {
                        tally.retried += 1;
                        tally.replayed += usize::from(replayed);
                    }
                    return (view, replayed);
                }
            }
            Ok(resp) if resp.status().is_server_error() => {}
            Ok(resp) => {
                let status = resp.status();
                panic!("{path} ({key}): {status} {}", resp.text().await.unwrap_or_default());
            }
            Err(_) => {}
        }
        tally.failed_attempts += 1;
        assert!(started.elapsed() < REQUEST_DEADLINE, "{path} ({key}) never acknowledged");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Asks for withdrawals and cancels two in three of them until `stop`.
async fn writer(
    client: reqwest::Client,
    base: String,
    org: OrgAccount,
    index: usize,
    stop: Arc<AtomicBool>,
) -> Tally {
    let mut tally = Tally::default();
    let mut n: i64 = 0;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let amount = 100 + n;
        let (path, key) = (format!("/orgs/{}/payouts", org.id), format!("crash-{index}-{n}-ask"));
        let body = json!({"amount_fen": amount, "password": PASSWORD});
        let (view, _) = post_until_acknowledged(&client, &base, &org, &path, &body, &key, &mut tally).await;
        let id = view["id"].as_str().expect("withdrawal id").to_owned();
        assert_eq!(view["amount_fen"], amount, "{view}");
        tally.created.push((id.clone(), amount));
        tally.sent.push(Sent { path, body, key, id: id.clone() });
        if n % 3 == 0 {
            continue;
        }
        let (path, key) =
            (format!("/orgs/{}/payouts/{id}/cancellation", org.id), format!("crash-{index}-{n}-cancel"));
        let body = json!({});
        let (view, _) = post_until_acknowledged(&client, &base, &org, &path, &body, &key, &mut tally).await;
        assert_eq!((view["id"].as_str(), view["status"].as_str()), (Some(id.as_str()), Some("cancelled")));
        tally.cancelled.push(id.clone());
        tally.sent.push(Sent { path, body, key, id });
    }
    tally
}

/// A small deterministic generator for the kill moments (seed printed, `GONGZHU_CRASH_SEED`).
struct Moments(u64);

impl Moments {
    fn next_ms(&mut self, from: u64, to: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        from + self.0 % (to - from + 1)
    }
}

/// `WRITERS` organisations with a bank account and `SEED_FEN` available, set up through the
/// test's own server (then stopped: the separate process takes over the database).
async fn organisations(app: &TestApp) -> Vec<OrgAccount> {
    let mut orgs = Vec::new();
    for (i, name) in NAMES.iter().enumerate() {
        let org = app
            .org_account(&format!("crash-{i}@example.com"), OrgSpec::new(&format!("{name}方建设集团")))
            .await;
        let body = json!({"account_name": org.spec.name, "bank_name": "中国工商银行",
                          "account_number": format!("6222 0212 3456 7891 23{i}"), "password": PASSWORD});
        let path = format!("/orgs/{}/bank-account", org.id);
        let resp = app.as_org(reqwest::Method::PUT, &path, &org.token, &org.id, Some(&body)).await;
        json_of(resp, 200).await;
        orgs.push(org);
    }
    let mut conn = app.db.get().expect("connection");
    api::db::write_tx(&mut conn, |c| {
        for org in &orgs {
            let tx = Transaction {
                kind: TransactionKind::BondReturn,
                postings: vec![
                    Posting { account: Account::Clearing, amount_fen: -SEED_FEN },
                    Posting { account: Account::available(&org.id), amount_fen: SEED_FEN },
                ],
            };
            let meta = Meta {
                contract_id: None,
                milestone: None,
                memo: "crash test: opening funds".into(),
                source: ("crash_test", &org.id),
                created_by: None,
            };
            post(c, &tx, &meta, api::db::now())?;
        }
        Ok::<_, api::db::models::ledger::PostError>(())
    })
    .expect("seed the available funds");
    orgs
}

fn balance(conn: &mut api::db::DbConn, account: &Account) -> i64 {
    AccountRow::find(conn, &account.to_string()).expect("account").map_or(0, |a| a.balance_fen)
}

/// Ledger transactions of every withdrawal, by (withdrawal, kind).
fn movements(app: &TestApp) -> HashMap<(String, TransactionKind), usize> {
    let mut conn = app.db.get().expect("connection");
    let rows: Vec<(String, TransactionKind)> = ledger_transactions::table
        .filter(ledger_transactions::source_type.eq("payout"))
        .select((ledger_transactions::source_id, ledger_transactions::kind))
        .load(&mut conn)
        .expect("ledger transactions");
    let mut counts = HashMap::new();
    for row in rows {
        *counts.entry(row).or_default() += 1;
    }
    counts
}

/// Sends every acknowledged request again with its key: each must replay the same object.
async fn replay_all(client: &reqwest::Client, base: &str, orgs: &[OrgAccount], tallies: &[Tally]) -> usize {
    let mut checks = Vec::new();
    for (org, tally) in orgs.iter().zip(tallies) {
        let requests: Vec<(String, Value, String, String)> = tally
            .sent
            .iter()
            .map(|s| (s.path.clone(), s.body.clone(), s.key.clone(), s.id.clone()))
            .collect();
        let (client, base, org) = (client.clone(), base.to_owned(), org.clone());
        checks.push(tokio::spawn(async move {
            for (path, body, key, id) in &requests {
                let mut tally = Tally::default();
                let (view, replayed) =
                    post_until_acknowledged(&client, &base, &org, path, body, key, &mut tally).await;
                assert!(replayed, "{path} ({key}) sent again was not a replay: {view}");
                assert_eq!(view["id"].as_str(), Some(id.as_str()), "{path} ({key})");
            }
            requests.len()
        }));
    }
    let mut replayed = 0;
    for check in checks {
        replayed += check.await.expect("replays");
    }
    replayed
}

fn sqlite_integrity(app: &TestApp) -> Option<String> {
    #[derive(QueryableByName)]
    struct Integrity {
        #[diesel(sql_type = diesel::sql_types::Text)]
        integrity_check: String,
    }
    let mut conn = app.db.get().expect("connection");
    let api::db::DbConn::Sqlite(sqlite) = &mut *conn else { return None };
    let rows: Vec<Integrity> =
        diesel::sql_query("PRAGMA integrity_check").load(sqlite).expect("integrity_check");
    Some(rows.into_iter().map(|r| r.integrity_check).collect::<Vec<_>>().join("; "))
}

#[tokio::test]
async fn acknowledged_money_survives_sigkill_exactly_once() {
    let started = Instant::now();
    let mut app = spawn_app().await;
    let orgs = organisations(&app).await;
    app.stop().await;
    // Declared after `app`, so it is killed before `app` drops the database under it.
    let mut server = ServerProcess::start_on(&app, app.config.data_dir.clone(), "127.0.0.1:0").await;
    let client = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().expect("client");

    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = orgs
        .iter()
        .enumerate()
        .map(|(i, org)| {
            tokio::spawn(writer(client.clone(), server.base.clone(), org.clone(), i, stop.clone()))
        })
        .collect();
    let seed = std::env::var("GONGZHU_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        u64::try_from(std::time::SystemTime::UNIX_EPOCH.elapsed().map_or(1, |d| d.as_nanos() % 1_000_000_007))
            .unwrap_or(1)
            | 1
    });
    let mut moments = Moments(seed);
    let kills_started = Instant::now();
    for _ in 0..KILLS {
        tokio::time::sleep(Duration::from_millis(moments.next_ms(100, 900))).await;
        server.kill_and_restart(&app).await;
    }
    // Some work after the last restart, then the writers finish what they are doing.
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    let mut tallies = Vec::new();
    for w in writers {
        tallies.push(w.await.expect("writer"));
    }
    let under_fire = kills_started.elapsed();

    // Exactly once: one hold per acknowledged withdrawal, one return per acknowledged
    // cancellation, and no withdrawal nobody was told about.
    let before_replays = movements(&app);
    let created: usize = tallies.iter().map(|t| t.created.len()).sum();
    let cancelled: usize = tallies.iter().map(|t| t.cancelled.len()).sum();
    for tally in &tallies {
        for (id, _) in &tally.created {
            let hold = before_replays.get(&(id.clone(), TransactionKind::PayoutRequest));
            assert_eq!(hold, Some(&1), "withdrawal {id}: holds");
            let returned = before_replays.get(&(id.clone(), TransactionKind::PayoutReturn)).copied();
            let expected = tally.cancelled.contains(id).then_some(1);
            assert_eq!(returned, expected, "withdrawal {id}: returns");
        }
    }
    assert_eq!(before_replays.len(), created + cancelled, "no movement beyond the acknowledged ones");
    let rows: i64 = {
        let mut conn = app.db.get().expect("connection");
        payouts::table.count().get_result(&mut conn).expect("withdrawals")
    };
    assert_eq!(usize::try_from(rows).ok(), Some(created), "no withdrawal beyond the acknowledged ones");
    {
        let mut conn = app.db.get().expect("connection");
        for (org, tally) in orgs.iter().zip(&tallies) {
            let pending: i64 =
                tally.created.iter().filter(|(id, _)| !tally.cancelled.contains(id)).map(|(_, a)| a).sum();
            assert_eq!(balance(&mut conn, &Account::payout_pending(&org.id)), pending, "{}", org.id);
            assert_eq!(balance(&mut conn, &Account::available(&org.id)), SEED_FEN - pending, "{}", org.id);
        }
    }

    // Every acknowledged request sent again with its key replays and moves nothing.
    let replays = replay_all(&client, &server.base, &orgs, &tallies).await;
    assert_eq!(movements(&app), before_replays, "replays moved money");

    let summary = {
        let mut conn = app.db.get().expect("connection");
        api::db::models::ledger::check(&mut conn).expect("query").expect("ledger balanced")
    };
    let chain = {
        let mut conn = app.db.get().expect("connection");
        api::db::models::audit::verify(&mut conn).expect("audit chain")
    };
    assert!(chain.first_break.is_none(), "audit chain broken: {:?}", chain.first_break);
    assert!(usize::try_from(chain.entries).unwrap_or(0) >= created + cancelled, "audited");
    let integrity = sqlite_integrity(&app);
    if let Some(result) = &integrity {
        assert_eq!(result, "ok", "PRAGMA integrity_check");
    }
    server.kill();

    let retried: usize = tallies.iter().map(|t| t.retried).sum();
    let replayed: usize = tallies.iter().map(|t| t.replayed).sum();
    let failed: usize = tallies.iter().map(|t| t.failed_attempts).sum();
    println!(
        "crash test on {} ({}; seed {seed}): {KILLS} SIGKILLs in {:.1} s under {WRITERS} writers; \
         {} requests acknowledged ({created} withdrawals, {cancelled} cancellations); {failed} attempts \
         unanswered or 5xx; {retried} requests retried with their key, {replayed} of them replayed \
         (committed before the kill); {replays} sent again afterwards, all replayed; ledger {} \
         accounts / {} postings balanced; audit chain {} entries verified; integrity_check {}; \
         total {:.1} s",
        if on_postgres() { "PostgreSQL" } else { "SQLite" },
        crate::server_process::server_binary().display(),
        under_fire.as_secs_f64(),
        created + cancelled,
        summary.accounts,
        summary.postings,
        chain.entries,
        integrity.as_deref().unwrap_or("n/a"),
        started.elapsed().as_secs_f64(),
    );
}
