//! Posting a demand (a draft, submitted from its page; verified organisations only) and editing
//! a draft or rejected one: kind, title, category, scope, quantity, budget range in yuan (sent
//! as fen), region, required qualifications (type and lowest grade, from the shipped taxonomy),
//! deadline and files.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use shared::dto::{
    CreateDemandRequest, DemandKind, DemandView, FieldIssue, RequiredQualification, UpdateDemandRequest,
};
use shared::taxonomy::qualification_types;

use crate::datetime::today;
use crate::forms::{
    FieldError, FormError, FormErrors, SubmitButton, TextField, before_sending, field_error, row_error,
    sendable_for,
};
use crate::i18n::{Msg, demand_kind_name, pick, tr, use_i18n};
use crate::money::{parse_yuan, yuan_input};
use crate::pages::library::attachments::{Attachment, AttachmentsField};
use crate::pages::library::{CategorySelect, ItemForm, TextArea, may_publish, optional};
use crate::pages::orgs::region::RegionPicker;
use crate::session::require_sign_in;

/// The page to post a demand (`/demands/new`).
#[component]
pub fn NewDemandPage() -> impl IntoView {
    require_sign_in();
    let navigate = StoredValue::new_local(use_navigate());
    let saved = Callback::new(move |d: DemandView| {
        navigate.with_value(|go| go(&format!("/demands/{}", d.id), Default::default()));
    });
    view! {
        <section class="card">
            <h1 id="demand-form-title">{tr(Msg::PostDemand)}</h1>
            <p class="hint">{tr(Msg::DemandFormIntro)}</p>
            <Show when=move || !may_publish()>
                <p class="notice" id="demand-needs-verification">{tr(Msg::NeedsVerifiedOrg)}</p>
            </Show>
            <DemandForm initial=None on_saved=saved/>
        </section>
    }
}

/// A required qualification being chosen.
#[derive(Clone, Copy)]
struct RequirementDraft {
    key: u64,
    type_code: RwSignal<String>,
    grade: RwSignal<String>,
}

const KINDS: [DemandKind; 2] = [DemandKind::Subcontracting, DemandKind::Procurement];

/// The demand form: creates a draft when `initial` is `None`, else changes that demand.
#[component]
pub fn DemandForm(initial: Option<DemandView>, on_saved: Callback<DemandView>) -> impl IntoView {
    let form = ItemForm::new(on_saved);
    let ItemForm { orgs, busy, errors, .. } = form;
    let d = initial.as_ref();
    let editing = StoredValue::new(d.map(|d| d.id.clone()));
    let text = |v: Option<String>| RwSignal::new(v.unwrap_or_default());
    let kind = RwSignal::new(d.map(|d| d.kind).unwrap_or(DemandKind::Subcontracting));
    let title = text(d.map(|d| d.title.clone()));
    let category = text(d.map(|d| d.category.clone()));
    let scope = text(d.map(|d| d.scope.clone()));
    let quantity = text(d.and_then(|d| d.quantity.clone()));
    let budget_min = text(d.map(|d| yuan_input(d.budget_min_fen)));
    let budget_max = text(d.map(|d| yuan_input(d.budget_max_fen)));
    let region = RwSignal::new(d.map(|d| d.region_code.clone()));
    let deadline = text(d.map(|d| d.deadline.to_string()));
    let files = RwSignal::<Vec<Attachment>>::new(
        d.map(|d| d.files.iter().enumerate().map(|(i, f)| Attachment::saved(f, i)).collect())
            .unwrap_or_default(),
    );
    let next_key = StoredValue::new(0_u64);
    let new_row = move |q: Option<&RequiredQualification>| {
        next_key.update_value(|k| *k += 1);
        RequirementDraft {
            key: next_key.get_value(),
            type_code: RwSignal::new(q.map(|q| q.type_code.clone()).unwrap_or_default()),
            grade: RwSignal::new(q.map(|q| q.minimum_grade.clone()).unwrap_or_default()),
        }
    };
    let requirements = RwSignal::new(
        d.map(|d| d.required_qualifications.iter().map(|q| new_row(Some(q))).collect::<Vec<_>>())
            .unwrap_or_default(),
    );
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        // What the inputs cannot say as a request (a budget that is not a number, no date),
        // then the API's own check of the request, from `shared` (same field codes).
        let mut issues = Vec::new();
        let min = parse_yuan(&budget_min.get_untracked());
        let max = parse_yuan(&budget_max.get_untracked());
        for (field, parsed) in [("budget_min_fen", min), ("budget_max_fen", max)] {
            if let Err(e) = parsed {
                issues.push(FieldIssue::new(field, e.code()));
            }
        }
        let due = deadline.get_untracked().parse::<chrono::NaiveDate>();
        if due.is_err() {
            issues.push(FieldIssue::new("deadline", "required"));
        }
        let required: Vec<RequiredQualification> = requirements
            .get_untracked()
            .into_iter()
            .map(|r| RequiredQualification {
                type_code: r.type_code.get_untracked(),
                minimum_grade: r.grade.get_untracked(),
            })
            .collect();
        let body = CreateDemandRequest {
            kind: kind.get_untracked(),
            title: title.get_untracked(),
            category: category.get_untracked(),
            scope: scope.get_untracked(),
            quantity: optional(&quantity.get_untracked()),
            budget_min_fen: min.unwrap_or_default(),
            budget_max_fen: max.unwrap_or_default(),
            region_code: region.get_untracked().unwrap_or_default(),
            required_qualifications: required,
            deadline: due.unwrap_or_else(|_| today().succ_opt().unwrap_or_default()),
            files: files.with_untracked(|f| f.iter().map(|a| a.sha256.clone()).collect()),
            project_id: None,
        };
        // An edit sends every field, so checking it as a new demand is the same check.
        let issues = before_sending(issues, body.check_on(today()));
        let Some(org) = sendable_for(errors, orgs.acting_untracked(), issues) else {
            return;
        };
        // A cleared quantity is sent as blank, which the API stores as none.
        let quantity = Some(body.quantity.clone().unwrap_or_default());
        let change = UpdateDemandRequest { quantity, ..UpdateDemandRequest::from(&body) };
        form.save(org, "/demands", editing.get_value(), body, change);
    };
    let fixed = editing.with_value(Option::is_some);
    let numbered_rows = move || requirements.get().into_iter().enumerate().collect::<Vec<_>>();
    view! {
        <form id="demand-form" on:submit=submit novalidate>
            <fieldset class="role-picker" disabled=fixed>
                <legend>{tr(Msg::DemandKind)}</legend>
                {KINDS.into_iter().map(|k| view! {
                    <label class="chip">
                        <input type="radio" name="demand-kind" id=format!("demand-kind-{}", k.as_str())
                            prop:checked=move || kind.get() == k on:change=move |_| kind.set(k)/>
                        {tr(demand_kind_name(k))}
                    </label>
                }).collect_view()}
            </fieldset>
            <TextField id="demand-title" label=Msg::DemandTitle value=title errors=errors field="title" hint=Msg::DemandTitleHint/>
            <CategorySelect id="demand-category" value=category errors=errors/>
            <TextArea id="demand-scope" label=Msg::Scope value=scope errors=errors field="scope" rows=5/>
            <TextField id="demand-quantity" label=Msg::Quantity value=quantity errors=errors field="quantity" hint=Msg::QuantityHint/>
            <div class="two-up">
                <div><TextField id="demand-budget-min" label=Msg::BudgetMinYuan value=budget_min errors=errors field="budget_min_fen" inputmode="decimal"/></div>
                <div><TextField id="demand-budget-max" label=Msg::BudgetMaxYuan value=budget_max errors=errors field="budget_max_fen" inputmode="decimal"/></div>
            </div>
            <fieldset>
                <legend>{tr(Msg::WorkRegion)}</legend>
                <RegionPicker id="demand-region" value=region/>
            </fieldset>
            <FieldError text=field_error(errors, "region_code") id="demand-region-error"/>
            <fieldset id="demand-requirements">
                <legend>{tr(Msg::RequiredQualifications)}</legend>
                <For each=numbered_rows key=|(i, r)| (*i, r.key) let:row>
                    <RequirementRow index=row.0 draft=row.1 errors=errors on_remove=move |key| requirements.update(|rs| rs.retain(|r| r.key != key))/>
                </For>
                <button class="button small" type="button" id="requirement-add" on:click=move |_| requirements.update(|rs| rs.push(new_row(None)))>
                    {tr(Msg::AddRequirement)}
                </button>
            </fieldset>
            <TextField id="demand-deadline" label=Msg::Deadline value=deadline errors=errors field="deadline" kind="date"/>
            <AttachmentsField id="demand-files" label=Msg::Files value=files errors=errors field="files"/>
            <FormError errors=errors id="demand-form-error"/>
            <SubmitButton id="demand-submit" label=Msg::SaveDraft busy=busy/>
        </form>
    }
}

#[component]
fn RequirementRow(
    index: usize,
    draft: RequirementDraft,
    errors: RwSignal<FormErrors>,
    on_remove: impl Fn(u64) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = move |name: &str| format!("requirement-{index}-{name}");
    let grades = move || {
        draft.type_code.with(|code| {
            qualification_types()
                .iter()
                .find(|t| &t.code == code)
                .map(|t| t.grades.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <div class="parameter-row">
            <div>
                <label for=id("type")>{tr(Msg::QualificationType)}</label>
                <select id=id("type") on:change=move |ev| {
                    draft.type_code.set(event_target_value(&ev));
                    draft.grade.set(String::new());
                }>
                    <option value="" selected=move || draft.type_code.with(String::is_empty)>{tr(Msg::ChooseOne)}</option>
                    {move || {
                        let lang = i18n.0.get();
                        qualification_types().iter().map(|t| {
                            let selected = draft.type_code.with_untracked(|c| *c == t.code);
                            view! { <option value=t.code.clone() selected=selected>{pick(lang, &t.zh, &t.en)}</option> }
                        }).collect_view()
                    }}
                </select>
            </div>
            <div>
                <label for=id("grade")>{tr(Msg::MinimumGrade)}</label>
                <select id=id("grade") on:change=move |ev| draft.grade.set(event_target_value(&ev))>
                    <option value="" selected=move || draft.grade.with(String::is_empty)>{tr(Msg::ChooseOne)}</option>
                    {move || {
                        let lang = i18n.0.get();
                        grades().into_iter().map(|g| {
                            let selected = draft.grade.with_untracked(|c| *c == g.code);
                            view! { <option value=g.code.clone() selected=selected>{pick(lang, &g.zh, &g.en)}</option> }
                        }).collect_view()
                    }}
                </select>
            </div>
            <button class="button small danger" type="button" id=id("remove") on:click=move |_| on_remove(draft.key)>{tr(Msg::Remove)}</button>
            <FieldError text=row_error(errors, &format!("required_qualifications[{index}]"), &["type_code", "minimum_grade"]) id=id("error")/>
        </div>
    }
}
