//! The WebDriver client of the browser tests: a chromedriver process and one headless Chromium
//! session, driven over the W3C WebDriver protocol. Waits poll for up to `PATIENCE`; a failed
//! wait saves a screenshot and panics with the page source and the browser console.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
/// How long to wait for something to show.
pub(crate) const PATIENCE: Duration = Duration::from_secs(15);

pub(crate) struct TempDir(pub(crate) PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A chromedriver process and one browser session.
pub(crate) struct Browser {
    driver: Child,
    base: String,
    session: String,
    http: reqwest::Client,
    _profile: TempDir,
}

impl Browser {
    pub(crate) async fn start() -> Browser {
        Self::start_with(None).await
    }

    /// A browser that saves downloads into `dir` without asking. Chromium's preferences name the
    /// directory, and — because headless Chromium may refuse downloads unless told over the
    /// DevTools protocol — `Browser.setDownloadBehavior` allows them there as well. A download
    /// the page starts from a `blob:` link (the SPA's authenticated downloads) lands there too.
    pub(crate) async fn start_downloading_to(dir: &Path) -> Browser {
        std::fs::create_dir_all(dir).expect("download dir");
        let browser = Self::start_with(Some(dir)).await;
        let path = dir.to_str().expect("utf-8 path");
        browser
            .cmd(
                Method::POST,
                "/goog/cdp/execute",
                Some(json!({"cmd": "Browser.setDownloadBehavior",
                    "params": {"behavior": "allow", "downloadPath": path, "eventsEnabled": false}})),
            )
            .await;
        browser
    }

    async fn start_with(downloads: Option<&Path>) -> Browser {
        let port =
            std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
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
        let mut args: Vec<String> = [
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
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.push(format!("--user-data-dir={}", profile.0.display()));
        let mut options = json!({"binary": std::env::var("GONGZHU_TEST_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()), "args": args});
        if let Some(dir) = downloads {
            options["prefs"] = json!({
                "download.default_directory": dir.to_str().expect("utf-8 path"),
                "download.prompt_for_download": false,
                "download.directory_upgrade": true,
                "safebrowsing.enabled": false,
            });
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": options,
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

    pub(crate) async fn cmd(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let mut req = self.http.request(method, url);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let value: Value = req.send().await.expect("webdriver").json().await.expect("json");
        value["value"].clone()
    }

    pub(crate) async fn goto(&self, url: &str) {
        self.cmd(Method::POST, "/url", Some(json!({"url": url}))).await;
    }

    pub(crate) async fn url(&self) -> String {
        self.cmd(Method::GET, "/url", None).await.as_str().unwrap_or_default().to_owned()
    }

    pub(crate) async fn fail(&self, what: String) -> ! {
        self.screenshot("failure-information").await;
        let source = self.cmd(Method::GET, "/source", None).await;
        panic!("{what} on {}\npage: {source}\nconsole: {:#?}", self.url().await, self.severe_logs().await);
    }

    /// Waits for an element matching `css`.
    pub(crate) async fn find(&self, css: &str) -> String {
        let until = Instant::now() + PATIENCE;
        loop {
            let found = self
                .cmd(Method::POST, "/element", Some(json!({"using": "css selector", "value": css})))
                .await;
            if let Some(id) = found.get(ELEMENT_KEY).and_then(Value::as_str) {
                return id.to_owned();
            }
            if Instant::now() >= until {
                self.fail(format!("no element {css}")).await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub(crate) async fn count(&self, css: &str) -> usize {
        let found =
            self.cmd(Method::POST, "/elements", Some(json!({"using": "css selector", "value": css}))).await;
        found.as_array().map_or(0, Vec::len)
    }

    pub(crate) async fn text(&self, css: &str) -> String {
        let id = self.find(css).await;
        self.cmd(Method::GET, &format!("/element/{id}/text"), None)
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Waits for `css` to show text containing `needle`.
    pub(crate) async fn wait_text(&self, css: &str, needle: &str) {
        let until = Instant::now() + PATIENCE;
        loop {
            let text = self.text(css).await;
            if text.contains(needle) {
                return;
            }
            if Instant::now() >= until {
                self.fail(format!("{css} shows {text:?}, expected {needle:?}")).await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub(crate) async fn wait_url(&self, part: &str) {
        let until = Instant::now() + PATIENCE;
        while !self.url().await.contains(part) {
            if Instant::now() >= until {
                self.fail(format!("the URL never contained {part}")).await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until `css` matches exactly `n` elements.
    pub(crate) async fn wait_count(&self, css: &str, n: usize) {
        let until = Instant::now() + PATIENCE;
        loop {
            let found = self.count(css).await;
            if found == n {
                return;
            }
            if Instant::now() >= until {
                self.fail(format!("{css} matched {found}, expected {n}")).await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub(crate) async fn click(&self, css: &str) {
        let id = self.find(css).await;
        self.cmd(Method::POST, &format!("/element/{id}/click"), Some(json!({}))).await;
    }

    pub(crate) async fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css).await;
        self.cmd(Method::POST, &format!("/element/{id}/clear"), Some(json!({}))).await;
        self.cmd(Method::POST, &format!("/element/{id}/value"), Some(json!({"text": text}))).await;
    }

    pub(crate) async fn choose_file(&self, css: &str, path: &Path) {
        let id = self.find(css).await;
        let text = path.to_str().expect("utf-8 path");
        self.cmd(Method::POST, &format!("/element/{id}/value"), Some(json!({"text": text}))).await;
    }

    /// Sets an input's value by script and fires `input` (date inputs take keys in the
    /// browser's locale format).
    pub(crate) async fn set_value(&self, css: &str, value: &str) {
        self.find(css).await;
        let script = format!(
            "const e = document.querySelector({css:?}); e.value = {value:?}; \
             e.dispatchEvent(new Event('input', {{bubbles: true}}));"
        );
        self.eval(&script).await;
    }

    /// Selects an `<option>` as a person clicking it would.
    pub(crate) async fn choose(&self, select_css: &str, value: &str) {
        self.click(&format!("{select_css} option[value='{value}']")).await;
    }

    pub(crate) async fn eval(&self, script: &str) -> Value {
        self.cmd(Method::POST, "/execute/sync", Some(json!({"script": script, "args": []}))).await
    }

    pub(crate) async fn resize(&self, width: u32, height: u32) {
        self.cmd(Method::POST, "/window/rect", Some(json!({"width": width, "height": height}))).await;
    }

    /// Asserts that the page is no wider than the window.
    pub(crate) async fn assert_fits(&self, what: &str) {
        let overflow = self.eval("return document.documentElement.scrollWidth - window.innerWidth").await;
        if overflow.as_i64().is_some_and(|o| o <= 0) {
            return;
        }
        // Name the widest elements that stick out, so the failure says what to fix.
        let culprits = self
            .eval(
                "return [...document.querySelectorAll('body *')]\
                 .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)\
                 .map(e => [e.getBoundingClientRect().width, e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className])\
                 .sort((a, b) => b[0] - a[0]).slice(0, 8)",
            )
            .await;
        panic!("{what} fits the window (overflow {overflow}; sticking out: {culprits})");
    }

    pub(crate) async fn screenshot(&self, name: &str) {
        let png = self.cmd(Method::GET, "/screenshot", None).await;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(png.as_str().unwrap_or_default())
            .unwrap_or_default();
        let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/screenshots"));
        std::fs::create_dir_all(&dir).expect("screenshots dir");
        std::fs::write(dir.join(format!("{name}.png")), bytes).expect("write screenshot");
    }

    pub(crate) async fn severe_logs(&self) -> Vec<String> {
        let logs = self.cmd(Method::POST, "/se/log", Some(json!({"type": "browser"}))).await;
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

    /// Fails on SEVERE console entries other than those containing one of `expected`.
    pub(crate) async fn assert_no_console_errors(&self, expected: &[&str]) {
        let severe: Vec<String> = self
            .severe_logs()
            .await
            .into_iter()
            .filter(|m| !expected.iter().any(|e| m.contains(e)))
            .collect();
        assert!(severe.is_empty(), "console errors: {severe:#?}");
    }

    /// Signs in from the login page with the standard password (and a TOTP code for staff).
    pub(crate) async fn sign_in(&self, app: &TestApp, email: &str, totp_secret: Option<&str>) {
        self.goto(&format!("{}/login", app.base)).await;
        self.type_into("#login-login", email).await;
        self.type_into("#login-password", PASSWORD).await;
        self.click("#login-submit").await;
        if let Some(secret) = totp_secret {
            use api::auth::totp::{code_for_step, step_at};
            self.find("#login-code").await;
            // The next step's code: the current one may have been used to turn TOTP on.
            let code = code_for_step(secret, step_at(chrono::Utc::now().timestamp()) + 1).expect("code");
            self.type_into("#login-code", &code).await;
            self.click("#login-submit").await;
        }
        self.wait_url("/account").await;
    }

    pub(crate) async fn sign_out(&self, app: &TestApp) {
        self.goto(&format!("{}/account", app.base)).await;
        self.click("#sign-out").await;
        self.find("#nav-login").await;
    }

    /// The text of the selected option of a `<select>`.
    pub(crate) async fn selected_text(&self, select_css: &str) -> String {
        self.find(select_css).await;
        let script = format!("return document.querySelector({select_css:?}).selectedOptions[0].textContent");
        self.eval(&script).await.as_str().unwrap_or_default().to_owned()
    }

    /// The current value of an input or textarea.
    pub(crate) async fn value(&self, css: &str) -> String {
        let id = self.find(css).await;
        self.cmd(Method::GET, &format!("/element/{id}/property/value"), None)
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Waits for a finished download named `name` in `dir` (Chromium writes `*.crdownload`
    /// first and renames it when complete) and returns its path.
    pub(crate) async fn wait_download(&self, dir: &Path, name: &str) -> PathBuf {
        let path = dir.join(name);
        let until = Instant::now() + PATIENCE;
        loop {
            let partial = std::fs::read_dir(dir)
                .map(|entries| {
                    entries.flatten().any(|e| e.file_name().to_string_lossy().ends_with(".crdownload"))
                })
                .unwrap_or(false);
            if !partial && std::fs::metadata(&path).is_ok_and(|m| m.len() > 0) {
                return path;
            }
            if Instant::now() >= until {
                let found: Vec<String> = std::fs::read_dir(dir)
                    .map(|entries| {
                        entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect()
                    })
                    .unwrap_or_default();
                self.fail(format!("no download {name} in {} (found {found:?})", dir.display())).await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until nothing matches `css`.
    pub(crate) async fn wait_gone(&self, css: &str) {
        let until = Instant::now() + PATIENCE;
        while self.count(css).await > 0 {
            if Instant::now() >= until {
                self.fail(format!("{css} is still on the page")).await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

pub(crate) fn web_dir() -> PathBuf {
    PathBuf::from(
        std::env::var("GONGZHU_TEST_WEB_DIR")
            .expect("GONGZHU_TEST_WEB_DIR names the built SPA (scripts/build-web.sh)"),
    )
}
