//! The header: brand, the active organisation and business-role view filter (for people with
//! organisations), navigation (the staff console for staff only), and the language switch.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};
use shared::dto::BusinessRole;

use crate::active_org::use_active_org;
use crate::i18n::{Msg, role_name, use_i18n};
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
    let signed_in = move || session.user.with(Option::is_some);
    view! {
        <header class="topbar">
            <A href="/" attr:class="brand">
                <span class="brand-mark" aria-hidden="true">"筑"</span>
                <span>{move || i18n.t(Msg::Brand)}</span>
            </A>
            <nav class="topnav" aria-label=move || i18n.t(Msg::MainNavigation)>
                <Show
                    when=signed_in
                    fallback=move || view! {
                        <A href="/login" attr:id="nav-login">{move || i18n.t(Msg::SignIn)}</A>
                        <A href="/register" attr:id="nav-register" attr:class="button">{move || i18n.t(Msg::Register)}</A>
                    }
                >
                    <OrgSwitch/>
                    <A href="/invitations" attr:id="nav-invitations">{move || i18n.t(Msg::Invitations)}</A>
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
