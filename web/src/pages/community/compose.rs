//! The new-post form: discussion, question or (admins) announcement. While a question's title is
//! typed, similar questions already asked show under it (debounced), so people can look before
//! asking. A post held for a banned word tells its author so.

use std::time::Duration;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use shared::dto::{CreatePostRequest, GroupRole, Post, PostKind, PostStatus, SimilarQuestions};

use super::{form_checked, form_errors, held_notice, is_admin, kind_name, tc};
use crate::forms::{FormError, FormErrors, SubmitButton, TextField};
use crate::i18n::{CommunityMsg, Msg};
use crate::pages::library::TextArea;
use crate::query::with_query;
use crate::session::use_session;
use crate::toast::use_toasts;

/// How long typing must pause before similar questions are looked up.
const DEBOUNCE: Duration = Duration::from_millis(350);

/// The form to post in a group.
#[component]
pub fn ComposeForm(group_id: String, role: GroupRole, on_posted: Callback<Post>) -> impl IntoView {
    let session = use_session();
    let toasts = use_toasts();
    let gid = StoredValue::new(group_id);
    let kinds: Vec<PostKind> = if is_admin(Some(role)) {
        vec![PostKind::Discussion, PostKind::Question, PostKind::Announcement]
    } else {
        vec![PostKind::Discussion, PostKind::Question]
    };
    let kind = RwSignal::new(PostKind::Discussion);
    let title = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let similar = RwSignal::new(Vec::<Post>::new());
    let generation = StoredValue::new(0_u64);
    let held = RwSignal::new(None::<Post>);
    Effect::new(move |_| {
        let text = title.get().trim().to_owned();
        let asking = kind.get() == PostKind::Question;
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        if !asking || text.chars().count() < 2 {
            similar.set(Vec::new());
            return;
        }
        set_timeout(
            move || {
                if generation.try_get_value() != Some(mine) {
                    return;
                }
                leptos::task::spawn_local(async move {
                    let path = with_query(
                        &format!("/groups/{}/similar-questions", gid.get_value()),
                        &[("q", Some(text))],
                    );
                    let found = session.call::<(), SimilarQuestions>("GET", &path, None).await;
                    if generation.try_get_value() == Some(mine) {
                        similar.set(found.map(|f| f.items).unwrap_or_default());
                    }
                });
            },
            DEBOUNCE,
        );
    });
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let request = CreatePostRequest {
            kind: kind.get_untracked(),
            title: title.get_untracked(),
            body: body.get_untracked(),
        };
        let Some(valid) = form_checked(errors, &request) else { return };
        let request = CreatePostRequest { title: valid.title, body: valid.body, ..request };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let path = format!("/groups/{}/posts", gid.get_value());
            let result = session.call::<_, Post>("POST", &path, Some(&request)).await;
            busy.set(false);
            match result {
                Ok(post) => {
                    errors.set(FormErrors::default());
                    title.set(String::new());
                    body.set(String::new());
                    if post.status == PostStatus::Held {
                        held.set(Some(post.clone()));
                    } else {
                        held.set(None);
                        toasts.success(Msg::CommunityMsg(CommunityMsg::PostPublished));
                    }
                    on_posted.run(post);
                }
                Err(failure) => errors.set(form_errors(failure)),
            }
        });
    };
    view! {
        <form id="post-form" class="subsection" on:submit=submit novalidate>
            <h2>{tc(CommunityMsg::NewPost)}</h2>
            {move || held.get().map(|p| view! {
                <div>
                    {held_notice("post-held".into(), p.held_words.clone().unwrap_or_default())}
                    <A href=format!("/groups/{}/posts/{}", p.group_id, p.id) attr:id="post-held-link">{p.title.clone()}</A>
                </div>
            })}
            <label for="post-kind">{tc(CommunityMsg::PostKind)}</label>
            <select id="post-kind" on:change=move |ev| kind.set(PostKind::parse(&event_target_value(&ev)).unwrap_or(PostKind::Discussion))>
                {kinds.into_iter().map(|k| view! {
                    <option value=k.as_str() selected=move || kind.get() == k>{tc(kind_name(k))}</option>
                }).collect_view()}
            </select>
            <TextField id="post-title" label=Msg::CommunityMsg(CommunityMsg::PostTitle) value=title errors=errors field="title"/>
            <Show when=move || !similar.with(Vec::is_empty)>
                <div class="notice" id="similar-questions">
                    <strong>{tc(CommunityMsg::SimilarQuestions)}</strong>
                    <ul class="plain-list">
                        {move || similar.get().into_iter().map(|q| view! {
                            <li>
                                <A href=format!("/groups/{}/posts/{}", q.group_id, q.id)>{q.title.clone()}</A>
                                {q.accepted_reply_id.is_some().then(|| view! { " "<span class="badge badge-ok">{tc(CommunityMsg::Solved)}</span> })}
                            </li>
                        }).collect_view()}
                    </ul>
                </div>
            </Show>
            <TextArea id="post-body" label=Msg::CommunityMsg(CommunityMsg::PostBody) value=body errors=errors field="body" rows=5/>
            <p class="hint">{tc(CommunityMsg::PostBodyHint)}</p>
            <FormError errors=errors id="post-form-error"/>
            <SubmitButton id="post-submit" label=Msg::CommunityMsg(CommunityMsg::Publish) busy=busy/>
        </form>
    }
}
