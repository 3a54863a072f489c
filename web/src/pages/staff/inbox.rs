//! The dual-control inbox: requests by status, approval or rejection by a second staff member
//! (never the requester), and the form to ask for a role grant or revocation, or for an
//! organisation's suspension or its lifting (organisation picked from the directory or by id).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::dto::{
    CreateStaffRequest, DualControlAction, OrganisationPage, StaffDecisionRequest, StaffRequest,
    StaffRequestList, StaffRequestStatus, StaffRole,
};

use shared::validate::Check;

use super::review::ReasonField;

use crate::forms::{FieldError, FormError, FormErrors, SubmitButton, TextField, failure_text, field_error};
use crate::http::{Failure, request};
use crate::i18n::{Msg, use_i18n};
use crate::session::use_session;
use crate::toast::use_toasts;

const ACTIONS: [DualControlAction; 5] = [
    DualControlAction::SuspendOrganisation,
    DualControlAction::LiftSuspension,
    DualControlAction::GrantRole,
    DualControlAction::RevokeRole,
    DualControlAction::ReleaseEscrow,
];

fn action_name(action: DualControlAction) -> Msg {
    match action {
        DualControlAction::GrantRole => Msg::ActionGrantRole,
        DualControlAction::RevokeRole => Msg::ActionRevokeRole,
        DualControlAction::SuspendOrganisation => Msg::ActionSuspend,
        DualControlAction::LiftSuspension => Msg::ActionLiftSuspension,
        DualControlAction::ReleaseEscrow => Msg::ActionReleaseEscrow,
        DualControlAction::OverrideCreditGrade => Msg::ActionOverrideCreditGrade,
        DualControlAction::LiftCreditOverride => Msg::ActionLiftCreditOverride,
    }
}

fn status_name(status: StaffRequestStatus) -> Msg {
    match status {
        StaffRequestStatus::Pending => Msg::RequestPending,
        StaffRequestStatus::Executed => Msg::RequestExecuted,
        StaffRequestStatus::Rejected => Msg::RequestRejected,
    }
}

fn staff_role_name(role: StaffRole) -> Msg {
    match role {
        StaffRole::Operator => Msg::StaffRoleOperator,
        StaffRole::Reviewer => Msg::StaffRoleReviewer,
        StaffRole::Mediator => Msg::StaffRoleMediator,
        StaffRole::FinanceOfficer => Msg::StaffRoleFinance,
        StaffRole::Admin => Msg::StaffRoleAdmin,
    }
}

/// The inbox with its request form.
#[component]
pub fn Inbox() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let status = RwSignal::new(StaffRequestStatus::Pending);
    let items = RwSignal::new(None::<Result<Vec<StaffRequest>, Failure>>);
    let load = move || {
        items.set(None);
        leptos::task::spawn_local(async move {
            let wanted = match status.get_untracked() {
                StaffRequestStatus::Pending => "pending",
                StaffRequestStatus::Executed => "executed",
                StaffRequestStatus::Rejected => "rejected",
            };
            let result: Result<StaffRequestList, Failure> =
                session.call("GET", &format!("/staff/requests?status={wanted}"), None::<&()>).await;
            items.set(Some(result.map(|l| l.items)));
        });
    };
    load();
    let statuses = [StaffRequestStatus::Pending, StaffRequestStatus::Executed, StaffRequestStatus::Rejected];
    view! {
        <section class="card">
            <h1 id="inbox-title">{move || i18n.t(Msg::StaffInbox)}</h1>
            <p class="hint">{move || i18n.t(Msg::DualControlIntro)}</p>
            <label for="inbox-status">{move || i18n.t(Msg::RequestStatus)}</label>
            <select id="inbox-status" on:change=move |ev| {
                let value = event_target_value(&ev);
                let picked = statuses.into_iter().find(|s| format!("{s:?}") == value);
                status.set(picked.unwrap_or(StaffRequestStatus::Pending));
                load();
            }>
                {statuses.into_iter().map(|s| view! {
                    <option value=format!("{s:?}") selected=move || status.get() == s>{move || i18n.t(status_name(s))}</option>
                }).collect_view()}
            </select>
            {move || match items.get() {
                None => view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
                Some(Err(failure)) => view! {
                    <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &failure)}</p>
                    <button class="button" type="button" on:click=move |_| load()>{move || i18n.t(Msg::TryAgain)}</button>
                }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! {
                    <p class="empty" id="inbox-empty">{move || i18n.t(Msg::InboxEmpty)}</p>
                }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="rows" id="inbox">
                        {list.into_iter().map(|r| view! { <RequestRow item=r on_decided=load/> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
        <NewRequest on_created=move || {
            status.set(StaffRequestStatus::Pending);
            load();
        }/>
    }
}

#[component]
fn RequestRow(item: StaffRequest, on_decided: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let me = session.user.with_untracked(|u| u.as_ref().map(|u| u.id.clone())).unwrap_or_default();
    let mine = item.requested_by == me;
    let pending = item.status == StaffRequestStatus::Pending;
    let id = StoredValue::new(item.id.clone());
    let reason = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let decide = move |approve: bool| {
        let body = StaffDecisionRequest { reason: Some(reason.get_untracked()) };
        if let Err(invalid) = body.check_decision(approve) {
            errors.set(FormErrors::local(invalid.0));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let verb = if approve { "approval" } else { "rejection" };
            let path = format!("/staff/requests/{}/{verb}", id.get_value());
            let result: Result<StaffRequest, Failure> = session.call("POST", &path, Some(&body)).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    toasts.success(if approve {
                        Msg::RequestApprovedToast
                    } else {
                        Msg::RequestRejectedToast
                    });
                    on_decided();
                }
                Err(failure) => errors.set(FormErrors::from_failure(failure)),
            }
        });
    };
    let action = item.action;
    let role = item.role;
    let contract = item.contract_id.clone().map(|c| format!("{c} #{}", item.milestone.unwrap_or_default()));
    let target = contract.or(item.org_id.clone()).or(item.target_user_id.clone()).unwrap_or_default();
    let status = item.status;
    view! {
        <li class="row staff-request" data-request=item.id.clone() data-mine=mine.to_string()>
            <div class="row-main request-main">
                <strong>{move || i18n.t(action_name(action))}</strong>
                {role.map(|r| view! { <span class="badge">{move || i18n.t(staff_role_name(r))}</span> })}
                <span class="badge">{move || i18n.t(status_name(status))}</span>
                <code class="request-target">{target}</code>
                <p class="request-reason">{item.reason.clone()}</p>
                <p class="hint">
                    {item.requested_at.format("%Y-%m-%d %H:%M").to_string()}" · "
                    {move || if mine { i18n.t(Msg::RequestedByYou).to_owned() } else { format!("{} {}", i18n.t(Msg::RequestedBy), item.requested_by) }}
                </p>
                {item.decision_reason.clone().map(|r| view! { <p class="hint">{move || i18n.t(Msg::DecisionReason)}": "{r.clone()}</p> })}
            </div>
            {pending.then(|| view! {
                <form class="decision" on:submit=move |ev: SubmitEvent| ev.prevent_default() novalidate>
                    {mine.then(|| view! { <p class="notice" role="note" data-note="own-request">{move || i18n.t(Msg::CannotApproveOwn)}</p> })}
                    <ReasonField id=format!("request-reason-{}", id.get_value()) label=Msg::DecisionReason value=reason errors=errors/>
                    <FormError errors=errors id=format!("request-decision-error-{}", id.get_value())/>
                    <div class="row-actions">
                        <button class="button primary small" type="button" data-action="approve"
                            disabled=move || busy.get() || mine title=move || mine.then(|| i18n.t(Msg::CannotApproveOwn))
                            on:click=move |_| decide(true)>{move || i18n.t(Msg::Approve)}</button>
                        <button class="button danger small" type="button" data-action="reject" disabled=move || busy.get()
                            on:click=move |_| decide(false)>
                            {move || if mine { i18n.t(Msg::Withdraw) } else { i18n.t(Msg::Reject) }}
                        </button>
                    </div>
                </form>
            })}
        </li>
    }
}

#[component]
fn NewRequest(on_created: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let action = RwSignal::new(DualControlAction::SuspendOrganisation);
    let org_id = RwSignal::new(String::new());
    let user_id = RwSignal::new(String::new());
    let role = RwSignal::new(StaffRole::Reviewer);
    let reason = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let directory = RwSignal::new(Vec::new());
    leptos::task::spawn_local(async move {
        let page: Result<OrganisationPage, Failure> =
            request("GET", "/orgs?limit=100", None::<&()>, None).await;
        if let Ok(page) = page {
            directory.set(page.items);
        }
    });
    let about_org = move || {
        matches!(action.get(), DualControlAction::SuspendOrganisation | DualControlAction::LiftSuspension)
    };
    let about_contract = move || action.get() == DualControlAction::ReleaseEscrow;
    let contract_id = RwSignal::new(String::new());
    let milestone = RwSignal::new(String::new());
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let for_org = about_org();
        let release = about_contract();
        let text = |s: RwSignal<String>| Some(s.get_untracked().trim().to_owned()).filter(|s| !s.is_empty());
        let body = CreateStaffRequest {
            action: action.get_untracked(),
            target_user_id: if for_org || release { None } else { text(user_id) },
            role: (!for_org && !release).then(|| role.get_untracked()),
            org_id: if for_org { text(org_id) } else { None },
            contract_id: if release { text(contract_id) } else { None },
            milestone: if release { milestone.get_untracked().trim().parse().ok() } else { None },
            grade: None,
            reason: reason.get_untracked().trim().to_owned(),
        };
        let local = body.check().err().map(|invalid| invalid.0).unwrap_or_default();
        if !local.is_empty() {
            errors.set(FormErrors::local(local));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result: Result<StaffRequest, Failure> =
                session.call("POST", "/staff/requests", Some(&body)).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    errors.set(FormErrors::default());
                    reason.set(String::new());
                    toasts.success(Msg::RequestCreated);
                    on_created();
                }
                Err(failure) => errors.set(FormErrors::from_failure(failure)),
            }
        });
    };
    view! {
        <section class="card">
            <h2>{move || i18n.t(Msg::NewRequest)}</h2>
            <form id="request-form" on:submit=submit novalidate>
                <label for="request-action">{move || i18n.t(Msg::RequestAction)}</label>
                <select id="request-action" on:change=move |ev| {
                    if let Some(a) = DualControlAction::parse(&event_target_value(&ev)) {
                        action.set(a);
                        errors.set(FormErrors::default());
                    }
                }>
                    {ACTIONS.into_iter().map(|a| view! {
                        <option value=a.as_str() selected=move || action.get() == a>{move || i18n.t(action_name(a))}</option>
                    }).collect_view()}
                </select>
                <Show when=move || !about_contract() fallback=move || view! {
                    <TextField id="request-contract" label=Msg::RequestContractId value=contract_id errors=errors field="contract_id"/>
                    <TextField id="request-milestone" label=Msg::RequestMilestone value=milestone errors=errors field="milestone"/>
                }>
                <Show when=about_org fallback=move || view! {
                    <TextField id="request-user" label=Msg::TargetUserId value=user_id errors=errors field="target_user_id"/>
                    <label for="request-role">{move || i18n.t(Msg::StaffRoleLabel)}</label>
                    <select id="request-role" on:change=move |ev| role.set(StaffRole::parse(&event_target_value(&ev)).unwrap_or(StaffRole::Reviewer))>
                        {StaffRole::ALL.iter().copied().map(|r| view! {
                            <option value=r.as_str() selected=move || role.get() == r>{move || i18n.t(staff_role_name(r))}</option>
                        }).collect_view()}
                    </select>
                }>
                    <label for="request-org-pick">{move || i18n.t(Msg::PickFromDirectory)}</label>
                    <select id="request-org-pick" on:change=move |ev| org_id.set(event_target_value(&ev))>
                        <option value="">{move || i18n.t(Msg::ChooseOne)}</option>
                        {move || directory.get().into_iter().map(|o| {
                            let selected = org_id.with_untracked(|id| *id == o.id);
                            view! { <option value=o.id.clone() selected=selected>{format!("{} ({})", o.name, o.uscc)}</option> }
                        }).collect_view()}
                    </select>
                    <TextField id="request-org" label=Msg::OrgIdLabel value=org_id errors=errors field="org_id"/>
                </Show>
                </Show>
                <ReasonField id="request-reason" label=Msg::RequestReason value=reason errors=errors/>
                <FieldError text=field_error(errors, "action") id="request-action-error"/>
                <FormError errors=errors id="request-form-error"/>
                <SubmitButton id="request-submit" label=Msg::SendRequest busy=busy/>
            </form>
        </section>
    }
}
