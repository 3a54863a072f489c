//! The contract page's acceptance and settlement (验收结算): the performer asks for acceptance
//! of a milestone with quantities; the payer and the supervisor (when the contract names one)
//! confirm or reject in a signing dialog (consent text, password, TOTP code — the signing
//! ceremony's [`Reauth`]), sent with one `Idempotency-Key` per answer; an accepted request
//! shows its settlement figures and the settlement statement PDF.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::dto::{
    AcceptanceAnswerInput, AcceptanceDecision, AcceptanceRequestInput, AcceptanceState, AcceptanceView,
    FieldIssue, PartyRole, Quantity, Settlement,
};
use shared::validate::Check;

use super::escrow::{acceptance_badge, wt};
use super::ratings::RatingsSection;
use super::signing::Reauth;
use super::versions::download;
use super::{ct, role_name};
use crate::active_org::use_active_org;
use crate::datetime;
use crate::forms::{
    FieldError, FormError, FormErrors, SubmitButton, before_sending, failure_text, field_error, row_error,
    sendable_for,
};
use crate::http::Failure;
use crate::i18n::{Msg, WorkspaceMsg, tr, use_i18n};
use crate::intent::Intent;
use crate::money::format_fen;
use crate::session::use_session;
use crate::toast::use_toasts;

/// A quantity line as typed.
#[derive(Clone, Copy)]
struct QuantityRow {
    item: RwSignal<String>,
    unit: RwSignal<String>,
    quantity: RwSignal<String>,
}

impl QuantityRow {
    fn new() -> Self {
        Self {
            item: RwSignal::new(String::new()),
            unit: RwSignal::new(String::new()),
            quantity: RwSignal::new(String::new()),
        }
    }
}

/// A typed quantity (`1,250.5` → 1250.5); `None` when it is not a number.
fn parse_quantity(text: &str) -> Option<f64> {
    text.trim().replace([',', '，'], "").parse::<f64>().ok().filter(|q| q.is_finite())
}

/// The acceptance section; `acceptances` is shared with the timeline, `money_moved` tells the
/// escrow to reload after an acceptance released money; the ratings follow (see [`RatingsSection`]).
#[component]
pub fn AcceptanceSection(
    contract_id: String,
    my_role: Option<PartyRole>,
    in_force: bool,
    completed: bool,
    milestones: Vec<(u32, String)>,
    acceptances: RwSignal<Option<Vec<AcceptanceView>>>,
    money_moved: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let orgs = use_active_org();
    let failed = RwSignal::new(None::<Failure>);
    let reload = RwSignal::new(0_u32);
    let id = StoredValue::new(contract_id);
    Effect::new(move |_| {
        let _ = reload.get();
        let path = format!("/contracts/{}/acceptances", id.get_value());
        leptos::task::spawn_local(async move {
            match orgs.call_acting::<(), Vec<AcceptanceView>>("GET", &path, None).await {
                Ok(list) => {
                    let _ = acceptances.try_set(Some(list));
                    let _ = failed.try_set(None);
                }
                Err(failure) => {
                    let _ = failed.try_set(Some(failure));
                }
            }
        });
    });
    let changed = Callback::new(move |()| reload.update(|r| *r += 1));
    let answered = Callback::new(move |()| {
        reload.update(|r| *r += 1);
        money_moved.update(|r| *r += 1);
    });
    let performer = in_force && my_role == Some(PartyRole::Performer);
    let confirmer = matches!(my_role, Some(PartyRole::Payer | PartyRole::Supervisor));
    view! {
        <section class="card" id="contract-acceptances">
            <h2>{wt(WorkspaceMsg::Acceptances)}</h2>
            <p class="hint">{wt(WorkspaceMsg::AcceptanceIntro)}</p>
            {performer.then(|| view! { <RequestForm contract_id=id.get_value() milestones=milestones.clone() acceptances=acceptances requested=changed/> })}
            {move || failed.get().map(|f| view! { <p class="form-error" role="alert" id="acceptances-error">{move || failure_text(i18n.0.get(), &f)}</p> })}
            {move || match acceptances.get() {
                None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
                Some(list) if list.is_empty() => view! { <p class="empty" id="acceptances-empty">{wt(WorkspaceMsg::NoAcceptances)}</p> }.into_any(),
                Some(list) => view! {
                    <ul class="rows" id="acceptances">
                        {list.into_iter().rev().map(|a| view! { <AcceptanceRow acceptance=a confirmer=confirmer answered=answered/> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
        <RatingsSection contract_id=id.get_value() my_role=my_role completed=completed/>
    }
}

/// The performer's request: milestone, quantity lines, note.
#[component]
fn RequestForm(
    contract_id: String,
    milestones: Vec<(u32, String)>,
    acceptances: RwSignal<Option<Vec<AcceptanceView>>>,
    requested: Callback<()>,
) -> impl IntoView {
    let orgs = use_active_org();
    let toasts = use_toasts();
    let milestone = RwSignal::new(String::new());
    let rows = RwSignal::new(vec![QuantityRow::new()]);
    let note = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let path = StoredValue::new(format!("/contracts/{contract_id}/acceptances"));
    // Milestones that may still be asked for: not accepted, no request waiting.
    let open = StoredValue::new(milestones);
    let choices = move || {
        acceptances.with(|list| {
            let taken = |i: u32| {
                list.as_ref().is_some_and(|l| {
                    l.iter().any(|a| a.milestone == i && a.status != AcceptanceState::Rejected)
                })
            };
            open.with_value(|m| m.iter().filter(|(i, _)| !taken(*i)).cloned().collect::<Vec<_>>())
        })
    };
    Effect::new(move |_| {
        let first = choices().first().map(|(i, _)| i.to_string()).unwrap_or_default();
        if !choices().iter().any(|(i, _)| i.to_string() == milestone.get_untracked()) {
            milestone.set(first);
        }
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut parsed = Vec::new();
        let quantities: Vec<Quantity> = rows
            .get_untracked()
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let quantity = parse_quantity(&r.quantity.get_untracked()).unwrap_or_else(|| {
                    parsed.push(FieldIssue {
                        field: format!("quantities[{i}].quantity"),
                        issue: "out_of_range".into(),
                    });
                    0.0
                });
                Quantity { item: r.item.get_untracked(), unit: r.unit.get_untracked(), quantity }
            })
            .collect();
        let chosen = milestone.get_untracked().parse::<u32>().ok();
        if chosen.is_none() {
            parsed.push(FieldIssue { field: "milestone".into(), issue: "required".into() });
        }
        let body =
            AcceptanceRequestInput { milestone: chosen.unwrap_or(0), quantities, note: note.get_untracked() };
        let problems = before_sending(parsed, body.check());
        let Some(org) = sendable_for(errors, orgs.acting_untracked(), problems) else { return };
        errors.set(FormErrors::default());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = orgs.call::<_, AcceptanceView>(&org, "POST", &path.get_value(), Some(&body)).await;
            let _ = busy.try_set(false);
            match result {
                Ok(_) => {
                    toasts.success(Msg::WorkspaceMsg(WorkspaceMsg::AcceptanceRequested));
                    rows.set(vec![QuantityRow::new()]);
                    note.set(String::new());
                    requested.run(());
                }
                Err(failure) => {
                    let _ = errors.try_set(FormErrors::from_failure(failure));
                }
            }
        });
    };
    view! {
        <Show when=move || !choices().is_empty()>
            <form id="acceptance-form" class="stack-form" on:submit=submit novalidate>
                <h3>{wt(WorkspaceMsg::RequestAcceptance)}</h3>
                <label for="acceptance-milestone">{wt(WorkspaceMsg::Milestone)}</label>
                <select id="acceptance-milestone" on:change=move |ev| milestone.set(event_target_value(&ev))>
                    {move || choices().into_iter().map(|(i, name)| view! {
                        <option value=i.to_string() selected=move || milestone.get() == i.to_string()>{i}". "{name}</option>
                    }).collect_view()}
                </select>
                <FieldError text=field_error(errors, "milestone") id="acceptance-milestone-error"/>
                <FieldError text=field_error(errors, "quantities") id="acceptance-quantities-error"/>
                <div class="quantity-rows" id="acceptance-quantities">
                    {move || rows.get().into_iter().enumerate().map(|(i, r)| view! {
                        <fieldset class="quantity-row" data-row=i>
                            <label for=format!("acceptance-item-{i}")>{wt(WorkspaceMsg::Item)}</label>
                            <input id=format!("acceptance-item-{i}") class="quantity-item" type="text" maxlength="100" prop:value=r.item on:input=move |ev| r.item.set(event_target_value(&ev))/>
                            <label for=format!("acceptance-unit-{i}")>{wt(WorkspaceMsg::Unit)}</label>
                            <input id=format!("acceptance-unit-{i}") class="quantity-unit" type="text" maxlength="10" prop:value=r.unit on:input=move |ev| r.unit.set(event_target_value(&ev))/>
                            <label for=format!("acceptance-quantity-{i}")>{wt(WorkspaceMsg::Quantity)}</label>
                            <input id=format!("acceptance-quantity-{i}") class="quantity-amount" type="text" inputmode="decimal" prop:value=r.quantity on:input=move |ev| r.quantity.set(event_target_value(&ev))/>
                            <FieldError text=row_error(errors, &format!("quantities[{i}]"), &["item", "unit", "quantity"]) id=format!("acceptance-row-{i}-error")/>
                        </fieldset>
                    }).collect_view()}
                </div>
                <button class="button small" type="button" id="acceptance-add-line" on:click=move |_| rows.update(|r| r.push(QuantityRow::new()))>{wt(WorkspaceMsg::AddLine)}</button>
                <label for="acceptance-note">{wt(WorkspaceMsg::Note)}</label>
                <textarea id="acceptance-note" maxlength="1000" prop:value=note on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                <FieldError text=field_error(errors, "note") id="acceptance-note-error"/>
                <FormError errors=errors id="acceptance-form-error"/>
                <SubmitButton id="acceptance-submit" label=Msg::WorkspaceMsg(WorkspaceMsg::RequestAcceptance) busy=busy/>
            </form>
        </Show>
    }
}

/// One request: its state, quantities, answers, settlement and statement, and the answer
/// buttons for a confirmer who has not answered.
#[component]
fn AcceptanceRow(acceptance: AcceptanceView, confirmer: bool, answered: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let orgs = use_active_org();
    let a = acceptance;
    let acting = orgs.acting_untracked().unwrap_or_default();
    let may_answer = confirmer
        && a.status == AcceptanceState::Requested
        && !a.signatures.iter().any(|s| s.org_id == acting);
    let (msg, class) = acceptance_badge(a.status);
    let deciding = RwSignal::new(None::<AcceptanceDecision>);
    let pdf_failed = RwSignal::new(None::<Failure>);
    let statement_path = format!("/contracts/{}/acceptances/{}/statement.pdf", a.contract_id, a.id);
    let statement_name = format!("settlement-{}-{}.pdf", a.contract_id, a.milestone);
    let statement = StoredValue::new((statement_path, statement_name));
    let get_statement = move |_| {
        leptos::task::spawn_local(async move {
            let (path, name) = statement.get_value();
            let _ = pdf_failed.try_set(download(session, orgs.acting_untracked(), &path, &name).await.err());
        });
    };
    let copy = StoredValue::new(a.clone());
    view! {
        <li class="row item acceptance" data-acceptance=a.id.clone() data-milestone=a.milestone>
            <div class="item-main">
                <strong>{wt(WorkspaceMsg::Milestone)}" "{a.milestone}</strong>
                " "<span class=format!("badge acceptance-status {class}")>{wt(msg)}</span>
                {a.needs_supervisor.then(|| view! { " "<span class="badge badge-muted">{wt(WorkspaceMsg::NeedsSupervisor)}</span> })}
                <p class="hint">{a.requested_by_name.clone()}" · "{datetime::minute(a.requested_at)}</p>
                <div class="table-scroll">
                    <table class="sheet acceptance-quantities">
                        <thead><tr><th>{wt(WorkspaceMsg::Item)}</th><th>{wt(WorkspaceMsg::Unit)}</th><th>{wt(WorkspaceMsg::Quantity)}</th></tr></thead>
                        <tbody>
                            {a.quantities.iter().map(|q| view! { <tr><td>{q.item.clone()}</td><td>{q.unit.clone()}</td><td class="amount">{q.quantity.to_string()}</td></tr> }).collect_view()}
                        </tbody>
                    </table>
                </div>
                {(!a.note.is_empty()).then(|| view! { <p class="prose">{a.note.clone()}</p> })}
                <ul class="plain acceptance-signatures">
                    {a.signatures.iter().map(|s| view! {
                        <li data-org=s.org_id.clone()>
                            {ct(role_name(s.role))}" · "{s.signer_name.clone()}" · "
                            <span class="acceptance-decision">{match s.decision {
                                AcceptanceDecision::Confirm => wt(WorkspaceMsg::ConfirmAcceptance)(),
                                AcceptanceDecision::Reject => wt(WorkspaceMsg::RejectAcceptance)(),
                            }}</span>
                            " · "{datetime::minute(s.signed_at)}
                            {s.reason.clone().map(|r| view! { " · "{r} })}
                        </li>
                    }).collect_view()}
                </ul>
                {a.settlement.clone().map(settlement_facts)}
                {a.statement_sha256.is_some().then(|| view! {
                    <p>
                        <button class="button acceptance-statement" type="button" on:click=get_statement>{wt(WorkspaceMsg::SettlementStatement)}</button>
                        {move || pdf_failed.get().map(|f| view! { <span class="form-error" role="alert">{move || failure_text(i18n.0.get(), &f)}</span> })}
                    </p>
                })}
                {may_answer.then(|| view! {
                    <div class="row-actions">
                        <button class="button primary acceptance-confirm" type="button" on:click=move |_| deciding.set(Some(AcceptanceDecision::Confirm))>{wt(WorkspaceMsg::ConfirmAcceptance)}</button>
                        <button class="button danger acceptance-reject" type="button" on:click=move |_| deciding.set(Some(AcceptanceDecision::Reject))>{wt(WorkspaceMsg::RejectAcceptance)}</button>
                    </div>
                })}
                {move || deciding.get().map(|decision| view! {
                    <AnswerDialog acceptance=copy.get_value() decision=decision answered=answered close=Callback::new(move |()| deciding.set(None))/>
                })}
            </div>
        </li>
    }
}

fn settlement_facts(s: Settlement) -> impl IntoView {
    view! {
        <dl class="facts settlement">
            <dt>{wt(WorkspaceMsg::ContractAmount)}</dt><dd class="amount">{format_fen(s.contract_amount_fen)}</dd>
            <dt>{wt(WorkspaceMsg::ThisMilestone)}</dt><dd class="amount">{format_fen(s.milestone_amount_fen)}</dd>
            <dt>{wt(WorkspaceMsg::RetentionWithheld)}</dt><dd class="amount settlement-retention">{format_fen(s.retention_fen)}</dd>
            <dt>{wt(WorkspaceMsg::Deductions)}</dt><dd class="amount">{format_fen(s.deductions_fen)}</dd>
            <dt>{wt(WorkspaceMsg::PreviousPayments)}</dt><dd class="amount">{format_fen(s.previous_payments_fen)}</dd>
            <dt>{wt(WorkspaceMsg::Payable)}</dt><dd class="amount">{format_fen(s.payable_fen)}</dd>
            <dt>{wt(WorkspaceMsg::PaidNow)}</dt><dd class="amount settlement-paid-now">{format_fen(s.paid_now_fen)}</dd>
            <dt>{wt(WorkspaceMsg::UnpaidRest)}</dt><dd class="amount settlement-unpaid">{format_fen(s.unpaid_fen)}</dd>
        </dl>
    }
}

/// The signing dialog of an answer: the reason (to reject), the consent text, re-authentication.
#[component]
fn AnswerDialog(
    acceptance: AcceptanceView,
    decision: AcceptanceDecision,
    answered: Callback<()>,
    close: Callback<()>,
) -> impl IntoView {
    let orgs = use_active_org();
    let toasts = use_toasts();
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let agreed = RwSignal::new(false);
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let intent = Intent::new();
    let path = StoredValue::new(format!(
        "/contracts/{}/acceptances/{}/answers",
        acceptance.contract_id, acceptance.id
    ));
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let typed_code = code.get_untracked().trim().to_owned();
        let typed_reason = reason.get_untracked();
        let body = AcceptanceAnswerInput {
            decision,
            reason: (!typed_reason.trim().is_empty()).then_some(typed_reason),
            password: password.get_untracked(),
            code: (!typed_code.is_empty()).then_some(typed_code),
            consent: agreed.get_untracked(),
        };
        let problems = before_sending(Vec::new(), body.check());
        let Some(org) = sendable_for(errors, orgs.acting_untracked(), problems) else { return };
        password.set(String::new());
        intent.post(Some(org), path.get_value(), body, busy, errors, move |_: AcceptanceView| {
            toasts.success(Msg::WorkspaceMsg(WorkspaceMsg::AnswerSent));
            close.run(());
            answered.run(());
        });
    };
    let rejecting = decision == AcceptanceDecision::Reject;
    view! {
        <form class="ceremony" id="answer-dialog" role="dialog" aria-modal="true" aria-labelledby="answer-title" on:submit=submit novalidate>
            <h3 id="answer-title">{wt(WorkspaceMsg::AnswerTitle)}" · "{if rejecting { wt(WorkspaceMsg::RejectAcceptance)() } else { wt(WorkspaceMsg::ConfirmAcceptance)() }}</h3>
            {rejecting.then(|| view! {
                <label for="answer-reason">{wt(WorkspaceMsg::Reason)}</label>
                <textarea id="answer-reason" maxlength="1000" prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                <FieldError text=field_error(errors, "reason") id="answer-reason-error"/>
            })}
            <Reauth prefix="answer" consent=Some(acceptance.consent_text.clone()) agreed=agreed password=password code=code errors=errors/>
            <FormError errors=errors id="answer-error"/>
            <div class="row-actions">
                <SubmitButton id="answer-submit" label=Msg::WorkspaceMsg(WorkspaceMsg::Send) busy=busy/>
                <button class="button" type="button" id="answer-cancel" on:click=move |_| close.run(())>{tr(Msg::Cancel)}</button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quantity_is_read_with_thousands_separators() {
        assert_eq!(parse_quantity(" 1,250.5 "), Some(1250.5));
        assert_eq!(parse_quantity("12"), Some(12.0));
        assert_eq!(parse_quantity("十二"), None);
        assert_eq!(parse_quantity(""), None);
    }
}
