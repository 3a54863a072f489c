//! Checks of membership requests: assigning an advisor names a user.

use super::{Check, Checks, Invalid};
use crate::dto::AssignAdvisor;

impl Check for AssignAdvisor {
    type Valid = String;
    /// `user_id` `required` / `too_long` (at most 64 characters); gives the id trimmed.
    fn check(&self) -> Result<String, Invalid> {
        let mut checks = Checks::default();
        let user_id = checks.text("user_id", &self.user_id, 1, 64);
        checks.done(user_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_advisor_is_named_by_a_user_id() {
        assert_eq!(AssignAdvisor { user_id: " u-1 ".into() }.check().expect("valid"), "u-1");
        let blank = AssignAdvisor { user_id: "  ".into() }.check().expect_err("blank");
        assert_eq!((blank.0[0].field.as_str(), blank.0[0].issue.as_str()), ("user_id", "required"));
    }
}
