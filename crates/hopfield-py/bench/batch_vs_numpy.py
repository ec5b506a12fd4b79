"""Batch recall from Python versus the same loop in plain numpy.

A network of N = 1000 neurons stores P = 50 random patterns; K = 1000 cues (stored
patterns with 20 % of their neurons flipped) are recalled with synchronous dynamics until
a fixed point (ties to +1). Three ways:

* ``hopfield``: one call, ``net.recall(cues)`` (parallel in Rust, GIL released);
* ``numpy loop``: the course page's way, cue after cue, ``S = sign(W @ S)`` until nothing
  changes, with the dense float64 matrix W;
* ``numpy batch``: the best plain numpy can do, all unconverged cues at once with one
  matrix product per step.

All three must reach the same final states (W is integer-valued, so numpy's sums are
exact). Usage:

    python bench/batch_vs_numpy.py [--n 1000] [--p 50] [--k 1000] [--threads T]

``--threads T`` limits both sides to T threads (BLAS for numpy, rayon for hopfield);
by default both use every core. Timings are the best of ``--repeat`` runs.
"""

import argparse
import os
import platform
import sys
import time


def _threads_from_argv():
    """--threads must act before numpy (and its BLAS) is imported."""
    for k, arg in enumerate(sys.argv):
        if arg == "--threads" and k + 1 < len(sys.argv):
            return sys.argv[k + 1]
        if arg.startswith("--threads="):
            return arg.split("=", 1)[1]
    return None


_THREADS = _threads_from_argv()
if _THREADS:
    for var in ["OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                "RAYON_NUM_THREADS"]:
        os.environ[var] = _THREADS

import numpy as np  # noqa: E402

import hopfield  # noqa: E402
from hopfield import noise, patterns  # noqa: E402


def best_of(repeat, fn):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def numpy_loop(W, cues, max_steps=100):
    out = np.empty_like(cues)
    for k, cue in enumerate(cues):
        S = cue.astype(np.float64)
        for _ in range(max_steps):
            new = np.where(W @ S >= 0, 1.0, -1.0)
            if np.array_equal(new, S):
                break
            S = new
        out[k] = S
    return out


def numpy_batch(W, cues, max_steps=100):
    S = cues.astype(np.float64)
    active = np.arange(len(S))
    for _ in range(max_steps):
        new = np.where(S[active] @ W >= 0, 1.0, -1.0)  # W is symmetric
        changed = np.any(new != S[active], axis=1)
        S[active] = new
        active = active[changed]
        if active.size == 0:
            break
    return S.astype(np.int8)


def blas_info():
    try:
        from threadpoolctl import threadpool_info

        return ", ".join(
            f"{i.get('internal_api')} {i.get('version')} ({i.get('num_threads')} threads,"
            f" {i.get('architecture')})"
            for i in threadpool_info()
            if i.get("user_api") == "blas"
        )
    except ImportError:
        return "threadpoolctl not installed"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--p", type=int, default=50)
    parser.add_argument("--k", type=int, default=1000)
    parser.add_argument("--noise", type=float, default=0.2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=None,
                        help="threads for both sides (default: all cores)")
    args = parser.parse_args()

    X = patterns.random(args.p, args.n, seed=1)
    rng = hopfield.Rng(2)
    cues = np.stack(
        [noise.flip(X[k % args.p], args.noise, seed=rng) for k in range(args.k)]
    )
    W = (X.T.astype(np.float64) @ X.astype(np.float64)) - args.p * np.eye(args.n)

    print(f"N = {args.n}, P = {args.p}, K = {args.k} cues, {args.noise:.0%} flipped,"
          f" synchronous until a fixed point")
    threads = args.threads or os.cpu_count()
    print(f"machine: {os.cpu_count()} cores, {threads} thread(s) per side, Python"
          f" {platform.python_version()}, numpy {np.__version__}; BLAS: {blas_info()}")

    rows = []
    for representation in ["factored", "dense"]:
        net = hopfield.Network.from_patterns(X, representation=representation)
        t, batch = best_of(args.repeat, lambda: net.recall(cues))
        rows.append((f"hopfield ({representation})", t, batch.state))
    t_loop, loop_states = best_of(args.repeat, lambda: numpy_loop(W, cues))
    t_batch, batch_states = best_of(args.repeat, lambda: numpy_batch(W, cues))

    for name, _, states in rows:
        assert np.array_equal(states, loop_states), f"{name} disagrees with numpy"
    assert np.array_equal(batch_states, loop_states)
    recalled = np.mean([np.any(np.all(s == X, axis=1)) for s in loop_states])

    print(f"{'method':<22}{'time (s)':>10}{'per cue (ms)':>14}{'numpy loop / this':>20}")
    for name, t in [(r[0], r[1]) for r in rows] + [("numpy loop", t_loop),
                                                    ("numpy batch", t_batch)]:
        print(f"{name:<22}{t:>10.3f}{1000 * t / args.k:>14.3f}{t_loop / t:>20.1f}")
    best = min(r[1] for r in rows)
    print(f"all final states agree; {recalled:.1%} of the cues recalled their pattern")
    print(f"ratio: hopfield is {t_loop / best:.1f}x faster than the numpy loop and"
          f" {t_batch / best:.1f}x faster than the batched numpy")


if __name__ == "__main__":
    main()
