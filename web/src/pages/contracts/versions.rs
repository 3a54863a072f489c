//! The contract's history on its page: the versions (hash, author, in force since) each with its
//! PDF and its diff against the version before, the diff table, the verification of the whole
//! history, and the certificate of completion once the contract is effective. PDFs come through
//! the authenticated download ([`crate::stored_file::load_path`] then a `blob:` link).

use leptos::prelude::*;
use shared::dto::{ContractDiffView, ContractState, ContractVerification, ContractVersionView, ContractView};

use super::ct;
use crate::active_org::use_active_org;
use crate::datetime;
use crate::download::save_url;
use crate::forms::failure_text;
use crate::http::Failure;
use crate::i18n::{ContractMsg, Msg, tr, use_i18n};
use crate::session::{Session, use_session};
use crate::stored_file::load_path;

/// Downloads the API file at `path` as `name`, acting for `org`.
pub(super) async fn download(
    session: Session,
    org: Option<String>,
    path: &str,
    name: &str,
) -> Result<(), Failure> {
    let file = load_path(session, org.as_deref(), path).await?;
    save_url(file.url, name);
    Ok(())
}

/// Versions, diff, verification and certificate.
#[component]
pub fn Versions(contract: ContractView, diff_to: RwSignal<Option<u32>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let orgs = use_active_org();
    let id = StoredValue::new(contract.id.clone());
    let versions = RwSignal::new(None::<Result<Vec<ContractVersionView>, Failure>>);
    let diff = RwSignal::new(None::<Result<ContractDiffView, Failure>>);
    let verification = RwSignal::new(None::<Result<ContractVerification, Failure>>);
    let failed = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let current = contract.current_version;
    Effect::new(move |_| {
        let Some(org) = orgs.acting() else { return };
        let path = format!("/contracts/{}/versions", id.get_value());
        leptos::task::spawn_local(async move {
            let _ = versions
                .try_set(Some(orgs.call::<(), Vec<ContractVersionView>>(&org, "GET", &path, None).await));
        });
    });
    Effect::new(move |_| {
        let Some(to) = diff_to.get() else { return };
        let Some(org) = orgs.acting_untracked() else { return };
        if to < 2 {
            return;
        }
        let path = format!("/contracts/{}/diff?from={}&to={to}", id.get_value(), to - 1);
        leptos::task::spawn_local(async move {
            let _ = diff.try_set(Some(orgs.call::<(), ContractDiffView>(&org, "GET", &path, None).await));
        });
    });
    let fetch_file = move |path: String, name: String| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = download(session, orgs.acting_untracked(), &path, &name).await;
            let _ = busy.try_set(false);
            let _ = failed.try_set(result.err());
        });
    };
    let verify = move |_| {
        let Some(org) = orgs.acting_untracked() else { return };
        verification.set(None);
        let path = format!("/contracts/{}/verification", id.get_value());
        leptos::task::spawn_local(async move {
            let _ = verification
                .try_set(Some(orgs.call::<(), ContractVerification>(&org, "GET", &path, None).await));
        });
    };
    let effective = contract.effective_version.is_some()
        && matches!(contract.status, ContractState::Effective | ContractState::Completed);
    view! {
        <section class="card" id="contract-versions">
            <h2>{ct(ContractMsg::Versions)}</h2>
            {move || match versions.get() {
                None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
                Some(Err(f)) => view! { <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &f)}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="rows" id="contract-version-list">
                        {list.into_iter().rev().map(|v| {
                            let n = v.version;
                            let name = format!("contract-{}-v{n}.pdf", id.get_value());
                            let pdf = format!("/contracts/{}/versions/{n}/pdf", id.get_value());
                            view! {
                                <li class="row item" data-version=n>
                                    <div class="item-main">
                                        <strong>{ct(ContractMsg::Version)}" "{n}</strong>
                                        {(n == current).then(|| view! { " "<span class="badge">{ct(ContractMsg::Current)}</span> })}
                                        {v.in_force_at.map(|at| view! { " "<span class="badge badge-ok">{ct(ContractMsg::InForceSince)}" "{datetime::minute(at)}</span> })}
                                        <p class="hint">
                                            {v.created_by_org_name.clone().unwrap_or_else(|| v.created_by_name.clone())}" · "{v.created_by_name.clone()}" · "{datetime::minute(v.created_at)}
                                        </p>
                                        <p class="hint mono wrap">"SHA-256 "{v.sha256.clone()}</p>
                                    </div>
                                    <div class="row-actions">
                                        <button class="button small" type="button" data-action="version-pdf" disabled=move || busy.get()
                                            on:click=move |_| fetch_file(pdf.clone(), name.clone())>{ct(ContractMsg::Pdf)}</button>
                                        {(n > 1).then(|| view! {
                                            <button class="button small" type="button" data-action="version-diff"
                                                on:click=move |_| diff_to.set(Some(n))>{ct(ContractMsg::ShowChanges)}</button>
                                        })}
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            {move || failed.get().map(|f| view! { <p class="form-error" role="alert" id="contract-download-error">{move || failure_text(i18n.0.get(), &f)}</p> })}
        </section>
        <Show when=move || diff_to.get().is_some_and(|v| v >= 2)>
            <section class="card" id="contract-diff">
                <h2>{ct(ContractMsg::Changes)}</h2>
                {move || match diff.get() {
                    None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
                    Some(Err(f)) => view! { <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &f)}</p> }.into_any(),
                    Some(Ok(d)) => view! {
                        <p class="hint" id="contract-diff-versions">{ct(ContractMsg::Version)}" "{d.from_version}" → "{d.to_version}</p>
                        {if d.changes.is_empty() {
                            view! { <p class="empty">{ct(ContractMsg::NoChanges)}</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-scroll">
                                    <table class="sheet diff" id="contract-diff-table">
                                        <thead><tr><th>{ct(ContractMsg::Line)}</th><th>{ct(ContractMsg::Before)}</th><th>{ct(ContractMsg::After)}</th></tr></thead>
                                        <tbody>
                                            {d.changes.into_iter().map(|c| view! {
                                                <tr data-key=c.key.clone()>
                                                    <th scope="row">{c.label.clone()}</th>
                                                    <td class="before">{c.before.unwrap_or_else(|| "—".into())}</td>
                                                    <td class="after">{c.after.unwrap_or_else(|| "—".into())}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                    }.into_any(),
                }}
            </section>
        </Show>
        <section class="card" id="contract-integrity">
            <h2>{ct(ContractMsg::Integrity)}</h2>
            <div class="row-actions">
                <button class="button" type="button" id="contract-verify" on:click=verify>{ct(ContractMsg::Verify)}</button>
                {effective.then(|| {
                    let path = format!("/contracts/{}/certificate.pdf", id.get_value());
                    let name = format!("certificate-{}.pdf", id.get_value());
                    view! {
                        <button class="button primary" type="button" id="contract-certificate" disabled=move || busy.get()
                            on:click=move |_| fetch_file(path.clone(), name.clone())>{ct(ContractMsg::DownloadCertificate)}</button>
                    }
                })}
            </div>
            {move || verification.get().map(|r| match r {
                Err(f) => view! { <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &f)}</p> }.into_any(),
                Ok(v) => view! {
                    <div id="contract-verification" data-valid=if v.valid { "yes" } else { "no" }>
                        <p class=if v.valid { "notice notice-ok" } else { "notice notice-bad" } id="contract-verification-result">
                            {if v.valid { ct(ContractMsg::VerificationValid)() } else { ct(ContractMsg::VerificationInvalid)() }}
                        </p>
                        <ul class="plain">
                            {v.versions.into_iter().map(|x| view! {
                                <li>{ct(ContractMsg::Version)}" "{x.version}" · "
                                    {if x.intact { ct(ContractMsg::Intact)() } else { ct(ContractMsg::NotIntact)() }}</li>
                            }).collect_view()}
                            {v.signatures.into_iter().map(|s| view! {
                                <li>{ct(ContractMsg::Signature)}" "{ct(ContractMsg::Version)}" "{s.version}" · "{ct(ContractMsg::AuditEntry)}" #"{s.audit_seq}" · "
                                    {if s.in_audit_chain && s.matches_version { ct(ContractMsg::Intact)() } else { ct(ContractMsg::NotIntact)() }}</li>
                            }).collect_view()}
                        </ul>
                    </div>
                }.into_any(),
            })}
        </section>
    }
}
