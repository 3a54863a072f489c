//! Shared server state handed to every handler through poem's `Data`.

use std::sync::Arc;
use std::time::Duration;

use crate::auth::jwt::JwtKeys;
use crate::auth::keys::Keys;
use crate::auth::password::PasswordHashing;
use crate::auth::throttle::Throttle;
use crate::config::Config;
use crate::db::Db;
use crate::files::{FileStore, LocalFileStore};
use crate::metrics::Metrics;

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
}

/// The state could not be built.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// Keys could not be loaded.
    #[error(transparent)]
    Keys(#[from] crate::auth::keys::KeyError),
    /// argon2 refused the configured parameters.
    #[error("argon2 parameters: {0}")]
    Argon2(argon2::Error),
}

impl AppState {
    /// Builds the state from config, an open database and keys.
    pub fn new(config: Config, db: Db, keys: Keys) -> Result<Self, StateError> {
        let passwords = PasswordHashing::new(&config).map_err(StateError::Argon2)?;
        Ok(Self {
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
