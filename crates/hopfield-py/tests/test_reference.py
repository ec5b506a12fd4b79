"""Synchronous recall equals a plain-numpy implementation of the same dynamics, exactly."""

import numpy as np
import pytest

import hopfield
from reference import energy, sync_recall

NORMALIZATIONS = ["1/N", "1/P", "none"]
TIES = ["plus", "minus", "keep"]


def scale_of(norm, n, p):
    return {"1/N": 1.0 / n, "1/P": 1.0 / p, "none": 1.0}[norm]


def instance(case):
    """A random network and cue; a third of the cases carry a threshold, a fifth zeros."""
    rng = np.random.default_rng(1000 + case)
    n = int(rng.integers(4, 150))
    p = int(rng.integers(1, n + 1)) if case % 2 else int(rng.integers(1, max(2, n // 8)))
    X = rng.choice(np.array([-1, 1], dtype=np.int8), size=(p, n))
    norm = NORMALIZATIONS[case % 3]
    tie = TIES[(case // 3) % 3]
    representation = ["dense", "factored"][case % 2]
    theta = float(np.round(rng.normal() * 0.05, 3)) if case % 3 == 1 else 0.0
    if case % 4 == 0:
        cue = rng.choice(np.array([-1, 1], dtype=np.int8), size=n)
    else:
        cue = X[int(rng.integers(p))].copy()
        flips = rng.choice(n, size=int(rng.integers(0, n // 2 + 1)), replace=False)
        cue[flips] *= -1
    if case % 5 == 0:
        cue[rng.choice(n, size=n // 4, replace=False)] = 0
    return X, cue, norm, tie, representation, theta


@pytest.mark.parametrize("case", range(60))
def test_sync_recall_matches_numpy_reference(case):
    X, cue, norm, tie, representation, theta = instance(case)
    p, n = X.shape
    scale = scale_of(norm, n, p)
    net = hopfield.Network.from_patterns(
        X, normalization=norm, representation=representation, threshold=theta
    )
    assert net.representation == representation
    r = net.recall(cue, "sync", tie=tie, max_steps=60, encoding="bipolar")
    state, steps, converged, name, mu, period = sync_recall(
        X, cue, scale, theta=theta, tie=tie, max_steps=60
    )
    np.testing.assert_array_equal(r.state, state)
    assert (r.steps, r.converged, r.outcome, r.pattern, r.period) == (
        steps,
        converged,
        name,
        mu,
        period,
    )
    assert r.energy == energy(X, state, scale, theta)
    np.testing.assert_array_equal(r.overlaps, (X.astype(np.int64) @ state) / n)
    assert net.energy(state) == r.energy


def test_batch_matches_reference_cue_by_cue():
    rng = np.random.default_rng(7)
    n, p, k = 120, 14, 40
    X = rng.choice(np.array([-1, 1], dtype=np.int8), size=(p, n))
    cues = X[rng.integers(p, size=k)].copy()
    cues[rng.random(cues.shape) < 0.3] *= -1
    net = hopfield.Network.from_patterns(X)
    batch = net.recall(cues)
    assert isinstance(batch, hopfield.RecallBatch) and len(batch) == k
    for j in range(k):
        state, steps, converged, name, mu, _ = sync_recall(X, cues[j], 1.0 / n)
        np.testing.assert_array_equal(batch.state[j], state)
        assert batch.steps[j] == steps and batch.converged[j] == converged
        assert batch.outcome[j] == name and batch.pattern[j] == mu


def test_weights_equal_the_outer_product_sum():
    rng = np.random.default_rng(3)
    X = rng.choice([-1, 1], size=(4, 30))
    for representation in ["dense", "factored"]:
        net = hopfield.Network.from_patterns(X, representation=representation)
        W = (X.T @ X).astype(float)
        np.fill_diagonal(W, 0)
        np.testing.assert_array_equal(net.weights, W / 30)
    h = hopfield.Network.from_patterns(X).fields(X[0])
    np.testing.assert_allclose(h, (W / 30) @ X[0], rtol=0, atol=1e-12)
