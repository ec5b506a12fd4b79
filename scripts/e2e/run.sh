#!/usr/bin/env bash
# End-to-end tests of `hopfield serve` in headless Chromium: a letter drawn, stored,
# corrupted and recalled; every preset of the course page played to the page's outcome;
# every rule and model through the page; the link round trip; exported files read by the
# command line; four window sizes; names of the controls and the live region.
#
# Installs what is missing: Debian's chromium (apt-get, as root) and playwright-core from
# npm into scripts/e2e/node_modules (no browser download: playwright drives
# /usr/bin/chromium). Builds the release binary, runs the tests with node's test runner and
# writes the screenshots to target/e2e/ and the README's (docs/serve.png at 1440 × 900,
# docs/serve-phone.png at 390 × 844) to docs/, so that they are never stale.
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

# The binary under test: HOPFIELD_BIN when the caller built it (as scripts/test.sh does
# with the tests), else the release build.
if [ -n "${HOPFIELD_BIN:-}" ] && [ -x "$HOPFIELD_BIN" ]; then
  echo "== release binary: $HOPFIELD_BIN"
else
  echo "== release binary"
  cargo build --release -p hopfield-cli --bin hopfield
  HOPFIELD_BIN="$root/target/release/hopfield"
fi

echo "== e2e test"
mkdir -p target/e2e docs
cd "$here"
HOPFIELD_BIN="$HOPFIELD_BIN" \
  E2E_OUT="$root/target/e2e" \
  E2E_DOCS="$root/docs" \
  node --test --test-reporter=spec serve.test.mjs
echo "e2e passed in $(( $(date +%s) - started )) s"
