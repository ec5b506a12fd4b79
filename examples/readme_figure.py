"""The figure of the README's Python section, drawn with hopfield.plot.

Top: the page's three 100 × 100 images stored with Hebb's rule, and BU recalled from a
cue with 30 % of its neurons flipped and its lower half unknown. Bottom: the capacity of
500 neurons against the signal-to-noise theory. Run:

    python examples/readme_figure.py docs/python-plot.png
"""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import hopfield  # noqa: E402
from hopfield import experiments, noise, patterns, plot  # noqa: E402

out = sys.argv[1] if len(sys.argv) > 1 else "python-plot.png"

images = patterns.page("images")  # BU, BC, star
net = hopfield.Network.from_patterns(images)
cue = noise.mask(noise.flip(images[0], 0.3, seed=1), "second-half")
run = net.recall(cue, "sweep", seed=2)

capacity = experiments.capacity(500, np.round(np.arange(0.02, 0.22, 0.02), 2), 3, seed=1)

fig, (top, bottom) = plt.subplots(2, 1, figsize=(11, 8.5), height_ratios=[1, 1.05])
plot.recall(run, images[0], ax=top)
plot.capacity(capacity, ax=bottom)
fig.savefig(out, dpi=72, bbox_inches="tight")
print(f"wrote {out}: {run.description} after {run.steps} sweeps")
