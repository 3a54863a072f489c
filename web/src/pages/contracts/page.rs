//! The contract page (`/contracts/{id}`): status, parties, terms with the milestone table, the
//! risk and bond state, the signatures on the current version; for a party's members the editor
//! and "send for signing", for its owners and admins the signing ceremony; the versions with
//! their PDFs and diffs, the verification, and the certificate once effective; from signing on,
//! the escrow (资金监管) with funding on the milestone timeline; once in force the progress log
//! and the acceptances with their settlement statements, then the ratings and the defect claims
//! during the warranty. The page reloads
//! when a notification about the contract arrives (changed, signed, in force).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use shared::dto::{
    AcceptanceView, ContractState, ContractView, MemberRole, PartyRole, PartyView, ProgressScheduleView,
};

use super::acceptance::AcceptanceSection;
use super::claims::DefectClaimsSection;
use super::editor::TermsEditor;
use super::escrow::EscrowSection;
use super::progress::ProgressSection;
use super::signing::SigningCeremony;
use super::versions::Versions;
use super::{ct, percent, role_name, state_class, state_name, template_name};
use crate::active_org::use_active_org;
use crate::datetime;
use crate::forms::failure_text;
use crate::http::Failure;
use crate::i18n::{ContractMsg, Msg, tr, use_i18n};
use crate::money::{format_fen, format_range};
use crate::notices::news;
use crate::session::{require_sign_in, use_session};
use crate::toast::use_toasts;

/// The contract page.
#[component]
pub fn ContractPage() -> impl IntoView {
    require_sign_in();
    let i18n = use_i18n();
    let session = use_session();
    let orgs = use_active_org();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let contract = RwSignal::new(None::<Result<ContractView, Failure>>);
    let reload = RwSignal::new(0_u32);
    let news = news(move |n| n.link.ends_with(&id.get_untracked()));
    // The version whose diff against the one before is shown (after a save: the new one).
    let diff_to = RwSignal::new(None::<u32>);
    Effect::new(move |_| {
        if session.ready.get() && session.token.with(Option::is_some) {
            let id = id.get();
            let _ = (orgs.acting(), news.get(), reload.get());
            leptos::task::spawn_local(async move {
                let result =
                    orgs.call_acting::<(), ContractView>("GET", &format!("/contracts/{id}"), None).await;
                let _ = contract.try_set(Some(result));
            });
        }
    });
    let changed = Callback::new(move |view: ContractView| contract.set(Some(Ok(view))));
    let reload_cb = Callback::new(move |()| reload.update(|v| *v += 1));
    move || match contract.get() {
        None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
        Some(Err(failure)) => view! {
            <section class="card narrow">
                <h1 id="contract-missing">{ct(ContractMsg::ContractNotFound)}</h1>
                <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &failure)}</p>
            </section>
        }
        .into_any(),
        Some(Ok(c)) => {
            view! { <ContractDetail contract=c changed=changed reload=reload_cb diff_to=diff_to/> }.into_any()
        }
    }
}

#[component]
fn ContractDetail(
    contract: ContractView,
    changed: Callback<ContractView>,
    reload: Callback<()>,
    diff_to: RwSignal<Option<u32>>,
) -> impl IntoView {
    let orgs = use_active_org();
    let toasts = use_toasts();
    let c = contract;
    let acting = orgs.acting_untracked().unwrap_or_default();
    let my_role = c.parties.iter().find(|p| p.org_id == acting).map(|p| p.role);
    let signing_party = matches!(my_role, Some(PartyRole::Payer | PartyRole::Performer));
    let manager =
        move || orgs.current().is_some_and(|o| matches!(o.my_role, MemberRole::Owner | MemberRole::Admin));
    let signed_by_me = c.signatures.iter().any(|s| s.org_id == acting && !s.voided);
    let editable = signing_party
        && matches!(c.status, ContractState::Draft | ContractState::Signing | ContractState::Effective);
    let may_sign = signing_party && c.awaiting_signatures && !signed_by_me && c.consent_text.is_some();
    // The version in force is terminated only while no amendment waits (its hash is then current).
    let may_terminate = signing_party
        && c.status == ContractState::Effective
        && !c.awaiting_signatures
        && !c.termination_signed_by.contains(&acting);
    let terminating = RwSignal::new(false);
    let editing = RwSignal::new(false);
    let ceremony = RwSignal::new(false);
    let sending = RwSignal::new(false);
    let copy = StoredValue::new(c.clone());
    let id = StoredValue::new(c.id.clone());
    let send = move |_| {
        let Some(org) = orgs.acting_untracked() else { return };
        sending.set(true);
        let path = format!("/contracts/{}/signing", id.get_value());
        leptos::task::spawn_local(async move {
            let result = orgs.call::<(), ContractView>(&org, "POST", &path, None).await;
            let _ = sending.try_set(false);
            match result {
                Ok(view) => {
                    toasts.success(Msg::ContractMsg(ContractMsg::SentForSigning));
                    changed.run(view);
                }
                Err(failure) => toasts.failure(failure),
            }
        });
    };
    let saved = Callback::new(move |view: ContractView| {
        editing.set(false);
        diff_to.set(Some(view.current_version));
        changed.run(view);
    });
    let signed = Callback::new(move |view: ContractView| {
        ceremony.set(false);
        terminating.set(false);
        changed.run(view);
    });
    let status = c.status;
    // The workspace (timeline, progress, acceptance) once the contract has taken effect.
    let took_effect = c.effective_at.is_some();
    let in_force = status == ContractState::Effective;
    let acceptances = RwSignal::new(None::<Vec<AcceptanceView>>);
    let schedule = RwSignal::new(None::<ProgressScheduleView>);
    let money_moved = RwSignal::new(0_u32);
    let warranty = RwSignal::new(None::<Option<chrono::NaiveDate>>);
    let t = c.terms.clone();
    let work_milestones: Vec<(u32, String)> =
        t.plan.milestones.iter().filter(|m| m.index > 0).map(|m| (m.index, m.name.clone())).collect();
    let milestones = t.plan.milestones.clone();
    view! {
        <div class="stack contract-page">
            <section class="card" id="contract-summary">
                <p class="eyebrow">{ct(ContractMsg::Contract)}" · "{ct(template_name(t.template))}</p>
                <h1 id="contract-title">{t.title.clone()}</h1>
                <p class="badges">
                    <span class=format!("badge {}", state_class(status)) id="contract-status">{ct(state_name(status))}</span>
                    {c.awaiting_signatures.then(|| view! { <span class="badge badge-warn" id="contract-awaiting-signatures">{ct(ContractMsg::AwaitingSignatures)}</span> })}
                    {c.awaiting_bond.then(|| view! { <span class="badge badge-warn" id="contract-awaiting-bond">{ct(ContractMsg::AwaitingBond)}</span> })}
                    {c.high_risk.then(|| view! { <span class="badge badge-bad" id="contract-high-risk">{ct(ContractMsg::HighRisk)}</span> })}
                </p>
                <dl class="facts">
                    <dt>{ct(ContractMsg::ContractNumber)}</dt><dd class="mono wrap">{c.id.clone()}</dd>
                    <dt>{ct(ContractMsg::CurrentVersion)}</dt><dd id="contract-version">{c.current_version}</dd>
                    <dt>{ct(ContractMsg::DocumentHash)}</dt><dd class="mono wrap" id="contract-sha256">{c.current_sha256.clone()}</dd>
                    {c.effective_version.map(|v| view! { <dt>{ct(ContractMsg::EffectiveVersion)}</dt><dd id="contract-effective-version">{v}</dd> })}
                    {c.effective_at.map(|at| view! { <dt>{ct(ContractMsg::EffectiveAt)}</dt><dd id="contract-effective-at">{datetime::minute(at)}</dd> })}
                    {c.signing_deadline.map(|d| view! { <dt>{ct(ContractMsg::SigningDeadline)}</dt><dd id="contract-signing-deadline">{d.to_string()}</dd> })}
                    <dt>{ct(ContractMsg::DraftedAt)}</dt><dd>{datetime::minute(c.created_at)}</dd>
                </dl>
                {c.high_risk.then(|| view! {
                    <p class="notice notice-bad" id="contract-risk">
                        {ct(ContractMsg::HighRiskNotice)}
                        {c.required_bond.map(|b| view! { " "{ct(ContractMsg::RequiredBond)}" "<strong id="contract-required-bond">{format_range(b.min_fen, b.max_fen)}</strong> })}
                        " · "{ct(ContractMsg::BondRecorded)}" "<span id="contract-bond-recorded">{format_fen(c.bond_recorded_fen)}</span>
                    </p>
                })}
                {c.awaiting_bond.then(|| view! { <p class="notice" id="contract-awaiting-bond-notice">{ct(ContractMsg::AwaitingBondNotice)}</p> })}
                {c.amendment_warning.then(|| view! { <p class="notice notice-bad" id="contract-amendment-warning">{ct(ContractMsg::AmendmentWarning)}</p> })}
                <p class="no-print"><A href=format!("/tenders/{}", c.tender_id) attr:id="contract-tender-link">{ct(ContractMsg::BackToTender)}</A></p>
            </section>

            <section class="card" id="contract-parties">
                <h2>{ct(ContractMsg::Parties)}</h2>
                <div class="party-grid">
                    {c.parties.iter().cloned().map(party_card).collect_view()}
                </div>
            </section>

            <section class="card" id="contract-terms">
                <h2>{ct(ContractMsg::Terms)}</h2>
                <dl class="facts">
                    <dt>{ct(ContractMsg::Amount)}</dt><dd id="contract-amount" class="amount">{format_fen(t.plan.amount_fen)}</dd>
                    <dt>{ct(ContractMsg::DurationDays)}</dt><dd id="contract-duration">{t.duration_days}</dd>
                    <dt>{ct(ContractMsg::StartDate)}</dt><dd id="contract-start-date">{t.start_date.to_string()}</dd>
                    <dt>{ct(ContractMsg::Retention)}</dt><dd id="contract-retention">{percent(i64::from(t.plan.retention_bp))}" %"</dd>
                    <dt>{ct(ContractMsg::PerformanceBond)}</dt><dd id="contract-bond">{percent(i64::from(t.plan.performance_bond_bp))}" %"</dd>
                    <dt>{ct(ContractMsg::WarrantyMonths)}</dt><dd id="contract-warranty">{t.plan.warranty_months}</dd>
                </dl>
                <h3>{ct(ContractMsg::Scope)}</h3>
                <p class="prose" id="contract-scope">{t.scope.clone()}</p>
                <h3>{ct(ContractMsg::Milestones)}</h3>
                <div class="table-scroll">
                    <table class="sheet" id="contract-milestones">
                        <thead><tr>
                            <th>"#"</th><th>{ct(ContractMsg::MilestoneName)}</th><th>{ct(ContractMsg::Share)}</th>
                            <th>{ct(ContractMsg::MilestoneAmount)}</th><th>{ct(ContractMsg::PlannedDate)}</th><th>{ct(ContractMsg::DueCondition)}</th>
                        </tr></thead>
                        <tbody>
                            {milestones.into_iter().map(|m| view! {
                                <tr data-milestone=m.index>
                                    <td>{m.index}</td>
                                    <td>{m.name.clone()}{(m.index == 0).then(|| view! { " "<span class="badge">{ct(ContractMsg::Advance)}</span> })}</td>
                                    <td>{m.share_bp.map(|s| format!("{} %", percent(i64::from(s)))).unwrap_or_default()}</td>
                                    <td class="amount">{format_fen(m.amount_fen)}</td>
                                    <td>{m.planned_date.to_string()}</td>
                                    <td>{m.due_condition.clone()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <h3>{ct(ContractMsg::DisputeClause)}</h3>
                <p class="prose" id="contract-dispute">{t.dispute_clause.clone()}</p>
            </section>

            <section class="card" id="contract-signatures">
                <h2>{ct(ContractMsg::Signatures)}</h2>
                {if c.signatures.is_empty() {
                    view! { <p class="empty" id="contract-no-signatures">{ct(ContractMsg::NoSignatures)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="rows">
                            {c.signatures.iter().map(|s| view! {
                                <li class="row item signature" data-org=s.org_id.clone() class:voided=s.voided>
                                    <div class="item-main">
                                        <strong>{s.org_name.clone()}</strong>" · "{s.signer_name.clone()}
                                        <p class="hint">{datetime::minute(s.signed_at)}" · "{ct(ContractMsg::Version)}" "{s.version}</p>
                                        <p class="hint mono wrap">"SHA-256 "{s.document_sha256.clone()}</p>
                                    </div>
                                    {s.voided.then(|| view! { <span class="badge badge-muted">{ct(ContractMsg::Voided)}</span> })}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>

            {(!c.termination_signed_by.is_empty()).then(|| view! {
                <p class="notice notice-bad" id="contract-termination">
                    {ct(ContractMsg::TerminationBy)}" "
                    {c.parties.iter().filter(|p| c.termination_signed_by.contains(&p.org_id)).map(|p| p.name.clone()).collect::<Vec<_>>().join("、")}
                </p>
            })}
            {(editable || may_sign || may_terminate).then(|| view! {
                <section class="card row-actions no-print" id="contract-actions">
                    {editable.then(|| view! {
                        <button class="button" type="button" id="contract-edit" on:click=move |_| editing.update(|e| *e = !*e)>
                            {ct(ContractMsg::EditTerms)}
                        </button>
                    })}
                    {(editable && status == ContractState::Draft).then(|| view! {
                        <button class="button primary" type="button" id="contract-send" disabled=move || sending.get() on:click=send>
                            {ct(ContractMsg::SendForSigning)}
                        </button>
                    })}
                    {may_sign.then(|| view! {
                        <button class="button primary" type="button" id="contract-sign" on:click=move |_| ceremony.set(true)>
                            {ct(ContractMsg::Sign)}
                        </button>
                        <Show when=move || !manager()>
                            <p class="hint" id="contract-sign-managers-only">{ct(ContractMsg::OnlyManagersSign)}</p>
                        </Show>
                    })}
                    {may_terminate.then(|| view! {
                        <button class="button danger" type="button" id="contract-terminate" on:click=move |_| terminating.set(true)>
                            {ct(ContractMsg::SignTermination)}
                        </button>
                    })}
                </section>
            })}
            <Show when=move || editing.get()>
                <TermsEditor contract=copy.get_value() my_role=my_role.unwrap_or(PartyRole::Performer) saved=saved reload=reload/>
            </Show>
            <Show when=move || ceremony.get()>
                <SigningCeremony contract=copy.get_value() signed=signed close=Callback::new(move |()| ceremony.set(false)) reload=reload/>
            </Show>
            <Show when=move || terminating.get()>
                <SigningCeremony contract=copy.get_value() signed=signed close=Callback::new(move |()| terminating.set(false)) reload=reload termination=true/>
            </Show>
            {(status != ContractState::Draft && status != ContractState::Abandoned).then(|| view! {
                <EscrowSection contract_id=c.id.clone() my_role=my_role status=status
                    acceptances=acceptances schedule=schedule refresh=money_moved warranty=warranty/>
            })}
            {took_effect.then(|| view! {
                <ProgressSection contract_id=c.id.clone() my_role=my_role in_force=in_force schedule=schedule/>
                <AcceptanceSection contract_id=c.id.clone() my_role=my_role in_force=in_force
                    completed=status == ContractState::Completed milestones=work_milestones.clone()
                    acceptances=acceptances money_moved=money_moved/>
                <DefectClaimsSection contract_id=c.id.clone() my_role=my_role warranty=warranty money_moved=money_moved/>
                <crate::pages::disputes::DisputesSection contract_id=c.id.clone()/>
            })}
            <Versions contract=copy.get_value() diff_to=diff_to/>
        </div>
    }
}

fn party_card(p: PartyView) -> impl IntoView {
    view! {
        <div class="party" data-role=p.role.as_str()>
            <h3>{ct(role_name(p.role))}</h3>
            <dl class="facts">
                <dt>{ct(ContractMsg::PartyName)}</dt><dd class="party-name">{p.name}</dd>
                <dt>{ct(ContractMsg::Uscc)}</dt><dd class="mono">{p.uscc}</dd>
                <dt>{ct(ContractMsg::LegalRepresentative)}</dt><dd>{p.legal_representative}</dd>
                <dt>{ct(ContractMsg::Address)}</dt><dd>{p.address.unwrap_or_else(|| "—".into())}</dd>
            </dl>
            <p class="no-print"><A href=format!("/directory/{}", p.org_id) attr:class="party-profile">{tr(Msg::PublicProfileLink)}</A></p>
        </div>
    }
}
