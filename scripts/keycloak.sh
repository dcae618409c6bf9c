#!/usr/bin/env bash
# Fetches Keycloak from Maven Central and runs it on loopback with the Voxdesk realm.
# Usage: scripts/keycloak.sh start|stop|status
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n 's:.*<keycloak.version>\(.*\)</keycloak.version>.*:\1:p' "$root/pom.xml")
cache=${VOXDESK_CACHE:-$HOME/.cache/voxdesk}
home="$cache/keycloak-$version"
state=${VOXDESK_STATE:-$root/.voxdesk}
port=${VOXDESK_KEYCLOAK_PORT:-8180}
mgmt_port=${VOXDESK_KEYCLOAK_MANAGEMENT_PORT:-9180}
pidfile="$state/keycloak.pid"
log="$state/keycloak.log"
realm="$root/keycloak/voxdesk-realm.json"

ready() { curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$mgmt_port/health/ready"; }

fetch() {
  [ -x "$home/bin/kc.sh" ] && return
  echo "keycloak: fetching org.keycloak:keycloak-quarkus-dist:$version from Maven Central (about 180 MB, once)"
  mkdir -p "$cache"
  "$root/mvnw" -q -B -f "$root/pom.xml" -N dependency:unpack \
    -Dartifact="org.keycloak:keycloak-quarkus-dist:$version:zip" -DoutputDirectory="$cache"
}

start() {
  if ready; then echo "keycloak: already running on http://127.0.0.1:$port"; return; fi
  fetch
  mkdir -p "$state" "$home/data/import"
  # A changed realm file is only imported into an empty store, so drop the dev store when it changes.
  local sum; sum=$(sha256sum "$realm" | cut -d' ' -f1)
  if [ "$(cat "$home/data/import/.realm.sha256" 2>/dev/null)" != "$sum" ]; then
    rm -rf "$home/data/h2"
    cp "$realm" "$home/data/import/voxdesk-realm.json"
    echo "$sum" > "$home/data/import/.realm.sha256"
  fi
  echo "keycloak: starting $version on http://127.0.0.1:$port (log: $log)"
  nohup "$home/bin/kc.sh" start-dev --http-host=127.0.0.1 --http-port="$port" \
    --http-management-port="$mgmt_port" --health-enabled=true --import-realm \
    --hostname="http://127.0.0.1:$port" >"$log" 2>&1 &
  echo $! > "$pidfile"
  local waited=0
  until ready; do
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      echo "keycloak: failed to start; last lines of $log:" >&2; tail -n 30 "$log" >&2; exit 1
    fi
    if [ $waited -ge 240 ]; then echo "keycloak: not ready after ${waited}s; see $log" >&2; exit 1; fi
    sleep 2; waited=$((waited + 2))
    [ $((waited % 10)) -eq 0 ] && echo "keycloak: waiting for readiness (${waited}s)"
  done
  echo "keycloak: ready after ${waited}s"
}

stop() {
  [ -f "$pidfile" ] || { echo "keycloak: not started by this checkout"; return; }
  local pid; pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    echo "keycloak: stopped (pid $pid)"
  fi
  rm -f "$pidfile"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if ready; then echo "keycloak: ready on http://127.0.0.1:$port"; else echo "keycloak: not running"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
