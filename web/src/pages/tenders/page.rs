//! The tender page (`/tenders/{id}`): status, deadline, weights, criteria and evaluators for
//! everyone signed in; then what the viewer's side does — the poster's evaluation (see
//! [`super::evaluation`]) or the bidder's report and bid (see [`super::bidder`]). The page
//! reloads when a notification about the tender arrives (closed, awarded, cancelled …).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use shared::dto::{MemberRole, TenderState, TenderView};

use super::bidder::BidderPanel;
use super::evaluation::PosterPanel;
use super::{tender_state_class, tender_state_name, tt, weights_line};
use crate::active_org::use_active_org;
use crate::datetime;
use crate::forms::failure_text;
use crate::http::Failure;
use crate::i18n::{ContractMsg, Msg, TenderMsg, tr, use_i18n};
use crate::notices::news;
use crate::session::{require_sign_in, use_session};

/// The tender page.
#[component]
pub fn TenderPage() -> impl IntoView {
    require_sign_in();
    let i18n = use_i18n();
    let session = use_session();
    let orgs = use_active_org();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let tender = RwSignal::new(None::<Result<TenderView, Failure>>);
    let version = RwSignal::new(0_u32);
    let news = news(move |n| n.link.ends_with(&id.get_untracked()));
    Effect::new(move |_| {
        if session.ready.get() && session.token.with(Option::is_some) {
            let id = id.get();
            let _ = (orgs.acting(), news.get(), version.get());
            leptos::task::spawn_local(async move {
                let result = orgs.call_acting::<(), TenderView>("GET", &format!("/tenders/{id}"), None).await;
                let _ = tender.try_set(Some(result));
            });
        }
    });
    let changed = Callback::new(move |()| version.update(|v| *v += 1));
    move || match tender.get() {
        None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
        Some(Err(failure)) => view! {
            <section class="card narrow">
                <h1 id="tender-missing">{tt(TenderMsg::TenderNotFound)}</h1>
                <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &failure)}</p>
            </section>
        }
        .into_any(),
        Some(Ok(t)) => view! { <TenderDetail tender=t changed=changed/> }.into_any(),
    }
}

#[component]
fn TenderDetail(tender: TenderView, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let orgs = use_active_org();
    let t = tender;
    let me = session.user.with_untracked(|u| u.as_ref().map(|u| u.id.clone())).unwrap_or_default();
    let evaluator = t.evaluators.iter().any(|e| e.user_id == me);
    let poster_org = StoredValue::new(t.org_id.clone());
    let poster = move || orgs.acting().is_some_and(|a| a == poster_org.get_value());
    let manager = move || {
        poster() && orgs.current().is_some_and(|o| matches!(o.my_role, MemberRole::Owner | MemberRole::Admin))
    };
    let weights = StoredValue::new(t.weights.clone());
    let copy = StoredValue::new(t.clone());
    let status = t.status;
    view! {
        <div class="stack tender-page">
            <section class="card" id="tender-summary">
                <p class="eyebrow">{t.org_name.clone()}" · "{tt(TenderMsg::Tendering)}</p>
                <h1 id="tender-title">{t.demand_title.clone()}</h1>
                <p class="badges">
                    <span class=format!("badge {}", tender_state_class(status)) id="tender-status">{tt(tender_state_name(status))}</span>
                    <span class="badge" id="tender-mode">{tt(if t.open_to_all { TenderMsg::OpenTender } else { TenderMsg::InvitedTender })}</span>
                </p>
                <dl class="facts">
                    <dt>{tt(TenderMsg::Deadline)}</dt>
                    <dd id="tender-deadline">{datetime::minute(t.bidding_closes_at)}" "<span class="hint">{tt(TenderMsg::BeijingTime)}</span></dd>
                    <dt>{tt(TenderMsg::Weights)}</dt>
                    <dd id="tender-weights">{move || weights.with_value(|w| weights_line(i18n.0.get(), w))}</dd>
                    <dt>{tt(TenderMsg::TechnicalCriteria)}</dt>
                    <dd>
                        <ul class="plain" id="tender-criteria">
                            {t.weights.criteria.iter().map(|c| view! {
                                <li>{c.name.clone()}" · "{tt(TenderMsg::MaxMark)}" "{c.max_mark}</li>
                            }).collect_view()}
                        </ul>
                    </dd>
                    <dt>{tt(TenderMsg::Evaluators)}</dt>
                    <dd id="tender-evaluators">
                        {if t.evaluators.is_empty() {
                            view! { <span>{tt(TenderMsg::NoEvaluators)}</span> }.into_any()
                        } else {
                            t.evaluators.iter().map(|e| e.name.clone()).collect::<Vec<_>>().join("、").into_any()
                        }}
                    </dd>
                    {t.closed_at.map(|at| view! { <dt>{tt(TenderMsg::ClosedAt)}</dt><dd>{datetime::minute(at)}</dd> })}
                    {t.awarded_on.map(|on| view! { <dt>{tt(TenderMsg::AwardedOn)}</dt><dd id="tender-awarded-on">{on.to_string()}</dd> })}
                    {t.signing_deadline.map(|on| view! { <dt>{tt(TenderMsg::SigningDeadline)}</dt><dd id="tender-signing-deadline">{on.to_string()}</dd> })}
                    {t.award_reason.clone().map(|r| view! { <dt>{tt(TenderMsg::AwardReason)}</dt><dd id="tender-award-reason" class="prose">{r}</dd> })}
                </dl>
                <p class="no-print row-actions">
                    <A href=format!("/demands/{}", t.demand_id) attr:id="tender-demand-link">{tt(TenderMsg::BackToDemand)}</A>
                    {t.contract_id.clone().map(|c| view! {
                        <A href=format!("/contracts/{c}") attr:id="tender-contract-link" attr:class="button primary">{tr(Msg::ContractMsg(ContractMsg::ViewContract))}</A>
                    })}
                </p>
            </section>
            {move || if poster() {
                view! { <PosterPanel tender=copy.get_value() manager=manager() evaluator=evaluator changed=changed/> }.into_any()
            } else if orgs.acting().is_some() {
                view! { <BidderPanel tender=copy.get_value() changed=changed/> }.into_any()
            } else {
                view! { <section class="card"><p class="notice">{tr(Msg::NeedActiveOrg)}</p></section> }.into_any()
            }}
            <Show when=move || status == TenderState::Cancelled>
                <section class="card"><p class="notice notice-bad" id="tender-cancelled">{tt(TenderMsg::CancelledNotice)}</p></section>
            </Show>
        </div>
    }
}
