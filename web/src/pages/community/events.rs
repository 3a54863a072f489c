//! A group's events: upcoming (soonest first) or past (latest first), each with its time, place
//! and how full it is; topic hosts and admins get the form to create one.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::dto::{Event, EventPage, EventStatus, GroupRole};

use super::event_form::EventForm;
use super::shares::percent;
use super::{badge, may_host, rows_of, tc};
use crate::datetime;
use crate::i18n::{CommunityMsg, Msg};
use crate::paging::{ListFooter, PAGE_SIZE, Paged};
use crate::query::with_query;
use crate::session::use_session;

/// The events section of a group page.
#[component]
pub fn EventsSection(group_id: String, role: Option<GroupRole>) -> impl IntoView {
    let session = use_session();
    let gid = StoredValue::new(group_id);
    let past = RwSignal::new(false);
    let list = Paged::<Event>::new();
    let load = move |first: bool| {
        let scope = if past.get_untracked() { "past" } else { "upcoming" };
        let path = with_query(
            &format!("/groups/{}/events", gid.get_value()),
            &[
                ("scope", Some(scope.to_owned())),
                ("limit", Some(PAGE_SIZE.to_owned())),
                ("cursor", list.cursor_for(first)),
            ],
        );
        list.load(first, async move {
            let page: EventPage = session.call("GET", &path, None::<&()>).await?;
            Ok((page.items, page.next_cursor))
        });
    };
    Effect::new(move |_| {
        let _ = past.get();
        load(true);
    });
    let tab = move |this: bool, label: CommunityMsg, id: &'static str| {
        view! {
            <button type="button" class="tab" id=id aria-current=move || (past.get() == this).then_some("page")
                on:click=move |_| past.set(this)>{tc(label)}</button>
        }
    };
    let created = Callback::new(move |_: Event| {
        past.set(false);
        load(true);
    });
    view! {
        <nav class="tabs">
            {tab(false, CommunityMsg::Upcoming, "events-upcoming")}
            {tab(true, CommunityMsg::Past, "events-past")}
        </nav>
        <ul class="rows" id="events">
            {rows_of(list.items, |e| view! { <EventRow event=e/> }.into_any())}
        </ul>
        <ListFooter state=list.state id="events" empty=Msg::CommunityMsg(CommunityMsg::EventsEmpty) on_more=Callback::new(move |()| load(false))/>
        {may_host(role).then(|| view! { <EventForm group_id=gid.get_value() on_created=created/> })}
    }
}

/// An event in a list: title, state, time, host and how full it is.
#[component]
pub fn EventRow(event: Event) -> impl IntoView {
    let e = event;
    view! {
        <li class="row item" data-event=e.id.clone()>
            <div class="item-main">
                <A href=format!("/groups/{}/events/{}", e.group_id, e.id) attr:class="item-title">{e.title.clone()}</A>
                <p class="badges">
                    {(e.status == EventStatus::Cancelled).then(|| badge(CommunityMsg::EventCancelled, "badge-bad"))}
                    {e.my_signup.map(|_| badge(CommunityMsg::SignedUp, "badge-ok"))}
                </p>
                <p class="hint">{datetime::minute(e.starts_at)}" · "{e.host_nickname.clone()}</p>
            </div>
            <CapacityBar confirmed=e.confirmed_count capacity=e.capacity waitlist=e.waitlist_count id=format!("capacity-{}", e.id)/>
        </li>
    }
}

/// How full an event is: a bar of confirmed places out of capacity, and the waitlist.
#[component]
pub fn CapacityBar(confirmed: i64, capacity: i64, waitlist: i64, #[prop(into)] id: String) -> impl IntoView {
    let width = percent(confirmed, capacity);
    view! {
        <div class="capacity" id=id>
            <span class="bar" role="img" aria-label=format!("{confirmed}/{capacity}")><span style=format!("width: {width}%")></span></span>
            <span class="capacity-text">{format!("{confirmed}/{capacity}")}</span>
            {(waitlist > 0).then(|| view! { <span class="hint waitlist-count">{tc(CommunityMsg::Waitlist)}" "{waitlist}</span> })}
        </div>
    }
}
