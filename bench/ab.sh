#!/usr/bin/env bash
# A/B of gateway variants (runtime knobs, logging filters, or another build): one full stack per variant
# (bench upstream + nginx + gateway, via run.sh --serve), then interleaved rounds of latency at concurrency 1,
# wrk at 32 connections (with the gateway's CPU per request) and streaming against each variant's gateway. Prints a
# markdown table, also written to bench/results/ab-latest.md.
#
#   bench/ab.sh [--rounds 3] [--seconds 6] [--no-build] [--quiet-tools] VARIANT...
#
# A VARIANT is a space-separated list of NAME=value environment assignments for the gateway; "" is the baseline.
# BIN=PATH in a variant runs that gateway executable instead of this tree's build (A/B of a code change built
# elsewhere, e.g. in a scratch copy with its own artifacts/).
#   bench/ab.sh "" "DOTNET_gcServer=1" "Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics=None"
#   bench/ab.sh "" "BIN=/tmp/other/artifacts/bin/Switchboard/release/Switchboard"
# --quiet-tools: the bench client's and upstream's idle pool workers sleep at once instead of spinning (run.sh's option).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ROUNDS=3 SECONDS_PER_RUN=6 BUILD_FLAG="" QUIET_FLAG="" TOOLS_ENV=()
VARIANTS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS=$2; shift ;;
    --seconds) SECONDS_PER_RUN=$2; shift ;;
    --no-build) BUILD_FLAG=--no-build ;;
    --quiet-tools) QUIET_FLAG=--quiet-tools; TOOLS_ENV=(DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0) ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) VARIANTS+=("$1") ;;
  esac
  shift
done
[ "${#VARIANTS[@]}" -ge 1 ] || { echo "ab.sh: give at least one variant (\"\" = baseline)" >&2; exit 2; }

WORK=$(mktemp -d /tmp/switchboard-ab.XXXXXX)
SERVERS=()
cleanup() {
  local status=$?
  for pid in "${SERVERS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${SERVERS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

CLIENT=$ROOT/artifacts-bench/bin/Switchboard.Bench.Client/release/Switchboard.Bench.Client
if [ "${#TOOLS_ENV[@]}" -gt 0 ]; then
  printf '#!/bin/sh\nexec env %s %q "$@"\n' "${TOOLS_ENV[*]}" "$CLIENT" > "$WORK/bench-client"
  chmod +x "$WORK/bench-client"
  CLIENT=$WORK/bench-client
fi
KEY=sk-bench-client-0123456789abcdef
URLS=() GATEWAY_PIDS=()
limit=$(( (ROUNDS * 2 * SECONDS_PER_RUN + 30) * ${#VARIANTS[@]} + 120 ))
for i in "${!VARIANTS[@]}"; do
  # Only the first stack builds; the others reuse its output.
  flag=$([ "$i" = 0 ] && echo "$BUILD_FLAG" || echo --no-build)
  env_part="" bin_part=""
  for word in ${VARIANTS[$i]}; do
    case "$word" in BIN=*) bin_part=${word#BIN=} ;; *) env_part="$env_part $word" ;; esac
  done
  SB_GATEWAY_ENV="${env_part# }" SB_GATEWAY_BIN="$bin_part" "$ROOT/bench/run.sh" --serve "$limit" $flag $QUIET_FLAG > "$WORK/serve-$i.out" 2>&1 &
  SERVERS+=($!)
  for _ in $(seq 600); do grep -q '^gateway pid' "$WORK/serve-$i.out" 2>/dev/null && break; sleep 0.2; done
  URLS+=("$(awk '$1 == "switchboard" { print $2 }' "$WORK/serve-$i.out")")
  GATEWAY_PIDS+=("$(awk '$1 == "gateway" && $2 == "pid" { print $3 }' "$WORK/serve-$i.out" | tr -d ,)")
  [ -n "${URLS[$i]}" ] || { cat "$WORK/serve-$i.out" >&2; exit 1; }
  log "variant $i (${VARIANTS[$i]:-baseline}): ${URLS[$i]}"
done

cat > "$WORK/post.lua" <<EOF
wrk.method = "POST"
wrk.body = '{"model":"bench","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Write one sentence about a switchboard operator."}],"temperature":0.7,"max_tokens":64}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $KEY"
EOF

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

for i in "${!VARIANTS[@]}"; do wrk -t2 -c32 -d3s -s "$WORK/post.lua" "${URLS[$i]}" > /dev/null; done
LOAD_START=$(cut -d' ' -f1 /proc/loadavg)
for r in $(seq "$ROUNDS"); do
  log "round $r/$ROUNDS (load $(cut -d' ' -f1 /proc/loadavg))"
  for i in "${!VARIANTS[@]}"; do
    "$CLIENT" latency --url "${URLS[$i]}" --key "$KEY" --warmup 1s --duration "${SECONDS_PER_RUN}s" \
      --out "$WORK/lat-$i-r$r.txt" > /dev/null
    # CPU time of the gateway per request: much less sensitive to other load on the machine than req/s.
    cpu0=$(awk '{ print $14 + $15 }' "/proc/${GATEWAY_PIDS[$i]}/stat")
    wrk -t2 -c32 -d"${SECONDS_PER_RUN}s" -s "$WORK/post.lua" "${URLS[$i]}" > "$WORK/wrk-$i-r$r.txt"
    cpu1=$(awk '{ print $14 + $15 }' "/proc/${GATEWAY_PIDS[$i]}/stat")
    awk '/Requests\/sec/ { print $2 }' "$WORK/wrk-$i-r$r.txt" > "$WORK/rps-$i-r$r.txt"
    "$CLIENT" stream --url "${URLS[$i]}" --key "$KEY" --streams 20 --warmup 2 --chunks 20 --interval-ms 10 \
      --out-dir "$WORK" --tag "$i-r$r" > /dev/null
    awk -v t="$((cpu1 - cpu0))" -v hz="$(getconf CLK_TCK)" '/requests in/ { printf "%.1f\n", t * 1e6 / hz / $1 }' \
      "$WORK/wrk-$i-r$r.txt" > "$WORK/cpu-$i-r$r.txt"
  done
done

{
  echo "### $(date -u '+%Y-%m-%d %H:%M UTC') — gateway A/B, $ROUNDS round(s) of ${SECONDS_PER_RUN} s (medians of the rounds), load average $LOAD_START at the start, $(cut -d' ' -f1 /proc/loadavg) at the end${QUIET_FLAG:+, bench client and upstream with --quiet-tools}"
  echo
  echo "| variant (gateway environment) | c=1 p50 | c=1 p90 | c=1 p99 | c=32 req/s | c=32 gateway CPU per request | stream chunk relay p50 / p99 |"
  echo "|---|--:|--:|--:|--:|--:|--:|"
  for i in "${!VARIANTS[@]}"; do
    summary=$("$CLIENT" summary "$WORK"/lat-"$i"-r*.txt)
    p50=$(sed -n 's/.* p50=\([0-9.]*\)us.*/\1/p' <<< "$summary")
    p90=$(sed -n 's/.* p90=\([0-9.]*\)us.*/\1/p' <<< "$summary")
    p99=$(sed -n 's/.* p99=\([0-9.]*\)us.*/\1/p' <<< "$summary")
    rps=$(cat "$WORK"/rps-"$i"-r*.txt | median)
    cpu=$(cat "$WORK"/cpu-"$i"-r*.txt | median)
    relay=$("$CLIENT" summary "$WORK"/chunk-"$i"-r*.txt)
    r50=$(sed -n 's/.* p50=\([0-9.]*\)us.*/\1/p' <<< "$relay")
    r99=$(sed -n 's/.* p99=\([0-9.]*\)us.*/\1/p' <<< "$relay")
    printf '| %s | %.0f µs | %.0f µs | %.0f µs | %.0f | %.0f µs | %.0f / %.0f µs |\n' "\`${VARIANTS[$i]:-baseline}\`" \
      "$p50" "$p90" "$p99" "$rps" "$cpu" "$r50" "$r99"
  done
} | tee "$ROOT/bench/results/ab-latest.md"
