//! Reporting a post, reply or member to the group's admins: a small toggle with the reason.

use leptos::prelude::*;
use shared::dto::{CreateReportRequest, Report, ReportTarget};

use super::{checked, tc};
use crate::i18n::{CommunityMsg, Msg};
use crate::session::use_session;
use crate::toast::use_toasts;

/// "Report" and, once opened, the reason and "send".
#[component]
pub fn ReportButton(group_id: String, target: ReportTarget, target_id: String) -> impl IntoView {
    let session = use_session();
    let toasts = use_toasts();
    let path = StoredValue::new(format!("/groups/{group_id}/reports"));
    let id = StoredValue::new(target_id);
    let open = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let send = move |_| {
        let request = CreateReportRequest {
            target_kind: target,
            target_id: id.get_value(),
            reason: reason.get_untracked(),
        };
        let Some(text) = checked(toasts, &request) else { return };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let body = CreateReportRequest { reason: text, ..request };
            let result = session.call::<_, Report>("POST", &path.get_value(), Some(&body)).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    toasts.success(Msg::CommunityMsg(CommunityMsg::ReportSent));
                    open.set(false);
                    reason.set(String::new());
                }
                Err(failure) => toasts.failure(failure),
            }
        });
    };
    let input_id = format!("report-reason-{}", id.get_value());
    view! {
        <div class="report">
            <button class="link" type="button" data-action="report-open" on:click=move |_| open.update(|o| *o = !*o)>{tc(CommunityMsg::ReportIt)}</button>
            <Show when=move || open.get()>
                <div class="inline-form row-actions">
                    <label for=input_id.clone() class="sr-only">{tc(CommunityMsg::ReportReason)}</label>
                    <input id=input_id.clone() data-field="report-reason" placeholder=tc(CommunityMsg::ReportReason) prop:value=reason
                        on:input=move |ev| reason.set(event_target_value(&ev))/>
                    <button class="button small" type="button" data-action="report" disabled=move || busy.get() on:click=send>{tc(CommunityMsg::SendReport)}</button>
                </div>
            </Show>
        </div>
    }
}
