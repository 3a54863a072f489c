#!/usr/bin/env bash
# Builds the SPA into web/dist: wasm32 build (profile wasm-release: LTO, opt-level z) +
# wasm-bindgen + wasm-opt -Oz (no trunk,
# works offline once scripts/setup.sh has installed the tools).
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir="${CARGO_TARGET_DIR:-target}"
cargo build -p web --target wasm32-unknown-unknown --profile wasm-release
rm -rf web/dist
mkdir -p web/dist/pkg
wasm-bindgen --target web --no-typescript --out-dir web/dist/pkg "$target_dir/wasm32-unknown-unknown/wasm-release/web.wasm"
wasm_opt="${GONGZHU_TOOLS_DIR:-$PWD/.tools}/node_modules/.bin/wasm-opt"
"$wasm_opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  -o web/dist/pkg/web_bg.wasm web/dist/pkg/web_bg.wasm
cp web/static/* web/dist/
wasm_gz=$(gzip -9 -c web/dist/pkg/web_bg.wasm | wc -c)
js_gz=$(cat web/dist/pkg/web.js web/dist/boot.js | gzip -9 | wc -c)
echo "SPA built in web/dist (gzipped: wasm ${wasm_gz} B, js ${js_gz} B)"
