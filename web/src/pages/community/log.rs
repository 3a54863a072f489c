//! A group's moderation log (warnings, mutes, removals, newest first) as its members see it,
//! with overturned sanctions and appeals marked; the sanctioned member may appeal their own.

use leptos::prelude::*;
use shared::dto::{AppealStatus, Sanction, SanctionEntry, SanctionPage};

use super::appeals::AppealButton;
use super::{badge, rows_of, tc};
use crate::datetime;
use crate::i18n::{CommunityMsg, Msg};
use crate::paging::{ListFooter, PAGE_SIZE, Paged};
use crate::query::with_query;
use crate::session::use_session;

/// A sanction's name.
fn sanction_name(kind: Sanction) -> CommunityMsg {
    match kind {
        Sanction::Warning => CommunityMsg::SanctionWarning,
        Sanction::Mute => CommunityMsg::SanctionMute,
        Sanction::Removal => CommunityMsg::SanctionRemoval,
    }
}

/// The moderation log section.
#[component]
pub fn SanctionLog(group_id: String) -> impl IntoView {
    let session = use_session();
    let gid = StoredValue::new(group_id);
    let list = Paged::<SanctionEntry>::new();
    let load = move |first: bool| {
        let path = with_query(
            &format!("/groups/{}/sanctions", gid.get_value()),
            &[("limit", Some(PAGE_SIZE.to_owned())), ("cursor", list.cursor_for(first))],
        );
        list.load(first, async move {
            let page: SanctionPage = session.call("GET", &path, None::<&()>).await?;
            Ok((page.items, page.next_cursor))
        });
    };
    load(true);
    view! {
        <ul class="rows" id="sanctions">
            {rows_of(list.items, entry)}
        </ul>
        <ListFooter state=list.state id="sanctions" empty=Msg::CommunityMsg(CommunityMsg::LogEmpty) on_more=Callback::new(move |()| load(false))/>
    }
}

fn entry(s: SanctionEntry) -> AnyView {
    let mine = use_session().user.with_untracked(|u| u.as_ref().is_some_and(|u| u.id == s.user_id));
    let appealable = mine && s.overturned_at.is_none() && s.appeal.is_none();
    view! {
        <li class="row item" data-sanction=s.id.clone() class:muted=s.overturned_at.is_some()>
            <div class="item-main">
                <p class="badges">
                    {badge(sanction_name(s.kind), "badge-bad")}
                    <strong>{s.nickname.clone()}</strong>
                    {s.overturned_at.is_some().then(|| badge(CommunityMsg::Overturned, "badge-ok"))}
                    {(s.appeal == Some(AppealStatus::Pending)).then(|| badge(CommunityMsg::AppealPending, "badge-warn"))}
                </p>
                <p>{s.reason.clone()}</p>
                <p class="hint">
                    {s.applied_by.clone()}" · "{datetime::minute(s.created_at)}
                    {s.until.map(|u| view! { " · "{tc(CommunityMsg::Until)}" "{datetime::minute(u)} })}
                </p>
                {appealable.then(|| view! { <AppealButton sanction_id=s.id.clone()/> })}
            </div>
        </li>
    }
    .into_any()
}
