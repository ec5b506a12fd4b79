//! A network: couplings, thresholds, the kind of neuron, and the patterns it stores.

use std::sync::Arc;

use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::cancel::Cancel;
use crate::dynamics::{self, Recall, RecallOptions, Tie};
use crate::error::{Error, Result};
use crate::kernel::bits::BitMatrix;
use crate::measure;
use crate::pattern::{Patterns, Shape};
use crate::random;
use crate::rule::{Rule, Training};
use crate::weights::{Dilution, Representation, Weights};

/// The threshold `θ` a neuron's field must exceed: one value for all, or one per neuron.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Threshold {
    /// The same `θ` for every neuron.
    Uniform(f64),
    /// `θ_i` for neuron `i`.
    PerNeuron(Vec<f64>),
}

impl Default for Threshold {
    fn default() -> Self {
        Threshold::Uniform(0.0)
    }
}

impl Threshold {
    /// `θ_i`.
    #[inline]
    pub fn at(&self, i: usize) -> f64 {
        match self {
            Threshold::Uniform(t) => *t,
            Threshold::PerNeuron(v) => v[i],
        }
    }

    /// Checks length and finiteness for a network of `n` neurons.
    pub fn check(&self, n: usize) -> Result<()> {
        let values: &[f64] = match self {
            Threshold::Uniform(t) => std::slice::from_ref(t),
            Threshold::PerNeuron(v) => {
                if v.len() != n {
                    return Err(Error::length("threshold", n, v.len()));
                }
                v
            }
        };
        match values.iter().position(|t| !t.is_finite()) {
            Some(k) => Err(Error::NotFinite {
                item: "threshold".into(),
                position: k,
                value: values[k],
            }),
            None => Ok(()),
        }
    }

    /// `Σ_i θ_i S_i`.
    pub fn dot(&self, state: &[i8]) -> f64 {
        match self {
            // The integer sum is exact, as a sum of small integers in f64 is.
            Threshold::Uniform(t) => t * state.iter().map(|&s| i64::from(s)).sum::<i64>() as f64,
            Threshold::PerNeuron(v) => v.iter().zip(state).map(|(t, &s)| t * f64::from(s)).sum(),
        }
    }
}

/// The values a neuron takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Activation {
    /// `S_i ∈ {−1, +1}` (the usual Hopfield convention).
    #[default]
    Bipolar,
    /// `V_i ∈ {0, 1}`, as the course page's first cell.
    Binary,
}

impl Activation {
    /// The (on, off) values.
    #[inline]
    pub fn levels(self) -> (i8, i8) {
        match self {
            Activation::Bipolar => (1, -1),
            Activation::Binary => (1, 0),
        }
    }
}

/// A Hopfield network.
///
/// ```
/// use hopfield::{generate, noise, random, Dynamics, Network, RecallOptions, Rule};
/// let letters = generate::page::letters();            // checkerboard, X, A (5×5)
/// let net = Network::from_patterns(&letters, &Rule::hebb())?;
/// let mut rng = random::seeded(1);
/// let cue = noise::flip(letters.get(0).unwrap(), 3, &mut rng)?;
/// let r = net.recall(&cue, &RecallOptions::new(Dynamics::Sweep), &mut rng)?;
/// assert!(r.converged);
/// // Asynchronous dynamics on symmetric couplings never raise the energy.
/// assert!(net.energy(&r.state)? <= net.energy(&cue)?);
/// # Ok::<(), hopfield::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    weights: Weights,
    threshold: Threshold,
    activation: Activation,
    patterns: Option<Patterns>,
    /// The stored patterns bit-packed (bit set for +1), for overlaps by popcount.
    pattern_bits: Option<Arc<BitMatrix>>,
    rule: Option<Rule>,
}

impl Network {
    /// A network with these couplings, threshold 0, bipolar neurons and no stored patterns.
    pub fn new(weights: Weights) -> Network {
        Network {
            weights,
            threshold: Threshold::default(),
            activation: Activation::Bipolar,
            patterns: None,
            pattern_bits: None,
            rule: None,
        }
    }

    /// A network storing `patterns` with `rule`, the representation chosen automatically.
    pub fn from_patterns(patterns: &Patterns, rule: &Rule) -> Result<Network> {
        Network::train(patterns, rule, Representation::Auto)
    }

    /// A network storing `patterns` with `rule` in the given representation.
    pub fn train(
        patterns: &Patterns,
        rule: &Rule,
        representation: Representation,
    ) -> Result<Network> {
        let weights = rule.train(patterns, representation)?;
        Network::trained(patterns, rule, weights)
    }

    /// [`Network::train`] that also reports how training went, and keeps the couplings of
    /// perceptron learning that ran out of epochs (see [`Rule::train_report`]).
    pub fn train_report(
        patterns: &Patterns,
        rule: &Rule,
        representation: Representation,
    ) -> Result<(Network, Training)> {
        let (weights, training) = rule.train_report(patterns, representation)?;
        Ok((Network::trained(patterns, rule, weights)?, training))
    }

    /// [`Network::train_report`] that stops with [`Error::Cancelled`] once `cancel` is raised
    /// (see [`Rule::train_cancellable`]).
    pub fn train_cancellable(
        patterns: &Patterns,
        rule: &Rule,
        representation: Representation,
        cancel: &Cancel,
    ) -> Result<(Network, Training)> {
        let (weights, training) = rule.train_cancellable(patterns, representation, cancel)?;
        Ok((Network::trained(patterns, rule, weights)?, training))
    }

    /// The network of `weights` trained on `patterns` with `rule`, with the rule's threshold
    /// ([`Rule::threshold`]).
    fn trained(patterns: &Patterns, rule: &Rule, weights: Weights) -> Result<Network> {
        // Hebb's and the 0/1 rule's factored vectors are the patterns' sign bits: share them.
        let shared = match rule {
            Rule::Hebb { .. } | Rule::Outer01 { .. } => weights.vector_bits().cloned(),
            _ => None,
        };
        let bits = shared.unwrap_or_else(|| Arc::new(pack(patterns)));
        Ok(Network {
            rule: Some(rule.clone()),
            patterns: Some(patterns.clone()),
            pattern_bits: Some(bits),
            threshold: rule.threshold(patterns)?,
            ..Network::new(weights)
        })
    }

    /// The same network with diluted couplings (see [`Dilution`]).
    pub fn diluted(mut self, dilution: &Dilution) -> Result<Network> {
        self.weights = dilution.apply(&self.weights)?;
        Ok(self)
    }

    /// Sets the threshold (checked against `N`).
    pub fn with_threshold(mut self, threshold: Threshold) -> Result<Network> {
        threshold.check(self.n())?;
        self.threshold = threshold;
        Ok(self)
    }

    /// Records the rule the couplings were built with (as a saved network does); the
    /// couplings are not changed.
    pub fn with_rule(mut self, rule: Rule) -> Network {
        self.rule = Some(rule);
        self
    }

    /// Sets the kind of neuron.
    pub fn with_activation(mut self, activation: Activation) -> Network {
        self.activation = activation;
        self
    }

    /// Attaches the patterns to compare states with (overlaps, outcomes).
    pub fn with_patterns(mut self, patterns: Patterns) -> Result<Network> {
        if patterns.n() != self.n() {
            return Err(Error::length("patterns", self.n(), patterns.n()));
        }
        self.pattern_bits = Some(Arc::new(pack(&patterns)));
        self.patterns = Some(patterns);
        Ok(self)
    }

    /// The number of neurons, `N`.
    pub fn n(&self) -> usize {
        self.weights.n()
    }

    /// The couplings.
    pub fn weights(&self) -> &Weights {
        &self.weights
    }

    /// The threshold.
    pub fn threshold(&self) -> &Threshold {
        &self.threshold
    }

    /// The kind of neuron.
    pub fn activation(&self) -> Activation {
        self.activation
    }

    /// The stored patterns, when the network was trained on some.
    pub fn patterns(&self) -> Option<&Patterns> {
        self.patterns.as_ref()
    }

    /// The rule the network was trained with.
    pub fn rule(&self) -> Option<&Rule> {
        self.rule.as_ref()
    }

    /// The display shape of the stored patterns, if known.
    pub fn shape(&self) -> Option<Shape> {
        self.patterns.as_ref().and_then(Patterns::shape)
    }

    /// Checks that `state` fits this network: `N` values, ±1 (or −2..2 before the first
    /// update, 0 meaning unknown) for bipolar neurons, 0/1 for binary ones.
    pub fn check_state(&self, item: &str, state: &[i8]) -> Result<()> {
        if state.len() != self.n() {
            return Err(Error::length(item, self.n(), state.len()));
        }
        let (bad, allowed) = match self.activation {
            Activation::Bipolar => (
                // A vectorized check first; the position only for a bad state.
                if state.iter().fold(false, |a, &s| a | !(-2..=2).contains(&s)) {
                    state.iter().position(|&s| !(-2..=2).contains(&s))
                } else {
                    None
                },
                "between -2 and 2",
            ),
            Activation::Binary => (state.iter().position(|&s| s != 0 && s != 1), "0 or 1"),
        };
        match bad {
            Some(i) => Err(Error::Value {
                item: item.to_string(),
                position: i,
                value: f64::from(state[i]),
                allowed,
            }),
            None => Ok(()),
        }
    }

    /// The local fields `h = W S`.
    pub fn fields(&self, state: &[i8]) -> Result<Vec<f64>> {
        self.check_state("state", state)?;
        let mut h = vec![0.0; self.n()];
        self.weights.fields(state, &mut h);
        Ok(h)
    }

    /// The energy `E = −½ Sᵀ W S + θ · S`.
    pub fn energy(&self, state: &[i8]) -> Result<f64> {
        self.check_state("state", state)?;
        Ok(self.energy_unchecked(state))
    }

    pub(crate) fn energy_unchecked(&self, state: &[i8]) -> f64 {
        -0.5 * self.weights.quadratic(state) + self.threshold.dot(state)
    }

    /// The overlaps `m_μ = ξ^μ · S / N` with the stored patterns (empty if none).
    pub fn overlaps(&self, state: &[i8]) -> Result<Vec<f64>> {
        self.check_state("state", state)?;
        let n = self.n() as f64;
        Ok(self.dots(state).iter().map(|&d| d as f64 / n).collect())
    }

    /// `ξ^μ · S` for every stored pattern (empty if none): by XOR and popcount when the
    /// state is ±1.
    /// The stored patterns bit-packed, when there are any.
    pub(crate) fn pattern_bits(&self) -> Option<&Arc<BitMatrix>> {
        self.pattern_bits.as_ref()
    }

    pub(crate) fn dots(&self, state: &[i8]) -> Vec<i64> {
        let Some(patterns) = &self.patterns else {
            return Vec::new();
        };
        self.pattern_bits
            .as_ref()
            .and_then(|bits| bits.bipolar_dots(state))
            .unwrap_or_else(|| patterns.iter().map(|xi| measure::dot(xi, state)).collect())
    }

    /// Whether no neuron would change under the update rule with this tie rule.
    pub fn is_fixed_point(&self, state: &[i8], tie: Tie) -> Result<bool> {
        self.check_state("state", state)?;
        Ok(dynamics::is_fixed_point(self, state, tie))
    }

    /// Runs the dynamics from `cue` (see [`RecallOptions`]).
    pub fn recall<R: Rng + ?Sized>(
        &self,
        cue: &[i8],
        options: &RecallOptions,
        rng: &mut R,
    ) -> Result<Recall> {
        options.check(self)?;
        self.check_state("cue", cue)?;
        let r = dynamics::run(self, cue, options, rng);
        options.check_cancelled()?;
        Ok(r)
    }

    /// Recalls every cue independently, in parallel; cue `k` draws from
    /// [`random::stream`]`(seed, k)`, so the results do not depend on the number of threads.
    pub fn recall_batch<C>(
        &self,
        cues: &[C],
        options: &RecallOptions,
        seed: u64,
    ) -> Result<Vec<Recall>>
    where
        C: AsRef<[i8]> + Sync,
    {
        options.check(self)?;
        for (k, c) in cues.iter().enumerate() {
            self.check_state(&format!("cue {k}"), c.as_ref())?;
        }
        let runs = random::par_map_streams(cues, seed, |c, rng| {
            dynamics::run(self, c.as_ref(), options, rng)
        });
        options.check_cancelled()?;
        Ok(runs)
    }
}

fn pack(patterns: &Patterns) -> BitMatrix {
    BitMatrix::from_positive(patterns.len(), patterns.n(), patterns.as_flat())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_and_thresholds_are_checked() {
        let p = Patterns::from_rows(vec![vec![1, -1, 1]]).unwrap();
        let net = Network::from_patterns(&p, &Rule::hebb()).unwrap();
        assert_eq!(
            net.energy(&[1, 1]).unwrap_err().to_string(),
            "state has 2 values, expected 3"
        );
        assert_eq!(
            net.energy(&[1, 3, 1]).unwrap_err().to_string(),
            "state, neuron 1: value 3 is not between -2 and 2"
        );
        assert!(
            net.clone()
                .with_threshold(Threshold::PerNeuron(vec![0.0; 2]))
                .is_err()
        );
        assert!(
            net.clone()
                .with_threshold(Threshold::Uniform(f64::NAN))
                .is_err()
        );
        let bin = net.with_activation(Activation::Binary);
        assert!(bin.energy(&[1, -1, 1]).is_err());
        assert!(bin.energy(&[1, 0, 1]).is_ok());
    }

    #[test]
    fn energy_matches_its_definition() {
        let p = Patterns::from_rows(vec![vec![1, -1, 1, 1], vec![1, 1, -1, 1]]).unwrap();
        let net = Network::from_patterns(&p, &Rule::hebb())
            .unwrap()
            .with_threshold(Threshold::PerNeuron(vec![0.1, -0.2, 0.0, 0.3]))
            .unwrap();
        let s = [1i8, 1, 1, -1];
        let mut e = 0.0;
        for i in 0..4 {
            for j in 0..4 {
                e -= 0.5 * net.weights().get(i, j) * f64::from(s[i] * s[j]);
            }
            e += net.threshold().at(i) * f64::from(s[i]);
        }
        assert!((net.energy(&s).unwrap() - e).abs() < 1e-12);
    }
}
