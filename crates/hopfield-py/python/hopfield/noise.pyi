"""Type stubs of hopfield.noise."""

from typing import Optional, Tuple, Union

import numpy as np
import numpy.typing as npt

from . import Rng

__all__ = ["flip", "flip_each", "add_noise", "mask", "mix", "REGIONS"]

_Size = Union[int, Tuple[int, int], str]
_Seed = Union[None, int, Rng]
_Int8Array = npt.NDArray[np.int8]

REGIONS: str

def flip(
    x: npt.ArrayLike,
    fraction: Optional[float] = None,
    *,
    count: Optional[int] = None,
    seed: _Seed = None,
    encoding: str = "auto",
) -> _Int8Array:
    """Flips exactly ⌊fraction · N⌋ (or count) distinct neurons."""

def flip_each(
    x: npt.ArrayLike, p: float, *, seed: _Seed = None, encoding: str = "auto"
) -> _Int8Array:
    """Flips each neuron independently with probability p."""

def add_noise(x: npt.ArrayLike, *, seed: _Seed = None) -> _Int8Array:
    """The page's additive noise: every value plus a random ±1."""

def mask(
    x: npt.ArrayLike, region: str = "second-half", *, shape: Optional[_Size] = None
) -> _Int8Array:
    """Sets a region to 0 (unknown)."""

def mix(
    a: npt.ArrayLike, b: npt.ArrayLike, fraction: float = 0.75, *, encoding: str = "auto"
) -> _Int8Array:
    """The first ⌊fraction · N⌋ neurons from a, the rest from b."""
