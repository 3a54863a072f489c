//! The header: brand, the information centre (projects, resources, demands, received invitations,
//! my bids; the active business role's sections first), the community, a search box,
//! the active organisation and business-role view filter (for people with organisations),
//! navigation (the notification bell with the live unread count; the wallet of the active
//! organisation; the staff console for staff only), and the language switch.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};
use shared::dto::BusinessRole;

use crate::active_org::use_active_org;
use crate::i18n::{CommunityMsg, ContractMsg, EscrowMsg, Msg, TenderMsg, role_name, tr, use_i18n};
use crate::notices::use_notices;
use crate::query::with_query;
use crate::roles::{NavEntry, nav_entries};
use crate::session::use_session;
use crate::staff_standing::use_staff_standing;

/// Value of the "create an organisation" entry in the organisation switch.
const NEW_ORG: &str = "__new";
/// Value of the "all roles" entry in the role filter.
const ALL_ROLES: &str = "";

/// The header bar.
#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let staff = use_staff_standing();
    let orgs = use_active_org();
    crate::session::redirect_password_change();
    let signed_in = move || session.user.with(Option::is_some);
    view! {
        <header class="topbar">
            <A href="/" attr:class="brand">
                <span class="brand-mark" aria-hidden="true">"筑"</span>
                <span>{move || i18n.t(Msg::Brand)}</span>
            </A>
            <InfoNav/>
            <nav class="topnav" aria-label=move || i18n.t(Msg::MainNavigation)>
                <Show
                    when=signed_in
                    fallback=move || view! {
                        <A href="/login" attr:id="nav-login">{move || i18n.t(Msg::SignIn)}</A>
                        <A href="/register" attr:id="nav-register" attr:class="button">{move || i18n.t(Msg::Register)}</A>
                    }
                >
                    <OrgSwitch/>
                    <Bell/>
                    <A href="/invitations" attr:id="nav-invitations">{move || i18n.t(Msg::Invitations)}</A>
                    <Show when=move || orgs.acting().is_some()>
                        <A href="/wallet" attr:id="nav-wallet">{move || i18n.t(Msg::EscrowMsg(EscrowMsg::Wallet))}</A>
                    </Show>
                    <Show when=move || staff.is_staff()>
                        <A href="/staff" attr:id="nav-staff">{move || i18n.t(Msg::StaffConsole)}</A>
                    </Show>
                    <A href="/account" attr:id="nav-account">{move || i18n.t(Msg::Account)}</A>
                </Show>
                <button id="lang-switch" class="link" type="button" on:click=move |_| i18n.toggle()>
                    {move || i18n.t(Msg::SwitchLanguage)}
                </button>
            </nav>
        </header>
    }
}

#[component]
fn OrgSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let orgs = use_active_org();
    let navigate = StoredValue::new_local(use_navigate());
    let location = use_location();
    let has_orgs = move || orgs.mine.with(|m| m.as_ref().is_some_and(|m| !m.is_empty()));
    let loaded = move || orgs.mine.with(Option::is_some);
    let pick_org = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        if value == NEW_ORG {
            navigate.with_value(|go| go("/orgs/new", Default::default()));
            // Put the select back on the organisation still in use.
            let active = orgs.active.get_untracked();
            orgs.active.set(None);
            orgs.active.set(active);
            return;
        }
        orgs.select(Some(value.clone()));
        if location.pathname.get_untracked().starts_with("/orgs/") {
            navigate.with_value(|go| go(&format!("/orgs/{value}"), Default::default()));
        }
    };
    let pick_role =
        move |ev: leptos::ev::Event| orgs.set_view_role(BusinessRole::parse(&event_target_value(&ev)));
    let roles = move || orgs.current().map(|o| o.profile.roles).unwrap_or_default();
    view! {
        <Show when=has_orgs fallback=move || view! {
            <Show when=loaded>
                <A href="/orgs/new" attr:id="nav-create-org">{move || i18n.t(Msg::CreateOrg)}</A>
            </Show>
        }>
            <div class="switcher">
                <label for="org-switch" class="sr-only">{move || i18n.t(Msg::ActiveOrg)}</label>
                <select id="org-switch" on:change=pick_org>
                    {move || {
                        let active = orgs.active.get();
                        orgs.mine.get().unwrap_or_default().into_iter().map(|o| {
                            let selected = Some(&o.profile.id) == active.as_ref();
                            let label = o.profile.short_name.clone().unwrap_or_else(|| o.profile.name.clone());
                            view! { <option value=o.profile.id.clone() selected=selected>{label}</option> }
                        }).collect_view()
                    }}
                    <option value=NEW_ORG>{move || i18n.t(Msg::CreateOrgOption)}</option>
                </select>
                <label for="role-switch" class="sr-only">{move || i18n.t(Msg::ViewAsRole)}</label>
                <select id="role-switch" on:change=pick_role>
                    <option value=ALL_ROLES selected=move || orgs.view_role.with(Option::is_none)>{move || i18n.t(Msg::AllRoles)}</option>
                    {move || roles().into_iter().map(|r| view! {
                        <option value=r.as_str() selected=move || orgs.view_role.get() == Some(r)>{move || i18n.t(role_name(r))}</option>
                    }).collect_view()}
                </select>
                {move || orgs.active.get().map(|id| view! {
                    <A href=format!("/orgs/{id}") attr:id="nav-org">{move || i18n.t(Msg::OrgSettings)}</A>
                })}
            </div>
        </Show>
    }
}

/// The information centre's sections, those of the business roles in focus first, and the search
/// box (leading to `/search?q=…`).
#[component]
fn InfoNav() -> impl IntoView {
    let orgs = use_active_org();
    let navigate = StoredValue::new_local(use_navigate());
    let text = RwSignal::new(String::new());
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let url = with_query("/search", &[("q", Some(text.get_untracked().trim().to_owned()))]);
        navigate.with_value(|go| go(&url, Default::default()));
    };
    view! {
        <nav class="infonav" aria-label=tr(Msg::InformationCentre)>
            {move || nav_entries(&orgs.focus()).into_iter().map(nav_link).collect_view()}
            <form class="header-search" role="search" on:submit=search>
                <label for="header-search" class="sr-only">{tr(Msg::SearchPlaceholder)}</label>
                <input id="header-search" type="search" placeholder=tr(Msg::SearchPlaceholder) prop:value=text
                    on:input=move |ev| text.set(event_target_value(&ev))/>
                <button class="button small" type="submit" id="header-search-submit">{tr(Msg::Search)}</button>
            </form>
        </nav>
    }
}

fn nav_link(entry: NavEntry) -> impl IntoView {
    let (href, id, label) = match entry {
        NavEntry::Projects => ("/projects", "nav-projects", Msg::NavProjects),
        NavEntry::Resources => ("/resources", "nav-resources", Msg::NavResources),
        NavEntry::Demands => ("/demands", "nav-demands", Msg::NavDemands),
        NavEntry::DemandInvitations => {
            ("/demand-invitations", "nav-demand-invitations", Msg::ReceivedInvitations)
        }
        NavEntry::MyBids => ("/bids", "nav-my-bids", Msg::TenderMsg(TenderMsg::MyBids)),
        NavEntry::MyContracts => {
            ("/contracts", "nav-my-contracts", Msg::ContractMsg(ContractMsg::MyContracts))
        }
        NavEntry::Groups => ("/groups", "nav-groups", Msg::CommunityMsg(CommunityMsg::NavGroups)),
    };
    view! { <A href=href attr:id=id>{tr(label)}</A> }
}

/// The notification bell with the unread count, kept live.
#[component]
fn Bell() -> impl IntoView {
    let i18n = use_i18n();
    let notices = use_notices();
    let count = move || notices.unread.get();
    view! {
        <A href="/notifications" attr:id="nav-notifications" attr:class="bell"
            attr:aria-label=move || format!("{} ({})", i18n.t(Msg::Notifications), count())>
            <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z"/>
            </svg>
            <span id="bell-count" class="bell-count" class:zero=move || count() == 0>{count}</span>
        </A>
    }
}
