//! Recall options from keyword arguments, and the result objects `Recall` and
//! `RecallBatch`.

use hopfield::{Outcome, RecallOptions, Record};
use numpy::PyArray1;
use pyo3::exceptions::PyIndexError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyIterator, PyList};

use crate::convert::{self, Dtype, array};
use crate::error::{Error, Result};

/// Builds the engine's options from the Python keywords.
pub fn options(
    dynamics: &str,
    max_steps: Option<i64>,
    tie: &str,
    temperature: f64,
    record: bool,
    target: Option<Vec<i8>>,
    stop_at_fixed_point: bool,
) -> Result<RecallOptions> {
    let max_steps = match max_steps {
        None => None,
        // 0 goes on to the core's check, which every front end shares.
        Some(s) if s >= 0 => Some(usize::try_from(s).map_err(|_| {
            Error::value_error(format!("max_steps = {s} is too large for this machine"))
        })?),
        Some(s) => {
            return Err(hopfield::Error::parameter(
                "max_steps",
                s,
                "must be at least 1 (omit it or pass None for the default)",
            )
            .into());
        }
    };
    Ok(RecallOptions {
        dynamics: convert::parse(dynamics)?,
        tie: convert::parse(tie)?,
        max_steps,
        stop_at_fixed_point,
        record: Record {
            states: record,
            measures: record,
        },
        target: if record { target } else { None },
        temperature,
        cancel: None,
    })
}

/// The result of recalling one cue.
///
/// ``state`` has the cue's shape. ``outcome`` names where the run ended: ``"recalled"``
/// (a stored pattern, index in ``pattern``), ``"reversed"`` (its negative), ``"mixture"``,
/// ``"spurious"``, ``"fixed-point"`` (a network without stored patterns), ``"cycle"``
/// (synchronous dynamics; see ``period``) or ``"unconverged"``.
///
/// With ``record=True`` the per-step records are filled: ``trajectory`` (the states,
/// entry 0 the cue), ``energy_trace``, ``overlap_trace`` and, with a ``target``,
/// ``error_trace`` (Hamming distance to the target).
#[pyclass(frozen, module = "hopfield", name = "Recall")]
#[derive(Debug)]
pub struct Recall {
    inner: hopfield::Recall,
    dims: Vec<usize>,
    seed: u64,
    index: usize,
    dtype: Dtype,
}

impl Recall {
    /// Wraps a result; `dims` is the shape of one state, `index` the cue's index, `dtype`
    /// the dtype of the states it returns.
    pub fn new(
        inner: hopfield::Recall,
        dims: Vec<usize>,
        seed: u64,
        index: usize,
        dtype: Dtype,
    ) -> Self {
        Recall {
            inner,
            dims,
            seed,
            index,
            dtype,
        }
    }
}

fn mixture<'py>(py: Python<'py>, o: &Outcome) -> Result<Option<Bound<'py, PyDict>>> {
    match o {
        Outcome::Mixture { patterns, signs } => {
            let d = PyDict::new(py);
            d.set_item("patterns", patterns.clone())?;
            d.set_item("signs", signs.clone())?;
            Ok(Some(d))
        }
        _ => Ok(None),
    }
}

fn period(o: &Outcome) -> Option<usize> {
    match o {
        Outcome::Cycle { period } => Some(*period),
        _ => None,
    }
}

#[pymethods]
impl Recall {
    /// The final state in the cue's shape: ±1, or 0/1 for binary neurons; int64 unless
    /// the recall asked for another ``dtype``.
    #[getter]
    fn state<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>> {
        self.dtype.array(py, &self.inner.state, &self.dims)
    }

    /// Steps taken: synchronous updates, single-neuron updates (async) or sweeps.
    #[getter]
    fn steps(&self) -> usize {
        self.inner.steps
    }

    /// The step at which the state became its final state for good (the step of the last
    /// change, 0 when the cue was final), in the unit of ``steps``: the steps after it
    /// only confirmed the final state.
    #[getter]
    fn hitting_time(&self) -> usize {
        self.inner.hitting_time
    }

    /// Single-neuron updates performed.
    #[getter]
    fn updates(&self) -> u64 {
        self.inner.updates
    }

    /// Updates that changed a neuron.
    #[getter]
    fn flips(&self) -> u64 {
        self.inner.flips
    }

    /// Whether the final state is a fixed point.
    #[getter]
    fn converged(&self) -> bool {
        self.inner.converged
    }

    /// Where the run ended: recalled, reversed, mixture, spurious, fixed-point, cycle or
    /// unconverged.
    #[getter]
    fn outcome(&self) -> &'static str {
        self.inner.outcome.name()
    }

    /// The stored pattern the outcome names (recalled or reversed), else None.
    #[getter]
    fn pattern(&self) -> Option<usize> {
        self.inner.outcome.pattern()
    }

    /// The period of a cycle, else None.
    #[getter]
    fn period(&self) -> Option<usize> {
        period(&self.inner.outcome)
    }

    /// For a mixture state: ``{"patterns": [a, b, c], "signs": [±1, ±1, ±1]}``, else None.
    #[getter]
    fn mixture<'py>(&self, py: Python<'py>) -> Result<Option<Bound<'py, PyDict>>> {
        mixture(py, &self.inner.outcome)
    }

    /// The outcome in words, e.g. ``"recalled pattern 0"`` or ``"cycle of period 2"``.
    #[getter]
    fn description(&self) -> String {
        self.inner.outcome.to_string()
    }

    /// Final overlaps ``m_μ = ξ^μ · S / N`` with the stored patterns (float64, shape (P,)).
    #[getter]
    fn overlaps<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        PyArray1::from_vec(py, self.inner.overlaps.clone()).into_any()
    }

    /// Final energy ``E = −½ SᵀWS + θ·S``.
    #[getter]
    fn energy(&self) -> f64 {
        self.inner.energy
    }

    /// The integer seed of the dynamics (cue ``k`` of a batch used stream ``k`` of it).
    #[getter]
    fn seed(&self) -> u64 {
        self.seed
    }

    /// The cue's index in its batch (0 for a single cue).
    #[getter]
    fn index(&self) -> usize {
        self.index
    }

    /// The states over time, shape (T + 1, *cue_shape), int64 unless the recall asked for
    /// another ``dtype``; None unless ``record=True``.
    #[getter]
    fn trajectory<'py>(&self, py: Python<'py>) -> Result<Option<Bound<'py, PyAny>>> {
        let Some(t) = &self.inner.trajectory else {
            return Ok(None);
        };
        let mut dims = vec![t.states.len()];
        dims.extend(&self.dims);
        let flat: Vec<i8> = t.states.concat();
        self.dtype.array(py, &flat, &dims).map(Some)
    }

    /// The energy after every step, shape (T + 1,); None unless ``record=True``.
    #[getter]
    fn energy_trace<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyAny>> {
        self.inner
            .trajectory
            .as_ref()
            .map(|t| PyArray1::from_vec(py, t.energy.clone()).into_any())
    }

    /// The overlaps after every step, shape (T + 1, P); None unless ``record=True``.
    #[getter]
    fn overlap_trace<'py>(&self, py: Python<'py>) -> Result<Option<Bound<'py, PyAny>>> {
        let Some(t) = &self.inner.trajectory else {
            return Ok(None);
        };
        let p = self.inner.overlaps.len();
        let flat: Vec<f64> = t.overlaps.concat();
        array(py, flat, &[t.overlaps.len(), p]).map(Some)
    }

    /// The Hamming distance to ``target`` after every step, shape (T + 1,); None unless
    /// ``record=True`` and a target was given.
    #[getter]
    fn error_trace<'py>(&self, py: Python<'py>) -> Result<Option<Bound<'py, PyAny>>> {
        match &self.inner.trajectory {
            Some(t) if !t.errors.is_empty() => {
                let v: Vec<i64> = t.errors.iter().map(|&e| e as i64).collect();
                let len = v.len();
                array(py, v, &[len]).map(Some)
            }
            _ => Ok(None),
        }
    }

    fn __repr__(&self) -> String {
        let r = &self.inner;
        format!(
            "Recall(outcome='{}', pattern={}, steps={}, converged={}, energy={})",
            r.outcome.name(),
            r.outcome
                .pattern()
                .map_or_else(|| "None".to_string(), |p| p.to_string()),
            r.steps,
            if r.converged { "True" } else { "False" },
            r.energy
        )
    }
}

/// The results of recalling a batch of K cues; ``batch[k]`` is the :class:`Recall` of cue
/// ``k``, and the attributes stack the K results into arrays ready for numpy and
/// matplotlib (``state`` has shape (K, *cue_shape)).
#[pyclass(frozen, sequence, module = "hopfield", name = "RecallBatch")]
#[derive(Debug)]
pub struct RecallBatch {
    items: Vec<hopfield::Recall>,
    dims: Vec<usize>,
    seed: u64,
    dtype: Dtype,
}

impl RecallBatch {
    /// Wraps the results of a batch; `dims` is the shape of one state, `dtype` the dtype
    /// of the states it returns.
    pub fn new(items: Vec<hopfield::Recall>, dims: Vec<usize>, seed: u64, dtype: Dtype) -> Self {
        RecallBatch {
            items,
            dims,
            seed,
            dtype,
        }
    }

    fn item(&self, i: usize) -> Recall {
        Recall::new(
            self.items[i].clone(),
            self.dims.clone(),
            self.seed,
            i,
            self.dtype,
        )
    }
}

#[pymethods]
impl RecallBatch {
    fn __len__(&self) -> usize {
        self.items.len()
    }

    fn __getitem__(&self, index: isize) -> PyResult<Recall> {
        let k = self.items.len() as isize;
        let i = if index < 0 { index + k } else { index };
        if !(0..k).contains(&i) {
            return Err(PyIndexError::new_err(format!(
                "cue index {index} is out of range for a batch of {k}"
            )));
        }
        Ok(self.item(i as usize))
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyIterator>> {
        Ok(self.to_list(py)?.try_iter()?)
    }

    /// The final states, shape (K, *cue_shape), int64 unless the recall asked for another
    /// ``dtype``.
    #[getter]
    fn state<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>> {
        let mut dims = vec![self.items.len()];
        dims.extend(&self.dims);
        let flat: Vec<i8> = self
            .items
            .iter()
            .flat_map(|r| r.state.iter().copied())
            .collect();
        self.dtype.array(py, &flat, &dims)
    }

    /// Steps taken by each cue, shape (K,), int64.
    #[getter]
    fn steps<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        let v: Vec<i64> = self.items.iter().map(|r| r.steps as i64).collect();
        PyArray1::from_vec(py, v).into_any()
    }

    /// The hitting time of each cue (see ``Recall.hitting_time``), shape (K,), int64.
    #[getter]
    fn hitting_time<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        let v: Vec<i64> = self.items.iter().map(|r| r.hitting_time as i64).collect();
        PyArray1::from_vec(py, v).into_any()
    }

    /// Single-neuron updates of each cue, shape (K,), int64.
    #[getter]
    fn updates<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        let v: Vec<i64> = self.items.iter().map(|r| r.updates as i64).collect();
        PyArray1::from_vec(py, v).into_any()
    }

    /// Updates that changed a neuron, per cue, shape (K,), int64.
    #[getter]
    fn flips<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        let v: Vec<i64> = self.items.iter().map(|r| r.flips as i64).collect();
        PyArray1::from_vec(py, v).into_any()
    }

    /// Whether each final state is a fixed point, shape (K,), bool.
    #[getter]
    fn converged<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        let v: Vec<bool> = self.items.iter().map(|r| r.converged).collect();
        PyArray1::from_vec(py, v).into_any()
    }

    /// The outcome of each cue (a list of K names; see :class:`Recall`).
    #[getter]
    fn outcome(&self) -> Vec<&'static str> {
        self.items.iter().map(|r| r.outcome.name()).collect()
    }

    /// The stored pattern each outcome names (recalled or reversed), else None; a list.
    #[getter]
    fn pattern(&self) -> Vec<Option<usize>> {
        self.items.iter().map(|r| r.outcome.pattern()).collect()
    }

    /// The final overlaps with the stored patterns, shape (K, P), float64.
    #[getter]
    fn overlaps<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>> {
        let p = self.items.first().map_or(0, |r| r.overlaps.len());
        let flat: Vec<f64> = self
            .items
            .iter()
            .flat_map(|r| r.overlaps.iter().copied())
            .collect();
        array(py, flat, &[self.items.len(), p])
    }

    /// The final energies, shape (K,), float64.
    #[getter]
    fn energy<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        let v: Vec<f64> = self.items.iter().map(|r| r.energy).collect();
        PyArray1::from_vec(py, v).into_any()
    }

    /// The integer seed of the batch (cue ``k`` used stream ``k`` of it).
    #[getter]
    fn seed(&self) -> u64 {
        self.seed
    }

    /// How many cues ended in each outcome, e.g. ``{"recalled": 97, "spurious": 3}``.
    fn counts<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for r in &self.items {
            let name = r.outcome.name();
            let now: usize = match d.get_item(name)? {
                Some(v) => v.extract()?,
                None => 0,
            };
            d.set_item(name, now + 1)?;
        }
        Ok(d)
    }

    /// The K results as a list of :class:`Recall`.
    fn to_list<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyList>> {
        let items = (0..self.items.len())
            .map(|i| Py::new(py, self.item(i)))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(PyList::new(py, items)?)
    }

    fn __repr__(&self) -> String {
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for r in &self.items {
            let name = r.outcome.name();
            match counts.iter_mut().find(|(n, _)| *n == name) {
                Some((_, c)) => *c += 1,
                None => counts.push((name, 1)),
            }
        }
        let parts: Vec<String> = counts.iter().map(|(n, c)| format!("{n}: {c}")).collect();
        format!(
            "RecallBatch({} cues; {})",
            self.items.len(),
            parts.join(", ")
        )
    }
}
