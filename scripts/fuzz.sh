#!/usr/bin/env bash
# Runs every cargo-fuzz target (fuzz/fuzz_targets) for a bounded time and fails on a
# crash. Installs cargo-fuzz when missing. cargo-fuzz needs nightly compiler flags; the
# stable toolchain accepts them with RUSTC_BOOTSTRAP=1.
#
# Usage: bash scripts/fuzz.sh [TARGET...]   (default: all targets)
#        bash scripts/fuzz.sh --build-only   (the build alone, as scripts/test.sh starts it)
#   FUZZ_SECONDS=30   time per target
#   FUZZ_TARGET_DIR   where the fuzz build goes (default fuzz/target); the sanitizer's
#                     flags make it a compilation of its own, which a folder outside the
#                     clone keeps for later runs (scripts/test.sh uses one)
#
# Each target starts from a corpus seeded with the valid and bad files of tests/data. A
# crash leaves its input in fuzz/artifacts/TARGET/; copy it to tests/data/bad/ (listed in
# make.py and manifest.tsv) when the bug is fixed, so it stays a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SECONDS_PER_TARGET=${FUZZ_SECONDS:-30}
export RUSTC_BOOTSTRAP=1
# Never the main build's folder: the same file names built with other flags would replace
# its artifacts.
export CARGO_TARGET_DIR=${FUZZ_TARGET_DIR:-$ROOT/fuzz/target}

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "installing cargo-fuzz"
    cargo install --locked cargo-fuzz
fi

build_only=false
if [ "${1:-}" = "--build-only" ]; then
    build_only=true
    shift
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(npy grid png network recall)
fi

# Copies the regular files among FILES... into the last argument (not the links to
# /dev/zero of the corpus, which have no end).
copy() {
    local dir=${*: -1} f
    for f in "${@:1:$#-1}"; do
        if [ -f "$f" ] && [ ! -L "$f" ]; then cp "$f" "$dir"/; fi
    done
}

seed() {
    local target=$1 dir=$ROOT/fuzz/corpus/$1
    mkdir -p "$dir"
    case $target in
        npy) copy "$ROOT"/tests/data/*.npy "$ROOT"/tests/data/bad/*.npy "$dir" ;;
        grid) copy "$ROOT"/tests/data/bad/*.txt "$dir"; printf '#.#\n.#.\n\n###\n...\n' >"$dir"/two.txt ;;
        png) copy "$ROOT"/tests/data/bad/*.png "$dir" ;;
        network) copy "$ROOT"/tests/data/*.hfn "$ROOT"/tests/data/bad/*.hfn "$dir" ;;
        recall) printf '\x19\x03\x00\x55\xaa\x55\x01\x00\x01' >"$dir"/small ;;
    esac
}

mkdir -p "$ROOT/target"
cd fuzz
start=$SECONDS
cargo fuzz build --debug-assertions 2>&1 | tail -1
echo "   fuzz build: $((SECONDS - start)) s (in $CARGO_TARGET_DIR)"
if $build_only; then
    exit 0
fi
failed=()
for t in "${targets[@]}"; do
    seed "$t"
    printf '\n== fuzz %s for %s s\n' "$t" "$SECONDS_PER_TARGET"
    if cargo fuzz run --debug-assertions "$t" "corpus/$t" -- \
        -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 >"$ROOT/target/fuzz-$t.log" 2>&1; then
        done_line=$(grep -E '^Done [0-9]+ runs in [0-9]+ second' "$ROOT/target/fuzz-$t.log" | tail -1)
        echo "   $t: no finding (${done_line:-no summary})"
    else
        echo "   $t: CRASH (log: target/fuzz-$t.log; input in fuzz/artifacts/$t/)"
        grep -E 'panicked|ERROR|SUMMARY' "$ROOT/target/fuzz-$t.log" | head -5 || true
        failed+=("$t")
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing found crashes in: ${failed[*]}"
    exit 1
fi
echo "fuzzing: no crash in ${#targets[@]} targets"
