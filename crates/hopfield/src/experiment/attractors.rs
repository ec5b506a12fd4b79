//! A census of attractors: where the dynamics end from random states.

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use super::sweep::{Sweep, run_all, unit_seed};
use super::{check_common, recall_options};
use crate::dynamics::{AssociativeMemory, Dynamics};
use crate::error::{Result, require};
use crate::generate::{random_pattern, random_patterns};
use crate::network::Network;
use crate::outcome::Outcome;
use crate::random;
use crate::rule::Rule;

config! {
    /// An attractor census: one network of `N` neurons storing `P` random patterns, run from
    /// `starts` random states.
    #[derive(Debug, Clone, PartialEq)]
    #[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
    #[cfg_attr(feature = "serde", serde(default))]
    #[non_exhaustive]
    pub struct AttractorsConfig {
        /// Neurons.
        pub n: usize = 500,
        /// Stored patterns (at least 1).
        pub p: usize = 5,
        /// Random starting states.
        pub starts: usize = 1000,
        /// Learning rule.
        pub rule: Rule = Rule::hebb(),
        /// Dynamics (default sweeps in random order: asynchronous, so every run ends at a
        /// fixed point of symmetric couplings).
        pub dynamics: Dynamics = Dynamics::Sweep,
        /// Step limit (default: the dynamics' default).
        pub max_steps: Option<usize> = None,
        /// Seed of the patterns, starts and update orders.
        pub seed: u64 = 1,
    }

    /// `N = 500`, `P = 5`, 1000 starts, Hebb's rule, random-order sweeps.
    impl Default;
}

/// Where one run from a random state ended.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct AttractorRun {
    /// The class: `stored`, `reversed`, `mixture`, `spurious`, `cycle` or `unconverged`.
    pub class: String,
    /// The outcome in full (which pattern, which mixture with which signs).
    pub outcome: Outcome,
    /// Energy of the final state divided by `N`.
    pub energy: f64,
    /// A 64-bit fingerprint of the final state, to count distinct attractors.
    pub state_hash: u64,
}

/// The classes of final states, in the order they are reported.
pub const CLASSES: [&str; 6] = [
    "stored",
    "reversed",
    "mixture",
    "spurious",
    "cycle",
    "unconverged",
];

/// The runs that ended in one class.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct AttractorClass {
    /// The class (one of [`CLASSES`]).
    pub class: String,
    /// Runs that ended in it.
    pub count: usize,
    /// `count / starts`.
    pub fraction: f64,
    /// Distinct final states among them.
    pub distinct: usize,
    /// Mean energy per neuron of the final states (none when `count` is 0).
    pub mean_energy: Option<f64>,
}

/// A mixture state found, with the runs that ended in it.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct MixtureCount {
    /// The three patterns, in increasing order.
    pub patterns: Vec<usize>,
    /// The sign of each in `sign(±ξ^a ± ξ^b ± ξ^c)`.
    pub signs: Vec<i8>,
    /// Runs that ended there.
    pub count: usize,
}

/// The result of an attractor census.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Attractors {
    /// What was run.
    pub config: AttractorsConfig,
    /// One entry per class of [`CLASSES`], in that order.
    pub classes: Vec<AttractorClass>,
    /// Per stored pattern: runs that ended at it (`stored`) and at its reversal.
    pub per_pattern: Vec<[usize; 2]>,
    /// The mixtures found, most visited first.
    pub mixtures: Vec<MixtureCount>,
}

/// A prepared attractor census; its units are the starts, in order.
#[derive(Debug)]
pub struct AttractorsSweep {
    config: AttractorsConfig,
    net: Network,
}

impl AttractorsSweep {
    /// The network the census runs.
    pub fn network(&self) -> &Network {
        &self.net
    }
}

/// The class of an outcome.
pub fn class_of(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Recalled { .. } => "stored",
        Outcome::Reversed { .. } => "reversed",
        Outcome::Mixture { .. } => "mixture",
        Outcome::Cycle { .. } => "cycle",
        Outcome::Unconverged => "unconverged",
        _ => "spurious",
    }
}

impl Sweep for AttractorsSweep {
    type Config = AttractorsConfig;
    type Unit = AttractorRun;
    type Output = Attractors;
    const NAME: &'static str = "attractors";

    fn new(config: AttractorsConfig) -> Result<Self> {
        check_common(config.n, 1, config.max_steps)?;
        require(config.p > 0, "p", 0, "store at least 1 pattern")?;
        require(config.starts > 0, "starts", 0, "must be at least 1")?;
        let seed = unit_seed(config.seed, u64::MAX);
        let patterns = random_patterns(config.p, config.n, 0.5, &mut random::stream(seed, 0))?;
        let net = Network::from_patterns(&patterns, &config.rule)?;
        Ok(AttractorsSweep { config, net })
    }

    fn config(&self) -> &AttractorsConfig {
        &self.config
    }

    fn units(&self) -> usize {
        self.config.starts
    }

    fn run_unit(&self, index: usize) -> Result<AttractorRun> {
        let c = &self.config;
        let mut rng = random::stream(unit_seed(c.seed, index as u64), 0);
        let start = random_pattern(c.n, 0.5, &mut rng)?;
        let r = (self.net).recall(&start, &recall_options(c.dynamics, c.max_steps), &mut rng)?;
        let outcome = match r.outcome {
            Outcome::Mixture { patterns, signs } => {
                // A canonical order: patterns increasing, their signs with them.
                let mut pairs: Vec<(usize, i8)> = patterns.into_iter().zip(signs).collect();
                pairs.sort_unstable();
                Outcome::Mixture {
                    patterns: pairs.iter().map(|p| p.0).collect(),
                    signs: pairs.iter().map(|p| p.1).collect(),
                }
            }
            o => o,
        };
        let state_hash = r
            .state
            .iter()
            .fold(0u64, |h, &s| random::mix(h ^ u64::from(s as u8)));
        Ok(AttractorRun {
            class: class_of(&outcome).to_string(),
            outcome,
            energy: r.energy / c.n as f64,
            state_hash,
        })
    }

    fn summarize(&self, runs: Vec<AttractorRun>) -> Result<Attractors> {
        let c = &self.config;
        let classes = CLASSES
            .iter()
            .map(|&class| {
                let of: Vec<&AttractorRun> = runs.iter().filter(|r| r.class == class).collect();
                let mut hashes: Vec<u64> = of.iter().map(|r| r.state_hash).collect();
                hashes.sort_unstable();
                hashes.dedup();
                AttractorClass {
                    class: class.to_string(),
                    count: of.len(),
                    fraction: of.len() as f64 / c.starts as f64,
                    distinct: hashes.len(),
                    mean_energy: (!of.is_empty())
                        .then(|| of.iter().map(|r| r.energy).sum::<f64>() / of.len() as f64),
                }
            })
            .collect();
        let mut per_pattern = vec![[0usize; 2]; c.p];
        let mut mixtures: Vec<MixtureCount> = Vec::new();
        for r in &runs {
            match &r.outcome {
                Outcome::Recalled { pattern } => per_pattern[*pattern][0] += 1,
                Outcome::Reversed { pattern } => per_pattern[*pattern][1] += 1,
                Outcome::Mixture { patterns, signs } => {
                    match mixtures
                        .iter_mut()
                        .find(|m| &m.patterns == patterns && &m.signs == signs)
                    {
                        Some(m) => m.count += 1,
                        None => mixtures.push(MixtureCount {
                            patterns: patterns.clone(),
                            signs: signs.clone(),
                            count: 1,
                        }),
                    }
                }
                _ => {}
            }
        }
        mixtures.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.patterns.cmp(&b.patterns))
                .then_with(|| a.signs.cmp(&b.signs))
        });
        Ok(Attractors {
            config: c.clone(),
            classes,
            per_pattern,
            mixtures,
        })
    }
}

/// Runs an attractor census (all starts, on the current rayon pool).
///
/// One network stores `P` random patterns; from each of `starts` random ±1 states the
/// dynamics run to their end, which is classified ([`class_of`]): a stored pattern, its
/// reversal, a mixture `sign(±ξ^a ± ξ^b ± ξ^c)` of three (within 5 % of the neurons),
/// another (spurious) fixed point, a cycle, or no end within the step limit.
///
/// ```
/// use hopfield::experiment::{attractors, AttractorsConfig};
/// let a = attractors(&AttractorsConfig::default().n(200).p(3).starts(200))?;
/// let count = |c: &str| a.classes.iter().find(|k| k.class == c).unwrap().count;
/// assert_eq!(a.classes.iter().map(|k| k.count).sum::<usize>(), 200);
/// assert!(count("stored") + count("reversed") > 100);
/// # Ok::<(), hopfield::Error>(())
/// ```
pub fn attractors(config: &AttractorsConfig) -> Result<Attractors> {
    run_all(&AttractorsSweep::new(config.clone())?, &|| {})
}
