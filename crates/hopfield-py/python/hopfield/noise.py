"""Corrupting patterns into cues: flips, the course page's additive noise, masks, mixtures.

Each function takes one state of any shape (treated as flat) and returns a new array of
the same shape, in numpy's default integer (int64) unless ``dtype=`` asks for another
(e.g. ``np.int8``). Random functions take ``seed=``: None, an integer, or a
:class:`hopfield.Rng` to chain several calls on one stream as the command line does.

States are ±1 with 0 for unknown. :func:`flip`, :func:`flip_each` and :func:`mix`
convert 0/1 data with S = 2V − 1 when ``encoding="binary"`` says so (or the array is
bool); under ``encoding="auto"`` a state of only 0 and 1 is refused, since its 0s could
be off neurons or unknown ones. :func:`mask` and :func:`add_noise` keep the values as
they are.
"""

from . import _hopfield

_native = _hopfield.noise

flip = _native.flip
flip_each = _native.flip_each
add_noise = _native.add_noise
mask = _native.mask
mix = _native.mix
REGIONS = _native.REGIONS

__all__ = ["flip", "flip_each", "add_noise", "mask", "mix", "REGIONS"]
