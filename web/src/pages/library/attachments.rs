//! Attachments: a field that uploads each chosen file at once (`POST /files`, with progress) and
//! lists what is attached, and the list of a saved item's files with download buttons (loaded
//! with the bearer token and the active organisation: the API serves attachments to signed-in
//! people only, and a draft's only to its organisation).

use leptos::prelude::*;
use shared::dto::AttachedFile;
use wasm_bindgen::JsCast;

use crate::active_org::use_active_org;
use crate::download::save_url;
use crate::forms::{FieldError, FormErrors, failure_text, field_error};
use crate::http::Failure;
use crate::i18n::{Msg, tr, use_i18n};
use crate::session::use_session;
use crate::stored_file::load_path;
use crate::upload::upload;

/// A file attached in a form: its stored id and a name to show.
#[derive(Clone, Debug, PartialEq)]
pub struct Attachment {
    /// SHA-256 (the stored file's id).
    pub sha256: String,
    /// The file's name on the person's computer, or a short label for one saved before.
    pub name: String,
}

impl Attachment {
    /// An attachment already saved with the item.
    pub fn saved(file: &AttachedFile, index: usize) -> Self {
        Self { sha256: file.sha256.clone(), name: file_label(file, index) }
    }
}

/// `文件 1 · PDF · 12 KB`-style label for a saved file (the API keeps no file names).
fn file_label(file: &AttachedFile, index: usize) -> String {
    let kind = file.content_type.rsplit(['/', '.']).next().unwrap_or_default().to_ascii_uppercase();
    let size = if file.size >= 1024 * 1024 {
        format!("{:.1} MB", file.size as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (file.size + 1023) / 1024)
    };
    format!("#{} · {kind} · {size}", index + 1)
}

fn extension(content_type: &str) -> &'static str {
    match content_type {
        "application/pdf" => "pdf",
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        t if t.contains("wordprocessingml") => "docx",
        t if t.contains("spreadsheetml") => "xlsx",
        _ => "bin",
    }
}

/// The upload field for the API list field `field` (`tender_files`, `files`, `photos`); `accept`
/// and `hint` narrow the file picker and say so (default: documents and pictures).
#[component]
pub fn AttachmentsField(
    id: &'static str,
    label: Msg,
    value: RwSignal<Vec<Attachment>>,
    errors: RwSignal<FormErrors>,
    field: &'static str,
    #[prop(default = ".pdf,.jpg,.jpeg,.png,.webp,.docx,.xlsx")] accept: &'static str,
    #[prop(default = Msg::AttachmentHint)] hint: Msg,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let percent = RwSignal::new(0_u32);
    let uploading = RwSignal::new(false);
    let failed = RwSignal::new(None::<Failure>);
    let api_error = field_error(errors, field);
    let text = move || failed.with(|f| f.as_ref().map(|f| failure_text(i18n.0.get(), f))).or_else(api_error);
    let pick = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
            return;
        };
        let files: Vec<web_sys::File> = input
            .files()
            .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
            .unwrap_or_default();
        input.set_value("");
        uploading.set(true);
        failed.set(None);
        leptos::task::spawn_local(async move {
            for file in files {
                let name = file.name();
                match upload(session, file, percent).await {
                    Ok(info) => value.update(|v| {
                        if !v.iter().any(|a| a.sha256 == info.sha256) {
                            v.push(Attachment { sha256: info.sha256, name });
                        }
                    }),
                    Err(failure) => {
                        failed.set(Some(failure));
                        break;
                    }
                }
            }
            uploading.set(false);
        });
    };
    let error_id = format!("{id}-error");
    view! {
        <label for=id>{tr(label)}</label>
        <input id=id type="file" multiple accept=accept
            aria-describedby=error_id.clone() on:change=pick/>
        <p class="hint">{tr(hint)}</p>
        <Show when=move || uploading.get()>
            <div class="upload-progress">
                <progress id=format!("{id}-progress") max="100" value=move || percent.get() aria-label=tr(Msg::Uploading)></progress>
                <span>{move || format!("{}%", percent.get())}</span>
            </div>
        </Show>
        <ul class="plain attachments" id=format!("{id}-list")>
            {move || value.get().into_iter().map(|a| {
                let sha = a.sha256.clone();
                view! {
                    <li>
                        <span class="check-line ok">{a.name.clone()}</span>" "
                        <button type="button" class="link" on:click=move |_| value.update(|v| v.retain(|x| x.sha256 != sha))>
                            {tr(Msg::Remove)}
                        </button>
                    </li>
                }
            }).collect_view()}
        </ul>
        <FieldError text=text id=error_id/>
    }
}

/// A saved item's files, each with a download button (`{id}-{n}`).
#[component]
pub fn AttachmentLinks(id: &'static str, files: Vec<AttachedFile>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let orgs = use_active_org();
    let failed = RwSignal::new(None::<Failure>);
    if files.is_empty() {
        return view! { <p class="hint" id=format!("{id}-none")>{tr(Msg::NoFiles)}</p> }.into_any();
    }
    // Attachments are served to signed-in people only.
    let signed_out = move || session.token.with(Option::is_none);
    view! {
        <ul class="plain attachments" id=id>
            {files.into_iter().enumerate().map(|(i, file)| {
                let label = file_label(&file, i);
                let name = format!("{}.{}", &file.sha256[..file.sha256.len().min(12)], extension(&file.content_type));
                let path = file.download_path.clone();
                let busy = RwSignal::new(false);
                let get = move |_| {
                    let (path, name) = (path.clone(), name.clone());
                    busy.set(true);
                    leptos::task::spawn_local(async move {
                        let org = orgs.acting_untracked();
                        let path = path.strip_prefix("/api/v1").unwrap_or(&path);
                        let result = load_path(session, org.as_deref(), path).await;
                        busy.set(false);
                        match result {
                            Ok(file) => {
                                failed.set(None);
                                save_url(file.url, &name);
                            }
                            Err(failure) => failed.set(Some(failure)),
                        }
                    });
                };
                view! {
                    <li>
                        <span>{label}</span>" "
                        <button type="button" class="button small" id=format!("{id}-{i}") disabled=move || busy.get() || signed_out() on:click=get>
                            {tr(Msg::Download)}
                        </button>
                    </li>
                }
            }).collect_view()}
            <Show when=signed_out>
                <li class="hint">{tr(Msg::SignInToDownload)}</li>
            </Show>
            {move || failed.get().map(|f| view! { <li class="form-error" role="alert">{move || failure_text(i18n.0.get(), &f)}</li> })}
        </ul>
    }
    .into_any()
}
