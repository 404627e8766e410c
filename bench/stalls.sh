#!/usr/bin/env bash
# Stalls at concurrency 1: which requests of a closed loop take over 1.5 ms, and how far apart they come.
#
#   bench/stalls.sh [--rounds 3] [--out DIR] VARIANT...
#
# A VARIANT is as in ab.sh: space-separated NAME=value environment assignments for the gateway ("" = this tree's
# build), and BIN=PATH for another gateway build. One run.sh --serve stack per variant (no paths, no floor), all up at
# once, each warmed by the bench client at 32 connections for 8 s; then per round the bench client's c=1 latency loop
# (1 s warm-up, 8 s measured) on every variant and on the first stack's nginx hop. The samples (in the order they
# were taken) go to DIR (default: a new temp dir), and bench/stalls.py prints, per target, the pooled p99 / p99.9,
# stalls per 10k requests, and per round the stalls and how many came 95-130 ms apart (the usage ledger's 100 ms
# batch window plus a batch).
# Used for the "one stall per ledger batch" finding in docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=3 OUT=""
VARIANTS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS=$2; shift ;;
    --out) OUT=$2; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) VARIANTS+=("$1") ;;
  esac
  shift
done
[ "${#VARIANTS[@]}" -ge 1 ] || { echo "stalls.sh: give at least one variant (\"\" = baseline)" >&2; exit 2; }
OUT=${OUT:-$(mktemp -d /tmp/switchboard-stalls.XXXXXX)}
mkdir -p "$OUT"
SERVERS=() URLS=()
trap 'for p in "${SERVERS[@]}"; do kill "$p" 2>/dev/null || true; done; wait' EXIT
# Long enough for every round: (variants + nginx) x 9 s per round, plus start-up and warm-up.
limit=$(( ROUNDS * (${#VARIANTS[@]} + 1) * 12 + ${#VARIANTS[@]} * 40 + 120 ))
for i in "${!VARIANTS[@]}"; do
  env_part="" bin_part=""
  for word in ${VARIANTS[$i]}; do
    case "$word" in BIN=*) bin_part=${word#BIN=} ;; *) env_part="$env_part $word" ;; esac
  done
  SB_GATEWAY_ENV="${env_part# }" SB_GATEWAY_BIN="$bin_part" bench/run.sh --serve "$limit" --no-build --paths none --no-floor \
    > "$OUT/serve-$i.out" 2>&1 &
  SERVERS+=($!)
  for _ in $(seq 600); do grep -q '^gateway pid' "$OUT/serve-$i.out" 2>/dev/null && break; sleep 0.2; done
  URLS+=("$(awk '$1 == "switchboard" { print $2 }' "$OUT/serve-$i.out")")
  [ -n "${URLS[$i]}" ] || { cat "$OUT/serve-$i.out" >&2; exit 1; }
  echo "v$i ${VARIANTS[$i]:-baseline}: ${URLS[$i]}" | tee -a "$OUT/variants.txt" >&2
done
CLIENT=$(awk '$1 == "client" { print $2 }' "$OUT/serve-0.out")
KEY=$(awk '$1 == "key" { print $2 }' "$OUT/serve-0.out")
NGINX=$(awk '$1 == "nginx" { print $2 }' "$OUT/serve-0.out")
# Warm-up under load (the JIT's tiers and PGO), with the bench client at 32 connections rather than wrk.
for url in "${URLS[@]}"; do "$CLIENT" latency --url "$url" --key "$KEY" --concurrency 32 --warmup 0s --duration 8s > /dev/null; done
for r in $(seq "$ROUNDS"); do
  for i in "${!URLS[@]}"; do
    "$CLIENT" latency --url "${URLS[$i]}" --key "$KEY" --warmup 1s --duration 8s --out "$OUT/lat-v$i-r$r.txt" | sed "s/^/[v$i r$r] /" >&2
  done
  "$CLIENT" latency --url "$NGINX" --key "$KEY" --warmup 1s --duration 8s --out "$OUT/lat-nginx-r$r.txt" | sed "s/^/[nginx r$r] /" >&2
done
python3 bench/stalls.py "$OUT"
echo "samples in $OUT" >&2
