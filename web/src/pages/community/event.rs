//! An event's page (`/groups/{id}/events/{event_id}`): details, how full it is, sign up or
//! cancel, the sign-up list (接龙) with its waitlist, and for its host or the admins: cancel it
//! before it starts, write the summary after it ended. It reloads when a notification about the
//! event arrives (a place opened and the caller moved up).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use shared::dto::{
    Event, EventKind, EventSignup, EventSignupList, EventStatus, Group, MemberStatus, SignupStatus,
};

use super::event_manage::{CancelEventForm, SummaryForm};
use super::events::CapacityBar;
use super::{Loaded, badge, failure_line, is_admin, load_into, loading, local_time, tc};
use crate::datetime;
use crate::i18n::{CommunityMsg, Msg, use_i18n};
use crate::notices::news;
use crate::session::use_session;
use crate::toast::use_toasts;

/// The empty body of a sign-up.
#[derive(serde::Serialize)]
struct NoFields {}

/// The event page.
#[component]
pub fn EventPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let ids = Memo::new(move |_| {
        params.with(|p| (p.get("id").unwrap_or_default(), p.get("event_id").unwrap_or_default()))
    });
    let group: Loaded<Group> = RwSignal::new(None);
    let event: Loaded<Event> = RwSignal::new(None);
    let signups: Loaded<EventSignupList> = RwSignal::new(None);
    let about_us = news(move |n| n.link.contains(&ids.get_untracked().1));
    let reload = Callback::new(move |()| {
        let (_, eid) = ids.get_untracked();
        load_into(session, event, format!("/events/{eid}"));
        load_into(session, signups, format!("/events/{eid}/signups"));
    });
    Effect::new(move |_| {
        if session.ready.get() {
            let _ = about_us.get();
            let (gid, _) = ids.get();
            load_into(session, group, format!("/groups/{gid}"));
            reload.run(());
        }
    });
    move || match (group.get(), event.get()) {
        (Some(Err(failure)), _) | (_, Some(Err(failure))) => view! {
            <section class="card narrow">
                <h1 id="event-missing">{tc(CommunityMsg::EventNotFound)}</h1>
                {failure_line(failure)}
            </section>
        }
        .into_any(),
        (Some(Ok(g)), Some(Ok(e))) => {
            view! { <EventView group=g event=e signups=signups holder=event reload=reload/> }.into_any()
        }
        _ => loading().into_any(),
    }
}

#[component]
fn EventView(
    group: Group,
    event: Event,
    signups: Loaded<EventSignupList>,
    holder: Loaded<Event>,
    reload: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let e = event;
    let eid = StoredValue::new(e.id.clone());
    let me = session.user.with_untracked(|u| u.as_ref().map(|u| u.id.clone())).unwrap_or_default();
    let member = group.my_status == MemberStatus::Active;
    let manager = member && (e.host_user_id == me || is_admin(group.my_role));
    let now = local_time::now();
    let scheduled = e.status == EventStatus::Scheduled;
    let ended = e.ends_at <= now;
    let open = scheduled && e.starts_at > now;
    let busy = RwSignal::new(false);
    let act = move |method: &'static str, done: CommunityMsg| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = if method == "POST" {
                let path = format!("/events/{}/signups", eid.get_value());
                session.call::<_, Event>("POST", &path, Some(&NoFields {})).await.map(Some)
            } else {
                let path = format!("/events/{}/signups/me", eid.get_value());
                session.call::<(), ()>("DELETE", &path, None).await.map(|()| None)
            };
            busy.set(false);
            match result {
                Ok(updated) => {
                    let waiting =
                        updated.as_ref().is_some_and(|e| e.my_signup == Some(SignupStatus::Waitlisted));
                    toasts.success(Msg::CommunityMsg(if waiting {
                        CommunityMsg::SignupWaitlisted
                    } else {
                        done
                    }));
                    if let Some(updated) = updated {
                        holder.set(Some(Ok(updated)));
                    }
                    reload.run(());
                }
                Err(failure) => toasts.failure(failure),
            }
        });
    };
    let my_status = match (e.my_signup, e.my_waitlist_position) {
        (Some(SignupStatus::Confirmed), _) => {
            Some((i18n.t(Msg::CommunityMsg(CommunityMsg::YouAreConfirmed)).to_owned(), "notice-ok"))
        }
        (Some(SignupStatus::Waitlisted), position) => Some((
            format!(
                "{} {}",
                i18n.t(Msg::CommunityMsg(CommunityMsg::YouAreWaitlisted)),
                position.map(|p| p.to_string()).unwrap_or_default()
            ),
            "notice-warn",
        )),
        _ => None,
    };
    let signed_up = matches!(e.my_signup, Some(SignupStatus::Confirmed | SignupStatus::Waitlisted));
    let kind =
        if e.kind == EventKind::Workshop { CommunityMsg::Workshop } else { CommunityMsg::SharingSession };
    view! {
        <div class="stack">
            <section class="card">
                <p class="eyebrow"><A href=format!("/groups/{}", group.id) attr:id="event-group-link">{group.name.clone()}</A></p>
                <h1 id="event-title">{e.title.clone()}</h1>
                <p class="badges">
                    {badge(kind, "")}
                    {(!scheduled).then(|| badge(CommunityMsg::EventCancelled, "badge-bad"))}
                    {(scheduled && ended).then(|| badge(CommunityMsg::EventEnded, "badge-muted"))}
                </p>
                <dl class="facts">
                    <dt>{tc(CommunityMsg::When)}</dt><dd id="event-when">{datetime::minute(e.starts_at)}" – "{datetime::minute(e.ends_at)}</dd>
                    <dt>{tc(CommunityMsg::Host)}</dt><dd id="event-host">{e.host_nickname.clone()}</dd>
                    {e.venue.clone().map(|v| view! { <dt>{tc(CommunityMsg::Venue)}</dt><dd>{v}</dd> })}
                    {e.online_link.clone().map(|l| view! { <dt>{tc(CommunityMsg::OnlineLink)}</dt><dd><a href=l.clone() rel="noopener noreferrer" target="_blank">{l.clone()}</a></dd> })}
                    <dt>{tc(CommunityMsg::Capacity)}</dt>
                    <dd><CapacityBar confirmed=e.confirmed_count capacity=e.capacity waitlist=e.waitlist_count id="event-capacity"/></dd>
                </dl>
                <p class="prose">{e.description.clone()}</p>
                {my_status.map(|(text, class)| view! { <p class=format!("notice {class}") id="event-my-signup">{text}</p> })}
                {(member && open).then(|| view! {
                    <div class="actions">
                        {if signed_up {
                            view! { <button class="button danger" type="button" id="event-cancel-signup" disabled=move || busy.get()
                                on:click=move |_| act("DELETE", CommunityMsg::SignupCancelled)>{tc(CommunityMsg::CancelSignup)}</button> }.into_any()
                        } else {
                            view! { <button class="button primary" type="button" id="event-signup" disabled=move || busy.get()
                                on:click=move |_| act("POST", CommunityMsg::SignupDone)>{tc(CommunityMsg::SignUp)}</button> }.into_any()
                        }}
                    </div>
                })}
                {e.summary.clone().map(|s| view! {
                    <h2>{tc(CommunityMsg::Summary)}</h2>
                    <p class="prose" id="event-summary">{s}</p>
                })}
            </section>
            <section class="card" aria-labelledby="signups-title">
                <h2 id="signups-title">{tc(CommunityMsg::SignupList)}</h2>
                {move || match signups.get() {
                    None => loading().into_any(),
                    Some(Err(failure)) => failure_line(failure).into_any(),
                    Some(Ok(list)) => view! {
                        {list.confirmed.is_empty().then(|| view! { <p class="empty" id="event-signups-empty">{tc(CommunityMsg::SignupsEmpty)}</p> })}
                        <ol class="plain signups" id="event-confirmed">
                            {list.confirmed.into_iter().map(signup_line).collect_view()}
                        </ol>
                        <h3>{tc(CommunityMsg::Waitlist)}</h3>
                        {if list.waitlisted.is_empty() {
                            view! { <p class="empty" id="event-waitlist-empty">{tc(CommunityMsg::WaitlistEmpty)}</p> }.into_any()
                        } else {
                            view! { <ol class="plain signups" id="event-waitlist">{list.waitlisted.into_iter().map(signup_line).collect_view()}</ol> }.into_any()
                        }}
                    }.into_any(),
                }}
            </section>
            {(manager && scheduled && !ended && open).then(|| view! { <CancelEventForm event_id=eid.get_value() holder=holder/> })}
            {(manager && scheduled && ended && e.summary.is_none()).then(|| view! { <SummaryForm event_id=eid.get_value() holder=holder/> })}
        </div>
    }
}

fn signup_line(s: EventSignup) -> impl IntoView {
    view! {
        <li data-user=s.user_id.clone()>
            <span class="signup-nickname">{s.nickname.clone()}</span>
            <span class="hint">" · "{datetime::minute(s.signed_up_at)}</span>
        </li>
    }
}
