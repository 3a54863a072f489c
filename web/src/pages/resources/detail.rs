//! A listing's page (`/resources/{id}`): price, stock or availability, lead time, regions
//! served, parameters and description; its own organisation may edit or withdraw it.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use shared::dto::Resource;

use super::form::ResourceForm;
use super::regions_named;
use crate::active_org::use_active_org;
use crate::forms::failure_text;
use crate::http::Failure;
use crate::i18n::{Msg, category_name, resource_kind_name, tr, use_i18n};
use crate::money::format_fen;
use crate::pages::library::{acts_for, badge};
use crate::session::use_session;
use crate::toast::use_toasts;

/// The listing page.
#[component]
pub fn ResourcePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let orgs = use_active_org();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let resource = RwSignal::new(None::<Result<Resource, Failure>>);
    Effect::new(move |_| {
        if session.ready.get() {
            let id = id.get();
            let _ = orgs.acting();
            leptos::task::spawn_local(async move {
                let result = orgs.call_acting::<(), Resource>("GET", &format!("/resources/{id}"), None).await;
                resource.set(Some(result));
            });
        }
    });
    move || match resource.get() {
        None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
        Some(Err(failure)) => view! {
            <section class="card narrow">
                <h1 id="resource-missing">{tr(Msg::ResourceNotFound)}</h1>
                <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &failure)}</p>
            </section>
        }
        .into_any(),
        Some(Ok(r)) => view! { <ResourceView resource=r holder=resource/> }.into_any(),
    }
}

#[component]
fn ResourceView(resource: Resource, holder: RwSignal<Option<Result<Resource, Failure>>>) -> impl IntoView {
    let i18n = use_i18n();
    let orgs = use_active_org();
    let toasts = use_toasts();
    let navigate = StoredValue::new_local(use_navigate());
    let r = resource;
    let id = StoredValue::new(r.id.clone());
    let owner_org = StoredValue::new(r.org_id.clone());
    let owner = move || acts_for(&owner_org.get_value()) && r.listed;
    let editing = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let withdraw = move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result =
                orgs.call_acting::<(), ()>("DELETE", &format!("/resources/{}", id.get_value()), None).await;
            busy.set(false);
            match result {
                Ok(()) => {
                    toasts.success(Msg::ResourceWithdrawn);
                    navigate.with_value(|go| go("/resources", Default::default()));
                }
                Err(failure) => toasts.failure(failure),
            }
        });
    };
    let saved = Callback::new(move |updated: Resource| {
        editing.set(false);
        holder.set(Some(Ok(updated)));
    });
    let (code, fallback) = (r.category.clone(), r.category_name.clone());
    let edit_copy = StoredValue::new(r.clone());
    view! {
        <div class="stack">
            <section class="card">
                <p class="eyebrow">{r.org_name.clone()}</p>
                <h1 id="resource-title">{r.name.clone()}</h1>
                <p class="badges">
                    {badge(resource_kind_name(r.kind), "")}
                    <span class="badge">{move || category_name(i18n.0.get(), &code, &fallback)}</span>
                    {(!r.listed).then(|| badge(Msg::Withdrawn, "badge-muted"))}
                    {r.tags.iter().map(|t| view! { <span class="badge tag">"#"{t.clone()}</span> }).collect_view()}
                </p>
                <dl class="facts">
                    <dt>{tr(Msg::UnitPrice)}</dt><dd id="resource-price-shown">{format_fen(r.unit_price_fen)}" / "{r.unit.clone()}</dd>
                    {r.stock.map(|s| view! { <dt>{tr(Msg::StockFact)}</dt><dd>{s}" "{r.unit.clone()}</dd> })}
                    {r.availability.clone().map(|a| view! { <dt>{tr(Msg::AvailabilityFact)}</dt><dd>{a}</dd> })}
                    <dt>{tr(Msg::LeadTime)}</dt><dd>{r.lead_time_days}" "{tr(Msg::Days)}</dd>
                    <dt>{tr(Msg::RegionsServed)}</dt><dd>{regions_named(&r.regions_served)}</dd>
                </dl>
                {(!r.parameters.is_empty()).then(|| view! {
                    <h2>{tr(Msg::Parameters)}</h2>
                    <div class="table-scroll">
                        <table class="data" id="resource-parameters">
                            <tbody>
                                {r.parameters.iter().map(|p| view! {
                                    <tr><th scope="row">{p.name.clone()}</th><td>{p.value.clone()}" "{p.unit.clone()}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                })}
                <p class="prose">{r.description.clone()}</p>
                <Show when=owner>
                    <div class="actions">
                        <button class="button" type="button" id="resource-edit" on:click=move |_| editing.update(|e| *e = !*e)>
                            {move || if editing.get() { i18n.t(Msg::Cancel) } else { i18n.t(Msg::Edit) }}
                        </button>
                        <Show when=move || confirming.get() fallback=move || view! {
                            <button class="button danger" type="button" id="resource-withdraw" on:click=move |_| confirming.set(true)>{tr(Msg::Withdraw)}</button>
                        }>
                            <span class="confirm-text">{tr(Msg::WithdrawResourceConfirm)}</span>
                            <button class="button small danger" type="button" data-action="confirm" disabled=move || busy.get() on:click=withdraw>{tr(Msg::Confirm)}</button>
                            <button class="button small" type="button" on:click=move |_| confirming.set(false)>{tr(Msg::Cancel)}</button>
                        </Show>
                    </div>
                </Show>
            </section>
            <Show when=move || editing.get()>
                <section class="card">
                    <h2>{tr(Msg::Edit)}</h2>
                    <ResourceForm initial=Some(edit_copy.get_value()) on_saved=saved/>
                </section>
            </Show>
        </div>
    }
}
