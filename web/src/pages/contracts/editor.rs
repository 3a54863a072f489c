//! The terms editor: template, title, scope, amount in yuan, milestones by shares in percent
//! (two decimals, sent as basis points; milestone 0 is the advance), retention and bond in
//! percent, warranty, duration, start date, dispute clause, and — for the payer only — the
//! supervisor. It runs the API's own check (`ContractTermsRequest::check_on(today)`) before
//! sending `PUT /contracts/{id}/terms` based on the version shown; a 409 means someone saved
//! meanwhile, so it asks to reload.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::dto::{
    Allocation, ContractTemplate, ContractTermsRequest, ContractView, FieldIssue, MilestoneInput, PartyRole,
    PaymentPlanInput,
};

use super::{ct, percent, percent_bp, template_name};
use crate::active_org::use_active_org;
use crate::datetime;
use crate::forms::{
    FieldError, FormError, FormErrors, SubmitButton, before_sending, field_error, row_error, sendable_for,
};
use crate::i18n::{ContractMsg, Msg, tr};
use crate::money::{parse_yuan, yuan_input};
use crate::toast::use_toasts;

/// A milestone row being edited.
#[derive(Clone, Copy)]
struct MilestoneDraft {
    key: u64,
    name: RwSignal<String>,
    share: RwSignal<String>,
    date: RwSignal<String>,
    condition: RwSignal<String>,
}

/// A whole number typed in a form, or the issue.
fn whole(text: &str, field: &str, issues: &mut Vec<FieldIssue>) -> i64 {
    match text.trim().parse::<i64>() {
        Ok(n) => n,
        Err(_) => {
            issues.push(FieldIssue::new(field, if text.trim().is_empty() { "required" } else { "invalid" }));
            0
        }
    }
}

/// A percentage typed in a form as basis points, or the issue.
fn bp(text: &str, field: &str, issues: &mut Vec<FieldIssue>) -> i64 {
    percent_bp(text).unwrap_or_else(|issue| {
        issues.push(FieldIssue::new(field, issue));
        0
    })
}

/// A date typed in a form, or the issue (`fallback` stands in so the rest can be checked).
fn date(
    text: &str,
    field: &str,
    fallback: chrono::NaiveDate,
    issues: &mut Vec<FieldIssue>,
) -> chrono::NaiveDate {
    text.parse().unwrap_or_else(|_| {
        issues.push(FieldIssue::new(field, "required"));
        fallback
    })
}

/// The share of each milestone in basis points: as stored, or from its amount.
fn shares_of(contract: &ContractView) -> Vec<i64> {
    let plan = &contract.terms.plan;
    plan.milestones
        .iter()
        .map(|m| match m.share_bp {
            Some(s) => i64::from(s),
            None if plan.amount_fen > 0 => m.amount_fen * 10_000 / plan.amount_fen,
            None => 0,
        })
        .collect()
}

/// The running sum of the typed shares, in basis points (unparsable ones count as 0).
fn share_sum(typed: &[String]) -> i64 {
    typed.iter().map(|t| percent_bp(t).unwrap_or(0)).sum()
}

#[component]
pub fn TermsEditor(
    contract: ContractView,
    my_role: PartyRole,
    saved: Callback<ContractView>,
    reload: Callback<()>,
) -> impl IntoView {
    let orgs = use_active_org();
    let toasts = use_toasts();
    let c = contract;
    let t = c.terms.clone();
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let stale = RwSignal::new(false);
    let template = RwSignal::new(t.template);
    let title = RwSignal::new(t.title.clone());
    let scope = RwSignal::new(t.scope.clone());
    let amount = RwSignal::new(yuan_input(t.plan.amount_fen));
    let retention = RwSignal::new(percent(i64::from(t.plan.retention_bp)));
    let bond = RwSignal::new(percent(i64::from(t.plan.performance_bond_bp)));
    let warranty = RwSignal::new(t.plan.warranty_months.to_string());
    let duration = RwSignal::new(t.duration_days.to_string());
    let start = RwSignal::new(t.start_date.to_string());
    let dispute = RwSignal::new(t.dispute_clause.clone());
    let current_supervisor =
        c.parties.iter().find(|p| p.role == PartyRole::Supervisor).map(|p| p.org_id.clone());
    let supervisor = RwSignal::new(current_supervisor.clone().unwrap_or_default());
    let current_supervisor = StoredValue::new(current_supervisor);
    let payer = my_role == PartyRole::Payer;
    let next_key = StoredValue::new(0_u64);
    let new_row = move |name: String, share: String, date: String, condition: String| {
        next_key.update_value(|k| *k += 1);
        MilestoneDraft {
            key: next_key.get_value(),
            name: RwSignal::new(name),
            share: RwSignal::new(share),
            date: RwSignal::new(date),
            condition: RwSignal::new(condition),
        }
    };
    let rows = RwSignal::new(
        t.plan
            .milestones
            .iter()
            .zip(shares_of(&c))
            .map(|(m, share)| {
                new_row(m.name.clone(), percent(share), m.planned_date.to_string(), m.due_condition.clone())
            })
            .collect::<Vec<_>>(),
    );
    let sum = move || share_sum(&rows.with(|rs| rs.iter().map(|r| r.share.get()).collect::<Vec<_>>()));
    let id = StoredValue::new(c.id.clone());
    let based_on = c.current_version;
    let original = StoredValue::new(c.terms.clone());
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let today = datetime::today();
        let mut issues = Vec::new();
        let amount_fen = parse_yuan(&amount.get_untracked()).unwrap_or_else(|e| {
            issues.push(FieldIssue::new("plan.amount_fen", e.code()));
            0
        });
        let milestones = rows
            .get_untracked()
            .into_iter()
            .enumerate()
            .map(|(i, r)| MilestoneInput {
                name: r.name.get_untracked(),
                value: bp(&r.share.get_untracked(), &format!("plan.milestones[{i}].share_bp"), &mut issues),
                planned_date: date(
                    &r.date.get_untracked(),
                    &format!("plan.milestones[{i}].planned_date"),
                    today,
                    &mut issues,
                ),
                due_condition: r.condition.get_untracked(),
            })
            .collect();
        let supervisor_org_id = if payer {
            let typed = supervisor.get_untracked().trim().to_owned();
            (!typed.is_empty()).then_some(typed)
        } else {
            current_supervisor.get_value()
        };
        let body = ContractTermsRequest {
            based_on_version: based_on,
            template: template.get_untracked(),
            title: title.get_untracked(),
            scope: scope.get_untracked(),
            plan: PaymentPlanInput {
                amount_fen,
                allocation: Allocation::Shares,
                milestones,
                retention_bp: bp(&retention.get_untracked(), "plan.retention_bp", &mut issues),
                performance_bond_bp: bp(&bond.get_untracked(), "plan.performance_bond_bp", &mut issues),
                warranty_months: whole(&warranty.get_untracked(), "plan.warranty_months", &mut issues),
            },
            duration_days: whole(&duration.get_untracked(), "duration_days", &mut issues),
            start_date: date(&start.get_untracked(), "start_date", today, &mut issues),
            supervisor_org_id: supervisor_org_id.clone(),
            dispute_clause: dispute.get_untracked(),
        };
        let checked = body.check_on(today);
        // The API refuses a version that changes nothing (409 like a version saved meanwhile):
        // say so here, where the two can be told apart.
        let unchanged = checked.as_ref().is_ok_and(|(terms, _)| {
            original.with_value(|o| o == terms) && supervisor_org_id == current_supervisor.get_value()
        });
        let issues = before_sending(issues, checked);
        let Some(org) = sendable_for(errors, orgs.acting_untracked(), issues) else { return };
        if unchanged {
            errors.set(FormErrors { fields: Vec::new(), form: Some("contract_unchanged".into()) });
            return;
        }
        errors.set(FormErrors::default());
        busy.set(true);
        let path = format!("/contracts/{}/terms", id.get_value());
        leptos::task::spawn_local(async move {
            let result = orgs.call::<_, ContractView>(&org, "PUT", &path, Some(&body)).await;
            let _ = busy.try_set(false);
            match result {
                Ok(view) => {
                    toasts.success(Msg::ContractMsg(ContractMsg::TermsSaved));
                    saved.run(view);
                }
                Err(failure) if failure.code() == Some("conflict") => {
                    let _ = stale.try_set(true);
                }
                Err(failure) => {
                    let _ = errors.try_set(FormErrors::from_failure(failure));
                }
            }
        });
    };
    let numbered = move || rows.get().into_iter().enumerate().collect::<Vec<_>>();
    let text_area = move |id: &'static str,
                          label: ContractMsg,
                          value: RwSignal<String>,
                          field: &'static str,
                          lines: u32| {
        view! {
            <label for=id>{ct(label)}</label>
            <textarea id=id rows=lines prop:value=value on:input=move |ev| value.set(event_target_value(&ev))></textarea>
            <FieldError text=field_error(errors, field) id=format!("{id}-error")/>
        }
    };
    let input = move |id: &'static str,
                      label: ContractMsg,
                      value: RwSignal<String>,
                      field: &'static str,
                      kind: &'static str,
                      mode: &'static str| {
        view! {
            <div>
                <label for=id>{ct(label)}</label>
                <input id=id type=kind inputmode=mode prop:value=value on:input=move |ev| value.set(event_target_value(&ev))/>
                <FieldError text=field_error(errors, field) id=format!("{id}-error")/>
            </div>
        }
    };
    view! {
        <section class="card" id="contract-editor">
            <h2>{ct(ContractMsg::EditTerms)}</h2>
            <p class="hint">{ct(ContractMsg::EditorIntro)}" "{based_on}</p>
            <Show when=move || stale.get()>
                <p class="notice notice-bad" role="alert" id="contract-editor-stale">
                    {ct(ContractMsg::SavedMeanwhile)}" "
                    <button class="button small" type="button" id="contract-reload" on:click=move |_| reload.run(())>{ct(ContractMsg::Reload)}</button>
                </p>
            </Show>
            <form id="contract-terms-form" on:submit=submit novalidate>
                <label for="terms-template">{ct(ContractMsg::Template)}</label>
                <select id="terms-template" on:change=move |ev| {
                    if let Ok(t) = event_target_value(&ev).parse::<ContractTemplate>() { template.set(t); }
                }>
                    {[ContractTemplate::Subcontracting, ContractTemplate::Purchase, ContractTemplate::Design].into_iter().map(|t| view! {
                        <option value=t.as_str() selected=move || template.get() == t>{ct(template_name(t))}</option>
                    }).collect_view()}
                </select>
                {input("terms-title", ContractMsg::Title, title, "title", "text", "text")}
                {text_area("terms-scope", ContractMsg::Scope, scope, "scope", 4)}
                <div class="two-up">
                    {input("terms-amount", ContractMsg::AmountYuan, amount, "plan.amount_fen", "text", "decimal")}
                    {input("terms-duration", ContractMsg::DurationDays, duration, "duration_days", "number", "numeric")}
                    {input("terms-start", ContractMsg::StartDate, start, "start_date", "date", "text")}
                    {input("terms-warranty", ContractMsg::WarrantyMonths, warranty, "plan.warranty_months", "number", "numeric")}
                    {input("terms-retention", ContractMsg::RetentionPercent, retention, "plan.retention_bp", "text", "decimal")}
                    {input("terms-bond", ContractMsg::BondPercent, bond, "plan.performance_bond_bp", "text", "decimal")}
                </div>
                <fieldset id="terms-milestones">
                    <legend>{ct(ContractMsg::Milestones)}</legend>
                    <p class="hint">{ct(ContractMsg::MilestonesHint)}</p>
                    <For each=numbered key=|(i, r)| (*i, r.key) let:row>
                        <MilestoneRow index=row.0 draft=row.1 errors=errors
                            on_remove=move |key| rows.update(|rs| rs.retain(|r| r.key != key))/>
                    </For>
                    <button class="button small" type="button" id="milestone-add"
                        on:click=move |_| rows.update(|rs| rs.push(new_row(String::new(), String::new(), String::new(), String::new())))>
                        {ct(ContractMsg::AddMilestone)}
                    </button>
                    <p id="terms-share-sum" class=move || if sum() == 10_000 { "check-line ok" } else { "check-line bad" } aria-live="polite">
                        {ct(ContractMsg::ShareSum)}" "{move || percent(sum())}" % / 100 %"
                    </p>
                    <FieldError text=field_error(errors, "plan.milestones") id="terms-milestones-error"/>
                </fieldset>
                {text_area("terms-dispute", ContractMsg::DisputeClause, dispute, "dispute_clause", 3)}
                {payer.then(|| view! {
                    <label for="terms-supervisor">{ct(ContractMsg::SupervisorOrgId)}</label>
                    <input id="terms-supervisor" type="text" prop:value=supervisor on:input=move |ev| supervisor.set(event_target_value(&ev))/>
                    <p class="hint">{ct(ContractMsg::SupervisorHint)}</p>
                    <FieldError text=field_error(errors, "supervisor_org_id") id="terms-supervisor-error"/>
                })}
                <FormError errors=errors id="contract-terms-error"/>
                <SubmitButton id="contract-terms-submit" label=Msg::ContractMsg(ContractMsg::SaveVersion) busy=busy/>
            </form>
        </section>
    }
}

#[component]
fn MilestoneRow(
    index: usize,
    draft: MilestoneDraft,
    errors: RwSignal<FormErrors>,
    on_remove: impl Fn(u64) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let id = move |name: &str| format!("milestone-{index}-{name}");
    view! {
        <div class="parameter-row milestone-row" data-milestone=index>
            <div>
                <label for=id("name")>{ct(ContractMsg::MilestoneName)}{(index == 0).then(|| view! { " ("{ct(ContractMsg::Advance)}")" })}</label>
                <input id=id("name") type="text" prop:value=draft.name on:input=move |ev| draft.name.set(event_target_value(&ev))/>
            </div>
            <div>
                <label for=id("share")>{ct(ContractMsg::SharePercent)}</label>
                <input id=id("share") type="text" inputmode="decimal" prop:value=draft.share on:input=move |ev| draft.share.set(event_target_value(&ev))/>
            </div>
            <div>
                <label for=id("date")>{ct(ContractMsg::PlannedDate)}</label>
                <input id=id("date") type="date" prop:value=draft.date on:input=move |ev| draft.date.set(event_target_value(&ev))/>
            </div>
            <div>
                <label for=id("condition")>{ct(ContractMsg::DueCondition)}</label>
                <input id=id("condition") type="text" prop:value=draft.condition on:input=move |ev| draft.condition.set(event_target_value(&ev))/>
            </div>
            {(index > 0).then(|| view! {
                <button class="button small danger" type="button" id=id("remove") on:click=move |_| on_remove(draft.key)>{tr(Msg::Remove)}</button>
            })}
            <FieldError text=row_error(errors, &format!("plan.milestones[{index}]"), &["name", "share_bp", "planned_date", "due_condition"]) id=id("error")/>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_running_share_sum_counts_what_parses() {
        assert_eq!(share_sum(&["10".into(), "60".into(), "30".into()]), 10_000);
        assert_eq!(share_sum(&["33.33".into(), "x".into(), "".into()]), 3333);
    }
}
