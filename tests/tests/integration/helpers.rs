//! The test app: spawn the real server, typed request helpers, error-envelope assertions.

use std::path::PathBuf;

use api::config::Config;
use api::db::Db;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use shared::dto::{ErrorBody, SessionTokens};

/// Password that satisfies the policy.
pub const PASSWORD: &str = "gongzhu2026build";

/// Which database the suite runs on.
pub fn on_postgres() -> bool {
    std::env::var("GONGZHU_TEST_DATABASE").is_ok_and(|v| v == "postgres")
}

/// A running server with its own database.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// A client without a cookie store.
    pub client: reqwest::Client,
    /// Direct database access (to read the outbox, count rows).
    pub db: Db,
    /// The configuration the server runs with.
    pub config: Config,
    /// Temp directory with the data dir (removed on drop).
    pub dir: PathBuf,
    pg_database: Option<(String, String)>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

/// A change to the configuration made at run time.
pub type Configure = Box<dyn FnOnce(&mut Config) + Send>;

/// Options for spawning.
#[derive(Default)]
pub struct Spawn {
    /// Serve this directory as the SPA.
    pub web_dir: Option<PathBuf>,
    /// Allowed CORS origins.
    pub cors_origins: Vec<String>,
    /// Override the access-token lifetime.
    pub access_ttl: Option<i64>,
    /// Override the one-time-code resend cooldown (seconds).
    pub code_resend_secs: Option<i64>,
    /// Override the period of the catalogue refresh (seconds).
    pub catalogue_refresh_secs: Option<u64>,
    /// Any other change to the configuration.
    pub tweak: Option<fn(&mut Config)>,
    /// A change that needs values known only at run time (a simulator's URL), applied last.
    pub configure: Option<Configure>,
}

/// The bearer token the test server's `/metrics` takes.
pub const METRICS_TOKEN: &str = "test-metrics-token-0123456789";

/// Spawns the server with default options.
pub async fn spawn_app() -> TestApp {
    spawn_with(Spawn::default()).await
}

/// Spawns the server.
pub async fn spawn_with(options: Spawn) -> TestApp {
    let dir = std::env::temp_dir().join(format!("gongzhu-test-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut pg_database = None;
    let database_url = match template() {
        Template::Postgres(template) => {
            let admin = pg_admin_url();
            let name = format!("gz_test_{}", uuid::Uuid::now_v7().simple());
            let mut conn = PgConnection::establish(&admin).expect("connect to test PostgreSQL");
            conn.batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
                .expect("create test database from the template");
            let url = replace_db_name(&admin, &name);
            pg_database = Some((admin, name));
            url
        }
        Template::Sqlite(template) => {
            let path = dir.join("gongzhu.db");
            std::fs::copy(template, &path).expect("copy the migrated template");
            format!("sqlite://{}", path.display())
        }
    };
    let config = Config {
        listen: "127.0.0.1:0".into(),
        data_dir: dir.join("data"),
        database_url,
        db_pool_size: 4,
        web_dir: options.web_dir.unwrap_or_else(|| dir.join("no-web")),
        argon2_memory_kib: 1024,
        argon2_iterations: 1,
        cors_origins: options.cors_origins,
        // Access tokens expire by the app clock; tests that move it by days keep their callers
        // signed in with a week-long token (expiry has tests of its own, with `access_ttl`).
        access_token_ttl_secs: options.access_ttl.unwrap_or(7 * 24 * 3600),
        code_resend_secs: options.code_resend_secs.unwrap_or(60),
        catalogue_refresh_secs: options.catalogue_refresh_secs.unwrap_or(30),
        log: "warn".into(),
        // Every test registers its people from 127.0.0.1; the address budget has tests of its own.
        signup_max_per_ip: 10_000,
        metrics_token: METRICS_TOKEN.into(),
        stream_session_check_secs: 1,
        escrow_account_name: "共筑平台资金监管专户".into(),
        escrow_bank_name: "招商银行北京分行营业部".into(),
        escrow_account_number: "110000000000000001".into(),
        ..Config::default()
    };
    let mut config = config;
    if let Some(tweak) = options.tweak {
        tweak(&mut config);
    }
    if let Some(configure) = options.configure {
        configure(&mut config);
    }
    let bound = api::server::bind(config.clone()).await.expect("server binds");
    let db = bound.state().db.clone();
    let base = format!("http://{}", bound.addr);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(bound.serve(async move {
        let _ = rx.await;
    }));
    TestApp {
        base,
        client: reqwest::Client::builder().build().expect("client"),
        db,
        config,
        dir,
        pg_database,
        shutdown: Some(tx),
        server: Some(server),
    }
}

/// A database migrated once per test process, which every test copies (SQLite: the file;
/// PostgreSQL: `CREATE DATABASE … TEMPLATE`), so the migrations do not run once per test.
enum Template {
    Sqlite(PathBuf),
    Postgres(String),
}

fn pg_admin_url() -> String {
    std::env::var("GONGZHU_TEST_PG_URL").expect("GONGZHU_TEST_PG_URL must name a PostgreSQL server")
}

fn template() -> &'static Template {
    static TEMPLATE: std::sync::OnceLock<Template> = std::sync::OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let tag = uuid::Uuid::now_v7().simple().to_string();
        if on_postgres() {
            let admin = pg_admin_url();
            let name = format!("gz_template_{tag}");
            let mut conn = PgConnection::establish(&admin).expect("connect to test PostgreSQL");
            conn.batch_execute(&format!("CREATE DATABASE {name}")).expect("create the template database");
            let target = api::db::DbTarget::Postgres(replace_db_name(&admin, &name));
            // Migrate, then close every connection: a template must have none while it is copied.
            drop(Db::open(target, 1).expect("migrate the template"));
            Template::Postgres(name)
        } else {
            let dir = std::env::temp_dir().join(format!("gongzhu-template-{tag}"));
            std::fs::create_dir_all(&dir).expect("template dir");
            let path = dir.join("template.db");
            drop(Db::open(api::db::DbTarget::Sqlite(path.clone()), 1).expect("migrate the template"));
            // Fold the WAL into the file so a plain copy holds everything.
            let mut conn = SqliteConnection::establish(&path.to_string_lossy()).expect("open the template");
            conn.batch_execute("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")
                .expect("checkpoint the template");
            Template::Sqlite(path)
        }
    })
}

fn replace_db_name(url: &str, name: &str) -> String {
    let (head, query) = url.split_once('?').map_or((url, None), |(h, q)| (h, Some(q)));
    let base = head.rsplit_once('/').map_or(head, |(b, _)| b);
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

impl TestApp {
    /// Stops the server and waits for it to finish (graceful shutdown).
    pub async fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
    }

    /// Moves the server's clock forward by `seconds` (the test clock: every process of this
    /// database sees it; due jobs run at once). Answers `{now, offset_seconds}`.
    pub async fn advance_clock(&self, seconds: i64) -> Value {
        let resp = self.post("/test/clock", &json!({ "seconds": seconds }), None).await;
        assert_eq!(resp.status(), StatusCode::OK, "advance the clock");
        resp.json().await.expect("clock reading")
    }

    /// The server's current time: the system time moved by the test clock's offset, which
    /// the database holds for every process of this test.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        let mut conn = self.db.get().expect("conn");
        let offset = api::clock::test_clock::load(&mut conn).expect("the test clock's offset");
        chrono::Utc::now() + chrono::Duration::microseconds(offset)
    }

    /// The Prometheus text of `/metrics` (read with the metrics token).
    pub async fn metrics_text(&self) -> String {
        let resp = self.client.get(format!("{}/metrics", self.base)).bearer_auth(METRICS_TOKEN).send().await;
        resp.expect("send").text().await.expect("text")
    }

    /// Absolute URL of an API path (`/auth/login` → `http://…/api/v1/auth/login`).
    pub fn api(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.base)
    }

    /// POST JSON to an API path, optionally with a bearer token.
    pub async fn post(&self, path: &str, body: &Value, token: Option<&str>) -> reqwest::Response {
        let mut req = self.client.post(self.api(path)).json(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.expect("request")
    }

    /// GET an API path with a bearer token.
    pub async fn get(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut req = self.client.get(self.api(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.expect("request")
    }

    /// Registers an account with an e-mail address and the standard password.
    pub async fn register(&self, email: &str) -> SessionTokens {
        let resp = self
            .post("/auth/register", &json!({"email": email, "password": PASSWORD, "display_name": "张伟", "accept_privacy": true}), None)
            .await;
        assert_eq!(resp.status(), StatusCode::CREATED, "register {email}");
        resp.json().await.expect("session")
    }

    /// Logs in; returns the JSON answer after asserting 200.
    pub async fn login(&self, login: &str, password: &str) -> Value {
        let resp = self.post("/auth/login", &json!({"login": login, "password": password}), None).await;
        assert_eq!(resp.status(), StatusCode::OK, "login {login}");
        resp.json().await.expect("json")
    }

    /// The newest outbox message to `destination`.
    pub fn last_message(&self, destination: &str) -> String {
        let mut conn = self.db.get().expect("conn");
        api::db::models::outbox::OutboxMessage::recent(&mut conn, Some(destination), 1)
            .expect("outbox")
            .into_iter()
            .next()
            .map(|m| m.body)
            .expect("a message was sent")
    }

    /// The six-digit code in the newest message to `destination`.
    pub fn last_code(&self, destination: &str) -> String {
        let body = self.last_message(destination);
        body.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 6).expect("a six-digit code").to_owned()
    }

    /// Number of rows in a table (to prove a refused request changed nothing).
    pub fn count(&self, table: &str) -> i64 {
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut conn = self.db.get().expect("conn");
        let row: Count = diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
            .get_result(&mut *conn)
            .expect("count");
        row.n
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some((admin, name)) = self.pg_database.take()
            && let Ok(mut conn) = PgConnection::establish(&admin)
        {
            let _ = conn.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Asserts an error response: status, envelope code, a request id equal to the header.
pub async fn assert_error(resp: reqwest::Response, status: u16, code: &str) -> ErrorBody {
    assert_eq!(resp.status().as_u16(), status, "status for expected {code}");
    let header_id = resp.headers().get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let body: ErrorBody = resp.json().await.expect("error envelope");
    assert_eq!(body.code, code, "{body:?}");
    assert!(!body.message.is_empty());
    assert_eq!(Some(body.request_id.clone()), header_id, "request id in body and header");
    body
}

/// Whether the envelope names `field` with `issue`.
pub fn has_issue(body: &ErrorBody, field: &str, issue: &str) -> bool {
    body.details.iter().any(|d| d.field == field && d.issue == issue)
}

// ---------------------------------------------------------------------------------------------
// The information centre (issue #6): organisations with a standing, platform staff, acting for
// an organisation with `X-Org-Id`, and reaching into the server's database.
// ---------------------------------------------------------------------------------------------

/// Serial numbers for USCCs, unique within the test binary (tests run in parallel).
static USCC_SERIAL: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);

/// A fresh valid USCC (GB 32100 checksum), different on every call.
pub fn fresh_uscc() -> String {
    let serial = USCC_SERIAL.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    shared::domain::identity::Uscc::complete(&format!("91330106MA{serial:07}"))
        .expect("valid USCC body")
        .as_str()
        .to_owned()
}

/// What an organisation is, offers and where it works; `OrgSpec::new(name)` then the builders.
#[derive(Clone, Debug)]
pub struct OrgSpec {
    /// Registered name.
    pub name: String,
    /// Short name (简称).
    pub short_name: Option<String>,
    /// Business roles.
    pub roles: Vec<String>,
    /// Registered region.
    pub region_code: String,
    /// Categories offered.
    pub categories: Vec<String>,
    /// Regions served.
    pub regions_served: Vec<String>,
    /// Declared capacity in fen.
    pub capacity_fen: Option<i64>,
    /// Qualifications submitted with the verification: (type code, grade code).
    pub qualifications: Vec<(String, String)>,
}

impl OrgSpec {
    /// A contractor registered in Hangzhou Xihu district that offers nothing yet.
    pub fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            short_name: None,
            roles: vec!["contractor".into()],
            region_code: "330106".into(),
            categories: Vec::new(),
            regions_served: Vec::new(),
            capacity_fen: None,
            qualifications: Vec::new(),
        }
    }

    /// With a short name (简称).
    pub fn short(mut self, short_name: &str) -> Self {
        self.short_name = Some(short_name.to_owned());
        self
    }

    /// Registered in `region_code`.
    pub fn registered_in(mut self, region_code: &str) -> Self {
        self.region_code = region_code.to_owned();
        self
    }

    /// With these business roles.
    pub fn roles(mut self, roles: &[&str]) -> Self {
        self.roles = roles.iter().map(|r| (*r).to_owned()).collect();
        self
    }

    /// Offering these categories.
    pub fn offering(mut self, categories: &[&str]) -> Self {
        self.categories = categories.iter().map(|c| (*c).to_owned()).collect();
        self
    }

    /// Serving these regions.
    pub fn serving(mut self, regions: &[&str]) -> Self {
        self.regions_served = regions.iter().map(|r| (*r).to_owned()).collect();
        self
    }

    /// Declaring this capacity.
    pub fn capacity(mut self, fen: i64) -> Self {
        self.capacity_fen = Some(fen);
        self
    }

    /// Holding a qualification (submitted with the verification, valid until 2030).
    pub fn holding(mut self, type_code: &str, grade: &str) -> Self {
        self.qualifications.push((type_code.to_owned(), grade.to_owned()));
        self
    }

    /// The `POST /orgs` body.
    pub fn body(&self) -> Value {
        let mut body = json!({
            "name": self.name,
            "uscc": fresh_uscc(),
            "roles": self.roles,
            "region_code": self.region_code,
            "categories": self.categories,
            "regions_served": self.regions_served,
        });
        if let Some(short) = &self.short_name {
            body["short_name"] = json!(short);
        }
        if let Some(fen) = self.capacity_fen {
            body["declared_capacity_fen"] = json!(fen);
        }
        body
    }
}

/// An organisation and its owner's session.
#[derive(Clone, Debug)]
pub struct OrgAccount {
    /// Organisation id.
    pub id: String,
    /// The owner's access token.
    pub token: String,
    /// What it was created from.
    pub spec: OrgSpec,
}

/// Reads a JSON body after asserting the status (the body is shown when it differs).
pub async fn json_of(resp: reqwest::Response, status: u16) -> Value {
    let actual = resp.status().as_u16();
    let url = resp.url().path().to_owned();
    let text = resp.text().await.expect("body");
    assert_eq!(actual, status, "{url}: {text}");
    if text.is_empty() { Value::Null } else { serde_json::from_str(&text).expect("JSON body") }
}

/// The `id`s of a list's `items`, in order.
pub fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item["id"].as_str().expect("id").to_owned())
        .collect()
}

impl TestApp {
    /// Stops the server and starts it again on the same database and data directory (a new
    /// port): in-memory state such as the search index and the candidate pool is rebuilt.
    pub async fn restart(&mut self) {
        self.stop().await;
        let bound = api::server::bind(self.config.clone()).await.expect("server binds again");
        self.db = bound.state().db.clone();
        self.base = format!("http://{}", bound.addr);
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        self.server = Some(tokio::spawn(bound.serve(async move {
            let _ = rx.await;
        })));
        self.shutdown = Some(tx);
    }

    /// A request with a bearer token and `X-Org-Id`, optionally with a JSON body.
    pub async fn as_org(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        org: &str,
        body: Option<&Value>,
    ) -> reqwest::Response {
        let mut req = self.client.request(method, self.api(path)).bearer_auth(token).header("x-org-id", org);
        if let Some(body) = body {
            req = req.json(body);
        }
        req.send().await.expect("request")
    }

    /// Registers `email` and grants it every role in `roles` through the operator CLI (the trust
    /// root, which needs no second approver), then turns TOTP on — staff need it. Returns the
    /// access token.
    pub async fn staff_member(&self, email: &str, roles: &[&str]) -> String {
        let session = self.register(email).await;
        for role in roles {
            api::ops::staff_cli::create_staff(&self.db, &self.config, email, role, "平台员工")
                .expect("grant role");
        }
        let token = session.access_token;
        let enrolment: Value =
            json_of(self.post("/me/totp", &json!({"password": PASSWORD}), Some(&token)).await, 201).await;
        let secret = enrolment["secret"].as_str().expect("secret");
        let code = api::auth::totp::code_for_step(secret, api::auth::totp::step_at(self.now().timestamp()))
            .expect("code");
        let confirmed = self.post("/me/totp/confirmation", &json!({"code": code}), Some(&token)).await;
        assert_eq!(confirmed.status(), 204, "TOTP confirmation");
        token
    }

    /// Registers `email` and creates the organisation it owns (unverified).
    pub async fn org_account(&self, email: &str, spec: OrgSpec) -> OrgAccount {
        let session = self.register(email).await;
        let created = json_of(self.post("/orgs", &spec.body(), Some(&session.access_token)).await, 201).await;
        OrgAccount {
            id: created["profile"]["id"].as_str().expect("org id").to_owned(),
            token: session.access_token,
            spec,
        }
    }

    /// Takes an organisation through real-name verification: its owner uploads a licence and
    /// submits (with the spec's qualifications), `reviewer` approves.
    pub async fn verify(&self, org: &OrgAccount, reviewer: &str) {
        let bytes = format!("%PDF-1.4 营业执照 {}", org.id).into_bytes();
        let part = reqwest::multipart::Part::bytes(bytes).file_name("licence.pdf");
        let upload = self
            .client
            .post(self.api("/files"))
            .bearer_auth(&org.token)
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .expect("upload");
        let file = json_of(upload, 201).await["sha256"].as_str().expect("sha256").to_owned();
        let qualifications: Vec<Value> = org
            .spec
            .qualifications
            .iter()
            .enumerate()
            .map(|(i, (type_code, grade))| {
                json!({"type_code": type_code, "grade": grade, "number": format!("D1330{i:05}"),
                       "expires_on": "2030-06-30", "file": file})
            })
            .collect();
        let submission = json!({
            "licence_file": file,
            "legal_representative_name": "李强",
            "legal_representative_id_number": "11010519491231002X",
            "qualifications": qualifications,
        });
        let path = format!("/orgs/{}/verification", org.id);
        let submitted = json_of(
            self.as_org(reqwest::Method::POST, &path, &org.token, &org.id, Some(&submission)).await,
            201,
        )
        .await;
        let id = submitted["id"].as_str().expect("submission id");
        let decided = self
            .post(
                &format!("/staff/verifications/{id}/decision"),
                &json!({"decision": "approve"}),
                Some(reviewer),
            )
            .await;
        assert_eq!(decided.status(), 200, "verification approved");
    }

    /// A verified organisation owned by a new account `email`.
    pub async fn verified_org(&self, email: &str, spec: OrgSpec, reviewer: &str) -> OrgAccount {
        let org = self.org_account(email, spec).await;
        self.verify(&org, reviewer).await;
        org
    }

    /// Registers `email` and makes it a plain member of `org` (invited by the owner, accepted).
    pub async fn add_member(&self, org: &OrgAccount, email: &str) -> SessionTokens {
        let session = self.register(email).await;
        let path = format!("/orgs/{}/invitations", org.id);
        let body = json!({"login": email, "role": "member"});
        let invitation =
            json_of(self.as_org(reqwest::Method::POST, &path, &org.token, &org.id, Some(&body)).await, 201)
                .await;
        let id = invitation["id"].as_str().expect("invitation id");
        let accepted = self
            .post(&format!("/invitations/{id}/acceptance"), &json!({}), Some(&session.access_token))
            .await;
        assert!(accepted.status().is_success(), "invitation accepted: {}", accepted.status());
        session
    }

    /// Runs SQL directly on the server's database (both engines), for state no API sets yet.
    pub fn sql(&self, statement: &str) {
        self.db.get().expect("conn").batch_execute(statement).expect("SQL");
    }

    /// Sets organisation columns the API cannot set yet (`membership_tier`, `credit_grade`, …).
    ///
    /// The server keeps every organisation's matching profile in memory and refreshes it only
    /// when the organisation changes through the API, so a direct update is not seen by
    /// matching until the next start-up. This therefore also PATCHes the profile through the
    /// API ([`TestApp::refresh_profile`]).
    pub async fn set_org_columns(&self, org: &OrgAccount, assignments: &str) {
        self.sql(&format!("UPDATE organisations SET {assignments} WHERE id = '{}'", org.id));
        self.refresh_profile(org).await;
    }

    /// PATCHes a harmless profile field (the contact name) as the owner: the server then
    /// re-reads the organisation into its search index and matching candidate pool.
    pub async fn refresh_profile(&self, org: &OrgAccount) {
        let path = format!("/orgs/{}", org.id);
        let patch = json!({"contact_name": "王建国"});
        let resp = self.as_org(reqwest::Method::PATCH, &path, &org.token, &org.id, Some(&patch)).await;
        assert_eq!(resp.status(), 200, "profile PATCH");
    }
}

/// A Shanghai date `days` from today, as `YYYY-MM-DD`.
pub fn shanghai_date_in(days: i64) -> String {
    let today = shared::domain::calendar::shanghai::business_date(chrono::Utc::now());
    (today + chrono::Duration::days(days)).format("%Y-%m-%d").to_string()
}

/// Who sends a request: nobody, a person, or a person acting for an organisation.
#[derive(Clone, Copy, Debug)]
pub enum Caller<'a> {
    /// No credentials.
    Anonymous,
    /// A bearer token.
    Person(&'a str),
    /// A bearer token and `X-Org-Id`.
    ForOrg(&'a str, &'a str),
}

impl TestApp {
    /// GET an API path as `caller`.
    pub async fn get_as(&self, path: &str, caller: Caller<'_>) -> reqwest::Response {
        let req = self.client.get(self.api(path));
        let req = match caller {
            Caller::Anonymous => req,
            Caller::Person(token) => req.bearer_auth(token),
            Caller::ForOrg(token, org) => req.bearer_auth(token).header("x-org-id", org),
        };
        req.send().await.expect("request")
    }

    /// Follows `next_cursor` from `first` to the last page and returns the ids seen after
    /// `first`. `path` carries the query (its other parameters are kept on every page).
    pub async fn walk_pages(&self, path: &str, first: &Value, caller: Caller<'_>) -> Vec<String> {
        let separator = if path.contains('?') { '&' } else { '?' };
        let mut out = Vec::new();
        let mut cursor = first["next_cursor"].as_str().map(str::to_owned);
        while let Some(c) = cursor {
            let page = json_of(self.get_as(&format!("{path}{separator}cursor={c}"), caller).await, 200).await;
            out.extend(ids(&page));
            cursor = page["next_cursor"].as_str().map(str::to_owned);
        }
        out
    }
}

/// Asserts that `paged` (the pages walked while rows were inserted) holds every id of
/// `before` (one full list taken before the inserts) in the same order, none twice, and
/// nothing else but `inserted` ids.
pub fn assert_pages_stable(before: &[String], paged: &[String], inserted: &[String]) {
    let mut seen = std::collections::HashSet::new();
    for id in paged {
        assert!(seen.insert(id), "{id} appeared on two pages: {paged:?}");
    }
    let old: Vec<&String> = paged.iter().filter(|id| !inserted.contains(id)).collect();
    let expected: Vec<&String> = before.iter().collect();
    assert_eq!(old, expected, "pages skipped or reordered rows");
}
