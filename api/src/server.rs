//! Assembles the HTTP application (API, docs, operational endpoints, SPA) and serves it with
//! graceful shutdown.

use std::net::SocketAddr;
use std::time::Duration;

use poem::endpoint::StaticFilesEndpoint;
use poem::listener::{Acceptor, AcceptorExt, Listener, TcpListener};
use poem::middleware::Cors;
use poem::{EndpointExt, IntoEndpoint, Route, Server, get};

use crate::config::Config;
use crate::db::{Db, DbTarget};
use crate::routes::{self, system};
use crate::state::AppState;

/// The whole application as one endpoint.
pub fn app(state: AppState) -> impl poem::Endpoint {
    let api = routes::service();
    let generated = api.spec();
    let finished = routes::finished_spec(&generated);
    // The docs UI embeds the spec: show the finished one.
    let docs_html = api.swagger_ui_html().replace(&generated, &finished);
    let docs = poem::endpoint::make_sync(move |_| poem::web::Html(docs_html.clone()));
    let spec = poem::endpoint::make_sync(move |_| {
        poem::Response::builder().content_type("application/json").body(finished.clone())
    });
    let mut cors = Cors::new().allow_credentials(true);
    for origin in &state.config.cors_origins {
        cors = cors.allow_origin(origin.as_str());
    }
    let web_dir = state.config.web_dir.clone();
    let spa = StaticFilesEndpoint::new(&web_dir).index_file("index.html").fallback_to_index();
    let max_json = usize::try_from(state.config.max_json_bytes).unwrap_or(usize::MAX);
    // Multipart uploads may carry one file of max_upload_bytes plus the form's framing.
    let max_upload =
        usize::try_from(state.config.max_upload_bytes).unwrap_or(usize::MAX).saturating_add(64 * 1024);
    let metrics = state.metrics.clone();
    let hsts = state.config.cookie_secure;
    let clock = state.clock.clone();
    let route = Route::new();
    // The test clock's control exists only in builds with the `test-clock` feature.
    #[cfg(feature = "test-clock")]
    let route = route.at("/api/v1/test/clock", poem::post(crate::clock::test_clock::advance));
    route
        .nest(
            "/api/v1",
            api.around(crate::idempotency::idempotent)
                .around(crate::strict::strict_input)
                .around(move |ep, req| crate::middleware::limit_body(ep, req, max_json, max_upload))
                .with_if(!state.config.cors_origins.is_empty(), cors),
        )
        .at("/api/v1/openapi.json", spec)
        .at("/api/v1/payments/wechat/notify", poem::post(crate::payments::wechat::notify::notify))
        .nest("/docs", docs.with(poem::middleware::SetHeader::new().overriding(
            "content-security-policy",
            "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
        )))
        .at("/healthz", get(system::healthz))
        .at("/readyz", get(system::readyz))
        .at("/metrics", get(system::metrics))
        .nest("/", spa)
        .around(move |ep, req| {
            let clock = clock.clone();
            async move { clock.scope(poem::Endpoint::call(&ep, req)).await }
        })
        .data(state)
        .around(move |ep, req| crate::middleware::observe(ep, req, metrics.clone(), hsts))
        .catch_all_error(|e| async move { crate::error::envelope_for(e) })
        .into_endpoint()
}

/// Opens the database (migrations applied) and builds the state.
pub fn prepare(
    config: Config,
) -> Result<(AppState, Option<std::fs::File>), Box<dyn std::error::Error + Send + Sync>> {
    let target = DbTarget::parse(&config.database_url())?;
    // A running server holds the SQLite database's lock so `restore` cannot replace it.
    let lock = match &target {
        DbTarget::Sqlite(path) => Some(crate::ops::backup::lock_database(path)?),
        DbTarget::Postgres(_) => None,
    };
    let keys = crate::auth::keys::Keys::load(&config)?;
    let db = Db::open(target, config.db_pool_size)?;
    Ok((AppState::new(config, db, keys)?, lock))
}

/// A server bound to its port, not yet serving.
pub struct Bound {
    acceptor: poem::listener::BoxAcceptor,
    state: AppState,
    lock: Option<std::fs::File>,
    /// The address actually bound (port 0 resolved).
    pub addr: SocketAddr,
}

/// Binds the listener (port 0 picks a free one) after preparing the state.
pub async fn bind(config: Config) -> Result<Bound, Box<dyn std::error::Error + Send + Sync>> {
    let listen = config.listen.clone();
    let (state, lock) = prepare(config)?;
    let acceptor = TcpListener::bind(listen).into_acceptor().await?;
    let addr = acceptor
        .local_addr()
        .first()
        .and_then(|a| a.as_socket_addr().copied())
        .ok_or("listener has no socket address")?;
    Ok(Bound { acceptor: acceptor.boxed(), state, lock, addr })
}

impl Bound {
    /// The prepared state (database, keys, config).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` resolves, then drains in-flight requests (up to 10 s).
    pub async fn serve(self, shutdown: impl std::future::Future<Output = ()> + Send) -> std::io::Result<()> {
        #[cfg(feature = "test-clock")]
        crate::clock::test_clock::spawn_follower(self.state.db.clone(), self.state.clock.clone());
        crate::jobs::spawn_runner(self.state.clone());
        self.state
            .spawn_catalogue_refresher(Duration::from_secs(self.state.config.catalogue_refresh_secs.max(1)));
        let _lock = self.lock;
        Server::new_with_acceptor(self.acceptor)
            .run_with_graceful_shutdown(app(self.state), shutdown, Some(Duration::from_secs(10)))
            .await
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut sig) => {
                sig.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
