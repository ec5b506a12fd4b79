//! `hopfield.experiments`: experiments whose results theory predicts, returned as dicts
//! of numpy arrays and numbers ready for matplotlib.

use hopfield::experiment;
use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::error::{Result, guard};
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
                (-0.5 * ((x - mu) / sd).powi(2)).exp() / (sd * std::f64::consts::TAU.sqrt())
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

/// Adds the functions to the module `m`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(crosstalk, m)?)?;
    Ok(())
}
