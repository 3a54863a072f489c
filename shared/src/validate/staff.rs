//! Checks of the staff console's requests: a dual-control request names what its action needs
//! and nothing else, with a reason; turning a request down needs a reason.

use super::{Check, Checks, Invalid};
use crate::dto::{CreateStaffRequest, DualControlAction, StaffDecisionRequest};

/// Longest reason a staff member may give.
pub const MAX_REASON_CHARS: usize = 1000;

impl Check for CreateStaffRequest {
    /// The reason, trimmed.
    type Valid = String;
    /// Role grants and revocations name an account (`target_user_id`) and a `role`, and no
    /// organisation; suspensions and lifting them name an organisation (`org_id`) and no account
    /// or role (`not_for_this_action`), and so do credit overrides and lifting them; an override
    /// names the `grade`, and only it; escrow releases name a `contract_id` and a `milestone`
    /// and nothing else; only they name a contract; the `reason` is required. Whether the account or the
    /// organisation exists, and whether the action makes sense now, is the API's check.
    fn check(&self) -> Result<String, Invalid> {
        let mut checks = Checks::default();
        let given = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
        match self.action {
            DualControlAction::GrantRole | DualControlAction::RevokeRole => {
                if given(&self.org_id) {
                    checks.issue("org_id", "not_for_this_action");
                }
                if !given(&self.target_user_id) {
                    checks.issue("target_user_id", "required");
                }
                if self.role.is_none() {
                    checks.issue("role", "required");
                }
            }
            DualControlAction::SuspendOrganisation
            | DualControlAction::LiftSuspension
            | DualControlAction::OverrideCreditGrade
            | DualControlAction::LiftCreditOverride => {
                if given(&self.target_user_id) || self.role.is_some() {
                    checks.issue("target_user_id", "not_for_this_action");
                }
                if !given(&self.org_id) {
                    checks.issue("org_id", "required");
                }
            }
            DualControlAction::ReleaseEscrow => {
                if given(&self.target_user_id) || self.role.is_some() || given(&self.org_id) {
                    checks.issue("target_user_id", "not_for_this_action");
                }
                if !given(&self.contract_id) {
                    checks.issue("contract_id", "required");
                }
                if self.milestone.is_none() {
                    checks.issue("milestone", "required");
                }
            }
        }
        if self.action != DualControlAction::ReleaseEscrow
            && (given(&self.contract_id) || self.milestone.is_some())
        {
            checks.issue("contract_id", "not_for_this_action");
        }
        match (self.action, self.grade) {
            (DualControlAction::OverrideCreditGrade, None) => checks.issue("grade", "required"),
            (DualControlAction::OverrideCreditGrade, Some(_)) | (_, None) => {}
            (_, Some(_)) => checks.issue("grade", "not_for_this_action"),
        }
        let reason = checks.text("reason", &self.reason, 1, MAX_REASON_CHARS);
        checks.done(reason)
    }
}

impl StaffDecisionRequest {
    /// The reason, trimmed: required to turn a request down, optional to approve it.
    pub fn check_decision(&self, approve: bool) -> Result<Option<String>, Invalid> {
        let mut checks = Checks::default();
        let reason = checks.optional_text("reason", self.reason.as_deref(), MAX_REASON_CHARS);
        if !approve && reason.is_none() {
            checks.issue("reason", "required");
        }
        checks.done(reason)
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;
    use crate::dto::StaffRole;

    fn request(
        action: DualControlAction,
        user: Option<&str>,
        role: Option<StaffRole>,
        org: Option<&str>,
    ) -> CreateStaffRequest {
        CreateStaffRequest {
            action,
            target_user_id: user.map(str::to_owned),
            role,
            org_id: org.map(str::to_owned),
            contract_id: None,
            milestone: None,
            grade: None,
            reason: " 新同事入职 ".into(),
        }
    }

    fn codes(result: Result<String, Invalid>) -> Vec<(String, String)> {
        result.expect_err("refused").0.into_iter().map(|i| (i.field, i.issue)).collect()
    }

    #[test]
    fn a_complete_request_gives_its_trimmed_reason() {
        let body = request(DualControlAction::GrantRole, Some("u1"), Some(StaffRole::Reviewer), None);
        assert_eq!(body.check().expect("valid"), "新同事入职");
        let body = request(DualControlAction::SuspendOrganisation, None, None, Some("o1"));
        assert!(body.check().is_ok());
    }

    #[rstest]
    #[case(DualControlAction::GrantRole, None, Some(StaffRole::Reviewer), None, &[("target_user_id", "required")])]
    #[case(DualControlAction::RevokeRole, Some("u1"), None, None, &[("role", "required")])]
    #[case(DualControlAction::GrantRole, Some("u1"), Some(StaffRole::Admin), Some("o1"), &[("org_id", "not_for_this_action")])]
    #[case(DualControlAction::SuspendOrganisation, None, None, Some(" "), &[("org_id", "required")])]
    #[case(DualControlAction::LiftSuspension, Some("u1"), None, Some("o1"), &[("target_user_id", "not_for_this_action")])]
    fn a_request_names_what_its_action_needs(
        #[case] action: DualControlAction,
        #[case] user: Option<&str>,
        #[case] role: Option<StaffRole>,
        #[case] org: Option<&str>,
        #[case] want: &[(&str, &str)],
    ) {
        let want: Vec<(String, String)> = want.iter().map(|(f, i)| ((*f).into(), (*i).into())).collect();
        assert_eq!(codes(request(action, user, role, org).check()), want);
    }

    #[test]
    fn an_escrow_release_names_the_contract_and_milestone_only() {
        let release =
            |contract: Option<&str>, milestone: Option<u32>, org: Option<&str>| CreateStaffRequest {
                contract_id: contract.map(str::to_owned),
                milestone,
                ..request(DualControlAction::ReleaseEscrow, None, None, org)
            };
        assert!(release(Some("c1"), Some(1), None).check().is_ok());
        assert_eq!(
            codes(release(None, None, Some("o1")).check()),
            [
                ("target_user_id", "not_for_this_action"),
                ("contract_id", "required"),
                ("milestone", "required")
            ]
            .map(|(f, i)| (f.to_owned(), i.to_owned()))
        );
        let suspension = CreateStaffRequest {
            contract_id: Some("c1".into()),
            ..request(DualControlAction::SuspendOrganisation, None, None, Some("o1"))
        };
        assert_eq!(
            codes(suspension.check()),
            vec![("contract_id".to_owned(), "not_for_this_action".to_owned())]
        );
    }

    #[test]
    fn a_credit_override_names_the_organisation_and_the_grade_and_only_it_names_a_grade() {
        use crate::domain::credit::CreditGrade;
        let with_grade =
            |action, grade| CreateStaffRequest { grade, ..request(action, None, None, Some("o1")) };
        assert!(with_grade(DualControlAction::OverrideCreditGrade, Some(CreditGrade::B)).check().is_ok());
        assert!(with_grade(DualControlAction::LiftCreditOverride, None).check().is_ok());
        assert_eq!(
            codes(with_grade(DualControlAction::OverrideCreditGrade, None).check()),
            vec![("grade".to_owned(), "required".to_owned())]
        );
        assert_eq!(
            codes(with_grade(DualControlAction::SuspendOrganisation, Some(CreditGrade::C)).check()),
            vec![("grade".to_owned(), "not_for_this_action".to_owned())]
        );
        let no_reason = CreateStaffRequest {
            reason: String::new(),
            ..with_grade(DualControlAction::OverrideCreditGrade, Some(CreditGrade::Aa))
        };
        assert_eq!(codes(no_reason.check()), vec![("reason".to_owned(), "required".to_owned())]);
    }

    #[test]
    fn a_reason_is_required() {
        let body = CreateStaffRequest {
            reason: "  ".into(),
            ..request(DualControlAction::SuspendOrganisation, None, None, Some("o1"))
        };
        assert_eq!(codes(body.check()), vec![("reason".to_owned(), "required".to_owned())]);
    }

    #[rstest]
    #[case(true, None, Ok(None))]
    #[case(false, Some(" "), Err(()))]
    #[case(false, None, Err(()))]
    #[case(false, Some(" 材料不全 "), Ok(Some("材料不全")))]
    fn turning_down_needs_a_reason(
        #[case] approve: bool,
        #[case] reason: Option<&str>,
        #[case] want: Result<Option<&str>, ()>,
    ) {
        let body = StaffDecisionRequest { reason: reason.map(str::to_owned) };
        match want {
            Ok(reason) => assert_eq!(body.check_decision(approve).expect("valid").as_deref(), reason),
            Err(()) => assert!(body.check_decision(approve).is_err()),
        }
    }
}
