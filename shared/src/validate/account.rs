//! Checks of the account requests: registration, the profile, a password change and a password
//! reset. The rules themselves (contacts, the password policy, display names) are
//! `crate::account`; here they are applied to whole requests with the API's field names.

use super::{Check, Checks, Invalid};
use crate::account::{self, Login, PasswordIssue};
use crate::dto::{ChangePasswordRequest, PasswordResetRequest, RegisterRequest, UpdateProfileRequest};

/// A registration after its check: normalised contacts (at least one) and display name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub display_name: String,
}

impl Check for RegisterRequest {
    type Valid = Registration;
    /// Contacts (`email` / `phone`: their format codes, or `email_or_phone_required`), the password
    /// policy against them (`password`), the display name (`invalid_length`) and consent
    /// (`accept_privacy`: `consent_required`).
    fn check(&self) -> Result<Registration, Invalid> {
        let mut checks = Checks::default();
        let given = |value: &Option<String>| value.clone().filter(|s| !s.trim().is_empty());
        let email = given(&self.email).map(|e| account::normalize_email(&e)).transpose();
        let phone = given(&self.phone).map(|p| account::normalize_phone(&p)).transpose();
        if let Err(e) = &email {
            checks.issue("email", e.as_str());
        }
        if let Err(e) = &phone {
            checks.issue("phone", e.as_str());
        }
        let (email, phone) = (email.unwrap_or_default(), phone.unwrap_or_default());
        if email.is_none()
            && phone.is_none()
            && self.email.iter().chain(&self.phone).all(|s| s.trim().is_empty())
        {
            checks.issue("email", "email_or_phone_required");
        }
        let hints: Vec<&str> = [email.as_deref(), phone.as_deref()].into_iter().flatten().collect();
        password(&mut checks, "password", &self.password, &hints);
        let display_name = display_name(&mut checks, &self.display_name);
        if !self.accept_privacy {
            checks.issue("accept_privacy", "consent_required");
        }
        checks.done(Registration { email, phone, display_name })
    }
}

impl Check for UpdateProfileRequest {
    /// The new display name, trimmed (none: unchanged).
    type Valid = Option<String>;
    fn check(&self) -> Result<Option<String>, Invalid> {
        let mut checks = Checks::default();
        let name = self.display_name.as_deref().map(|raw| display_name(&mut checks, raw));
        checks.done(name)
    }
}

impl ChangePasswordRequest {
    /// The new password against the policy and the account's own contacts (`hints`).
    pub fn check_for(&self, hints: &[&str]) -> Result<(), Invalid> {
        let mut checks = Checks::default();
        password(&mut checks, "new_password", &self.new_password, hints);
        checks.finish()
    }
}

impl Check for PasswordResetRequest {
    /// The account's login, parsed; the new password is checked against it.
    type Valid = Login;
    fn check(&self) -> Result<Login, Invalid> {
        let mut checks = Checks::default();
        let login = account::parse_login(&self.login);
        match &login {
            Ok(Login::Email(hint) | Login::Phone(hint)) => {
                password(&mut checks, "new_password", &self.new_password, &[hint]);
            }
            Err(e) => checks.issue("login", e.as_str()),
        }
        match login {
            Ok(login) => checks.done(login),
            Err(_) => Err(checks.finish().expect_err("the login issue is recorded")),
        }
    }
}

/// Every broken rule of the password policy, on `field`.
fn password(checks: &mut Checks, field: &str, password: &str, hints: &[&str]) {
    if let Err(issues) = account::check_password(password, hints) {
        for issue in issues {
            checks.issue(field, PasswordIssue::as_str(issue));
        }
    }
}

/// A display name of 1–50 characters without control characters (`invalid_length`).
fn display_name(checks: &mut Checks, raw: &str) -> String {
    account::normalize_display_name(raw).unwrap_or_else(|| {
        checks.issue("display_name", "invalid_length");
        String::new()
    })
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    fn register(email: Option<&str>, phone: Option<&str>, password: &str, name: &str) -> RegisterRequest {
        RegisterRequest {
            email: email.map(str::to_owned),
            phone: phone.map(str::to_owned),
            password: password.into(),
            display_name: name.into(),
            accept_privacy: true,
            session_cookie: None,
            referral_code: None,
        }
    }

    fn codes(invalid: Invalid) -> Vec<(String, String)> {
        invalid.0.into_iter().map(|i| (i.field, i.issue)).collect()
    }

    #[test]
    fn a_registration_is_normalised() {
        let valid = register(Some(" Li@Example.COM "), Some("+86 138 0013 8000"), "gongzhu-2026", " 李工 ")
            .check()
            .expect("valid");
        assert_eq!(valid.email.as_deref(), Some("li@example.com"));
        assert_eq!(valid.phone.as_deref(), Some("13800138000"));
        assert_eq!(valid.display_name, "李工");
    }

    #[rstest]
    #[case(None, None, "gongzhu-2026", "李工", &[("email", "email_or_phone_required")])]
    #[case(Some("  "), Some(""), "gongzhu-2026", "李工", &[("email", "email_or_phone_required")])]
    #[case(Some("not-an-email"), None, "gongzhu-2026", "李工", &[("email", "invalid_email")])]
    #[case(None, Some("12345"), "gongzhu-2026", "李工", &[("phone", "invalid_phone")])]
    #[case(Some("li@example.com"), None, "gongzhu-2026", "  ", &[("display_name", "invalid_length")])]
    fn a_registration_names_each_problem(
        #[case] email: Option<&str>,
        #[case] phone: Option<&str>,
        #[case] password: &str,
        #[case] name: &str,
        #[case] want: &[(&str, &str)],
    ) {
        let got = codes(register(email, phone, password, name).check().expect_err("refused"));
        let want: Vec<(String, String)> = want.iter().map(|(f, i)| ((*f).into(), (*i).into())).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_weak_password_and_missing_consent_are_named_together() {
        let body = RegisterRequest {
            accept_privacy: false,
            ..register(Some("li@example.com"), None, "short", "李工")
        };
        let got = codes(body.check().expect_err("refused"));
        assert!(got.iter().any(|(f, _)| f == "password"));
        assert!(got.contains(&("accept_privacy".into(), "consent_required".into())));
    }

    #[test]
    fn a_profile_update_checks_only_what_it_changes() {
        assert_eq!(UpdateProfileRequest { display_name: None }.check(), Ok(None));
        let long = UpdateProfileRequest { display_name: Some("名".repeat(51)) };
        assert_eq!(
            codes(long.check().expect_err("refused")),
            vec![("display_name".into(), "invalid_length".into())]
        );
    }

    #[test]
    fn a_new_password_may_not_contain_the_accounts_contact() {
        let body =
            ChangePasswordRequest { current_password: "x".into(), new_password: "13800138000a".into() };
        assert!(body.check_for(&["13800138000"]).is_err());
        assert!(body.check_for(&["li@example.com"]).is_ok());
    }

    #[test]
    fn a_reset_names_a_bad_login_alone() {
        let body =
            PasswordResetRequest { login: "nobody".into(), code: "123456".into(), new_password: "x".into() };
        assert_eq!(codes(body.check().expect_err("refused")), vec![("login".into(), "invalid_phone".into())]);
    }
}
