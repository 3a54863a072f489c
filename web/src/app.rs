//! The app shell: header, toasts, routes, not-found page.

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

use crate::active_org::ActiveOrg;
use crate::header::Header;
use crate::i18n::{I18n, Msg, use_i18n};
use crate::pages::account::AccountPage;
use crate::pages::auth::{LoginPage, RegisterPage};
use crate::pages::invitations::InvitationsPage;
use crate::pages::landing::Landing;
use crate::pages::orgs::{api_keys::ApiKeysPage, new::NewOrganisationPage, page::OrganisationPage};
use crate::pages::password_reset::PasswordResetPage;
use crate::pages::staff::{StaffAuditPage, StaffInboxPage, StaffQueuePage};
use crate::pages::verification::VerificationPage;
use crate::session::Session;
use crate::staff_standing::StaffStanding;
use crate::toast::{ToastRegion, Toasts};

/// The root component.
#[component]
pub fn App() -> impl IntoView {
    I18n::provide();
    Session::provide();
    ActiveOrg::provide();
    StaffStanding::provide();
    Toasts::provide();
    view! {
        <Router>
            <Header/>
            <main class="page">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Landing/>
                    <Route path=path!("/login") view=LoginPage/>
                    <Route path=path!("/register") view=RegisterPage/>
                    <Route path=path!("/password-reset") view=PasswordResetPage/>
                    <Route path=path!("/account") view=AccountPage/>
                    <Route path=path!("/invitations") view=InvitationsPage/>
                    <Route path=path!("/orgs/new") view=NewOrganisationPage/>
                    <Route path=path!("/orgs/:id") view=OrganisationPage/>
                    <Route path=path!("/orgs/:id/verification") view=VerificationPage/>
                    <Route path=path!("/orgs/:id/api-keys") view=ApiKeysPage/>
                    <Route path=path!("/staff") view=StaffQueuePage/>
                    <Route path=path!("/staff/requests") view=StaffInboxPage/>
                    <Route path=path!("/staff/audit") view=StaffAuditPage/>
                </Routes>
            </main>
            <ToastRegion/>
        </Router>
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
