//! A labelled file input that uploads the chosen file at once (`POST /files`) with a progress
//! bar, and keeps the stored file's id for the form.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::forms::{FieldError, FormErrors, failure_text, field_error};
use crate::http::Failure;
use crate::i18n::{Msg, use_i18n};
use crate::session::use_session;
use crate::upload::upload;

/// A file uploaded for this form.
#[derive(Clone, Debug, PartialEq)]
pub struct UploadedFile {
    /// The stored file's id (SHA-256).
    pub sha256: String,
    /// The name it had on the person's computer.
    pub name: String,
}

/// The file input for the API field `field`; the upload's result goes into `value`.
#[component]
pub fn FileField(
    #[prop(into)] id: String,
    label: Msg,
    value: RwSignal<Option<UploadedFile>>,
    errors: RwSignal<FormErrors>,
    #[prop(into)] field: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let percent = RwSignal::new(0_u32);
    let uploading = RwSignal::new(false);
    let failed = RwSignal::new(None::<Failure>);
    let api_error = field_error(errors, field);
    let text = move || failed.with(|f| f.as_ref().map(|f| failure_text(i18n.0.get(), f))).or_else(api_error);
    let pick = move |ev: leptos::ev::Event| {
        let file = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        let Some(file) = file else { return };
        let name = file.name();
        uploading.set(true);
        failed.set(None);
        leptos::task::spawn_local(async move {
            let result = upload(session, file, percent).await;
            uploading.set(false);
            match result {
                Ok(info) => value.set(Some(UploadedFile { sha256: info.sha256, name })),
                Err(failure) => {
                    value.set(None);
                    failed.set(Some(failure));
                }
            }
        });
    };
    let error_id = format!("{id}-error");
    let progress_id = format!("{id}-progress");
    let done_id = format!("{id}-done");
    view! {
        <label for=id.clone()>{move || i18n.t(label)}</label>
        <input id=id.clone() type="file" accept="application/pdf,image/jpeg,image/png,image/webp"
            aria-describedby=error_id.clone()
            aria-invalid=move || if text().is_some() { "true" } else { "false" }
            on:change=pick/>
        <p class="hint">{move || i18n.t(Msg::FileHint)}</p>
        <Show when=move || uploading.get()>
            <div class="upload-progress">
                <progress id=progress_id.clone() max="100" value=move || percent.get()
                    aria-label=move || i18n.t(Msg::Uploading)></progress>
                <span>{move || format!("{}%", percent.get())}</span>
            </div>
        </Show>
        {move || value.get().map(|f| view! {
            <p class="check-line ok" id=done_id.clone()>{move || i18n.t(Msg::Uploaded)}" "{f.name.clone()}</p>
        })}
        <FieldError text=text id=error_id/>
    }
}
