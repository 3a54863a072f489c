//! The account page: who is signed in, contact and 2FA status, sign-out. Visitors without a
//! session are sent to sign in, with this page remembered.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use shared::dto::UserProfile;

use crate::i18n::{Msg, use_i18n};
use crate::session::use_session;

/// The account page.
#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    // A Copy handle, so the sign-out handler can live inside the reactive children below.
    let navigate = StoredValue::new_local(use_navigate());
    let signing_out = RwSignal::new(false);
    Effect::new(move |_| {
        if session.ready.get() && session.user.with(Option::is_none) && !signing_out.get() {
            navigate.with_value(|go| {
                go("/login?next=/account", NavigateOptions { replace: true, ..Default::default() })
            });
        }
    });
    // Show the server's current profile (a token that expired meanwhile is renewed by `call`).
    Effect::new(move |loaded: Option<bool>| {
        let ready = session.ready.get() && session.token.with(Option::is_some);
        if ready && loaded != Some(true) {
            leptos::task::spawn_local(async move {
                if let Ok(user) = session.call::<(), UserProfile>("GET", "/me", None).await {
                    session.user.set(Some(user));
                }
            });
        }
        ready || loaded == Some(true)
    });
    let sign_out = move |_| {
        signing_out.set(true);
        leptos::task::spawn_local(async move {
            session.sign_out().await;
            navigate.with_value(|go| go("/", Default::default()));
        });
    };
    let status = move |ok: bool| if ok { i18n.t(Msg::Verified) } else { i18n.t(Msg::NotVerified) };
    view! {
        <Show when=move || session.user.with(Option::is_some) fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
            {move || {
                session.user.get().map(move |user| view! {
                <section class="card">
                    <h1 id="account-title">{move || i18n.t(Msg::Welcome)}<span id="account-name">{user.display_name.clone()}</span></h1>
                    <dl class="facts">
                        {user.email.clone().map(|email| view! {
                            <dt>{move || i18n.t(Msg::Email)}</dt>
                            <dd>{email}" · "{move || status(user.email_verified)}</dd>
                        })}
                        {user.phone.clone().map(|phone| view! {
                            <dt>{move || i18n.t(Msg::Phone)}</dt>
                            <dd>{phone}" · "{move || status(user.phone_verified)}</dd>
                        })}
                        <dt>{move || i18n.t(Msg::TwoFactor)}</dt>
                        <dd>{move || if user.totp_enabled { i18n.t(Msg::On) } else { i18n.t(Msg::Off) }}</dd>
                        <dt>{move || i18n.t(Msg::MemberSince)}</dt>
                        <dd>{user.created_at.format("%Y-%m-%d").to_string()}</dd>
                    </dl>
                    <button id="sign-out" class="button" on:click=sign_out>{move || i18n.t(Msg::SignOut)}</button>
                </section>
            })
            }}
        </Show>
    }
}
