#!/usr/bin/env bash
# Switchboard benchmark: what the gateway adds on top of a direct call, next to one plain nginx proxy hop.
#
#   bench/run.sh                 full run (3 interleaved rounds, ~17 minutes with every path) -> bench/results/latest.md
#   bench/run.sh --quick         smoke run (1 short round, ~3 minutes with every path)       -> bench/results/latest.md
#   bench/run.sh --memory        5,000 slow streams held open through the gateway -> bench/results/memory-latest.md
#   bench/run.sh --soak [N]      N requests (default 1,000,000) through the gateway -> bench/results/soak-latest.md
#   bench/run.sh --profile [S]   S seconds (default 20) of perf (+ dotnet-trace when installed) under wrk load
#                                -> bench/results/profile-latest.md
#   bench/run.sh --serve [S]     start the targets, print their URLs and the key, keep them up S seconds
#                                (default 600) for experiments by hand
# The suite (and --serve) measures a fourth target beside direct, nginx and the gateway: the .NET floor
# (bench/Switchboard.Bench.Floor: YARP's forwarder on Kestrel with the gateway's runtime settings, a key check and the
# key swap, nothing else), so every report shows what the platform alone costs; --no-floor leaves it out.
# Other options: --rounds N, --nginx-workers N|auto (default auto), --streams N (memory), --no-build, --keep (keep the
# temp dir with logs and raw samples), --paths LIST: the translation paths measured besides OpenAI chat -> openai
# (always measured): comma-separated from openai-anthropic, openai-gemini, anthropic-anthropic, anthropic-openai,
# anthropic-gemini, responses-responses, responses-openai, responses-stored, or all (default) or none.
# --long-paths: those paths measured as long as the OpenAI passthrough (its durations and stream count; for a run of a
# few paths). --no-floor: no .NET floor target. --quiet-tools: the bench client's and upstream's idle thread-pool
# workers sleep at once instead of spinning first (see INSTRUMENT_ENV below).
# SB_GATEWAY_ENV="NAME=value ..." passes environment variables to the gateway;
# SB_GATEWAY_BIN=PATH runs another gateway build (e.g. a branch built elsewhere) instead of this tree's.
# Modes can be combined (e.g. --memory --soak 200000); the latency/throughput suite runs when no mode flag is given.
#
# Everything listens on 127.0.0.1 only, every load is bounded in time or count, and every process this script starts
# is stopped on exit (trap), whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# --- options -----------------------------------------------------------------------------------------------------
QUICK=0 SUITE=1 MEMORY=0 SOAK=0 SOAK_N=1000000 PROFILE=0 PROFILE_SECONDS=20 SERVE=0 SERVE_SECONDS=600 ROUNDS="" NGINX_WORKERS=auto
HOLD_STREAMS=5000 BUILD=1 KEEP=0 PATHS_OPT=all QUIET_TOOLS=0 FLOOR=1 LONG_PATHS=0
is_number() { [[ "${1:-}" =~ ^[0-9]+$ ]]; }
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --memory) MEMORY=1; SUITE=0 ;;
    --soak) SOAK=1; SUITE=0; if is_number "${2:-}"; then SOAK_N=$2; shift; fi ;;
    --profile) PROFILE=1; SUITE=0; if is_number "${2:-}"; then PROFILE_SECONDS=$2; shift; fi ;;
    --serve) SERVE=1; SUITE=0; if is_number "${2:-}"; then SERVE_SECONDS=$2; shift; fi ;;
    --rounds) ROUNDS=$2; shift ;;
    --nginx-workers) NGINX_WORKERS=$2; shift ;;
    --streams) HOLD_STREAMS=$2; shift ;;
    --no-build) BUILD=0 ;;
    --keep) KEEP=1 ;;
    --quiet-tools) QUIET_TOOLS=1 ;;
    --no-floor) FLOOR=0 ;;
    --paths) PATHS_OPT=$2; shift ;;
    --long-paths) LONG_PATHS=1 ;;
    -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$QUICK" = 1 ]; then
  ROUNDS=${ROUNDS:-1} LAT_WARMUP=1s LAT_DURATION=3s WRK_DURATION=3s WARM_DURATION=2s STREAMS=30 STREAM_WARMUP=3
  PATH_LAT_WARMUP=0.5s PATH_LAT_DURATION=2s PATH_WRK_DURATION=2s PATH_WARM_DURATION=1s PATH_STREAMS=18 PATH_STREAM_WARMUP=2
  HOLD_CHUNKS=10 SOAK_N=$([ "$SOAK_N" = 1000000 ] && echo 100000 || echo "$SOAK_N") PAUSE=5 PAUSE_BETWEEN=3 MEM_ROUNDS=2
else
  ROUNDS=${ROUNDS:-3} LAT_WARMUP=1s LAT_DURATION=8s WRK_DURATION=10s WARM_DURATION=5s STREAMS=300 STREAM_WARMUP=5
  # Each translation path gets shorter runs than the OpenAI passthrough (five more paths; the full run takes ~17 min).
  PATH_LAT_WARMUP=0.5s PATH_LAT_DURATION=3s PATH_WRK_DURATION=3s PATH_WARM_DURATION=2s PATH_STREAMS=120 PATH_STREAM_WARMUP=3
  HOLD_CHUNKS=30 PAUSE=30 PAUSE_BETWEEN=10 MEM_ROUNDS=3
fi
# --long-paths: the paths measured as long as the OpenAI passthrough (for a run of a few paths whose tails matter).
if [ "$LONG_PATHS" = 1 ]; then
  PATH_LAT_WARMUP=$LAT_WARMUP PATH_LAT_DURATION=$LAT_DURATION PATH_WRK_DURATION=$WRK_DURATION PATH_WARM_DURATION=$WARM_DURATION
  PATH_STREAMS=$STREAMS PATH_STREAM_WARMUP=$STREAM_WARMUP
fi
# Short streams, many of them: the first-token rows get one sample per stream, and a p99 of 300 samples (the third
# largest) moved by milliseconds from run to run; 5 chunks instead of 20 give 3x the streams in less time, and as
# many chunk-relay and gap samples as before.
STREAM_CHUNKS=5 STREAM_INTERVAL_MS=10
# Warm-up streams per target before any is measured, 20 at a time: code that runs once per stream must be called some
# dozens of times before the tiered JIT optimizes it (with 8 warm-up streams, the first rounds measured tier-0 code).
STREAM_JIT_WARMUP=100
CLIENT_KEY=sk-bench-client-0123456789abcdef
MASTER_KEY=sk-bench-master-0123456789abcdef
RESULTS=$ROOT/bench/results
mkdir -p "$RESULTS"

# --- bookkeeping: temp dir, started processes, cleanup --------------------------------------------------------------
WORK=$(mktemp -d /tmp/switchboard-bench.XXXXXX)
RAW=$WORK/raw
mkdir -p "$RAW"
PIDS=()
cleanup() {
  local status=$?
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ "$KEEP" = 1 ] || [ "$status" != 0 ]; then echo "run.sh: logs and raw samples kept in $WORK" >&2; else rm -rf "$WORK"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
meta() { printf '%s=%s\n' "$1" "$2" >> "$RAW/meta.env"; }
load1() { cut -d' ' -f1 /proc/loadavg; }
# Percent of the machine's CPU time idle over the next $1 seconds.
idle_percent() {
  local a b
  read -r _ a1 a2 a3 a4 a5 a6 a7 a8 _ < /proc/stat; a=$((a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8))
  local idle0=$((a4 + a5))
  sleep "$1"
  read -r _ b1 b2 b3 b4 b5 b6 b7 b8 _ < /proc/stat; b=$((b1 + b2 + b3 + b4 + b5 + b6 + b7 + b8))
  echo $(( (b4 + b5 - idle0) * 100 / (b - a > 0 ? b - a : 1) ))
}
# Before a latency or streaming phase: wait (at most 20 s) until the gateway has written the ledger rows a load phase
# left queued and the machine is ≥ 90 % idle over half a second. Work left behind by wrk at 256 connections (ledger
# batches, WAL checkpoints, collections, sockets closing) otherwise lands in the next phase's samples — of the direct
# and nginx targets as much as the gateway's, all being on the same two cores — and decides a p99 of a few hundred
# streams. The wait is logged.
quiesce() {
  local start=$SECONDS pending idle=0
  while [ $((SECONDS - start)) -lt 20 ]; do
    pending=$(curl -sf "http://127.0.0.1:$GW_PORT/health/ready" | sed -n 's/.*"ledger_pending":\([0-9]*\).*/\1/p')
    idle=$(idle_percent 0.5)
    [ "${pending:-0}" = 0 ] && [ "$idle" -ge 90 ] && break
  done
  log "  quiet after $((SECONDS - start)) s (idle ${idle} %, load $(load1))"
}

# --- prerequisites ---------------------------------------------------------------------------------------------------
need_install=0
command -v wrk >/dev/null 2>&1 || need_install=1
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need_install=1
command -v curl >/dev/null 2>&1 || need_install=1
if [ "$need_install" = 1 ]; then
  log "installing wrk, nginx-light and curl from Debian"
  if ! apt-get install -y -qq wrk nginx-light curl >/dev/null; then
    apt-get update -qq && apt-get install -y -qq wrk nginx-light curl >/dev/null
  fi
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
command -v dotnet >/dev/null 2>&1 || { echo "run.sh: the .NET 10 SDK (dotnet) is required" >&2; exit 2; }

# Thousands of sockets per process in --memory: raise the open-file limit for everything started below.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# --- build -----------------------------------------------------------------------------------------------------------
export SB_BUILD_SLOT=-bench
BIN=$ROOT/artifacts-bench/bin
if [ "$BUILD" = 1 ]; then
  log "building Release into artifacts-bench/"
  for project in src/Switchboard bench/Switchboard.Bench.Upstream bench/Switchboard.Bench.Client bench/Switchboard.Bench.Floor; do
    dotnet build "$project" -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
  done
fi
GATEWAY=${SB_GATEWAY_BIN:-$BIN/Switchboard/release/Switchboard}
UPSTREAM=$BIN/Switchboard.Bench.Upstream/release/Switchboard.Bench.Upstream
CLIENT=$BIN/Switchboard.Bench.Client/release/Switchboard.Bench.Client
FLOOR_BIN=$BIN/Switchboard.Bench.Floor/release/Switchboard.Bench.Floor
# The floor is a yardstick for the suite only (memory, soak and profile measure the gateway alone).
[ "$SUITE" = 1 ] || [ "$SERVE" = 1 ] || FLOOR=0
for exe in "$GATEWAY" "$UPSTREAM" "$CLIENT" $([ "$FLOOR" = 1 ] && echo "$FLOOR_BIN"); do [ -x "$exe" ] || { echo "run.sh: $exe is missing (build failed?)" >&2; exit 1; }; done
# The bench client and upstream are instruments: every method is compiled once, fully optimized, the first time it
# runs (in the warm-up), and never again. With tiered compilation their background JIT thread ran in 2-10 ms slices
# while streams were measured, and on this VM's scheduler a thread woken meanwhile waited behind it (perf sched: 26 of
# 63 wake-ups delayed > 1 ms during 100 direct streams; none with these settings, which cost the upstream no
# throughput). The gateway runs with its own settings (its runtimeconfig, serve's gen0 budget), as users run it.
INSTRUMENT_ENV=(DOTNET_TieredCompilation=0 DOTNET_ReadyToRun=0)
# --quiet-tools: by default the instruments' idle pool workers spin (sched_yield) before they sleep, the runtime's
# default; that keeps both vCPUs busy between events, so no target waits for a halted vCPU to wake. With the spinning
# off the machine is idle between events as a real gateway host with sparse traffic is, and every target's latency
# rises (docs/benchmarks.md, "The bench's own tools").
if [ "$QUIET_TOOLS" = 1 ]; then INSTRUMENT_ENV+=(DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0); fi
printf '#!/bin/sh\nexec env %s %q "$@"\n' "${INSTRUMENT_ENV[*]}" "$CLIENT" > "$WORK/bench-client"
chmod +x "$WORK/bench-client"
CLIENT=$WORK/bench-client

# --- ports and processes ---------------------------------------------------------------------------------------------
free_port() {
  # Below the kernel's ephemeral range: a port picked inside it could be the local end of one of the previous run's
  # connections still in TIME_WAIT, and the bind would fail with "address already in use".
  # (A machine whose range starts below 11000 gets the old 20000-39999 pick.)
  local port low
  read -r low _ < /proc/sys/net/ipv4/ip_local_port_range
  while :; do
    if [ "$low" -gt 11000 ]; then port=$((10000 + RANDOM % (low - 10000))); else port=$((20000 + RANDOM % 20000)); fi
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}
wait_http() { # url, what, pid of the process that should answer
  for _ in $(seq 300); do
    curl -sf --max-time 2 -o /dev/null "$1" && return 0
    kill -0 "$3" 2>/dev/null || { echo "run.sh: $2 exited before it answered ($1)" >&2; return 1; }
    sleep 0.1
  done
  echo "run.sh: $2 did not come up ($1)" >&2; return 1
}
UP_PORT=$(free_port) NGINX_PORT=$(free_port) GW_PORT=$(free_port) FLOOR_PORT=$(free_port)
while [ "$NGINX_PORT" = "$UP_PORT" ]; do NGINX_PORT=$(free_port); done
while [ "$GW_PORT" = "$UP_PORT" ] || [ "$GW_PORT" = "$NGINX_PORT" ]; do GW_PORT=$(free_port); done
while [ "$FLOOR_PORT" = "$UP_PORT" ] || [ "$FLOOR_PORT" = "$NGINX_PORT" ] || [ "$FLOOR_PORT" = "$GW_PORT" ]; do FLOOR_PORT=$(free_port); done
declare -A URL=(
  [direct]="http://127.0.0.1:$UP_PORT/v1/chat/completions"
  [nginx]="http://127.0.0.1:$NGINX_PORT/v1/chat/completions"
  [switchboard]="http://127.0.0.1:$GW_PORT/v1/chat/completions"
  [floor]="http://127.0.0.1:$FLOOR_PORT/v1/chat/completions"
)
TARGETS=(direct nginx switchboard)
[ "$FLOOR" = 1 ] && TARGETS+=(floor)

# --- translation paths: client dialect -> upstream type --------------------------------------------------------------
# A target is one (URL, dialect, model) the client measures; its tag names its raw files. The baselines of a path are
# the client calling the path's upstream in the upstream's own dialect, directly and through nginx; the gateway target
# is the client calling the gateway in the client's dialect with the model that routes to that upstream.
declare -A T_URL T_SURL T_DIALECT T_MODEL
add_target() { # tag, url, stream url, dialect, model
  T_URL[$1]=$2 T_SURL[$1]=$3 T_DIALECT[$1]=$4 T_MODEL[$1]=$5
}
GEMINI_MODEL=gemini-2.5-flash ANTHROPIC_MODEL=claude-haiku-4-5
gemini_url() { echo "http://127.0.0.1:$1/v1beta/models/$GEMINI_MODEL:$2"; }
for t in direct nginx switchboard; do add_target "$t" "${URL[$t]}" "${URL[$t]}" openai bench; done
for side in direct nginx; do
  port=$([ "$side" = direct ] && echo "$UP_PORT" || echo "$NGINX_PORT")
  add_target "$side-anthropic" "http://127.0.0.1:$port/v1/messages" "http://127.0.0.1:$port/v1/messages" anthropic "$ANTHROPIC_MODEL"
  add_target "$side-gemini" "$(gemini_url "$port" generateContent)" "$(gemini_url "$port" 'streamGenerateContent?alt=sse')" gemini "$GEMINI_MODEL"
  # The OpenAI upstream with the send time in the text (model suffix -text-stamp): the baseline of anthropic -> openai
  # streams, whose translation drops OpenAI's obfuscation field. Its non-streaming answer is the plain one.
  add_target "$side-openai-t" "${URL[$side]}" "${URL[$side]}" openai gpt-4o-mini-text-stamp
  # The upstream's Responses API (a provider with `responses: true` passes requests through to it).
  add_target "$side-responses" "http://127.0.0.1:$port/v1/responses" "http://127.0.0.1:$port/v1/responses" responses gpt-4o-mini
done
GW_CHAT="http://127.0.0.1:$GW_PORT/v1/chat/completions" GW_MESSAGES="http://127.0.0.1:$GW_PORT/v1/messages"
GW_RESPONSES="http://127.0.0.1:$GW_PORT/v1/responses"
add_target sb-openai-anthropic "$GW_CHAT" "$GW_CHAT" openai bench-anthropic
add_target sb-openai-gemini "$GW_CHAT" "$GW_CHAT" openai bench-gemini
add_target sb-anthropic-anthropic "$GW_MESSAGES" "$GW_MESSAGES" anthropic bench-anthropic
add_target sb-anthropic-openai "$GW_MESSAGES" "$GW_MESSAGES" anthropic bench-openai-t
add_target sb-anthropic-gemini "$GW_MESSAGES" "$GW_MESSAGES" anthropic bench-gemini
add_target sb-responses-responses "$GW_RESPONSES" "$GW_RESPONSES" responses bench-responses
add_target sb-responses-openai "$GW_RESPONSES" "$GW_RESPONSES" responses bench-openai-t
# The Responses rows send what Codex CLI sends (store: false); this one leaves store out, so every answer is stored.
add_target sb-responses-stored "$GW_RESPONSES" "$GW_RESPONSES" responses-stored bench-responses
# id|title|direct|nginx|gateway|direct (streams)|nginx (streams): the lines of paths.txt (Bench.Client PathSpec).
ALL_PATHS=(
  "openai-anthropic|OpenAI chat → anthropic (translated)|direct-anthropic|nginx-anthropic|sb-openai-anthropic|direct-anthropic|nginx-anthropic"
  "openai-gemini|OpenAI chat → gemini (translated)|direct-gemini|nginx-gemini|sb-openai-gemini|direct-gemini|nginx-gemini"
  "anthropic-anthropic|Anthropic messages → anthropic (passthrough, observed)|direct-anthropic|nginx-anthropic|sb-anthropic-anthropic|direct-anthropic|nginx-anthropic"
  "anthropic-openai|Anthropic messages → openai (translated)|direct|nginx|sb-anthropic-openai|direct-openai-t|nginx-openai-t"
  "anthropic-gemini|Anthropic messages → gemini (translated)|direct-gemini|nginx-gemini|sb-anthropic-gemini|direct-gemini|nginx-gemini"
  "responses-responses|Responses → openai responses (passthrough)|direct-responses|nginx-responses|sb-responses-responses|direct-responses|nginx-responses"
  "responses-openai|Responses → openai chat (translated)|direct|nginx|sb-responses-openai|direct-openai-t|nginx-openai-t"
  "responses-stored|Responses → openai responses (passthrough, stored)|direct-responses|nginx-responses|sb-responses-stored|direct-responses|nginx-responses"
)
PATHS=() PATH_TARGETS=() PATH_STREAM_TARGETS=()
for spec in "${ALL_PATHS[@]}"; do
  id=${spec%%|*}
  case ",$PATHS_OPT," in ,all,|*,"$id",*) PATHS+=("$spec") ;; esac
done
[ "$PATHS_OPT" = all ] || [ "$PATHS_OPT" = none ] || [ "${#PATHS[@]}" -gt 0 ] \
  || { echo "run.sh: --paths $PATHS_OPT names no known path (see --help)" >&2; exit 2; }
# The targets to measure beyond direct/nginx/switchboard, path by path (direct, nginx, gateway: interleaved), each once.
add_unique() { # array name, tag
  local -n list=$1
  local x
  case "$2" in direct|nginx|switchboard|floor) return ;; esac
  for x in "${list[@]}"; do [ "$x" = "$2" ] && return; done
  list+=("$2")
}
for spec in "${PATHS[@]}"; do
  IFS='|' read -r _ _ d n g ds ns <<< "$spec"
  for t in "$d" "$n" "$g"; do add_unique PATH_TARGETS "$t"; done
  for t in "$ds" "$ns" "$g"; do add_unique PATH_STREAM_TARGETS "$t"; done
done

start_upstream() {
  env "${INSTRUMENT_ENV[@]}" "$UPSTREAM" --host 127.0.0.1 --port "$UP_PORT" --chunks "$STREAM_CHUNKS" --chunk-interval-ms "$STREAM_INTERVAL_MS" \
    > "$WORK/upstream.log" 2>&1 &
  UPSTREAM_PID=$!
  PIDS+=("$UPSTREAM_PID")
  wait_http "http://127.0.0.1:$UP_PORT/health" "bench upstream" "$UPSTREAM_PID"
}

start_nginx() {
  # A plain reverse-proxy hop: keep-alive pool to the upstream, no buffering (streams pass through as they come),
  # no access log. worker_processes auto = one per core (2 here): the gateway may use both cores too.
  mkdir -p "$WORK/nginx/tmp"
  cat > "$WORK/nginx/nginx.conf" <<EOF
worker_processes $NGINX_WORKERS;
worker_rlimit_nofile $(ulimit -n);
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections $(( $(ulimit -n) / 2 )); }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/tmp/body;
  proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
  scgi_temp_path $WORK/nginx/tmp/scgi;
  keepalive_timeout 120s;
  keepalive_requests 1000000;
  upstream bench_upstream {
    server 127.0.0.1:$UP_PORT;
    keepalive 512;
    keepalive_requests 1000000;
    keepalive_timeout 120s;
  }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://bench_upstream;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_read_timeout 300s;
    }
  }
}
EOF
  "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" > "$WORK/nginx/stdout.log" 2>&1 &
  NGINX_PID=$!
  PIDS+=("$NGINX_PID")
  wait_http "http://127.0.0.1:$NGINX_PORT/health" "nginx" "$NGINX_PID"
}

# SB_METRICS=true|false among the gateway's variables writes telemetry.metrics (the default config has no telemetry
# section, so builds from before it can be compared).
telemetry_section() {
  case " ${SB_GATEWAY_ENV:-} " in *" SB_METRICS="*) echo "telemetry: { metrics: \${SB_METRICS} }" ;; esac
}

start_gateway() { # extra env assignments may be passed, e.g. DOTNET_PerfMapEnabled=1
  cat > "$WORK/switchboard.yaml" <<EOF
# Generated by bench/run.sh: auth ON (a virtual key and the master key), limits, budget and ledger ON; one provider of each type, all on the bench
# upstream, and one model per upstream type (bench-openai-t: the OpenAI upstream with text-stamped stream chunks;
# bench-responses: the OpenAI upstream's Responses API, passed through).
master_key: $MASTER_KEY
$(telemetry_section)
providers:
  bench-upstream:
    type: openai
    base_url: http://127.0.0.1:$UP_PORT/v1
    api_key: sk-bench-upstream-key
  bench-anthropic:
    type: anthropic
    base_url: http://127.0.0.1:$UP_PORT
    api_key: sk-ant-bench-upstream-key
  bench-gemini:
    type: gemini
    base_url: http://127.0.0.1:$UP_PORT
    api_key: bench-gemini-upstream-key
  bench-responses:
    type: openai
    base_url: http://127.0.0.1:$UP_PORT/v1
    api_key: sk-bench-upstream-key
    responses: true
models:
  bench:
    - { provider: bench-upstream, model: gpt-4o-mini, input_per_mtok: 0.15, output_per_mtok: 0.6 }
  bench-openai-t:
    - { provider: bench-upstream, model: gpt-4o-mini-text-stamp, input_per_mtok: 0.15, output_per_mtok: 0.6 }
  bench-anthropic:
    - { provider: bench-anthropic, model: $ANTHROPIC_MODEL, input_per_mtok: 3, output_per_mtok: 15 }
  bench-gemini:
    - { provider: bench-gemini, model: $GEMINI_MODEL, input_per_mtok: 0.3, output_per_mtok: 2.5 }
  bench-responses:
    - { provider: bench-responses, model: gpt-4o-mini, input_per_mtok: 0.15, output_per_mtok: 0.6 }
# Limits and a budget ON as users run them (rpm, tpm, parallel, budget admitted, reserved and settled per request),
# set high enough never to refuse a benchmark request. The usage ledger writes to SQLite in the gateway's data dir.
keys:
  - key: $CLIENT_KEY
    name: bench
    models: [bench, bench-openai-t, bench-anthropic, bench-gemini, bench-responses]
    rpm: 1000000000
    tpm: 2000000000
    max_parallel: 100000
    budget_usd: 1000000000
EOF
  # Its own empty working directory: nothing the benchmark writes lands under the gateway's content root.
  mkdir -p "$WORK/gateway"
  (cd "$WORK/gateway" && exec env "$@" "$GATEWAY" serve --config "$WORK/switchboard.yaml" --host 127.0.0.1 --port "$GW_PORT") \
    > "$WORK/gateway.log" 2>&1 &
  GATEWAY_PID=$!
  PIDS+=("$GATEWAY_PID")
  wait_http "http://127.0.0.1:$GW_PORT/health/ready" "gateway" "$GATEWAY_PID"
}

# The .NET floor on the gateway's config file (same key, same upstream and upstream key). Like the gateway's serve, it
# gives itself the 32 MiB gen0 budget (both call src/Switchboard/Hosting/Gen0Budget.cs).
start_floor() {
  mkdir -p "$WORK/floor"
  (cd "$WORK/floor" && exec "$FLOOR_BIN" serve --config "$WORK/switchboard.yaml" --host 127.0.0.1 --port "$FLOOR_PORT") \
    > "$WORK/floor.log" 2>&1 &
  FLOOR_PID=$!
  PIDS+=("$FLOOR_PID")
  wait_http "http://127.0.0.1:$FLOOR_PORT/health" "floor" "$FLOOR_PID"
}

# CPU time (clock ticks, user + system) of processes: for nginx the master and its workers.
cpu_ticks() { local pid total=0; for pid in "$@"; do total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0))); done; echo "$total"; }
proxy_pids() { # target (nginx-* and sb-* are the translation paths' targets)
  case "$1" in
    nginx|nginx-*) echo "$NGINX_PID $(pgrep -P "$NGINX_PID" | tr '\n' ' ')" ;;
    switchboard|sb-*) echo "$GATEWAY_PID" ;;
    floor) echo "$FLOOR_PID" ;;
    *) echo "" ;;
  esac
}

# How much of the machine other work (other builds, other users) took during a phase: all busy CPU time minus what
# this script's processes used (the long-running servers, plus waited-for children such as wrk and the client).
busy_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 }' /proc/stat; }
own_ticks() {
  # shellcheck disable=SC2046
  echo $(( $(cpu_ticks "$GATEWAY_PID" "$UPSTREAM_PID" $(proxy_pids nginx)) + $(awk '{ print $16 + $17 }' "/proc/$$/stat") ))
}
foreign_share() { # busy0 own0 seconds0 -> percent of the machine used by others since then
  awk -v b="$(( $(busy_ticks) - $1 ))" -v o="$(( $(own_ticks) - $2 ))" -v s="$(( SECONDS - $3 ))" \
    -v n="$(nproc)" -v hz="$(getconf CLK_TCK)" 'BEGIN { f = (b - o) / (s * n * hz) * 100; if (f < 0) f = 0; printf "%.0f %%", f }'
}

rss_kb() { awk -v k="${2:-VmRSS}:" '$1 == k { print $2 }' "/proc/$1/status"; }
mib() { awk -v kb="$1" 'BEGIN { printf "%.1f MiB", kb / 1024 }'; }

sanity_check() {
  local body='{"model":"bench","messages":[{"role":"user","content":"hi"}]}' t code
  for t in "${TARGETS[@]}"; do
    code=$(curl -s -o "$WORK/sanity-$t.json" -w '%{http_code}' -H "Authorization: Bearer $CLIENT_KEY" \
      -H 'Content-Type: application/json' -d "$body" "${URL[$t]}")
    [ "$code" = 200 ] && grep -q '"chat.completion"' "$WORK/sanity-$t.json" \
      || { echo "run.sh: $t answered $code: $(head -c 300 "$WORK/sanity-$t.json")" >&2; exit 1; }
  done
  # Auth really is ON: no key and a wrong key are refused by the gateway (and by the floor, whose key check is its share).
  for t in switchboard $([ "$FLOOR" = 1 ] && echo floor); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "$body" "${URL[$t]}")
    [ "$code" = 401 ] || { echo "run.sh: $t answered $code without a key (auth must be ON)" >&2; exit 1; }
    code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer sk-wrong' -H 'Content-Type: application/json' -d "$body" "${URL[$t]}")
    [ "$code" = 401 ] || { echo "run.sh: $t answered $code to a wrong key" >&2; exit 1; }
  done
  # Every path target answers 200 in its dialect (the gateway accepted the canned upstream answer and translated it).
  local marker
  for t in "${PATH_TARGETS[@]}" "${PATH_STREAM_TARGETS[@]}"; do
    case "${T_DIALECT[$t]}" in
      anthropic) marker='"type":"message"' ;; gemini) marker='"candidates"' ;; responses|responses-stored) marker='"object":"response"' ;;
      *) marker='"chat.completion"' ;;
    esac
    auth_args "${T_DIALECT[$t]}" "$CLIENT_KEY"
    code=$(curl -s -o "$WORK/sanity-$t.json" -w '%{http_code}' "${AUTH_ARGS[@]}" -H 'Content-Type: application/json' \
      -d "$(target_body "$t" false)" "${T_URL[$t]}")
    [ "$code" = 200 ] && grep -q "$marker" "$WORK/sanity-$t.json" \
      || { echo "run.sh: $t answered $code: $(head -c 300 "$WORK/sanity-$t.json")" >&2; exit 1; }
  done
  if [ "${#PATHS[@]}" -gt 0 ]; then
    code=$(curl -s -o /dev/null -w '%{http_code}' -H 'x-api-key: sk-wrong' -H 'anthropic-version: 2023-06-01' \
      -H 'Content-Type: application/json' -d "$(target_body sb-anthropic-anthropic false)" "$GW_MESSAGES")
    [ "$code" = 401 ] || { echo "run.sh: the gateway answered $code to a wrong x-api-key on /v1/messages" >&2; exit 1; }
  fi
}

# The key in the dialect's own header(s), into the array AUTH_ARGS (curl arguments).
auth_args() { # dialect, key
  case "$1" in
    anthropic) AUTH_ARGS=(-H "x-api-key: $2" -H 'anthropic-version: 2023-06-01') ;;
    gemini) AUTH_ARGS=(-H "x-goog-api-key: $2") ;;
    *) AUTH_ARGS=(-H "Authorization: Bearer $2") ;;
  esac
}
# A target's request body, exactly as the bench client sends it (its "body" command).
target_body() { # tag, stream true|false
  "$CLIENT" body --dialect "${T_DIALECT[$1]}" --model "${T_MODEL[$1]}" --stream "$2"
}

# wrk script: POST with the chat body and the key; done() prints exact figures as one JSON line (latencies in µs).
write_wrk_script() { # file, [stop after this many responses per thread], [body], [dialect]
  local body
  body=$(printf '%s' "${3:-$CHAT_BODY}" | sed 's/\\/\\\\/g; s/"/\\"/g')
  {
    echo 'wrk.method = "POST"'
    echo "wrk.body = \"$body\""
    echo 'wrk.headers["Content-Type"] = "application/json"'
    case "${4:-openai}" in
      anthropic) echo "wrk.headers[\"x-api-key\"] = \"$CLIENT_KEY\""; echo 'wrk.headers["anthropic-version"] = "2023-06-01"' ;;
      gemini) echo "wrk.headers[\"x-goog-api-key\"] = \"$CLIENT_KEY\"" ;;
      *) echo "wrk.headers[\"Authorization\"] = \"Bearer $CLIENT_KEY\"" ;;
    esac
    if [ -n "${2:-}" ]; then
      # wrk's main thread sleeps for the whole -d whatever its threads do, so each thread that reached its count
      # stops and drops a marker file; the caller interrupts wrk (SIGINT: it prints its summary) once all are there.
      echo "local limit, count, next_id = $2, 0, 1"
      echo 'function setup(thread) thread:set("id", next_id); next_id = next_id + 1 end'
      echo "function response(status, headers, body) count = count + 1; if count == limit then"
      echo "  local f = io.open(\"$WORK/wrk-done-\" .. id, \"w\"); f:close(); wrk.thread:stop() end end"
    fi
    cat <<'EOF'
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"p50":%.1f,"p90":%.1f,"p99":%.1f,"p999":%.1f,"max":%.1f,"mean":%.1f,"errors_status":%d,"errors_connect":%d,"errors_read":%d,"errors_write":%d,"errors_timeout":%d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max, latency.mean, e.status, e.connect, e.read, e.write, e.timeout))
end
EOF
  } > "$1"
}
# The same request the bench client sends (Switchboard.Bench.Client/Http.cs ChatBody).
CHAT_BODY='{"model":"bench","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Write one sentence about a switchboard operator."}],"temperature":0.7,"max_tokens":64}'

machine_meta() {
  meta date "$(date -u '+%Y-%m-%d %H:%M UTC')"
  meta cpus "$(nproc)"
  meta cpu_model "$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
  meta memory "$(awk '/MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo)"
  meta kernel "$(uname -r)"
  meta dotnet "$(dotnet --list-runtimes | awk '/Microsoft.NETCore.App/ { v = $2 } END { print v }') (SDK $(dotnet --version))"
  meta vm "$(lscpu 2>/dev/null | awk -F': *' '/Hypervisor vendor/ { print $2 }')"
  meta nginx "$("$NGINX" -v 2>&1 | sed 's/.*nginx\///')"
  meta wrk "$(wrk -v 2>&1 | awk 'NR == 1 { print $2 }')"
  meta nginx_workers "$NGINX_WORKERS$([ "$NGINX_WORKERS" = auto ] && echo " = $(nproc)")"
}

# --- the latency / throughput / streaming suite ---------------------------------------------------------------------
run_suite() {
  local mode r t c
  mode=$([ "$QUICK" = 1 ] && echo quick || echo full)
  log "suite ($mode, $ROUNDS round(s)); load average $(cut -d' ' -f1-3 /proc/loadavg)"
  meta mode "$mode"
  meta rounds "$ROUNDS"
  meta load_start "$(load1)"
  meta body_bytes "${#CHAT_BODY}"
  meta response_bytes "$(wc -c < "$WORK/sanity-direct.json" | tr -d ' ')"
  meta stream_chunks "$STREAM_CHUNKS"
  meta stream_interval_ms "$STREAM_INTERVAL_MS"
  meta rss_start "$(mib "$(rss_kb "$GATEWAY_PID")")"
  write_wrk_script "$WORK/post.lua"
  printf '%s\n' "${PATHS[@]}" | sed '/^$/d' > "$RAW/paths.txt"
  meta paths "$(printf '%s\n' "${PATHS[@]}" | cut -d'|' -f1 | paste -sd, -)"
  local busy0 own0 seconds0
  busy0=$(busy_ticks) own0=$(own_ticks) seconds0=$SECONDS

  log "warm-up: wrk $WARM_DURATION at 32 connections on each target, then streams"
  for t in "${TARGETS[@]}"; do
    wrk -t2 -c32 -d"$WARM_DURATION" -s "$WORK/post.lua" "${URL[$t]}" > "$WORK/warmup-$t.txt"
    "$CLIENT" stream --url "${URL[$t]}" --key "$CLIENT_KEY" --streams 1 --warmup "$STREAM_JIT_WARMUP" --warmup-concurrency 20 \
      --chunks "$STREAM_CHUNKS" --interval-ms 1 > /dev/null
  done
  for t in "${PATH_TARGETS[@]}"; do
    write_wrk_script "$WORK/post-$t.lua" "" "$(target_body "$t" false)" "${T_DIALECT[$t]}"
    wrk -t2 -c32 -d"$PATH_WARM_DURATION" -s "$WORK/post-$t.lua" "${T_URL[$t]}" > "$WORK/warmup-$t.txt"
  done
  for t in "${PATH_STREAM_TARGETS[@]}"; do
    path_stream_warmup "$t" "$STREAM_JIT_WARMUP" "$WORK/warmup-stream-$t.txt" \
      || { cat "$WORK/warmup-stream-$t.txt" >&2; echo "run.sh: streams on $t failed" >&2; exit 1; }
  done
  meta rss_warm "$(mib "$(rss_kb "$GATEWAY_PID")")"

  for r in $(seq "$ROUNDS"); do
    quiesce
    log "round $r/$ROUNDS: latency at concurrency 1 (load $(load1))"
    for t in "${TARGETS[@]}"; do
      "$CLIENT" latency --url "${URL[$t]}" --key "$CLIENT_KEY" --warmup "$LAT_WARMUP" --duration "$LAT_DURATION" \
        --out "$RAW/lat-$t-r$r.txt" | sed "s/^/  [$t] /" >&2
    done
    for c in 32 256; do
      log "round $r/$ROUNDS: wrk -t2 -c$c -d$WRK_DURATION (load $(load1))"
      for t in "${TARGETS[@]}"; do wrk_run "$t" "$c" "$r" "$WRK_DURATION" "$WORK/post.lua" "${URL[$t]}"; done
    done
    quiesce
    log "round $r/$ROUNDS: streaming, $STREAM_CHUNKS chunks every $STREAM_INTERVAL_MS ms (load $(load1))"
    # Round-robin (one stream of each target in turn): the VM's wake-up delays come in phases of seconds, and targets
    # measured in blocks one after another would each get a different phase.
    "$CLIENT" stream --url "$(joined URL "${TARGETS[@]}")" --tag "$(printf "%s-r$r," "${TARGETS[@]}")" --key "$CLIENT_KEY" \
      --streams "$STREAMS" --warmup "$STREAM_WARMUP" --chunks "$STREAM_CHUNKS" --interval-ms "$STREAM_INTERVAL_MS" \
      --out-dir "$RAW" | sed "s/^/  /" >&2
    [ "${#PATHS[@]}" -gt 0 ] && run_path_round "$r"
  done
  meta load_end "$(load1)"
  meta foreign_cpu "$(foreign_share "$busy0" "$own0" "$seconds0")"
  meta rss_peak "$(mib "$(rss_kb "$GATEWAY_PID" VmHWM)")"
  meta rss_end "$(mib "$(rss_kb "$GATEWAY_PID")")"
  "$CLIENT" report --raw "$RAW" --out "$RESULTS/latest.md"
  log "wrote bench/results/latest.md"
}

# One wrk measurement of a target: its raw output, the CPU ticks its proxy process(es) and the bench upstream spent
# meanwhile, and a one-line summary on stderr. Shared by the passthrough rounds and the translation-path rounds.
wrk_run() { # target, connections, round, duration, lua script, url
  local t=$1 c=$2 r=$3 proxy0 upstream0
  # shellcheck disable=SC2046 # word splitting of the pid lists is wanted
  proxy0=$(cpu_ticks $(proxy_pids "$t")) upstream0=$(cpu_ticks "$UPSTREAM_PID")
  wrk -t2 -c"$c" -d"$4" --latency -s "$5" "$6" > "$RAW/wrk-$t-c$c-r$r.txt"
  # shellcheck disable=SC2046
  echo "$(( $(cpu_ticks $(proxy_pids "$t")) - proxy0 )) $(( $(cpu_ticks "$UPSTREAM_PID") - upstream0 )) $(getconf CLK_TCK)" \
    > "$RAW/cpu-$t-c$c-r$r.txt"
  awk -v t="$t" '/Requests\/sec/ { rps = $2 } /^ +99%/ { p99 = $2 } /Non-2xx|Socket errors/ { err = err " " $0 }
    END { printf "  [%s] %s req/s, p99 %s%s\n", t, rps, p99, err }' "$RAW/wrk-$t-c$c-r$r.txt" >&2
}

# One target's warm-up streams (20 at a time, then one measured): the bench client in the target's dialect, on its
# stream URL.
path_stream_warmup() { # tag, warm-up streams, output file
  "$CLIENT" stream --url "${T_SURL[$1]}" --dialect "${T_DIALECT[$1]}" --model "${T_MODEL[$1]}" --key "$CLIENT_KEY" \
    --streams 1 --warmup "$2" --warmup-concurrency 20 --chunks "$STREAM_CHUNKS" --interval-ms "$STREAM_INTERVAL_MS" > "$3"
}

# One round of the translation paths: the same measurements as the OpenAI passthrough (latency at concurrency 1, wrk at
# 32 and 256 connections, streams), shorter, each path's direct, nginx and gateway targets back to back.
run_path_round() { # round
  local r=$1 t c
  quiesce
  log "round $r/$ROUNDS: translation paths, latency at concurrency 1 (load $(load1))"
  for t in "${PATH_TARGETS[@]}"; do
    "$CLIENT" latency --url "${T_URL[$t]}" --dialect "${T_DIALECT[$t]}" --model "${T_MODEL[$t]}" --key "$CLIENT_KEY" \
      --warmup "$PATH_LAT_WARMUP" --duration "$PATH_LAT_DURATION" --out "$RAW/lat-$t-r$r.txt" | sed "s/^/  [$t] /" >&2
  done
  for c in 32 256; do
    log "round $r/$ROUNDS: translation paths, wrk -t2 -c$c -d$PATH_WRK_DURATION (load $(load1))"
    for t in "${PATH_TARGETS[@]}"; do wrk_run "$t" "$c" "$r" "$PATH_WRK_DURATION" "$WORK/post-$t.lua" "${T_URL[$t]}"; done
  done
  quiesce
  log "round $r/$ROUNDS: translation paths, streaming, round-robin over their targets (load $(load1))"
  local ok=0
  "$CLIENT" stream --url "$(joined T_SURL "${PATH_STREAM_TARGETS[@]}")" --dialect "$(joined T_DIALECT "${PATH_STREAM_TARGETS[@]}")" \
    --model "$(joined T_MODEL "${PATH_STREAM_TARGETS[@]}")" --tag "$(printf "%s-r$r," "${PATH_STREAM_TARGETS[@]}")" \
    --key "$CLIENT_KEY" --streams "$PATH_STREAMS" --warmup "$PATH_STREAM_WARMUP" --chunks "$STREAM_CHUNKS" \
    --interval-ms "$STREAM_INTERVAL_MS" --out-dir "$RAW" > "$WORK/stream-paths-r$r.txt" || ok=$?
  sed "s/^/  /" "$WORK/stream-paths-r$r.txt" >&2
  [ "$ok" = 0 ] || { echo "run.sh: streams on the translation paths failed" >&2; exit 1; }
}

# The values of an associative array for the given keys, comma-separated (the stream command's target lists).
joined() { # array name, keys...
  local -n values=$1
  shift
  local k out=""
  for k in "$@"; do out+="${values[$k]},"; done
  echo "${out%,}"
}

# One line for the memory, soak and profile reports: which gateway build and environment ran.
gateway_note() {
  local env_text=""
  [ -n "${SB_GATEWAY_ENV:-}" ] && env_text=", environment: $SB_GATEWAY_ENV"
  echo "Gateway: ${SB_GATEWAY_BIN:-the Release build of this tree (artifacts-bench)}$env_text; auth ON."
}

# --- memory: thousands of slow streams held open ---------------------------------------------------------------------
sample_rss() { # pid, file: one "seconds rss_kb" line per second until killed
  local start=$SECONDS
  while kill -0 "$1" 2>/dev/null; do echo "$((SECONDS - start)) $(rss_kb "$1")" >> "$2"; sleep 1; done
}

run_memory() {
  local before sampler out=$RESULTS/memory-latest.md status=0 round hwm peak after paused gc_line after_gc rows="" holds="" first_hwm=0
  log "memory: $HOLD_STREAMS concurrent streams, $HOLD_CHUNKS chunks 1 s apart, through the gateway, $MEM_ROUNDS rounds (load $(load1))"
  write_wrk_script "$WORK/post.lua"
  wrk -t2 -c32 -d3s -s "$WORK/post.lua" "${URL[switchboard]}" > /dev/null
  sleep 2
  before=$(rss_kb "$GATEWAY_PID")
  sample_rss "$GATEWAY_PID" "$WORK/rss-memory.txt" &
  sampler=$!
  PIDS+=("$sampler")
  # Several rounds: later rounds must not keep needing more memory (what the first took is reused, not leaked).
  for round in $(seq "$MEM_ROUNDS"); do
    : > "$WORK/rss-memory.txt"
    "$CLIENT" hold --url "${URL[switchboard]}" --key "$CLIENT_KEY" --streams "$HOLD_STREAMS" --ramp-per-sec 1000 \
      --chunks "$HOLD_CHUNKS" --interval-ms 1000 --timeout 10m > "$WORK/hold-$round.txt" 2>&1 || status=$?
    sed "s/^/  [round $round] /" "$WORK/hold-$round.txt" >&2
    hwm=$(rss_kb "$GATEWAY_PID" VmHWM)
    peak=$(awk 'BEGIN { m = 0 } $2 > m { m = $2 } END { print m }' "$WORK/rss-memory.txt")
    sleep 5
    after=$(rss_kb "$GATEWAY_PID")
    rows+="| $round | $(mib "$peak" | cut -d' ' -f1) | $(mib "$hwm" | cut -d' ' -f1) | $(mib "$after" | cut -d' ' -f1) |"$'\n'
    holds+="- round $round: $(grep '^hold:' "$WORK/hold-$round.txt" | sed 's/^hold: //'); time to first byte $(grep 'ttfb' "$WORK/hold-$round.txt" | sed 's/^ *ttfb //')"$'\n'
    [ "$round" = 1 ] && first_hwm=$hwm
    log "memory: round $round done (RSS $(mib "$after")), pausing ${PAUSE_BETWEEN}s"
    sleep "$PAUSE_BETWEEN"
  done
  kill "$sampler" 2>/dev/null || true
  log "memory: idle ${PAUSE}s, then a full GC induced from outside"
  sleep "$PAUSE"
  paused=$(rss_kb "$GATEWAY_PID")
  gc_line=$(induce_full_gc)
  sleep 5
  after_gc=$(rss_kb "$GATEWAY_PID")
  {
    echo "### $(date -u '+%Y-%m-%d %H:%M UTC') — memory: $HOLD_STREAMS concurrent slow streams through the gateway, $MEM_ROUNDS rounds"
    echo
    echo "Each stream: the bench upstream sends $HOLD_CHUNKS content chunks 1 s apart; streams opened at 1,000/s, held until [DONE]."
    gateway_note
    echo
    printf '%s' "$holds"
    echo
    echo "| round | highest 1 s RSS sample while the streams were open (MiB) | VmHWM so far (MiB) | RSS 5 s after the last stream ended (MiB) |"
    echo "|--:|--:|--:|--:|"
    printf '%s' "$rows"
    echo
    echo "Gateway RSS: $(mib "$before") before the first round (idle, after a 3 s warm-up); $(mib "$paused") after ${PAUSE} s idle at the end;"
    echo "$(mib "$after_gc") 5 s after a full GC induced from outside. ${gc_line:-}."
    echo
    awk -v b="$before" -v h="$first_hwm" -v n="$HOLD_STREAMS" \
      'BEGIN { printf "Memory per held stream, (first-round peak − before) / streams: %.1f KiB. ", (h - b) / n }'
    echo "Load average at the end: $(load1)."
  } > "$out"
  cat "$out"
  log "wrote bench/results/memory-latest.md"
  return "$status"
}

# --- soak: a long run of requests, RSS must stay flat ----------------------------------------------------------------
run_soak() {
  local before hwm after paused sampler per_thread limit_s out=$RESULTS/soak-latest.md
  per_thread=$(( (SOAK_N + 1) / 2 ))
  limit_s=$(( SOAK_N / 500 + 120 ))
  log "soak: $SOAK_N requests through the gateway at 32 connections (stops after ${limit_s}s at most; load $(load1))"
  write_wrk_script "$WORK/post.lua"
  write_wrk_script "$WORK/soak.lua" "$per_thread"
  wrk -t2 -c32 -d3s -s "$WORK/post.lua" "${URL[switchboard]}" > /dev/null
  sleep 2
  before=$(rss_kb "$GATEWAY_PID")
  sample_rss "$GATEWAY_PID" "$WORK/rss-soak.txt" &
  sampler=$!
  PIDS+=("$sampler")
  wrk -t2 -c32 -d"${limit_s}s" --latency -s "$WORK/soak.lua" "${URL[switchboard]}" > "$WORK/soak-wrk.txt" &
  local wrk_pid=$!
  PIDS+=("$wrk_pid")
  while kill -0 "$wrk_pid" 2>/dev/null && [ "$(ls "$WORK"/wrk-done-* 2>/dev/null | wc -l)" -lt 2 ]; do sleep 0.2; done
  kill -INT "$wrk_pid" 2>/dev/null || true
  wait "$wrk_pid" || true
  hwm=$(rss_kb "$GATEWAY_PID" VmHWM)
  sleep 5
  after=$(rss_kb "$GATEWAY_PID")
  log "soak: pausing ${PAUSE}s"
  sleep "$PAUSE"
  paused=$(rss_kb "$GATEWAY_PID")
  kill "$sampler" 2>/dev/null || true
  {
    echo "### $(date -u '+%Y-%m-%d %H:%M UTC') — soak: $SOAK_N requests through the gateway (wrk -t2 -c32)"
    echo
    gateway_note
    sed -n 's/^WRKJSON //p' "$WORK/soak-wrk.txt" | awk '{
      match($0, /"requests":[0-9]+/); req = substr($0, RSTART + 11, RLENGTH - 11)
      match($0, /"duration_us":[0-9]+/); dur = substr($0, RSTART + 14, RLENGTH - 14)
      match($0, /"p99":[0-9.]+/); p99 = substr($0, RSTART + 6, RLENGTH - 6)
      match($0, /"errors_status":[0-9]+/); st = substr($0, RSTART + 16, RLENGTH - 16)
      printf "%d responses in %.0f s (%.0f req/s), p99 %.2f ms, non-2xx %d.\n", req, dur / 1e6, req / (dur / 1e6), p99 / 1000, st }'
    grep 'Socket errors' "$WORK/soak-wrk.txt" || true
    echo
    echo "| gateway RSS | MiB |"
    echo "|---|--:|"
    echo "| before (after a 3 s warm-up) | $(mib "$before" | cut -d' ' -f1) |"
    awk 'NR > 0 { n++; v[n] = $2 } END {
      q = int(n / 4); if (q < 1) q = 1
      printf "| during: median of the 1st quarter of the run | %.1f |\n", med(v, 1, q) / 1024
      printf "| during: median of the last quarter of the run | %.1f |\n", med(v, n - q + 1, n) / 1024 }
      function med(a, lo, hi,   i, j, t, m, b) { m = 0; for (i = lo; i <= hi; i++) b[++m] = a[i]
        for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (b[j] < b[i]) { t = b[i]; b[i] = b[j]; b[j] = t }
        return b[int((m + 1) / 2)] }' "$WORK/rss-soak.txt"
    echo "| peak (VmHWM, whole process life) | $(mib "$hwm" | cut -d' ' -f1) |"
    echo "| 5 s after the run | $(mib "$after" | cut -d' ' -f1) |"
    echo "| after a further ${PAUSE} s pause | $(mib "$paused" | cut -d' ' -f1) |"
    echo
    echo "Load average at the end: $(load1)."
  } > "$out"
  cat "$out"
  log "wrote bench/results/soak-latest.md"
}

# --- .NET diagnostics: dotnet-trace (a NuGet tool) and the allocation/GC report built from bench/alloc-report ----------
TRACE_TOOL=${DOTNET_TRACE:-$(command -v dotnet-trace || echo /tmp/dt/dotnet-trace)}
ALLOC_REPORT=$WORK/alloc-report/out/alloc-report.dll
ensure_trace_tool() { # dotnet-trace is a NuGet tool: installed once into /tmp/dt when missing
  [ -x "$TRACE_TOOL" ] && return 0
  log "installing dotnet-trace into /tmp/dt (dotnet tool install)"
  [ -x /tmp/dt/dotnet-trace ] || dotnet tool install --tool-path /tmp/dt dotnet-trace > "$WORK/dotnet-trace-install.log" 2>&1 || true
  [ -x /tmp/dt/dotnet-trace ] && TRACE_TOOL=/tmp/dt/dotnet-trace
  [ -x "$TRACE_TOOL" ] || log "dotnet-trace could not be installed (see $WORK/dotnet-trace-install.log); skipping .NET traces"
}
build_alloc_report() {
  # It needs TraceEvent from NuGet: built in the temp dir, outside the repository's central package list.
  [ -f "$ALLOC_REPORT" ] && return 0
  mkdir -p "$WORK/alloc-report"
  cp "$ROOT/bench/alloc-report/AllocReport.cs" "$WORK/alloc-report/"
  cat > "$WORK/alloc-report/alloc-report.csproj" <<'EOF'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.Diagnostics.Tracing.TraceEvent" Version="3.1.*" />
  </ItemGroup>
</Project>
EOF
  (cd "$WORK/alloc-report" && SB_BUILD_SLOT= dotnet build -c Release -nologo -v quiet -clp:ErrorsOnly -o out > build.log 2>&1)
}
# A full blocking GC in the gateway, induced from outside (the GCHeapCollect keyword, as dotnet-gcdump does), and the
# managed heap it leaves: tells retained memory (a leak) from memory the runtime simply has not given back.
induce_full_gc() {
  ensure_trace_tool
  [ -x "$TRACE_TOOL" ] || { echo "(dotnet-trace not available: no induced GC)"; return 0; }
  build_alloc_report
  "$TRACE_TOOL" collect -p "$GATEWAY_PID" --providers 'Microsoft-Windows-DotNETRuntime:0x800001:4' --duration 00:00:00:03 \
    -o "$WORK/induced-gc.nettrace" > "$WORK/induced-gc.log" 2>&1
  dotnet "$ALLOC_REPORT" "$WORK/induced-gc.nettrace" | grep 'managed heap'
}

# --- profile: perf (and dotnet-trace when available) under wrk load ---------------------------------------------------
run_profile() {
  ensure_trace_tool
  local out=$RESULTS/profile-latest.md trace_tool=$TRACE_TOOL
  log "profile: perf record -g on the gateway for ${PROFILE_SECONDS}s under wrk -c32 (load $(load1))"
  write_wrk_script "$WORK/post.lua"
  wrk -t2 -c32 -d15s -s "$WORK/post.lua" "${URL[switchboard]}" > /dev/null
  wrk -t2 -c32 -d"$((PROFILE_SECONDS + 4))s" --latency -s "$WORK/post.lua" "${URL[switchboard]}" > "$WORK/profile-wrk.txt" &
  local wrk_pid=$!
  PIDS+=("$wrk_pid")
  sleep 2
  perf record -q -F 499 -g -p "$GATEWAY_PID" -o "$WORK/perf.data" -- sleep "$PROFILE_SECONDS" 2> "$WORK/perf-record.log" || true
  wait "$wrk_pid" || true
  set +e +o pipefail
  {
    echo "### $(date -u '+%Y-%m-%d %H:%M UTC') — gateway profile under wrk -t2 -c32 (non-streaming chat)"
    echo
    echo "Load: $(grep -E 'Requests/sec' "$WORK/profile-wrk.txt" | tr -s ' '), load average $(load1). perf at 499 Hz for ${PROFILE_SECONDS} s,"
    echo "JIT symbols from DOTNET_PerfMapEnabled=1 (W^X off). $(gateway_note)"
    echo
    echo "#### Where the gateway's CPU goes, by component (JIT code by declaring assembly; bench/perf-group.awk)"
    echo '```'
    perf report -i "$WORK/perf.data" --no-children --sort dso,symbol --stdio -g none 2>/dev/null \
      | awk -f "$ROOT/bench/perf-group.awk" | sort -rn | awk '$1 + 0 >= 0.3'
    echo '```'
    echo
    echo "#### By DSO"
    echo '```'
    perf report -i "$WORK/perf.data" --no-children --sort dso --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' \
      | sed -E 's/ +$//' | head -15
    echo '```'
    echo
    echo "#### Top symbols (self time)"
    echo '```'
    perf report -i "$WORK/perf.data" --no-children --sort dso,symbol --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' \
      | sed -E 's/ {2,}/  /g; s/ +$//' | cut -c1-220 | head -70
    echo '```'
  } > "$out"
  if [ -x "$trace_tool" ]; then
    log "profile: dotnet-trace gc-verbose (allocation samples with stacks) for 10 s under the same load"
    wrk -t2 -c32 -d14s -s "$WORK/post.lua" "${URL[switchboard]}" > "$WORK/alloc-wrk.txt" &
    wrk_pid=$!
    PIDS+=("$wrk_pid")
    sleep 2
    "$trace_tool" collect -p "$GATEWAY_PID" --profile gc-verbose --duration 00:00:00:10 \
      -o "$WORK/alloc.nettrace" > "$WORK/trace-alloc.log" 2>&1
    wait "$wrk_pid"
    build_alloc_report
    {
      echo
      echo "#### Allocations on the request path (dotnet-trace gc-verbose, 10 s)"
      echo '```'
      dotnet "$ALLOC_REPORT" "$WORK/alloc.nettrace" \
        "$(awk '/Requests\/sec/ { print $2 }' "$WORK/alloc-wrk.txt")" 2>&1 | cut -c1-230
      echo '```'
    } >> "$out"
  else
    echo "(dotnet-trace not found: set DOTNET_TRACE or 'dotnet tool install --tool-path /tmp/dt dotnet-trace' for the allocation report)" >> "$out"
  fi
  perf report -i "$WORK/perf.data" --children --sort symbol --stdio -g caller,0.5,callee --percent-limit 2 2>/dev/null \
    | cut -c1-220 > "$WORK/perf-callers.txt"
  rm -f "/tmp/perf-$GATEWAY_PID.map" "/tmp/perfinfo-$GATEWAY_PID.map"
  set -e -o pipefail
  cat "$out"
  log "wrote bench/results/profile-latest.md"
}

# --- main ----------------------------------------------------------------------------------------------------------------
log "temp dir $WORK; upstream :$UP_PORT, nginx :$NGINX_PORT, gateway :$GW_PORT$([ "$FLOOR" = 1 ] && echo ", floor :$FLOOR_PORT")"
start_upstream
start_nginx
# For perf: JIT symbol maps, and no W^X double mapping (its memfd mappings hide the maps from perf).
# SB_GATEWAY_ENV="NAME=value ..." adds environment variables to the gateway (A/B runs of runtime or logging settings).
read -r -a gateway_env <<< "${SB_GATEWAY_ENV:-}"
# "{UP}" in a variable's value is the bench upstream's port (OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:{UP}: the
# upstream drops OTLP posts), so telemetry export can be measured without a collector of its own.
gateway_env=("${gateway_env[@]//\{UP\}/$UP_PORT}")
if [ "$PROFILE" = 1 ]; then gateway_env+=(DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0); fi
start_gateway "${gateway_env[@]}"
[ "$FLOOR" = 1 ] && start_floor
[ -n "${SB_GATEWAY_ENV:-}" ] && meta gateway_env "$SB_GATEWAY_ENV"
[ "$QUIET_TOOLS" = 1 ] && meta tools_env "${INSTRUMENT_ENV[*]}"
[ -n "${SB_GATEWAY_BIN:-}" ] && meta gateway_env "${SB_GATEWAY_ENV:-} (binary $SB_GATEWAY_BIN)"
sanity_check
machine_meta
status=0
[ "$SUITE" = 1 ] && run_suite
[ "$MEMORY" = 1 ] && { run_memory || status=$?; }
[ "$SOAK" = 1 ] && run_soak
[ "$PROFILE" = 1 ] && run_profile
if [ "$SERVE" = 1 ]; then
  for t in "${TARGETS[@]}"; do echo "$t ${URL[$t]}"; done
  for t in "${PATH_TARGETS[@]}" "${PATH_STREAM_TARGETS[@]}"; do
    echo "path-target $t ${T_URL[$t]} stream ${T_SURL[$t]} dialect ${T_DIALECT[$t]} model ${T_MODEL[$t]}"
  done | sort -u
  echo "key $CLIENT_KEY"
  # The bench client as this script runs it (the instrument settings above) and the streams' shape, for scripts that
  # measure against this stack (stream-trace.sh).
  echo "client $CLIENT"
  echo "stream-shape $STREAM_CHUNKS $STREAM_INTERVAL_MS"
  echo "gateway pid $GATEWAY_PID, upstream pid $UPSTREAM_PID, nginx pid $NGINX_PID$([ "$FLOOR" = 1 ] && echo ", floor pid $FLOOR_PID"); up for ${SERVE_SECONDS}s (Ctrl+C stops)"
  sleep "$SERVE_SECONDS" &
  wait $! # (a foreground sleep would hold back the TERM trap until it ends)
fi
exit "$status"
