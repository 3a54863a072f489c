//! The demand review queue (operators): demands from organisations below the Certified tier,
//! oldest first, each with its review deadline (two business days after submission); approve
//! publishes it and runs matching, reject needs a reason the poster will see.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::dto::{DemandPage, DemandReviewDecision, DemandView};

use shared::validate::Check;

use super::review::ReasonField;

use crate::datetime;
use crate::forms::{FormError, FormErrors, failure_text};
use crate::http::Failure;
use crate::i18n::{Msg, category_name, demand_kind_name, requirement_label, tr, use_i18n};
use crate::money::format_range;
use crate::session::use_session;
use crate::toast::use_toasts;

/// The queue.
#[component]
pub fn DemandReviews() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let items = RwSignal::new(None::<Result<Vec<DemandView>, Failure>>);
    let load = move || {
        leptos::task::spawn_local(async move {
            let result: Result<DemandPage, Failure> =
                session.call("GET", "/staff/demand-reviews?limit=100", None::<&()>).await;
            items.set(Some(result.map(|p| p.items)));
        });
    };
    load();
    let decided = move |id: String| {
        items.update(|list| {
            if let Some(Ok(list)) = list {
                list.retain(|d| d.id != id);
            }
        });
    };
    // Rows are keyed, so deciding one demand leaves what was typed into the others alone.
    let stage = Memo::new(move |_| {
        items.with(|i| match i {
            None => 0,
            Some(Err(_)) => 1,
            Some(Ok(list)) if list.is_empty() => 2,
            Some(Ok(_)) => 3,
        })
    });
    let rows = move || items.with(|i| i.as_ref().and_then(|r| r.as_ref().ok()).cloned().unwrap_or_default());
    view! {
        <section class="card">
            <h1 id="demand-reviews-title">{tr(Msg::DemandReviews)}</h1>
            {move || match stage.get() {
                0 => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
                1 => {
                    let failure = items.with_untracked(|i| i.as_ref().and_then(|r| r.as_ref().err()).cloned());
                    view! {
                        <p class="form-error" role="alert">{move || failure.as_ref().map(|f| failure_text(i18n.0.get(), f))}</p>
                        <button class="button" type="button" on:click=move |_| load()>{tr(Msg::TryAgain)}</button>
                    }.into_any()
                }
                2 => view! { <p class="empty" id="demand-reviews-empty">{tr(Msg::DemandReviewsEmpty)}</p> }.into_any(),
                _ => view! {
                    <ul class="rows" id="demand-reviews">
                        <For each=rows key=|d: &DemandView| d.id.clone() children=move |d: DemandView| view! { <DemandReview demand=d on_decided=decided/> }/>
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn DemandReview(
    demand: DemandView,
    on_decided: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let d = demand;
    let id = StoredValue::new(d.id.clone());
    let reason = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let overdue = d.review_due_at.is_some_and(|due| (due.timestamp_millis() as f64) < js_sys::Date::now());
    let decide = move |approve: bool| {
        let body = DemandReviewDecision { approve, reason: Some(reason.get_untracked()) };
        if let Err(invalid) = body.check() {
            errors.set(FormErrors::local(invalid.0));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let path = format!("/staff/demand-reviews/{}", id.get_value());
            let result: Result<DemandView, Failure> = session.call("POST", &path, Some(&body)).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    toasts.success(if approve { Msg::DemandApproved } else { Msg::DemandRejected });
                    on_decided(id.get_value());
                }
                Err(failure) => errors.set(FormErrors::from_failure(failure)),
            }
        });
    };
    let (code, fallback) = (d.category.clone(), d.category_name.clone());
    let requirements = d.required_qualifications.clone();
    view! {
        <li class="review" data-demand=d.id.clone()>
            <h2>{d.title.clone()}</h2>
            <p class="badges">
                <span class="badge">{tr(demand_kind_name(d.kind))}</span>
                <span class="badge">{move || category_name(i18n.0.get(), &code, &fallback)}</span>
            </p>
            <dl class="facts">
                <dt>{tr(Msg::PostedBy)}</dt><dd>{d.org_name.clone()}</dd>
                <dt>{tr(Msg::SubmittedAt)}</dt><dd>{d.submitted_at.map(datetime::minute)}</dd>
                <dt>{tr(Msg::ReviewDueBy)}</dt>
                <dd class:overdue=overdue>
                    {d.review_due_at.map(datetime::minute)}
                    // A deadline in a year without an uploaded calendar is an estimate.
                    {d.calendar_estimated.then(|| view! {
                        " "<span class="badge estimated" title=tr(Msg::CalendarEstimatedHint)>{tr(Msg::CalendarEstimated)}</span>
                    })}
                </dd>
                <dt>{tr(Msg::Budget)}</dt><dd>{format_range(d.budget_min_fen, d.budget_max_fen)}</dd>
                <dt>{tr(Msg::WorkRegion)}</dt><dd>{d.region_name.clone()}</dd>
                <dt>{tr(Msg::Deadline)}</dt><dd>{d.deadline.to_string()}</dd>
                <dt>{tr(Msg::RequiredQualifications)}</dt>
                <dd>{move || requirements.iter().map(|q| requirement_label(i18n.0.get(), q)).collect::<Vec<_>>().join("；")}</dd>
            </dl>
            <p class="prose">{d.scope.clone()}</p>
            <form class="decision" data-form="demand-decision" on:submit=move |ev: SubmitEvent| ev.prevent_default() novalidate>
                <ReasonField id=format!("demand-decision-{}", id.get_value()) label=Msg::DecisionReason value=reason errors=errors/>
                <FormError errors=errors id=format!("demand-decision-error-{}", id.get_value())/>
                <div class="row-actions">
                    <button class="button primary" type="button" data-action="approve" disabled=move || busy.get()
                        on:click=move |_| decide(true)>{tr(Msg::Approve)}</button>
                    <button class="button danger" type="button" data-action="reject" disabled=move || busy.get()
                        on:click=move |_| decide(false)>{tr(Msg::Reject)}</button>
                </div>
            </form>
        </li>
    }
}
