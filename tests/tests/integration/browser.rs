//! Browser end-to-end tests: headless Chromium (through chromedriver's WebDriver protocol)
//! drives the real SPA served by the real server on a fresh database. `#[ignore]`d in a plain
//! `cargo test`; `scripts/test.sh` builds the SPA and runs them with `GONGZHU_TEST_WEB_DIR` set.
//! Screenshots of key pages go to `target/screenshots/` in the repository.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use base64::Engine;

use serde_json::{Value, json};

use crate::helpers::*;
use crate::webdriver::*;

#[tokio::test]
#[ignore = "needs Chromium and the built SPA; run by scripts/test.sh"]
async fn browser_register_sign_out_sign_in_with_reload_and_language_switch() {
    let app = spawn_with(Spawn { web_dir: Some(web_dir()), ..Spawn::default() }).await;
    let browser = Browser::start().await;
    browser.goto(&format!("{}/", app.base)).await;
    browser.wait_text("#landing-title", "共筑").await;
    browser.screenshot("01-landing").await;

    browser.click("#nav-register").await;
    browser.wait_url("/register").await;
    browser.type_into("#reg-login", "chen.jing@example.com").await;
    browser.type_into("#reg-password", "short").await;
    browser.type_into("#reg-name", "陈静").await;
    browser.click("#reg-submit").await;
    browser.wait_text("#reg-password-error", "密码至少 10 位").await;
    browser.wait_text("#reg-consent-error", "隐私政策").await;
    assert_eq!(app.count("users"), 0, "a refused form sends nothing");
    browser.screenshot("02-register-errors").await;

    browser.type_into("#reg-password", PASSWORD).await;
    browser.click("#reg-consent").await;
    assert_eq!(browser.text("#reg-name").await, "", "inputs have no text node");
    browser.click("#reg-submit").await;
    browser.wait_url("/account").await;
    browser.wait_text("#account-name", "陈静").await;
    assert_eq!(app.count("users"), 1);
    browser.screenshot("03-account").await;

    // A reload restores the session from the HttpOnly refresh cookie.
    browser.goto(&format!("{}/account", app.base)).await;
    browser.wait_text("#account-name", "陈静").await;

    browser.click("#lang-switch").await;
    browser.wait_text("#sign-out", "Sign out").await;
    browser.goto(&format!("{}/account", app.base)).await;
    browser.wait_text("#sign-out", "Sign out").await;
    browser.click("#lang-switch").await;
    browser.wait_text("#sign-out", "退出登录").await;

    browser.click("#sign-out").await;
    browser.wait_text("#landing-title", "共筑").await;
    browser.goto(&format!("{}/account", app.base)).await;
    browser.wait_url("/login?next=/account").await;

    browser.type_into("#login-login", "chen.jing@example.com").await;
    browser.type_into("#login-password", "wrongpass123").await;
    browser.click("#login-submit").await;
    browser.wait_text("#form-error", "账号或密码错误").await;
    browser.type_into("#login-password", PASSWORD).await;
    browser.click("#login-submit").await;
    browser.wait_url("/account").await;
    browser.wait_text("#account-name", "陈静").await;
    browser.screenshot("04-signed-in-again").await;

    let severe: Vec<String> = browser
        .severe_logs()
        .await
        .into_iter()
        .filter(|m| !(m.contains("/api/v1/auth/login") && m.contains("401")))
        .collect();
    assert!(severe.is_empty(), "console errors: {severe:#?}");
}

#[tokio::test]
#[ignore = "needs Chromium and the built SPA; run by scripts/test.sh"]
async fn browser_deep_link_loads_and_unknown_page_says_so() {
    let app = spawn_with(Spawn { web_dir: Some(web_dir()), ..Spawn::default() }).await;
    let browser = Browser::start().await;
    browser.goto(&format!("{}/register", app.base)).await;
    browser.find("#register-form").await;
    browser.goto(&format!("{}/no/such/page", app.base)).await;
    browser.wait_text("main h1", "页面不存在").await;
    browser.screenshot("05-not-found").await;
    assert!(browser.severe_logs().await.is_empty());
}

/// Registers `email` through the register page; ends on the account page.
async fn register_in_browser(browser: &Browser, app: &TestApp, email: &str, name: &str) {
    browser.goto(&format!("{}/register", app.base)).await;
    browser.type_into("#reg-login", email).await;
    browser.type_into("#reg-password", PASSWORD).await;
    browser.type_into("#reg-name", name).await;
    browser.click("#reg-consent").await;
    browser.click("#reg-submit").await;
    browser.wait_url("/account").await;
    browser.wait_text("#account-name", name).await;
}

/// Signs out from the account page.
async fn sign_out(browser: &Browser, app: &TestApp) {
    browser.goto(&format!("{}/account", app.base)).await;
    browser.click("#sign-out").await;
    browser.wait_text("#landing-title", "共筑").await;
    browser.find("#nav-login").await;
}

/// Fails on SEVERE console entries other than those matching `expected`.
async fn assert_no_console_errors(browser: &Browser, expected: &[&str]) {
    let severe: Vec<String> =
        browser.severe_logs().await.into_iter().filter(|m| !expected.iter().any(|e| m.contains(e))).collect();
    assert!(severe.is_empty(), "console errors: {severe:#?}");
}

#[tokio::test]
#[ignore = "needs Chromium and the built SPA; run by scripts/test.sh"]
async fn browser_organisation_wizard_invitation_directory_and_deep_link() {
    let app = spawn_with(Spawn { web_dir: Some(web_dir()), ..Spawn::default() }).await;
    app.register("li.qiang@example.com").await;
    let browser = Browser::start().await;
    register_in_browser(&browser, &app, "wang.fang@example.com", "王芳").await;

    browser.click("#nav-create-org").await;
    browser.wait_url("/orgs/new").await;
    let name = "上海浦东建设工程有限公司";
    let good =
        shared::domain::identity::Uscc::complete("91310115MA1K00007").expect("uscc").as_str().to_owned();
    let last = if good.ends_with('1') { '2' } else { '1' };
    let bad = format!("{}{last}", &good[..17]);
    browser.type_into("#org-name", name).await;
    browser.type_into("#org-uscc", &good[..10]).await;
    browser.wait_text("#org-uscc-check", "已输入 10 位").await;
    browser.type_into("#org-uscc", &bad).await;
    browser.wait_text("#org-uscc-check", "校验位不符").await;
    browser.click("#org-next").await;
    browser.wait_text("#org-uscc-error", "统一社会信用代码无效").await;
    browser.screenshot("06-org-bad-uscc").await;
    assert_eq!(app.count("organisations"), 0, "a refused step sends nothing");

    browser.type_into("#org-uscc", &good).await;
    browser.wait_text("#org-uscc-check", "校验位正确").await;
    browser.click("#org-next").await;
    browser.click("#org-next").await;
    browser.wait_text("#org-roles-error", "必填").await;
    browser.click("#role-contractor").await;
    browser.choose("#org-region-province", "310000").await;
    browser.choose("#org-region-city", "310115").await;
    browser.wait_text("#org-region-full", "上海市 浦东新区").await;
    browser.click("#org-next").await;
    browser.type_into("#org-contact-phone", "13800138000").await;
    browser.click("#org-create").await;
    browser.wait_text("#org-title", name).await;
    assert_eq!(app.count("organisations"), 1);
    assert_eq!(browser.selected_text("#org-switch").await, name, "the new organisation is active");
    let org_url = browser.url().await;
    browser.screenshot("07-org-page").await;

    // A contact without an account is invited the same way (nothing says whether it has one);
    // the invitation waits until they register and verify it.
    browser.type_into("#invite-login", "nobody@example.com").await;
    browser.click("#invite-submit").await;
    browser.wait_text(".toasts", "邀请已发送").await;
    assert_eq!(app.count("contact_invitations"), 1);
    browser.type_into("#invite-login", "li.qiang@example.com").await;
    browser.click("#invite-submit").await;
    for _ in 0..100 {
        if app.count("invitations") == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(app.count("invitations"), 1);

    // A reload of the organisation page (a deep link) restores session and organisation.
    browser.goto(&org_url).await;
    browser.wait_text("#org-title", name).await;
    browser.wait_text("#members", "王芳").await;

    sign_out(&browser, &app).await;
    browser.goto(&format!("{}/invitations", app.base)).await;
    browser.wait_url("/login?next=/invitations").await;
    browser.type_into("#login-login", "li.qiang@example.com").await;
    browser.type_into("#login-password", PASSWORD).await;
    browser.click("#login-submit").await;
    browser.wait_url("/invitations").await;
    browser.wait_text("#invitations", name).await;
    browser.screenshot("08-invitations").await;
    browser.click("#invitations [data-action=accept]").await;
    browser.wait_text("#org-title", name).await;
    assert_eq!(app.count("memberships"), 2);
    assert_eq!(browser.selected_text("#org-switch").await, name);
    browser.wait_text("#members", "张伟").await;

    browser.goto(&format!("{}/", app.base)).await;
    browser.wait_text("#directory-empty", "暂无已认证的企业").await;
    {
        use api::db::schema::organisations::dsl::*;
        use diesel::prelude::*;
        let mut conn = app.db.get().expect("conn");
        diesel::update(organisations)
            .set(verification_status.eq("verified"))
            .execute(&mut *conn)
            .expect("verify");
    }
    browser.goto(&format!("{}/", app.base)).await;
    browser.wait_text("#directory", name).await;
    browser.wait_text("#directory .org-region", "上海市 浦东新区").await;
    browser.wait_text("#directory .badges", "施工企业").await;
    browser.click("#lang-switch").await;
    browser.wait_text("#directory .badges", "General contractor").await;
    browser.wait_text("#directory-title", "Verified organisations").await;
    browser.screenshot("09-directory-en").await;
    browser.click("#lang-switch").await;

    assert_no_console_errors(
        &browser,
        &["/invitations - Failed to load resource: the server responded with a status of 422"],
    )
    .await;
}

#[tokio::test]
#[ignore = "needs Chromium and the built SPA; run by scripts/test.sh"]
async fn browser_password_change_reset_and_totp_sign_in_at_phone_width() {
    use api::auth::totp::{code_for_step, step_at};
    let code_now = |secret: &str, offset: i64| {
        code_for_step(secret, step_at(chrono::Utc::now().timestamp()) + offset).expect("code")
    };
    let app = spawn_with(Spawn { web_dir: Some(web_dir()), ..Spawn::default() }).await;
    let browser = Browser::start().await;
    browser.resize(375, 812).await;
    let email = "zhao.lei@example.com";
    register_in_browser(&browser, &app, email, "赵磊").await;
    let overflow = browser.eval("return document.documentElement.scrollWidth - window.innerWidth").await;
    assert!(overflow.as_i64().is_some_and(|o| o <= 0), "the account page fits 375 px (overflow {overflow})");
    browser.screenshot("10-account-375").await;

    browser.type_into("#pw-current", "wrongpass123").await;
    browser.type_into("#pw-new", "changed2026pass").await;
    browser.click("#pw-submit").await;
    browser.wait_text("#pw-current-error", "当前密码不正确").await;
    browser.type_into("#pw-current", PASSWORD).await;
    browser.click("#pw-submit").await;
    browser.wait_text(".toasts", "密码已修改").await;
    app.login(email, "changed2026pass").await;

    sign_out(&browser, &app).await;
    browser.goto(&format!("{}/login", app.base)).await;
    browser.click("#forgot-password").await;
    browser.wait_url("/password-reset").await;
    browser.type_into("#reset-login", email).await;
    browser.click("#reset-code-submit").await;
    browser.find("#reset-code").await;
    browser.type_into("#reset-code", &app.last_code(email)).await;
    browser.type_into("#reset-password", "reset2026pass").await;
    browser.click("#reset-submit").await;
    browser.wait_url("/login").await;
    browser.type_into("#login-login", email).await;
    browser.type_into("#login-password", "reset2026pass").await;
    browser.click("#login-submit").await;
    browser.wait_url("/account").await;

    browser.type_into("#totp-password", "reset2026pass").await;
    browser.click("#totp-start").await;
    browser.find("#totp-qr path").await;
    let secret = browser.text("#totp-secret").await;
    let codes = browser.eval("return document.querySelectorAll('#recovery-codes li').length").await;
    assert_eq!(codes, json!(10), "ten recovery codes are shown");
    browser.screenshot("11-totp-enrolment-375").await;
    browser.type_into("#totp-confirm-code", "000000").await;
    browser.click("#totp-confirm").await;
    browser.wait_text("#totp-confirm-code-error", "验证码错误或已失效").await;
    browser.type_into("#totp-confirm-code", &code_now(&secret, 0)).await;
    browser.click("#totp-confirm").await;
    browser.wait_text("#totp-status", "已开启").await;
    browser.click("#lang-switch").await;
    browser.wait_text("#totp-status", "on").await;
    browser.click("#lang-switch").await;

    sign_out(&browser, &app).await;
    browser.goto(&format!("{}/account", app.base)).await;
    browser.wait_url("/login?next=/account").await;
    browser.type_into("#login-login", email).await;
    browser.type_into("#login-password", "reset2026pass").await;
    browser.click("#login-submit").await;
    browser.find("#login-code").await;
    browser.type_into("#login-code", &code_now(&secret, 1)).await;
    browser.click("#login-submit").await;
    browser.wait_url("/account").await;
    browser.wait_text("#totp-status", "已开启").await;
    browser.screenshot("12-signed-in-with-totp-375").await;

    assert_no_console_errors(
        &browser,
        &[
            "/me/password - Failed to load resource: the server responded with a status of 422",
            "/me/totp/confirmation - Failed to load resource: the server responded with a status of 422",
        ],
    )
    .await;
}

/// A one-pixel PNG (a valid image the server sniffs as `image/png`).
const PNG_1X1: &str =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

/// Writes a small PDF licence scan and a PNG certificate scan into `dir`.
fn scans(dir: &std::path::Path) -> (PathBuf, PathBuf) {
    std::fs::create_dir_all(dir).expect("scan dir");
    let pdf = dir.join("licence.pdf");
    std::fs::write(
        &pdf,
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
    )
    .expect("write pdf");
    let png = dir.join("certificate.png");
    let bytes = base64::engine::general_purpose::STANDARD.decode(PNG_1X1).expect("png bytes");
    std::fs::write(&png, bytes).expect("write png");
    (pdf, png)
}

/// Makes `email` (registered through the API) a reviewer with TOTP on; returns the secret.
async fn staff_member(app: &TestApp, email: &str, role: &str, name: &str) -> String {
    use api::auth::totp::{code_for_step, step_at};
    let session = app.register(email).await;
    api::ops::staff_cli::create_staff(&app.db, &app.config, email, role, name).expect("create staff");
    let enrolment: Value = app
        .post("/me/totp", &json!({"password": PASSWORD}), Some(&session.access_token))
        .await
        .json()
        .await
        .expect("json");
    let secret = enrolment["secret"].as_str().expect("secret").to_owned();
    let code = code_for_step(&secret, step_at(chrono::Utc::now().timestamp())).expect("code");
    let resp = app.post("/me/totp/confirmation", &json!({"code": code}), Some(&session.access_token)).await;
    assert!(resp.status().is_success(), "totp confirmation");
    secret
}

/// Signs in with password and TOTP code from the login page the browser is on.
async fn sign_in_with_totp(browser: &Browser, email: &str, secret: &str) {
    use api::auth::totp::{code_for_step, step_at};
    browser.type_into("#login-login", email).await;
    browser.type_into("#login-password", PASSWORD).await;
    browser.click("#login-submit").await;
    browser.find("#login-code").await;
    let code = code_for_step(secret, step_at(chrono::Utc::now().timestamp()) + 1).expect("code");
    browser.type_into("#login-code", &code).await;
    browser.click("#login-submit").await;
}

/// Creates an organisation through the wizard: first with a USCC whose check character is
/// wrong (the error is shown, nothing is sent), then with the right one. Ends on its page.
async fn create_organisation_in_browser(browser: &Browser, app: &TestApp, name: &str, first_17: &str) {
    browser.click("#nav-create-org").await;
    browser.wait_url("/orgs/new").await;
    let good = shared::domain::identity::Uscc::complete(first_17).expect("uscc").as_str().to_owned();
    let last = if good.ends_with('1') { '2' } else { '1' };
    browser.type_into("#org-name", name).await;
    browser.type_into("#org-uscc", &format!("{}{last}", &good[..17])).await;
    browser.click("#org-next").await;
    browser.wait_text("#org-uscc-error", "统一社会信用代码无效").await;
    assert_eq!(app.count("organisations"), 0, "a refused step sends nothing");
    browser.type_into("#org-uscc", &good).await;
    browser.click("#org-next").await;
    browser.click("#role-contractor").await;
    browser.choose("#org-region-province", "310000").await;
    browser.choose("#org-region-city", "310115").await;
    browser.click("#org-next").await;
    browser.click("#org-create").await;
    browser.wait_text("#org-title", name).await;
}

#[tokio::test]
#[ignore = "needs Chromium and the built SPA; run by scripts/test.sh"]
async fn browser_verification_submitted_reviewed_by_staff_and_listed() {
    let app = spawn_with(Spawn { web_dir: Some(web_dir()), ..Spawn::default() }).await;
    let scan_dir = TempDir(std::env::temp_dir().join(format!("gz-scans-{}", uuid::Uuid::now_v7().simple())));
    let (pdf, png) = scans(&scan_dir.0);
    let browser = Browser::start().await;
    register_in_browser(&browser, &app, "liu.yang@example.com", "刘洋").await;
    let name = "浦东新区宏达建筑劳务有限公司";
    create_organisation_in_browser(&browser, &app, name, "91310115MA1K00008").await;
    browser.screenshot("13-org-created").await;

    browser.click("#org-verification-link").await;
    browser.wait_url("/verification").await;
    browser.wait_text("#verification-status", "未认证").await;
    browser.find("#verification-none").await;
    browser.click("#verification-submit").await;
    browser.wait_text("#verification-licence-error", "必填").await;
    browser.choose_file("#verification-licence", &pdf).await;
    browser.wait_text("#verification-licence-done", "licence.pdf").await;
    browser.type_into("#verification-rep-name", "李强").await;
    browser.type_into("#verification-id-number", "110105194912310021").await;
    browser.wait_text("#verification-id-check", "校验位不符").await;
    browser.type_into("#verification-id-number", "11010519491231002X").await;
    browser.wait_text("#verification-id-check", "校验位正确").await;
    browser.click("#certificate-add").await;
    browser.choose("#cert-0-type", "labour_services").await;
    browser.choose("#cert-0-grade", "held").await;
    browser.type_into("#cert-0-number", "D332012345").await;
    browser.set_value("#cert-0-expires", "2030-12-31").await;
    browser.choose_file("#cert-0-file", &png).await;
    browser.wait_text("#cert-0-file-done", "certificate.png").await;
    assert_eq!(app.count("files"), 2, "both scans uploaded through the page");
    browser.screenshot("14-verification-form").await;
    browser.click("#verification-submit").await;
    browser.wait_text("#verification-status", "认证审核中").await;
    browser.wait_text("#verification-id-masked", "1101**********002X").await;
    let page = browser.text("main").await;
    assert!(!page.contains("11010519491231002X"), "the owner sees the ID number masked only");
    browser.screenshot("15-verification-pending").await;
    sign_out(&browser, &app).await;

    let reviewer = "shen.hui@example.com";
    let secret = staff_member(&app, reviewer, "reviewer", "沈慧").await;
    browser.goto(&format!("{}/staff", app.base)).await;
    browser.wait_url("/login?next=/staff").await;
    sign_in_with_totp(&browser, reviewer, &secret).await;
    browser.wait_url("/staff").await;
    browser.wait_text("#queue", name).await;
    browser.wait_text("#nav-staff", "员工控制台").await;
    browser.wait_text("#queue .id-number", "1101**********002X").await;
    browser.click("#queue [id$='-cert-0'] [data-action=view]").await;
    browser.find("#queue img.document-view").await;
    let until = Instant::now() + Duration::from_secs(10);
    while browser.eval("return document.querySelector('#queue img.document-view').naturalWidth").await
        != json!(1)
    {
        assert!(Instant::now() < until, "the certificate image shows in the page");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    browser.click("#queue [data-action=reveal]").await;
    browser.click("#queue [data-action=reveal-confirm]").await;
    browser.wait_text("#queue [data-form=reveal]", "必填").await;
    browser.type_into("#queue [data-form=reveal] textarea", "核对法定代表人身份").await;
    browser.click("#queue [data-action=reveal-confirm]").await;
    browser.wait_text("#queue .id-number", "11010519491231002X").await;
    browser.screenshot("16-staff-review").await;
    browser.type_into("#queue [data-form=decision] textarea", "材料齐全，核验通过").await;
    browser.click("#queue [data-action=approve]").await;
    browser.wait_text(".toasts", "已通过认证").await;
    browser.find("#queue-empty").await;

    browser.click("#staff-tab-audit").await;
    browser.wait_url("/staff/audit").await;
    browser.wait_text("#audit", "id_number").await;
    browser.click("#audit-verify").await;
    browser.wait_text("#audit-report", "审计链完整").await;
    browser.screenshot("17-audit-log").await;
    // A deep link into the console reloads with session and TOTP standing.
    browser.goto(&format!("{}/staff/audit", app.base)).await;
    browser.wait_text("#audit-title", "审计日志").await;

    browser.goto(&format!("{}/", app.base)).await;
    browser.wait_text("#directory", name).await;
    browser.click("#lang-switch").await;
    browser.wait_text("#directory-title", "Verified organisations").await;
    browser.screenshot("18-directory-verified-en").await;
    browser.click("#lang-switch").await;
    browser.wait_text("#directory-title", "已认证企业名录").await;
    sign_out(&browser, &app).await;
    browser.goto(&format!("{}/staff", app.base)).await;
    browser.wait_url("/login?next=/staff").await;

    assert_no_console_errors(&browser, &[]).await;
}

#[tokio::test]
#[ignore = "needs Chromium and the built SPA; run by scripts/test.sh"]
async fn browser_api_key_created_shown_once_and_revoked() {
    let app = spawn_with(Spawn { web_dir: Some(web_dir()), ..Spawn::default() }).await;
    let browser = Browser::start().await;
    register_in_browser(&browser, &app, "he.min@example.com", "何敏").await;
    create_organisation_in_browser(&browser, &app, "上海浦江钢材供应有限公司", "91310115MA1K00009").await;
    browser.click("#org-api-keys-link").await;
    browser.wait_url("/api-keys").await;
    browser.find("#api-keys-empty").await;
    browser.click("#scope-members_read").await;
    browser.click("#api-key-submit").await;
    browser.wait_text("#api-key-name-error", "必填").await;
    browser.wait_text("#api-key-scopes-error", "必填").await;
    browser.type_into("#api-key-name", "ERP 对接").await;
    browser.click("#scope-members_read").await;
    browser.click("#api-key-submit").await;
    browser.wait_text("#api-key-created", "无法再次查看").await;
    let secret = browser.text("#api-key-secret").await;
    assert!(secret.len() > 20, "the secret is shown: {secret}");
    browser.wait_text("#api-keys", "ERP 对接").await;
    let listed = browser.text("#api-keys").await;
    assert!(!listed.contains(&secret), "the list never shows the secret");
    browser.screenshot("19-api-key-created").await;
    browser.click("#api-key-dismiss").await;
    let shown = browser.eval("return document.querySelector('#api-key-secret') === null").await;
    assert_eq!(shown, json!(true), "the secret is gone once dismissed");
    let page = browser.url().await;
    let members = app.api(&format!(
        "/orgs/{}/members",
        page.trim_end_matches("/api-keys").rsplit('/').next().expect("id")
    ));
    let resp = app.client.get(&members).header("x-api-key", &secret).send().await.expect("send");
    assert_eq!(resp.status(), 200, "the new key reads the members");
    browser.goto(&page).await;
    browser.wait_text("#api-keys", "ERP 对接").await;
    assert!(!browser.text("main").await.contains(&secret), "a reload does not show the secret again");
    browser.click("#api-keys [data-action=revoke]").await;
    browser.click("#api-keys [data-action=confirm]").await;
    browser.wait_text(".toasts", "API 密钥已吊销").await;
    browser.find("#api-keys .api-key-revoked").await;
    let url = browser.url().await;
    let org_id = url.trim_end_matches("/api-keys").rsplit('/').next().expect("org id").to_owned();
    let members = app.api(&format!("/orgs/{org_id}/members"));
    let resp = app.client.get(&members).header("x-api-key", &secret).send().await.expect("send");
    assert_eq!(resp.status(), 401, "a revoked key no longer works");
    assert_no_console_errors(&browser, &[]).await;
}

#[tokio::test]
#[ignore = "needs Chromium and the built SPA; run by scripts/test.sh"]
async fn browser_suspension_needs_a_second_staff_member() {
    let app = spawn_with(Spawn { web_dir: Some(web_dir()), ..Spawn::default() }).await;
    let owner = app.register("zhou.jie@example.com").await;
    let org_body = json!({"name": "苏州园区机电安装有限公司", "uscc": shared::domain::identity::Uscc::complete("91320594MA1K00001").expect("uscc").as_str(), "roles": ["subcontractor"], "region_code": "320500"});
    let resp = app.post("/orgs", &org_body, Some(&owner.access_token)).await;
    assert_eq!(resp.status(), 201, "organisation created");
    let org: Value = resp.json().await.expect("json");
    let org_id = org["profile"]["id"].as_str().expect("id").to_owned();
    let first = staff_member(&app, "ops.one@example.com", "operator", "运营一").await;
    let second = staff_member(&app, "ops.two@example.com", "operator", "运营二").await;

    let browser = Browser::start().await;
    browser.goto(&format!("{}/staff/requests", app.base)).await;
    browser.wait_url("/login?next=/staff/requests").await;
    sign_in_with_totp(&browser, "ops.one@example.com", &first).await;
    browser.wait_url("/staff/requests").await;
    browser.find("#inbox-empty").await;
    browser.type_into("#request-org", &org_id).await;
    browser.click("#request-submit").await;
    browser.wait_text("#request-reason-error", "必填").await;
    browser.type_into("#request-reason", "多次违约，暂停投标资格").await;
    browser.click("#request-submit").await;
    browser.wait_text(".toasts", "等待另一名员工批准").await;
    browser.wait_text("#inbox", "由你发起").await;
    browser.find("#inbox [data-note=own-request]").await;
    let disabled =
        browser.eval("return document.querySelector('#inbox [data-action=approve]').disabled").await;
    assert_eq!(disabled, json!(true), "the requester cannot approve their own request");
    browser.screenshot("20-inbox-own-request").await;
    sign_out(&browser, &app).await;

    browser.goto(&format!("{}/staff/requests", app.base)).await;
    browser.wait_url("/login?next=/staff/requests").await;
    sign_in_with_totp(&browser, "ops.two@example.com", &second).await;
    browser.wait_url("/staff/requests").await;
    browser.wait_text("#inbox", "多次违约").await;
    browser.click("#inbox [data-action=approve]").await;
    browser.wait_text(".toasts", "已批准并执行").await;
    browser.find("#inbox-empty").await;
    browser.choose("#inbox-status", "Executed").await;
    browser.wait_text("#inbox", "暂停组织").await;
    browser.screenshot("21-inbox-executed").await;
    let resp = app.get(&format!("/orgs/{org_id}"), None).await;
    let public: Value = resp.json().await.expect("json");
    assert_eq!(public["suspended"], json!(true), "the organisation is suspended: {public}");
    assert_no_console_errors(&browser, &[]).await;
}

/// Registers an owner, creates an organisation and submits its verification through the API;
/// returns the submission id.
async fn submitted_through_api(app: &TestApp, email: &str, serial: u32) -> String {
    let owner = app.register(email).await;
    let token = owner.access_token.as_str();
    let uscc = shared::domain::identity::Uscc::complete(&format!("91330106MA{serial:07}")).expect("uscc");
    let body = json!({"name": format!("待审核建设有限公司{serial}"), "uscc": uscc.as_str(), "roles": ["supplier"], "region_code": "330106"});
    let org: Value = app.post("/orgs", &body, Some(token)).await.json().await.expect("json");
    let org_id = org["profile"]["id"].as_str().expect("id").to_owned();
    let part = reqwest::multipart::Part::bytes(format!("%PDF-1.4 licence {serial}").into_bytes())
        .file_name("licence.pdf");
    let form = reqwest::multipart::Form::new().part("file", part);
    let file: Value = app
        .client
        .post(app.api("/files"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    let submission = json!({
        "licence_file": file["sha256"], "legal_representative_name": "刘洋",
        "legal_representative_id_number": "11010519491231002X", "qualifications": []
    });
    let resp = app
        .client
        .post(app.api(&format!("/orgs/{org_id}/verification")))
        .bearer_auth(token)
        .header("x-org-id", &org_id)
        .json(&submission)
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), 201);
    resp.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned()
}

#[tokio::test]
#[ignore = "needs Chromium and the built SPA; run by scripts/test.sh"]
async fn browser_deciding_one_submission_keeps_what_was_typed_for_the_others() {
    let app = spawn_with(Spawn { web_dir: Some(web_dir()), ..Spawn::default() }).await;
    let first = submitted_through_api(&app, "first-owner@example.com", 31).await;
    let second = submitted_through_api(&app, "second-owner@example.com", 32).await;
    let secret = staff_member(&app, "queue-reviewer@example.com", "reviewer", "审核员").await;
    let browser = Browser::start().await;
    browser.goto(&format!("{}/login?next=/staff", app.base)).await;
    sign_in_with_totp(&browser, "queue-reviewer@example.com", &secret).await;
    browser.find(&format!("li[data-submission='{second}']")).await;

    let note = "请补充安全生产许可证";
    browser.type_into(&format!("#decision-{second}"), note).await;
    browser.click(&format!("li[data-submission='{first}'] button[data-action='approve']")).await;
    browser.wait_gone(&format!("li[data-submission='{first}']")).await;
    assert_eq!(browser.value(&format!("#decision-{second}")).await, note, "the other entry keeps its text");
    browser.screenshot("22-queue-after-one-decision").await;
    assert_no_console_errors(&browser, &[]).await;
}
