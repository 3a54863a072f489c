//! The demand list: published demands for everyone; the active organisation's own (drafts,
//! in review, rejected too) on the second tab; links to post one and to received invitations.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::dto::{DemandPage, DemandView};

use super::status_class;
use crate::active_org::use_active_org;
use crate::i18n::{Msg, category_name, demand_kind_name, demand_status_name, tr, use_i18n};
use crate::money::format_range;
use crate::pages::library::{ScopeTabs, badge, library_pages, may_publish};
use crate::paging::{ListFooter, Paged};

/// The demand list page (`/demands`).
#[component]
pub fn DemandsPage() -> impl IntoView {
    let orgs = use_active_org();
    let mine = RwSignal::new(false);
    let list = Paged::<DemandView>::new();
    let load = library_pages(list, mine, "demands", |page: DemandPage| (page.items, page.next_cursor));
    view! {
        <section class="card">
            <div class="title-row">
                <h1 id="demands-title">{tr(Msg::DemandLibrary)}</h1>
                <Show when=may_publish>
                    <A href="/demands/new" attr:class="button primary" attr:id="demand-new">{tr(Msg::PostDemand)}</A>
                </Show>
            </div>
            <p class="hint">{tr(Msg::DemandLibraryIntro)}</p>
            <Show when=move || orgs.acting().is_some()>
                <p class="links"><A href="/demand-invitations" attr:id="received-invitations-link">{tr(Msg::ReceivedInvitations)}</A></p>
            </Show>
            <ScopeTabs mine=mine id="demands-scope"/>
            <ul class="rows" id="demands">
                <For each=move || list.items.get() key=|d| (d.id.clone(), d.updated_at) let:d>
                    <DemandRow demand=d/>
                </For>
            </ul>
            <ListFooter state=list.state id="demands" empty=Msg::DemandsEmpty on_more=Callback::new(move |()| load(false))/>
        </section>
    }
}

#[component]
fn DemandRow(demand: DemandView) -> impl IntoView {
    let i18n = use_i18n();
    let d = demand;
    let (code, fallback) = (d.category.clone(), d.category_name.clone());
    view! {
        <li class="row item">
            <div class="item-main">
                <A href=format!("/demands/{}", d.id) attr:class="item-title">{d.title.clone()}</A>
                <p class="badges">
                    {badge(demand_kind_name(d.kind), "")}
                    <span class="badge">{move || category_name(i18n.0.get(), &code, &fallback)}</span>
                    {badge(demand_status_name(d.status), status_class(d.status))}
                </p>
                <p class="hint">{d.org_name.clone()}" · "{d.region_name.clone()}" · "{tr(Msg::Deadline)}" "{d.deadline.to_string()}</p>
            </div>
            <strong class="amount">{format_range(d.budget_min_fen, d.budget_max_fen)}</strong>
        </li>
    }
}
