//! The one typed configuration, loaded once at start-up: defaults, then an optional TOML file
//! (`GONGZHU_CONFIG`, or `gongzhu.toml` in the working directory if present), then `GONGZHU_<FIELD>`
//! environment variables (lists comma-separated). Unknown settings are an error, not ignored.
//! Secrets are never logged: `Debug` redacts them.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Every setting of the server, with the defaults `run` works with.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address and port to listen on.
    pub listen: String,
    /// Directory for the embedded database, generated secrets and uploads.
    pub data_dir: PathBuf,
    /// `sqlite://path` or `postgres://…`; empty means `sqlite://<data_dir>/gongzhu.db`.
    pub database_url: String,
    /// Maximum pooled database connections.
    pub db_pool_size: u32,
    /// Directory of the built SPA served at `/` (index.html fallback for client routes).
    pub web_dir: PathBuf,
    /// HS256 signing secret for JWTs (at least 32 bytes). Empty: generated once into
    /// `<data_dir>/secrets/jwt.key`.
    pub jwt_secret: String,
    /// AES-256-GCM key for data encrypted at rest, as 64 hex digits. Empty: generated once into
    /// `<data_dir>/secrets/encryption.key`.
    pub encryption_key: String,
    /// `iss` of issued tokens and required in presented ones.
    pub jwt_issuer: String,
    /// Access-token lifetime in seconds.
    pub access_token_ttl_secs: i64,
    /// Refresh-token (session) lifetime in seconds.
    pub refresh_token_ttl_secs: i64,
    /// Origins allowed to call the API from a browser on another origin (CORS).
    pub cors_origins: Vec<String>,
    /// Largest JSON request body, in bytes.
    pub max_json_bytes: u64,
    /// The CJK font contracts and certificates are rendered with (TrueType/OpenType, or the
    /// first face of a `.ttc`). Empty: the first standard path that exists (Debian's
    /// `fonts-wqy-zenhei`, which both README commands install, then WenQuanYi Micro Hei and
    /// Noto CJK).
    pub pdf_font: PathBuf,
    /// The platform's escrow receiving account (资金监管专户) payers transfer to, as funding
    /// instructions show it: holder name, bank (开户行) and account number. All three empty (the
    /// default): bank-transfer funding requests are still created with their reference, but carry
    /// no instructions until an operator sets them.
    pub escrow_account_name: String,
    /// The receiving account's bank (开户行), e.g. "招商银行北京分行营业部".
    pub escrow_bank_name: String,
    /// The receiving account's number.
    pub escrow_account_number: String,
    /// Withdrawals above this many fen need two finance officers (one approves, another
    /// confirms); ¥50,000 by default.
    pub payout_second_approval_above_fen: i64,
    /// WeChat Pay (API v3) merchant id (商户号). Empty (the default): the `wechat_pay` funding
    /// channel is refused (409 `channel: not_configured`). Set: every `wechatpay_*` setting
    /// below except the URLs' defaults is required, and checked at start-up.
    pub wechatpay_mchid: String,
    /// The AppID the merchant is bound to.
    pub wechatpay_appid: String,
    /// The API v3 key (32 bytes) that decrypts notification resources. Secret.
    pub wechatpay_api_v3_key: String,
    /// The merchant's API private key (`apiclient_key.pem`, PKCS#8 PEM) signing our requests.
    pub wechatpay_merchant_key_path: PathBuf,
    /// The serial number of the merchant's API certificate (`serial_no` of `Authorization`).
    pub wechatpay_merchant_serial: String,
    /// WeChat Pay's public key (微信支付公钥, SPKI PEM `pub_key.pem`) verifying its responses and
    /// notifications.
    pub wechatpay_platform_key_path: PathBuf,
    /// That key's id (`PUB_KEY_ID_…`), which `Wechatpay-Serial` must name.
    pub wechatpay_platform_key_id: String,
    /// WeChat Pay's API base URL.
    pub wechatpay_base_url: String,
    /// The public URL of `POST /api/v1/payments/wechat/notify` WeChat Pay calls back (HTTPS in
    /// production).
    pub wechatpay_notify_url: String,
    /// Largest uploaded file, in bytes (20 MB by default).
    pub max_upload_bytes: u64,
    /// Total bytes of files one person may have uploaded (500 MB by default); an upload past
    /// it is refused with 413 `payload_too_large` (detail `file: quota_exceeded`).
    pub upload_quota_bytes: u64,
    /// argon2id memory cost in KiB (OWASP: 19456). Tests lower it.
    pub argon2_memory_kib: u32,
    /// argon2id iterations.
    pub argon2_iterations: u32,
    /// argon2id lanes.
    pub argon2_parallelism: u32,
    /// Failed logins per account within `login_window_secs` before 429.
    pub login_max_failures_per_account: u32,
    /// Failed logins per client address within `login_window_secs` before 429.
    pub login_max_failures_per_ip: u32,
    /// Window for the login throttles, in seconds.
    pub login_window_secs: u64,
    /// Registrations and password-reset attempts per client address within `login_window_secs`
    /// before 429.
    pub signup_max_per_ip: u32,
    /// Password hashes (argon2id, ~19 MiB each) computed at once; further requests wait.
    pub argon2_max_concurrent: usize,
    /// Absolute lifetime of a session in seconds: refresh-token rotation never extends a
    /// session past this age (ASVS 7.3.2).
    pub session_max_lifetime_secs: i64,
    /// Live notification streams one person may hold open at once (per server process).
    pub max_streams_per_user: usize,
    /// Seconds between checks that an open live stream's session is still live.
    pub stream_session_check_secs: u64,
    /// Bearer token required by `GET /metrics`. Empty: `/metrics` answers 404 (disabled).
    pub metrics_token: String,
    /// Seconds before another one-time code can be sent for the same purpose.
    pub code_resend_secs: i64,
    /// Seconds between passes that re-read projects, listings and organisations changed by other
    /// server processes into this one's search index and candidate pool.
    pub catalogue_refresh_secs: u64,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted reverse proxy).
    pub trust_forwarded_for: bool,
    /// Mark the refresh cookie `Secure` (turn on whenever served over HTTPS).
    pub cookie_secure: bool,
    /// `tracing` filter, e.g. `info` or `api=debug,info`.
    pub log: String,
    /// Credit dimension weights in whole percent, `performance,transaction,reputation,
    /// qualification,social_responsibility`, adding up to 100 (checked at start-up).
    pub credit_weights: String,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("data"),
            database_url: String::new(),
            db_pool_size: 8,
            pdf_font: PathBuf::new(),
            escrow_account_name: String::new(),
            escrow_bank_name: String::new(),
            escrow_account_number: String::new(),
            payout_second_approval_above_fen: 5_000_000,
            wechatpay_mchid: String::new(),
            wechatpay_appid: String::new(),
            wechatpay_api_v3_key: String::new(),
            wechatpay_merchant_key_path: PathBuf::new(),
            wechatpay_merchant_serial: String::new(),
            wechatpay_platform_key_path: PathBuf::new(),
            wechatpay_platform_key_id: String::new(),
            wechatpay_base_url: "https://api.mch.weixin.qq.com".into(),
            wechatpay_notify_url: String::new(),
            web_dir: PathBuf::from("web/dist"),
            jwt_secret: String::new(),
            encryption_key: String::new(),
            jwt_issuer: "gongzhu".into(),
            access_token_ttl_secs: 15 * 60,
            refresh_token_ttl_secs: 30 * 24 * 3600,
            cors_origins: Vec::new(),
            max_json_bytes: 256 * 1024,
            max_upload_bytes: 20 * 1024 * 1024,
            upload_quota_bytes: 500 * 1024 * 1024,
            argon2_memory_kib: 19_456,
            argon2_iterations: 2,
            argon2_parallelism: 1,
            login_max_failures_per_account: 5,
            login_max_failures_per_ip: 30,
            login_window_secs: 15 * 60,
            signup_max_per_ip: 10,
            argon2_max_concurrent: 4,
            session_max_lifetime_secs: 30 * 24 * 3600,
            max_streams_per_user: 5,
            stream_session_check_secs: 15,
            metrics_token: String::new(),
            code_resend_secs: 60,
            catalogue_refresh_secs: 30,
            trust_forwarded_for: false,
            cookie_secure: false,
            log: "info".into(),
            credit_weights: "30,25,20,15,10".into(),
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let redact = |s: &str| if s.is_empty() { "<generated>" } else { "<redacted>" };
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field("database_url", &redact_url(&self.database_url))
            .field("web_dir", &self.web_dir)
            .field("jwt_secret", &redact(&self.jwt_secret))
            .field("encryption_key", &redact(&self.encryption_key))
            .field("metrics_token", &redact(&self.metrics_token))
            .field("wechatpay_mchid", &self.wechatpay_mchid)
            .field("wechatpay_api_v3_key", &redact(&self.wechatpay_api_v3_key))
            .field("cors_origins", &self.cors_origins)
            .finish_non_exhaustive()
    }
}

/// Hides a password in a database URL.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => format!("{}://***@{}", &url[..scheme], &url[at + 1..]),
        _ => url.to_owned(),
    }
}

/// The configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The config file could not be read.
    #[error("cannot read config file {0}: {1}")]
    Read(PathBuf, std::io::Error),
    /// The file or an environment variable has a wrong or unknown setting.
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

/// Environment variables with this prefix are read as settings.
const ENV_PREFIX: &str = "GONGZHU_";
/// Except these, which belong to tooling (config path, test harness).
const ENV_RESERVED: &[&str] = &["GONGZHU_CONFIG"];
const ENV_RESERVED_PREFIXES: &[&str] = &["GONGZHU_TEST_"];

impl Config {
    /// Loads defaults, then the file, then the environment.
    pub fn load() -> Result<Self, ConfigError> {
        let file = match std::env::var_os("GONGZHU_CONFIG") {
            Some(path) => Some(PathBuf::from(path)),
            None => Some(PathBuf::from("gongzhu.toml")).filter(|p| p.exists()),
        };
        Self::load_from(file.as_deref(), std::env::vars())
    }

    /// Loads from an explicit file and environment (testable form of [`Config::load`]).
    pub fn load_from(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        let invalid = |e: &dyn std::fmt::Display| ConfigError::Invalid(e.to_string());
        let defaults = toml::Table::try_from(Config::default()).map_err(|e| invalid(&e))?;
        let mut merged = defaults.clone();
        if let Some(path) = file {
            let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read(path.to_owned(), e))?;
            let table: toml::Table = text.parse().map_err(|e| invalid(&e))?;
            merged.extend(table);
        }
        for (key, value) in env {
            let Some(name) = key.strip_prefix(ENV_PREFIX) else { continue };
            if ENV_RESERVED.contains(&key.as_str())
                || ENV_RESERVED_PREFIXES.iter().any(|p| key.starts_with(p))
            {
                continue;
            }
            let name = name.to_ascii_lowercase();
            let typed = match defaults.get(&name) {
                None => return Err(ConfigError::Invalid(format!("unknown setting {key}"))),
                Some(toml::Value::Integer(_)) => value
                    .trim()
                    .parse::<i64>()
                    .map(toml::Value::Integer)
                    .map_err(|_| ConfigError::Invalid(format!("{key} must be a whole number")))?,
                Some(toml::Value::Boolean(_)) => value
                    .trim()
                    .parse::<bool>()
                    .map(toml::Value::Boolean)
                    .map_err(|_| ConfigError::Invalid(format!("{key} must be true or false")))?,
                Some(toml::Value::Array(_)) => toml::Value::Array(
                    value
                        .split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(|s| toml::Value::String(s.to_owned()))
                        .collect(),
                ),
                Some(_) => toml::Value::String(value),
            };
            merged.insert(name, typed);
        }
        let config: Config = merged.try_into().map_err(|e| invalid(&e))?;
        config.check()?;
        Ok(config)
    }

    /// Cross-field checks that serde cannot express.
    fn check(&self) -> Result<(), ConfigError> {
        let fail = |m: &str| Err(ConfigError::Invalid(m.to_owned()));
        if self.access_token_ttl_secs <= 0 || self.refresh_token_ttl_secs <= self.access_token_ttl_secs {
            return fail(
                "token lifetimes must be positive and the refresh lifetime longer than the access lifetime",
            );
        }
        if !self.jwt_secret.is_empty() && self.jwt_secret.len() < 32 {
            return fail("jwt_secret must be at least 32 bytes");
        }
        if self.db_pool_size == 0 {
            return fail("db_pool_size must be at least 1");
        }
        if !self.wechatpay_mchid.is_empty() {
            let missing = [
                ("wechatpay_appid", self.wechatpay_appid.is_empty()),
                ("wechatpay_merchant_key_path", self.wechatpay_merchant_key_path.as_os_str().is_empty()),
                ("wechatpay_merchant_serial", self.wechatpay_merchant_serial.is_empty()),
                ("wechatpay_platform_key_path", self.wechatpay_platform_key_path.as_os_str().is_empty()),
                ("wechatpay_platform_key_id", self.wechatpay_platform_key_id.is_empty()),
                ("wechatpay_base_url", self.wechatpay_base_url.is_empty()),
                ("wechatpay_notify_url", self.wechatpay_notify_url.is_empty()),
            ];
            if let Some((name, _)) = missing.iter().find(|(_, empty)| *empty) {
                return fail(&format!("{name} is required when wechatpay_mchid is set"));
            }
            if self.wechatpay_api_v3_key.len() != 32 {
                return fail("wechatpay_api_v3_key must be 32 bytes");
            }
        }
        shared::domain::credit::CreditWeights::parse(&self.credit_weights)
            .map_err(|e| ConfigError::Invalid(format!("credit_weights: {e}")))?;
        crate::db::DbTarget::parse(&self.database_url()).map_err(|e| ConfigError::Invalid(e.to_string()))?;
        Ok(())
    }

    /// The credit dimension weights (checked when the configuration was loaded; the defaults
    /// otherwise).
    pub fn credit_weights(&self) -> shared::domain::credit::CreditWeights {
        shared::domain::credit::CreditWeights::parse(&self.credit_weights).unwrap_or_default()
    }

    /// The effective database URL.
    pub fn database_url(&self) -> String {
        if self.database_url.is_empty() {
            format!("sqlite://{}", self.data_dir.join("gongzhu.db").to_string_lossy())
        } else {
            self.database_url.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn defaults_need_no_configuration() {
        let config = Config::load_from(None, env(&[])).expect("defaults load");
        assert_eq!(config.listen, "127.0.0.1:8080");
        assert_eq!(config.database_url(), "sqlite://data/gongzhu.db");
    }

    #[test]
    fn environment_overrides_with_types_from_the_defaults() {
        let config = Config::load_from(
            None,
            env(&[
                ("GONGZHU_LISTEN", "0.0.0.0:9000"),
                ("GONGZHU_DB_POOL_SIZE", "3"),
                ("GONGZHU_COOKIE_SECURE", "true"),
                ("GONGZHU_CORS_ORIGINS", "https://a.example, https://b.example"),
                ("GONGZHU_TEST_PG_URL", "ignored"),
                ("OTHER", "ignored"),
            ]),
        )
        .expect("loads");
        assert_eq!(config.listen, "0.0.0.0:9000");
        assert_eq!(config.db_pool_size, 3);
        assert!(config.cookie_secure);
        assert_eq!(config.cors_origins, vec!["https://a.example", "https://b.example"]);
    }

    #[test]
    fn credit_weights_must_add_up_to_100() {
        let config =
            Config::load_from(None, env(&[("GONGZHU_CREDIT_WEIGHTS", "40,20,20,10,10")])).expect("loads");
        assert_eq!(config.credit_weights().performance, 40);
        assert!(Config::load_from(None, env(&[("GONGZHU_CREDIT_WEIGHTS", "30,25,20,15,11")])).is_err());
        assert!(Config::load_from(None, env(&[("GONGZHU_CREDIT_WEIGHTS", "30,25")])).is_err());
    }

    #[test]
    fn unknown_or_mistyped_settings_are_errors() {
        assert!(Config::load_from(None, env(&[("GONGZHU_LISTN", "x")])).is_err());
        assert!(Config::load_from(None, env(&[("GONGZHU_DB_POOL_SIZE", "many")])).is_err());
    }

    #[test]
    fn database_url_must_be_sqlite_or_postgres() {
        let err =
            Config::load_from(None, env(&[("GONGZHU_DATABASE_URL", "mysql://x/y")])).expect_err("refused");
        assert!(err.to_string().contains("unsupported database URL"), "{err}");
    }

    #[test]
    fn file_settings_sit_between_defaults_and_environment() {
        let dir = std::env::temp_dir().join(format!("gz-config-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join("gongzhu.toml");
        std::fs::write(&file, "listen = \"127.0.0.1:7000\"\nlog = \"debug\"\n").expect("write");
        let config = Config::load_from(Some(&file), env(&[("GONGZHU_LOG", "warn")])).expect("loads");
        assert_eq!(config.listen, "127.0.0.1:7000");
        assert_eq!(config.log, "warn");
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn debug_output_never_shows_secrets() {
        let config = Config {
            jwt_secret: "s3cret-s3cret-s3cret-s3cret-s3cret".into(),
            database_url: "postgres://gz:pw@db/gongzhu".into(),
            ..Config::default()
        };
        let shown = format!("{config:?}");
        assert!(!shown.contains("s3cret") && !shown.contains(":pw@"), "{shown}");
    }
}
