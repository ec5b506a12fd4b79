"""Experiments whose results theory predicts, returned as dicts of numpy arrays and numbers
ready for matplotlib (and for :mod:`hopfield.plot`).

- :func:`crosstalk`: the course page's histograms of the term in square brackets.
- :func:`capacity`: fixed points, recalls and final overlaps against the load P/N, with
  the signal-to-noise predictions and the critical load 0.138.
- :func:`basins`: recall probability and final overlap against the noise of the cue.
- :func:`attractors`: where the dynamics end from random states.

The sweeps run in parallel; their results depend on the seed only.

**Sweeps on a cluster.** A sweep is a list of independent work units. ``shard=(k, n)``
runs slice k of n of them (as the command line's ``--shard k/n``) and returns a partial
result; :func:`merge` joins the n partial results into exactly the result of one run,
bit for bit. :func:`run_on` does both on a ``dask.distributed`` client::

    from dask.distributed import Client
    client = Client("scheduler-address:8786")        # or Client(LocalCluster(...))
    c = experiments.run_on(client, "capacity", shards=32,
                           n=2000, alpha=np.arange(0.01, 0.21, 0.01), trials=50, seed=7)

Partial results are the command line's shard files as dicts: ``json.dump`` one into
``capacity.shard-2-of-8.json`` and ``hopfield merge`` reads it, and :func:`merge` reads
the files that ``hopfield capacity --shard 2/8 --out DIR`` writes (a Slurm job array,
see the README).
"""

from __future__ import annotations

from typing import Any, Union

from . import _hopfield

_native = _hopfield.experiments

crosstalk = _native.crosstalk
capacity = _native.capacity
basins = _native.basins
attractors = _native.attractors
merge = _native.merge

#: The sweeps that run in shards, by name.
SWEEPS = {"capacity": capacity, "basins": basins, "attractors": attractors}


def run_on(
    client: Any,
    experiment: str,
    *,
    shards: int,
    json: bool = False,
    **config: Any,
) -> Union[dict[str, Any], str]:
    """Runs the sweep ``experiment`` in ``shards`` pieces on a ``dask.distributed``
    client and merges them: the result equals that of one local run exactly.

    ``experiment`` is ``"capacity"``, ``"basins"`` or ``"attractors"``; ``config`` are
    the keyword arguments of that function (``n=``, ``alpha=``, ``trials=``, …).
    ``seed`` is resolved once here (:func:`hopfield.resolve_seed`), so a ``None`` seed,
    a ``numpy.random.Generator`` or a :class:`hopfield.Rng` gives every shard the same
    integer seed, recorded in the result. Each shard runs as one task, on all the
    threads of its worker; a failed task raises its error here. ``json=True`` returns
    the JSON text of the command line's ``--json`` instead of a dict.

    Needs ``dask.distributed`` only for the client itself (``pip install
    "hopfield[dask]"``).
    """
    run = SWEEPS.get(experiment)
    if run is None:
        raise ValueError(
            f"experiment must be one of {', '.join(SWEEPS)}, got {experiment!r}"
        )
    if isinstance(shards, bool) or not isinstance(shards, int) or shards < 1:
        raise ValueError(f"shards must be a positive integer, got {shards!r}")
    for key in ("shard", "json"):
        if key in config:
            raise TypeError(f"run_on sets {key}= itself; leave it out of the configuration")
    config["seed"] = _hopfield.resolve_seed(config.get("seed"))
    futures = [
        client.submit(run, **config, shard=(k, shards)) for k in range(1, shards + 1)
    ]
    parts = client.gather(futures)
    return merge(parts, json=json)


__all__ = ["crosstalk", "capacity", "basins", "attractors", "merge", "run_on", "SWEEPS"]
