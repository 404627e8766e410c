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

# --- build once, then test ---------------------------------------------------------------------
dotnet build Switchboard.slnx -c Release -nologo -v quiet -clp:ErrorsOnly

log=$(mktemp)
status=0
dotnet test Switchboard.slnx -c Release --no-build -nologo -v quiet --blame-hang-timeout 5m --blame-hang-dump-type none \
  --logger "console;verbosity=normal" 2>&1 | tee "$log" || status=$?

# --- one closing line over all test assemblies -------------------------------------------------
read -r passed failed skipped < <(awk '
  /^[[:space:]]+Passed: [0-9]+[[:space:]]*$/  { p += $2 }
  /^[[:space:]]+Failed: [0-9]+[[:space:]]*$/  { f += $2 }
  /^[[:space:]]+Skipped: [0-9]+[[:space:]]*$/ { s += $2 }
  END { printf "%d %d %d\n", p, f, s }' "$log")
grep -E '^\s+Skipped ' "$log" | sed 's/^\s*/skipped: /' | sort -u || true
rm -f "$log"
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then exit 1; fi
