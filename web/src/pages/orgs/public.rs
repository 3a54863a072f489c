//! An organisation's public profile (`/directory/{id}`, no sign-in needed): the public fields of
//! `GET /orgs/{id}` (name, verification, business roles, USCC, region, when it joined, the
//! credit grade), its credit report (see [`CreditCard`]) and its public ratings (see
//! [`OrgRatings`]). Linked from the directory, the search and the parties of a
//! contract; not under `/orgs/…`, which are the caller's own organisations' pages.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::dto::{OrganisationPublic, VerificationStatus};
use shared::gb2260;

use super::credit::{CreditCard, GradeBadge};
use super::ratings::OrgRatings;
use crate::datetime;
use crate::forms::failure_text;
use crate::http::{Failure, request};
use crate::i18n::{Msg, role_name, tr, use_i18n, verification_name};

/// The public profile page.
#[component]
pub fn PublicProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let org = RwSignal::new(None::<Result<OrganisationPublic, Failure>>);
    Effect::new(move |_| {
        let path = format!("/orgs/{}", id.get());
        org.set(None);
        leptos::task::spawn_local(async move {
            let result = request::<(), OrganisationPublic>("GET", &path, None, None).await;
            let _ = org.try_set(Some(result));
        });
    });
    move || match org.get() {
        None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
        Some(Err(failure)) => view! {
            <section class="card narrow">
                <h1 id="public-org-missing">{tr(Msg::OrgNotFound)}</h1>
                <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &failure)}</p>
            </section>
        }
        .into_any(),
        Some(Ok(p)) => view! { <PublicProfile org=p/> }.into_any(),
    }
}

#[component]
fn PublicProfile(org: OrganisationPublic) -> impl IntoView {
    let p = org;
    let status = p.verification_status;
    view! {
        <div class="stack">
            <section class="card" id="public-org">
                <p class="eyebrow">{tr(Msg::PublicProfile)}</p>
                <h1 id="public-org-name">{p.name.clone()}</h1>
                {p.short_name.clone().map(|s| view! { <p class="hint">{s}</p> })}
                <p class="badges">
                    <span class="badge" class:badge-ok=status == VerificationStatus::Verified id="public-org-status">
                        {tr(verification_name(status))}
                    </span>
                    {p.suspended.then(|| view! { <span class="badge badge-bad">{tr(Msg::Suspended)}</span> })}
                    {p.roles.iter().map(|r| view! { <span class="badge">{tr(role_name(*r))}</span> }).collect_view()}
                    <GradeBadge grade=p.credit_grade/>
                </p>
                <dl class="facts">
                    <dt>{tr(Msg::Uscc)}</dt><dd class="mono">{p.uscc.clone()}</dd>
                    <dt>{tr(Msg::RegisteredRegion)}</dt>
                    <dd>{gb2260::full_name(&p.region_code).unwrap_or_else(|| p.region_name.clone())}</dd>
                    <dt>{tr(Msg::JoinedOn)}</dt><dd>{datetime::day(p.created_at)}</dd>
                </dl>
            </section>
            <CreditCard org_id=p.id.clone()/>
            <OrgRatings org_id=p.id.clone()/>
        </div>
    }
}
