//! `hopfield.load` and `hopfield.save`: the engine's file formats (`.npy`, `.png`,
//! `.txt` grids), the same files the command line reads and writes.

use std::path::{Path, PathBuf};

use hopfield::{Encoding, Shape};
use hopfield_io::Layout;
use pyo3::prelude::*;

use crate::convert::{self, Dtype, SetLayout, Values, ZeroOne, patterns_array};
use crate::error::{Error, Result};

/// Reads patterns from a ``.npy``, ``.png`` or ``.txt`` file as the command line does:
/// ±1 of shape (P, N) or (P, H, W), in numpy's default integer (int64) unless ``dtype``
/// asks for another (e.g. ``np.int8``). ``shape`` gives a display shape to files without
/// one; ``encoding`` is ``"auto"`` (only 0 and 1 → binary), ``"bipolar"`` or
/// ``"binary"``.
#[pyfunction]
#[pyo3(signature = (path, *, shape=None, encoding="auto", dtype=None))]
pub fn load<'py>(
    py: Python<'py>,
    path: PathBuf,
    shape: Option<&Bound<'py, PyAny>>,
    encoding: &str,
    dtype: Option<&Bound<'py, PyAny>>,
) -> Result<Bound<'py, PyAny>> {
    let dtype = Dtype::extract(dtype)?;
    let shape = convert::optional_size(shape, "shape")?;
    let encoding: Encoding = convert::parse(encoding)?;
    let p = py.detach(|| hopfield_io::read_patterns(&path, shape, encoding))?;
    patterns_array(py, &p, dtype)
}

fn is_png(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("png"))
}

/// Writes states (±1, 0 = unknown) to a ``.npy`` (int8, the array's shape), ``.png``
/// (one 2-D state: black on, white off) or ``.txt`` file (grids of ``#``/``.``/``?``).
/// Writes are atomic.
///
/// ``states`` is read as a set of patterns is: (P, H, W) or (N,) as they are, and a 2-D
/// array as P flat states only when it has fewer rows than columns (a PNG holds one
/// image, so a 2-D array for a ``.png`` is that image); a square or taller one needs
/// ``X[None]`` or ``shape=(H, W)`` (one image) or ``shape=(N,)`` (flat states).
/// ``encoding="binary"`` converts 0/1 data with S = 2V − 1 (as does a bool array); under
/// ``"auto"`` states of only 0 and 1 are refused, since their 0s could be off or unknown.
#[pyfunction]
#[pyo3(signature = (path, states, *, shape=None, encoding="auto"))]
pub fn save(
    py: Python<'_>,
    path: PathBuf,
    states: &Bound<'_, PyAny>,
    shape: Option<&Bound<'_, PyAny>>,
    encoding: &str,
) -> Result<()> {
    let x = convert::numbers(states, "states")?;
    let item = convert::item_shape(shape, "shape")?;
    let SetLayout {
        count,
        n,
        shape: display,
    } = match (x.dims.as_slice(), item) {
        (&[a, b], None) if is_png(&path) => SetLayout {
            count: 1,
            n: a * b,
            shape: Some(Shape::new(a, b)),
        },
        (dims, item) => convert::set_layout("states", dims, item, None)?,
    };
    if n == 0 || count == 0 {
        return Err(Error::value_error("states is empty"));
    }
    let layout = Layout {
        count,
        n,
        shape: display,
        dims: x.dims.clone(),
    };
    let enc = convert::state_encoding("states", encoding, &x, Values::Bipolar, ZeroOne::NoNetwork)?;
    let mut flat = Vec::with_capacity(x.values.len());
    for (k, v) in x.values.chunks_exact(layout.n).enumerate() {
        let item = if layout.count == 1 {
            "state".to_string()
        } else {
            format!("state {k}")
        };
        let s = convert::cue_values(&item, v, enc, Values::Bipolar)?;
        if let Some(i) = s.iter().position(|v| v.abs() > 1) {
            return Err(hopfield::Error::Value {
                item,
                position: i,
                value: f64::from(s[i]),
                allowed: "-1, 0 or 1",
            }
            .into());
        }
        flat.extend(s);
    }
    py.detach(|| hopfield_io::write_states(&path, &flat, &layout))?;
    Ok(())
}

/// Adds the functions to the module `m`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(load, m)?)?;
    m.add_function(wrap_pyfunction!(save, m)?)?;
    Ok(())
}
