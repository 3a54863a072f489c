//! The signed-in session: the access token lives only in memory, the refresh token in the
//! server's HttpOnly cookie. A reload restores the session through `/auth/refresh`; an expired
//! access token is renewed once and the request retried.

use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::dto::{RefreshRequest, SessionTokens, UserProfile};

use crate::http::{Failure, request};

/// Marks that this browser holds a session cookie (the cookie itself is invisible to scripts),
/// so a first visit does not ask the server for a session it cannot have.
const MARKER: &str = "gz_session";

/// The session, provided at the root.
#[derive(Clone, Copy)]
pub struct Session {
    /// Access token (memory only).
    pub token: RwSignal<Option<String>>,
    /// The signed-in person.
    pub user: RwSignal<Option<UserProfile>>,
    /// `false` until the restore attempt on load has finished.
    pub ready: RwSignal<bool>,
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
        let session =
            Session { token: RwSignal::new(None), user: RwSignal::new(None), ready: RwSignal::new(false) };
        provide_context(session);
        leptos::task::spawn_local(async move {
            if marker(None) {
                let _ = session.renew().await;
            }
            session.ready.set(true);
        });
        session
    }

    /// Takes a new token pair.
    pub fn sign_in(self, tokens: SessionTokens) {
        marker(Some(true));
        self.token.set(Some(tokens.access_token));
        self.user.set(Some(tokens.user));
    }

    /// Rotates the refresh cookie for a new access token; on failure the session is gone.
    pub async fn renew(self) -> Result<(), Failure> {
        let result: Result<SessionTokens, Failure> =
            request("POST", "/auth/refresh", Some(&RefreshRequest::default()), None).await;
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

    /// Ends the session on the server and here.
    pub async fn sign_out(self) {
        let _: Result<(), Failure> =
            request("POST", "/auth/logout", Some(&RefreshRequest::default()), None).await;
        self.forget();
    }

    fn forget(self) {
        marker(Some(false));
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
        let token = self.token.get_untracked();
        match request(method, path, body, token.as_deref()).await {
            Err(e) if e.code() == Some("token_expired") => {
                self.renew().await?;
                request(method, path, body, self.token.get_untracked().as_deref()).await
            }
            other => other,
        }
    }
}

/// The provided session.
pub fn use_session() -> Session {
    expect_context::<Session>()
}
