//! A group's page (`/groups/{id}`): its description and rules, the caller's standing with the
//! join or apply form, the anonymous feedback form for members, links to the weekly digest, and
//! the sections: posts (with the new-post form), shared resources, events, polls, surveys, the
//! leaderboard and the moderation log. `/groups/{id}/moderation` opens on the log.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use shared::dto::{Group, JoinPolicy, MemberStatus};

use super::events::EventsSection;
use super::feedback::FeedbackForm;
use super::join::JoinPanel;
use super::leaderboard::LeaderboardSection;
use super::log::SanctionLog;
use super::polls::PollsSection;
use super::posts::PostsSection;
use super::resources::ResourcesSection;
use super::surveys::SurveysSection;
use super::{Loaded, badge, failure_line, is_admin, load_into, loading, policy_name, role_name, tc};
use crate::datetime;
use crate::i18n::{CommunityMsg, EngagementMsg, Msg, tr};
use crate::session::use_session;

/// A section of the group page.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tab {
    /// Posts and Q&A.
    Posts,
    /// Events.
    Events,
    /// Polls.
    Polls,
    /// Shared resources.
    Resources,
    /// Surveys.
    Surveys,
    /// The points leaderboard.
    Leaderboard,
    /// The moderation log.
    Log,
}

impl Tab {
    const ALL: [Tab; 7] =
        [Tab::Posts, Tab::Resources, Tab::Events, Tab::Polls, Tab::Surveys, Tab::Leaderboard, Tab::Log];

    fn id(self) -> &'static str {
        match self {
            Tab::Posts => "tab-posts",
            Tab::Events => "tab-events",
            Tab::Polls => "tab-polls",
            Tab::Resources => "tab-resources",
            Tab::Surveys => "tab-surveys",
            Tab::Leaderboard => "tab-leaderboard",
            Tab::Log => "tab-log",
        }
    }

    fn label(self) -> Msg {
        Msg::CommunityMsg(match self {
            Tab::Posts => CommunityMsg::Posts,
            Tab::Events => CommunityMsg::Events,
            Tab::Polls => CommunityMsg::Polls,
            Tab::Resources => return Msg::EngagementMsg(EngagementMsg::Resources),
            Tab::Surveys => return Msg::EngagementMsg(EngagementMsg::Surveys),
            Tab::Leaderboard => CommunityMsg::Leaderboard,
            Tab::Log => CommunityMsg::ModerationLog,
        })
    }
}

/// The group page (`/groups/{id}`), opening on the posts.
#[component]
pub fn GroupPage() -> impl IntoView {
    view! { <GroupPageAt tab=Tab::Posts/> }
}

/// The group page opened on its moderation log (`/groups/{id}/moderation`).
#[component]
pub fn GroupModerationPage() -> impl IntoView {
    view! { <GroupPageAt tab=Tab::Log/> }
}

/// The group page, opening on `tab`.
#[component]
fn GroupPageAt(tab: Tab) -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let group: Loaded<Group> = RwSignal::new(None);
    let reload =
        Callback::new(move |()| load_into(session, group, format!("/groups/{}", id.get_untracked())));
    Effect::new(move |_| {
        if session.ready.get() {
            let _ = (id.get(), session.user.with(|u| u.as_ref().map(|u| u.id.clone())));
            reload.run(());
        }
    });
    let current = RwSignal::new(tab);
    move || match group.get() {
        None => loading().into_any(),
        Some(Err(failure)) => view! {
            <section class="card narrow">
                <h1 id="group-missing">{tc(CommunityMsg::GroupNotFound)}</h1>
                {failure_line(failure)}
            </section>
        }
        .into_any(),
        Some(Ok(g)) => view! { <GroupView group=g current=current reload=reload/> }.into_any(),
    }
}

#[component]
fn GroupView(group: Group, current: RwSignal<Tab>, reload: Callback<()>) -> impl IntoView {
    let g = group;
    let gid = g.id.clone();
    let member = g.my_status == MemberStatus::Active;
    let role = if member { g.my_role } else { None };
    let admin = is_admin(role);
    // Open groups are readable by anyone; the others by their members only.
    let readable = member || g.join_policy == JoinPolicy::Open;
    let tabs = Tab::ALL.iter().copied().map(|t| {
        view! {
            <button type="button" class="tab" id=t.id() aria-current=move || (current.get() == t).then_some("page")
                on:click=move |_| current.set(t)>{tr(t.label())}</button>
        }
    });
    let section = {
        let gid = gid.clone();
        move || {
            let gid = gid.clone();
            match current.get() {
                Tab::Posts => view! { <PostsSection group_id=gid role=role/> }.into_any(),
                Tab::Events => view! { <EventsSection group_id=gid role=role/> }.into_any(),
                Tab::Polls => view! { <PollsSection group_id=gid role=role/> }.into_any(),
                Tab::Resources => view! { <ResourcesSection group_id=gid role=role/> }.into_any(),
                Tab::Surveys => view! { <SurveysSection group_id=gid role=role/> }.into_any(),
                Tab::Leaderboard => view! { <LeaderboardSection group_id=gid/> }.into_any(),
                Tab::Log => view! { <SanctionLog group_id=gid/> }.into_any(),
            }
        }
    };
    view! {
        <div class="stack">
            <section class="card">
                <div class="title-row">
                    <h1 id="group-title">{g.name.clone()}</h1>
                    <span class="row-actions">
                        {readable.then(|| view! {
                            <A href=format!("/groups/{gid}/digest") attr:class="button" attr:id="group-digest-link">{tr(Msg::EngagementMsg(EngagementMsg::Digest))}</A>
                        })}
                        {admin.then(|| view! {
                            <A href=format!("/groups/{gid}/admin") attr:class="button" attr:id="group-admin-link">{tc(CommunityMsg::GroupAdmin)}</A>
                        })}
                    </span>
                </div>
                <p class="badges">
                    {badge(policy_name(g.join_policy), "")}
                    <span class="badge" id="group-member-count">{g.member_count}" "{tc(CommunityMsg::MembersUnit)}</span>
                    {role.map(|r| view! { <span class="badge badge-ok" id="group-my-role">{tc(role_name(r))}</span> })}
                </p>
                <p class="prose" id="group-description">{g.description.clone()}</p>
                <details class="filters" open=!member>
                    <summary>{tc(CommunityMsg::Rules)}</summary>
                    <p class="prose" id="group-rules">{g.rules.clone()}</p>
                </details>
                <p class="hint">{tc(CommunityMsg::Owner)}" "{g.owner_name.clone()}" · "{datetime::day(g.created_at)}</p>
                {g.muted_until.map(|until| view! {
                    <p class="notice notice-bad" id="group-muted">{tc(CommunityMsg::MutedUntil)}" "{datetime::minute(until)}</p>
                })}
                <JoinPanel group=g.clone() reload=reload/>
                {member.then(|| view! { <FeedbackForm group_id=gid.clone()/> })}
            </section>
            {if readable {
                view! {
                    <section class="card">
                        <nav class="tabs" aria-label=tc(CommunityMsg::GroupSections)>{tabs.collect_view()}</nav>
                        {section}
                    </section>
                }.into_any()
            } else {
                view! { <section class="card"><p class="empty" id="group-private">{tc(CommunityMsg::MembersOnly)}</p></section> }.into_any()
            }}
        </div>
    }
}
