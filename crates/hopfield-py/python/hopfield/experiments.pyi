"""Type stubs of hopfield.experiments."""

from typing import Any, Optional, Sequence, Union

import numpy.typing as npt

from . import Rng

__all__ = ["crosstalk", "capacity", "basins", "attractors"]

_Seed = Union[None, int, Rng]
_Values = Union[float, Sequence[float], npt.NDArray[Any]]

def crosstalk(
    n: int = 100, overlap: int = 0, samples: int = 1000, *, seed: _Seed = None
) -> dict[str, Any]:
    """Samples the crosstalk term Σ ξ_i S_i; a dict of arrays and numbers."""

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
) -> dict[str, Any]:
    """Fixed points, recalls and overlaps per load P/N, with the theory; a dict of arrays."""

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
) -> dict[str, Any]:
    """Recall probability and final overlap per load and noise level; a dict of arrays."""

def attractors(
    n: int = 500,
    p: int = 5,
    starts: int = 1000,
    *,
    rule: str = "hebb",
    dynamics: str = "sweep",
    max_steps: Optional[int] = None,
    seed: _Seed = None,
) -> dict[str, Any]:
    """Where runs from random states end, counted per class; a dict."""
