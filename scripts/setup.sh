#!/usr/bin/env bash
# Installs what building and testing Gongzhu need, only when missing (idempotent). Sourced by
# scripts/run.sh and scripts/test.sh; run directly to install everything: scripts/setup.sh all
set -euo pipefail

WASM_BINDGEN_VERSION=0.2.130   # must equal the `=` pin of wasm-bindgen in web/Cargo.toml
BINARYEN_VERSION=132.0.0       # wasm-opt, from npm (no network fetch at build time)
GONGZHU_TOOLS_DIR="${GONGZHU_TOOLS_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.tools}"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_wasm_bindgen() {
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
}

# wasm-opt shrinks the SPA by about a third; the npm package runs on the system's node.
ensure_wasm_opt() {
  command -v npm >/dev/null || ensure_apt nodejs npm
  if [ "$("$GONGZHU_TOOLS_DIR/node_modules/.bin/wasm-opt" --version 2>/dev/null | awk '{print $3}')" != "${BINARYEN_VERSION%%.*}" ]; then
    say "installing wasm-opt (binaryen $BINARYEN_VERSION from npm) into $GONGZHU_TOOLS_DIR"
    mkdir -p "$GONGZHU_TOOLS_DIR"
    npm install --silent --no-audit --no-fund --prefix "$GONGZHU_TOOLS_DIR" "binaryen@$BINARYEN_VERSION"
  fi
}

apt_updated=0
ensure_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if [ $apt_updated -eq 0 ]; then
    say "apt-get update"
    $sudo apt-get update -qq
    apt_updated=1
  fi
  say "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
}

# What building the SPA and running the API need (the API links libpq for its PostgreSQL
# backend and renders PDFs in WenQuanYi Zen Hei, which it loads at run time).
ensure_build_tools() {
  ensure_wasm_target
  ensure_wasm_bindgen
  ensure_apt libpq-dev fonts-wqy-zenhei
  ensure_wasm_opt
}

# What the full test run needs on top (the PDF tests read their output back with pdftotext).
ensure_test_tools() {
  ensure_build_tools
  ensure_apt postgresql chromium chromium-driver poppler-utils
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  case "${1:-all}" in
    build) ensure_build_tools ;;
    all) ensure_test_tools ;;
    *) echo "usage: scripts/setup.sh [build|all]" >&2; exit 2 ;;
  esac
fi
