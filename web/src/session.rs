//! The signed-in session: the access token lives only in memory, the refresh token in the
//! server's HttpOnly cookie. A reload restores the session through `/auth/refresh`; the token is
//! renewed a minute before it expires, and an access token that expired anyway is renewed once
//! and the request retried. Renewals are single-flight: the server treats two refreshes with the
//! same cookie as a replay and ends the session.

use std::time::Duration;

use futures::FutureExt;
use futures::future::{LocalBoxFuture, Shared};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};
use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::dto::{RefreshRequest, SessionTokens, UserProfile};

use crate::http::{Caller, Failure, request, request_as};

/// Marks that this browser holds a session cookie (the cookie itself is invisible to scripts),
/// so a first visit does not ask the server for a session it cannot have.
const MARKER: &str = "gz_session";
/// The longest delay a browser timer takes, in seconds (just under 2^31 − 1 ms).
const MAX_TIMER_SECS: i64 = 24 * 86_400;
/// Renew this long before the access token expires.
const RENEW_AHEAD_SECS: i64 = 60;

type Renewal = Shared<LocalBoxFuture<'static, Result<(), Failure>>>;

/// The session, provided at the root.
#[derive(Clone, Copy)]
pub struct Session {
    /// Access token (memory only).
    pub token: RwSignal<Option<String>>,
    /// The signed-in person.
    pub user: RwSignal<Option<UserProfile>>,
    /// `false` until the restore attempt on load has finished.
    pub ready: RwSignal<bool>,
    /// The server answered `password_change_required`: the person signed in with a one-time
    /// password and must choose their own on the account page first.
    pub password_change: RwSignal<bool>,
    renewal: StoredValue<Option<Renewal>, LocalStorage>,
    /// Bumped on every new token, so an older renewal timer knows it is stale.
    generation: StoredValue<u64>,
}

fn marker(set: Option<bool>) -> bool {
    let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
    match (storage, set) {
        (Some(s), Some(true)) => s.set_item(MARKER, "1").is_ok(),
        (Some(s), Some(false)) => s.remove_item(MARKER).is_ok(),
        (Some(s), None) => s.get_item(MARKER).ok().flatten().is_some(),
        (None, _) => false,
    }
}

impl Session {
    /// Creates and provides the session, and starts restoring it.
    pub fn provide() -> Self {
        let session = Session {
            token: RwSignal::new(None),
            user: RwSignal::new(None),
            ready: RwSignal::new(false),
            password_change: RwSignal::new(false),
            renewal: StoredValue::new_local(None),
            generation: StoredValue::new(0),
        };
        provide_context(session);
        leptos::task::spawn_local(async move {
            if marker(None) {
                let _ = session.renew().await;
            }
            session.ready.set(true);
        });
        session
    }

    /// Takes a new token pair and schedules its renewal.
    pub fn sign_in(self, tokens: SessionTokens) {
        marker(Some(true));
        self.token.set(Some(tokens.access_token));
        self.user.set(Some(tokens.user));
        self.schedule_renewal(tokens.expires_in);
    }

    fn schedule_renewal(self, expires_in: i64) {
        self.generation.update_value(|g| *g += 1);
        let generation = self.generation.get_value();
        if expires_in <= 0 {
            return;
        }
        // A browser timer holds at most 2^31 − 1 ms (24.8 days): a longer access-token lifetime
        // is renewed early rather than overflowing the timer (which throws).
        let delay = u64::try_from((expires_in - RENEW_AHEAD_SECS).clamp(5, MAX_TIMER_SECS)).unwrap_or(5);
        set_timeout(
            move || {
                if self.generation.get_value() == generation && self.token.with_untracked(Option::is_some) {
                    leptos::task::spawn_local(async move {
                        let _ = self.renew().await;
                    });
                }
            },
            Duration::from_secs(delay),
        );
    }

    /// Rotates the refresh cookie for a new access token; on failure the session is gone.
    /// Concurrent callers share one refresh request.
    pub async fn renew(self) -> Result<(), Failure> {
        let pending = self.renewal.with_value(Clone::clone);
        let renewal = match pending {
            Some(renewal) => renewal,
            None => {
                let renewal = async move {
                    let result: Result<SessionTokens, Failure> =
                        request("POST", "/auth/refresh", Some(&RefreshRequest::default()), None).await;
                    self.renewal.set_value(None);
                    match result {
                        Ok(tokens) => {
                            self.sign_in(tokens);
                            Ok(())
                        }
                        Err(e) => {
                            self.forget();
                            Err(e)
                        }
                    }
                }
                .boxed_local()
                .shared();
                self.renewal.set_value(Some(renewal.clone()));
                renewal
            }
        };
        renewal.await
    }

    /// Ends the session here at once — so no view still on screen sends its token again — and
    /// then on the server (the refresh cookie identifies it).
    pub async fn sign_out(self) {
        self.forget();
        let _: Result<(), Failure> =
            request("POST", "/auth/logout", Some(&RefreshRequest::default()), None).await;
    }

    /// Drops the session here (after sign-out, account deletion, or a refused renewal).
    pub fn forget(self) {
        marker(Some(false));
        self.generation.update_value(|g| *g += 1);
        self.token.set(None);
        self.user.set(None);
    }

    /// An authenticated request; an expired access token is renewed once.
    pub async fn call<B: Serialize, T: DeserializeOwned>(
        self,
        method: &str,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, Failure> {
        self.call_as(None, method, path, body).await
    }

    /// An authenticated request acting for organisation `org` (sent as `X-Org-Id`).
    pub async fn call_as<B: Serialize, T: DeserializeOwned>(
        self,
        org: Option<&str>,
        method: &str,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, Failure> {
        self.with_token(move |token| async move {
            request_as(method, path, body, Caller { token: token.as_deref(), org, key: None }).await
        })
        .await
    }

    /// [`Self::call_as`] with an `Idempotency-Key`: a money-moving request, which the API runs
    /// once per key however often it arrives.
    pub async fn call_keyed<B: Serialize, T: DeserializeOwned>(
        self,
        org: Option<&str>,
        key: &str,
        method: &str,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, Failure> {
        self.with_token(move |token| async move {
            request_as(method, path, body, Caller { token: token.as_deref(), org, key: Some(key) }).await
        })
        .await
    }

    /// Runs `attempt` with the current access token; when the token had expired, it is renewed
    /// once and the attempt repeated (uploads and downloads use this too).
    pub async fn with_token<T, F, Fut>(self, attempt: F) -> Result<T, Failure>
    where
        F: Fn(Option<String>) -> Fut,
        Fut: std::future::Future<Output = Result<T, Failure>>,
    {
        let result = match attempt(self.token.get_untracked()).await {
            Err(e) if e.code() == Some("token_expired") => {
                self.renew().await?;
                attempt(self.token.get_untracked()).await
            }
            other => other,
        };
        if let Err(e) = &result
            && e.code() == Some("password_change_required")
        {
            self.password_change.set(true);
        }
        result
    }
}

/// The provided session.
pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// Sends visitors without a session (or whose session has just ended) to the sign-in page,
/// remembering where they were as `?next=`.
pub fn require_sign_in() {
    let session = use_session();
    let navigate = use_navigate();
    let location = use_location();
    // The guard belongs to the page that installed it: once the app has moved elsewhere (signing
    // out navigates home before the session is dropped) it must not send anyone anywhere.
    let page = location.pathname.get_untracked();
    Effect::new(move |_| {
        if session.ready.get()
            && session.user.with(Option::is_none)
            && location.pathname.get_untracked() == page
        {
            let here = format!("{}{}", location.pathname.get_untracked(), location.search.get_untracked());
            navigate(
                &format!("/login?next={}", escape_query(&here)),
                NavigateOptions { replace: true, ..Default::default() },
            );
        }
    });
}

/// Escapes what would end a query value early; `/` stays readable.
fn escape_query(value: &str) -> String {
    value
        .chars()
        .map(|c| match c {
            '%' => "%25".to_owned(),
            '&' => "%26".to_owned(),
            '#' => "%23".to_owned(),
            '+' => "%2B".to_owned(),
            '?' => "%3F".to_owned(),
            '=' => "%3D".to_owned(),
            ' ' => "%20".to_owned(),
            other => other.to_string(),
        })
        .collect()
}

/// Sends a person who must replace a one-time password to the account page, whatever page
/// asked the server first.
pub fn redirect_password_change() {
    let session = use_session();
    let navigate = use_navigate();
    let location = use_location();
    Effect::new(move |_| {
        if session.password_change.get() && !location.pathname.get_untracked().starts_with("/account") {
            navigate("/account", NavigateOptions::default());
        }
    });
}
