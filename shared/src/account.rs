//! Account input rules shared by the API and the SPA (so the form can tell a person at once):
//! e-mail and mainland mobile-number normalisation, the password policy, display names, masking.

use serde::{Deserialize, Serialize};

/// Longest password accepted (characters); argon2 input stays bounded.
pub const PASSWORD_MAX_CHARS: usize = 128;
/// Shortest password accepted (characters).
pub const PASSWORD_MIN_CHARS: usize = 10;
/// Longest display name (characters).
pub const DISPLAY_NAME_MAX_CHARS: usize = 50;
/// Longest e-mail address (RFC 5321 path limit).
pub const EMAIL_MAX_CHARS: usize = 254;

/// Why a password was refused. Each has a stable snake_case form used in error `details`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PasswordIssue {
    /// Fewer than [`PASSWORD_MIN_CHARS`] characters.
    TooShort,
    /// More than [`PASSWORD_MAX_CHARS`] characters.
    TooLong,
    /// Needs at least one letter and at least one digit.
    NeedsLetterAndDigit,
    /// One of the passwords every attacker tries first.
    TooCommon,
    /// Contains the person's own e-mail name or phone number.
    ContainsLogin,
}

impl PasswordIssue {
    /// Stable code for error details.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TooShort => "too_short",
            Self::TooLong => "too_long",
            Self::NeedsLetterAndDigit => "needs_letter_and_digit",
            Self::TooCommon => "too_common",
            Self::ContainsLogin => "contains_login",
        }
    }

    /// An English explanation (the SPA shows its own translation keyed by [`Self::as_str`]).
    pub fn message(self) -> &'static str {
        match self {
            Self::TooShort => "password must be at least 10 characters",
            Self::TooLong => "password must be at most 128 characters",
            Self::NeedsLetterAndDigit => "password needs at least one letter and one digit",
            Self::TooCommon => "password is too common; choose another",
            Self::ContainsLogin => "password must not contain your e-mail name or phone number",
        }
    }
}

/// Passwords (lower-cased, letters and digits only) that are refused outright. The length rule
/// already removes most of the well-known lists; these are the long ones seen in breach corpora.
const COMMON_PASSWORDS: &[&str] = &[
    "1234567890a",
    "a1234567890",
    "password123",
    "password1234",
    "qwertyuiop1",
    "qwerty123456",
    "1qaz2wsx3edc",
    "abc1234567",
    "abcd123456",
    "a123456789",
    "aa123456789",
    "woaini1314520",
    "iloveyou123",
    "admin123456",
    "zxcvbnm123",
    "qwer1234qwer",
    "p@ssw0rd123",
];

/// Checks a candidate password against the policy. `login_hints` are the person's e-mail and
/// phone (any may be empty); the password must not contain the e-mail's local part or the phone.
/// Returns every rule broken, so a form can show them all at once.
pub fn check_password(password: &str, login_hints: &[&str]) -> Result<(), Vec<PasswordIssue>> {
    let mut issues = Vec::new();
    let chars = password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        issues.push(PasswordIssue::TooShort);
    }
    if chars > PASSWORD_MAX_CHARS {
        issues.push(PasswordIssue::TooLong);
    }
    let has_letter = password.chars().any(char::is_alphabetic);
    let has_digit = password.chars().any(|c| c.is_ascii_digit());
    if !(has_letter && has_digit) {
        issues.push(PasswordIssue::NeedsLetterAndDigit);
    }
    let folded: String =
        password.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect();
    if COMMON_PASSWORDS.contains(&folded.as_str()) {
        issues.push(PasswordIssue::TooCommon);
    }
    let contains_login = login_hints.iter().any(|hint| {
        let name = hint.split('@').next().unwrap_or_default().to_lowercase();
        name.chars().count() >= 4 && folded.contains(&name)
    });
    if contains_login {
        issues.push(PasswordIssue::ContainsLogin);
    }
    if issues.is_empty() { Ok(()) } else { Err(issues) }
}

/// Why a login identifier was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ContactError {
    /// Not a plausible e-mail address.
    #[error("not a valid e-mail address")]
    InvalidEmail,
    /// Not a mainland China mobile number (11 digits starting 13–19, optional +86).
    #[error("not a valid mainland China mobile number")]
    InvalidPhone,
}

impl ContactError {
    /// Stable code for error details.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidEmail => "invalid_email",
            Self::InvalidPhone => "invalid_phone",
        }
    }
}

/// Normalises an e-mail address: trimmed, lower-cased, one `@`, a dotted domain, bounded length.
pub fn normalize_email(raw: &str) -> Result<String, ContactError> {
    let email = raw.trim().to_lowercase();
    let (local, domain) = email.split_once('@').ok_or(ContactError::InvalidEmail)?;
    let plausible = !local.is_empty()
        && local.len() <= 64
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !domain.contains('@')
        && email.chars().count() <= EMAIL_MAX_CHARS
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if plausible { Ok(email) } else { Err(ContactError::InvalidEmail) }
}

/// Normalises a mainland mobile number to its 11 digits, accepting spaces, dashes and a
/// `+86` / `86` / `0086` prefix.
pub fn normalize_phone(raw: &str) -> Result<String, ContactError> {
    let digits: String = raw.trim().chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let digits = digits
        .strip_prefix("+86")
        .or_else(|| digits.strip_prefix("0086"))
        .or_else(|| (digits.len() == 13).then(|| digits.strip_prefix("86")).flatten())
        .unwrap_or(&digits);
    let bytes = digits.as_bytes();
    let valid = bytes.len() == 11
        && bytes.iter().all(u8::is_ascii_digit)
        && bytes[0] == b'1'
        && (b'3'..=b'9').contains(&bytes[1]);
    if valid { Ok(digits.to_owned()) } else { Err(ContactError::InvalidPhone) }
}

/// What a login string is, once normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Login {
    /// A normalised e-mail address.
    Email(String),
    /// A normalised 11-digit mobile number.
    Phone(String),
}

/// Reads a login (e-mail or phone): anything with `@` is an e-mail.
pub fn parse_login(raw: &str) -> Result<Login, ContactError> {
    if raw.contains('@') {
        normalize_email(raw).map(Login::Email)
    } else {
        normalize_phone(raw).map(Login::Phone)
    }
}

/// Trims a display name and checks it is 1–50 characters without control characters.
pub fn normalize_display_name(raw: &str) -> Option<String> {
    let name = raw.trim();
    let count = name.chars().count();
    ((1..=DISPLAY_NAME_MAX_CHARS).contains(&count) && !name.chars().any(char::is_control))
        .then(|| name.to_owned())
}

/// Masks a phone number for display: `138****5678`.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() < 7 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

/// Masks an e-mail address for display: `z***@example.com`.
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("gongzhu2026build", true)]
    #[case("施工管理2026年度", true)]
    #[case("short1", false)]
    #[case("onlylettersinhere", false)]
    #[case("12345678901234", false)]
    #[case("Password123", false)]
    fn password_policy_accepts_long_mixed_passwords(#[case] password: &str, #[case] ok: bool) {
        assert_eq!(check_password(password, &[]).is_ok(), ok, "{password}");
    }

    #[test]
    fn password_policy_reports_every_broken_rule_at_once() {
        let issues = check_password("abc", &[]).expect_err("refused");
        assert_eq!(issues, vec![PasswordIssue::TooShort, PasswordIssue::NeedsLetterAndDigit]);
    }

    #[test]
    fn password_longer_than_128_characters_is_refused() {
        let long = format!("a1{}", "x".repeat(127));
        assert!(check_password(&long, &[]).expect_err("refused").contains(&PasswordIssue::TooLong));
    }

    #[test]
    fn password_must_not_contain_the_login() {
        let issues = check_password("zhangwei2026x", &["zhangwei@example.com"]).expect_err("refused");
        assert_eq!(issues, vec![PasswordIssue::ContainsLogin]);
        let issues = check_password("x13812345678", &["13812345678"]).expect_err("refused");
        assert_eq!(issues, vec![PasswordIssue::ContainsLogin]);
    }

    #[rstest]
    #[case(" Zhang.Wei@Example.COM ", Some("zhang.wei@example.com"))]
    #[case("a@b.cn", Some("a@b.cn"))]
    #[case("no-at-sign.com", None)]
    #[case("a@nodot", None)]
    #[case("a@@b.cn", None)]
    #[case("a b@c.cn", None)]
    #[case("a@b..cn", None)]
    fn email_is_normalised_or_refused(#[case] raw: &str, #[case] expected: Option<&str>) {
        assert_eq!(normalize_email(raw).ok().as_deref(), expected);
    }

    #[rstest]
    #[case("13812345678", Some("13812345678"))]
    #[case("+86 138-1234-5678", Some("13812345678"))]
    #[case("8613812345678", Some("13812345678"))]
    #[case("008613812345678", Some("13812345678"))]
    #[case("12812345678", None)]
    #[case("1381234567", None)]
    #[case("1381234567a", None)]
    fn mainland_mobile_is_normalised_or_refused(#[case] raw: &str, #[case] expected: Option<&str>) {
        assert_eq!(normalize_phone(raw).ok().as_deref(), expected);
    }

    #[test]
    fn login_with_at_sign_is_an_email_otherwise_a_phone() {
        assert_eq!(parse_login("A@b.cn"), Ok(Login::Email("a@b.cn".into())));
        assert_eq!(parse_login("13912345678"), Ok(Login::Phone("13912345678".into())));
    }

    #[rstest]
    #[case("  张伟 ", Some("张伟"))]
    #[case("", None)]
    #[case("   ", None)]
    #[case("a\u{7}b", None)]
    fn display_name_is_trimmed_and_bounded(#[case] raw: &str, #[case] expected: Option<&str>) {
        assert_eq!(normalize_display_name(raw).as_deref(), expected);
        assert!(normalize_display_name(&"名".repeat(51)).is_none());
    }

    #[test]
    fn masks_hide_the_middle() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_email("zhangwei@example.com"), "z***@example.com");
    }
}
