#!/usr/bin/env bash
# Memory under a burst of large requests: RSS of the gateway before, at its peak during N concurrent requests of
# SIZE MB each (OpenAI chat with one base64 image, translated for an upstream of another dialect), and after the
# burst (plus a few seconds). The large buffers must go back: see PooledBuffer and LargeBufferReclaimer.
#
#   bench/memory-burst.sh [--requests N] [--size MB] [--path openai-gemini|openai-anthropic|openai-openai] [--no-build]
#
# Defaults: 10 requests of 50 MB on openai-gemini. Needs the Release build (built unless --no-build), python3.
# Prints a Markdown table; SB_GATEWAY_ENV="NAME=value ..." passes environment variables to the gateway;
# SB_GATEWAY_BIN=PATH runs another gateway build (e.g. the commit before a change) against this tree's mock.
# Everything listens on 127.0.0.1; every process started here is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
REQUESTS=10 SIZE_MB=50 PATH_NAME=openai-gemini BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --requests) REQUESTS=$2; shift ;;
    --size) SIZE_MB=$2; shift ;;
    --path) PATH_NAME=$2; shift ;;
    --no-build) BUILD=0 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "memory-burst.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
case "$PATH_NAME" in
  openai-gemini) UPSTREAM_MODEL=gemini-2.5-flash; PROVIDER=gemini ;;
  openai-anthropic) UPSTREAM_MODEL=claude-sonnet-4-5; PROVIDER=claude ;;
  openai-openai) UPSTREAM_MODEL=gpt-4o-mini; PROVIDER=mock ;;
  *) echo "memory-burst.sh: unknown path $PATH_NAME" >&2; exit 2 ;;
esac
[ "$BUILD" = 1 ] && dotnet build Switchboard.slnx -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
artifacts="${ARTIFACTS:-artifacts}"
gateway_dll="${SB_GATEWAY_BIN:-$artifacts/bin/Switchboard/release/Switchboard.dll}"
mock_dll="$artifacts/bin/Switchboard.MockUpstream/release/Switchboard.MockUpstream.dll"

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_up() { for _ in $(seq 1 300); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done; echo "not up: $1" >&2; cat "$2" >&2; exit 1; }

mock_port=$(free_port); gw_port=$(free_port)
key=sk-mock-bench-provider
cat > "$work/switchboard.yaml" <<YAML
database: $work/switchboard.db
$([ "$SIZE_MB" -gt 60 ] && echo "server: { max_body_size: $((SIZE_MB * 2))MB }")
providers:
  mock:   { type: openai, base_url: "http://127.0.0.1:$mock_port/v1", api_key: "$key" }
  claude: { type: anthropic, base_url: "http://127.0.0.1:$mock_port", api_key: "$key" }
  gemini: { type: gemini, base_url: "http://127.0.0.1:$mock_port", api_key: "$key" }
models:
  big: [{ provider: $PROVIDER, model: $UPSTREAM_MODEL }]
YAML
dotnet "$mock_dll" serve --host 127.0.0.1 --port "$mock_port" --api-key "$key" > "$work/mock.log" 2>&1 &
pids+=($!)
wait_up "http://127.0.0.1:$mock_port/_mock/stats" "$work/mock.log"
# shellcheck disable=SC2086
env ${SB_GATEWAY_ENV:-} dotnet "$gateway_dll" serve --config "$work/switchboard.yaml" --host 127.0.0.1 --port "$gw_port" > "$work/gateway.log" 2>&1 &
gw_pid=$!
pids+=($gw_pid)
wait_up "http://127.0.0.1:$gw_port/health/live" "$work/gateway.log"

python3 - "$gw_port" "$gw_pid" "$REQUESTS" "$SIZE_MB" "$PATH_NAME" <<'PY'
import base64, json, sys, threading, time, urllib.request, urllib.error
port, pid, n, size_mb, path = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
url = f"http://127.0.0.1:{port}/v1/chat/completions"

def rss_mb():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0

def post(body):
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json", "Authorization": "Bearer x"})
    try:
        with urllib.request.urlopen(req, timeout=300) as r:
            r.read(); return r.status
    except urllib.error.HTTPError as e:
        e.read(); return e.code

def body(mb):
    # A PNG header and then filler: the size a client would send with one large image as a data URL.
    raw = b"\x89PNG\r\n\x1a\n" + bytes(int(mb * 1024 * 1024 * 3 / 4))
    image = "data:image/png;base64," + base64.b64encode(raw).decode()
    return json.dumps({"model": "big", "max_tokens": 16, "messages": [{"role": "user", "content": [
        {"type": "text", "text": "what is it"}, {"type": "image_url", "image_url": {"url": image}}]}]}).encode()

small = json.dumps({"model": "big", "max_tokens": 16, "messages": [{"role": "user", "content": "hi"}]}).encode()
for _ in range(20): post(small)
time.sleep(3)
before = rss_mb()
payload = body(size_mb)
statuses, peak, done = [], [before], threading.Event()
def sample():
    while not done.is_set():
        peak[0] = max(peak[0], rss_mb()); time.sleep(0.02)
sampler = threading.Thread(target=sample); sampler.start()
threads = [threading.Thread(target=lambda: statuses.append(post(payload))) for _ in range(n)]
t0 = time.time()
for t in threads: t.start()
for t in threads: t.join()
elapsed = time.time() - t0
done.set(); sampler.join()
right_after = rss_mb()
time.sleep(5); after5 = rss_mb()
time.sleep(10); after15 = rss_mb()
print(f"| path | requests | body | statuses | RSS before | peak | right after | +5 s | +15 s | burst time |")
print(f"|---|---|---|---|---|---|---|---|---|---|")
codes = ",".join(f"{c}x{statuses.count(c)}" for c in sorted(set(statuses)))
print(f"| {path} | {n} concurrent | {len(payload)/1048576:.0f} MB | {codes} | {before:.0f} MB | {peak[0]:.0f} MB | {right_after:.0f} MB | {after5:.0f} MB | {after15:.0f} MB | {elapsed:.1f} s |")
PY
