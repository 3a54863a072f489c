//! The finance console's withdrawal queue: each waiting withdrawal with its organisation, amount,
//! masked account and whether two officers must act (`needs_second_officer`: one approves, a
//! different one confirms); confirm with the bank's transaction number, reject with a reason,
//! reveal the full account number with an audited reason. Decisions carry one
//! `Idempotency-Key` per intent.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::dto::{
    PayoutAction, PayoutDecisionInput, PayoutState, PayoutView, RevealRequest, RevealedAccountNumber,
};
use shared::validate::Check;

use crate::datetime;
use crate::forms::{FieldError, FormError, FormErrors, before_sending, failure_text, field_error};
use crate::http::Failure;
use crate::i18n::{Msg, WorkspaceMsg, tr, use_i18n};
use crate::intent::Intent;
use crate::money::format_fen;
use crate::pages::contracts::wt;
use crate::pages::wallet::payout_badge;
use crate::session::use_session;
use crate::toast::use_toasts;

/// The waiting withdrawals.
#[component]
pub fn PayoutQueue() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let payouts = RwSignal::new(None::<Result<Vec<PayoutView>, Failure>>);
    let reload = RwSignal::new(0_u32);
    Effect::new(move |_| {
        let _ = reload.get();
        leptos::task::spawn_local(async move {
            let result = session.call::<(), Vec<PayoutView>>("GET", "/finance/payouts", None).await;
            let _ = payouts.try_set(Some(result));
        });
    });
    let decided = Callback::new(move |()| reload.update(|r| *r += 1));
    view! {
        <section class="card" id="finance-payouts-card">
            <h2>{wt(WorkspaceMsg::Payouts)}</h2>
            {move || match payouts.get() {
                None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
                Some(Err(failure)) => view! { <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &failure)}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="empty" id="finance-payouts-empty">{wt(WorkspaceMsg::PayoutsEmpty)}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="rows" id="finance-payouts">
                        {list.into_iter().map(|p| view! { <QueuedPayout payout=p decided=decided/> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

/// A waiting withdrawal with its decision and reveal forms.
#[component]
fn QueuedPayout(payout: PayoutView, decided: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let p = payout;
    let (msg, class) = payout_badge(p.status);
    let action = RwSignal::new(None::<PayoutAction>);
    let reference = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let intent = Intent::new();
    let revealing = RwSignal::new(false);
    let reveal_reason = RwSignal::new(String::new());
    let revealed = RwSignal::new(None::<Result<String, Failure>>);
    let id = StoredValue::new(p.id.clone());
    // Dual control: above the limit one officer approves first; at or below it nobody does.
    let may_approve = p.needs_second_officer && p.status == PayoutState::Requested;
    let may_confirm = !p.needs_second_officer || p.status == PayoutState::Approved;
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(chosen) = action.get_untracked() else { return };
        let typed_reference = reference.get_untracked();
        let typed_reason = reason.get_untracked();
        let body = PayoutDecisionInput {
            action: chosen,
            bank_reference: (chosen == PayoutAction::Confirm && !typed_reference.trim().is_empty())
                .then(|| typed_reference.trim().to_owned()),
            reason: (chosen == PayoutAction::Reject && !typed_reason.trim().is_empty())
                .then(|| typed_reason.trim().to_owned()),
        };
        let problems = before_sending(Vec::new(), body.check());
        if !problems.is_empty() {
            errors.set(FormErrors::local(problems));
            return;
        }
        let path = format!("/finance/payouts/{}/decision", id.get_value());
        intent.post(None, path, body, busy, errors, move |_: PayoutView| {
            toasts.success(Msg::WorkspaceMsg(WorkspaceMsg::PayoutDecided));
            decided.run(());
        });
    };
    let reveal = move |ev: SubmitEvent| {
        ev.prevent_default();
        let body = RevealRequest { reason: reveal_reason.get_untracked().trim().to_owned() };
        if body.reason.is_empty() {
            return;
        }
        let path = format!("/finance/payouts/{}/account-reveal", id.get_value());
        leptos::task::spawn_local(async move {
            let result = session
                .call::<_, RevealedAccountNumber>("POST", &path, Some(&body))
                .await
                .map(|r| r.account_number);
            let _ = revealed.try_set(Some(result));
        });
    };
    let ids = StoredValue::new(format!("payout-{}", p.id));
    view! {
        <li class="row item finance-payout" data-payout=p.id.clone()>
            <div class="item-main">
                <strong>{p.org_name.clone()}</strong>" · "<span class="amount payout-amount">{format_fen(p.amount_fen)}</span>
                " "<span class=format!("badge payout-status {class}")>{wt(msg)}</span>
                {p.needs_second_officer.then(|| view! { " "<span class="badge badge-warn payout-second">{wt(WorkspaceMsg::SecondOfficer)}</span> })}
                <dl class="facts">
                    <dt>{tr(Msg::EscrowMsg(crate::i18n::EscrowMsg::AccountName))}</dt><dd>{p.bank_account.account_name.clone()}</dd>
                    <dt>{tr(Msg::EscrowMsg(crate::i18n::EscrowMsg::BankName))}</dt><dd>{p.bank_account.bank_name.clone()}{p.bank_account.branch.clone().map(|b| format!(" · {b}"))}</dd>
                    <dt>{wt(WorkspaceMsg::AccountNumber)}</dt>
                    <dd class="mono payout-account">
                        {move || match revealed.get() {
                            Some(Ok(full)) => view! { <span class="payout-account-full">{full}</span> }.into_any(),
                            Some(Err(f)) => view! { <span class="form-error" role="alert">{failure_text(i18n.0.get(), &f)}</span> }.into_any(),
                            None => view! { <span>{p.bank_account.masked_number.clone()}</span> }.into_any(),
                        }}
                    </dd>
                    <dt>{tr(Msg::EscrowMsg(crate::i18n::EscrowMsg::Requested))}</dt><dd>{datetime::minute(p.requested_at)}</dd>
                    {p.approved_by.clone().map(|by| view! { <dt>{wt(WorkspaceMsg::ApprovedBy)}</dt><dd>{by}</dd> })}
                </dl>
                <div class="row-actions">
                    {may_approve.then(|| view! {
                        <button class="button small payout-approve" type="button" on:click=move |_| action.set(Some(PayoutAction::Approve))>{wt(WorkspaceMsg::ApprovePayout)}</button>
                    })}
                    {may_confirm.then(|| view! {
                        <button class="button small payout-confirm" type="button" on:click=move |_| action.set(Some(PayoutAction::Confirm))>{wt(WorkspaceMsg::ConfirmPayout)}</button>
                    })}
                    <button class="button small danger payout-reject" type="button" on:click=move |_| action.set(Some(PayoutAction::Reject))>{wt(WorkspaceMsg::RejectPayout)}</button>
                    <button class="button small payout-reveal" type="button" on:click=move |_| revealing.update(|r| *r = !*r)>{wt(WorkspaceMsg::Reveal)}</button>
                </div>
                <Show when=move || revealing.get() && revealed.with(Option::is_none)>
                    <form class="payout-reveal-form" on:submit=reveal novalidate>
                        <label for=format!("{}-reveal", ids.get_value())>{wt(WorkspaceMsg::RevealReason)}</label>
                        <input id=format!("{}-reveal", ids.get_value()) class="payout-reveal-reason" type="text" maxlength="500" prop:value=reveal_reason
                            on:input=move |ev| reveal_reason.set(event_target_value(&ev))/>
                        <button class="button small primary payout-reveal-send" type="submit">{wt(WorkspaceMsg::Reveal)}</button>
                    </form>
                </Show>
                <Show when=move || action.get().is_some()>
                    <form class="payout-form" on:submit=submit novalidate>
                        <Show when=move || action.get() == Some(PayoutAction::Confirm)>
                            <label for=format!("{}-reference", ids.get_value())>{wt(WorkspaceMsg::BankReference)}</label>
                            <input id=format!("{}-reference", ids.get_value()) class="payout-reference mono" type="text" maxlength="64" prop:value=reference
                                on:input=move |ev| reference.set(event_target_value(&ev))/>
                            <FieldError text=field_error(errors, "bank_reference") id=format!("{}-reference-error", ids.get_value())/>
                        </Show>
                        <Show when=move || action.get() == Some(PayoutAction::Reject)>
                            <label for=format!("{}-reason", ids.get_value())>{wt(WorkspaceMsg::Reason)}</label>
                            <textarea id=format!("{}-reason", ids.get_value()) class="payout-reason" maxlength="500" prop:value=reason
                                on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                            <FieldError text=field_error(errors, "reason") id=format!("{}-reason-error", ids.get_value())/>
                        </Show>
                        <FormError errors=errors id=format!("{}-error", ids.get_value())/>
                        <div class="row-actions">
                            <button class="button primary payout-send" type="submit" disabled=move || busy.get()>{tr(Msg::EscrowMsg(crate::i18n::EscrowMsg::Confirm))}</button>
                            <button class="button payout-cancel" type="button" on:click=move |_| action.set(None)>{tr(Msg::Cancel)}</button>
                        </div>
                    </form>
                </Show>
            </div>
        </li>
    }
}
