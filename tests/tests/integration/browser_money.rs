//! Browser journey of the money half of a contract (issue #16), in headless Chromium against
//! the real SPA and server: a contract in force (through the API, with a supervisor) → the payer
//! asks to fund milestone 1 and reads the transfer instructions → a finance officer imports the
//! statement quoting the reference → the performer posts a progress log with an EXIF photo and
//! sees its capture time and place → asks for acceptance with quantities → the payer and the
//! supervisor confirm in the signing dialog → the settlement statement PDF downloads → the
//! performer's wallet shows the release, the performer sets the bank account and asks for a
//! withdrawal → the finance officer confirms it sent → the wallet shows it paid → the contract
//! completes through the API (the advance and milestone 2 funded, milestone 2 accepted) → both
//! rate each other in the browser: the payer sees the performer's rating hidden until it rated
//! too, then shown → during the warranty the payer raises a defect claim (holding the
//! retention) and closes it as remedied; the performer sees it closed → the performer's public
//! profile shows the payer's rating and its means → the finance console shows no risk case and
//! the reserve report.
//! `#[ignore]`d like the other browser tests; run with `GONGZHU_TEST_WEB_DIR`.

use serde_json::json;
use shared::dto::{
    AcceptanceState, AcceptanceView, ContractState, ContractView, DefectClaimState, DefectClaimView,
    EscrowView, FundingTarget, PayoutState, PayoutView, ReserveReport,
};

use crate::browser_escrow::{finance_officer, sign_in_staff};
use crate::escrow::{ask, import, request_funding, statement};
use crate::helpers::*;
use crate::progress::in_force;
use crate::webdriver::*;

/// Confirms the open acceptance request in the signing dialog as the page's signer.
pub async fn confirm_acceptance(browser: &Browser) {
    browser.click("#acceptances .acceptance-confirm").await;
    browser.find("#answer-dialog").await;
    browser.wait_text("#answer-consent", "验收").await;
    // Without consent and password nothing is sent.
    browser.click("#answer-submit").await;
    browser.find("#answer-agree-error").await;
    browser.click("#answer-agree").await;
    browser.type_into("#answer-password", PASSWORD).await;
    browser.click("#answer-submit").await;
    browser.wait_gone("#answer-dialog").await;
}

/// Fen as the SPA shows them: `¥1,234.56`.
fn yuan(fen: i64) -> String {
    let digits = (fen / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("¥{grouped}.{:02}", fen % 100)
}

/// Rates the other party in the contract page's form: quality, timeliness, communication,
/// payment and a comment.
async fn rate(browser: &Browser, scores: [&str; 4], comment: &str) {
    for (field, score) in ["quality", "timeliness", "communication", "payment"].into_iter().zip(scores) {
        browser.choose(&format!("#rating-{field}"), score).await;
    }
    browser.type_into("#rating-comment", comment).await;
    browser.click("#rating-submit").await;
    browser.find("#rating-mine").await;
}

#[tokio::test]
#[ignore = "needs Chromium and the built SPA; run by scripts/test.sh"]
async fn browser_money_fund_log_accept_settle_and_withdraw() {
    let app = spawn_with(Spawn { web_dir: Some(web_dir()), ..Spawn::default() }).await;
    let (c, id, _start) = in_force(&app).await;
    let contract_path = format!("/contracts/{id}");
    let contract_url = format!("{}{contract_path}", app.base);

    // The payer asks to fund milestone 1 and reads where to send the money.
    let payer = Browser::start().await;
    payer.sign_in(&app, "gc@build.test", None).await;
    payer.goto(&contract_url).await;
    payer.wait_text("#escrow-milestones li[data-milestone='1'] .acceptance-state", "未申请").await;
    payer.wait_text("#escrow-fund-1", "¥5,700,000.00").await;
    payer.click("#escrow-fund-1").await;
    payer.wait_text("#escrow-requests .transfer-amount", "¥5,700,000.00").await;
    payer.wait_text("#escrow-milestones li[data-milestone='1'] .escrow-state", "已申请付款").await;
    let reference = payer.text("#escrow-requests .transfer-reference").await.trim().to_owned();
    assert!(reference.starts_with("GZ"), "{reference}");

    // The finance officer imports the statement: the line is matched.
    let secret = finance_officer(&app, "finance@gongzhu.test").await;
    let officer = Browser::start().await;
    sign_in_staff(&officer, &app, "finance@gongzhu.test", &secret).await;
    officer.goto(&format!("{}/staff/finance", app.base)).await;
    officer.find("#finance-payouts-empty").await;
    officer.find("#finance-to-inbox").await;
    let dir = TempDir(std::env::temp_dir().join(format!("gz-money-{}", uuid::Uuid::now_v7().simple())));
    std::fs::create_dir_all(&dir.0).expect("temp dir");
    let file = dir.0.join("statement.csv");
    std::fs::write(&file, statement(&[("SN-M1", "5,700,000.00", &format!("一期进度款 {reference}"))]))
        .expect("write statement");
    officer.choose_file("#finance-file", &file).await;
    officer.click("#finance-import").await;
    officer.wait_text("#finance-import-result .count-matched", "1").await;

    // The performer logs progress with a site photo and sees when and where it was taken.
    let performer = Browser::start().await;
    performer.resize(375, 812).await;
    performer.sign_in(&app, "alpha@steel.test", None).await;
    performer.goto(&contract_url).await;
    performer.wait_text("#escrow-milestones li[data-milestone='1'] .escrow-state", "已足额托管").await;
    performer.find("#progress-empty").await;
    let photo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/photos/site.jpg");
    let photo = photo.canonicalize().expect("fixture photo");
    performer.type_into("#progress-work", "完成三层楼板钢筋绑扎与混凝土浇筑").await;
    performer.type_into("#progress-percent", "40").await;
    performer.choose_file("#progress-photos", &photo).await;
    performer.wait_text("#progress-photos-list", "site.jpg").await;
    performer.click("#progress-submit").await;
    performer.wait_text("#progress-logs .progress-state", "待审核").await;
    performer.wait_text("#progress-logs .photo-taken", "2026-12-20 09:30:15").await;
    performer.wait_text("#progress-logs .photo-place", "31.23040° N, 121.47370° E").await;
    performer.find("#progress-logs img.photo-thumb").await;
    performer.wait_text("#schedule-reported", "40").await;

    // It asks for acceptance of milestone 1 with quantities.
    performer.type_into("#acceptance-item-0", "主体结构 C30 混凝土").await;
    performer.type_into("#acceptance-unit-0", "m³").await;
    performer.type_into("#acceptance-quantity-0", "1,250.5").await;
    performer.type_into("#acceptance-note", "主体结构完成").await;
    performer.click("#acceptance-submit").await;
    performer.wait_text("#acceptances .acceptance-status", "待确认").await;
    performer.wait_text("#escrow-milestones li[data-milestone='1'] .acceptance-state", "待确认").await;
    performer.assert_fits("the contract workspace at 375 px").await;
    performer.screenshot("money-01-workspace-375").await;

    // The payer approves the log and confirms; the supervisor confirms and downloads the PDF.
    payer.goto(&contract_url).await;
    payer.wait_text("#progress-logs .photo-place", "31.23040° N").await;
    payer.click("#progress-logs .review-approve").await;
    payer.wait_text("#progress-logs .progress-state", "已通过").await;
    confirm_acceptance(&payer).await;
    payer.wait_text("#acceptances .acceptance-signatures", "确认验收").await;
    payer.wait_text("#acceptances .acceptance-status", "待确认").await;

    let downloads = TempDir(std::env::temp_dir().join(format!("gz-dl-{}", uuid::Uuid::now_v7().simple())));
    let supervisor = Browser::start_downloading_to(&downloads.0).await;
    supervisor.sign_in(&app, "beta@steel.test", None).await;
    supervisor.goto(&contract_url).await;
    confirm_acceptance(&supervisor).await;
    supervisor.wait_text("#acceptances .acceptance-status", "已验收").await;
    supervisor.wait_text("#acceptances .settlement-paid-now", "¥5,529,000.00").await;
    supervisor.wait_text("#escrow-milestones li[data-milestone='1'] .milestone-paid", "¥5,529,000.00").await;
    supervisor.click("#acceptances .acceptance-statement").await;
    let pdf = supervisor.wait_download(&downloads.0, &format!("settlement-{id}-1.pdf")).await;
    assert!(std::fs::read(&pdf).expect("statement").starts_with(b"%PDF"), "a PDF");
    let accepted: Vec<AcceptanceView> = app
        .as_(&c.alpha.token)
        .org(&c.alpha.id)
        .get(&format!("{contract_path}/acceptances"))
        .await
        .expect("acceptances");
    assert_eq!(accepted[0].status, AcceptanceState::Accepted);
    supervisor.screenshot("money-02-accepted").await;

    // The performer's wallet shows the release; it sets the bank account and withdraws ¥10,000.
    performer.goto(&format!("{}/wallet", app.base)).await;
    performer.wait_text("#wallet-available", "¥5,529,000.00").await;
    performer.find("#bank-account-none").await;
    performer.click("#bank-account-edit").await;
    performer.type_into("#bank-account-bank", "中国工商银行").await;
    performer.type_into("#bank-account-digits", "6222 0212 3456 7891 234").await;
    performer.click("#bank-account-save").await;
    performer.find("#bank-account-password-error").await;
    performer.type_into("#bank-account-password", PASSWORD).await;
    performer.click("#bank-account-save").await;
    performer.wait_text("#bank-account-number", "1234").await;
    let masked = performer.text("#bank-account-number").await;
    assert!(!masked.contains("02123456789"), "shown masked: {masked}");
    performer.type_into("#withdraw-amount", "10000").await;
    performer.type_into("#withdraw-password", PASSWORD).await;
    performer.click("#withdraw-submit").await;
    performer.wait_text("#withdrawals .withdrawal-status", "待处理").await;
    performer.wait_text("#wallet-payout-pending", "¥10,000.00").await;
    performer.wait_text("#wallet-available", "¥5,519,000.00").await;
    performer.assert_fits("the wallet at 375 px").await;

    // The finance officer confirms it sent with the bank's transaction number.
    officer.goto(&format!("{}/staff/finance", app.base)).await;
    officer.wait_text("#finance-payouts .payout-amount", "¥10,000.00").await;
    officer.click("#finance-payouts .payout-confirm").await;
    officer.click("#finance-payouts .payout-send").await;
    officer.find("#finance-payouts .field-error").await;
    officer.type_into("#finance-payouts .payout-reference", "ICBC-20261207-0001").await;
    officer.click("#finance-payouts .payout-send").await;
    officer.find("#finance-payouts-empty").await;

    performer.goto(&format!("{}/wallet", app.base)).await;
    performer.wait_text("#withdrawals .withdrawal-status", "已汇出").await;
    performer.wait_text("#withdrawals .withdrawal-reference", "ICBC-20261207-0001").await;
    performer.wait_text("#wallet-payout-pending", "¥0.00").await;
    performer.screenshot("money-03-wallet-paid-375").await;
    let payouts: Vec<PayoutView> = app
        .as_(&c.alpha.token)
        .org(&c.alpha.id)
        .get(&format!("/orgs/{}/payouts", c.alpha.id))
        .await
        .expect("payouts");
    assert_eq!((payouts.len(), payouts[0].status), (1, PayoutState::Paid));

    // The contract completes through the API: the advance and milestone 2 are funded by one
    // statement, the performer asks for acceptance of milestone 2, the payer and the supervisor
    // confirm.
    let api_officer = app.staff_member("money-api-finance@example.com", &["finance_officer"]).await;
    let mut lines = Vec::new();
    for milestone in [0_u32, 2] {
        let target = ask(FundingTarget::Milestone, Some(milestone));
        let asked = request_funding(&app, &c.poster, &id, &target, &format!("complete-{milestone}"))
            .await
            .expect("asked");
        let amount = format!("{:.2}", asked.amount_fen as f64 / 100.0);
        lines.push((format!("SN-C{milestone}"), amount, asked.reference));
    }
    let lines: Vec<(&str, &str, &str)> =
        lines.iter().map(|(s, a, r)| (s.as_str(), a.as_str(), r.as_str())).collect();
    json_of(
        import(&app, &api_officer, "complete.csv", statement(&lines).into_bytes(), Some("complete")).await,
        201,
    )
    .await;
    let acceptances = format!("{contract_path}/acceptances");
    let body = json!({"milestone": 2, "quantities": [{"item": "装饰装修", "unit": "项", "quantity": 1}], "note": ""});
    let asked: AcceptanceView =
        app.as_(&c.alpha.token).org(&c.alpha.id).post(&acceptances, &body).await.expect("asked");
    for org in [&c.poster, &c.beta] {
        let answer = json!({"decision": "confirm", "password": PASSWORD, "consent": true});
        let _: AcceptanceView = app
            .as_(&org.token)
            .org(&org.id)
            .key(&format!("accept-2-{}", org.id))
            .post(&format!("{acceptances}/{}/answers", asked.id), &answer)
            .await
            .expect("confirmed");
    }
    let completed: ContractView =
        app.as_(&c.poster.token).org(&c.poster.id).get(&contract_path).await.expect("contract");
    assert_eq!(completed.status, ContractState::Completed);

    // The performer rates the payer: every score is needed (the shared check, before sending).
    performer.goto(&contract_url).await;
    performer.wait_text("#contract-status", "已完成").await;
    performer.find("#escrow-warranty-ends").await;
    performer.find("#rating-form").await;
    performer.choose("#rating-quality", "5").await;
    performer.click("#rating-submit").await;
    performer.find("#rating-timeliness-error").await;
    performer.find("#rating-payment-error").await;
    rate(&performer, ["5", "4", "5", "3"], "付款及时，沟通顺畅").await;
    performer.wait_text("#rating-mine .rating-quality", "5").await;
    performer.wait_text("#rating-mine .rating-comment", "付款及时").await;
    performer.find("#rating-theirs-none").await;
    performer.assert_fits("the ratings at 375 px").await;

    // The payer sees that the performer rated, hidden until it rates too; then both are shown.
    payer.goto(&contract_url).await;
    payer.wait_text("#rating-theirs-hidden", "对方已评价，双方评价后或").await;
    payer.wait_text("#rating-theirs-hidden", "公开").await;
    rate(&payer, ["4", "4", "5", "5"], "质量达标，按期完工").await;
    payer.wait_text("#rating-mine .rating-quality", "4").await;
    payer.wait_text("#rating-theirs .rating-quality", "5").await;
    payer.wait_text("#rating-theirs .rating-payment", "3").await;
    payer.wait_text("#rating-theirs .rating-comment", "付款及时，沟通顺畅").await;
    payer.screenshot("money-04-ratings").await;

    // The warranty runs from the last acceptance: the payer raises a defect claim (the shared
    // check refuses one character first), sees it open and holding the retention, then closes
    // it as remedied with a note.
    let escrow: EscrowView = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .get(&format!("{contract_path}/escrow"))
        .await
        .expect("escrow");
    let ends_on = escrow.warranty_ends_on.expect("the warranty started").to_string();
    payer.wait_text("#claims-warranty-ends", &ends_on).await;
    payer.find("#defect-claims-empty").await;
    payer.type_into("#claim-description", "漏").await;
    payer.click("#claim-submit").await;
    payer.wait_text("#claim-description-error", "2–2000").await;
    payer.type_into("#claim-description", "三层卫生间防水层渗漏，楼下顶棚有水渍").await;
    payer.click("#claim-submit").await;
    payer.wait_text("#defect-claim-list .defect-claim-status", "处理中").await;
    payer.wait_text("#defect-claim-list .defect-claim", "质保金留存中").await;
    payer.wait_text("#defect-claim-list .defect-claim-description", "三层卫生间防水层渗漏").await;
    payer.click("#defect-claim-list .defect-claim-close").await;
    payer.type_into("#claim-close-note", "已重做防水层，闭水试验 48 小时合格").await;
    payer.click("#claim-close-submit").await;
    payer.wait_text("#defect-claim-list .defect-claim-status", "已整改").await;
    payer.wait_text("#defect-claim-list .defect-claim-note", "闭水试验 48 小时合格").await;
    payer.find("#defect-claim-list .defect-claim-closed").await;
    assert_eq!(payer.count("#defect-claim-list .defect-claim-close").await, 0, "closed: nothing to close");
    payer.screenshot("money-05-defect-claims").await;
    let claims: Vec<DefectClaimView> = app
        .as_(&c.alpha.token)
        .org(&c.alpha.id)
        .get(&format!("{contract_path}/defect-claims"))
        .await
        .expect("claims");
    assert_eq!((claims.len(), claims[0].status), (1, DefectClaimState::Remedied));
    // The performer reads it, with no form to raise or close one.
    performer.goto(&contract_url).await;
    performer.wait_text("#defect-claim-list .defect-claim-status", "已整改").await;
    assert_eq!(performer.count("#claim-form, .defect-claim-close").await, 0, "the payer's forms only");

    // The performer's public profile (from the party card): the payer's rating and the means.
    let payer_name = payer.text("#contract-parties .party[data-role='payer'] .party-name").await;
    let performer_name = payer.text("#contract-parties .party[data-role='performer'] .party-name").await;
    payer.click("#contract-parties .party[data-role='performer'] .party-profile").await;
    payer.wait_text("#public-org-name", performer_name.trim()).await;
    payer.wait_text("#org-ratings-count", "1").await;
    for (dimension, mean) in [
        ("quality", "4.0 / 5"),
        ("timeliness", "4.0 / 5"),
        ("communication", "5.0 / 5"),
        ("payment", "5.0 / 5"),
    ] {
        payer.wait_text(&format!("#org-ratings-{dimension}"), mean).await;
    }
    payer.wait_text("#org-ratings-list .rating-quality", "4").await;
    payer.wait_text("#org-ratings-list .rating-by", payer_name.trim()).await;
    payer.wait_text("#org-ratings-list .rating-comment", "质量达标，按期完工").await;
    payer.screenshot("money-06-public-ratings").await;
    // The supervisor does not rate.
    supervisor.goto(&contract_url).await;
    supervisor.wait_text("#ratings-later", "监理不参与").await;

    // The finance console: no risk case, open or cleared; the reserve report as the API has it.
    officer.goto(&format!("{}/staff/finance", app.base)).await;
    officer.find("#risk-cases-empty").await;
    officer.click("#risk-cases-cleared").await;
    officer.find("#risk-cases-empty").await;
    let report: ReserveReport = app.as_(&api_officer).get("/finance/reserve").await.expect("reserve");
    assert!(report.accrued_fen > 0 && !report.months.is_empty(), "{report:?}");
    officer.wait_text("#reserve-balance", &yuan(report.balance_fen)).await;
    officer.wait_text("#reserve-settled", &yuan(report.settled_fen)).await;
    officer.wait_text("#reserve-accrued", &yuan(report.accrued_fen)).await;
    officer.wait_text("#reserve-months .reserve-month-accrued", &yuan(report.months[0].accrued_fen)).await;
    officer.screenshot("money-07-finance-risk").await;

    payer.assert_no_console_errors(&[]).await;
    officer.assert_no_console_errors(&[]).await;
    // The wallet asks for the bank account before one is set (404).
    performer.assert_no_console_errors(&["/bank-account"]).await;
    supervisor.assert_no_console_errors(&[]).await;
}
