//! A project's public clarification records (答疑记录): everyone reads them, any signed-in
//! person asks, the project's organisation answers (and may revise an answer). The list reloads
//! when a notification about this project arrives.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use shared::dto::{
    AnswerProjectQuestionRequest, AskProjectQuestionRequest, ProjectQuestion, ProjectQuestionList,
};

use shared::validate::Check;

use crate::active_org::use_active_org;
use crate::datetime;
use crate::forms::{FormError, FormErrors, failure_text};
use crate::http::Failure;
use crate::i18n::{Msg, tr, use_i18n};
use crate::notices::news;
use crate::pages::library::{TextArea, acts_for};
use crate::session::use_session;
use crate::toast::use_toasts;

/// The Q&A section of a project page; `open`: the project is published, so questions are taken.
#[component]
pub fn Questions(project_id: String, owner_org: String, open: bool) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let orgs = use_active_org();
    let id = StoredValue::new(project_id);
    let owner_org = StoredValue::new(owner_org);
    let items = RwSignal::new(None::<Result<Vec<ProjectQuestion>, Failure>>);
    let load = move || {
        leptos::task::spawn_local(async move {
            let path = format!("/projects/{}/questions", id.get_value());
            let result = orgs.call_acting::<(), ProjectQuestionList>("GET", &path, None).await;
            items.set(Some(result.map(|l| l.items)));
        });
    };
    let about_us = news(move |n| n.link.contains(&id.get_value()));
    Effect::new(move |_| {
        let _ = about_us.get();
        load();
    });
    let asked = move |q: ProjectQuestion| {
        items.update(|l| {
            if let Some(Ok(list)) = l {
                list.push(q);
            }
        });
    };
    let answered = move |q: ProjectQuestion| {
        items.update(|l| {
            if let Some(Ok(list)) = l
                && let Some(slot) = list.iter_mut().find(|x| x.id == q.id)
            {
                *slot = q;
            }
        });
    };
    let owner = move || acts_for(&owner_org.get_value());
    view! {
        <section class="card" aria-labelledby="qa-title">
            <h2 id="qa-title">{tr(Msg::Clarifications)}</h2>
            {move || match items.get() {
                None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
                Some(Err(failure)) => view! {
                    <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &failure)}</p>
                }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! {
                    <p class="empty" id="questions-empty">{tr(Msg::NoQuestions)}</p>
                }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="rows" id="questions">
                        {list.into_iter().map(|q| view! { <QuestionRow question=q owner=owner() on_answered=answered/> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            {open.then(|| view! {
                <Show when=move || session.user.with(Option::is_some) fallback=move || view! {
                    <p class="hint">
                        <A href=format!("/login?next=/projects/{}", id.get_value())>{tr(Msg::SignIn)}</A>" "{tr(Msg::SignInToAsk)}
                    </p>
                }>
                    <AskForm project_id=id.get_value() on_asked=asked/>
                </Show>
            })}
        </section>
    }
}

#[component]
fn QuestionRow(
    question: ProjectQuestion,
    owner: bool,
    on_answered: impl Fn(ProjectQuestion) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let q = question;
    let answering = RwSignal::new(false);
    let has_answer = q.answer.is_some();
    let for_form = StoredValue::new(q.clone());
    view! {
        <li class="qa" data-question=q.id.clone()>
            <p class="qa-q"><strong>{tr(Msg::QuestionMark)}</strong>" "{q.question.clone()}</p>
            <p class="hint">{q.asked_by.clone()}" · "{datetime::minute(q.asked_at)}</p>
            {match q.answer.clone() {
                Some(answer) => view! {
                    <p class="qa-a"><strong>{tr(Msg::AnswerMark)}</strong>" "<span class="answer-text">{answer}</span></p>
                }.into_any(),
                None => view! { <p class="hint qa-pending">{tr(Msg::AwaitingAnswer)}</p> }.into_any(),
            }}
            {owner.then(|| view! {
                <Show when=move || answering.get() fallback=move || view! {
                    <button class="button small" type="button" data-action="answer-open" on:click=move |_| answering.set(true)>
                        {tr(if has_answer { Msg::ReviseAnswer } else { Msg::AnswerQuestion })}
                    </button>
                }>
                    <AnswerForm question=for_form.get_value() on_answered=move |a| { answering.set(false); on_answered(a); }/>
                </Show>
            })}
        </li>
    }
}

#[component]
fn AskForm(
    project_id: String,
    on_asked: impl Fn(ProjectQuestion) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let orgs = use_active_org();
    let toasts = use_toasts();
    let id = StoredValue::new(project_id);
    let text = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let body = AskProjectQuestionRequest { question: text.get_untracked() };
        if let Err(invalid) = body.check() {
            errors.set(FormErrors::local(invalid.0));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let path = format!("/projects/{}/questions", id.get_value());
            let result = orgs.call_acting::<_, ProjectQuestion>("POST", &path, Some(&body)).await;
            busy.set(false);
            match result {
                Ok(q) => {
                    errors.set(FormErrors::default());
                    text.set(String::new());
                    toasts.success(Msg::QuestionAsked);
                    on_asked(q);
                }
                Err(failure) => errors.set(FormErrors::from_failure(failure)),
            }
        });
    };
    view! {
        <form id="ask-form" class="inline-form" on:submit=submit novalidate>
            <TextArea id="question-text" label=Msg::AskQuestion value=text errors=errors field="question" rows=3/>
            <FormError errors=errors id="ask-form-error"/>
            <div class="row-actions">
                <button class="button primary" type="submit" id="question-submit" disabled=move || busy.get()>{tr(Msg::AskQuestion)}</button>
            </div>
        </form>
    }
}

#[component]
fn AnswerForm(
    question: ProjectQuestion,
    on_answered: impl Fn(ProjectQuestion) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let orgs = use_active_org();
    let toasts = use_toasts();
    let ids = StoredValue::new((question.project_id.clone(), question.id.clone()));
    let text = RwSignal::new(question.answer.clone().unwrap_or_default());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let body = AnswerProjectQuestionRequest { answer: text.get_untracked() };
        if let Err(invalid) = body.check() {
            errors.set(FormErrors::local(invalid.0));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let (project, question) = ids.get_value();
            let path = format!("/projects/{project}/questions/{question}/answer");
            let result = orgs.call_acting::<_, ProjectQuestion>("POST", &path, Some(&body)).await;
            busy.set(false);
            match result {
                Ok(q) => {
                    toasts.success(Msg::AnswerSaved);
                    on_answered(q);
                }
                Err(failure) => errors.set(FormErrors::from_failure(failure)),
            }
        });
    };
    let field_id = format!("answer-{}", ids.with_value(|(_, q)| q.clone()));
    view! {
        <form class="inline-form" data-form="answer" on:submit=submit novalidate>
            <label for=field_id.clone()>{tr(Msg::AnswerQuestion)}</label>
            <textarea id=field_id rows="3" prop:value=text on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <crate::forms::FieldError text=crate::forms::field_error(errors, "answer") id=format!("answer-error-{}", ids.with_value(|(_, q)| q.clone()))/>
            <FormError errors=errors id=format!("answer-form-error-{}", ids.with_value(|(_, q)| q.clone()))/>
            <div class="row-actions">
                <button class="button small primary" type="submit" data-action="answer" disabled=move || busy.get()>{tr(Msg::Save)}</button>
            </div>
        </form>
    }
}
