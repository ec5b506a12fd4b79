#!/usr/bin/env bash
# The Python package's checks, on a fresh machine: a virtual environment under
# target/py-venv with maturin, numpy, pytest, matplotlib, safetensors, mypy, nbclient,
# nbformat, nbconvert, ipykernel and dask[distributed] from PyPI; the release CLI (for the
# parity tests; $HOPFIELD_BIN when set); the package built and installed as a user would
# (pip install ./crates/hopfield-py); the pytest suite (with a two-worker dask cluster);
# examples/course_page.ipynb executed headless and its outputs checked; the stubs against
# the runtime (mypy.stubtest) and the types under mypy --strict; and the course-page
# script run once as a smoke test of its figures. Usage: bash scripts/python-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

VENV=${HOPFIELD_PY_VENV:-$ROOT/target/py-venv}
PY=$VENV/bin/python
FIGURES=$ROOT/target/py-example-figures

step() { printf '\n== %s\n' "$*"; }
timed() {
    local start=$SECONDS
    "$@"
    echo "   (took $((SECONDS - start)) s)"
}

step "virtual environment ($VENV)"
if [ ! -x "$PY" ]; then
    python3 -m venv "$VENV"
fi
timed "$PY" -m pip install --quiet --disable-pip-version-check \
    "maturin>=1.9.4,<2" numpy pytest matplotlib safetensors \
    mypy nbclient nbformat nbconvert ipykernel "dask[distributed]"

# The command line of the parity tests: HOPFIELD_BIN when the caller built it (as
# scripts/test.sh does with the tests), else the release build.
if [ -n "${HOPFIELD_BIN:-}" ] && [ -x "$HOPFIELD_BIN" ]; then
    step "release CLI for the parity tests: $HOPFIELD_BIN"
else
    step "release CLI for the parity tests"
    timed cargo build --release -p hopfield-cli
    HOPFIELD_BIN=$ROOT/target/release/hopfield
fi

# maturin compiles the extension into the workspace's target directory, beside the other
# builds, so that the dependencies they share are compiled once.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}

step "build and install the package (pip install ./crates/hopfield-py)"
timed "$PY" -m pip install --quiet --disable-pip-version-check --force-reinstall \
    --no-deps ./crates/hopfield-py
"$PY" -c 'import hopfield; print("hopfield", hopfield.__version__, "from", hopfield.__file__)'

TESTS=crates/hopfield-py/tests
export HOPFIELD_MYPY_CACHE=$ROOT/target/mypy-cache

step "pytest (the dask test runs a local cluster of two worker processes)"
HOPFIELD_BIN=$HOPFIELD_BIN HOPFIELD_REQUIRE_CLI=1 \
    timed "$PY" -m pytest -p no:cacheprovider -q "$TESTS" \
    --ignore "$TESTS/test_notebook.py" --ignore "$TESTS/test_typing.py" \
    --durations=3

step "notebook: examples/course_page.ipynb executed headless, outputs checked, code under mypy --strict"
timed "$PY" -m pytest -p no:cacheprovider -q "$TESTS/test_notebook.py"

step "types: the stubs against the runtime (mypy.stubtest), recall's overloads, mypy --strict"
timed "$PY" -m pytest -p no:cacheprovider -q "$TESTS/test_typing.py"

step "example: examples/course_page.py"
rm -rf "$FIGURES"
start=$SECONDS
"$PY" examples/course_page.py "$FIGURES" >/dev/null
echo "   (took $((SECONDS - start)) s)"
"$PY" - "$FIGURES" <<'EOF'
import pathlib
import sys

folder = pathlib.Path(sys.argv[1])
expected = [
    "01_simulate.png", "02_crosstalk.png", "03_crosstalk_overlap.png",
    "04_one_pattern_weights.png", "05_one_pattern.png", "06_letters.png", "07_bu.png",
    "07_bu_weights.png", "08_bc.png", "09_bu_net_bc_cue.png", "10_star.png",
    "11_two_images.png", "12_two_patterns_weights.png", "12_two_patterns.png",
]
bad = []
for name in expected:
    path = folder / name
    if not path.is_file() or path.stat().st_size == 0:
        bad.append(f"{name}: missing or empty")
    elif path.read_bytes()[:8] != b"\x89PNG\r\n\x1a\n":
        bad.append(f"{name}: not a PNG file")
if bad:
    sys.exit("example figures: " + "; ".join(bad))
print(f"example: {len(expected)} figures written, all non-empty PNG files")
EOF

echo
echo "python checks passed"
