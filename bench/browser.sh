#!/usr/bin/env bash
# The browser benchmark (BENCHMARKS.md, "Browser"): the livegraph page beside a reference page
# doing what the 2016 page did, in Debian's headless Chromium. Installs playwright-core in
# bench/browser (npm ci, from the committed package-lock.json; it drives /usr/bin/chromium and
# never downloads a browser) when node_modules is missing, builds target/livegraph-all.jar when
# it is missing, then runs bench/browser/bench.js.
#   bench/browser.sh                 the full sweep: 20, 200, 10000 events/s, 3 runs (about 25 minutes)
#   bench/browser.sh --smoke         seconds: 200 events/s, 2 minutes of history, one run (CI runs this)
#   bench/browser.sh --rates 20 --runs 5 --measure 30 --out target/bench/b20     any other settings
# Without npm, the registry or Chromium the bench is skipped with a message (exit 0).
# Results: OUT.json and OUT.md (default target/bench/browser), processes' logs in OUT-logs/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
dir=bench/browser
jar=target/livegraph-all.jar

if [ ! -x /usr/bin/chromium ]; then
  echo "browser.sh: /usr/bin/chromium is not installed: the browser bench is skipped" >&2
  exit 0
fi
if [ ! -d "$dir/node_modules" ]; then
  if ! command -v npm >/dev/null; then
    echo "browser.sh: npm is not installed: the browser bench is skipped" >&2
    exit 0
  elif ! (cd "$dir" && timeout 180 npm ci --no-audit --no-fund --loglevel=error >&2); then
    rm -rf "$dir/node_modules"
    echo "browser.sh: npm ci in $dir failed (registry unreachable?): the browser bench is skipped" >&2
    exit 0
  fi
fi
if [ ! -f "$jar" ]; then
  echo "browser.sh: building $jar" >&2
  ./mvnw -B -q -DskipTests package >&2
fi

echo "browser.sh: $(uptime)" >&2
status=0
node "$dir/bench.js" --jar "$jar" "$@" || status=$?
echo "browser.sh: $(uptime)" >&2
exit $status
