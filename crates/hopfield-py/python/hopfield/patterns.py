"""Pattern generators: random patterns, shapes, letters, text and the course page's drawings.

Every generator returns a new numpy array of ±1 (``+1`` = on, drawn dark) holding a set
of patterns: (P, H, W) for drawings, so one drawing is (1, H, W) and ``X[0]`` is the
image; (P, N) for flat patterns (random patterns without a 2-D size, the page's
five-neuron ``csi``). The dtype is numpy's default integer, int64, so sums such as
``X[0] @ X[0]`` or ``X @ X.T`` are exact; ``dtype=np.int8`` (or any signed integer or
float dtype) gives a compact copy. For 0/1 values use ``(X + 1) // 2``.
"""

from . import _hopfield

_native = _hopfield.patterns

random = _native.random
checkerboard = _native.checkerboard
x = _native.x
star = _native.star
l = _native.l  # noqa: E741 - the letter L, as on the command line
rows = _native.rows
columns = _native.columns
letter = _native.letter
text = _native.text
page = _native.page
generate = _native.generate
KINDS = tuple(_native.KINDS)

__all__ = [
    "random",
    "checkerboard",
    "x",
    "star",
    "l",
    "rows",
    "columns",
    "letter",
    "text",
    "page",
    "generate",
    "KINDS",
]
