"""What a notebook shows after a cell: _repr_html_ and _repr_png_."""

import base64
import re
import struct

import numpy as np

import hopfield
from hopfield import noise, patterns

PNG = b"\x89PNG\r\n\x1a\n"


def png_size(data):
    assert data[:8] == PNG
    return struct.unpack(">II", data[16:24])  # width, height of the IHDR chunk


def images(html):
    """The PNG images embedded in an HTML view, decoded."""
    return [base64.b64decode(m) for m in re.findall(r'src="data:image/png;base64,([^"]+)"', html)]


def test_network_view_names_size_rule_representation_load_and_memory():
    X = patterns.random(30, 1000, seed=1)
    net = hopfield.Network.from_patterns(X)
    html = net._repr_html_()
    assert "hopfield.Network" in html
    assert "N = 1000" in html
    assert "hebb (normalization 1/N)" in html
    assert "factored" in html and "symmetric" in html
    assert "P = 30, load α = P/N = 0.03" in html and "below the critical load" in html
    assert "bipolar" in html
    assert f"{net.nbytes}" in html or "KiB" in html or " B for W" in html
    # Flat patterns: the first 8 drawn, 1000 neurons in 25 rows of 40.
    imgs = images(html)
    assert len(imgs) == 8 and "and 22 more" in html
    assert png_size(imgs[0]) == (40, 25)
    assert net._repr_png_() is None  # flat patterns have no image view


def test_flat_states_are_drawn_in_rows_without_padding_when_they_can():
    for n, size in [(5, (5, 1)), (16, (16, 1)), (100, (10, 10)), (120, (12, 10)),
                    (97, (10, 10))]:
        net = hopfield.Network.from_patterns(patterns.random(1, n, seed=1))
        png = images(net.recall(patterns.random(1, n, seed=2)[0])._repr_html_())[0]
        assert png_size(png) == size, n


def test_network_of_images_shows_its_patterns():
    letters = patterns.page("letters")
    net = hopfield.Network.from_patterns(letters, rule="outer01")
    html = net._repr_html_()
    assert "N = 25 (5 × 5)" in html and "outer01" in html
    imgs = images(html)
    assert len(imgs) == 3 and all(png_size(i) == (5, 5) for i in imgs)
    png = net._repr_png_()
    width, height = png_size(png)
    assert height >= 96 and width > 3 * height  # three enlarged images side by side
    over = hopfield.Network.from_patterns(patterns.random(300, 1000, seed=2))
    assert "above the critical load" in over._repr_html_()
    plain = hopfield.Network(np.eye(4) - 1)
    assert "none (couplings given)" in plain._repr_html_() and "none stored" in plain._repr_html_()


def test_recall_view_shows_cue_and_final_state_outcome_and_steps():
    letters = patterns.page("letters")
    net = hopfield.Network.from_patterns(letters)
    cue = noise.flip(letters[1], 0.2, seed=7)
    r = net.recall(cue)
    html = r._repr_html_()
    assert f"hopfield.Recall: {r.description} after {r.steps} step" in html
    assert "converged" in html and "energy" in html
    cue_png, final_png = images(html)
    assert png_size(cue_png) == (5, 5) == png_size(final_png)
    png = r._repr_png_()
    width, height = png_size(png)
    assert height >= 96 and width > 2 * height
    flat = hopfield.Network.from_patterns(patterns.random(2, 100, seed=1))
    assert flat.recall(patterns.random(1, 100, seed=1)[0])._repr_png_() is None


def test_the_images_draw_active_black_inactive_white_unknown_grey():
    import io

    from matplotlib.image import imread

    net = hopfield.Network.from_patterns(np.array([[[1, -1], [1, 1]]]))
    r = net.recall(np.array([[1, 0], [-1, 1]]), max_steps=1)
    cue_png = images(r._repr_html_())[0]
    grey = np.round(imread(io.BytesIO(cue_png)) * 255)
    assert grey.tolist() == [[0, 128], [255, 0]]
    binary = hopfield.Network.random(4, seed=1)  # 0/1 neurons: 0 is inactive, white
    state = binary.recall(np.array([1, 0, 0, 1]), max_steps=1).cue
    png = images(binary.recall(state, max_steps=1)._repr_html_())[0]
    assert np.round(imread(io.BytesIO(png)) * 255).tolist() == [[0, 255, 255, 0]]  # one row


def test_batch_view_counts_the_outcomes():
    X = patterns.random(3, 100, seed=3)
    net = hopfield.Network.from_patterns(X)
    cues = np.stack([noise.flip(X[k % 3], 0.1 if k < 8 else 0.5, seed=k) for k in range(10)])
    b = net.recall(cues)
    html = b._repr_html_()
    assert "hopfield.RecallBatch of 10 cues" in html
    for outcome, count in b.counts().items():
        assert f"<th style=\"text-align:left;padding-right:1em\">{outcome}</th>" in html
        assert f"{count} ({100 * count / 10:.1f} %)" in html
    assert "converged" in html
