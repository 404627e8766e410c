#!/usr/bin/env bash
# A/B of gateway variants (runtime knobs, logging filters, or another build): one full stack per variant
# (bench upstream + nginx + gateway, via run.sh --serve), then interleaved rounds of latency at concurrency 1,
# wrk at 32 connections (with the gateway's CPU per request) and streaming against each variant's gateway. Prints a
# markdown table, also written to bench/results/ab-latest.md.
#
#   bench/ab.sh [--rounds 3] [--seconds 6] [--no-build] [--quiet-tools] [--reference] [--floor] VARIANT...
#
# A VARIANT is a space-separated list of NAME=value environment assignments for the gateway; "" is the baseline.
# BIN=PATH in a variant runs that gateway executable instead of this tree's build (A/B of a code change built
# elsewhere, e.g. in a scratch copy with its own artifacts/).
#   bench/ab.sh "" "DOTNET_gcServer=1" "Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics=None"
#   bench/ab.sh "" "BIN=/tmp/other/artifacts/bin/Switchboard/release/Switchboard"
# --quiet-tools: the bench client's and upstream's idle pool workers sleep at once instead of spinning (run.sh's option).
# --reference: two more rows, measured in the same rounds: the first stack's bench upstream called directly and its
#   nginx hop (CPU per request = the upstream's, nginx's workers'), and "added" columns (row − direct, per percentile).
# --floor: one more variant, the .NET floor (bench/Switchboard.Bench.Floor: YARP's forwarder with the gateway's runtime
#   settings and gen0 budget, a key check and the key swap, nothing else), in its own stack like any variant.
# The stream columns come from 20 streams of 20 chunks per round and row, run right after the wrk phase: indicative
# only (run.sh and stream-trace.sh measure first tokens with quiet phases and hundreds of streams).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ROUNDS=3 SECONDS_PER_RUN=6 BUILD_FLAG="" QUIET_FLAG="" TOOLS_ENV=() REFERENCE=0 FLOOR=0
VARIANTS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS=$2; shift ;;
    --seconds) SECONDS_PER_RUN=$2; shift ;;
    --no-build) BUILD_FLAG=--no-build ;;
    --quiet-tools) QUIET_FLAG=--quiet-tools; TOOLS_ENV=(DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0) ;;
    --reference) REFERENCE=1 ;;
    --floor) FLOOR=1 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) VARIANTS+=("$1") ;;
  esac
  shift
done
FLOOR_BIN=$ROOT/artifacts-bench/bin/Switchboard.Bench.Floor/release/Switchboard.Bench.Floor
if [ "$FLOOR" = 1 ]; then
  if [ -z "$BUILD_FLAG" ]; then
    SB_BUILD_SLOT=-bench dotnet build "$ROOT/bench/Switchboard.Bench.Floor" -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
  fi
  [ -x "$FLOOR_BIN" ] || { echo "ab.sh: $FLOOR_BIN is missing (build failed?)" >&2; exit 1; }
  # The floor gives itself the gateway's gen0 budget (it calls src/Switchboard/Hosting/Gen0Budget.cs as serve does).
  VARIANTS+=("BIN=$FLOOR_BIN")
fi
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
# One row per measured target: its label, URL and the pids whose CPU time counts for it (space-separated).
LABELS=() URLS=() CPU_PIDS=()
# How long each stack stays up: per round and row ≈ latency (1 s warm-up + the run), wrk, 20 streams of 20 chunks.
limit=$(( ROUNDS * (2 * SECONDS_PER_RUN + 10) * (${#VARIANTS[@]} + 2 * REFERENCE) + 60 * ${#VARIANTS[@]} + 120 ))
for i in "${!VARIANTS[@]}"; do
  # Only the first stack builds; the others reuse its output.
  flag=$([ "$i" = 0 ] && echo "$BUILD_FLAG" || echo --no-build)
  env_part="" bin_part=""
  for word in ${VARIANTS[$i]}; do
    case "$word" in BIN=*) bin_part=${word#BIN=} ;; *) env_part="$env_part $word" ;; esac
  done
  SB_GATEWAY_ENV="${env_part# }" SB_GATEWAY_BIN="$bin_part" "$ROOT/bench/run.sh" --serve "$limit" $flag $QUIET_FLAG --paths none --no-floor > "$WORK/serve-$i.out" 2>&1 &
  SERVERS+=($!)
  for _ in $(seq 600); do grep -q '^gateway pid' "$WORK/serve-$i.out" 2>/dev/null && break; sleep 0.2; done
  URLS+=("$(awk '$1 == "switchboard" { print $2 }' "$WORK/serve-$i.out")")
  CPU_PIDS+=("$(awk '$1 == "gateway" && $2 == "pid" { print $3 }' "$WORK/serve-$i.out" | tr -d ,)")
  [ -n "${URLS[$i]}" ] || { cat "$WORK/serve-$i.out" >&2; exit 1; }
  label=${VARIANTS[$i]:-baseline}
  [ "$FLOOR" = 1 ] && [ "$i" = $(( ${#VARIANTS[@]} - 1 )) ] && label="floor: YARP forwarder (bench/Switchboard.Bench.Floor)"
  LABELS+=("$label")
  log "variant $i ($label): ${URLS[$i]}"
done
DIRECT_ROW=-1
if [ "$REFERENCE" = 1 ]; then
  # The first stack's own upstream and nginx hop (run.sh --serve prints their URLs and pids).
  DIRECT_ROW=${#URLS[@]}
  LABELS+=("reference: direct to the bench upstream")
  URLS+=("$(awk '$1 == "direct" { print $2 }' "$WORK/serve-0.out")")
  CPU_PIDS+=("$(sed -n 's/.*upstream pid \([0-9]*\).*/\1/p' "$WORK/serve-0.out")")
  nginx_master=$(sed -n 's/.*nginx pid \([0-9]*\).*/\1/p' "$WORK/serve-0.out")
  LABELS+=("reference: nginx hop")
  URLS+=("$(awk '$1 == "nginx" { print $2 }' "$WORK/serve-0.out")")
  CPU_PIDS+=("$(pgrep -P "$nginx_master" | tr '\n' ' ')")
fi
# utime + stime of a list of pids, in clock ticks.
cpu_ticks() { local t=0 pid; for pid in $1; do t=$(( t + $(awk '{ print $14 + $15 }' "/proc/$pid/stat") )); done; echo "$t"; }

cat > "$WORK/post.lua" <<EOF
wrk.method = "POST"
wrk.body = '{"model":"bench","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Write one sentence about a switchboard operator."}],"temperature":0.7,"max_tokens":64}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $KEY"
EOF

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

for i in "${!URLS[@]}"; do wrk -t2 -c32 -d3s -s "$WORK/post.lua" "${URLS[$i]}" > /dev/null; done
LOAD_START=$(cut -d' ' -f1 /proc/loadavg)
for r in $(seq "$ROUNDS"); do
  log "round $r/$ROUNDS (load $(cut -d' ' -f1 /proc/loadavg))"
  for i in "${!URLS[@]}"; do
    "$CLIENT" latency --url "${URLS[$i]}" --key "$KEY" --warmup 1s --duration "${SECONDS_PER_RUN}s" \
      --out "$WORK/lat-$i-r$r.txt" > /dev/null
    # CPU time of the gateway per request: much less sensitive to other load on the machine than req/s.
    cpu0=$(cpu_ticks "${CPU_PIDS[$i]}")
    wrk -t2 -c32 -d"${SECONDS_PER_RUN}s" -s "$WORK/post.lua" "${URLS[$i]}" > "$WORK/wrk-$i-r$r.txt"
    cpu1=$(cpu_ticks "${CPU_PIDS[$i]}")
    awk '/Requests\/sec/ { print $2 }' "$WORK/wrk-$i-r$r.txt" > "$WORK/rps-$i-r$r.txt"
    "$CLIENT" stream --url "${URLS[$i]}" --key "$KEY" --streams 20 --warmup 2 --chunks 20 --interval-ms 10 \
      --out-dir "$WORK" --tag "$i-r$r" > /dev/null
    awk -v t="$((cpu1 - cpu0))" -v hz="$(getconf CLK_TCK)" '/requests in/ { printf "%.1f\n", t * 1e6 / hz / $1 }' \
      "$WORK/wrk-$i-r$r.txt" > "$WORK/cpu-$i-r$r.txt"
  done
done

pct() { sed -n "s/.* $1=\([0-9.]*\)us.*/\1/p"; }
P50=() P90=() P99=() RPS=() CPU=() R50=() R99=() T50=() T99=()
for i in "${!URLS[@]}"; do
  summary=$("$CLIENT" summary "$WORK"/lat-"$i"-r*.txt)
  P50+=("$(pct p50 <<< "$summary")") P90+=("$(pct p90 <<< "$summary")") P99+=("$(pct p99 <<< "$summary")")
  RPS+=("$(cat "$WORK"/rps-"$i"-r*.txt | median)") CPU+=("$(cat "$WORK"/cpu-"$i"-r*.txt | median)")
  relay=$("$CLIENT" summary "$WORK"/chunk-"$i"-r*.txt)
  R50+=("$(pct p50 <<< "$relay")") R99+=("$(pct p99 <<< "$relay")")
  first=$("$CLIENT" summary "$WORK"/ttftnet-"$i"-r*.txt)
  T50+=("$(pct p50 <<< "$first")") T99+=("$(pct p99 <<< "$first")")
done
{
  echo "### $(date -u '+%Y-%m-%d %H:%M UTC') — gateway A/B, $ROUNDS round(s) of ${SECONDS_PER_RUN} s (medians of the rounds), load average $LOAD_START at the start, $(cut -d' ' -f1 /proc/loadavg) at the end${QUIET_FLAG:+, bench client and upstream with --quiet-tools}"
  echo
  if [ "$DIRECT_ROW" -ge 0 ]; then
    echo "| variant (gateway environment) | c=1 p50 | c=1 p90 | c=1 p99 | c=1 added p50 / p99 (÷ nginx's) | c=32 req/s (÷ nginx's) | c=32 CPU per request | stream chunk relay p50 / p99 | first token w/o the upstream's wait p50 / p99 |"
    echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|"
  else
    echo "| variant (gateway environment) | c=1 p50 | c=1 p90 | c=1 p99 | c=32 req/s | c=32 gateway CPU per request | stream chunk relay p50 / p99 | first token w/o the upstream's wait p50 / p99 |"
    echo "|---|--:|--:|--:|--:|--:|--:|--:|"
  fi
  d=$DIRECT_ROW n=$(( DIRECT_ROW + 1 ))
  for i in "${!URLS[@]}"; do
    printf '| %s | %.0f µs | %.0f µs | %.0f µs |' "\`${LABELS[$i]}\`" "${P50[$i]}" "${P90[$i]}" "${P99[$i]}"
    if [ "$DIRECT_ROW" -ge 0 ]; then
      awk -v a50="${P50[$i]}" -v a99="${P99[$i]}" -v d50="${P50[$d]}" -v d99="${P99[$d]}" -v n50="${P50[$n]}" -v n99="${P99[$n]}" \
        -v rps="${RPS[$i]}" -v nrps="${RPS[$n]}" -v direct="$([ "$i" = "$d" ] && echo 1 || echo 0)" 'BEGIN {
          if (direct) { printf " – | %.0f (%.2f×) |", rps, rps / nrps; exit }
          r50 = n50 - d50 > 0 ? sprintf("%.2f×", (a50 - d50) / (n50 - d50)) : "–"
          r99 = n99 - d99 > 0 ? sprintf("%.2f×", (a99 - d99) / (n99 - d99)) : "–"
          printf " +%.0f / +%.0f µs (%s, %s) | %.0f (%.2f×) |", a50 - d50, a99 - d99, r50, r99, rps, rps / nrps }'
    else
      printf ' %.0f |' "${RPS[$i]}"
    fi
    printf ' %.0f µs | %.0f / %.0f µs | %.0f / %.0f µs |\n' "${CPU[$i]}" "${R50[$i]}" "${R99[$i]}" "${T50[$i]}" "${T99[$i]}"
  done
} | tee "$ROOT/bench/results/ab-latest.md"
