#!/usr/bin/env bash
# Times the reference workloads A–E with numpy (scripts/numpy_baseline.py) and with
# `hopfield bench` in one run on this machine, and prints the ratios as a Markdown table.
# Usage: bash scripts/bench.sh [RUNS]   (RUNS numpy runs per workload, median; default 1)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-1}"
venv=target/bench-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q --disable-pip-version-check numpy
cargo build -q --release -p hopfield-cli
out=target/bench
mkdir -p "$out"

echo "numpy: $runs run(s) per workload" >&2
: > "$out/numpy.txt"
for _ in $(seq "$runs"); do
  "$venv/bin/python" scripts/numpy_baseline.py A B C D E | tee -a "$out/numpy.txt" >&2
done
echo "hopfield (median of 5 runs per workload)" >&2
target/release/hopfield bench --repeat 5 | tee "$out/hopfield.txt" >&2

"$venv/bin/python" - "$out/numpy.txt" "$out/hopfield.txt" "$(nproc)" <<'PY'
import re, statistics, sys
numpy = {}
for line in open(sys.argv[1]):
    m = re.match(r"(\S+) ([0-9.]+)s check=(\S+)", line)
    if m:
        numpy.setdefault(m[1], []).append((float(m[2]), m[3]))
ours = {}
for line in open(sys.argv[2]):
    m = re.match(r"(\S+) ([0-9.]+)s check=(\S+)", line)
    if m:
        ours[m[1]] = (float(m[2]), m[3])
targets = {"A": 50, "B": 100, "C": 50, "D": 100, "E": 5}
print(f"Measured on {sys.argv[3]} cores (numpy time / hopfield time, same run):\n")
print("| workload | numpy | hopfield | ratio | target | check numpy / hopfield |")
print("|---|---:|---:|---:|---:|---|")
for w in "ABCDE":
    if w not in numpy or w not in ours:
        continue
    t_np = statistics.median(t for t, _ in numpy[w])
    t_h, c_h = ours[w]
    ratio = t_np / t_h
    print(f"| {w} | {t_np:.3f} s | {t_h*1000:.2f} ms | {ratio:,.0f}× | ≥ {targets[w]}× | {numpy[w][0][1]} / {c_h} |")
def ref(a, b, what):
    if a in ours and b in ours:
        print(f"| {what} | | {ours[a][0]*1000:.1f} ms vs {ours[b][0]*1000:.1f} ms | {ours[a][0]/ours[b][0]:.2f} | ≤ 2 | |")
ref("B-dense", "write", "B, dense int8 forced, vs writing the 10⁴ × 10⁴ int8 matrix once")
ref("step", "read", "one dense int8 sync step at N = 10⁴ vs reading the matrix once")
PY
