"""Type stubs of hopfield.experiments."""

from typing import Any, Union

from . import Rng

__all__ = ["crosstalk"]

_Seed = Union[None, int, Rng]

def crosstalk(
    n: int = 100, overlap: int = 0, samples: int = 1000, *, seed: _Seed = None
) -> dict[str, Any]:
    """Samples the crosstalk term Σ ξ_i S_i; a dict of arrays and numbers."""
