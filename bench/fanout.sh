#!/usr/bin/env bash
# livegraph bench fanout beside its peers: installs the Node relays in bench/peers (npm ci, from
# the committed package-lock.json) when node_modules is missing, then runs the tool.
#   bench/fanout.sh                        the full sweep of BENCHMARKS.md (about 25 minutes)
#   bench/fanout.sh --smoke                seconds, 20 viewers: proves it works (CI runs this)
#   bench/fanout.sh --viewers 1000 --rate 100 --runs 3 --name rate100    any other settings
# Without npm or the registry, the peers are skipped with a message and livegraph runs alone.
# Results: target/bench/NAME.json, NAME.png, NAME.html; servers' logs in target/bench/logs/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
peers=bench/peers
jar=target/livegraph-all.jar

if [ ! -f "$jar" ]; then
  echo "fanout.sh: building $jar" >&2
  ./mvnw -B -q -DskipTests package >&2
fi
if [ ! -d "$peers/node_modules" ]; then
  if ! command -v npm >/dev/null; then
    echo "fanout.sh: npm is not installed: the ws and Socket.IO peers are skipped" >&2
  elif ! (cd "$peers" && timeout 180 npm ci --no-audit --no-fund --loglevel=error >&2); then
    rm -rf "$peers/node_modules"
    echo "fanout.sh: npm ci in $peers failed (registry unreachable?): the peers are skipped" >&2
  fi
fi
# 10,000 viewers need over 10,000 open files here and in the servers, which inherit the limit.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

if [ $# -eq 0 ]; then
  set -- --viewers 100,1000,5000,10000 --rate 10 --warmup 5s --measure 10s --runs 3 --name fanout
fi
echo "fanout.sh: $(uptime)" >&2
status=0
java -jar "$jar" bench fanout --jar "$jar" --peers "$peers" "$@" || status=$?
echo "fanout.sh: $(uptime)" >&2
exit $status
