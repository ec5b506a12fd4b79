//! `hopfield.noise`: corrupting patterns into cues. Each function takes one state of any
//! shape (it is treated as flat) and returns a new array of the same shape, in numpy's
//! default integer unless `dtype=` asks for another.

use hopfield::Shape;
use hopfield::noise::{self, Region};
use pyo3::prelude::*;

use crate::convert::{self, Dtype};
use crate::error::{Error, Result};
use crate::rng::Seed;

/// Flips neurons of ``x``: exactly ⌊fraction · N⌋ distinct ones (the page's
/// ``noisy_bipolar``), or exactly ``count``.
///
/// ``x`` is ±1 (an unknown 0 stays 0). 0/1 data is converted to ±1 first when
/// ``encoding="binary"`` says so or ``x`` is a bool array; under ``encoding="auto"`` a
/// state of only 0 and 1 is refused, since its 0s could be off or unknown.
/// ``seed`` is None, an integer or a :class:`hopfield.Rng`; an integer gives the same
/// cue as ``hopfield recall --from I --noise F --seed S``.
#[pyfunction]
#[pyo3(signature = (x, fraction=None, *, count=None, seed=None, encoding="auto", dtype=None))]
#[allow(clippy::too_many_arguments)]
pub fn flip<'py>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
    fraction: Option<f64>,
    count: Option<usize>,
    seed: Option<&Bound<'py, PyAny>>,
    encoding: &str,
    dtype: Option<&Bound<'py, PyAny>>,
) -> Result<Bound<'py, PyAny>> {
    let dtype = Dtype::extract(dtype)?;
    let (state, dims) = convert::one_state(x, "x", encoding)?;
    let seed = Seed::extract(seed)?;
    let out = match (fraction, count) {
        (Some(f), None) => seed.with(py, |rng| noise::flip_fraction(&state, f, rng))?,
        (None, Some(k)) => seed.with(py, |rng| noise::flip(&state, k, rng))?,
        _ => {
            return Err(Error::type_error(
                "flip takes either a fraction or count=, not both and not neither",
            ));
        }
    };
    dtype.array(py, &out, &dims)
}

/// Flips each neuron of ``x`` independently with probability ``p`` (a binomial number
/// of flips). ``x`` and ``encoding`` are read as by :func:`flip`.
#[pyfunction]
#[pyo3(signature = (x, p, *, seed=None, encoding="auto", dtype=None))]
pub fn flip_each<'py>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
    p: f64,
    seed: Option<&Bound<'py, PyAny>>,
    encoding: &str,
    dtype: Option<&Bound<'py, PyAny>>,
) -> Result<Bound<'py, PyAny>> {
    let dtype = Dtype::extract(dtype)?;
    let (state, dims) = convert::one_state(x, "x", encoding)?;
    let seed = Seed::extract(seed)?;
    let out = seed.with(py, |rng| noise::flip_each(&state, p, rng))?;
    dtype.array(py, &out, &dims)
}

/// The course page's additive noise: every value plus a random ±1, values kept as they
/// are (on ±1 data the result holds −2, 0, 2; on the page's 0/1 images −1 to 2). The
/// first update of a recall turns such a cue into a ±1 state.
#[pyfunction]
#[pyo3(signature = (x, *, seed=None, dtype=None))]
pub fn add_noise<'py>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
    seed: Option<&Bound<'py, PyAny>>,
    dtype: Option<&Bound<'py, PyAny>>,
) -> Result<Bound<'py, PyAny>> {
    let dtype = Dtype::extract(dtype)?;
    let (state, dims) = convert::raw_state(x, "x")?;
    let seed = Seed::extract(seed)?;
    let out = seed.with(py, |rng| noise::add_noise(&state, rng));
    dtype.array(py, &out, &dims)
}

/// Sets a region of ``x`` to 0 ("unknown"); the other values are kept as they are.
///
/// ``region``: ``"first-half"``/``"top-half"``, ``"second-half"``/``"bottom-half"`` (in
/// storage order, as the page's ``S[5000:] = 0``), ``"left-half"``, ``"right-half"``,
/// ``"range:A..B"`` or ``"rect:TOP,LEFT,HxW"``. The 2-D regions use the shape of an
/// (H, W) ``x`` (or a set of one, (1, H, W)) or ``shape=(H, W)``. A network of ±1
/// neurons reads the 0s of the result as unknown.
#[pyfunction]
#[pyo3(signature = (x, region="second-half", *, shape=None, dtype=None))]
pub fn mask<'py>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
    region: &str,
    shape: Option<&Bound<'py, PyAny>>,
    dtype: Option<&Bound<'py, PyAny>>,
) -> Result<Bound<'py, PyAny>> {
    let dtype = Dtype::extract(dtype)?;
    let (state, dims) = convert::raw_state(x, "x")?;
    let region: Region = convert::parse(region)?;
    let shape = match convert::optional_size(shape, "shape")? {
        Some(s) => Some(s),
        None => match *dims.as_slice() {
            [h, w] | [1, h, w] => Some(Shape::new(h, w)),
            _ => None,
        },
    };
    let out = noise::mask(&state, &region, shape)?;
    dtype.array(py, &out, &dims)
}

/// The first ⌊fraction · N⌋ neurons from ``a``, the rest from ``b`` (the page's "3/4 of
/// ξ¹, 1/4 of ξ²" start). ``a``, ``b`` and ``encoding`` are read as by :func:`flip`.
#[pyfunction]
#[pyo3(signature = (a, b, fraction=0.75, *, encoding="auto", dtype=None))]
pub fn mix<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
    fraction: f64,
    encoding: &str,
    dtype: Option<&Bound<'py, PyAny>>,
) -> Result<Bound<'py, PyAny>> {
    let dtype = Dtype::extract(dtype)?;
    let (a, dims) = convert::one_state(a, "a", encoding)?;
    let (b, _) = convert::one_state(b, "b", encoding)?;
    let out = noise::mix(&a, &b, fraction)?;
    dtype.array(py, &out, &dims)
}

/// Adds the functions to the module `m`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(flip, m)?)?;
    m.add_function(wrap_pyfunction!(flip_each, m)?)?;
    m.add_function(wrap_pyfunction!(add_noise, m)?)?;
    m.add_function(wrap_pyfunction!(mask, m)?)?;
    m.add_function(wrap_pyfunction!(mix, m)?)?;
    m.add("REGIONS", Region::SYNTAX)?;
    Ok(())
}
