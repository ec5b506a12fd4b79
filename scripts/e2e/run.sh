#!/usr/bin/env bash
# End-to-end test of `hopfield serve` in headless Chromium: draws a letter, stores it,
# corrupts it, plays the dynamics and checks that the letter is recalled.
#
# Installs what is missing: Debian's chromium (apt-get, as root) and playwright-core from
# npm into scripts/e2e/node_modules (no browser download: playwright drives
# /usr/bin/chromium). Builds the release binary, runs the test with node's test runner and
# writes the screenshot to target/e2e/serve.png (and to docs/serve.png with UPDATE_DOCS=1).
#
# Usage: bash scripts/e2e/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
started=$(date +%s)

if [ ! -x /usr/bin/chromium ]; then
  echo "== installing chromium (Debian package)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi
command -v node >/dev/null || { echo "node is needed for the e2e test" >&2; exit 1; }

echo "== playwright-core (npm)"
if [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "== release binary"
cargo build --release -p hopfield-cli --bin hopfield

echo "== e2e test"
mkdir -p target/e2e docs
cd "$here"
HOPFIELD_BIN="$root/target/release/hopfield" \
  E2E_OUT="$root/target/e2e" \
  E2E_DOCS_SHOT="${UPDATE_DOCS:+$root/docs/serve.png}" \
  node --test --test-reporter=spec serve.test.mjs
echo "e2e passed in $(( $(date +%s) - started )) s"
