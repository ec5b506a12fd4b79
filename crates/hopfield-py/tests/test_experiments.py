"""hopfield.experiments: capacity, basins and attractors against theory and the CLI."""

import numpy as np
import pytest

import hopfield
from hopfield import experiments


def test_capacity_follows_theory():
    c = experiments.capacity(2000, [0.08, 0.10, 0.18], trials=2, seed=11)
    np.testing.assert_array_equal(c["p"], [160, 200, 360])
    assert c["alpha"].dtype == np.float64 and c["alpha"].shape == (3,)
    assert c["mean_overlap"][1] > 0.9 and c["mean_overlap"][2] < 0.5
    for k in (0, 1):
        assert 0.1 < c["predicted_fixed_point"][k] < 0.9
        assert abs(c["fixed_point_fraction"][k] - c["predicted_fixed_point"][k]) < 0.1
    assert c["alpha_c"] == 0.138
    assert np.all(np.diff(c["predicted_bit_error"]) > 0)


def test_capacity_is_reproducible_and_matches_the_cli(cli):
    a = experiments.capacity(300, np.array([0.05, 0.15]), trials=3, seed=4)
    b = experiments.capacity(300, (0.05, 0.15), trials=3, seed=4)
    for key in ("fixed_point_fraction", "recalled_fraction", "mean_overlap"):
        np.testing.assert_array_equal(a[key], b[key])
    out = cli("capacity", "--n", 300, "--alpha", "0.05,0.15", "--trials", 3, "--seed", 4,
              "--json")
    assert out["experiment"] == "capacity"
    for k, point in enumerate(out["points"]):
        assert point["p"] == a["p"][k]
        assert point["mean_overlap"] == a["mean_overlap"][k]
        assert point["fixed_point_fraction"] == a["fixed_point_fraction"][k]
    # An Rng gives one integer seed from its stream.
    r = experiments.capacity(100, 0.1, trials=1, seed=hopfield.Rng(3))
    assert r["p"].tolist() == [10] and isinstance(r["seed"], int)


def test_basins_shrink_with_noise_and_load():
    b = experiments.basins(500, [0.04, 0.14], np.arange(0, 0.51, 0.1), trials=3, seed=2)
    q = b["recall_probability"]
    assert q.shape == (2, 6) and b["mean_overlap"].shape == (2, 6)
    np.testing.assert_allclose(b["noise"], [0, 0.1, 0.2, 0.3, 0.4, 0.5])
    se = np.maximum(b["recall_se"], 1 / b["cues"][:, None])
    assert np.all(np.diff(q, axis=1) <= 3 * se[:, 1:])
    assert q[0].sum() > q[1].sum() + 1
    assert q[0, 0] == 1.0 and q[:, -1].max() < 0.05


def test_attractors_classify_every_start():
    a = experiments.attractors(300, 5, 300, seed=1)
    assert a["classes"] == ["stored", "reversed", "mixture", "spurious", "cycle",
                            "unconverged"]
    assert a["counts"].sum() == 300 and a["counts"].dtype == np.int64
    assert a["per_pattern"].shape == (5, 2)
    assert a["per_pattern"][:, 0].sum() == a["counts"][0]
    assert sum(m["count"] for m in a["mixtures"]) == a["counts"][2]
    assert all(len(m["patterns"]) == 3 and set(m["signs"]) <= {-1, 1} for m in a["mixtures"])
    assert np.isnan(a["mean_energy"][4])  # no cycles under asynchronous sweeps


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: experiments.capacity(100, [0.1], trials=0), "trials = 0"),
        (lambda: experiments.capacity(100, [], trials=1), "at least one load"),
        (lambda: experiments.capacity(100, 0.1, noise=1.5), "noise = 1.5"),
        (lambda: experiments.capacity(100, 0.1, rule="nonsense"), "rule = nonsense"),
        (lambda: experiments.basins(100, 0.1, [0.1, 1.2]), "noise = 1.2"),
        (lambda: experiments.attractors(100, 0), "at least 1 pattern"),
    ],
)
def test_bad_arguments_raise_value_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_bad_types_raise_type_errors():
    with pytest.raises(TypeError, match="alpha must be a number or a sequence"):
        experiments.capacity(100, "0.1")
