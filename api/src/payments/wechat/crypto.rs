//! WeChat Pay API v3's cryptography: the strings that are signed, RSA-SHA256 (PKCS#1 v1.5)
//! signing with the merchant key and verification with WeChat Pay's public key, keys read from
//! PEM (PKCS#8 private keys; SPKI public keys, PKCS#1 public keys or an X.509 platform
//! certificate), and AES-256-GCM decryption of a notification's resource with the API v3 key.

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use data_encoding::BASE64;
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256, RsaKeyPair, UnparsedPublicKey};

/// A key or message could not be read, signed or verified.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// Not the PEM expected.
    #[error("not a PEM {0}")]
    Pem(&'static str),
    /// The key is not a usable RSA key.
    #[error("not a usable RSA key: {0}")]
    Key(String),
    /// Signing failed.
    #[error("signing failed")]
    Sign,
    /// The signature does not verify.
    #[error("the signature does not verify")]
    BadSignature,
    /// The resource does not decrypt (wrong key, tampered, bad nonce).
    #[error("the resource does not decrypt")]
    Undecryptable,
}

/// The string a request's `Authorization` signature covers:
/// `METHOD\nURL_PATH\nTIMESTAMP\nNONCE\nBODY\n` (the path with its query; an empty body for GET).
pub fn request_message(method: &str, url_path: &str, timestamp: i64, nonce: &str, body: &str) -> String {
    format!("{method}\n{url_path}\n{timestamp}\n{nonce}\n{body}\n")
}

/// The string a response's or notification's `Wechatpay-Signature` covers:
/// `TIMESTAMP\nNONCE\nBODY\n` (the body exactly as received).
pub fn response_message(timestamp: &str, nonce: &str, body: &[u8]) -> Vec<u8> {
    let mut message = format!("{timestamp}\n{nonce}\n").into_bytes();
    message.extend_from_slice(body);
    message.push(b'\n');
    message
}

/// The DER inside a PEM block labelled `label`.
fn pem_der(pem: &str, label: &'static str) -> Result<Vec<u8>, CryptoError> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = pem.find(&begin).ok_or(CryptoError::Pem(label))? + begin.len();
    let stop = pem[start..].find(&end).ok_or(CryptoError::Pem(label))? + start;
    let b64: String = pem[start..stop].chars().filter(|c| !c.is_ascii_whitespace()).collect();
    BASE64.decode(b64.as_bytes()).map_err(|_| CryptoError::Pem(label))
}

/// One DER element: its tag, its content and what follows it.
fn der_element(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n].iter().fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

/// The PKCS#1 `RSAPublicKey` inside a `SubjectPublicKeyInfo`.
fn spki_rsa_key(spki: &[u8]) -> Option<&[u8]> {
    let (0x30, content, _) = der_element(spki)? else { return None };
    let (0x30, _algorithm, rest) = der_element(content)? else { return None };
    let (0x03, bits, _) = der_element(rest)? else { return None };
    bits.split_first().filter(|(unused, _)| **unused == 0).map(|(_, key)| key)
}

/// The `SubjectPublicKeyInfo` of an X.509 certificate.
fn certificate_spki(certificate: &[u8]) -> Option<&[u8]> {
    let (0x30, content, _) = der_element(certificate)? else { return None };
    let (0x30, tbs, _) = der_element(content)? else { return None };
    let mut rest = tbs;
    if rest.first() == Some(&0xa0) {
        rest = der_element(rest)?.2;
    }
    // serialNumber, signature, issuer, validity, subject; then the key.
    for _ in 0..5 {
        rest = der_element(rest)?.2;
    }
    let (_, _, after) = der_element(rest)?;
    Some(&rest[..rest.len() - after.len()])
}

/// WeChat Pay's public key as PKCS#1 DER, from a `PUBLIC KEY` (SPKI, 微信支付公钥), an
/// `RSA PUBLIC KEY` (PKCS#1) or a `CERTIFICATE` (platform certificate) PEM.
pub fn public_key_from_pem(pem: &str) -> Result<Vec<u8>, CryptoError> {
    let key = if pem.contains("BEGIN PUBLIC KEY") {
        spki_rsa_key(&pem_der(pem, "PUBLIC KEY")?).map(<[u8]>::to_vec)
    } else if pem.contains("BEGIN RSA PUBLIC KEY") {
        Some(pem_der(pem, "RSA PUBLIC KEY")?)
    } else {
        let der = pem_der(pem, "CERTIFICATE")?;
        certificate_spki(&der).and_then(spki_rsa_key).map(<[u8]>::to_vec)
    };
    key.ok_or_else(|| CryptoError::Key("no RSA public key in the PEM".into()))
}

/// The merchant's private key from a PKCS#8 `PRIVATE KEY` PEM (`apiclient_key.pem`).
pub fn private_key_from_pem(pem: &str) -> Result<RsaKeyPair, CryptoError> {
    let der = pem_der(pem, "PRIVATE KEY")?;
    RsaKeyPair::from_pkcs8(&der).map_err(|e| CryptoError::Key(e.to_string()))
}

/// RSA-SHA256 (PKCS#1 v1.5) signature of `message`, base64.
pub fn sign(key: &RsaKeyPair, message: &[u8]) -> Result<String, CryptoError> {
    let mut signature = vec![0; key.public().modulus_len()];
    key.sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), message, &mut signature)
        .map_err(|_| CryptoError::Sign)?;
    Ok(BASE64.encode(&signature))
}

/// Verifies a base64 RSA-SHA256 signature of `message` with a PKCS#1 public key.
pub fn verify(public_key: &[u8], message: &[u8], signature_b64: &str) -> Result<(), CryptoError> {
    let signature = BASE64.decode(signature_b64.trim().as_bytes()).map_err(|_| CryptoError::BadSignature)?;
    UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, public_key)
        .verify(message, &signature)
        .map_err(|_| CryptoError::BadSignature)
}

/// Decrypts a notification resource (`AEAD_AES_256_GCM`): the base64 `ciphertext` (with its
/// 16-byte tag), the 12-character `nonce` and the `associated_data`, with the API v3 key.
pub fn decrypt(
    api_v3_key: &[u8],
    nonce: &str,
    associated_data: &str,
    ciphertext_b64: &str,
) -> Result<Vec<u8>, CryptoError> {
    let cipher = Aes256Gcm::new_from_slice(api_v3_key).map_err(|_| CryptoError::Undecryptable)?;
    if nonce.len() != 12 {
        return Err(CryptoError::Undecryptable);
    }
    let ciphertext = BASE64.decode(ciphertext_b64.as_bytes()).map_err(|_| CryptoError::Undecryptable)?;
    cipher
        .decrypt(
            Nonce::from_slice(nonce.as_bytes()),
            Payload { msg: &ciphertext, aad: associated_data.as_bytes() },
        )
        .map_err(|_| CryptoError::Undecryptable)
}

/// A random 32-character nonce for a request.
pub fn nonce() -> String {
    use rand::Rng;
    rand::thread_rng().sample_iter(rand::distributions::Alphanumeric).take(32).map(char::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MERCHANT_KEY: &str = include_str!("../../../../tests/fixtures/wechatpay/merchant_key.pem");
    const MERCHANT_PUBLIC: &str = include_str!("../../../../tests/fixtures/wechatpay/merchant_public.pem");
    const PLATFORM_PUBLIC: &str = include_str!("../../../../tests/fixtures/wechatpay/platform_public.pem");

    #[test]
    fn the_request_signature_string_ends_every_line_with_a_newline() {
        let body = r#"{"appid":"wx1"}"#;
        assert_eq!(
            request_message("POST", "/v3/pay/transactions/native", 1_554_208_460, "593BEC0C", body),
            "POST\n/v3/pay/transactions/native\n1554208460\n593BEC0C\n{\"appid\":\"wx1\"}\n"
        );
        assert_eq!(response_message("1554209980", "c5ac7061", b"{}"), b"1554209980\nc5ac7061\n{}\n");
    }

    #[test]
    fn a_signature_of_the_merchant_key_verifies_with_its_public_key_and_only_for_its_message() {
        let key = private_key_from_pem(MERCHANT_KEY).expect("merchant key");
        let public = public_key_from_pem(MERCHANT_PUBLIC).expect("spki");
        assert_eq!(public, key.public().as_ref(), "the SPKI unwraps to the key pair's PKCS#1 key");
        let signature = sign(&key, b"message\n").expect("signed");
        verify(&public, b"message\n", &signature).expect("verifies");
        assert_eq!(verify(&public, b"messagE\n", &signature), Err(CryptoError::BadSignature));
        let other = public_key_from_pem(PLATFORM_PUBLIC).expect("platform key");
        assert_eq!(verify(&other, b"message\n", &signature), Err(CryptoError::BadSignature));
        assert_eq!(verify(&public, b"message\n", "not base64!"), Err(CryptoError::BadSignature));
    }

    #[test]
    fn a_resource_decrypts_with_the_api_v3_key_and_its_associated_data_only() {
        let key = b"0123456789abcdef0123456789abcdef";
        let cipher = Aes256Gcm::new_from_slice(key).expect("key");
        let sealed = cipher
            .encrypt(Nonce::from_slice(b"nonce0123456"), Payload { msg: b"{\"a\":1}", aad: b"transaction" })
            .expect("sealed");
        let ciphertext = BASE64.encode(&sealed);
        assert_eq!(decrypt(key, "nonce0123456", "transaction", &ciphertext).expect("opens"), b"{\"a\":1}");
        let wrong_key = b"0123456789abcdef0123456789abcdeX";
        assert_eq!(
            decrypt(wrong_key, "nonce0123456", "transaction", &ciphertext),
            Err(CryptoError::Undecryptable)
        );
        assert_eq!(decrypt(key, "nonce0123456", "refund", &ciphertext), Err(CryptoError::Undecryptable));
        assert_eq!(decrypt(key, "short", "transaction", &ciphertext), Err(CryptoError::Undecryptable));
        let mut tampered = sealed.clone();
        tampered[0] ^= 1;
        assert_eq!(
            decrypt(key, "nonce0123456", "transaction", &BASE64.encode(&tampered)),
            Err(CryptoError::Undecryptable)
        );
    }

    #[test]
    fn a_platform_certificate_gives_the_same_key_as_the_public_key_pem() {
        let certificate = include_str!("../../../../tests/fixtures/wechatpay/platform_cert.pem");
        assert_eq!(
            public_key_from_pem(certificate).expect("certificate"),
            public_key_from_pem(PLATFORM_PUBLIC).expect("spki")
        );
    }

    #[test]
    fn garbage_is_not_a_key() {
        assert!(public_key_from_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----").is_err());
        assert!(private_key_from_pem(MERCHANT_PUBLIC).is_err());
        assert!(public_key_from_pem("hello").is_err());
    }
}
