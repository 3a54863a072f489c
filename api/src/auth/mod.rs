//! Authentication building blocks: key material, password hashing, JWTs, TOTP, throttling, and
//! the session service that issues and rotates tokens.

pub mod api_key;
pub mod crypto;
pub mod jwt;
pub mod keys;
pub mod password;
pub mod session;
pub mod throttle;
pub mod totp;
