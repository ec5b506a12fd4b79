"""Type stubs of hopfield.patterns."""

from typing import Any, Optional, Tuple, Union, overload

import numpy as np
import numpy.typing as npt

from . import Rng

__all__ = ["random", "checkerboard", "x", "star", "l", "rows", "columns", "letter", "text", "page", "generate", "KINDS"]

_Size = Union[int, Tuple[int, int], str]
_Seed = Union[None, int, np.integer[Any], np.random.Generator, np.random.SeedSequence, Rng]
_Int64Array = npt.NDArray[np.int64]
_AnyArray = npt.NDArray[Any]

KINDS: Tuple[str, ...]

@overload
def random(
    count: int, n: _Size, *, p_on: float = 0.5, seed: _Seed = None, dtype: None = None
) -> _Int64Array: ...
@overload
def random(
    count: int, n: _Size, *, p_on: float = 0.5, seed: _Seed = None, dtype: npt.DTypeLike
) -> _AnyArray:
    """count random patterns: (count, N) for an integer n, (count, H, W) for a size."""

@overload
def checkerboard(size: Optional[_Size] = None, *, dtype: None = None) -> _Int64Array: ...
@overload
def checkerboard(size: Optional[_Size] = None, *, dtype: npt.DTypeLike) -> _AnyArray:
    """Cell (i, j) on when i + j is odd; (1, H, W), default 5 × 5."""

@overload
def x(size: Optional[_Size] = None, *, dtype: None = None) -> _Int64Array: ...
@overload
def x(size: Optional[_Size] = None, *, dtype: npt.DTypeLike) -> _AnyArray:
    """Both diagonals; (1, H, W), default 5 × 5."""

@overload
def star(size: Optional[_Size] = None, *, dtype: None = None) -> _Int64Array: ...
@overload
def star(size: Optional[_Size] = None, *, dtype: npt.DTypeLike) -> _AnyArray:
    """Centre row, centre column and both diagonals; (1, H, W), default 100 × 100."""

@overload
def l(size: Optional[_Size] = None, *, dtype: None = None) -> _Int64Array: ...
@overload
def l(size: Optional[_Size] = None, *, dtype: npt.DTypeLike) -> _AnyArray:
    """The letter L; (1, H, W), default 10 × 10."""

@overload
def rows(size: Optional[_Size] = None, width: int = 1, *, dtype: None = None) -> _Int64Array: ...
@overload
def rows(size: Optional[_Size] = None, width: int = 1, *, dtype: npt.DTypeLike) -> _AnyArray:
    """Horizontal stripes; (1, H, W), default 10 × 10."""

@overload
def columns(size: Optional[_Size] = None, width: int = 1, *, dtype: None = None) -> _Int64Array: ...
@overload
def columns(size: Optional[_Size] = None, width: int = 1, *, dtype: npt.DTypeLike) -> _AnyArray:
    """Vertical stripes; (1, H, W), default 10 × 10."""

@overload
def letter(chars: str, size: Optional[_Size] = None, *, dtype: None = None) -> _Int64Array: ...
@overload
def letter(chars: str, size: Optional[_Size] = None, *, dtype: npt.DTypeLike) -> _AnyArray:
    """Block-font letters, one pattern per character: (len(chars), H, W)."""

@overload
def text(text: str, size: Optional[_Size] = None, *, dtype: None = None) -> _Int64Array: ...
@overload
def text(text: str, size: Optional[_Size] = None, *, dtype: npt.DTypeLike) -> _AnyArray:
    """A text in the block font, scaled to fit size (default 7 × (6·len − 1)); (1, H, W)."""

@overload
def page(name: str, *, dtype: None = None) -> _Int64Array: ...
@overload
def page(name: str, *, dtype: npt.DTypeLike) -> _AnyArray:
    """The course page's drawings as sets: a, checkerboard, x, letters, bu, bc, star,
    images, five."""

@overload
def generate(
    kind: str,
    size: Optional[_Size] = None,
    count: int = 1,
    *,
    p_on: float = 0.5,
    width: int = 1,
    seed: _Seed = None,
    dtype: None = None,
) -> _Int64Array: ...
@overload
def generate(
    kind: str,
    size: Optional[_Size] = None,
    count: int = 1,
    *,
    p_on: float = 0.5,
    width: int = 1,
    seed: _Seed = None,
    dtype: npt.DTypeLike,
) -> _AnyArray:
    """count patterns of a generator named as on the command line; (count, H, W)."""
