"""Type stubs of hopfield.experiments."""

import os
from typing import Any, Callable, Literal, Optional, Sequence, Tuple, Union, overload

import numpy as np
import numpy.typing as npt

from . import Rng

__all__ = ["crosstalk", "capacity", "basins", "attractors", "merge", "run_on", "SWEEPS"]

_Seed = Union[None, int, np.integer[Any], np.random.Generator, np.random.SeedSequence, Rng]
_Values = Union[float, Sequence[float], npt.NDArray[Any]]
# shard=(k, n) or "k/n": slice k of n of a sweep.
_Shard = Union[None, Tuple[int, int], str]
_Part = Union[dict[str, Any], str, "os.PathLike[str]"]

SWEEPS: dict[str, Callable[..., Any]]

def crosstalk(
    n: int = 100, overlap: int = 0, samples: int = 1000, *, seed: _Seed = None
) -> dict[str, Any]:
    """Samples the crosstalk term Σ ξ_i S_i; a dict of arrays and numbers."""

@overload
def capacity(
    n: int = 1000,
    alpha: Optional[_Values] = None,
    trials: int = 5,
    *,
    rule: str = "hebb",
    noise: float = 0.1,
    dynamics: str = "sync",
    max_steps: Optional[int] = None,
    seed: _Seed = None,
    shard: _Shard = None,
    json: Literal[False] = False,
) -> dict[str, Any]: ...
@overload
def capacity(
    n: int = 1000,
    alpha: Optional[_Values] = None,
    trials: int = 5,
    *,
    rule: str = "hebb",
    noise: float = 0.1,
    dynamics: str = "sync",
    max_steps: Optional[int] = None,
    seed: _Seed = None,
    shard: _Shard = None,
    json: Literal[True],
) -> str:
    """Fixed points, recalls and overlaps per load P/N, with the theory; a dict of arrays
    (a partial result with ``shard``; JSON text with ``json=True``)."""

@overload
def basins(
    n: int = 1000,
    alpha: Optional[_Values] = None,
    noise: Optional[_Values] = None,
    trials: int = 5,
    *,
    cues: int = 20,
    rule: str = "hebb",
    dynamics: str = "sync",
    max_steps: Optional[int] = None,
    seed: _Seed = None,
    shard: _Shard = None,
    json: Literal[False] = False,
) -> dict[str, Any]: ...
@overload
def basins(
    n: int = 1000,
    alpha: Optional[_Values] = None,
    noise: Optional[_Values] = None,
    trials: int = 5,
    *,
    cues: int = 20,
    rule: str = "hebb",
    dynamics: str = "sync",
    max_steps: Optional[int] = None,
    seed: _Seed = None,
    shard: _Shard = None,
    json: Literal[True],
) -> str:
    """Recall probability and final overlap per load and noise level; a dict of arrays
    (a partial result with ``shard``; JSON text with ``json=True``)."""

@overload
def attractors(
    n: int = 500,
    p: int = 5,
    starts: int = 1000,
    *,
    rule: str = "hebb",
    dynamics: str = "sweep",
    max_steps: Optional[int] = None,
    seed: _Seed = None,
    shard: _Shard = None,
    json: Literal[False] = False,
) -> dict[str, Any]: ...
@overload
def attractors(
    n: int = 500,
    p: int = 5,
    starts: int = 1000,
    *,
    rule: str = "hebb",
    dynamics: str = "sweep",
    max_steps: Optional[int] = None,
    seed: _Seed = None,
    shard: _Shard = None,
    json: Literal[True],
) -> str:
    """Where runs from random states end, counted per class; a dict (a partial result
    with ``shard``; JSON text with ``json=True``)."""

@overload
def merge(parts: Sequence[_Part], *, json: Literal[False] = False) -> dict[str, Any]: ...
@overload
def merge(parts: Sequence[_Part], *, json: Literal[True]) -> str:
    """Joins the partial results of a sweep's shards into the result of one run."""

@overload
def run_on(
    client: Any, experiment: str, *, shards: int, json: Literal[False] = False, **config: Any
) -> dict[str, Any]: ...
@overload
def run_on(
    client: Any, experiment: str, *, shards: int, json: Literal[True], **config: Any
) -> str:
    """Runs a sweep in shards on a dask.distributed client and merges them."""
