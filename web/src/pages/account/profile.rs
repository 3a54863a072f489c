//! Changing the display name.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::dto::{UpdateProfileRequest, UserProfile};
use shared::validate::Check;

use crate::forms::{FormError, FormErrors, SubmitButton, TextField};
use crate::http::Failure;
use crate::i18n::{Msg, use_i18n};
use crate::session::use_session;
use crate::toast::use_toasts;

/// The display-name form.
#[component]
pub fn DisplayNameCard() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let name = RwSignal::new(
        session.user.with_untracked(|u| u.as_ref().map(|u| u.display_name.clone())).unwrap_or_default(),
    );
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let body = UpdateProfileRequest { display_name: Some(name.get_untracked()) };
        if let Err(invalid) = body.check() {
            errors.set(FormErrors::local(invalid.0));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result: Result<UserProfile, Failure> = session.call("PATCH", "/me", Some(&body)).await;
            busy.set(false);
            match result {
                Ok(user) => {
                    errors.set(FormErrors::default());
                    session.user.set(Some(user));
                    toasts.success(Msg::Saved);
                }
                Err(failure) => errors.set(FormErrors::from_failure(failure)),
            }
        });
    };
    view! {
        <section class="card">
            <h2>{move || i18n.t(Msg::ProfileHeading)}</h2>
            <form id="name-form" on:submit=submit novalidate>
                <TextField id="name-input" label=Msg::DisplayName value=name errors=errors field="display_name" autocomplete="name"/>
                <FormError errors=errors id="name-form-error"/>
                <SubmitButton id="name-submit" label=Msg::Save busy=busy/>
            </form>
        </section>
    }
}
