//! The group list (`/groups`): every group with its join policy and member count, or only the
//! caller's; links to found a group and to one's points.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::dto::{Group, GroupPage, MemberStatus};

use super::{badge, policy_name, role_name, rows_of, tc};
use crate::i18n::CommunityMsg;
use crate::paging::{ListFooter, PAGE_SIZE, Paged};
use crate::query::with_query;
use crate::session::use_session;

/// The group list page.
#[component]
pub fn GroupsPage() -> impl IntoView {
    let session = use_session();
    let mine = RwSignal::new(false);
    let list = Paged::<Group>::new();
    let load = move |first: bool| {
        let mine = mine.get_untracked().then(|| "true".to_owned());
        let path = with_query(
            "/groups",
            &[("mine", mine), ("limit", Some(PAGE_SIZE.to_owned())), ("cursor", list.cursor_for(first))],
        );
        list.load(first, async move {
            let page: GroupPage = session.call("GET", &path, None::<&()>).await?;
            Ok((page.items, page.next_cursor))
        });
    };
    Effect::new(move |_| {
        if session.ready.get() {
            let _ = mine.get();
            load(true);
        }
    });
    let signed_in = move || session.user.with(Option::is_some);
    let tab = move |this: bool, label: CommunityMsg, id: &'static str| {
        view! {
            <button type="button" class="tab" id=id aria-current=move || (mine.get() == this).then_some("page")
                on:click=move |_| mine.set(this)>{tc(label)}</button>
        }
    };
    view! {
        <section class="card">
            <div class="title-row">
                <h1 id="groups-title">{tc(CommunityMsg::Groups)}</h1>
                <Show when=signed_in>
                    <div class="row-actions">
                        <A href="/me/points" attr:class="button" attr:id="my-points-link">{tc(CommunityMsg::MyPoints)}</A>
                        <A href="/groups/new" attr:class="button primary" attr:id="group-new">{tc(CommunityMsg::FoundGroup)}</A>
                    </div>
                </Show>
            </div>
            <p class="hint">{tc(CommunityMsg::GroupsIntro)}</p>
            <Show when=signed_in>
                <nav class="tabs">
                    {tab(false, CommunityMsg::AllGroups, "groups-all")}
                    {tab(true, CommunityMsg::MyGroups, "groups-mine")}
                </nav>
            </Show>
            <ul class="rows" id="groups">
                {rows_of(list.items, |g| view! { <GroupRow group=g/> }.into_any())}
            </ul>
            <ListFooter state=list.state id="groups" empty=crate::i18n::Msg::CommunityMsg(CommunityMsg::GroupsEmpty) on_more=Callback::new(move |()| load(false))/>
        </section>
    }
}

#[component]
fn GroupRow(group: Group) -> impl IntoView {
    let g = group;
    let member = g.my_status == MemberStatus::Active;
    view! {
        <li class="row item" data-group=g.id.clone()>
            <div class="item-main">
                <A href=format!("/groups/{}", g.id) attr:class="item-title">{g.name.clone()}</A>
                <p class="badges">
                    {badge(policy_name(g.join_policy), "")}
                    {member.then(|| g.my_role.map(|r| badge(role_name(r), "badge-ok")))}
                    {(g.my_status == MemberStatus::Pending).then(|| badge(CommunityMsg::ApplicationPending, "badge-warn"))}
                </p>
                <p class="hint">{g.description.chars().take(80).collect::<String>()}</p>
            </div>
            <span class="amount member-count">{g.member_count}" "{tc(CommunityMsg::MembersUnit)}</span>
        </li>
    }
}
