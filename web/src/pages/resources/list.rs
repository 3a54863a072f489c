//! The listing list: filters (kind, category), the active organisation's own
//! listings on the second tab, and a checkbox per listing to pick 2–5 for the comparison table.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use shared::dto::{Resource, ResourceKind, ResourcePage};

use crate::active_org::use_active_org;
use crate::i18n::{Msg, category_name, resource_kind_name, tr, use_i18n};
use crate::money::format_fen;
use crate::pages::library::{CategorySelect, ScopeTabs, badge, may_publish};
use crate::paging::{ListFooter, PAGE_SIZE, Paged};
use crate::query::with_query;
use crate::session::use_session;

/// The most listings one comparison takes.
use shared::domain::comparison::MAX_LISTINGS as MAX_COMPARED;

/// The listing list page (`/resources`).
#[component]
pub fn ResourcesPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let orgs = use_active_org();
    let navigate = StoredValue::new_local(use_navigate());
    let mine = RwSignal::new(false);
    let kind = RwSignal::new(None::<ResourceKind>);
    let category = RwSignal::new(String::new());
    let picked = RwSignal::new(Vec::<String>::new());
    let list = Paged::<Resource>::new();
    let load = move |first: bool| {
        let org = orgs.acting_untracked().filter(|_| mine.get_untracked());
        let query = [
            ("kind", kind.get_untracked().map(|k| k.as_str().to_owned())),
            ("category", Some(category.get_untracked())),
            ("limit", Some(PAGE_SIZE.to_owned())),
            ("cursor", list.cursor_for(first)),
        ];
        let path = match &org {
            Some(org) => with_query(&format!("/orgs/{org}/resources"), &query[2..]),
            None => with_query("/resources", &query),
        };
        list.load(first, async move {
            let page: ResourcePage = session.call_as(org.as_deref(), "GET", &path, None::<&()>).await?;
            Ok((page.items, page.next_cursor))
        });
    };
    Effect::new(move |_| {
        if session.ready.get() {
            let _ = (mine.get(), orgs.acting(), kind.get(), category.get());
            load(true);
        }
    });
    let compare = move |_| {
        let ids = picked.get_untracked().join(",");
        navigate.with_value(|go| go(&format!("/resources/compare?ids={ids}"), Default::default()));
    };
    let count = move || picked.with(Vec::len);
    view! {
        <section class="card">
            <div class="title-row">
                <h1 id="resources-title">{tr(Msg::ResourceLibrary)}</h1>
                <Show when=may_publish>
                    <A href="/resources/new" attr:class="button primary" attr:id="resource-new">{tr(Msg::PostResource)}</A>
                </Show>
            </div>
            <p class="hint">{tr(Msg::ResourceLibraryIntro)}</p>
            <ScopeTabs mine=mine id="resources-scope"/>
            <details class="filters">
                <summary>{tr(Msg::Filters)}</summary>
                <div class="filter-grid">
                    <div>
                        <label for="resource-kind-filter">{tr(Msg::ResourceKind)}</label>
                        <select id="resource-kind-filter" on:change=move |ev| kind.set(ResourceKind::parse(&event_target_value(&ev)))>
                            <option value="">{tr(Msg::Any)}</option>
                            {ResourceKind::ALL.iter().copied().map(|k| view! { <option value=k.as_str()>{tr(resource_kind_name(k))}</option> }).collect_view()}
                        </select>
                    </div>
                    <div><CategorySelect id="resource-category-filter" value=category any=true/></div>
                </div>
            </details>
            <div class="compare-bar" id="compare-bar">
                <span id="compare-count">{move || format!("{} {}/{MAX_COMPARED}", i18n.t(Msg::PickedForComparison), count())}</span>
                <button class="button primary" type="button" id="compare-button" disabled=move || !(2..=MAX_COMPARED).contains(&count()) on:click=compare>
                    {tr(Msg::Compare)}
                </button>
                <Show when=move || { count() > 0 }>
                    <button class="button small" type="button" on:click=move |_| picked.set(Vec::new())>{tr(Msg::ClearPicks)}</button>
                </Show>
            </div>
            <ul class="rows" id="resources">
                <For each=move || list.items.get() key=|r| (r.id.clone(), r.updated_at) let:r>
                    <ResourceRow resource=r picked=picked/>
                </For>
            </ul>
            <ListFooter state=list.state id="resources" empty=Msg::ResourcesEmpty on_more=Callback::new(move |()| load(false))/>
        </section>
    }
}

#[component]
fn ResourceRow(resource: Resource, picked: RwSignal<Vec<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let r = resource;
    let id = StoredValue::new(r.id.clone());
    let checked = move || picked.with(|p| p.contains(&id.get_value()));
    let full = move || picked.with(|p| p.len() >= MAX_COMPARED);
    let (code, fallback) = (r.category.clone(), r.category_name.clone());
    view! {
        <li class="row item" data-resource=r.id.clone()>
            <label class="pick" title=tr(Msg::Compare)>
                <input type="checkbox" class="compare-pick" prop:checked=checked disabled=move || full() && !checked()
                    aria-label=tr(Msg::Compare)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        picked.update(|p| {
                            p.retain(|x| *x != id.get_value());
                            if on && p.len() < MAX_COMPARED {
                                p.push(id.get_value());
                            }
                        });
                    }/>
            </label>
            <div class="item-main">
                <A href=format!("/resources/{}", r.id) attr:class="item-title">{r.name.clone()}</A>
                <p class="badges">
                    {badge(resource_kind_name(r.kind), "")}
                    <span class="badge">{move || category_name(i18n.0.get(), &code, &fallback)}</span>
                    {(!r.listed).then(|| badge(Msg::Withdrawn, "badge-muted"))}
                </p>
                <p class="hint">{r.org_name.clone()}" · "{move || format!("{} {}", i18n.t(Msg::LeadTime), r.lead_time_days)}{move || i18n.t(Msg::Days)}</p>
            </div>
            <strong class="amount">{format_fen(r.unit_price_fen)}" / "{r.unit.clone()}</strong>
        </li>
    }
}
