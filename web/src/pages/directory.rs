//! The public directory of verified organisations, in keyset pages ("show more"); each links to
//! its public profile (`/directory/{id}`) and shows its credit grade.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::dto::{OrganisationPage, OrganisationPublic};

use crate::forms::failure_text;
use crate::http::{Failure, request};
use crate::i18n::{Msg, role_name, use_i18n};
use crate::pages::orgs::credit::GradeBadge;

const PAGE_SIZE: u32 = 12;

/// The directory section of the landing page.
#[component]
pub fn Directory() -> impl IntoView {
    let i18n = use_i18n();
    let items = RwSignal::new(Vec::<OrganisationPublic>::new());
    let cursor = RwSignal::new(None::<String>);
    let loaded = RwSignal::new(false);
    let loading = RwSignal::new(false);
    let failed = RwSignal::new(None::<Failure>);
    let load = move || {
        loading.set(true);
        leptos::task::spawn_local(async move {
            let path = match cursor.get_untracked() {
                Some(c) => format!("/orgs?limit={PAGE_SIZE}&cursor={c}"),
                None => format!("/orgs?limit={PAGE_SIZE}"),
            };
            let result: Result<OrganisationPage, Failure> = request("GET", &path, None::<&()>, None).await;
            loading.set(false);
            match result {
                Ok(page) => {
                    failed.set(None);
                    items.update(|all| all.extend(page.items));
                    cursor.set(page.next_cursor);
                    loaded.set(true);
                }
                Err(failure) => failed.set(Some(failure)),
            }
        });
    };
    load();
    view! {
        <section class="directory" aria-labelledby="directory-title">
            <h2 id="directory-title">{move || i18n.t(Msg::DirectoryTitle)}</h2>
            <p class="hint">{move || i18n.t(Msg::DirectoryIntro)}</p>
            <Show when=move || loaded.get() && items.with(Vec::is_empty)>
                <p class="empty" id="directory-empty">{move || i18n.t(Msg::DirectoryEmpty)}</p>
            </Show>
            <ul class="org-grid" id="directory">
                <For each=move || items.get() key=|o| o.id.clone() children=move |org| {
                    let shown = org.short_name.clone().unwrap_or_else(|| org.name.clone());
                    view! {
                        <li class="card org-card">
                            <h3 class="org-name"><A href=format!("/directory/{}", org.id)>{shown}</A></h3>
                            <p class="hint">{org.name.clone()}</p>
                            <p class="org-region">{org.region_name.clone()}</p>
                            <p class="badges">
                                {org.roles.iter().map(|r| { let r = *r; view! { <span class="badge">{move || i18n.t(role_name(r))}</span> } }).collect_view()}
                                <GradeBadge grade=org.credit_grade/>
                            </p>
                        </li>
                    }
                }/>
            </ul>
            {move || failed.get().map(|failure| view! {
                <p class="form-error" role="alert" id="directory-error">{move || failure_text(i18n.0.get(), &failure)}</p>
            })}
            <Show when=move || loading.get()>
                <p class="loading">{move || i18n.t(Msg::Loading)}</p>
            </Show>
            <Show when=move || !loading.get() && (cursor.with(Option::is_some) || failed.with(Option::is_some))>
                <button id="directory-more" class="button" type="button" on:click=move |_| load()>
                    {move || if failed.with(Option::is_some) { i18n.t(Msg::TryAgain) } else { i18n.t(Msg::ShowMore) }}
                </button>
            </Show>
        </section>
    }
}
