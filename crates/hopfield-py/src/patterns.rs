//! `hopfield.patterns`: the engine's pattern generators. Every one returns a set of
//! patterns, ±1 in numpy's default integer (or the `dtype=` asked for): (P, H, W) for
//! drawings, (P, N) for flat patterns; a single drawing is (1, H, W).

use hopfield::generate::{self as engine, Kind};
use hopfield::{Patterns, Shape};
use pyo3::prelude::*;
use pyo3::types::PyInt;

use crate::convert::{self, Dtype, patterns_array};
use crate::error::{Error, Result, guard};
use crate::rng::Seed;

fn shaped<'py>(
    py: Python<'py>,
    kind: Kind,
    size: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
) -> Result<Bound<'py, PyAny>> {
    let dtype = Dtype::extract(dtype)?;
    let shape = convert::size(size, "size")?;
    let p = guard(|| Ok(kind.generate(shape, 1, &mut hopfield::random::seeded(0))?))?;
    patterns_array(py, &p, dtype)
}

/// ``count`` random patterns, each neuron +1 with probability ``p_on``.
///
/// ``n`` is a number of neurons (result (count, N)) or a size (H, W) / ``"HxW"``
/// (result (count, H, W)). ``seed`` is None, an integer or a :class:`hopfield.Rng`; the
/// same integer gives the same patterns as ``hopfield patterns random --seed``.
/// ``dtype`` defaults to int64, so ``X @ X.T`` is exact; ``np.int8`` is compact.
#[pyfunction]
#[pyo3(signature = (count, n, *, p_on=0.5, seed=None, dtype=None))]
pub fn random<'py>(
    py: Python<'py>,
    count: usize,
    n: &Bound<'py, PyAny>,
    p_on: f64,
    seed: Option<&Bound<'py, PyAny>>,
    dtype: Option<&Bound<'py, PyAny>>,
) -> Result<Bound<'py, PyAny>> {
    let dtype = Dtype::extract(dtype)?;
    let seed = Seed::extract(seed)?;
    let flat = n.is_instance_of::<PyInt>();
    let shape = if flat {
        None
    } else {
        Some(convert::size(n, "n")?)
    };
    let neurons = match shape {
        Some(s) => s.len(),
        None => n.extract::<usize>().map_err(|_| {
            Error::value_error("n must be a positive number of neurons or a size (H, W)")
        })?,
    };
    if count == 0 {
        return Err(hopfield::Error::parameter(
            "count",
            0,
            "at least one pattern must be generated",
        )
        .into());
    }
    if neurons == 0 {
        return Err(hopfield::Error::NoNeurons {
            what: "random patterns".into(),
        }
        .into());
    }
    let p = seed.with(py, |rng| {
        py.detach(|| {
            guard(|| match shape {
                Some(s) => Ok(Kind::Random { p_on }.generate(s, count, rng)?),
                None => Ok(engine::par_random_patterns(count, neurons, p_on, rng)?),
            })
        })
    })?;
    patterns_array(py, &p, dtype)
}

/// The checkerboard: cell (i, j) on when i + j is odd (the course page's), as a set of
/// one pattern, (1, H, W). ``size`` is an integer n for n × n, or (H, W).
#[pyfunction]
#[pyo3(signature = (size=None, *, dtype=None))]
pub fn checkerboard<'py>(
    py: Python<'py>,
    size: Option<&Bound<'py, PyAny>>,
    dtype: Option<&Bound<'py, PyAny>>,
) -> Result<Bound<'py, PyAny>> {
    let size = size_or(py, size, 5)?;
    shaped(py, Kind::Checkerboard, &size, dtype)
}

/// Both diagonals (the page's 'X' at 5 × 5), as a set of one pattern, (1, H, W).
#[pyfunction]
#[pyo3(signature = (size=None, *, dtype=None))]
pub fn x<'py>(
    py: Python<'py>,
    size: Option<&Bound<'py, PyAny>>,
    dtype: Option<&Bound<'py, PyAny>>,
) -> Result<Bound<'py, PyAny>> {
    let size = size_or(py, size, 5)?;
    shaped(py, Kind::X, &size, dtype)
}

/// The eight-point star: centre row, centre column and both diagonals (the page's star
/// at 100 × 100), as a set of one pattern, (1, H, W).
#[pyfunction]
#[pyo3(signature = (size=None, *, dtype=None))]
pub fn star<'py>(
    py: Python<'py>,
    size: Option<&Bound<'py, PyAny>>,
    dtype: Option<&Bound<'py, PyAny>>,
) -> Result<Bound<'py, PyAny>> {
    let size = size_or(py, size, 100)?;
    shaped(py, Kind::Star, &size, dtype)
}

/// The letter L: left column and bottom row, about a fifth of the size thick, as a set
/// of one pattern, (1, H, W).
#[pyfunction]
#[pyo3(signature = (size=None, *, dtype=None))]
pub fn l<'py>(
    py: Python<'py>,
    size: Option<&Bound<'py, PyAny>>,
    dtype: Option<&Bound<'py, PyAny>>,
) -> Result<Bound<'py, PyAny>> {
    let size = size_or(py, size, 10)?;
    shaped(py, Kind::L, &size, dtype)
}

/// Horizontal stripes ``width`` rows thick, starting on, as a set of one pattern,
/// (1, H, W).
#[pyfunction]
#[pyo3(signature = (size=None, width=1, *, dtype=None))]
pub fn rows<'py>(
    py: Python<'py>,
    size: Option<&Bound<'py, PyAny>>,
    width: usize,
    dtype: Option<&Bound<'py, PyAny>>,
) -> Result<Bound<'py, PyAny>> {
    let size = size_or(py, size, 10)?;
    shaped(py, Kind::Rows { width }, &size, dtype)
}

/// Vertical stripes ``width`` columns thick, starting on, as a set of one pattern,
/// (1, H, W).
#[pyfunction]
#[pyo3(signature = (size=None, width=1, *, dtype=None))]
pub fn columns<'py>(
    py: Python<'py>,
    size: Option<&Bound<'py, PyAny>>,
    width: usize,
    dtype: Option<&Bound<'py, PyAny>>,
) -> Result<Bound<'py, PyAny>> {
    let size = size_or(py, size, 10)?;
    shaped(py, Kind::Columns { width }, &size, dtype)
}

/// Letters of the 5 × 7 block font scaled to ``size`` (default (7, 5)), one pattern per
/// character: (len(chars), H, W), so one character gives (1, H, W).
#[pyfunction]
#[pyo3(signature = (chars, size=None, *, dtype=None))]
pub fn letter<'py>(
    py: Python<'py>,
    chars: &str,
    size: Option<&Bound<'py, PyAny>>,
    dtype: Option<&Bound<'py, PyAny>>,
) -> Result<Bound<'py, PyAny>> {
    let dtype = Dtype::extract(dtype)?;
    let shape = match size.filter(|s| !s.is_none()) {
        Some(s) => convert::size(s, "size")?,
        None => Shape::new(7, 5),
    };
    if chars.is_empty() {
        return Err(
            hopfield::Error::parameter("chars", "\"\"", "give at least one character").into(),
        );
    }
    let mut set: Option<Patterns> = None;
    for c in chars.chars() {
        let p =
            guard(|| Ok(Kind::Letter(c).generate(shape, 1, &mut hopfield::random::seeded(0))?))?;
        match &mut set {
            None => set = Some(p),
            Some(s) => s.extend(&p)?,
        }
    }
    let set = set.ok_or_else(|| Error::Internal("no letters".into()))?;
    patterns_array(py, &set, dtype)
}

/// ``text`` in the block font, scaled to fit and centred in ``size`` (default: 7 rows
/// and 6 columns per character), as a set of one pattern, (1, H, W).
#[pyfunction]
#[pyo3(signature = (text, size=None, *, dtype=None))]
pub fn text<'py>(
    py: Python<'py>,
    text: &str,
    size: Option<&Bound<'py, PyAny>>,
    dtype: Option<&Bound<'py, PyAny>>,
) -> Result<Bound<'py, PyAny>> {
    let dtype = Dtype::extract(dtype)?;
    let shape = match size.filter(|s| !s.is_none()) {
        Some(s) => convert::size(s, "size")?,
        None => Shape::new(7, (6 * text.chars().count()).max(2) - 1),
    };
    let p = guard(|| {
        Ok(Kind::Text(text.to_string()).generate(shape, 1, &mut hopfield::random::seeded(0))?)
    })?;
    patterns_array(py, &p, dtype)
}

/// The course page's own drawings, exactly as its cells draw them (±1, +1 = drawn), as
/// sets: ``"a"``, ``"checkerboard"``, ``"x"`` (1, 5, 5), ``"letters"`` (checkerboard,
/// X, A: (3, 5, 5)), ``"bu"``, ``"bc"``, ``"star"`` (1, 100, 100), ``"images"`` (BU,
/// BC, star: (3, 100, 100)) and ``"five"`` (the five-neuron ``csi = [1, -1, -1, 1, 1]``:
/// (1, 5)). ``page(name)[0]`` is the first drawing.
#[pyfunction]
#[pyo3(signature = (name, *, dtype=None))]
pub fn page<'py>(
    py: Python<'py>,
    name: &str,
    dtype: Option<&Bound<'py, PyAny>>,
) -> Result<Bound<'py, PyAny>> {
    let dtype = Dtype::extract(dtype)?;
    let p = match name.to_ascii_lowercase().as_str() {
        "a" | "letter-a" => engine::page::letter_a(),
        "checkerboard" => engine::page::checkerboard(),
        "x" => engine::page::x(),
        "letters" => engine::page::letters(),
        "bu" => engine::page::bu(),
        "bc" => engine::page::bc(),
        "star" => engine::page::star(),
        "images" => engine::page::images(),
        "five" | "csi" => engine::page::five(),
        _ => {
            return Err(hopfield::Error::parameter(
                "page drawing",
                name,
                "expected one of: a, checkerboard, x, letters, bu, bc, star, images, five",
            )
            .into());
        }
    };
    patterns_array(py, &p, dtype)
}

/// ``count`` patterns of a generator named as on the command line (``hopfield patterns
/// KIND``): random, checkerboard, x, star, l, rows, columns, letter:C, text:STR, page-a,
/// page-bu, page-bc, page-star. Always (count, H, W). ``size`` defaults to the page
/// drawing's own or 10 × 10.
#[pyfunction]
#[pyo3(signature = (kind, size=None, count=1, *, p_on=0.5, width=1, seed=None, dtype=None))]
#[allow(clippy::too_many_arguments)]
pub fn generate<'py>(
    py: Python<'py>,
    kind: &str,
    size: Option<&Bound<'py, PyAny>>,
    count: usize,
    p_on: f64,
    width: usize,
    seed: Option<&Bound<'py, PyAny>>,
    dtype: Option<&Bound<'py, PyAny>>,
) -> Result<Bound<'py, PyAny>> {
    let dtype = Dtype::extract(dtype)?;
    let kind = match convert::parse::<Kind>(kind)? {
        Kind::Random { .. } => Kind::Random { p_on },
        Kind::Rows { .. } => Kind::Rows { width },
        Kind::Columns { .. } => Kind::Columns { width },
        k => k,
    };
    let shape = match size.filter(|s| !s.is_none()) {
        Some(s) => convert::size(s, "size")?,
        None => kind.fixed_shape().unwrap_or(Shape::new(10, 10)),
    };
    let seed = Seed::extract(seed)?;
    let p = seed.with(py, |rng| {
        py.detach(|| guard(|| Ok(kind.generate(shape, count, rng)?)))
    })?;
    patterns_array(py, &p, dtype)
}

fn size_or<'py>(
    py: Python<'py>,
    size: Option<&Bound<'py, PyAny>>,
    default: usize,
) -> Result<Bound<'py, PyAny>> {
    use pyo3::IntoPyObjectExt;
    match size.filter(|s| !s.is_none()) {
        Some(s) => Ok(s.clone()),
        None => Ok(default.into_bound_py_any(py)?),
    }
}

/// Adds the functions to the module `m`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(random, m)?)?;
    m.add_function(wrap_pyfunction!(checkerboard, m)?)?;
    m.add_function(wrap_pyfunction!(x, m)?)?;
    m.add_function(wrap_pyfunction!(star, m)?)?;
    m.add_function(wrap_pyfunction!(l, m)?)?;
    m.add_function(wrap_pyfunction!(rows, m)?)?;
    m.add_function(wrap_pyfunction!(columns, m)?)?;
    m.add_function(wrap_pyfunction!(letter, m)?)?;
    m.add_function(wrap_pyfunction!(text, m)?)?;
    m.add_function(wrap_pyfunction!(page, m)?)?;
    m.add_function(wrap_pyfunction!(generate, m)?)?;
    m.add("KINDS", Kind::NAMES.to_vec())?;
    Ok(())
}
