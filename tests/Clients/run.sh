#!/usr/bin/env bash
# Drives the gateway with the real JavaScript OpenAI clients (openai, Vercel AI SDK, LangChain), Claude Code and
# Codex CLI.
#
# Needs the Release build: $ARTIFACTS/bin/Switchboard/release/Switchboard.dll and
# $ARTIFACTS/bin/Switchboard.MockUpstream/release/Switchboard.MockUpstream.dll, where ARTIFACTS defaults to
# the repo's artifacts/ (set it to artifacts-<slot> when building with SB_BUILD_SLOT).
# Starts the mock upstream and the gateway on free loopback ports with a generated config, runs
# `node --test` over tests/Clients/*.test.mjs (or the files given: run.sh codex.test.mjs), stops both.
# Prints the spec report, then node's TAP summary lines (# tests N, # pass N, # fail N, # skipped N, # todo N ...) for the caller to count.
# Exit code = node's.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
artifacts="${ARTIFACTS:-$repo/artifacts}"
case "$artifacts" in /*) ;; *) artifacts="$repo/$artifacts" ;; esac
gateway_dll="$artifacts/bin/Switchboard/release/Switchboard.dll"
mock_dll="$artifacts/bin/Switchboard.MockUpstream/release/Switchboard.MockUpstream.dll"

for f in "$gateway_dll" "$mock_dll"; do
  if [ ! -f "$f" ]; then
    echo "tests/Clients/run.sh: $f not found (build with: dotnet build Switchboard.slnx -c Release)" >&2
    exit 2
  fi
done
command -v node >/dev/null 2>&1 || { echo "tests/Clients/run.sh: node is required" >&2; exit 2; }
command -v npm >/dev/null 2>&1 || { echo "tests/Clients/run.sh: npm is required" >&2; exit 2; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# --- the clients, exactly as locked --------------------------------------------------------------
(cd "$here" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error)

# --- processes, cleaned up however we leave ------------------------------------------------------
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# wait_ready URL PID LOG NAME: polls URL until it answers 200, or fails when the process died / 30 s passed.
wait_ready() {
  local url=$1 pid=$2 log=$3 name=$4
  for _ in $(seq 1 300); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "tests/Clients/run.sh: $name exited during startup:" >&2; cat "$log" >&2; return 1
    fi
    if node -e 'fetch(process.argv[1]).then(r=>process.exit(r.status===200?0:1),()=>process.exit(1))' "$url" 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "tests/Clients/run.sh: $name did not become ready at $url:" >&2; cat "$log" >&2; return 1
}

mock_port=$(free_port)
gateway_port=$(free_port)
while [ "$gateway_port" = "$mock_port" ]; do gateway_port=$(free_port); done
provider_key="sk-mock-provider-$RANDOM$RANDOM"
master_key="sb-master-clients-$RANDOM$RANDOM"
alice_key="sb-alice-clients-$RANDOM$RANDOM"
bob_key="sb-bob-clients-$RANDOM$RANDOM"
mock="http://127.0.0.1:$mock_port"

# Models: chat (normal), other (alice only: bob's key may not use it), cut (a stream the upstream ends after
# 3 events, without finish or [DONE]), broken (a stream whose connection the upstream aborts after 3 events),
# limited (always 429 with Retry-After: 3), embed (embeddings); cc-anthropic, cc-openai, cc-gemini (Claude Code's
# models, one per upstream type); cx-native (an openai provider that speaks the Responses API: passed through),
# cx-chat (an openai provider without it: translated to chat), cx-anthropic, cx-gemini, cx-azure (Codex's and the
# Responses tests' models, one per upstream type); img-dalle (dall-e-3, priced per image), img-gemini (a Gemini image
# model behind the OpenAI Images API, priced by tokens), img-edit (gpt-image-1 edits, priced per image); tts, whisper, moderation (audio and moderations).
cat > "$work/switchboard.yaml" <<EOF
master_key: $master_key
database: $work/switchboard.db   # never the checkout's ./data
providers:
  mock:    { type: openai, base_url: "$mock/v1", api_key: "$provider_key" }
  cut:     { type: openai, base_url: "$mock/_knobs/truncate_after=3/v1", api_key: "$provider_key" }
  broken:  { type: openai, base_url: "$mock/_knobs/reset_after=3/v1", api_key: "$provider_key" }
  limited: { type: openai, base_url: "$mock/_knobs/status=429;retry_after=3/v1", api_key: "$provider_key" }
  claude:  { type: anthropic, base_url: "$mock", api_key: "$provider_key" }
  gemini:  { type: gemini, base_url: "$mock", api_key: "$provider_key" }
  native:  { type: openai, base_url: "$mock/v1", api_key: "$provider_key", responses: true }
  azure:   { type: azure-openai, base_url: "$mock", api_key: "$provider_key" }
models:
  chat:
    - { provider: mock, model: gpt-4o-mini, input_per_mtok: 0.15, output_per_mtok: 0.6 }
  other:
    - { provider: mock, model: gpt-4o }
  cut:
    - { provider: cut, model: gpt-4o-mini }
  broken:
    - { provider: broken, model: gpt-4o-mini }
  limited:
    - { provider: limited, model: gpt-4o-mini }
  embed:
    - { provider: mock, model: text-embedding-3-small }
  cc-anthropic:
    - { provider: claude, model: claude-sonnet-4-5 }
  cc-openai:
    - { provider: mock, model: gpt-4o-mini }
  cc-gemini:
    - { provider: gemini, model: gemini-2.5-flash }
  cx-native:
    - { provider: native, model: gpt-4.1-mini }
  cx-chat:
    - { provider: mock, model: gpt-4.1-mini }
  cx-anthropic:
    - { provider: claude, model: claude-sonnet-4-5 }
  cx-gemini:
    - { provider: gemini, model: gemini-2.5-flash }
  cx-azure:
    - { provider: azure, model: gpt-4.1-mini }
  img-dalle:
    - { provider: mock, model: dall-e-3, image_prices: { 1024x1024/hd: 0.08, default: 0.04 } }
  img-gemini:
    - { provider: gemini, model: gemini-2.5-flash-image, input_per_mtok: 0.3, output_per_mtok: 30 }
  img-edit:
    - { provider: mock, model: gpt-image-1, image_prices: { 1536x1024/low: 0.016, default: 0.05 } }
  tts:
    - { provider: mock, model: tts-1 }
  whisper:
    - { provider: mock, model: whisper-1 }
  moderation:
    - { provider: mock, model: omni-moderation-latest }
keys:
  - { key: $alice_key, name: alice }
  - { key: $bob_key, name: bob, models: [chat, cut, broken, limited, embed] }
EOF

dotnet "$mock_dll" serve --host 127.0.0.1 --port "$mock_port" --api-key "$provider_key" > "$work/mock.log" 2>&1 &
pids+=($!)
wait_ready "$mock/_mock/stats" "${pids[-1]}" "$work/mock.log" "mock upstream"

dotnet "$gateway_dll" serve --config "$work/switchboard.yaml" --host 127.0.0.1 --port "$gateway_port" > "$work/gateway.log" 2>&1 &
pids+=($!)
wait_ready "http://127.0.0.1:$gateway_port/health/live" "${pids[-1]}" "$work/gateway.log" "gateway"

# --- the tests -------------------------------------------------------------------------------------
status=0
if [ $# -gt 0 ]; then test_files=("$@"); else test_files=("$here"/*.test.mjs); fi
(
  cd "$here"
  GATEWAY_URL="http://127.0.0.1:$gateway_port" MOCK_URL="$mock" \
  SB_MASTER_KEY="$master_key" SB_ALICE_KEY="$alice_key" SB_BOB_KEY="$bob_key" \
    node --test --test-timeout=150000 --test-concurrency=1 \
      --test-reporter=spec --test-reporter-destination=stdout \
      --test-reporter=tap --test-reporter-destination="$work/results.tap" \
      "${test_files[@]}"
) || status=$?
# node's own summary (the TAP reporter's "# pass N" ... lines), for people and for test.sh to count, then
# one "# skipped:" / "# todo:" line per test not run as a gate, with its reason.
if [ -f "$work/results.tap" ]; then
  grep -E '^# (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) ' "$work/results.tap" || true
  sed -nE 's/^ *(not )?ok [0-9]+ - (.*) # (SKIP|TODO) ?(.*)$/# \L\3\E: \2 (\4)/p' "$work/results.tap" |
    sed 's/^# skip:/# skipped:/' || true
fi

if [ "$status" -ne 0 ]; then
  echo "--- gateway log (last 40 lines) ---"; tail -n 40 "$work/gateway.log"
fi
exit "$status"
