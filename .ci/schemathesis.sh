#!/usr/bin/env bash
# Schemathesis against the real server, once on SQLite and once on PostgreSQL: every operation
# of GET /openapi.json, with schema-valid and schema-breaking data, under every check. Fails on
# any 5xx, on any answer the document does not describe, and on any valid request refused or
# invalid one accepted. Expects target/debug/recordsdesk to be built (.ci/run builds it).
#
#   .ci/schemathesis.sh [sqlite|postgres]...     (both when none is named)
#
# Environment: SCHEMATHESIS_MAX_EXAMPLES (default 40), SCHEMATHESIS_SEED (default random),
# RECORDSDESK_SCHEMATHESIS_PG (default postgres://postgres@127.0.0.1:5432).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

SCHEMATHESIS_VERSION=4.32.5
VENV="$ROOT/target/schemathesis-venv"
BIN="$ROOT/target/debug/recordsdesk"
PG_SERVER="${RECORDSDESK_SCHEMATHESIS_PG:-postgres://postgres@127.0.0.1:5432}"
PG_DB=recordsdesk_schemathesis
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-40}"

say() { printf '\n-- schemathesis: %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }

ensure_schemathesis() {
  if [ ! -x "$VENV/bin/schemathesis" ] ||
    [ "$("$VENV/bin/schemathesis" --version 2>/dev/null)" != "schemathesis, version $SCHEMATHESIS_VERSION" ]; then
    say "installing schemathesis $SCHEMATHESIS_VERSION"
    rm -rf "$VENV"
    python3 -m venv "$VENV" || { echo "python3 -m venv failed (Debian: apt-get install python3-venv)" >&2; exit 1; }
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
  fi
  "$VENV/bin/schemathesis" --version
}

[ -x "$BIN" ] || { echo "build first: $BIN is missing" >&2; exit 1; }
ensure_schemathesis

WORK=""
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
  if [ -n "$WORK" ]; then rm -rf "$WORK"; fi
  WORK=""
}
trap cleanup EXIT INT TERM

run_backend() {
  local backend=$1
  local started=$SECONDS
  say "$backend"
  WORK=$(mktemp -d)
  export RECORDSDESK_DATA_DIR="$WORK/data"
  mkdir -p "$RECORDSDESK_DATA_DIR"
  case "$backend" in
    sqlite) export RECORDSDESK_DATABASE_URL="sqlite://$WORK/data/recordsdesk.db" ;;
    postgres)
      psql "$PG_SERVER/postgres" -Atqc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null
      psql "$PG_SERVER/postgres" -Atqc "CREATE DATABASE $PG_DB" >/dev/null
      export RECORDSDESK_DATABASE_URL="$PG_SERVER/$PG_DB"
      ;;
    *) echo "unknown backend $backend" >&2; return 2 ;;
  esac
  # Notices go to .eml files in the temp folder: nothing leaves the machine.
  export RECORDSDESK_MAIL_TRANSPORT=file
  export RECORDSDESK_BIND=127.0.0.1:0
  export RECORDSDESK_GATEWAY_TOKEN="gw_$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  # One address files every generated request; the limit itself is tested in tests/api/limits.rs.
  export RECORDSDESK__LIMITS__SUBMISSIONS_PER_MINUTE=1000000
  # The requester sends every generated file on one request; the message limits are tested in
  # tests/api/limits.rs.
  export RECORDSDESK__MESSAGES__REQUESTER_PER_HOUR=1000000
  export RECORDSDESK__MESSAGES__REQUESTER_PER_REQUEST=1000000
  local password="schemathesis-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"

  # From the temp folder, so no config/local.toml of a developer's is read.
  (cd "$WORK" && "$BIN" migrate >/dev/null)
  (cd "$WORK" && printf '%s\n' "$password" |
    "$BIN" staff add --email admin@schemathesis.test --name "Schemathesis Admin" --role admin --password-stdin)
  (cd "$WORK" && "$BIN" catalog import "$ROOT/tests/fixtures/catalog-restricted.json")

  (cd "$WORK" && exec "$BIN" serve >"$WORK/server.log" 2>&1) &
  SERVER_PID=$!
  local base=""
  for _ in $(seq 1 100); do
    base=$(sed -n 's/.*recordsdesk listening on \(http:\/\/[0-9.:]*\).*/\1/p' "$WORK/server.log" | head -n 1)
    [ -n "$base" ] && curl -fsS "$base/healthz" >/dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; return 1; }
    sleep 0.2
  done
  [ -n "$base" ] || { echo "the server did not start" >&2; cat "$WORK/server.log" >&2; return 1; }

  local login
  login=$(curl -fsS -X POST -H 'Content-Type: application/json' \
    -d "{\"email\":\"admin@schemathesis.test\",\"password\":\"$password\"}" "$base/api/v1/auth/login")
  export SCHEMATHESIS_STAFF_TOKEN
  SCHEMATHESIS_STAFF_TOKEN=$(printf '%s' "$login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  # Real requests, a document and a granted key for every per-request operation (seed.py
  # says which operation acts on which request).
  eval "$(python3 "$ROOT/.ci/schemathesis/seed.py" "$base" "$SCHEMATHESIS_STAFF_TOKEN")"
  export SCHEMATHESIS_GATEWAY_TOKEN="$RECORDSDESK_GATEWAY_TOKEN"

  local seed_args=()
  [ -n "${SCHEMATHESIS_SEED:-}" ] && seed_args=(--seed "$SCHEMATHESIS_SEED")
  local status=0
  # From the temp folder, so whatever Hypothesis keeps on disk goes away with it.
  (cd "$WORK" &&
    SCHEMATHESIS_HOOKS="$ROOT/.ci/schemathesis/hooks.py" \
    "$VENV/bin/schemathesis" --config-file "$ROOT/.ci/schemathesis/schemathesis.toml" run "$base/openapi.json" \
      --max-examples "$MAX_EXAMPLES" "${seed_args[@]}" --no-color \
      --exclude-operation-id sign_out) || status=$?
  # sign_out is left out: called with the run's one staff token, it would end it, and every
  # staff operation after would answer 401 (tests/api/sessions.rs covers it).

  # actix logs requests it cannot even parse at ERROR too; only the service's own count here.
  if grep -E 'panicked|ERROR recordsdesk' "$WORK/server.log" >&2; then
    echo "the server logged errors during the $backend run" >&2
    status=1
  fi
  if [ "$status" -ne 0 ]; then
    echo "-- the last lines the server logged:" >&2
    tail -n 40 "$WORK/server.log" >&2
  fi
  cleanup
  if [ "$backend" = postgres ]; then
    psql "$PG_SERVER/postgres" -Atqc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null || true
  fi
  say "$backend finished in $((SECONDS - started)) s with status $status"
  return "$status"
}

backends=("$@")
[ ${#backends[@]} -gt 0 ] || backends=(sqlite postgres)
for backend in "${backends[@]}"; do
  run_backend "$backend"
done
say "no failures on ${backends[*]}"
