#!/usr/bin/env bash
# Replaces the vendored Plotly bundle with another version of plotly.js-cartesian-dist-min.
# Usage: scripts/update-plotly.sh 4.1.1
# npm pack verifies the tarball against the registry's integrity value; we record it and the
# file's sha256 so a reviewer can check the committed file without npm.
set -euo pipefail
version=${1:?usage: $0 VERSION}
pkg=plotly.js-cartesian-dist-min
root=$(cd "$(dirname "$0")/.." && pwd)
vendor=$root/src/main/resources/web/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$pkg@$version" >/dev/null && tar xzf ./*.tgz)
integrity=$(npm view "$pkg@$version" dist.integrity)
old=$(ls "$vendor"/plotly-cartesian-*.min.js 2>/dev/null || true)
[ -n "$old" ] && rm -f $old
cp "$work/package/plotly-cartesian.min.js" "$vendor/plotly-cartesian-$version.min.js"
cp "$work/package/LICENSE" "$vendor/plotly-LICENSE.txt"
sum=$(sha256sum "$vendor/plotly-cartesian-$version.min.js" | cut -d' ' -f1)
sed -i -E "s#^\| \`plotly-cartesian-[^|]*\|.*#| \`plotly-cartesian-$version.min.js\` | \`$pkg\` | $version | \`$integrity\` | \`$sum\` |#" "$vendor/README.md"
grep -rl 'plotly-cartesian-[0-9.]*\.min\.js' "$root/src/main/resources/web" --include='*.html' \
  | xargs -r sed -i -E "s#plotly-cartesian-[0-9.]+\.min\.js#plotly-cartesian-$version.min.js#g"
echo "vendored $pkg $version ($sum); run ./mvnw verify"
