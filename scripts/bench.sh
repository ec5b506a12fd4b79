#!/usr/bin/env bash
# Times the reference workloads A–F interleaved, so that every ratio comes from the same
# stretch of machine time: each round runs, per workload, the course page's numpy
# (scripts/numpy_baseline.py), the strongest alternatives we know (strong_baselines.py of
# the shared bench folder, when it is there), and `hopfield bench` with one thread and with
# two (each in a fresh process, the median of three runs there); the order alternates from
# round to round. BLAS runs on one thread. Prints medians over the rounds and a Markdown
# table: page numpy, the strongest alternative, hopfield, both ratios (median of the
# per-round ratios, hopfield on one thread, as BLAS), the two-thread figure, hopfield's
# peak memory, the check values and the machine load.
#
# Usage: bash scripts/bench.sh [ROUNDS] [WORKLOADS]      (default: 5 rounds, "A B C D E F")
#   STRONG_BASELINES=path/to/strong_baselines.py   the alternatives (default: looked for in
#                                                  ../shared/bench and ../../shared/bench)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-5}"
workloads="${2:-A B C D E F}"
if [ "$rounds" -lt 5 ]; then
  echo "note: $rounds rounds; medians of at least 5 are the rule for the table" >&2
fi
# One BLAS thread (numpy, PyTorch): the comparison is per core; hopfield reports one
# thread and two.
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 \
  NUMEXPR_NUM_THREADS=1 VECLIB_MAXIMUM_THREADS=1
venv=target/bench-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q --disable-pip-version-check numpy
cargo build -q --release -p hopfield-cli
strong="${STRONG_BASELINES:-}"
if [ -z "$strong" ]; then
  for candidate in ../shared/bench/strong_baselines.py ../../shared/bench/strong_baselines.py; do
    if [ -f "$candidate" ]; then
      strong="$candidate"
      break
    fi
  done
fi
if [ -z "$strong" ]; then
  echo "note: no strong_baselines.py found (set STRONG_BASELINES); page numpy only" >&2
fi
mkdir -p target/bench

"$venv/bin/python" - "$rounds" "$workloads" "$strong" target/release/hopfield "$(getconf _NPROCESSORS_ONLN)" <<'PY' | tee target/bench/table.md
import importlib.util, json, os, statistics, subprocess, sys, time

rounds, workloads, strong_path, binary, cores = sys.argv[1:6]
rounds, workloads = int(rounds), workloads.split()
sys.path.insert(0, "scripts")
import numpy_baseline as nb  # noqa: E402

strong = None
if strong_path:
    spec = importlib.util.spec_from_file_location("strong_baselines", strong_path)
    strong = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(strong)

PAGE = {"A": nb.seed_async, "B": nb.seed_image, "C": nb.capacity_sweep,
        "D": nb.async_large, "E": nb.large_factored, "F": nb.large_alpha}


def alternatives(w):
    """The strong alternatives of workload w, by name (none without the script)."""
    if strong is None:
        return {}
    if w == "F":  # E's fastest form at F's sizes
        return {"fast": lambda: strong.e_fast(P=5000, cues=32)}
    v = strong.variants(w) if w in strong.VARIANTS else {}
    v.pop("page", None)
    return v


def timed(f):
    t0 = time.perf_counter()
    r = f()
    return time.perf_counter() - t0, r


def hopfield(w):
    """One and two threads, each timed in a process of its own, the median of three runs
    there (as strong_baselines.py takes it: the numpy versions, too, run in a process that
    has run them before): [(seconds, check, peak MB)] per thread count."""
    out = subprocess.run([binary, "bench", w, "--repeat", "3", "--threads", "2", "--json"],
                         capture_output=True, text=True, check=True).stdout
    return [(t["seconds"], t["check"], t["peak_rss_mb"]) for t in json.loads(out)["timings"]]


times = {w: {} for w in workloads}
checks = {w: {} for w in workloads}
peak = {}
loads = []
for r in range(rounds):
    loads.append(os.getloadavg()[0])
    for w in workloads:
        runs = [("page", PAGE[w])] + list(alternatives(w).items()) + [("hopfield", None)]
        if r % 2:
            runs.reverse()
        row = []
        for name, f in runs:
            if f is None:
                (t1, c1, m1), (t2, _, m2) = hopfield(w)[:2]
                times[w].setdefault("hopfield", []).append(t1)
                times[w].setdefault("hopfield-2", []).append(t2)
                checks[w]["hopfield"] = c1
                peak[w] = max(m1, m2)
                row.append(f"hopfield {t1:.4f}s / {t2:.4f}s (1/2 threads)")
            else:
                t, c = timed(f)
                times[w].setdefault(name, []).append(t)
                checks[w][name] = c
                row.append(f"{name} {t:.4f}s")
        print(f"{w} round {r} load1={loads[-1]:.2f}: " + ", ".join(row), file=sys.stderr,
              flush=True)

med = statistics.median
print(f"Measured on {cores} cores, {rounds} interleaved rounds, BLAS on one thread, "
      f"load average (1 min) {min(loads):.1f}–{max(loads):.1f} during the runs; "
      "ratios are medians of the per-round ratios to hopfield on one thread.\n")
print("| workload | page numpy | strongest alternative | hopfield 1 thread | 2 threads "
      "| page / hopfield | strongest / hopfield | hopfield peak RSS | checks |")
print("|---|---:|---|---:|---:|---:|---:|---:|---|")
for w in workloads:
    t = times[w]
    h = t["hopfield"]
    ratio = lambda v: med([a / b for a, b in zip(v, h)])
    alts = [k for k in t if k not in ("page", "hopfield", "hopfield-2")]
    # The strongest: the alternative with the smallest median time.
    best = min(alts, key=lambda k: med(t[k])) if alts else None
    strongest = (f"{w}-{best} {med(t[best]):.3f} s" if best else "n/a")
    strongest_ratio = f"{ratio(t[best]):,.1f}×" if best else "n/a"
    cs = ", ".join(f"{k} {v}" for k, v in checks[w].items())
    print(f"| {w} | {med(t['page']):.3f} s | {strongest} | {med(h) * 1000:.1f} ms "
          f"| {med(t['hopfield-2']) * 1000:.1f} ms ({med([a / b for a, b in zip(h, t['hopfield-2'])]):.2f}×) "
          f"| {ratio(t['page']):,.1f}× | {strongest_ratio} | {peak[w]:.0f} MB | {cs} |")

# The dense references: B with the int8 matrix forced against writing it once, and one
# dense step against reading it once (targets ≤ 2×).
out = subprocess.run([binary, "bench", "B-dense", "write", "step", "read", "--repeat", "5",
                      "--json"], capture_output=True, text=True, check=True).stdout
ours = {t["name"]: t["seconds"] for t in json.loads(out)["timings"]}
print("\n| reference | hopfield | ratio | target |\n|---|---:|---:|---:|")
for a, b, what in [("B-dense", "write", "B, dense int8 forced, vs writing the 10⁴ × 10⁴ int8 matrix once"),
                   ("step", "read", "one dense int8 sync step at N = 10⁴ vs reading the matrix once")]:
    print(f"| {what} | {ours[a] * 1000:.1f} ms vs {ours[b] * 1000:.1f} ms | {ours[a] / ours[b]:.2f} | ≤ 2 |")
PY
