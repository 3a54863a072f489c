//! Password hashing with argon2id (parameters from config; tests use cheaper ones).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::config::Config;

/// argon2id with the configured cost.
#[derive(Clone)]
pub struct PasswordHashing {
    params: Params,
    /// A hash of a random password, verified against when the account does not exist so a
    /// failed login takes the same time either way.
    dummy_hash: String,
}

impl PasswordHashing {
    /// Builds the hasher; fails on parameters argon2 refuses.
    pub fn new(config: &Config) -> Result<Self, argon2::Error> {
        let params =
            Params::new(config.argon2_memory_kib, config.argon2_iterations, config.argon2_parallelism, None)?;
        let mut hashing = Self { params, dummy_hash: String::new() };
        hashing.dummy_hash = hashing
            .hash(&crate::auth::crypto::random_token(16))
            .map_err(|_| argon2::Error::AlgorithmInvalid)?;
        Ok(hashing)
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    /// PHC-format argon2id hash with a fresh salt.
    pub fn hash(&self, password: &str) -> Result<String, argon2::password_hash::Error> {
        let salt = SaltString::generate(&mut OsRng);
        Ok(self.argon2().hash_password(password.as_bytes(), &salt)?.to_string())
    }

    /// Whether `password` matches `hash`; an unusable (empty) hash never matches.
    pub fn verify(&self, password: &str, hash: &str) -> bool {
        match PasswordHash::new(hash) {
            Ok(parsed) => self.argon2().verify_password(password.as_bytes(), &parsed).is_ok(),
            Err(_) => false,
        }
    }

    /// Spends the time of one verification without an account (anti-enumeration).
    pub fn verify_dummy(&self, password: &str) {
        let _ = self.verify(password, &self.dummy_hash);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap() -> PasswordHashing {
        let config = Config { argon2_memory_kib: 1024, argon2_iterations: 1, ..Config::default() };
        PasswordHashing::new(&config).expect("params")
    }

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let hashing = cheap();
        let hash = hashing.hash("gongzhu2026build").expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        assert!(hashing.verify("gongzhu2026build", &hash));
        assert!(!hashing.verify("gongzhu2026buile", &hash));
    }

    #[test]
    fn an_erased_hash_never_verifies() {
        assert!(!cheap().verify("", ""));
    }
}
