//! Surveys: several questions (single choice, multiple choice, free text), always anonymous;
//! the checks of a response and the per-question results.

use chrono::{DateTime, Utc};

use super::polls::{BallotRefused, check_ballot};
use crate::dto::{SurveyAnswer, SurveyQuestion, SurveyQuestionKind, SurveyQuestionResult};

/// The longest free-text answer.
pub const MAX_TEXT_ANSWER: usize = 1000;

/// Why a response is refused: the question's index and the issue code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseRefused {
    /// The deadline has passed.
    Closed,
    /// The number of answers differs from the number of questions.
    WrongCount,
    /// Answer `index` breaks a rule (`issue`).
    Answer {
        /// 0-based question index.
        index: usize,
        /// Issue code, e.g. `required`, `one_choice_only`, `unknown_choice`, `too_long`.
        issue: &'static str,
    },
}

/// Checks a response of `answers` (one per question, in order) at `now`.
pub fn check_response(
    questions: &[SurveyQuestion],
    answers: &[SurveyAnswer],
    deadline: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), ResponseRefused> {
    if now >= deadline {
        return Err(ResponseRefused::Closed);
    }
    if questions.len() != answers.len() {
        return Err(ResponseRefused::WrongCount);
    }
    for (index, (q, a)) in questions.iter().zip(answers).enumerate() {
        let refuse = |issue| Err(ResponseRefused::Answer { index, issue });
        match q.kind {
            SurveyQuestionKind::Text => {
                let text = a.text.as_deref().map(str::trim).unwrap_or_default();
                if !a.choices.is_empty() {
                    return refuse("unknown_choice");
                }
                if text.is_empty() && q.required {
                    return refuse("required");
                }
                if text.chars().count() > MAX_TEXT_ANSWER {
                    return refuse("too_long");
                }
            }
            SurveyQuestionKind::SingleChoice | SurveyQuestionKind::MultipleChoice => {
                if a.text.is_some() {
                    return refuse("text_not_allowed");
                }
                if a.choices.is_empty() && !q.required {
                    continue;
                }
                let choices: Vec<usize> =
                    a.choices.iter().map(|&c| usize::try_from(c).unwrap_or(usize::MAX)).collect();
                let multiple = q.kind == SurveyQuestionKind::MultipleChoice;
                match check_ballot(&choices, q.options.len(), multiple, deadline, now) {
                    Ok(()) => {}
                    Err(BallotRefused::NoChoice) => return refuse("required"),
                    Err(BallotRefused::OneChoiceOnly) => return refuse("one_choice_only"),
                    Err(BallotRefused::UnknownChoice) => return refuse("unknown_choice"),
                    Err(BallotRefused::Closed) => return Err(ResponseRefused::Closed),
                }
            }
        }
    }
    Ok(())
}

/// The results per question: option counts for choice questions, the answers for text ones.
#[must_use]
pub fn results(questions: &[SurveyQuestion], responses: &[Vec<SurveyAnswer>]) -> Vec<SurveyQuestionResult> {
    questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let answers = responses.iter().filter_map(|r| r.get(i));
            let mut counts = vec![0i64; q.options.len()];
            let mut texts = Vec::new();
            for a in answers {
                for &c in &a.choices {
                    if let Some(n) = usize::try_from(c).ok().and_then(|c| counts.get_mut(c)) {
                        *n += 1;
                    }
                }
                if let Some(t) = a.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                    texts.push(t.to_owned());
                }
            }
            SurveyQuestionResult {
                question: q.question.clone(),
                kind: q.kind,
                options: q.options.clone(),
                counts,
                texts,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    fn q(kind: SurveyQuestionKind, options: &[&str], required: bool) -> SurveyQuestion {
        SurveyQuestion {
            question: "问题".into(),
            kind,
            options: options.iter().map(|o| (*o).to_owned()).collect(),
            required,
        }
    }

    fn a(choices: &[i32], text: Option<&str>) -> SurveyAnswer {
        SurveyAnswer { choices: choices.to_vec(), text: text.map(str::to_owned) }
    }

    #[test]
    fn a_response_answers_every_required_question_by_its_kind() {
        let deadline = Utc.with_ymd_and_hms(2026, 12, 31, 0, 0, 0).unwrap();
        let now = deadline - Duration::days(1);
        let questions = vec![
            q(SurveyQuestionKind::SingleChoice, &["满意", "一般", "不满意"], true),
            q(SurveyQuestionKind::MultipleChoice, &["线上", "线下"], false),
            q(SurveyQuestionKind::Text, &[], false),
        ];
        let ok = [a(&[0], None), a(&[0, 1], None), a(&[], Some("多办活动"))];
        assert_eq!(check_response(&questions, &ok, deadline, now), Ok(()));
        let skipped = [a(&[1], None), a(&[], None), a(&[], None)];
        assert_eq!(
            check_response(&questions, &skipped, deadline, now),
            Ok(()),
            "optional questions may be skipped"
        );
        let missing = [a(&[], None), a(&[], None), a(&[], None)];
        assert_eq!(
            check_response(&questions, &missing, deadline, now),
            Err(ResponseRefused::Answer { index: 0, issue: "required" })
        );
        let two = [a(&[0, 1], None), a(&[], None), a(&[], None)];
        assert_eq!(
            check_response(&questions, &two, deadline, now),
            Err(ResponseRefused::Answer { index: 0, issue: "one_choice_only" })
        );
        let bad = [a(&[0], None), a(&[2], None), a(&[], None)];
        assert_eq!(
            check_response(&questions, &bad, deadline, now),
            Err(ResponseRefused::Answer { index: 1, issue: "unknown_choice" })
        );
        let texted = [a(&[0], None), a(&[], Some("随便")), a(&[], None)];
        assert_eq!(
            check_response(&questions, &texted, deadline, now),
            Err(ResponseRefused::Answer { index: 1, issue: "text_not_allowed" }),
            "a choice question takes no text, even when optional"
        );
        assert_eq!(check_response(&questions, &ok[..2], deadline, now), Err(ResponseRefused::WrongCount));
        assert_eq!(check_response(&questions, &ok, deadline, deadline), Err(ResponseRefused::Closed));
    }

    #[test]
    fn results_count_choices_and_collect_texts() {
        let questions = vec![
            q(SurveyQuestionKind::SingleChoice, &["满意", "不满意"], true),
            q(SurveyQuestionKind::Text, &[], false),
        ];
        let responses = vec![
            vec![a(&[0], None), a(&[], Some("好"))],
            vec![a(&[0], None), a(&[], Some("  "))],
            vec![a(&[1], None), a(&[], None)],
        ];
        let r = results(&questions, &responses);
        assert_eq!(r[0].counts, vec![2, 1]);
        assert_eq!(r[1].texts, vec!["好".to_owned()]);
    }
}
