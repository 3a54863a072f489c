//! Browser journey of escrow (资金监管), in headless Chromium against the real SPA and server: an
//! awarded contract is sent for signing through the API; the payer opens it, funds the advance
//! (milestone 0) and reads the transfer instructions with the reference; a finance officer
//! (TOTP on) imports the bank statement quoting that reference in the finance console, which
//! matches it, and records a line without a reference as returned; the payer's contract page shows the advance funded; both parties sign through the
//! API, the contract takes effect and the advance is released; the performer's wallet page shows
//! ¥950,000.00 available and the release posting.
//! `#[ignore]`d like the other browser tests; run with `GONGZHU_TEST_WEB_DIR` set.

use serde_json::{Value, json};
use shared::dto::{ContractState, ContractView, EscrowView, FundingStatus, MilestoneMoneyState};

use crate::contracts::{awarded, sign_request};
use crate::escrow::statement;
use crate::helpers::*;
use crate::webdriver::*;

/// Makes `email` a finance officer with TOTP on; returns the TOTP secret.
pub async fn finance_officer(app: &TestApp, email: &str) -> String {
    staff_with_totp(app, email, &["finance_officer"]).await
}

/// Makes `email` a staff member holding `roles`, with TOTP on; returns the TOTP secret.
pub async fn staff_with_totp(app: &TestApp, email: &str, roles: &[&str]) -> String {
    use api::auth::totp::{code_for_step, step_at};
    let session = app.register(email).await;
    for role in roles {
        api::ops::staff_cli::create_staff(&app.db, &app.config, email, role, "平台员工").expect("grant role");
    }
    let enrolment: Value =
        json_of(app.post("/me/totp", &json!({"password": PASSWORD}), Some(&session.access_token)).await, 201)
            .await;
    let secret = enrolment["secret"].as_str().expect("secret").to_owned();
    let code = code_for_step(&secret, step_at(app.now().timestamp())).expect("code");
    let confirmed =
        app.post("/me/totp/confirmation", &json!({"code": code}), Some(&session.access_token)).await;
    assert_eq!(confirmed.status(), 204, "TOTP confirmation");
    secret
}

/// Signs in with password and TOTP code by the server's clock (the tender moved it on).
pub async fn sign_in_staff(browser: &Browser, app: &TestApp, email: &str, secret: &str) {
    use api::auth::totp::{code_for_step, step_at};
    browser.goto(&format!("{}/login", app.base)).await;
    browser.type_into("#login-login", email).await;
    browser.type_into("#login-password", PASSWORD).await;
    browser.click("#login-submit").await;
    browser.find("#login-code").await;
    // The next step's code: the current one turned TOTP on.
    let code = code_for_step(secret, step_at(app.now().timestamp()) + 1).expect("code");
    browser.type_into("#login-code", &code).await;
    browser.click("#login-submit").await;
    browser.wait_url("/account").await;
}

#[tokio::test]
#[ignore = "needs Chromium and the built SPA; run by scripts/test.sh"]
async fn browser_escrow_fund_the_advance_match_the_statement_and_see_the_release_in_the_wallet() {
    let app = spawn_with(Spawn { web_dir: Some(web_dir()), ..Spawn::default() }).await;
    let (c, contract) = awarded(&app).await;
    let (payer, performer) = (&c.poster, &c.alpha);
    let contract_path = format!("/contracts/{}", contract.id);
    let signing: ContractView = app
        .as_(&payer.token)
        .org(&payer.id)
        .post(&format!("{contract_path}/signing"), &json!({}))
        .await
        .expect("sent for signing");
    assert_eq!(signing.status, ContractState::Signing);

    // The payer funds the advance and reads where to send it.
    let browser = Browser::start().await;
    browser.sign_in(&app, "gc@build.test", None).await;
    browser.goto(&format!("{}{contract_path}", app.base)).await;
    browser.wait_text("#contract-escrow", "资金监管").await;
    browser.wait_text("#escrow-milestones li[data-milestone='0'] .escrow-state", "未托管").await;
    browser.wait_text("#escrow-fund-0", "¥950,000.00").await;
    browser.find("#escrow-no-requests").await;
    browser.click("#escrow-fund-0").await;
    browser.wait_text("#escrow-requests .transfer-amount", "¥950,000.00").await;
    browser.wait_text("#escrow-requests .transfer-account-number", "110000000000000001").await;
    browser.wait_text("#escrow-requests .transfer-account-name", "共筑平台资金监管专户").await;
    browser.wait_text("#escrow-requests .transfer-memo-note", "识别码").await;
    browser.wait_text("#escrow-milestones li[data-milestone='0'] .escrow-state", "已申请付款").await;
    assert_eq!(browser.count("#escrow-fund-0").await, 0, "nothing more to fund on the advance");
    let reference = browser.text("#escrow-requests .transfer-reference").await;
    let escrow: EscrowView =
        app.as_(&payer.token).org(&payer.id).get(&format!("{contract_path}/escrow")).await.expect("escrow");
    assert_eq!(escrow.funding_requests.len(), 1, "one click, one request");
    assert_eq!(escrow.funding_requests[0].reference, reference.trim());
    assert_eq!(escrow.funding_requests[0].status, FundingStatus::Pending);
    browser.screenshot("escrow-01-instructions").await;

    // The finance officer imports the statement quoting the reference: it is matched.
    let secret = finance_officer(&app, "finance@gongzhu.test").await;
    let officer = Browser::start().await;
    sign_in_staff(&officer, &app, "finance@gongzhu.test", &secret).await;
    officer.goto(&format!("{}/staff/finance", app.base)).await;
    officer.find("#finance-queue-empty").await;
    let dir = TempDir(std::env::temp_dir().join(format!("gz-stmt-{}", uuid::Uuid::now_v7().simple())));
    std::fs::create_dir_all(&dir.0).expect("temp dir");
    let file = dir.0.join("statement.csv");
    let text = statement(&[
        ("SN-1", "950,000.00", &format!("工程预付款 {}", reference.trim())),
        ("SN-2", "1.00", "无识别码的来款"),
    ]);
    std::fs::write(&file, text).expect("write statement");
    officer.choose_file("#finance-file", &file).await;
    officer.click("#finance-import").await;
    officer.wait_text("#finance-import-result .count-lines", "2").await;
    officer.wait_text("#finance-import-result .count-matched", "1").await;
    officer.wait_text("#finance-import-result .count-queued", "1").await;
    officer.wait_text("#finance-import-result .count-outflows", "1").await;
    officer.wait_text("#finance-imports", "statement.csv").await;
    // The line without a reference waits; it is recorded as sent back, with a note.
    let line = "#finance-queue li[data-serial='SN-2']";
    officer.wait_text(&format!("{line} .line-reason"), "摘要中没有识别码").await;
    officer.click(&format!("{line} .line-return")).await;
    officer.click(&format!("{line} .line-confirm")).await;
    officer.find(&format!("{line} .field-error")).await;
    officer.type_into(&format!("{line} .line-note"), "已原路退回付款人").await;
    officer.click(&format!("{line} .line-confirm")).await;
    officer.find("#finance-queue-empty").await;
    assert_eq!(app.count("bank_statement_lines"), 2);
    officer.screenshot("escrow-02-imported").await;

    // The payer sees the advance funded.
    browser.goto(&format!("{}{contract_path}", app.base)).await;
    browser.wait_text("#escrow-milestones li[data-milestone='0'] .escrow-state", "已足额托管").await;
    browser.wait_text("#escrow-milestones li[data-milestone='0'] .escrow-held", "¥950,000.00").await;
    browser.wait_text("#escrow-requests .request-status", "已到账").await;

    // Both sign; the contract takes effect and the advance is released to the performer.
    for org in [payer, performer] {
        let _: ContractView = app
            .as_(&org.token)
            .org(&org.id)
            .post(&format!("{contract_path}/signatures"), &sign_request(&signing.current_sha256))
            .await
            .expect("signed");
    }
    let released: EscrowView = app
        .as_(&performer.token)
        .org(&performer.id)
        .get(&format!("{contract_path}/escrow"))
        .await
        .expect("escrow");
    assert_eq!(released.milestones[0].state, MilestoneMoneyState::Released);

    let performer_browser = Browser::start().await;
    performer_browser.resize(375, 812).await;
    performer_browser.sign_in(&app, "alpha@steel.test", None).await;
    performer_browser.click("#nav-wallet").await;
    performer_browser.wait_url("/wallet").await;
    performer_browser.wait_text("#wallet-available", "¥950,000.00").await;
    performer_browser.wait_text("#wallet-postings li.posting .posting-kind", "节点款释放").await;
    performer_browser.wait_text("#wallet-postings li.posting .posting-amount", "+¥950,000.00").await;
    performer_browser.wait_text("#wallet-postings li.posting .posting-balance", "¥950,000.00").await;
    performer_browser.assert_fits("the wallet at 375 px").await;
    performer_browser.screenshot("escrow-03-wallet-375").await;
    performer_browser.click("#lang-switch").await;
    performer_browser.wait_text("#wallet-postings li.posting .posting-kind", "Release").await;

    browser.assert_no_console_errors(&[]).await;
    officer.assert_no_console_errors(&[]).await;
    // The wallet asks for the withdrawal account, which is not set yet (404).
    performer_browser.assert_no_console_errors(&["/bank-account"]).await;
}
