#!/usr/bin/env bash
# Runs every test: formatting and lints, unit tests, the integration suite on SQLite and on a
# PostgreSQL server started here, the wasm build checks, and the browser end-to-end tests in
# headless Chromium. Installs what is missing first; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
ensure_test_tools
target_dir="${CARGO_TARGET_DIR:-target}"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "format"
cargo fmt --all --check

step "lints (server crates, then the SPA for wasm32)"
cargo clippy --all-targets -- -D warnings
cargo clippy -p web --target wasm32-unknown-unknown -- -D warnings

step "shared compiles to wasm32 without server dependencies"
cargo check -p shared --target wasm32-unknown-unknown
if cargo tree -p shared --target wasm32-unknown-unknown -e normal --prefix none | grep -E '^(diesel|poem|tokio) '; then
  echo "shared pulls in server crates without its openapi feature" >&2
  exit 1
fi

# Unit tests first, then the integration binary on its own: the SQLite, PostgreSQL and browser
# runs below then use one and the same build of it (a workspace-wide `cargo test` resolves
# dev-dependency features differently and would compile the suite a second time).
step "unit tests (shared, api)"
cargo test -p shared -p api

step "integration tests on SQLite"
cargo test -p integration-tests

step "SPA logic unit tests (on the host)"
cargo test -p web

step "integration tests on PostgreSQL"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
pg_dir=$(mktemp -d /tmp/gongzhu-pg-XXXXXX)
pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
chown postgres "$pg_dir"
stop_pg() {
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap stop_pg EXIT
runuser -u postgres -- "$pg_bin/initdb" -D "$pg_dir/data" --auth=trust --encoding=UTF8 --locale=C.UTF-8 -U postgres >/dev/null
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
  -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null
GONGZHU_TEST_DATABASE=postgres GONGZHU_TEST_PG_URL="postgres://postgres@127.0.0.1:$pg_port/postgres" \
  cargo test -p integration-tests

step "browser end-to-end tests (headless Chromium)"
scripts/build-web.sh
GONGZHU_TEST_WEB_DIR="$PWD/web/dist" cargo test -p integration-tests -- --ignored browser

step "all tests passed"
