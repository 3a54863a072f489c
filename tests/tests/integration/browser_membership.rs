//! Browser check of membership (issue #17) in headless Chromium against the real SPA and server:
//! a supplier with two settled contracts (seeded through the API) sees 新用户 and "2 / 3" on its
//! membership page; the payer confirms the last acceptance of the third contract in the signing
//! dialog; the supplier's page then shows 普通用户, the promotion in its history with the reason,
//! and the next tier's volume condition. `#[ignore]`d like the other browser tests; run with
//! `GONGZHU_TEST_WEB_DIR`.

use serde_json::json;
use shared::dto::*;

use crate::browser_money::confirm_acceptance;
use crate::closing::{accept, into_force};
use crate::contracts::award;
use crate::helpers::*;
use crate::membership::{FUND_ALL, PRICE, next_demand, settle};
use crate::tenders::cast;
use crate::webdriver::*;

#[tokio::test]
#[ignore = "needs Chromium and the built SPA; run by scripts/test.sh"]
async fn browser_a_supplier_becomes_regular_when_its_third_contract_settles() {
    let app = spawn_with(Spawn {
        web_dir: Some(web_dir()),
        tweak: Some(|config| {
            config.access_token_ttl_secs = 90 * 86_400;
            config.refresh_token_ttl_secs = 120 * 86_400;
        }),
        ..Spawn::default()
    })
    .await;
    let mut c = cast(&app).await;
    let officer = app.staff_member("tier-finance@gongzhu.test", &["finance_officer"]).await;
    settle(&app, &mut c, &officer, 0).await;
    settle(&app, &mut c, &officer, 1).await;
    next_demand(&app, &mut c, 2).await;
    let contract = award(&app, &c, PRICE).await;
    into_force(&app, &c, &contract, &officer, &FUND_ALL, |_| {}).await;
    accept(&app, &c, &contract.id, 1).await;
    let body = json!({"milestone": 2, "quantities": [{"item": "钢结构安装", "unit": "项", "quantity": 1}], "note": "完工"});
    let path = format!("/contracts/{}/acceptances", contract.id);
    let _: AcceptanceView = app.as_(&c.alpha.token).org(&c.alpha.id).post(&path, &body).await.expect("asked");

    let supplier = Browser::start().await;
    supplier.sign_in(&app, "alpha@steel.test", None).await;
    let page = format!("{}/orgs/{}/membership", app.base, c.alpha.id);
    supplier.goto(&page).await;
    supplier.wait_text("#membership-tier", "新用户").await;
    supplier
        .wait_text(
            "#membership-next .requirement[data-kind='completed_transactions'] .requirement-value",
            "2 / 3",
        )
        .await;
    supplier.wait_text("#membership-history", "暂无变动").await;

    // The payer confirms the last acceptance: the contract settles in full.
    let payer = Browser::start().await;
    payer.sign_in(&app, "gc@build.test", None).await;
    payer.goto(&format!("{}/contracts/{}", app.base, contract.id)).await;
    confirm_acceptance(&payer).await;
    payer.wait_text("#acceptances .acceptance-status", "已验收").await;

    // In-app navigation from here (one live stream per page load).
    supplier.click("#nav-org").await;
    supplier.click("#org-membership-link").await;
    supplier.wait_text("#membership-tier", "普通用户").await;
    supplier.wait_text("#membership-completed", "3").await;
    supplier.wait_text("#membership-history .tier-change", "已完成 3 笔交易").await;
    let volume = "#membership-next .requirement[data-kind='volume_above'] .requirement-value";
    supplier.wait_text(volume, "¥4,500,000.00 / ¥5,000,000.00").await;
    supplier.click("#nav-notifications").await;
    supplier.wait_text("main", "会员等级升为普通用户").await;
    supplier.click("#nav-org").await;
    supplier.click("#org-membership-link").await;
    supplier.resize(375, 900).await;
    supplier.wait_text("#membership-tier", "普通用户").await;
    supplier.assert_fits("the membership page at 375 px").await;
    supplier.screenshot("membership-regular").await;
    supplier.assert_no_console_errors(&[]).await;
}
