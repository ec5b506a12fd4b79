//! The one conversion from the engine's errors to Python exceptions.
//!
//! | error | Python exception |
//! |---|---|
//! | [`hopfield::Error`] (bad value, shape, parameter, …) | `ValueError` |
//! | [`hopfield::Error::Memory`] | `MemoryError` |
//! | [`hopfield_io::Error`] reading or writing a file | `FileNotFoundError`, `PermissionError` or `OSError` |
//! | [`hopfield_io::Error`] about a file's contents | `ValueError` |
//! | a value of the wrong Python type | `TypeError` |
//! | a panic inside the engine (a bug) | `RuntimeError` |
//!
//! Every binding returns [`Result`], so `?` converts any of these on the way out. The
//! messages quote files and arguments; their control characters are escaped on the way
//! (`hopfield::escape_controls`), so that printing an exception cannot retitle or clear a
//! terminal.

use std::io::ErrorKind as IoKind;
use std::panic::{AssertUnwindSafe, catch_unwind};

use pyo3::exceptions::{
    PyFileNotFoundError, PyMemoryError, PyOSError, PyPermissionError, PyRuntimeError, PyTypeError,
    PyValueError,
};
use pyo3::prelude::*;

/// An error on its way to Python.
#[derive(Debug)]
pub enum Error {
    /// An error of the core library.
    Core(hopfield::Error),
    /// An error reading or writing a file.
    Io(hopfield_io::Error),
    /// A value of the wrong Python type.
    Type(String),
    /// A value of the right type that is not allowed.
    Value(String),
    /// An exception raised by Python itself (e.g. by numpy), passed on unchanged.
    Python(PyErr),
    /// A panic inside the engine: a bug, reported as `RuntimeError`.
    Internal(String),
}

/// A result whose error becomes a Python exception.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A `TypeError` with this message.
    pub fn type_error(message: impl Into<String>) -> Error {
        Error::Type(message.into())
    }

    /// A `ValueError` with this message.
    pub fn value_error(message: impl Into<String>) -> Error {
        Error::Value(message.into())
    }
}

impl From<hopfield::Error> for Error {
    fn from(e: hopfield::Error) -> Self {
        Error::Core(e)
    }
}

impl From<hopfield_io::Error> for Error {
    fn from(e: hopfield_io::Error) -> Self {
        Error::Io(e)
    }
}

impl From<PyErr> for Error {
    fn from(e: PyErr) -> Self {
        Error::Python(e)
    }
}

impl From<Error> for PyErr {
    fn from(e: Error) -> PyErr {
        let safe = |m: &str| hopfield::escape_controls(m);
        match e {
            Error::Core(e) => core_error(&e),
            Error::Io(e) => {
                let message = safe(&e.to_string());
                match &e.kind {
                    hopfield_io::ErrorKind::Io(io) => match io.kind() {
                        IoKind::NotFound => PyFileNotFoundError::new_err(message),
                        IoKind::PermissionDenied => PyPermissionError::new_err(message),
                        _ => PyOSError::new_err(message),
                    },
                    hopfield_io::ErrorKind::Data(core) if is_memory(core) => {
                        PyMemoryError::new_err(message)
                    }
                    _ => PyValueError::new_err(message),
                }
            }
            Error::Type(m) => PyTypeError::new_err(safe(&m)),
            Error::Value(m) => PyValueError::new_err(safe(&m)),
            Error::Python(e) => e,
            Error::Internal(m) => PyRuntimeError::new_err(safe(&m)),
        }
    }
}

fn is_memory(e: &hopfield::Error) -> bool {
    matches!(e, hopfield::Error::Memory { .. })
}

fn core_error(e: &hopfield::Error) -> PyErr {
    let message = hopfield::escape_controls(&e.to_string());
    if is_memory(e) {
        PyMemoryError::new_err(message)
    } else {
        PyValueError::new_err(message)
    }
}

/// Runs `f` without the GIL, so that other Python threads run meanwhile, and turns a panic
/// of the engine into an [`Error::Internal`] instead of letting it reach Python.
pub fn compute<T, F>(py: Python<'_>, f: F) -> Result<T>
where
    F: FnOnce() -> Result<T> + Send,
    T: Send,
{
    py.detach(|| guard(f))
}

/// Runs `f` and turns a panic into an [`Error::Internal`].
pub fn guard<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        Err(Error::Internal(format!(
            "internal error in the hopfield engine (please report it): {what}"
        )))
    })
}
