//! The finance console's arbitration awards (`GET /finance/dispute-awards`): what is still owed
//! on each, by when; for an overdue one an officer requests first compensation (先行赔付, from
//! the party at fault's bond, then the risk reserve), and a different officer approves it or
//! rejects it with a reason. Each money step carries one `Idempotency-Key` per intent.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::domain::dispute::award::AwardState;
use shared::dto::{CompensationDecisionRequest, DisputeAwardList, DisputeAwardView};
use shared::validate::Check;

use crate::datetime::minute;
use crate::forms::{FieldError, FormError, FormErrors, failure_text, field_error};
use crate::http::Failure;
use crate::i18n::{DisputeMsg, Msg, tr, use_i18n};
use crate::intent::Intent;
use crate::money::format_fen;
use crate::session::use_session;

fn dt(msg: DisputeMsg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    tr(Msg::DisputeMsg(msg))
}

/// The awards still owed.
#[component]
pub fn Awards() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let list = RwSignal::new(None::<Result<Vec<DisputeAwardView>, Failure>>);
    let reload = RwSignal::new(0_u32);
    Effect::new(move |_| {
        let _ = reload.get();
        leptos::task::spawn_local(async move {
            let result = session.call::<(), DisputeAwardList>("GET", "/finance/dispute-awards", None).await;
            let _ = list.try_set(Some(result.map(|l| l.items)));
        });
    });
    let changed = Callback::new(move |()| reload.update(|r| *r += 1));
    view! {
        <section class="card" id="finance-awards">
            <h2>{dt(DisputeMsg::Award)}</h2>
            {move || match list.get() {
                None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
                Some(Err(f)) => view! { <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &f)}</p> }.into_any(),
                Some(Ok(items)) if items.is_empty() => view! { <p class="empty" id="finance-awards-empty">{dt(DisputeMsg::NoAwards)}</p> }.into_any(),
                Some(Ok(items)) => view! {
                    <ul class="rows" id="finance-award-list">
                        {items.into_iter().map(|a| view! { <AwardRow a=a changed=changed/> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn AwardRow(a: DisputeAwardView, changed: Callback<()>) -> impl IntoView {
    let (busy, errors) = (RwSignal::new(false), RwSignal::new(FormErrors::default()));
    let reason = RwSignal::new(String::new());
    let intent = Intent::new();
    let base = StoredValue::new(format!("/finance/dispute-awards/{}/compensation", a.dispute_id));
    let request = move |_| {
        intent.post(
            None,
            base.get_value(),
            serde_json::json!({}),
            busy,
            errors,
            move |_: DisputeAwardView| {
                changed.run(());
            },
        );
    };
    let decide = move |approve: bool| {
        let text = reason.get_untracked();
        let body = CompensationDecisionRequest { approve, reason: (!text.trim().is_empty()).then_some(text) };
        if let Err(invalid) = body.check() {
            errors.set(FormErrors { fields: invalid.0, form: None });
            return;
        }
        let path = format!("{}/decision", base.get_value());
        intent.post(None, path, body, busy, errors, move |_: DisputeAwardView| changed.run(()));
    };
    let pending = a.request.clone();
    view! {
        <li class="row item finance-award" data-award=a.dispute_id.clone() data-state=a.state.as_str()>
            <div class="item-main">
                <A href=format!("/disputes/{}", a.dispute_id)>{format_fen(a.award_fen)}</A>
                " · " {dt(DisputeMsg::Outstanding)} " " <strong class="award-outstanding">{format_fen(a.outstanding_fen)}</strong>
                " · " {dt(DisputeMsg::DueBy)} " " {minute(a.due_at)}
                {pending.map(|r| view! {
                    <p class="hint award-request">{dt(DisputeMsg::AwardRequested)} " " {format_fen(r.bond_fen + r.reserve_fen)}
                        " (" {format_fen(r.bond_fen)} " + " {format_fen(r.reserve_fen)} ")"</p>
                })}
            </div>
            {(a.state == AwardState::Overdue).then(|| view! {
                <button type="button" class="button small primary award-request-compensation" disabled=move || busy.get() on:click=request>
                    {dt(DisputeMsg::RequestCompensation)}
                </button>
            })}
            {(a.state == AwardState::CompensationRequested).then(|| view! {
                <div class="stack-form">
                    <label for=format!("award-reason-{}", a.dispute_id)>{dt(DisputeMsg::Reason)}</label>
                    <input id=format!("award-reason-{}", a.dispute_id) class="award-reason" prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))/>
                    <FieldError text=field_error(errors, "reason") id=format!("award-reason-{}-error", a.dispute_id)/>
                    <div class="row-actions">
                        <button type="button" class="button small primary award-approve" disabled=move || busy.get() on:click=move |_| decide(true)>{dt(DisputeMsg::Approve)}</button>
                        <button type="button" class="button small award-reject" disabled=move || busy.get() on:click=move |_| decide(false)>{dt(DisputeMsg::Reject)}</button>
                    </div>
                </div>
            })}
            <FormError errors=errors id=format!("award-{}-error", a.dispute_id)/>
        </li>
    }
}
