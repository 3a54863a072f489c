//! The app shell: header, toasts, routes, not-found page.

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

use crate::active_org::ActiveOrg;
use crate::header::Header;
use crate::i18n::{I18n, Msg, use_i18n};
use crate::notices::Notices;
use crate::pages::account::AccountPage;
use crate::pages::auth::{LoginPage, RegisterPage};
use crate::pages::community::{
    DigestPage, EventPage, GroupAdminPage, GroupAnalyticsPage, GroupModerationPage, GroupPage, GroupsPage,
    MyPointsPage, NewGroupPage, PostPage, RewardsPage, SharedResourcePage,
};
use crate::pages::contracts::{ContractPage, MyContractsPage};
use crate::pages::demands::{DemandPage, DemandsPage, NewDemandPage, ReceivedInvitationsPage};
use crate::pages::invitations::InvitationsPage;
use crate::pages::landing::Landing;
use crate::pages::notifications::NotificationsPage;
use crate::pages::orgs::{
    api_keys::ApiKeysPage, membership::MembershipPage, new::NewOrganisationPage, page::OrganisationPage,
    public::PublicProfilePage,
};
use crate::pages::password_reset::PasswordResetPage;
use crate::pages::projects::{NewProjectPage, ProjectPage, ProjectsPage};
use crate::pages::resources::{ComparePage, NewResourcePage, ResourcePage, ResourcesPage};
use crate::pages::search::SearchPage;
use crate::pages::staff::{
    StaffAuditPage, StaffCalendarPage, StaffDemandReviewsPage, StaffDisputesPage, StaffFinancePage,
    StaffInboxPage, StaffQueuePage,
};
use crate::pages::tenders::{MyBidsPage, TenderPage};
use crate::pages::verification::VerificationPage;
use crate::pages::wallet::WalletPage;
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
    Notices::provide();
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
                    <Route path=path!("/orgs/:id/membership") view=MembershipPage/>
                    <Route path=path!("/directory/:id") view=PublicProfilePage/>
                    <Route path=path!("/staff") view=StaffQueuePage/>
                    <Route path=path!("/staff/requests") view=StaffInboxPage/>
                    <Route path=path!("/staff/audit") view=StaffAuditPage/>
                    <Route path=path!("/staff/demand-reviews") view=StaffDemandReviewsPage/>
                    <Route path=path!("/staff/calendar") view=StaffCalendarPage/>
                    <Route path=path!("/staff/disputes") view=StaffDisputesPage/>
                    <Route path=path!("/projects") view=ProjectsPage/>
                    <Route path=path!("/projects/new") view=NewProjectPage/>
                    <Route path=path!("/projects/:id") view=ProjectPage/>
                    <Route path=path!("/resources") view=ResourcesPage/>
                    <Route path=path!("/resources/new") view=NewResourcePage/>
                    <Route path=path!("/resources/compare") view=ComparePage/>
                    <Route path=path!("/resources/:id") view=ResourcePage/>
                    <Route path=path!("/demands") view=DemandsPage/>
                    <Route path=path!("/demands/new") view=NewDemandPage/>
                    <Route path=path!("/demands/:id") view=DemandPage/>
                    <Route path=path!("/demand-invitations") view=ReceivedInvitationsPage/>
                    <Route path=path!("/tenders/:id") view=TenderPage/>
                    <Route path=path!("/bids") view=MyBidsPage/>
                    <Route path=path!("/contracts") view=MyContractsPage/>
                    <Route path=path!("/contracts/:id") view=ContractPage/>
                    <Route path=path!("/disputes/:id") view=crate::pages::disputes::DisputePage/>
                    <Route path=path!("/wallet") view=WalletPage/>
                    <Route path=path!("/staff/finance") view=StaffFinancePage/>
                    <Route path=path!("/search") view=SearchPage/>
                    <Route path=path!("/notifications") view=NotificationsPage/>
                    <Route path=path!("/groups") view=GroupsPage/>
                    <Route path=path!("/groups/new") view=NewGroupPage/>
                    <Route path=path!("/groups/:id") view=GroupPage/>
                    <Route path=path!("/groups/:id/moderation") view=GroupModerationPage/>
                    <Route path=path!("/groups/:id/posts/:post_id") view=PostPage/>
                    <Route path=path!("/groups/:id/events/:event_id") view=EventPage/>
                    <Route path=path!("/groups/:id/admin") view=GroupAdminPage/>
                    <Route path=path!("/groups/:id/held") view=GroupAdminPage/>
                    <Route path=path!("/groups/:id/applications") view=GroupAdminPage/>
                    <Route path=path!("/groups/:id/resources/:rid") view=SharedResourcePage/>
                    <Route path=path!("/groups/:id/digest") view=DigestPage/>
                    <Route path=path!("/groups/:id/analytics") view=GroupAnalyticsPage/>
                    <Route path=path!("/me/points") view=MyPointsPage/>
                    <Route path=path!("/rewards") view=RewardsPage/>
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
