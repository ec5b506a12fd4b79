//! Perceptron learning to a margin (Gardner 1988; Krauth & Mézard 1987).

use std::fmt;

use crate::parallel::*;
#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use super::{LearningRule, Online, Rule, Training, dense};
use crate::cancel::{self, Cancel};
use crate::error::{Error, Result, require};
use crate::pattern::Patterns;
use crate::weights::{Representation, Weights, check_dense_memory};

/// Perceptron learning to a margin `κ`, one neuron at a time.
///
/// Neuron `i`'s row starts from Hebb's couplings; every epoch visits the patterns in order
/// and, for each pattern `μ` whose *stability* `γ_i^μ = ξ_i^μ h_i^μ / ‖W_i·‖`
/// (`h_i^μ = Σ_{j≠i} W_ij ξ_j^μ`, `‖W_i·‖` the row's Euclidean norm) is below `κ` or whose
/// field is not strictly of the pattern's sign, adds `ξ_i^μ ξ_j^μ / N` to `W_ij` (`j ≠ i`).
/// Learning stops after the first epoch that changes no row, or after `max_epochs`.
/// Then every stored pattern satisfies `ξ_i^μ h_i^μ ≥ κ ‖W_i·‖` at every neuron: a
/// fixed point whose basin widens with `κ`. The margin is Gardner's normalised one:
/// for random patterns a solution exists while `P/N < α_c(κ)`, with `α_c(0) = 2` and
/// `α_c(0.5) ≈ 0.96`, `α_c(1) ≈ 0.52`. The couplings are dense `f32`, zero diagonal and
/// in general asymmetric.
///
/// [`LearningRule::train`] returns [`Error::NotConverged`] when the epochs run out;
/// [`LearningRule::train_report`] returns the couplings anyway with a [`Training`] report.
///
/// References: E. Gardner, *The space of interactions in neural network models*,
/// J. Phys. A 21 (1988); W. Krauth & M. Mézard, *Learning algorithms with optimal
/// stability in neural networks*, J. Phys. A 20 (1987).
///
/// ```
/// use hopfield::prelude::*;
/// use hopfield::rule::Perceptron;
/// let patterns = generate::random_patterns(40, 100, 0.5, &mut random::seeded(2))?;
/// let rule = Perceptron::default().kappa(0.5);
/// let (w, report) = rule.train_report(&patterns, Representation::Auto, None)?;
/// assert!(report.converged);
/// println!("converged after {} epochs", report.epochs);
/// assert!(!w.is_symmetric());
/// # Ok::<(), hopfield::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct Perceptron {
    /// The margin `κ ≥ 0` (default 0.5).
    pub kappa: f64,
    /// The most epochs to run, at least 1 (default 1000).
    pub max_epochs: usize,
}

impl Default for Perceptron {
    fn default() -> Self {
        Perceptron {
            kappa: 0.5,
            max_epochs: 1000,
        }
    }
}

setters!(Perceptron {
    /// Sets the margin `κ` (default 0.5).
    kappa: f64,
    /// Sets the most epochs to run (default 1000).
    max_epochs: usize,
});

impl LearningRule for Perceptron {
    fn name(&self) -> &'static str {
        "perceptron"
    }

    /// `κ ≥ 0` and finite, `max_epochs ≥ 1`.
    fn check(&self) -> Result<()> {
        let k = self.kappa;
        require(
            k.is_finite() && k >= 0.0,
            "kappa",
            k,
            "the margin must be finite and ≥ 0",
        )?;
        let default = "must be at least 1 (omit it for the default 1000)";
        require(self.max_epochs > 0, "max-epochs", 0, default)
    }

    fn learn(
        &self,
        patterns: &Patterns,
        representation: Representation,
        cancel: Option<&Cancel>,
    ) -> Result<(Weights, Training)> {
        dense(self.name(), patterns, representation, || {
            couplings(patterns, self.kappa, self.max_epochs, cancel)
        })
    }

    /// [`Error::NotConverged`] when the epochs ran out, with what to do instead.
    fn check_training(&self, training: &Training) -> Result<()> {
        if training.converged {
            return Ok(());
        }
        Err(Error::NotConverged {
            what: format!("perceptron learning (κ = {})", self.kappa),
            epochs: training.epochs,
            unstable: training.unstable,
            hint: "allow more epochs, lower κ, or store fewer patterns (a solution exists \
                   only below P/N = 2 at κ = 0, less for κ > 0)"
                .into(),
        })
    }

    fn to_rule(&self) -> Option<Rule> {
        Some(Rule::Perceptron(*self))
    }

    fn online(&self) -> Online {
        Online::Refused
    }
}

impl fmt::Display for Perceptron {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "perceptron (κ = {}, at most {} epochs)",
            self.kappa, self.max_epochs
        )
    }
}

/// What perceptron learning of one neuron's row ended with.
#[derive(Default)]
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
    if cancel::raised(cancel) {
        return Row::default();
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
            return Row::default();
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
        return Row::default();
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
fn couplings(
    patterns: &Patterns,
    kappa: f64,
    max_epochs: usize,
    cancel: Option<&Cancel>,
) -> Result<(Vec<f32>, Training)> {
    let n = patterns.n();
    check_dense_memory(n, 4)?;
    let rows: Vec<Row> = (0..n)
        .into_par_iter()
        .map(|i| learn_row(patterns, i, kappa, max_epochs, cancel))
        .collect();
    if let Some(c) = cancel {
        c.check()?;
    }
    let training = Training {
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
