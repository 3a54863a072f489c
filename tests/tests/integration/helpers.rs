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
}

/// Spawns the server with default options.
pub async fn spawn_app() -> TestApp {
    spawn_with(Spawn::default()).await
}

/// Spawns the server.
pub async fn spawn_with(options: Spawn) -> TestApp {
    let dir = std::env::temp_dir().join(format!("gongzhu-test-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut pg_database = None;
    let database_url = if on_postgres() {
        let admin =
            std::env::var("GONGZHU_TEST_PG_URL").expect("GONGZHU_TEST_PG_URL must name a PostgreSQL server");
        let name = format!("gz_test_{}", uuid::Uuid::now_v7().simple());
        let mut conn = PgConnection::establish(&admin).expect("connect to test PostgreSQL");
        conn.batch_execute(&format!("CREATE DATABASE {name}")).expect("create test database");
        let url = replace_db_name(&admin, &name);
        pg_database = Some((admin, name));
        url
    } else {
        format!("sqlite://{}", dir.join("gongzhu.db").display())
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
        access_token_ttl_secs: options.access_ttl.unwrap_or(900),
        code_resend_secs: options.code_resend_secs.unwrap_or(60),
        log: "warn".into(),
        ..Config::default()
    };
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
