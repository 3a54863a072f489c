//! Pages about one of the caller's organisations (`/orgs/{id}/…`): find it among the caller's
//! organisations, make it the active one, and say so when it is not there.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use shared::dto::Organisation;

use crate::active_org::use_active_org;
use crate::i18n::{Msg, use_i18n};

/// Shows `view` for the organisation named by the route's `:id` once the caller's
/// organisations are loaded; opening it makes it the active organisation.
#[component]
pub fn MyOrganisation(view: fn(Organisation) -> AnyView) -> impl IntoView {
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
    move || match (orgs.mine.with(Option::is_some), org.get()) {
        (false, _) => view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
        (true, None) => view! {
            <section class="card narrow">
                <h1>{move || i18n.t(Msg::OrgNotFound)}</h1>
                <A href="/orgs/new">{move || i18n.t(Msg::CreateOrg)}</A>
            </section>
        }
        .into_any(),
        (true, Some(org)) => view(org),
    }
}
