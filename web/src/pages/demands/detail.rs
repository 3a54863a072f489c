//! A demand's page (`/demands/{id}`): its facts for everyone; for the poster its status and
//! what to do next — edit and submit a draft or rejected demand (with the reviewer's reason),
//! the review deadline while it waits (SLA two business days), and once published the
//! recommendations and the invited organisations' answers. The page reloads when a
//! notification about the demand arrives (a review decision, an answer).

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::dto::{DemandStatus, DemandView};

use super::form::DemandForm;
use super::matching::{Recommendations, Responses};
use super::status_class;
use crate::active_org::use_active_org;
use crate::datetime;
use crate::forms::failure_text;
use crate::http::Failure;
use crate::i18n::{
    Msg, category_name, demand_kind_name, demand_status_name, requirement_label, tr, use_i18n,
};
use crate::money::format_range;
use crate::notices::news;
use crate::pages::library::attachments::AttachmentLinks;
use crate::pages::library::{acts_for, badge};
use crate::pages::tenders::DemandTender;
use crate::session::use_session;
use crate::toast::use_toasts;

/// The demand page.
#[component]
pub fn DemandPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let orgs = use_active_org();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let demand = RwSignal::new(None::<Result<DemandView, Failure>>);
    // A notification about this demand (review decision, an answer) shows its new state.
    let news = news(move |n| n.link.ends_with(&id.get_untracked()));
    Effect::new(move |_| {
        if session.ready.get() {
            let id = id.get();
            let _ = (orgs.acting(), news.get());
            leptos::task::spawn_local(async move {
                let result = orgs.call_acting::<(), DemandView>("GET", &format!("/demands/{id}"), None).await;
                demand.set(Some(result));
            });
        }
    });
    move || match demand.get() {
        None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
        Some(Err(failure)) => view! {
            <section class="card narrow">
                <h1 id="demand-missing">{tr(Msg::DemandNotFound)}</h1>
                <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &failure)}</p>
            </section>
        }
        .into_any(),
        Some(Ok(d)) => view! { <DemandDetail demand=d holder=demand/> }.into_any(),
    }
}

#[component]
fn DemandDetail(demand: DemandView, holder: RwSignal<Option<Result<DemandView, Failure>>>) -> impl IntoView {
    let i18n = use_i18n();
    let d = demand;
    let owner_org = StoredValue::new(d.org_id.clone());
    let poster = move || acts_for(&owner_org.get_value());
    let (code, fallback) = (d.category.clone(), d.category_name.clone());
    let requirements = d.required_qualifications.clone();
    let status = d.status;
    let copy = StoredValue::new(d.clone());
    let may_open = Signal::derive(move || status == DemandStatus::Published && poster());
    view! {
        <div class="stack">
            <section class="card">
                <p class="eyebrow">{d.org_name.clone()}</p>
                <h1 id="demand-title">{d.title.clone()}</h1>
                <p class="badges">
                    {badge(demand_kind_name(d.kind), "")}
                    <span class="badge">{move || category_name(i18n.0.get(), &code, &fallback)}</span>
                    <span class=format!("badge {}", status_class(status)) id="demand-status">{tr(demand_status_name(status))}</span>
                </p>
                <dl class="facts">
                    <dt>{tr(Msg::Budget)}</dt><dd id="demand-budget">{format_range(d.budget_min_fen, d.budget_max_fen)}</dd>
                    {d.quantity.clone().map(|q| view! { <dt>{tr(Msg::QuantityFact)}</dt><dd>{q}</dd> })}
                    <dt>{tr(Msg::WorkRegion)}</dt><dd>{d.region_name.clone()}</dd>
                    <dt>{tr(Msg::Deadline)}</dt><dd>{d.deadline.to_string()}</dd>
                    <dt>{tr(Msg::RequiredQualifications)}</dt>
                    <dd>
                        {if requirements.is_empty() {
                            view! { <span>{tr(Msg::NoneRequired)}</span> }.into_any()
                        } else {
                            view! {
                                <ul class="plain">
                                    {requirements.into_iter().map(|q| view! { <li>{move || requirement_label(i18n.0.get(), &q)}</li> }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    </dd>
                    {d.published_at.map(|at| view! { <dt>{tr(Msg::PublishedAt)}</dt><dd>{datetime::day(at)}</dd> })}
                </dl>
                <h2>{tr(Msg::Scope)}</h2>
                <p class="prose">{d.scope.clone()}</p>
                <h2>{tr(Msg::Files)}</h2>
                <AttachmentLinks id="demand-files" files=d.files.clone()/>
            </section>
            <Show when=move || matches!(status, DemandStatus::Published | DemandStatus::Closed)>
                <DemandTender demand_id=copy.with_value(|d| d.id.clone()) tender_id=copy.with_value(|d| d.tender_id.clone()) may_open=may_open/>
            </Show>
            <Show when=poster>
                <PosterPanel demand=copy.get_value() holder=holder/>
            </Show>
        </div>
    }
}

/// What the poster sees and does, by status.
#[component]
fn PosterPanel(demand: DemandView, holder: RwSignal<Option<Result<DemandView, Failure>>>) -> impl IntoView {
    let orgs = use_active_org();
    let toasts = use_toasts();
    let d = demand;
    let estimated = d.calendar_estimated;
    let id = StoredValue::new(d.id.clone());
    let busy = RwSignal::new(false);
    let editing = RwSignal::new(false);
    let confirm_close = RwSignal::new(false);
    let invited = RwSignal::new(0_u32);
    let transition = move |step: &'static str, done: Msg| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let path = format!("/demands/{}/{step}", id.get_value());
            let result = orgs.call_acting::<(), DemandView>("POST", &path, None).await;
            busy.set(false);
            match result {
                Ok(updated) => {
                    toasts.success(if step == "submission" && updated.status == DemandStatus::Published {
                        Msg::DemandPublished
                    } else {
                        done
                    });
                    holder.set(Some(Ok(updated)));
                }
                Err(failure) => toasts.failure(failure),
            }
        });
    };
    let saved = Callback::new(move |updated: DemandView| {
        editing.set(false);
        holder.set(Some(Ok(updated)));
    });
    let copy = StoredValue::new(d.clone());
    match d.status {
        DemandStatus::Draft | DemandStatus::Rejected => view! {
            <section class="card" id="demand-next-step">
                {d.rejection_reason.clone().filter(|_| d.status == DemandStatus::Rejected).map(|reason| view! {
                    <div class="notice notice-bad" role="note">
                        <strong>{tr(Msg::ReviewerReason)}</strong>
                        <p id="demand-rejection-reason">{reason}</p>
                    </div>
                })}
                <p class="hint">{tr(Msg::SubmitHint)}</p>
                <div class="actions">
                    <button class="button primary" type="button" id="demand-submit-review" disabled=move || busy.get()
                        on:click=move |_| transition("submission", Msg::DemandSubmitted)>{tr(Msg::SubmitDemand)}</button>
                    <button class="button" type="button" id="demand-edit" on:click=move |_| editing.update(|e| *e = !*e)>{tr(Msg::Edit)}</button>
                </div>
                <Show when=move || editing.get()>
                    <DemandForm initial=Some(copy.get_value()) on_saved=saved/>
                </Show>
            </section>
        }
        .into_any(),
        DemandStatus::PendingReview => view! {
            <section class="card" id="demand-next-step">
                <div class="notice" role="note" id="demand-review-notice">
                    <strong>{tr(Msg::WaitingForReview)}</strong>
                    {d.review_due_at.map(|due| view! {
                        <p>{tr(Msg::ReviewDueBy)}" "<span id="demand-review-due">{datetime::minute(due)}</span>
                            {estimated.then(|| view! {
                                " "<span class="badge" id="demand-review-due-estimated" title=tr(Msg::CalendarEstimatedHint)>
                                    {tr(Msg::CalendarEstimated)}
                                </span>
                            })}
                        </p>
                    })}
                </div>
            </section>
        }
        .into_any(),
        DemandStatus::Published => view! {
            <Recommendations demand_id=d.id.clone() invited=invited/>
            <Responses demand_id=d.id.clone() invited=invited/>
            <section class="card row-actions">
                <Show when=move || confirm_close.get() fallback=move || view! {
                    <button class="button danger" type="button" id="demand-close" on:click=move |_| confirm_close.set(true)>{tr(Msg::CloseDemand)}</button>
                }>
                    <span class="confirm-text">{tr(Msg::CloseDemandConfirm)}</span>
                    <button class="button small danger" type="button" data-action="confirm" disabled=move || busy.get()
                        on:click=move |_| transition("closure", Msg::DemandClosed)>{tr(Msg::Confirm)}</button>
                    <button class="button small" type="button" on:click=move |_| confirm_close.set(false)>{tr(Msg::Cancel)}</button>
                </Show>
            </section>
        }
        .into_any(),
        DemandStatus::Closed => view! { <Responses demand_id=d.id.clone() invited=invited/> }.into_any(),
    }
}
