//! The admin page's members: each with their role (admins give member, expert, topic-host and
//! resource-admin; only the owner gives admin) and the ladder — the next step (warning, 7-day
//! mute, removal) with a reason, from a member row or a report.

use leptos::prelude::*;
use shared::dto::{
    ChangeGroupRoleRequest, CreateSanctionRequest, GroupMember, GroupMemberPage, GroupRole, SanctionEntry,
};
use shared::validate::Check;

use super::{Loaded, checked, failure_line, load_into, loading, role_name, tc};
use crate::datetime;
use crate::i18n::{CommunityMsg, Msg};
use crate::session::use_session;
use crate::toast::use_toasts;

/// The roles an admin (or, with `owner`, the owner) may give.
fn assignable(owner: bool) -> Vec<GroupRole> {
    let mut roles =
        vec![GroupRole::Member, GroupRole::Expert, GroupRole::TopicHost, GroupRole::ResourceAdmin];
    if owner {
        roles.push(GroupRole::Admin);
    }
    roles
}

/// The members list.
#[component]
pub fn MembersSection(group_id: String, owner: bool) -> impl IntoView {
    let session = use_session();
    let gid = StoredValue::new(group_id);
    let members: Loaded<GroupMemberPage> = RwSignal::new(None);
    let reload =
        move || load_into(session, members, format!("/groups/{}/members?limit=100", gid.get_value()));
    reload();
    let done = Callback::new(move |()| reload());
    view! {
        <section class="card" aria-labelledby="members-title">
            <h2 id="members-title">{tc(CommunityMsg::Members)}</h2>
            {move || match members.get() {
                None => loading().into_any(),
                Some(Err(failure)) => failure_line(failure).into_any(),
                Some(Ok(page)) => view! {
                    <ul class="rows" id="members">
                        {page.items.into_iter().map(|m| view! { <MemberRow group_id=gid.get_value() member=m owner=owner on_done=done/> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn MemberRow(group_id: String, member: GroupMember, owner: bool, on_done: Callback<()>) -> impl IntoView {
    let session = use_session();
    let toasts = use_toasts();
    let m = member;
    let path = StoredValue::new(format!("/groups/{group_id}/members/{}", m.user_id));
    let gid = StoredValue::new(group_id);
    let current = m.role;
    let change = move |ev: leptos::ev::Event| {
        let Some(role) = GroupRole::parse(&event_target_value(&ev)) else { return };
        let body = ChangeGroupRoleRequest { role };
        if let Err(invalid) = body.check() {
            toasts.invalid(invalid);
            return;
        }
        leptos::task::spawn_local(async move {
            match session.call::<_, GroupMember>("PATCH", &path.get_value(), Some(&body)).await {
                Ok(_) => {
                    toasts.success(Msg::CommunityMsg(CommunityMsg::RoleChanged));
                    on_done.run(());
                }
                Err(failure) => {
                    toasts.failure(failure);
                    on_done.run(());
                }
            }
        });
    };
    let select_id = format!("role-{}", m.user_id);
    let fixed = current == GroupRole::Owner || (current == GroupRole::Admin && !owner);
    let sanction = RwSignal::new(false);
    let uid = m.user_id.clone();
    view! {
        <li class="review" data-member=m.user_id.clone()>
            <p class="badges">
                <strong class="member-nickname">{m.nickname.clone()}</strong>
                <span class="badge member-role">{tc(role_name(current))}</span>
                {m.muted_until.map(|u| view! { <span class="badge badge-bad">{tc(CommunityMsg::MutedUntil)}" "{datetime::minute(u)}</span> })}
            </p>
            {(!fixed).then(|| view! {
                <div class="row-actions">
                    <label for=select_id.clone() class="sr-only">{tc(CommunityMsg::Role)}</label>
                    <select id=select_id data-field="role" on:change=change>
                        {assignable(owner).into_iter().map(|r| view! {
                            <option value=r.as_str() selected=r == current>{tc(role_name(r))}</option>
                        }).collect_view()}
                    </select>
                    <button class="button small danger" type="button" data-action="ladder-open" on:click=move |_| sanction.update(|s| *s = !*s)>
                        {tc(CommunityMsg::NextSanction)}
                    </button>
                </div>
                <Show when=move || sanction.get()>
                    <LadderForm group_id=gid.get_value() user_id=uid.clone() report_id=None on_done=on_done/>
                </Show>
            })}
        </li>
    }
}

/// The next step of the ladder for `user_id`, with a reason (and the report it answers).
#[component]
pub fn LadderForm(
    group_id: String,
    user_id: String,
    report_id: Option<String>,
    on_done: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let toasts = use_toasts();
    let path = StoredValue::new(format!("/groups/{group_id}/sanctions"));
    let who = StoredValue::new((user_id, report_id));
    let reason = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let apply = move |_| {
        let (user_id, report_id) = who.get_value();
        let request = CreateSanctionRequest { user_id, reason: reason.get_untracked(), report_id };
        let Some(text) = checked(toasts, &request) else { return };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let body = CreateSanctionRequest { reason: text, ..request };
            let result = session.call::<_, SanctionEntry>("POST", &path.get_value(), Some(&body)).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    toasts.success(Msg::CommunityMsg(CommunityMsg::SanctionApplied));
                    on_done.run(());
                }
                Err(failure) => toasts.failure(failure),
            }
        });
    };
    let id = format!("ladder-reason-{}", who.with_value(|(u, r)| r.clone().unwrap_or_else(|| u.clone())));
    view! {
        <div class="inline-form ladder" data-form="ladder">
            <label for=id.clone()>{tc(CommunityMsg::SanctionReason)}</label>
            <input id=id data-field="ladder-reason" prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))/>
            <p class="hint">{tc(CommunityMsg::LadderHint)}</p>
            <button class="button small danger" type="button" data-action="sanction" disabled=move || busy.get() on:click=apply>
                {tc(CommunityMsg::ApplyNextStep)}
            </button>
        </div>
    }
}
