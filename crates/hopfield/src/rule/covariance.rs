//! The covariance rule for low-activity patterns (Tsodyks & Feigel'man 1988).

use nalgebra::DMatrix;

use crate::error::{Error, Result};
use crate::neuron::Threshold;
use crate::pattern::Patterns;
use crate::weights::check_dense_memory;

/// The activity `a` to use: the one given, or the patterns' mean fraction of +1 neurons.
pub(super) fn activity(patterns: &Patterns, given: Option<f64>) -> Result<f64> {
    let a = match given {
        Some(a) => a,
        None => {
            let on = patterns.as_flat().iter().filter(|&&v| v > 0).count();
            on as f64 / patterns.as_flat().len().max(1) as f64
        }
    };
    if !(a > 0.0 && a < 1.0) {
        let what = if given.is_some() {
            "must lie strictly between 0 and 1"
        } else {
            "the patterns' mean activity must lie strictly between 0 and 1 (some neurons on, \
             some off)"
        };
        return Err(Error::parameter("activity", a, what));
    }
    Ok(a)
}

/// The centred 0/1 activities `v − a` as an `N × P` matrix.
fn centred(patterns: &Patterns, a: f64) -> DMatrix<f64> {
    let n = patterns.n();
    let flat = patterns.as_flat();
    DMatrix::from_fn(n, patterns.len(), |i, mu| {
        if flat[mu * n + i] > 0 { 1.0 - a } else { -a }
    })
}

/// `W_ij = Σ_μ (v_i^μ − a)(v_j^μ − a) / (N a (1 − a))`, zero diagonal, row-major.
pub(super) fn couplings(patterns: &Patterns, a: f64) -> Result<Vec<f32>> {
    let n = patterns.n();
    check_dense_memory(n, 12)?;
    let u = centred(patterns, a);
    let g = &u * u.transpose();
    let c = 1.0 / (n as f64 * a * (1.0 - a));
    let mut w = vec![0f32; n * n];
    for i in 0..n {
        for j in 0..i {
            let v = (c * g[(i, j)]) as f32;
            w[i * n + j] = v;
            w[j * n + i] = v;
        }
    }
    Ok(w)
}

/// The bipolar threshold that runs the 0/1 network `V_i ← Θ(Σ_j W_ij V_j − (½ − a))` on
/// states `S = 2V − 1`: `θ_i = 1 − 2a − Σ_{j≠i} W_ij`.
pub(super) fn threshold(patterns: &Patterns, a: f64) -> Threshold {
    let n = patterns.n();
    let u = centred(patterns, a);
    let c = 1.0 / (n as f64 * a * (1.0 - a));
    // Σ_{j≠i} W_ij = c Σ_μ u_i^μ (Σ_j u_j^μ − u_i^μ).
    let totals: Vec<f64> = (0..patterns.len()).map(|mu| u.column(mu).sum()).collect();
    Threshold::PerNeuron(
        (0..n)
            .map(|i| {
                let row: f64 = totals
                    .iter()
                    .enumerate()
                    .map(|(mu, t)| u[(i, mu)] * (t - u[(i, mu)]))
                    .sum();
                1.0 - 2.0 * a - c * row
            })
            .collect(),
    )
}
