//! `hopfield.Network`: build a network, recall, measure.

use std::path::PathBuf;

use hopfield::{
    Activation, AssociativeMemory, DenseMatrix, LearningRule, Patterns, Representation, Shape,
    Storage, Threshold, Weights,
};
use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyTuple};

use crate::convert::{self, Dtype, Values, ZeroOne, array, patterns_array, state_dims};
use crate::display;
use crate::error::{Error, Result, compute};
use crate::pickle;
use crate::recall::{self, Keywords};
use crate::rng::Seed;

/// Whether `dtype=` of [`Network::weight_rows`] asks for float32 (else float64, the
/// default); any other dtype is refused.
fn float_dtype(dtype: Option<&Bound<'_, PyAny>>) -> Result<bool> {
    let Some(obj) = dtype.filter(|d| !d.is_none()) else {
        return Ok(false);
    };
    let bad = || {
        Error::type_error(format!(
            "dtype must be np.float64 (the default) or np.float32 for weights, got {}",
            obj.repr().map(|r| r.to_string()).unwrap_or_default()
        ))
    };
    let d = obj
        .py()
        .import("numpy")?
        .call_method1("dtype", (obj,))
        .map_err(|_| bad())?;
    let kind: String = d.getattr("kind")?.extract()?;
    let size: usize = d.getattr("itemsize")?.extract()?;
    match (kind.as_str(), size) {
        ("f", 8) => Ok(false),
        ("f", 4) => Ok(true),
        _ => Err(bad()),
    }
}

/// `x` rounded to 4 significant decimals for display.
fn round4(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return x.to_string();
    }
    let digits = (3 - x.abs().log10().floor() as i32).max(0) as usize;
    let s = format!("{x:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A Hopfield network: couplings ``W``, a threshold ``θ``, the kind of neuron, and the
/// patterns it stores (to name outcomes and measure overlaps).
///
/// Build one with :meth:`Network.from_patterns` (a learning rule),
/// :meth:`Network.random` (random couplings) or ``Network(W)`` (a matrix of your own).
/// Networks are immutable and safe to share between threads; they pickle (``pickle``,
/// ``copy.deepcopy``, joblib, multiprocessing) through the bytes of their saved file and
/// compare equal to their copies.
#[pyclass(frozen, eq, module = "hopfield", name = "Network")]
#[derive(Debug, PartialEq)]
pub struct Network {
    net: hopfield::Network,
    shape: Option<Shape>,
    /// How `encoding="auto"` reads a state of only 0 and 1 (from the patterns' encoding).
    zero_one: ZeroOne,
}

fn activation(name: &str) -> Result<Activation> {
    match name {
        "bipolar" | "pm1" | "±1" => Ok(Activation::Bipolar),
        "binary" | "01" => Ok(Activation::Binary),
        _ => Err(hopfield::Error::parameter(
            "activation",
            name,
            "expected one of: bipolar (±1 neurons), binary (0/1 neurons)",
        )
        .into()),
    }
}

fn activation_name(a: Activation) -> &'static str {
    match a {
        Activation::Bipolar => "bipolar",
        Activation::Binary => "binary",
    }
}

fn json_to_py<'py>(py: Python<'py>, v: &serde_json::Value) -> Result<Bound<'py, PyAny>> {
    use pyo3::IntoPyObjectExt;
    use serde_json::Value;
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_bound_py_any(py)?,
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.into_bound_py_any(py)?,
            (None, Some(f)) => f.into_bound_py_any(py)?,
            _ => n.to_string().into_bound_py_any(py)?,
        },
        Value::String(s) => s.into_bound_py_any(py)?,
        Value::Array(a) => a
            .iter()
            .map(|x| json_to_py(py, x))
            .collect::<Result<Vec<_>>>()?
            .into_bound_py_any(py)?,
        Value::Object(o) => {
            let d = PyDict::new(py);
            for (k, x) in o {
                d.set_item(k, json_to_py(py, x)?)?;
            }
            d.into_any()
        }
    })
}

impl Network {
    /// This network's shape and encoding around other couplings.
    fn with(&self, net: hopfield::Network) -> Network {
        Network {
            net,
            shape: self.shape,
            zero_one: self.zero_one,
        }
    }

    fn values(&self) -> Values {
        match self.net.activation() {
            Activation::Bipolar => Values::Bipolar,
            Activation::Binary => Values::Binary,
        }
    }

    fn states(
        &self,
        obj: &Bound<'_, PyAny>,
        what: &str,
        encoding: &str,
    ) -> Result<convert::States> {
        convert::states(
            obj,
            what,
            self.net.n(),
            self.shape,
            encoding,
            self.values(),
            self.zero_one,
        )
    }

    fn target(&self, obj: Option<&Bound<'_, PyAny>>, encoding: &str) -> Result<Option<Vec<i8>>> {
        let Some(obj) = obj.filter(|o| !o.is_none()) else {
            return Ok(None);
        };
        if let Ok(mu) = obj.extract::<usize>() {
            let Some(p) = self.net.patterns() else {
                return Err(Error::value_error(
                    "target is a pattern index, but the network stores no patterns",
                ));
            };
            return Ok(Some(p.pattern(mu)?.to_vec()));
        }
        let t = self.states(obj, "target", encoding)?;
        if t.batch {
            return Err(Error::value_error("target must be one state, not a batch"));
        }
        Ok(t.states.into_iter().next())
    }

    /// Runs the batch without the GIL.
    fn run(
        &self,
        py: Python<'_>,
        cues: Vec<Vec<i8>>,
        options: hopfield::RecallOptions,
        threshold: Option<Threshold>,
        seed: u64,
    ) -> Result<Vec<hopfield::Recall>> {
        let base = &self.net;
        compute(py, move || {
            let owned;
            let net = match threshold {
                Some(t) if &t != base.threshold() => {
                    owned = base.clone().with_threshold(t)?;
                    &owned
                }
                _ => base,
            };
            Ok(net.recall_batch(&cues, &options, seed)?)
        })
    }

    fn recall_any<'py>(
        &self,
        py: Python<'py>,
        cue: &Bound<'py, PyAny>,
        force_batch: bool,
        dynamics: &str,
        keywords: Keywords<'py>,
    ) -> Result<Bound<'py, PyAny>> {
        let encoding = keywords.encoding.as_str();
        let target = self.target(keywords.target.as_ref(), encoding)?;
        let options = keywords.options(dynamics, target)?;
        let threshold = match &keywords.threshold {
            Some(t) => Some(convert::threshold(t, self.net.n())?),
            None => None,
        };
        let cues = self.states(cue, "cue", encoding)?;
        let seed = Seed::extract(keywords.seed.as_ref())?.integer(py);
        let batch = cues.batch || force_batch;
        let read = cues.states.clone();
        let results = self.run(py, cues.states, options, threshold, seed)?;
        let context = recall::Context {
            dims: cues.dims,
            seed,
            dtype: keywords.dtype,
            binary: self.net.activation() == Activation::Binary,
        };
        recall::wrap(py, results, read, context, batch)
    }

    /// Rebuilds a pickled network: the bytes of its saved file and, in `extra`, its
    /// display shape and cue reading.
    pub fn unpickle(py: Python<'_>, data: &[u8], extra: &[u8]) -> Result<Self> {
        let (shape, zero_one): (Option<Shape>, ZeroOne) = pickle::from_cbor(extra, "Network")?;
        let data = data.to_vec();
        let net = compute(py, move || {
            hopfield_io::network::decode_network(&data)
                .map_err(|p| Error::value_error(format!("not a pickled hopfield.Network: {p}")))
        })?;
        Ok(Network {
            net,
            shape,
            zero_one,
        })
    }

    /// Rows `start..stop` of W as row-major values of type `T` (`conv` of the float64
    /// value), refused beyond the memory available.
    fn rows<T: Send>(
        &self,
        py: Python<'_>,
        start: usize,
        stop: usize,
        dtype: &str,
        conv: impl Fn(f64) -> T + Send + Copy,
    ) -> Result<Vec<T>> {
        let w = self.net.weights();
        let n = w.n();
        let count = stop - start;
        let needed = hopfield::guard::product(&[count, n], std::mem::size_of::<T>());
        let what = if count == n {
            format!("a {dtype} {n} x {n} weight matrix")
        } else {
            format!("a {dtype} block of {count} x {n} weights")
        };
        hopfield::guard::check(
            &what,
            needed,
            "ask for fewer rows at a time (net.weight_rows(start, stop)) or for \
             dtype=np.float32",
        )?;
        compute(py, move || {
            // A block of at least an eighth of W is cut from the whole matrix in the type
            // it is stored in (formed from the patterns first when factored); a smaller
            // one is read value by value.
            let whole = if 8 * count >= n {
                match w.dense_parts() {
                    Some(parts) => Some(parts),
                    None => {
                        let elem = if w.storage() == Storage::Factored {
                            4
                        } else {
                            1
                        };
                        hopfield::guard::check(
                            &format!("a dense {n} x {n} copy of the factored W"),
                            hopfield::guard::product(&[n, n], elem),
                            "ask for fewer rows at a time (net.weight_rows(start, stop))",
                        )?;
                        w.to_dense()?.dense_parts()
                    }
                }
            } else {
                None
            };
            let mut out = Vec::with_capacity(count * n);
            match whole {
                Some((matrix, scale)) => {
                    let range = start * n..stop * n;
                    match matrix {
                        DenseMatrix::I8(m) => {
                            out.extend(m[range].iter().map(|&v| conv(scale * f64::from(v))))
                        }
                        DenseMatrix::I16(m) => {
                            out.extend(m[range].iter().map(|&v| conv(scale * f64::from(v))))
                        }
                        DenseMatrix::I32(m) => {
                            out.extend(m[range].iter().map(|&v| conv(scale * f64::from(v))))
                        }
                        DenseMatrix::F32(m) => {
                            out.extend(m[range].iter().map(|&v| conv(scale * f64::from(v))))
                        }
                    }
                }
                None => {
                    for i in start..stop {
                        out.extend((0..n).map(|j| conv(w.get(i, j))));
                    }
                }
            }
            Ok(out)
        })
    }
}

#[pymethods]
impl Network {
    /// A network with the couplings ``weights`` (an (N, N) float matrix, stored as
    /// float32), threshold ``θ`` (a number or N numbers), ``activation`` ``"bipolar"``
    /// (±1 neurons) or ``"binary"`` (0/1 neurons), and optionally the ``patterns`` to
    /// compare states with (overlaps, outcomes) and a display ``shape`` (H, W). The
    /// patterns are a set, (P, H, W) or (P, N); a 2-D array is read by the network's
    /// size: rows of N neurons, or one image of N neurons.
    #[new]
    #[pyo3(signature = (weights, *, threshold=None, activation="bipolar", patterns=None, shape=None))]
    fn py_new(
        py: Python<'_>,
        weights: &Bound<'_, PyAny>,
        threshold: Option<&Bound<'_, PyAny>>,
        activation: &str,
        patterns: Option<&Bound<'_, PyAny>>,
        shape: Option<&Bound<'_, PyAny>>,
    ) -> Result<Self> {
        let w = convert::numbers(weights, "weights")?;
        let n = match *w.dims.as_slice() {
            [a, b] if a == b => a,
            _ => {
                return Err(Error::value_error(format!(
                    "weights must be a square (N, N) matrix, got shape {:?}",
                    w.dims
                )));
            }
        };
        let values: Vec<f32> = w.values.iter().map(|&v| v as f32).collect();
        let weights = compute(py, move || Ok(Weights::from_matrix(n, values)?))?;
        let mut net =
            hopfield::Network::new(weights).with_activation(self::activation(activation)?);
        if let Some(t) = threshold.filter(|t| !t.is_none()) {
            net = net.with_threshold(convert::threshold(t, n)?)?;
        }
        let mut shape = convert::optional_size(shape, "shape")?;
        if let Some(s) = shape {
            s.check("the network", n)?;
        }
        let mut zero_one = ZeroOne::Unknown;
        if let Some(p) = patterns.filter(|p| !p.is_none()) {
            let item = shape.map(convert::ItemShape::Image);
            let (p, enc) = convert::patterns(p, item, Some(n), "auto")?;
            shape = shape.or(p.shape());
            zero_one = ZeroOne::of_patterns(enc);
            net = net.with_patterns(p)?;
        }
        Ok(Network {
            net,
            shape,
            zero_one,
        })
    }

    /// A network storing the patterns ``X`` with a learning rule.
    ///
    /// ``X`` is a set: (P, H, W) images (then states have shape (H, W)), as every
    /// generator of :mod:`hopfield.patterns` returns, or (P, N) flat patterns; one flat
    /// pattern (N,) is allowed. A 2-D array is read as P flat patterns only when it has
    /// fewer rows than columns (or one row): a square or taller one may be one image, and
    /// is refused unless you say which: ``X[None]`` (or ``shape=(H, W)``) for one image,
    /// ``shape=(N,)`` for P flat patterns. ``shape=(H, W)`` also gives flat patterns of
    /// H·W neurons their display shape. Values are ±1, or 0/1 data converted with
    /// S = 2V − 1 (``encoding="auto"`` decides from the values, as the command line
    /// does), in any integer, float or bool dtype. A network stored from 0/1 data
    /// refuses cues of only 0 and 1 under ``encoding="auto"`` (is 0 off, or unknown?).
    ///
    /// ``rule`` is ``"hebb"`` (W = c Σ ξξᵀ, zero diagonal, c = 1/N) or ``"outer01"``
    /// (the course page's rule on 0/1 vectors, c = 1); ``rule_options`` set the rule's
    /// fields, today ``normalization="1/N" | "1/P" | "none"``. ``representation``
    /// chooses how W is stored: ``"auto"``, ``"dense"`` (the N × N matrix) or
    /// ``"factored"`` (the P patterns; W is never formed). ``threshold`` is θ, a number
    /// or N numbers.
    #[staticmethod]
    #[pyo3(signature = (patterns, rule="hebb", *, shape=None, encoding="auto", representation="auto", threshold=None, **rule_options))]
    #[allow(clippy::too_many_arguments)]
    fn from_patterns(
        py: Python<'_>,
        patterns: &Bound<'_, PyAny>,
        rule: &str,
        shape: Option<&Bound<'_, PyAny>>,
        encoding: &str,
        representation: &str,
        threshold: Option<&Bound<'_, PyAny>>,
        rule_options: Option<&Bound<'_, PyDict>>,
    ) -> Result<Self> {
        let shape = convert::item_shape(shape, "shape")?;
        let (p, enc) = convert::patterns(patterns, shape, None, encoding)?;
        let rule = convert::rule(rule, rule_options)?;
        let representation: Representation = convert::parse(representation)?;
        let shape = p.shape();
        let n = p.n();
        let mut net = compute(py, move || {
            Ok(hopfield::Network::train(&p, &rule, representation)?)
        })?;
        if let Some(t) = threshold.filter(|t| !t.is_none()) {
            net = net.with_threshold(convert::threshold(t, n)?)?;
        }
        Ok(Network {
            net,
            shape,
            zero_one: ZeroOne::of_patterns(enc),
        })
    }

    /// The network that stores ``patterns`` too (a pattern, a set, or images of the
    /// network's shape), equal to one built from scratch on all its patterns in order.
    /// Hebb's rules and the covariance rule add the new outer products; Storkey's rule
    /// learns them one after another; a diluted network or a threshold of your own is
    /// built again the same way. Rules that must see every pattern at once (the
    /// pseudo-inverse, perceptron learning) are refused: build them anew with
    /// :meth:`Network.from_patterns`.
    #[pyo3(signature = (patterns, *, encoding="auto"))]
    fn store(&self, py: Python<'_>, patterns: &Bound<'_, PyAny>, encoding: &str) -> Result<Self> {
        let (more, _) = convert::patterns(patterns, None, Some(self.net.n()), encoding)?;
        let mut net = self.net.clone();
        compute(py, move || {
            net.store(&more)?;
            Ok(net)
        })
        .map(|net| self.with(net))
    }

    /// The network without stored pattern ``index`` (negative counts from the end), equal
    /// to one built from scratch on the others in order; refused as :meth:`store` is.
    fn forget(&self, py: Python<'_>, index: isize) -> Result<Self> {
        let p = self.net.patterns().map_or(0, |p| p.len());
        let at = if index < 0 {
            p.checked_sub(index.unsigned_abs())
        } else {
            Some(index.unsigned_abs())
        };
        let Some(at) = at.filter(|&k| k < p) else {
            return Err(Error::Python(pyo3::exceptions::PyIndexError::new_err(
                format!(
                    "pattern index {index} is out of range: the network stores {p} pattern{}",
                    if p == 1 { "" } else { "s" }
                ),
            )));
        };
        let mut net = self.net.clone();
        compute(py, move || {
            net.forget(at)?;
            Ok(net)
        })
        .map(|net| self.with(net))
    }

    /// The same network with diluted couplings: each connection kept with probability
    /// ``connectivity`` (in (0, 1]), in symmetric pairs unless ``symmetric=False``; the
    /// diagonal is kept. ``seed`` (an integer) makes it reproducible.
    #[pyo3(signature = (connectivity, *, seed, symmetric=true))]
    fn diluted(
        &self,
        py: Python<'_>,
        connectivity: f64,
        seed: u64,
        symmetric: bool,
    ) -> Result<Self> {
        let dilution = hopfield::Dilution::new(connectivity, seed).symmetric(symmetric);
        let net = self.net.clone();
        let net = compute(py, move || Ok(net.diluted(&dilution)?))?;
        Ok(Network {
            net,
            shape: self.shape,
            zero_one: self.zero_one,
        })
    }

    /// A network of ``n`` neurons with random couplings.
    ///
    /// ``kind="uniform"``: W_ij uniform in [0, 1), asymmetric, with a diagonal, as the
    /// course page's first cell (binary 0/1 neurons unless ``activation`` says
    /// otherwise). ``kind="gaussian"``: symmetric, zero diagonal, W_ij ~ N(0, σ²/N), the
    /// Sherrington–Kirkpatrick spin glass (bipolar neurons by default).
    #[staticmethod]
    #[pyo3(signature = (n, kind="uniform", *, seed=None, sigma=1.0, threshold=None, activation=None))]
    fn random(
        py: Python<'_>,
        n: usize,
        kind: &str,
        seed: Option<&Bound<'_, PyAny>>,
        sigma: f64,
        threshold: Option<&Bound<'_, PyAny>>,
        activation: Option<&str>,
    ) -> Result<Self> {
        if n == 0 {
            return Err(hopfield::Error::parameter("n", 0, "must be at least 1").into());
        }
        let (default, uniform) = match kind {
            "uniform" => (Activation::Binary, true),
            "gaussian" => (Activation::Bipolar, false),
            _ => {
                return Err(hopfield::Error::parameter(
                    "kind",
                    kind,
                    "expected one of: uniform, gaussian",
                )
                .into());
            }
        };
        let seed = Seed::extract(seed)?;
        let weights = seed.with(py, |rng| {
            py.detach(|| {
                crate::error::guard(|| {
                    Ok(if uniform {
                        Weights::uniform(n, rng)?
                    } else {
                        Weights::gaussian(n, sigma, rng)?
                    })
                })
            })
        })?;
        let act = match activation {
            Some(a) => self::activation(a)?,
            None => default,
        };
        let mut net = hopfield::Network::new(weights).with_activation(act);
        if let Some(t) = threshold.filter(|t| !t.is_none()) {
            net = net.with_threshold(convert::threshold(t, n)?)?;
        }
        Ok(Network {
            net,
            shape: None,
            zero_one: ZeroOne::Unknown,
        })
    }

    /// Runs the dynamics from ``cue`` and returns a :class:`Recall`, or a
    /// :class:`RecallBatch` when ``cue`` is a batch of shape (K, N) or (K, H, W); the
    /// cues of a batch run in parallel, without the GIL.
    ///
    /// ``dynamics``: ``"sync"`` (all neurons at once), ``"async"`` (one random neuron
    /// per step, with replacement, as the course page), ``"sweep"`` (every neuron once
    /// per step in a fresh random order) or ``"sequential"`` (order 0..N). ``max_steps``
    /// defaults to 100 (sync, sweep, sequential) or 100·N (async). ``tie`` is the value
    /// when the field equals the threshold: ``"plus"``, ``"minus"`` (the page's
    /// ``x > 0``) or ``"keep"``. ``threshold`` overrides the network's θ for this call.
    /// ``temperature`` T > 0 makes the updates stochastic (Glauber, heat bath):
    /// P(S_i = +1) = 1 / (1 + exp(−2(h_i − θ_i)/T)); T = 0 is the deterministic rule and
    /// a stochastic run takes all ``max_steps`` steps. ``seed`` (None, an integer, a
    /// ``numpy.random.Generator`` or ``SeedSequence``, or a :class:`Rng`; see
    /// :func:`hopfield.resolve_seed`) drives the random update order and draws: cue ``k``
    /// uses stream ``k`` of it, so a single cue gives the same result as the command
    /// line with ``--seed``. ``record=True`` keeps the states and measures of every
    /// step; ``target`` (a pattern index or a state) adds the Hamming error.
    /// ``stop_at_fixed_point=False`` runs all ``max_steps`` as the page's fixed loops.
    ///
    /// Cue values are ±1 with 0 for unknown (and −2..2 as the page's additive noise
    /// makes); binary networks take 0/1. ``encoding="auto"`` reads a cue in the
    /// network's own encoding and never turns a 0 into −1: a cue of only 0 and 1 (a
    /// masked cue, as :func:`hopfield.noise.mask` makes) is +1 and unknown, except for a
    /// network stored from 0/1 data, where it is refused as ambiguous (a network built
    /// from couplings or loaded from a file reads its own encoding). A bool array is
    /// on/off data. ``encoding="binary"`` converts 0/1 data with S = 2V − 1;
    /// ``encoding="bipolar"`` reads 0 as unknown. The same holds for ``target`` and for
    /// the states given to :meth:`energy`, :meth:`overlaps`, :meth:`fields` and
    /// :meth:`is_fixed_point`.
    ///
    /// The result's ``state`` and ``trajectory`` are numpy's default integer (int64);
    /// ``dtype=np.int8`` gives them one byte a neuron (any signed integer or float dtype
    /// is accepted).
    #[pyo3(signature = (cue, dynamics="sync", **options))]
    fn recall<'py>(
        &self,
        py: Python<'py>,
        cue: &Bound<'py, PyAny>,
        dynamics: &str,
        options: Option<&Bound<'py, PyDict>>,
    ) -> Result<Bound<'py, PyAny>> {
        let keywords = Keywords::parse("recall", options, &[])?;
        self.recall_any(py, cue, false, dynamics, keywords)
    }

    /// Like :meth:`recall`, but always returns a :class:`RecallBatch` (a single cue is a
    /// batch of one).
    #[pyo3(signature = (cues, dynamics="sync", **options))]
    fn recall_batch<'py>(
        &self,
        py: Python<'py>,
        cues: &Bound<'py, PyAny>,
        dynamics: &str,
        options: Option<&Bound<'py, PyDict>>,
    ) -> Result<Bound<'py, PyAny>> {
        let keywords = Keywords::parse("recall_batch", options, &[])?;
        self.recall_any(py, cues, true, dynamics, keywords)
    }

    /// The energy ``E = −½ SᵀWS + θ·S`` of a state (a float), or of each state of a
    /// batch (an array of K).
    #[pyo3(signature = (state, *, encoding="auto"))]
    fn energy<'py>(
        &self,
        py: Python<'py>,
        state: &Bound<'py, PyAny>,
        encoding: &str,
    ) -> Result<Bound<'py, PyAny>> {
        let s = self.states(state, "state", encoding)?;
        let net = &self.net;
        let states = s.states;
        let e = compute(py, move || {
            states
                .iter()
                .map(|s| Ok(net.energy(s)?))
                .collect::<Result<Vec<f64>>>()
        })?;
        if s.batch {
            Ok(PyArray1::from_vec(py, e).into_any())
        } else {
            Ok(pyo3::types::PyFloat::new(py, e[0]).into_any())
        }
    }

    /// The overlaps ``m_μ = ξ^μ · S / N`` with the stored patterns: shape (P,) for a
    /// state, (K, P) for a batch (P = 0 when the network stores no patterns).
    #[pyo3(signature = (state, *, encoding="auto"))]
    fn overlaps<'py>(
        &self,
        py: Python<'py>,
        state: &Bound<'py, PyAny>,
        encoding: &str,
    ) -> Result<Bound<'py, PyAny>> {
        let s = self.states(state, "state", encoding)?;
        let p = self.net.patterns().map_or(0, Patterns::len);
        let mut flat = Vec::with_capacity(s.states.len() * p);
        for x in &s.states {
            flat.extend(self.net.overlaps(x)?);
        }
        if s.batch {
            array(py, flat, &[s.states.len(), p])
        } else {
            array(py, flat, &[p])
        }
    }

    /// The local fields ``h = W S`` (float64, the state's shape; batches too).
    #[pyo3(signature = (state, *, encoding="auto"))]
    fn fields<'py>(
        &self,
        py: Python<'py>,
        state: &Bound<'py, PyAny>,
        encoding: &str,
    ) -> Result<Bound<'py, PyAny>> {
        let s = self.states(state, "state", encoding)?;
        let net = &self.net;
        let states = s.states;
        let count = states.len();
        let flat = compute(py, move || {
            let mut out = Vec::new();
            for x in &states {
                out.extend(net.fields(x)?);
            }
            Ok(out)
        })?;
        let mut dims = if s.batch { vec![count] } else { vec![] };
        dims.extend(&s.dims);
        array(py, flat, &dims)
    }

    /// Whether no neuron of ``state`` would change under the update rule with ``tie``.
    #[pyo3(signature = (state, *, tie="plus", encoding="auto"))]
    fn is_fixed_point(&self, state: &Bound<'_, PyAny>, tie: &str, encoding: &str) -> Result<bool> {
        let s = self.states(state, "state", encoding)?;
        if s.batch {
            return Err(Error::value_error(
                "is_fixed_point takes one state, not a batch",
            ));
        }
        let tie = convert::parse(tie)?;
        Ok(self.net.is_fixed_point(&s.states[0], tie)?)
    }

    /// Saves the network to ``path`` (safetensors; the format is in
    /// docs/network-format.md, the file ``hopfield recall --network`` reads). The write is
    /// atomic: an error leaves an existing file untouched. The display shape is saved
    /// with the stored patterns (a network without patterns keeps none).
    fn save(&self, py: Python<'_>, path: PathBuf) -> Result<()> {
        py.detach(|| hopfield_io::write_network(&path, &self.net))?;
        Ok(())
    }

    /// Loads a network saved by :meth:`Network.save` or ``hopfield train``. Every part of
    /// the file is checked; a bad file raises ValueError saying what does not match.
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> Result<Self> {
        let net = compute(py, move || Ok(hopfield_io::read_network(&path)?))?;
        let shape = net.shape();
        Ok(Network {
            net,
            shape,
            zero_one: ZeroOne::Unknown,
        })
    }

    /// The number of neurons, N.
    #[getter]
    fn n(&self) -> usize {
        self.net.n()
    }

    /// The display shape (H, W) of states, or None.
    #[getter]
    fn shape(&self) -> Option<(usize, usize)> {
        self.shape.map(|s| (s.rows, s.cols))
    }

    /// The stored patterns, ±1 in numpy's default integer (int64), shape (P, N) or
    /// (P, H, W); None if there are none.
    #[getter]
    fn patterns<'py>(&self, py: Python<'py>) -> Result<Option<Bound<'py, PyAny>>> {
        match self.net.patterns() {
            None => Ok(None),
            Some(p) => {
                let p = p.clone().with_optional_shape(self.shape)?;
                patterns_array(py, &p, Dtype::Int64).map(Some)
            }
        }
    }

    /// The (N, N) coupling matrix W as a new float64 array (a factored network forms it
    /// here). It takes 8·N² bytes, 800 MB at N = 10⁴: :meth:`weight_rows` gives float32
    /// (half of that) or a block of rows at a time. A matrix beyond the memory available
    /// raises MemoryError with the figure.
    #[getter]
    fn weights<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>> {
        let n = self.net.n();
        array(py, self.rows(py, 0, n, "float64", |v| v)?, &[n, n])
    }

    /// Rows ``start`` to ``stop`` (excluded; default: to the end) of the coupling matrix
    /// W, shape (stop − start, N), in ``dtype`` ``np.float64`` (the default, the values of
    /// :attr:`weights`) or ``np.float32`` (those values rounded, half the memory).
    ///
    /// For large networks, where the whole matrix would take too much memory::
    ///
    ///     for start in range(0, net.n, 1000):
    ///         block = net.weight_rows(start, start + 1000, dtype=np.float32)
    ///
    /// A block beyond the memory available raises MemoryError with the figure. Blocks of
    /// at least N/8 rows are cut from the whole matrix (formed once from the patterns of
    /// a factored network), smaller ones read value by value.
    #[pyo3(signature = (start=0, stop=None, *, dtype=None))]
    fn weight_rows<'py>(
        &self,
        py: Python<'py>,
        start: i64,
        stop: Option<i64>,
        dtype: Option<&Bound<'py, PyAny>>,
    ) -> Result<Bound<'py, PyAny>> {
        let n = self.net.n();
        let stop = stop.unwrap_or(n as i64);
        if start < 0 || start > n as i64 {
            return Err(Error::value_error(format!(
                "start = {start} must lie between 0 and N = {n}"
            )));
        }
        if stop < start || stop > n as i64 {
            return Err(Error::value_error(format!(
                "stop = {stop} must lie between start = {start} and N = {n}"
            )));
        }
        let (start, stop) = (start as usize, stop as usize);
        let dims = [stop - start, n];
        if float_dtype(dtype)? {
            array(
                py,
                self.rows(py, start, stop, "float32", |v| v as f32)?,
                &dims,
            )
        } else {
            array(py, self.rows(py, start, stop, "float64", |v| v)?, &dims)
        }
    }

    /// How W is stored: ``"dense int8"``, ``"dense int16"``, ``"dense int32"``,
    /// ``"dense float32"`` or ``"factored"``.
    #[getter]
    fn storage(&self) -> String {
        self.net.weights().storage().to_string()
    }

    /// ``"factored"`` or ``"dense"``.
    #[getter]
    fn representation(&self) -> &'static str {
        match self.net.weights().storage() {
            Storage::Factored => "factored",
            _ => "dense",
        }
    }

    /// Whether W is symmetric.
    #[getter]
    fn symmetric(&self) -> bool {
        self.net.weights().is_symmetric()
    }

    /// The memory W occupies, in bytes.
    #[getter]
    fn nbytes(&self) -> u64 {
        self.net.weights().bytes()
    }

    /// The threshold θ: a float, or a float64 array of N.
    #[getter]
    fn threshold<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>> {
        convert::threshold_value(py, self.net.threshold())
    }

    /// ``"bipolar"`` (±1 neurons) or ``"binary"`` (0/1 neurons).
    #[getter]
    fn activation(&self) -> &'static str {
        activation_name(self.net.activation())
    }

    /// The learning rule's name (``"hebb"``, ``"outer01"``), or None for a network built
    /// from couplings.
    #[getter]
    fn rule(&self) -> Option<&'static str> {
        self.net.rule().map(|r| r.name())
    }

    /// The learning rule's options, e.g. ``{"normalization": "1/N"}`` (empty without a
    /// rule).
    #[getter]
    fn rule_options<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        if let Some(r) = self.net.rule() {
            let v = serde_json::to_value(r)
                .map_err(|e| Error::Internal(format!("rule options: {e}")))?;
            if let Some(o) = v.as_object() {
                for (k, x) in o.iter().filter(|(k, _)| *k != "rule") {
                    d.set_item(k, json_to_py(py, x)?)?;
                }
            }
        }
        Ok(d)
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyTuple>> {
        let net = &self.net;
        let data = compute(py, move || {
            hopfield_io::network::encode_network(net)
                .map_err(|p| Error::value_error(format!("cannot pickle this network: {p}")))
        })?;
        let extra = pickle::to_cbor(&(self.shape, self.zero_one))?;
        pickle::reduce(py, "Network", &data, &extra)
    }

    /// The notebook's view: size, rule, representation, load α = P/N and memory, with
    /// the first stored patterns as images.
    fn _repr_html_(&self) -> Result<String> {
        let net = &self.net;
        let n = net.n();
        let w = net.weights();
        let mut rows: Vec<(String, String)> = Vec::new();
        let size = match self.shape {
            Some(s) => format!("N = {n} ({} × {})", s.rows, s.cols),
            None => format!("N = {n}"),
        };
        rows.push(("neurons".into(), size));
        rows.push((
            "activation".into(),
            match net.activation() {
                Activation::Bipolar => "bipolar (±1)",
                Activation::Binary => "binary (0/1)",
            }
            .into(),
        ));
        let rule = match net.rule() {
            Some(r) => {
                let options: Vec<String> = serde_json::to_value(r)
                    .ok()
                    .and_then(|v| v.as_object().cloned())
                    .map(|o| {
                        o.iter()
                            .filter(|(k, _)| *k != "rule")
                            .map(|(k, v)| match v.as_str() {
                                Some(s) => format!("{k} {s}"),
                                None => format!("{k} {v}"),
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                if options.is_empty() {
                    r.name().to_string()
                } else {
                    format!("{} ({})", r.name(), options.join(", "))
                }
            }
            None => "none (couplings given)".into(),
        };
        rows.push(("rule".into(), display::escape(&rule)));
        rows.push((
            "representation".into(),
            format!(
                "{}{}",
                w.storage(),
                if w.is_symmetric() { ", symmetric" } else { "" }
            ),
        ));
        if let Some(p) = net.patterns() {
            let alpha = p.len() as f64 / n as f64;
            let note = if net.rule().is_some_and(|r| r.name() == "hebb") {
                format!(
                    " ({} the critical load α<sub>c</sub> ≈ {} of Hebb's rule)",
                    if alpha < hopfield::experiment::ALPHA_C {
                        "below"
                    } else {
                        "above"
                    },
                    hopfield::experiment::ALPHA_C
                )
            } else {
                String::new()
            };
            rows.push((
                "patterns".into(),
                format!("P = {}, load α = P/N = {}{note}", p.len(), round4(alpha)),
            ));
        } else {
            rows.push(("patterns".into(), "none stored".into()));
        }
        rows.push((
            "threshold".into(),
            match net.threshold() {
                Threshold::Uniform(t) => format!("θ = {t}"),
                Threshold::PerNeuron(_) => "one θ per neuron".into(),
            },
        ));
        rows.push((
            "memory".into(),
            format!("{} for W", hopfield::Bytes(w.bytes())),
        ));
        let mut html = display::table("hopfield.Network", &rows);
        if let Some(p) = net.patterns() {
            let dims = state_dims(n, self.shape);
            let binary = net.activation() == Activation::Binary;
            html.push_str("<div>");
            for mu in 0..p.len().min(display::MAX_IMAGES) {
                let label = format!("pattern {mu}");
                let img = display::img(p.pattern(mu)?, &dims, binary, &label)?;
                html.push_str(&display::figure(&img, &label));
            }
            if p.len() > display::MAX_IMAGES {
                html.push_str(&format!(" … and {} more", p.len() - display::MAX_IMAGES));
            }
            html.push_str("</div>");
        }
        Ok(format!("<div>{html}</div>"))
    }

    /// A PNG of the first stored patterns side by side, for a network whose patterns
    /// are images (None otherwise).
    fn _repr_png_<'py>(&self, py: Python<'py>) -> Result<Option<Bound<'py, PyBytes>>> {
        let (Some(shape), Some(p)) = (self.shape, self.net.patterns()) else {
            return Ok(None);
        };
        let shown: Vec<&[i8]> = (0..p.len().min(display::MAX_IMAGES))
            .map(|mu| p.pattern(mu))
            .collect::<hopfield::Result<_>>()?;
        let binary = self.net.activation() == Activation::Binary;
        let png = display::png_row(&shown, &[shape.rows, shape.cols], binary)?;
        Ok(Some(PyBytes::new(py, &png)))
    }

    fn __repr__(&self) -> String {
        let shape = self
            .shape
            .map(|s| format!(", shape=({}, {})", s.rows, s.cols))
            .unwrap_or_default();
        let patterns = self
            .net
            .patterns()
            .map(|p| format!(", patterns={}", p.len()))
            .unwrap_or_default();
        let rule = self
            .net
            .rule()
            .map(|r| format!(", rule={r}"))
            .unwrap_or_default();
        format!(
            "Network(n={}{shape}{patterns}{rule}, storage={}, activation={})",
            self.net.n(),
            self.net.weights().storage(),
            activation_name(self.net.activation())
        )
    }

    /// The dimensions of one state.
    #[getter]
    fn state_shape(&self) -> Vec<usize> {
        state_dims(self.net.n(), self.shape)
    }
}
