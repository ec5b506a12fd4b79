//! `hopfield.Memory`: dense associative memories and the modern Hopfield network.

use std::path::PathBuf;

use hopfield::modern::{self, Model, ModernOptions};
use hopfield::{AssociativeMemory, Shape};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use crate::convert::{self, Values, ZeroOne, array};
use crate::error::{Error, Result, compute};
use crate::pickle;
use crate::recall::{self, Keywords};
use crate::rng::Seed;

/// A memory of stored patterns under one of the models beyond the classical network.
///
/// ``model`` is ``"classical"`` (the Hopfield network with ``rule``), ``"dense"`` (Krotov
/// & Hopfield 2016: energy −Σ_μ (ξ^μ·S)ⁿ with ``degree`` n, default 3;
/// ``rectified=True`` uses max(x, 0)ⁿ), ``"exponential"`` (Demircigil et al. 2017:
/// −Σ_μ exp(β ξ^μ·S), ``beta`` default 1) or ``"modern"`` (Ramsauer et al. 2020: the
/// continuous update ξ ← X softmax(β Xᵀ ξ)). Patterns are ±1 (or 0/1 data), a set of
/// shape (P, H, W) or (P, N), read as :meth:`Network.from_patterns` reads them: a 2-D
/// array with at least as many rows as columns needs ``shape=(N,)`` (P flat patterns,
/// e.g. P ≫ N for the modern models) or ``X[None]`` (one image).
///
/// Memories pickle through the bytes of their saved file and compare equal to their
/// copies.
#[pyclass(module = "hopfield", frozen, eq)]
#[derive(PartialEq)]
pub struct Memory {
    inner: modern::Memory,
    model: Model,
    shape: Option<Shape>,
    zero_one: ZeroOne,
}

#[pymethods]
impl Memory {
    #[new]
    #[pyo3(signature = (patterns, model="dense", *, degree=None, rectified=None, beta=None, rule="hebb", shape=None, encoding="auto"))]
    #[allow(clippy::too_many_arguments)]
    fn py_new(
        py: Python<'_>,
        patterns: &Bound<'_, PyAny>,
        model: &str,
        degree: Option<u32>,
        rectified: Option<bool>,
        beta: Option<f64>,
        rule: &str,
        shape: Option<&Bound<'_, PyAny>>,
        encoding: &str,
    ) -> Result<Self> {
        let shape = convert::item_shape(shape, "shape")?;
        let (p, enc) = convert::patterns(patterns, shape, None, encoding)?;
        let mut m: Model = convert::parse(model)?;
        let name = m.name();
        let takes = |ok: bool, option: &str, models: &str| -> Result<()> {
            if ok {
                Ok(())
            } else {
                Err(Error::type_error(format!(
                    "model '{name}' has no option '{option}' (it belongs to {models})"
                )))
            }
        };
        let dense = matches!(m, Model::Dense { .. });
        let with_beta = matches!(m, Model::Exponential { .. } | Model::Modern { .. });
        if let Some(d) = degree {
            takes(dense, "degree", "model 'dense'")?;
            m = m.degree(d);
        }
        if let Some(r) = rectified {
            takes(dense, "rectified", "model 'dense'")?;
            m = m.rectified(r);
        }
        if let Some(b) = beta {
            takes(with_beta, "beta", "models 'exponential' and 'modern'")?;
            m = m.beta(b);
        }
        let rule = convert::rule(rule, None)?;
        let shape = p.shape();
        let model = m.clone();
        let inner = compute(py, move || Ok(modern::Memory::build(&m, &p, &rule)?))?;
        Ok(Memory {
            inner,
            model,
            shape,
            zero_one: ZeroOne::of_patterns(enc),
        })
    }

    /// Saves the memory (its patterns and the model's parameters) to ``path``, a
    /// safetensors file (see docs/network-format.md), atomically.
    fn save(&self, py: Python<'_>, path: PathBuf) -> Result<()> {
        py.detach(|| hopfield_io::write_memory(&path, &self.inner))?;
        Ok(())
    }

    /// Loads a memory saved by :meth:`Memory.save` or ``hopfield train --model``, or a
    /// classical network. A bad file raises ValueError saying what does not match.
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> Result<Self> {
        let inner = compute(py, move || Ok(hopfield_io::read_memory(&path)?))?;
        let (model, shape) = match &inner {
            modern::Memory::Classical(net) => (Model::Classical, net.shape()),
            modern::Memory::Dense(m) => (Model::from(m.interaction()), m.patterns().shape()),
            modern::Memory::Modern(m) => (Model::modern().beta(m.beta()), None),
            _ => {
                return Err(Error::value_error(
                    "this kind of memory cannot be loaded here",
                ));
            }
        };
        Ok(Memory {
            inner,
            model,
            shape,
            zero_one: ZeroOne::Unknown,
        })
    }

    /// The model, e.g. ``"dense (F(x) = x^3)"``.
    #[getter]
    fn model(&self) -> String {
        self.model.to_string()
    }

    /// The number of neurons N.
    #[getter]
    fn n(&self) -> usize {
        self.inner.n()
    }

    /// Recalls from one cue (returns a :class:`Recall`) or a batch (a
    /// :class:`RecallBatch`), as :meth:`Network.recall` does, with the same keywords but
    /// ``threshold``: ``max_steps``, ``tie``, ``temperature`` (0 only, but for the classical
    /// model), ``seed``, ``record`` and ``target`` (a pattern index or a state),
    /// ``stop_at_fixed_point``, ``encoding`` and ``dtype``. The modern model runs its
    /// continuous update from the cue and reports the signs of the final state.
    #[pyo3(signature = (cue, dynamics="sync", **options))]
    fn recall<'py>(
        &self,
        py: Python<'py>,
        cue: &Bound<'py, PyAny>,
        dynamics: &str,
        options: Option<&Bound<'py, PyDict>>,
    ) -> Result<Bound<'py, PyAny>> {
        let keywords = Keywords::parse("recall", options, &["threshold"])?;
        self.recall_any(py, cue, false, dynamics, keywords)
    }

    /// Like :meth:`recall`, but always returns a :class:`RecallBatch`.
    #[pyo3(signature = (cues, dynamics="sync", **options))]
    fn recall_batch<'py>(
        &self,
        py: Python<'py>,
        cues: &Bound<'py, PyAny>,
        dynamics: &str,
        options: Option<&Bound<'py, PyDict>>,
    ) -> Result<Bound<'py, PyAny>> {
        let keywords = Keywords::parse("recall_batch", options, &["threshold"])?;
        self.recall_any(py, cues, true, dynamics, keywords)
    }

    /// The modern model's continuous retrieval from a real-valued cue (N floats):
    /// ``ξ ← X softmax(β Xᵀ ξ)`` until the state moves less than ``tolerance`` (largest
    /// change) or ``max_steps`` updates. Returns a dict: ``state`` (float32 array),
    /// ``steps``, ``converged``, ``pattern`` (the index of the largest attention weight),
    /// ``weight`` (that weight), ``error`` (the Euclidean distance to that pattern) and
    /// ``energy``.
    #[pyo3(signature = (cue, *, max_steps=100, tolerance=1e-6))]
    fn retrieve<'py>(
        &self,
        py: Python<'py>,
        cue: &Bound<'py, PyAny>,
        max_steps: usize,
        tolerance: f64,
    ) -> Result<Bound<'py, PyDict>> {
        let modern::Memory::Modern(m) = &self.inner else {
            return Err(Error::value_error(format!(
                "retrieve needs model 'modern' (this memory is {}); use recall",
                self.model
            )));
        };
        let x = convert::numbers(cue, "cue")?;
        if x.values.len() != m.n() {
            return Err(Error::value_error(format!(
                "cue has {} values, the memory has N = {}",
                x.values.len(),
                m.n()
            )));
        }
        let cue: Vec<f32> = x.values.iter().map(|&v| v as f32).collect();
        let options = ModernOptions::default()
            .max_steps(max_steps)
            .tolerance(tolerance);
        let r = compute(py, || Ok(m.retrieve(&cue, &options)?))?;
        let d = PyDict::new(py);
        let n = r.state.len();
        d.set_item("state", array(py, r.state, &[n])?)?;
        d.set_item("steps", r.steps)?;
        d.set_item("converged", r.converged)?;
        d.set_item("pattern", r.pattern)?;
        d.set_item("weight", r.weight)?;
        d.set_item("error", r.error)?;
        d.set_item("energy", r.energy)?;
        Ok(d)
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyTuple>> {
        let inner = &self.inner;
        let data = compute(py, move || {
            hopfield_io::network::encode_memory(inner)
                .map_err(|p| Error::value_error(format!("cannot pickle this memory: {p}")))
        })?;
        let extra = pickle::to_cbor(&(&self.model, self.shape, self.zero_one))?;
        pickle::reduce(py, "Memory", &data, &extra)
    }

    fn __repr__(&self) -> String {
        format!("Memory(N={}, model={})", self.inner.n(), self.model)
    }
}

impl Memory {
    fn recall_any<'py>(
        &self,
        py: Python<'py>,
        cue: &Bound<'py, PyAny>,
        force_batch: bool,
        dynamics: &str,
        keywords: Keywords<'py>,
    ) -> Result<Bound<'py, PyAny>> {
        let read = |obj: &Bound<'py, PyAny>, what: &str| {
            convert::states(
                obj,
                what,
                self.inner.n(),
                self.shape,
                &keywords.encoding,
                Values::Bipolar,
                self.zero_one,
            )
        };
        let target = match &keywords.target {
            None => None,
            Some(t) => match t.extract::<usize>() {
                Ok(mu) => Some(self.pattern(mu)?),
                Err(_) => read(t, "target")?.states.into_iter().next(),
            },
        };
        let options = keywords.options(dynamics, target)?;
        let cues = read(cue, "cue")?;
        let seed = Seed::extract(keywords.seed.as_ref())?.integer(py);
        let states = cues.states;
        let inner = &self.inner;
        let results = compute(py, || Ok(inner.recall_batch(&states, &options, seed)?))?;
        let context = recall::Context {
            dims: cues.dims,
            seed,
            dtype: keywords.dtype,
            binary: false,
        };
        recall::wrap(py, results, states, context, cues.batch || force_batch)
    }

    /// Stored pattern `mu` as the dynamics compare states with it.
    fn pattern(&self, mu: usize) -> Result<Vec<i8>> {
        let patterns = match &self.inner {
            modern::Memory::Classical(net) => net.patterns(),
            modern::Memory::Dense(m) => Some(m.patterns()),
            modern::Memory::Modern(m) => hopfield::Dynamical::patterns(m),
            _ => None,
        };
        match patterns {
            Some(p) => Ok(p.pattern(mu)?.to_vec()),
            None => Err(Error::value_error(
                "target is a pattern index, but the memory stores no patterns",
            )),
        }
    }

    /// Rebuilds a pickled memory: the bytes of its saved file and, in `extra`, its model,
    /// display shape and cue reading.
    pub fn unpickle(py: Python<'_>, data: &[u8], extra: &[u8]) -> Result<Self> {
        let (model, shape, zero_one): (Model, Option<Shape>, ZeroOne) =
            pickle::from_cbor(extra, "Memory")?;
        let data = data.to_vec();
        let inner = compute(py, move || {
            hopfield_io::network::decode_memory(&data)
                .map_err(|p| Error::value_error(format!("not a pickled hopfield.Memory: {p}")))
        })?;
        Ok(Memory {
            inner,
            model,
            shape,
            zero_one,
        })
    }
}
