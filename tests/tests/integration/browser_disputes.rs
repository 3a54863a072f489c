//! Browser check of disputes (issue #17) in headless Chromium against the real SPA and server:
//! the payer files a dispute from the contract page (a too-short claim is refused before
//! sending), lands on the dispute page with its state, running deadline and the escrow-freeze
//! notice; the performer answers there and writes in the mediation thread, which the payer
//! sees. `#[ignore]`d like the other browser tests; run with `GONGZHU_TEST_WEB_DIR`.

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
