//! A group's monthly update log of shared resources: pick a month, read the ready-to-post text
//! the API writes (additions by category) and copy it.

use leptos::prelude::*;
use shared::dto::MonthlyResourceLog;

use super::{Loaded, failure_line, load_into, loading, local_time, tx};
use crate::clipboard::copy;
use crate::i18n::{EngagementMsg, Msg, tr};
use crate::query::with_query;
use crate::session::use_session;
use crate::toast::use_toasts;

/// The log, opened on the current month.
#[component]
pub fn ResourceLog(group_id: String) -> impl IntoView {
    let session = use_session();
    let toasts = use_toasts();
    let month = RwSignal::new(local_time::input_value(local_time::now())[..7].to_owned());
    let log: Loaded<MonthlyResourceLog> = RwSignal::new(None);
    let open = RwSignal::new(false);
    Effect::new(move |_| {
        let m = month.get();
        if open.get() && m.len() == 7 {
            log.set(None);
            load_into(
                session,
                log,
                with_query(&format!("/groups/{group_id}/resource-log"), &[("month", Some(m))]),
            );
        }
    });
    let copy_text = move |_| {
        if let Some(text) =
            log.with_untracked(|l| l.as_ref().and_then(|l| l.as_ref().ok()).map(|l| l.text.clone()))
        {
            leptos::task::spawn_local(async move {
                if copy(&text).await { toasts.success(Msg::Copied) } else { toasts.problem(Msg::CopyFailed) }
            });
        }
    };
    view! {
        <details class="subsection" id="resource-log" on:toggle=move |_| open.set(true)>
            <summary>{tx(EngagementMsg::MonthlyLog)}</summary>
            <label for="resource-log-month">{tx(EngagementMsg::Month)}</label>
            <input id="resource-log-month" type="month" prop:value=month on:change=move |ev| month.set(event_target_value(&ev))/>
            {move || match log.get() {
                None => loading().into_any(),
                Some(Err(failure)) => failure_line(failure).into_any(),
                Some(Ok(l)) => view! {
                    <p class="hint">{tx(EngagementMsg::Added)}" "<strong id="resource-log-total">{l.total}</strong></p>
                    <pre class="prose notice" id="resource-log-text">{l.text}</pre>
                    <button type="button" class="button small" id="resource-log-copy" on:click=copy_text>{tr(Msg::Copy)}</button>
                }.into_any(),
            }}
        </details>
    }
}
