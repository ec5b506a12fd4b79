//! `hopfield.experiments`: experiments whose results theory predicts, returned as dicts
//! of numpy arrays and numbers ready for matplotlib.

use std::path::PathBuf;

use hopfield::experiment::{
    self, Attractors, AttractorsConfig, AttractorsSweep, Basins, BasinsConfig, BasinsSweep,
    Capacity, CapacityConfig, CapacitySweep, PartialOf, Shard, Sweep,
};
use hopfield::{Dynamics, Rule};
use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use serde::Serialize;

use crate::convert::{self, array};
use crate::error::{Error, Result, compute, guard};
use crate::rng::Seed;

/// Points on the predicted Gaussian curve, for plotting over a histogram.
const CURVE_POINTS: usize = 201;

/// The crosstalk term ``Σ_i ξ_i S_i`` between random ±1 patterns of ``n`` neurons, with
/// ``S`` copying ``ξ`` on its first ``overlap`` neurons (the course page's histogram
/// cells), sampled ``samples`` times.
///
/// Returns a dict: ``values`` (int64, one per sample), ``mean``, ``sd``,
/// ``predicted_mean`` (= overlap), ``predicted_sd`` (= √(N − overlap)),
/// ``ks_distance`` and ``ks_critical`` (Kolmogorov–Smirnov test of the prediction at
/// 5 %), ``curve_x`` and ``curve_density`` (the predicted Gaussian density, for
/// ``plt.plot`` over ``plt.hist(values, density=True)``), ``n``, ``overlap``.
#[pyfunction]
#[pyo3(signature = (n=100, overlap=0, samples=1000, *, seed=None))]
pub fn crosstalk<'py>(
    py: Python<'py>,
    n: usize,
    overlap: usize,
    samples: usize,
    seed: Option<&Bound<'py, PyAny>>,
) -> Result<Bound<'py, PyDict>> {
    let seed = Seed::extract(seed)?;
    let c = seed.with(py, |rng| {
        py.detach(|| guard(|| Ok(experiment::crosstalk(n, overlap, samples, rng)?)))
    })?;
    let (mu, sd) = (c.predicted_mean, c.predicted_sd);
    let half = 4.0 * sd.max(1.0);
    let xs: Vec<f64> = (0..CURVE_POINTS)
        .map(|k| mu - half + 2.0 * half * k as f64 / (CURVE_POINTS - 1) as f64)
        .collect();
    let density: Vec<f64> = xs
        .iter()
        .map(|&x| {
            if sd == 0.0 {
                0.0
            } else {
                let z = (x - mu) / sd;
                libm::exp(-0.5 * z * z) / (sd * std::f64::consts::TAU.sqrt())
            }
        })
        .collect();
    let d = PyDict::new(py);
    d.set_item("values", PyArray1::from_vec(py, c.values))?;
    d.set_item("mean", c.mean)?;
    d.set_item("sd", c.sd)?;
    d.set_item("predicted_mean", mu)?;
    d.set_item("predicted_sd", sd)?;
    d.set_item("ks_distance", c.ks_distance)?;
    d.set_item("ks_critical", c.ks_critical)?;
    d.set_item("curve_x", PyArray1::from_vec(py, xs))?;
    d.set_item("curve_density", PyArray1::from_vec(py, density))?;
    d.set_item("n", c.n)?;
    d.set_item("overlap", c.overlap)?;
    Ok(d)
}

/// A number or a sequence of numbers (list, tuple, numpy array) as a list of floats.
fn floats(obj: &Bound<'_, PyAny>, what: &str) -> Result<Vec<f64>> {
    if let Ok(x) = obj.extract::<f64>() {
        return Ok(vec![x]);
    }
    obj.extract::<Vec<f64>>().map_err(|_| {
        Error::type_error(format!(
            "{what} must be a number or a sequence of numbers, not {}",
            convert::type_name(obj)
        ))
    })
}

/// The rule, dynamics and integer seed shared by the sweeps.
fn sweep_settings(
    py: Python<'_>,
    rule: &str,
    dynamics: &str,
    seed: Option<&Bound<'_, PyAny>>,
) -> Result<(Rule, Dynamics, u64)> {
    let rule = crate::convert::rule(rule, None)?;
    let dynamics: Dynamics = convert::parse(dynamics)?;
    let seed = Seed::extract(seed)?.integer(py);
    Ok((rule, dynamics, seed))
}

/// The storage capacity of a rule: for each load ``alpha`` (P/N), ``trials`` networks of
/// ``n`` neurons storing P = round(alpha·n) random patterns. For each stored pattern: is it
/// an exact fixed point, how many of its neurons does one synchronous step flip, and is it
/// recalled from a cue with ``noise`` of its neurons flipped (and with what final overlap).
///
/// Runs in parallel; the result depends on ``seed`` only, not on the number of threads.
/// An ``Rng`` or ``numpy.random.Generator`` as ``seed`` gives the sweep one integer seed
/// (see :func:`hopfield.resolve_seed`).
///
/// Returns a dict of arrays, one value per load: ``alpha`` (P/N as run), ``p``,
/// ``fixed_point_fraction``, ``predicted_fixed_point`` ((1 − ½ erfc(√(N/2P)))^N),
/// ``bit_error_rate``, ``predicted_bit_error`` (½ erfc(√(N/2P))), ``recalled_fraction``,
/// ``mean_overlap``; and ``alpha_c`` (0.138), ``n``, ``trials``, ``noise``, ``seed``.
///
/// ``shard=(k, n)`` runs only slice k of n of the sweep (the work units ``u`` with
/// ``u mod n = k − 1``, as the command line's ``--shard k/n``) and returns its partial
/// result, a dict in the form of the command line's shard files; :func:`merge` joins the
/// n partial results into exactly the result of one run. Shards need an explicit
/// ``seed``. ``json=True`` returns the JSON text the command line prints (``--json``, or
/// the shard file with ``shard``) instead of a dict.
#[pyfunction]
#[pyo3(signature = (n=1000, alpha=None, trials=5, *, rule="hebb", noise=0.1, dynamics="sync", max_steps=None, seed=None, shard=None, json=false))]
#[allow(clippy::too_many_arguments)]
pub fn capacity<'py>(
    py: Python<'py>,
    n: usize,
    alpha: Option<&Bound<'py, PyAny>>,
    trials: usize,
    rule: &str,
    noise: f64,
    dynamics: &str,
    max_steps: Option<usize>,
    seed: Option<&Bound<'py, PyAny>>,
    shard: Option<&Bound<'py, PyAny>>,
    json: bool,
) -> Result<Bound<'py, PyAny>> {
    let shard = shard_arg(shard, seed)?;
    let (rule, dynamics, seed) = sweep_settings(py, rule, dynamics, seed)?;
    let mut config = CapacityConfig::default()
        .n(n)
        .trials(trials)
        .rule(rule)
        .noise(noise)
        .dynamics(dynamics)
        .max_steps(max_steps)
        .seed(seed);
    if let Some(a) = alpha {
        config.alphas = floats(a, "alpha")?;
    }
    run::<CapacitySweep>(py, config, shard, json)
}

/// The dict of a capacity result.
fn capacity_dict<'py>(py: Python<'py>, c: &Capacity) -> Result<Bound<'py, PyDict>> {
    let column =
        |f: fn(&experiment::CapacityPoint) -> f64| -> Vec<f64> { c.points.iter().map(f).collect() };
    let d = PyDict::new(py);
    d.set_item("alpha", PyArray1::from_vec(py, column(|p| p.alpha)))?;
    let p: Vec<i64> = c.points.iter().map(|p| p.p as i64).collect();
    d.set_item("p", PyArray1::from_vec(py, p))?;
    for (key, f) in [
        (
            "fixed_point_fraction",
            (|p| p.fixed_point_fraction) as fn(&experiment::CapacityPoint) -> f64,
        ),
        ("predicted_fixed_point", |p| p.predicted_fixed_point),
        ("bit_error_rate", |p| p.bit_error_rate),
        ("predicted_bit_error", |p| p.predicted_bit_error),
        ("recalled_fraction", |p| p.recalled_fraction),
        ("mean_overlap", |p| p.mean_overlap),
    ] {
        d.set_item(key, PyArray1::from_vec(py, column(f)))?;
    }
    d.set_item("alpha_c", c.alpha_c)?;
    d.set_item("n", c.config.n)?;
    d.set_item("trials", c.config.trials)?;
    d.set_item("noise", c.config.noise)?;
    d.set_item("seed", c.config.seed)?;
    Ok(d)
}

/// Basins of attraction: for each load ``alpha`` (one curve each) and each ``noise``
/// level, ``cues`` stored patterns of each of ``trials`` networks of ``n`` neurons are cued
/// with that fraction of their neurons flipped and recalled.
///
/// ``noise`` defaults to 0, 0.05, …, 0.5. Runs in parallel; the result depends on
/// ``seed`` only.
///
/// Returns a dict: ``alpha`` and ``p`` (one per load), ``noise`` (one per level),
/// ``recall_probability``, ``recall_se`` and ``mean_overlap`` (2-D: load × noise level),
/// ``cues`` (cues per level and load, over all trials), ``n``, ``trials``, ``seed``.
/// ``shard`` and ``json`` as for :func:`capacity`.
#[pyfunction]
#[pyo3(signature = (n=1000, alpha=None, noise=None, trials=5, *, cues=20, rule="hebb", dynamics="sync", max_steps=None, seed=None, shard=None, json=false))]
#[allow(clippy::too_many_arguments)]
pub fn basins<'py>(
    py: Python<'py>,
    n: usize,
    alpha: Option<&Bound<'py, PyAny>>,
    noise: Option<&Bound<'py, PyAny>>,
    trials: usize,
    cues: usize,
    rule: &str,
    dynamics: &str,
    max_steps: Option<usize>,
    seed: Option<&Bound<'py, PyAny>>,
    shard: Option<&Bound<'py, PyAny>>,
    json: bool,
) -> Result<Bound<'py, PyAny>> {
    let shard = shard_arg(shard, seed)?;
    let (rule, dynamics, seed) = sweep_settings(py, rule, dynamics, seed)?;
    let mut config = BasinsConfig::default()
        .n(n)
        .trials(trials)
        .cues(cues)
        .rule(rule)
        .dynamics(dynamics)
        .max_steps(max_steps)
        .seed(seed);
    if let Some(a) = alpha {
        config.alphas = floats(a, "alpha")?;
    }
    if let Some(f) = noise {
        config.noises = floats(f, "noise")?;
    }
    run::<BasinsSweep>(py, config, shard, json)
}

/// The dict of a basins result.
fn basins_dict<'py>(py: Python<'py>, b: &Basins) -> Result<Bound<'py, PyDict>> {
    let (loads, levels) = (b.curves.len(), b.noises.len());
    let grid = |f: fn(&experiment::BasinsCurve) -> &Vec<f64>| -> Vec<f64> {
        b.curves.iter().flat_map(|c| f(c).iter().copied()).collect()
    };
    let d = PyDict::new(py);
    let alpha: Vec<f64> = b.curves.iter().map(|c| c.alpha).collect();
    let p: Vec<i64> = b.curves.iter().map(|c| c.p as i64).collect();
    let count: Vec<i64> = b.curves.iter().map(|c| c.cues as i64).collect();
    d.set_item("alpha", PyArray1::from_vec(py, alpha))?;
    d.set_item("p", PyArray1::from_vec(py, p))?;
    d.set_item("noise", PyArray1::from_vec(py, b.noises.clone()))?;
    d.set_item(
        "recall_probability",
        array(py, grid(|c| &c.recall_probability), &[loads, levels])?,
    )?;
    d.set_item(
        "recall_se",
        array(py, grid(|c| &c.recall_se), &[loads, levels])?,
    )?;
    d.set_item(
        "mean_overlap",
        array(py, grid(|c| &c.mean_overlap), &[loads, levels])?,
    )?;
    d.set_item("cues", PyArray1::from_vec(py, count))?;
    d.set_item("n", b.config.n)?;
    d.set_item("trials", b.config.trials)?;
    d.set_item("seed", b.config.seed)?;
    Ok(d)
}

/// A census of attractors: one network of ``n`` neurons storing ``p`` random patterns,
/// run from ``starts`` random states with ``dynamics`` (default random-order sweeps), and
/// each end classified: ``stored``, ``reversed``, ``mixture`` (sign(±ξa ± ξb ± ξc)),
/// ``spurious`` (another fixed point), ``cycle`` or ``unconverged``.
///
/// Returns a dict: ``classes`` (the names), ``counts``, ``fractions``, ``distinct``
/// (distinct final states) and ``mean_energy`` (per neuron, NaN for an empty class), one
/// value per class; ``per_pattern`` (p × 2: runs ending at each pattern and at its
/// reversal); ``mixtures`` (a list of dicts ``patterns``, ``signs``, ``count``, most
/// visited first); ``n``, ``p``, ``starts``, ``seed``. ``shard`` and ``json`` as for
/// :func:`capacity`.
#[pyfunction]
#[pyo3(signature = (n=500, p=5, starts=1000, *, rule="hebb", dynamics="sweep", max_steps=None, seed=None, shard=None, json=false))]
#[allow(clippy::too_many_arguments)]
pub fn attractors<'py>(
    py: Python<'py>,
    n: usize,
    p: usize,
    starts: usize,
    rule: &str,
    dynamics: &str,
    max_steps: Option<usize>,
    seed: Option<&Bound<'py, PyAny>>,
    shard: Option<&Bound<'py, PyAny>>,
    json: bool,
) -> Result<Bound<'py, PyAny>> {
    let shard = shard_arg(shard, seed)?;
    let (rule, dynamics, seed) = sweep_settings(py, rule, dynamics, seed)?;
    let config = AttractorsConfig::default()
        .n(n)
        .p(p)
        .starts(starts)
        .rule(rule)
        .dynamics(dynamics)
        .max_steps(max_steps)
        .seed(seed);
    run::<AttractorsSweep>(py, config, shard, json)
}

/// The dict of an attractors result.
fn attractors_dict<'py>(py: Python<'py>, a: &Attractors) -> Result<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let names: Vec<&str> = a.classes.iter().map(|c| c.class.as_str()).collect();
    d.set_item("classes", PyList::new(py, names)?)?;
    let counts: Vec<i64> = a.classes.iter().map(|c| c.count as i64).collect();
    let fractions: Vec<f64> = a.classes.iter().map(|c| c.fraction).collect();
    let distinct: Vec<i64> = a.classes.iter().map(|c| c.distinct as i64).collect();
    let energy: Vec<f64> = a
        .classes
        .iter()
        .map(|c| c.mean_energy.unwrap_or(f64::NAN))
        .collect();
    d.set_item("counts", PyArray1::from_vec(py, counts))?;
    d.set_item("fractions", PyArray1::from_vec(py, fractions))?;
    d.set_item("distinct", PyArray1::from_vec(py, distinct))?;
    d.set_item("mean_energy", PyArray1::from_vec(py, energy))?;
    let per: Vec<i64> = a
        .per_pattern
        .iter()
        .flat_map(|c| c.iter().map(|&v| v as i64))
        .collect();
    d.set_item("per_pattern", array(py, per, &[a.per_pattern.len(), 2])?)?;
    let mixtures = PyList::empty(py);
    for m in &a.mixtures {
        let item = PyDict::new(py);
        item.set_item("patterns", m.patterns.clone())?;
        item.set_item("signs", m.signs.clone())?;
        item.set_item("count", m.count)?;
        mixtures.append(item)?;
    }
    d.set_item("mixtures", mixtures)?;
    d.set_item("n", a.config.n)?;
    d.set_item("p", a.config.p)?;
    d.set_item("starts", a.config.starts)?;
    d.set_item("seed", a.config.seed)?;
    Ok(d)
}

/// A sweep whose result the bindings return as a dict.
trait Result2Py: Sweep {
    /// The result as a dict of numpy arrays and numbers.
    fn dict<'py>(py: Python<'py>, output: &Self::Output) -> Result<Bound<'py, PyDict>>;
}

impl Result2Py for CapacitySweep {
    fn dict<'py>(py: Python<'py>, output: &Capacity) -> Result<Bound<'py, PyDict>> {
        capacity_dict(py, output)
    }
}

impl Result2Py for BasinsSweep {
    fn dict<'py>(py: Python<'py>, output: &Basins) -> Result<Bound<'py, PyDict>> {
        basins_dict(py, output)
    }
}

impl Result2Py for AttractorsSweep {
    fn dict<'py>(py: Python<'py>, output: &Attractors) -> Result<Bound<'py, PyDict>> {
        attractors_dict(py, output)
    }
}

/// Reads ``shard=``: ``(k, n)`` or ``"k/n"``; a shard needs an explicit seed.
fn shard_arg(
    obj: Option<&Bound<'_, PyAny>>,
    seed: Option<&Bound<'_, PyAny>>,
) -> Result<Option<Shard>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    let shard = if let Ok(s) = obj.cast::<PyString>() {
        s.to_cow()?.parse::<Shard>()?
    } else if let Ok((k, n)) = obj.extract::<(usize, usize)>() {
        Shard::new(k, n)?
    } else {
        return Err(Error::type_error(format!(
            "shard must be a pair (k, n) with 1 <= k <= n, e.g. (2, 8) for the second of 8, \
             got {}",
            convert::type_name(obj)
        )));
    };
    if seed.is_none_or(|s| s.is_none()) {
        return Err(Error::value_error(format!(
            "shard={} needs an explicit seed= (e.g. seed=7), the same for every shard, so \
             that the shards run the same sweep",
            shard
        )));
    }
    Ok(Some(shard))
}

/// JSON text as the command line writes it: pretty, with a final newline.
fn pretty<T: Serialize>(value: &T) -> Result<String> {
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|e| Error::Internal(format!("writing JSON: {e}")))?;
    text.push('\n');
    Ok(text)
}

/// A sweep's result as the command line's ``--json`` prints it: the experiment's name
/// first, then the result's fields.
fn result_json<S: Sweep>(output: &S::Output) -> Result<String>
where
    S::Output: Serialize,
{
    let internal = |e: serde_json::Error| Error::Internal(format!("writing JSON: {e}"));
    let mut map = serde_json::Map::new();
    map.insert(
        "experiment".into(),
        serde_json::Value::String(S::NAME.into()),
    );
    match serde_json::to_value(output).map_err(internal)? {
        serde_json::Value::Object(fields) => map.extend(fields),
        other => {
            map.insert("result".into(), other);
        }
    }
    pretty(&serde_json::Value::Object(map))
}

/// Runs a sweep, or one shard of it, without the GIL; the result (a dict) or partial
/// result (a dict in the form of a shard file), or their JSON text.
fn run<'py, S>(
    py: Python<'py>,
    config: S::Config,
    shard: Option<Shard>,
    json: bool,
) -> Result<Bound<'py, PyAny>>
where
    S: Result2Py + Send,
    S::Config: Send,
    S::Output: Serialize,
{
    let sweep = S::new(config)?;
    match shard {
        None => {
            let output = compute(py, || Ok(experiment::run_all(&sweep, &|| {})?))?;
            if json {
                Ok(PyString::new(py, &result_json::<S>(&output)?).into_any())
            } else {
                Ok(S::dict(py, &output)?.into_any())
            }
        }
        Some(shard) => {
            let part = compute(py, || Ok(experiment::run_shard(&sweep, shard, &|| {})?))?;
            let text = pretty(&part)?;
            if json {
                Ok(PyString::new(py, &text).into_any())
            } else {
                Ok(py.import("json")?.call_method1("loads", (text,))?)
            }
        }
    }
}

/// The partial results of a sweep `S`, as JSON values, merged and summarised.
fn merge_as<'py, S>(
    py: Python<'py>,
    parts: Vec<(String, serde_json::Value)>,
    json: bool,
) -> Result<Bound<'py, PyAny>>
where
    S: Result2Py + Send,
    S::Output: Serialize,
{
    let mut partials: Vec<PartialOf<S>> = Vec::with_capacity(parts.len());
    for (name, value) in parts {
        let part: PartialOf<S> = serde_json::from_value(value)
            .map_err(|e| Error::value_error(format!("{name}: not a {} shard ({e})", S::NAME)))?;
        partials.push(part);
    }
    let sweep = S::new(partials[0].config.clone())?;
    let output = compute(py, || {
        let units = experiment::merge(&sweep, partials)?;
        Ok(sweep.summarize(units)?)
    })?;
    if json {
        Ok(PyString::new(py, &result_json::<S>(&output)?).into_any())
    } else {
        Ok(S::dict(py, &output)?.into_any())
    }
}

fn not_a_shard(name: &str) -> Error {
    Error::value_error(format!(
        "{name}: not the partial result of a shard (run with shard=(k, n) or --shard k/n)"
    ))
}

/// Joins the partial results of the shards of one sweep into the result of the whole
/// sweep: exactly the dict (or, with ``json=True``, the JSON text) that one run without
/// ``shard`` returns, as ``hopfield merge`` does on the command line.
///
/// ``parts`` holds the partial results, in any order: the dicts that
/// :func:`capacity`, :func:`basins` or :func:`attractors` return with ``shard=``, or
/// paths of shard files written by the command line (``hopfield capacity --shard 2/8
/// --out DIR`` writes ``DIR/capacity.shard-2-of-8.json``). Parts of different sweeps or
/// configurations, a missing shard or a unit held twice are refused, naming the units.
#[pyfunction]
#[pyo3(signature = (parts, *, json=false))]
pub fn merge<'py>(
    py: Python<'py>,
    parts: &Bound<'py, PyAny>,
    json: bool,
) -> Result<Bound<'py, PyAny>> {
    if parts.is_instance_of::<PyString>() || parts.is_instance_of::<PyDict>() {
        return Err(Error::type_error(
            "parts must be a list of partial results (dicts or shard files), not one",
        ));
    }
    let dumps = py.import("json")?.getattr("dumps")?;
    let mut values: Vec<(String, serde_json::Value)> = Vec::new();
    for (k, part) in parts.try_iter()?.enumerate() {
        let part = part?;
        let (name, text) = if let Ok(d) = part.cast::<PyDict>() {
            let name = format!("part {}", k + 1);
            if !d.contains("shard")? || !d.contains("units")? {
                return Err(not_a_shard(&name));
            }
            let text = dumps.call1((&part,))?.extract::<String>()?;
            (name, text)
        } else if let Ok(path) = part.extract::<PathBuf>() {
            let text = std::fs::read_to_string(&path).map_err(|e| {
                let message = format!("{}: {e}", path.display());
                Error::Python(match e.kind() {
                    std::io::ErrorKind::NotFound => {
                        pyo3::exceptions::PyFileNotFoundError::new_err(message)
                    }
                    _ => pyo3::exceptions::PyOSError::new_err(message),
                })
            })?;
            (path.display().to_string(), text)
        } else {
            return Err(Error::type_error(format!(
                "part {} must be a dict returned with shard= or the path of a shard file, \
                 got {}",
                k + 1,
                convert::type_name(&part)
            )));
        };
        let value: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| Error::value_error(format!("{name}: not JSON ({e})")))?;
        if value.get("shard").is_none() || value.get("units").is_none() {
            return Err(not_a_shard(&name));
        }
        values.push((name, value));
    }
    let Some((first_name, first)) = values.first() else {
        return Err(Error::value_error(
            "parts is empty: give the partial results of the shards",
        ));
    };
    let experiment = first
        .get("experiment")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("")
        .to_string();
    for (name, v) in &values {
        let this = v.get("experiment").and_then(serde_json::Value::as_str);
        if this != Some(experiment.as_str()) {
            return Err(Error::value_error(format!(
                "{name}: holds a {} shard, not {experiment} like {first_name}",
                this.unwrap_or("unnamed")
            )));
        }
    }
    match experiment.as_str() {
        CapacitySweep::NAME => merge_as::<CapacitySweep>(py, values, json),
        BasinsSweep::NAME => merge_as::<BasinsSweep>(py, values, json),
        AttractorsSweep::NAME => merge_as::<AttractorsSweep>(py, values, json),
        other => Err(Error::value_error(format!(
            "{first_name}: a '{other}' result cannot be merged (capacity, basins and attractors can)"
        ))),
    }
}

/// Adds the functions to the module `m`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(crosstalk, m)?)?;
    m.add_function(wrap_pyfunction!(capacity, m)?)?;
    m.add_function(wrap_pyfunction!(basins, m)?)?;
    m.add_function(wrap_pyfunction!(attractors, m)?)?;
    m.add_function(wrap_pyfunction!(merge, m)?)?;
    Ok(())
}
