//! What the benchmarks share: percentiles and the real server started in the bench's process.
//! `support/hello.rs` (included by the benches that compare with it) is the hello-world endpoint.

use std::time::Duration;

/// The `p` percentile (0.0–1.0) of `sorted`, in milliseconds.
pub fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

/// The server serving in this process.
pub struct Served {
    /// Its state (database, configuration).
    pub state: api::state::AppState,
    /// `http://127.0.0.1:<port>/api/v1`.
    pub base: String,
    stop: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Served {
    /// Binds and serves `config`.
    pub async fn start(config: api::config::Config) -> Self {
        let bound = api::server::bind(config).await.expect("bind");
        let state = bound.state().clone();
        let base = format!("http://{}/api/v1", bound.addr);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(bound.serve(async move {
            let _ = stopped.await;
        }));
        Self { state, base, stop, server }
    }

    /// Shuts it down and waits.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.server.await;
    }
}
