//! WeChat Pay API v3 as a funding channel (issue #16), tested over HTTP against the protocol
//! simulator (`wechatpay_sim`): a milestone funded by a Native order whose notification credits
//! escrow once — through retries, a duplicate and an older event arriving late —; forged,
//! re-signed, stale, tampered and replayed notifications refused with nothing changed; an amount
//! mismatch left pending for finance; the channel refused when the platform has no merchant.

use serde_json::{Value, json};
use shared::dto::*;

use crate::contracts::awarded;
use crate::escrow::{ADVANCE, escrow, ledger_balanced, request_funding, send_for_signing};
use crate::helpers::*;
use crate::wechatpay_sim::{APPID, Delivery, MCHID, PLATFORM_KEY_ID, Simulator, configure_for, fixture};

fn by_wechat() -> FundingRequestInput {
    FundingRequestInput {
        target: FundingTarget::Milestone,
        milestone: Some(0),
        channel: FundingChannel::WechatPay,
    }
}

/// A server configured for a running simulator, which delivers to it.
async fn with_simulator() -> (TestApp, Simulator) {
    let sim = Simulator::start().await;
    let base = sim.base.clone();
    let configure = Box::new(move |c: &mut api::config::Config| configure_for(&base, c));
    let app = spawn_with(Spawn { configure: Some(configure), ..Spawn::default() }).await;
    sim.route_notifications_to(&app.base);
    (app, sim)
}

/// A contract out for signing and its payer's WeChat Pay request for the advance.
async fn asked(app: &TestApp, sim: &Simulator) -> (OrgAccount, String, FundingRequestView) {
    let (c, contract) = awarded(app).await;
    send_for_signing(app, &c.poster, &contract.id).await;
    sim.set_now(app.now());
    let request =
        request_funding(app, &c.poster, &contract.id, &by_wechat(), "wx-advance").await.expect("asked");
    (c.poster, contract.id, request)
}

fn count_where(app: &TestApp, table: &str, condition: &str) -> i64 {
    app.count(&format!("{table} WHERE {condition}"))
}

#[tokio::test]
async fn a_wechat_payment_credits_escrow_once_through_retries_duplicates_and_late_events() {
    let (app, sim) = with_simulator().await;
    let (payer, id, request) = asked(&app, &sim).await;
    assert_eq!(request.channel, FundingChannel::WechatPay);
    assert_eq!(request.instructions, None, "no bank transfer for a WeChat request");
    let code_url = request.code_url.clone().expect("a code_url for the payer");
    assert_eq!(code_url, format!("weixin://wxpay/bizpayurl?pr={}", request.reference));
    let order = sim.order(&request.reference).expect("the order reached WeChat Pay").body;
    assert_eq!(order["amount"], json!({"total": ADVANCE, "currency": "CNY"}));
    assert_eq!((order["mchid"].as_str(), order["appid"].as_str()), (Some(MCHID), Some(APPID)));
    assert_eq!(order["notify_url"], "https://gongzhu.example/api/v1/payments/wechat/notify");
    // A retry with the same key is the same request with the same link.
    let again = request_funding(&app, &payer, &id, &by_wechat(), "wx-advance").await.expect("replayed");
    assert_eq!((again.id, again.code_url), (request.id.clone(), Some(code_url)));

    let transactions = app.count("ledger_transactions");
    let statuses =
        sim.pay(&request.reference, Delivery { duplicate: true, older_after: true, total: None }).await;
    assert_eq!(statuses, vec![204, 204, 204], "success, its duplicate, the older NOTPAY: all acknowledged");
    assert_eq!(app.count("ledger_transactions"), transactions + 1, "one posting");
    let held = escrow(&app, &payer, &id).await;
    assert_eq!((held.milestones[0].funded_fen, held.milestones[0].balance_fen), (ADVANCE, ADVANCE));
    let paid = &held.funding_requests[0];
    assert_eq!(paid.status, FundingStatus::Paid);
    assert_eq!(paid.code_url, None, "nothing to pay any more");
    let wallet: WalletView = app
        .as_(&payer.token)
        .org(&payer.id)
        .get(&format!("/orgs/{}/wallet", payer.id))
        .await
        .expect("wallet");
    assert_eq!(wallet.in_escrow_fen, ADVANCE);
    ledger_balanced(&app);
    assert_eq!(app.count("wechat_pay_notifications"), 2, "the success once, the older event once");
    assert_eq!(count_where(&app, "wechat_pay_notifications", "outcome = 'credited'"), 1);
    assert_eq!(
        count_where(&app, "funding_requests", "provider_state = 'SUCCESS'"),
        1,
        "the late NOTPAY did not overwrite"
    );
    assert_eq!(count_where(&app, "audit_log", "action = 'payments.wechat_credited'"), 1);

    // Another notification id for the same paid transaction changes nothing either.
    let late = sim.notification(&request.reference, "SUCCESS", None);
    assert_eq!(sim.deliver_with_retries(&request.reference, &late, 1).await, vec![204]);
    assert_eq!(app.count("ledger_transactions"), transactions + 1);
}

fn with_header(headers: &[(&'static str, String)], name: &str, value: &str) -> Vec<(&'static str, String)> {
    headers.iter().map(|(n, v)| (*n, if *n == name { value.to_owned() } else { v.clone() })).collect()
}

#[tokio::test]
async fn forged_stale_tampered_and_replayed_notifications_are_refused_and_change_nothing() {
    let (app, sim) = with_simulator().await;
    let (payer, id, request) = asked(&app, &sim).await;
    let reference = request.reference.clone();
    let body = sim.notification(&reference, "SUCCESS", None);
    let signed = sim.headers(&body, None);
    let (transactions, audit) = (app.count("ledger_transactions"), app.count("audit_log"));

    // Signed over another body (forged), another serial, five minutes and more old, a header
    // missing, a tampered ciphertext signed anew, the captured body with fresh headers but the
    // old signature (a replay attempt).
    let other = sim.notification(&reference, "SUCCESS", None);
    let forged = with_header(&signed, "wechatpay-signature", &sim.headers(&other, None)[2].1);
    assert_eq!(sim.deliver(&reference, &body, &forged).await, 401);
    assert_eq!(
        sim.deliver(&reference, &body, &with_header(&signed, "wechatpay-serial", "PUB_KEY_ID_OTHER")).await,
        401
    );
    let stale = sim.headers(&body, Some(sim.now() - 301));
    assert_eq!(sim.deliver(&reference, &body, &stale).await, 401);
    let missing: Vec<_> = signed.iter().filter(|(n, _)| *n != "wechatpay-signature").cloned().collect();
    assert_eq!(sim.deliver(&reference, &body, &missing).await, 400);
    let mut tampered: Value = serde_json::from_str(&body).expect("json");
    let ciphertext = tampered["resource"]["ciphertext"].as_str().expect("ciphertext").to_owned();
    let flipped = if ciphertext.starts_with('A') { "B" } else { "A" };
    tampered["resource"]["ciphertext"] = json!(format!("{flipped}{}", &ciphertext[1..]));
    let tampered = tampered.to_string();
    assert_eq!(sim.deliver(&reference, &tampered, &sim.headers(&tampered, None)).await, 400);
    let fresh = sim.headers(&body, Some(sim.now() + 1));
    let replayed = with_header(&fresh, "wechatpay-signature", &signed[2].1);
    assert_eq!(sim.deliver(&reference, &body, &replayed).await, 401);
    assert_eq!(signed[3], ("wechatpay-serial", PLATFORM_KEY_ID.to_owned()));
    let not_json = "{\"id\":1}";
    assert_eq!(sim.deliver(&reference, not_json, &sim.headers(not_json, None)).await, 400);

    // Nothing changed.
    assert_eq!(app.count("wechat_pay_notifications"), 0);
    assert_eq!((app.count("ledger_transactions"), app.count("audit_log")), (transactions, audit));
    let held = escrow(&app, &payer, &id).await;
    assert_eq!((held.milestones[0].funded_fen, held.funding_requests[0].status), (0, FundingStatus::Pending));

    // A payment of another amount is recorded and audited for finance, answered with an error
    // (WeChat Pay retries; each retry finds the record), and credits nothing.
    let short = sim.pay(&reference, Delivery { total: Some(ADVANCE - 1), ..Delivery::default() }).await;
    assert_eq!(short, vec![400, 400, 400]);
    assert_eq!(count_where(&app, "wechat_pay_notifications", "outcome = 'mismatch'"), 1);
    assert_eq!(count_where(&app, "audit_log", "action = 'payments.wechat_mismatch'"), 1);
    assert_eq!(app.count("ledger_transactions"), transactions);
    let held = escrow(&app, &payer, &id).await;
    assert_eq!((held.milestones[0].funded_fen, held.funding_requests[0].status), (0, FundingStatus::Pending));

    // The genuine notification credits; the same delivery replayed within the window changes
    // nothing and is acknowledged.
    assert_eq!(sim.deliver(&reference, &body, &signed).await, 204);
    assert_eq!(sim.deliver(&reference, &body, &signed).await, 204);
    assert_eq!(app.count("ledger_transactions"), transactions + 1);
    assert_eq!(escrow(&app, &payer, &id).await.milestones[0].funded_fen, ADVANCE);
    ledger_balanced(&app);
}

#[tokio::test]
async fn the_wechat_channel_is_refused_when_the_platform_has_no_merchant() {
    let app = spawn_app().await;
    let (c, contract) = awarded(&app).await;
    send_for_signing(&app, &c.poster, &contract.id).await;
    let refused =
        request_funding(&app, &c.poster, &contract.id, &by_wechat(), "wx-none").await.expect_err("refused");
    assert_eq!(refused.status, 409);
    assert!(refused.names("channel", "not_configured"));
    assert_eq!(app.count("funding_requests"), 0);
    let resp = app.client.post(app.api("/payments/wechat/notify")).body("{}").send().await.expect("notify");
    assert_eq!(resp.status(), 404);
    assert_eq!(resp.json::<Value>().await.expect("json")["code"], "FAIL");
}

#[tokio::test]
async fn an_order_wechat_pay_refuses_is_a_clear_409_and_the_request_waits_without_a_link() {
    let sim = Simulator::start().await;
    let base = sim.base.clone();
    // The merchant key on the server is not the one WeChat Pay knows.
    let configure = Box::new(move |c: &mut api::config::Config| {
        configure_for(&base, c);
        c.wechatpay_merchant_key_path = fixture("platform_key.pem").into();
    });
    let app = spawn_with(Spawn { configure: Some(configure), ..Spawn::default() }).await;
    let (c, contract) = awarded(&app).await;
    send_for_signing(&app, &c.poster, &contract.id).await;
    let refused =
        request_funding(&app, &c.poster, &contract.id, &by_wechat(), "wx-bad").await.expect_err("refused");
    assert_eq!(refused.status, 409);
    assert!(refused.names("channel", "provider_unavailable"));
    assert_eq!(sim.refused_orders(), 1);
    assert_eq!(count_where(&app, "funding_requests", "status = 'pending' AND code_url IS NULL"), 1);
}
