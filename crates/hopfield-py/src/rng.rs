//! Seeds and the shared random generator `hopfield.Rng`.
//!
//! Every random function takes `seed=`, read by [`Seed::extract`]:
//!
//! | `seed=` | the engine's seed |
//! |---|---|
//! | `None` | 64 fresh bits from the operating system ([`entropy`]) |
//! | an integer in `0..2**64` (also numpy integers) | that integer, as the command line's `--seed` |
//! | `numpy.random.SeedSequence` | `int(ss.generate_state(1, dtype=np.uint64)[0])` |
//! | `numpy.random.Generator` | one draw `int(g.integers(0, 2**64 - 1, dtype=np.uint64, endpoint=True))`, which advances `g` |
//! | [`Rng`] | the next number of its stream (functions that draw directly use the stream) |
//!
//! numpy's global state (`np.random.seed`) is never read: it has no effect.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, TryLockError};

use hopfield::random::{self, SeededRng};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyInt};
use rand::Rng as _;

use crate::convert::type_name;
use crate::error::{Error, Result};

/// A seeded random generator (PCG-64) whose stream continues from call to call.
///
/// Pass it as ``seed=`` to chain random operations on one stream, as the command line
/// does with one ``--seed``::
///
///     rng = hopfield.Rng(7)
///     cue = hopfield.noise.flip(x, 0.2, seed=rng)
///     cue = hopfield.noise.add_noise(cue, seed=rng)
///
/// ``Rng(seed)`` gives the same numbers on every machine; ``Rng()`` seeds from the
/// operating system.
#[pyclass(frozen, module = "hopfield", name = "Rng")]
#[derive(Debug)]
pub struct Rng {
    seed: u64,
    inner: Mutex<SeededRng>,
}

#[pymethods]
impl Rng {
    /// A generator seeded with ``seed`` (a non-negative integer below 2**64), or from the
    /// operating system when ``seed`` is None.
    #[new]
    #[pyo3(signature = (seed=None))]
    fn py_new(seed: Option<&Bound<'_, PyAny>>) -> Result<Self> {
        let seed = match seed {
            None => entropy(),
            Some(s) if s.is_none() => entropy(),
            Some(s) => int_seed(s)?,
        };
        Ok(Rng {
            seed,
            inner: Mutex::new(random::seeded(seed)),
        })
    }

    /// The seed this generator started from.
    #[getter]
    fn seed(&self) -> u64 {
        self.seed
    }

    /// The next raw 64-bit number of the stream (an integer in [0, 2**64)).
    fn next_u64(&self, py: Python<'_>) -> u64 {
        self.with(py, |r| r.next_u64())
    }

    fn __repr__(&self) -> String {
        format!("hopfield.Rng({})", self.seed)
    }
}

impl Rng {
    /// Runs `f` with the generator locked.
    ///
    /// `f` may release the GIL (long generations do), so a thread that finds the lock
    /// taken waits without the GIL: otherwise it would hold the GIL that the lock's
    /// owner needs to finish, and both would wait forever.
    pub fn with<T>(&self, py: Python<'_>, f: impl FnOnce(&mut SeededRng) -> T) -> T {
        let mut guard = loop {
            match self.inner.try_lock() {
                Ok(g) => break g,
                Err(TryLockError::Poisoned(p)) => break p.into_inner(),
                Err(TryLockError::WouldBlock) => {
                    py.detach(|| std::thread::sleep(std::time::Duration::from_micros(50)))
                }
            }
        };
        f(&mut guard)
    }
}

/// Where random numbers come from for one call.
#[derive(Debug)]
pub enum Seed {
    /// A fresh generator from this seed.
    Fixed(u64),
    /// A shared generator whose stream continues.
    Shared(Py<Rng>),
}

impl Seed {
    /// Reads `seed=`: None, an integer, a `numpy.random.SeedSequence` or `Generator`, or
    /// an `Rng` (see the [module documentation](self) for how each gives the seed).
    pub fn extract(obj: Option<&Bound<'_, PyAny>>) -> Result<Seed> {
        match obj {
            None => Ok(Seed::Fixed(entropy())),
            Some(o) if o.is_none() => Ok(Seed::Fixed(entropy())),
            Some(o) => match o.cast::<Rng>() {
                Ok(r) => Ok(Seed::Shared(r.clone().unbind())),
                Err(_) => match numpy_seed(o)? {
                    Some(s) => Ok(Seed::Fixed(s)),
                    None => Ok(Seed::Fixed(int_seed(o)?)),
                },
            },
        }
    }

    /// Runs `f` with a generator: a new one seeded from the integer, or the shared one.
    pub fn with<T>(&self, py: Python<'_>, f: impl FnOnce(&mut SeededRng) -> T) -> T {
        match self {
            Seed::Fixed(s) => f(&mut random::seeded(*s)),
            Seed::Shared(r) => r.bind(py).get().with(py, f),
        }
    }

    /// An integer seed: the integer itself, or the next number of a shared generator.
    pub fn integer(&self, py: Python<'_>) -> u64 {
        match self {
            Seed::Fixed(s) => *s,
            Seed::Shared(r) => r.bind(py).get().with(py, |g| g.next_u64()),
        }
    }
}

/// The integer seed the engine uses for ``seed`` (anything ``seed=`` accepts).
///
/// - ``None``: 64 fresh bits from the operating system, different on every call.
/// - an integer in ``0 .. 2**64 - 1`` (also numpy integers): that integer, as the
///   command line's ``--seed``.
/// - ``numpy.random.SeedSequence``: its first 64-bit word of state,
///   ``int(ss.generate_state(1, dtype=np.uint64)[0])``; the same sequence always gives
///   the same seed, and ``ss.spawn(n)`` gives n independent ones.
/// - ``numpy.random.Generator``: one draw,
///   ``int(g.integers(0, 2**64 - 1, dtype=np.uint64, endpoint=True))``, which advances
///   ``g``; a generator made by ``np.random.default_rng(s)`` so reproduces its sequence of
///   seeds.
/// - :class:`Rng`: the next number of its stream (functions that draw random numbers
///   themselves, such as the generators and noise functions, draw from the stream).
///
/// numpy's global state is never read: ``np.random.seed`` has no effect on hopfield.
#[pyfunction]
#[pyo3(signature = (seed=None))]
pub fn resolve_seed(py: Python<'_>, seed: Option<&Bound<'_, PyAny>>) -> Result<u64> {
    Ok(Seed::extract(seed)?.integer(py))
}

/// The seed of a `numpy.random.SeedSequence` (its first 64-bit word of state) or of a
/// `numpy.random.Generator` (one 64-bit draw, advancing it); `None` for anything else.
fn numpy_seed(obj: &Bound<'_, PyAny>) -> Result<Option<u64>> {
    if obj.is_instance_of::<PyInt>() {
        return Ok(None);
    }
    let py = obj.py();
    let random = py.import("numpy.random")?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("dtype", "uint64")?;
    let word = if obj.is_instance(&random.getattr("SeedSequence")?)? {
        obj.call_method("generate_state", (1,), Some(&kwargs))?
            .get_item(0)?
    } else if obj.is_instance(&random.getattr("Generator")?)? {
        kwargs.set_item("endpoint", true)?;
        obj.call_method("integers", (0u64, u64::MAX), Some(&kwargs))?
    } else if obj.is_instance(&random.getattr("RandomState")?)? {
        return Err(Error::type_error(
            "seed cannot be a numpy.random.RandomState (the legacy global generator); \
             pass np.random.default_rng(seed), a SeedSequence or an integer",
        ));
    } else {
        return Ok(None);
    };
    Ok(Some(word.call_method0("__int__")?.extract::<u64>()?))
}

/// An integer seed in `0..2**64`.
pub fn int_seed(obj: &Bound<'_, PyAny>) -> Result<u64> {
    if obj.is_instance_of::<PyBool>() || !obj.is_instance_of::<PyInt>() {
        // numpy integers are not PyInt subclasses; accept anything integral.
        if !obj.is_instance_of::<PyBool>()
            && let Ok(v) = obj.call_method0("__index__")
            && let Ok(v) = v.extract::<u64>()
        {
            return Ok(v);
        }
        return Err(Error::type_error(format!(
            "seed must be None, an integer, a numpy.random.Generator or SeedSequence, or a \
             hopfield.Rng, got {}",
            type_name(obj)
        )));
    }
    obj.extract::<u64>().map_err(|_| {
        Error::value_error(format!(
            "seed must lie between 0 and 2**64 - 1, got {}",
            obj.str().map(|s| s.to_string()).unwrap_or_default()
        ))
    })
}

/// 64 unpredictable bits from the operating system's randomness (through the hasher keys
/// of the standard library), mixed with the time and a counter.
pub fn entropy() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = RandomState::new().build_hasher();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    h.write_u64(nanos);
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    random::mix(h.finish())
}
