//! A submitted document shown inside the review page: loaded with the bearer token into a
//! `blob:` URL on request; pictures as `<img>`, PDFs in an `<iframe>`.

use leptos::prelude::*;

use crate::forms::failure_text;
use crate::http::Failure;
use crate::i18n::{Msg, use_i18n};
use crate::session::use_session;
use crate::stored_file::{LoadedFile, load, release, release_on_cleanup};

/// One document: its name, a show/hide button, and the document itself when shown.
#[component]
pub fn Document(#[prop(into)] id: String, #[prop(into)] title: String, sha256: String) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let sha256 = StoredValue::new(sha256);
    let file = RwSignal::new(None::<LoadedFile>);
    let failed = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    release_on_cleanup(file);
    let toggle = move |_| {
        if let Some(shown) = file.get_untracked() {
            release(&shown);
            file.set(None);
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = load(session, &sha256.get_value()).await;
            busy.set(false);
            match result {
                Ok(loaded) => {
                    failed.set(None);
                    file.set(Some(loaded));
                }
                Err(failure) => failed.set(Some(failure)),
            }
        });
    };
    let title = StoredValue::new(title);
    view! {
        <div class="document" id=id.clone()>
            <div class="row-main">
                <span>{title.get_value()}</span>
                <button class="button small" type="button" data-action="view" disabled=move || busy.get() on:click=toggle>
                    {move || if busy.get() { i18n.t(Msg::Loading) } else if file.with(Option::is_some) { i18n.t(Msg::HideDocument) } else { i18n.t(Msg::ViewDocument) }}
                </button>
            </div>
            {move || failed.get().map(|f| view! { <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &f)}</p> })}
            {move || file.get().map(|f| if f.is_image() {
                view! { <img class="document-view" src=f.url.clone() alt=title.get_value()/> }.into_any()
            } else {
                view! { <iframe class="document-view" src=f.url.clone() title=title.get_value()></iframe> }.into_any()
            })}
        </div>
    }
}
