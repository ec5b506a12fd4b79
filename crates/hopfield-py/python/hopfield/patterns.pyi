"""Type stubs of hopfield.patterns."""

from typing import Optional, Tuple, Union

import numpy as np
import numpy.typing as npt

from . import Rng

__all__ = ["random", "checkerboard", "x", "star", "l", "rows", "columns", "letter", "text", "page", "generate", "KINDS"]

_Size = Union[int, Tuple[int, int], str]
_Seed = Union[None, int, Rng]
_Int8Array = npt.NDArray[np.int8]

KINDS: Tuple[str, ...]

def random(
    count: int, n: _Size, *, p_on: float = 0.5, seed: _Seed = None
) -> _Int8Array:
    """count random patterns: (count, N) for an integer n, (count, H, W) for a size."""

def checkerboard(size: Optional[_Size] = None) -> _Int8Array:
    """Cell (i, j) on when i + j is odd; default 5 × 5."""

def x(size: Optional[_Size] = None) -> _Int8Array:
    """Both diagonals; default 5 × 5."""

def star(size: Optional[_Size] = None) -> _Int8Array:
    """Centre row, centre column and both diagonals; default 100 × 100."""

def l(size: Optional[_Size] = None) -> _Int8Array:
    """The letter L; default 10 × 10."""

def rows(size: Optional[_Size] = None, width: int = 1) -> _Int8Array:
    """Horizontal stripes; default 10 × 10."""

def columns(size: Optional[_Size] = None, width: int = 1) -> _Int8Array:
    """Vertical stripes; default 10 × 10."""

def letter(chars: str, size: Optional[_Size] = None) -> _Int8Array:
    """Block-font letters: (H, W) for one character, (len, H, W) for several."""

def text(text: str, size: Optional[_Size] = None) -> _Int8Array:
    """A text in the block font, scaled to fit size (default 7 × (6·len − 1))."""

def page(name: str) -> _Int8Array:
    """The course page's drawings: a, checkerboard, x, letters, bu, bc, star, images, five."""

def generate(
    kind: str,
    size: Optional[_Size] = None,
    count: int = 1,
    *,
    p_on: float = 0.5,
    width: int = 1,
    seed: _Seed = None,
) -> _Int8Array:
    """count patterns of a generator named as on the command line; (count, H, W)."""
