//! Withdrawals (提现) on the wallet page: the organisation's bank account (shown masked; set by
//! an owner or admin with re-authentication), the withdrawal form (amount, re-authentication,
//! one `Idempotency-Key` per intent), and the withdrawals with their states, cancellable until
//! finance acts.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::dto::{
    BankAccountInput, BankAccountView, FieldIssue, MemberRole, PayoutInput, PayoutState, PayoutView,
};
use shared::validate::Check;

use crate::active_org::use_active_org;
use crate::datetime;
use crate::forms::{
    FormError, FormErrors, SubmitButton, TextField, before_sending, failure_text, sendable_for,
};
use crate::http::Failure;
use crate::i18n::{Msg, WorkspaceMsg, tr, use_i18n};
use crate::intent::Intent;
use crate::money::{format_fen, parse_yuan};
use crate::pages::contracts::{Reauth, wt};
use crate::session::use_session;
use crate::toast::use_toasts;

/// A withdrawal state's name and badge class.
pub fn payout_badge(state: PayoutState) -> (WorkspaceMsg, &'static str) {
    match state {
        PayoutState::Requested => (WorkspaceMsg::PayoutRequested, "badge-warn"),
        PayoutState::Approved => (WorkspaceMsg::PayoutApproved, "badge-warn"),
        PayoutState::Paid => (WorkspaceMsg::PayoutPaid, "badge-ok"),
        PayoutState::Rejected => (WorkspaceMsg::PayoutRejected, "badge-bad"),
        PayoutState::Cancelled => (WorkspaceMsg::PayoutCancelled, "badge-muted"),
    }
}

/// The withdrawals card of organisation `org_id`; `moved` is bumped when money moved.
#[component]
pub fn Withdrawals(org_id: String, moved: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let orgs = use_active_org();
    let account = RwSignal::new(None::<Result<Option<BankAccountView>, Failure>>);
    let payouts = RwSignal::new(None::<Result<Vec<PayoutView>, Failure>>);
    let reload = RwSignal::new(0_u32);
    let editing = RwSignal::new(false);
    let org = StoredValue::new(org_id);
    Effect::new(move |_| {
        let _ = reload.get();
        let org_id = org.get_value();
        leptos::task::spawn_local(async move {
            let found = orgs
                .call::<(), BankAccountView>(&org_id, "GET", &format!("/orgs/{org_id}/bank-account"), None)
                .await;
            let found = match found {
                Ok(a) => Ok(Some(a)),
                Err(Failure::Api { status: 404, .. }) => Ok(None),
                Err(f) => Err(f),
            };
            let _ = account.try_set(Some(found));
            let list = orgs
                .call::<(), Vec<PayoutView>>(&org_id, "GET", &format!("/orgs/{org_id}/payouts"), None)
                .await;
            let _ = payouts.try_set(Some(list));
        });
    });
    let manager =
        move || orgs.current().is_some_and(|o| matches!(o.my_role, MemberRole::Owner | MemberRole::Admin));
    let changed = Callback::new(move |()| {
        editing.set(false);
        reload.update(|r| *r += 1);
        moved.update(|m| *m += 1);
    });
    let has_account = move || account.with(|a| matches!(a, Some(Ok(Some(_)))));
    view! {
        <section class="card" id="wallet-withdrawals">
            <h2>{wt(WorkspaceMsg::BankAccount)}</h2>
            {move || match account.get() {
                None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
                Some(Err(failure)) => view! { <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &failure)}</p> }.into_any(),
                Some(Ok(None)) => view! { <p class="empty" id="bank-account-none">{wt(WorkspaceMsg::NoBankAccount)}</p> }.into_any(),
                Some(Ok(Some(a))) => view! {
                    <dl class="facts" id="bank-account">
                        <dt>{tr(Msg::EscrowMsg(crate::i18n::EscrowMsg::AccountName))}</dt><dd id="bank-account-name">{a.account_name}</dd>
                        <dt>{tr(Msg::EscrowMsg(crate::i18n::EscrowMsg::BankName))}</dt><dd>{a.bank_name}{a.branch.map(|b| format!(" · {b}"))}</dd>
                        <dt>{wt(WorkspaceMsg::AccountNumber)}</dt><dd class="mono" id="bank-account-number">{a.masked_number}</dd>
                    </dl>
                }.into_any(),
            }}
            <Show when=manager>
                <p>
                    <button class="button" type="button" id="bank-account-edit" on:click=move |_| editing.update(|e| *e = !*e)>
                        {move || if has_account() { wt(WorkspaceMsg::ChangeBankAccount)() } else { wt(WorkspaceMsg::SetBankAccount)() }}
                    </button>
                </p>
                <Show when=move || editing.get()>
                    <BankAccountForm org_id=org.get_value() saved=changed/>
                </Show>
                <Show when=has_account>
                    <WithdrawForm org_id=org.get_value() asked=changed/>
                </Show>
            </Show>
            <h2>{wt(WorkspaceMsg::Withdrawals)}</h2>
            {move || match payouts.get() {
                None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
                Some(Err(failure)) => view! { <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &failure)}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="empty" id="withdrawals-empty">{wt(WorkspaceMsg::NoWithdrawals)}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="rows" id="withdrawals">
                        {list.into_iter().map(|p| view! { <WithdrawalRow payout=p manager=manager() cancelled=changed/> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

/// Setting the bank account (re-authenticated).
#[component]
fn BankAccountForm(org_id: String, saved: Callback<()>) -> impl IntoView {
    let orgs = use_active_org();
    let toasts = use_toasts();
    let name = RwSignal::new(orgs.current().map(|o| o.profile.name).unwrap_or_default());
    let bank = RwSignal::new(String::new());
    let branch = RwSignal::new(String::new());
    let number = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let path = StoredValue::new(format!("/orgs/{org_id}/bank-account"));
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let typed_branch = branch.get_untracked();
        let typed_code = code.get_untracked().trim().to_owned();
        let body = BankAccountInput {
            account_name: name.get_untracked().trim().to_owned(),
            bank_name: bank.get_untracked().trim().to_owned(),
            branch: (!typed_branch.trim().is_empty()).then(|| typed_branch.trim().to_owned()),
            account_number: number.get_untracked(),
            password: password.get_untracked(),
            code: (!typed_code.is_empty()).then_some(typed_code),
        };
        let problems = before_sending(Vec::new(), body.check());
        let Some(org) = sendable_for(errors, orgs.acting_untracked(), problems) else { return };
        errors.set(FormErrors::default());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = orgs.call::<_, BankAccountView>(&org, "PUT", &path.get_value(), Some(&body)).await;
            let _ = busy.try_set(false);
            let _ = password.try_set(String::new());
            match result {
                Ok(_) => {
                    toasts.success(Msg::WorkspaceMsg(WorkspaceMsg::BankAccountSaved));
                    saved.run(());
                }
                Err(failure) => {
                    let _ = errors.try_set(FormErrors::from_failure(failure));
                }
            }
        });
    };
    view! {
        <form id="bank-account-form" class="stack-form" on:submit=submit novalidate>
            <TextField id="bank-account-holder" label=Msg::EscrowMsg(crate::i18n::EscrowMsg::AccountName) value=name errors=errors field="account_name"
                hint=Msg::WorkspaceMsg(WorkspaceMsg::HolderHint)/>
            <TextField id="bank-account-bank" label=Msg::EscrowMsg(crate::i18n::EscrowMsg::BankName) value=bank errors=errors field="bank_name"/>
            <TextField id="bank-account-branch" label=Msg::WorkspaceMsg(WorkspaceMsg::Branch) value=branch errors=errors field="branch"/>
            <TextField id="bank-account-digits" label=Msg::WorkspaceMsg(WorkspaceMsg::AccountNumber) value=number errors=errors field="account_number" inputmode="numeric"/>
            <Reauth prefix="bank-account" consent=None agreed=RwSignal::new(true) password=password code=code errors=errors/>
            <FormError errors=errors id="bank-account-error"/>
            <SubmitButton id="bank-account-save" label=Msg::WorkspaceMsg(WorkspaceMsg::Save) busy=busy/>
        </form>
    }
}

/// Asking for a withdrawal (re-authenticated).
#[component]
fn WithdrawForm(org_id: String, asked: Callback<()>) -> impl IntoView {
    let orgs = use_active_org();
    let toasts = use_toasts();
    let amount = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let intent = Intent::new();
    let path = StoredValue::new(format!("/orgs/{org_id}/payouts"));
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut parsed = Vec::new();
        let fen = parse_yuan(&amount.get_untracked()).unwrap_or_else(|e| {
            parsed.push(FieldIssue { field: "amount_fen".into(), issue: e.code().into() });
            0
        });
        let typed_code = code.get_untracked().trim().to_owned();
        let body = PayoutInput {
            amount_fen: fen,
            password: password.get_untracked(),
            code: (!typed_code.is_empty()).then_some(typed_code),
        };
        let problems = before_sending(parsed, body.check());
        let Some(org) = sendable_for(errors, orgs.acting_untracked(), problems) else { return };
        password.set(String::new());
        intent.post(Some(org), path.get_value(), body, busy, errors, move |_: PayoutView| {
            toasts.success(Msg::WorkspaceMsg(WorkspaceMsg::WithdrawalAsked));
            amount.set(String::new());
            asked.run(());
        });
    };
    view! {
        <form id="withdraw-form" class="stack-form" on:submit=submit novalidate>
            <h3>{wt(WorkspaceMsg::Withdraw)}</h3>
            <p class="hint">{wt(WorkspaceMsg::WithdrawIntro)}</p>
            <TextField id="withdraw-amount" label=Msg::WorkspaceMsg(WorkspaceMsg::WithdrawAmount) value=amount errors=errors field="amount_fen" inputmode="decimal"/>
            <Reauth prefix="withdraw" consent=None agreed=RwSignal::new(true) password=password code=code errors=errors/>
            <FormError errors=errors id="withdraw-error"/>
            <SubmitButton id="withdraw-submit" label=Msg::WorkspaceMsg(WorkspaceMsg::Withdraw) busy=busy/>
        </form>
    }
}

/// A withdrawal with its state; cancellable by a manager until finance acts.
#[component]
fn WithdrawalRow(payout: PayoutView, manager: bool, cancelled: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let orgs = use_active_org();
    let toasts = use_toasts();
    let p = payout;
    let (msg, class) = payout_badge(p.status);
    let may_cancel = manager && p.status == PayoutState::Requested && p.approved_by.is_none();
    let busy = RwSignal::new(false);
    let failed = RwSignal::new(None::<Failure>);
    let intent = Intent::new();
    let path = StoredValue::new(format!("/orgs/{}/payouts/{}/cancellation", p.org_id, p.id));
    let cancel = move |_| {
        let Some(org) = orgs.acting_untracked() else { return };
        busy.set(true);
        let key = intent.key_for(&path.get_value());
        leptos::task::spawn_local(async move {
            let result =
                session.call_keyed::<(), PayoutView>(Some(&org), &key, "POST", &path.get_value(), None).await;
            intent.settle(&result);
            let _ = busy.try_set(false);
            match result {
                Ok(_) => {
                    toasts.success(Msg::WorkspaceMsg(WorkspaceMsg::WithdrawalCancelled));
                    cancelled.run(());
                }
                Err(failure) => {
                    let _ = failed.try_set(Some(failure));
                }
            }
        });
    };
    view! {
        <li class="row item withdrawal" data-payout=p.id.clone()>
            <div class="item-main">
                <strong class="amount withdrawal-amount">{format_fen(p.amount_fen)}</strong>
                " "<span class=format!("badge withdrawal-status {class}")>{wt(msg)}</span>
                {p.needs_second_officer.then(|| view! { " "<span class="badge badge-muted">{wt(WorkspaceMsg::SecondOfficer)}</span> })}
                <p class="hint">
                    {datetime::minute(p.requested_at)}" · "{p.bank_account.bank_name.clone()}" "<span class="mono">{p.bank_account.masked_number.clone()}</span>
                </p>
                {p.bank_reference.clone().map(|r| view! { <p class="hint">{wt(WorkspaceMsg::BankReference)}" "<span class="mono withdrawal-reference">{r}</span></p> })}
                {p.reason.clone().map(|r| view! { <p class="notice notice-bad withdrawal-reason">{r}</p> })}
                {move || failed.get().map(|f| view! { <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &f)}</p> })}
            </div>
            {may_cancel.then(|| view! {
                <button class="button danger small withdrawal-cancel" type="button" disabled=move || busy.get() on:click=cancel>
                    {wt(WorkspaceMsg::CancelWithdrawal)}
                </button>
            })}
        </li>
    }
}
