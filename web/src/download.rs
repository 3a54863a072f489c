//! Saving what the app holds (a data export, recovery codes, a loaded tender document) as a file
//! download.

use wasm_bindgen::JsCast;

/// Offers `text` as a download named `file_name`; `false` when the browser refused.
pub fn save_text(file_name: &str, mime: &str, text: &str) -> bool {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let url = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .ok()
        .and_then(|blob| web_sys::Url::create_object_url_with_blob(&blob).ok());
    url.is_some_and(|url| save_url(url, file_name))
}

/// Saves a `blob:` URL as `file_name`; the URL is revoked afterwards.
pub fn save_url(url: String, file_name: &str) -> bool {
    let save = || -> Option<()> {
        let document = web_sys::window()?.document()?;
        let link: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
        link.set_href(&url);
        link.set_download(file_name);
        link.click();
        Some(())
    };
    let saved = save().is_some();
    // Revoked a little later: the download reads the URL after the click returns.
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(10),
    );
    saved
}
