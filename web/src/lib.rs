//! `web`: the Gongzhu single-page app (leptos, client-side rendered, WASM). It talks JSON to
//! `/api/v1` with the `shared` crate's DTOs. Chinese first, English by a remembered switch.

mod active_org;
mod app;
mod clipboard;
mod datetime;
mod download;
mod forms;
mod header;
mod http;
mod i18n;
mod intent;
mod money;
mod notices;
mod pages;
mod paging;
mod qr;
mod query;
mod roles;
mod session;
mod staff_standing;
mod stored_file;
mod toast;
mod upload;

use wasm_bindgen::prelude::wasm_bindgen;

/// Entry point called by `boot.js` once the WASM module is loaded.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
