//! The admins' form to create a survey: a title, a description, a deadline, and questions, each
//! single choice, multiple choice (options one a line) or free text.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::dto::{CreateSurveyRequest, FieldIssue, Survey, SurveyQuestion, SurveyQuestionKind};

use super::polls::options_from;
use super::{form_errors, local_time, tc, tx};
use crate::forms::{FieldError, FormError, FormErrors, SubmitButton, TextField, field_error, row_error};
use crate::i18n::{CommunityMsg, EngagementMsg, Msg};
use crate::pages::library::TextArea;
use crate::session::use_session;
use crate::toast::use_toasts;

/// A question being written.
#[derive(Clone, Copy)]
struct Draft {
    question: RwSignal<String>,
    kind: RwSignal<String>,
    options: RwSignal<String>,
}

impl Draft {
    fn new() -> Self {
        Self {
            question: RwSignal::new(String::new()),
            kind: RwSignal::new("single_choice".into()),
            options: RwSignal::new(String::new()),
        }
    }
}

/// The question as the API takes it: options only for choice questions, one a line.
fn question_of(question: &str, kind: &str, options: &str) -> SurveyQuestion {
    let kind = match kind {
        "multiple_choice" => SurveyQuestionKind::MultipleChoice,
        "text" => SurveyQuestionKind::Text,
        _ => SurveyQuestionKind::SingleChoice,
    };
    let options = if kind == SurveyQuestionKind::Text { Vec::new() } else { options_from(options) };
    SurveyQuestion { question: question.trim().to_owned(), kind, options, required: true }
}

/// The survey form.
#[component]
pub fn SurveyForm(group_id: String, on_created: Callback<Survey>) -> impl IntoView {
    let session = use_session();
    let toasts = use_toasts();
    let gid = StoredValue::new(group_id);
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let deadline = RwSignal::new(local_time::input_value(local_time::now() + chrono::Duration::days(7)));
    let drafts = RwSignal::new(vec![Draft::new()]);
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(deadline_at) = local_time::parse(&deadline.get_untracked()) else {
            errors.set(FormErrors::local(vec![FieldIssue::new("deadline", "required")]));
            return;
        };
        let questions = drafts
            .get_untracked()
            .iter()
            .map(|d| {
                question_of(&d.question.get_untracked(), &d.kind.get_untracked(), &d.options.get_untracked())
            })
            .collect();
        let request = CreateSurveyRequest {
            title: title.get_untracked(),
            description: description.get_untracked(),
            questions,
            deadline: deadline_at,
        };
        // The API's check of a new survey, at this browser's clock.
        let body = match request.check_at(local_time::now()) {
            Ok(valid) => CreateSurveyRequest {
                title: valid.title,
                description: valid.description,
                questions: valid.questions,
                ..request
            },
            Err(invalid) => {
                errors.set(FormErrors::local(invalid.0));
                return;
            }
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let path = format!("/groups/{}/surveys", gid.get_value());
            let result = session.call::<_, Survey>("POST", &path, Some(&body)).await;
            busy.set(false);
            match result {
                Ok(survey) => {
                    errors.set(FormErrors::default());
                    title.set(String::new());
                    drafts.set(vec![Draft::new()]);
                    toasts.success(Msg::EngagementMsg(EngagementMsg::SurveyCreated));
                    on_created.run(survey);
                }
                Err(failure) => errors.set(form_errors(failure)),
            }
        });
    };
    let rows = move || {
        drafts.get().into_iter().enumerate().map(|(i, d)| {
            let id = format!("survey-q{i}");
            view! {
                <fieldset class="subsection survey-question">
                    <label for=id.clone()>{tx(EngagementMsg::Question)}" "{i + 1}</label>
                    <input id=id.clone() prop:value=d.question on:input=move |ev| d.question.set(event_target_value(&ev))/>
                    <select id=format!("{id}-kind") on:change=move |ev| d.kind.set(event_target_value(&ev))>
                        {[("single_choice", CommunityMsg::SingleChoice), ("multiple_choice", CommunityMsg::MultipleChoice)].map(|(v, m)| view! {
                            <option value=v selected=d.kind.get_untracked() == v>{tc(m)}</option>
                        })}
                        <option value="text" selected=d.kind.get_untracked() == "text">{tx(EngagementMsg::TextAnswer)}</option>
                    </select>
                    <textarea id=format!("{id}-options") rows=3 placeholder=tx(EngagementMsg::OptionsHint) prop:value=d.options
                        hidden=move || d.kind.get() == "text" on:input=move |ev| d.options.set(event_target_value(&ev))></textarea>
                    <FieldError text=row_error(errors, &format!("questions[{i}]"), &["question", "options"]) id=format!("{id}-error")/>
                </fieldset>
            }
        }).collect_view()
    };
    view! {
        <form id="survey-form" class="subsection" on:submit=submit novalidate>
            <h2>{tx(EngagementMsg::NewSurvey)}</h2>
            <TextField id="survey-title" label=Msg::EngagementMsg(EngagementMsg::SurveyTitle) value=title errors=errors field="title"/>
            <TextArea id="survey-description" label=Msg::EngagementMsg(EngagementMsg::SurveyDescription) value=description errors=errors field="description" rows=2/>
            {rows}
            <FieldError text=field_error(errors, "questions") id="survey-questions-error"/>
            <button type="button" class="button small" id="survey-add-question" on:click=move |_| drafts.update(|d| d.push(Draft::new()))>{tc(CommunityMsg::AddQuestion)}</button>
            <label for="survey-deadline">{tc(CommunityMsg::Deadline)}</label>
            <input id="survey-deadline" type="datetime-local" prop:value=deadline on:input=move |ev| deadline.set(event_target_value(&ev))/>
            <FieldError text=field_error(errors, "deadline") id="survey-deadline-error"/>
            <FormError errors=errors id="survey-form-error"/>
            <SubmitButton id="survey-submit" label=Msg::EngagementMsg(EngagementMsg::CreateSurvey) busy=busy/>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choice_questions_keep_their_options_and_text_questions_none() {
        let q = question_of(" 常用软件 ", "multiple_choice", "广联达\n\n鲁班\n");
        assert_eq!(
            (q.question.as_str(), q.kind, q.options),
            ("常用软件", SurveyQuestionKind::MultipleChoice, vec!["广联达".to_owned(), "鲁班".to_owned()])
        );
        assert!(question_of("建议", "text", "a\nb").options.is_empty());
        assert_eq!(question_of("x", "", "").kind, SurveyQuestionKind::SingleChoice);
    }
}
