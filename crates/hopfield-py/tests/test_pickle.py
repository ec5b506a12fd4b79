"""Networks, memories and results are ordinary Python objects: pickle, copy.deepcopy and
multiprocessing give copies equal to the originals, that behave as the originals."""

import copy
import multiprocessing
import pickle

import numpy as np
import pytest

import hopfield
from hopfield import noise, patterns

X = patterns.random(6, 120, seed=1)


def roundtrips(obj):
    """The copies pickle (every protocol) and deepcopy make."""
    out = [pickle.loads(pickle.dumps(obj, protocol=p)) for p in range(2, pickle.HIGHEST_PROTOCOL + 1)]
    out.append(copy.deepcopy(obj))
    out.append(copy.copy(obj))
    return out


NETWORKS = {
    "hebb factored": lambda: hopfield.Network.from_patterns(X, representation="factored"),
    "hebb dense": lambda: hopfield.Network.from_patterns(X, representation="dense"),
    "storkey": lambda: hopfield.Network.from_patterns(X, "storkey"),
    "images": lambda: hopfield.Network.from_patterns(patterns.page("letters")),
    "binary data": lambda: hopfield.Network.from_patterns((X[:2] + 1) // 2),
    "couplings, threshold per neuron": lambda: hopfield.Network(
        np.random.default_rng(3).normal(size=(30, 30)),
        threshold=np.linspace(-1, 1, 30),
        shape=(5, 6),
    ),
    "random binary": lambda: hopfield.Network.random(20, seed=4),
    "diluted": lambda: hopfield.Network.from_patterns(X).diluted(0.5, seed=5),
}


@pytest.mark.parametrize("name", list(NETWORKS))
def test_networks_pickle_to_equal_networks_that_recall_the_same(name):
    net = NETWORKS[name]()
    cues = np.stack([noise.flip(np.resize(X[k % 6], net.n), 0.2, seed=k) for k in range(4)])
    if net.activation == "binary":
        cues = (cues + 1) // 2
    if net.shape is not None:
        cues = cues.reshape(4, *net.shape)
    want = net.recall_batch(cues, "sweep", seed=9, record=True)
    for copy_ in roundtrips(net):
        assert copy_ is not net
        assert copy_ == net
        assert repr(copy_) == repr(net)
        assert copy_.shape == net.shape and copy_.storage == net.storage
        assert np.array_equal(copy_.weights, net.weights)
        assert copy_.recall_batch(cues, "sweep", seed=9, record=True) == want


def test_a_network_from_zero_one_data_still_refuses_ambiguous_cues_after_pickling():
    net = hopfield.Network.from_patterns((X[:2] + 1) // 2)
    back = pickle.loads(pickle.dumps(net))
    with pytest.raises(ValueError, match="encoding="):
        back.recall((X[0] + 1) // 2)


def test_different_networks_are_not_equal():
    a = hopfield.Network.from_patterns(X)
    assert a != hopfield.Network.from_patterns(X[:5])
    assert a != hopfield.Network.from_patterns(X, normalization="none")
    assert a != hopfield.Network.from_patterns(X, shape=(10, 12))
    assert a != "a network"


MEMORIES = {
    "dense": lambda: hopfield.Memory(X, "dense", degree=4),
    "rectified": lambda: hopfield.Memory(X, "dense", rectified=True),
    "exponential": lambda: hopfield.Memory(X, "exponential", beta=0.5),
    "modern": lambda: hopfield.Memory(X, "modern", beta=2.0),
    "classical images": lambda: hopfield.Memory(patterns.page("letters"), "classical"),
}


@pytest.mark.parametrize("name", list(MEMORIES))
def test_memories_pickle_to_equal_memories(name):
    mem = MEMORIES[name]()
    cue = np.resize(noise.flip(X[1], 0.2, seed=2), mem.n)
    if name == "classical images":
        cue = cue.reshape(5, 5)
    want = mem.recall(cue, seed=3)
    for copy_ in roundtrips(mem):
        assert copy_ == mem
        assert copy_.model == mem.model
        assert copy_.recall(cue, seed=3) == want
    assert mem != hopfield.Memory(X, "dense", degree=5)


def test_recalls_pickle_with_every_field():
    net = hopfield.Network.from_patterns(X)
    cue = noise.flip(X[2], 0.25, seed=4)
    r = net.recall(cue, "async", seed=5, record=True, target=2, dtype=np.int8)
    for c in roundtrips(r):
        assert c == r
        for field in ("state", "cue", "trajectory", "energy_trace", "overlap_trace", "error_trace"):
            a, b = getattr(c, field), getattr(r, field)
            assert a.dtype == b.dtype and np.array_equal(a, b), field
        for field in ("steps", "hitting_time", "updates", "flips", "converged", "outcome",
                      "pattern", "period", "mixture", "description", "energy", "seed", "index"):
            assert getattr(c, field) == getattr(r, field), field
    assert r != net.recall(cue, "async", seed=6, record=True, target=2, dtype=np.int8)


def test_floats_survive_bit_for_bit():
    # Energies and overlaps of a network with irrational couplings, and an infinite
    # energy of the exponential model: pickling keeps every bit.
    rng = np.random.default_rng(7)
    net = hopfield.Network(rng.normal(size=(40, 40)) / 3, threshold=rng.normal(size=40))
    r = net.recall(rng.choice([-1, 1], size=40), "sweep", seed=1, record=True)
    c = pickle.loads(pickle.dumps(r))
    assert c.energy_trace.tobytes() == r.energy_trace.tobytes()
    mem = hopfield.Memory(patterns.random(3, 2000, seed=1), "exponential", beta=1.0)
    e = mem.recall(patterns.random(1, 2000, seed=1)[0]).energy
    assert pickle.loads(pickle.dumps(mem.recall(patterns.random(1, 2000, seed=1)[0]))).energy == e


def test_batches_pickle_and_so_do_their_slices():
    net = hopfield.Network.from_patterns(X)
    cues = np.stack([noise.flip(X[k % 6], 0.3, seed=k) for k in range(12)])
    b = net.recall(cues, "sweep", seed=8)
    for c in roundtrips(b):
        assert c == b
        assert c.counts() == b.counts()
        assert np.array_equal(c.state, b.state) and np.array_equal(c.cue, b.cue)
    part = b[3:9:2]
    back = pickle.loads(pickle.dumps(part))
    assert back == part
    assert list(back.index) == [3, 5, 7]
    assert back != b


def test_an_unknown_pickle_version_is_refused_with_the_reason():
    r = hopfield.Network.from_patterns(X).recall(X[0])
    restore, (kind, version, data, extra) = r.__reduce__()
    with pytest.raises(ValueError, match="format version 99"):
        restore(kind, 99, data, extra)
    with pytest.raises(ValueError, match="not a pickled hopfield.Recall"):
        restore(kind, version, data[:-5], extra)


def _recall_in_a_worker(args):
    net, cue, seed = args
    return net.recall(cue, "sweep", seed=seed)


def test_networks_travel_to_worker_processes():
    net = hopfield.Network.from_patterns(X)
    cues = [noise.flip(X[k], 0.3, seed=k) for k in range(4)]
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        results = pool.map(_recall_in_a_worker, [(net, c, k) for k, c in enumerate(cues)])
    assert results == [net.recall(c, "sweep", seed=k) for k, c in enumerate(cues)]
