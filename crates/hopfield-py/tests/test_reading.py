"""No silent misreading: images stay images, arithmetic on results is right, and a cue
keeps the meaning of its zeros."""

import numpy as np
import pytest

import hopfield
from hopfield import noise, patterns

# --- Images are sets of (H, W) patterns, never rows -----------------------------------


def test_the_page_bu_image_is_one_pattern_of_ten_thousand_neurons():
    bu = patterns.page("bu")
    assert bu.shape == (1, 100, 100)
    net = hopfield.Network.from_patterns(bu)
    assert net.n == 10_000 and net.shape == (100, 100)
    assert net.patterns.shape == (1, 100, 100)
    r = net.recall(bu)
    assert r.counts() == {"recalled": 1}
    one = net.recall(bu[0])
    assert one.outcome == "recalled" and one.pattern == 0 and one.state.shape == (100, 100)
    np.testing.assert_array_equal(one.state, bu[0])
    cue = noise.flip(bu[0], 0.2, seed=1)
    assert net.recall(cue).outcome == "recalled"


@pytest.mark.parametrize(
    "make, shape",
    [
        (lambda: patterns.checkerboard(5), (1, 5, 5)),
        (lambda: patterns.x(7), (1, 7, 7)),
        (lambda: patterns.star((9, 11)), (1, 9, 11)),
        (lambda: patterns.l(10), (1, 10, 10)),
        (lambda: patterns.rows(6, width=2), (1, 6, 6)),
        (lambda: patterns.columns((4, 8)), (1, 4, 8)),
        (lambda: patterns.letter("A"), (1, 7, 5)),
        (lambda: patterns.letter("AB", (14, 10)), (2, 14, 10)),
        (lambda: patterns.text("HI"), (1, 7, 11)),
        (lambda: patterns.page("a"), (1, 5, 5)),
        (lambda: patterns.page("checkerboard"), (1, 5, 5)),
        (lambda: patterns.page("x"), (1, 5, 5)),
        (lambda: patterns.page("bc"), (1, 100, 100)),
        (lambda: patterns.page("star"), (1, 100, 100)),
        (lambda: patterns.page("letters"), (3, 5, 5)),
        (lambda: patterns.page("images"), (3, 100, 100)),
        (lambda: patterns.page("five"), (1, 5)),
        (lambda: patterns.generate("x", 6), (1, 6, 6)),
        (lambda: patterns.random(2, (3, 4)), (2, 3, 4)),
        (lambda: patterns.random(2, 12), (2, 12)),
    ],
)
def test_every_generator_returns_a_set(make, shape):
    X = make()
    assert X.shape == shape
    net = hopfield.Network.from_patterns(X)
    assert len(net.patterns) == shape[0]
    assert net.n == int(np.prod(shape[1:]))
    assert net.state_shape == list(shape[1:])


@pytest.mark.parametrize("image", [patterns.page("bu")[0], patterns.letter("A")[0],
                                   patterns.checkerboard(5)[0], np.ones((8, 8))])
def test_a_two_d_image_is_refused_with_both_fixes(image):
    h, w = image.shape
    with pytest.raises(ValueError) as info:
        hopfield.Network.from_patterns(image)
    message = str(info.value)
    assert "ambiguous" in message and "X[None]" in message and f"shape=({w},)" in message
    assert "\n" not in message
    with pytest.raises(ValueError, match="X\\[None\\]"):
        hopfield.Memory(image, "dense")
    # Both fixes work.
    one = hopfield.Network.from_patterns(image[None])
    assert one.n == h * w and one.shape == (h, w) and len(one.patterns) == 1
    same = hopfield.Network.from_patterns(image, shape=(h, w))
    assert same.shape == (h, w)
    np.testing.assert_array_equal(same.patterns, one.patterns)
    rows = hopfield.Network.from_patterns(image, shape=(w,))
    assert rows.n == w and rows.shape is None and len(rows.patterns) == h


def test_flat_sets_keep_working_and_shape_names_the_reading():
    X = patterns.random(10, 400, seed=1)
    assert hopfield.Network.from_patterns(X).n == 400  # fewer patterns than neurons: rows
    assert hopfield.Network.from_patterns(X[:1]).n == 400
    assert hopfield.Network.from_patterns(X[0]).n == 400  # one flat pattern
    # More patterns than neurons needs shape=(N,); then it is P flat patterns.
    many = patterns.random(80, 20, seed=2)
    with pytest.raises(ValueError, match="shape=\\(20,\\)"):
        hopfield.Memory(many, "modern")
    memory = hopfield.Memory(many, "modern", shape=(20,))
    assert memory.n == 20
    # Rows that are flattened images: shape=(H, W) gives their display shape.
    letters = patterns.page("letters")
    net = hopfield.Network.from_patterns(letters.reshape(3, 25), shape=(5, 5))
    assert net.shape == (5, 5) and net.patterns.shape == (3, 5, 5)
    flat = hopfield.Network.from_patterns(letters, shape=(25,))
    assert flat.shape is None and flat.patterns.shape == (3, 25)
    with pytest.raises(ValueError, match="shape=\\(7,\\).*400"):
        hopfield.Network.from_patterns(X, shape=(7,))


def test_a_network_from_couplings_reads_its_patterns_by_its_size():
    img = patterns.letter("A")[0]  # (7, 5)
    net = hopfield.Network(np.zeros((35, 35)), patterns=img)
    assert net.patterns.shape == (1, 7, 5) and net.shape == (7, 5)
    rows = hopfield.Network(np.zeros((5, 5)), patterns=img)
    assert rows.patterns.shape == (7, 5) and rows.shape is None
    with pytest.raises(ValueError, match="35 neurons"):
        hopfield.Network(np.zeros((35, 35)), patterns=np.ones((3, 4)))


def test_save_reads_two_d_arrays_by_the_same_rule(tmp_path):
    bu = patterns.page("bu")
    hopfield.save(tmp_path / "bu.png", bu[0])  # a PNG holds one image
    np.testing.assert_array_equal(hopfield.load(tmp_path / "bu.png"), bu)
    with pytest.raises(ValueError, match="X\\[None\\]"):
        hopfield.save(tmp_path / "bu.txt", bu[0])
    hopfield.save(tmp_path / "bu.txt", bu[0], shape=(100, 100))
    np.testing.assert_array_equal(hopfield.load(tmp_path / "bu.txt"), bu)
    X = patterns.random(3, 8, seed=1)
    hopfield.save(tmp_path / "rows.txt", X)
    np.testing.assert_array_equal(hopfield.load(tmp_path / "rows.txt").reshape(3, 8), X)


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
    net = hopfield.Network.from_patterns(X, shape=(50,), representation="dense",
                                         normalization="none")
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


# --- A cue keeps the meaning of its zeros ---------------------------------------------


def half_on_network(n=200):
    X = patterns.random(3, n, seed=6)
    X[0, : n // 2] = 1  # pattern 0's first half is all on
    return X, hopfield.Network.from_patterns(X)


def test_a_masked_cue_keeps_its_unknowns():
    X, net = half_on_network()
    n = X.shape[1]
    cue = noise.mask(X[0], "second-half")
    assert set(np.unique(cue)) == {0, 1}  # values 1 and 0 only
    m = X @ cue
    np.testing.assert_allclose(net.overlaps(cue), m / n, rtol=1e-12)
    assert net.overlaps(cue)[0] == 0.5
    by_hand = -0.5 * (float(m @ m) - 3 * float(cue @ cue)) / n
    assert net.energy(cue) == pytest.approx(by_hand, rel=1e-12)
    np.testing.assert_allclose(net.fields(cue), (X.T @ m - 3 * cue) / n, rtol=1e-12)
    r = net.recall(cue, max_steps=1, stop_at_fixed_point=False, record=True)
    np.testing.assert_array_equal(r.trajectory[0], cue)
    np.testing.assert_allclose(net.overlaps(np.stack([cue, cue])), [m / n] * 2, rtol=1e-12)
    # encoding="binary" says the zeros are off neurons.
    np.testing.assert_allclose(net.overlaps(cue, encoding="binary"),
                               X @ (2 * cue - 1) / n, rtol=1e-12)


def test_zero_one_cues_of_a_network_stored_from_zero_one_data_are_refused():
    letters01 = (patterns.page("letters") + 1) // 2
    net = hopfield.Network.from_patterns(letters01)
    cue = noise.mask(letters01[1], "second-half")
    with pytest.raises(ValueError) as info:
        net.recall(cue)
    message = str(info.value)
    assert "encoding=" in message and "binary" in message and "bipolar" in message
    for call in [net.energy, net.overlaps, net.fields]:
        with pytest.raises(ValueError, match="encoding="):
            call(letters01[1])
    with pytest.raises(ValueError, match="encoding="):
        hopfield.Memory(letters01, "dense").recall(cue)
    # Either reading, said out loud, runs.
    data = net.recall(letters01[1], encoding="binary")
    assert data.outcome == "recalled" and data.pattern == 1
    masked = net.recall(cue, encoding="bipolar", max_steps=1, record=True)
    assert np.sum(masked.trajectory[0] == 0) == np.sum(cue == 0)
    # A boolean array has no unknown: it is on/off data.
    assert net.recall(letters01[1].astype(bool)).pattern == 1


def test_zero_one_data_of_a_binary_network_stays_zero_one():
    net = hopfield.Network.random(20, seed=1)
    assert net.activation == "binary"
    start = np.array([0, 1] * 10)
    r = net.recall(start, "async", tie="minus", max_steps=50, stop_at_fixed_point=False,
                   record=True, seed=2)
    np.testing.assert_array_equal(r.trajectory[0], start)
    assert set(np.unique(r.trajectory)) <= {0, 1}


def test_noise_and_save_refuse_an_ambiguous_zero_one_state(tmp_path):
    masked = noise.mask(np.ones(10), "second-half")
    for call in [lambda: noise.flip(masked, 0.2), lambda: noise.flip_each(masked, 0.2),
                 lambda: noise.mix(masked, masked),
                 lambda: hopfield.save(tmp_path / "m.npy", masked)]:
        with pytest.raises(ValueError, match="encoding="):
            call()
    kept = noise.flip(masked, count=0, encoding="bipolar")
    np.testing.assert_array_equal(kept, masked)
    data = noise.flip(masked, count=0, encoding="binary")
    np.testing.assert_array_equal(data, 2 * masked - 1)
    hopfield.save(tmp_path / "m.npy", masked, encoding="bipolar")
    np.testing.assert_array_equal(np.load(tmp_path / "m.npy").reshape(-1), masked)
