"""Kernel levels (HOPFIELD_SIMD) and reported times: the same results at every level the
processor runs, an invalid level refused at import, hitting times that mean what they say."""

import os
import subprocess
import sys

import numpy as np

import hopfield
from hopfield import noise, patterns

# A recall of each dynamics, printed; run in a fresh interpreter at each level.
SCRIPT = """
import hopfield
from hopfield import noise, patterns
X = patterns.random(40, 500, seed=3)
net = hopfield.Network.from_patterns(X)
dense = hopfield.Network.from_patterns(X, representation="dense")
cues = noise.flip(X[:6], fraction=0.2, seed=4)
for n in (net, dense):
    for d in ("sync", "async", "sweep", "sequential"):
        b = n.recall(cues, d, seed=5)
        print(hopfield.simd_level != "", d, b.state.tobytes().hex()[:4000], list(b.steps),
              list(b.hitting_time), [repr(e) for e in b.energy])
    print(n.recall(cues[0], "sweep", temperature=0.5, max_steps=20, seed=6).state.tolist())
"""


def run(script, level):
    env = dict(os.environ)
    env.pop("HOPFIELD_SIMD", None)
    if level is not None:
        env["HOPFIELD_SIMD"] = level
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, timeout=300)


def levels():
    done = run("import hopfield; print(hopfield.simd_level)", None)
    best = done.stdout.strip()
    return {"scalar": ["scalar"], "avx2": ["scalar", "avx2"],
            "avx512": ["scalar", "avx2", "avx512"]}[best]


def test_every_level_gives_the_same_results():
    default = run(SCRIPT, None)
    assert default.returncode == 0, default.stderr
    for level in levels():
        there = run(SCRIPT, level)
        assert there.returncode == 0, there.stderr
        assert there.stdout == default.stdout, f"level {level} differs from the default"


def test_the_level_is_reported_and_forced():
    assert hopfield.simd_level in ("scalar", "avx2", "avx512")
    done = run("import hopfield; print(hopfield.simd_level)", "scalar")
    assert done.stdout.strip() == "scalar", done.stderr


def test_an_invalid_level_refuses_the_import():
    done = run("import hopfield", "sse9")
    assert done.returncode != 0
    assert ("ValueError: HOPFIELD_SIMD = sse9 is invalid: expected one of: scalar, avx2, "
            "avx512") in done.stderr, done.stderr


def test_hitting_time_is_the_step_of_the_last_change():
    X = patterns.random(5, 120, seed=31)
    net = hopfield.Network.from_patterns(X)
    cue = noise.flip(X[2], fraction=0.2, seed=32)
    for dynamics, confirming in [("async", 120), ("sweep", 1), ("sync", 1)]:
        r = net.recall(cue, dynamics, seed=33, record=True)
        assert r.outcome == "recalled" and r.pattern == 2
        assert r.steps - r.hitting_time == confirming, dynamics
        states = r.trajectory
        t = r.hitting_time
        assert (states[t:] == r.state).all(), dynamics
        assert not (states[t - 1] == r.state).all(), dynamics
    batch = net.recall(np.stack([cue, X[0]]), "async", seed=1)
    assert list(batch.hitting_time) == [batch[0].hitting_time, batch[1].hitting_time]
    assert batch[1].hitting_time == 0  # a stored pattern is final from the start
