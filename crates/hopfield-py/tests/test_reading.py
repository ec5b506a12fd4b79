"""No silent misreading: results come back in a dtype whose arithmetic is right."""

import numpy as np
import pytest

import hopfield
from hopfield import noise, patterns

# --- Results are numpy's default integer, so arithmetic is right ----------------------


def test_the_issue_dot_product():
    X = patterns.random(3, 200, seed=1)
    assert X.dtype == np.int64
    assert X[0] @ X[0] == 200
    assert np.all(np.diag(X @ X.T) == 200)


def test_sums_over_many_patterns_do_not_wrap():
    X = patterns.random(300, 50, seed=3)
    W = X.T @ X  # Σ_μ ξξᵀ: its diagonal is P = 300
    assert np.all(np.diag(W) == 300)
    net = hopfield.Network.from_patterns(X, representation="dense", normalization="none")
    np.testing.assert_array_equal(net.weights, W - 300 * np.eye(50))


def test_arithmetic_at_a_million_neurons():
    n = 1_000_000
    X = patterns.random(2, n, seed=4)
    assert X[0] @ X[0] == n and X[1] @ X[1] == n
    assert np.sum(X[0] * X[0]) == n
    net = hopfield.Network.from_patterns(X)
    cue = noise.flip(X[0], 0.1, seed=5)
    assert cue.dtype == np.int64 and cue @ cue == n
    r = net.recall(cue, max_steps=5, record=True)
    assert r.outcome == "recalled" and r.state @ r.state == n and r.state @ X[0] == n
    assert r.trajectory.dtype == np.int64 and r.trajectory[0] @ X[0] == n - 2 * (n // 10)
    # The energy by hand: W = (XᵀX − P·I)/N, E = −½ SᵀWS.
    m = X @ cue
    by_hand = -0.5 * (float(m @ m) - 2 * float(cue @ cue)) / n
    assert net.energy(cue) == pytest.approx(by_hand, rel=1e-12)
    np.testing.assert_allclose(net.overlaps(cue), m / n, rtol=1e-12)


def test_a_compact_dtype_on_request():
    assert patterns.random(2, 10, seed=1, dtype=np.int8).dtype == np.int8
    assert patterns.page("bu", dtype=np.float32).dtype == np.float32
    assert patterns.checkerboard(5, dtype="int16").dtype == np.int16
    X = patterns.random(2, 64, seed=1)
    np.testing.assert_array_equal(patterns.random(2, 64, seed=1, dtype=np.int8), X)
    assert noise.flip(X[0], 0.1, seed=1, dtype=np.int8).dtype == np.int8
    assert noise.mask(X[0], dtype=np.int8).dtype == np.int8
    assert noise.add_noise(X[0], seed=1, dtype=np.int8).dtype == np.int8
    assert noise.mix(X[0], X[1], dtype=np.int8).dtype == np.int8
    assert noise.flip_each(X[0], 0.1, seed=1, dtype=np.int8).dtype == np.int8
    net = hopfield.Network.from_patterns(X)
    r = net.recall(X[0], record=True, dtype=np.int8)
    assert r.state.dtype == np.int8 and r.trajectory.dtype == np.int8
    assert net.recall(X, dtype=np.int8).state.dtype == np.int8
    assert net.recall_batch(X[0], dtype=np.int8)[0].state.dtype == np.int8
    assert hopfield.Memory(X, "dense").recall(X[0], dtype=np.int8).state.dtype == np.int8
    for default in [net.recall(X[0]).state, net.recall(X).state, net.patterns,
                    noise.mask(X[0]), hopfield.Memory(X, "dense").recall(X).state]:
        assert default.dtype == np.int64
    with pytest.raises(TypeError, match="dtype"):
        patterns.random(2, 10, dtype=np.uint8)
    with pytest.raises(TypeError, match="dtype"):
        net.recall(X[0], dtype=bool)
    with pytest.raises(TypeError, match="dtype"):
        noise.flip(X[0], 0.1, dtype="not a dtype")


def test_load_returns_the_default_integer(tmp_path):
    X = patterns.page("letters")
    hopfield.save(tmp_path / "x.npy", X)
    assert hopfield.load(tmp_path / "x.npy").dtype == np.int64
    assert hopfield.load(tmp_path / "x.npy", dtype=np.int8).dtype == np.int8
