#!/usr/bin/env bash
# Profiles a benchmark (default: the ingest path) with async-profiler 3.0, taken from Maven
# Central (its jar carries the Linux x64 library): CPU by interval timer (no perf events
# needed), then allocations; prints the top frames. Needs target/benchmarks.jar
# (./mvnw -B -Pbench -DskipTests package).
#
#   scripts/bench-profile.sh ['IngestBench.runOnce']
set -euo pipefail
cd "$(dirname "$0")/.."
bench="${1:-IngestBench.runOnce}"
lib=target/async-profiler/libasyncProfiler.so
if [ ! -f "$lib" ]; then
  ./mvnw -B -q dependency:copy -Dartifact=tools.profiler:async-profiler:3.0 \
    -DoutputDirectory=target/async-profiler
  unzip -o -j -q target/async-profiler/async-profiler-3.0.jar linux-x64/libasyncProfiler.so \
    -d target/async-profiler
fi
for event in "itimer;interval=1000000" alloc; do
  name="${event%%;*}"
  java -jar target/benchmarks.jar "$bench" -f 1 -wi 2 -w 3s -i 3 -r 3s \
    -prof "async:libPath=$PWD/$lib;event=$event;output=collapsed;dir=target/profile/$name"
done
for f in target/profile/*/*/collapsed-*.csv; do
  echo "== $f"
  scripts/profile-top.py "$f" 25 | head -70
done
