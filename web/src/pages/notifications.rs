//! The notification centre (`/notifications`): newest first, unread ones marked; opening one
//! marks it read and follows its link; "mark all read"; new ones arrive live at the top.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use shared::dto::{Notification, NotificationPage};

use crate::datetime;
use crate::i18n::{Msg, notification_kind_name, tr};
use crate::notices::use_notices;
use crate::paging::{ListFooter, PAGE_SIZE, Paged};
use crate::query::with_query;
use crate::session::{require_sign_in, use_session};
use crate::toast::use_toasts;

/// The notifications page.
#[component]
pub fn NotificationsPage() -> impl IntoView {
    require_sign_in();
    let session = use_session();
    let notices = use_notices();
    let toasts = use_toasts();
    let navigate = StoredValue::new_local(use_navigate());
    let list = Paged::<Notification>::new();
    let load = move |first: bool| {
        let path = with_query(
            "/notifications",
            &[("limit", Some(PAGE_SIZE.to_owned())), ("cursor", list.cursor_for(first))],
        );
        list.load(first, async move {
            let page: NotificationPage = session.call("GET", &path, None::<&()>).await?;
            notices.unread.set(page.unread);
            Ok((page.items, page.next_cursor))
        });
    };
    Effect::new(move |loaded: Option<bool>| {
        let ready = session.token.with(Option::is_some);
        if ready && loaded != Some(true) {
            load(true);
        }
        ready || loaded == Some(true)
    });
    // Live arrivals go on top (the unread count is kept by `Notices`).
    Effect::new(move |_| {
        if let Some(n) = notices.latest.get()
            && list.state.loaded.get_untracked()
            && !list.items.with_untracked(|items| items.iter().any(|x| x.id == n.id))
        {
            list.edit(|items| items.insert(0, n));
        }
    });
    let open = move |n: Notification| {
        let link = n.link.clone();
        leptos::task::spawn_local(async move {
            if n.read_at.is_none() {
                let marked: Result<(), _> =
                    session.call("POST", &format!("/notifications/{}/read", n.id), None::<&()>).await;
                if marked.is_ok() {
                    notices.unread.update(|u| *u = (*u - 1).max(0));
                }
            }
            navigate.with_value(|go| go(&link, Default::default()));
        });
    };
    let read_all = move |_| {
        leptos::task::spawn_local(async move {
            match session.call::<(), ()>("POST", "/notifications/read-all", None).await {
                Ok(()) => {
                    notices.unread.set(0);
                    let now = chrono::DateTime::from_timestamp_millis(js_sys::Date::now() as i64);
                    list.edit(|items| {
                        items.iter_mut().filter(|n| n.read_at.is_none()).for_each(|n| n.read_at = now)
                    });
                    toasts.success(Msg::AllMarkedRead);
                }
                Err(failure) => toasts.failure(failure),
            }
        });
    };
    view! {
        <section class="card">
            <div class="title-row">
                <h1 id="notifications-title">{tr(Msg::Notifications)}</h1>
                <button class="button small" type="button" id="read-all" disabled=move || notices.unread.get() == 0 on:click=read_all>
                    {tr(Msg::MarkAllRead)}
                </button>
            </div>
            <ul class="rows" id="notifications">
                <For each=move || list.items.get() key=|n| (n.id.clone(), n.read_at.is_some()) let:n>
                    {
                        let unread = n.read_at.is_none();
                        let kind = n.kind;
                        let (at, id) = (n.created_at, n.id.clone());
                        let i18n = crate::i18n::use_i18n();
                        let text = n.clone();
                        let title = move || crate::i18n::notification_text(i18n.0.get(), &text).0;
                        let text = n.clone();
                        let body = move || crate::i18n::notification_text(i18n.0.get(), &text).1;
                        view! {
                            <li class="notification" class:unread=unread data-notification=id>
                                <button type="button" class="notification-open" on:click=move |_| open(n.clone())>
                                    <span class="badge">{tr(notification_kind_name(kind))}</span>
                                    {unread.then(|| view! { <span class="unread-dot" title=tr(Msg::Unread)><span class="sr-only">{tr(Msg::Unread)}</span></span> })}
                                    <strong class="notification-title">{title}</strong>
                                    <span class="notification-body">{body}</span>
                                    <span class="hint">{datetime::minute(at)}</span>
                                </button>
                            </li>
                        }
                    }
                </For>
            </ul>
            <ListFooter state=list.state id="notifications" empty=Msg::NoNotifications on_more=Callback::new(move |()| load(false))/>
        </section>
    }
}
