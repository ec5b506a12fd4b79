"""The course page "Hopfield networks", cell by cell, with the hopfield package.

Each section redoes one of the page's numpy cells and saves the figure the page shows,
as PNG files in the folder given on the command line (default: course_page_figures).
Seeds make every figure reproducible. Run: python examples/course_page.py [OUT_DIR]

Needs the package (pip install ./crates/hopfield-py) and matplotlib.
"""

import pathlib
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import hopfield  # noqa: E402
from hopfield import experiments, noise, patterns  # noqa: E402

OUT = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "course_page_figures")
OUT.mkdir(parents=True, exist_ok=True)


def save(fig, name):
    fig.savefig(OUT / name, dpi=80, bbox_inches="tight")
    plt.close(fig)
    print("wrote", OUT / name)


def stems(rows):
    """The page's 4-row figure: stem plots of states, then the error over time."""
    fig, axes = plt.subplots(len(rows), 1, figsize=(8, 9))
    for ax, (title, y, style) in zip(axes, rows):
        if style == "plot":
            ax.plot(y)
            ax.axhline(0)
        else:
            ax.stem(y, linefmt=style)
            ax.grid()
        ax.set_title(title)
    fig.tight_layout()
    return fig


# 1. Simulate a Hopfield network: 20 binary neurons, T_ij uniform in [0, 1), one random
#    neuron per step turns on when its input exceeds the threshold 0.
net = hopfield.Network.random(20, seed=1)
start = np.random.default_rng(1).integers(0, 2, size=20)
run = net.recall(start, "async", tie="minus", max_steps=200, stop_at_fixed_point=False,
                 record=True, seed=1)
fig = plt.figure(figsize=(12, 3))
plt.imshow(1 - run.trajectory.T, cmap="gray", aspect="auto")
plt.xlabel("Time")
plt.ylabel("Neuron Number")
save(fig, "01_simulate.png")

# 2-3. Pseudo-orthogonality: the term in square brackets, Σ ξ_i S_i, for random patterns
#      (and for S overlapping ξ on 50 neurons), with the Gaussian theory predicts.
for name, overlap, samples in [("02_crosstalk.png", 0, 100),
                               ("03_crosstalk_overlap.png", 50, 50)]:
    c = experiments.crosstalk(100, overlap, samples, seed=2)
    fig = plt.figure()
    plt.hist(c["values"], density=True)
    plt.plot(c["curve_x"], c["curve_density"], "k--", label="theory")
    plt.axvline(x=0, color="red", linestyle=":")
    plt.xlabel("Term in square brackets")
    plt.legend()
    save(fig, name)

# 4-5. One stored pattern: W = ξξᵀ with zero diagonal; start from 3/4 of ξ and 1/4
#      random, 1000 asynchronous updates (x > 0 → +1), error Σ|S − ξ| = 2 × Hamming.
xi1 = patterns.random(1, 100, seed=3)[0]
net = hopfield.Network.from_patterns(xi1, normalization="none")
fig = plt.figure()
plt.imshow(net.weights)
save(fig, "04_one_pattern_weights.png")
S = noise.mix(xi1, patterns.random(1, 100, seed=4)[0], 0.75)
run = net.recall(S, "async", tie="minus", max_steps=1000, stop_at_fixed_point=False,
                 record=True, target=xi1, seed=5)
save(stems([("S original", S, "C0-"), ("xi1", xi1, "C0-"), ("S final", run.state, "r-"),
            ("error", 2 * run.error_trace[1:], "plot")]), "05_one_pattern.png")

# The five-neuron example: csi = [1, -1, -1, 1, 1], 10 synchronous steps (x > 0 → +1).
csi = patterns.page("five")[0]  # a set of one pattern, (1, 5)
net = hopfield.Network.from_patterns(csi, normalization="none")
print(net.weights.astype(int))
S0 = np.random.default_rng(6).choice([-1, 1], size=5)
run = net.recall(S0, tie="minus", max_steps=9, stop_at_fixed_point=False, record=True)
print(run.trajectory.T)
print(run.state - csi, " Number of correct starting values =", np.sum(S0 == csi))

# 6. Three 5 × 5 memories (checkerboard, X, A); flip 20 % of X and recall synchronously.
letters = patterns.page("letters")
net = hopfield.Network.from_patterns(letters, normalization="none")
noisy = noise.flip(letters[1], 0.2, seed=7)
recalled = net.recall(noisy, max_steps=10).state
fig = plt.figure()
for k, (title, img) in enumerate([("True input", letters[1]), ("Noisy input", noisy),
                                  ("Recalled", recalled)]):
    plt.subplot(1, 3, k + 1)
    plt.title(title)
    plt.imshow(img > 0, cmap="gray_r")
    plt.axis("off")
save(fig, "06_letters.png")

# 7-11. The 100 × 100 images as 0/1 matrices, stored with the page's 0/1 rule.
BU, BC, star = (patterns.page("images") + 1) // 2
for name, img in [("07_bu.png", BU), ("08_bc.png", BC), ("10_star.png", star)]:
    fig = plt.figure(figsize=(5, 5))
    plt.imshow(img, interpolation="nearest")
    plt.axis("off")
    save(fig, name)
# W = outer(BU, BU) has 10⁸ entries; the page shows all of them, here every 10th.
fig = plt.figure()
plt.imshow(np.outer(BU.reshape(-1)[::10], BU.reshape(-1)[::10]), interpolation="nearest")
save(fig, "07_bu_weights.png")

# Only BU stored; the cue is BC plus random ±1 (values −1 … 2), four synchronous steps.
net = hopfield.Network.from_patterns(BU[None], rule="outer01")
cue = noise.add_noise(BC, seed=8)
run = net.recall(cue, tie="minus", max_steps=4, stop_at_fixed_point=False, record=True,
                 encoding="bipolar")
fig, axes = plt.subplots(1, 2, figsize=(10, 5))
for ax, S in zip(axes, run.trajectory[:2]):
    ax.imshow(S)
save(fig, "09_bu_net_bc_cue.png")

# BU and BC stored with W2 = (1/N) Σ vvᵀ; the cue is BU plus noise, its second half
# unknown (S[5000:] = 0); one synchronous step.
net = hopfield.Network.from_patterns(np.stack([BU, BC]), rule="outer01",
                                     normalization="1/N")
cue = noise.mask(noise.add_noise(BU, seed=9), "second-half")
run = net.recall(cue, tie="minus", max_steps=1, stop_at_fixed_point=False, record=True,
                 encoding="bipolar")
fig, axes = plt.subplots(1, 2, figsize=(10, 5))
for ax, S in zip(axes, run.trajectory):
    ax.imshow(S)
save(fig, "11_two_images.png")

# 12. Two stored patterns; start from 3/4 of ξ¹ and 1/4 of ξ², 1000 asynchronous updates.
xi1, xi2 = patterns.random(2, 100, seed=10)
net = hopfield.Network.from_patterns(np.stack([xi1, xi2]), normalization="none")
fig = plt.figure()
plt.imshow(net.weights)
save(fig, "12_two_patterns_weights.png")
S = noise.mix(xi1, xi2, 0.75)
run = net.recall(S, "async", tie="minus", max_steps=1000, stop_at_fixed_point=False,
                 record=True, target=xi1, seed=11)
save(stems([("S original", S, "C0-"), ("xi1", xi1, "C0-"), ("S final", run.state, "r-"),
            ("error", 2 * run.error_trace[1:], "plot")]), "12_two_patterns.png")
print(f"two patterns: {run.description} after {run.steps} updates")
