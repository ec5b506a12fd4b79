"""Experiments whose results theory predicts, returned as dicts of numpy arrays and numbers
ready for matplotlib.

Today: :func:`crosstalk` (the course page's histograms of the term in square brackets).
The capacity and basin sweeps will appear here when the engine has them.
"""

from . import _hopfield

_native = _hopfield.experiments

crosstalk = _native.crosstalk

__all__ = ["crosstalk"]
