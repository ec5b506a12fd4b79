//! A network: couplings, thresholds, the kind of neuron, and the patterns it stores.

mod run;
#[cfg(test)]
mod tests;

use rand::Rng;

use crate::cancel::Cancel;
use crate::dynamics::{self, AssociativeMemory, Recall, RecallOptions};
use crate::error::{Error, Result, check_length};
use crate::measure;
use crate::neuron::{Activation, Threshold, Tie};
use crate::pattern::{Patterns, Shape};
use crate::rule::{LearningRule, Online, Rule, Training};
use crate::weights::{Dilution, Representation, Weights};

/// A Hopfield network.
///
/// ```
/// use hopfield::prelude::*;
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
#[derive(Debug, Clone)]
pub struct Network {
    weights: Weights,
    threshold: Threshold,
    activation: Activation,
    /// The stored patterns (bit-packed: overlaps by popcount; their values formed only if
    /// asked for).
    patterns: Option<Patterns>,
    rule: Option<Rule>,
    /// How the couplings were built: kept so that storing or forgetting patterns rebuilds
    /// them the same way.
    built: Built,
}

/// What a rebuild of a network's couplings must repeat.
/// Networks are equal when they have the same couplings, threshold, neurons, rule and
/// patterns, however they came to have them.
impl PartialEq for Network {
    fn eq(&self, other: &Network) -> bool {
        self.weights == other.weights
            && self.threshold == other.threshold
            && self.activation == other.activation
            && self.patterns == other.patterns
            && self.rule == other.rule
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
struct Built {
    representation: Representation,
    dilution: Option<Dilution>,
    /// A threshold set by the user rather than by the rule.
    threshold: Option<Threshold>,
}

impl Network {
    /// A network with these couplings, threshold 0, bipolar neurons and no stored patterns.
    pub fn new(weights: Weights) -> Network {
        Network {
            weights,
            threshold: Threshold::default(),
            activation: Activation::Bipolar,
            patterns: None,
            rule: None,
            built: Built::default(),
        }
    }

    /// A network storing `patterns` with `rule`, the representation chosen automatically.
    pub fn from_patterns<L: LearningRule + ?Sized>(
        patterns: &Patterns,
        rule: &L,
    ) -> Result<Network> {
        Network::train(patterns, rule, Representation::Auto)
    }

    /// A network storing `patterns` with `rule` in the given representation.
    pub fn train<L: LearningRule + ?Sized>(
        patterns: &Patterns,
        rule: &L,
        representation: Representation,
    ) -> Result<Network> {
        let weights = rule.train(patterns, representation)?;
        Network::trained(patterns, rule, weights, representation)
    }

    /// [`Network::train`] that also reports how training went, keeps the couplings of
    /// perceptron learning that ran out of epochs (see [`LearningRule::train_report`]), and
    /// stops with [`Error::Cancelled`] once `cancel` (if any) is raised.
    pub fn train_report<L: LearningRule + ?Sized>(
        patterns: &Patterns,
        rule: &L,
        representation: Representation,
        cancel: Option<&Cancel>,
    ) -> Result<(Network, Training)> {
        let (weights, training) = rule.train_report(patterns, representation, cancel)?;
        let net = Network::trained(patterns, rule, weights, representation)?;
        Ok((net, training))
    }

    /// The network of `weights` trained on `patterns` with `rule`, with the rule's threshold
    /// ([`LearningRule::threshold`]).
    fn trained<L: LearningRule + ?Sized>(
        patterns: &Patterns,
        rule: &L,
        weights: Weights,
        representation: Representation,
    ) -> Result<Network> {
        let rule = rule.to_rule();
        let threshold = match &rule {
            Some(r) => r.threshold(patterns)?,
            None => Threshold::default(),
        };
        Ok(Network {
            rule,
            // A clone shares the patterns' bits (and Hebb's couplings share them too).
            patterns: Some(patterns.clone()),
            threshold,
            built: Built {
                representation,
                ..Built::default()
            },
            ..Network::new(weights)
        })
    }

    /// Stores `more` patterns besides those the network holds: the couplings become those
    /// of a network built from all of them, in order (see [`Online`]). Refused for rules
    /// that must be built again from all their patterns, and for networks that hold no
    /// patterns or no rule.
    ///
    /// ```
    /// use hopfield::prelude::*;
    /// let p = generate::random_patterns(6, 100, 0.5, &mut random::seeded(1))?;
    /// let mut net = Network::from_patterns(&p.select(&[0, 1, 2])?, &Rule::storkey())?;
    /// net.store(&p.select(&[3, 4, 5])?)?;
    /// assert_eq!(net, Network::from_patterns(&p, &Rule::storkey())?);
    /// net.forget(0)?;
    /// assert_eq!(net, Network::from_patterns(&p.select(&[1, 2, 3, 4, 5])?, &Rule::storkey())?);
    /// # Ok::<(), hopfield::Error>(())
    /// ```
    pub fn store(&mut self, more: &Patterns) -> Result<()> {
        let (rule, mut patterns) = self.online("store")?;
        check_length("patterns to store", self.n(), more.n())?;
        patterns.extend(more)?;
        // Storkey's rule goes on learning from the couplings so far (unless diluted since).
        if let (Rule::Storkey(_), None) = (&rule, &self.built.dilution)
            && let Some(w) = self.weights.dense_f32_mut()
        {
            crate::rule::storkey_extend(w, more)?;
            self.patterns = Some(patterns);
            return Ok(());
        }
        self.rebuild(&rule, patterns)
    }

    /// Forgets stored pattern `index`: the couplings become those of a network built from
    /// the other patterns, in order; returns the pattern. Refused as [`Network::store`] is.
    pub fn forget(&mut self, index: usize) -> Result<Vec<i8>> {
        let (rule, patterns) = self.online("forget")?;
        let pattern = patterns.pattern(index)?.to_vec();
        if patterns.len() == 1 {
            return Err(Error::Unsupported(
                "cannot forget the only stored pattern: a network stores at least one".into(),
            ));
        }
        let kept: Vec<usize> = (0..patterns.len()).filter(|&k| k != index).collect();
        let rest = patterns.select(&kept)?;
        self.rebuild(&rule, rest)?;
        Ok(pattern)
    }

    /// The rule and patterns of a network that can store and forget patterns.
    fn online(&self, what: &str) -> Result<(Rule, Patterns)> {
        let (Some(rule), Some(patterns)) = (&self.rule, &self.patterns) else {
            return Err(Error::Unsupported(format!(
                "cannot {what} patterns: this network was not trained from patterns with a rule"
            )));
        };
        if rule.online() == Online::Refused {
            return Err(Error::Unsupported(format!(
                "the {} rule cannot {what} patterns one by one (every pattern shapes every \
                 coupling at once): build a new network from all the patterns",
                rule.name()
            )));
        }
        Ok((rule.clone(), patterns.clone()))
    }

    /// The couplings of `patterns` built again as they were built before.
    fn rebuild(&mut self, rule: &Rule, patterns: Patterns) -> Result<()> {
        let mut net = Network::train(&patterns, rule, self.built.representation)?
            .with_activation(self.activation);
        if let Some(d) = &self.built.dilution {
            net = net.diluted(d)?;
        }
        if let Some(t) = &self.built.threshold {
            net = net.with_threshold(t.clone())?;
        }
        *self = net;
        Ok(())
    }

    /// The same network with diluted couplings (see [`Dilution`]).
    pub fn diluted(mut self, dilution: &Dilution) -> Result<Network> {
        self.weights = dilution.apply(&self.weights)?;
        self.built.dilution = Some(*dilution);
        Ok(self)
    }

    /// Sets the threshold (checked against `N`).
    pub fn with_threshold(mut self, threshold: Threshold) -> Result<Network> {
        threshold.check(self.n())?;
        self.built.threshold = Some(threshold.clone());
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
        check_length("patterns", self.n(), patterns.n())?;
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
        patterns
            .bits()
            .bipolar_dots(state)
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
        options.check_for(self.n())
    }

    fn run<R: Rng + ?Sized>(&self, cue: &[i8], options: &RecallOptions, rng: &mut R) -> Recall {
        dynamics::run(self, cue, options, rng)
    }

    /// As [`AssociativeMemory::recall_batch`] always does; synchronous runs on large
    /// Hebbian couplings go several at a time through the bit-packed layout.
    fn recall_batch<C>(&self, cues: &[C], options: &RecallOptions, seed: u64) -> Result<Vec<Recall>>
    where
        C: AsRef<[i8]> + Sync,
    {
        dynamics::check_batch(self, cues, options)?;
        let runs = run::batch(self, cues, options, seed).unwrap_or_else(|| {
            crate::random::par_map_streams(cues, seed, |c, rng| self.run(c.as_ref(), options, rng))
        });
        if let Some(c) = &options.cancel {
            c.check()?;
        }
        Ok(runs)
    }
}
