"""The stubs match the runtime (mypy's stubtest), and mypy types the results of recall
through its overloads: correct code type-checks under --strict."""

import os
import pathlib
import re
import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("mypy")

ROOT = pathlib.Path(__file__).resolve().parents[3]
# mypy's cache of numpy's and matplotlib's types, shared by the runs of the suite.
CACHE = os.environ.get("HOPFIELD_MYPY_CACHE", str(ROOT / "target" / "mypy-cache"))


def mypy(*args, cwd):
    """Runs mypy; returns (exit code, output)."""
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", CACHE, "--no-color-output",
         "--no-error-summary", *map(str, args)],
        capture_output=True, text=True, cwd=cwd, timeout=600,
    )
    return done.returncode, done.stdout + done.stderr


def test_stubs_match_the_runtime(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "hopfield", "--mypy-config-file",
         str(write_config(tmp_path))],
        capture_output=True, text=True, cwd=tmp_path, timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def write_config(folder):
    path = folder / "mypy.ini"
    path.write_text(f"[mypy]\ncache_dir = {CACHE}\n")
    return path


REVEAL = '''
from typing import Any

import numpy as np
import numpy.typing as npt

import hopfield
from hopfield import experiments, noise, patterns

X = patterns.random(3, 50, seed=1)
net = hopfield.Network.from_patterns(X)
one = np.zeros(50, dtype=np.int64)             # shape (50,) in its type
images = np.zeros((4, 5, 10), dtype=np.int64)  # shape (4, 5, 10) in its type
two = np.zeros((5, 10), dtype=np.int64)         # one 5 x 10 image, or 5 flat cues?
reveal_type(net.recall(one))
reveal_type(net.recall([1.0] * 50))
reveal_type(net.recall(images))
reveal_type(net.recall(X))
reveal_type(net.recall(two))
reveal_type(net.recall_batch(X))
batch = net.recall_batch(X)
reveal_type(batch[0])
reveal_type(batch[np.int64(1)])
reveal_type(batch[1:])
reveal_type(batch[np.array([0, 2])])
reveal_type(batch[batch.converged])
reveal_type(hopfield.Memory(X).recall(one))
reveal_type(experiments.capacity(100, [0.1], 1, seed=1))
reveal_type(experiments.capacity(100, [0.1], 1, seed=1, json=True))
reveal_type(net.weight_rows(0, 10))
reveal_type(hopfield.resolve_seed(np.random.default_rng(1)))
'''

EXPECTED = [
    "hopfield.Recall",
    "hopfield.Recall",
    "hopfield.RecallBatch",
    "Any",
    "Any",
    "hopfield.RecallBatch",
    "hopfield.Recall",
    "hopfield.Recall",
    "hopfield.RecallBatch",
    "hopfield.RecallBatch",
    "hopfield.RecallBatch",
    "hopfield.Recall",
    "dict[str, Any]",
    "str",
    "numpy.ndarray[tuple[Any, ...], numpy.dtype[numpy.float64]]",
    "int",
]

# The code of the README and of a notebook that mypy refused while recall returned
# Union[Recall, RecallBatch]: every line uses one of the two.
CORRECT = '''
import numpy as np

import hopfield
from hopfield import noise, patterns

X = patterns.random(10, 400, seed=1)
net = hopfield.Network.from_patterns(X)
cue = noise.flip(X[3], 0.2, seed=2)
r = net.recall(cue, "async", seed=3, record=True)
print(r.outcome.upper(), r.pattern, r.steps + 1, r.energy_trace)
assert r.trajectory is not None and r.trajectory.shape[0] == r.steps + 1
cues = np.stack([noise.flip(X[k % 10], 0.3, seed=k) for k in range(100)])
b = net.recall(cues, "sweep", seed=4)
print(b.counts()["recalled"], len(b), b.state.shape, b[0].outcome, b[1:].index)
typed = net.recall_batch(cues, "sweep", seed=4)
print(typed.counts()["recalled"], typed[0].outcome.title(), typed[2:].index.sum())
first: hopfield.Recall = b[0]
recalled: hopfield.RecallBatch = b[b.converged]
m = hopfield.Memory(X, "dense", degree=3).recall(cue, "sweep", seed=7)
print(m.outcome.capitalize(), m.overlaps.max(), first.energy, len(recalled))
'''


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """mypy --strict over the two snippets, once."""
    folder = tmp_path_factory.mktemp("typing")
    (folder / "reveal.py").write_text(textwrap.dedent(REVEAL))
    (folder / "correct.py").write_text(textwrap.dedent(CORRECT))
    # hopfield.plot is plain Python: its own code passes --strict too (checked as a
    # module of its own, since mypy reports nothing inside installed packages).
    plot = (ROOT / "crates/hopfield-py/python/hopfield/plot.py").read_text()
    (folder / "plot_module.py").write_text(
        plot.replace("from . import Network, Recall", "from hopfield import Network, Recall")
    )
    return mypy("--strict", "reveal.py", "correct.py", "plot_module.py", cwd=folder)


def test_recall_overloads_give_recall_or_batch(checked):
    _, out = checked
    revealed = re.findall(r'reveal\.py:\d+: note: Revealed type is "(.*)"', out)
    assert [t.replace("builtins.", "") for t in revealed] == EXPECTED, out


def test_correct_code_and_the_plot_module_type_check_under_strict(checked):
    code, out = checked
    problems = [line for line in out.splitlines() if "error:" in line]
    assert problems == [], out
    assert code == 0, out
