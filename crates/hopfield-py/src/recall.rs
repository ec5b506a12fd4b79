//! Recall options from keyword arguments, and the result objects `Recall` and
//! `RecallBatch`.

use hopfield::{Outcome, RecallOptions, Record};
use numpy::{PyArray1, PyArrayMethods, PyUntypedArrayMethods};
use pyo3::exceptions::{PyIndexError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyInt, PyIterator, PyList, PyTuple};
use serde::{Deserialize, Serialize};

use crate::convert::{self, Dtype, array};
use crate::display;
use crate::error::{Error, Result};
use crate::pickle;

/// The keywords of every recall method (`Network.recall`, `Network.recall_batch`,
/// `Memory.recall`, `Memory.recall_batch`), read from their `**options` in one place.
pub struct Keywords<'py> {
    /// `max_steps=` (None: the dynamics' default).
    pub max_steps: Option<i64>,
    /// `tie=`.
    pub tie: String,
    /// `threshold=` (None: the network's own).
    pub threshold: Option<Bound<'py, PyAny>>,
    /// `temperature=`.
    pub temperature: f64,
    /// `seed=`.
    pub seed: Option<Bound<'py, PyAny>>,
    /// `record=`.
    pub record: bool,
    /// `target=` (a pattern index or a state).
    pub target: Option<Bound<'py, PyAny>>,
    /// `stop_at_fixed_point=`.
    pub stop_at_fixed_point: bool,
    /// `encoding=`.
    pub encoding: String,
    /// `dtype=` of the states returned.
    pub dtype: Dtype,
}

/// The keyword names, in the order the signatures show them.
const KEYWORDS: [&str; 10] = [
    "max_steps",
    "tie",
    "threshold",
    "temperature",
    "seed",
    "record",
    "target",
    "stop_at_fixed_point",
    "encoding",
    "dtype",
];

impl<'py> Keywords<'py> {
    /// Reads the keywords given to `method`, which takes all of `KEYWORDS` but those in
    /// `not_taken`; an unknown or refused name, or a value of the wrong type, is a
    /// TypeError that lists what the method takes.
    pub fn parse(
        method: &str,
        given: Option<&Bound<'py, PyDict>>,
        not_taken: &[&str],
    ) -> Result<Self> {
        let mut k = Keywords {
            max_steps: None,
            tie: "plus".into(),
            threshold: None,
            temperature: 0.0,
            seed: None,
            record: false,
            target: None,
            stop_at_fixed_point: true,
            encoding: "auto".into(),
            dtype: Dtype::default(),
        };
        let Some(given) = given else {
            return Ok(k);
        };
        let taken: Vec<&str> = KEYWORDS
            .iter()
            .copied()
            .filter(|n| !not_taken.contains(n))
            .collect();
        for (key, value) in given.iter() {
            let name: String = key.extract()?;
            if !taken.contains(&name.as_str()) {
                return Err(Error::type_error(format!(
                    "{method}() got an unexpected keyword argument '{}'; it takes {}",
                    hopfield::excerpt(&name),
                    taken.join(", ")
                )));
            }
            let wrong = |expected: &str| {
                Error::type_error(format!(
                    "{method}(): {name} must be {expected}, not {}",
                    convert::type_name(&value)
                ))
            };
            let none = value.is_none();
            match name.as_str() {
                "max_steps" if none => k.max_steps = None,
                "max_steps" => {
                    k.max_steps = Some(value.extract().map_err(|_| wrong("an integer or None"))?)
                }
                "tie" => k.tie = value.extract().map_err(|_| wrong("a string"))?,
                "temperature" => k.temperature = value.extract().map_err(|_| wrong("a number"))?,
                "record" => k.record = value.extract().map_err(|_| wrong("True or False"))?,
                "stop_at_fixed_point" => {
                    k.stop_at_fixed_point = value.extract().map_err(|_| wrong("True or False"))?
                }
                "encoding" => k.encoding = value.extract().map_err(|_| wrong("a string"))?,
                "dtype" => k.dtype = Dtype::extract(Some(&value))?,
                _ if none => {}
                "threshold" => k.threshold = Some(value),
                "seed" => k.seed = Some(value),
                _ => k.target = Some(value),
            }
        }
        Ok(k)
    }

    /// The engine's options for `dynamics`, with the target already read as a state.
    pub fn options(&self, dynamics: &str, target: Option<Vec<i8>>) -> Result<RecallOptions> {
        let max_steps = match self.max_steps {
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
        let options = RecallOptions::new(convert::parse(dynamics)?)
            .tie(convert::parse(&self.tie)?)
            .stop_at_fixed_point(self.stop_at_fixed_point)
            .record(Record::new(self.record, self.record))
            .target(if self.record { target } else { None })
            .temperature(self.temperature);
        Ok(match max_steps {
            Some(k) => options.max_steps(k),
            None => options,
        })
    }
}

/// The results of a call as Python objects: a [`RecallBatch`] when `batch`, else the one
/// [`Recall`]; `cues` are the cues as the dynamics read them.
pub fn wrap<'py>(
    py: Python<'py>,
    results: Vec<hopfield::Recall>,
    cues: Vec<Vec<i8>>,
    context: Context,
    batch: bool,
) -> Result<Bound<'py, PyAny>> {
    if batch {
        return Ok(Bound::new(py, RecallBatch::new(results, cues, context))?.into_any());
    }
    match (results.into_iter().next(), cues.into_iter().next()) {
        (Some(r), Some(cue)) => Ok(Bound::new(py, Recall::new(r, cue, 0, context))?.into_any()),
        _ => Err(Error::Internal("a recall returned no result".into())),
    }
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
///
/// Results pickle (``pickle``, ``copy.deepcopy``, joblib, multiprocessing) and compare
/// equal to their copies.
#[pyclass(frozen, eq, module = "hopfield", name = "Recall")]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recall {
    inner: hopfield::Recall,
    cue: Vec<i8>,
    index: usize,
    context: Context,
}

/// What the results of one call share: the shape of a state, the seed, the dtype of the
/// states returned and the kind of neuron.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Context {
    /// The dimensions of one state.
    pub dims: Vec<usize>,
    /// The integer seed of the call.
    pub seed: u64,
    /// The dtype of the states a result returns.
    pub dtype: Dtype,
    /// Whether the neurons are binary (0 is inactive rather than unknown).
    pub binary: bool,
}

impl Recall {
    /// Wraps the result of cue number `index` (`cue` as the dynamics read it).
    pub fn new(inner: hopfield::Recall, cue: Vec<i8>, index: usize, context: Context) -> Self {
        Recall {
            inner,
            cue,
            index,
            context,
        }
    }

    fn states<'py>(
        &self,
        py: Python<'py>,
        values: &[i8],
        dims: &[usize],
    ) -> Result<Bound<'py, PyAny>> {
        self.context.dtype.array(py, values, dims)
    }

    /// The outcome and the run in words, for the displays.
    fn summary(&self) -> String {
        let r = &self.inner;
        format!(
            "{} after {} step{}{}",
            r.outcome,
            r.steps,
            if r.steps == 1 { "" } else { "s" },
            if r.converged { "" } else { " (not converged)" }
        )
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
        self.states(py, &self.inner.state, &self.context.dims)
    }

    /// The cue as the dynamics read it (0 = unknown for ±1 neurons), in the cue's shape
    /// and the dtype of ``state``.
    #[getter]
    fn cue<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>> {
        self.states(py, &self.cue, &self.context.dims)
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
        self.context.seed
    }

    /// The cue's index in its batch (0 for a single cue; a slice of a batch keeps the
    /// indices of the batch it was taken from).
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
        dims.extend(&self.context.dims);
        let flat: Vec<i8> = t.states.concat();
        self.states(py, &flat, &dims).map(Some)
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

    fn __reduce__<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyTuple>> {
        pickle::reduce(py, "Recall", &pickle::to_cbor(self)?, &[])
    }

    /// The notebook's view: the cue and the final state as images, the outcome, the steps
    /// and the energy.
    fn _repr_html_(&self) -> Result<String> {
        let c = &self.context;
        let r = &self.inner;
        let images = [
            display::figure(&display::img(&self.cue, &c.dims, c.binary, "cue")?, "cue"),
            "<span style=\"font-size:x-large;vertical-align:middle\">→</span>".to_string(),
            display::figure(
                &display::img(&r.state, &c.dims, c.binary, "final state")?,
                "final state",
            ),
        ]
        .concat();
        let rows = [
            (
                "outcome".to_string(),
                display::escape(&r.outcome.to_string()),
            ),
            (
                "steps".to_string(),
                format!(
                    "{} ({} updates, {} flips, last change at step {})",
                    r.steps, r.updates, r.flips, r.hitting_time
                ),
            ),
            (
                "converged".to_string(),
                if r.converged { "yes" } else { "no" }.to_string(),
            ),
            ("energy".to_string(), format!("{:.6}", r.energy)),
        ];
        Ok(format!(
            "<div>{}<div>{images}</div></div>",
            display::table(&format!("hopfield.Recall: {}", self.summary()), &rows)
        ))
    }

    /// A PNG of the cue and the final state side by side, for states with a 2-D shape
    /// (None otherwise).
    fn _repr_png_<'py>(&self, py: Python<'py>) -> Result<Option<Bound<'py, PyBytes>>> {
        let c = &self.context;
        if c.dims.len() != 2 {
            return Ok(None);
        }
        let png = display::png_row(&[&self.cue, &self.inner.state], &c.dims, c.binary)?;
        Ok(Some(PyBytes::new(py, &png)))
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
///
/// A batch is indexed as a numpy array of its K results: ``batch[k]`` (an integer,
/// negative from the end) is one :class:`Recall`; a slice (``batch[10:20]``,
/// ``batch[::-1]``), an array or list of integers, or a boolean mask of K values
/// (``batch[batch.converged]``) is a new :class:`RecallBatch` of those results, each
/// keeping its ``index`` in the batch it was taken from. Batches pickle and compare equal
/// to their copies.
#[pyclass(frozen, eq, sequence, module = "hopfield", name = "RecallBatch")]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecallBatch {
    items: Vec<hopfield::Recall>,
    cues: Vec<Vec<i8>>,
    indices: Vec<usize>,
    context: Context,
}

impl RecallBatch {
    /// Wraps the results of a batch (`cues` as the dynamics read them).
    pub fn new(items: Vec<hopfield::Recall>, cues: Vec<Vec<i8>>, context: Context) -> Self {
        let indices = (0..items.len()).collect();
        RecallBatch {
            items,
            cues,
            indices,
            context,
        }
    }

    fn item(&self, i: usize) -> Recall {
        Recall::new(
            self.items[i].clone(),
            self.cues[i].clone(),
            self.indices[i],
            self.context.clone(),
        )
    }

    /// The results at positions `at` (each in `0..K`), as a new batch.
    fn select(&self, at: &[usize]) -> RecallBatch {
        RecallBatch {
            items: at.iter().map(|&i| self.items[i].clone()).collect(),
            cues: at.iter().map(|&i| self.cues[i].clone()).collect(),
            indices: at.iter().map(|&i| self.indices[i]).collect(),
            context: self.context.clone(),
        }
    }

    /// Outcome names with their counts, in order of first appearance.
    fn tally(&self) -> Vec<(&'static str, usize)> {
        let mut counts: Vec<(&'static str, usize)> = Vec::new();
        for r in &self.items {
            let name = r.outcome.name();
            match counts.iter_mut().find(|(n, _)| *n == name) {
                Some((_, c)) => *c += 1,
                None => counts.push((name, 1)),
            }
        }
        counts
    }
}

#[pymethods]
impl RecallBatch {
    fn __len__(&self) -> usize {
        self.items.len()
    }

    fn __getitem__<'py>(
        &self,
        py: Python<'py>,
        index: &Bound<'py, PyAny>,
    ) -> Result<Bound<'py, PyAny>> {
        let k = self.items.len();
        if index.is_instance_of::<PyBool>() {
            return Err(Error::type_error(
                "a batch index must be an integer, a slice, integers or a boolean mask, not a bool",
            ));
        }
        if index.is_instance_of::<PyInt>()
            || (index.hasattr("__index__")? && !index.hasattr("__len__")?)
        {
            let i: isize = index.call_method0("__index__")?.extract().map_err(|_| {
                PyIndexError::new_err(format!(
                    "cue index {index} is out of range for a batch of {k}"
                ))
            })?;
            let j = if i < 0 { i + k as isize } else { i };
            if !(0..k as isize).contains(&j) {
                return Err(PyIndexError::new_err(format!(
                    "cue index {i} is out of range for a batch of {k}"
                ))
                .into());
            }
            return Ok(Bound::new(py, self.item(j as usize))?.into_any());
        }
        // Anything else is read as numpy reads an index of a 1-D array of K items.
        match numpy_positions(py, index, k)? {
            Selection::One(i) => Ok(Bound::new(py, self.item(i))?.into_any()),
            Selection::Many(at) => Ok(Bound::new(py, self.select(&at))?.into_any()),
        }
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyIterator>> {
        Ok(self.to_list(py)?.try_iter()?)
    }

    /// The final states, shape (K, *cue_shape), int64 unless the recall asked for another
    /// ``dtype``.
    #[getter]
    fn state<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>> {
        let mut dims = vec![self.items.len()];
        dims.extend(&self.context.dims);
        let flat: Vec<i8> = self
            .items
            .iter()
            .flat_map(|r| r.state.iter().copied())
            .collect();
        self.context.dtype.array(py, &flat, &dims)
    }

    /// The cues as the dynamics read them, shape (K, *cue_shape), in the dtype of
    /// ``state``.
    #[getter]
    fn cue<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>> {
        let mut dims = vec![self.items.len()];
        dims.extend(&self.context.dims);
        self.context.dtype.array(py, &self.cues.concat(), &dims)
    }

    /// The index of each result's cue in the batch that was recalled, shape (K,), int64
    /// (``0, 1, …, K − 1`` unless this batch is a slice of another).
    #[getter]
    fn index<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        let v: Vec<i64> = self.indices.iter().map(|&i| i as i64).collect();
        PyArray1::from_vec(py, v).into_any()
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
        self.context.seed
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

    fn __reduce__<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyTuple>> {
        pickle::reduce(py, "RecallBatch", &pickle::to_cbor(self)?, &[])
    }

    /// The notebook's view: how many cues ended in each outcome, with the steps taken.
    fn _repr_html_(&self) -> String {
        let k = self.items.len();
        let mut rows: Vec<(String, String)> = self
            .tally()
            .into_iter()
            .map(|(name, c)| {
                let share = 100.0 * c as f64 / k.max(1) as f64;
                (
                    name.to_string(),
                    format!(
                        "{c} ({share:.1} %) <span style=\"display:inline-block;height:0.8em;\
                         width:{:.0}px;background:#4c72b0\"></span>",
                        share * 1.5
                    ),
                )
            })
            .collect();
        if k > 0 {
            let steps: Vec<usize> = self.items.iter().map(|r| r.steps).collect();
            let mean = steps.iter().sum::<usize>() as f64 / k as f64;
            let max = steps.iter().copied().max().unwrap_or(0);
            let converged = self.items.iter().filter(|r| r.converged).count();
            rows.push(("steps".into(), format!("mean {mean:.2}, at most {max}")));
            rows.push(("converged".into(), format!("{converged} of {k}")));
        }
        display::table(
            &format!(
                "hopfield.RecallBatch of {k} cue{}",
                if k == 1 { "" } else { "s" }
            ),
            &rows,
        )
    }

    fn __repr__(&self) -> String {
        let parts: Vec<String> = self
            .tally()
            .iter()
            .map(|(n, c)| format!("{n}: {c}"))
            .collect();
        format!(
            "RecallBatch({} cues; {})",
            self.items.len(),
            parts.join(", ")
        )
    }
}

/// What an index selects among the K results of a batch.
enum Selection {
    /// One result (an integer index, also a 0-d array).
    One(usize),
    /// Several, in this order (a slice, integers, a mask).
    Many(Vec<usize>),
}

/// The positions `np.arange(k)[index]` selects, refused unless they form a 1-D selection
/// or a single one.
fn numpy_positions(py: Python<'_>, index: &Bound<'_, PyAny>, k: usize) -> Result<Selection> {
    let np = py.import("numpy")?;
    let all = np.call_method1("arange", (k,))?;
    let picked = all.get_item(index).map_err(|e| {
        let why = e.value(py).to_string();
        let err: PyErr = if e.is_instance_of::<PyTypeError>(py) {
            PyTypeError::new_err(format!(
                "cannot index a batch of {k} cues with {}: {why} (use an integer, a slice, \
                 integers or a boolean mask of {k})",
                convert::type_name(index)
            ))
        } else {
            PyIndexError::new_err(format!(
                "cannot index a batch of {k} cues: {why} (use an integer, a slice, integers \
                 or a boolean mask of {k})"
            ))
        };
        err
    })?;
    let picked = np
        .call_method1("asarray", (picked, "int64"))?
        .cast_into::<numpy::PyArrayDyn<i64>>()
        .map_err(|_| Error::type_error("a batch index must select cues of the batch"))?;
    let positions: Vec<usize> = picked
        .readonly()
        .as_array()
        .iter()
        .map(|&i| i as usize)
        .collect();
    match picked.ndim() {
        0 => Ok(Selection::One(positions[0])),
        1 => Ok(Selection::Many(positions)),
        _ => Err(PyIndexError::new_err(format!(
            "a batch index must select a 1-D set of cues, got shape {}",
            convert::shape_text(picked.shape())
        ))
        .into()),
    }
}
