//! The anonymous feedback form for a group's members: a score from 1 to 5 and a few words, once
//! a week (the API keeps who sent feedback apart from what they said).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::dto::{FeedbackReceipt, FeedbackRequest};

use super::{form_checked, form_errors, tx};
use crate::forms::{FormError, FormErrors, SubmitButton};
use crate::http::Failure;
use crate::i18n::{EngagementMsg, Msg};
use crate::pages::library::TextArea;
use crate::session::use_session;
use crate::toast::use_toasts;

/// The feedback form.
#[component]
pub fn FeedbackForm(group_id: String) -> impl IntoView {
    let session = use_session();
    let toasts = use_toasts();
    let gid = StoredValue::new(group_id);
    let score = RwSignal::new(5_i32);
    let body = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let sent = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let request = FeedbackRequest { score: score.get_untracked(), body: body.get_untracked() };
        let Some(text) = form_checked(errors, &request) else { return };
        let request = FeedbackRequest { body: text, ..request };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let path = format!("/groups/{}/feedback", gid.get_value());
            let result = session.call::<_, FeedbackReceipt>("POST", &path, Some(&request)).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    sent.set(true);
                    toasts.success(Msg::EngagementMsg(EngagementMsg::FeedbackSent));
                }
                Err(Failure::Api { status: 409, .. }) => {
                    errors.set(FormErrors { fields: Vec::new(), form: Some("feedback_weekly".into()) });
                }
                Err(failure) => errors.set(form_errors(failure)),
            }
        });
    };
    view! {
        <details class="filters" id="feedback">
            <summary>{tx(EngagementMsg::GiveFeedback)}</summary>
            <Show when=move || !sent.get() fallback=|| view! { <p class="notice notice-ok" id="feedback-sent">{tx(EngagementMsg::FeedbackSent)}</p> }>
                <form id="feedback-form" on:submit=submit novalidate>
                    <p class="hint">{tx(EngagementMsg::FeedbackHint)}</p>
                    <label for="feedback-score">{tx(EngagementMsg::Score)}</label>
                    <select id="feedback-score" on:change=move |ev| score.set(event_target_value(&ev).parse().unwrap_or(5))>
                        {(1..=5).rev().map(|n| view! { <option value=n>{"★".repeat(n)}</option> }).collect_view()}
                    </select>
                    <TextArea id="feedback-body" label=Msg::EngagementMsg(EngagementMsg::FeedbackBody) value=body errors=errors field="body" rows=2/>
                    <FormError errors=errors id="feedback-error"/>
                    <SubmitButton id="feedback-submit" label=Msg::EngagementMsg(EngagementMsg::SendFeedback) busy=busy/>
                </form>
            </Show>
        </details>
    }
}
