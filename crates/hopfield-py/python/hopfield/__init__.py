"""Hopfield networks and associative memory, with a Rust engine and numpy arrays in and out.

Store patterns in couplings with a learning rule, corrupt one into a cue with
:mod:`hopfield.noise`, and let the dynamics recall it::

    import hopfield
    from hopfield import patterns, noise

    X = patterns.random(5, 200, seed=7)               # (5, 200) int64, values ±1
    net = hopfield.Network.from_patterns(X)           # Hebb's rule, W = X.T X / N
    cue = noise.flip(X[0], 0.2, seed=7)               # flip 20 % of the neurons
    r = net.recall(cue, dynamics="sweep", seed=7)
    r.outcome, r.steps, r.overlaps                    # ('recalled', 2, array([1., 0.02, ...]))

States are bipolar ±1 (``+1`` = on) unless a network has binary neurons. A seed
reproduces a result on any machine and with any number of threads, and gives the same
result as the ``hopfield`` command line with the same ``--seed``. Bad input raises
``ValueError`` or ``TypeError`` naming the item and the neuron; long computations release
the GIL.

Nothing is read in a way you did not mean:

- **Sets of patterns.** Every generator returns a set: (P, H, W) for drawings (one image
  is (1, H, W)), (P, N) for flat patterns; ``X[k]`` is pattern k. Functions taking
  patterns read a 2-D array as P flat patterns only when it has fewer rows than columns
  (or one row); a square or taller 2-D array may be one image and is refused, with the
  two fixes: ``X[None]`` for one image, ``shape=(N,)`` for P flat patterns.
- **Arithmetic.** Patterns, states and trajectories come back in numpy's default integer
  (int64), so ``X[0] @ X[0] == N``, ``X @ X.T`` and energies by hand are exact for any
  N; ``dtype=np.int8`` gives a compact copy (one byte a neuron) where you ask for it.
- **Cues.** A cue is read in the network's own encoding: for ±1 neurons, 0 is unknown
  (as :func:`hopfield.noise.mask` leaves it), never turned into −1. 0/1 data is
  converted with S = 2V − 1 when ``encoding="binary"`` says so (or the array is bool); a
  cue of only 0 and 1 given to a network stored from 0/1 data, or to a noise function
  or :func:`save`, is refused with a message naming ``encoding=``. Stored patterns have
  no unknowns, so 0/1 patterns are converted under ``encoding="auto"``.

Beyond Hebb: ``rule="storkey" | "pseudo-inverse" | "perceptron" | "covariance"``,
``Network.diluted``, ``temperature=`` for Glauber dynamics, and :class:`Memory` for the
dense (``model="dense"``), exponential and modern (continuous) Hopfield networks.

In a notebook: networks, recalls and batches show themselves (``_repr_html_``), pickle
(so ``copy.deepcopy``, joblib and multiprocessing work) and compare equal to their
copies; a batch indexes as a numpy array of its results (``batch[10:20]``,
``batch[batch.converged]``). Seeds are an integer, a ``numpy.random.Generator`` or
``SeedSequence``, or a :class:`Rng`; :func:`resolve_seed` gives the integer each stands
for (numpy's global ``np.random.seed`` has no effect).

Modules: :mod:`hopfield.patterns` (generators), :mod:`hopfield.noise` (corruption),
:mod:`hopfield.experiments` (experiments with predicted results, in shards on a cluster),
:mod:`hopfield.plot` (figures; needs matplotlib, ``pip install "hopfield[plot]"``, and is
imported on its own: ``from hopfield import plot``). Files: :func:`load` and :func:`save`
read and write ``.npy``, ``.png`` and ``.txt`` patterns as the command line does.
"""

from ._hopfield import (
    Memory,
    Network,
    Recall,
    RecallBatch,
    Rng,
    __version__,
    load,
    resolve_seed,
    save,
    simd_level,
)
from . import experiments, noise, patterns

__all__ = [
    "Memory",
    "Network",
    "Recall",
    "RecallBatch",
    "Rng",
    "load",
    "save",
    "resolve_seed",
    "patterns",
    "noise",
    "experiments",
    "__version__",
    "simd_level",
]
