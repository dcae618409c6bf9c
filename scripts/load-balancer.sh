#!/usr/bin/env bash
# Runs HAProxy in the foreground in front of Voxdesk instances, with deploy/haproxy.cfg and one server line per
# instance. Its configuration is written to $VOXDESK_STATE/haproxy.cfg (default .voxdesk/) and its log goes to
# standard output; stop it with SIGTERM (SIGUSR1 lets open connections finish first).
#
# Usage: scripts/load-balancer.sh <listen host:port> <stats host:port> <instance host:port>...
#   e.g. scripts/load-balancer.sh 127.0.0.1:8080 127.0.0.1:8404 127.0.0.1:8081 127.0.0.1:8082
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
PATH=$PATH:/usr/sbin:/sbin
if [ $# -lt 3 ]; then
  sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
command -v haproxy >/dev/null || { echo "load-balancer.sh: haproxy is not installed (Debian: apt-get install haproxy)" >&2; exit 1; }

export VOXDESK_LB_BIND=$1 VOXDESK_LB_STATS_BIND=$2
shift 2
state=${VOXDESK_STATE:-$root/.voxdesk}
mkdir -p "$state"
config=$state/haproxy.cfg
{
  cat "$root/deploy/haproxy.cfg"
  n=0
  for instance in "$@"; do
    n=$((n + 1))
    printf '    server instance-%d %s\n' "$n" "$instance"
  done
} > "$config"
haproxy -q -c -f "$config" || { echo "load-balancer.sh: HAProxy refuses $config" >&2; exit 1; }
exec haproxy -db -f "$config"
