//! The operator's way to create staff: `gongzhu create-staff`. Runs with shell access to the
//! database (the trust root), so it needs no second approver; it is still audited.

use shared::account::Login;
use shared::dto::StaffRole;

use crate::auth::crypto::random_token;
use crate::auth::password::PasswordHashing;
use crate::config::Config;
use crate::db::models::audit::{self, AuditEvent};
use crate::db::models::staff::StaffRoleRow;
use crate::db::models::users::User;
use crate::db::{Db, now, write_tx};
use crate::error::ApiError;

type CliError = Box<dyn std::error::Error + Send + Sync>;

/// Grants `role` to the account with `login`, creating it first if needed. Returns the account id
/// and, for a new account, its one-time password.
pub fn create_staff(
    db: &Db,
    config: &Config,
    login: &str,
    role: &str,
    name: &str,
) -> Result<(String, Option<String>), CliError> {
    let role = StaffRole::parse(role).ok_or_else(|| {
        let all: Vec<&str> = StaffRole::ALL.iter().map(|r| r.as_str()).collect();
        format!("unknown role {role:?}; use one of {}", all.join(", "))
    })?;
    let login = shared::account::parse_login(login).map_err(|e| format!("{login}: {e}"))?;
    let display_name =
        shared::account::normalize_display_name(name).ok_or("the name must be 1–50 characters")?;
    let hashing = PasswordHashing::new(config).map_err(|e| e.to_string())?;
    let password = format!("Gz-{}", random_token(12));
    let hash = hashing.hash(&password).map_err(|e| e.to_string())?;
    let mut conn = db.get()?;
    let result = write_tx(&mut conn, |c| {
        let existing = crate::routes::auth::accounts::find_by_login(c, &login)?;
        let at = now();
        let (user_id, created) = match existing {
            Some(user) => (user.id, false),
            None => {
                let (email, phone) = match &login {
                    Login::Email(e) => (Some(e.clone()), None),
                    Login::Phone(p) => (None, Some(p.clone())),
                };
                let user = User::new_account(email, phone, hash.clone(), display_name.clone(), at);
                user.insert(c)?;
                // The one-time password is shown on a terminal: it must be replaced at first use.
                crate::db::models::sessions::PasswordChangeRequired::set(c, &user.id, at)?;
                (user.id, true)
            }
        };
        let granted =
            StaffRoleRow { user_id: user_id.clone(), role, granted_at: at, granted_by: "cli".into() }
                .grant(c)?;
        if !granted {
            let message = format!("the account already holds the role {}", role.as_str());
            return Err(ApiError::new(shared::error::ErrorCode::Conflict, message));
        }
        let event = AuditEvent {
            actor_user_id: None,
            actor_label: "cli",
            action: "staff.role_granted",
            subject_type: "user",
            subject_id: &user_id,
            details: serde_json::json!({ "role": role.as_str(), "account_created": created }),
            ip: None,
        };
        audit::append(c, &event, at)?;
        Ok::<_, ApiError>((user_id, created))
    })
    .map_err(|e| e.body().message.clone())?;
    Ok((result.0, result.1.then_some(password)))
}
