"""hopfield.plot: each function returns a Figure holding the artists it promises, in a
figure of its own or in axes given with ax=."""

import subprocess
import sys

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.container import ErrorbarContainer, StemContainer  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.image import AxesImage  # noqa: E402

import hopfield  # noqa: E402
from hopfield import experiments, noise, patterns, plot  # noqa: E402

LETTERS = patterns.page("letters")
NET = hopfield.Network.from_patterns(LETTERS, normalization="none")
CUE = noise.flip(LETTERS[1], 0.2, seed=7)
RUN = NET.recall(CUE, max_steps=10, record=True)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def images_of(fig):
    return [im for ax in fig.axes for im in ax.get_images()]


def test_patterns_draw_one_image_per_pattern_in_a_grid():
    fig = plot.patterns(LETTERS)
    assert isinstance(fig, Figure)
    ims = images_of(fig)
    assert len(ims) == 3 and len(fig.axes) == 3
    assert np.array_equal(ims[1].get_array(), LETTERS[1])
    assert ims[1].get_cmap().name == "gray_r" and ims[1].get_clim() == (-1.0, 1.0)
    assert [ax.get_title() for ax in fig.axes] == ["pattern 0", "pattern 1", "pattern 2"]
    flat = plot.patterns(patterns.random(5, 100, seed=1), ncols=2, titles=list("abcde"))
    assert len(images_of(flat)) == 5 and images_of(flat)[0].get_array().shape == (10, 10)
    assert len(flat.axes) == 5  # the sixth cell of the 3 x 2 grid is removed
    shaped = plot.patterns(patterns.random(2, 12, seed=1), shape=(3, 4))
    assert images_of(shaped)[0].get_array().shape == (3, 4)


def test_recall_of_images_draws_target_cue_and_final_state_with_the_outcome():
    fig = plot.recall(RUN, LETTERS[1])
    ims = images_of(fig)
    assert [ax.get_title() for ax in fig.axes] == ["True input", "Noisy input", "Recalled"]
    assert np.array_equal(ims[0].get_array(), LETTERS[1])
    assert np.array_equal(ims[1].get_array(), CUE)
    assert np.array_equal(ims[2].get_array(), RUN.state)
    assert fig.get_suptitle() == f"{RUN.description} after {RUN.steps} step{'s' if RUN.steps != 1 else ''}"
    assert "recalled pattern 1" in fig.get_suptitle()
    without = plot.recall(RUN)
    assert len(images_of(without)) == 2


def test_recall_of_flat_states_draws_the_page_stems_and_the_error():
    xi = patterns.random(1, 100, seed=3)[0]
    net = hopfield.Network.from_patterns(xi, normalization="none")
    S = noise.mix(xi, patterns.random(1, 100, seed=4)[0], 0.75)
    run = net.recall(S, "async", tie="minus", max_steps=1000, stop_at_fixed_point=False,
                     record=True, target=xi, seed=5)
    fig = plot.recall(run, xi, titles=["S original", "xi1", "S final", "error"])
    assert [ax.get_title() for ax in fig.axes] == ["S original", "xi1", "S final", "error"]
    stems = [c for ax in fig.axes for c in ax.containers if isinstance(c, StemContainer)]
    assert len(stems) == 3
    assert np.array_equal(stems[0].markerline.get_ydata(), S)
    assert np.array_equal(stems[2].markerline.get_ydata(), run.state)
    error = fig.axes[3].get_lines()[0].get_ydata()
    assert np.array_equal(error, 2 * run.error_trace[1:]) and error[-1] == 0
    assert "recalled pattern 0" in fig.get_suptitle()


def test_trajectory_draws_the_raster_and_the_overlaps():
    X = patterns.random(3, 60, seed=2)
    net = hopfield.Network.from_patterns(X)
    run = net.recall(noise.flip(X[0], 0.3, seed=1), "async", seed=2, record=True)
    fig = plot.trajectory(run)
    raster = images_of(fig)
    assert len(raster) == 1
    assert raster[0].get_array().shape == (60, run.steps + 1)
    assert np.array_equal(raster[0].get_array(), run.trajectory.T)
    lines = fig.axes[1].get_lines()
    assert len(lines) == 3
    assert np.array_equal(lines[0].get_ydata(), run.overlap_trace[:, 0])
    assert fig.axes[0].get_xlabel() == "Time" and fig.axes[0].get_ylabel() == "Neuron Number"
    with pytest.raises(ValueError, match="record=True"):
        plot.trajectory(net.recall(X[0]))


def test_energy_draws_the_energy_trace():
    fig = plot.energy(RUN)
    (line,) = fig.axes[0].get_lines()
    assert np.array_equal(line.get_ydata(), RUN.energy_trace)
    fig2 = plot.energy([3.0, 2.0, 1.0])
    assert list(fig2.axes[0].get_lines()[0].get_ydata()) == [3.0, 2.0, 1.0]
    with pytest.raises(ValueError, match="record=True"):
        plot.energy(NET.recall(CUE))


def test_weights_draw_the_matrix_with_a_colour_bar():
    fig = plot.weights(NET)
    ims = images_of(fig)
    assert np.array_equal(ims[0].get_array(), NET.weights)
    assert len(fig.axes) == 2  # the image and its colour bar
    assert ims[0].colorbar is not None


def test_weights_of_a_large_network_are_block_means():
    X = patterns.random(2, 30, seed=5)
    net = hopfield.Network.from_patterns(X)
    fig = plot.weights(net, max_pixels=7)  # k = 5: 6 x 6 blocks of 5 x 5
    img = images_of(fig)[0].get_array()
    assert img.shape == (6, 6)
    W = net.weights
    assert np.allclose(img, W.reshape(6, 5, 6, 5).mean(axis=(1, 3)))
    assert "5 × 5 blocks" in fig.axes[0].get_title()
    uneven = plot.weights(hopfield.Network.from_patterns(patterns.random(2, 31, seed=5)), max_pixels=7)
    assert images_of(uneven)[0].get_array().shape == (7, 7)


def test_crosstalk_draws_the_histogram_the_gaussian_and_the_zero_line():
    c = experiments.crosstalk(100, 0, 400, seed=2)
    fig = plot.crosstalk(c)
    ax = fig.axes[0]
    bars = ax.patches
    assert sum(b.get_height() for b in bars) == 400
    curve = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
    assert len(curve) == 1 and np.array_equal(curve[0].get_xdata(), c["curve_x"])
    peak = curve[0].get_ydata().max()
    width = bars[0].get_width()
    assert peak == pytest.approx(400 * width / np.sqrt(2 * np.pi * 100), rel=1e-9)
    zero = [ln for ln in ax.get_lines() if ln.get_linestyle() == ":"]
    assert zero and zero[0].get_color() == "red" and list(zero[0].get_xdata()) == [0, 0]
    assert ax.get_xlabel() == "Term in square brackets"


def test_capacity_draws_measures_theory_and_critical_load():
    c = experiments.capacity(200, [0.05, 0.1, 0.2], 2, seed=1)
    fig = plot.capacity(c)
    left, right = fig.axes
    labels = [ln.get_label() for ln in left.get_lines()]
    assert "stored patterns that are fixed points" in labels
    assert any(lbl.startswith("theory") for lbl in labels)
    assert any(lbl.startswith("α_c") for lbl in labels)
    fixed = left.get_lines()[0]
    assert np.array_equal(fixed.get_ydata(), c["fixed_point_fraction"])
    theory = [ln for ln in right.get_lines() if ln.get_label().startswith("theory")][0]
    x, y = theory.get_xdata(), theory.get_ydata()
    k = np.argmin(abs(x - 0.1))
    from math import erfc, sqrt
    assert y[k] == pytest.approx(0.5 * erfc(sqrt(1 / (2 * x[k]))))


def test_basins_draw_error_bars_per_load_and_the_one_step_theory():
    b = experiments.basins(200, [0.05, 0.15], [0.0, 0.2, 0.4], 2, cues=5, seed=1)
    fig = plot.basins(b)
    left, right = fig.axes
    bars = [c for c in left.containers if isinstance(c, ErrorbarContainer)]
    assert len(bars) == 2
    assert np.array_equal(bars[0].lines[0].get_ydata(), b["recall_probability"][0])
    dashed = [ln for ln in right.get_lines() if ln.get_linestyle() == "--" and len(ln.get_xdata())]
    assert len(dashed) == 2
    from math import erf, sqrt
    assert dashed[0].get_ydata()[0] == pytest.approx(erf(1 / sqrt(2 * 0.05)))


def test_ax_draws_into_given_axes():
    fig, axes = plt.subplots(2, 2)
    assert plot.energy(RUN, ax=axes[0, 0]) is fig
    assert plot.weights(NET, ax=axes[0, 1]) is fig
    assert len(axes[0, 0].get_lines()) == 1 and len(axes[0, 1].get_images()) == 1
    # A figure of three panels in one axes: three inset axes inside it.
    assert plot.recall(RUN, LETTERS[1], ax=axes[1, 0]) is fig
    assert len(axes[1, 0].child_axes) == 3
    assert [len(a.get_images()) for a in axes[1, 0].child_axes] == [1, 1, 1]
    assert "recalled" in axes[1, 0].get_title()
    # Or one axes per panel.
    fig2, row = plt.subplots(1, 3)
    assert plot.patterns(LETTERS, ax=row) is fig2
    assert all(len(a.get_images()) == 1 for a in row)
    with pytest.raises(ValueError, match="sequence of 3 Axes"):
        plot.patterns(LETTERS, ax=row[:2])
    sub = plt.figure().subfigures(1, 2)[1]
    ax = sub.add_subplot()
    assert isinstance(plot.energy(RUN, ax=ax), Figure)


def test_without_matplotlib_the_import_names_the_extra():
    code = (
        "import sys; sys.modules['matplotlib'] = None; sys.modules['matplotlib.pyplot'] = None\n"
        "try:\n    import hopfield.plot\nexcept ImportError as e:\n    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert 'pip install "hopfield[plot]"' in out.stdout
    # hopfield itself does not need matplotlib.
    code = "import sys; sys.modules['matplotlib'] = None\nimport hopfield; print(hopfield.Network)"
    assert "Network" in subprocess.run([sys.executable, "-c", code], capture_output=True,
                                       text=True, check=True).stdout
