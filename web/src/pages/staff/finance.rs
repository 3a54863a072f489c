//! The finance console (`/staff/finance`, finance officers): bank statement import with its
//! counts (or the rows the file was refused for), the recent imports, and the reconciliation
//! queue, where each waiting line is matched to a pending funding request (found by its
//! reference) or recorded as returned to the sender, with a note; the withdrawal queue (see
//! [`super::payouts`]), the risk cases and the reserve report (see [`super::risk`]) and the way to a manual escrow release (a dual-control request in the
//! inbox).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use shared::dto::{
    FieldIssue, FundingRequestView, LineAction, LineResolutionRequest, QueueReason, StatementImportView,
    StatementLinePage, StatementLineView,
};
use shared::validate::Check;
use wasm_bindgen::JsCast;

use crate::datetime;
use crate::forms::{FieldError, FormError, FormErrors, before_sending, failure_text, field_error};
use crate::http::Failure;
use crate::i18n::{EscrowMsg, Msg, WorkspaceMsg, field_issue_text, tr, use_i18n};
use crate::intent::Intent;
use crate::money::format_fen;
use crate::pages::contracts::{et, wt};
use crate::paging::{ListFooter, Paged};
use crate::query::with_query;
use crate::session::use_session;
use crate::toast::use_toasts;
use crate::upload::upload_keyed;

/// A queue reason's name.
fn reason_name(reason: QueueReason) -> EscrowMsg {
    match reason {
        QueueReason::NoReference => EscrowMsg::ReasonNoReference,
        QueueReason::UnknownReference => EscrowMsg::ReasonUnknownReference,
        QueueReason::AmountDiffers => EscrowMsg::ReasonAmountDiffers,
        QueueReason::RequestNotPending => EscrowMsg::ReasonRequestNotPending,
    }
}

/// The finance console section.
#[component]
pub fn Finance() -> impl IntoView {
    let session = use_session();
    let imports = RwSignal::new(None::<Result<Vec<StatementImportView>, Failure>>);
    let queue = Paged::<StatementLineView>::new();
    let load_imports = move || {
        leptos::task::spawn_local(async move {
            let result = session
                .call::<(), Vec<StatementImportView>>("GET", "/finance/bank-statements?limit=10", None)
                .await;
            let _ = imports.try_set(Some(result));
        });
    };
    let load_queue = move |first: bool| {
        let path = with_query(
            "/finance/statement-lines",
            &[("limit", Some("50".to_owned())), ("cursor", queue.cursor_for(first))],
        );
        queue.load(first, async move {
            session.call::<(), StatementLinePage>("GET", &path, None).await.map(|p| (p.items, p.next_cursor))
        });
    };
    load_imports();
    load_queue(true);
    let imported = Callback::new(move |()| {
        load_imports();
        load_queue(true);
    });
    let resolved =
        Callback::new(move |line_id: String| queue.edit(|lines| lines.retain(|l| l.id != line_id)));
    view! {
        <section class="card" id="finance-import-card">
            <h1 id="finance-title">{et(EscrowMsg::Finance)}</h1>
            <StatementImport imported=imported/>
        </section>
        <section class="card">
            <h2>{et(EscrowMsg::Queue)}</h2>
            <ul class="rows" id="finance-queue">
                {move || queue.items.get().into_iter().map(|line| view! { <QueuedLine line=line resolved=resolved/> }).collect_view()}
            </ul>
            <ListFooter state=queue.state id="finance-queue" empty=Msg::EscrowMsg(EscrowMsg::QueueEmpty)
                on_more=Callback::new(move |()| load_queue(false))/>
        </section>
        <super::payouts::PayoutQueue/>
        <super::awards::Awards/>
        <super::risk::RiskCases/>
        <super::risk::Reserve/>
        <section class="card" id="finance-manual-release">
            <h2>{wt(WorkspaceMsg::ManualRelease)}</h2>
            <p class="hint">{wt(WorkspaceMsg::ManualReleaseHint)}</p>
            <A href="/staff/requests" attr:class="button" attr:id="finance-to-inbox">{tr(Msg::StaffInbox)}</A>
        </section>
        <section class="card">
            <h2>{et(EscrowMsg::RecentImports)}</h2>
            <RecentImports imports=imports/>
        </section>
    }
}

#[component]
fn RecentImports(imports: RwSignal<Option<Result<Vec<StatementImportView>, Failure>>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        match imports.get() {
        None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
        Some(Err(failure)) => {
            view! { <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &failure)}</p> }.into_any()
        }
        Some(Ok(list)) if list.is_empty() => {
            view! { <p class="empty" id="finance-no-imports">{et(EscrowMsg::NoImports)}</p> }.into_any()
        }
        Some(Ok(list)) => view! {
            <ul class="rows" id="finance-imports">
                {list.into_iter().map(|s| {
                    let (id, name, encoding, at) = (s.id.clone(), s.file_name.clone(), s.encoding.clone(), s.imported_at);
                    view! {
                        <li class="row item" data-statement=id>
                            <div class="item-main">
                                <strong>{name}</strong>" · "{encoding}
                                <p class="hint">{datetime::minute(at)}</p>
                            </div>
                            <ImportCounts import=s/>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any(),
    }
    }
}

/// The counts of an import.
#[component]
fn ImportCounts(import: StatementImportView) -> impl IntoView {
    let s = import;
    view! {
        <dl class="facts import-counts">
            <dt>{et(EscrowMsg::Lines)}</dt><dd class="count-lines">{s.lines}</dd>
            <dt>{et(EscrowMsg::Matched)}</dt><dd class="count-matched">{s.matched}</dd>
            <dt>{et(EscrowMsg::Queued)}</dt><dd class="count-queued">{s.queued}</dd>
            <dt>{et(EscrowMsg::AlreadyImported)}</dt><dd class="count-already">{s.already_imported}</dd>
            <dt>{et(EscrowMsg::SkippedOutflows)}</dt><dd class="count-outflows">{s.skipped_outflows}</dd>
        </dl>
    }
}

/// The statement upload: one key per chosen file, so retrying the same file never imports twice.
#[component]
fn StatementImport(imported: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let file = RwSignal::new_local(None::<web_sys::File>);
    let percent = RwSignal::new(0_u32);
    let busy = RwSignal::new(false);
    let errors = RwSignal::new(FormErrors::default());
    let result = RwSignal::new(None::<StatementImportView>);
    let intent = Intent::new();
    let pick = move |ev: leptos::ev::Event| {
        let chosen = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        file.set(chosen);
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(chosen) = file.get_untracked() else {
            errors
                .set(FormErrors::local(vec![FieldIssue { field: "file".into(), issue: "required".into() }]));
            return;
        };
        if busy.get_untracked() {
            return;
        }
        errors.set(FormErrors::default());
        result.set(None);
        busy.set(true);
        let identity = format!("{}\u{1f}{}\u{1f}{}", chosen.name(), chosen.size(), chosen.last_modified());
        let key = intent.key_for(&identity);
        leptos::task::spawn_local(async move {
            let answer = upload_keyed::<StatementImportView>(
                session,
                "/finance/bank-statements",
                &key,
                chosen,
                percent,
            )
            .await;
            intent.settle(&answer);
            let _ = busy.try_set(false);
            match answer {
                Ok(view) => {
                    toasts.success(Msg::EscrowMsg(EscrowMsg::Imported));
                    let _ = result.try_set(Some(view));
                    imported.run(());
                }
                Err(failure) => {
                    let _ = errors.try_set(FormErrors::from_failure(failure));
                }
            }
        });
    };
    let row_issues =
        move || errors.with(|e| e.fields.iter().filter(|f| f.field != "file").cloned().collect::<Vec<_>>());
    view! {
        <h2>{et(EscrowMsg::ImportStatement)}</h2>
        <form id="finance-import-form" on:submit=submit novalidate>
            <label for="finance-file">{et(EscrowMsg::StatementFile)}</label>
            <input id="finance-file" type="file" accept=".csv,.txt,text/csv,text/plain" on:change=pick/>
            <FieldError text=field_error(errors, "file") id="finance-file-error"/>
            <Show when=move || !row_issues().is_empty()>
                <div class="form-error" role="alert" id="finance-import-errors">
                    <p>{et(EscrowMsg::FileRefused)}</p>
                    <ul>
                        {move || row_issues().into_iter().map(|f| {
                            let text = field_issue_text(i18n.0.get(), &f.field, &f.issue);
                            view! { <li data-field=f.field.clone()><span class="mono">{f.field.clone()}</span>" "{text}</li> }
                        }).collect_view()}
                    </ul>
                </div>
            </Show>
            <FormError errors=errors id="finance-import-error"/>
            <Show when=move || busy.get()>
                <progress max="100" value=move || percent.get().to_string()></progress>
            </Show>
            <button class="button primary" type="submit" id="finance-import" disabled=move || busy.get()>
                {move || if busy.get() { i18n.t(Msg::Submitting) } else { i18n.t(Msg::EscrowMsg(EscrowMsg::Import)) }}
            </button>
        </form>
        {move || result.get().map(|r| {
            let name = r.file_name.clone();
            view! {
                <div class="notice notice-ok" id="finance-import-result" role="status">
                    <p class="label">{et(EscrowMsg::ImportResult)}" · "{name}</p>
                    <ImportCounts import=r/>
                </div>
            }
        })}
    }
}

/// A queued line with its match / return form.
#[component]
fn QueuedLine(line: StatementLineView, resolved: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let l = line;
    let action = RwSignal::new(None::<LineAction>);
    let request_id = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let search = RwSignal::new(l.reference.clone().unwrap_or_default());
    let found = RwSignal::new(None::<Result<Vec<FundingRequestView>, Failure>>);
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let intent = Intent::new();
    let id = StoredValue::new(l.id.clone());
    let find = move |_| {
        let path = with_query(
            "/finance/funding-requests",
            &[("reference", Some(search.get_untracked().trim().to_owned()))],
        );
        leptos::task::spawn_local(async move {
            let result = session.call::<(), Vec<FundingRequestView>>("GET", &path, None).await;
            let _ = found.try_set(Some(result));
        });
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(chosen) = action.get_untracked() else { return };
        let typed = request_id.get_untracked().trim().to_owned();
        let body = LineResolutionRequest {
            action: chosen,
            funding_request_id: (chosen == LineAction::Match && !typed.is_empty()).then_some(typed),
            note: note.get_untracked().trim().to_owned(),
        };
        let issues = before_sending(Vec::new(), body.check());
        if !issues.is_empty() {
            errors.set(FormErrors::local(issues));
            return;
        }
        let path = format!("/finance/statement-lines/{}/resolution", id.get_value());
        intent.post(None, path, body, busy, errors, move |_: StatementLineView| {
            toasts.success(Msg::EscrowMsg(EscrowMsg::LineResolved));
            resolved.run(id.get_value());
        });
    };
    let prefix = format!("line-{}", l.id);
    let ids = StoredValue::new(prefix);
    view! {
        <li class="row item statement-line" data-line=l.id.clone() data-serial=l.serial.clone()>
            <div class="item-main">
                <strong class="mono">{l.serial.clone()}</strong>" · "{l.trade_date.to_string()}
                " · "<span class="amount">{format_fen(l.amount_fen)}</span>
                {l.reason.map(|r| view! { " "<span class="badge badge-warn line-reason">{et(reason_name(r))}</span> })}
                <dl class="facts">
                    <dt>{et(EscrowMsg::Counterparty)}</dt><dd>{l.counterparty_name.clone()}" "<span class="mono hint">{l.counterparty_account.clone()}</span></dd>
                    <dt>{et(EscrowMsg::Memo)}</dt><dd>{l.memo.clone()}</dd>
                    <dt>{et(EscrowMsg::Reference)}</dt><dd class="mono">{l.reference.clone().unwrap_or_else(|| "—".into())}</dd>
                </dl>
                <div class="row-actions">
                    <button class="button small line-match" type="button" on:click=move |_| action.set(Some(LineAction::Match))>{et(EscrowMsg::MatchLine)}</button>
                    <button class="button small line-return" type="button" on:click=move |_| action.set(Some(LineAction::Return))>{et(EscrowMsg::ReturnLine)}</button>
                </div>
                <Show when=move || action.get().is_some()>
                    <form class="line-form" on:submit=submit novalidate>
                        <Show when=move || action.get() == Some(LineAction::Match)>
                            <label for=format!("{}-search", ids.get_value())>{et(EscrowMsg::Reference)}</label>
                            <div class="row-actions">
                                <input id=format!("{}-search", ids.get_value()) class="line-search" type="text" prop:value=search
                                    on:input=move |ev| search.set(event_target_value(&ev))/>
                                <button class="button small line-find" type="button" on:click=find>{et(EscrowMsg::FindRequests)}</button>
                            </div>
                            {move || found.get().map(|r| match r {
                                Ok(list) if list.is_empty() => view! { <p class="empty">{et(EscrowMsg::NoPendingRequests)}</p> }.into_any(),
                                Ok(list) => view! {
                                    <ul class="rows line-candidates">
                                        {list.into_iter().map(|r| {
                                            let rid = StoredValue::new(r.id.clone());
                                            view! {
                                                <li class="row item" data-request=r.id.clone()>
                                                    <span class="mono">{r.reference.clone()}</span>" · "<span class="amount">{format_fen(r.amount_fen)}</span>
                                                    <button class="button small line-use" type="button" on:click=move |_| request_id.set(rid.get_value())>{et(EscrowMsg::Use)}</button>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                }.into_any(),
                                Err(failure) => view! { <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &failure)}</p> }.into_any(),
                            })}
                            <label for=format!("{}-request", ids.get_value())>{et(EscrowMsg::FundingRequestId)}</label>
                            <input id=format!("{}-request", ids.get_value()) class="line-request mono" type="text" prop:value=request_id
                                on:input=move |ev| request_id.set(event_target_value(&ev))/>
                            <FieldError text=field_error(errors, "funding_request_id") id=format!("{}-request-error", ids.get_value())/>
                        </Show>
                        <label for=format!("{}-note", ids.get_value())>{et(EscrowMsg::Note)}</label>
                        <textarea id=format!("{}-note", ids.get_value()) class="line-note" maxlength="500" prop:value=note
                            on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                        <FieldError text=field_error(errors, "note") id=format!("{}-note-error", ids.get_value())/>
                        <FormError errors=errors id=format!("{}-error", ids.get_value())/>
                        <div class="row-actions">
                            <button class="button primary line-confirm" type="submit" disabled=move || busy.get()>{et(EscrowMsg::Confirm)}</button>
                            <button class="button line-cancel" type="button" on:click=move |_| action.set(None)>{tr(Msg::Cancel)}</button>
                        </div>
                    </form>
                </Show>
            </div>
        </li>
    }
}
