"""The coupling matrix of large networks: float32, blocks of rows, the memory guard."""

import numpy as np
import pytest

import hopfield
from hopfield import patterns

X = patterns.random(7, 300, seed=1)


@pytest.mark.parametrize("representation", ["dense", "factored"])
def test_rows_and_dtypes_match_the_whole_matrix(representation):
    net = hopfield.Network.from_patterns(X, representation=representation)
    W = net.weights
    assert W.dtype == np.float64 and W.shape == (300, 300)
    assert np.array_equal(W, (X.T @ X - 7 * np.eye(300)) * (1.0 / 300))
    assert np.array_equal(net.weight_rows(), W)
    w32 = net.weight_rows(dtype=np.float32)
    assert w32.dtype == np.float32 and np.array_equal(w32, W.astype(np.float32))
    for start, stop in [(0, 1), (5, 17), (100, 300), (0, 299), (299, 300), (10, 10)]:
        block = net.weight_rows(start, stop)
        assert block.shape == (stop - start, 300)
        assert np.array_equal(block, W[start:stop])
        assert np.array_equal(net.weight_rows(start, stop, dtype="float32"),
                              W[start:stop].astype(np.float32))
    assert np.array_equal(net.weight_rows(290), W[290:])


def test_couplings_of_every_storage_come_back_as_given():
    rng = np.random.default_rng(2)
    W = rng.normal(size=(50, 50)).astype(np.float32).astype(np.float64)
    net = hopfield.Network(W)
    assert np.array_equal(net.weights, W)
    assert np.array_equal(net.weight_rows(3, 40), W[3:40])
    assert np.array_equal(net.weight_rows(3, 4), W[3:4])


def test_bad_rows_and_dtypes_are_refused_naming_the_argument():
    net = hopfield.Network.from_patterns(X)
    with pytest.raises(ValueError, match="start = -1 must lie between 0 and N = 300"):
        net.weight_rows(-1)
    with pytest.raises(ValueError, match="stop = 301 must lie between start = 0 and N = 300"):
        net.weight_rows(0, 301)
    with pytest.raises(ValueError, match="stop = 4 must lie between start = 5"):
        net.weight_rows(5, 4)
    with pytest.raises(TypeError, match="np.float64 .* or np.float32"):
        net.weight_rows(dtype=np.int8)
    with pytest.raises(TypeError, match="np.float64 .* or np.float32"):
        net.weight_rows(dtype="not a dtype")


def test_a_matrix_beyond_memory_is_refused_with_the_figure():
    # 2·10⁶ neurons: W would take 32 TB in float64; the factored network holds 2 MB.
    big = hopfield.Network.from_patterns(patterns.random(1, 2_000_000, seed=3))
    assert big.representation == "factored"
    with pytest.raises(MemoryError, match=r"a float64 2000000 x 2000000 weight matrix needs 29.1 TiB"):
        big.weights
    with pytest.raises(MemoryError, match="weight_rows\\(start, stop\\)"):
        big.weight_rows(dtype=np.float32)
    row = big.weight_rows(7, 8, dtype=np.float32)
    assert row.shape == (1, 2_000_000)
    p = patterns.random(1, 2_000_000, seed=3)[0]
    want = (p[7] * p[:100] * (np.arange(100) != 7)) * (1.0 / 2_000_000)
    assert np.array_equal(row[0, :100], want.astype(np.float32))
