"""The Python API: shapes, dtypes, records, measures, seeds, networks and files."""

import numpy as np
import pytest

import hopfield
from hopfield import experiments, noise, patterns


def test_package_layout():
    assert hopfield.__version__
    assert hopfield.Network.__module__ == "hopfield"
    assert patterns.random.__module__ == "hopfield.patterns"
    assert noise.flip.__module__ == "hopfield.noise"
    for obj in [hopfield.Network, hopfield.Network.recall, hopfield.Network.from_patterns,
                hopfield.Recall, hopfield.RecallBatch, hopfield.Rng, hopfield.load,
                hopfield.save, patterns.random, patterns.page, noise.flip, noise.mask,
                experiments.crosstalk]:
        assert obj.__doc__ and len(obj.__doc__) > 40, obj


def test_recall_of_an_image_keeps_its_shape():
    letters = patterns.page("letters")
    net = hopfield.Network.from_patterns(letters)
    assert net.shape == (5, 5) and net.n == 25 and net.patterns.shape == (3, 5, 5)
    cue = noise.flip(letters[2], count=3, seed=1)
    r = net.recall(cue, "sweep", seed=1)
    assert isinstance(r, hopfield.Recall)
    assert r.state.shape == (5, 5) and r.state.dtype == np.int64
    assert r.overlaps.shape == (3,) and r.overlaps.dtype == np.float64
    assert r.trajectory is None and r.energy_trace is None
    flat = net.recall(cue.reshape(-1), "sweep", seed=1)
    assert flat.state.shape == (25,)
    np.testing.assert_array_equal(flat.state, r.state.reshape(-1))
    batch = net.recall(np.stack([cue, cue, letters[0]]), "sweep", seed=1)
    assert isinstance(batch, hopfield.RecallBatch)
    assert batch.state.shape == (3, 5, 5) and batch.overlaps.shape == (3, 3)
    np.testing.assert_array_equal(batch[0].state, r.state)  # cue 0 uses stream 0
    assert batch[-1].index == 2 and len(list(batch)) == 3
    assert sum(batch.counts().values()) == 3
    assert [x.outcome for x in batch.to_list()] == batch.outcome
    one = net.recall_batch(cue, "sweep", seed=1)
    assert isinstance(one, hopfield.RecallBatch) and one.state.shape == (1, 5, 5)
    with pytest.raises(IndexError):
        batch[3]


def test_recording_and_target():
    X = patterns.random(3, 64, seed=7)
    net = hopfield.Network.from_patterns(X)
    cue = noise.flip(X[1], count=16, seed=8)
    r = net.recall(cue, "async", max_steps=500, stop_at_fixed_point=False, record=True,
                   target=1, seed=9)
    assert r.steps == 500
    assert r.trajectory.shape == (501, 64) and r.trajectory.dtype == np.int64
    np.testing.assert_array_equal(r.trajectory[0], cue)
    np.testing.assert_array_equal(r.trajectory[-1], r.state)
    assert r.energy_trace.shape == (501,) and r.overlap_trace.shape == (501, 3)
    assert r.error_trace[0] == 16 and r.error_trace[-1] == 0
    for k in [0, 100, 500]:
        s = r.trajectory[k]
        assert r.error_trace[k] == np.sum(s != X[1])
        np.testing.assert_allclose(r.energy_trace[k], net.energy(s), rtol=1e-12)
        np.testing.assert_array_equal(r.overlap_trace[k], net.overlaps(s))
    # Asynchronous updates never raise the energy of a symmetric network.
    assert np.all(np.diff(r.energy_trace) <= 1e-12)
    same = net.recall(cue, "async", max_steps=500, stop_at_fixed_point=False, record=True,
                      target=X[1], seed=9)
    np.testing.assert_array_equal(same.error_trace, r.error_trace)


def test_measures_on_states_and_batches():
    X = patterns.random(4, 40, seed=2)
    net = hopfield.Network.from_patterns(X)
    assert isinstance(net.energy(X[0]), float)
    assert net.energy(X).shape == (4,)
    np.testing.assert_array_equal(net.overlaps(X[0]), (X @ X[0].astype(int)) / 40)
    assert net.overlaps(X).shape == (4, 4)
    assert net.fields(X).shape == (4, 40)
    assert net.is_fixed_point(X[0])
    assert not net.is_fixed_point(-np.ones(40) * X[0] * np.where(np.arange(40) < 20, 1, -1))


def test_seeds_reproduce_and_none_draws_fresh_ones():
    X = patterns.random(5, 100, seed=1)
    net = hopfield.Network.from_patterns(X)
    cue = noise.flip(X[0], 0.3, seed=2)
    a = net.recall(cue, "async", seed=5)
    b = net.recall(cue, "async", seed=5)
    np.testing.assert_array_equal(a.state, b.state)
    assert a.steps == b.steps and a.seed == 5
    c = net.recall(cue, "async")
    d = net.recall(cue, "async", seed=c.seed)
    assert c.seed != net.recall(cue, "async").seed
    assert (c.steps, c.energy) == (d.steps, d.energy)
    assert not np.array_equal(patterns.random(2, 64), patterns.random(2, 64))
    np.testing.assert_array_equal(patterns.random(2, 64, seed=3), patterns.random(2, 64, seed=3))
    np.testing.assert_array_equal(patterns.random(2, 64, seed=np.uint64(3)), patterns.random(2, 64, seed=3))


def test_a_shared_rng_continues_its_stream():
    x = np.ones(100, dtype=np.int8)
    rng = hopfield.Rng(4)
    first = noise.flip(x, 0.5, seed=rng)
    second = noise.flip(x, 0.5, seed=rng)
    assert not np.array_equal(first, second)
    np.testing.assert_array_equal(first, noise.flip(x, 0.5, seed=4))
    again = hopfield.Rng(4)
    np.testing.assert_array_equal(noise.flip(x, 0.5, seed=again), first)
    np.testing.assert_array_equal(noise.flip(x, 0.5, seed=again), second)
    assert hopfield.Rng(4).next_u64() == hopfield.Rng(4).next_u64()
    assert hopfield.Rng(4).seed == 4 and "Rng(4)" in repr(hopfield.Rng(4))


def test_threshold_override_equals_a_network_with_that_threshold():
    X = patterns.random(8, 60, seed=5)
    cue = noise.flip(X[0], 0.3, seed=1)
    base = hopfield.Network.from_patterns(X)
    theta = np.linspace(-0.1, 0.1, 60)
    built = hopfield.Network.from_patterns(X, threshold=theta)
    a = base.recall(cue, "sweep", threshold=theta, seed=2)
    b = built.recall(cue, "sweep", seed=2)
    np.testing.assert_array_equal(a.state, b.state)
    assert a.energy == b.energy
    np.testing.assert_array_equal(built.threshold, theta)
    assert base.threshold == 0.0


def test_binary_data_is_converted():
    X01 = (patterns.page("letters") + 1) // 2
    net = hopfield.Network.from_patterns(X01.astype(np.uint8))
    np.testing.assert_array_equal(net.patterns, patterns.page("letters"))
    r = net.recall(X01[1].astype(bool))
    assert r.outcome == "recalled" and r.pattern == 1
    np.testing.assert_array_equal(r.state, patterns.page("letters")[1])
    # Without a network, 0/1 data needs encoding="binary": its 0s could be unknowns.
    flipped = noise.flip(X01[0], count=0, encoding="binary")
    np.testing.assert_array_equal(flipped, patterns.page("letters")[0])
    with pytest.raises(ValueError, match="encoding="):
        noise.flip(X01[0], count=0)


def test_rules_and_representations():
    X = patterns.random(3, 50, seed=1)
    hebb = hopfield.Network.from_patterns(X)
    assert hebb.rule == "hebb" and hebb.rule_options == {"normalization": "1/N"}
    assert hebb.representation == "factored" and hebb.storage == "factored"
    dense = hopfield.Network.from_patterns(X, representation="dense", normalization="none")
    assert dense.storage == "dense int8" and dense.rule_options == {"normalization": "none"}
    np.testing.assert_array_equal(dense.weights, hebb.weights * 50)
    assert dense.symmetric and dense.nbytes == 2500
    raw = hopfield.Network.from_patterns(X, rule="outer01")
    assert raw.rule_options == {"normalization": "none"}
    V = (X + 1) // 2
    W = (V.T @ V).astype(float)
    np.fill_diagonal(W, 0)
    np.testing.assert_array_equal(raw.weights, W)
    p = hopfield.Network.from_patterns(X, normalization="1/p")
    assert p.rule_options == {"normalization": "1/P"}
    assert "hebb" in repr(hebb) and "n=50" in repr(hebb)


def test_networks_from_couplings_and_cycles():
    net = hopfield.Network(np.array([[0.0, -1.0], [-1.0, 0.0]]))
    assert net.rule is None and net.patterns is None and net.storage == "dense float32"
    r = net.recall([1, 1])
    assert r.outcome == "cycle" and r.period == 2 and not r.converged
    assert r.overlaps.shape == (0,)
    r = net.recall([1, 1], "sweep", seed=0)
    assert r.outcome == "fixed-point" and r.converged
    with_patterns = hopfield.Network(np.zeros((4, 4)), patterns=[[1, -1, 1, -1]], shape=(2, 2))
    assert with_patterns.shape == (2, 2) and with_patterns.patterns.shape == (1, 2, 2)


def test_the_page_five_neuron_example():
    csi = patterns.page("five")
    net = hopfield.Network.from_patterns(csi, normalization="none")
    r = net.recall([1, -1, -1, -1, -1], tie="minus")
    assert r.state.tolist() == [1, -1, -1, 1, 1] and r.steps == 3
    assert r.outcome == "recalled"
    r = net.recall([-1, 1, 1, -1, 1], tie="minus")
    assert r.outcome == "reversed" and r.description == "reversed pattern 0"


def test_random_networks_as_the_page_first_cell():
    net = hopfield.Network.random(20, seed=1)
    assert net.activation == "binary" and not net.symmetric
    W = net.weights
    assert W.shape == (20, 20) and np.all((W >= 0) & (W < 1))
    start = np.random.default_rng(0).integers(0, 2, size=20)
    r = net.recall(start, "async", tie="minus", max_steps=200, stop_at_fixed_point=False,
                   record=True, seed=1)
    raster = r.trajectory.T
    assert raster.shape == (20, 201) and set(np.unique(raster)) <= {0, 1}
    g = hopfield.Network.random(50, "gaussian", seed=2)
    assert g.activation == "bipolar" and g.symmetric and np.all(np.diag(g.weights) == 0)
    np.testing.assert_array_equal(g.weights, hopfield.Network.random(50, "gaussian", seed=2).weights)


def test_the_page_additive_noise_cue_on_0_1_images():
    BU, BC = (patterns.page("images")[:2] + 1) // 2
    net = hopfield.Network.from_patterns(np.stack([BU, BC]), rule="outer01", normalization="1/N")
    cue = noise.add_noise(BU, seed=1)
    assert cue.min() >= -1 and cue.max() <= 2 and cue.shape == (100, 100)
    cue = noise.mask(cue, "second-half")
    assert np.all(cue[50:] == 0)
    r = net.recall(cue, max_steps=1, tie="minus", stop_at_fixed_point=False)
    assert r.state.shape == (100, 100)
    assert set(np.unique(r.state)) <= {-1, 1}


def test_noise_functions():
    x = patterns.star(20)[0]
    assert np.sum(noise.flip(x, 0.1, seed=1) != x) == 40
    assert np.sum(noise.flip(x, count=7, seed=1) != x) == 7
    assert 0 < np.sum(noise.flip_each(x, 0.2, seed=1) != x) < 200
    m = noise.mask(x, "left-half")
    assert m.shape == (20, 20) and np.all(m[:, :10] == 0) and np.all(m[:, 10:] == x[:, 10:])
    assert np.all(noise.mask(x.reshape(-1), "left-half", shape=(20, 20)).reshape(20, 20)[:, :10] == 0)
    assert np.sum(noise.mask(x, "rect:2,3,4x5") == 0) == 20
    mixed = noise.mix(np.ones(8), -np.ones(8), 0.75)
    assert mixed.tolist() == [1] * 6 + [-1] * 2
    a = noise.add_noise(x, seed=3)
    assert set(np.unique(a)) <= {-2, 0, 2}
    assert "rect:" in noise.REGIONS
    # A set of one image, as the generators return it, keeps its shape and its 2-D regions.
    one = noise.mask(patterns.star(20), "left-half")
    assert one.shape == (1, 20, 20) and np.all(one[0, :, :10] == 0)


def test_generators_and_page_drawings():
    assert patterns.page("bu").shape == (1, 100, 100)
    assert (patterns.page("bu") == 1).sum() == 4750
    assert (patterns.page("bc") == 1).sum() == 4100
    assert (patterns.page("star") == 1).sum() == 396
    np.testing.assert_array_equal(patterns.page("star"), patterns.star(100))
    assert patterns.page("images").shape == (3, 100, 100)
    np.testing.assert_array_equal(patterns.page("letters")[1], patterns.x(5)[0])
    # The page's make_pattern cells, redone in numpy.
    cb = np.fromfunction(lambda i, j: (i + j) % 2, (5, 5), dtype=int)
    np.testing.assert_array_equal(patterns.checkerboard(5)[0], 2 * cb - 1)
    a = np.zeros((5, 5), dtype=int)
    a[0, 2] = a[1, 1] = a[1, 3] = 1
    a[2, :] = 1
    a[3:, 0] = a[3:, 4] = 1
    np.testing.assert_array_equal(patterns.page("a")[0], 2 * a - 1)
    bu = np.zeros((100, 100), dtype=int)
    for rows, cols in [((0, 100), (5, 15)), ((0, 10), (5, 35)), ((0, 50), (30, 40)),
                       ((40, 50), (5, 35)), ((50, 60), (5, 35)), ((50, 100), (30, 40)),
                       ((90, 100), (5, 35)), ((0, 90), (60, 70)), ((0, 90), (85, 95)),
                       ((90, 100), (60, 95))]:
        bu[rows[0]:rows[1], cols[0]:cols[1]] = 1
    np.testing.assert_array_equal(patterns.page("bu")[0], 2 * bu - 1)
    assert patterns.page("five").tolist() == [[1, -1, -1, 1, 1]]
    assert patterns.letter("AB").shape == (2, 7, 5) and patterns.letter("A").shape == (1, 7, 5)
    assert patterns.text("HI").shape == (1, 7, 11)
    assert patterns.random(3, 10).shape == (3, 10)
    assert patterns.random(3, (4, 5)).shape == (3, 4, 5)
    assert patterns.random(3, "4x5").shape == (3, 4, 5)
    on = (patterns.random(10, 1000, p_on=0.2, seed=9) == 1).mean()
    assert abs(on - 0.2) < 0.02
    assert patterns.generate("letter:Q", (14, 10)).shape == (1, 14, 10)
    assert patterns.generate("random", 6, count=4, seed=1).shape == (4, 6, 6)
    np.testing.assert_array_equal(patterns.generate("page-bu"), patterns.page("bu"))
    assert "checkerboard" in patterns.KINDS


def test_crosstalk_experiment():
    c = experiments.crosstalk(100, 50, 4000, seed=2)
    assert c["values"].shape == (4000,) and c["values"].dtype == np.int64
    assert c["predicted_mean"] == 50.0 and c["predicted_sd"] == np.sqrt(50)
    assert abs(c["mean"] - 50) < 4 * np.sqrt(50) / np.sqrt(4000)
    assert c["ks_distance"] < c["ks_critical"]
    assert c["curve_x"].shape == c["curve_density"].shape
    area = np.sum(c["curve_density"]) * (c["curve_x"][1] - c["curve_x"][0])
    assert abs(area - 1) < 0.01
    np.testing.assert_array_equal(experiments.crosstalk(30, 0, 10, seed=1)["values"],
                                  experiments.crosstalk(30, 0, 10, seed=1)["values"])


@pytest.mark.parametrize("ext", ["npy", "png", "txt"])
def test_files_round_trip(tmp_path, ext):
    x = patterns.page("bu") if ext == "png" else patterns.page("letters")
    path = tmp_path / f"x.{ext}"
    hopfield.save(path, x)
    back = hopfield.load(path)
    np.testing.assert_array_equal(back, x)
    assert back.dtype == np.int64
    hopfield.save(str(path), (x + 1) // 2, encoding="binary")  # 0/1 data, converted
    np.testing.assert_array_equal(hopfield.load(str(path)), x)
    with pytest.raises(ValueError, match="encoding="):
        hopfield.save(str(path), (x + 1) // 2)  # are the 0s off, or unknown?
