#!/bin/sh
# Builds livegraph and the examples, then runs the JVM dashboard example:
#   examples/run-jvm-dashboard.sh [PORT]     (default 8080; 0 picks a free port)
# It prints the address to open; Ctrl-C stops it.
set -eu
cd "$(dirname "$0")/.."
./mvnw -q -B test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/runtime-classpath.txt -Dmdep.includeScope=runtime
exec java -cp "target/classes:target/test-classes:$(cat target/runtime-classpath.txt)" \
    livegraph.examples.JvmDashboard "$@"
