//! A shared resource's page (`/groups/{id}/resources/{rid}`): the fixed-format details, the 1–5
//! star rating (not for one's own), the comments with their form, and delete for the sharer.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use shared::dto::{
    CommentRequest, RateResourceRequest, ResourceComment, ResourceCommentPage, SharedResource,
};

use super::resources::{ResourceFacts, category_name, rating_text};
use super::{Loaded, failure_line, form_checked, form_errors, load_into, loading, rows_of, tx};
use crate::datetime;
use crate::forms::{FormError, FormErrors, SubmitButton};
use crate::i18n::{EngagementMsg, Msg};
use crate::pages::library::TextArea;
use crate::paging::{ListFooter, PAGE_SIZE, Paged};
use crate::query::with_query;
use crate::session::use_session;
use crate::toast::use_toasts;

/// The resource page.
#[component]
pub fn SharedResourcePage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let rid = Memo::new(move |_| params.with(|p| p.get("rid").unwrap_or_default()));
    let resource: Loaded<SharedResource> = RwSignal::new(None);
    Effect::new(move |_| {
        if session.ready.get() {
            load_into(session, resource, format!("/shared-resources/{}", rid.get()));
        }
    });
    move || match resource.get() {
        None => loading().into_any(),
        Some(Err(failure)) => view! {
            <section class="card narrow">
                <h1 id="resource-missing">{tx(EngagementMsg::ResourceNotFound)}</h1>
                {failure_line(failure)}
            </section>
        }
        .into_any(),
        Some(Ok(r)) => view! { <ResourceView resource=r holder=resource/> }.into_any(),
    }
}

#[component]
fn ResourceView(resource: SharedResource, holder: Loaded<SharedResource>) -> impl IntoView {
    let session = use_session();
    let toasts = use_toasts();
    let navigate = use_navigate();
    let r = resource;
    let rid = StoredValue::new(r.id.clone());
    let group_path = format!("/groups/{}", r.group_id);
    let mine = session.user.with_untracked(|u| u.as_ref().is_some_and(|u| u.id == r.sharer_id));
    let busy = RwSignal::new(false);
    let rate = move |stars: i32| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let path = format!("/shared-resources/{}/ratings", rid.get_value());
            let result =
                session.call::<_, SharedResource>("POST", &path, Some(&RateResourceRequest { stars })).await;
            busy.set(false);
            match result {
                Ok(updated) => {
                    toasts.success(Msg::EngagementMsg(EngagementMsg::Rated));
                    holder.set(Some(Ok(updated)));
                }
                Err(failure) => toasts.failure(failure),
            }
        });
    };
    let remove = {
        let to = group_path.clone();
        move |_| {
            let (navigate, to) = (navigate.clone(), to.clone());
            busy.set(true);
            leptos::task::spawn_local(async move {
                let path = format!("/shared-resources/{}", rid.get_value());
                let result = session.call::<(), ()>("DELETE", &path, None).await;
                busy.set(false);
                match result {
                    Ok(()) => {
                        toasts.success(Msg::EngagementMsg(EngagementMsg::ResourceDeleted));
                        navigate(&to, Default::default());
                    }
                    Err(failure) => toasts.failure(failure),
                }
            });
        }
    };
    let my = r.my_rating.unwrap_or(0);
    let stars = (1..=5)
        .map(|n| {
            view! {
                <button type="button" class="button small star" data-stars=n aria-pressed=(n <= my).to_string()
                    disabled=move || busy.get() on:click=move |_| rate(n)>{if n <= my { "★" } else { "☆" }}</button>
            }
        })
        .collect_view();
    view! {
        <div class="stack">
            <section class="card">
                <p class="eyebrow"><A href=group_path attr:id="resource-group-link">{tx(EngagementMsg::BackToGroup)}</A></p>
                <h1 id="resource-title">{r.name.clone()}</h1>
                <p class="badges">
                    <span class="badge">{tx(category_name(r.category))}</span>
                    <span class="badge" id="resource-rating">{rating_text(r.rating, r.rating_count).unwrap_or_else(|| "☆".into())}</span>
                    <span class="hint">{datetime::minute(r.created_at)}</span>
                </p>
                <ResourceFacts resource=r.clone()/>
                {if mine {
                    view! {
                        <p class="hint" id="resource-own">{tx(EngagementMsg::OwnResource)}</p>
                        <button type="button" class="button small danger" id="resource-delete" disabled=move || busy.get() on:click=remove>{tx(EngagementMsg::Delete)}</button>
                    }.into_any()
                } else {
                    view! { <p class="row-actions" id="resource-stars" aria-label=tx(EngagementMsg::YourRating)>{tx(EngagementMsg::YourRating)}" "{stars}</p> }.into_any()
                }}
            </section>
            <Comments resource_id=r.id.clone()/>
        </div>
    }
}

#[component]
fn Comments(resource_id: String) -> impl IntoView {
    let session = use_session();
    let toasts = use_toasts();
    let rid = StoredValue::new(resource_id);
    let list = Paged::<ResourceComment>::new();
    let load = move |first: bool| {
        let path = with_query(
            &format!("/shared-resources/{}/comments", rid.get_value()),
            &[("limit", Some(PAGE_SIZE.to_owned())), ("cursor", list.cursor_for(first))],
        );
        list.load(first, async move {
            let page: ResourceCommentPage = session.call("GET", &path, None::<&()>).await?;
            Ok((page.items, page.next_cursor))
        });
    };
    load(true);
    let body = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(text) = form_checked(errors, &CommentRequest { body: body.get_untracked() }) else { return };
        let request = CommentRequest { body: text };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let path = format!("/shared-resources/{}/comments", rid.get_value());
            let result = session.call::<_, ResourceComment>("POST", &path, Some(&request)).await;
            busy.set(false);
            match result {
                Ok(comment) => {
                    errors.set(FormErrors::default());
                    body.set(String::new());
                    toasts.success(Msg::EngagementMsg(EngagementMsg::Commented));
                    list.edit(|items| items.push(comment));
                }
                Err(failure) => errors.set(form_errors(failure)),
            }
        });
    };
    view! {
        <section class="card">
            <h2>{tx(EngagementMsg::Comments)}</h2>
            <ul class="rows" id="resource-comments">{rows_of(list.items, comment_row)}</ul>
            <ListFooter state=list.state id="resource-comments" empty=Msg::EngagementMsg(EngagementMsg::CommentsEmpty) on_more=Callback::new(move |()| load(false))/>
            <form id="comment-form" on:submit=submit novalidate>
                <TextArea id="comment-body" label=Msg::EngagementMsg(EngagementMsg::WriteComment) value=body errors=errors field="body" rows=3/>
                <FormError errors=errors id="comment-form-error"/>
                <SubmitButton id="comment-submit" label=Msg::EngagementMsg(EngagementMsg::PostComment) busy=busy/>
            </form>
        </section>
    }
}

fn comment_row(c: ResourceComment) -> AnyView {
    view! {
        <li class="row" data-comment=c.id.clone()>
            <div class="item-main">
                <p class="prose">{c.body.clone()}</p>
                <p class="hint">{c.author_nickname.clone()}" · "{datetime::minute(c.created_at)}</p>
            </div>
        </li>
    }
    .into_any()
}
