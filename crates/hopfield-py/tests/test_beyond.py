"""The rules, dynamics and models beyond the classical network, from Python."""

import numpy as np
import pytest

import hopfield
from hopfield import noise, patterns


def cues(X, fraction, seed):
    return np.stack([noise.flip(x, fraction, seed=seed + k) for k, x in enumerate(X)])


def test_new_rules_store_beyond_hebb():
    X = patterns.random(100, 200, seed=1)  # α = 0.5
    hebb = hopfield.Network.from_patterns(X)
    pinv = hopfield.Network.from_patterns(X, "pseudo-inverse")
    assert sum(hebb.is_fixed_point(x) for x in X) < 10
    assert all(pinv.is_fixed_point(x) for x in X)
    perc = hopfield.Network.from_patterns(X[:60], "perceptron", kappa=0.3, max_epochs=500)
    assert perc.rule == "perceptron"
    assert perc.rule_options["kappa"] == 0.3
    assert all(perc.is_fixed_point(x) for x in X[:60])
    storkey = hopfield.Network.from_patterns(X[:30], "storkey")
    assert sum(storkey.is_fixed_point(x) for x in X[:30]) > sum(
        hopfield.Network.from_patterns(X[:30]).is_fixed_point(x) for x in X[:30]
    )


def test_rule_errors_are_value_errors():
    X = patterns.random(3, 20, seed=2)
    with pytest.raises(ValueError, match="linearly dependent"):
        hopfield.Network.from_patterns(np.concatenate([X, X[:1]]), "pseudo-inverse")
    with pytest.raises(ValueError, match="kappa"):
        hopfield.Network.from_patterns(X, "perceptron", kappa=-1.0)
    with pytest.raises(ValueError, match="converge"):
        hopfield.Network.from_patterns(
            patterns.random(80, 20, seed=3), "perceptron", max_epochs=2, shape=(20,)
        )
    with pytest.raises(TypeError, match="kappa"):
        hopfield.Network.from_patterns(X, "storkey", kappa=0.5)


def test_temperature_zero_is_deterministic_and_heat_forgets():
    X = patterns.random(5, 300, seed=4)
    net = hopfield.Network.from_patterns(X)
    cue = noise.flip(X[0], 0.1, seed=5)
    cold = net.recall(cue, "sweep", seed=6)
    tiny = net.recall(cue, "sweep", seed=6, temperature=1e-9, max_steps=cold.steps)
    np.testing.assert_array_equal(cold.state, tiny.state)
    hot = net.recall(X[0], "sweep", seed=7, temperature=5.0, max_steps=20)
    assert abs(hot.overlaps[0]) < 0.2
    assert hot.outcome == "unconverged"
    again = net.recall(X[0], "sweep", seed=7, temperature=5.0, max_steps=20)
    np.testing.assert_array_equal(hot.state, again.state)
    with pytest.raises(ValueError, match="temperature"):
        net.recall(cue, temperature=-1.0)


def test_dilution_keeps_the_asked_fraction():
    X = patterns.random(5, 400, seed=8)
    net = hopfield.Network.from_patterns(X, representation="dense")
    half = net.diluted(0.5, seed=9)
    w, w0 = half.weights, net.weights
    off = ~np.eye(400, dtype=bool)
    kept = np.count_nonzero(w[off]) / np.count_nonzero(w0[off])
    assert abs(kept - 0.5) < 0.02
    assert half.symmetric
    np.testing.assert_array_equal(net.diluted(0.5, seed=9).weights, w)
    assert not net.diluted(0.5, seed=9, symmetric=False).symmetric
    with pytest.raises(ValueError, match="dilution"):
        net.diluted(1.5, seed=1)


def test_dense_and_exponential_memories_recall_where_hebb_fails():
    X = patterns.random(60, 200, seed=10)  # α = 0.3
    C = cues(X[:20], 0.1, seed=11)
    hebb = hopfield.Network.from_patterns(X).recall(C, "sweep", seed=1)
    assert hebb.counts().get("recalled", 0) == 0
    for model, options in [("dense", {"degree": 3}), ("exponential", {"beta": 0.5})]:
        memory = hopfield.Memory(X, model, **options)
        assert memory.n == 200
        r = memory.recall(C, "sweep", seed=1)
        assert r.counts() == {"recalled": 20}, model
    assert "x^4" in hopfield.Memory(X, "dense", degree=4).model


def test_modern_memory_retrieves_in_one_update():
    rng = np.random.default_rng(12)
    X = rng.choice([-1, 1], size=(1000, 64)).astype(np.int8)
    memory = hopfield.Memory(X, "modern", beta=1.0, shape=(64,))  # P > N: flat patterns
    cue = noise.flip(X[17], 0.2, seed=13).astype(np.float32)
    r = memory.retrieve(cue, max_steps=1)
    assert r["pattern"] == 17
    assert r["steps"] == 1
    assert r["error"] < 0.01
    np.testing.assert_array_equal(np.sign(r["state"]).astype(np.int8), X[17])


def test_memory_options_belong_to_their_model():
    X = patterns.random(4, 30, seed=14)
    with pytest.raises(TypeError, match="degree"):
        hopfield.Memory(X, "modern", degree=3)
    with pytest.raises(TypeError, match="beta"):
        hopfield.Memory(X, "dense", beta=2.0)
    with pytest.raises(ValueError, match="model"):
        hopfield.Memory(X, "boltzmann")
    with pytest.raises(ValueError, match="retrieve"):
        hopfield.Memory(X, "dense").retrieve(np.zeros(30))


def test_memories_are_saved_and_loaded(tmp_path):
    X = patterns.random(60, 200, seed=15)
    C = cues(X[:10], 0.1, seed=16)
    for model, options in [
        ("dense", {"degree": 4}),
        ("rectified", {}),
        ("exponential", {"beta": 0.5}),
        ("modern", {"beta": 0.5}),
    ]:
        memory = hopfield.Memory(X, model, **options)
        path = tmp_path / f"{model}.hfn"
        memory.save(path)
        back = hopfield.Memory.load(path)
        assert back.model == memory.model
        a = memory.recall(C, "sweep", seed=3)
        b = back.recall(C, "sweep", seed=3)
        np.testing.assert_array_equal(a.state, b.state)
    with pytest.raises(ValueError, match="memory"):
        hopfield.Network.load(tmp_path / "dense.hfn")
    (tmp_path / "bad.hfn").write_bytes(b"not a file")
    with pytest.raises(ValueError, match="bad.hfn"):
        hopfield.Memory.load(tmp_path / "bad.hfn")
