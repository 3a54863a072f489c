//! Proving the account's e-mail address or mobile number with a one-time code.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::dto::{CodeSent, ContactChannel, ContactCodeRequest, ContactVerificationRequest, UserProfile};

use crate::forms::{FormError, FormErrors, SubmitButton, TextField};
use crate::http::Failure;
use crate::i18n::{Msg, use_i18n};
use crate::session::use_session;
use crate::toast::use_toasts;

/// The contacts that still need proving, each with its send-code / enter-code form.
#[component]
pub fn ContactsCard() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let unverified = move |channel: ContactChannel| {
        session.user.with(|u| {
            u.as_ref().is_some_and(|u| match channel {
                ContactChannel::Email => u.email.is_some() && !u.email_verified,
                ContactChannel::Phone => u.phone.is_some() && !u.phone_verified,
            })
        })
    };
    view! {
        <section class="card">
            <h2>{move || i18n.t(Msg::ContactsHeading)}</h2>
            <Show when=move || !unverified(ContactChannel::Email) && !unverified(ContactChannel::Phone)>
                <p class="hint" id="contacts-all-verified">{move || i18n.t(Msg::ContactsAllVerified)}</p>
            </Show>
            <Show when=move || unverified(ContactChannel::Email)>
                <ContactForm channel=ContactChannel::Email/>
            </Show>
            <Show when=move || unverified(ContactChannel::Phone)>
                <ContactForm channel=ContactChannel::Phone/>
            </Show>
        </section>
    }
}

#[component]
fn ContactForm(channel: ContactChannel) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let (prefix, label) = match channel {
        ContactChannel::Email => ("email", Msg::VerifyEmail),
        ContactChannel::Phone => ("phone", Msg::VerifyPhone),
    };
    let code = RwSignal::new(String::new());
    let sent = RwSignal::new(false);
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let send_code = move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result: Result<CodeSent, Failure> = session
                .call("POST", "/me/contact-verification-codes", Some(&ContactCodeRequest { channel }))
                .await;
            busy.set(false);
            match result {
                Ok(_) => {
                    errors.set(FormErrors::default());
                    sent.set(true);
                    toasts.success(Msg::CodeSentToast);
                }
                Err(failure) => errors.set(FormErrors::from_failure(failure)),
            }
        });
    };
    let verify = move |ev: SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let body = ContactVerificationRequest { channel, code: code.get_untracked().trim().to_owned() };
            let result: Result<UserProfile, Failure> =
                session.call("POST", "/me/contact-verifications", Some(&body)).await;
            busy.set(false);
            match result {
                Ok(user) => {
                    session.user.set(Some(user));
                    toasts.success(Msg::ContactVerified);
                }
                Err(failure) => errors.set(FormErrors::from_failure(failure)),
            }
        });
    };
    let contact = move || {
        session.user.with(|u| {
            u.as_ref().and_then(|u| match channel {
                ContactChannel::Email => u.email.clone(),
                ContactChannel::Phone => u.phone.clone(),
            })
        })
    };
    let form_error_id = if prefix == "email" { "email-verify-error" } else { "phone-verify-error" };
    let code_id = if prefix == "email" { "email-code" } else { "phone-code" };
    view! {
        <div class="subsection">
            <h3>{move || i18n.t(label)}" · "{contact}</h3>
            <Show
                when=move || sent.get()
                fallback=move || view! {
                    <button class="button" type="button" id=format!("{prefix}-send-code") disabled=move || busy.get() on:click=send_code>
                        {move || i18n.t(Msg::SendCode)}
                    </button>
                    <FormError errors=errors id=form_error_id/>
                }
            >
                <form on:submit=verify novalidate>
                    <TextField id=code_id label=Msg::OneTimeCode value=code errors=errors field="code" autocomplete="one-time-code" inputmode="numeric"/>
                    <FormError errors=errors id=form_error_id/>
                    <div class="actions">
                        <SubmitButton id=if prefix == "email" { "email-verify" } else { "phone-verify" } label=Msg::Verify busy=busy/>
                        <button class="button" type="button" disabled=move || busy.get() on:click=send_code>{move || i18n.t(Msg::SendCodeAgain)}</button>
                    </div>
                </form>
            </Show>
        </div>
    }
}
