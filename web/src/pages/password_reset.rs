//! Forgotten password: ask for a one-time code for the login, then set a new password with it.
//! The server answers the first step the same way whether or not the account exists.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use shared::dto::{CodeSent, FieldIssue, PasswordResetCodeRequest, PasswordResetRequest};
use shared::validate::Check;

use crate::forms::{FormError, FormErrors, SubmitButton, TextField};
use crate::http::{Failure, request};
use crate::i18n::{Msg, use_i18n};
use crate::toast::use_toasts;

/// The password-reset page.
#[component]
pub fn PasswordResetPage() -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let navigate = StoredValue::new_local(use_navigate());
    let (login, code, password) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let code_sent = RwSignal::new(false);
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);

    let ask_code = move |ev: SubmitEvent| {
        ev.prevent_default();
        if login.with_untracked(|l| l.trim().is_empty()) {
            errors.set(FormErrors::local(vec![FieldIssue::new("login", "required")]));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let body = PasswordResetCodeRequest { login: login.get_untracked().trim().to_owned() };
            let result: Result<CodeSent, Failure> =
                request("POST", "/auth/password-reset-codes", Some(&body), None).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    errors.set(FormErrors::default());
                    code_sent.set(true);
                }
                Err(failure) => errors.set(FormErrors::from_failure(failure)),
            }
        });
    };

    let reset = move |ev: SubmitEvent| {
        ev.prevent_default();
        let body = PasswordResetRequest {
            login: login.get_untracked().trim().to_owned(),
            code: code.get_untracked().trim().to_owned(),
            new_password: password.get_untracked(),
        };
        if let Err(invalid) = body.check() {
            errors.set(FormErrors::local(invalid.0));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result: Result<(), Failure> =
                request("POST", "/auth/password-resets", Some(&body), None).await;
            busy.set(false);
            match result {
                Ok(()) => {
                    toasts.success(Msg::PasswordResetDone);
                    navigate.with_value(|go| go("/login", Default::default()));
                }
                Err(failure) => errors.set(FormErrors::from_failure(failure)),
            }
        });
    };

    view! {
        <section class="card narrow">
            <h1>{move || i18n.t(Msg::ResetPassword)}</h1>
            <Show
                when=move || code_sent.get()
                fallback=move || view! {
                    <p class="hint">{move || i18n.t(Msg::ResetPasswordIntro)}</p>
                    <form id="reset-code-form" on:submit=ask_code novalidate>
                        <TextField id="reset-login" label=Msg::EmailOrPhone value=login errors=errors field="login" autocomplete="username"/>
                        <FormError errors=errors/>
                        <SubmitButton id="reset-code-submit" label=Msg::SendCode busy=busy/>
                    </form>
                }
            >
                <p class="hint">{move || i18n.t(Msg::ResetCodeSent)}</p>
                <form id="reset-form" on:submit=reset novalidate>
                    <TextField id="reset-code" label=Msg::OneTimeCode value=code errors=errors field="code" autocomplete="one-time-code" inputmode="numeric"/>
                    <TextField id="reset-password" label=Msg::NewPassword value=password errors=errors field="new_password" kind="password" autocomplete="new-password" hint=Msg::PasswordRules/>
                    <FormError errors=errors/>
                    <SubmitButton id="reset-submit" label=Msg::SetNewPassword busy=busy/>
                </form>
                <button class="link" type="button" on:click=move |_| code_sent.set(false)>{move || i18n.t(Msg::SendCodeAgain)}</button>
            </Show>
            <p class="links"><A href="/login">{move || i18n.t(Msg::BackToSignIn)}</A></p>
        </section>
    }
}
