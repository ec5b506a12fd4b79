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

step "the core built lean (no serde, no rayon)"
cargo clippy -p hopfield --no-default-features --release -- -D warnings

step "documentation"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --release

step "Rust tests (release build, the best kernel level this processor runs)"
env -u HOPFIELD_SIMD cargo test --workspace --release

# The kernels again at every other level this processor runs (HOPFIELD_SIMD): every level
# must pass the same tests, and the level tests compare their results byte for byte.
levels=$(env -u HOPFIELD_SIMD target/release/hopfield info --levels)
best=$(tail -n 1 <<<"$levels")
for level in $levels; do
    [ "$level" = "$best" ] && continue
    step "Rust tests at HOPFIELD_SIMD=$level"
    HOPFIELD_SIMD=$level cargo test --workspace --release
done
if ! grep -qx avx512 <<<"$levels"; then
    echo "   avx512: not run here, this processor has no AVX-512 (levels: $(echo $levels));"
    echo "   the bit-packed kernels run and are compared at that level on machines that have it"
fi

step "the Python package"
bash scripts/python-test.sh

step "the explorer in headless Chromium"
bash scripts/e2e/run.sh

step "fuzzing (FUZZ_SECONDS per target, default 30)"
bash scripts/fuzz.sh

echo
echo "all checks passed"
