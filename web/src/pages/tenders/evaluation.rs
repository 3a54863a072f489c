//! The posting organisation's side of a tender: while bidding is open the live bid count (never
//! the contents) and the prequalification reports; after the close, for its owners and admins
//! and the named evaluators, the bids, the scoring sheet (see [`super::sheet`]) and, for an
//! evaluator while the tender is closed, a marks form per valid bid checked with
//! `check_marks`; cancelling for owners and admins while the tender allows it.

use leptos::prelude::*;
use shared::domain::tender::scoring::check_marks;
use shared::dto::{
    BidState, BidView, EvaluationWeights, FieldIssue, MarksRequest, MarksView, PrequalificationView,
    ScoringSheetView, TenderState, TenderView,
};

use super::sheet::{AwardForm, ScoringSheetTable, SheetTools};
use super::{bid_state_class, bid_state_name, tt};
use crate::active_org::use_active_org;
use crate::datetime;
use crate::forms::{FormError, FormErrors, before_sending, failure_text, row_error};
use crate::http::Failure;
use crate::i18n::{Msg, TenderMsg, pick, tr, use_i18n};
use crate::money::format_fen;
use crate::session::use_session;
use crate::toast::use_toasts;

/// What the posting organisation sees and does.
#[component]
pub fn PosterPanel(
    tender: TenderView,
    manager: bool,
    evaluator: bool,
    changed: Callback<()>,
) -> impl IntoView {
    let t = tender;
    let closed = t.closed_at.is_some();
    let may_cancel =
        manager && matches!(t.status, TenderState::Open | TenderState::Closed | TenderState::Lapsed);
    let copy = StoredValue::new(t.clone());
    view! {
        {(t.status == TenderState::Open).then(|| view! {
            <section class="card">
                <h2>{tt(TenderMsg::BidsReceived)}</h2>
                <p id="tender-bid-count" class="kpi-line"><strong>{t.bid_count.unwrap_or(0)}</strong>" "{tt(TenderMsg::BidsSealedHint)}</p>
            </section>
        })}
        {(closed && (manager || evaluator)).then(|| view! { <Evaluation tender=copy.get_value() manager=manager evaluator=evaluator changed=changed/> })}
        {(closed && !manager && !evaluator).then(|| view! {
            <section class="card"><p class="notice">{tt(TenderMsg::EvaluationRestricted)}</p></section>
        })}
        <PrequalificationReports tender_id=t.id.clone()/>
        {may_cancel.then(|| view! { <CancelTender tender_id=copy.with_value(|t| t.id.clone()) changed=changed/> })}
    }
}

/// The bids, the sheet, the marks and the award after the close.
#[component]
fn Evaluation(tender: TenderView, manager: bool, evaluator: bool, changed: Callback<()>) -> impl IntoView {
    let orgs = use_active_org();
    let session = use_session();
    let i18n = use_i18n();
    let id = StoredValue::new(tender.id.clone());
    let bids = RwSignal::new(None::<Result<Vec<BidView>, Failure>>);
    let sheet = RwSignal::new(None::<Result<ScoringSheetView, Failure>>);
    let version = RwSignal::new(0_u32);
    // The sheet first: the marks forms start from the evaluator's own marks on it. Saving marks
    // reloads only the sheet, so what is typed in the other forms stays.
    Effect::new(move |first: Option<()>| {
        let _ = version.get();
        leptos::task::spawn_local(async move {
            let id = id.get_value();
            let scored = orgs
                .call_acting::<(), ScoringSheetView>("GET", &format!("/tenders/{id}/scoring-sheet"), None)
                .await;
            let _ = sheet.try_set(Some(scored));
            if first.is_none() {
                let list =
                    orgs.call_acting::<(), Vec<BidView>>("GET", &format!("/tenders/{id}/bids"), None).await;
                let _ = bids.try_set(Some(list));
            }
        });
    });
    let me = session.user.with_untracked(|u| u.as_ref().map(|u| u.id.clone())).unwrap_or_default();
    let me = StoredValue::new(me);
    let weights = StoredValue::new(tender.weights.clone());
    let status = tender.status;
    let marking = evaluator && status == TenderState::Closed && tender.weights.technical > 0;
    let awarding = manager && matches!(status, TenderState::Closed | TenderState::Lapsed);
    let marked = Callback::new(move |()| version.update(|v| *v += 1));
    view! {
        <section class="card" id="tender-bids-card">
            <h2>{tt(TenderMsg::Bids)}</h2>
            {move || match bids.get() {
                None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
                Some(Err(f)) => view! { <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &f)}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="empty" id="tender-bids-empty">{tt(TenderMsg::NoBids)}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="rows" id="tender-bids">
                        {list.into_iter().map(|b| view! { <BidSummary bid=b/> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
        {marking.then(|| view! {
            <section class="card no-print" id="marks-card">
                <h2>{tt(TenderMsg::YourMarks)}</h2>
                <p class="hint">{tt(TenderMsg::MarksHint)}</p>
                {move || {
                    let valid: Vec<BidView> = bids.with(|b| match b {
                        Some(Ok(list)) => list.iter().filter(|b| b.status == BidState::Valid).cloned().collect(),
                        _ => Vec::new(),
                    });
                    let own: Vec<MarksView> = sheet.with_untracked(|s| match s {
                        Some(Ok(s)) => s.marks.iter().filter(|m| m.evaluator_id == me.get_value()).cloned().collect(),
                        _ => Vec::new(),
                    });
                    valid.into_iter().map(|b| {
                        let given = own.iter().find(|m| m.bid_id == b.id).map(|m| m.marks.clone());
                        view! { <MarksForm tender_id=id.get_value() bid=b weights=weights.get_value() given=given on_saved=marked/> }
                    }).collect_view()
                }}
            </section>
        })}
        <section class="card printable" id="sheet-card">
            <div class="title-row">
                <h2>{tt(TenderMsg::ScoringSheet)}</h2>
                {manager.then(|| view! { <SheetTools tender_id=id.get_value()/> })}
            </div>
            {move || match sheet.get() {
                None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
                Some(Err(f)) => view! { <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &f)}</p> }.into_any(),
                Some(Ok(s)) => view! { <ScoringSheetTable sheet=s/> }.into_any(),
            }}
        </section>
        {awarding.then(|| view! {
            {move || match (sheet.get(), bids.get()) {
                (Some(Ok(s)), Some(Ok(b))) => view! { <AwardForm tender_id=id.get_value() sheet=s bids=b changed=changed/> }.into_any(),
                _ => ().into_any(),
            }}
        })}
    }
}

/// One bid as the poster and evaluators read it after the close.
#[component]
fn BidSummary(bid: BidView) -> impl IntoView {
    let b = bid;
    view! {
        <li class="bid-row" data-bid=b.id.clone()>
            <div class="row-main">
                <strong class="item-title">{b.org_name.clone()}</strong>
                <span class=format!("badge {}", bid_state_class(b.status))>{tt(bid_state_name(b.status))}</span>
                {b.rank.map(|r| view! { <span class="badge">{tt(TenderMsg::Rank)}" "{r}</span> })}
            </div>
            <dl class="facts compact">
                <dt>{tt(TenderMsg::Price)}</dt><dd class="amount">{format_fen(b.price_fen)}</dd>
                <dt>{tt(TenderMsg::DurationDays)}</dt><dd>{b.duration_days}</dd>
                <dt>{tt(TenderMsg::ValidityDays)}</dt><dd>{b.validity_days}</dd>
                <dt>{tt(TenderMsg::SubmittedAt)}</dt><dd>{datetime::minute(b.submitted_at)}" · "{tt(TenderMsg::Revision)}" "{b.revision}</dd>
            </dl>
            <details>
                <summary>{tt(TenderMsg::Proposal)}</summary>
                <p class="prose">{b.proposal.clone()}</p>
            </details>
            <super::bidder::BidFileLinks files=b.files.clone() removable=None/>
        </li>
    }
}

/// An evaluator's marks for one valid bid: one whole number per criterion.
#[component]
fn MarksForm(
    tender_id: String,
    bid: BidView,
    weights: EvaluationWeights,
    given: Option<Vec<u32>>,
    on_saved: Callback<()>,
) -> impl IntoView {
    let orgs = use_active_org();
    let toasts = use_toasts();
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let saved = RwSignal::new(given.is_some());
    let values: Vec<RwSignal<String>> = weights
        .criteria
        .iter()
        .enumerate()
        .map(|(i, _)| {
            RwSignal::new(given.as_ref().and_then(|g| g.get(i)).map(u32::to_string).unwrap_or_default())
        })
        .collect();
    let inputs = StoredValue::new(values.clone());
    let weights = StoredValue::new(weights);
    let path = StoredValue::new(format!("/tenders/{tender_id}/bids/{}/marks", bid.id));
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut issues = Vec::new();
        let marks: Vec<i64> = inputs.with_value(|v| {
            v.iter()
                .enumerate()
                .map(|(i, s)| {
                    let text = s.get_untracked();
                    text.trim().parse::<i64>().unwrap_or_else(|_| {
                        issues.push(FieldIssue::new(
                            format!("marks[{i}]"),
                            if text.trim().is_empty() { "required" } else { "invalid" },
                        ));
                        0
                    })
                })
                .collect()
        });
        let issues = weights.with_value(|w| before_sending(issues, check_marks(w, &marks)));
        if !issues.is_empty() {
            errors.set(FormErrors::local(issues));
            return;
        }
        errors.set(FormErrors::default());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let body = MarksRequest { marks };
            let result = orgs.call_acting::<_, MarksView>("PUT", &path.get_value(), Some(&body)).await;
            let _ = busy.try_set(false);
            match result {
                Ok(_) => {
                    let _ = saved.try_set(true);
                    toasts.success(Msg::TenderMsg(TenderMsg::MarksSaved));
                    on_saved.run(());
                }
                Err(failure) => errors.set(FormErrors::from_failure(failure)),
            }
        });
    };
    let bid_id = bid.id.clone();
    view! {
        <form class="marks-form" data-bid=bid_id.clone() on:submit=save novalidate>
            <h3>{bid.org_name.clone()}" "<span class="hint">{format_fen(bid.price_fen)}" · "{bid.duration_days}" "{tt(TenderMsg::Days)}</span></h3>
            <div class="marks-grid">
                {weights.with_value(|w| w.criteria.clone()).into_iter().zip(values).enumerate().map(|(i, (c, value))| {
                    let input_id = format!("marks-{bid_id}-{i}");
                    view! {
                        <div>
                            <label for=input_id.clone()>{c.name.clone()}" (0–"{c.max_mark}")"</label>
                            <input id=input_id type="number" min="0" max=c.max_mark.to_string() step="1" inputmode="numeric"
                                data-criterion=i.to_string() prop:value=value on:input=move |ev| value.set(event_target_value(&ev))/>
                            <crate::forms::FieldError text=row_error(errors, &format!("marks[{i}]"), &[]) id=format!("marks-{bid_id}-{i}-error")/>
                        </div>
                    }
                }).collect_view()}
            </div>
            <FormError errors=errors id=format!("marks-{bid_id}-error")/>
            <crate::forms::FieldError text=row_error(errors, "marks", &[]) id=format!("marks-{bid_id}-count-error")/>
            <div class="row-actions">
                <button class="button small primary" type="submit" data-action="save-marks" disabled=move || busy.get()>{tt(TenderMsg::SaveMarks)}</button>
                <Show when=move || saved.get()><span class="check-line ok" data-marked="yes">{tt(TenderMsg::Marked)}</span></Show>
            </div>
        </form>
    }
}

/// The stored prequalification reports (the poster's members).
#[component]
fn PrequalificationReports(tender_id: String) -> impl IntoView {
    let orgs = use_active_org();
    let i18n = use_i18n();
    let reports = RwSignal::new(None::<Result<Vec<PrequalificationView>, Failure>>);
    let id = StoredValue::new(tender_id);
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            let path = format!("/tenders/{}/prequalifications", id.get_value());
            let _ = reports
                .try_set(Some(orgs.call_acting::<(), Vec<PrequalificationView>>("GET", &path, None).await));
        });
    });
    view! {
        <section class="card" id="prequalification-reports-card">
            <h2>{tt(TenderMsg::PrequalificationReports)}</h2>
            {move || match reports.get() {
                None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
                Some(Err(f)) => view! { <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &f)}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="empty" id="prequalification-reports-empty">{tt(TenderMsg::NoReports)}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="rows" id="prequalification-reports">
                        {list.into_iter().map(|r| {
                            let verdict = if r.may_bid { TenderMsg::MayBid } else { TenderMsg::MayNotBid };
                            let class = if r.may_bid { "badge badge-ok" } else { "badge badge-bad" };
                            view! {
                                <li class="pq-report" data-org=r.org_id.clone()>
                                    <details>
                                        <summary class="row-main">
                                            <strong>{r.org_name.clone()}</strong>
                                            <span class=class>{tt(verdict)}</span>
                                            <span class="hint">{datetime::minute(r.generated_at)}</span>
                                        </summary>
                                        <ul class="plain pq-items">
                                            {r.items.into_iter().map(|item| {
                                                let (zh, en) = (item.zh.clone(), item.en.clone());
                                                view! {
                                                    <li class=format!("pq-item pq-{}", item.outcome)>
                                                        {outcome_badge(&item.outcome)}" "{move || pick(i18n.0.get(), &zh, &en)}
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ul>
                                    </details>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

/// A prequalification item's outcome as a badge.
pub fn outcome_badge(outcome: &str) -> impl IntoView + use<> {
    let (msg, class) = match outcome {
        "pass" => (TenderMsg::Pass, "badge badge-ok"),
        "fail" => (TenderMsg::Fail, "badge badge-bad"),
        _ => (TenderMsg::Info, "badge"),
    };
    view! { <span class=class>{tt(msg)}</span> }
}

/// Cancelling the tender, with a confirmation.
#[component]
fn CancelTender(tender_id: String, changed: Callback<()>) -> impl IntoView {
    let orgs = use_active_org();
    let toasts = use_toasts();
    let asking = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let id = StoredValue::new(tender_id);
    let cancel = move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let path = format!("/tenders/{}/cancel", id.get_value());
            let result = orgs.call_acting::<(), TenderView>("POST", &path, None).await;
            let _ = busy.try_set(false);
            let _ = asking.try_set(false);
            match result {
                Ok(_) => {
                    toasts.success(Msg::TenderMsg(TenderMsg::TenderCancelled));
                    changed.run(());
                }
                Err(failure) => toasts.failure(failure),
            }
        });
    };
    view! {
        <section class="card row-actions no-print">
            <Show when=move || asking.get() fallback=move || view! {
                <button class="button danger" type="button" id="tender-cancel" on:click=move |_| asking.set(true)>{tt(TenderMsg::CancelTender)}</button>
            }>
                <span class="confirm-text">{tt(TenderMsg::CancelTenderConfirm)}</span>
                <button class="button small danger" type="button" data-action="confirm" disabled=move || busy.get() on:click=cancel>{tr(Msg::Confirm)}</button>
                <button class="button small" type="button" on:click=move |_| asking.set(false)>{tr(Msg::Cancel)}</button>
            </Show>
        </section>
    }
}
