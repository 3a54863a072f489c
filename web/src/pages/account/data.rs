//! The person's data: export everything as a JSON download (PIPL), or delete the account.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use shared::dto::{FieldIssue, ReauthRequest};

use crate::download::save_text;
use crate::forms::{FieldError, FormError, FormErrors, SubmitButton, TextField, field_error};
use crate::http::Failure;
use crate::i18n::{Msg, use_i18n};
use crate::session::use_session;
use crate::toast::use_toasts;

/// Export and deletion.
#[component]
pub fn DataCard() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let exporting = RwSignal::new(false);
    let export = move |_| {
        exporting.set(true);
        leptos::task::spawn_local(async move {
            let result: Result<serde_json::Value, Failure> =
                session.call("GET", "/me/export", None::<&()>).await;
            exporting.set(false);
            match result {
                Ok(data) => {
                    let id =
                        session.user.with_untracked(|u| u.as_ref().map(|u| u.id.clone())).unwrap_or_default();
                    let text = serde_json::to_string_pretty(&data).unwrap_or_default();
                    if save_text(&format!("gongzhu-export-{id}.json"), "application/json", &text) {
                        toasts.success(Msg::ExportReady);
                    } else {
                        toasts.failure(Failure::Network("download".into()));
                    }
                }
                Err(failure) => toasts.failure(failure),
            }
        });
    };
    view! {
        <section class="card">
            <h2>{move || i18n.t(Msg::YourData)}</h2>
            <p class="hint">{move || i18n.t(Msg::ExportIntro)}</p>
            <button id="export" class="button" type="button" disabled=move || exporting.get() on:click=export>
                {move || if exporting.get() { i18n.t(Msg::Loading) } else { i18n.t(Msg::ExportData) }}
            </button>
            <DeleteAccount/>
        </section>
    }
}

#[component]
fn DeleteAccount() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let navigate = StoredValue::new_local(use_navigate());
    let (password, code, sure) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(false));
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let totp = move || session.user.with(|u| u.as_ref().is_some_and(|u| u.totp_enabled));
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !sure.get_untracked() {
            errors.set(FormErrors::local(vec![FieldIssue::new("confirm", "confirm_required")]));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let code = Some(code.get_untracked().trim().to_owned()).filter(|c| !c.is_empty());
            let body = ReauthRequest { password: password.get_untracked(), code };
            let result: Result<(), Failure> = session.call("DELETE", "/me", Some(&body)).await;
            busy.set(false);
            match result {
                Ok(()) => {
                    navigate.with_value(|go| go("/", Default::default()));
                    session.forget();
                    toasts.success(Msg::AccountDeleted);
                }
                Err(failure) => errors.set(FormErrors::from_failure(failure)),
            }
        });
    };
    view! {
        <details class="danger">
            <summary>{move || i18n.t(Msg::DeleteAccount)}</summary>
            <p class="hint">{move || i18n.t(Msg::DeleteAccountWarning)}</p>
            <form id="delete-form" on:submit=submit novalidate>
                <TextField id="delete-password" label=Msg::Password value=password errors=errors field="password" kind="password" autocomplete="current-password"/>
                <Show when=totp>
                    <TextField id="delete-code" label=Msg::TotpCode value=code errors=errors field="code" autocomplete="one-time-code"/>
                </Show>
                <label class="check">
                    <input id="delete-confirm" type="checkbox" prop:checked=sure on:change=move |ev| sure.set(event_target_checked(&ev))/>
                    {move || i18n.t(Msg::DeleteAccountConfirm)}
                </label>
                <FieldError text=field_error(errors, "confirm") id="delete-confirm-error"/>
                <FormError errors=errors id="delete-form-error"/>
                <SubmitButton id="delete-submit" label=Msg::DeleteAccount busy=busy/>
            </form>
        </details>
    }
}
