#!/usr/bin/env bash
# A private, throwaway PostgreSQL cluster on 127.0.0.1 for the storage tests.
#   test-cluster.sh start DIR   -> initdb into DIR (created), start on a free port, print the admin URL on stdout
#   test-cluster.sh stop DIR    -> stop the cluster and delete DIR
#   test-cluster.sh pause DIR   -> stop the server, keep its data (an outage, for tests)
#   test-cluster.sh resume DIR  -> start it again on the same port
# Installs PostgreSQL from Debian packages when no server binaries are found. When run as root, the cluster runs
# as the "postgres" system user (PostgreSQL refuses to run as root).
set -euo pipefail

find_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  return 1
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    # runuser keeps us free of sudo/PAM prompts; su is the fallback on images without util-linux's runuser.
    if command -v runuser >/dev/null 2>&1; then runuser -u postgres -- "$@"; else su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; fi
  else
    "$@"
  fi
}

cmd=${1:?usage: test-cluster.sh start|stop DIR}
dir=${2:?usage: test-cluster.sh start|stop DIR}

case "$cmd" in
  start)
    if ! bin=$(find_bin); then
      sudo=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo="sudo -n"
      echo "test-cluster.sh: installing PostgreSQL from Debian packages" >&2
      { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql; } >&2
      bin=$(find_bin)
    fi
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
      || echo $((20000 + RANDOM % 20000)))
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-sync >/dev/null
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/data/server.log" -w -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=300" start >/dev/null
    echo "$port" > "$dir/port"
    echo "$bin" > "$dir/bin"
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  pause)
    as_owner "$(cat "$dir/bin")/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  resume)
    as_owner "$(cat "$dir/bin")/pg_ctl" -D "$dir/data" -l "$dir/data/server.log" -w -o "-c listen_addresses=127.0.0.1 -p $(cat "$dir/port") -k $dir -c fsync=off -c max_connections=300" start >/dev/null
    ;;
  stop)
    if [ -f "$dir/bin" ]; then
      as_owner "$(cat "$dir/bin")/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *) echo "usage: test-cluster.sh start|stop DIR" >&2; exit 2 ;;
esac
