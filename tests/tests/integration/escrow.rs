//! Escrow (issue #16): funding requests with a reference code, the finance officer's bank
//! statement import (GBK or UTF-8) with reconciliation and its queue, the advance released when
//! the contract takes effect, the bond that brings a high-risk contract into force, the wallet
//! with its postings, the ledger check — and the refusals: no Idempotency-Key, a reused key with
//! another body, funding twice, the wrong party, a wrong amount, a non-finance caller, a file
//! that cannot be read, the same file twice.

use serde_json::json;
use shared::dto::*;

use crate::contracts::{awarded, sign_request, terms_of};
use crate::helpers::*;

/// Advance of the awarded contract (10 % of ¥9,500,000) and its bond (5 %).
pub const ADVANCE: i64 = 95_000_000;
const BOND: i64 = 47_500_000;

pub fn ask(target: FundingTarget, milestone: Option<u32>) -> FundingRequestInput {
    FundingRequestInput { target, milestone, channel: FundingChannel::BankTransfer }
}

pub async fn send_for_signing(app: &TestApp, org: &OrgAccount, contract_id: &str) -> ContractView {
    app.as_(&org.token)
        .org(&org.id)
        .post(&format!("/contracts/{contract_id}/signing"), &json!({}))
        .await
        .expect("sent for signing")
}

pub async fn sign(app: &TestApp, org: &OrgAccount, contract_id: &str, sha256: &str) -> ContractView {
    app.as_(&org.token)
        .org(&org.id)
        .post(&format!("/contracts/{contract_id}/signatures"), &sign_request(sha256))
        .await
        .expect("signed")
}

pub async fn escrow(app: &TestApp, org: &OrgAccount, contract_id: &str) -> EscrowView {
    app.as_(&org.token).org(&org.id).get(&format!("/contracts/{contract_id}/escrow")).await.expect("escrow")
}

pub async fn request_funding(
    app: &TestApp,
    org: &OrgAccount,
    contract_id: &str,
    input: &FundingRequestInput,
    key: &str,
) -> Result<FundingRequestView, crate::typed::Refused> {
    app.as_(&org.token)
        .org(&org.id)
        .key(key)
        .post(&format!("/contracts/{contract_id}/funding-requests"), input)
        .await
}

/// Uploads a statement as a finance officer.
pub async fn import(
    app: &TestApp,
    token: &str,
    name: &str,
    bytes: Vec<u8>,
    key: Option<&str>,
) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned());
    let mut req = app
        .client
        .post(app.api("/finance/bank-statements"))
        .bearer_auth(token)
        .multipart(reqwest::multipart::Form::new().part("file", part));
    if let Some(key) = key {
        req = req.header("idempotency-key", key);
    }
    req.send().await.expect("request")
}

/// A statement export in the ICBC layout with these credit lines (serial, amount in yuan,
/// memo) and one outflow.
pub fn statement(lines: &[(&str, &str, &str)]) -> String {
    let mut text = String::from(
        "账号,110000000000000001\n户名,共筑平台资金监管专户\n\
         交易日期,交易时间,流水号,对方户名,对方账号,借方金额,贷方金额,余额,摘要\n\
         2026-12-07,09:00:00,OUT-1,某物业公司,6222000099998888,120.00,,0.00,手续费\n",
    );
    for (serial, yuan, memo) in lines {
        text.push_str(&format!(
            "2026-12-07,10:00:00,{serial},甲方建设集团,6222000011112222,,\"{yuan}\",,{memo}\n"
        ));
    }
    text.push_str("合计,,,,,120.00,,,\n");
    text
}

fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable, "GBK can hold the statement");
    bytes.into_owned()
}

pub fn ledger_balanced(app: &TestApp) -> api::db::models::ledger::LedgerSummary {
    let mut conn = app.db.get().expect("connection");
    api::db::models::ledger::check(&mut conn).expect("query").expect("ledger balanced")
}

#[tokio::test]
async fn a_bank_transfer_is_matched_from_the_statement_and_the_advance_releases_when_the_contract_takes_effect()
 {
    let app = spawn_app().await;
    let (c, contract) = awarded(&app).await;
    let id = contract.id.clone();
    let (payer, performer) = (&c.poster, &c.alpha);

    // A draft takes no money; the key is required on money-moving requests.
    let refused = request_funding(&app, payer, &id, &ask(FundingTarget::Milestone, Some(0)), "k-draft").await;
    assert!(refused.expect_err("draft").names("contract", "not_fundable"));
    let no_key = app
        .as_(&payer.token)
        .org(&payer.id)
        .post::<_, FundingRequestView>(
            &format!("/contracts/{id}/funding-requests"),
            &ask(FundingTarget::Milestone, Some(0)),
        )
        .await
        .expect_err("no key");
    no_key.assert(400, "idempotency_key_required");

    let with_bond = terms_of(&contract, |t| t.plan.performance_bond_bp = 500);
    app.as_(&payer.token)
        .org(&payer.id)
        .put::<_, ContractView>(&format!("/contracts/{id}/terms"), &with_bond)
        .await
        .expect("bond");
    let signing = send_for_signing(&app, payer, &id).await;
    let advance = request_funding(&app, payer, &id, &ask(FundingTarget::Milestone, Some(0)), "k-advance")
        .await
        .expect("asked");
    assert_eq!(advance.amount_fen, ADVANCE);
    assert_eq!(advance.status, FundingStatus::Pending);
    assert!(shared::domain::ledger::reference::is_valid(&advance.reference), "{}", advance.reference);
    let instructions = advance.instructions.clone().expect("instructions for the payer");
    assert_eq!(instructions.account_number, "110000000000000001");
    assert_eq!(instructions.reference, advance.reference);
    // A retry with the same key is the same request; another body with it is refused.
    let resp = app
        .client
        .post(app.api(&format!("/contracts/{id}/funding-requests")))
        .bearer_auth(&payer.token)
        .header("x-org-id", &payer.id)
        .header("idempotency-key", "k-advance")
        .json(&ask(FundingTarget::Milestone, Some(0)))
        .send()
        .await
        .expect("retry");
    assert_eq!(resp.status(), 201);
    assert_eq!(resp.headers()["idempotent-replayed"], "true");
    assert_eq!(resp.json::<FundingRequestView>().await.expect("json").id, advance.id);
    let mismatch =
        request_funding(&app, payer, &id, &ask(FundingTarget::Milestone, Some(1)), "k-advance").await;
    mismatch.expect_err("other body").assert(422, "idempotency_mismatch");
    // Funding the same milestone twice, the wrong party, an unknown milestone.
    let twice = request_funding(&app, payer, &id, &ask(FundingTarget::Milestone, Some(0)), "k-twice").await;
    assert!(twice.expect_err("pending").names("target", "funding_pending"));
    let wrong =
        request_funding(&app, performer, &id, &ask(FundingTarget::Milestone, Some(1)), "k-wrong").await;
    let wrong = wrong.expect_err("performer");
    assert_eq!(wrong.status, 403);
    assert!(wrong.names("target", "not_your_part"));
    let unknown = request_funding(&app, payer, &id, &ask(FundingTarget::Milestone, Some(9)), "k-9").await;
    assert!(unknown.expect_err("unknown").names("milestone", "unknown_milestone"));
    let both = request_funding(&app, payer, &id, &ask(FundingTarget::Bond, Some(1)), "k-both").await;
    assert!(both.expect_err("bond with milestone").names("milestone", "not_allowed"));
    let outsider =
        request_funding(&app, &c.beta, &id, &ask(FundingTarget::Milestone, Some(1)), "k-out").await;
    outsider.expect_err("not a party").assert(404, "not_found");
    let bond =
        request_funding(&app, performer, &id, &ask(FundingTarget::Bond, None), "k-bond").await.expect("bond");
    assert_eq!(bond.amount_fen, BOND);

    // The finance officer imports the statement (GBK): the advance matches; the bond's line
    // has the wrong amount; a line without a reference waits too.
    let officer = app.staff_member("finance@example.com", &["finance_officer"]).await;
    let text = statement(&[
        ("SN-1", "950,000.00", &format!("工程预付款 {}", advance.reference)),
        ("SN-2", "475,000.01", &format!("履约保证金{}", bond.reference)),
        ("SN-3", "475,000.00", "保证金（识别码漏写）"),
    ]);
    let plain = app.register("plain-finance@example.com").await;
    assert_error(import(&app, &plain.access_token, "s.csv", gbk(&text), Some("i-0")).await, 403, "forbidden")
        .await;
    assert_error(import(&app, &officer, "s.csv", gbk(&text), None).await, 400, "idempotency_key_required")
        .await;
    let imported = json_of(import(&app, &officer, "工行流水.csv", gbk(&text), Some("i-1")).await, 201).await;
    assert_eq!(imported["encoding"], "gbk");
    assert_eq!(
        (imported["lines"].as_i64(), imported["matched"].as_i64(), imported["queued"].as_i64()),
        (Some(3), Some(1), Some(2))
    );
    assert_eq!(imported["skipped_outflows"], 1);
    let held = escrow(&app, payer, &id).await;
    assert_eq!(held.milestones[0].funded_fen, ADVANCE);
    assert_eq!(held.milestones[0].balance_fen, ADVANCE, "held until the contract takes effect");
    assert_eq!(held.milestones[0].state, MilestoneMoneyState::Funded);
    assert_eq!(
        held.funding_requests.iter().find(|r| r.id == advance.id).expect("own").status,
        FundingStatus::Paid
    );
    // The same file again, and a new file repeating two lines, change nothing twice.
    let again = json_of(import(&app, &officer, "again.csv", gbk(&text), Some("i-2")).await, 201).await;
    assert_eq!(again["id"], imported["id"]);
    let repeat = statement(&[("SN-1", "950,000.00", &advance.reference), ("SN-4", "1.00", "")]);
    let partly =
        json_of(import(&app, &officer, "repeat.csv", repeat.into_bytes(), Some("i-3")).await, 201).await;
    assert_eq!(
        (partly["encoding"].as_str(), partly["already_imported"].as_i64(), partly["queued"].as_i64()),
        (Some("utf-8"), Some(1), Some(1))
    );
    assert_eq!(escrow(&app, payer, &id).await.milestones[0].funded_fen, ADVANCE);

    // Both sign: in force, the advance releases to the performer (no retention on the advance).
    sign(&app, payer, &id, &signing.current_sha256).await;
    let effective = sign(&app, performer, &id, &signing.current_sha256).await;
    assert_eq!(effective.status, ContractState::Effective);
    let released = escrow(&app, performer, &id).await;
    assert_eq!((released.milestones[0].released_fen, released.milestones[0].balance_fen), (ADVANCE, 0));
    assert_eq!(released.milestones[0].state, MilestoneMoneyState::Released);
    let wallet: WalletView = app
        .as_(&performer.token)
        .org(&performer.id)
        .get(&format!("/orgs/{}/wallet", performer.id))
        .await
        .expect("wallet");
    assert_eq!(wallet.available_fen, ADVANCE);
    let postings: PostingPage = app
        .as_(&performer.token)
        .org(&performer.id)
        .get(&format!("/orgs/{}/wallet/postings", performer.id))
        .await
        .expect("postings");
    assert_eq!(postings.items.len(), 1);
    assert_eq!(
        (postings.items[0].kind, postings.items[0].amount_fen, postings.items[0].balance_after_fen),
        (TransactionKind::Release, ADVANCE, ADVANCE)
    );
    // Another organisation's wallet is not readable.
    let foreign = app
        .as_(&c.beta.token)
        .org(&c.beta.id)
        .get::<WalletView>(&format!("/orgs/{}/wallet", performer.id))
        .await;
    foreign.expect_err("foreign").assert(404, "not_found");

    // The queue: the wrong-amount line cannot be matched to the bond; it is returned; the line
    // without a reference is matched by hand, which brings the bond in.
    let queue: StatementLinePage = app.as_(&officer).get("/finance/statement-lines").await.expect("queue");
    let by_serial = |s: &str| queue.items.iter().find(|l| l.serial == s).expect("queued").clone();
    let (sn2, sn3) = (by_serial("SN-2"), by_serial("SN-3"));
    assert_eq!((sn2.status, sn2.reason), (LineState::Mismatched, Some(QueueReason::AmountDiffers)));
    assert_eq!((sn3.status, sn3.reason), (LineState::Unmatched, Some(QueueReason::NoReference)));
    let resolve = |line: &str, body: serde_json::Value, key: &'static str| {
        let path = format!("/finance/statement-lines/{line}/resolution");
        let officer = officer.clone();
        let app = &app;
        async move { app.as_(&officer).key(key).post::<_, StatementLineView>(&path, &body).await }
    };
    let differs =
        resolve(&sn2.id, json!({"action": "match", "funding_request_id": bond.id, "note": "核对"}), "r-1")
            .await;
    assert!(differs.expect_err("amount").names("funding_request_id", "amount_differs"));
    let no_note = resolve(&sn2.id, json!({"action": "return", "note": " "}), "r-2").await;
    assert!(no_note.expect_err("note").names("note", "required"));
    let returned = resolve(&sn2.id, json!({"action": "return", "note": "金额不符，已原路退回"}), "r-3")
        .await
        .expect("returned");
    assert_eq!(returned.status, LineState::Returned);
    let matched = resolve(
        &sn3.id,
        json!({"action": "match", "funding_request_id": bond.id, "note": "付款方来电确认"}),
        "r-4",
    )
    .await
    .expect("matched");
    assert_eq!(
        (matched.status, matched.funding_request_id.as_deref()),
        (LineState::Resolved, Some(bond.id.as_str()))
    );
    let again = resolve(&sn3.id, json!({"action": "return", "note": "x"}), "r-5").await;
    assert!(again.expect_err("resolved").names("status", "not_queued"));
    assert_eq!(escrow(&app, performer, &id).await.bond.balance_fen, BOND);

    let summary = ledger_balanced(&app);
    assert_eq!(summary.transactions, 4, "advance in, advance out, 1 % of it to the risk reserve, bond in");
}

#[tokio::test]
async fn a_high_risk_contract_takes_effect_when_its_bond_arrives_and_the_advance_then_releases() {
    let app = spawn_app().await;
    let (c, contract) = awarded(&app).await;
    let id = contract.id.clone();
    let risky = terms_of(&contract, |t| {
        t.plan.milestones[0].value = 4_000;
        t.plan.milestones[1].value = 3_000;
        t.plan.performance_bond_bp = 500;
    });
    let high: ContractView = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .put(&format!("/contracts/{id}/terms"), &risky)
        .await
        .expect("saved");
    send_for_signing(&app, &c.poster, &id).await;
    let advance = request_funding(&app, &c.poster, &id, &ask(FundingTarget::Milestone, Some(0)), "a")
        .await
        .expect("advance");
    assert_eq!(advance.amount_fen, 380_000_000);
    let bond =
        request_funding(&app, &c.alpha, &id, &ask(FundingTarget::Bond, None), "b").await.expect("bond");
    sign(&app, &c.poster, &id, &high.current_sha256).await;
    let waiting = sign(&app, &c.alpha, &id, &high.current_sha256).await;
    assert_eq!(waiting.status, ContractState::Signing, "waits for the bond");

    let officer = app.staff_member("finance2@example.com", &["finance_officer"]).await;
    let text =
        statement(&[("A-1", "3,800,000.00", &advance.reference), ("A-2", "475,000.00", &bond.reference)]);
    let imported = json_of(import(&app, &officer, "s.csv", text.into_bytes(), Some("i")).await, 201).await;
    assert_eq!(imported["matched"], 2);
    let now: ContractView =
        app.as_(&c.alpha.token).org(&c.alpha.id).get(&format!("/contracts/{id}")).await.expect("contract");
    assert_eq!(now.status, ContractState::Effective, "the bond brought it into force");
    let view = escrow(&app, &c.alpha, &id).await;
    assert_eq!((view.bond.balance_fen, view.milestones[0].released_fen), (BOND, 380_000_000));
    let kinds = crate::tenders::kinds(&app, &c.alpha.token).await;
    let has = |kind| kinds.iter().any(|(k, _)| *k == kind);
    assert!(has(NotificationKind::EscrowReleased) && has(NotificationKind::EscrowFunded), "{kinds:?}");
    ledger_balanced(&app);
}

#[tokio::test]
async fn parallel_imports_of_one_statement_and_parallel_retries_credit_once() {
    let app = spawn_app().await;
    let (c, contract) = awarded(&app).await;
    let id = contract.id.clone();
    send_for_signing(&app, &c.poster, &id).await;
    // Eight parallel requests with one key create one funding request.
    let input = ask(FundingTarget::Milestone, Some(1));
    let tries = (0..8).map(|_| request_funding(&app, &c.poster, &id, &input, "same"));
    let made: Vec<_> = futures::future::join_all(tries)
        .await
        .into_iter()
        .map(|r| r.expect("created or replayed").id)
        .collect();
    assert!(made.iter().all(|m| *m == made[0]), "{made:?}");
    assert_eq!(escrow(&app, &c.poster, &id).await.funding_requests.len(), 1);
    let request = escrow(&app, &c.poster, &id).await.funding_requests[0].clone();

    let officer = app.staff_member("finance3@example.com", &["finance_officer"]).await;
    let text = statement(&[("P-1", "5,700,000.00", &request.reference)]);
    let imports = (0..4).map(|i| {
        let (app, officer, bytes) = (&app, officer.clone(), text.clone().into_bytes());
        async move { import(app, &officer, "s.csv", bytes, Some(["x0", "x1", "x2", "x3"][i])).await.status() }
    });
    let statuses = futures::future::join_all(imports).await;
    assert!(statuses.iter().all(|s| s.as_u16() == 201), "{statuses:?}");
    let view = escrow(&app, &c.poster, &id).await;
    assert_eq!(view.milestones[1].funded_fen, 570_000_000, "credited once");
    assert_eq!(app.count("bank_statements"), 1);
    assert_eq!(ledger_balanced(&app).transactions, 1);

    // `gongzhu ledger-check` passes, and names a cached balance that disagrees with its postings.
    api::ops::cli::run_offline(api::ops::cli::Command::LedgerCheck, app.config.clone()).expect("balanced");
    app.sql("UPDATE ledger_accounts SET balance_fen = balance_fen + 1 WHERE id = 'clearing'");
    let err = api::ops::cli::run_offline(api::ops::cli::Command::LedgerCheck, app.config.clone())
        .expect_err("tampered");
    assert!(err.to_string().contains("account clearing: cached balance"), "{err}");
}

#[tokio::test]
async fn unreadable_statements_are_refused_whole_and_change_nothing() {
    let app = spawn_app().await;
    let officer = app.staff_member("finance4@example.com", &["finance_officer"]).await;
    let bad = "交易日期,流水号,贷方金额,摘要\n2026-13-01,S1,10.00,\n2026-12-01,S2,abc,\n";
    let refused = assert_error(
        import(&app, &officer, "bad.csv", bad.as_bytes().to_vec(), Some("b1")).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(
        has_issue(&refused, "row[2].date", "invalid_date")
            && has_issue(&refused, "row[3].amount", "invalid_amount"),
        "{refused:?}"
    );
    let binary = vec![0xff, 0xfe, 0x00, 0x81, 0x00];
    let refused =
        assert_error(import(&app, &officer, "x.csv", binary, Some("b2")).await, 422, "validation_failed")
            .await;
    assert!(has_issue(&refused, "file", "unreadable_encoding"), "{refused:?}");
    let no_header = assert_error(
        import(&app, &officer, "x.csv", b"a,b\n1,2\n".to_vec(), Some("b3")).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(has_issue(&no_header, "file", "no_header_row"));
    assert_eq!(app.count("bank_statements"), 0);
    assert_eq!(app.count("bank_statement_lines"), 0);
    // The keys of refused requests are free again: a corrected file goes through with one.
    let good = statement(&[("G-1", "1.00", "")]);
    json_of(import(&app, &officer, "good.csv", good.into_bytes(), Some("b3")).await, 201).await;
}

fn answer_body(decision: &str, reason: Option<&str>) -> serde_json::Value {
    json!({"decision": decision, "reason": reason, "password": PASSWORD, "consent": true})
}

#[tokio::test]
async fn an_accepted_milestone_releases_its_escrow_less_retention_with_a_settlement_statement() {
    let app = spawn_app().await;
    let (c, contract) = awarded(&app).await;
    let id = contract.id.clone();
    let supervised = terms_of(&contract, |t| t.supervisor_org_id = Some(c.beta.id.clone()));
    app.as_(&c.poster.token)
        .org(&c.poster.id)
        .put::<_, ContractView>(&format!("/contracts/{id}/terms"), &supervised)
        .await
        .expect("supervisor");
    let signing = send_for_signing(&app, &c.poster, &id).await;
    sign(&app, &c.poster, &id, &signing.current_sha256).await;
    sign(&app, &c.alpha, &id, &signing.current_sha256).await;
    let first = request_funding(&app, &c.poster, &id, &ask(FundingTarget::Milestone, Some(1)), "m1")
        .await
        .expect("asked");
    assert_eq!(first.amount_fen, 570_000_000);
    let officer = app.staff_member("finance5@example.com", &["finance_officer"]).await;
    let text = statement(&[("M-1", "5,700,000.00", &first.reference)]);
    json_of(import(&app, &officer, "s.csv", text.into_bytes(), Some("i")).await, 201).await;

    // Asking: only the performer, not the advance, with quantities, once.
    let path = format!("/contracts/{id}/acceptances");
    let quantities = json!([{"item": "主体结构 C30 混凝土", "unit": "m³", "quantity": 1250.5}]);
    let ask_for = |org: &OrgAccount, milestone: u32, q: serde_json::Value| {
        let body = json!({"milestone": milestone, "quantities": q, "note": "主体结构完成"});
        let (app, path, token, org_id) = (&app, path.clone(), org.token.clone(), org.id.clone());
        async move { app.as_(&token).org(&org_id).post::<_, AcceptanceView>(&path, &body).await }
    };
    let advance = ask_for(&c.alpha, 0, quantities.clone()).await.expect_err("advance");
    assert!(advance.names("acceptance", "advance_not_accepted"), "{advance:?}");
    assert_eq!(ask_for(&c.poster, 1, quantities.clone()).await.expect_err("payer").status, 403);
    assert!(ask_for(&c.alpha, 1, json!([])).await.expect_err("empty").names("quantities", "required"));
    let asked = ask_for(&c.alpha, 1, quantities.clone()).await.expect("asked");
    assert_eq!((asked.status, asked.needs_supervisor), (AcceptanceState::Requested, true));
    assert!(
        ask_for(&c.alpha, 1, quantities.clone())
            .await
            .expect_err("twice")
            .names("acceptance", "already_requested")
    );

    // Answering: the payer, then the supervisor; re-authenticated; the key required.
    let answers = format!("{path}/{}/answers", asked.id);
    let answer_as = |org: &OrgAccount, body: serde_json::Value, key: &'static str| {
        let (app, answers, token, org_id) = (&app, answers.clone(), org.token.clone(), org.id.clone());
        async move { app.as_(&token).org(&org_id).key(key).post::<_, AcceptanceView>(&answers, &body).await }
    };
    assert_eq!(
        answer_as(&c.alpha, answer_body("confirm", None), "x1").await.expect_err("performer").status,
        403
    );
    let wrong = json!({"decision": "confirm", "password": "not-the-password", "consent": true});
    assert!(
        answer_as(&c.poster, wrong, "x2").await.expect_err("password").names("password", "wrong_password")
    );
    let by_payer = answer_as(&c.poster, answer_body("confirm", None), "x3").await.expect("payer confirms");
    assert_eq!(by_payer.status, AcceptanceState::Requested, "the supervisor must confirm too");
    assert!(
        answer_as(&c.poster, answer_body("confirm", None), "x4")
            .await
            .expect_err("again")
            .names("acceptance", "already_answered")
    );
    let accepted = answer_as(&c.beta, answer_body("confirm", None), "x5").await.expect("supervisor confirms");
    assert_eq!(accepted.status, AcceptanceState::Accepted);
    let s = accepted.settlement.clone().expect("settlement");
    assert_eq!(
        (s.milestone_amount_fen, s.retention_fen, s.paid_now_fen, s.unpaid_fen),
        (570_000_000, 17_100_000, 552_900_000, 0)
    );
    // The retry of the last answer replays; nothing moves twice.
    let replay = answer_as(&c.beta, answer_body("confirm", None), "x5").await.expect("replayed");
    assert_eq!(replay.id, accepted.id);
    let view = escrow(&app, &c.alpha, &id).await;
    assert_eq!(
        (view.milestones[1].released_fen, view.milestones[1].balance_fen, view.retention_fen),
        (570_000_000, 0, 17_100_000)
    );
    let wallet: WalletView = app
        .as_(&c.alpha.token)
        .org(&c.alpha.id)
        .get(&format!("/orgs/{}/wallet", c.alpha.id))
        .await
        .expect("wallet");
    assert_eq!((wallet.available_fen, wallet.retention_fen), (552_900_000, 17_100_000));

    // The settlement statement: the stored PDF, in Chinese, with the figures.
    let pdf = app
        .as_org(
            reqwest::Method::GET,
            &format!("{path}/{}/statement.pdf", asked.id),
            &c.poster.token,
            &c.poster.id,
            None,
        )
        .await;
    assert_eq!(pdf.status(), 200);
    let bytes = pdf.bytes().await.expect("bytes").to_vec();
    assert_eq!(Some(api::routes::files::service::sha256(&bytes)), accepted.statement_sha256);
    let text = crate::contracts::pdf_text(&bytes);
    assert!(text.contains("结算单") && text.contains("¥5529000.00") && text.contains("¥171000.00"), "{text}");

    // A rejection needs a reason; the performer may ask again.
    let second = ask_for(&c.alpha, 2, quantities.clone()).await.expect("asked");
    let answers2 = format!("{path}/{}/answers", second.id);
    let no_reason = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .key("y1")
        .post::<_, AcceptanceView>(&answers2, &answer_body("reject", None))
        .await;
    assert!(no_reason.expect_err("reason").names("reason", "required"));
    let rejected: AcceptanceView = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .key("y2")
        .post(&answers2, &answer_body("reject", Some("防水层未做闭水试验")))
        .await
        .expect("rejected");
    assert_eq!(rejected.status, AcceptanceState::Rejected);
    ask_for(&c.alpha, 2, quantities.clone()).await.expect("asked again");

    // Milestone 2 accepted before it is funded: accepted-but-unpaid; the money releases on arrival.
    let third = ask_for(&c.alpha, 2, quantities).await.expect_err("open request").status;
    assert_eq!(third, 409);
    let open: Vec<AcceptanceView> = app.as_(&c.alpha.token).org(&c.alpha.id).get(&path).await.expect("list");
    let open = open.iter().find(|a| a.status == AcceptanceState::Requested).expect("open").id.clone();
    let answers3 = format!("{path}/{open}/answers");
    app.as_(&c.poster.token)
        .org(&c.poster.id)
        .key("z1")
        .post::<_, AcceptanceView>(&answers3, &answer_body("confirm", None))
        .await
        .expect("payer");
    let unpaid: AcceptanceView = app
        .as_(&c.beta.token)
        .org(&c.beta.id)
        .key("z2")
        .post(&answers3, &answer_body("confirm", None))
        .await
        .expect("supervisor");
    let s = unpaid.settlement.expect("settlement");
    assert_eq!((s.paid_now_fen, s.unpaid_fen), (0, 285_000_000 - 8_550_000));
    let rest = request_funding(&app, &c.poster, &id, &ask(FundingTarget::Milestone, Some(2)), "m2")
        .await
        .expect("asked");
    let text = statement(&[("M-2", "2,850,000.00", &rest.reference)]);
    json_of(import(&app, &officer, "s2.csv", text.into_bytes(), Some("i2")).await, 201).await;
    let view = escrow(&app, &c.alpha, &id).await;
    assert_eq!((view.milestones[2].released_fen, view.retention_fen), (285_000_000, 17_100_000 + 8_550_000));
    assert_eq!(ledger_balanced(&app).transactions, 6, "two fundings, two releases, two reserve accruals");
    let mut conn = app.db.get().expect("connection");
    let reserve = api::db::models::ledger::AccountRow::find(&mut conn, "risk_reserve")
        .expect("query")
        .expect("reserve");
    assert_eq!(reserve.balance_fen, (570_000_000 + 285_000_000) / 100);
}
