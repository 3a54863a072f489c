//! TOTP (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), plus recovery-code generation.
//! Codes are accepted for the current step and one step either side (clock drift); the caller
//! records the step used so a code cannot be replayed.

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha1::Sha1;

/// Seconds per TOTP step.
pub const STEP_SECS: i64 = 30;
/// Recovery codes handed out at enrolment.
pub const RECOVERY_CODE_COUNT: usize = 10;

/// A new random 160-bit secret, base32 without padding.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::thread_rng().fill_bytes(&mut bytes);
    data_encoding::BASE32_NOPAD.encode(&bytes)
}

/// The `otpauth://` URI authenticator apps scan.
pub fn otpauth_uri(secret: &str, account: &str, issuer: &str) -> String {
    let label = percent_encode(&format!("{issuer}:{account}"));
    let issuer = percent_encode(issuer);
    format!("otpauth://totp/{label}?secret={secret}&issuer={issuer}&algorithm=SHA1&digits=6&period=30")
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The code for a time step, or `None` if the secret is not valid base32.
pub fn code_for_step(secret_b32: &str, step: i64) -> Option<String> {
    let key = data_encoding::BASE32_NOPAD.decode(secret_b32.as_bytes()).ok()?;
    let mut mac = <Hmac<Sha1> as Mac>::new_from_slice(&key).ok()?;
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[19] & 0x0f);
    let binary = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    Some(format!("{:06}", binary % 1_000_000))
}

/// The time step of a Unix time.
pub fn step_at(unix_secs: i64) -> i64 {
    unix_secs.div_euclid(STEP_SECS)
}

/// The step (current ±1) whose code equals `code`, if any.
pub fn matching_step(secret_b32: &str, code: &str, unix_secs: i64) -> Option<i64> {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = step_at(unix_secs);
    [now - 1, now, now + 1].into_iter().find(|&step| {
        code_for_step(secret_b32, step)
            .is_some_and(|expected| crate::auth::crypto::constant_time_eq(&expected, code))
    })
}

/// Ten recovery codes like `k3m9-x2pq`, from an alphabet without look-alike characters.
pub fn new_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::thread_rng();
    (0..RECOVERY_CODE_COUNT)
        .map(|_| {
            let mut bytes = [0u8; 8];
            rng.fill_bytes(&mut bytes);
            let chars: String =
                bytes.iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect();
            format!("{}-{}", &chars[..4], &chars[4..])
        })
        .collect()
}

/// Normalises a typed recovery code (case, spaces) before hashing.
pub fn normalize_recovery_code(code: &str) -> String {
    code.trim().to_ascii_lowercase().replace(' ', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 Appendix B test vectors (SHA-1 seed "12345678901234567890"), last six digits.
    #[test]
    fn codes_match_the_rfc_6238_vectors() {
        let secret = data_encoding::BASE32_NOPAD.encode(b"12345678901234567890");
        for (time, expected) in
            [(59, "287082"), (1_111_111_109, "081804"), (1_234_567_890, "005924"), (2_000_000_000, "279037")]
        {
            assert_eq!(code_for_step(&secret, step_at(time)).as_deref(), Some(expected), "t={time}");
        }
    }

    #[test]
    fn neighbouring_steps_are_accepted_others_are_not() {
        let secret = new_secret();
        let now = 1_700_000_000;
        let previous = code_for_step(&secret, step_at(now) - 1).expect("code");
        assert_eq!(matching_step(&secret, &previous, now), Some(step_at(now) - 1));
        let old = code_for_step(&secret, step_at(now) - 3).expect("code");
        assert_ne!(matching_step(&secret, &old, now), Some(step_at(now) - 3));
        assert_eq!(matching_step(&secret, "12345", now), None);
    }

    #[test]
    fn uri_names_issuer_and_account() {
        let uri = otpauth_uri("ABC", "zhang@example.com", "共筑");
        assert!(uri.starts_with("otpauth://totp/%E5%85%B1%E7%AD%91%3Azhang@example.com?secret=ABC"), "{uri}");
    }

    #[test]
    fn recovery_codes_are_ten_distinct_codes() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        let unique: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), 10);
        assert!(codes.iter().all(|c| c.len() == 9 && c.as_bytes()[4] == b'-'));
    }
}
