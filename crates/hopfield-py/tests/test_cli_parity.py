"""The package gives exactly the command line's results for the same seed.

Each test writes patterns (and cues) to .npy files, runs `hopfield recall ... --json
--out final.npy` from the release build, does the same in Python, and compares the
outcome, the step counts, the overlaps, the energy and the final state written.
"""

import numpy as np
import pytest

import hopfield
from hopfield import noise, patterns


def python_cue(X, index, seed, fraction=None, add=None, region=None):
    """The cue `hopfield recall --from INDEX --noise F --add-noise ADD --mask R --seed S`
    builds: one generator for all three steps, in that order; ADD is "bipolar" (the noise
    on the ±1 values) or "binary" (on the 0/1 image, as the course page)."""
    rng = hopfield.Rng(seed)
    cue = X[index]
    if fraction is not None:
        cue = noise.flip(cue, fraction, seed=rng)
    if add == "binary":
        cue = noise.add_noise((cue + 1) // 2, seed=rng)
    elif add == "bipolar":
        cue = noise.add_noise(cue, seed=rng)
    if region is not None:
        cue = noise.mask(cue, region)
    return cue


def assert_same(result, doc, final):
    assert result.outcome == doc["outcome"]
    assert result.pattern == doc["pattern"]
    assert result.steps == doc["steps"]
    assert result.updates == doc["updates"]
    assert result.flips == doc["flips"]
    assert result.converged == doc["converged"]
    assert result.overlaps.tolist() == doc["overlaps"]
    assert result.energy == doc["energy"]
    assert result.period == doc.get("period")
    np.testing.assert_array_equal(result.state, final)
    assert result.state.shape == final.shape and result.state.dtype == np.int64


@pytest.mark.parametrize("dynamics", ["sync", "async", "sweep", "sequential"])
@pytest.mark.parametrize("seed", [1, 7, 2024])
def test_from_a_noisy_pattern(cli, tmp_path, dynamics, seed):
    X = patterns.random(6, 300, seed=seed)
    np.save(tmp_path / "p.npy", X)
    doc = cli(
        "recall", "--patterns", tmp_path / "p.npy", "--from", 2, "--noise", 0.3,
        "--dynamics", dynamics, "--seed", seed, "--json", "--out", tmp_path / "f.npy",
    )
    net = hopfield.Network.from_patterns(X)
    r = net.recall(python_cue(X, 2, seed, fraction=0.3), dynamics, seed=seed)
    assert_same(r, doc, np.load(tmp_path / "f.npy"))


@pytest.mark.parametrize(
    "options",
    [
        dict(tie="minus", normalization="none", representation="dense"),
        dict(tie="keep", normalization="1/P", representation="factored", threshold=0.05),
        dict(tie="plus", max_steps=2, dynamics="sync"),
        dict(tie="minus", max_steps=150, dynamics="async"),
    ],
)
def test_letters_with_masks_and_options(cli, tmp_path, options):
    X = patterns.page("letters")  # (3, 5, 5)
    np.save(tmp_path / "letters.npy", X)
    dynamics = options.get("dynamics", "sweep")
    args = ["--tie", options["tie"], "--dynamics", dynamics, "--seed", 5]
    for flag in ["normalization", "representation", "threshold", "max_steps"]:
        if flag in options:
            args += ["--" + flag.replace("_", "-"), options[flag]]
    doc = cli(
        "recall", "--patterns", tmp_path / "letters.npy", "--from", 1, "--noise", 0.2,
        "--mask", "rect:0,0,2x2", *args, "--json", "--out", tmp_path / "f.npy",
    )
    net = hopfield.Network.from_patterns(
        X,
        normalization=options.get("normalization"),
        representation=options.get("representation", "auto"),
        threshold=options.get("threshold"),
    )
    cue = python_cue(X, 1, 5, fraction=0.2, region="rect:0,0,2x2")
    assert cue.shape == (5, 5)
    r = net.recall(
        cue, dynamics, tie=options["tie"], max_steps=options.get("max_steps"), seed=5
    )
    assert_same(r, doc, np.load(tmp_path / "f.npy"))


@pytest.mark.parametrize("add", ["binary", "bipolar"])
def test_page_images_with_additive_noise_and_a_mask(cli, tmp_path, add):
    # The page's two-image cell: the 0/1 outer-product rule scaled by 1/N, the BU image
    # with additive ±1 noise (on its 0/1 image, as the page, or on its ±1 values) and its
    # second half unknown, ties to −1, synchronous.
    images = patterns.page("images")[:2]
    np.save(tmp_path / "images.npy", ((images + 1) // 2).astype(np.uint8))
    doc = cli(
        "recall", "--patterns", tmp_path / "images.npy", "--rule", "outer01",
        "--normalization", "1/N", "--from", 0, "--add-noise", add, "--mask", "second-half",
        "--tie", "minus", "--seed", 3, "--json", "--out", tmp_path / "f.npy",
    )
    net = hopfield.Network.from_patterns(
        (images + 1) // 2, rule="outer01", normalization="1/N"
    )
    cue = python_cue(images, 0, 3, add=add, region="second-half")
    r = net.recall(cue, tie="minus", seed=3)
    assert_same(r, doc, np.load(tmp_path / "f.npy"))


@pytest.mark.parametrize("dynamics", ["sync", "async", "sweep"])
def test_a_batch_of_cues_from_a_file(cli, tmp_path, dynamics):
    rng = np.random.default_rng(11)
    X = rng.choice(np.array([-1, 1], dtype=np.int8), size=(12, 200))
    cues = X[rng.integers(12, size=25)].copy()
    cues[rng.random(cues.shape) < 0.25] *= -1
    np.save(tmp_path / "p.npy", X)
    np.save(tmp_path / "c.npy", cues)
    docs = cli(
        "recall", "--patterns", tmp_path / "p.npy", "--cue", tmp_path / "c.npy",
        "--dynamics", dynamics, "--seed", 11, "--json", "--out", tmp_path / "f.npy",
    )
    batch = hopfield.Network.from_patterns(X).recall(cues, dynamics, seed=11)
    final = np.load(tmp_path / "f.npy")
    assert len(docs) == len(batch) == 25
    for k, doc in enumerate(docs):
        assert_same(batch[k], doc, final[k])
    np.testing.assert_array_equal(batch.state, final)


def test_binary_cue_file(cli, tmp_path):
    X = patterns.random(4, (8, 8), seed=9)
    # 0/1 data: the command line converts a 0/1 cue file; Python converts it when told
    # (for a ±1 network, encoding="auto" reads a 0 as unknown).
    cue = (noise.flip(X[3], 0.25, seed=4) + 1) // 2
    np.save(tmp_path / "p.npy", X)
    np.save(tmp_path / "c.npy", cue.astype(np.float32))
    doc = cli(
        "recall", "--patterns", tmp_path / "p.npy", "--cue", tmp_path / "c.npy",
        "--dynamics", "sweep", "--seed", 8, "--json", "--out", tmp_path / "f.npy",
    )
    r = hopfield.Network.from_patterns(X).recall(
        cue.astype(np.float32), "sweep", seed=8, encoding="binary"
    )
    assert_same(r, doc, np.load(tmp_path / "f.npy"))


@pytest.mark.parametrize(
    "args, python",
    [
        (["page-bu"], lambda: patterns.page("bu")),
        (["page-bc"], lambda: patterns.page("bc")),
        (["page-star"], lambda: patterns.page("star")),
        (["page-letters"], lambda: patterns.page("letters")),
        (["page-images"], lambda: patterns.page("images")),
        (["checkerboard", "--size", "6x9"], lambda: patterns.checkerboard((6, 9))),
        (["x", "--size", "7x7"], lambda: patterns.x(7)),
        (["star", "--size", "11x11"], lambda: patterns.star(11)),
        (["l", "--size", "10x10"], lambda: patterns.l(10)),
        (["rows", "--width", "2"], lambda: patterns.rows(10, width=2)),
        (["letter", "--text", "HOP"], lambda: patterns.letter("HOP")),
        (["letter", "--text", "A", "--size", "14x10"], lambda: patterns.letter("A", (14, 10))),
        (["text", "--text", "HI"], lambda: patterns.text("HI")),
        (["random", "-p", "4", "-n", "50", "--seed", "3"], lambda: patterns.random(4, 50, seed=3)),
        (
            ["random", "-p", "2", "--size", "6x5", "--p-on", "0.3", "--seed", "4"],
            lambda: patterns.random(2, (6, 5), p_on=0.3, seed=4),
        ),
    ],
)
def test_generators_equal_the_command_line(cli, tmp_path, args, python):
    cli("patterns", *args, "--out", tmp_path / "g.npy")
    expected = np.load(tmp_path / "g.npy")
    got = python()
    assert got.dtype == np.int64 and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(hopfield.load(tmp_path / "g.npy"), expected)
