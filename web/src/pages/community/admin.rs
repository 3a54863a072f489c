//! A group's admin page (`/groups/{id}/admin`, also reached as `…/held` and `…/applications`
//! from notifications): pending applications with their answers (approve, or reject with a
//! reason), posts and replies held for a banned word (publish or refuse), open reports (dismiss,
//! or apply the next step of the ladder), pending appeals, invitations, and the members with
//! their roles; a link to the group's analytics.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use shared::dto::{
    DecideApplicationRequest, Group, GroupApplication, GroupApplicationPage, MemberStatus, Report, ReportPage,
};

use super::admin_members::{LadderForm, MembersSection};
use super::appeals::AppealsSection;
use super::held::HeldQueue;
use super::invite::InviteForm;
use super::{Loaded, checked, failure_line, is_admin, load_into, loading, tc};
use crate::datetime;
use crate::i18n::{CommunityMsg, Msg, use_i18n};
use crate::session::{require_sign_in, use_session};
use crate::toast::use_toasts;

/// The admin page.
#[component]
pub fn GroupAdminPage() -> impl IntoView {
    require_sign_in();
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let group: Loaded<Group> = RwSignal::new(None);
    Effect::new(move |_| {
        if session.ready.get() && session.user.with(Option::is_some) {
            load_into(session, group, format!("/groups/{}", id.get()));
        }
    });
    move || {
        match group.get() {
        None => loading().into_any(),
        Some(Err(failure)) => view! { <section class="card narrow">{failure_line(failure)}</section> }.into_any(),
        Some(Ok(g)) if !(g.my_status == MemberStatus::Active && is_admin(g.my_role)) => view! {
            <section class="card narrow">
                <p class="notice notice-bad" id="admin-forbidden">{tc(CommunityMsg::AdminsOnly)}</p>
                <A href=format!("/groups/{}", g.id)>{g.name.clone()}</A>
            </section>
        }
        .into_any(),
        Some(Ok(g)) => view! {
            <div class="stack">
                <section class="card">
                    <p class="eyebrow"><A href=format!("/groups/{}", g.id) attr:id="admin-group-link">{g.name.clone()}</A></p>
                    <div class="title-row">
                        <h1 id="admin-title">{tc(CommunityMsg::GroupAdmin)}</h1>
                        <A href=format!("/groups/{}/analytics", g.id) attr:class="button" attr:id="admin-analytics-link">{super::tx(crate::i18n::EngagementMsg::Analytics)}</A>
                    </div>
                </section>
                <Applications group_id=g.id.clone()/>
                <HeldQueue group_id=g.id.clone()/>
                <Reports group_id=g.id.clone()/>
                <AppealsSection group_id=g.id.clone()/>
                <InviteForm group_id=g.id.clone()/>
                <MembersSection group_id=g.id.clone() owner=g.my_role == Some(shared::dto::GroupRole::Owner)/>
            </div>
        }
        .into_any(),
    }
    }
}

#[component]
fn Applications(group_id: String) -> impl IntoView {
    let session = use_session();
    let gid = StoredValue::new(group_id);
    let items: Loaded<GroupApplicationPage> = RwSignal::new(None);
    let reload =
        move || load_into(session, items, format!("/groups/{}/applications?limit=100", gid.get_value()));
    reload();
    let decided = Callback::new(move |()| reload());
    view! {
        <section class="card" aria-labelledby="applications-title">
            <h2 id="applications-title">{tc(CommunityMsg::Applications)}</h2>
            {move || match items.get() {
                None => loading().into_any(),
                Some(Err(failure)) => failure_line(failure).into_any(),
                Some(Ok(page)) if page.items.is_empty() => view! { <p class="empty" id="applications-empty">{tc(CommunityMsg::ApplicationsEmpty)}</p> }.into_any(),
                Some(Ok(page)) => view! {
                    <ul class="rows" id="applications">
                        {page.items.into_iter().map(|a| view! { <ApplicationRow application=a on_decided=decided/> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn ApplicationRow(application: GroupApplication, on_decided: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let a = application;
    let path = StoredValue::new(format!("/groups/{}/applications/{}/decision", a.group_id, a.id));
    let reason = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let decide = move |approve: bool| {
        let request = DecideApplicationRequest { approve, reason: Some(reason.get_untracked()) };
        let Some(reason) = checked(toasts, &request) else { return };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let body = DecideApplicationRequest { approve, reason };
            let result = session.call::<_, GroupApplication>("POST", &path.get_value(), Some(&body)).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    toasts.success(Msg::CommunityMsg(if approve {
                        CommunityMsg::ApplicationApproved
                    } else {
                        CommunityMsg::ApplicationRejected
                    }));
                    on_decided.run(());
                }
                Err(failure) => toasts.failure(failure),
            }
        });
    };
    let reason_id = format!("reject-reason-{}", a.id);
    view! {
        <li class="review" data-application=a.id.clone()>
            <p><strong>{a.nickname.clone()}</strong>" ("{a.user_name.clone()}") · "{datetime::minute(a.created_at)}</p>
            <dl class="facts answers">
                {a.answers.into_iter().map(|qa| view! {
                    <dt>{qa.question}</dt>
                    <dd>{if qa.answer.is_empty() { "—".to_owned() } else { qa.answer }}</dd>
                }).collect_view()}
            </dl>
            <label for=reason_id.clone()>{tc(CommunityMsg::RejectReason)}</label>
            <input id=reason_id data-field="reason" prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))/>
            <div class="row-actions">
                <button class="button small primary" type="button" data-action="approve" disabled=move || busy.get()
                    on:click=move |_| decide(true)>{move || i18n.t(Msg::CommunityMsg(CommunityMsg::Approve))}</button>
                <button class="button small danger" type="button" data-action="reject" disabled=move || busy.get()
                    on:click=move |_| decide(false)>{move || i18n.t(Msg::CommunityMsg(CommunityMsg::Reject))}</button>
            </div>
        </li>
    }
}

#[component]
fn Reports(group_id: String) -> impl IntoView {
    let session = use_session();
    let toasts = use_toasts();
    let gid = StoredValue::new(group_id);
    let reports: Loaded<ReportPage> = RwSignal::new(None);
    let reload =
        move || load_into(session, reports, format!("/groups/{}/reports?limit=100", gid.get_value()));
    reload();
    let dismiss = move |report: String| {
        leptos::task::spawn_local(async move {
            let path = format!("/groups/{}/reports/{report}/dismissal", gid.get_value());
            match session.call::<(), Report>("POST", &path, None).await {
                Ok(_) => {
                    toasts.success(Msg::CommunityMsg(CommunityMsg::ReportDismissed));
                    reload();
                }
                Err(failure) => toasts.failure(failure),
            }
        });
    };
    let done = Callback::new(move |()| reload());
    view! {
        <section class="card" aria-labelledby="reports-title">
            <h2 id="reports-title">{tc(CommunityMsg::Reports)}</h2>
            {move || match reports.get() {
                None => loading().into_any(),
                Some(Err(failure)) => failure_line(failure).into_any(),
                Some(Ok(page)) if page.items.is_empty() => view! { <p class="empty" id="reports-empty">{tc(CommunityMsg::ReportsEmpty)}</p> }.into_any(),
                Some(Ok(page)) => view! {
                    <ul class="rows" id="reports">
                        {page.items.into_iter().map(|r| {
                            let rid = r.id.clone();
                            view! {
                                <li class="review" data-report=r.id.clone()>
                                    <p><strong>{r.target_nickname.clone()}</strong>" · "{datetime::minute(r.created_at)}</p>
                                    <p>{r.reason.clone()}</p>
                                    <LadderForm group_id=gid.get_value() user_id=r.target_user_id.clone() report_id=Some(r.id.clone()) on_done=done/>
                                    <button class="button small" type="button" data-action="dismiss" on:click=move |_| dismiss(rid.clone())>{tc(CommunityMsg::Dismiss)}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}
