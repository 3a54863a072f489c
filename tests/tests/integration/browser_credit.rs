//! Browser check of the credit report (issue #17) in headless Chromium against the real SPA and
//! server: an organisation whose grade two reviewers set through the dual-control override shows
//! its grade badge in the directory card and, on its public profile, the grade, the staff-review
//! marker and the radar polygon of the five dimensions to a signed-out visitor (without the
//! detail); its own member sees every indicator, the explanation and the trend line.
//! `#[ignore]`d like the other browser tests; run with `GONGZHU_TEST_WEB_DIR`.

use serde_json::json;

use crate::helpers::*;
use crate::webdriver::*;

/// The number of points of an SVG `points` attribute.
async fn point_count(browser: &Browser, css: &str) -> usize {
    browser.find(css).await;
    let script = format!("return document.querySelector({css:?}).getAttribute('points')");
    browser.eval(&script).await.as_str().unwrap_or_default().split_whitespace().count()
}

#[tokio::test]
#[ignore = "needs Chromium and the built SPA; run by scripts/test.sh"]
async fn browser_credit_report_shows_the_grade_radar_and_to_members_the_detail_and_trend() {
    let app = spawn_with(Spawn { web_dir: Some(web_dir()), ..Spawn::default() }).await;
    let reviewer = app.staff_member("credit-reviewer@gongzhu.test", &["reviewer"]).await;
    let second = app.staff_member("credit-second@gongzhu.test", &["reviewer"]).await;
    let org =
        app.verified_org("credit-owner@example.com", OrgSpec::new("信誉钢构工程有限公司"), &reviewer).await;
    let ask = json!({"action": "override_credit_grade", "org_id": org.id, "grade": "b", "reason": "线下核查后人工复核"});
    let request = json_of(app.post("/staff/requests", &ask, Some(&reviewer)).await, 201).await;
    let approval = format!("/staff/requests/{}/approval", request["id"].as_str().expect("id"));
    json_of(app.post(&approval, &json!({}), Some(&second)).await, 200).await;

    // A signed-out visitor: the directory card's badge, then the public part of the report.
    let visitor = Browser::start().await;
    visitor.goto(&format!("{}/", app.base)).await;
    visitor.wait_text("#directory .org-card .grade-b", "B").await;
    visitor.goto(&format!("{}/directory/{}", app.base, org.id)).await;
    visitor.wait_text("#credit-grade", "B").await;
    visitor.find("#credit-overridden").await;
    assert_eq!(point_count(&visitor, "#credit-radar-shape").await, 5, "one point per dimension");
    visitor.find("#credit-detail-hint").await;
    assert_eq!(visitor.count("#credit-indicators").await, 0, "no detail for the public");
    visitor.eval("document.querySelector('#org-credit').scrollIntoView()").await;
    visitor.screenshot("credit-public").await;

    // Its owner: every indicator with its value, the explanation and the trend.
    let member = Browser::start().await;
    member.sign_in(&app, "credit-owner@example.com", None).await;
    member.goto(&format!("{}/directory/{}", app.base, org.id)).await;
    member.wait_count("#credit-indicators .credit-indicator", 12).await;
    member.wait_text(".credit-indicator[data-indicator='cooperations'] .indicator-value", "0").await;
    member.wait_text("#credit-explanation", "人工复核").await;
    member.wait_text("#credit-override-reason", "线下核查后人工复核").await;
    assert_eq!(point_count(&member, "#credit-trend-line").await, 1, "one stored month so far");
    member.resize(375, 900).await;
    member.assert_fits("the credit report at 375 px").await;
    member.eval("document.querySelector('#credit-indicators').scrollIntoView()").await;
    member.screenshot("credit-member").await;
    member.assert_no_console_errors(&[]).await;
}
