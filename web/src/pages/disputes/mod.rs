//! Disputes in the SPA (纠纷处理): the contract page's section (the contract's disputes and, for
//! a party's owners and admins, the form to file one — `FileDisputeRequest` checked before
//! sending) and the dispute page (`/disputes/{id}`): state, running deadline, the freeze, the
//! claim and answer, the timeline, the mediation thread with a message form, and the party's
//! own steps — the respondent's answer, the complainant's withdrawal, signing the agreement, and
//! the award with the party at fault's payments (`money`).

mod money;
pub mod staff;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use shared::domain::dispute::DisputeState;
use shared::domain::notices::disputes::state_names;
use shared::dto::{
    CreateDisputeMessage, DisputeList, DisputeMessageList, DisputeMessageView, DisputeSide, DisputeText,
    DisputeView, FileDisputeRequest,
};
use shared::validate::Check;

use crate::active_org::use_active_org;
use crate::datetime::minute;
use crate::forms::{
    FieldError, FormError, FormErrors, SubmitButton, before_sending, failure_text, field_error, sendable_for,
};
use crate::http::Failure;
use crate::i18n::{DisputeMsg, Lang, Msg, tr, use_i18n};
use crate::money::{format_fen, parse_yuan};
use crate::session::require_sign_in;

fn dt(msg: DisputeMsg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    tr(Msg::DisputeMsg(msg))
}

/// A state's name in `lang`.
pub fn state_text(lang: Lang, state: DisputeState) -> &'static str {
    let (zh, en) = state_names(state);
    if lang == Lang::Zh { zh } else { en }
}

/// The request the filing form sends, or the field problems found before sending.
pub fn filing(
    contract_id: &str,
    claim: &str,
    amount: &str,
) -> Result<FileDisputeRequest, Vec<shared::dto::FieldIssue>> {
    let (amount_fen, mut parsed) = match parse_yuan(amount) {
        Ok(fen) => (fen, Vec::new()),
        Err(e) => (0, vec![shared::dto::FieldIssue::new("amount_fen", e.code())]),
    };
    let body = FileDisputeRequest {
        contract_id: contract_id.to_owned(),
        claim: claim.to_owned(),
        amount_fen,
        evidence: Vec::new(),
    };
    parsed = before_sending(parsed, body.check());
    if parsed.is_empty() { Ok(body) } else { Err(parsed) }
}

/// The contract page's disputes: the list and the filing form.
#[component]
pub fn DisputesSection(contract_id: String) -> impl IntoView {
    let orgs = use_active_org();
    let list = RwSignal::new(None::<Result<Vec<DisputeView>, Failure>>);
    let cid = StoredValue::new(contract_id);
    Effect::new(move |_| {
        let Some(org) = orgs.acting() else { return };
        leptos::task::spawn_local(async move {
            let result: Result<DisputeList, Failure> =
                orgs.call::<(), _>(&org, "GET", &format!("/orgs/{org}/disputes"), None).await;
            let mine = result
                .map(|l| l.items.into_iter().filter(|d| cid.with_value(|c| d.contract_id == *c)).collect());
            let _ = list.try_set(Some(mine));
        });
    });
    let i18n = use_i18n();
    view! {
        <section class="card" id="disputes">
            <h2>{dt(DisputeMsg::Disputes)}</h2>
            <p class="hint">{dt(DisputeMsg::Intro)}</p>
            {move || match list.get() {
                None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
                Some(Err(f)) => view! { <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &f)}</p> }.into_any(),
                Some(Ok(items)) if items.is_empty() => view! { <p class="empty" id="disputes-empty">{dt(DisputeMsg::NoDisputes)}</p> }.into_any(),
                Some(Ok(items)) => view! {
                    <ul class="rows" id="dispute-list">
                        {items.into_iter().map(|d| {
                            let state = d.state;
                            view! {
                                <li class="row dispute-row" data-state=state.as_str()>
                                    <A href=format!("/disputes/{}", d.id)>{move || state_text(i18n.0.get(), state)}</A>
                                    " · " {format_fen(d.amount_fen)} " · " {minute(d.filed_at)}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <FileForm contract_id=cid.get_value()/>
        </section>
    }
}

#[component]
fn FileForm(contract_id: String) -> impl IntoView {
    let orgs = use_active_org();
    let navigate = StoredValue::new_local(use_navigate());
    let (claim, amount) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let cid = StoredValue::new(contract_id);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let (body, problems) = match filing(&cid.get_value(), &claim.get_untracked(), &amount.get_untracked())
        {
            Ok(body) => (Some(body), Vec::new()),
            Err(problems) => (None, problems),
        };
        let Some(org) = sendable_for(errors, orgs.acting_untracked(), problems) else { return };
        let Some(body) = body else { return };
        errors.set(FormErrors::default());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = orgs.call::<_, DisputeView>(&org, "POST", "/disputes", Some(&body)).await;
            let _ = busy.try_set(false);
            match result {
                Ok(d) => navigate.with_value(|go| go(&format!("/disputes/{}", d.id), Default::default())),
                Err(failure) => {
                    let _ = errors.try_set(FormErrors::from_failure(failure));
                }
            }
        });
    };
    view! {
        <form id="dispute-form" class="stack-form" on:submit=submit novalidate>
            <h3>{dt(DisputeMsg::File)}</h3>
            <label for="dispute-claim">{dt(DisputeMsg::Claim)}</label>
            <textarea id="dispute-claim" maxlength="2000" prop:value=claim on:input=move |ev| claim.set(event_target_value(&ev))></textarea>
            <FieldError text=field_error(errors, "claim") id="dispute-claim-error"/>
            <label for="dispute-amount">{dt(DisputeMsg::Amount)}</label>
            <input id="dispute-amount" inputmode="decimal" prop:value=amount on:input=move |ev| amount.set(event_target_value(&ev))/>
            <FieldError text=field_error(errors, "amount_fen") id="dispute-amount-error"/>
            <FormError errors=errors id="dispute-form-error"/>
            <SubmitButton id="dispute-submit" label=Msg::DisputeMsg(DisputeMsg::File) busy=busy/>
        </form>
    }
}

/// The dispute page.
#[component]
pub fn DisputePage() -> impl IntoView {
    require_sign_in();
    let orgs = use_active_org();
    let session = crate::session::use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let dispute = RwSignal::new(None::<Result<DisputeView, Failure>>);
    let messages = RwSignal::new(Vec::<DisputeMessageView>::new());
    let reload = RwSignal::new(0_u32);
    Effect::new(move |_| {
        // Staff read the case without an organisation; anyone else waits for theirs.
        let (id, _, org) = (id.get(), reload.get(), orgs.acting());
        if org.is_none() && !staff::handles_disputes() {
            return;
        }
        leptos::task::spawn_local(async move {
            let (case, thread) = (format!("/disputes/{id}"), format!("/disputes/{id}/messages"));
            let (result, list) = match org {
                Some(org) => (
                    orgs.call::<(), DisputeView>(&org, "GET", &case, None).await,
                    orgs.call::<(), DisputeMessageList>(&org, "GET", &thread, None).await,
                ),
                None => (
                    session.call::<(), DisputeView>("GET", &case, None).await,
                    session.call::<(), DisputeMessageList>("GET", &thread, None).await,
                ),
            };
            let _ = dispute.try_set(Some(result));
            if let Ok(list) = list {
                let _ = messages.try_set(list.items);
            }
        });
    });
    let i18n = use_i18n();
    let changed = Callback::new(move |()| reload.update(|r| *r += 1));
    view! {
        <div class="stack">
            {move || match dispute.get() {
                None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
                Some(Err(f)) => view! { <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &f)}</p> }.into_any(),
                Some(Ok(d)) => view! { <Case d=d messages=messages changed=changed/> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn Case(d: DisputeView, messages: RwSignal<Vec<DisputeMessageView>>, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let orgs = use_active_org();
    let state = d.state;
    let acting = orgs.acting_untracked().unwrap_or_default();
    let respondent = acting == d.respondent_org_id;
    let complainant = acting == d.complainant_org_id;
    let may_answer = respondent
        && d.answer.is_none()
        && !d.respondent_non_responsive
        && matches!(state, DisputeState::AwaitingAssignment | DisputeState::AwaitingResponse);
    let signed =
        if complainant { d.complainant_signed_at.is_some() } else { d.respondent_signed_at.is_some() };
    let may_sign = (complainant || respondent)
        && state == DisputeState::Resolved
        && !signed
        && !d.escrow_movements.is_empty()
        && d.executed_at.is_none();
    let path = StoredValue::new(format!("/disputes/{}", d.id));
    let for_staff = StoredValue::new(d.clone());
    view! {
        <section class="card" id="dispute">
            <p class="eyebrow">{dt(DisputeMsg::Dispute)}</p>
            <h1><span class=format!("badge dispute-state state-{}", state.as_str()) id="dispute-state">{move || state_text(i18n.0.get(), state)}</span></h1>
            <p class="prose" id="dispute-claim-text">{d.claim.clone()}</p>
            <dl class="facts">
                <dt>{dt(DisputeMsg::Amount)}</dt><dd>{format_fen(d.amount_fen)}</dd>
                {d.deadline.clone().map(|dl| view! { <dt>{dt(DisputeMsg::Deadline)}</dt><dd id="dispute-deadline">{minute(dl.due_at)}</dd> })}
                {d.answer.clone().map(|a| view! { <dt>{dt(DisputeMsg::Answer)}</dt><dd class="prose" id="dispute-answer">{a}</dd> })}
                {d.agreement_terms.clone().map(|t| view! { <dt>{dt(DisputeMsg::Agreement)}</dt><dd class="prose">{t}</dd> })}
                {d.decision.clone().map(|t| view! { <dt>{dt(DisputeMsg::Decision)}</dt><dd class="prose">{t}</dd> })}
            </dl>
            {d.escrow_frozen.then(|| view! { <p class="warning" id="dispute-frozen">{dt(DisputeMsg::Frozen)}</p> })}
            {d.respondent_non_responsive.then(|| view! { <p class="notice">{dt(DisputeMsg::NonResponsive)}</p> })}
            {d.escalated_to_admin.then(|| view! { <p class="notice">{dt(DisputeMsg::Escalated)}</p> })}
        </section>
        {may_answer.then(|| view! { <TextForm id="dispute-answer-form" submit_id="dispute-answer-submit" path=format!("{}/response", path.get_value()) label=DisputeMsg::Respond changed=changed/> })}
        {move || staff::handles_disputes().then(|| view! { <staff::StaffSteps d=for_staff.get_value() changed=changed/> })}
        {may_sign.then(|| view! { <money::SignAgreement d=d.clone() changed=changed/> })}
        {d.executed_at.is_some().then(|| view! { <p class="notice card" id="dispute-executed">{dt(DisputeMsg::Executed)}</p> })}
        {(d.award_fen.unwrap_or(0) > 0).then(|| view! { <money::AwardPanel dispute_id=d.id.clone()/> })}
        {(complainant && state.allows_withdrawal()).then(|| view! { <TextForm id="dispute-withdraw-form" submit_id="dispute-withdraw-submit" path=format!("{}/withdrawal", path.get_value()) label=DisputeMsg::Withdraw changed=changed/> })}
        <section class="card" id="dispute-timeline">
            <h2>{dt(DisputeMsg::Timeline)}</h2>
            <ol class="timeline">
                {d.timeline.iter().map(|t| {
                    let after = t.state_after;
                    view! { <li class="dispute-step">{minute(t.at)} " · " {move || state_text(i18n.0.get(), after)}</li> }
                }).collect_view()}
            </ol>
        </section>
        <section class="card" id="dispute-thread">
            <h2>{dt(DisputeMsg::Thread)}</h2>
            {move || messages.with(Vec::is_empty).then(|| view! { <p class="hint">{dt(DisputeMsg::NoMessages)}</p> })}
            <ol class="rows" id="dispute-messages">
                {move || messages.get().into_iter().map(|m| {
                    let side = match m.side {
                        DisputeSide::Complainant => DisputeMsg::Complainant,
                        DisputeSide::Respondent => DisputeMsg::Respondent,
                        DisputeSide::Mediator => DisputeMsg::Mediator,
                    };
                    view! {
                        <li class="row dispute-message" data-side=m.side.as_str()>
                            <strong>{dt(side)} " " {m.author_name.clone()}</strong> " " <span class="hint">{minute(m.created_at)}</span>
                            <p class="prose">{m.body.clone()}</p>
                        </li>
                    }
                }).collect_view()}
            </ol>
            {(!state.is_terminal()).then(|| view! { <MessageForm path=format!("{}/messages", path.get_value()) changed=changed/> })}
        </section>
    }
}

/// A one-text step of a party: the answer, the withdrawal.
#[component]
fn TextForm(
    id: &'static str,
    submit_id: &'static str,
    path: String,
    label: DisputeMsg,
    changed: Callback<()>,
) -> impl IntoView {
    let orgs = use_active_org();
    let text = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let path = StoredValue::new(path);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let body = DisputeText { text: text.get_untracked() };
        let problems = before_sending(Vec::new(), body.check());
        let Some(org) = sendable_for(errors, orgs.acting_untracked(), problems) else { return };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = orgs.call::<_, DisputeView>(&org, "POST", &path.get_value(), Some(&body)).await;
            let _ = busy.try_set(false);
            match result {
                Ok(_) => changed.run(()),
                Err(failure) => {
                    let _ = errors.try_set(FormErrors::from_failure(failure));
                }
            }
        });
    };
    view! {
        <form id=id class="card stack-form" on:submit=submit novalidate>
            <h2>{dt(label)}</h2>
            <label for=format!("{id}-text")>{dt(DisputeMsg::Reason)}</label>
            <textarea id=format!("{id}-text") maxlength="2000" prop:value=text on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <FormError errors=errors id=format!("{id}-error")/>
            <SubmitButton id=submit_id label=Msg::DisputeMsg(label) busy=busy/>
        </form>
    }
}

#[component]
fn MessageForm(path: String, changed: Callback<()>) -> impl IntoView {
    let orgs = use_active_org();
    let body_text = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let path = StoredValue::new(path);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let body = CreateDisputeMessage { body: body_text.get_untracked(), files: Vec::new() };
        let problems = before_sending(Vec::new(), body.check());
        let Some(org) = sendable_for(errors, orgs.acting_untracked(), problems) else { return };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result =
                orgs.call::<_, DisputeMessageView>(&org, "POST", &path.get_value(), Some(&body)).await;
            let _ = busy.try_set(false);
            match result {
                Ok(_) => {
                    body_text.set(String::new());
                    changed.run(());
                }
                Err(failure) => {
                    let _ = errors.try_set(FormErrors::from_failure(failure));
                }
            }
        });
    };
    view! {
        <form id="dispute-message-form" class="stack-form" on:submit=submit novalidate>
            <label for="dispute-message">{dt(DisputeMsg::Message)}</label>
            <textarea id="dispute-message" maxlength="2000" prop:value=body_text on:input=move |ev| body_text.set(event_target_value(&ev))></textarea>
            <FormError errors=errors id="dispute-message-error"/>
            <SubmitButton id="dispute-message-submit" label=Msg::DisputeMsg(DisputeMsg::Send) busy=busy/>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filing_form_checks_the_claim_and_the_amount_before_sending() {
        let problems = filing("c1", "太短", "abc").expect_err("invalid");
        let fields: Vec<(&str, &str)> =
            problems.iter().map(|p| (p.field.as_str(), p.issue.as_str())).collect();
        assert!(fields.contains(&("claim", "too_short")), "{fields:?}");
        assert!(fields.iter().any(|(f, _)| *f == "amount_fen"), "{fields:?}");
        let body = filing("c1", "第 2 期款验收后 20 天仍未支付，请求支付。", "¥1,200.50").expect("valid");
        assert_eq!((body.amount_fen, body.contract_id.as_str()), (120_050, "c1"));
        assert_eq!(state_text(Lang::Zh, DisputeState::InMediation), "调解中");
    }
}
