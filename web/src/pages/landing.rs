//! The start page: for visitors, what Gongzhu is, whom it connects, and the directory of verified
//! organisations; for a signed-in person, their home with the work of their business role first.

use leptos::prelude::*;
use leptos_router::components::A;

use super::directory::Directory;
use super::home::Home;
use crate::i18n::{Msg, use_i18n};
use crate::session::use_session;

/// The landing page.
#[component]
pub fn Landing() -> impl IntoView {
    let session = use_session();
    view! {
        <Show when=move || session.user.with(Option::is_some) fallback=Welcome>
            <Home/>
        </Show>
    }
}

/// What a visitor sees.
#[component]
fn Welcome() -> impl IntoView {
    let i18n = use_i18n();
    let roles = [
        Msg::RoleContractor,
        Msg::RoleSubcontractor,
        Msg::RoleSupplier,
        Msg::RoleDesigner,
        Msg::RoleFinancier,
    ];
    view! {
        <section class="hero">
            <h1 id="landing-title">{move || i18n.t(Msg::Brand)}" · "{move || i18n.t(Msg::Tagline)}</h1>
            <p class="lead">{move || i18n.t(Msg::LandingIntro)}</p>
            <ul class="roles">
                {roles.into_iter().map(|role| view! { <li>{move || i18n.t(role)}</li> }).collect_view()}
            </ul>
            <div class="actions">
                <A href="/register" attr:class="button primary">{move || i18n.t(Msg::Register)}</A>
                <A href="/login" attr:class="button">{move || i18n.t(Msg::SignIn)}</A>
            </div>
        </section>
        <Directory/>
    }
}
