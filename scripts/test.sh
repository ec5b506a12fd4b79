#!/usr/bin/env bash
# Every check of the project, on a fresh machine: installs what is missing, then runs
# formatting, lints, documentation and all tests. Usage: bash scripts/test.sh
#
# The workspace is compiled once for the tests (release profile, the flags of
# Cargo.toml only: no RUSTFLAGS, so that every stage reuses the same artifacts in
# target/): the lints and the documentation share one check of the dependencies; the
# test binaries are built once and run at every kernel level (the server's tests, which
# mostly wait, beside the others); the command-line binary they built serves the Python
# and explorer tests; and the Python extension is built by maturin into the same target
# directory. The fuzz build, which the sanitizer's flags make a compilation of its own,
# runs in the background at the lowest priority while the tests run, and is kept outside
# the clone for later runs. Each stage prints its time and its processor time, and a
# summary closes the run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

# Flags set in the caller's environment would make every stage a compilation of its own.
if [ -n "${RUSTFLAGS:-}" ] || [ -n "${CARGO_ENCODED_RUSTFLAGS:-}" ]; then
    echo "note: RUSTFLAGS is set ('${RUSTFLAGS:-}'); unset it so that the stages share one build" >&2
fi
unset CARGO_BUILD_TARGET_DIR
export CARGO_TARGET_DIR=$ROOT/target

stage_names=()
stage_times=()
stage_cpu=()
started=$SECONDS

# CPU: the processor time (user + system, whole seconds) of the finished child processes.
# The builtin `times` must run in this shell, not in a subshell (a pipe or $(...)), whose
# children are none; it writes to a file.
times_file=$(mktemp)
CPU=0
measure_cpu() {
    times >"$times_file"
    CPU=$(tail -n 1 "$times_file" | awk '{
        total = 0
        for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); total += t[1] * 60 + t[2] }
        printf "%d", total
    }')
}

# Runs one stage: a title, the command, its time and its processor time.
stage() {
    local name=$1
    shift
    printf '\n== %s\n' "$name"
    local start=$SECONDS before
    measure_cpu
    before=$CPU
    "$@"
    local took=$((SECONDS - start))
    measure_cpu
    local cpu=$((CPU - before))
    stage_names+=("$name")
    stage_times+=("$took")
    stage_cpu+=("$cpu")
    printf '   [stage] %s: %d s (processor time %d s)\n' "$name" "$took" "$cpu"
}

fuzz_build=
summary() {
    if [ -n "$fuzz_build" ] && kill -0 "$fuzz_build" 2>/dev/null; then
        kill -- "-$fuzz_build" 2>/dev/null || kill "$fuzz_build" 2>/dev/null || true
    fi
    echo
    echo "stage times (s): elapsed, processor (user + system)"
    local i
    for i in "${!stage_names[@]}"; do
        printf '  %5d %6d  %s\n' "${stage_times[$i]}" "${stage_cpu[$i]}" "${stage_names[$i]}"
    done
    measure_cpu
    printf '  %5d %6d  total\n' "$((SECONDS - started))" "$CPU"
    echo "  load average at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
    echo "  processors: $(nproc 2>/dev/null || echo '?')"
    rm -f "$times_file"
}
trap summary EXIT

stage "toolchain components" bash -c 'rustup component add rustfmt clippy >/dev/null 2>&1 || true'

stage "format" cargo fmt --all --check

stage "lints" cargo clippy --workspace --all-targets --release -- -D warnings

stage "the core built lean (no serde, no rayon)" \
    cargo clippy -p hopfield --no-default-features --release -- -D warnings

stage "documentation" env RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --release

# Every crate but the benches (criterion is compiled for `cargo bench` only), always with
# the same selection: another selection would resolve other dependency features and
# compile them again.
TESTS=(--workspace --exclude hopfield-bench --release)

# The test binaries, listed for the other kernel levels: one line per binary, its package
# folder, kind (lib, test) and name, then its path.
build_tests() {
    mkdir -p target
    cargo test "${TESTS[@]}" --no-run --message-format json-render-diagnostics \
        >target/test-binaries.json
    python3 - target/test-binaries.json >target/test-binaries.tsv <<'EOF'
import json, os, sys
for line in open(sys.argv[1], encoding="utf-8"):
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["profile"]["test"]:
        folder = os.path.dirname(m["manifest_path"])
        print(folder, m["target"]["kind"][0], m["target"]["name"], m["executable"], sep="\t")
EOF
    echo "   $(wc -l <target/test-binaries.tsv) test binaries"
}
stage "build the tests (once, for every kernel level)" build_tests

# The fuzz build needs the sanitizer's flags, so it is a compilation of its own, kept
# outside the clone for later runs. It starts now, in the background at the lowest
# priority, on the processor time the Rust tests leave idle (the server's mostly wait);
# the server tests timed alone and the fuzz stage wait for it. 10 s per target here (30 s
# when scripts/fuzz.sh runs alone).
export FUZZ_SECONDS=${FUZZ_SECONDS:-10}
export FUZZ_TARGET_DIR=${FUZZ_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/hopfield/fuzz-target}
# In a process group of its own (setsid), so that a failing run stops it with its compilers.
if command -v setsid >/dev/null; then
    setsid nice -n 19 bash scripts/fuzz.sh --build-only >target/fuzz-build.log 2>&1 &
else
    nice -n 19 bash scripts/fuzz.sh --build-only >target/fuzz-build.log 2>&1 &
fi
fuzz_build=$!
fuzz_build_status=
# Waits for the fuzz build once, keeping its exit status for the fuzz stage.
finish_fuzz_build() {
    if [ -n "$fuzz_build" ]; then
        fuzz_build_status=0
        wait "$fuzz_build" || fuzz_build_status=$?
        fuzz_build=
    fi
}

# `cargo test` with the binaries built above. The server's tests mostly wait (slow
# clients cut off after their timeouts, requests of about two seconds run one at a time),
# so their binary runs beside the others, started first, and `cargo test` skips its tests
# by their exact names. The tests that time the server under load (the attack of slow
# clients, the heaviest requests) run afterwards, alone on the machine.
measured=(
    the_attack_of_slow_clients_leaves_the_server_small_and_answering
    the_heaviest_request_of_each_rule_is_answered_in_about_two_seconds
    the_heaviest_request_of_each_model_is_answered_in_about_two_seconds
)
run_best_level() {
    local folder kind name exe serve= serve_dir= serve_pid= skips=() status=0 later=()
    while IFS=$'\t' read -r folder kind name exe; do
        if [ "$kind:$name" = "test:serve" ]; then
            serve=$exe
            serve_dir=$folder
        fi
    done <target/test-binaries.tsv
    if [ -n "$serve" ]; then
        while read -r test; do
            skips+=(--skip "$test")
        done < <("$serve" --list --format terse | sed -n 's/: test$//p')
        for test in "${measured[@]}"; do
            later+=(--skip "$test")
        done
        (cd "$serve_dir" && exec env -u HOPFIELD_SIMD "$serve" --exact "${later[@]}") \
            >target/serve-tests.log 2>&1 &
        serve_pid=$!
        echo "   the server's $((${#skips[@]} / 2)) tests run beside the others"
    fi
    env -u HOPFIELD_SIMD cargo test "${TESTS[@]}" -- --exact "${skips[@]}" || status=$?
    if [ -n "$serve" ]; then
        echo "   tests/serve.rs (run beside the others):"
        wait "$serve_pid" || status=$?
        cat target/serve-tests.log
        # Alone means without the fuzz build too: its last compilations and links, even at
        # the lowest priority, take the memory bandwidth and disk the timed server needs.
        finish_fuzz_build
        echo "   tests/serve.rs, the server timed under load (alone):"
        (cd "$serve_dir" && exec env -u HOPFIELD_SIMD "$serve" --exact "${measured[@]}") ||
            status=$?
    fi
    return "$status"
}
stage "Rust tests (the best kernel level this processor runs)" run_best_level

# The kernels again at every other level this processor runs (HOPFIELD_SIMD), with the
# test binaries built above (only the environment differs): the unit tests of the
# libraries (the kernels against their portable versions), the core's property tests
# against a plain reference implementation, its other integration tests, and the level
# tests, which compare seeded runs of the library, `hopfield recall --json` and the whole
# `hopfield tour` byte for byte between levels. The command line's file, server and
# figure tests do not depend on the level and run once, above.
run_at_level() {
    local folder kind name exe
    while IFS=$'\t' read -r folder kind name exe; do
        case "$kind:$name" in
            lib:* | test:properties | test:beyond | test:experiments | test:levels) ;;
            *) continue ;;
        esac
        echo "   $(basename "$folder") $kind $name"
        (cd "$folder" && HOPFIELD_SIMD=$1 "$exe" -q)
    done <target/test-binaries.tsv
}
HOPFIELD_BIN=$ROOT/target/release/hopfield
export HOPFIELD_BIN
levels=$(env -u HOPFIELD_SIMD "$HOPFIELD_BIN" info --levels)
best=$(tail -n 1 <<<"$levels")
for level in $levels; do
    [ "$level" = "$best" ] && continue
    stage "Rust tests at HOPFIELD_SIMD=$level (kernels, properties, levels)" \
        run_at_level "$level"
done
if ! grep -qx avx512 <<<"$levels"; then
    echo "   avx512: not run here, this processor has no AVX-512 (levels: $(echo $levels));"
    echo "   the bit-packed kernels run and are compared at that level on machines that have it"
fi

stage "the Python package" bash scripts/python-test.sh

stage "the explorer in headless Chromium" bash scripts/e2e/run.sh

fuzz() {
    finish_fuzz_build
    local status=$fuzz_build_status
    cat target/fuzz-build.log
    if [ "$status" -ne 0 ]; then
        echo "the fuzz build failed (exit $status)"
        return "$status"
    fi
    bash scripts/fuzz.sh
}
stage "fuzzing ($FUZZ_SECONDS s per target; the build started after the test build)" fuzz

echo
echo "all checks passed"
