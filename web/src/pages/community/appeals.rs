//! Appeals: the sanctioned member appeals a sanction from the moderation log with a statement;
//! the admins see pending appeals on the admin page and overturn or uphold them with a reason.

use leptos::prelude::*;
use shared::dto::{Appeal, AppealList, CreateAppealRequest, DecideAppealRequest};

use super::{Loaded, checked, failure_line, load_into, loading, tc};
use crate::datetime;
use crate::i18n::{CommunityMsg, Msg};
use crate::session::use_session;
use crate::toast::use_toasts;

/// "Appeal" under one's own sanction, opening the statement field.
#[component]
pub fn AppealButton(sanction_id: String) -> impl IntoView {
    let session = use_session();
    let toasts = use_toasts();
    let path = StoredValue::new(format!("/sanctions/{sanction_id}/appeals"));
    let open = RwSignal::new(false);
    let sent = RwSignal::new(false);
    let statement = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let send = move |_| {
        let request = CreateAppealRequest { statement: statement.get_untracked() };
        let Some(text) = checked(toasts, &request) else { return };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let body = CreateAppealRequest { statement: text };
            let result = session.call::<_, Appeal>("POST", &path.get_value(), Some(&body)).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    toasts.success(Msg::CommunityMsg(CommunityMsg::AppealSent));
                    sent.set(true);
                }
                Err(failure) => toasts.failure(failure),
            }
        });
    };
    let input_id = StoredValue::new(format!("appeal-{sanction_id}"));
    view! {
        <Show when=move || !sent.get() fallback=|| view! { <span class="badge badge-warn">{tc(CommunityMsg::AppealPending)}</span> }>
            <button class="link" type="button" data-action="appeal-open" on:click=move |_| open.update(|o| *o = !*o)>{tc(CommunityMsg::Appeal)}</button>
            <Show when=move || open.get()>
                <div class="inline-form">
                    <label for=input_id.get_value()>{tc(CommunityMsg::AppealStatement)}</label>
                    <textarea id=input_id.get_value() data-field="appeal-statement" rows="2" prop:value=statement
                        on:input=move |ev| statement.set(event_target_value(&ev))></textarea>
                    <button class="button small" type="button" data-action="appeal" disabled=move || busy.get() on:click=send>{tc(CommunityMsg::SendAppeal)}</button>
                </div>
            </Show>
        </Show>
    }
}

/// Pending appeals (admin page).
#[component]
pub fn AppealsSection(group_id: String) -> impl IntoView {
    let session = use_session();
    let gid = StoredValue::new(group_id);
    let appeals: Loaded<AppealList> = RwSignal::new(None);
    let reload = move || load_into(session, appeals, format!("/groups/{}/appeals", gid.get_value()));
    reload();
    let decided = Callback::new(move |()| reload());
    view! {
        <section class="card" aria-labelledby="appeals-title">
            <h2 id="appeals-title">{tc(CommunityMsg::Appeals)}</h2>
            {move || match appeals.get() {
                None => loading().into_any(),
                Some(Err(failure)) => failure_line(failure).into_any(),
                Some(Ok(list)) if list.items.is_empty() => view! { <p class="empty" id="appeals-empty">{tc(CommunityMsg::AppealsEmpty)}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="rows" id="appeals">
                        {list.items.into_iter().map(|a| view! { <AppealRow appeal=a on_decided=decided/> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn AppealRow(appeal: Appeal, on_decided: Callback<()>) -> impl IntoView {
    let session = use_session();
    let toasts = use_toasts();
    let path = StoredValue::new(format!("/appeals/{}/decision", appeal.id));
    let reason = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let decide = move |overturn: bool| {
        let request = DecideAppealRequest { overturn, reason: reason.get_untracked() };
        let Some(text) = checked(toasts, &request) else { return };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let body = DecideAppealRequest { overturn, reason: text };
            let result = session.call::<_, Appeal>("POST", &path.get_value(), Some(&body)).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    toasts.success(Msg::CommunityMsg(if overturn {
                        CommunityMsg::SanctionOverturned
                    } else {
                        CommunityMsg::SanctionUpheld
                    }));
                    on_decided.run(());
                }
                Err(failure) => toasts.failure(failure),
            }
        });
    };
    let input_id = format!("appeal-reason-{}", appeal.id);
    view! {
        <li class="review" data-appeal=appeal.id.clone()>
            <p class="prose">{appeal.statement.clone()}</p>
            <p class="hint">{datetime::minute(appeal.created_at)}</p>
            <label for=input_id.clone()>{tc(CommunityMsg::DecisionReason)}</label>
            <input id=input_id data-field="decision-reason" prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))/>
            <div class="row-actions">
                <button class="button small primary" type="button" data-action="overturn" disabled=move || busy.get() on:click=move |_| decide(true)>{tc(CommunityMsg::Overturn)}</button>
                <button class="button small" type="button" data-action="uphold" disabled=move || busy.get() on:click=move |_| decide(false)>{tc(CommunityMsg::Uphold)}</button>
            </div>
        </li>
    }
}
