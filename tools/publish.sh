#!/usr/bin/env bash
# Self-contained single-file builds of the gateway: one executable per platform that needs no .NET installed.
#
#   tools/publish.sh [RID...]        default: linux-x64 linux-arm64 osx-arm64 osx-x64 win-x64
#
# Each lands in artifacts/publish/<rid>/ (switchboard, or switchboard.exe on Windows). SQLite's native library is
# bundled inside the file and unpacked on first start (IncludeNativeLibrariesForSelfExtract). ReadyToRun compiles the
# code ahead of time (crossgen2 runs on this machine for every target), so the gateway is ready in a fraction of a
# second instead of JIT-compiling its start-up path. Set SB_PUBLISH_R2R=false to skip it (smaller, slower to start).
# Not composite (the SDK's default for single files): that recompiles the whole .NET runtime into one image, which
# took over ten minutes and 2 GB here; the runtime's own assemblies are already precompiled.
# Runtime packs come from NuGet like any package. Prints one line per platform; exits non-zero if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
rids=("$@")
[ ${#rids[@]} -eq 0 ] && rids=(linux-x64 linux-arm64 osx-arm64 osx-x64 win-x64)
out_root="${SB_PUBLISH_DIR:-$PWD/artifacts/publish}"
r2r="${SB_PUBLISH_R2R:-true}"
# SB_ARTIFACTS_PATH: where the intermediate build goes (default: the checkout's artifacts/).
extra=()
[ -n "${SB_ARTIFACTS_PATH:-}" ] && extra+=("-p:ArtifactsPath=$SB_ARTIFACTS_PATH")

failed=0
for rid in "${rids[@]}"; do
  out="$out_root/$rid"
  log=$(mktemp)
  start=$(date +%s)
  if dotnet publish src/Switchboard/Switchboard.csproj -c Release -r "$rid" -o "$out" -nologo -v quiet -clp:ErrorsOnly \
       --self-contained true -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true \
       -p:PublishReadyToRun="$r2r" -p:PublishReadyToRunComposite=false -p:DebugType=none "${extra[@]}" >"$log" 2>&1; then
    # The command is `switchboard`, as the .NET tool names it (a single-file bundle does not care about its name).
    exe="$out/switchboard"; [[ "$rid" == win-* ]] && exe="$out/switchboard.exe"
    mv -f "$out/Switchboard${exe##*/switchboard}" "$exe"
    size=$(du -m "$exe" | cut -f1)
    echo "publish: $rid -> ${exe#"$PWD"/} (${size} MiB, $(( $(date +%s) - start )) s)"
  else
    failed=1
    echo "publish: $rid FAILED:" >&2
    sed 's/^/  /' "$log" >&2
  fi
  rm -f "$log"
done
exit $failed
