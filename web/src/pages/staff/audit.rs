//! The audit log viewer: entries newest first in keyset pages, and a "verify chain" button that
//! reports the chain intact or names the first broken entry.

use leptos::prelude::*;
use shared::dto::{AuditChainReport, AuditPage, AuditRecord};

use crate::forms::failure_text;
use crate::http::Failure;
use crate::i18n::{Msg, use_i18n};
use crate::session::use_session;

const PAGE_SIZE: u32 = 50;

/// The audit log.
#[component]
pub fn AuditLog() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let items = RwSignal::new(Vec::<AuditRecord>::new());
    let cursor = RwSignal::new(None::<String>);
    let loaded = RwSignal::new(false);
    let loading = RwSignal::new(false);
    let failed = RwSignal::new(None::<Failure>);
    let report = RwSignal::new(None::<Result<AuditChainReport, Failure>>);
    let checking = RwSignal::new(false);
    let load = move || {
        loading.set(true);
        leptos::task::spawn_local(async move {
            let path = match cursor.get_untracked() {
                Some(c) => format!("/staff/audit?limit={PAGE_SIZE}&cursor={c}"),
                None => format!("/staff/audit?limit={PAGE_SIZE}"),
            };
            let result: Result<AuditPage, Failure> = session.call("GET", &path, None::<&()>).await;
            loading.set(false);
            match result {
                Ok(page) => {
                    failed.set(None);
                    items.update(|all| all.extend(page.items));
                    cursor.set(page.next_cursor);
                    loaded.set(true);
                }
                Err(failure) => failed.set(Some(failure)),
            }
        });
    };
    load();
    let verify = move |_| {
        checking.set(true);
        leptos::task::spawn_local(async move {
            let result: Result<AuditChainReport, Failure> =
                session.call("POST", "/staff/audit/verification", None::<&()>).await;
            checking.set(false);
            report.set(Some(result));
        });
    };
    view! {
        <section class="card">
            <h1 id="audit-title">{move || i18n.t(Msg::StaffAudit)}</h1>
            <div class="row-actions">
                <button id="audit-verify" class="button primary" type="button" disabled=move || checking.get() on:click=verify>
                    {move || if checking.get() { i18n.t(Msg::Loading) } else { i18n.t(Msg::VerifyChain) }}
                </button>
            </div>
            {move || report.get().map(|r| match r {
                Ok(r) if r.intact => view! {
                    <p class="notice notice-ok" id="audit-report" role="status">
                        {move || format!("{} ({} {})", i18n.t(Msg::ChainIntact), r.entries, i18n.t(Msg::Entries))}
                    </p>
                }.into_any(),
                Ok(r) => view! {
                    <p class="notice notice-bad" id="audit-report" role="alert">
                        {move || i18n.t(Msg::ChainBroken)}" #"{r.broken_seq.unwrap_or_default()}" "
                        <code>{r.broken_id.clone().unwrap_or_default()}</code>" "{r.problem.clone().unwrap_or_default()}
                    </p>
                }.into_any(),
                Err(failure) => view! {
                    <p class="form-error" id="audit-report" role="alert">{move || failure_text(i18n.0.get(), &failure)}</p>
                }.into_any(),
            })}
            <Show when=move || loaded.get() && items.with(Vec::is_empty)>
                <p class="empty">{move || i18n.t(Msg::AuditEmpty)}</p>
            </Show>
            <div class="table-scroll">
                <table class="audit" id="audit">
                    <thead><tr>
                        <th scope="col">"#"</th>
                        <th scope="col">{move || i18n.t(Msg::AuditTime)}</th>
                        <th scope="col">{move || i18n.t(Msg::AuditActor)}</th>
                        <th scope="col">{move || i18n.t(Msg::AuditAction)}</th>
                        <th scope="col">{move || i18n.t(Msg::AuditSubject)}</th>
                        <th scope="col">{move || i18n.t(Msg::AuditDetails)}</th>
                    </tr></thead>
                    <tbody>
                        <For each=move || items.get() key=|e| e.seq let:e>
                            <tr data-seq=e.seq>
                                <td>{e.seq}</td>
                                <td>{e.at.format("%Y-%m-%d %H:%M:%S").to_string()}</td>
                                <td>{e.actor_label.clone()}<br/><code class="hint">{e.actor_user_id.clone().unwrap_or_default()}</code></td>
                                <td><code>{e.action.clone()}</code></td>
                                <td>{e.subject_type.clone()}<br/><code class="hint">{e.subject_id.clone()}</code></td>
                                <td><code class="details">{e.details.clone()}</code></td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </div>
            {move || failed.get().map(|failure| view! {
                <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &failure)}</p>
            })}
            <Show when=move || loading.get()>
                <p class="loading">{move || i18n.t(Msg::Loading)}</p>
            </Show>
            <Show when=move || !loading.get() && (cursor.with(Option::is_some) || failed.with(Option::is_some))>
                <button id="audit-more" class="button" type="button" on:click=move |_| load()>
                    {move || if failed.with(Option::is_some) { i18n.t(Msg::TryAgain) } else { i18n.t(Msg::ShowMore) }}
                </button>
            </Show>
        </section>
    }
}
