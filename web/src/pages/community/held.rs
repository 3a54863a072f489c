//! The admins' queue of posts and replies held for a banned word (the notification about one
//! links here): each with the words that held it, published or refused.

use leptos::prelude::*;
use shared::dto::{HeldItems, ReviewHeldRequest};

use super::{Loaded, failure_line, load_into, loading, tc};
use crate::i18n::{CommunityMsg, Msg};
use crate::session::use_session;
use crate::toast::use_toasts;

/// The held queue (admin page).
#[component]
pub fn HeldQueue(group_id: String) -> impl IntoView {
    let session = use_session();
    let toasts = use_toasts();
    let gid = StoredValue::new(group_id);
    let held: Loaded<HeldItems> = RwSignal::new(None);
    let reload = move || load_into(session, held, format!("/groups/{}/held", gid.get_value()));
    reload();
    let review = move |path: String, publish: bool| {
        leptos::task::spawn_local(async move {
            let result = session
                .call::<_, serde_json::Value>("POST", &path, Some(&ReviewHeldRequest { publish }))
                .await;
            match result {
                Ok(_) => {
                    toasts.success(Msg::CommunityMsg(if publish {
                        CommunityMsg::HeldPublished
                    } else {
                        CommunityMsg::HeldRefused
                    }));
                    reload();
                }
                Err(failure) => toasts.failure(failure),
            }
        });
    };
    let buttons = move |path: String| {
        let again = path.clone();
        view! {
            <div class="row-actions">
                <button class="button small primary" type="button" data-action="publish" on:click=move |_| review(path.clone(), true)>{tc(CommunityMsg::PublishHeld)}</button>
                <button class="button small danger" type="button" data-action="refuse" on:click=move |_| review(again.clone(), false)>{tc(CommunityMsg::RefuseHeld)}</button>
            </div>
        }
    };
    view! {
        <section class="card" aria-labelledby="held-title" id="held-section">
            <h2 id="held-title">{tc(CommunityMsg::HeldQueue)}</h2>
            {move || match held.get() {
                None => loading().into_any(),
                Some(Err(failure)) => failure_line(failure).into_any(),
                Some(Ok(h)) if h.posts.is_empty() && h.replies.is_empty() => view! { <p class="empty" id="held-empty">{tc(CommunityMsg::HeldEmpty)}</p> }.into_any(),
                Some(Ok(h)) => view! {
                    <ul class="rows" id="held">
                        {h.posts.into_iter().map(|p| view! {
                            <li class="review" data-held=p.id.clone()>
                                <p><strong>{p.title.clone()}</strong>" · "{p.author_nickname.clone()}</p>
                                <p class="prose">{p.body.clone()}</p>
                                <p class="hint">{tc(CommunityMsg::HitWords)}" "<span class="held-words">{p.held_words.clone().unwrap_or_default().join("、")}</span></p>
                                {buttons(format!("/posts/{}/review", p.id))}
                            </li>
                        }).collect_view()}
                        {h.replies.into_iter().map(|r| view! {
                            <li class="review" data-held=r.id.clone()>
                                <p><strong>{tc(CommunityMsg::Reply)}</strong>" · "{r.author_nickname.clone()}</p>
                                <p class="prose">{r.body.clone()}</p>
                                <p class="hint">{tc(CommunityMsg::HitWords)}" "<span class="held-words">{r.held_words.clone().unwrap_or_default().join("、")}</span></p>
                                {buttons(format!("/replies/{}/review", r.id))}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}
