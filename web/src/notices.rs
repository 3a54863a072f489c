//! The signed-in person's notifications, live: the unread count for the header's bell and the
//! newest notification (pages showing its subject reload on it), kept current over server-sent
//! events. `EventSource` cannot send headers, so each connection first gets a single-use ticket
//! with the bearer token. On an error the stream is closed and opened again with a fresh ticket
//! after a backoff of 1 s, 2 s, 4 s … at most 30 s; there is no polling.

use std::time::Duration;

use leptos::prelude::*;
use shared::dto::{Notification, StreamTicket, UnreadCount};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::http::Failure;
use crate::query::encode;
use crate::session::{Session, use_session};
use crate::toast::{Toasts, use_toasts};

/// The longest wait before reconnecting.
const MAX_BACKOFF_SECS: u64 = 30;

/// An open stream and the handlers it calls; dropping it closes the stream.
struct Stream {
    source: web_sys::EventSource,
    _ready: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _notification: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _error: Closure<dyn FnMut(web_sys::Event)>,
}

impl Drop for Stream {
    fn drop(&mut self) {
        self.source.close();
    }
}

/// The live notification state, provided at the root.
#[derive(Clone, Copy)]
pub struct Notices {
    /// Unread notifications.
    pub unread: RwSignal<i64>,
    /// The newest notification that arrived live.
    pub latest: RwSignal<Option<Notification>>,
    session: Session,
    toasts: Toasts,
    i18n: crate::i18n::I18n,
    stream: StoredValue<Option<Stream>, LocalStorage>,
    /// Bumped on sign-in and sign-out, so a stale connection attempt gives up.
    generation: StoredValue<u64>,
    /// Failed attempts since the stream was last ready.
    failures: StoredValue<u32>,
}

/// The wait before reconnecting after `failures` failed attempts: 1 s, 2 s, 4 s … 30 s.
pub fn backoff(failures: u32) -> Duration {
    Duration::from_secs(1_u64.checked_shl(failures).unwrap_or(u64::MAX).min(MAX_BACKOFF_SECS))
}

impl Notices {
    /// Creates and provides the context; connects whenever someone signs in.
    pub fn provide() -> Self {
        let session = use_session();
        let this = Notices {
            unread: RwSignal::new(0),
            latest: RwSignal::new(None),
            session,
            toasts: use_toasts(),
            i18n: crate::i18n::use_i18n(),
            stream: StoredValue::new_local(None),
            generation: StoredValue::new(0),
            failures: StoredValue::new(0),
        };
        provide_context(this);
        let user_id = Memo::new(move |_| session.user.with(|u| u.as_ref().map(|u| u.id.clone())));
        Effect::new(move |_| {
            this.generation.update_value(|g| *g += 1);
            this.stream.set_value(None);
            this.unread.set(0);
            this.failures.set_value(0);
            if user_id.with(Option::is_some) {
                let generation = this.generation.get_value();
                leptos::task::spawn_local(async move {
                    let count: Result<UnreadCount, Failure> =
                        session.call("GET", "/notifications/unread-count", None::<&()>).await;
                    if let (Ok(count), true) = (count, this.current(generation)) {
                        this.unread.set(count.unread);
                    }
                });
                this.connect(generation);
            }
        });
        this
    }

    fn current(self, generation: u64) -> bool {
        self.generation.try_get_value() == Some(generation)
    }

    fn connect(self, generation: u64) {
        leptos::task::spawn_local(async move {
            let ticket: Result<StreamTicket, Failure> =
                self.session.call("POST", "/notifications/stream-tickets", None::<&()>).await;
            if !self.current(generation) {
                return;
            }
            match ticket {
                Ok(ticket) => self.open(generation, &ticket.ticket),
                // The session has ended; signing in again starts over.
                Err(failure) if failure.code() == Some("unauthenticated") => {}
                Err(_) => self.retry(generation),
            }
        });
    }

    fn open(self, generation: u64, ticket: &str) {
        let url = format!("/api/v1/notifications/stream?ticket={}", encode(ticket));
        let Ok(source) = web_sys::EventSource::new(&url) else {
            self.retry(generation);
            return;
        };
        let ready = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let count = e.data().as_string().and_then(|d| serde_json::from_str::<UnreadCount>(&d).ok());
            if let Some(count) = count {
                self.failures.set_value(0);
                self.unread.set(count.unread);
            }
        });
        let notification =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                let parsed = e.data().as_string().and_then(|d| serde_json::from_str::<Notification>(&d).ok());
                if let Some(n) = parsed {
                    if n.read_at.is_none() {
                        self.unread.update(|u| *u += 1);
                    }
                    let (title, _) = crate::i18n::notification_text(self.i18n.0.get_untracked(), &n);
                    self.toasts.notice(title, n.link.clone());
                    self.latest.set(Some(n));
                }
            });
        let closing = source.clone();
        // The handler only closes the stream; the handlers are dropped later, outside themselves.
        let error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
            closing.close();
            if self.current(generation) {
                self.retry(generation);
            }
        });
        let listen = |name: &str, handler: &Closure<dyn FnMut(web_sys::MessageEvent)>| {
            source.add_event_listener_with_callback(name, handler.as_ref().unchecked_ref()).is_ok()
        };
        if !(listen("ready", &ready) && listen("notification", &notification)) {
            source.close();
            self.retry(generation);
            return;
        }
        source.set_onerror(Some(error.as_ref().unchecked_ref()));
        self.stream.set_value(Some(Stream {
            source,
            _ready: ready,
            _notification: notification,
            _error: error,
        }));
    }

    fn retry(self, generation: u64) {
        let failures = self.failures.get_value();
        self.failures.set_value(failures.saturating_add(1));
        set_timeout(
            move || {
                if self.current(generation) {
                    self.stream.set_value(None);
                    self.connect(generation);
                }
            },
            backoff(failures),
        );
    }
}

/// The provided notification state.
pub fn use_notices() -> Notices {
    expect_context::<Notices>()
}

/// Counts the live notifications that `about` picks (reactive): a view tracking it reloads
/// when one arrives.
pub fn news(about: impl Fn(&Notification) -> bool + Send + Sync + 'static) -> Memo<usize> {
    let notices = use_notices();
    let seen = StoredValue::new(0_usize);
    Memo::new(move |_| {
        if notices.latest.with(|n| n.as_ref().is_some_and(&about)) {
            seen.update_value(|s| *s += 1);
        }
        seen.get_value()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_one_second_up_to_thirty() {
        let waits: Vec<u64> = (0..8).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 30, 30, 30]);
        assert_eq!(backoff(200).as_secs(), 30);
    }
}
