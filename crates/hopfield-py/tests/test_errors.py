"""Bad input raises ValueError or TypeError with a clear message; no panic reaches Python."""

import numpy as np
import pytest

import hopfield
from hopfield import experiments, noise, patterns

X = patterns.random(3, 25, seed=1)
NET = hopfield.Network.from_patterns(X)
CUE = X[0]


@pytest.mark.parametrize(
    "call, error, message",
    [
        # Patterns: shape, values, dtype.
        (lambda: hopfield.Network.from_patterns(np.ones((2, 3, 4, 5))), ValueError, "shape (P, N) or (P, H, W)"),
        (lambda: hopfield.Network.from_patterns([[1, 2, 1]]), ValueError, "pattern 0, neuron 1: value 2 is not ±1 or 0/1"),
        (lambda: hopfield.Network.from_patterns([[1, 2, 1]], encoding="bipolar"), ValueError, "pattern 0, neuron 1: value 2 is not ±1"),
        (lambda: hopfield.Network.from_patterns([[1, -1, 1], [0, 1, 1]]), ValueError, "pattern 1, neuron 0: value 0 is not ±1 (0 appears beside -1"),
        (lambda: hopfield.Network.from_patterns([[1, -1, 1], [1, 1, 1]], encoding="binary"), ValueError, "value -1 is not 0 or 1"),
        (lambda: hopfield.Network.from_patterns([[1, -1, 1], [1, 2, 1]]), ValueError, "pattern 1, neuron 1: value 2"),
        (lambda: hopfield.Network.from_patterns([[0, 1, 1], [1, 2, 1]]), ValueError, "value 2"),
        (lambda: hopfield.Network.from_patterns([[1.0, np.nan, 1.0]]), ValueError, "not finite (NaN)"),
        (lambda: hopfield.Network.from_patterns([[1.0, np.inf]]), ValueError, "not finite"),
        (lambda: hopfield.Network.from_patterns([[0.5, 1.0]]), ValueError, "value 0.5 is not ±1 or 0/1"),
        (lambda: hopfield.Network.from_patterns(np.ones((0, 5))), ValueError, "pattern set is empty"),
        (lambda: hopfield.Network.from_patterns(np.ones((2, 0))), ValueError, "no neurons"),
        (lambda: hopfield.Network.from_patterns([["a", "b"]]), TypeError, "dtype <U1"),
        (lambda: hopfield.Network.from_patterns("abc"), TypeError, "array of numbers"),
        (lambda: hopfield.Network.from_patterns(None), TypeError, "array of numbers"),
        (lambda: hopfield.Network.from_patterns([[1j, 1]]), TypeError, "complex"),
        (lambda: hopfield.Network.from_patterns([[1, -1], [1]]), ValueError, ""),
        (lambda: hopfield.Network.from_patterns(X, shape=(4, 4)), ValueError, "shape 4x4 holds 16 neurons"),
        (lambda: hopfield.Network.from_patterns(np.ones((4, 4))), ValueError, "patterns: shape (4, 4) is ambiguous: one 4x4 image, or 4 flat patterns of 4 neurons? Pass X[None]"),
        (lambda: hopfield.Network.from_patterns(np.ones((6, 4))), ValueError, "or shape=(4,) for 6 patterns of 4 neurons"),
        (lambda: hopfield.Network.from_patterns(X, shape=(24,)), ValueError, "patterns: shape (3, 25) does not fit shape=(24,): its patterns have 25 neurons"),
        (lambda: hopfield.Network.from_patterns(X, shape=(0,)), ValueError, "sizes must be positive"),
        (lambda: hopfield.Network.from_patterns(X, shape=2.5), TypeError, "or (N,) for flat patterns"),
        (lambda: hopfield.Network(np.zeros((6, 6)), patterns=np.ones((4, 4))), ValueError, "patterns: shape (4, 4) fits a network of 6 neurons neither as rows of 6 nor as one image"),
        # Rules and their options.
        (lambda: hopfield.Network.from_patterns(X, rule="oja"), ValueError, "expected one of: hebb, outer01, storkey"),
        (lambda: hopfield.Network.from_patterns(X, beta=2.0), TypeError, "has no option 'beta'"),
        (lambda: hopfield.Network.from_patterns(X, normalization="1/Q"), ValueError, "expected one of: 1/N, 1/P, none"),
        (lambda: hopfield.Network.from_patterns(X, normalization=3), ValueError, "normalization"),
        (lambda: hopfield.Network.from_patterns(X, representation="sparse"), ValueError, "auto, dense, factored"),
        (lambda: hopfield.Network.from_patterns(X, threshold=[0.0, 1.0]), ValueError, "threshold has 2 values, expected 25"),
        (lambda: hopfield.Network.from_patterns(X, threshold=np.nan), ValueError, "threshold"),
        (lambda: hopfield.Network.from_patterns(X, threshold=True), TypeError, "bool"),
        # Cues.
        (lambda: NET.recall(CUE[:10]), ValueError, "cue has 10 values, expected 25"),
        (lambda: NET.recall(np.ones((3, 7))), ValueError, "does not fit a network of 25 neurons"),
        (lambda: NET.recall(np.ones((2, 2, 2, 2))), ValueError, "does not fit"),
        (lambda: NET.recall(np.ones((0, 25))), ValueError, "empty batch"),
        (lambda: NET.recall(1), ValueError, "single number"),
        (lambda: NET.recall(np.full(25, 3)), ValueError, "cue, neuron 0: value 3"),
        (lambda: NET.recall(np.where(np.arange(25) == 4, np.nan, 1.0)), ValueError, "cue, position 4: value is not finite"),
        (lambda: NET.recall(np.stack([CUE, CUE * 3])), ValueError, "cue 1, neuron 0"),
        (lambda: NET.recall(CUE, encoding="ternary"), ValueError, "auto, bipolar, binary"),
        (lambda: hopfield.Network.from_patterns((X + 1) // 2).recall((CUE + 1) // 2), ValueError, 'cue holds only 0 and 1, and this network stored 0/1 data: is 0 an off neuron or an unknown one? Pass encoding="binary"'),
        (lambda: NET.recall(CUE, dtype=np.uint8), TypeError, "dtype=uint8 cannot hold states"),
        (lambda: NET.recall(CUE, dtype="nonsense"), TypeError, "dtype must be a numpy dtype"),
        # Options.
        (lambda: NET.recall(CUE, dynamics="glauber"), ValueError, "expected one of: sync, async, sweep, sequential"),
        (lambda: NET.recall(CUE, max_steps=0), ValueError, "max_steps = 0 is invalid: must be at least 1 (omit it for the default)"),
        (lambda: NET.recall(CUE, max_steps=-5), ValueError, "max_steps = -5"),
        (lambda: NET.recall(CUE, max_steps=2.5), TypeError, ""),
        (lambda: NET.recall(CUE, tie="zero"), ValueError, "plus, minus, keep"),
        (lambda: NET.recall(CUE, temperature=-0.5), ValueError, "temperature"),
        (lambda: NET.recall(CUE, temperature=float("nan")), ValueError, "temperature"),
        (lambda: NET.recall(CUE, seed=-1), ValueError, "seed must lie between 0 and 2**64 - 1"),
        (lambda: NET.recall(CUE, seed=2**64), ValueError, "seed"),
        (lambda: NET.recall(CUE, seed="x"), TypeError, "seed must be None, an integer, a numpy.random.Generator or SeedSequence, or a hopfield.Rng"),
        (lambda: NET.recall(CUE, threshold=np.zeros(3)), ValueError, "threshold has 3 values"),
        (lambda: NET.recall(CUE, record=True, target=7), ValueError, "pattern index = 7 is invalid"),
        (lambda: NET.recall(CUE, record=True, target=np.ones(4)), ValueError, "target has 4 values"),
        (lambda: NET.recall(CUE, unknown=1), TypeError, "unknown"),
        # Noise.
        (lambda: noise.flip(CUE, 1.5), ValueError, "noise = 1.5 is invalid: must lie between 0 and 1"),
        (lambda: noise.flip(CUE, -0.1), ValueError, "must lie between 0 and 1"),
        (lambda: noise.flip(CUE, count=26), ValueError, "cannot flip more than the 25 neurons"),
        (lambda: noise.flip(CUE), TypeError, "either a fraction or count"),
        (lambda: noise.flip(CUE, 0.1, count=2), TypeError, "either a fraction or count"),
        (lambda: noise.flip_each(CUE, 2.0), ValueError, "between 0 and 1"),
        (lambda: noise.mask(CUE, "middle"), ValueError, "first-half, second-half"),
        (lambda: noise.mask(CUE, "left-half"), ValueError, "needs a 2-D pattern"),
        (lambda: noise.mask(CUE, "range:20..30"), ValueError, "within 0..25"),
        (lambda: noise.mix(CUE, CUE[:5]), ValueError, "second pattern has 5 values, expected 25"),
        (lambda: noise.mix(CUE, CUE, 1.5), ValueError, "fraction = 1.5"),
        (lambda: noise.add_noise(np.array([1, 500])), ValueError, "small integer"),
        (lambda: noise.add_noise(np.array([])), ValueError, "no neurons"),
        (lambda: noise.flip(np.array([1, 0, 1]), 0.5), ValueError, 'x holds only 0 and 1: is 0 an off neuron or an unknown one? Pass encoding="binary"'),
        (lambda: noise.mix(CUE, (CUE + 1) // 2), ValueError, "b holds only 0 and 1"),
        (lambda: noise.mask(CUE, dtype=bool), TypeError, "dtype=bool cannot hold states"),
        # Generators and experiments.
        (lambda: patterns.random(0, 10), ValueError, "at least one pattern"),
        (lambda: patterns.random(2, 0), ValueError, "no neurons"),
        (lambda: patterns.random(2, 10, p_on=1.5), ValueError, "p-on = 1.5"),
        (lambda: patterns.random(-1, 10), OverflowError, ""),
        (lambda: patterns.checkerboard(0), ValueError, "sizes must be positive"),
        (lambda: patterns.checkerboard((3, -1)), ValueError, "sizes must be positive"),
        (lambda: patterns.checkerboard("3y3"), ValueError, "expected HxW"),
        (lambda: patterns.checkerboard(2.5), TypeError, "size must be an integer n"),
        (lambda: patterns.rows(5, width=0), ValueError, "at least 1 wide"),
        (lambda: patterns.letter("é"), ValueError, "not in the block font"),
        (lambda: patterns.letter(""), ValueError, "at least one character"),
        (lambda: patterns.text(""), ValueError, "the text is empty"),
        (lambda: patterns.page("smiley"), ValueError, "expected one of: a, checkerboard"),
        (lambda: patterns.page("bu", dtype=np.complex64), TypeError, "dtype=complex64 cannot hold states"),
        (lambda: patterns.generate("blob"), ValueError, "expected one of: random, checkerboard"),
        (lambda: patterns.generate("page-bu", size=5), ValueError, "this page drawing is 100x100"),
        (lambda: experiments.crosstalk(10, 11), ValueError, "cannot exceed N = 10"),
        (lambda: experiments.crosstalk(10, 1, 1), ValueError, "at least 2 samples"),
        (lambda: experiments.crosstalk(0), ValueError, "n = 0"),
        # Networks from couplings, random networks.
        (lambda: hopfield.Network(np.ones((3, 4))), ValueError, "square (N, N) matrix"),
        (lambda: hopfield.Network(np.full((2, 2), np.nan)), ValueError, "not finite"),
        (lambda: hopfield.Network(np.zeros((0, 0))), ValueError, "no neurons"),
        (lambda: hopfield.Network(np.eye(2), activation="ternary"), ValueError, "bipolar"),
        (lambda: hopfield.Network(np.eye(4), shape=(3, 3)), ValueError, "shape 3x3"),
        (lambda: hopfield.Network.random(0), ValueError, "n = 0"),
        (lambda: hopfield.Network.random(5, kind="cauchy"), ValueError, "uniform, gaussian"),
        (lambda: hopfield.Network.random(5, kind="gaussian", sigma=-1.0), ValueError, "sigma"),
        (lambda: hopfield.Network.random(5).recall(np.array([1, -1, 1, 1, 1])), ValueError, "0 or 1 (the network has binary neurons)"),
        # Files.
        (lambda: hopfield.load("/nonexistent/x.npy"), FileNotFoundError, "/nonexistent/x.npy"),
        (lambda: hopfield.load("patterns.csv"), ValueError, "unknown file type"),
        (lambda: hopfield.save("/nonexistent/dir/x.npy", CUE), OSError, "/nonexistent/dir/x.npy"),
        (lambda: hopfield.save("x.npy", np.array([1, 2])), ValueError, "value 2"),
        (lambda: hopfield.save("x.txt", np.ones((5, 5))), ValueError, "states: shape (5, 5) is ambiguous"),
        (lambda: hopfield.save("x.npy", np.array([1, 0, 0])), ValueError, "states holds only 0 and 1"),
        (lambda: hopfield.load("x.npy", dtype=np.uint16), TypeError, "dtype=uint16"),
        # Control characters of quoted text are escaped: a message cannot drive a terminal.
        (lambda: hopfield.Network.from_patterns(X, rule="\x1b]0;owned\x07"), ValueError, "rule = \\u{1b}]0;owned\\u{7} is invalid"),
        (lambda: hopfield.load("/nonexistent/\x1b[2J.npy"), FileNotFoundError, "/nonexistent/\\u{1b}[2J.npy"),
    ],
)
def test_bad_input_raises(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert message in str(info.value)
    # Never a PanicException (a BaseException), always an ordinary Exception.
    assert isinstance(info.value, Exception)


def test_errors_are_not_panics_on_odd_sizes():
    # Degenerate but valid inputs run; none of them panics.
    one = hopfield.Network.from_patterns([[1]])
    assert one.recall([1]).outcome == "recalled"
    assert one.recall([-1]).state.tolist() in ([1], [-1])
    assert patterns.checkerboard(1).shape == (1, 1, 1)
    assert patterns.star((1, 7)).shape == (1, 1, 7)
    assert patterns.text("A", (1, 1)).shape == (1, 1, 1)
    assert noise.flip([1], count=1).tolist() == [-1]
    big = hopfield.Network.from_patterns(patterns.random(2, 50, seed=1))
    assert big.recall(np.zeros(50)).state.shape == (50,)


def test_a_matrix_too_big_for_memory_raises_memory_error():
    big = hopfield.Network.from_patterns(patterns.random(2, 300_000, seed=1))
    assert big.representation == "factored"
    with pytest.raises(MemoryError, match="300000 x 300000 weight matrix needs"):
        big.weights
    with pytest.raises(MemoryError, match="factored"):
        hopfield.Network.from_patterns(patterns.random(2, 300_000, seed=1), representation="dense")
