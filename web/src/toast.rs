//! Toasts: short messages about the result of an action, or a notification that just arrived
//! (linking to its subject), shown in a live region for five seconds.

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::components::A;
use shared::dto::FieldIssue;
use shared::validate::Invalid;

use crate::forms::failure_text;
use crate::http::Failure;
use crate::i18n::{Msg, field_issue_text, use_i18n};

const SHOWN_FOR: Duration = Duration::from_secs(5);

#[derive(Clone, PartialEq)]
enum Body {
    Done(Msg),
    Problem(Msg),
    Failed(Failure),
    /// A request refused by its check before it was sent: its first problem.
    Invalid(FieldIssue),
    /// A notification that arrived live: its title, linking to what it is about.
    Notice {
        title: String,
        link: String,
    },
}

#[derive(Clone, PartialEq)]
struct Toast {
    id: u64,
    body: Body,
}

/// The toast queue, provided at the root.
#[derive(Clone, Copy)]
pub struct Toasts {
    shown: RwSignal<Vec<Toast>>,
    next_id: StoredValue<u64>,
}

impl Toasts {
    /// Creates and provides the queue.
    pub fn provide() -> Self {
        let toasts = Toasts { shown: RwSignal::new(Vec::new()), next_id: StoredValue::new(0) };
        provide_context(toasts);
        toasts
    }

    fn push(self, body: Body) {
        self.next_id.update_value(|n| *n += 1);
        let id = self.next_id.get_value();
        self.shown.update(|shown| shown.push(Toast { id, body }));
        set_timeout(move || self.shown.update(|shown| shown.retain(|t| t.id != id)), SHOWN_FOR);
    }

    /// Says that something worked.
    pub fn success(self, msg: Msg) {
        self.push(Body::Done(msg));
    }

    /// Says that something did not work.
    pub fn problem(self, msg: Msg) {
        self.push(Body::Problem(msg));
    }

    /// Says that a request failed, and why.
    pub fn failure(self, failure: Failure) {
        self.push(Body::Failed(failure));
    }

    /// Says why a request was not sent: the first problem its check found.
    pub fn invalid(self, invalid: Invalid) {
        if let Some(issue) = invalid.0.into_iter().next() {
            self.push(Body::Invalid(issue));
        }
    }

    /// Shows a notification that just arrived, linking to `link`.
    pub fn notice(self, title: String, link: String) {
        self.push(Body::Notice { title, link });
    }
}

/// The provided toast queue.
pub fn use_toasts() -> Toasts {
    expect_context::<Toasts>()
}

/// Where toasts appear.
#[component]
pub fn ToastRegion() -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    view! {
        <div class="toasts" role="status" aria-live="polite">
            <For each=move || toasts.shown.get() key=|t| t.id let:toast>
                {
                    let failed = matches!(toast.body, Body::Problem(_) | Body::Failed(_) | Body::Invalid(_));
                    match toast.body.clone() {
                        Body::Notice { title, link } => {
                            view! { <A href=link attr:class="toast toast-notice">{title}</A> }.into_any()
                        }
                        body => {
                            let text = move || match &body {
                                Body::Done(msg) | Body::Problem(msg) => i18n.t(*msg).to_owned(),
                                Body::Failed(failure) => failure_text(i18n.0.get(), failure),
                                Body::Invalid(issue) => field_issue_text(i18n.0.get(), &issue.field, &issue.issue),
                                Body::Notice { title, .. } => title.clone(),
                            };
                            view! { <p class="toast" class:toast-error=failed>{text}</p> }.into_any()
                        }
                    }
                }
            </For>
        </div>
    }
}
