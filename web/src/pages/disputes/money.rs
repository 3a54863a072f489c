//! The money of a dispute on its page: signing the agreement (a party's owner or admin,
//! re-authenticated, with consent; one `Idempotency-Key` per intent — the second signature
//! executes the escrow movements) and the award (what escrow, the party at fault and the platform
//! have paid, what is owed and by when; the party at fault pays the shortfall and repays a
//! recovery claim from its available funds, re-authenticated).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::domain::dispute::award::AwardState;
use shared::dto::{AwardPaymentRequest, DisputeAwardView, DisputeView, FieldIssue, SignAgreementRequest};
use shared::validate::Check;

use super::dt;
use crate::active_org::use_active_org;
use crate::datetime::minute;
use crate::forms::{
    FormError, FormErrors, SubmitButton, TextField, before_sending, failure_text, sendable_for,
};
use crate::http::Failure;
use crate::i18n::{DisputeMsg, Msg, use_i18n};
use crate::intent::Intent;
use crate::money::{format_fen, parse_yuan};
use crate::pages::contracts::Reauth;
use crate::toast::use_toasts;

/// The agreement's signing form, for a party that has not signed a resolved case's agreement.
#[component]
pub fn SignAgreement(d: DisputeView, changed: Callback<()>) -> impl IntoView {
    let orgs = use_active_org();
    let toasts = use_toasts();
    let (password, code) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let agreed = RwSignal::new(false);
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let intent = Intent::new();
    let path = StoredValue::new(format!("/disputes/{}/agreement/signatures", d.id));
    let terms = d.agreement_terms.clone().unwrap_or_default();
    let movements = d
        .escrow_movements
        .iter()
        .map(|m| {
            let to = if m.to == shared::domain::dispute::DisputeParty::Complainant {
                DisputeMsg::Complainant
            } else {
                DisputeMsg::Respondent
            };
            view! { <li class="row">{dt(to)} " ← " {format_fen(m.amount_fen)}</li> }
        })
        .collect_view();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let typed_code = code.get_untracked().trim().to_owned();
        let body = SignAgreementRequest {
            password: password.get_untracked(),
            code: (!typed_code.is_empty()).then_some(typed_code),
            consent: agreed.get_untracked(),
        };
        let problems = before_sending(Vec::new(), body.check());
        let Some(org) = sendable_for(errors, orgs.acting_untracked(), problems) else { return };
        password.set(String::new());
        intent.post(Some(org), path.get_value(), body, busy, errors, move |_: DisputeView| {
            toasts.success(Msg::DisputeMsg(DisputeMsg::Signed));
            changed.run(());
        });
    };
    view! {
        <form id="dispute-sign-form" class="card stack-form" on:submit=submit novalidate>
            <h2>{dt(DisputeMsg::SignAgreement)}</h2>
            <p class="hint">{dt(DisputeMsg::SignIntro)}</p>
            <ul class="rows" id="dispute-movements">{movements}</ul>
            <Reauth prefix="dispute-sign" consent=Some(terms) agreed=agreed password=password code=code errors=errors/>
            <FormError errors=errors id="dispute-sign-error"/>
            <SubmitButton id="dispute-sign-submit" label=Msg::DisputeMsg(DisputeMsg::SignAgreement) busy=busy/>
        </form>
    }
}

fn award_state(state: AwardState) -> DisputeMsg {
    match state {
        AwardState::Due => DisputeMsg::AwardDue,
        AwardState::Overdue => DisputeMsg::AwardOverdue,
        AwardState::CompensationRequested => DisputeMsg::AwardRequested,
        AwardState::Compensated => DisputeMsg::AwardCompensated,
        AwardState::Settled => DisputeMsg::AwardSettled,
    }
}

/// The award of a decided case, with the party at fault's payment forms.
#[component]
pub fn AwardPanel(dispute_id: String) -> impl IntoView {
    let orgs = use_active_org();
    let i18n = use_i18n();
    let session = crate::session::use_session();
    let award = RwSignal::new(None::<Result<DisputeAwardView, Failure>>);
    let reload = RwSignal::new(0_u32);
    let id = StoredValue::new(dispute_id);
    Effect::new(move |_| {
        let _ = reload.get();
        let org = orgs.acting();
        if org.is_none() && !super::staff::handles_disputes() {
            return;
        }
        leptos::task::spawn_local(async move {
            let path = format!("/disputes/{}/award", id.get_value());
            let found = match org {
                Some(org) => orgs.call::<(), DisputeAwardView>(&org, "GET", &path, None).await,
                // Staff read it without an organisation.
                None => session.call::<(), DisputeAwardView>("GET", &path, None).await,
            };
            let _ = award.try_set(Some(found));
        });
    });
    let changed = Callback::new(move |()| reload.update(|r| *r += 1));
    view! {
        {move || match award.get() {
            None | Some(Err(Failure::Api { status: 404, .. })) => ().into_any(),
            Some(Err(f)) => view! { <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &f)}</p> }.into_any(),
            Some(Ok(a)) => {
                let debtor = orgs.acting_untracked().is_some_and(|o| o == a.debtor_org_id);
                let may_pay = debtor && matches!(a.state, AwardState::Due | AwardState::Overdue) && a.outstanding_fen > 0;
                let may_repay = debtor && a.recovery_open_fen > 0;
                let path = |what: &str| format!("/disputes/{}/award/{what}", a.dispute_id);
                view! {
                    <section class="card" id="dispute-award" data-state=a.state.as_str()>
                        <h2>{dt(DisputeMsg::Award)} " " <span class="badge" id="award-state">{dt(award_state(a.state))}</span></h2>
                        <dl class="facts">
                            <dt>{dt(DisputeMsg::AwardAmount)}</dt><dd>{format_fen(a.award_fen)}</dd>
                            <dt>{dt(DisputeMsg::FromEscrow)}</dt><dd>{format_fen(a.from_escrow_fen)}</dd>
                            <dt>{dt(DisputeMsg::PaidByDebtor)}</dt><dd>{format_fen(a.paid_fen)}</dd>
                            <dt>{dt(DisputeMsg::Compensated)}</dt><dd>{format_fen(a.compensated_fen)}</dd>
                            <dt>{dt(DisputeMsg::Outstanding)}</dt><dd id="award-outstanding">{format_fen(a.outstanding_fen)}</dd>
                            <dt>{dt(DisputeMsg::DueBy)}</dt><dd>{minute(a.due_at)}</dd>
                        </dl>
                        {(a.recovery_open_fen > 0).then(|| view! {
                            <p class="warning" id="award-recovery">{dt(DisputeMsg::RecoveryOpen)} " " {format_fen(a.recovery_open_fen)}</p>
                        })}
                    </section>
                    {may_pay.then(|| view! { <PayForm id="award-pay" submit_id="award-pay-submit" path=path("payments") label=DisputeMsg::PayAward changed=changed/> })}
                    {may_repay.then(|| view! { <PayForm id="award-repay" submit_id="award-repay-submit" path=path("recovery-payments") label=DisputeMsg::RepayRecovery changed=changed/> })}
                }.into_any()
            }
        }}
    }
}

/// A payment by the party at fault (re-authenticated, one key per intent).
#[component]
fn PayForm(
    id: &'static str,
    submit_id: &'static str,
    path: String,
    label: DisputeMsg,
    changed: Callback<()>,
) -> impl IntoView {
    let orgs = use_active_org();
    let toasts = use_toasts();
    let amount = RwSignal::new(String::new());
    let (password, code) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let intent = Intent::new();
    let path = StoredValue::new(path);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut parsed = Vec::new();
        let fen = parse_yuan(&amount.get_untracked()).unwrap_or_else(|e| {
            parsed.push(FieldIssue { field: "amount_fen".into(), issue: e.code().into() });
            0
        });
        let typed_code = code.get_untracked().trim().to_owned();
        let body = AwardPaymentRequest {
            amount_fen: fen,
            password: password.get_untracked(),
            code: (!typed_code.is_empty()).then_some(typed_code),
        };
        let problems = before_sending(parsed, body.check());
        let Some(org) = sendable_for(errors, orgs.acting_untracked(), problems) else { return };
        password.set(String::new());
        intent.post(Some(org), path.get_value(), body, busy, errors, move |_: DisputeAwardView| {
            toasts.success(Msg::DisputeMsg(DisputeMsg::Paid));
            amount.set(String::new());
            changed.run(());
        });
    };
    view! {
        <form id=format!("{id}-form") class="card stack-form" on:submit=submit novalidate>
            <h2>{dt(label)}</h2>
            <TextField id=format!("{id}-amount") label=Msg::DisputeMsg(DisputeMsg::PayAmount) value=amount errors=errors field="amount_fen" inputmode="decimal"/>
            <Reauth prefix=id consent=None agreed=RwSignal::new(true) password=password code=code errors=errors/>
            <FormError errors=errors id=format!("{id}-error")/>
            <SubmitButton id=submit_id label=Msg::DisputeMsg(label) busy=busy/>
        </form>
    }
}
