//! The professional community (社群): the group list and the form to found a group, a group's
//! page (joining, posts and Q&A, events, polls, leaderboard, moderation log), a post with its
//! replies, the admins' page (applications, held posts, reports, members and the ladder), an
//! event's page with its sign-up list, a shared resource's page, the caller's points and the
//! rewards catalogue.

mod admin;
mod admin_members;
mod analytics;
mod appeals;
mod chart;
mod compose;
mod digest;
mod event;
mod event_form;
mod event_manage;
mod events;
mod feedback;
mod group;
mod held;
mod invite;
mod join;
mod leaderboard;
mod list;
mod local_time;
mod log;
mod new_group;
mod points;
mod polls;
mod post;
mod posts;
mod report;
mod resource;
mod resource_log;
mod resource_share;
mod resources;
mod rewards;
mod shares;
mod survey_form;
mod surveys;

pub use admin::GroupAdminPage;
pub use analytics::GroupAnalyticsPage;
pub use digest::DigestPage;
pub use event::EventPage;
pub use group::{GroupModerationPage, GroupPage};
pub use list::GroupsPage;
pub use new_group::NewGroupPage;
pub use points::MyPointsPage;
pub use post::PostPage;
pub use resource::SharedResourcePage;
pub use rewards::RewardsPage;

use leptos::prelude::*;
use serde::de::DeserializeOwned;
use shared::domain::community::groups::GroupAction;
use shared::dto::{GroupRole, JoinPolicy, PostKind};
use shared::validate::Check;

use crate::forms::{FormErrors, failure_text};
use crate::http::Failure;
use crate::i18n::{CommunityMsg, EngagementMsg, Msg, tr, use_i18n};
use crate::session::Session;
use crate::toast::Toasts;

/// Something loaded from the API: `None` while on its way.
type Loaded<T> = RwSignal<Option<Result<T, Failure>>>;

/// Loads `path` into `target` (signed in or not).
fn load_into<T: DeserializeOwned + Send + Sync + 'static>(session: Session, target: Loaded<T>, path: String) {
    leptos::task::spawn_local(async move {
        let result = session.call::<(), T>("GET", &path, None).await;
        target.set(Some(result));
    });
}

/// The reactive text of a community message.
fn tc(msg: CommunityMsg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    tr(Msg::CommunityMsg(msg))
}

/// The reactive text of a community message about resources, rewards or insights.
fn tx(msg: EngagementMsg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    tr(Msg::EngagementMsg(msg))
}

/// Renders the items of a list with `row`, all again when they change. Community lists are
/// short pages, and one rendering path for all of them keeps the wasm smaller than a keyed
/// `<For>` per item type.
fn rows_of<T: Clone + Send + Sync + 'static>(
    items: RwSignal<Vec<T>>,
    row: fn(T) -> AnyView,
) -> impl IntoView {
    move || items.get().into_iter().map(row).collect_view()
}

/// "Loading…".
fn loading() -> impl IntoView {
    view! { <p class="loading">{tr(Msg::Loading)}</p> }
}

/// A failed load's error line.
fn failure_line(failure: Failure) -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &failure)}</p> }
}

/// The problems of a failed community request: an issue with the group itself (`group_id`:
/// muted, not a member, role) is about the whole form.
fn form_errors(failure: Failure) -> FormErrors {
    let mut errors = FormErrors::from_failure(failure);
    if let Some(at) = errors.fields.iter().position(|f| f.field == "group_id") {
        errors.form = Some(errors.fields.remove(at).issue);
    }
    errors
}

/// A form's request run through the API's own check: its valid values, or `None` with the
/// problems shown next to the form's fields (the same field codes the API would answer with).
fn form_checked<R: Check>(errors: RwSignal<FormErrors>, request: &R) -> Option<R::Valid> {
    match request.check() {
        Ok(valid) => Some(valid),
        Err(invalid) => {
            errors.set(FormErrors::local(invalid.0));
            None
        }
    }
}

/// A request of an inline form (a reason, a statement) run through the API's own check: its
/// valid values, or `None` once a toast has said why not — "give a reason" when it is missing or
/// too short, else the first problem.
fn checked<R: Check>(toasts: Toasts, request: &R) -> Option<R::Valid> {
    match request.check() {
        Ok(valid) => Some(valid),
        Err(invalid)
            if invalid.0.first().is_some_and(|i| i.issue == "required" || i.issue == "too_short") =>
        {
            toasts.problem(Msg::CommunityMsg(CommunityMsg::ReasonRequired));
            None
        }
        Err(invalid) => {
            toasts.invalid(invalid);
            None
        }
    }
}

/// Whether `role` may moderate (admins and the owner).
fn is_admin(role: Option<GroupRole>) -> bool {
    role.is_some_and(|r| r.may(GroupAction::Moderate))
}

/// Whether `role` may create events and polls (topic hosts and up).
fn may_host(role: Option<GroupRole>) -> bool {
    role.is_some_and(|r| r.may(GroupAction::HostEvents))
}

/// A group role's name.
fn role_name(role: GroupRole) -> CommunityMsg {
    match role {
        GroupRole::Member => CommunityMsg::RoleMember,
        GroupRole::Expert => CommunityMsg::RoleExpert,
        GroupRole::TopicHost => CommunityMsg::RoleTopicHost,
        GroupRole::ResourceAdmin => CommunityMsg::RoleResourceAdmin,
        GroupRole::Admin => CommunityMsg::RoleAdmin,
        GroupRole::Owner => CommunityMsg::RoleOwner,
    }
}

/// A join policy's name.
fn policy_name(policy: JoinPolicy) -> CommunityMsg {
    match policy {
        JoinPolicy::Open => CommunityMsg::PolicyOpen,
        JoinPolicy::Approval => CommunityMsg::PolicyApproval,
        JoinPolicy::InviteOnly => CommunityMsg::PolicyInviteOnly,
    }
}

/// A post kind's name.
fn kind_name(kind: PostKind) -> CommunityMsg {
    match kind {
        PostKind::Discussion => CommunityMsg::KindDiscussion,
        PostKind::Question => CommunityMsg::KindQuestion,
        PostKind::Announcement => CommunityMsg::KindAnnouncement,
    }
}

/// A badge with a community message.
fn badge(msg: CommunityMsg, class: &'static str) -> impl IntoView {
    view! { <span class=format!("badge {class}")>{tc(msg)}</span> }
}

/// The "held for review (banned word: …)" notice for an author.
fn held_notice(id: String, words: Vec<String>) -> impl IntoView {
    let words = words.join("、");
    view! {
        <p class="notice notice-bad" id=id role="status">
            {tc(CommunityMsg::HeldForReview)}" "<strong class="held-words">{words}</strong>
        </p>
    }
}
