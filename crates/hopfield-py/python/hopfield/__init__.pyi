"""Type stubs of the hopfield package (the extension module hopfield._hopfield)."""

import os
from typing import Any, Iterator, Literal, Optional, Sequence, Tuple, Union, final, overload

import numpy as np
import numpy.typing as npt

from . import experiments as experiments
from . import noise as noise
from . import patterns as patterns

__version__: str
#: The kernel level in force: "scalar", "avx2" or "avx512" (the best the processor runs,
#: unless the environment variable HOPFIELD_SIMD forces one; an invalid value refuses the
#: import with ValueError).
simd_level: str

__all__ = [
    "Memory",
    "Network",
    "Recall",
    "RecallBatch",
    "Rng",
    "load",
    "save",
    "resolve_seed",
    "patterns",
    "noise",
    "experiments",
    "__version__",
    "simd_level",
]

_ArrayLike = npt.ArrayLike
# States and patterns: int64 (numpy's default integer) unless a dtype= asks for another.
_States = npt.NDArray[Any]
_FloatArray = npt.NDArray[np.float64]
_IntArray = npt.NDArray[np.int64]
_BoolArray = npt.NDArray[np.bool_]
_Size = Union[int, Tuple[int, int], str]
# The shape of one pattern: (H, W) (or "HxW", or n for n x n) for images, (N,) for flat.
_ItemShape = Union[int, Tuple[int, int], Tuple[int], str]
_Seed = Union[
    None, int, np.integer[Any], np.random.Generator, np.random.SeedSequence, "Rng"
]
_Encoding = Literal["auto", "bipolar", "binary"]
_DynamicsName = Literal["sync", "synchronous", "async", "asynchronous", "sweep", "sequential"]
_TieName = Literal["plus", "minus", "keep"]
_Outcome = Literal[
    "recalled", "reversed", "mixture", "spurious", "fixed-point", "cycle", "unconverged"
]
_PathLike = Union[str, "os.PathLike[str]"]
# recall's overloads: a cue whose type shows one state (a list of numbers, a 1-D array)
# gives a Recall, an array whose type shows a batch of images (K, H, W) a RecallBatch.
# numpy's NDArray does not carry its shape in its type (tuple[Any, ...]): it matches the
# first overload's ten dimensions, which no cue has, and the result is typed Any rather
# than guessed, as is that of a 2-D array (one image, or K flat cues?). recall_batch is
# always typed RecallBatch.
_ShapeNotInType = np.ndarray[
    Tuple[int, int, int, int, int, int, int, int, int, int], np.dtype[Any]
]
_OneCue = Union[Sequence[float], np.ndarray[Tuple[int], np.dtype[Any]]]
_ImageBatch = Union[
    Sequence[Sequence[Sequence[float]]], np.ndarray[Tuple[int, int, int], np.dtype[Any]]
]
_BatchIndex = Union[slice, Sequence[int], Sequence[bool], npt.NDArray[np.integer[Any]], npt.NDArray[np.bool_]]

def resolve_seed(seed: _Seed = None) -> int:
    """The integer seed the engine uses for ``seed`` (anything ``seed=`` accepts)."""

@final
class Rng:
    """A seeded random generator (PCG-64) whose stream continues from call to call."""

    def __new__(cls, seed: Optional[int] = None) -> "Rng": ...
    @property
    def seed(self) -> int:
        """The seed this generator started from."""
    def next_u64(self) -> int:
        """The next raw 64-bit number of the stream."""

@final
class Recall:
    """The result of recalling one cue."""

    @property
    def state(self) -> _States:
        """The final state in the cue's shape (int64 unless the recall gave a dtype)."""
    @property
    def cue(self) -> _States:
        """The cue as the dynamics read it, in the cue's shape."""
    @property
    def steps(self) -> int:
        """Steps taken (updates, single-neuron updates for async, or sweeps)."""
    @property
    def hitting_time(self) -> int:
        """The step of the last change (0 if the cue was final), in the unit of steps."""
    @property
    def updates(self) -> int:
        """Single-neuron updates performed."""
    @property
    def flips(self) -> int:
        """Updates that changed a neuron."""
    @property
    def converged(self) -> bool:
        """Whether the final state is a fixed point."""
    @property
    def outcome(self) -> _Outcome:
        """Where the run ended."""
    @property
    def pattern(self) -> Optional[int]:
        """The stored pattern the outcome names (recalled or reversed)."""
    @property
    def period(self) -> Optional[int]:
        """The period of a cycle."""
    @property
    def mixture(self) -> Optional[dict[str, list[int]]]:
        """``{"patterns": [...], "signs": [...]}`` for a mixture state."""
    @property
    def description(self) -> str:
        """The outcome in words, e.g. ``"recalled pattern 0"``."""
    @property
    def overlaps(self) -> _FloatArray:
        """Final overlaps with the stored patterns, shape (P,)."""
    @property
    def energy(self) -> float:
        """Final energy ``E = −½ SᵀWS + θ·S``."""
    @property
    def seed(self) -> int:
        """The integer seed of the dynamics."""
    @property
    def index(self) -> int:
        """The cue's index in its batch."""
    @property
    def trajectory(self) -> Optional[_States]:
        """States over time, shape (T + 1, *cue_shape), with ``record=True``."""
    @property
    def energy_trace(self) -> Optional[_FloatArray]:
        """Energy after every step, shape (T + 1,), with ``record=True``."""
    @property
    def overlap_trace(self) -> Optional[_FloatArray]:
        """Overlaps after every step, shape (T + 1, P), with ``record=True``."""
    @property
    def error_trace(self) -> Optional[_IntArray]:
        """Hamming distance to the target after every step, with a ``target``."""
    def __eq__(self, other: object, /) -> bool: ...
    def __reduce__(self) -> Tuple[Any, ...]: ...
    def _repr_html_(self) -> str:
        """The notebook's view: cue and final state as images, outcome, steps."""
    def _repr_png_(self) -> Optional[bytes]:
        """Cue and final state side by side, for 2-D states."""

@final
class RecallBatch:
    """The results of recalling K cues, stacked into arrays."""

    def __len__(self) -> int: ...
    @overload
    def __getitem__(self, index: Union[int, np.integer[Any]], /) -> Recall: ...
    @overload
    def __getitem__(self, index: _BatchIndex, /) -> "RecallBatch": ...
    def __iter__(self) -> Iterator[Recall]: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __reduce__(self) -> Tuple[Any, ...]: ...
    def _repr_html_(self) -> str:
        """The notebook's view: how many cues ended in each outcome."""
    @property
    def state(self) -> _States:
        """Final states, shape (K, *cue_shape) (int64 unless the recall gave a dtype)."""
    @property
    def cue(self) -> _States:
        """The cues as the dynamics read them, shape (K, *cue_shape)."""
    @property
    def index(self) -> _IntArray:
        """The index of each result's cue in the batch that was recalled, shape (K,)."""
    @property
    def steps(self) -> _IntArray:
        """Steps per cue, shape (K,)."""
    @property
    def hitting_time(self) -> _IntArray:
        """The hitting time of each cue, shape (K,)."""
    @property
    def updates(self) -> _IntArray:
        """Single-neuron updates per cue, shape (K,)."""
    @property
    def flips(self) -> _IntArray:
        """Updates that changed a neuron, per cue, shape (K,)."""
    @property
    def converged(self) -> _BoolArray:
        """Whether each final state is a fixed point, shape (K,)."""
    @property
    def outcome(self) -> list[_Outcome]:
        """The outcome of each cue."""
    @property
    def pattern(self) -> list[Optional[int]]:
        """The stored pattern each outcome names, or None."""
    @property
    def overlaps(self) -> _FloatArray:
        """Final overlaps, shape (K, P)."""
    @property
    def energy(self) -> _FloatArray:
        """Final energies, shape (K,)."""
    @property
    def seed(self) -> int:
        """The integer seed of the batch (cue k used stream k)."""
    def counts(self) -> dict[str, int]:
        """How many cues ended in each outcome."""
    def to_list(self) -> list[Recall]:
        """The K results as a list."""

@final
class Network:
    """A Hopfield network: couplings, threshold, kind of neuron, stored patterns."""

    def __new__(
        cls,
        weights: _ArrayLike,
        *,
        threshold: Union[None, float, _ArrayLike] = None,
        activation: Literal["bipolar", "binary"] = "bipolar",
        patterns: Optional[_ArrayLike] = None,
        shape: Optional[_Size] = None,
    ) -> "Network": ...
    @staticmethod
    def from_patterns(
        patterns: _ArrayLike,
        rule: str = "hebb",
        *,
        shape: Optional[_ItemShape] = None,
        encoding: _Encoding = "auto",
        representation: Literal["auto", "dense", "factored"] = "auto",
        threshold: Union[None, float, _ArrayLike] = None,
        normalization: Optional[Literal["1/N", "1/P", "none"]] = None,
        **rule_options: Any,
    ) -> "Network":
        """A network storing the patterns X, a set (P, H, W) or (P, N), with a rule."""
    def save(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Saves the network (safetensors, docs/network-format.md); the write is atomic."""
    @staticmethod
    def load(path: Union[str, "os.PathLike[str]"]) -> "Network":
        """Loads a saved network; a bad file raises ValueError naming what is wrong."""
    @staticmethod
    def random(
        n: int,
        kind: Literal["uniform", "gaussian"] = "uniform",
        *,
        seed: _Seed = None,
        sigma: float = 1.0,
        threshold: Union[None, float, _ArrayLike] = None,
        activation: Optional[Literal["bipolar", "binary"]] = None,
    ) -> "Network":
        """A network of n neurons with random couplings."""
    @overload
    def recall(
        self,
        cue: _ShapeNotInType,
        dynamics: _DynamicsName = "sync",
        *,
        max_steps: Optional[int] = None,
        tie: _TieName = "plus",
        threshold: Union[None, float, _ArrayLike] = None,
        temperature: float = 0.0,
        seed: _Seed = None,
        record: bool = False,
        target: Union[None, int, _ArrayLike] = None,
        stop_at_fixed_point: bool = True,
        encoding: _Encoding = "auto",
        dtype: Optional[npt.DTypeLike] = None,
    ) -> Any: ...
    @overload
    def recall(
        self,
        cue: _OneCue,
        dynamics: _DynamicsName = "sync",
        *,
        max_steps: Optional[int] = None,
        tie: _TieName = "plus",
        threshold: Union[None, float, _ArrayLike] = None,
        temperature: float = 0.0,
        seed: _Seed = None,
        record: bool = False,
        target: Union[None, int, _ArrayLike] = None,
        stop_at_fixed_point: bool = True,
        encoding: _Encoding = "auto",
        dtype: Optional[npt.DTypeLike] = None,
    ) -> Recall: ...
    @overload
    def recall(
        self,
        cue: _ImageBatch,
        dynamics: _DynamicsName = "sync",
        *,
        max_steps: Optional[int] = None,
        tie: _TieName = "plus",
        threshold: Union[None, float, _ArrayLike] = None,
        temperature: float = 0.0,
        seed: _Seed = None,
        record: bool = False,
        target: Union[None, int, _ArrayLike] = None,
        stop_at_fixed_point: bool = True,
        encoding: _Encoding = "auto",
        dtype: Optional[npt.DTypeLike] = None,
    ) -> RecallBatch: ...
    @overload
    def recall(
        self,
        cue: _ArrayLike,
        dynamics: _DynamicsName = "sync",
        *,
        max_steps: Optional[int] = None,
        tie: _TieName = "plus",
        threshold: Union[None, float, _ArrayLike] = None,
        temperature: float = 0.0,
        seed: _Seed = None,
        record: bool = False,
        target: Union[None, int, _ArrayLike] = None,
        stop_at_fixed_point: bool = True,
        encoding: _Encoding = "auto",
        dtype: Optional[npt.DTypeLike] = None,
    ) -> Any:
        """Runs the dynamics from one cue (a Recall) or a batch (a RecallBatch)."""
    def recall_batch(
        self,
        cues: _ArrayLike,
        dynamics: _DynamicsName = "sync",
        *,
        max_steps: Optional[int] = None,
        tie: _TieName = "plus",
        threshold: Union[None, float, _ArrayLike] = None,
        temperature: float = 0.0,
        seed: _Seed = None,
        record: bool = False,
        target: Union[None, int, _ArrayLike] = None,
        stop_at_fixed_point: bool = True,
        encoding: _Encoding = "auto",
        dtype: Optional[npt.DTypeLike] = None,
    ) -> RecallBatch:
        """Like recall, always returning a RecallBatch."""
    def energy(self, state: _ArrayLike, *, encoding: _Encoding = "auto") -> Union[float, _FloatArray]:
        """The energy of a state (a float) or of each state of a batch."""
    def overlaps(self, state: _ArrayLike, *, encoding: _Encoding = "auto") -> _FloatArray:
        """Overlaps with the stored patterns: (P,) or (K, P)."""
    def fields(self, state: _ArrayLike, *, encoding: _Encoding = "auto") -> _FloatArray:
        """The local fields h = W S, in the state's shape."""
    def is_fixed_point(
        self, state: _ArrayLike, *, tie: _TieName = "plus", encoding: _Encoding = "auto"
    ) -> bool:
        """Whether no neuron would change."""
    @property
    def n(self) -> int:
        """The number of neurons."""
    @property
    def shape(self) -> Optional[Tuple[int, int]]:
        """The display shape (H, W) of states."""
    @property
    def state_shape(self) -> list[int]:
        """The dimensions of one state."""
    @property
    def patterns(self) -> Optional[_IntArray]:
        """The stored patterns (int64), (P, N) or (P, H, W)."""
    @property
    def weights(self) -> _FloatArray:
        """The (N, N) coupling matrix as a new float64 array."""
    @overload
    def weight_rows(
        self, start: int = 0, stop: Optional[int] = None, *, dtype: None = None
    ) -> _FloatArray: ...
    @overload
    def weight_rows(
        self, start: int = 0, stop: Optional[int] = None, *, dtype: npt.DTypeLike
    ) -> npt.NDArray[np.floating[Any]]:
        """Rows start..stop of W, float64 (default) or float32."""
    def __eq__(self, other: object, /) -> bool: ...
    def __reduce__(self) -> Tuple[Any, ...]: ...
    def _repr_html_(self) -> str:
        """The notebook's view: size, rule, representation, load, memory, patterns."""
    def _repr_png_(self) -> Optional[bytes]:
        """The first stored patterns side by side, for image patterns."""
    @property
    def storage(self) -> str:
        """How W is stored, e.g. "dense int8" or "factored"."""
    @property
    def representation(self) -> Literal["dense", "factored"]:
        """Dense or factored."""
    @property
    def symmetric(self) -> bool:
        """Whether W is symmetric."""
    @property
    def nbytes(self) -> int:
        """Memory of W in bytes."""
    @property
    def threshold(self) -> Union[float, _FloatArray]:
        """The threshold θ."""
    @property
    def activation(self) -> Literal["bipolar", "binary"]:
        """The kind of neuron."""
    @property
    def rule(self) -> Optional[str]:
        """The learning rule's name."""
    @property
    def rule_options(self) -> dict[str, Any]:
        """The learning rule's options."""
    def diluted(self, connectivity: float, *, seed: int, symmetric: bool = True) -> "Network":
        """The same network keeping each coupling with probability connectivity."""
    def store(self, patterns: _ArrayLike, *, encoding: str = "auto") -> "Network":
        """The network that stores these patterns too, equal to one built from scratch."""
    def forget(self, index: int) -> "Network":
        """The network without stored pattern index, equal to one built from the others."""

@final
class Memory:
    """Stored patterns under a model beyond the classical network: dense (x^n),
    exponential or the continuous modern Hopfield network."""

    def __new__(
        cls,
        patterns: _ArrayLike,
        model: Literal["classical", "dense", "rectified", "exponential", "modern"] = "dense",
        *,
        degree: Optional[int] = None,
        rectified: Optional[bool] = None,
        beta: Optional[float] = None,
        rule: str = "hebb",
        shape: Optional[_ItemShape] = None,
        encoding: _Encoding = "auto",
    ) -> "Memory": ...
    @overload
    def recall(
        self,
        cue: _ShapeNotInType,
        dynamics: _DynamicsName = "sync",
        *,
        max_steps: Optional[int] = None,
        tie: _TieName = "plus",
        temperature: float = 0.0,
        seed: _Seed = None,
        record: bool = False,
        target: Union[None, int, _ArrayLike] = None,
        stop_at_fixed_point: bool = True,
        encoding: _Encoding = "auto",
        dtype: Optional[npt.DTypeLike] = None,
    ) -> Any: ...
    @overload
    def recall(
        self,
        cue: _OneCue,
        dynamics: _DynamicsName = "sync",
        *,
        max_steps: Optional[int] = None,
        tie: _TieName = "plus",
        temperature: float = 0.0,
        seed: _Seed = None,
        record: bool = False,
        target: Union[None, int, _ArrayLike] = None,
        stop_at_fixed_point: bool = True,
        encoding: _Encoding = "auto",
        dtype: Optional[npt.DTypeLike] = None,
    ) -> Recall: ...
    @overload
    def recall(
        self,
        cue: _ImageBatch,
        dynamics: _DynamicsName = "sync",
        *,
        max_steps: Optional[int] = None,
        tie: _TieName = "plus",
        temperature: float = 0.0,
        seed: _Seed = None,
        record: bool = False,
        target: Union[None, int, _ArrayLike] = None,
        stop_at_fixed_point: bool = True,
        encoding: _Encoding = "auto",
        dtype: Optional[npt.DTypeLike] = None,
    ) -> RecallBatch: ...
    @overload
    def recall(
        self,
        cue: _ArrayLike,
        dynamics: _DynamicsName = "sync",
        *,
        max_steps: Optional[int] = None,
        tie: _TieName = "plus",
        temperature: float = 0.0,
        seed: _Seed = None,
        record: bool = False,
        target: Union[None, int, _ArrayLike] = None,
        stop_at_fixed_point: bool = True,
        encoding: _Encoding = "auto",
        dtype: Optional[npt.DTypeLike] = None,
    ) -> Any:
        """Recalls from one cue (a Recall) or a batch (a RecallBatch)."""
    def recall_batch(
        self,
        cues: _ArrayLike,
        dynamics: _DynamicsName = "sync",
        *,
        max_steps: Optional[int] = None,
        tie: _TieName = "plus",
        temperature: float = 0.0,
        seed: _Seed = None,
        record: bool = False,
        target: Union[None, int, _ArrayLike] = None,
        stop_at_fixed_point: bool = True,
        encoding: _Encoding = "auto",
        dtype: Optional[npt.DTypeLike] = None,
    ) -> RecallBatch:
        """Recalls every cue of a batch (a single cue is a batch of one)."""
    def retrieve(
        self, cue: _ArrayLike, *, max_steps: int = 100, tolerance: float = 1e-6
    ) -> dict[str, Any]:
        """The modern model's continuous retrieval from real values."""
    def save(self, path: _PathLike) -> None:
        """Saves the patterns and the model's parameters (safetensors)."""
    @staticmethod
    def load(path: _PathLike) -> "Memory":
        """Loads a memory saved by Memory.save or `hopfield train --model`."""
    @property
    def model(self) -> str:
        """The model and its parameters."""
    @property
    def n(self) -> int:
        """The number of neurons."""
    def __eq__(self, other: object, /) -> bool: ...
    def __reduce__(self) -> Tuple[Any, ...]: ...

@overload
def load(
    path: _PathLike,
    *,
    shape: Optional[_Size] = None,
    encoding: _Encoding = "auto",
    dtype: None = None,
) -> _IntArray: ...
@overload
def load(
    path: _PathLike,
    *,
    shape: Optional[_Size] = None,
    encoding: _Encoding = "auto",
    dtype: npt.DTypeLike,
) -> _States:
    """Reads patterns from a .npy, .png or .txt file: (P, N) or (P, H, W), ±1."""

def save(
    path: _PathLike,
    states: _ArrayLike,
    *,
    shape: Optional[_ItemShape] = None,
    encoding: _Encoding = "auto",
) -> None:
    """Writes states to a .npy, .png or .txt file (atomically)."""
