//! Browser end-to-end tests: headless Chromium (through chromedriver's WebDriver protocol)
//! drives the real SPA served by the real server on a fresh database. `#[ignore]`d in a plain
//! `cargo test`; `scripts/test.sh` builds the SPA and runs them with `GONGZHU_TEST_WEB_DIR` set.
//! Screenshots of key pages go to `tests/artifacts/`.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};

use crate::helpers::*;

/// The W3C WebDriver key under which an element reference is returned.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A chromedriver process and one browser session.
struct Browser {
    driver: Child,
    base: String,
    session: String,
    http: reqwest::Client,
    _profile: TempDir,
}

struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

impl Browser {
    async fn start() -> Browser {
        let port = free_port();
        let driver_bin = std::env::var("GONGZHU_TEST_CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let driver = Command::new(driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts (install Debian's chromium-driver)");
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        let ready_by = Instant::now() + Duration::from_secs(20);
        while http.get(format!("{base}/status")).send().await.is_err() {
            assert!(Instant::now() < ready_by, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile =
            TempDir(std::env::temp_dir().join(format!("gz-chrome-{}", uuid::Uuid::now_v7().simple())));
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
            "--window-size=1280,900",
        ];
        let mut args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.0.display()));
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": std::env::var("GONGZHU_TEST_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()), "args": args},
            "goog:loggingPrefs": {"browser": "ALL"}
        }}});
        let resp: Value = http
            .post(format!("{base}/session"))
            .json(&caps)
            .send()
            .await
            .expect("new session")
            .json()
            .await
            .expect("json");
        let session =
            resp["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {resp}")).to_owned();
        Browser { driver, base, session, http, _profile: profile }
    }

    async fn cmd(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let mut req = self.http.request(method, url);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let value: Value = req.send().await.expect("webdriver").json().await.expect("json");
        value["value"].clone()
    }

    async fn goto(&self, url: &str) {
        self.cmd(reqwest::Method::POST, "/url", Some(json!({"url": url}))).await;
    }

    async fn url(&self) -> String {
        self.cmd(reqwest::Method::GET, "/url", None).await.as_str().unwrap_or_default().to_owned()
    }

    /// Waits up to 10 s for an element matching `css`.
    async fn find(&self, css: &str) -> String {
        let until = Instant::now() + Duration::from_secs(10);
        loop {
            let found = self
                .cmd(reqwest::Method::POST, "/element", Some(json!({"using": "css selector", "value": css})))
                .await;
            if let Some(id) = found.get(ELEMENT_KEY).and_then(Value::as_str) {
                return id.to_owned();
            }
            if Instant::now() >= until {
                self.screenshot("failure").await;
                let source = self.cmd(reqwest::Method::GET, "/source", None).await;
                panic!(
                    "no element {css} on {} ({found})\npage: {source}\nconsole: {:#?}",
                    self.url().await,
                    self.severe_logs().await
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn text(&self, css: &str) -> String {
        let id = self.find(css).await;
        self.cmd(reqwest::Method::GET, &format!("/element/{id}/text"), None)
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Waits up to 10 s for `css` to show text containing `needle`.
    async fn wait_text(&self, css: &str, needle: &str) {
        let until = Instant::now() + Duration::from_secs(10);
        loop {
            let text = self.text(css).await;
            if text.contains(needle) {
                return;
            }
            assert!(Instant::now() < until, "{css} shows {text:?}, expected {needle:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn wait_url(&self, suffix: &str) {
        let until = Instant::now() + Duration::from_secs(10);
        while !self.url().await.ends_with(suffix) {
            assert!(Instant::now() < until, "stayed on {} instead of …{suffix}", self.url().await);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn click(&self, css: &str) {
        let id = self.find(css).await;
        self.cmd(reqwest::Method::POST, &format!("/element/{id}/click"), Some(json!({}))).await;
    }

    async fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css).await;
        self.cmd(reqwest::Method::POST, &format!("/element/{id}/clear"), Some(json!({}))).await;
        self.cmd(reqwest::Method::POST, &format!("/element/{id}/value"), Some(json!({"text": text}))).await;
    }

    async fn screenshot(&self, name: &str) {
        let png = self.cmd(reqwest::Method::GET, "/screenshot", None).await;
        let bytes =
            base64::engine::general_purpose::STANDARD.decode(png.as_str().unwrap_or_default()).expect("png");
        let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/artifacts"));
        std::fs::create_dir_all(&dir).expect("artifacts dir");
        std::fs::write(dir.join(format!("{name}.png")), bytes).expect("write screenshot");
    }

    /// Browser console entries at SEVERE level since the last call.
    async fn severe_logs(&self) -> Vec<String> {
        let logs = self.cmd(reqwest::Method::POST, "/se/log", Some(json!({"type": "browser"}))).await;
        logs.as_array()
            .map(|entries| {
                entries
                    .iter()
                    .filter(|e| e["level"] == "SEVERE")
                    .map(|e| e["message"].as_str().unwrap_or_default().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn web_dir() -> PathBuf {
    PathBuf::from(
        std::env::var("GONGZHU_TEST_WEB_DIR")
            .expect("GONGZHU_TEST_WEB_DIR names the built SPA (scripts/build-web.sh)"),
    )
}

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
