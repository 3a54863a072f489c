//! Shared server state handed to every handler through poem's `Data`.

use std::sync::Arc;
use std::time::Duration;

use crate::auth::jwt::JwtKeys;
use crate::auth::keys::Keys;
use crate::auth::password::PasswordHashing;
use crate::auth::throttle::Throttle;
use crate::config::Config;
use diesel::QueryResult;

use crate::db::{Db, DbConn};
use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::routes::files::service::{FileStore, LocalFileStore};
use crate::routes::notifications::notify::{self, Notice};

/// Everything a handler needs besides the request.
#[derive(Clone)]
pub struct AppState {
    /// Loaded configuration.
    pub config: Arc<Config>,
    /// Database pool.
    pub db: Db,
    /// Secrets.
    pub keys: Arc<Keys>,
    /// JWT signer/verifier.
    pub jwt: JwtKeys,
    /// argon2id hasher.
    pub passwords: PasswordHashing,
    /// Failed-login windows.
    pub throttle: Arc<Throttle>,
    /// Prometheus counters.
    pub metrics: Arc<Metrics>,
    /// Uploaded file contents.
    pub files: Arc<dyn FileStore>,
    /// The search index.
    pub search: Arc<crate::routes::search::catalogue::SearchCatalogue>,
    /// The matching engine's candidate profiles.
    pub candidates: Arc<crate::routes::demands::matching::CandidatePool>,
    /// Live notification fan-out.
    pub notifier: crate::routes::notifications::notify::Notifier,
    /// The rate limit and concurrency bound of "search before you ask".
    pub similar_questions: Arc<crate::routes::community::SimilarQuestionsGuard>,
    /// Open live streams per person.
    pub streams: crate::routes::notifications::notify::StreamSlots,
    /// Bounds the password hashes computed at once (`argon2_max_concurrent`).
    pub hashing: Arc<tokio::sync::Semaphore>,
    /// The one source of time.
    pub clock: crate::clock::Clock,
    /// The durable job runner's handle.
    pub jobs: crate::jobs::Jobs,
    /// Delivers outbox messages (SMS / e-mail); records them where no gateway is configured.
    pub sender: Arc<dyn crate::outbox::MessageSender>,
    /// The business calendar (shipped plus uploaded years), checked against the database on
    /// every use (see `crate::calendar`).
    pub calendar: Arc<crate::calendar::CalendarCache>,
    /// The font contracts and certificates are rendered with (loaded on first use).
    pub pdf_font: Arc<crate::pdf::LazyFont>,
    /// The funding channels (bank transfer; WeChat Pay when configured).
    pub payments: Arc<crate::payments::Payments>,
}

/// The state could not be built.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// Keys could not be loaded.
    #[error(transparent)]
    Keys(#[from] crate::auth::keys::KeyError),
    /// The search index or candidate pool could not be loaded.
    #[error("loading the search index: {0}")]
    Catalogue(String),
    /// A WeChat Pay key could not be read.
    #[error("WeChat Pay: {0}")]
    Payments(String),
    /// argon2 refused the configured parameters.
    #[error("argon2 parameters: {0}")]
    Argon2(argon2::Error),
}

impl AppState {
    /// Builds the state from config, an open database and keys.
    pub fn new(config: Config, db: Db, keys: Keys) -> Result<Self, StateError> {
        let passwords = PasswordHashing::new(&config).map_err(StateError::Argon2)?;
        let (search, candidates) = {
            let mut conn = db.get().map_err(|e| StateError::Catalogue(e.to_string()))?;
            let search = crate::routes::search::catalogue::SearchCatalogue::load(&mut conn)
                .map_err(|e| StateError::Catalogue(e.to_string()))?;
            let candidates = crate::routes::demands::matching::CandidatePool::load(&mut conn)
                .map_err(|e| StateError::Catalogue(e.to_string()))?;
            (search, candidates)
        };
        let payments = crate::payments::Payments::from_config(&config).map_err(StateError::Payments)?;
        Ok(Self {
            payments: Arc::new(payments),
            search: Arc::new(search),
            candidates: Arc::new(candidates),
            notifier: crate::routes::notifications::notify::Notifier::default(),
            similar_questions: Arc::default(),
            streams: crate::routes::notifications::notify::StreamSlots::default(),
            hashing: Arc::new(tokio::sync::Semaphore::new(config.argon2_max_concurrent.max(1))),
            clock: crate::clock::Clock::system(),
            jobs: crate::jobs::Jobs::default(),
            sender: Arc::new(crate::outbox::RecordingSender),
            calendar: Arc::default(),
            pdf_font: Arc::default(),
            jwt: JwtKeys::new(&keys.jwt_secret, &config.jwt_issuer),
            throttle: Arc::new(Throttle::new(Duration::from_secs(config.login_window_secs))),
            metrics: Arc::new(Metrics::default()),
            files: Arc::new(LocalFileStore::new(config.data_dir.join("files"))),
            passwords,
            keys: Arc::new(keys),
            config: Arc::new(config),
            db,
        })
    }
}

/// Notifications stored inside a write transaction ([`AppState::write`]), published to the
/// live streams once the transaction has committed (never for one that rolled back).
#[derive(Default)]
pub struct Outgoing(Vec<(String, shared::dto::Notification)>);

impl Outgoing {
    /// Stores `notice` for each of `users` (each once).
    pub fn to_users(&mut self, conn: &mut DbConn, users: &[String], notice: &Notice<'_>) -> QueryResult<()> {
        self.0.extend(notify::store(conn, users, notice)?);
        Ok(())
    }

    /// Stores `notice` for every member of `org_id`.
    pub fn to_org(&mut self, conn: &mut DbConn, org_id: &str, notice: &Notice<'_>) -> QueryResult<()> {
        self.0.extend(notify::store_for_org(conn, org_id, notice)?);
        Ok(())
    }

    /// Adds notifications stored by other code.
    pub fn extend(&mut self, sent: Vec<(String, shared::dto::Notification)>) {
        self.0.extend(sent);
    }
}

impl AppState {
    /// Runs `f` in one write transaction ([`crate::db::Db::write`]: on SQLite part of a group
    /// commit, in a savepoint of its own); after the commit, publishes the
    /// notifications `f` stored through its [`Outgoing`]. The shape of every state change:
    /// load → decide (a rule in `shared`) → persist, all inside `f`.
    pub async fn write<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConn, &mut Outgoing) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let (value, outgoing) = self
            .db
            .write(move |c| {
                let mut outgoing = Outgoing::default();
                let value = f(c, &mut outgoing)?;
                Ok::<_, ApiError>((value, outgoing))
            })
            .await?;
        self.notifier.publish(outgoing.0);
        Ok(value)
    }

    /// Rebuilds the search index and the candidate pool from the database (after a bulk load).
    pub fn reload_catalogue(&self) -> Result<(), StateError> {
        let mut conn = self.db.get().map_err(|e| StateError::Catalogue(e.to_string()))?;
        self.search.reload(&mut conn).map_err(|e| StateError::Catalogue(e.to_string()))?;
        self.candidates.reload(&mut conn).map_err(|e| StateError::Catalogue(e.to_string()))
    }

    /// Every `period`, re-reads the projects, listings and organisations changed since the last
    /// pass (with a margin for clock and commit skew), so writes handled by other server
    /// processes reach this one's search index and candidate pool.
    pub fn spawn_catalogue_refresher(&self, period: std::time::Duration) {
        let state = self.clone();
        tokio::spawn(self.clock.clone().scope(async move {
            let margin = chrono::Duration::seconds(10);
            let mut since = crate::db::now() - margin;
            loop {
                tokio::time::sleep(period).await;
                let started = crate::db::now();
                let (search, candidates, from) = (state.search.clone(), state.candidates.clone(), since);
                let result = state
                    .db
                    .run(move |c| -> Result<(), crate::error::ApiError> {
                        for org in search.refresh_changed(c, from)? {
                            candidates.refresh_org(c, &org)?;
                        }
                        Ok(())
                    })
                    .await;
                match result {
                    Ok(()) => since = started - margin,
                    Err(error) => tracing::warn!(?error, "catalogue refresh failed; retrying next period"),
                }
            }
        }));
    }

    /// Refreshes an organisation in the search index and the candidate pool after a change
    /// to its profile, verification or suspension. A failure is logged: the write it follows
    /// has committed, and the next start-up rebuilds both from the database.
    pub async fn org_changed(&self, org_id: &str) {
        self.orgs_changed(vec![org_id.to_owned()]).await;
    }

    /// [`Self::org_changed`] for many organisations on one connection (the monthly credit run's
    /// batches).
    pub async fn orgs_changed(&self, org_ids: Vec<String>) {
        if org_ids.is_empty() {
            return;
        }
        let (search, candidates) = (self.search.clone(), self.candidates.clone());
        let result = self
            .db
            .run(move |c| -> Result<(), crate::error::ApiError> {
                for id in &org_ids {
                    search.refresh_organisation(c, id)?;
                    candidates.refresh_org(c, id)?;
                }
                Ok(())
            })
            .await;
        if let Err(error) = result {
            tracing::error!(?error, "refreshing the search index and candidate pool failed");
        }
    }
}
