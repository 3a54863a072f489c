//! Founding a group (`/groups/new`): name, description, rules, join policy, the nickname format,
//! the join questionnaire (questions with a required flag) and the group's banned words.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use shared::dto::{CreateGroupRequest, Group, JoinPolicy, QuestionnaireItem};

use super::{form_checked, form_errors, policy_name, tc};
use crate::forms::{FormError, FormErrors, SubmitButton, TextField, row_error};
use crate::i18n::{CommunityMsg, Msg, use_i18n};
use crate::pages::library::{TextArea, optional, tags_from};
use crate::session::{require_sign_in, use_session};
use crate::toast::use_toasts;

/// One questionnaire row being edited.
#[derive(Clone, Copy)]
struct QuestionRow {
    key: u32,
    text: RwSignal<String>,
    required: RwSignal<bool>,
}

/// The questions that were filled in, in order (blank rows dropped).
fn questionnaire_from(rows: &[(String, bool)]) -> Vec<QuestionnaireItem> {
    rows.iter()
        .filter(|(q, _)| !q.trim().is_empty())
        .map(|(q, required)| QuestionnaireItem { question: q.trim().to_owned(), required: *required })
        .collect()
}

/// The page to found a group.
#[component]
pub fn NewGroupPage() -> impl IntoView {
    require_sign_in();
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let navigate = StoredValue::new_local(use_navigate());
    let name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let rules = RwSignal::new(String::new());
    let policy = RwSignal::new(JoinPolicy::Open);
    let nickname_format = RwSignal::new(String::new());
    let banned = RwSignal::new(String::new());
    let questions = RwSignal::new(Vec::<QuestionRow>::new());
    let next_key = StoredValue::new(0_u32);
    let add_question = move |_| {
        next_key.update_value(|k| *k += 1);
        let row = QuestionRow {
            key: next_key.get_value(),
            text: RwSignal::new(String::new()),
            required: RwSignal::new(false),
        };
        questions.update(|q| q.push(row));
    };
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let rows: Vec<(String, bool)> = questions.with_untracked(|q| {
            q.iter().map(|r| (r.text.get_untracked(), r.required.get_untracked())).collect()
        });
        let request = CreateGroupRequest {
            name: name.get_untracked(),
            description: description.get_untracked(),
            rules: rules.get_untracked(),
            join_policy: policy.get_untracked(),
            nickname_format: optional(&nickname_format.get_untracked()),
            questionnaire: questionnaire_from(&rows),
            banned_words: tags_from(&banned.get_untracked()),
        };
        let Some(valid) = form_checked(errors, &request) else { return };
        let body = CreateGroupRequest {
            name: valid.name,
            description: valid.description,
            rules: valid.rules,
            nickname_format: valid.nickname_format,
            questionnaire: valid.questionnaire,
            banned_words: valid.banned_words,
            ..request
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = session.call::<_, Group>("POST", "/groups", Some(&body)).await;
            busy.set(false);
            match result {
                Ok(group) => {
                    toasts.success(Msg::CommunityMsg(CommunityMsg::GroupFounded));
                    navigate.with_value(|go| go(&format!("/groups/{}", group.id), Default::default()));
                }
                Err(failure) => errors.set(form_errors(failure)),
            }
        });
    };
    view! {
        <section class="card">
            <h1 id="group-form-title">{tc(CommunityMsg::FoundGroup)}</h1>
            <form id="group-form" on:submit=submit novalidate>
                <TextField id="group-name" label=Msg::CommunityMsg(CommunityMsg::GroupName) value=name errors=errors field="name" hint=Msg::CommunityMsg(CommunityMsg::GroupNameHint)/>
                <TextArea id="group-description" label=Msg::Description value=description errors=errors field="description" rows=3/>
                <TextArea id="group-rules" label=Msg::CommunityMsg(CommunityMsg::Rules) value=rules errors=errors field="rules" rows=3/>
                <label for="group-policy">{tc(CommunityMsg::JoinPolicy)}</label>
                <select id="group-policy" on:change=move |ev| policy.set(JoinPolicy::parse(&event_target_value(&ev)).unwrap_or(JoinPolicy::Open))>
                    {[JoinPolicy::Open, JoinPolicy::Approval, JoinPolicy::InviteOnly].into_iter().map(|p| view! {
                        <option value=p.as_str() selected=move || policy.get() == p>{tc(policy_name(p))}</option>
                    }).collect_view()}
                </select>
                <TextField id="group-nickname-format" label=Msg::CommunityMsg(CommunityMsg::NicknameFormat) value=nickname_format errors=errors field="nickname_format" hint=Msg::CommunityMsg(CommunityMsg::NicknameFormatHint)/>
                <fieldset id="group-questionnaire">
                    <legend>{tc(CommunityMsg::Questionnaire)}</legend>
                    <p class="hint">{tc(CommunityMsg::QuestionnaireHint)}</p>
                    <For each=move || questions.get() key=|r| r.key let:row>
                        {
                            let index = move || questions.with(|q| q.iter().position(|r| r.key == row.key).unwrap_or(0));
                            view! {
                                <div class="question-row" data-question-row=row.key>
                                    <label for=move || format!("question-{}", index())>{move || format!("{} {}", i18n.t(Msg::CommunityMsg(CommunityMsg::Question)), index() + 1)}</label>
                                    <input id=move || format!("question-{}", index()) prop:value=row.text
                                        on:input=move |ev| row.text.set(event_target_value(&ev))/>
                                    <label class="check">
                                        <input type="checkbox" id=move || format!("question-{}-required", index()) prop:checked=row.required
                                            on:change=move |ev| row.required.set(event_target_checked(&ev))/>
                                        {tc(CommunityMsg::RequiredQuestion)}
                                    </label>
                                    <button type="button" class="button small" on:click=move |_| questions.update(|q| q.retain(|r| r.key != row.key))>
                                        {tc(CommunityMsg::Remove)}
                                    </button>
                                </div>
                            }
                        }
                    </For>
                    <button type="button" class="button small" id="question-add" on:click=add_question
                        disabled=move || questions.with(|q| q.len() >= 10)>{tc(CommunityMsg::AddQuestion)}</button>
                    <crate::forms::FieldError text=row_error(errors, "questionnaire", &[]) id="group-questionnaire-error"/>
                </fieldset>
                <TextField id="group-banned-words" label=Msg::CommunityMsg(CommunityMsg::BannedWords) value=banned errors=errors field="banned_words" hint=Msg::CommunityMsg(CommunityMsg::BannedWordsHint)/>
                <FormError errors=errors id="group-form-error"/>
                <SubmitButton id="group-submit" label=Msg::CommunityMsg(CommunityMsg::FoundGroup) busy=busy/>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_questions_are_dropped_and_the_rest_trimmed_in_order() {
        let rows = vec![
            ("从业年限 ".to_owned(), true),
            ("  ".to_owned(), true),
            ("证书编号（选填）".to_owned(), false),
        ];
        let items = questionnaire_from(&rows);
        assert_eq!(items.len(), 2);
        assert_eq!(items[0], QuestionnaireItem { question: "从业年限".into(), required: true });
        assert!(!items[1].required);
    }
}
