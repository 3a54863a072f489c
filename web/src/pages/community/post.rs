//! A post's page (`/groups/{id}/posts/{post_id}`): the post with its badges, its replies (expert
//! replies and the accepted answer marked), the reply form, "accept this answer" for the asker
//! of a question, and pin / feature / FAQ for the group's admins.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use shared::dto::{
    AcceptAnswerRequest, CuratePostRequest, Group, GroupRole, MemberStatus, Post, PostKind, PostStatus,
    Reply, ReplyPage, ReplyRequest, ReportTarget,
};

use super::report::ReportButton;
use super::{
    Loaded, badge, failure_line, form_checked, form_errors, held_notice, is_admin, kind_name, load_into,
    loading, tc,
};
use crate::datetime;
use crate::forms::{FormError, FormErrors, SubmitButton};
use crate::i18n::{CommunityMsg, Msg};
use crate::notices::news;
use crate::pages::library::TextArea;
use crate::session::use_session;
use crate::toast::use_toasts;

/// The post page.
#[component]
pub fn PostPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let ids = Memo::new(move |_| {
        params.with(|p| (p.get("id").unwrap_or_default(), p.get("post_id").unwrap_or_default()))
    });
    let group: Loaded<Group> = RwSignal::new(None);
    let post: Loaded<Post> = RwSignal::new(None);
    let about_us = news(move |n| n.link.contains(&ids.get_untracked().1));
    Effect::new(move |_| {
        if session.ready.get() {
            let _ = about_us.get();
            let (gid, pid) = ids.get();
            load_into(session, group, format!("/groups/{gid}"));
            load_into(session, post, format!("/posts/{pid}"));
        }
    });
    move || match (group.get(), post.get()) {
        (Some(Err(failure)), _) | (_, Some(Err(failure))) => view! {
            <section class="card narrow">
                <h1 id="post-missing">{tc(CommunityMsg::PostNotFound)}</h1>
                {failure_line(failure)}
            </section>
        }
        .into_any(),
        (Some(Ok(g)), Some(Ok(p))) => {
            let role = (g.my_status == MemberStatus::Active).then_some(g.my_role).flatten();
            view! { <PostView group=g post=p role=role holder=post/> }.into_any()
        }
        _ => loading().into_any(),
    }
}

#[component]
fn PostView(group: Group, post: Post, role: Option<GroupRole>, holder: Loaded<Post>) -> impl IntoView {
    let session = use_session();
    let toasts = use_toasts();
    let p = post;
    let me = session.user.with_untracked(|u| u.as_ref().map(|u| u.id.clone())).unwrap_or_default();
    let asker = p.author_id == me && p.kind == PostKind::Question;
    let me_for_replies = StoredValue::new(me.clone());
    let gid = StoredValue::new(group.id.clone());
    let pid = StoredValue::new(p.id.clone());
    let accepted = p.accepted_reply_id.clone();
    let open_question = asker && accepted.is_none();
    let replies: Loaded<Vec<Reply>> = RwSignal::new(None);
    let load_replies = move || {
        leptos::task::spawn_local(async move {
            let path = format!("/posts/{}/replies?limit=100", pid.get_value());
            let result = session.call::<(), ReplyPage>("GET", &path, None).await;
            replies.set(Some(result.map(|r| r.items)));
        });
    };
    load_replies();
    let busy = RwSignal::new(false);
    let curate = move |change: CuratePostRequest| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let path = format!("/posts/{}/curation", pid.get_value());
            let result = session.call::<_, Post>("PATCH", &path, Some(&change)).await;
            busy.set(false);
            match result {
                Ok(updated) => {
                    toasts.success(Msg::Saved);
                    holder.set(Some(Ok(updated)));
                }
                Err(failure) => toasts.failure(failure),
            }
        });
    };
    let accept = Callback::new(move |reply_id: String| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let path = format!("/posts/{}/acceptance", pid.get_value());
            let result =
                session.call::<_, Post>("POST", &path, Some(&AcceptAnswerRequest { reply_id })).await;
            busy.set(false);
            match result {
                Ok(updated) => {
                    toasts.success(Msg::CommunityMsg(CommunityMsg::AnswerAccepted));
                    holder.set(Some(Ok(updated)));
                }
                Err(failure) => toasts.failure(failure),
            }
        });
    });
    let (pinned, featured, in_faq) = (p.pinned, p.featured, p.in_faq);
    let curation = (is_admin(role) && p.status == PostStatus::Published).then(|| {
        let faq_possible = p.kind == PostKind::Question && p.accepted_reply_id.is_some();
        view! {
            <div class="actions" id="post-curation">
                <button class="button small" type="button" id="curate-pin" disabled=move || busy.get()
                    on:click=move |_| curate(CuratePostRequest { pinned: Some(!pinned), ..Default::default() })>
                    {tc(if pinned { CommunityMsg::Unpin } else { CommunityMsg::Pin })}
                </button>
                <button class="button small" type="button" id="curate-feature" disabled=move || busy.get()
                    on:click=move |_| curate(CuratePostRequest { featured: Some(!featured), ..Default::default() })>
                    {tc(if featured { CommunityMsg::Unfeature } else { CommunityMsg::Feature })}
                </button>
                {faq_possible.then(|| view! {
                    <button class="button small" type="button" id="curate-faq" disabled=move || busy.get()
                        on:click=move |_| curate(CuratePostRequest { in_faq: Some(!in_faq), ..Default::default() })>
                        {tc(if in_faq { CommunityMsg::RemoveFromFaq } else { CommunityMsg::PromoteToFaq })}
                    </button>
                })}
            </div>
        }
    });
    let may_reply = role.is_some() && p.status == PostStatus::Published;
    let reply_list = move || {
        match replies.get() {
        None => loading().into_any(),
        Some(Err(failure)) => failure_line(failure).into_any(),
        Some(Ok(list)) if list.is_empty() => {
            view! { <p class="empty" id="replies-empty">{tc(CommunityMsg::RepliesEmpty)}</p> }.into_any()
        }
        Some(Ok(list)) => view! {
            <ul class="rows" id="replies">
                {list.into_iter().map(|r| {
                    let acceptable = open_question && r.status == PostStatus::Published;
                    let reportable = role.is_some() && r.author_id != me_for_replies.get_value();
                    view! { <ReplyRow group_id=gid.get_value() reply=r acceptable=acceptable reportable=reportable on_accept=accept/> }
                }).collect_view()}
            </ul>
        }
        .into_any(),
    }
    };
    let group_link = format!("/groups/{}", group.id);
    view! {
        <div class="stack">
            <section class="card">
                <p class="eyebrow"><A href=group_link attr:id="post-group-link">{group.name.clone()}</A></p>
                <h1 id="post-title">{p.title.clone()}</h1>
                <p class="badges" id="post-badges">
                    {badge(kind_name(p.kind), "")}
                    {p.pinned.then(|| badge(CommunityMsg::Pinned, "badge-warn"))}
                    {p.featured.then(|| badge(CommunityMsg::Featured, "badge-ok"))}
                    {p.in_faq.then(|| badge(CommunityMsg::Faq, "badge-ok"))}
                    {p.accepted_reply_id.is_some().then(|| badge(CommunityMsg::Solved, "badge-ok"))}
                    {p.topics.iter().map(|t| view! { <span class="badge tag">"#"{t.clone()}"#"</span> }).collect_view()}
                </p>
                {(p.status == PostStatus::Held).then(|| held_notice("post-held-banner".into(), p.held_words.clone().unwrap_or_default()))}
                <p class="hint">{p.author_nickname.clone()}" · "{datetime::minute(p.created_at)}{p.edited.then_some(" · ")}{p.edited.then(tc(CommunityMsg::Edited))}</p>
                <p class="prose" id="post-body-shown">{p.body.clone()}</p>
                {curation}
                {(role.is_some() && p.author_id != me).then(|| view! {
                    <ReportButton group_id=group.id.clone() target=ReportTarget::Post target_id=p.id.clone()/>
                })}
            </section>
            <section class="card" aria-labelledby="replies-title">
                <h2 id="replies-title">{tc(if p.kind == PostKind::Question { CommunityMsg::Answers } else { CommunityMsg::Replies })}</h2>
                {reply_list}
                {may_reply.then(|| view! { <ReplyForm post_id=pid.get_value() on_replied=Callback::new(move |()| load_replies())/> })}
            </section>
        </div>
    }
}

#[component]
fn ReplyRow(
    group_id: String,
    reply: Reply,
    acceptable: bool,
    reportable: bool,
    on_accept: Callback<String>,
) -> impl IntoView {
    let r = reply;
    let target = r.id.clone();
    let id = r.id.clone();
    view! {
        <li class="qa reply" class:accepted=r.accepted data-reply=r.id.clone()>
            <p class="badges">
                <strong class="reply-author">{r.author_nickname.clone()}</strong>
                {(r.author_role == GroupRole::Expert).then(|| view! { <span class="badge badge-ok expert-mark">{tc(CommunityMsg::Expert)}</span> })}
                {r.accepted.then(|| view! { <span class="badge badge-ok accepted-mark">{tc(CommunityMsg::AcceptedAnswer)}</span> })}
                {(r.status == PostStatus::Held).then(|| badge(CommunityMsg::Held, "badge-bad"))}
            </p>
            {(r.status == PostStatus::Held).then(|| held_notice(format!("reply-held-{}", r.id), r.held_words.clone().unwrap_or_default()))}
            <p class="prose">{r.body.clone()}</p>
            <p class="hint">{datetime::minute(r.created_at)}</p>
            {acceptable.then(|| view! {
                <button class="button small primary" type="button" data-action="accept" on:click=move |_| on_accept.run(id.clone())>
                    {tc(CommunityMsg::AcceptAnswer)}
                </button>
            })}
            {reportable.then(|| view! { <ReportButton group_id=group_id target=ReportTarget::Reply target_id=target/> })}
        </li>
    }
}

#[component]
fn ReplyForm(post_id: String, on_replied: Callback<()>) -> impl IntoView {
    let session = use_session();
    let toasts = use_toasts();
    let pid = StoredValue::new(post_id);
    let text = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let held = RwSignal::new(None::<Vec<String>>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(body) = form_checked(errors, &ReplyRequest { body: text.get_untracked() }) else { return };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let path = format!("/posts/{}/replies", pid.get_value());
            let result = session.call::<_, Reply>("POST", &path, Some(&ReplyRequest { body })).await;
            busy.set(false);
            match result {
                Ok(reply) => {
                    errors.set(FormErrors::default());
                    text.set(String::new());
                    if reply.status == PostStatus::Held {
                        held.set(reply.held_words);
                    } else {
                        held.set(None);
                        toasts.success(Msg::CommunityMsg(CommunityMsg::ReplyPublished));
                    }
                    on_replied.run(());
                }
                Err(failure) => errors.set(form_errors(failure)),
            }
        });
    };
    view! {
        <form id="reply-form" class="subsection" on:submit=submit novalidate>
            {move || held.get().map(|words| held_notice("reply-held".into(), words))}
            <TextArea id="reply-body" label=Msg::CommunityMsg(CommunityMsg::WriteReply) value=text errors=errors field="body" rows=3/>
            <FormError errors=errors id="reply-form-error"/>
            <SubmitButton id="reply-submit" label=Msg::CommunityMsg(CommunityMsg::SendReply) busy=busy/>
        </form>
    }
}
