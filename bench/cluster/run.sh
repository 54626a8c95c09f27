#!/usr/bin/env bash
# Three livegraph cluster nodes behind HAProxy, measured with `livegraph bench fanout --target`,
# then one node alone (no --cluster) measured the same way, in the same session (CLUSTER.md).
# Everything listens on 127.0.0.1 only; every process it starts is stopped on exit, and the
# Redis keys it wrote (a prefix of its own) are deleted.
#   bench/cluster/run.sh                      300, 1000, 3000 viewers, 10 events/s, 3 runs each
#   bench/cluster/run.sh --smoke              20 viewers, one short run of each: proves it works
#   bench/cluster/run.sh --viewers 500 --runs 5 --only cluster --name c500   any other settings
# Options: --viewers N[,N…] --rate R --runs N --warmup 5s --measure 10s --dashboard FILE
#   (a bench dashboard whose tcp port is FEED_PORT; default the fan-out bench dashboard)
#   --only cluster|single --name NAME (output base name) --redis HOST:PORT (loopback)
#   --feed-port P --keep-keys (leave the stream in Redis, e.g. to size it; delete it yourself)
# Ports: nodes 8081-8083 (bench/cluster/haproxy.cfg names them), HAProxy 8090, the single node
# 8084, the bench's feeder --feed-port (default 19500).
# Results: target/bench/cluster/NAME-cluster.json and NAME-single.json (the bench's JSON, medians
# in "summaries"), NAME.md (the table), logs in target/bench/cluster/logs/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

jar=target/livegraph-all.jar
cfg=bench/cluster/haproxy.cfg
redis=127.0.0.1:6379
viewers=300,1000,3000
rate=10
runs=3
warmup=5s
measure=10s
dashboard=src/main/resources/bench/fanout-dashboard.yaml
only=both
name=fanout
feed_port=19500
keep_keys=false
node_ports=(8081 8082 8083)
front_port=8090
single_port=8084
out=target/bench/cluster

die() { echo "run.sh: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --viewers) viewers=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --measure) measure=$2; shift 2 ;;
    --dashboard) dashboard=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --name) name=$2; shift 2 ;;
    --redis) redis=$2; shift 2 ;;
    --feed-port) feed_port=$2; shift 2 ;;
    --keep-keys) keep_keys=true; shift ;;
    --smoke) viewers=20; runs=1; warmup=2s; measure=3s; name=smoke; shift ;;
    -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
case "$only" in both|cluster|single) ;; *) die "--only must be cluster or single: '$only'" ;; esac
case "$redis" in 127.*:[0-9]*|localhost:[0-9]*) ;; *) die "--redis must be a loopback HOST:PORT: '$redis'" ;; esac
[ -f "$dashboard" ] || die "no dashboard file '$dashboard'"
grep -q FEED_PORT "$dashboard" || die "$dashboard has no FEED_PORT (its tcp source's port) to replace"
for tool in java haproxy redis-cli jq curl; do
  command -v "$tool" >/dev/null || die "$tool is not installed (HAProxy: apt-get install -y haproxy)"
done
redis_host=${redis%:*}
redis_port=${redis##*:}
rcli() { redis-cli -h "$redis_host" -p "$redis_port" "$@"; }
[ "$(rcli ping 2>/dev/null)" = PONG ] || die "Redis does not answer at $redis"
if [ ! -f "$jar" ]; then
  echo "run.sh: building $jar" >&2
  ./mvnw -B -q -o -Dengine.phase=none -DskipTests package >&2
fi
for p in "${node_ports[@]}" "$front_port" "$single_port" "$feed_port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    die "port $p on 127.0.0.1 is taken: stop what listens there"
  fi
done
# Each viewer is a socket here, two in HAProxy and one in a node; they inherit this limit.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# The bench's time bound: every run's settle, ramp, warm-up and measured period, with room.
secs() { local v=${1%s}; [[ "$v" =~ ^[0-9]+$ ]] || die "durations are whole seconds like 5s: '$1'"; echo "$v"; }
counts=$(tr ',' '\n' <<<"$viewers" | grep -c .)
bench_limit=$(( counts * runs * ($(secs "$warmup") + $(secs "$measure") + 40) + 120 ))

mkdir -p "$out/logs"
logs=$out/logs
prefix="lgbench-$$-$(date +%s)"
dash_file=$logs/$name-dashboard.yaml
sed "s/FEED_PORT/$feed_port/g" "$dashboard" >"$dash_file"
started=() # pids of everything this script started, stopped in reverse order on exit

stop_all() {
  local p i
  for (( i=${#started[@]}-1; i>=0; i-- )); do
    kill -TERM "${started[$i]}" 2>/dev/null || true
  done
  for p in "${started[@]}"; do
    for _ in $(seq 1 150); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  started=()
}
delete_keys() {
  if [ "$keep_keys" = true ]; then
    echo "run.sh: kept the keys {$prefix:*} in $redis" >&2
    return
  fi
  rcli --scan --pattern "{$prefix*" | xargs -r redis-cli -h "$redis_host" -p "$redis_port" del >/dev/null
}
cleanup() { stop_all; delete_keys; }
trap cleanup EXIT
trap 'exit 130' INT TERM

health() { curl -s --max-time 2 "http://127.0.0.1:$1/healthz" || true; }

# Waits until every dashboard of the node on port $1 is live in the cluster (or, $2 = single,
# until the node answers at all).
await_live() {
  local port=$1 kind=$2 deadline=$((SECONDS + 90)) body
  while [ $SECONDS -lt $deadline ]; do
    body=$(health "$port")
    if [ -n "$body" ]; then
      if [ "$kind" = single ] || jq -e '[.dashboards[].cluster.state] | all(. == "live")' \
          >/dev/null 2>&1 <<<"$body"; then
        return 0
      fi
    fi
    sleep 0.5
  done
  die "the node on port $port was not live within 90 s: $(health "$port" | head -c 400)"
}

cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
cpu_since() { awk -v a="$1" -v b="$(cpu_ticks "$2")" 'BEGIN { printf "%.1f", (b - a) / 100 }'; }
rss_of() { sed -n 's/^VmRSS:[[:space:]]*//p' "/proc/$1/status"; }

bench() { # bench LABEL TARGET_URL PIDS
  # In the background and waited for, so that a signal runs the trap at once (bash runs traps
  # only between foreground commands); the trap stops it with the rest.
  timeout --signal=TERM "$bench_limit" java -jar "$jar" bench fanout --target "$2" \
    --feed-port "$feed_port" --pid "$3" --viewers "$viewers" --rate "$rate" --runs "$runs" \
    --warmup "$warmup" --measure "$measure" --out "$out" --name "$name-$1" >/dev/null &
  local pid=$!
  started+=($pid)
  wait "$pid"
  unset 'started[${#started[@]}-1]'
}

echo "run.sh: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); $(uptime)" >&2

if [ "$only" != single ]; then
  declare -A node_pid=()
  for i in 1 2 3; do
    port=${node_ports[$((i - 1))]}
    java -jar "$jar" serve "$dash_file" --port "$port" --cluster "redis://$redis" \
      --node-id "node$i" --cluster-prefix "$prefix" >"$logs/$name-node$i.log" 2>&1 &
    started+=($!)
    node_pid[node$i]=$!
  done
  haproxy -db -f "$cfg" >"$logs/$name-haproxy.log" 2>&1 &
  haproxy_pid=$!
  started+=($haproxy_pid)
  for port in "${node_ports[@]}"; do await_live "$port" cluster; done
  leader=""
  deadline=$((SECONDS + 30))
  while [ -z "$leader" ] && [ $SECONDS -lt $deadline ]; do
    leader=$(health "${node_ports[0]}" | jq -r '.cluster.leader // ""' 2>/dev/null || true)
    [ -n "$leader" ] || sleep 0.5
  done
  [ -n "$leader" ] || die "no node took the lease within 30 s"
  # HAProxy marks a node up after two passed checks, 1 s apart.
  deadline=$((SECONDS + 30))
  until curl -sf --max-time 2 "http://127.0.0.1:$front_port/healthz" >/dev/null; do
    [ $SECONDS -lt $deadline ] || die "HAProxy on port $front_port does not answer"
    sleep 0.5
  done
  sleep 3
  echo "run.sh: cluster up (prefix $prefix); $leader ingests (pid ${node_pid[$leader]})" >&2
  all_pids="${node_pid[node1]},${node_pid[node2]},${node_pid[node3]},$haproxy_pid"
  declare -A cpu_before=()
  for p in ${all_pids//,/ }; do cpu_before[$p]=$(cpu_ticks "$p"); done
  echo "run.sh: bench fanout --target ws://127.0.0.1:$front_port/ws (pids $all_pids)" >&2
  bench cluster "ws://127.0.0.1:$front_port/ws" "$all_pids"
  {
    echo "CPU seconds over the whole cluster bench (ramps, warm-ups and pauses included):"
    for id in node1 node2 node3; do
      p=${node_pid[$id]}
      echo "  $id$([ "$id" = "$leader" ] && echo ' (leader)'): $(cpu_since "${cpu_before[$p]}" "$p") s, RSS $(rss_of "$p")"
    done
    echo "  haproxy: $(cpu_since "${cpu_before[$haproxy_pid]}" "$haproxy_pid") s, RSS $(rss_of "$haproxy_pid")"
    echo "Seq of each node's dashboard, read one after the other:"
    for port in "${node_ports[@]}"; do
      echo "  $port: $(health "$port" | jq -c '[.cluster.node, .dashboards[0].seq, .cluster.ticks, .cluster.events, .cluster.duplicates]')"
    done
    for stream in $(rcli --scan --pattern "{$prefix:*}:events"); do
      echo "Stream $stream: XLEN $(rcli xlen "$stream"), MEMORY USAGE $(rcli memory usage "$stream" samples 0) bytes"
    done
  } | tee "$out/$name-cluster.txt" >&2
  stop_all
  delete_keys
fi

if [ "$only" != cluster ]; then
  java -jar "$jar" serve "$dash_file" --port "$single_port" --no-journal \
    >"$logs/$name-single.log" 2>&1 &
  single_pid=$!
  started+=($single_pid)
  await_live "$single_port" single
  sleep 3
  echo "run.sh: one node alone (pid $single_pid): bench fanout --target ws://127.0.0.1:$single_port/ws" >&2
  bench single "ws://127.0.0.1:$single_port/ws" "$single_pid"
  stop_all
fi

{
  # RSS per viewer is left out: these processes serve every run, so only the first run's growth
  # would mean something. Cluster CPU and RSS: the three nodes and HAProxy, summed.
  echo "| setup | viewers | frames/s | p50 ms | p99 ms | max ms | gaps | CPU µs/delivery | server cores | RSS end MiB |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for kind in cluster single; do
    f=$out/$name-$kind.json
    [ -f "$f" ] || continue
    jq -r --arg kind "$kind" '.summaries[] | "| \($kind) | \(.viewers) | \(.framesPerSecond | round) | \(.latencyP50Millis * 10 | round / 10) | \(.latencyP99Millis * 10 | round / 10) | \(.latencyMaxMillis * 10 | round / 10) | \(.gaps) | \(if .cpuMicrosPerDelivery then (.cpuMicrosPerDelivery * 10 | round / 10) else "-" end) | \(if .serverCpuCores then (.serverCpuCores * 100 | round / 100) else "-" end) | \(.rssEndKiB / 1024 | round) |"' "$f"
  done
} | tee "$out/$name.md"
echo "run.sh: $(uptime)" >&2
