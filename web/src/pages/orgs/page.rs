//! An organisation's own page (`/orgs/{id}`): its profile, members and invitations. Opening it
//! makes it the active organisation; every request on it sends `X-Org-Id`.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use shared::dto::VerificationStatus;
use shared::gb2260;

use super::invite::InviteCard;
use super::members::MembersCard;
use super::profile::ProfileCard;
use crate::active_org::use_active_org;
use crate::i18n::{Msg, member_role_name, role_name, use_i18n, verification_name};
use crate::session::require_sign_in;

/// The organisation page.
#[component]
pub fn OrganisationPage() -> impl IntoView {
    require_sign_in();
    let i18n = use_i18n();
    let orgs = use_active_org();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let org = Memo::new(move |_| orgs.find(&id.get()));
    Effect::new(move |_| {
        let id = id.get();
        if org.with(Option::is_some) && orgs.active.with_untracked(|a| a.as_deref() != Some(id.as_str())) {
            orgs.select(Some(id));
        }
    });
    view! {
        {move || match (orgs.mine.with(Option::is_some), org.get()) {
            (false, _) => view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
            (true, None) => view! {
                <section class="card narrow">
                    <h1>{move || i18n.t(Msg::OrgNotFound)}</h1>
                    <A href="/orgs/new">{move || i18n.t(Msg::CreateOrg)}</A>
                </section>
            }.into_any(),
            (true, Some(org)) => {
                let p = org.profile.clone();
                let manage = org.my_role.can_manage();
                let status = p.verification_status;
                let my_role = org.my_role;
                view! {
                    <div class="stack">
                        <section class="card">
                            <p class="eyebrow">{move || i18n.t(member_role_name(my_role))}</p>
                            <h1 id="org-title">{p.name.clone()}</h1>
                            <p class="badges">
                                <span class="badge" class:badge-ok=status == VerificationStatus::Verified id="org-status">
                                    {move || i18n.t(verification_name(status))}
                                </span>
                                {p.roles.iter().map(|r| { let r = *r; view! { <span class="badge">{move || i18n.t(role_name(r))}</span> } }).collect_view()}
                            </p>
                            <dl class="facts">
                                <dt>{move || i18n.t(Msg::Uscc)}</dt><dd>{p.uscc.clone()}</dd>
                                <dt>{move || i18n.t(Msg::RegisteredRegion)}</dt>
                                <dd id="org-region-name">{gb2260::full_name(&p.region_code).unwrap_or_else(|| p.region_name.clone())}</dd>
                            </dl>
                        </section>
                        {manage.then(|| view! { <ProfileCard org=org.clone()/> })}
                        <MembersCard org=org.clone()/>
                        {manage.then(|| view! { <InviteCard org_id=p.id.clone()/> })}
                    </div>
                }.into_any()
            }
        }}
    }
}
