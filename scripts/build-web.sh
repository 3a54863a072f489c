#!/usr/bin/env bash
# Builds the SPA into web/dist: wasm32 release build + wasm-bindgen (no trunk, works offline).
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir="${CARGO_TARGET_DIR:-target}"
cargo build -p web --target wasm32-unknown-unknown --release
rm -rf web/dist
mkdir -p web/dist/pkg
wasm-bindgen --target web --no-typescript --out-dir web/dist/pkg "$target_dir/wasm32-unknown-unknown/release/web.wasm"
cp web/static/* web/dist/
wasm_gz=$(gzip -9 -c web/dist/pkg/web_bg.wasm | wc -c)
js_gz=$(cat web/dist/pkg/web.js web/dist/boot.js | gzip -9 | wc -c)
echo "SPA built in web/dist (gzipped: wasm ${wasm_gz} B, js ${js_gz} B)"
