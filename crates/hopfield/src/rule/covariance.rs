//! The covariance rule for low-activity patterns (Tsodyks & Feigel'man 1988).

use std::fmt;

use nalgebra::DMatrix;
#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use super::{LearningRule, Rule, Training, dense};
use crate::cancel::Cancel;
use crate::error::{Error, Result, require};
use crate::neuron::Threshold;
use crate::pattern::Patterns;
use crate::weights::{Representation, Weights, check_dense_memory, symmetric_matrix};

/// The covariance rule for low-activity patterns with mean activity `a`:
///
/// `W_ij = Σ_μ (v_i^μ − a)(v_j^μ − a) / (N a (1 − a))`, zero diagonal,
///
/// on the 0/1 vectors `v = (ξ + 1)/2`. It runs as the 0/1 network
/// `V_i ← Θ(Σ_j W_ij V_j − (½ − a))`, whose field at a stored pattern is about `1 − a` on
/// active neurons and `−a` on silent ones, the threshold `½ − a` halfway between.
/// The library runs it on bipolar states `S = 2V − 1`: the same dynamics need the
/// per-neuron threshold `θ_i = 1 − 2a − Σ_{j≠i} W_ij`, which
/// [`LearningRule::threshold`] returns and [`crate::Network::from_patterns`] sets. Hebb's
/// rule on sparse patterns fails at a handful of patterns; this rule stores far more sparse
/// patterns than Hebb stores dense ones (capacity growing like `1 / (a |ln a|)`). Dense
/// `f32`, symmetric.
///
/// Reference: M. V. Tsodyks & M. V. Feigel'man, *The enhanced storage capacity in neural
/// networks with low activity level*, Europhys. Lett. 6 (1988).
///
/// ```
/// use hopfield::prelude::*;
/// use hopfield::rule::Covariance;
/// let mut rng = random::seeded(5);
/// let patterns = generate::random_patterns(40, 300, 0.1, &mut rng)?; // a ≈ 0.1
/// let net = Network::from_patterns(&patterns, &Covariance::default())?;
/// let cue = noise::flip(patterns.get(3).unwrap(), 10, &mut rng)?;
/// let r = net.recall(&cue, &RecallOptions::new(Dynamics::Sweep), &mut rng)?;
/// assert_eq!(r.outcome, Outcome::Recalled { pattern: 3 });
/// # Ok::<(), hopfield::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct Covariance {
    /// The mean activity `a` in `(0, 1)` (default: the patterns' measured fraction of +1
    /// neurons).
    pub activity: Option<f64>,
}

impl Covariance {
    /// The rule with this activity (`None`: measured from the patterns).
    pub fn new(activity: Option<f64>) -> Covariance {
        Covariance { activity }
    }
}

impl LearningRule for Covariance {
    fn name(&self) -> &'static str {
        "covariance"
    }

    /// `0 < a < 1` when the activity is given.
    fn check(&self) -> Result<()> {
        match self.activity {
            Some(a) if !(a > 0.0 && a < 1.0) => Err(Error::parameter(
                "activity",
                a,
                "must lie strictly between 0 and 1 (omit it to measure it from the patterns)",
            )),
            _ => Ok(()),
        }
    }

    fn learn(
        &self,
        patterns: &Patterns,
        representation: Representation,
        _: Option<&Cancel>,
    ) -> Result<(Weights, Training)> {
        dense(self.name(), patterns, representation, || {
            let w = couplings(patterns, activity(patterns, self.activity)?)?;
            Ok((w, Training::one_shot()))
        })
    }

    fn threshold(&self, patterns: &Patterns) -> Result<Threshold> {
        self.check()?;
        Ok(threshold(patterns, activity(patterns, self.activity)?))
    }

    fn to_rule(&self) -> Option<Rule> {
        Some(Rule::Covariance(*self))
    }
}

impl fmt::Display for Covariance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.activity {
            Some(a) => write!(f, "covariance (a = {a})"),
            None => f.write_str("covariance (a measured)"),
        }
    }
}

/// The activity `a` to use: the one given, or the patterns' mean fraction of +1 neurons.
fn activity(patterns: &Patterns, given: Option<f64>) -> Result<f64> {
    let a = match given {
        Some(a) => a,
        None => {
            let on = patterns.as_flat().iter().filter(|&&v| v > 0).count();
            on as f64 / patterns.as_flat().len().max(1) as f64
        }
    };
    let what = if given.is_some() {
        "must lie strictly between 0 and 1"
    } else {
        "the patterns' mean activity must lie strictly between 0 and 1 (some neurons on, some \
         off)"
    };
    require(a > 0.0 && a < 1.0, "activity", a, what)?;
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
fn couplings(patterns: &Patterns, a: f64) -> Result<Vec<f32>> {
    let n = patterns.n();
    check_dense_memory(n, 12)?;
    let u = centred(patterns, a);
    let g = &u * u.transpose();
    let c = 1.0 / (n as f64 * a * (1.0 - a));
    Ok(symmetric_matrix(n, false, |i, j| (c * g[(i, j)]) as f32))
}

/// The bipolar threshold that runs the 0/1 network `V_i ← Θ(Σ_j W_ij V_j − (½ − a))` on
/// states `S = 2V − 1`: `θ_i = 1 − 2a − Σ_{j≠i} W_ij`.
fn threshold(patterns: &Patterns, a: f64) -> Threshold {
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
