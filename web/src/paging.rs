//! Keyset-paged lists ("show more"): the items so far, the next cursor, loading and failure, and
//! the footer under a list (empty state, error, loading, "show more" / "try again"). A newer
//! load makes an older one's answer stale, so changing a filter while a page is on its way never
//! mixes results.

use std::future::Future;

use leptos::prelude::*;

use crate::forms::failure_text;
use crate::http::Failure;
use crate::i18n::{Msg, tr, use_i18n};

/// Page size asked of the API.
pub const PAGE_SIZE: &str = "20";

/// Where a paged list stands (no items, so one footer serves every list).
#[derive(Clone, Copy)]
pub struct PageState {
    /// The next page's cursor; `None` on the last page.
    pub cursor: RwSignal<Option<String>>,
    /// A page is on its way.
    pub loading: RwSignal<bool>,
    /// The first page has arrived.
    pub loaded: RwSignal<bool>,
    /// The last load failed.
    pub failed: RwSignal<Option<Failure>>,
    /// The number of items shown.
    pub count: RwSignal<usize>,
    generation: StoredValue<u64>,
}

/// A paged list of `T`.
pub struct Paged<T: Send + Sync + 'static> {
    /// Items loaded so far.
    pub items: RwSignal<Vec<T>>,
    /// Cursor, loading, failure.
    pub state: PageState,
}

impl<T: Send + Sync + 'static> Clone for Paged<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Paged<T> {}

impl<T: Send + Sync + 'static> Paged<T> {
    /// An empty list.
    pub fn new() -> Self {
        Self {
            items: RwSignal::new(Vec::new()),
            state: PageState {
                cursor: RwSignal::new(None),
                loading: RwSignal::new(false),
                loaded: RwSignal::new(false),
                failed: RwSignal::new(None),
                count: RwSignal::new(0),
                generation: StoredValue::new(0),
            },
        }
    }

    /// The cursor to ask with: none for a first page, else the next one.
    pub fn cursor_for(self, first: bool) -> Option<String> {
        if first { None } else { self.state.cursor.get_untracked() }
    }

    /// Loads a page (`first`: start over) from `fetch`, which answers items and the next cursor.
    pub fn load(
        self,
        first: bool,
        fetch: impl Future<Output = Result<(Vec<T>, Option<String>), Failure>> + 'static,
    ) {
        let s = self.state;
        s.generation.update_value(|g| *g += 1);
        let generation = s.generation.get_value();
        if first {
            self.items.set(Vec::new());
            s.count.set(0);
            s.cursor.set(None);
            s.loaded.set(false);
        }
        s.loading.set(true);
        leptos::task::spawn_local(async move {
            let result = fetch.await;
            if s.generation.try_get_value() != Some(generation) {
                return;
            }
            s.loading.set(false);
            match result {
                Ok((page, next)) => {
                    s.failed.set(None);
                    self.items.update(|all| all.extend(page));
                    s.count.set(self.items.with_untracked(Vec::len));
                    s.cursor.set(next);
                    s.loaded.set(true);
                }
                Err(failure) => s.failed.set(Some(failure)),
            }
        });
    }

    /// Changes the loaded items in place (after an action on one of them).
    pub fn edit(self, change: impl FnOnce(&mut Vec<T>)) {
        self.items.update(change);
        self.state.count.set(self.items.with_untracked(Vec::len));
    }
}

/// Under a list: the empty state, the error, "loading", and the "show more" / "try again"
/// button (`id`-prefixed: `{id}-empty`, `{id}-error`, `{id}-more`).
#[component]
pub fn ListFooter(
    state: PageState,
    #[prop(into)] id: String,
    empty: Msg,
    on_more: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let ids = StoredValue::new(id);
    view! {
        <Show when=move || state.loaded.get() && state.count.get() == 0 && state.failed.with(Option::is_none)>
            <p class="empty" id=format!("{}-empty", ids.get_value())>{tr(empty)}</p>
        </Show>
        {move || state.failed.get().map(|failure| view! {
            <p class="form-error" role="alert" id=format!("{}-error", ids.get_value())>{move || failure_text(i18n.0.get(), &failure)}</p>
        })}
        <Show when=move || state.loading.get()>
            <p class="loading">{tr(Msg::Loading)}</p>
        </Show>
        <Show when=move || !state.loading.get() && (state.cursor.with(Option::is_some) || state.failed.with(Option::is_some))>
            <button id=format!("{}-more", ids.get_value()) class="button" type="button" on:click=move |_| on_more.run(())>
                {move || if state.failed.with(Option::is_some) { i18n.t(Msg::TryAgain) } else { i18n.t(Msg::ShowMore) }}
            </button>
        </Show>
    }
}
