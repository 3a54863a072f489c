//! An organisation's own page (`/orgs/{id}`): its profile, members and invitations, with links
//! to its public profile, its membership tier, its credit report (on the public profile, with the detail members
//! see), its verification and (for owners and admins) its API keys. Opening it makes it the active
//! organisation; every request on it sends `X-Org-Id`.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::dto::{Organisation, VerificationStatus};
use shared::gb2260;

use super::invite::InviteCard;
use super::members::MembersCard;
use super::membership::tier_text;
use super::profile::ProfileCard;
use super::scope::MyOrganisation;
use crate::i18n::{CreditMsg, MembershipMsg, Msg, member_role_name, role_name, use_i18n, verification_name};
use crate::session::require_sign_in;

/// The organisation page.
#[component]
pub fn OrganisationPage() -> impl IntoView {
    require_sign_in();
    view! { <MyOrganisation view=|org| view! { <Overview org=org/> }.into_any()/> }
}

#[component]
fn Overview(org: Organisation) -> impl IntoView {
    let i18n = use_i18n();
    let p = org.profile.clone();
    let manage = org.my_role.can_manage();
    let status = p.verification_status;
    let my_role = org.my_role;
    let tier = p.membership_tier;
    view! {
        <div class="stack">
            <section class="card">
                <p class="eyebrow">{move || i18n.t(member_role_name(my_role))}</p>
                <h1 id="org-title">{p.name.clone()}</h1>
                <p class="badges">
                    <span class="badge" class:badge-ok=status == VerificationStatus::Verified id="org-status">
                        {move || i18n.t(verification_name(status))}
                    </span>
                    {p.suspended.then(|| view! { <span class="badge badge-bad" id="org-suspended">{move || i18n.t(Msg::Suspended)}</span> })}
                    {p.roles.iter().map(|r| { let r = *r; view! { <span class="badge">{move || i18n.t(role_name(r))}</span> } }).collect_view()}
                    <span class=format!("badge tier-badge tier-{}", tier.as_str()) id="org-tier">{move || tier_text(i18n.0.get(), tier)}</span>
                </p>
                <dl class="facts">
                    <dt>{move || i18n.t(Msg::Uscc)}</dt><dd>{p.uscc.clone()}</dd>
                    <dt>{move || i18n.t(Msg::RegisteredRegion)}</dt>
                    <dd id="org-region-name">{gb2260::full_name(&p.region_code).unwrap_or_else(|| p.region_name.clone())}</dd>
                </dl>
                <p class="links">
                    <A href=format!("/directory/{}", p.id) attr:id="org-public-link">{move || i18n.t(Msg::PublicProfileLink)}</A>
                    <A href=format!("/directory/{}#org-credit", p.id) attr:id="org-credit-link">{move || i18n.t(Msg::CreditMsg(CreditMsg::CreditReport))}</A>
                    <A href=format!("/orgs/{}/membership", p.id) attr:id="org-membership-link">{move || i18n.t(Msg::MembershipMsg(MembershipMsg::Membership))}</A>
                    <A href=format!("/orgs/{}/verification", p.id) attr:id="org-verification-link">{move || i18n.t(Msg::VerificationTitle)}</A>
                    {manage.then(|| view! {
                        <A href=format!("/orgs/{}/api-keys", p.id) attr:id="org-api-keys-link">{move || i18n.t(Msg::ApiKeysTitle)}</A>
                    })}
                </p>
            </section>
            {manage.then(|| view! { <ProfileCard org=org.clone()/> })}
            <MembersCard org=org.clone()/>
            {manage.then(|| view! { <InviteCard org_id=p.id.clone()/> })}
        </div>
    }
}
