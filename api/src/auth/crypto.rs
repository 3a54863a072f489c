//! Small cryptographic helpers: AES-256-GCM sealing of data at rest, token hashing, keyed code
//! hashing, random tokens and constant-time comparison.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use hmac::{Hmac, Mac};
use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};

/// A sealed value could not be opened (wrong key or tampered).
#[derive(Debug, thiserror::Error)]
#[error("cannot decrypt value")]
pub struct UnsealError;

/// Encrypts with AES-256-GCM under a random 96-bit nonce; output is base64(nonce ‖ ciphertext).
pub fn seal(key: &[u8; 32], plaintext: &[u8]) -> String {
    data_encoding::BASE64.encode(&seal_bytes(key, plaintext))
}

/// Encrypts bytes with AES-256-GCM under a random 96-bit nonce; output is nonce ‖ ciphertext
/// (for file contents, where base64 would cost a third more space).
pub fn seal_bytes(key: &[u8; 32], plaintext: &[u8]) -> Vec<u8> {
    let cipher = Aes256Gcm::new(key.into());
    let mut nonce = [0u8; 12];
    rand::thread_rng().fill_bytes(&mut nonce);
    let mut out = nonce.to_vec();
    // Encryption with a valid key and in-memory buffers cannot fail.
    out.extend(cipher.encrypt(Nonce::from_slice(&nonce), plaintext).unwrap_or_default());
    out
}

/// Opens bytes made by [`seal_bytes`].
pub fn unseal_bytes(key: &[u8; 32], sealed: &[u8]) -> Result<Vec<u8>, UnsealError> {
    if sealed.len() < 12 + 16 {
        return Err(UnsealError);
    }
    let (nonce, ciphertext) = sealed.split_at(12);
    Aes256Gcm::new(key.into()).decrypt(Nonce::from_slice(nonce), ciphertext).map_err(|_| UnsealError)
}

/// Opens a value made by [`seal`].
pub fn unseal(key: &[u8; 32], sealed: &str) -> Result<Vec<u8>, UnsealError> {
    let bytes = data_encoding::BASE64.decode(sealed.as_bytes()).map_err(|_| UnsealError)?;
    unseal_bytes(key, &bytes)
}

/// Opens a value made by [`seal`] from a JSON serialisation and reads it back.
pub fn open_sealed_json<T: serde::de::DeserializeOwned>(
    key: &[u8; 32],
    sealed: &str,
) -> Result<T, UnsealError> {
    serde_json::from_slice(&unseal(key, sealed)?).map_err(|_| UnsealError)
}

/// SHA-256 hex of a high-entropy token (refresh tokens, recovery codes).
pub fn sha256_hex(value: &str) -> String {
    data_encoding::HEXLOWER.encode(&Sha256::digest(value.as_bytes()))
}

/// HMAC-SHA256 hex of a low-entropy code, keyed so a database leak does not reveal codes.
pub fn keyed_hash(key: &[u8; 32], context: &str, value: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(context.as_bytes());
    mac.update(&[0]);
    mac.update(value.as_bytes());
    data_encoding::HEXLOWER.encode(&mac.finalize().into_bytes())
}

/// A random URL-safe token of `bytes` random bytes.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut buf);
    data_encoding::BASE64URL_NOPAD.encode(&buf)
}

/// A random numeric code of `digits` digits (leading zeros kept).
pub fn random_digits(digits: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..digits).map(|_| char::from(b'0' + rng.gen_range(0..10u8))).collect()
}

/// Compares two strings in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_with_their_key() {
        let key = [7u8; 32];
        let sealed = seal(&key, b"110101199003074514");
        assert_eq!(unseal(&key, &sealed).expect("opens"), b"110101199003074514");
        assert!(unseal(&[8u8; 32], &sealed).is_err());
        assert_ne!(seal(&key, b"x"), seal(&key, b"x"), "nonces differ");
    }

    #[test]
    fn tampered_ciphertext_is_refused() {
        let key = [7u8; 32];
        let mut bytes = data_encoding::BASE64.decode(seal(&key, b"secret").as_bytes()).expect("b64");
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        assert!(unseal(&key, &data_encoding::BASE64.encode(&bytes)).is_err());
    }

    #[test]
    fn random_digits_have_the_requested_length() {
        let code = random_digits(6);
        assert_eq!(code.len(), 6);
        assert!(code.bytes().all(|b| b.is_ascii_digit()));
    }
}
