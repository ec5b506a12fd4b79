"""Seeds: an integer, a numpy Generator or SeedSequence, or a hopfield.Rng, each mapped
to the engine's integer seed as documented; numpy's global state has no effect."""

import numpy as np
import pytest

import hopfield
from hopfield import experiments, noise, patterns

X = patterns.random(3, 200, seed=1)
NET = hopfield.Network.from_patterns(X)
CUE = noise.flip(X[0], 0.3, seed=2)


def test_each_kind_of_seed_maps_as_documented():
    assert hopfield.resolve_seed(7) == 7
    assert hopfield.resolve_seed(np.uint64(2**64 - 1)) == 2**64 - 1
    ss = np.random.SeedSequence(12345)
    assert hopfield.resolve_seed(ss) == int(ss.generate_state(1, dtype=np.uint64)[0])
    assert hopfield.resolve_seed(ss) == hopfield.resolve_seed(np.random.SeedSequence(12345))
    g, twin = np.random.default_rng(5), np.random.default_rng(5)
    first = hopfield.resolve_seed(g)
    assert first == int(twin.integers(0, 2**64 - 1, dtype=np.uint64, endpoint=True))
    assert hopfield.resolve_seed(g) != first  # the generator advanced
    rng = hopfield.Rng(9)
    assert hopfield.resolve_seed(rng) == hopfield.Rng(9).next_u64()


def test_a_generator_or_sequence_gives_the_result_of_its_integer_seed():
    ss = np.random.SeedSequence(77)
    want = NET.recall(CUE, "async", seed=hopfield.resolve_seed(ss))
    assert NET.recall(CUE, "async", seed=np.random.SeedSequence(77)) == want
    assert NET.recall(CUE, "async", seed=np.random.SeedSequence(77)).seed == want.seed
    a = NET.recall(CUE, "async", seed=np.random.default_rng(3))
    b = NET.recall(CUE, "async", seed=hopfield.resolve_seed(np.random.default_rng(3)))
    assert a == b
    assert np.array_equal(
        patterns.random(2, 50, seed=np.random.SeedSequence(4)),
        patterns.random(2, 50, seed=hopfield.resolve_seed(np.random.SeedSequence(4))),
    )
    c1 = experiments.crosstalk(100, 0, 30, seed=np.random.default_rng(8))
    c2 = experiments.crosstalk(100, 0, 30, seed=hopfield.resolve_seed(np.random.default_rng(8)))
    assert np.array_equal(c1["values"], c2["values"])


def test_spawned_sequences_give_different_seeds():
    children = np.random.SeedSequence(1).spawn(4)
    seeds = {hopfield.resolve_seed(c) for c in children}
    assert len(seeds) == 4


def test_numpy_global_seed_has_no_effect():
    np.random.seed(0)
    a = [hopfield.resolve_seed() for _ in range(3)]
    np.random.seed(0)
    b = [hopfield.resolve_seed() for _ in range(3)]
    assert len(set(a + b)) == 6
    np.random.seed(0)
    r1 = patterns.random(1, 64, seed=11)
    np.random.seed(1)
    assert np.array_equal(patterns.random(1, 64, seed=11), r1)


def test_other_seeds_are_refused_naming_what_is_taken():
    with pytest.raises(TypeError, match="Generator or SeedSequence"):
        NET.recall(CUE, seed="7")
    with pytest.raises(TypeError, match="RandomState.*default_rng"):
        NET.recall(CUE, seed=np.random.RandomState(1))
    with pytest.raises(ValueError, match="between 0 and 2\\*\\*64 - 1"):
        hopfield.resolve_seed(-1)
