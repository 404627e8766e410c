#!/usr/bin/env bash
# Installs what the tests need and runs every test. Used as is by CI (.ci/run) on a clean checkout.
# Prints a closing line "N passed, N failed, N skipped" and exits non-zero if anything failed.
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# --- prerequisites -----------------------------------------------------------------------------
if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET 10 SDK (dotnet) is required" >&2
  exit 2
fi
# Node.js 20+ and npm run the real JavaScript clients (tests/Clients); installed the Debian way when absent.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo="sudo -n"
    echo "test.sh: installing nodejs and npm for the JavaScript client tests" >&2
    { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nodejs npm; } >&2 || true
  fi
fi

# Chromium for the web console's browser tests (driven by Playwright through its executable path; no download).
if [ ! -x "${SWITCHBOARD_CHROMIUM:-/usr/bin/chromium}" ] && command -v apt-get >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo="sudo -n"
  echo "test.sh: installing chromium for the web console tests" >&2
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium; } >&2 || true
fi

# Prometheus for the metrics test: the test starts /usr/bin/prometheus itself on loopback (never the Debian service).
if [ ! -x "${SWITCHBOARD_PROMETHEUS:-/usr/bin/prometheus}" ] && command -v apt-get >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo="sudo -n"
  echo "test.sh: installing prometheus for the metrics test" >&2
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends prometheus; } >&2 || true
fi

# nginx for the load-balancer test of deploy/nginx.conf (tests/Switchboard.Tests/Deployment).
if [ ! -x /usr/sbin/nginx ] && command -v apt-get >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo="sudo -n"
  echo "test.sh: installing nginx for the load-balancer test" >&2
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nginx; } >&2 || true
fi

# PostgreSQL: a private throwaway cluster on 127.0.0.1 for the storage tests (tools/postgres/test-cluster.sh installs
# the Debian packages when absent). SWITCHBOARD_REQUIRE_POSTGRES=1 makes the PostgreSQL cases fail, not skip, if the
# server is missing.
pg_dir=$(mktemp -d -t sb-pg-XXXXXX)
cleanup_pg() { tools/postgres/test-cluster.sh stop "$pg_dir" || true; }
trap cleanup_pg EXIT
export SWITCHBOARD_REQUIRE_POSTGRES=1
if SWITCHBOARD_TEST_POSTGRES=$(tools/postgres/test-cluster.sh start "$pg_dir"); then
  export SWITCHBOARD_TEST_POSTGRES
  echo "test.sh: PostgreSQL test server at ${SWITCHBOARD_TEST_POSTGRES}" >&2
else
  echo "test.sh: could not start PostgreSQL; the PostgreSQL storage tests will fail" >&2
  unset SWITCHBOARD_TEST_POSTGRES
fi

# --- build once, then test ---------------------------------------------------------------------
dotnet build Switchboard.slnx -c Release -nologo -v quiet -clp:ErrorsOnly

log=$(mktemp)
status=0
dotnet test Switchboard.slnx -c Release --no-build -nologo -v quiet --blame-hang-timeout 5m --blame-hang-dump-type none \
  --logger "console;verbosity=normal" 2>&1 | tee "$log" || status=$?

# --- the real JavaScript clients (openai, Vercel AI SDK, LangChain) against the Release build ------
# tests/Clients/run.sh starts the mock upstream and the gateway from artifacts/ (built above) and prints node's
# TAP summary: "# pass N", "# fail N", "# cancelled N" (counted as failed), "# skipped N", "# todo N" (counted
# as skipped: known gateway bugs), and a "# skipped:" / "# todo:" line per such test.
clients_log=$(mktemp)
clients_skip_reason=""
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  clients_skip_reason="node and npm are not available"
elif ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)'; then
  clients_skip_reason="Node.js $(node --version) is older than 20"
else
  clients_status=0
  ARTIFACTS="$PWD/artifacts${SB_BUILD_SLOT:-}" tests/Clients/run.sh 2>&1 | tee "$clients_log" || clients_status=$?
  if [ "$clients_status" -ne 0 ]; then
    status=$clients_status
    # A run that broke before node could report (npm ci, startup) still shows as a failure in the closing line.
    grep -qE '^# (fail|cancelled) [1-9]' "$clients_log" || echo "# fail 1 (tests/Clients/run.sh exited $clients_status)" >> "$clients_log"
  fi
fi

# --- one closing line over all test assemblies and the client tests --------------------------------
read -r passed failed skipped < <(awk '
  /^[[:space:]]+Passed: [0-9]+[[:space:]]*$/  { p += $2 }
  /^[[:space:]]+Failed: [0-9]+[[:space:]]*$/  { f += $2 }
  /^[[:space:]]+Skipped: [0-9]+[[:space:]]*$/ { s += $2 }
  END { printf "%d %d %d\n", p, f, s }' "$log")
read -r js_passed js_failed js_skipped < <(awk '
  /^# pass [0-9]+$/                { p += $3 }
  /^# (fail|cancelled) [0-9]+/     { f += $3 }
  /^# (skipped|todo) [0-9]+$/      { s += $3 }
  END { printf "%d %d %d\n", p, f, s }' "$clients_log")
passed=$((passed + js_passed)); failed=$((failed + js_failed)); skipped=$((skipped + js_skipped))
grep -E '^\s+Skipped ' "$log" | sed 's/^\s*/skipped: /' | sort -u || true
# Each failed .NET test again at the end, with the start of its message: the closing lines are what CI keeps.
awk '/^[[:space:]]+Failed [^:]/ { print "failed: " $0; n = 12; next } n > 0 && /^[[:space:]]+(Passed|Failed|Skipped) / { n = 0 } n-- > 0 { print "  " $0 }' "$log" || true
sed -nE 's/^# (skipped|todo): /skipped: JS client: /p' "$clients_log" || true
if [ -n "$clients_skip_reason" ]; then echo "skipped: JavaScript client tests (tests/Clients): $clients_skip_reason"; fi
rm -f "$log" "$clients_log"
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then exit 1; fi
