//! Changing the password (the current one is required; other sessions end).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::dto::{ChangePasswordRequest, FieldIssue};

use crate::forms::{FormError, FormErrors, SubmitButton, TextField, before_sending};
use crate::http::Failure;
use crate::i18n::{Msg, use_i18n};
use crate::session::use_session;
use crate::toast::use_toasts;

/// The change-password form.
#[component]
pub fn PasswordCard() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let (current, new) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let hints: Vec<String> = session.user.with_untracked(|u| {
            u.iter().flat_map(|u| [u.email.clone(), u.phone.clone()]).flatten().collect()
        });
        let hints: Vec<&str> = hints.iter().map(String::as_str).collect();
        let body = ChangePasswordRequest {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
        };
        let mut local = Vec::new();
        if body.current_password.is_empty() {
            local.push(FieldIssue::new("current_password", "required"));
        }
        let local = before_sending(local, body.check_for(&hints));
        if !local.is_empty() {
            errors.set(FormErrors::local(local));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result: Result<(), Failure> = session.call("POST", "/me/password", Some(&body)).await;
            busy.set(false);
            match result {
                Ok(()) => {
                    session.password_change.set(false);
                    errors.set(FormErrors::default());
                    current.set(String::new());
                    new.set(String::new());
                    toasts.success(Msg::PasswordChanged);
                }
                Err(failure) => errors.set(FormErrors::from_failure(failure)),
            }
        });
    };
    view! {
        <section class="card" id="password-card">
            <h2>{move || i18n.t(Msg::ChangePassword)}</h2>
            <Show when=move || session.password_change.get()>
                <p class="notice notice-warn" id="password-change-required">{move || i18n.t(Msg::PasswordChangeRequired)}</p>
            </Show>
            <form id="password-form" on:submit=submit novalidate>
                <TextField id="pw-current" label=Msg::CurrentPassword value=current errors=errors field="current_password" kind="password" autocomplete="current-password"/>
                <TextField id="pw-new" label=Msg::NewPassword value=new errors=errors field="new_password" kind="password" autocomplete="new-password" hint=Msg::PasswordRules/>
                <FormError errors=errors id="password-form-error"/>
                <SubmitButton id="pw-submit" label=Msg::ChangePassword busy=busy/>
            </form>
        </section>
    }
}
