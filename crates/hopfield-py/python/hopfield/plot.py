"""Figures of networks, recalls and experiments, one call each, drawn with matplotlib.

Needs matplotlib (``pip install "hopfield[plot]"``). Every function returns the
matplotlib :class:`~matplotlib.figure.Figure` it drew in, made with pyplot so that it
shows as the course page's figures do (in a notebook at the end of the cell, in a script
with ``plt.show()``). ``ax=`` draws into axes of your own instead: one ``Axes`` (a
figure of several panels then divides that axes' area among them) or a sequence of as
many ``Axes`` as the figure has panels.

- :func:`patterns`: a set of patterns as a grid of images.
- :func:`recall`: a recall: the target, the cue and the final state, with the outcome in
  the title (images, or the page's stem plots and error curve for flat states).
- :func:`trajectory`: the states over time as a raster, with the overlaps with each
  stored pattern below (as neurodynex3's ``plot_state_sequence_and_overlap``).
- :func:`energy`: the energy over time.
- :func:`weights`: the coupling matrix as an image with a colour bar.
- :func:`crosstalk`: the histogram of the crosstalk term with its Gaussian.
- :func:`capacity` and :func:`basins`: the curves of the sweeps with their theory.

States are drawn with ``+1`` black, ``−1`` white and ``0`` (unknown) grey, as the page's
``plt.imshow(S, cmap='gray_r')``; ``cmap=`` changes it (``"viridis"`` gives the page's
100 × 100 images). A flat state is drawn as the notebook views draw it: one row for up
to 16 neurons, else near-square rows (10 × 10 for 100 neurons, 25 × 40 for 1000).
"""

from __future__ import annotations

import math
from typing import Any, Mapping, Optional, Sequence, Tuple, Union

try:
    import matplotlib.pyplot as plt
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure, SubFigure
except ImportError:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        'hopfield.plot needs matplotlib: pip install "hopfield[plot]" '
        "(or pip install matplotlib)"
    )

import numpy as np
import numpy.typing as npt

from . import Network, Recall

__all__ = [
    "patterns",
    "recall",
    "trajectory",
    "energy",
    "weights",
    "crosstalk",
    "capacity",
    "basins",
]

#: What ``ax=`` takes: None (a new figure), one Axes, or one Axes per panel.
AxesArg = Union[None, Axes, Sequence[Axes]]

#: The critical load of Hebb's rule (Amit, Gutfreund & Sompolinsky).
ALPHA_C = 0.138


def _root(ax: Axes) -> Figure:
    """The figure an axes belongs to (through any subfigures)."""
    fig: Any = ax.figure
    while isinstance(fig, SubFigure):
        fig = fig.figure
    if not isinstance(fig, Figure):
        raise ValueError("ax is not placed in a matplotlib figure")
    return fig


def _panels(
    ax: AxesArg,
    count: int,
    *,
    ncols: int,
    size: Tuple[float, float],
    name: str,
) -> Tuple[Figure, list[Axes]]:
    """The figure and ``count`` axes to draw panels in, laid out ``ncols`` a row."""
    nrows = -(-count // ncols)
    if ax is None:
        fig = plt.figure(figsize=(size[0] * ncols, size[1] * nrows), layout="constrained")
        grid = fig.subplots(nrows, ncols, squeeze=False)
        axes: list[Axes] = list(grid.flat)
        for extra in axes[count:]:
            extra.remove()
        return fig, axes[:count]
    if isinstance(ax, Axes):
        fig = _root(ax)
        if count == 1:
            return fig, [ax]
        ax.set_axis_off()
        gap_x, gap_y = 0.1, 0.18
        w = (1 - gap_x * (ncols - 1)) / ncols
        h = (1 - gap_y * (nrows - 1)) / nrows
        inner = []
        for k in range(count):
            r, c = divmod(k, ncols)
            inner.append(ax.inset_axes((c * (w + gap_x), 1 - (r + 1) * h - r * gap_y, w, h)))
        return fig, inner
    axes = list(ax)
    if len(axes) != count or not all(isinstance(a, Axes) for a in axes):
        raise ValueError(
            f"ax must be one Axes or a sequence of {count} Axes for {name}, "
            f"got {len(axes)} items"
        )
    return _root(axes[0]), axes


def _grid_of(state: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
    """A state as a 2-D image: its own shape; a flat state of N neurons in one row when
    N ≤ 16, else in rows of the smallest divisor of N from ⌈√N⌉ to 2⌈√N⌉ (10 × 10 for
    100, 25 × 40 for 1000), else in rows of ⌈√N⌉ with the last row padded with NaN
    (blank), as the notebook views draw it."""
    s = np.asarray(state, dtype=np.float64)
    if s.ndim == 2:
        return s
    flat = s.reshape(-1)
    n = flat.size
    if n <= 16:
        return flat.reshape(1, n)
    root = math.isqrt(n - 1) + 1  # ⌈√N⌉
    cols = next((d for d in range(root, 2 * root + 1) if n % d == 0), root)
    rows = -(-n // cols)
    out = np.full(rows * cols, np.nan)
    out[: flat.size] = flat
    return out.reshape(rows, cols)


def _limits(values: npt.NDArray[Any]) -> Tuple[float, float]:
    """Colour limits for states: 0..1 for binary states, −1..1 otherwise."""
    finite = np.asarray(values, dtype=np.float64)
    finite = finite[np.isfinite(finite)]
    if finite.size and finite.min() >= 0:
        return 0.0, 1.0
    return -1.0, 1.0


def _image(ax: Axes, state: npt.NDArray[Any], title: Optional[str], cmap: str) -> None:
    img = _grid_of(state)
    lo, hi = _limits(img)
    ax.imshow(img, cmap=cmap, vmin=lo, vmax=hi, interpolation="nearest")
    ax.set_axis_off()
    if title:
        ax.set_title(title)


def patterns(
    X: npt.ArrayLike,
    *,
    shape: Optional[Tuple[int, int]] = None,
    titles: Optional[Sequence[str]] = None,
    ncols: Optional[int] = None,
    cmap: str = "gray_r",
    ax: AxesArg = None,
) -> Figure:
    """A set of patterns as a grid of images, one panel each.

    ``X`` is a set as the generators return it: (P, H, W) images, or (P, N) flat
    patterns (drawn in ``shape=(H, W)``, else in near-square rows). One image is
    ``X[None]``. ``titles`` names the panels (default ``pattern 0``, ``pattern 1``, …, no
    title for a single pattern); ``ncols`` sets the panels per row (default up to 8).
    """
    x = np.asarray(X)
    if x.ndim == 1:
        x = x[None]
    if x.ndim not in (2, 3) or x.shape[0] == 0:
        raise ValueError(
            f"X must be a set of patterns, (P, H, W) or (P, N), got shape {x.shape}; "
            "one image is X[None]"
        )
    if shape is not None:
        if int(np.prod(shape)) != int(np.prod(x.shape[1:])):
            raise ValueError(
                f"shape={tuple(shape)} does not hold patterns of {int(np.prod(x.shape[1:]))} "
                "neurons"
            )
        x = x.reshape(x.shape[0], *shape)
    count = x.shape[0]
    if titles is None:
        titles = [] if count == 1 else [f"pattern {k}" for k in range(count)]
    elif len(titles) != count:
        raise ValueError(f"titles has {len(titles)} names for {count} patterns")
    cols = ncols if ncols is not None else min(count, 8)
    if cols < 1:
        raise ValueError(f"ncols must be at least 1, got {cols}")
    fig, axes = _panels(ax, count, ncols=cols, size=(2.2, 2.4), name="the patterns")
    for k, a in enumerate(axes):
        _image(a, x[k], titles[k] if titles else None, cmap)
    return fig


def recall(
    result: Recall,
    target: Optional[npt.ArrayLike] = None,
    *,
    titles: Optional[Sequence[str]] = None,
    style: str = "auto",
    cmap: str = "gray_r",
    ax: AxesArg = None,
) -> Figure:
    """A recall: the target (when given), the cue and the final state, with the outcome
    and the steps in the title.

    ``style="images"`` draws the states as images, side by side, as the page's letters
    (titles "True input", "Noisy input", "Recalled"); ``style="stems"`` draws them as
    the page's stem plots, one above the other ("S original", the target, "S final" in
    red), with the error Σ|S − ξ| over time below when the recall recorded it
    (``record=True`` and ``target=``). ``"auto"`` takes images for 2-D states and stems
    for flat ones. ``titles`` renames the panels, in the order drawn.
    """
    if style == "auto":
        style = "images" if np.ndim(result.state) == 2 else "stems"
    if style not in ("images", "stems"):
        raise ValueError(f"style must be 'auto', 'images' or 'stems', got {style!r}")
    cue = np.asarray(result.cue)
    final = np.asarray(result.state)
    goal = None if target is None else np.asarray(target)
    if goal is not None and goal.size != final.size:
        raise ValueError(
            f"target has {goal.size} neurons, the recall's states have {final.size}"
        )
    heading = f"{result.description} after {result.steps} step{'s' if result.steps != 1 else ''}"
    if style == "images":
        panels: list[Tuple[str, npt.NDArray[Any]]] = []
        if goal is not None:
            panels.append(("True input", goal.reshape(final.shape)))
        panels += [("Noisy input", cue), ("Recalled", final)]
        names = _titles(titles, [p[0] for p in panels])
        fig, axes = _panels(ax, len(panels), ncols=len(panels), size=(2.6, 2.9),
                            name="this recall")
        for a, (_, state), name in zip(axes, panels, names):
            _image(a, state, name, cmap)
    else:
        rows: list[Tuple[str, npt.NDArray[Any], str]] = [("S original", cue.reshape(-1), "C0")]
        if goal is not None:
            rows.append(("target", goal.reshape(-1), "C0"))
        rows.append(("S final", final.reshape(-1), "r"))
        error = result.error_trace
        count = len(rows) + (1 if error is not None else 0)
        names = _titles(titles, [r[0] for r in rows] + (["error"] if error is not None else []))
        fig, axes = _panels(ax, count, ncols=1, size=(8.0, 2.2), name="this recall")
        for a, (_, y, colour), name in zip(axes, rows, names):
            a.stem(y, linefmt=f"{colour}-", markerfmt=f"{colour}o", basefmt="C7-")
            a.set_title(name)
            a.grid(True)
        if error is not None:
            a = axes[-1]
            a.plot(2 * np.asarray(error)[1:])
            a.axhline(0)
            a.set_title(names[-1])
            a.set_xlabel("Time (updates)" if result.steps > 1 else "Time")
            a.set_ylabel("Σ|S − ξ|")
    _heading(fig, axes, heading, ax)
    return fig


def _titles(given: Optional[Sequence[str]], default: list[str]) -> list[str]:
    if given is None:
        return default
    if len(given) != len(default):
        raise ValueError(f"titles has {len(given)} names for {len(default)} panels")
    return list(given)


def _heading(fig: Figure, axes: list[Axes], text: str, ax: AxesArg) -> None:
    """The figure's title: above the whole figure when it is ours, else above the
    panels drawn into."""
    if ax is None:
        fig.suptitle(text)
    elif isinstance(ax, Axes):
        ax.set_title(text, pad=24 if len(axes) > 1 else 6)
        ax.title.set_visible(True)
    else:
        axes[0].set_title(f"{text}\n{axes[0].get_title()}".rstrip())


def trajectory(
    result: Recall,
    *,
    cmap: str = "gray_r",
    ax: AxesArg = None,
) -> Figure:
    """The states of a recorded recall over time, as a raster (neurons × time, as the
    page's first figure), with the overlap with each stored pattern over time below it.

    Needs ``record=True`` in the recall. A network without stored patterns has the
    raster only.
    """
    states = result.trajectory
    overlaps = result.overlap_trace
    if states is None or overlaps is None:
        raise ValueError("the recall has no trajectory: recall with record=True")
    raster = np.asarray(states).reshape(len(states), -1).T
    has_overlaps = overlaps.shape[1] > 0
    fig, axes = _panels(ax, 2 if has_overlaps else 1, ncols=1, size=(9.0, 2.8),
                        name="a trajectory")
    lo, hi = _limits(raster)
    top = axes[0]
    top.imshow(raster, cmap=cmap, vmin=lo, vmax=hi, aspect="auto", interpolation="nearest")
    top.set_xlabel("Time")
    top.set_ylabel("Neuron Number")
    if has_overlaps:
        bottom = axes[1]
        steps = np.arange(len(overlaps))
        for mu in range(overlaps.shape[1]):
            bottom.plot(steps, overlaps[:, mu], label=f"pattern {mu}")
        bottom.set_ylim(-1.05, 1.05)
        bottom.set_xlim(top.get_xlim())
        bottom.set_xlabel("Time")
        bottom.set_ylabel("overlap m")
        bottom.grid(True)
        if overlaps.shape[1] <= 10:
            bottom.legend(loc="best", fontsize="small")
    _heading(fig, axes, f"{result.description} after {result.steps} steps", ax)
    return fig


def energy(result: Union[Recall, npt.ArrayLike], *, ax: Optional[Axes] = None) -> Figure:
    """The energy over time of a recall recorded with ``record=True`` (or of an array
    of energies)."""
    if isinstance(result, Recall):
        trace = result.energy_trace
        if trace is None:
            raise ValueError("the recall has no energy trace: recall with record=True")
        values = np.asarray(trace)
    else:
        values = np.asarray(result, dtype=np.float64).reshape(-1)
    fig, (a,) = _panels(ax, 1, ncols=1, size=(6.0, 3.5), name="an energy curve")
    a.plot(np.arange(len(values)), values, marker="." if len(values) <= 50 else None)
    a.set_xlabel("Time")
    a.set_ylabel("energy E")
    a.grid(True)
    return fig


def weights(
    net: Union[Network, npt.ArrayLike],
    *,
    cmap: str = "viridis",
    max_pixels: int = 1000,
    colorbar: bool = True,
    ax: Optional[Axes] = None,
) -> Figure:
    """The coupling matrix W as an image with a colour bar (the page's
    ``plt.imshow(Tij)``).

    A network of more than ``max_pixels`` neurons is drawn as the means of k × k blocks
    (k = ⌈N / max_pixels⌉), read a block of rows at a time with
    :meth:`Network.weight_rows`, so W is never formed whole.
    """
    if max_pixels < 1:
        raise ValueError(f"max_pixels must be at least 1, got {max_pixels}")
    title = None
    if isinstance(net, Network):
        n = net.n
        k = max(1, -(-n // max_pixels))
        if k == 1:
            matrix = np.asarray(net.weights)
        else:
            side = -(-n // k)
            matrix = np.zeros((side, side))
            for b, start in enumerate(range(0, n, k)):
                rows = net.weight_rows(start, min(start + k, n), dtype=np.float32)
                padded = np.zeros((rows.shape[0], side * k), dtype=np.float64)
                padded[:, :n] = rows
                matrix[b] = padded.reshape(rows.shape[0], side, k).sum(axis=(0, 2))
            counts = np.full(side, k, dtype=np.float64)
            counts[-1] = n - k * (side - 1)
            matrix /= np.outer(counts, counts)
            title = f"W, means of {k} × {k} blocks"
    else:
        matrix = np.asarray(net, dtype=np.float64)
        if matrix.ndim != 2:
            raise ValueError(f"weights must be a network or a 2-D matrix, got shape {matrix.shape}")
    fig, (a,) = _panels(ax, 1, ncols=1, size=(5.5, 4.5), name="weights")
    image = a.imshow(matrix, cmap=cmap, interpolation="nearest")
    if colorbar:
        fig.colorbar(image, ax=a)
    if title:
        a.set_title(title)
    return fig


def crosstalk(result: Mapping[str, Any], *, bins: Any = "auto", ax: Optional[Axes] = None) -> Figure:
    """The histogram of the crosstalk term (the page's "term in square brackets") from
    :func:`hopfield.experiments.crosstalk`, with the Gaussian theory predicts scaled to
    the counts, and the page's red dotted line at 0."""
    values = np.asarray(result["values"], dtype=np.float64)
    fig, (a,) = _panels(ax, 1, ncols=1, size=(6.0, 4.0), name="crosstalk")
    counts, edges, _ = a.hist(values, bins=bins, label="samples")
    width = float(np.mean(np.diff(edges))) if len(edges) > 1 else 1.0
    curve = np.asarray(result["curve_density"]) * len(values) * width
    mean, sd = result["predicted_mean"], result["predicted_sd"]
    a.plot(result["curve_x"], curve, "k--", label=f"theory N({mean:g}, {sd:.3g}²)")
    a.axvline(x=0, color="red", linestyle=":")
    a.set_xlabel("Term in square brackets")
    a.set_ylabel("count")
    a.legend(loc="upper left", fontsize="small")
    return fig


def _erfc(x: float) -> float:
    return math.erfc(x)


def capacity(result: Mapping[str, Any], *, ax: AxesArg = None) -> Figure:
    """The capacity sweep of :func:`hopfield.experiments.capacity`: the fraction of
    stored patterns that are fixed points, of noisy cues recalled exactly and the mean
    final overlap against the load α = P/N, with the theory (1 − ½ erfc(√(N/2P)))^N and
    the critical load α_c ≈ 0.138; and the fraction of neurons one step flips against
    ½ erfc(√(N/2P))."""
    alpha = np.asarray(result["alpha"], dtype=np.float64)
    n = int(result["n"])
    alpha_c = float(result.get("alpha_c", ALPHA_C))
    hi = max(float(alpha.max()), alpha_c) * 1.05
    lo = min(float(alpha.min()), alpha_c) * 0.5
    grid = np.linspace(lo, hi, 200)
    p = np.maximum(np.round(grid * n), 1)
    fixed = (1 - 0.5 * np.vectorize(_erfc)(np.sqrt(n / (2 * p)))) ** n
    flips = 0.5 * np.vectorize(_erfc)(np.sqrt(1 / (2 * grid)))
    fig, (left, right) = _panels(ax, 2, ncols=2, size=(5.5, 4.2), name="a capacity sweep")
    left.plot(alpha, result["fixed_point_fraction"], "o-", label="stored patterns that are fixed points")
    left.plot(grid, fixed, "k--", label="theory (1 − ½ erfc(√(N/2P)))^N")
    left.plot(alpha, result["recalled_fraction"], "s-", label="noisy cues recalled exactly")
    left.plot(alpha, result["mean_overlap"], "^-", label="mean final overlap")
    left.axvline(alpha_c, color="red", linestyle=":", label=f"α_c ≈ {alpha_c}")
    left.set_ylim(-0.02, 1.05)
    left.set_xlabel("load α = P/N")
    left.set_ylabel("fraction")
    left.set_title(f"N = {n}, {result.get('trials', '?')} trials")
    left.legend(loc="best", fontsize="small")
    right.plot(alpha, result["bit_error_rate"], "o-", label="measured")
    right.plot(grid, flips, "k--", label="theory ½ erfc(√(N/2P))")
    right.axvline(alpha_c, color="red", linestyle=":")
    right.set_xlabel("load α = P/N")
    right.set_ylabel("error per neuron")
    right.set_title("Neurons of stored patterns that one step flips")
    right.legend(loc="best", fontsize="small")
    for a in (left, right):
        a.grid(True)
    return fig


def basins(result: Mapping[str, Any], *, ax: AxesArg = None) -> Figure:
    """The basins sweep of :func:`hopfield.experiments.basins`: for each load, the
    probability of exact recall (with its standard error) and the mean final overlap
    against the noise of the cue, with the overlap theory predicts after one synchronous
    step, m₁ = erf((1 − 2f)/√(2α))."""
    noise = np.asarray(result["noise"], dtype=np.float64)
    prob = np.asarray(result["recall_probability"], dtype=np.float64)
    se = np.asarray(result["recall_se"], dtype=np.float64)
    overlap = np.asarray(result["mean_overlap"], dtype=np.float64)
    fig, (left, right) = _panels(ax, 2, ncols=2, size=(5.5, 4.2), name="a basins sweep")
    f = np.linspace(float(noise.min()), float(noise.max()), 200)
    for k, (a, p) in enumerate(zip(result["alpha"], result["p"])):
        colour = f"C{k % 10}"
        label = f"α = {float(a):.3f} (P = {int(p)})"
        left.errorbar(noise, prob[k], yerr=se[k], fmt="o-", color=colour, capsize=2, label=label)
        right.plot(noise, overlap[k], "o-", color=colour, label=label)
        one_step = np.array([math.erf((1 - 2 * x) / math.sqrt(2 * float(a))) for x in f])
        right.plot(f, one_step, "--", color=colour, linewidth=1)
    right.plot([], [], "k--", linewidth=1, label="one step, theory erf((1 − 2f)/√(2α))")
    left.set_ylim(-0.02, 1.05)
    right.set_ylim(-0.05, 1.05)
    left.set_ylabel("probability of exact recall")
    right.set_ylabel("mean final overlap")
    left.set_title(f"N = {result.get('n', '?')}, {result.get('trials', '?')} trials")
    for a in (left, right):
        a.set_xlabel("initial noise (fraction of neurons flipped)")
        a.grid(True)
        a.legend(loc="best", fontsize="small")
    return fig
