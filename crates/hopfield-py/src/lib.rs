//! Python bindings of the hopfield toolkit: `import hopfield`, numpy arrays in and out.
//!
//! This crate is the extension module `hopfield._hopfield` of the Python package built
//! by maturin from `pyproject.toml` (`pip install ./crates/hopfield-py`); the package's
//! Python part (`python/hopfield`) re-exports it under Pythonic names and carries the
//! type stubs. The core crate knows nothing of Python: everything here converts
//! arguments, calls the engine without the GIL, and converts results and errors
//! ([`error`]).
//!
//! | Python | engine |
//! |---|---|
//! | `hopfield.Network` | [`hopfield::Network`] |
//! | `hopfield.Memory` | [`hopfield::modern::Memory`] |
//! | `Network.recall` → `Recall` / `RecallBatch` | [`hopfield::AssociativeMemory::recall_batch`] |
//! | `hopfield.patterns.*` | [`hopfield::generate`] |
//! | `hopfield.noise.*` | [`hopfield::noise`] |
//! | `hopfield.experiments.*` | [`hopfield::experiment`] |
//! | `hopfield.load`, `hopfield.save` | [`hopfield_io`] |
//! | `hopfield.Rng` | [`hopfield::random::seeded`] |

#![deny(missing_docs)]

pub mod convert;
pub mod display;
pub mod error;
pub mod experiments;
pub mod io;
pub mod memory;
pub mod network;
pub mod noise;
pub mod patterns;
pub mod pickle;
pub mod recall;
pub mod rng;

use pyo3::prelude::*;

/// Adds a submodule named `hopfield.<name>` as attribute `name` of `parent`.
fn submodule(
    parent: &Bound<'_, PyModule>,
    name: &str,
    doc: &str,
    register: fn(&Bound<'_, PyModule>) -> PyResult<()>,
) -> PyResult<()> {
    let m = PyModule::new(parent.py(), &format!("hopfield.{name}"))?;
    m.add("__doc__", doc)?;
    register(&m)?;
    parent.add(name, m)
}

/// The extension module `hopfield._hopfield`.
#[pymodule]
fn _hopfield(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // An invalid HOPFIELD_SIMD refuses the import, as it refuses the command line.
    hopfield::simd::level().map_err(error::Error::from)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add(
        "simd_level",
        hopfield::simd::level().map_or("scalar", |l| l.name()),
    )?;
    m.add_class::<network::Network>()?;
    m.add_class::<memory::Memory>()?;
    m.add_class::<recall::Recall>()?;
    m.add_class::<recall::RecallBatch>()?;
    m.add_class::<rng::Rng>()?;
    m.add_function(wrap_pyfunction!(rng::resolve_seed, m)?)?;
    m.add_function(wrap_pyfunction!(unpickle, m)?)?;
    io::register(m)?;
    submodule(m, "patterns", "Pattern generators.", patterns::register)?;
    submodule(
        m,
        "noise",
        "Corrupting patterns into cues.",
        noise::register,
    )?;
    submodule(
        m,
        "experiments",
        "Experiments whose results theory predicts.",
        experiments::register,
    )?;
    Ok(())
}

/// Rebuilds a pickled object (the callable of every `__reduce__`).
#[pyfunction]
#[pyo3(name = "_unpickle")]
pub fn unpickle<'py>(
    py: Python<'py>,
    kind: &str,
    version: u32,
    data: &[u8],
    extra: &[u8],
) -> error::Result<Bound<'py, PyAny>> {
    if version != pickle::VERSION {
        return Err(error::Error::value_error(format!(
            "this hopfield.{kind} was pickled in format version {version}; this version of \
             hopfield reads version {} (pickle it again with this version)",
            pickle::VERSION
        )));
    }
    match kind {
        "Network" => {
            Ok(Bound::new(py, crate::network::Network::unpickle(py, data, extra)?)?.into_any())
        }
        "Memory" => {
            Ok(Bound::new(py, crate::memory::Memory::unpickle(py, data, extra)?)?.into_any())
        }
        "Recall" => {
            Ok(Bound::new(py, pickle::from_cbor::<crate::recall::Recall>(data, kind)?)?.into_any())
        }
        "RecallBatch" => Ok(Bound::new(
            py,
            pickle::from_cbor::<crate::recall::RecallBatch>(data, kind)?,
        )?
        .into_any()),
        _ => Err(error::Error::value_error(format!(
            "cannot unpickle a '{kind}': expected Network, Memory, Recall or RecallBatch"
        ))),
    }
}
