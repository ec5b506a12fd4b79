#!/usr/bin/env bash
# Every check of the project, on a fresh machine: installs what is missing, then runs
# formatting, lints, documentation and all tests. Usage: bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "toolchain components"
rustup component add rustfmt clippy >/dev/null 2>&1 || true

step "format"
cargo fmt --all --check

step "lints"
cargo clippy --workspace --all-targets --release -- -D warnings

step "documentation"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --release

step "Rust tests (release build)"
cargo test --workspace --release

step "the Python package"
bash scripts/python-test.sh

step "the explorer in headless Chromium"
bash scripts/e2e/run.sh

step "fuzzing (FUZZ_SECONDS per target, default 30)"
bash scripts/fuzz.sh

echo
echo "all checks passed"
