//! Perceptron learning to a margin (Gardner 1988; Krauth & Mézard 1987).

use rayon::prelude::*;

use crate::cancel::{self, Cancel};
use crate::error::Result;
use crate::pattern::Patterns;
use crate::weights::check_dense_memory;

/// What perceptron learning of one neuron's row ended with.
struct Row {
    w: Vec<f32>,
    epochs: usize,
    converged: bool,
    updates: u64,
    unstable: usize,
}

/// Whether pattern `xi` is learned by row `w` of neuron `i`: `ξ_i h_i > 0` and
/// `ξ_i h_i ≥ κ ‖w_i‖`, with `h_i = Σ_j W_ij ξ_j` (`W_ii = 0`).
#[inline]
fn stability(w: &[f32], xi: &[i8], i: usize) -> f64 {
    let h: f64 = w
        .iter()
        .zip(xi)
        .map(|(&w, &x)| f64::from(w) * f64::from(x))
        .sum();
    f64::from(xi[i]) * h
}

#[inline]
fn learned(s: f64, norm: f64, kappa: f64) -> bool {
    s > 0.0 && s >= kappa * norm
}

fn norm(w: &[f32]) -> f64 {
    w.iter()
        .map(|&w| f64::from(w) * f64::from(w))
        .sum::<f64>()
        .sqrt()
}

/// Learns row `i`: starts from Hebb's row and adds `ξ_i ξ^μ / N` (off the diagonal) for every
/// pattern below the margin, epoch after epoch, until an epoch changes nothing.
fn learn_row(
    patterns: &Patterns,
    i: usize,
    kappa: f64,
    max_epochs: usize,
    cancel: Option<&Cancel>,
) -> Row {
    // Once the work is given up, rows not yet learned are skipped (their result is
    // discarded): no Hebbian start nor final count for them.
    let given_up = || Row {
        w: Vec::new(),
        epochs: 0,
        converged: false,
        updates: 0,
        unstable: 0,
    };
    if cancel::raised(cancel) {
        return given_up();
    }
    let n = patterns.n();
    let eta = 1.0 / n as f64;
    let mut w = vec![0f32; n];
    for xi in patterns.iter() {
        let t = f64::from(xi[i]);
        for (w, &x) in w.iter_mut().zip(xi) {
            *w += (eta * t * f64::from(x)) as f32;
        }
    }
    w[i] = 0.0;
    let mut nrm = norm(&w);
    let mut updates = 0u64;
    for epoch in 1..=max_epochs {
        if cancel::raised(cancel) {
            return given_up();
        }
        let mut changed = 0u64;
        for xi in patterns.iter() {
            if cancel::raised(cancel) {
                break;
            }
            if learned(stability(&w, xi, i), nrm, kappa) {
                continue;
            }
            let step = (eta * f64::from(xi[i])) as f32;
            for (w, &x) in w.iter_mut().zip(xi) {
                *w += step * f32::from(x);
            }
            w[i] = 0.0;
            nrm = norm(&w);
            changed += 1;
        }
        updates += changed;
        if changed == 0 {
            return Row {
                w,
                epochs: epoch,
                converged: true,
                updates,
                unstable: 0,
            };
        }
    }
    if cancel::raised(cancel) {
        return given_up();
    }
    let unstable = patterns
        .iter()
        .filter(|xi| !learned(stability(&w, xi, i), nrm, kappa))
        .count();
    Row {
        w,
        epochs: max_epochs,
        converged: unstable == 0,
        updates,
        unstable,
    }
}

/// The couplings (row-major, zero diagonal, generally asymmetric) and the training report.
///
/// Rows are independent and learned in parallel; the result does not depend on the number of
/// threads.
pub(super) fn couplings(
    patterns: &Patterns,
    kappa: f64,
    max_epochs: usize,
    cancel: Option<&Cancel>,
) -> Result<(Vec<f32>, super::Training)> {
    let n = patterns.n();
    check_dense_memory(n, 4)?;
    let rows: Vec<Row> = (0..n)
        .into_par_iter()
        .map(|i| learn_row(patterns, i, kappa, max_epochs, cancel))
        .collect();
    if let Some(c) = cancel {
        c.check()?;
    }
    let training = super::Training {
        converged: rows.iter().all(|r| r.converged),
        epochs: rows.iter().map(|r| r.epochs).max().unwrap_or(0),
        updates: rows.iter().map(|r| r.updates).sum(),
        unstable: rows.iter().map(|r| r.unstable).sum(),
    };
    let mut w = Vec::with_capacity(n * n);
    for r in rows {
        w.extend_from_slice(&r.w);
    }
    Ok((w, training))
}
