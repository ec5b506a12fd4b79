"""Experiments whose results theory predicts, returned as dicts of numpy arrays and numbers
ready for matplotlib.

- :func:`crosstalk`: the course page's histograms of the term in square brackets.
- :func:`capacity`: fixed points, recalls and final overlaps against the load P/N, with
  the signal-to-noise predictions and the critical load 0.138.
- :func:`basins`: recall probability and final overlap against the noise of the cue.
- :func:`attractors`: where the dynamics end from random states.

The sweeps run in parallel; their results depend on the seed only.
"""

from . import _hopfield

_native = _hopfield.experiments

crosstalk = _native.crosstalk
capacity = _native.capacity
basins = _native.basins
attractors = _native.attractors

__all__ = ["crosstalk", "capacity", "basins", "attractors"]
