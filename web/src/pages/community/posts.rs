//! A group's posts: filters (kind, `#topic#`, featured, FAQ), the list with its badges (pinned,
//! featured, FAQ, solved, held), and the new-post form for members.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::dto::{GroupRole, Post, PostKind, PostPage, PostStatus};

use super::compose::ComposeForm;
use super::{badge, kind_name, rows_of, tc};
use crate::datetime;
use crate::i18n::{CommunityMsg, Msg, tr};
use crate::paging::{ListFooter, PAGE_SIZE, Paged};
use crate::query::with_query;
use crate::session::use_session;

/// The posts section of a group page; `role` is the caller's when a member.
#[component]
pub fn PostsSection(group_id: String, role: Option<GroupRole>) -> impl IntoView {
    let session = use_session();
    let gid = StoredValue::new(group_id);
    let kind = RwSignal::new(None::<PostKind>);
    let topic = RwSignal::new(String::new());
    let featured = RwSignal::new(false);
    let faq = RwSignal::new(false);
    let list = Paged::<Post>::new();
    let load = move |first: bool| {
        let flag = |on: bool| on.then(|| "true".to_owned());
        let path = with_query(
            &format!("/groups/{}/posts", gid.get_value()),
            &[
                ("kind", kind.get_untracked().map(|k| k.as_str().to_owned())),
                ("topic", Some(topic.get_untracked().trim().trim_matches('#').to_owned())),
                ("featured", flag(featured.get_untracked())),
                ("faq", flag(faq.get_untracked())),
                ("limit", Some(PAGE_SIZE.to_owned())),
                ("cursor", list.cursor_for(first)),
            ],
        );
        list.load(first, async move {
            let page: PostPage = session.call("GET", &path, None::<&()>).await?;
            Ok((page.items, page.next_cursor))
        });
    };
    Effect::new(move |_| {
        let _ = (kind.get(), featured.get(), faq.get());
        load(true);
    });
    let posted = Callback::new(move |post: Post| {
        if post.status == PostStatus::Published {
            list.edit(|items| items.insert(0, post));
        }
    });
    view! {
        <div class="filters filter-grid" id="posts-filters">
            <div>
                <label for="posts-kind">{tc(CommunityMsg::PostKind)}</label>
                <select id="posts-kind" on:change=move |ev| kind.set(PostKind::parse(&event_target_value(&ev)))>
                    <option value="">{tr(Msg::Any)}</option>
                    {[PostKind::Discussion, PostKind::Question, PostKind::Announcement].into_iter().map(|k| view! {
                        <option value=k.as_str()>{tc(kind_name(k))}</option>
                    }).collect_view()}
                </select>
            </div>
            <div>
                <label for="posts-topic">{tc(CommunityMsg::Topic)}</label>
                <input id="posts-topic" type="search" prop:value=topic placeholder=tc(CommunityMsg::TopicHint)
                    on:input=move |ev| topic.set(event_target_value(&ev)) on:change=move |_| load(true)/>
            </div>
            <label class="check"><input type="checkbox" id="posts-featured" on:change=move |ev| featured.set(event_target_checked(&ev))/>{tc(CommunityMsg::Featured)}</label>
            <label class="check"><input type="checkbox" id="posts-faq" on:change=move |ev| faq.set(event_target_checked(&ev))/>{tc(CommunityMsg::Faq)}</label>
        </div>
        <ul class="rows" id="posts">
            {rows_of(list.items, |p| view! { <PostRow post=p/> }.into_any())}
        </ul>
        <ListFooter state=list.state id="posts" empty=Msg::CommunityMsg(CommunityMsg::PostsEmpty) on_more=Callback::new(move |()| load(false))/>
        {role.map(|role| view! { <ComposeForm group_id=gid.get_value() role=role on_posted=posted/> })}
    }
}

#[component]
fn PostRow(post: Post) -> impl IntoView {
    let p = post;
    view! {
        <li class="row item" data-post=p.id.clone()>
            <div class="item-main">
                <A href=format!("/groups/{}/posts/{}", p.group_id, p.id) attr:class="item-title">{p.title.clone()}</A>
                <p class="badges">
                    {badge(kind_name(p.kind), "")}
                    {p.pinned.then(|| badge(CommunityMsg::Pinned, "badge-warn"))}
                    {p.featured.then(|| badge(CommunityMsg::Featured, "badge-ok"))}
                    {p.in_faq.then(|| badge(CommunityMsg::Faq, "badge-ok"))}
                    {p.accepted_reply_id.is_some().then(|| badge(CommunityMsg::Solved, "badge-ok"))}
                    {(p.status == PostStatus::Held).then(|| badge(CommunityMsg::Held, "badge-bad"))}
                    {p.topics.iter().map(|t| view! { <span class="badge tag">"#"{t.clone()}"#"</span> }).collect_view()}
                </p>
                <p class="hint">{p.author_nickname.clone()}" · "{datetime::minute(p.created_at)}</p>
            </div>
            <span class="amount">{p.reply_count}" "{tc(CommunityMsg::RepliesUnit)}</span>
        </li>
    }
}
