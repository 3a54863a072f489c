//! Browser check of disputes (issue #17) in headless Chromium against the real SPA and server:
//! the payer files a dispute from the contract page (a too-short claim is refused before
//! sending), lands on the dispute page with its state, running deadline and the escrow-freeze
//! notice; the performer answers there and writes in the mediation thread, which the payer
//! sees. The party at fault pays part of an award's shortfall on the dispute page (a bad amount
//! refused before sending), and signs a recorded agreement there (consent required), which
//! executes its escrow movement. Staff take a case from `/staff/disputes` through mediation and
//! arbitration to closing; two finance officers compensate an overdue award from the console.
//! `#[ignore]`d like the other browser tests; run with
//! `GONGZHU_TEST_WEB_DIR`.

use shared::dto::*;

use crate::closing::in_force;
use crate::helpers::*;
use crate::webdriver::*;

const FUND: [(FundingTarget, Option<u32>); 2] =
    [(FundingTarget::Milestone, Some(0)), (FundingTarget::Bond, None)];

#[tokio::test]
#[ignore = "needs Chromium and the built SPA; run by scripts/test.sh"]
async fn browser_a_payer_files_a_dispute_and_the_performer_answers_in_the_thread() {
    let app = spawn_with(Spawn { web_dir: Some(web_dir()), ..Spawn::default() }).await;
    let (c, id, _officer) = in_force(&app, &FUND).await;

    let payer = Browser::start().await;
    payer.sign_in(&app, "gc@build.test", None).await;
    payer.goto(&format!("{}/contracts/{id}", app.base)).await;
    payer.wait_text("#disputes", "暂无纠纷").await;
    payer.type_into("#dispute-claim", "太短").await;
    payer.type_into("#dispute-amount", "120,000").await;
    payer.click("#dispute-submit").await;
    payer.find("#dispute-claim-error").await;
    assert_eq!(app.count("disputes"), 0, "refused before sending");
    payer
        .type_into("#dispute-claim", "：第 1 期钢构件焊缝探伤不合格，整改拖延 20 天，请求赔偿返工费用。")
        .await;
    payer.click("#dispute-submit").await;
    payer.wait_url("/disputes/").await;
    payer.wait_text("#dispute-state", "待分配调解员").await;
    payer.find("#dispute-frozen").await;
    payer.find("#dispute-deadline").await;
    let url = payer.url().await;
    let dispute_id = url.rsplit('/').next().expect("id").to_owned();
    let filed: DisputeView = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .get(&format!("/disputes/{dispute_id}"))
        .await
        .expect("filed");
    assert_eq!((filed.amount_fen, filed.respondent_org_id.as_str()), (12_000_000, c.alpha.id.as_str()));

    // The performer answers and writes in the thread.
    let performer = Browser::start().await;
    performer.sign_in(&app, "alpha@steel.test", None).await;
    performer.goto(&format!("{}/disputes/{dispute_id}", app.base)).await;
    performer.type_into("#dispute-answer-form-text", "探伤不合格部位已于 11 月整改完毕，附复检报告。").await;
    performer.click("#dispute-answer-submit").await;
    performer.wait_text("#dispute-answer", "整改完毕").await;
    performer.type_into("#dispute-message", "复检报告已上传，请调解员查阅。").await;
    performer.click("#dispute-message-submit").await;
    performer.wait_text("#dispute-messages", "复检报告已上传").await;
    performer.resize(375, 900).await;
    performer.assert_fits("the dispute page at 375 px").await;
    performer.screenshot("dispute-answered").await;

    payer.goto(&format!("{}/disputes/{dispute_id}", app.base)).await;
    payer.wait_text("#dispute-messages .dispute-message[data-side='respondent']", "复检报告已上传").await;
    payer.assert_no_console_errors(&[]).await;
    performer.assert_no_console_errors(&[]).await;
}

/// Takes a second contract between the cast's parties into force and its dispute to a recorded
/// agreement moving `to_payer` back to the payer; the payer signs through the API. The dispute.
async fn resolved_and_signed_by_payer(
    app: &TestApp,
    c: &mut crate::tenders::Cast,
    officer: &str,
    to_payer: i64,
) -> String {
    crate::membership::next_demand(app, c, 2).await;
    let contract = crate::contracts::award(app, c, crate::membership::PRICE).await;
    crate::closing::into_force(app, c, &contract, officer, &crate::membership::FUND_ALL, |_| {}).await;
    let operator = app.staff_member("sign-operator@example.com", &["operator"]).await;
    let mediator = app.staff_member("sign-mediator@example.com", &["mediator"]).await;
    let mediator_id = crate::tenders::user_id(app, &mediator).await;
    let filing = FileDisputeRequest {
        contract_id: contract.id.clone(),
        claim: "第 1 期钢构件到货延误 15 天，请求退还部分预付款。".into(),
        amount_fen: to_payer,
        evidence: Vec::new(),
    };
    let filed: DisputeView =
        app.as_(&c.poster.token).org(&c.poster.id).post("/disputes", &filing).await.expect("filed");
    let path = |what: &str| format!("/disputes/{}/{what}", filed.id);
    app.as_(&operator)
        .post::<_, DisputeView>(&path("assignment"), &AssignMediatorRequest { mediator_id })
        .await
        .expect("assigned");
    let answer = DisputeText { text: "同意协商解决".into() };
    app.as_(&c.alpha.token)
        .org(&c.alpha.id)
        .post::<_, DisputeView>(&path("response"), &answer)
        .await
        .expect("answered");
    app.as_(&mediator)
        .post::<_, DisputeView>(&path("mediation"), &serde_json::json!({}))
        .await
        .expect("opened");
    let agreement = RecordAgreementRequest {
        terms: "被申请人同意从监管资金中退还申请人 ¥5,000，双方就此了结。".into(),
        escrow_movements: vec![EscrowMovementInput {
            to: shared::domain::dispute::DisputeParty::Complainant,
            amount_fen: to_payer,
        }],
        at_fault: None,
    };
    app.as_(&mediator).post::<_, DisputeView>(&path("agreement"), &agreement).await.expect("agreed");
    let body = SignAgreementRequest { password: PASSWORD.into(), code: None, consent: true };
    app.as_(&c.poster.token)
        .org(&c.poster.id)
        .key("payer-signs")
        .post::<_, DisputeView>(&path("agreement/signatures"), &body)
        .await
        .expect("payer signed");
    filed.id
}

#[tokio::test]
#[ignore = "needs Chromium and the built SPA; run by scripts/test.sh"]
async fn browser_the_party_at_fault_pays_an_award_and_signs_an_agreement_on_the_dispute_page() {
    let app = spawn_with(Spawn { web_dir: Some(web_dir()), ..Spawn::default() }).await;
    let (mut c, id, officer) = in_force(&app, &FUND).await;
    let mediator = app.staff_member("award-browser-mediator@example.com", &["mediator"]).await;
    // Escrow holds nothing (the advance was released): the whole ¥100 award is the shortfall.
    let decided = crate::disputes::decided_against_performer(&app, &c, &id, &mediator, 10_000).await;

    let performer = Browser::start().await;
    performer.sign_in(&app, "alpha@steel.test", None).await;
    performer.goto(&format!("{}/disputes/{}", app.base, decided.id)).await;
    performer.wait_text("#award-state", "待付").await;
    performer.wait_text("#award-outstanding", "100.00").await;
    performer.type_into("#award-pay-amount", "abc").await;
    performer.click("#award-pay-submit").await;
    performer.find("#award-pay-amount-error").await;
    performer.type_into("#award-pay-amount", "30").await;
    performer.type_into("#award-pay-password", PASSWORD).await;
    performer.click("#award-pay-submit").await;
    performer.wait_text("#award-outstanding", "70.00").await;
    let award: DisputeAwardView =
        app.as_(&c.poster.token).get(&format!("/disputes/{}/award", decided.id)).await.expect("award");
    assert_eq!((award.paid_fen, award.outstanding_fen), (3_000, 7_000));
    performer.screenshot("dispute-award-paid").await;

    // The second party signs an agreement in the browser: its escrow movement executes.
    let dispute = resolved_and_signed_by_payer(&app, &mut c, &officer, 500_000).await;
    let before = crate::closing::wallet(&app, &c.poster).await.available_fen;
    performer.goto(&format!("{}/disputes/{dispute}", app.base)).await;
    performer.wait_text("#dispute-movements", "5,000.00").await;
    performer.type_into("#dispute-sign-password", PASSWORD).await;
    performer.click("#dispute-sign-submit").await;
    performer.find("#dispute-sign-agree-error").await;
    performer.click("#dispute-sign-agree").await;
    performer.type_into("#dispute-sign-password", PASSWORD).await;
    performer.click("#dispute-sign-submit").await;
    performer.find("#dispute-executed").await;
    assert_eq!(crate::closing::wallet(&app, &c.poster).await.available_fen, before + 500_000);
    performer.assert_no_console_errors(&[]).await;
}

#[tokio::test]
#[ignore = "needs Chromium and the built SPA; run by scripts/test.sh"]
async fn browser_staff_take_a_case_from_the_queue_through_mediation_and_arbitration_to_closing() {
    let app = spawn_with(Spawn { web_dir: Some(web_dir()), ..Spawn::default() }).await;
    let (c, id, _officer) = in_force(&app, &FUND).await;
    let filing = FileDisputeRequest {
        contract_id: id.clone(),
        claim: "钢构件焊缝探伤不合格，整改拖延 20 天，请求赔偿返工费用。".into(),
        amount_fen: 10_000,
        evidence: Vec::new(),
    };
    let filed: DisputeView =
        app.as_(&c.poster.token).org(&c.poster.id).post("/disputes", &filing).await.expect("filed");
    let answer = DisputeText { text: "已整改完毕".into() };
    app.as_(&c.alpha.token)
        .org(&c.alpha.id)
        .post::<_, DisputeView>(&format!("/disputes/{}/response", filed.id), &answer)
        .await
        .expect("answered");

    // An operator who also mediates picks the case from the queue and assigns themself.
    let secret =
        crate::browser_escrow::staff_with_totp(&app, "mediator@gongzhu.test", &["operator", "mediator"])
            .await;
    let staff = Browser::start().await;
    crate::browser_escrow::sign_in_staff(&staff, &app, "mediator@gongzhu.test", &secret).await;
    staff.goto(&format!("{}/staff/disputes", app.base)).await;
    staff.click(&format!("#staff-dispute-list a[href='/disputes/{}']", filed.id)).await;
    staff.wait_url("/disputes/").await;
    staff.click("#staff-assign-submit").await;
    staff.wait_text("#dispute-state", "待开始调解").await;
    staff.click("#staff-open-mediation").await;
    staff.wait_text("#dispute-state", "调解中").await;

    // Mediation fails (a reason is required before sending); the arbitration is registered.
    staff.click("#staff-failure-submit").await;
    staff.find("#staff-failure-text-error").await;
    staff.type_into("#staff-failure-text", "双方对返工费用分歧过大").await;
    staff.click("#staff-failure-submit").await;
    staff.wait_text("#dispute-state", "仲裁中").await;
    staff.type_into("#staff-institution", "杭州仲裁委员会").await;
    staff.type_into("#staff-case-number", "（2026）杭仲字第 77 号").await;
    staff.click("#staff-arbitration-submit").await;

    // The decision with its document: an award without the party at fault is refused first.
    let dir = TempDir(std::env::temp_dir().join(format!("gz-award-{}", uuid::Uuid::now_v7().simple())));
    std::fs::create_dir_all(&dir.0).expect("temp dir");
    let document = dir.0.join("裁决书.pdf");
    std::fs::write(&document, b"%PDF-1.4 arbitral award").expect("document");
    staff.type_into("#staff-summary", "被申请人赔偿返工费用 ¥100").await;
    staff.type_into("#staff-award", "100").await;
    staff.choose_file("#staff-decision-document", &document).await;
    staff.find("#staff-decision-document-done").await;
    staff.click("#staff-decision-submit").await;
    staff.find("#staff-decision-fault-error").await;
    staff.choose("#staff-decision-fault", "respondent").await;
    staff.click("#staff-decision-submit").await;
    staff.wait_text("#dispute-state", "已裁决").await;
    staff.find("#dispute-award").await;
    staff.click("#staff-close").await;
    staff.wait_text("#dispute-state", "已结案").await;
    staff.screenshot("dispute-staff-closed").await;

    let closed: DisputeView =
        app.as_(&c.poster.token).get(&format!("/disputes/{}", filed.id)).await.expect("case");
    assert_eq!(
        (closed.state, closed.award_fen),
        (shared::domain::dispute::DisputeState::Closed, Some(10_000))
    );
    assert_eq!(closed.at_fault, Some(shared::domain::dispute::DisputeParty::Respondent));
    staff.assert_no_console_errors(&[]).await;
}

#[tokio::test]
#[ignore = "needs Chromium and the built SPA; run by scripts/test.sh"]
async fn browser_two_finance_officers_compensate_an_overdue_award_from_the_console() {
    let app = spawn_with(Spawn {
        web_dir: Some(web_dir()),
        // The clock passes the award's 10 business days: tokens must outlive them.
        tweak: Some(|config| {
            config.access_token_ttl_secs = 90 * 86_400;
            config.refresh_token_ttl_secs = 120 * 86_400;
        }),
        ..Spawn::default()
    })
    .await;
    let (c, id, _officer) = in_force(&app, &FUND).await;
    let mediator = app.staff_member("comp-browser-mediator@example.com", &["mediator"]).await;
    let decided = crate::disputes::decided_against_performer(&app, &c, &id, &mediator, 10_000).await;
    let award: DisputeAwardView =
        app.as_(&c.poster.token).get(&format!("/disputes/{}/award", decided.id)).await.expect("award");
    app.advance_clock((award.due_at - app.now()).num_seconds() + 60).await;
    let row = format!("#finance-award-list .finance-award[data-award='{}']", decided.id);

    let first_secret = crate::browser_escrow::finance_officer(&app, "comp-first@gongzhu.test").await;
    let first = Browser::start().await;
    crate::browser_escrow::sign_in_staff(&first, &app, "comp-first@gongzhu.test", &first_secret).await;
    first.goto(&format!("{}/staff/finance", app.base)).await;
    first.find(&format!("{row}[data-state='overdue']")).await;
    first.click(&format!("{row} .award-request-compensation")).await;
    first.find(&format!("{row}[data-state='compensation_requested'] .award-request")).await;

    let second_secret = crate::browser_escrow::finance_officer(&app, "comp-second@gongzhu.test").await;
    let second = Browser::start().await;
    crate::browser_escrow::sign_in_staff(&second, &app, "comp-second@gongzhu.test", &second_secret).await;
    second.goto(&format!("{}/staff/finance", app.base)).await;
    second.click(&format!("{row} .award-reject")).await;
    second.find(&format!("#award-reason-{}-error", decided.id)).await;
    second.click(&format!("{row} .award-approve")).await;
    second.find("#finance-awards-empty").await;
    let done: DisputeAwardView =
        app.as_(&c.poster.token).get(&format!("/disputes/{}/award", decided.id)).await.expect("award");
    assert_eq!(
        (done.state, done.compensated_fen, done.outstanding_fen),
        (shared::domain::dispute::award::AwardState::Compensated, 10_000, 0)
    );
    first.assert_no_console_errors(&[]).await;
    second.assert_no_console_errors(&[]).await;
}
