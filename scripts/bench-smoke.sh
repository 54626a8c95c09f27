#!/usr/bin/env bash
# Builds the JMH benchmarks (-Pbench) and runs every one of them for a moment, to prove they
# work; the numbers mean nothing. CI runs this after the tests (about a minute, most of it the
# build). Full runs and their results: BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -B -q -Pbench -Dmaven.test.skip=true package
# -foe: a benchmark that throws fails the run (JMH's default carries on and exits 0).
# -f 0: all in this JVM, saving a JVM start per benchmark; small sizes: synthetic frames only,
# the default feed's hour, 20 events per bucket.
java -Xmx1g -jar target/benchmarks.jar -foe true -f 0 -wi 1 -w 200ms -i 1 -r 300ms \
  -p frames=synthetic -p hourRate=4 -p perBucket=20 -rf json -rff target/bench-smoke.json
# One forked run, as the full runs fork: proves the fork's JVM options and the jar's classpath.
java -jar target/benchmarks.jar -foe true -f 1 -wi 0 -i 1 -r 300ms 'IngestBench.runOnce'
