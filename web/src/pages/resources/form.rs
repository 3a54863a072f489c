//! Posting a listing (live at once; verified organisations only) and editing one: kind,
//! category, name, description, technical parameters (name, value, unit, which way is better),
//! unit price in yuan (sent as fen), unit, stock or availability, regions served, lead time and
//! tags.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use shared::dto::{
    Better, CreateResourceRequest, FieldIssue, Resource, ResourceKind, ResourceParameter,
    UpdateResourceRequest,
};
use shared::gb2260;

use shared::validate::Check;

use crate::forms::{
    FieldError, FormError, FormErrors, SubmitButton, TextField, before_sending, field_error, row_error,
    sendable_for,
};
use crate::i18n::{Msg, resource_kind_name, tr};
use crate::money::{parse_yuan, yuan_input};
use crate::pages::library::{CategorySelect, ItemForm, TextArea, may_publish, optional, tags_from};
use crate::pages::orgs::region::RegionPicker;
use crate::session::require_sign_in;

/// The page to post a listing (`/resources/new`).
#[component]
pub fn NewResourcePage() -> impl IntoView {
    require_sign_in();
    let navigate = StoredValue::new_local(use_navigate());
    let saved = Callback::new(move |r: Resource| {
        navigate.with_value(|go| go(&format!("/resources/{}", r.id), Default::default()));
    });
    view! {
        <section class="card">
            <h1 id="resource-form-title">{tr(Msg::PostResource)}</h1>
            <Show when=move || !may_publish()>
                <p class="notice" id="resource-needs-verification">{tr(Msg::NeedsVerifiedOrg)}</p>
            </Show>
            <ResourceForm initial=None on_saved=saved/>
        </section>
    }
}

/// One parameter row being edited.
#[derive(Clone, Copy)]
struct ParameterDraft {
    key: u64,
    name: RwSignal<String>,
    value: RwSignal<String>,
    unit: RwSignal<String>,
    better: RwSignal<Option<Better>>,
}

impl ParameterDraft {
    fn new(key: u64, p: Option<&ResourceParameter>) -> Self {
        Self {
            key,
            name: RwSignal::new(p.map(|p| p.name.clone()).unwrap_or_default()),
            value: RwSignal::new(p.map(|p| p.value.clone()).unwrap_or_default()),
            unit: RwSignal::new(p.and_then(|p| p.unit.clone()).unwrap_or_default()),
            better: RwSignal::new(p.and_then(|p| p.better)),
        }
    }

    fn to_parameter(self) -> Option<ResourceParameter> {
        let name = self.name.get_untracked().trim().to_owned();
        let value = self.value.get_untracked().trim().to_owned();
        (!name.is_empty() || !value.is_empty()).then(|| ResourceParameter {
            name,
            value,
            unit: optional(&self.unit.get_untracked()),
            better: self.better.get_untracked(),
        })
    }
}

/// The listing form: creates a listing when `initial` is `None`, else changes that listing.
#[component]
pub fn ResourceForm(initial: Option<Resource>, on_saved: Callback<Resource>) -> impl IntoView {
    let form = ItemForm::new(on_saved);
    let ItemForm { orgs, busy, errors, .. } = form;
    let r = initial.as_ref();
    let editing = StoredValue::new(r.map(|r| r.id.clone()));
    let text = |v: Option<String>| RwSignal::new(v.unwrap_or_default());
    let kind = RwSignal::new(r.map(|r| r.kind));
    let category = text(r.map(|r| r.category.clone()));
    let name = text(r.map(|r| r.name.clone()));
    let description = text(r.map(|r| r.description.clone()));
    let price = text(r.map(|r| yuan_input(r.unit_price_fen)));
    let unit = text(r.map(|r| r.unit.clone()));
    let stock = text(r.and_then(|r| r.stock).map(|s| s.to_string()));
    let availability = text(r.and_then(|r| r.availability.clone()));
    let lead_time = text(r.map(|r| r.lead_time_days.to_string()));
    let tags = text(r.map(|r| r.tags.join("，")));
    let served = RwSignal::new(r.map(|r| r.regions_served.clone()).unwrap_or_default());
    let region_pick = RwSignal::new(None::<String>);
    let next_key = StoredValue::new(0_u64);
    let new_row = move |p: Option<&ResourceParameter>| {
        next_key.update_value(|k| *k += 1);
        ParameterDraft::new(next_key.get_value(), p)
    };
    let parameters = RwSignal::new(
        r.map(|r| r.parameters.iter().map(|p| new_row(Some(p))).collect::<Vec<_>>()).unwrap_or_default(),
    );
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        // What the inputs cannot say as a request (no kind chosen, a number that does not
        // parse), then the API's own check of the request, from `shared` (same field codes).
        let mut issues = Vec::new();
        if kind.get_untracked().is_none() {
            issues.push(FieldIssue::new("kind", "required"));
        }
        let fen = parse_yuan(&price.get_untracked());
        if let Err(e) = fen {
            issues.push(FieldIssue::new("unit_price_fen", e.code()));
        }
        let stock_now = optional(&stock.get_untracked()).map(|s| s.parse::<i64>());
        if matches!(stock_now, Some(Err(_))) {
            issues.push(FieldIssue::new("stock", "invalid"));
        }
        let lead = lead_time.get_untracked().trim().parse::<i32>();
        if lead.is_err() {
            issues.push(FieldIssue::new("lead_time_days", "invalid"));
        }
        let body = CreateResourceRequest {
            kind: kind.get_untracked().unwrap_or(ResourceKind::Material),
            category: category.get_untracked(),
            name: name.get_untracked(),
            description: description.get_untracked(),
            parameters: parameters
                .get_untracked()
                .into_iter()
                .filter_map(ParameterDraft::to_parameter)
                .collect(),
            unit_price_fen: fen.unwrap_or_default(),
            unit: unit.get_untracked(),
            stock: stock_now.and_then(Result::ok),
            availability: optional(&availability.get_untracked()),
            regions_served: served.get_untracked(),
            lead_time_days: lead.unwrap_or_default(),
            tags: tags_from(&tags.get_untracked()),
        };
        let issues = before_sending(issues, body.check());
        let Some(org) = sendable_for(errors, orgs.acting_untracked(), issues) else {
            return;
        };
        let change = UpdateResourceRequest::from(&body);
        form.save(org, "/resources", editing.get_value(), body, change);
    };
    let add_region = move |_| {
        if let Some(code) = region_pick.get_untracked() {
            served.update(|s| {
                if !s.contains(&code) {
                    s.push(code);
                }
            });
        }
    };
    let fixed = editing.with_value(Option::is_some);
    let numbered_rows = move || parameters.get().into_iter().enumerate().collect::<Vec<_>>();
    view! {
        <form id="resource-form" on:submit=submit novalidate>
            <label for="resource-kind">{tr(Msg::ResourceKind)}</label>
            <select id="resource-kind" disabled=fixed on:change=move |ev| kind.set(ResourceKind::parse(&event_target_value(&ev)))>
                <option value="" selected=move || kind.with(Option::is_none)>{tr(Msg::ChooseOne)}</option>
                {ResourceKind::ALL.iter().copied().map(|k| view! {
                    <option value=k.as_str() selected=move || kind.get() == Some(k)>{tr(resource_kind_name(k))}</option>
                }).collect_view()}
            </select>
            <FieldError text=field_error(errors, "kind") id="resource-kind-error"/>
            <CategorySelect id="resource-category" value=category errors=errors/>
            <TextField id="resource-name" label=Msg::ResourceName value=name errors=errors field="name"/>
            <TextArea id="resource-description" label=Msg::Description value=description errors=errors field="description"/>
            <fieldset id="resource-parameters">
                <legend>{tr(Msg::Parameters)}</legend>
                <For each=numbered_rows key=|(i, p)| (*i, p.key) let:row>
                    <ParameterRow index=row.0 draft=row.1 errors=errors on_remove=move |key| parameters.update(|ps| ps.retain(|p| p.key != key))/>
                </For>
                <button class="button small" type="button" id="parameter-add" on:click=move |_| parameters.update(|ps| ps.push(new_row(None)))>
                    {tr(Msg::AddParameter)}
                </button>
            </fieldset>
            <div class="two-up">
                <div><TextField id="resource-price" label=Msg::UnitPriceYuan value=price errors=errors field="unit_price_fen" inputmode="decimal"/></div>
                <div><TextField id="resource-unit" label=Msg::PriceUnit value=unit errors=errors field="unit" hint=Msg::PriceUnitHint/></div>
                <div><TextField id="resource-stock" label=Msg::Stock value=stock errors=errors field="stock" inputmode="numeric"/></div>
                <div><TextField id="resource-lead-time" label=Msg::LeadTimeDays value=lead_time errors=errors field="lead_time_days" inputmode="numeric"/></div>
            </div>
            <TextField id="resource-availability" label=Msg::Availability value=availability errors=errors field="availability" hint=Msg::AvailabilityHint/>
            <fieldset>
                <legend>{tr(Msg::RegionsServed)}</legend>
                <ul class="badges plain-list" id="resource-regions">
                    {move || served.get().into_iter().map(|code| {
                        let name = gb2260::full_name(&code).unwrap_or_else(|| code.clone());
                        let gone = code.clone();
                        view! {
                            <li class="badge">{name}" "
                                <button type="button" class="link" aria-label=tr(Msg::Remove) on:click=move |_| served.update(|s| s.retain(|c| *c != gone))>"×"</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <RegionPicker id="resource-region" value=region_pick/>
                <button class="button small" type="button" id="resource-region-add" on:click=add_region>{tr(Msg::AddRegion)}</button>
            </fieldset>
            <FieldError text=field_error(errors, "regions_served") id="resource-regions-error"/>
            <TextField id="resource-tags" label=Msg::Tags value=tags errors=errors field="tags" hint=Msg::TagsHint/>
            <FormError errors=errors id="resource-form-error"/>
            <SubmitButton id="resource-submit" label=Msg::Save busy=busy/>
        </form>
    }
}

#[component]
fn ParameterRow(
    index: usize,
    draft: ParameterDraft,
    errors: RwSignal<FormErrors>,
    on_remove: impl Fn(u64) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let id = move |name: &str| format!("param-{index}-{name}");
    let input = move |name: &'static str, label: Msg, value: RwSignal<String>| {
        view! {
            <div>
                <label for=id(name)>{tr(label)}</label>
                <input id=id(name) prop:value=value on:input=move |ev| value.set(event_target_value(&ev))/>
            </div>
        }
    };
    view! {
        <div class="parameter-row">
            {input("name", Msg::ParameterName, draft.name)}
            {input("value", Msg::ParameterValue, draft.value)}
            {input("unit", Msg::ParameterUnit, draft.unit)}
            <div>
                <label for=id("better")>{tr(Msg::BetterWhen)}</label>
                <select id=id("better") on:change=move |ev| draft.better.set(match event_target_value(&ev).as_str() {
                    "higher" => Some(Better::Higher),
                    "lower" => Some(Better::Lower),
                    _ => None,
                })>
                    <option value="" selected=move || draft.better.get().is_none()>{tr(Msg::BetterNone)}</option>
                    <option value="higher" selected=move || draft.better.get() == Some(Better::Higher)>{tr(Msg::BetterHigher)}</option>
                    <option value="lower" selected=move || draft.better.get() == Some(Better::Lower)>{tr(Msg::BetterLower)}</option>
                </select>
            </div>
            <button class="button small danger" type="button" id=id("remove") on:click=move |_| on_remove(draft.key)>{tr(Msg::Remove)}</button>
            <FieldError text=row_error(errors, &format!("parameters[{index}]"), &["name", "value", "unit"]) id=id("error")/>
        </div>
    }
}
