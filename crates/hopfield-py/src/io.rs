//! `hopfield.load` and `hopfield.save`: the engine's file formats (`.npy`, `.png`,
//! `.txt` grids), the same files the command line reads and writes.

use std::path::PathBuf;

use hopfield::{Encoding, Shape};
use hopfield_io::Layout;
use pyo3::prelude::*;

use crate::convert::{self, Dtype, Values, patterns_array};
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

/// Writes states (±1, 0 = unknown; 0/1 data is converted) to a ``.npy`` (int8, the
/// array's shape), ``.png`` (one 2-D state: black on, white off) or ``.txt`` file (grids
/// of ``#``/``.``/``?``). A 2-D array is one H × W state unless ``shape`` says its rows
/// are states of that shape; a 3-D array is P states of (H, W). Writes are atomic.
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
    let shape = convert::optional_size(shape, "shape")?;
    let layout = match *x.dims.as_slice() {
        [n] => Layout {
            count: 1,
            n,
            shape: shape.filter(|s| s.len() == n),
            dims: x.dims.clone(),
        },
        [a, b] => match shape {
            Some(s) if s.len() == b && s != Shape::new(a, b) => Layout {
                count: a,
                n: b,
                shape: Some(s),
                dims: x.dims.clone(),
            },
            _ => Layout {
                count: 1,
                n: a * b,
                shape: Some(Shape::new(a, b)),
                dims: x.dims.clone(),
            },
        },
        [p, h, w] => Layout {
            count: p,
            n: h * w,
            shape: Some(Shape::new(h, w)),
            dims: x.dims.clone(),
        },
        _ => {
            return Err(Error::value_error(format!(
                "states must have 1 to 3 dimensions, got shape {:?}",
                x.dims
            )));
        }
    };
    if layout.n == 0 || layout.count == 0 {
        return Err(Error::value_error("states is empty"));
    }
    let enc = convert::encoding(encoding, &x.values)?;
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
