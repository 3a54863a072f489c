//! Withdrawals (issue #16): the bank account (the organisation's own, sealed, shown masked,
//! revealed to finance by an audited action), asking for a withdrawal with re-authentication,
//! finance confirming it — above the dual-control amount only after a second officer — or
//! rejecting it, the organisation cancelling it; and the staff escrow release, a dual-control
//! request. Every refusal changes nothing: no bank account, above the balance, the wrong
//! organisation, a plain member, the same officer twice, a decided withdrawal.

use serde_json::json;
use shared::dto::*;

use crate::contracts::awarded;
use crate::escrow::{
    ask, escrow, import, ledger_balanced, request_funding, send_for_signing, sign, statement,
};
use crate::helpers::*;

/// The advance of the awarded contract (10 % of ¥9,500,000), released to the performer.
const ADVANCE: i64 = 95_000_000;
const NUMBER: &str = "6222 0212 3456 7891 234";

/// An awarded contract brought into force with its advance funded and released: the performer
/// has ¥950,000 available. Returns the cast, the contract id and a finance officer's token.
async fn paid_advance(app: &TestApp) -> (crate::tenders::Cast, String, String) {
    let (c, contract) = awarded(app).await;
    let id = contract.id.clone();
    let signing = send_for_signing(app, &c.poster, &id).await;
    sign(app, &c.poster, &id, &signing.current_sha256).await;
    sign(app, &c.alpha, &id, &signing.current_sha256).await;
    let advance = request_funding(app, &c.poster, &id, &ask(FundingTarget::Milestone, Some(0)), "adv")
        .await
        .expect("asked");
    let officer = app.staff_member("finance-a@example.com", &["finance_officer"]).await;
    let text = statement(&[("A-1", "950,000.00", &advance.reference)]);
    json_of(import(app, &officer, "s.csv", text.into_bytes(), Some("imp")).await, 201).await;
    (c, id, officer)
}

async fn wallet(app: &TestApp, org: &OrgAccount) -> WalletView {
    app.as_(&org.token).org(&org.id).get(&format!("/orgs/{}/wallet", org.id)).await.expect("wallet")
}

fn account_body(name: &str, number: &str, password: &str) -> serde_json::Value {
    json!({"account_name": name, "bank_name": "中国工商银行", "branch": "杭州西湖支行",
           "account_number": number, "password": password})
}

async fn withdraw(
    app: &TestApp,
    org: &OrgAccount,
    amount_fen: i64,
    key: &str,
) -> Result<PayoutView, crate::typed::Refused> {
    let body = json!({"amount_fen": amount_fen, "password": PASSWORD});
    app.as_(&org.token).org(&org.id).key(key).post(&format!("/orgs/{}/payouts", org.id), &body).await
}

async fn decide(
    app: &TestApp,
    officer: &str,
    payout: &str,
    body: serde_json::Value,
    key: &str,
) -> Result<PayoutView, crate::typed::Refused> {
    app.as_(officer).key(key).post(&format!("/finance/payouts/{payout}/decision"), &body).await
}

#[tokio::test]
async fn withdrawals_go_to_the_organisations_own_account_and_need_two_officers_above_the_limit() {
    let app = spawn_app().await;
    let (c, _, officer) = paid_advance(&app).await;
    let me = &c.alpha;
    let path = format!("/orgs/{}/bank-account", me.id);
    assert_eq!(wallet(&app, me).await.available_fen, ADVANCE);

    // No account yet: nothing to withdraw to.
    let none = app.as_(&me.token).org(&me.id).get::<BankAccountView>(&path).await.expect_err("none");
    assert!(none.names("bank_account", "none"), "{none:?}");
    assert!(withdraw(&app, me, 100, "w0").await.expect_err("no account").names("bank_account", "none"));

    // Setting it: the organisation's own name, a real number, the right password, its admins.
    let name = me.spec.name.clone();
    let set = |body: serde_json::Value, who: &OrgAccount| {
        let (app, path, token, org) = (&app, path.clone(), who.token.clone(), who.id.clone());
        async move { app.as_(&token).org(&org).put::<_, BankAccountView>(&path, &body).await }
    };
    let other_name = set(account_body("某某个人", NUMBER, PASSWORD), me).await.expect_err("other holder");
    assert!(other_name.names("account_name", "not_the_organisation"), "{other_name:?}");
    assert!(
        set(account_body(&name, "6222-ABC", PASSWORD), me)
            .await
            .expect_err("bad")
            .names("account_number", "invalid")
    );
    assert!(
        set(account_body(&name, NUMBER, "wrong-password"), me)
            .await
            .expect_err("pw")
            .names("password", "wrong_password")
    );
    assert_eq!(set(account_body(&name, NUMBER, PASSWORD), &c.beta).await.expect_err("other org").status, 404);
    let account = set(account_body(&name, NUMBER, PASSWORD), me).await.expect("set");
    assert_eq!(account.masked_number, "6222***********1234");
    let shown = app.as_(&me.token).org(&me.id).get::<BankAccountView>(&path).await.expect("shown");
    assert_eq!(shown.id, account.id);

    // Asking: a positive amount within the balance, with the key.
    assert!(withdraw(&app, me, 0, "w1").await.expect_err("zero").names("amount_fen", "too_small"));
    let over = withdraw(&app, me, ADVANCE + 1, "w2").await.expect_err("over");
    assert!(over.names("amount_fen", "insufficient_funds"), "{over:?}");
    let no_key = app
        .as_(&me.token)
        .org(&me.id)
        .post::<_, PayoutView>(
            &format!("/orgs/{}/payouts", me.id),
            &json!({"amount_fen": 1, "password": PASSWORD}),
        )
        .await
        .expect_err("no key");
    no_key.assert(400, "idempotency_key_required");
    let small = withdraw(&app, me, 1_000_000, "w3").await.expect("asked");
    assert_eq!((small.status, small.needs_second_officer), (PayoutState::Requested, false));
    assert_eq!(withdraw(&app, me, 1_000_000, "w3").await.expect("replayed").id, small.id);
    let held = wallet(&app, me).await;
    assert_eq!((held.available_fen, held.payout_pending_fen), (ADVANCE - 1_000_000, 1_000_000));

    // Finance: only officers; confirming needs the bank's transaction number.
    let plain = app.register("not-finance@example.com").await;
    let refused = decide(
        &app,
        &plain.access_token,
        &small.id,
        json!({"action": "confirm", "bank_reference": "X"}),
        "d0",
    );
    assert_eq!(refused.await.expect_err("not staff").status, 403);
    let no_ref =
        decide(&app, &officer, &small.id, json!({"action": "confirm"}), "d1").await.expect_err("ref");
    assert!(no_ref.names("bank_reference", "required"));
    let queue: Vec<PayoutView> = app.as_(&officer).get("/finance/payouts").await.expect("queue");
    assert_eq!(queue.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), [small.id.as_str()]);
    assert_eq!(queue[0].bank_account.masked_number, "6222***********1234");
    let revealed: RevealedAccountNumber = app
        .as_(&officer)
        .post(&format!("/finance/payouts/{}/account-reveal", small.id), &json!({"reason": "办理转账"}))
        .await
        .expect("revealed");
    assert_eq!(revealed.account_number, "6222021234567891234");
    let sent =
        decide(&app, &officer, &small.id, json!({"action": "confirm", "bank_reference": "ICBC-0001"}), "d2")
            .await
            .expect("sent");
    assert_eq!((sent.status, sent.bank_reference.as_deref()), (PayoutState::Paid, Some("ICBC-0001")));
    let again = decide(&app, &officer, &small.id, json!({"action": "reject", "reason": "重复"}), "d3").await;
    assert!(again.expect_err("decided").names("status", "decided"));
    assert_eq!(wallet(&app, me).await.payout_pending_fen, 0);

    // Above ¥50,000 two different officers act: one approves, another confirms.
    let big = withdraw(&app, me, 20_000_000, "w4").await.expect("asked");
    assert!(big.needs_second_officer);
    let early =
        decide(&app, &officer, &big.id, json!({"action": "confirm", "bank_reference": "B-1"}), "d4").await;
    assert!(early.expect_err("one officer").names("action", "second_approval_required"));
    let approved =
        decide(&app, &officer, &big.id, json!({"action": "approve"}), "d5").await.expect("approved");
    assert_eq!(approved.status, PayoutState::Approved);
    let same =
        decide(&app, &officer, &big.id, json!({"action": "confirm", "bank_reference": "B-1"}), "d6").await;
    let same = same.expect_err("same officer");
    assert_eq!(same.status, 403);
    assert!(same.names("action", "same_officer"));
    let second = app.staff_member("finance-b@example.com", &["finance_officer"]).await;
    let paid = decide(&app, &second, &big.id, json!({"action": "confirm", "bank_reference": "B-1"}), "d7")
        .await
        .expect("paid");
    assert_eq!((paid.status, paid.approved_by.is_some()), (PayoutState::Paid, true));

    // The organisation withdraws a request nobody acted on; finance rejects another.
    let cancelled_one = withdraw(&app, me, 300_000, "w5").await.expect("asked");
    let cancel = |key: &'static str| {
        let (app, path, token, org) = (
            &app,
            format!("/orgs/{}/payouts/{}/cancellation", me.id, cancelled_one.id),
            me.token.clone(),
            me.id.clone(),
        );
        async move { app.as_(&token).org(&org).key(key).post::<_, PayoutView>(&path, &json!({})).await }
    };
    assert_eq!(cancel("c1").await.expect("cancelled").status, PayoutState::Cancelled);
    assert_eq!(cancel("c1").await.expect("replayed").status, PayoutState::Cancelled);
    assert!(cancel("c2").await.expect_err("twice").names("status", "not_cancellable"));
    let rejected_one = withdraw(&app, me, 400_000, "w6").await.expect("asked");
    let no_reason = decide(&app, &officer, &rejected_one.id, json!({"action": "reject"}), "d8").await;
    assert!(no_reason.expect_err("reason").names("reason", "required"));
    let rejected = decide(
        &app,
        &officer,
        &rejected_one.id,
        json!({"action": "reject", "reason": "户名与开户行不符"}),
        "d9",
    )
    .await
    .expect("rejected");
    assert_eq!(rejected.status, PayoutState::Rejected);

    let after = wallet(&app, me).await;
    assert_eq!((after.available_fen, after.payout_pending_fen), (ADVANCE - 1_000_000 - 20_000_000, 0));
    let list: Vec<PayoutView> =
        app.as_(&me.token).org(&me.id).get(&format!("/orgs/{}/payouts", me.id)).await.expect("list");
    assert_eq!(list.len(), 4);
    let audit: AuditPage = app.as_(&officer).get("/staff/audit?limit=100").await.expect("audit");
    let actions: Vec<&str> = audit.items.iter().map(|e| e.action.as_str()).collect();
    for action in [
        "bank_account.set",
        "payout.requested",
        "payout.account_revealed",
        "payout.approved",
        "payout.paid",
        "payout.rejected",
        "payout.cancelled",
    ] {
        assert!(actions.contains(&action), "{action} audited: {actions:?}");
    }
    ledger_balanced(&app);
}

#[tokio::test]
async fn a_staff_escrow_release_is_a_dual_control_request_of_two_finance_officers() {
    let app = spawn_app().await;
    let (c, id, officer) = paid_advance(&app).await;
    let first = request_funding(&app, &c.poster, &id, &ask(FundingTarget::Milestone, Some(1)), "m1")
        .await
        .expect("asked");
    let text = statement(&[("M-1", "5,700,000.00", &first.reference)]);
    json_of(import(&app, &officer, "m1.csv", text.into_bytes(), Some("imp-m1")).await, 201).await;
    assert_eq!(escrow(&app, &c.alpha, &id).await.milestones[1].balance_fen, 570_000_000);

    let ask_release = |milestone: u32| json!({"action": "release_escrow", "contract_id": id, "milestone": milestone, "reason": "线下验收单已核验"});
    let nothing = json_of(app.post("/staff/requests", &ask_release(2), Some(&officer)).await, 409).await;
    assert_eq!(nothing["details"][0]["issue"], "nothing_held");
    let missing = json!({"action": "release_escrow", "reason": "x"});
    let missing = json_of(app.post("/staff/requests", &missing, Some(&officer)).await, 422).await;
    assert_eq!(missing["details"][0]["field"], "contract_id");
    let operator = app.staff_member("operator@example.com", &["operator"]).await;
    assert_error(app.post("/staff/requests", &ask_release(1), Some(&operator)).await, 403, "forbidden").await;
    let request = json_of(app.post("/staff/requests", &ask_release(1), Some(&officer)).await, 201).await;
    let request_id = request["id"].as_str().expect("id").to_owned();
    let approval = format!("/staff/requests/{request_id}/approval");
    assert_error(app.post(&approval, &json!({}), Some(&officer)).await, 403, "forbidden").await;
    assert_error(app.post(&approval, &json!({}), Some(&operator)).await, 403, "forbidden").await;
    assert_eq!(escrow(&app, &c.alpha, &id).await.milestones[1].balance_fen, 570_000_000, "nothing moved");

    let second = app.staff_member("finance-b@example.com", &["finance_officer"]).await;
    let executed = json_of(app.post(&approval, &json!({}), Some(&second)).await, 200).await;
    assert_eq!(executed["status"], "executed");
    let view = escrow(&app, &c.alpha, &id).await;
    assert_eq!((view.milestones[1].released_fen, view.retention_fen), (570_000_000, 17_100_000));
    assert_eq!(wallet(&app, &c.alpha).await.available_fen, ADVANCE + 552_900_000);
    // Approving twice moves nothing twice.
    assert_eq!(app.post(&approval, &json!({}), Some(&second)).await.status(), 409);
    assert_eq!(wallet(&app, &c.alpha).await.available_fen, ADVANCE + 552_900_000);
    ledger_balanced(&app);
}
