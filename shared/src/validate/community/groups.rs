//! Checks of a group's settings, joining it (against the group's nickname format and
//! questionnaire), deciding an application, inviting and changing roles.

use super::super::{Check, Checks, Invalid};
use crate::account::{Login, parse_login};
use crate::domain::community::groups::{GroupRole, check_nickname};
use crate::dto::{
    ApplyToGroupRequest, ChangeGroupRoleRequest, CreateGroupRequest, DecideApplicationRequest, FieldIssue,
    InviteToGroupRequest, QuestionnaireItem, UpdateGroupRequest,
};

/// A new group's fields, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupFields {
    pub name: String,
    pub description: String,
    pub rules: String,
    pub nickname_format: Option<String>,
    pub questionnaire: Vec<QuestionnaireItem>,
    pub banned_words: Vec<String>,
}

impl Check for CreateGroupRequest {
    type Valid = GroupFields;
    fn check(&self) -> Result<GroupFields, Invalid> {
        let mut checks = Checks::default();
        let fields = GroupFields {
            name: checks.text("name", &self.name, 2, 60),
            description: checks.text("description", &self.description, 0, 2000),
            rules: checks.text("rules", &self.rules, 0, 5000),
            nickname_format: checks.optional_text("nickname_format", self.nickname_format.as_deref(), 40),
            questionnaire: questionnaire(&mut checks, &self.questionnaire),
            banned_words: banned_words(&mut checks, &self.banned_words),
        };
        checks.done(fields)
    }
}

/// The changes of a group's settings, checked; `None` leaves a setting as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupChanges {
    pub description: Option<String>,
    pub rules: Option<String>,
    /// `Some(None)` removes the nickname rule (an empty format was sent).
    pub nickname_format: Option<Option<String>>,
    pub questionnaire: Option<Vec<QuestionnaireItem>>,
    pub banned_words: Option<Vec<String>>,
}

impl Check for UpdateGroupRequest {
    type Valid = GroupChanges;
    fn check(&self) -> Result<GroupChanges, Invalid> {
        let mut checks = Checks::default();
        let changes = GroupChanges {
            description: self.description.as_deref().map(|d| checks.text("description", d, 0, 2000)),
            rules: self.rules.as_deref().map(|r| checks.text("rules", r, 0, 5000)),
            nickname_format: self
                .nickname_format
                .as_deref()
                .map(|f| checks.optional_text("nickname_format", Some(f), 40)),
            questionnaire: self.questionnaire.as_deref().map(|q| questionnaire(&mut checks, q)),
            banned_words: self.banned_words.as_deref().map(|b| banned_words(&mut checks, b)),
        };
        checks.done(changes)
    }
}

/// The questions, trimmed (1–200 characters each; every problem is named `questionnaire`).
fn questionnaire(checks: &mut Checks, items: &[QuestionnaireItem]) -> Vec<QuestionnaireItem> {
    items
        .iter()
        .map(|q| QuestionnaireItem {
            question: checks.text("questionnaire", &q.question, 1, 200),
            required: q.required,
        })
        .collect()
}

/// The group's own banned words, trimmed (1–20 characters each), repeats dropped.
fn banned_words(checks: &mut Checks, list: &[String]) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in list {
        let word = checks.text("banned_words", word, 1, 20);
        if !words.contains(&word) {
            words.push(word);
        }
    }
    words
}

/// An application's nickname and answers, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ApplicationFields {
    pub nickname: String,
    pub answers: Vec<String>,
}

impl Check for ApplyToGroupRequest {
    type Valid = ApplicationFields;
    /// The nickname (1–40 characters) and each answer (at most 500), trimmed; the group's
    /// format and questionnaire are [`ApplyToGroupRequest::check_for`]'s.
    fn check(&self) -> Result<ApplicationFields, Invalid> {
        let mut checks = Checks::default();
        let nickname = checks.text("nickname", &self.nickname, 1, 40);
        let answers = self.answers.iter().map(|a| checks.text("answers", a, 0, 500)).collect();
        checks.done(ApplicationFields { nickname, answers })
    }
}

impl ApplyToGroupRequest {
    /// Checks the application against the group it is for: no more answers than questions
    /// (`answers` `too_many`, alone), else the nickname's `nickname_format` and each missing
    /// required answer (`answers[i]` `required`) at once.
    pub fn check_for(
        &self,
        nickname_format: Option<&str>,
        questionnaire: &[QuestionnaireItem],
    ) -> Result<ApplicationFields, Invalid> {
        let fields = self.check()?;
        let mut checks = Checks::default();
        if fields.answers.len() > questionnaire.len() {
            checks.issue("answers", "too_many");
            return checks.done(fields);
        }
        if let Some(format) = nickname_format
            && check_nickname(format, &fields.nickname).is_err()
        {
            checks.issue("nickname", "nickname_format");
        }
        for (i, q) in questionnaire.iter().enumerate() {
            if q.required && fields.answers.get(i).is_none_or(String::is_empty) {
                checks.issue(&format!("answers[{i}]"), "required");
            }
        }
        checks.done(fields)
    }
}

impl Check for DecideApplicationRequest {
    /// The reason, trimmed (at most 500 characters): required to reject.
    type Valid = Option<String>;
    fn check(&self) -> Result<Option<String>, Invalid> {
        let mut checks = Checks::default();
        let reason = checks.optional_text("reason", self.reason.as_deref(), 500);
        if !self.approve && reason.is_none() {
            checks.issue("reason", "required");
        }
        checks.done(reason)
    }
}

impl Check for InviteToGroupRequest {
    /// The invitee's phone number or e-mail address, normalised (`login` `invalid` otherwise).
    type Valid = Login;
    fn check(&self) -> Result<Login, Invalid> {
        parse_login(&self.login).map_err(|_| {
            let issue = if self.login.trim().is_empty() { "required" } else { "invalid" };
            Invalid(vec![FieldIssue::new("login", issue)])
        })
    }
}

impl Check for ChangeGroupRoleRequest {
    /// The new role: anything but owner (`role` `owner`; ownership is not given this way).
    type Valid = GroupRole;
    fn check(&self) -> Result<GroupRole, Invalid> {
        let mut checks = Checks::default();
        if self.role == GroupRole::Owner {
            checks.issue("role", "owner");
        }
        checks.done(self.role)
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::super::test_util::{issues, pairs};
    use super::*;
    use crate::dto::JoinPolicy;

    fn group() -> CreateGroupRequest {
        CreateGroupRequest {
            name: "  二级造价师实战交流群  ".into(),
            description: String::new(),
            rules: String::new(),
            join_policy: JoinPolicy::Approval,
            nickname_format: Some("  ".into()),
            questionnaire: vec![QuestionnaireItem { question: " 证书编号 ".into(), required: true }],
            banned_words: vec!["加微信".into(), " 加微信 ".into()],
        }
    }

    #[test]
    fn a_valid_group_comes_back_trimmed_without_repeated_words() {
        let fields = group().check().expect("valid");
        assert_eq!(fields.name, "二级造价师实战交流群");
        assert_eq!(fields.nickname_format, None);
        assert_eq!(fields.questionnaire[0].question, "证书编号");
        assert_eq!(fields.banned_words, vec!["加微信".to_owned()]);
    }

    #[test]
    fn every_problem_of_a_group_is_named_at_once() {
        let body = CreateGroupRequest {
            name: " 群 ".into(),
            description: "述".repeat(2001),
            rules: "规".repeat(5001),
            nickname_format: Some("城".repeat(41)),
            questionnaire: vec![QuestionnaireItem { question: "  ".into(), required: false }],
            banned_words: vec!["词".repeat(21)],
            ..group()
        };
        let want = [
            ("name", "too_short"),
            ("description", "too_long"),
            ("rules", "too_long"),
            ("nickname_format", "too_long"),
            ("questionnaire", "required"),
            ("banned_words", "too_long"),
        ];
        assert_eq!(issues(body.check()), pairs(&want));
    }

    #[test]
    fn an_empty_nickname_format_removes_the_rule_and_absent_settings_stay() {
        let update =
            UpdateGroupRequest { nickname_format: Some(" ".into()), ..UpdateGroupRequest::default() };
        let changes = update.check().expect("valid");
        assert_eq!(changes.nickname_format, Some(None));
        assert_eq!(changes.description, None);
        let update =
            UpdateGroupRequest { banned_words: Some(vec![String::new()]), ..UpdateGroupRequest::default() };
        assert_eq!(issues(update.check()), pairs(&[("banned_words", "required")]));
    }

    fn application(nickname: &str, answers: &[&str]) -> ApplyToGroupRequest {
        ApplyToGroupRequest {
            nickname: nickname.into(),
            answers: answers.iter().map(|a| (*a).to_owned()).collect(),
        }
    }

    fn questions() -> Vec<QuestionnaireItem> {
        vec![
            QuestionnaireItem { question: "证书编号".into(), required: true },
            QuestionnaireItem { question: "从业年限".into(), required: false },
        ]
    }

    #[rstest]
    #[case(application(" ", &[]), &[("nickname", "required")])]
    #[case(application(&"名".repeat(41), &[]), &[("nickname", "too_long")])]
    #[case(application("王芳", &["答".repeat(501).as_str()]), &[("answers", "too_long")])]
    #[case(application("王芳", &["a", "b", "c"]), &[("answers", "too_many")])]
    #[case(application("王芳", &[" ", "十年"]), &[("nickname", "nickname_format"), ("answers[0]", "required")])]
    #[case(application("上海-土建-王芳", &[]), &[("answers[0]", "required")])]
    fn an_application_follows_the_group_format_and_questionnaire(
        #[case] body: ApplyToGroupRequest,
        #[case] want: &[(&str, &str)],
    ) {
        assert_eq!(issues(body.check_for(Some("城市-专业-姓名"), &questions())), pairs(want));
    }

    #[test]
    fn a_complete_application_is_trimmed() {
        let body = application(" 上海-土建-王芳 ", &[" GC123 "]);
        let fields = body.check_for(Some("城市-专业-姓名"), &questions()).expect("valid");
        assert_eq!(
            fields,
            ApplicationFields { nickname: "上海-土建-王芳".into(), answers: vec!["GC123".into()] }
        );
        assert!(application("随便", &[]).check_for(None, &[]).is_ok());
    }

    #[rstest]
    #[case(true, None, Ok(None))]
    #[case(false, Some("  "), Err("required"))]
    #[case(false, Some(" 资料不全 "), Ok(Some("资料不全")))]
    fn a_rejected_application_needs_a_reason(
        #[case] approve: bool,
        #[case] reason: Option<&str>,
        #[case] want: Result<Option<&str>, &str>,
    ) {
        let body = DecideApplicationRequest { approve, reason: reason.map(str::to_owned) };
        match want {
            Ok(reason) => assert_eq!(body.check().expect("valid").as_deref(), reason),
            Err(issue) => assert_eq!(issues(body.check()), pairs(&[("reason", issue)])),
        }
    }

    #[test]
    fn a_reason_has_at_most_500_characters() {
        let body = DecideApplicationRequest { approve: false, reason: Some("否".repeat(501)) };
        assert_eq!(issues(body.check()), pairs(&[("reason", "too_long")]));
    }

    #[rstest]
    #[case("   ", Err("required"))]
    #[case("13800", Err("invalid"))]
    #[case("wang@", Err("invalid"))]
    #[case("13800138000", Ok(()))]
    #[case("Wang@Example.com", Ok(()))]
    fn an_invitation_names_a_phone_number_or_email(#[case] login: &str, #[case] want: Result<(), &str>) {
        let body = InviteToGroupRequest { login: login.into() };
        match want {
            Ok(()) => assert!(body.check().is_ok()),
            Err(issue) => assert_eq!(issues(body.check()), pairs(&[("login", issue)])),
        }
    }

    #[test]
    fn ownership_is_not_given_by_a_role_change() {
        assert_eq!(
            issues(ChangeGroupRoleRequest { role: GroupRole::Owner }.check()),
            pairs(&[("role", "owner")])
        );
        assert_eq!(ChangeGroupRoleRequest { role: GroupRole::Admin }.check(), Ok(GroupRole::Admin));
    }
}
