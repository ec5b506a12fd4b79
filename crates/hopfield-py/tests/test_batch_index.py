"""A RecallBatch is indexed as a numpy array of its K results."""

import numpy as np
import pytest

import hopfield
from hopfield import noise, patterns

X = patterns.random(4, 100, seed=1)
NET = hopfield.Network.from_patterns(X)
CUES = np.stack([noise.flip(X[k % 4], 0.05 + 0.04 * k, seed=k) for k in range(10)])
BATCH = NET.recall(CUES, "sweep", seed=3, record=True)


def same(recall, k):
    """recall is the result of cue k of BATCH."""
    ref = BATCH[k]
    assert recall == ref
    assert recall.index == k
    assert np.array_equal(recall.state, BATCH.state[k])
    assert np.array_equal(recall.cue, CUES[k])


def test_integers_give_one_recall_numpy_integers_and_negatives_too():
    for key, k in [(0, 0), (9, 9), (-1, 9), (-10, 0), (np.int64(4), 4), (np.uint8(2), 2),
                   (np.array(5), 5)]:
        r = BATCH[key]
        assert isinstance(r, hopfield.Recall)
        same(r, k)


@pytest.mark.parametrize(
    "key",
    [slice(2, 7), slice(None, None, -1), slice(1, None, 3), slice(8, 2, -2), slice(0, 0),
     [3, 1, 1, 8], np.array([0, 9]), np.arange(10) % 3 == 0, [True] * 5 + [False] * 5,
     Ellipsis],
    ids=["2:7", "::-1", "1::3", "8:2:-2", "empty", "list", "array", "mask", "mask-list",
         "ellipsis"],
)
def test_slices_arrays_and_masks_select_as_numpy_does(key):
    want = np.arange(10)[key]
    sub = BATCH[key]
    assert isinstance(sub, hopfield.RecallBatch)
    assert len(sub) == len(want)
    assert list(sub.index) == list(want)
    assert np.array_equal(sub.state, BATCH.state[want])
    assert np.array_equal(sub.cue, BATCH.cue[want])
    assert np.array_equal(sub.steps, BATCH.steps[want])
    assert np.array_equal(sub.overlaps.reshape(-1, 4), BATCH.overlaps[want])
    assert sub.outcome == [BATCH.outcome[k] for k in want]
    assert sub.seed == BATCH.seed
    for r, k in zip(sub, want):
        same(r, k)


def test_slices_of_slices_keep_the_original_indices():
    sub = BATCH[2:][::2][1:]
    assert list(sub.index) == [4, 6, 8]
    same(sub[0], 4)
    assert BATCH[BATCH.converged].counts() == {
        k: v for k, v in BATCH.counts().items() if k not in ("unconverged", "cycle")
    }


def test_bad_indices_are_refused_with_the_batch_size():
    with pytest.raises(IndexError, match="out of range for a batch of 10"):
        BATCH[10]
    with pytest.raises(IndexError, match="out of range for a batch of 10"):
        BATCH[-11]
    with pytest.raises(IndexError, match="batch of 10 cues"):
        BATCH[[0, 12]]
    with pytest.raises(IndexError, match="boolean mask of 10"):
        BATCH[np.ones(3, dtype=bool)]
    with pytest.raises(IndexError, match="1-D set of cues"):
        BATCH[np.array([[0, 1]])]
    with pytest.raises(IndexError, match="batch of 10 cues"):
        BATCH["first"]
    with pytest.raises(TypeError, match="not a bool"):
        BATCH[True]
    with pytest.raises(IndexError, match="batch of 10 cues"):
        BATCH[1.5]
