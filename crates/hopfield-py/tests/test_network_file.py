"""Saved networks: Network.save / Network.load round trips, the file read by the
safetensors package, and the bad-input corpus (tests/data/bad) refused with ValueError."""

import json
import pathlib

import numpy as np
import pytest
from safetensors import safe_open
from safetensors.numpy import load_file

import hopfield
from hopfield import patterns

ROOT = pathlib.Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data"
BAD = DATA / "bad"


def manifest():
    rows = []
    for line in (BAD / "manifest.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, command, fragment = line.split("\t")
        rows.append((name, command, fragment))
    return rows


def same(a, b):
    assert a.n == b.n
    assert a.shape == b.shape
    assert a.storage == b.storage
    assert a.representation == b.representation
    assert a.activation == b.activation
    assert a.rule == b.rule
    assert a.rule_options == b.rule_options
    assert np.array_equal(a.weights, b.weights)
    assert np.array_equal(np.asarray(a.threshold), np.asarray(b.threshold))
    if a.patterns is None:
        assert b.patterns is None
    else:
        assert np.array_equal(a.patterns, b.patterns)


@pytest.mark.parametrize("representation", ["dense", "factored"])
@pytest.mark.parametrize("rule", ["hebb", "outer01"])
def test_round_trip_gives_the_same_network_and_recalls(tmp_path, representation, rule):
    x = patterns.random(6, 64, seed=3).reshape(6, 8, 8)
    theta = np.linspace(-0.2, 0.2, 64)
    net = hopfield.Network.from_patterns(
        x, rule, representation=representation, threshold=theta, normalization="1/P"
    )
    path = tmp_path / "net.hfn"
    net.save(path)
    back = hopfield.Network.load(str(path))
    same(net, back)
    cue = hopfield.noise.flip(x[2], 0.1, seed=5)
    for dynamics in ["sync", "sweep"]:
        a = net.recall(cue, dynamics, seed=9)
        b = back.recall(cue, dynamics, seed=9)
        assert np.array_equal(a.state, b.state)
        assert a.outcome == b.outcome and a.steps == b.steps


def test_a_network_without_rule_or_patterns_round_trips(tmp_path):
    net = hopfield.Network.random(12, "uniform", seed=4)
    path = tmp_path / "random.hfn"
    net.save(path)
    back = hopfield.Network.load(path)
    same(net, back)
    assert back.activation == "binary"
    assert not back.symmetric


def test_the_safetensors_package_reads_the_file(tmp_path):
    x = patterns.random(3, 25, seed=1).reshape(3, 5, 5)
    net = hopfield.Network.from_patterns(x, representation="dense")
    path = tmp_path / "letters.hfn"
    net.save(path)
    tensors = load_file(str(path))
    assert set(tensors) == {"weights", "weights_scale", "patterns", "threshold"}
    assert tensors["weights"].dtype == np.int8 and tensors["weights"].shape == (25, 25)
    w = tensors["weights"].astype(np.float64) * tensors["weights_scale"][0]
    assert np.allclose(w, net.weights)
    assert np.array_equal(tensors["patterns"], x.reshape(3, 25))
    with safe_open(str(path), framework="numpy") as f:
        meta = f.metadata()
    assert meta["format"] == "hopfield-network"
    assert meta["format_version"] == "1"
    assert meta["model"] == "classical"
    assert meta["n"] == "25" and meta["shape"] == "5x5"
    assert json.loads(meta["rule"]) == {"rule": "hebb", "normalization": "1/N"}
    assert meta["normalization"] == "1/N"
    assert meta["representation"] == "dense" and meta["storage"] == "int8"
    assert meta["threshold"] == "uniform" and meta["activation"] == "bipolar"


def test_the_checked_in_version_1_files_load():
    x = hopfield.load(DATA / "letters.npy")
    dense = hopfield.Network.load(DATA / "network-v1-dense.hfn")
    same(dense, hopfield.Network.from_patterns(x, representation="dense"))
    factored = hopfield.Network.load(DATA / "network-v1-factored.hfn")
    same(factored, hopfield.Network.from_patterns(x, representation="factored", threshold=0.1))


def test_a_failed_save_keeps_the_existing_file(tmp_path):
    target = tmp_path / "folder.hfn"
    target.mkdir()
    (target / "keep").write_text("x")
    net = hopfield.Network.from_patterns(patterns.random(2, 10, seed=1))
    with pytest.raises(OSError, match="folder.hfn"):
        net.save(target)
    assert (target / "keep").read_text() == "x"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.hfn"]


NET = hopfield.Network.load(DATA / "network-v1-dense.hfn")


@pytest.mark.parametrize("name, command, fragment", manifest())
def test_every_bad_input_raises_value_error(name, command, fragment):
    path = BAD / name
    if command == "recall-network":
        with pytest.raises(ValueError) as e:
            hopfield.Network.load(path)
    elif command == "recall-cue":
        # A cue file: read as states, then recalled on a 25-neuron network.
        with pytest.raises(ValueError) as e:
            NET.recall(hopfield.load(path, encoding="bipolar"))
        return
    elif command == "recall-threshold":
        # One threshold per neuron, read as an array, given to a 25-neuron network.
        with pytest.raises(ValueError) as e:
            hopfield.Network.from_patterns(
                hopfield.load(DATA / "letters.npy"), threshold=np.load(path)
            )
        assert "threshold has 24 values, expected 25" in str(e.value)
        return
    else:
        with pytest.raises(ValueError) as e:
            hopfield.load(path)
    message = str(e.value)
    assert name in message
    assert fragment in message
    assert "\n" not in message
    assert "panicked" not in message
    # Text from the file is escaped and cut.
    assert not any(ord(c) < 32 or 127 <= ord(c) < 160 for c in message), repr(message)
    assert len(message) <= 700, len(message)


def test_the_corpus_is_large_enough():
    assert len(manifest()) >= 40
