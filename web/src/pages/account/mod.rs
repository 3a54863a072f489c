//! The account page: who is signed in, the display name, contact verification, password,
//! two-factor authentication, data export and account deletion, a link to one's community points,
//! and sign-out. Visitors without a session are sent to sign in, with this page remembered.

mod contacts;
mod data;
mod password;
mod profile;
mod totp;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use shared::dto::UserProfile;

use crate::i18n::{CommunityMsg, Msg, use_i18n};
use crate::session::{require_sign_in, use_session};

/// The account page.
#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    require_sign_in();
    // A Copy handle, so the sign-out handler can live inside the reactive children below.
    let navigate = StoredValue::new_local(use_navigate());
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
        // Leave first, so the page's sign-in guard does not send us to the sign-in page.
        navigate.with_value(|go| go("/", Default::default()));
        leptos::task::spawn_local(session.sign_out());
    };
    let status = move |ok: bool| if ok { i18n.t(Msg::Verified) } else { i18n.t(Msg::NotVerified) };
    let user = move || session.user.get();
    view! {
        <Show when=move || session.user.with(Option::is_some) fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
            <div class="stack">
                <section class="card">
                    <h1 id="account-title">{move || i18n.t(Msg::Welcome)}<span id="account-name">{move || user().map(|u| u.display_name)}</span></h1>
                    <dl class="facts">
                        {move || user().and_then(|u| u.email.map(|email| view! {
                            <dt>{move || i18n.t(Msg::Email)}</dt>
                            <dd>{email}" · "{move || status(u.email_verified)}</dd>
                        }))}
                        {move || user().and_then(|u| u.phone.map(|phone| view! {
                            <dt>{move || i18n.t(Msg::Phone)}</dt>
                            <dd>{phone}" · "{move || status(u.phone_verified)}</dd>
                        }))}
                        <dt>{move || i18n.t(Msg::TwoFactor)}</dt>
                        <dd id="totp-status">{move || if user().is_some_and(|u| u.totp_enabled) { i18n.t(Msg::On) } else { i18n.t(Msg::Off) }}</dd>
                        <dt>{move || i18n.t(Msg::MemberSince)}</dt>
                        <dd>{move || user().map(|u| u.created_at.format("%Y-%m-%d").to_string())}</dd>
                    </dl>
                    <div class="actions">
                        <A href="/me/points" attr:class="button" attr:id="account-points">{move || i18n.t(Msg::CommunityMsg(CommunityMsg::MyPoints))}</A>
                        <button id="sign-out" class="button" on:click=sign_out>{move || i18n.t(Msg::SignOut)}</button>
                    </div>
                </section>
                <profile::DisplayNameCard/>
                <contacts::ContactsCard/>
                <password::PasswordCard/>
                <totp::TotpCard/>
                <data::DataCard/>
            </div>
        </Show>
    }
}
