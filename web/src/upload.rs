//! Uploading a file to `POST /files` (or another multipart endpoint, such as a bid's files) with
//! progress. `fetch` reports no upload progress, so this
//! uses `XMLHttpRequest`, whose `upload` object fires `progress` events as the body is sent.

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::oneshot;
use leptos::prelude::*;
use serde::de::DeserializeOwned;
use shared::dto::FileInfo;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::http::{Failure, decode, network};
use crate::session::Session;

/// Uploads `file` as the signed-in person; `percent` follows the bytes sent (0–100).
pub async fn upload(
    session: Session,
    file: web_sys::File,
    percent: RwSignal<u32>,
) -> Result<FileInfo, Failure> {
    upload_to(session, "/files", None, file, percent).await
}

/// Uploads `file` as the multipart field `file` to the API `path`, acting for `org` (sent as
/// `X-Org-Id`) when given; `percent` follows the bytes sent.
pub async fn upload_to<T: DeserializeOwned>(
    session: Session,
    path: &str,
    org: Option<&str>,
    file: web_sys::File,
    percent: RwSignal<u32>,
) -> Result<T, Failure> {
    session.with_token(|token| send(token, path, org, None, file.clone(), percent)).await
}

/// [`upload_to`] for a money-moving import: sends `key` as `Idempotency-Key`, so a retry of the
/// same upload is answered with the first one's result.
pub async fn upload_keyed<T: DeserializeOwned>(
    session: Session,
    path: &str,
    key: &str,
    file: web_sys::File,
    percent: RwSignal<u32>,
) -> Result<T, Failure> {
    session.with_token(|token| send(token, path, None, Some(key), file.clone(), percent)).await
}

async fn send<T: DeserializeOwned>(
    token: Option<String>,
    path: &str,
    org: Option<&str>,
    key: Option<&str>,
    file: web_sys::File,
    percent: RwSignal<u32>,
) -> Result<T, Failure> {
    percent.set(0);
    let xhr = web_sys::XmlHttpRequest::new().map_err(network)?;
    xhr.open("POST", &format!("/api/v1{path}")).map_err(network)?;
    xhr.set_request_header("accept", "application/json").map_err(network)?;
    if let Some(token) = token {
        xhr.set_request_header("authorization", &format!("Bearer {token}")).map_err(network)?;
    }
    if let Some(org) = org {
        xhr.set_request_header("x-org-id", org).map_err(network)?;
    }
    if let Some(key) = key {
        xhr.set_request_header("idempotency-key", key).map_err(network)?;
    }
    let form = web_sys::FormData::new().map_err(network)?;
    form.append_with_blob_and_filename("file", &file, &file.name()).map_err(network)?;
    let (done_tx, done_rx) = oneshot::channel::<()>();
    let done_tx = Rc::new(RefCell::new(Some(done_tx)));
    // Both closures must outlive the request; they are dropped when this function returns.
    let on_end = Closure::<dyn FnMut()>::new(move || {
        if let Some(tx) = done_tx.borrow_mut().take() {
            let _ = tx.send(());
        }
    });
    let on_progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
        if e.length_computable() && e.total() > 0.0 {
            percent.set((e.loaded() / e.total() * 100.0).round().clamp(0.0, 100.0) as u32);
        }
    });
    xhr.set_onloadend(Some(on_end.as_ref().unchecked_ref()));
    xhr.upload().map_err(network)?.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    xhr.send_with_opt_form_data(Some(&form)).map_err(network)?;
    let _ = done_rx.await;
    let status = xhr.status().map_err(network)?;
    if status == 0 {
        return Err(Failure::Network("upload interrupted".into()));
    }
    let text = xhr.response_text().map_err(network)?.unwrap_or_default();
    let info = decode(status, &text);
    if info.is_ok() {
        percent.set(100);
    }
    info
}
