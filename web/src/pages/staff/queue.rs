//! The verification review queue: pending submissions, oldest first, each with its review.

use leptos::prelude::*;
use shared::dto::{VerificationQueue, VerificationView};

use super::review::Review;
use crate::forms::failure_text;
use crate::http::Failure;
use crate::i18n::{Msg, use_i18n};
use crate::session::use_session;

/// The queue.
#[component]
pub fn Queue() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let items = RwSignal::new(None::<Result<Vec<VerificationView>, Failure>>);
    let load = move || {
        leptos::task::spawn_local(async move {
            let result: Result<VerificationQueue, Failure> =
                session.call("GET", "/staff/verifications", None::<&()>).await;
            items.set(Some(result.map(|q| q.items)));
        });
    };
    load();
    let decided = move |id: String| {
        items.update(|list| {
            if let Some(Ok(list)) = list {
                list.retain(|v| v.id != id);
            }
        });
    };
    // The view switches on the stage only; rows are keyed, so deciding one submission removes
    // its row and leaves what a reviewer typed into the others alone.
    let stage = Memo::new(move |_| {
        items.with(|i| match i {
            None => Stage::Loading,
            Some(Err(_)) => Stage::Failed,
            Some(Ok(list)) if list.is_empty() => Stage::Empty,
            Some(Ok(_)) => Stage::Listed,
        })
    });
    let rows = move || {
        items.with(|i| match i {
            Some(Ok(list)) => list.clone(),
            _ => Vec::new(),
        })
    };
    view! {
        <section class="card">
            <h1 id="queue-title">{move || i18n.t(Msg::StaffQueue)}</h1>
            {move || match stage.get() {
                Stage::Loading => view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
                Stage::Failed => {
                    let failure = items.with_untracked(|i| match i {
                        Some(Err(failure)) => Some(failure.clone()),
                        _ => None,
                    });
                    view! {
                        <p class="form-error" role="alert">
                            {move || failure.as_ref().map(|f| failure_text(i18n.0.get(), f))}
                        </p>
                        <button class="button" type="button" on:click=move |_| load()>{move || i18n.t(Msg::TryAgain)}</button>
                    }
                    .into_any()
                }
                Stage::Empty => view! {
                    <p class="empty" id="queue-empty">{move || i18n.t(Msg::QueueEmpty)}</p>
                }.into_any(),
                Stage::Listed => view! {
                    <ul class="rows" id="queue">
                        <For
                            each=rows
                            key=|v: &VerificationView| v.id.clone()
                            children=move |v: VerificationView| view! { <Review submission=v on_decided=decided/> }
                        />
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

/// What the queue shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Loading,
    Failed,
    Empty,
    Listed,
}
