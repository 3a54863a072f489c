//! Browser journeys of the information centre (issue #6), in headless Chromium against the real
//! SPA and server: a contractor posts a demand that the platform reviews, sees the recommended
//! organisations with their reasons, and an invited supplier in a second browser gets the
//! notification live and answers; a project posted through the SPA is found by a Chinese
//! search and filtered by region; three listings are compared with the best values marked.
//! `#[ignore]`d like the other browser tests; run with `GONGZHU_TEST_WEB_DIR` set.

use reqwest::Method;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

use crate::fixtures::steelworks;
use crate::helpers::*;
use crate::webdriver::*;

/// Makes `email` an operator with TOTP on; returns the TOTP secret (to sign in the browser).
async fn operator_with_secret(app: &TestApp, email: &str) -> String {
    use api::auth::totp::{code_for_step, step_at};
    let session = app.register(email).await;
    api::ops::staff_cli::create_staff(&app.db, &app.config, email, "operator", "运营")
        .expect("grant operator");
    let enrolment =
        json_of(app.post("/me/totp", &json!({"password": PASSWORD}), Some(&session.access_token)).await, 201)
            .await;
    let secret = enrolment["secret"].as_str().expect("secret").to_owned();
    let code = code_for_step(&secret, step_at(chrono::Utc::now().timestamp())).expect("code");
    let confirmed =
        app.post("/me/totp/confirmation", &json!({"code": code}), Some(&session.access_token)).await;
    assert_eq!(confirmed.status(), 204, "TOTP on");
    secret
}

/// A small PDF for uploads.
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

#[tokio::test]
#[ignore = "needs Chromium and the built SPA; run by scripts/test.sh"]
async fn browser_information_demand_reviewed_matched_invitation_answered_live() {
    let app = spawn_with(Spawn { web_dir: Some(web_dir()), ..Spawn::default() }).await;
    let reviewer = app.staff_member("reviewer@gongzhu.test", &["reviewer"]).await;
    let operator_secret = operator_with_secret(&app, "operator@gongzhu.test").await;
    app.verified_org(
        "poster@example.com",
        OrgSpec::new("杭州城建集团有限公司").roles(&["contractor"]),
        &reviewer,
    )
    .await;
    let names = [
        "浙江精工钢构有限公司",
        "杭州钢结构安装有限公司",
        "宁波东方钢构工程有限公司",
        "温州恒泰建设有限公司",
    ];
    let mut suppliers = Vec::new();
    for (i, name) in names.iter().enumerate() {
        suppliers.push(app.verified_org(&format!("steel{i}@example.com"), steelworks(name), &reviewer).await);
    }
    // Offers the category but serves only Jiangsu: excluded by a hard constraint.
    app.verified_org("far@example.com", steelworks("苏州远方钢构有限公司").serving(&["320000"]), &reviewer)
        .await;

    // The contractor writes the demand as a draft and submits it for review.
    let poster = Browser::start().await;
    poster.sign_in(&app, "poster@example.com", None).await;
    poster.click("#nav-demands").await;
    poster.wait_url("/demands").await;
    poster.click("#demand-new").await;
    poster.wait_url("/demands/new").await;
    poster.click("#demand-submit").await;
    // The form checks with the API's rule and codes: an empty title is `required`.
    poster.wait_text("#demand-title-error", "必填").await;
    poster.wait_text("#demand-category-error", "必填").await;
    assert_eq!(app.count("demands"), 0, "a refused form sends nothing");
    let title = "西湖文化中心主体钢结构分包";
    poster.type_into("#demand-title", title).await;
    poster.choose("#demand-category", "steel_structure").await;
    poster.type_into("#demand-scope", "主体钢结构制作与安装，含防腐防火涂装，须配合总包进度。").await;
    poster.type_into("#demand-quantity", "约1200吨").await;
    poster.type_into("#demand-budget-min", "8,000,000").await;
    poster.type_into("#demand-budget-max", "12000000.5").await;
    poster.choose("#demand-region-province", "330000").await;
    poster.choose("#demand-region-city", "330100").await;
    poster.choose("#demand-region-county", "330106").await;
    poster.click("#requirement-add").await;
    poster.choose("#requirement-0-type", "professional_contracting").await;
    poster.choose("#requirement-0-grade", "second").await;
    poster.set_value("#demand-deadline", &shanghai_date_in(30)).await;
    poster.screenshot("info-01-demand-form").await;
    poster.click("#demand-submit").await;
    poster.wait_text("#demand-title", title).await;
    poster.wait_text("#demand-status", "草稿").await;
    poster.wait_text("#demand-budget", "¥8,000,000.00 – ¥12,000,000.50").await;
    poster.click("#demand-submit-review").await;
    poster.wait_text("#demand-status", "待审核").await;
    poster.find("#demand-review-due").await;
    let demand_url = poster.url().await;
    let demand_id = demand_url.rsplit('/').next().expect("id").to_owned();
    poster.screenshot("info-02-demand-in-review").await;
    poster.sign_out(&app).await;

    // The best-ranked supplier signs in and waits on its invitations page.
    let supplier = Browser::start().await;
    supplier.sign_in(&app, "steel0@example.com", None).await;
    supplier.goto(&format!("{}/demand-invitations", app.base)).await;
    supplier.find("#received-invitations-empty").await;
    assert_eq!(supplier.text("#bell-count").await, "", "no unread notification yet");

    // An operator approves it in the staff console: matching runs and invitations go out.
    poster.sign_in(&app, "operator@gongzhu.test", Some(&operator_secret)).await;
    poster.goto(&format!("{}/staff/demand-reviews", app.base)).await;
    poster.wait_text("#demand-reviews", title).await;
    poster.screenshot("info-03-demand-review-queue").await;
    poster.click(&format!("li[data-demand='{demand_id}'] [data-action=reject]")).await;
    poster.wait_text(&format!("li[data-demand='{demand_id}']"), "必填").await;
    poster.click(&format!("li[data-demand='{demand_id}'] [data-action=approve]")).await;
    poster.wait_text(".toasts", "需求已通过审核并发布").await;
    poster.find("#demand-reviews-empty").await;
    poster.sign_out(&app).await;

    // The supplier's bell rises without a reload, a toast appears and the invitation shows.
    supplier.wait_text("#bell-count", "1").await;
    supplier.wait_text(".toasts", title).await;
    supplier.wait_text("#received-invitations", title).await;
    supplier.screenshot("info-04-invitation-live").await;

    // The contractor sees the ranked recommendations with reasons and factor bars.
    poster.sign_in(&app, "poster@example.com", None).await;
    poster.goto(&demand_url).await;
    poster.wait_text("#demand-status", "已发布").await;
    poster.find("#recommendations li.recommendation").await;
    let ranked = poster.count("#recommendations li.recommendation").await;
    assert!((3..=5).contains(&ranked), "3–5 recommendations, got {ranked}");
    assert_eq!(ranked, 4, "the four qualified suppliers");
    let reasons = poster
        .eval("return [...document.querySelectorAll('#recommendations .reason')].map(e => e.textContent.trim().length)")
        .await;
    assert!(
        reasons.as_array().is_some_and(|r| r.iter().all(|n| n.as_u64().is_some_and(|n| n > 0))),
        "every recommendation gives its reason: {reasons}"
    );
    assert!(poster.count("#recommendations .factor .bar").await >= ranked * 3, "factor bars");
    let excluded = poster.eval("return document.querySelector('#exclusions').textContent").await;
    assert!(
        excluded.as_str().is_some_and(|t| t.contains("不服务该地区: 2")),
        "the poster and the Jiangsu-only supplier fail the region constraint: {excluded}"
    );
    poster.wait_text("#recommendations", "浙江精工钢构有限公司").await;
    poster.wait_count("#recommendations .rec-answer.badge-warn", 4).await;
    poster.wait_text("#responses", "待回复").await;
    poster.eval("document.querySelector('#recommendations-title').scrollIntoView()").await;
    poster.screenshot("info-05-recommendations").await;

    // The supplier answers; the contractor's page shows it without a reload.
    supplier.type_into("textarea[id^=note-]", "可于下周进场，望进一步沟通").await;
    supplier.click("#received-invitations [data-action=interested]").await;
    supplier.wait_text(".toasts", "已回复邀请").await;
    supplier.wait_text("#received-invitations", "有意向").await;
    let answered = &suppliers[0].id;
    poster.wait_text(&format!("#recommendations li[data-org='{answered}'] .rec-answer"), "有意向").await;
    poster.wait_text("#responses", "可于下周进场").await;
    poster.wait_text("#bell-count", "2").await;
    poster.eval("document.querySelector('#responses-title').scrollIntoView()").await;
    poster.screenshot("info-06-answer-seen").await;

    // The notification centre: the answer is there; opening it marks it read and follows it.
    poster.click("#nav-notifications").await;
    poster.wait_text("#notifications", "有意向参与").await;
    poster.click("#notifications li.unread .notification-open").await;
    poster.wait_url(&format!("/demands/{demand_id}")).await;
    poster.wait_text("#bell-count", "1").await;
    poster.goto(&format!("{}/notifications", app.base)).await;
    poster.click("#read-all").await;
    poster.wait_count("#notifications li.unread", 0).await;
    assert_eq!(poster.text("#bell-count").await, "", "all read");

    poster.assert_no_console_errors(&[]).await;
    supplier.assert_no_console_errors(&[]).await;
}

#[tokio::test]
#[ignore = "needs Chromium and the built SPA; run by scripts/test.sh"]
async fn browser_information_project_posted_then_found_by_chinese_search_and_region() {
    let app = spawn_with(Spawn { web_dir: Some(web_dir()), ..Spawn::default() }).await;
    let reviewer = app.staff_member("reviewer@gongzhu.test", &["reviewer"]).await;
    let builder = app
        .verified_org(
            "builder@example.com",
            OrgSpec::new("杭州市政建设集团有限公司").roles(&["contractor"]),
            &reviewer,
        )
        .await;
    for (name, kind, region) in [
        ("苏州工业园区市政道路提升工程", "municipal", "320505"),
        ("杭州东站综合体房建项目", "housing", "330104"),
    ] {
        let body = json!({"name": name, "project_type": kind, "investment_fen": 35_000_000_000_i64,
                          "region_code": region, "description": format!("{name}，公开招标。")});
        let created = json_of(
            app.as_org(Method::POST, "/projects", &builder.token, &builder.id, Some(&body)).await,
            201,
        )
        .await;
        let path = format!("/projects/{}/publication", created["id"].as_str().expect("id"));
        json_of(app.as_org(Method::POST, &path, &builder.token, &builder.id, None).await, 200).await;
    }
    let files = TempDir(std::env::temp_dir().join(format!("gz-tender-{}", uuid::Uuid::now_v7().simple())));
    let tender = pdf(&files.0, "招标文件.pdf");

    // The builder posts a project through the SPA, with its tender document, and publishes it.
    let browser = Browser::start().await;
    browser.sign_in(&app, "builder@example.com", None).await;
    browser.click("#nav-projects").await;
    browser.click("#project-new").await;
    browser.wait_url("/projects/new").await;
    let name = "某市市政道路改造工程";
    browser.type_into("#project-name", name).await;
    browser.choose("#project-type", "municipal").await;
    browser.type_into("#project-investment", "1.005").await;
    browser.click("#project-submit").await;
    browser.wait_text("#project-investment-error", "最多两位小数").await;
    browser.wait_text("#project-region-error", "必填").await;
    assert_eq!(app.count("projects"), 2, "a refused form sends nothing");
    browser.type_into("#project-investment", "¥128,000,000").await;
    browser.choose("#project-region-province", "330000").await;
    browser.choose("#project-region-city", "330100").await;
    browser.choose("#project-region-county", "330106").await;
    browser.type_into("#project-tags", "道路，改造").await;
    browser.type_into("#project-description", "城市主干道路面改造及排水管网更新，全长约 3.2 公里。").await;
    browser.choose_file("#project-files", &tender).await;
    browser.wait_text("#project-files-list", "招标文件.pdf").await;
    browser.click("#project-submit").await;
    browser.wait_text("#project-title", name).await;
    browser.wait_text("#project-status", "草稿").await;
    browser.wait_text("#project-investment-shown", "¥128,000,000.00").await;
    browser.find("#project-files-0").await;
    browser.click("#project-publish").await;
    browser.wait_text("#project-status", "已发布").await;
    browser.screenshot("info-07-project-published").await;
    browser.sign_out(&app).await;

    // A visitor searches in Chinese from the header at phone width.
    browser.resize(375, 812).await;
    browser.goto(&format!("{}/", app.base)).await;
    browser.type_into("#header-search", "市政道路").await;
    browser.click("#header-search-submit").await;
    browser.wait_url("/search?q=").await;
    browser.wait_text("#search-results", name).await;
    browser.wait_text("#search-results", "苏州工业园区市政道路提升工程").await;
    let results = browser.text("#search-results").await;
    assert!(!results.contains("杭州东站综合体房建项目"), "the housing project does not match: {results}");
    let marked = browser.eval("return [...document.querySelectorAll('#search-results .item-title mark')].map(m => m.textContent)").await;
    assert!(
        marked.as_array().is_some_and(|m| m.iter().any(|t| t.as_str().is_some_and(|t| t.contains("市政")))),
        "matched words are highlighted: {marked}"
    );
    browser.find("#search-total").await;
    browser.assert_fits("the search page at 375 px").await;
    browser.screenshot("info-08-search-375").await;

    // Filtering by region (Zhejiang) leaves the Hangzhou project only.
    browser.eval("document.querySelector('#search-form details').open = true").await;
    browser.choose("#search-region-province", "330000").await;
    browser.click("#search-submit").await;
    browser.wait_url("region=330000").await;
    browser.wait_count("#search-results li", 1).await;
    browser.wait_text("#search-results", name).await;
    browser.screenshot("info-09-search-region-375").await;

    // The hit leads to the project, whose tender document is listed.
    browser.click("#search-results a.item-title").await;
    browser.wait_text("#project-title", name).await;
    browser.find("#project-files-0").await;
    browser.find("#ask-form, main a[href^='/login']").await;
    browser.assert_fits("the project page at 375 px").await;

    browser.assert_no_console_errors(&[]).await;
}

#[tokio::test]
#[ignore = "needs Chromium and the built SPA; run by scripts/test.sh"]
async fn browser_information_three_listings_compared_with_best_values_marked() {
    let app = spawn_with(Spawn { web_dir: Some(web_dir()), ..Spawn::default() }).await;
    let reviewer = app.staff_member("reviewer@gongzhu.test", &["reviewer"]).await;
    app.verified_org(
        "cement@example.com",
        OrgSpec::new("浙江南方水泥有限公司").roles(&["supplier"]),
        &reviewer,
    )
    .await;
    let other = app
        .verified_org(
            "conch@example.com",
            OrgSpec::new("安徽海螺水泥股份有限公司").roles(&["supplier"]),
            &reviewer,
        )
        .await;
    for (name, price_fen, strength, lead) in
        [("海螺 P.O 42.5 水泥", 43_000_i64, "43.1", 5), ("海螺 P.O 52.5 水泥", 52_000, "53.2", 7)]
    {
        let body = json!({
            "kind": "material", "category": "cement", "name": name, "unit_price_fen": price_fen, "unit": "吨",
            "stock": 5000, "regions_served": ["330000", "340000"], "lead_time_days": lead,
            "parameters": [{"name": "28天抗压强度", "value": strength, "unit": "MPa", "better": "higher"}]
        });
        json_of(app.as_org(Method::POST, "/resources", &other.token, &other.id, Some(&body)).await, 201)
            .await;
    }

    // The supplier posts a third listing through the SPA.
    let browser = Browser::start().await;
    browser.sign_in(&app, "cement@example.com", None).await;
    browser.click("#nav-resources").await;
    browser.click("#resource-new").await;
    browser.wait_url("/resources/new").await;
    browser.choose("#resource-kind", "material").await;
    browser.choose("#resource-category", "cement").await;
    browser.type_into("#resource-name", "南方 P.O 42.5R 水泥").await;
    browser.type_into("#resource-price", "398.50").await;
    browser.type_into("#resource-unit", "吨").await;
    browser.type_into("#resource-stock", "12000").await;
    browser.type_into("#resource-lead-time", "2").await;
    browser.click("#parameter-add").await;
    browser.type_into("#param-0-name", "28天抗压强度").await;
    browser.type_into("#param-0-value", "47.6").await;
    browser.type_into("#param-0-unit", "MPa").await;
    browser.choose("#param-0-better", "higher").await;
    browser.click("#resource-submit").await;
    browser.wait_text("#resource-regions-error", "必填").await;
    browser.choose("#resource-region-province", "330000").await;
    browser.click("#resource-region-add").await;
    browser.wait_text("#resource-regions", "浙江省").await;
    browser.click("#resource-submit").await;
    browser.wait_text("#resource-title", "南方 P.O 42.5R 水泥").await;
    browser.wait_text("#resource-price-shown", "¥398.50 / 吨").await;
    browser.sign_out(&app).await;

    // A visitor ticks all three and compares them.
    browser.goto(&format!("{}/resources", app.base)).await;
    browser.wait_count("#resources li.item", 3).await;
    browser.click("#resources li.item:nth-child(1) .compare-pick").await;
    let disabled = browser.eval("return document.querySelector('#compare-button').disabled").await;
    assert_eq!(disabled, json!(true), "one listing cannot be compared");
    browser.click("#resources li.item:nth-child(2) .compare-pick").await;
    browser.click("#resources li.item:nth-child(3) .compare-pick").await;
    browser.wait_text("#compare-count", "3/5").await;
    browser.screenshot("info-10-resources-picked").await;
    browser.click("#compare-button").await;
    browser.wait_url("/resources/compare?ids=").await;
    browser.find("#comparison td.best").await;
    let listings = browser.count("#comparison thead th").await;
    assert_eq!(listings, 4, "a label column and three listings");
    let best = |label: &str| {
        format!(
            "return [...document.querySelectorAll('#comparison tbody tr')].filter(r => r.querySelector('th').textContent.startsWith({label:?})).map(r => [...r.querySelectorAll('td')].map(td => td.classList.contains('best')))"
        )
    };
    let column_of = |name: &str| {
        format!(
            "return [...document.querySelectorAll('#comparison thead th')].slice(1).findIndex(th => th.textContent.includes({name:?}))"
        )
    };
    let cheapest = browser.eval(&column_of("南方 P.O 42.5R 水泥")).await.as_u64().expect("column") as usize;
    let strongest = browser.eval(&column_of("海螺 P.O 52.5 水泥")).await.as_u64().expect("column") as usize;
    let price_row = browser.eval(&best("单价")).await;
    let strength_row = browser.eval(&best("28天抗压强度")).await;
    let marks = |row: &Value| -> Vec<bool> {
        row[0].as_array().expect("row").iter().map(|b| b.as_bool().unwrap_or(false)).collect()
    };
    let expect = |column: usize| (0..3).map(|i| i == column).collect::<Vec<bool>>();
    assert_eq!(marks(&price_row), expect(cheapest), "the lowest price is marked: {price_row}");
    assert_eq!(marks(&strength_row), expect(strongest), "the highest strength is marked: {strength_row}");
    browser.screenshot("info-11-comparison").await;
    browser.resize(375, 812).await;
    browser.assert_fits("the comparison at 375 px (the table scrolls inside)").await;
    browser.screenshot("info-12-comparison-375").await;
    browser.click("#lang-switch").await;
    browser.wait_text("#compare-title", "Comparison").await;
    browser.click("#lang-switch").await;

    browser.assert_no_console_errors(&[]).await;
}
