//! Browser journey of tendering (招投标), in headless Chromium against the real SPA and server: a
//! contractor opens bidding on its published demand from the demand's page (deadline in Beijing
//! time, weights with their running sum, criteria, an evaluator chosen from its members); two
//! suppliers, each in its own browser, read their prequalification reports and bid (one follows
//! the live notification there, revises its bid and attaches a file); the clock passes the
//! deadline; the evaluator marks both bids; the contractor reads the complete scoring sheet
//! (neutral credit marked), is held to the reason rule and awards the top bid; the winner sees
//! "中标" live, with its rank, also at 375 px and in "my bids".
//! `#[ignore]`d like the other browser tests; run with `GONGZHU_TEST_WEB_DIR` set.

use std::path::{Path, PathBuf};

use reqwest::Method;
use shared::dto::{BidView, TenderState, TenderView};

use crate::fixtures::{demand_body, steelworks};
use crate::helpers::*;
use crate::webdriver::*;

const TITLE: &str = "奥体中心体育馆钢结构分包";
const PROPOSAL: &str = "钢结构深化设计、工厂加工与现场吊装方案，配备两台履带吊，分区流水施工。";

/// A small PDF for the bid file.
fn pdf(dir: &Path, name: &str) -> PathBuf {
    std::fs::create_dir_all(dir).expect("dir");
    let path = dir.join(name);
    std::fs::write(
        &path,
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
    )
    .expect("write pdf");
    path
}

async fn user_id(app: &TestApp, token: &str) -> String {
    json_of(app.get("/me", Some(token)).await, 200).await["id"].as_str().expect("user id").to_owned()
}

/// Waits for the deadline job to close bidding after the clock moved.
async fn wait_closed(app: &TestApp, poster: &OrgAccount, tender_id: &str) {
    let path = format!("/tenders/{tender_id}");
    for _ in 0..150 {
        let view: TenderView = app.as_(&poster.token).org(&poster.id).get(&path).await.expect("tender");
        if view.status != TenderState::Open {
            assert_eq!(view.status, TenderState::Closed);
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the deadline job did not close the tender");
}

/// A supplier's bid id on the tender, read through the API.
async fn bid_of(app: &TestApp, org: &OrgAccount) -> String {
    let bids: Vec<BidView> =
        app.as_(&org.token).org(&org.id).get(&format!("/orgs/{}/bids", org.id)).await.expect("bids");
    bids.first().expect("one bid").id.clone()
}

/// Fills an evaluator's marks for one bid and saves them.
async fn mark(browser: &Browser, bid_id: &str, marks: &[&str]) {
    for (i, value) in marks.iter().enumerate() {
        browser
            .type_into(&format!("form.marks-form[data-bid='{bid_id}'] input[data-criterion='{i}']"), value)
            .await;
    }
    browser.click(&format!("form.marks-form[data-bid='{bid_id}'] [data-action=save-marks]")).await;
}

#[tokio::test]
#[ignore = "needs Chromium and the built SPA; run by scripts/test.sh"]
async fn browser_tenders_open_bid_score_award_and_the_winner_sees_it() {
    let app = spawn_with(Spawn { web_dir: Some(web_dir()), ..Spawn::default() }).await;
    let reviewer = app.staff_member("reviewer@gongzhu.test", &["reviewer"]).await;
    let alpha = app.verified_org("alpha@steel.test", steelworks("浙江精工钢构有限公司"), &reviewer).await;
    let beta = app.verified_org("beta@steel.test", steelworks("杭萧钢构股份有限公司"), &reviewer).await;
    let poster = app
        .verified_org("gc@build.test", steelworks("杭州城建集团有限公司").roles(&["contractor"]), &reviewer)
        .await;
    // Certified: its demand publishes without review.
    app.set_org_columns(&poster, "membership_tier = 'certified'").await;
    let judge = app.add_member(&poster, "judge@build.test").await.access_token;
    let judge_id = user_id(&app, &judge).await;
    let created = json_of(
        app.as_org(Method::POST, "/demands", &poster.token, &poster.id, Some(&demand_body(TITLE))).await,
        201,
    )
    .await;
    let demand_id = created["id"].as_str().expect("id").to_owned();
    let path = format!("/demands/{demand_id}/submission");
    let published =
        json_of(app.as_org(Method::POST, &path, &poster.token, &poster.id, None).await, 200).await;
    assert_eq!(published["status"], "published");
    let files = TempDir(std::env::temp_dir().join(format!("gz-bid-{}", uuid::Uuid::now_v7().simple())));
    let bid_pdf = pdf(&files.0, "投标书.pdf");

    // The first supplier waits on its notifications.
    let supplier_a = Browser::start().await;
    supplier_a.sign_in(&app, "alpha@steel.test", None).await;
    supplier_a.goto(&format!("{}/notifications", app.base)).await;

    // The contractor opens bidding from the demand's page.
    let contractor = Browser::start().await;
    contractor.sign_in(&app, "gc@build.test", None).await;
    // The demand names no tender yet: its owner sees the form at once, without a 404 probe.
    contractor.goto(&format!("{}/demands/{demand_id}", app.base)).await;
    contractor.find("#tender-open-form").await;
    contractor.set_value("#tender-close-date", &shanghai_date_in(2)).await;
    contractor.set_value("#tender-close-time", "10:00").await;
    contractor.wait_text("#tender-weight-sum", "100 / 100").await;
    contractor.type_into("#tender-weight-price", "50").await;
    contractor.wait_text("#tender-weight-sum", "110 / 100").await;
    contractor.type_into("#criterion-0-name", "施工组织设计").await;
    contractor.type_into("#criterion-0-max", "60").await;
    contractor.click("#criterion-add").await;
    contractor.type_into("#criterion-1-name", "质量安全保证").await;
    contractor.type_into("#criterion-1-max", "40").await;
    contractor.click("#tender-open-submit").await;
    // The API's own checks, run before sending: the weights' sum and the missing evaluator.
    contractor.wait_text("#tender-weights-error", "之和须为 100").await;
    contractor.wait_text("#tender-evaluators-error", "评标人").await;
    assert_eq!(app.count("tenders"), 0, "a refused form sends nothing");
    contractor.type_into("#tender-weight-price", "40").await;
    contractor.wait_text("#tender-weight-sum", "100 / 100").await;
    contractor.click(&format!("input[data-evaluator='{judge_id}']")).await;
    contractor.screenshot("tender-01-open-form").await;
    contractor.click("#tender-open-submit").await;
    contractor.wait_url("/tenders/").await;
    contractor.wait_text("#tender-status", "投标中").await;
    contractor.wait_text("#tender-bid-count", "0").await;
    contractor.wait_text("#tender-evaluators", "张伟").await;
    contractor.wait_text("#tender-criteria", "施工组织设计").await;
    let tender_url = contractor.url().await;
    let tender_id = tender_url.rsplit('/').next().expect("id").to_owned();
    // The demand's page now links to the tender instead of the form.
    contractor.goto(&format!("{}/demands/{demand_id}", app.base)).await;
    contractor.click("#demand-tender-link").await;
    contractor.wait_url(&format!("/tenders/{tender_id}")).await;

    // The first supplier follows the live notification to the tender.
    supplier_a.wait_text("#notifications", TITLE).await;
    supplier_a
        .eval(&format!(
            "[...document.querySelectorAll('#notifications .notification-open')].find(b => b.textContent.includes({TITLE:?})).click()"
        ))
        .await;
    supplier_a.wait_url(&format!("/tenders/{tender_id}")).await;
    supplier_a.wait_text("#pq-may-bid", "可以投标").await;
    supplier_a.wait_text("#pq-eligible", "在投标范围内").await;
    supplier_a.find("#prequalification li[data-code='verified'][data-outcome='pass']").await;
    supplier_a.find("#prequalification li[data-outcome='info']").await;
    supplier_a.type_into("#bid-price", "10,000,000").await;
    supplier_a.type_into("#bid-duration", "100").await;
    supplier_a.type_into("#bid-proposal", "方案见附件").await;
    supplier_a.click("#bid-submit").await;
    supplier_a.wait_text("#bid-proposal-error", "至少 10 个字符").await;
    assert_eq!(app.count("bids"), 0, "a refused bid sends nothing");
    supplier_a.type_into("#bid-proposal", PROPOSAL).await;
    supplier_a.click("#bid-submit").await;
    supplier_a.wait_text("#bid-status", "已投标").await;
    supplier_a.wait_text("#bid-price-shown", "¥10,000,000.00").await;
    supplier_a.choose_file("#bid-file-input", &bid_pdf).await;
    supplier_a.wait_text("#own-bid .bid-files", "投标书.pdf").await;
    supplier_a.click("#bid-revise").await;
    supplier_a.type_into("#bid-price", "9500000").await;
    supplier_a.click("#bid-submit").await;
    supplier_a.wait_text("#bid-revision", "2").await;
    supplier_a.wait_text("#bid-price-shown", "¥9,500,000.00").await;
    supplier_a.wait_text("#own-bid .bid-files", "投标书.pdf").await;
    supplier_a.screenshot("tender-02-own-bid").await;

    // The second supplier, in its own browser, at phone width.
    let supplier_b = Browser::start().await;
    supplier_b.resize(375, 812).await;
    supplier_b.sign_in(&app, "beta@steel.test", None).await;
    supplier_b.goto(&tender_url).await;
    supplier_b.wait_text("#pq-may-bid", "可以投标").await;
    supplier_b.type_into("#bid-price", "9000000").await;
    supplier_b.type_into("#bid-duration", "150").await;
    supplier_b.type_into("#bid-proposal", PROPOSAL).await;
    supplier_b.click("#bid-submit").await;
    supplier_b.wait_text("#bid-status", "已投标").await;
    supplier_b.assert_fits("the tender page with a bid at 375 px").await;
    supplier_b.screenshot("tender-03-bid-375").await;

    // Sealed: the contractor sees how many, not what.
    contractor.goto(&tender_url).await;
    contractor.wait_text("#tender-bid-count", "2").await;
    contractor.wait_count("#prequalification-reports li.pq-report", 2).await;
    assert_eq!(contractor.count("#tender-bids").await, 0, "no bid contents before the deadline");

    // The deadline passes; the job closes bidding.
    app.advance_clock(3 * 86_400).await;
    wait_closed(&app, &poster, &tender_id).await;
    let (a_bid, b_bid) = (bid_of(&app, &alpha).await, bid_of(&app, &beta).await);

    // The evaluator marks both bids (the second browser, signed in again).
    supplier_b.sign_out(&app).await;
    supplier_b.sign_in(&app, "judge@build.test", None).await;
    supplier_b.goto(&tender_url).await;
    supplier_b.wait_text("#tender-status", "评标中").await;
    supplier_b.wait_count("#marks-card form.marks-form", 2).await;
    supplier_b.wait_text("#tender-bids", "浙江精工钢构有限公司").await;
    supplier_b.wait_text("#sheet-state", "等待评标人打分").await;
    mark(&supplier_b, &a_bid, &["61", "30"]).await;
    supplier_b.wait_text(&format!("#marks-{a_bid}-0-error"), "超出该项满分").await;
    assert_eq!(app.count("tender_marks"), 0, "refused marks send nothing");
    mark(&supplier_b, &a_bid, &["50", "30"]).await;
    supplier_b.find(&format!("form.marks-form[data-bid='{a_bid}'] [data-marked=yes]")).await;
    mark(&supplier_b, &b_bid, &["40", "30"]).await;
    supplier_b.find(&format!("form.marks-form[data-bid='{b_bid}'] [data-marked=yes]")).await;
    supplier_b.wait_text("#sheet-state", "评分已完成").await;
    supplier_b.assert_fits("the evaluator's page at 375 px").await;
    supplier_b.screenshot("tender-04-marks-375").await;

    // The contractor reads the complete sheet and awards the top bid.
    contractor.goto(&tender_url).await;
    contractor.wait_text("#sheet-state", "评分已完成").await;
    contractor.wait_text("#scoring-sheet tr.rank-first .sheet-bidder", "浙江精工钢构有限公司").await;
    contractor.wait_text("#scoring-sheet tr.rank-first .sheet-total", "89.39").await;
    contractor.wait_text(&format!("#scoring-sheet tr[data-bid='{b_bid}'] .sheet-rank"), "2").await;
    contractor.wait_text("#scoring-sheet tr.rank-first .sheet-credit", "中性分").await;
    contractor.wait_count("#sheet-marks tbody tr", 2).await;
    contractor.find("#sheet-csv").await;
    contractor.find("#sheet-print").await;
    contractor.screenshot("tender-05-scoring-sheet").await;
    contractor.choose("#award-bid", &b_bid).await;
    contractor.wait_text("#award-reason-rule", "必填").await;
    contractor.click("#award-submit").await;
    contractor.wait_text("#award-reason-error", "必填").await;
    contractor.choose("#award-bid", &a_bid).await;
    contractor.wait_text("#award-reason-rule", "选填").await;
    contractor.click("#award-submit").await;
    contractor.wait_text("#tender-status", "已定标").await;
    // The winner, on the page it left open, is told live.
    supplier_a.wait_text(".toasts", "中标").await;
    supplier_a.find("#bid-won").await;
    supplier_a.wait_text("#bid-status", "中标").await;
    supplier_a.wait_text("#bid-rank", "1").await;
    contractor.find("#tender-signing-deadline").await;
    // The award drafted the contract; the tender links to it.
    contractor.find("#tender-contract-link").await;
    contractor.resize(375, 812).await;
    contractor.assert_fits("the awarded tender at 375 px (the sheet scrolls inside)").await;
    contractor.click("#lang-switch").await;
    contractor.wait_text("#tender-status", "Awarded").await;
    contractor.wait_text("#scoring-sheet tr.rank-first .sheet-credit", "neutral").await;
    contractor.click("#lang-switch").await;
    contractor.wait_text("#tender-status", "已定标").await;

    // The winner's page and its list of bids, at phone width.
    supplier_a.resize(375, 812).await;
    supplier_a.assert_fits("the winner's tender page at 375 px").await;
    supplier_a.screenshot("tender-06-won-375").await;
    supplier_a.goto(&format!("{}/bids", app.base)).await;
    supplier_a.wait_text("#my-bids", TITLE).await;
    supplier_a.wait_text("#my-bids", "中标").await;

    contractor.assert_no_console_errors(&[]).await;
    supplier_a.assert_no_console_errors(&[]).await;
    supplier_b.assert_no_console_errors(&[]).await;
}
