"""Batch recall releases the GIL: another Python thread runs while a big batch recalls."""

import threading
import time

import numpy as np

import hopfield
from hopfield import patterns


def run_with_ticker(call):
    """Runs call() while a thread records a timestamp every millisecond; returns the
    start and end of the call and the timestamps."""
    stamps = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            stamps.append(time.perf_counter())
            time.sleep(0.001)

    thread = threading.Thread(target=ticker)
    thread.start()
    try:
        time.sleep(0.05)
        start = time.perf_counter()
        call()
        end = time.perf_counter()
    finally:
        stop.set()
        thread.join()
    return start, end, stamps


def test_a_python_thread_progresses_during_a_batch():
    # Near capacity (P/N = 0.15) most cues keep changing for all their steps, so every
    # step costs work; the batch doubles until it takes long enough to watch.
    X = patterns.random(150, 1000, seed=1)
    net = hopfield.Network.from_patterns(X, representation="dense")
    rng = np.random.default_rng(2)
    k = 50
    while True:
        cues = X[rng.integers(150, size=k)].copy()
        cues[rng.random(cues.shape) < 0.3] *= -1
        # A fixed amount of work: every cue runs all 60 synchronous steps.
        start, end, stamps = run_with_ticker(
            lambda: net.recall(cues, max_steps=60, stop_at_fixed_point=False)
        )
        duration = end - start
        if duration > 0.4 or k >= 102_400:
            break
        k *= 2
    assert duration > 0.2, f"the batch took only {duration:.3f} s; make it bigger"
    # Ticks strictly inside the call (a margin at both ends): without releasing the GIL
    # the ticker thread could not run at all while the extension computes.
    margin = 0.1 * duration
    inside = [t for t in stamps if start + margin < t < end - margin]
    assert len(inside) >= 20, f"{len(inside)} ticks during a {duration:.2f} s batch of {k}"


def test_parallel_batches_from_threads_agree_with_serial_ones():
    X = patterns.random(10, 300, seed=4)
    net = hopfield.Network.from_patterns(X)
    cues = np.stack([hopfield.noise.flip(x, 0.2, seed=i) for i, x in enumerate(X)])
    expected = net.recall(cues, "sweep", seed=9).state
    results = [None] * 4

    def work(i):
        results[i] = net.recall(cues, "sweep", seed=9).state

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in results:
        np.testing.assert_array_equal(r, expected)


def test_a_shared_rng_from_many_threads_neither_deadlocks_nor_repeats():
    rng = hopfield.Rng(5)
    x = np.ones(1000, dtype=np.int8)
    results = []

    def big():
        for _ in range(5):
            results.append(patterns.random(40, 20000, seed=rng)[0, :64].tobytes())

    def small():
        for _ in range(200):
            results.append(hopfield.noise.flip(x, 0.5, seed=rng)[:64].tobytes())

    threads = [threading.Thread(target=f) for f in (big, small, big, small)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "threads sharing an Rng deadlocked"
    assert len(results) == 410 and len(set(results)) == 410
