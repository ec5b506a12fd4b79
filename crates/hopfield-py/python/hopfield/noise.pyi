"""Type stubs of hopfield.noise."""

from typing import Any, Literal, Optional, Tuple, Union, overload

import numpy as np
import numpy.typing as npt

from . import Rng

__all__ = ["flip", "flip_each", "add_noise", "mask", "mix", "REGIONS"]

_Size = Union[int, Tuple[int, int], str]
_Seed = Union[None, int, np.integer[Any], np.random.Generator, np.random.SeedSequence, Rng]
_Encoding = Literal["auto", "bipolar", "binary"]
_Int64Array = npt.NDArray[np.int64]
_AnyArray = npt.NDArray[Any]

REGIONS: str

@overload
def flip(
    x: npt.ArrayLike,
    fraction: Optional[float] = None,
    *,
    count: Optional[int] = None,
    seed: _Seed = None,
    encoding: _Encoding = "auto",
    dtype: None = None,
) -> _Int64Array: ...
@overload
def flip(
    x: npt.ArrayLike,
    fraction: Optional[float] = None,
    *,
    count: Optional[int] = None,
    seed: _Seed = None,
    encoding: _Encoding = "auto",
    dtype: npt.DTypeLike,
) -> _AnyArray:
    """Flips exactly ⌊fraction · N⌋ (or count) distinct neurons."""

@overload
def flip_each(
    x: npt.ArrayLike,
    p: float,
    *,
    seed: _Seed = None,
    encoding: _Encoding = "auto",
    dtype: None = None,
) -> _Int64Array: ...
@overload
def flip_each(
    x: npt.ArrayLike,
    p: float,
    *,
    seed: _Seed = None,
    encoding: _Encoding = "auto",
    dtype: npt.DTypeLike,
) -> _AnyArray:
    """Flips each neuron independently with probability p."""

@overload
def add_noise(x: npt.ArrayLike, *, seed: _Seed = None, dtype: None = None) -> _Int64Array: ...
@overload
def add_noise(x: npt.ArrayLike, *, seed: _Seed = None, dtype: npt.DTypeLike) -> _AnyArray:
    """The page's additive noise: every value plus a random ±1."""

@overload
def mask(
    x: npt.ArrayLike,
    region: str = "second-half",
    *,
    shape: Optional[_Size] = None,
    dtype: None = None,
) -> _Int64Array: ...
@overload
def mask(
    x: npt.ArrayLike,
    region: str = "second-half",
    *,
    shape: Optional[_Size] = None,
    dtype: npt.DTypeLike,
) -> _AnyArray:
    """Sets a region to 0 (unknown)."""

@overload
def mix(
    a: npt.ArrayLike,
    b: npt.ArrayLike,
    fraction: float = 0.75,
    *,
    encoding: _Encoding = "auto",
    dtype: None = None,
) -> _Int64Array: ...
@overload
def mix(
    a: npt.ArrayLike,
    b: npt.ArrayLike,
    fraction: float = 0.75,
    *,
    encoding: _Encoding = "auto",
    dtype: npt.DTypeLike,
) -> _AnyArray:
    """The first ⌊fraction · N⌋ neurons from a, the rest from b."""
