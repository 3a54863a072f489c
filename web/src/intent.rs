//! One `Idempotency-Key` per user intent for the money-moving requests (funding, statement
//! import, line resolution). A submission gets a fresh random key; a retry of the *same*
//! submission (same request body) after an unknown outcome — the network failed, or the first
//! request was still running — reuses it, so a double click or a retry never moves money twice.
//! Once the server has answered for good, the next submission is a new intent with a new key.

use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;

use crate::forms::FormErrors;
use crate::http::Failure;
use crate::session::{Session, use_session};

/// The key of one form's current intent.
#[derive(Clone, Copy)]
pub struct Intent {
    /// The key and the body it was made for.
    current: StoredValue<Option<(String, String)>>,
    session: Session,
}

impl Intent {
    /// No intent yet (in a component: it takes the session from the context).
    pub fn new() -> Self {
        Self { current: StoredValue::new(None), session: use_session() }
    }

    /// Sends a money-moving `POST` of `body` to `path` (acting for `org`, if given) with this
    /// intent's key: nothing while `busy`; the form's errors are cleared before and set from a
    /// refusal after; `done` gets the answer.
    pub fn post<B, T>(
        self,
        org: Option<String>,
        path: String,
        body: B,
        busy: RwSignal<bool>,
        errors: RwSignal<FormErrors>,
        done: impl FnOnce(T) + 'static,
    ) where
        B: Serialize + 'static,
        T: DeserializeOwned + 'static,
    {
        if busy.get_untracked() {
            return;
        }
        errors.set(FormErrors::default());
        busy.set(true);
        let key = self.key_for(&serde_json::to_string(&body).unwrap_or_default());
        let session = self.session;
        leptos::task::spawn_local(async move {
            let result = session.call_keyed::<_, T>(org.as_deref(), &key, "POST", &path, Some(&body)).await;
            self.settle(&result);
            let _ = busy.try_set(false);
            match result {
                Ok(answer) => done(answer),
                Err(failure) => {
                    let _ = errors.try_set(FormErrors::from_failure(failure));
                }
            }
        });
    }

    /// The key for a submission of `body`: the pending one when `body` is the same, else a new one.
    pub fn key_for(self, body: &str) -> String {
        if let Some((key, sent)) = self.current.get_value()
            && sent == body
        {
            return key;
        }
        let key = random_key();
        self.current.set_value(Some((key.clone(), body.to_owned())));
        key
    }

    /// Ends the intent unless its outcome is unknown (no answer, or still running elsewhere), in
    /// which case a retry must carry the same key.
    pub fn settle<T>(self, result: &Result<T, Failure>) {
        let unknown = match result {
            Ok(_) => false,
            Err(Failure::Network(_)) => true,
            Err(f) => f.code() == Some("conflict") || f.code() == Some("internal"),
        };
        if !unknown {
            self.current.set_value(None);
        }
    }
}

/// A random UUID (v4) from the browser's `crypto.randomUUID()`, or a time-and-random key where
/// the browser has none (plain-HTTP pages).
fn random_key() -> String {
    let from_crypto =
        web_sys::window().and_then(|w| js_sys::Reflect::get(&w, &"crypto".into()).ok()).and_then(|crypto| {
            let make = js_sys::Reflect::get(&crypto, &"randomUUID".into()).ok()?;
            let make = make.dyn_into::<js_sys::Function>().ok()?;
            make.call0(&crypto).ok()?.as_string()
        });
    from_crypto.unwrap_or_else(|| {
        let part = || format!("{:08x}", (js_sys::Math::random() * f64::from(u32::MAX)) as u32);
        format!("{:x}-{}-{}-{}", js_sys::Date::now() as u64, part(), part(), part())
    })
}

impl Default for Intent {
    fn default() -> Self {
        Self::new()
    }
}
