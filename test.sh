#!/usr/bin/env bash
# Runs every Moxxie test against real parts: a throwaway PostgreSQL, Debian's Chromium, the simulator over HTTPS.
# Installs PostgreSQL and Chromium from Debian's packages when missing. Last line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '\n== %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
pg_as() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# Whatever stops the run early (apt, initdb, the build), CI still gets a last line that reads as a failure; the
# throwaway PostgreSQL is stopped and its folder removed in every case.
WORK=""; PG_BIN=""; SUMMARY_PRINTED=0
cleanup() {
  local rc=$?
  if [ -n "$WORK" ] && [ -f "$WORK/pg/postmaster.pid" ]; then
    pg_as "$PG_BIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
  fi
  [ -n "$WORK" ] && rm -rf "$WORK"
  if [ "$SUMMARY_PRINTED" -eq 0 ]; then
    echo "test.sh stopped early (exit code $rc)" >&2
    echo "0 passed, 1 failed"
    [ "$rc" -eq 0 ] && rc=1
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The newest installed PostgreSQL major version that has both initdb and pg_ctl.
find_pg_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  return 0
}

# 1. What the tests need.
if [ -z "$(find_pg_bin)" ] || [ ! -x /usr/bin/chromium ]; then
  log "Installing postgresql and chromium (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update
  as_root apt-get install -y postgresql chromium
fi
PG_BIN="$(find_pg_bin)"
[ -x "$PG_BIN/initdb" ] || { echo "initdb not found under /usr/lib/postgresql" >&2; exit 1; }

# 2. A throwaway PostgreSQL on a free loopback port.
WORK="$(mktemp -d /tmp/moxxie-test.XXXXXX)"
PG_DATA="$WORK/pg"
RESULTS="$WORK/results"
mkdir -p "$RESULTS"
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$(( (RANDOM % 20000) + 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}
PG_PORT="$(free_port)"

[ "$(id -u)" -eq 0 ] && chown postgres "$WORK"
log "Starting PostgreSQL ($("$PG_BIN/postgres" --version)) on 127.0.0.1:$PG_PORT"
pg_as "$PG_BIN/initdb" -D "$PG_DATA" --auth=trust -U postgres -E UTF8 >/dev/null
if ! pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -w -l "$WORK/pg.log" \
  -o "-p $PG_PORT -k $WORK -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null; then
  echo "PostgreSQL did not start:" >&2; tail -n 20 "$WORK/pg.log" >&2 || true
  exit 1
fi
export MOXXIE_TEST_PG="Host=127.0.0.1;Port=$PG_PORT;Username=postgres"

# 3. Build once, then run every test project.
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
passed=0; failed=0
log "Building (Release)"
started=$SECONDS
if ! dotnet build Moxxie.sln -c Release -v q -nologo </dev/null; then
  echo "build failed" >&2
  exit 1
fi
echo "build: $((SECONDS - started)) s" >&2

for project in Moxxie.Tests Moxxie.E2E; do
  log "Testing $project"
  started=$SECONDS
  trx="$RESULTS/$project.trx"
  set +e
  dotnet test "$project" -c Release --no-build --blame-hang-timeout 10m \
    --logger "trx;LogFileName=$trx" --logger "console;verbosity=normal" --results-directory "$RESULTS" </dev/null
  rc=$?
  set -e
  if [ -f "$trx" ]; then
    counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
    p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
    f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
    e="$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")"
    p=${p:-0}; f=${f:-0}; e=${e:-0}
    f=$((f + e))
  else
    p=0; f=0
  fi
  # The contract suite's figures (route coverage, generated requests, returns sweep) and any visible skip.
  if [ -f "$trx" ]; then
    grep -o '\[contract\] \(coverage\|client routes\|gateway sweep\|generated requests\|returns\|SKIPPED\|FAILED\)[^<]*' "$trx" \
      | sed 's/&apos;/'"'"'/g; s/&quot;/"/g; s/&amp;/\&/g' | sort -u >&2 || true
  fi
  # A crashed or aborted test host must never read as success.
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "$project: dotnet test exited with $rc" >&2; fi
  echo "$project: $p passed, $f failed ($((SECONDS - started)) s)" >&2
  passed=$((passed + p)); failed=$((failed + f))
done

SUMMARY_PRINTED=1
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
