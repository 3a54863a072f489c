//! The scoring sheet (评分表) as the poster and evaluators read it: state (complete, awaiting
//! marks with the evaluators missing, no evaluators), one row per valid bid with price,
//! duration, credit (marked when the neutral score stands in) and technical points, total and
//! rank, and every evaluator's marks once complete; the CSV download (bearer token and
//! `X-Org-Id`, so through the API, not a plain link), the print view, and the award form, whose
//! reason rule is the API's own (`award_check`).

use leptos::prelude::*;
use shared::domain::tender::TenderRefusal;
use shared::domain::tender::scoring::{ScoringSheet, SheetStatus, award_check};
use shared::dto::{
    AwardRequest, BidState, BidView, CreditBasis, FieldIssue, ScoringSheetView, SheetState, TenderView,
};

use super::{points, tt};
use crate::active_org::use_active_org;
use crate::download::save_url;
use crate::forms::{FieldError, FormError, FormErrors, failure_text, field_error};
use crate::http::Failure;
use crate::i18n::{Lang, Msg, TenderMsg, use_i18n};
use crate::money::format_fen;
use crate::pages::library::optional;
use crate::session::use_session;
use crate::stored_file::load_path;
use crate::toast::use_toasts;

/// The sheet's table, state and marks.
#[component]
pub fn ScoringSheetTable(sheet: ScoringSheetView) -> impl IntoView {
    let s = sheet;
    let criteria = s.weights.criteria.clone();
    let bidder_of = {
        let rows = s.rows.clone();
        move |bid_id: &str| {
            rows.iter().find(|r| r.bid_id == bid_id).map(|r| r.bidder_name.clone()).unwrap_or_default()
        }
    };
    let state_line = match s.state {
        SheetState::Complete => {
            view! { <p class="notice notice-ok" id="sheet-state">{tt(TenderMsg::SheetComplete)}</p> }
                .into_any()
        }
        SheetState::AwaitingMarks => {
            let names = s.missing_evaluators.iter().map(|e| e.name.clone()).collect::<Vec<_>>().join("、");
            view! { <p class="notice notice-warn" id="sheet-state">{tt(TenderMsg::SheetAwaiting)}" "<span id="sheet-missing">{names}</span></p> }.into_any()
        }
        SheetState::NoEvaluators => {
            view! { <p class="notice notice-bad" id="sheet-state">{tt(TenderMsg::SheetNoEvaluators)}</p> }
                .into_any()
        }
    };
    let w = s.weights.clone();
    view! {
        {state_line}
        <p class="hint print-only">{s.demand_title.clone()}</p>
        <div class="table-scroll">
            <table class="data sheet" id="scoring-sheet">
                <thead>
                    <tr>
                        <th>{tt(TenderMsg::Rank)}</th>
                        <th>{tt(TenderMsg::Bidder)}</th>
                        <th>{tt(TenderMsg::Price)}</th>
                        <th>{tt(TenderMsg::DurationDays)}</th>
                        <th>{tt(TenderMsg::WeightPrice)}<span class="hint">"/"{w.price}</span></th>
                        <th>{tt(TenderMsg::WeightDuration)}<span class="hint">"/"{w.duration}</span></th>
                        <th>{tt(TenderMsg::WeightCredit)}<span class="hint">"/"{w.credit}</span></th>
                        <th>{tt(TenderMsg::WeightTechnical)}<span class="hint">"/"{w.technical}</span></th>
                        <th>{tt(TenderMsg::Total)}</th>
                    </tr>
                </thead>
                <tbody>
                    {s.rows.iter().map(|r| {
                        let neutral = r.credit_basis == CreditBasis::NeutralForInsufficientData;
                        view! {
                            <tr data-bid=r.bid_id.clone() class:rank-first=r.rank == Some(1)>
                                <td class="sheet-rank">{r.rank.map(|n| n.to_string()).unwrap_or_else(|| "—".into())}</td>
                                <td class="sheet-bidder">{r.bidder_name.clone()}</td>
                                <td class="amount">{format_fen(r.price_fen)}</td>
                                <td>{r.duration_days}</td>
                                <td>{points(r.price_score)}</td>
                                <td>{points(r.duration_score)}</td>
                                <td class="sheet-credit">
                                    {points(r.credit_score)}
                                    {neutral.then(|| view! { " "<span class="badge badge-warn credit-neutral" title=tt(TenderMsg::NeutralHint)>{tt(TenderMsg::Neutral)}</span> })}
                                </td>
                                <td>{r.technical_score.map(points).unwrap_or_else(|| "—".into())}</td>
                                <td class="sheet-total">{r.total.map(points).unwrap_or_else(|| "—".into())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {s.rows.iter().any(|r| r.credit_basis == CreditBasis::NeutralForInsufficientData).then(|| view! {
            <p class="hint" id="sheet-neutral-note">{tt(TenderMsg::NeutralHint)}</p>
        })}
        {(!s.marks.is_empty()).then(|| view! {
            <h3>{tt(TenderMsg::EvaluatorMarks)}</h3>
            <div class="table-scroll">
                <table class="data" id="sheet-marks">
                    <thead>
                        <tr>
                            <th>{tt(TenderMsg::Evaluator)}</th>
                            <th>{tt(TenderMsg::Bidder)}</th>
                            {criteria.iter().map(|c| view! { <th>{c.name.clone()}<span class="hint">"/"{c.max_mark}</span></th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {s.marks.iter().map(|m| view! {
                            <tr>
                                <td>{m.evaluator_name.clone()}</td>
                                <td>{bidder_of(&m.bid_id)}</td>
                                {m.marks.iter().map(|v| view! { <td>{*v}</td> }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
    }
}

/// The CSV download and the print button.
#[component]
pub fn SheetTools(tender_id: String) -> impl IntoView {
    let session = use_session();
    let orgs = use_active_org();
    let i18n = use_i18n();
    let failed = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let id = StoredValue::new(tender_id);
    let csv = move |_| {
        busy.set(true);
        let lang = if i18n.0.get_untracked() == Lang::En { "en" } else { "zh" };
        leptos::task::spawn_local(async move {
            let org = orgs.acting_untracked();
            let path = format!("/tenders/{}/scoring-sheet.csv?lang={lang}", id.get_value());
            let result = load_path(session, org.as_deref(), &path).await;
            let _ = busy.try_set(false);
            match result {
                Ok(file) => {
                    let _ = failed.try_set(None);
                    save_url(file.url, &format!("scoring-sheet-{}.csv", id.get_value()));
                }
                Err(failure) => failed.set(Some(failure)),
            }
        });
    };
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <div class="row-actions no-print">
            <button class="button small" type="button" id="sheet-csv" disabled=move || busy.get() on:click=csv>{tt(TenderMsg::DownloadCsv)}</button>
            <button class="button small" type="button" id="sheet-print" on:click=print>{tt(TenderMsg::Print)}</button>
            {move || failed.get().map(|f| view! { <span class="form-error" role="alert">{move || failure_text(i18n.0.get(), &f)}</span> })}
        </div>
    }
}

/// The domain sheet the award rule reads, from the API's view.
fn domain_sheet(view: &ScoringSheetView) -> ScoringSheet {
    let status = match view.state {
        SheetState::Complete => SheetStatus::Complete,
        SheetState::AwaitingMarks => SheetStatus::AwaitingMarks {
            missing_evaluators: view.missing_evaluators.iter().map(|e| e.user_id.clone()).collect(),
        },
        SheetState::NoEvaluators => SheetStatus::NoEvaluators,
    };
    ScoringSheet { status, rows: view.rows.clone() }
}

/// What the award rule says about a choice, as form problems (`reason` issues next to the
/// field, the rest for the whole form).
fn award_problems(
    sheet: &ScoringSheetView,
    bids: &[BidView],
    bid_id: &str,
    reason: Option<&str>,
) -> FormErrors {
    let lapsed: Vec<&str> =
        bids.iter().filter(|b| b.status == BidState::AwardLapsed).map(|b| b.id.as_str()).collect();
    match award_check(&domain_sheet(sheet), bid_id, reason, &lapsed) {
        Ok(_) => FormErrors::default(),
        Err(TenderRefusal::AwardReason(issue)) => FormErrors::local(vec![FieldIssue::new("reason", issue)]),
        Err(TenderRefusal::SheetIncomplete) => {
            FormErrors { fields: Vec::new(), form: Some("sheet_incomplete".into()) }
        }
        Err(_) => FormErrors { fields: vec![FieldIssue::new("bid_id", "not_awardable")], form: None },
    }
}

/// Awarding the tender to one bid of a complete sheet.
#[component]
pub fn AwardForm(
    tender_id: String,
    sheet: ScoringSheetView,
    bids: Vec<BidView>,
    changed: Callback<()>,
) -> impl IntoView {
    let orgs = use_active_org();
    let toasts = use_toasts();
    if sheet.state != SheetState::Complete {
        return view! {
            <section class="card no-print" id="award-card">
                <h2>{tt(TenderMsg::Award)}</h2>
                <p class="hint" id="award-waiting">{tt(TenderMsg::AwardNeedsCompleteSheet)}</p>
            </section>
        }
        .into_any();
    }
    let awardable: Vec<(String, String)> = sheet
        .rows
        .iter()
        .filter(|r| bids.iter().any(|b| b.id == r.bid_id && b.status.is_awardable()))
        .map(|r| {
            let rank = r.rank.map(|n| format!("#{n} ")).unwrap_or_default();
            let total = r.total.map(points).unwrap_or_default();
            (r.bid_id.clone(), format!("{rank}{} · {total}", r.bidder_name))
        })
        .collect();
    let chosen = RwSignal::new(awardable.first().map(|(id, _)| id.clone()).unwrap_or_default());
    let reason = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let sheet = StoredValue::new(sheet);
    let bids = StoredValue::new(bids);
    let id = StoredValue::new(tender_id);
    // Whether the choice needs a reason, said before sending.
    let needs_reason = move || {
        let choice = chosen.get();
        sheet
            .with_value(|s| bids.with_value(|b| award_problems(s, b, &choice, None)))
            .fields
            .iter()
            .any(|f| f.field == "reason")
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let choice = chosen.get_untracked();
        let reason = optional(&reason.get_untracked());
        let problems =
            sheet.with_value(|s| bids.with_value(|b| award_problems(s, b, &choice, reason.as_deref())));
        if problems != FormErrors::default() {
            errors.set(problems);
            return;
        }
        errors.set(FormErrors::default());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let body = AwardRequest { bid_id: choice, reason };
            let path = format!("/tenders/{}/award", id.get_value());
            let result = orgs.call_acting::<_, TenderView>("POST", &path, Some(&body)).await;
            let _ = busy.try_set(false);
            match result {
                Ok(_) => {
                    toasts.success(Msg::TenderMsg(TenderMsg::Awarded));
                    changed.run(());
                }
                Err(failure) => errors.set(FormErrors::from_failure(failure)),
            }
        });
    };
    view! {
        <section class="card no-print" id="award-card">
            <h2>{tt(TenderMsg::Award)}</h2>
            <form id="award-form" on:submit=submit novalidate>
                <label for="award-bid">{tt(TenderMsg::AwardTo)}</label>
                <select id="award-bid" on:change=move |ev| chosen.set(event_target_value(&ev))>
                    {awardable.into_iter().map(|(bid_id, label)| {
                        let selected = chosen.get_untracked() == bid_id;
                        view! { <option value=bid_id selected=selected>{label}</option> }
                    }).collect_view()}
                </select>
                <FieldError text=field_error(errors, "bid_id") id="award-bid-error"/>
                <label for="award-reason">{tt(TenderMsg::AwardReason)}
                    <span class="hint" id="award-reason-rule">" "{move || if needs_reason() { tt(TenderMsg::ReasonRequired)() } else { tt(TenderMsg::ReasonOptional)() }}</span>
                </label>
                <textarea id="award-reason" rows="3" prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                <FieldError text=field_error(errors, "reason") id="award-reason-error"/>
                <FormError errors=errors id="award-error"/>
                <button id="award-submit" class="button primary" type="submit" disabled=move || busy.get()>{tt(TenderMsg::AwardButton)}</button>
            </form>
        </section>
    }
    .into_any()
}
