//! A network: couplings, thresholds, the kind of neuron, and the patterns it stores.

mod run;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use rand::Rng;

use crate::cancel::Cancel;
use crate::dynamics::{self, AssociativeMemory, Recall, RecallOptions};
use crate::error::{Error, Result};
use crate::kernel::bits::BitMatrix;
use crate::measure;
use crate::neuron::{Activation, Threshold, Tie};
use crate::pattern::{Patterns, Shape};
use crate::rule::{Rule, Training};
use crate::weights::{Dilution, Representation, Weights};

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
        dynamics::check_state(item, state, self.n(), self.activation.levels())
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
}

impl AssociativeMemory for Network {
    fn check_cue(&self, item: &str, cue: &[i8]) -> Result<()> {
        self.check_state(item, cue)
    }

    fn check_options(&self, options: &RecallOptions) -> Result<()> {
        options.check(self.n())
    }

    fn run<R: Rng + ?Sized>(&self, cue: &[i8], options: &RecallOptions, rng: &mut R) -> Recall {
        dynamics::run(self, cue, options, rng)
    }
}

fn pack(patterns: &Patterns) -> BitMatrix {
    BitMatrix::from_positive(patterns.len(), patterns.n(), patterns.as_flat())
}
