//! Checks of a new survey (its questions and deadline, at a given instant) and of anonymous
//! feedback. A survey's response is checked against the survey by
//! [`crate::domain::community::surveys::check_response`].

use chrono::{DateTime, Utc};

use super::super::{Check, Checks, Invalid};
use super::events::deadline;
use super::{choices, one_text};
use crate::dto::{CreateSurveyRequest, FeedbackRequest, SurveyQuestion, SurveyQuestionKind};

/// How far ahead a survey's deadline may be, in days.
pub const MAX_SURVEY_DAYS: i64 = 90;

/// A new survey's texts and questions, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyFields {
    pub title: String,
    pub description: String,
    pub questions: Vec<SurveyQuestion>,
}

impl CreateSurveyRequest {
    /// Checks a new survey at `now`: title and description, each question (choice questions
    /// 2 or more distinct options, text questions none) and a deadline in the future, at most
    /// 90 days ahead.
    pub fn check_at(&self, now: DateTime<Utc>) -> Result<SurveyFields, Invalid> {
        let mut checks = Checks::default();
        let title = checks.text("title", &self.title, 2, 100);
        let description = checks.text("description", &self.description, 0, 1000);
        let questions = self.questions.iter().enumerate().map(|(i, q)| question(&mut checks, i, q)).collect();
        deadline(&mut checks, self.deadline, now, MAX_SURVEY_DAYS);
        checks.done(SurveyFields { title, description, questions })
    }
}

fn question(checks: &mut Checks, i: usize, q: &SurveyQuestion) -> SurveyQuestion {
    let question = checks.text(&format!("questions[{i}].question"), &q.question, 1, 200);
    let options = choices(checks, &format!("questions[{i}].options"), &q.options);
    match q.kind {
        SurveyQuestionKind::Text if !options.is_empty() => {
            checks.issue(&format!("questions[{i}].options"), "not_allowed")
        }
        SurveyQuestionKind::SingleChoice | SurveyQuestionKind::MultipleChoice if options.len() < 2 => {
            checks.issue(&format!("questions[{i}].options"), "too_few")
        }
        _ => {}
    }
    SurveyQuestion { question, kind: q.kind, options, required: q.required }
}

impl Check for FeedbackRequest {
    /// What to keep or change, trimmed (may be empty; at most 2,000 characters).
    type Valid = String;
    fn check(&self) -> Result<String, Invalid> {
        one_text("body", &self.body, 0, 2000)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};
    use rstest::rstest;

    use super::super::test_util::{issues, pairs};
    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, 8, 0, 0).single().expect("a valid instant")
    }

    fn q(kind: SurveyQuestionKind, options: &[&str]) -> SurveyQuestion {
        SurveyQuestion {
            question: " 满意度如何？ ".into(),
            kind,
            options: options.iter().map(|o| (*o).to_owned()).collect(),
            required: true,
        }
    }

    fn survey(questions: Vec<SurveyQuestion>, days: i64) -> CreateSurveyRequest {
        CreateSurveyRequest {
            title: " 2026年度群满意度调查 ".into(),
            description: String::new(),
            questions,
            deadline: now() + Duration::days(days),
        }
    }

    #[test]
    fn a_valid_survey_comes_back_trimmed() {
        let body = survey(
            vec![
                q(SurveyQuestionKind::SingleChoice, &[" 满意 ", "不满意"]),
                q(SurveyQuestionKind::Text, &[]),
            ],
            30,
        );
        let fields = body.check_at(now()).expect("valid");
        assert_eq!(fields.title, "2026年度群满意度调查");
        assert_eq!(fields.questions[0].question, "满意度如何？");
        assert_eq!(fields.questions[0].options, vec!["满意".to_owned(), "不满意".to_owned()]);
    }

    #[rstest]
    #[case(q(SurveyQuestionKind::Text, &["是"]), &[("questions[0].options", "not_allowed")])]
    #[case(q(SurveyQuestionKind::SingleChoice, &["是"]), &[("questions[0].options", "too_few")])]
    #[case(q(SurveyQuestionKind::MultipleChoice, &["是", " 是"]), &[("questions[0].options[1]", "duplicate")])]
    #[case(q(SurveyQuestionKind::MultipleChoice, &["是", ""]), &[("questions[0].options[1]", "required")])]
    #[case(SurveyQuestion { question: " ".into(), ..q(SurveyQuestionKind::Text, &[]) }, &[("questions[0].question", "required")])]
    fn each_question_is_checked_by_its_kind(#[case] question: SurveyQuestion, #[case] want: &[(&str, &str)]) {
        assert_eq!(issues(survey(vec![question], 30).check_at(now())), pairs(want));
    }

    #[test]
    fn a_survey_title_has_2_characters_or_more() {
        let body =
            CreateSurveyRequest { title: "调".into(), ..survey(vec![q(SurveyQuestionKind::Text, &[])], 30) };
        assert_eq!(issues(body.check_at(now())), pairs(&[("title", "too_short")]));
    }

    #[rstest]
    #[case(0, "in_the_past")]
    #[case(91, "too_far")]
    fn a_survey_closes_within_90_days(#[case] days: i64, #[case] issue: &str) {
        let body = survey(vec![q(SurveyQuestionKind::Text, &[])], days);
        assert_eq!(issues(body.check_at(now())), pairs(&[("deadline", issue)]));
    }

    #[test]
    fn feedback_may_be_blank_but_not_too_long() {
        assert_eq!(FeedbackRequest { score: 4, body: "  ".into() }.check().expect("valid"), "");
        let body = FeedbackRequest { score: 4, body: "好".repeat(2001) };
        assert_eq!(issues(body.check()), pairs(&[("body", "too_long")]));
    }
}
