"""Learning online: storing and forgetting patterns equals building from scratch."""

import numpy as np
import pytest

import hopfield
from hopfield import noise, patterns

X = patterns.random(8, 120, seed=3)


def recalls(net):
    cues = np.stack([noise.flip(X[k], 0.15, seed=k) for k in range(4)])
    return net.recall_batch(cues, "sync", seed=2)


@pytest.mark.parametrize(
    "rule, options",
    [
        ("hebb", {}),
        ("hebb", {"representation": "dense"}),
        ("outer01", {}),
        ("storkey", {}),
        ("covariance", {"activity": 0.5}),
    ],
)
def test_storing_and_forgetting_equal_a_network_built_from_scratch(rule, options):
    build = lambda P: hopfield.Network.from_patterns(P, rule, **options)
    net = build(X[:5])
    grown = net.store(X[5:])
    assert net == build(X[:5])  # networks are immutable: store returns a new one
    assert grown == build(X)
    assert np.array_equal(grown.weights, build(X).weights)
    assert np.array_equal(grown.patterns, X)
    one_more = build(X[:7]).store(X[7])  # a single pattern
    assert one_more == build(X)
    smaller = grown.forget(2)
    rest = np.delete(X, 2, axis=0)
    assert smaller == build(rest)
    assert np.array_equal(smaller.weights, build(rest).weights)
    assert grown.forget(-1) == build(X[:7])
    a, b = recalls(smaller), recalls(build(rest))
    assert np.array_equal(a.state, b.state) and np.array_equal(a.steps, b.steps)


def test_a_diluted_network_is_diluted_again_the_same_way():
    net = hopfield.Network.from_patterns(X[:5]).diluted(0.5, seed=4)
    want = hopfield.Network.from_patterns(X).diluted(0.5, seed=4)
    assert net.store(X[5:]) == want


@pytest.mark.parametrize("rule", ["pseudo-inverse", "perceptron"])
def test_rules_that_need_every_pattern_at_once_are_refused(rule):
    net = hopfield.Network.from_patterns(X[:4], rule)
    with pytest.raises(ValueError, match="from_patterns|build|again"):
        net.store(X[4])
    with pytest.raises(ValueError, match="from_patterns|build|again"):
        net.forget(0)


def test_bad_arguments_get_clear_errors():
    net = hopfield.Network.from_patterns(X[:3])
    with pytest.raises(IndexError, match="pattern index 3 is out of range: the network stores 3 patterns"):
        net.forget(3)
    with pytest.raises(IndexError, match="-4"):
        net.forget(-4)
    with pytest.raises(ValueError, match="120"):
        net.store(np.ones((1, 50)))
    with pytest.raises(ValueError, match="not trained from patterns with a rule"):
        hopfield.Network(np.zeros((4, 4))).store(np.ones(4))
