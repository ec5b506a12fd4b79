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
//! | `Network.recall` → `Recall` / `RecallBatch` | [`hopfield::Network::recall_batch`] |
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
    m.add_function(wrap_pyfunction!(pickle::unpickle, m)?)?;
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
