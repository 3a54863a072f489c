//! Key material. Production supplies `GONGZHU_JWT_SECRET` and `GONGZHU_ENCRYPTION_KEY` (from a
//! secret store); the embedded default generates each once into `<data_dir>/secrets/` with mode
//! 0600 and reuses it on every start, so tokens and encrypted data survive restarts.

use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

use rand::RngCore;

use crate::config::Config;

/// The server's secrets, loaded once.
#[derive(Clone)]
pub struct Keys {
    /// HS256 JWT signing secret.
    pub jwt_secret: Vec<u8>,
    /// AES-256-GCM key for data encrypted at rest; also keys the one-time-code HMAC.
    pub encryption_key: [u8; 32],
}

/// The keys could not be loaded or created.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// A key file could not be read or written.
    #[error("key file {0}: {1}")]
    Io(String, std::io::Error),
    /// A configured or stored key is malformed.
    #[error("{0}")]
    Malformed(String),
}

impl Keys {
    /// Loads the configured keys, generating missing ones into the data directory.
    pub fn load(config: &Config) -> Result<Self, KeyError> {
        let dir = config.data_dir.join("secrets");
        let jwt_hex = if config.jwt_secret.is_empty() {
            load_or_generate(&dir.join("jwt.key"))?
        } else {
            data_encoding::HEXLOWER.encode(config.jwt_secret.as_bytes())
        };
        let enc_hex = if config.encryption_key.is_empty() {
            load_or_generate(&dir.join("encryption.key"))?
        } else {
            config.encryption_key.trim().to_ascii_lowercase()
        };
        let jwt_secret = data_encoding::HEXLOWER
            .decode(jwt_hex.as_bytes())
            .map_err(|_| KeyError::Malformed("jwt.key must be hex".into()))?;
        let encryption_key: [u8; 32] = data_encoding::HEXLOWER
            .decode(enc_hex.as_bytes())
            .ok()
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or_else(|| KeyError::Malformed("encryption_key must be 64 hex digits (32 bytes)".into()))?;
        Ok(Self { jwt_secret, encryption_key })
    }
}

/// Reads a hex key file, or creates it with 32 random bytes and mode 0600.
fn load_or_generate(path: &Path) -> Result<String, KeyError> {
    let io = |e| KeyError::Io(path.display().to_string(), e);
    match std::fs::read_to_string(path) {
        Ok(text) => return Ok(text.trim().to_owned()),
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(e)),
        Err(_) => {}
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(io)?;
    }
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let hex = data_encoding::HEXLOWER.encode(&bytes);
    let mut file =
        std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path).map_err(io)?;
    file.write_all(hex.as_bytes()).map_err(io)?;
    file.sync_all().map_err(io)?;
    Ok(hex)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_are_private_and_stable_across_restarts() {
        let dir = std::env::temp_dir().join(format!("gz-keys-{}", uuid::Uuid::now_v7()));
        let config = Config { data_dir: dir.clone(), ..Config::default() };
        let first = Keys::load(&config).expect("generates");
        let second = Keys::load(&config).expect("reloads");
        assert_eq!(first.jwt_secret, second.jwt_secret);
        assert_eq!(first.encryption_key, second.encryption_key);
        let mode = std::fs::metadata(dir.join("secrets/jwt.key")).expect("exists").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn a_short_encryption_key_is_refused() {
        let config =
            Config { encryption_key: "abcd".into(), jwt_secret: "x".repeat(32), ..Config::default() };
        assert!(Keys::load(&config).is_err());
    }
}
