//! Showing a stored file (`GET /files/{sha256}`, which needs the bearer token) or another API
//! file (a project's tender documents) in the page: the bytes become a `blob:` URL, revoked when
//! the view goes away or, for a download, once the browser has it.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::http::{Caller, Failure, decode, fetch, network, text_of};
use crate::session::Session;

/// A file loaded into the page.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedFile {
    /// `blob:` URL of the bytes.
    pub url: String,
    /// The type the server detected (`application/pdf`, `image/png`, …).
    pub content_type: String,
}

impl LoadedFile {
    /// Whether the file is a picture (shown as `<img>`); otherwise it is a PDF.
    pub fn is_image(&self) -> bool {
        self.content_type.starts_with("image/")
    }
}

/// Loads the file `sha256`. Drop the URL with [`release`] when done.
pub async fn load(session: Session, sha256: &str) -> Result<LoadedFile, Failure> {
    load_path(session, None, &format!("/files/{sha256}")).await
}

/// Loads a file from an API `path` as the signed-in person acting for `org` (a draft's
/// attachments need both; public ones need neither).
pub async fn load_path(session: Session, org: Option<&str>, path: &str) -> Result<LoadedFile, Failure> {
    session
        .with_token(|token| async move {
            let response =
                fetch("GET", path, None, Caller { token: token.as_deref(), org, key: None }).await?;
            if !response.ok() {
                let text = text_of(&response).await?;
                let failure = decode::<()>(response.status(), &text).err();
                return Err(failure.unwrap_or_else(|| Failure::Network("file".into())));
            }
            let blob: web_sys::Blob = JsFuture::from(response.blob().map_err(network)?)
                .await
                .map_err(network)?
                .dyn_into()
                .map_err(network)?;
            let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(network)?;
            Ok(LoadedFile { url, content_type: blob.type_() })
        })
        .await
}

/// Frees a loaded file's URL.
pub fn release(file: &LoadedFile) {
    let _ = web_sys::Url::revoke_object_url(&file.url);
}

/// Keeps a signal's loaded file until it is replaced or the owner is cleaned up.
pub fn release_on_cleanup(file: RwSignal<Option<LoadedFile>>) {
    on_cleanup(move || {
        if let Some(f) = file.try_get_untracked().flatten() {
            release(&f);
        }
    });
}
