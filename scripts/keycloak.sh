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
  # The realm with the host applications' origins (the list the application's CORS reads too) added to the
  # voxdesk-web client, so a page on such an origin may sign in and call the API from the browser.
  local realm_file="$state/voxdesk-realm.json"
  VOXDESK_REALM="$realm" VOXDESK_REALM_OUT="$realm_file" node -e '
    const fs = require("fs");
    const realm = JSON.parse(fs.readFileSync(process.env.VOXDESK_REALM, "utf8"));
    const origins = (process.env.VOXDESK_SECURITY_ALLOWEDORIGINS || "").split(",").map((o) => o.trim()).filter(Boolean);
    for (const origin of origins) {
      if (!/^https?:\/\/[^/\s]+$/.test(origin)) { console.error(`keycloak: not an origin: ${origin}`); process.exit(1); }
    }
    const web = realm.clients.find((client) => client.clientId === "voxdesk-web");
    web.redirectUris = [...new Set([...web.redirectUris, ...origins.map((origin) => `${origin}/*`)])];
    web.webOrigins = [...new Set([...web.webOrigins, ...origins])];
    fs.writeFileSync(process.env.VOXDESK_REALM_OUT, JSON.stringify(realm, null, 2));
  ' || { echo "keycloak: could not prepare the realm (Node.js is needed)" >&2; exit 1; }
  # A changed realm is only imported into an empty store, so drop the dev store when it changes.
  local sum; sum=$(sha256sum "$realm_file" | cut -d' ' -f1)
  if [ "$(cat "$home/data/import/.realm.sha256" 2>/dev/null)" != "$sum" ]; then
    rm -rf "$home/data/h2"
    cp "$realm_file" "$home/data/import/voxdesk-realm.json"
    echo "$sum" > "$home/data/import/.realm.sha256"
  fi
  [ -z "${VOXDESK_SECURITY_ALLOWEDORIGINS:-}" ] || echo "keycloak: host origins allowed for voxdesk-web: $VOXDESK_SECURITY_ALLOWEDORIGINS"
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
