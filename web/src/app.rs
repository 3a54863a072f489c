//! The app shell: header (brand, navigation, language switch), routes, not-found page.

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

use crate::i18n::{I18n, Msg, use_i18n};
use crate::pages::{account::AccountPage, auth::LoginPage, auth::RegisterPage, landing::Landing};
use crate::session::{Session, use_session};

/// The root component.
#[component]
pub fn App() -> impl IntoView {
    I18n::provide();
    Session::provide();
    view! {
        <Router>
            <Header/>
            <main class="page">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Landing/>
                    <Route path=path!("/login") view=LoginPage/>
                    <Route path=path!("/register") view=RegisterPage/>
                    <Route path=path!("/account") view=AccountPage/>
                </Routes>
            </main>
        </Router>
    }
}

#[component]
fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let signed_in = move || session.user.with(Option::is_some);
    view! {
        <header class="topbar">
            <A href="/" attr:class="brand">
                <span class="brand-mark">"筑"</span>
                <span>{move || i18n.t(Msg::Brand)}</span>
            </A>
            <nav class="topnav">
                <Show
                    when=signed_in
                    fallback=move || view! {
                        <A href="/login" attr:id="nav-login">{move || i18n.t(Msg::SignIn)}</A>
                        <A href="/register" attr:id="nav-register" attr:class="button">{move || i18n.t(Msg::Register)}</A>
                    }
                >
                    <A href="/account" attr:id="nav-account">{move || i18n.t(Msg::Account)}</A>
                </Show>
                <button id="lang-switch" class="link" on:click=move |_| i18n.toggle()>
                    {move || i18n.t(Msg::SwitchLanguage)}
                </button>
            </nav>
        </header>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card narrow">
            <h1>{move || i18n.t(Msg::NotFound)}</h1>
            <A href="/">{move || i18n.t(Msg::BackHome)}</A>
        </section>
    }
}
