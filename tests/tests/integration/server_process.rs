//! Another server as a separate OS process, for tests that need several: the
//! `gongzhu-test-server` binary of this crate (the real `gongzhu` entry, built with the test
//! clock by `cargo test -p integration-tests`), configured through `GONGZHU_*` variables to use
//! a [`TestApp`]'s database with a data directory and port of its own. It is killed when
//! dropped, so a failing assertion leaves no process behind.
//!
//! `GONGZHU_TEST_SERVER_BIN=/path/to/gongzhu` runs another binary instead (e.g. a release build
//! of the `gongzhu` server: `cargo build --release -p api`), for the crash test.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::helpers::TestApp;

/// How long the process may take to start serving and answer `/readyz`.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// A running `gongzhu-test-server` process.
pub struct ServerProcess {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    child: Child,
    data_dir: std::path::PathBuf,
}

/// The server binary: `GONGZHU_TEST_SERVER_BIN`, or this crate's `gongzhu-test-server`.
pub fn server_binary() -> std::path::PathBuf {
    std::env::var_os("GONGZHU_TEST_SERVER_BIN")
        .map_or_else(|| env!("CARGO_BIN_EXE_gongzhu-test-server").into(), std::path::PathBuf::from)
}

impl ServerProcess {
    /// Starts a server process on `app`'s database (data directory `<app.dir>/data-<name>`,
    /// a port of its own) and waits until it answers `/readyz`.
    pub async fn start(app: &TestApp, name: &str) -> Self {
        Self::start_on(app, app.dir.join(format!("data-{name}")), "127.0.0.1:0").await
    }

    /// Starts a server process on `app`'s database with the data directory `data_dir` (the
    /// app's own shares its keys, so its tokens are valid there) listening on `listen`.
    pub async fn start_on(app: &TestApp, data_dir: std::path::PathBuf, listen: &str) -> Self {
        let mut command = Command::new(server_binary());
        // Settings come from these variables only: none inherited, no `gongzhu.toml` found.
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("GONGZHU_") {
                command.env_remove(key);
            }
        }
        command
            .current_dir(&app.dir)
            .env("GONGZHU_LISTEN", listen)
            .env("GONGZHU_DATA_DIR", &data_dir)
            .env("GONGZHU_DATABASE_URL", &app.config.database_url)
            .env("GONGZHU_DB_POOL_SIZE", app.config.db_pool_size.to_string())
            .env("GONGZHU_WEB_DIR", &app.config.web_dir)
            .env("GONGZHU_ARGON2_MEMORY_KIB", app.config.argon2_memory_kib.to_string())
            .env("GONGZHU_ARGON2_ITERATIONS", app.config.argon2_iterations.to_string())
            .env("GONGZHU_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let mut child = command.spawn().expect("start the gongzhu-test-server binary");
        let stdout = child.stdout.take().expect("the child's stdout");
        let mut process = Self { base: String::new(), child, data_dir };
        let (tx, rx) = tokio::sync::oneshot::channel();
        // The port is known once the process prints where it serves; the reader then keeps
        // draining stdout so the child never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(address) =
                    line.split("serving at ").nth(1).and_then(|r| r.split_whitespace().next())
                    && let Some(tx) = tx.take()
                {
                    let _ = tx.send(address.to_owned());
                }
            }
        });
        let serving = tokio::time::timeout(START_TIMEOUT, rx).await;
        process.base = match serving {
            Ok(Ok(base)) => base,
            Ok(Err(_)) => panic!("gongzhu-test-server exited before serving: {:?}", process.child.try_wait()),
            Err(_) => panic!("gongzhu-test-server did not start serving within {START_TIMEOUT:?}"),
        };
        process.wait_ready(app).await;
        process
    }

    async fn wait_ready(&self, app: &TestApp) {
        let deadline = tokio::time::Instant::now() + START_TIMEOUT;
        loop {
            let answer = app.client.get(format!("{}/readyz", self.base)).send().await;
            if answer.is_ok_and(|r| r.status() == 200) {
                return;
            }
            assert!(tokio::time::Instant::now() < deadline, "{} never answered /readyz", self.base);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGKILLs the process (no graceful shutdown: requests in flight die with it) and starts
    /// the same binary again on the same database, data directory and port.
    pub async fn kill_and_restart(&mut self, app: &TestApp) {
        self.kill();
        let listen = self.base.trim_start_matches("http://").to_owned();
        let data_dir = self.data_dir.clone();
        let restarted = Self::start_on(app, data_dir, &listen).await;
        let old = std::mem::replace(self, restarted);
        drop(old);
    }

    /// Kills the process (SIGKILL) and waits for it to exit.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}
