// Loads the WASM app. Kept out of index.html so the Content-Security-Policy needs no inline script.
import init from "/pkg/web.js";
init({ module_or_path: "/pkg/web_bg.wasm" });
