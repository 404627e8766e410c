#!/usr/bin/env bash
# Where a slow first token's time went: streams measured round-robin (direct, nginx, gateway) under a system-wide
# scheduler trace, then, for each gateway stream that was slow while the direct and nginx streams beside it were not,
# the hop that was slow and the threads that held the two CPUs meanwhile (bench/stream-trace.py).
#
#   bench/stream-trace.sh [--streams N] [--warm N] [--quiet-tools] [--no-build] [--keep]
#
# --streams: measured streams per target (default 600); --warm: streams per target run first, untraced, so the three
# processes' JIT has settled as it has in the full run's streaming phase (default 600); --quiet-tools as in run.sh
# (the client is run.sh's own wrapper, so it and the upstream run with run.sh's instrument settings either way). Needs perf (Debian: linux-perf)
# and root (system-wide tracepoints). Everything listens on 127.0.0.1; the stack is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
STREAMS=600 WARM=600 BUILD_FLAG="" KEEP=0 QUIET_FLAG=""
while [ $# -gt 0 ]; do
  case "$1" in
    --streams) STREAMS=$2; shift ;;
    --warm) WARM=$2; shift ;;
    --no-build) BUILD_FLAG=--no-build ;;
    --quiet-tools) QUIET_FLAG=--quiet-tools ;;
    --keep) KEEP=1 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "stream-trace.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
command -v perf >/dev/null || { echo "stream-trace.sh: perf is required (apt-get install linux-perf)" >&2; exit 2; }
WORK=$(mktemp -d /tmp/switchboard-trace.XXXXXX)
STACK_PID=""
cleanup() {
  [ -n "$STACK_PID" ] && kill "$STACK_PID" 2>/dev/null && wait "$STACK_PID" 2>/dev/null || true
  if [ "$KEEP" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# The stack: bench upstream, nginx and the gateway as run.sh starts them for its streaming phase.
bench/run.sh --serve 7200 $BUILD_FLAG $QUIET_FLAG --paths none --no-floor > "$WORK/stack.log" 2>&1 &
STACK_PID=$!
for _ in $(seq 1 240); do grep -q "^gateway pid" "$WORK/stack.log" && break; sleep 1; done
grep -q "^gateway pid" "$WORK/stack.log" || { cat "$WORK/stack.log" >&2; exit 1; }
url() { awk -v t="$1" '$1 == t { print $2 }' "$WORK/stack.log"; }
URLS="$(url direct),$(url nginx),$(url switchboard)"
KEY=$(awk '$1 == "key" { print $2 }' "$WORK/stack.log")
read -r GATEWAY_PID UPSTREAM_PID NGINX_PID < <(sed -n 's/^gateway pid \([0-9]*\), upstream pid \([0-9]*\), nginx pid \([0-9]*\).*/\1 \2 \3/p' "$WORK/stack.log")
NGINX_PIDS=$(echo "$NGINX_PID" $(pgrep -P "$NGINX_PID" || true) | tr ' ' ',')
# run.sh's own client wrapper (its instrument settings, --quiet-tools included) and its streams' shape.
CLIENT=$(awk '$1 == "client" { print $2 }' "$WORK/stack.log")
read -r CHUNKS INTERVAL_MS < <(awk '$1 == "stream-shape" { print $2, $3 }' "$WORK/stack.log")
ARGS=(stream --url "$URLS" --tag d,n,g --key "$KEY" --warmup 40 --warmup-concurrency 8 --chunks "$CHUNKS" --interval-ms "$INTERVAL_MS")

echo "[$(date +%T)] warming: $WARM streams per target"
mkdir -p "$WORK/warm" "$WORK/run"
"$CLIENT" "${ARGS[@]}" --streams "$WARM" --out-dir "$WORK/warm" > "$WORK/warm/client.txt"
echo "[$(date +%T)] traced: $STREAMS streams per target"
perf record -q -k mono -a -o "$WORK/perf.data" -e sched:sched_switch \
  -e syscalls:sys_enter_sendto -e syscalls:sys_exit_recvfrom > "$WORK/perf.log" 2>&1 &
PERF_PID=$!
sleep 2
"$CLIENT" "${ARGS[@]}" --streams "$STREAMS" --out-dir "$WORK/run" > "$WORK/run/client.txt" &
CLIENT_PID=$! # the client process itself (the wrapper and env exec it; its threads are named in the trace)
wait "$CLIENT_PID"
kill -INT "$PERF_PID"; wait "$PERF_PID" || true
perf script --ns -i "$WORK/perf.data" -F comm,tid,pid,cpu,time,event,trace > "$WORK/run/trace.txt" 2>/dev/null
rm -f "$WORK/perf.data"
grep "ttft net" "$WORK/run/client.txt"
python3 bench/stream-trace.py "$WORK/run" --gateway "$GATEWAY_PID" --client "$CLIENT_PID" --upstream "$UPSTREAM_PID" --nginx "$NGINX_PIDS"
