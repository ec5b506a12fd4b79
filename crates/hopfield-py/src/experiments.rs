//! `hopfield.experiments`: experiments whose results theory predicts, returned as dicts
//! of numpy arrays and numbers ready for matplotlib.

use hopfield::experiment::{self, AttractorsConfig, BasinsConfig, CapacityConfig};
use hopfield::{Dynamics, Rule};
use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

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
    let rule = crate::network::rule(rule, None)?;
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
/// An ``Rng`` as ``seed`` gives the sweep one integer seed from its stream.
///
/// Returns a dict of arrays, one value per load: ``alpha`` (P/N as run), ``p``,
/// ``fixed_point_fraction``, ``predicted_fixed_point`` ((1 − ½ erfc(√(N/2P)))^N),
/// ``bit_error_rate``, ``predicted_bit_error`` (½ erfc(√(N/2P))), ``recalled_fraction``,
/// ``mean_overlap``; and ``alpha_c`` (0.138), ``n``, ``trials``, ``noise``, ``seed``.
#[pyfunction]
#[pyo3(signature = (n=1000, alpha=None, trials=5, *, rule="hebb", noise=0.1, dynamics="sync", max_steps=None, seed=None))]
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
) -> Result<Bound<'py, PyDict>> {
    let (rule, dynamics, seed) = sweep_settings(py, rule, dynamics, seed)?;
    let mut config = CapacityConfig {
        n,
        trials,
        rule,
        noise,
        dynamics,
        max_steps,
        seed,
        ..CapacityConfig::default()
    };
    if let Some(a) = alpha {
        config.alphas = floats(a, "alpha")?;
    }
    let c = compute(py, || Ok(experiment::capacity(&config)?))?;
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
    d.set_item("n", n)?;
    d.set_item("trials", trials)?;
    d.set_item("noise", noise)?;
    d.set_item("seed", seed)?;
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
#[pyfunction]
#[pyo3(signature = (n=1000, alpha=None, noise=None, trials=5, *, cues=20, rule="hebb", dynamics="sync", max_steps=None, seed=None))]
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
) -> Result<Bound<'py, PyDict>> {
    let (rule, dynamics, seed) = sweep_settings(py, rule, dynamics, seed)?;
    let mut config = BasinsConfig {
        n,
        trials,
        cues,
        rule,
        dynamics,
        max_steps,
        seed,
        ..BasinsConfig::default()
    };
    if let Some(a) = alpha {
        config.alphas = floats(a, "alpha")?;
    }
    if let Some(f) = noise {
        config.noises = floats(f, "noise")?;
    }
    let b = compute(py, || Ok(experiment::basins(&config)?))?;
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
    d.set_item("n", n)?;
    d.set_item("trials", trials)?;
    d.set_item("seed", seed)?;
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
/// visited first); ``n``, ``p``, ``starts``, ``seed``.
#[pyfunction]
#[pyo3(signature = (n=500, p=5, starts=1000, *, rule="hebb", dynamics="sweep", max_steps=None, seed=None))]
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
) -> Result<Bound<'py, PyDict>> {
    let (rule, dynamics, seed) = sweep_settings(py, rule, dynamics, seed)?;
    let config = AttractorsConfig {
        n,
        p,
        starts,
        rule,
        dynamics,
        max_steps,
        seed,
    };
    let a = compute(py, || Ok(experiment::attractors(&config)?))?;
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
    d.set_item("per_pattern", array(py, per, &[p, 2])?)?;
    let mixtures = PyList::empty(py);
    for m in &a.mixtures {
        let item = PyDict::new(py);
        item.set_item("patterns", m.patterns.clone())?;
        item.set_item("signs", m.signs.clone())?;
        item.set_item("count", m.count)?;
        mixtures.append(item)?;
    }
    d.set_item("mixtures", mixtures)?;
    d.set_item("n", n)?;
    d.set_item("p", p)?;
    d.set_item("starts", starts)?;
    d.set_item("seed", seed)?;
    Ok(d)
}

/// Adds the functions to the module `m`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(crosstalk, m)?)?;
    m.add_function(wrap_pyfunction!(capacity, m)?)?;
    m.add_function(wrap_pyfunction!(basins, m)?)?;
    m.add_function(wrap_pyfunction!(attractors, m)?)?;
    Ok(())
}
