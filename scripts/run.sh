#!/usr/bin/env bash
# Runs Gongzhu: installs what building needs if missing, builds the SPA and the API (release),
# and serves both at http://127.0.0.1:8080 on SQLite (data/gongzhu.db). Arguments go to
# `gongzhu serve`, e.g. `scripts/run.sh --demo` to load demo people into an empty database.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
ensure_build_tools
scripts/build-web.sh
cargo build -p api --release
exec "${CARGO_TARGET_DIR:-target}/release/gongzhu" serve "$@"
