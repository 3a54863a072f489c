//! Browser journey of the business-role view (issue #14): the member of an organisation that is
//! both contractor and supplier sees the contractor's work first (its projects and demands), then
//! switches the view to supplier and sees the demand invitations it received first, in the home
//! page and in the navigation at once; the choice survives a reload. A financier sees the honest
//! supply-chain finance placeholder. `#[ignore]`d like the other browser tests; run with
//! `GONGZHU_TEST_WEB_DIR` set.

use reqwest::Method;

use crate::fixtures::{demand_body, project_body, steelworks};
use crate::helpers::*;
use crate::webdriver::*;

async fn create_demand(app: &TestApp, org: &OrgAccount, title: &str) -> String {
    let created = app.as_org(Method::POST, "/demands", &org.token, &org.id, Some(&demand_body(title))).await;
    json_of(created, 201).await["id"].as_str().expect("id").to_owned()
}

async fn create_project(app: &TestApp, org: &OrgAccount, name: &str) {
    let body = project_body(name);
    json_of(app.as_org(Method::POST, "/projects", &org.token, &org.id, Some(&body)).await, 201).await;
}

/// The `data-card` of the home page's cards, in order.
async fn home_cards(browser: &Browser) -> Vec<String> {
    let cards = browser
        .eval("return [...document.querySelectorAll('#home-cards [data-card]')].map(e => e.dataset.card)")
        .await;
    cards.as_array().expect("cards").iter().map(|c| c.as_str().unwrap_or_default().to_owned()).collect()
}

/// The ids of the information centre's links, in order.
async fn nav_ids(browser: &Browser) -> Vec<String> {
    let ids = browser.eval("return [...document.querySelectorAll('.infonav > a')].map(e => e.id)").await;
    ids.as_array().expect("ids").iter().map(|c| c.as_str().unwrap_or_default().to_owned()).collect()
}

/// Waits until the first home card is `slug`.
async fn wait_first_card(browser: &Browser, slug: &str) {
    browser.find(&format!("#home-cards > [data-card='{slug}']:first-child")).await;
}

#[tokio::test]
#[ignore = "needs Chromium and the built SPA; run by scripts/test.sh"]
async fn browser_roles_view_role_puts_contractor_supplier_and_financier_work_first() {
    let app = spawn_with(Spawn { web_dir: Some(web_dir()), ..Spawn::default() }).await;
    let reviewer = app.staff_member("reviewer@gongzhu.test", &["reviewer"]).await;
    let dual = app
        .verified_org(
            "dual@example.com",
            steelworks("浙江精工建设有限公司").roles(&["contractor", "supplier"]),
            &reviewer,
        )
        .await;
    let project = "文三路拓宽改造工程";
    create_project(&app, &dual, project).await;
    let own_demand = "文三路雨污分流管材采购";
    create_demand(&app, &dual, own_demand).await;

    // A Certified contractor publishes at once; matching invites the dual-role organisation.
    let poster = app
        .verified_org(
            "poster@example.com",
            steelworks("杭州城建集团有限公司").roles(&["contractor"]),
            &reviewer,
        )
        .await;
    app.set_org_columns(&poster, "membership_tier = 'certified'").await;
    let invited_to = "西湖文化中心主体钢结构分包";
    let id = create_demand(&app, &poster, invited_to).await;
    let submitted =
        app.as_org(Method::POST, &format!("/demands/{id}/submission"), &poster.token, &poster.id, None).await;
    assert_eq!(json_of(submitted, 200).await["status"], "published");

    let financier = app
        .org_account("bank@example.com", OrgSpec::new("杭州供应链金融服务有限公司").roles(&["financier"]))
        .await;
    assert!(!financier.id.is_empty());

    // The contractor view: projects and demands first, in the home page and the navigation.
    let browser = Browser::start().await;
    browser.sign_in(&app, "dual@example.com", None).await;
    browser.goto(&format!("{}/", app.base)).await;
    browser.find("#role-switch option[value='supplier']").await;
    browser.choose("#role-switch", "contractor").await;
    wait_first_card(&browser, "my-projects").await;
    browser.wait_text("#home-my-projects-items", project).await;
    browser.wait_text("#home-my-demands-items", own_demand).await;
    browser.wait_text("#home-my-demands-items", "草稿").await;
    browser.find("#home-recommendations-empty").await;
    browser.wait_text("#home-focus", "施工企业").await;
    let cards = home_cards(&browser).await;
    assert_eq!(cards[..3], ["my-projects", "my-demands", "recommendations"], "{cards:?}");
    assert!(cards.contains(&"notifications".to_owned()) && cards.contains(&"community".to_owned()));
    assert!(!cards.contains(&"received-invitations".to_owned()), "{cards:?}");
    let nav = nav_ids(&browser).await;
    assert_eq!(nav.first().map(String::as_str), Some("nav-projects"), "{nav:?}");
    assert!(!nav.contains(&"nav-demand-invitations".to_owned()), "{nav:?}");
    browser.screenshot("roles-01-contractor-home").await;

    // Switching to supplier changes home and navigation at once.
    browser.choose("#role-switch", "supplier").await;
    wait_first_card(&browser, "received-invitations").await;
    browser.wait_text("#home-received-invitations-items", invited_to).await;
    browser.wait_text("#home-received-invitations-items", "杭州城建集团有限公司").await;
    browser.find("#home-my-listings-empty").await;
    browser.wait_text("#home-focus", "材料供应商").await;
    let cards = home_cards(&browser).await;
    assert_eq!(cards[..3], ["received-invitations", "my-listings", "matching-demands"], "{cards:?}");
    assert!(!cards.contains(&"my-demands".to_owned()), "{cards:?}");
    let nav = nav_ids(&browser).await;
    assert_eq!(nav.first().map(String::as_str), Some("nav-demand-invitations"), "{nav:?}");
    browser.screenshot("roles-02-supplier-home").await;

    // The choice is remembered across a reload, and the strings follow the language.
    browser.goto(&format!("{}/", app.base)).await;
    wait_first_card(&browser, "received-invitations").await;
    assert_eq!(browser.selected_text("#role-switch").await, "材料供应商");
    browser.click("#lang-switch").await;
    browser.wait_text("#home-received-invitations h2", "Demand invitations received").await;
    browser.wait_text("#nav-demand-invitations", "Demand invitations received").await;
    browser.click("#lang-switch").await;
    browser.wait_text("#home-title", "我的工作台").await;
    browser.click("#home-received-invitations-all").await;
    browser.wait_url("/demand-invitations").await;
    browser.wait_text("#received-invitations", invited_to).await;
    browser.sign_out(&app).await;

    // A financier sees the finance placeholder first, then the directory and search.
    browser.sign_in(&app, "bank@example.com", None).await;
    browser.goto(&format!("{}/", app.base)).await;
    wait_first_card(&browser, "finance").await;
    browser.wait_text("#home-finance-text", "供应链金融").await;
    let cards = home_cards(&browser).await;
    assert_eq!(cards[..3], ["finance", "directory", "search"], "{cards:?}");
    browser.wait_text("#directory", "浙江精工建设有限公司").await;
    browser.screenshot("roles-03-financier-home").await;
    browser.click("#lang-switch").await;
    browser.wait_text("#home-finance-text", "Supply-chain finance").await;
    browser.click("#lang-switch").await;
    browser.wait_text("#home-finance-text", "供应链金融").await;

    browser.assert_no_console_errors(&[]).await;
}
