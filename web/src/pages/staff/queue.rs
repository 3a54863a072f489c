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
    view! {
        <section class="card">
            <h1 id="queue-title">{move || i18n.t(Msg::StaffQueue)}</h1>
            {move || match items.get() {
                None => view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
                Some(Err(failure)) => view! {
                    <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &failure)}</p>
                    <button class="button" type="button" on:click=move |_| load()>{move || i18n.t(Msg::TryAgain)}</button>
                }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! {
                    <p class="empty" id="queue-empty">{move || i18n.t(Msg::QueueEmpty)}</p>
                }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="rows" id="queue">
                        {list.into_iter().map(|v| view! { <Review submission=v on_decided=decided/> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}
