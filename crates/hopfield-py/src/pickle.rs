//! Pickling: `pickle`, `copy.deepcopy`, joblib and multiprocessing for `Network`,
//! `Memory`, `Recall` and `RecallBatch`.
//!
//! Each class's `__reduce__` returns `(hopfield._hopfield._unpickle, (kind, VERSION, data,
//! extra))`. A network or memory travels as the bytes of its saved file (the safetensors
//! format of `docs/network-format.md`, checked again on the way back) with its display
//! shape and cue reading in `extra`; results travel as CBOR of their fields, which keeps
//! every float bit for bit (infinities and NaN included). An object pickled by another
//! version of the format is refused with a message saying so.

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyTuple};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// The version of the pickled form.
pub const VERSION: u32 = 1;

/// CBOR bytes of `value`.
pub fn to_cbor<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    ciborium::into_writer(value, &mut out)
        .map_err(|e| Error::Internal(format!("pickling: {e}")))?;
    Ok(out)
}

/// The value CBOR bytes hold; `kind` names it in errors.
pub fn from_cbor<T: DeserializeOwned>(bytes: &[u8], kind: &str) -> Result<T> {
    ciborium::from_reader(bytes)
        .map_err(|e| Error::value_error(format!("not a pickled hopfield.{kind}: {e}")))
}

/// The `__reduce__` value `(_unpickle, (kind, VERSION, data, extra))`.
pub fn reduce<'py>(
    py: Python<'py>,
    kind: &str,
    data: &[u8],
    extra: &[u8],
) -> Result<Bound<'py, PyTuple>> {
    let restore = py.import("hopfield._hopfield")?.getattr("_unpickle")?;
    let args = (
        kind,
        VERSION,
        PyBytes::new(py, data),
        PyBytes::new(py, extra),
    );
    Ok(PyTuple::new(
        py,
        [restore, args.into_pyobject(py)?.into_any()],
    )?)
}
