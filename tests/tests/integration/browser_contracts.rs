//! Browser journey of a contract (合同), in headless Chromium against the real SPA and server:
//! a tender is awarded through the API (as in `tenders.rs`); the contractor follows the tender's
//! link to the drafted contract, is held to the shares rule by the editor's own check, changes
//! the duration and reads the diff, and sends it for signing; the supplier finds it under "my
//! contracts", opens the signing ceremony, is refused with a wrong password (nothing signed),
//! then signs with re-authentication; the contractor signs; the contract is in force, verifies,
//! fits 375 px, switches to English, and its certificate — downloaded through the page's button
//! into Chromium's download directory — names both parties (`pdftotext`).
//! `#[ignore]`d like the other browser tests; run with `GONGZHU_TEST_WEB_DIR` set.

use shared::dto::{AwardRequest, ContractState, ContractView, MarksView, TenderView};

use crate::helpers::*;
use crate::tenders::{bid, cast, marks, offer, open_tender, pass_deadline};
use crate::webdriver::*;

const PAYER: &str = "杭州城建集团有限公司";
const PERFORMER: &str = "浙江精工钢构有限公司";

/// Signs the open contract page's current version through the ceremony.
async fn sign(browser: &Browser, password: &str) {
    browser.click("#contract-sign").await;
    browser.find("#signing-ceremony").await;
    if !browser
        .eval("return document.querySelector('#signing-agree').checked")
        .await
        .as_bool()
        .unwrap_or(false)
    {
        browser.click("#signing-agree").await;
    }
    browser.type_into("#signing-password", password).await;
    browser.click("#signing-submit").await;
}

/// Signs the termination of the version in force through the ceremony.
async fn terminate(browser: &Browser) {
    browser.click("#contract-terminate").await;
    browser.find("#signing-ceremony").await;
    browser.click("#signing-agree").await;
    browser.type_into("#signing-password", PASSWORD).await;
    browser.click("#signing-submit").await;
}

/// The text of a PDF, by poppler's `pdftotext`.
fn pdf_text(path: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext runs (install poppler-utils)");
    assert!(out.status.success(), "pdftotext read {}", path.display());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
#[ignore = "needs Chromium and the built SPA; run by scripts/test.sh"]
async fn browser_contracts_edit_diff_sign_in_two_browsers_and_download_the_certificate() {
    let app = spawn_with(Spawn { web_dir: Some(web_dir()), ..Spawn::default() }).await;
    let c = cast(&app).await;
    let tender = open_tender(&app, &c, false).await;
    let a = bid(&app, &c.alpha, &tender, &offer(950_000_000, 100)).await.expect("bid");
    let b = bid(&app, &c.beta, &tender, &offer(990_000_000, 150)).await.expect("bid");
    pass_deadline(&app, &c, &tender).await;
    for id in [&a.id, &b.id] {
        let path = format!("/tenders/{}/bids/{id}/marks", tender.id);
        app.as_(&c.evaluator)
            .org(&c.poster.id)
            .put::<_, MarksView>(&path, &marks(&[50, 30]))
            .await
            .expect("marks");
    }
    let awarded: TenderView = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .post(&format!("/tenders/{}/award", tender.id), &AwardRequest { bid_id: a.id.clone(), reason: None })
        .await
        .expect("awarded");
    let contract_id = awarded.contract_id.expect("the award drafts a contract");
    let contract_path = format!("/contracts/{contract_id}");

    // The contractor follows the tender's link to the draft.
    let downloads = TempDir(std::env::temp_dir().join(format!("gz-dl-{}", uuid::Uuid::now_v7().simple())));
    let contractor = Browser::start_downloading_to(&downloads.0).await;
    contractor.sign_in(&app, "gc@build.test", None).await;
    contractor.goto(&format!("{}/tenders/{}", app.base, tender.id)).await;
    contractor.wait_text("#sheet-state", "评分已完成").await;
    contractor.click("#tender-contract-link").await;
    contractor.wait_url(&contract_path).await;
    contractor.wait_text("#contract-status", "草稿").await;
    contractor.wait_text("#contract-parties [data-role=payer]", PAYER).await;
    contractor.wait_text("#contract-parties [data-role=performer]", PERFORMER).await;
    contractor.wait_text("#contract-milestones tr[data-milestone='0']", "预付款").await;
    contractor.wait_text("#contract-amount", "¥9,500,000.00").await;
    contractor.wait_text("#contract-version", "1").await;
    contractor.screenshot("contract-01-draft").await;

    // The editor runs the API's check first: shares of 105 % send nothing.
    contractor.click("#contract-edit").await;
    contractor.find("#contract-terms-form").await;
    contractor.wait_text("#terms-share-sum", "100 % / 100 %").await;
    contractor.type_into("#milestone-0-share", "15").await;
    contractor.wait_text("#terms-share-sum", "105 % / 100 %").await;
    contractor.click("#contract-terms-submit").await;
    contractor.wait_text("#terms-milestones-error", "100%").await;
    assert_eq!(app.count("contract_versions"), 1, "a refused edit sends nothing");
    contractor.type_into("#milestone-0-share", "10").await;
    contractor.type_into("#terms-duration", "120").await;
    contractor.click("#contract-terms-submit").await;
    contractor.wait_text("#contract-version", "2").await;
    contractor.wait_text("#contract-duration", "120").await;
    contractor.wait_text("#contract-diff-versions", "1 → 2").await;
    contractor.wait_text("#contract-diff-table", "120").await;
    contractor.wait_count("#contract-version-list li", 2).await;
    contractor.screenshot("contract-02-diff").await;
    contractor.click("#contract-send").await;
    contractor.wait_text("#contract-status", "签署中").await;
    contractor.find("#contract-sign").await;

    // The supplier finds it under "my contracts" and signs, after a wrong password.
    let supplier = Browser::start().await;
    supplier.resize(375, 812).await;
    supplier.sign_in(&app, "alpha@steel.test", None).await;
    supplier.goto(&format!("{}/contracts", app.base)).await;
    supplier.wait_text("#my-contracts", "体育馆钢结构分包").await;
    supplier.click(&format!("#my-contracts li[data-contract='{contract_id}'] a")).await;
    supplier.wait_url(&contract_path).await;
    supplier.wait_text("#contract-status", "签署中").await;
    let current: ContractView =
        app.as_(&c.alpha.token).org(&c.alpha.id).get(&contract_path).await.expect("contract");
    sign(&supplier, "not-the-password-1").await;
    supplier.wait_text("#signing-sha256", &current.current_sha256).await;
    supplier.wait_text("#signing-consent", &current.consent_text.clone().expect("consent text")).await;
    supplier.wait_text("#signing-password-error", "密码不正确").await;
    assert_eq!(app.count("contract_signatures"), 0, "a wrong password signs nothing");
    supplier.assert_fits("the signing ceremony at 375 px").await;
    supplier.screenshot("contract-03-ceremony-375").await;
    supplier.type_into("#signing-password", PASSWORD).await;
    supplier.click("#signing-submit").await;
    supplier.wait_text(&format!("#contract-signatures li[data-org='{}']", c.alpha.id), PERFORMER).await;
    supplier.wait_text("#contract-status", "签署中").await;
    assert_eq!(supplier.count("#contract-sign").await, 0, "signed once");

    // The contractor signs; the contract is in force.
    contractor.goto(&format!("{}{contract_path}", app.base)).await;
    contractor.wait_text(&format!("#contract-signatures li[data-org='{}']", c.alpha.id), PERFORMER).await;
    sign(&contractor, PASSWORD).await;
    contractor.wait_text("#contract-status", "生效").await;
    contractor.find("#contract-effective-at").await;
    let view: ContractView =
        app.as_(&c.poster.token).org(&c.poster.id).get(&contract_path).await.expect("contract");
    assert_eq!((view.status, view.effective_version), (ContractState::Effective, Some(2)));
    contractor.click("#contract-verify").await;
    contractor.wait_text("#contract-verification-result", "验证通过").await;

    // The certificate, through the page's download button.
    contractor.click("#contract-certificate").await;
    let certificate = contractor.wait_download(&downloads.0, &format!("certificate-{contract_id}.pdf")).await;
    let text = pdf_text(&certificate);
    assert!(text.contains(PAYER) && text.contains(PERFORMER), "the certificate names both parties: {text}");

    contractor.resize(375, 812).await;
    contractor.assert_fits("the effective contract at 375 px").await;
    contractor.screenshot("contract-04-effective-375").await;
    contractor.click("#lang-switch").await;
    contractor.wait_text("#contract-status", "Effective").await;
    contractor.click("#lang-switch").await;
    contractor.wait_text("#contract-status", "生效").await;

    // Both parties sign the termination of the version in force: the contract ends.
    contractor.resize(1280, 900).await;
    terminate(&contractor).await;
    contractor.wait_text("#contract-termination", PAYER).await;
    contractor.wait_text("#contract-status", "生效").await;
    supplier.goto(&format!("{}/contracts/{contract_id}", app.base)).await;
    supplier.wait_text("#contract-termination", PAYER).await;
    terminate(&supplier).await;
    supplier.wait_text("#contract-status", "已解除").await;

    contractor.assert_no_console_errors(&[]).await;
    // The refused signature (401) is the supplier's only console error.
    supplier
        .assert_no_console_errors(&[
            "/signatures - Failed to load resource: the server responded with a status of 401",
        ])
        .await;
}
