//! For an event's host and the group's admins: calling it off before it starts (everyone signed
//! up is told why), and the summary (会后总结) once it has ended.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::dto::{CancelEventRequest, Event, EventSummaryRequest};

use super::{Loaded, form_checked, form_errors, tc};
use crate::forms::{FormError, FormErrors, SubmitButton};
use crate::i18n::{CommunityMsg, Msg};
use crate::pages::library::TextArea;
use crate::session::use_session;
use crate::toast::use_toasts;

/// Calling the event off, with the reason.
#[component]
pub fn CancelEventForm(event_id: String, holder: Loaded<Event>) -> impl IntoView {
    let session = use_session();
    let toasts = use_toasts();
    let eid = StoredValue::new(event_id);
    let reason = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(reason) = form_checked(errors, &CancelEventRequest { reason: reason.get_untracked() })
        else {
            return;
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let path = format!("/events/{}/cancellation", eid.get_value());
            let result = session.call::<_, Event>("POST", &path, Some(&CancelEventRequest { reason })).await;
            busy.set(false);
            match result {
                Ok(updated) => {
                    toasts.success(Msg::CommunityMsg(CommunityMsg::EventCancelledToast));
                    holder.set(Some(Ok(updated)));
                }
                Err(failure) => errors.set(form_errors(failure)),
            }
        });
    };
    view! {
        <section class="card">
            <details>
                <summary>{tc(CommunityMsg::CancelEvent)}</summary>
                <form id="event-cancel-form" on:submit=submit novalidate>
                    <TextArea id="event-cancel-reason" label=Msg::CommunityMsg(CommunityMsg::CancelReason) value=reason errors=errors field="reason" rows=2/>
                    <FormError errors=errors id="event-cancel-error"/>
                    <SubmitButton id="event-cancel-submit" label=Msg::CommunityMsg(CommunityMsg::CancelEvent) busy=busy/>
                </form>
            </details>
        </section>
    }
}

/// The summary form.
#[component]
pub fn SummaryForm(event_id: String, holder: Loaded<Event>) -> impl IntoView {
    let session = use_session();
    let toasts = use_toasts();
    let eid = StoredValue::new(event_id);
    let text = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(summary) = form_checked(errors, &EventSummaryRequest { summary: text.get_untracked() })
        else {
            return;
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let path = format!("/events/{}/summary", eid.get_value());
            let result =
                session.call::<_, Event>("POST", &path, Some(&EventSummaryRequest { summary })).await;
            busy.set(false);
            match result {
                Ok(updated) => {
                    toasts.success(Msg::CommunityMsg(CommunityMsg::SummarySaved));
                    holder.set(Some(Ok(updated)));
                }
                Err(failure) => errors.set(form_errors(failure)),
            }
        });
    };
    view! {
        <section class="card">
            <form id="event-summary-form" on:submit=submit novalidate>
                <h2>{tc(CommunityMsg::WriteSummary)}</h2>
                <TextArea id="event-summary-text" label=Msg::CommunityMsg(CommunityMsg::Summary) value=text errors=errors field="summary" rows=5/>
                <FormError errors=errors id="event-summary-error"/>
                <SubmitButton id="event-summary-submit" label=Msg::Save busy=busy/>
            </form>
        </section>
    }
}
