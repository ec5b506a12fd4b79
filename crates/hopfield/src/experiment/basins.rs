//! Basins of attraction: how much noise a cue may carry and still be recalled.

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use super::sweep::{Sweep, run_all};
use super::{Loads, check_common, recall_options};
use crate::dynamics::{AssociativeMemory, Dynamics};
use crate::error::{Result, require};
use crate::generate::check_probability;
use crate::random;
use crate::rule::Rule;

config! {
    /// A basin sweep: for each load and each noise level, the recall of cues with that
    /// fraction of neurons flipped.
    #[derive(Debug, Clone, PartialEq)]
    #[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
    #[cfg_attr(feature = "serde", serde(default))]
    #[non_exhaustive]
    pub struct BasinsConfig {
        /// Neurons.
        pub n: usize = 1000,
        /// Loads `α = P/N`, one curve each; `P = round(α N)`, at least 1.
        pub alphas: Vec<f64> = vec![0.05, 0.1],
        /// Fractions of neurons flipped in the cues (exactly `⌊noise · N⌋`), each in `[0, 1]`.
        pub noises: Vec<f64> = (0..=10).map(|k| f64::from(k) / 20.0).collect(),
        /// Networks (independent pattern sets) per load.
        pub trials: usize = 5,
        /// Stored patterns cued per network and noise level (the first `min(cues, P)`).
        pub cues: usize = 20,
        /// Learning rule.
        pub rule: Rule = Rule::hebb(),
        /// Dynamics of the recall.
        pub dynamics: Dynamics = Dynamics::Synchronous,
        /// Step limit of the recall (default: the dynamics' default).
        pub max_steps: Option<usize> = None,
        /// Seed of the sweep.
        pub seed: u64 = 1,
    }

    /// `N = 1000`, `α = 0.05, 0.1`, noise `0, 0.05, …, 0.5`, 5 trials of 20 cues, Hebb's
    /// rule, synchronous.
    impl Default;
}

/// One network of a basin sweep: counts per noise level.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct BasinsTrial {
    /// Index of the load in [`BasinsConfig::alphas`].
    pub load: usize,
    /// Trial number at this load.
    pub trial: usize,
    /// Stored patterns.
    pub p: usize,
    /// Cues per noise level.
    pub cues: usize,
    /// Per noise level: cues recalled exactly.
    pub recalled: Vec<usize>,
    /// Per noise level: sum of `ξ^μ · S_final` over the cues.
    pub overlap_sum: Vec<i64>,
}

/// The curve of one load.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct BasinsCurve {
    /// The load `P/N` actually run.
    pub alpha: f64,
    /// Stored patterns.
    pub p: usize,
    /// Cues per noise level (over all trials).
    pub cues: usize,
    /// Per noise level: fraction of cues recalled exactly.
    pub recall_probability: Vec<f64>,
    /// Per noise level: the binomial standard error of that fraction,
    /// `√(q (1 − q) / cues)` (an underestimate when cues of one network are correlated).
    pub recall_se: Vec<f64>,
    /// Per noise level: mean final overlap with the cued pattern.
    pub mean_overlap: Vec<f64>,
}

/// The result of a basin sweep.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Basins {
    /// What was run.
    pub config: BasinsConfig,
    /// The noise levels (the x axis of every curve).
    pub noises: Vec<f64>,
    /// One curve per load, in the order of [`BasinsConfig::alphas`].
    pub curves: Vec<BasinsCurve>,
}

/// A prepared basin sweep; its units are `(load, trial)` in that order.
#[derive(Debug)]
pub struct BasinsSweep {
    config: BasinsConfig,
    loads: Loads,
}

impl Sweep for BasinsSweep {
    type Config = BasinsConfig;
    type Unit = BasinsTrial;
    type Output = Basins;
    const NAME: &'static str = "basins";

    fn new(config: BasinsConfig) -> Result<Self> {
        check_common(config.n, config.trials, config.max_steps)?;
        require(config.cues > 0, "cues", 0, "must be at least 1")?;
        let given = !config.noises.is_empty();
        require(given, "noise", "[]", "give at least one noise level")?;
        for &f in &config.noises {
            check_probability("noise", f)?;
        }
        let loads = Loads::new(config.n, &config.alphas, config.trials)?;
        Ok(BasinsSweep { config, loads })
    }

    fn config(&self) -> &BasinsConfig {
        &self.config
    }

    fn units(&self) -> usize {
        self.loads.units()
    }

    fn run_unit(&self, index: usize) -> Result<BasinsTrial> {
        let c = &self.config;
        let n = c.n;
        let t = self.loads.network(n, &c.rule, c.seed, index)?;
        let cued = c.cues.min(t.p);
        // One random order of the neurons per cued pattern; noise f flips its first
        // ⌊f N⌋ neurons, so a cue's flips at a higher noise include those at a lower one.
        let mut rng = random::stream(t.seed, 1);
        let orders: Vec<Vec<usize>> = (0..cued).map(|_| random::sample(&mut rng, n, n)).collect();
        let mut cues = Vec::with_capacity(cued * c.noises.len());
        for &f in &c.noises {
            let k = (f * n as f64).floor() as usize;
            for (mu, order) in orders.iter().enumerate() {
                let mut cue = t.patterns.pattern(mu)?.to_vec();
                for &i in &order[..k.min(n)] {
                    cue[i] = -cue[i];
                }
                cues.push(cue);
            }
        }
        let options = recall_options(c.dynamics, c.max_steps);
        let results = t
            .net
            .recall_batch(&cues, &options, random::mix(t.seed ^ 2))?;
        let mut recalled = vec![0usize; c.noises.len()];
        let mut overlap_sum = vec![0i64; c.noises.len()];
        for (k, r) in results.iter().enumerate() {
            let (level, mu) = (k / cued, k % cued);
            let xi = t.patterns.pattern(mu)?;
            recalled[level] += usize::from(r.state == xi);
            overlap_sum[level] += crate::measure::dot(xi, &r.state);
        }
        Ok(BasinsTrial {
            load: t.load,
            trial: t.trial,
            p: t.p,
            cues: cued,
            recalled,
            overlap_sum,
        })
    }

    fn unit_memory(&self) -> Option<(String, u64)> {
        // A unit at the largest load: the patterns, an order of the neurons per cued
        // pattern, and per noise level the cues and their results (a final state and P
        // overlaps each).
        let n = self.config.n as u64;
        let p = self.loads.largest();
        let cued = (self.config.cues as u64).min(p);
        let cues = cued.saturating_mul(self.config.noises.len() as u64);
        Some((
            format!("a basins trial of P = {p} patterns of N = {n} neurons, {cues} cues"),
            p.saturating_mul(n)
                .saturating_add(cued.saturating_mul(n).saturating_mul(8))
                .saturating_add(
                    cues.saturating_mul(
                        n.saturating_mul(2)
                            .saturating_add(p.saturating_mul(8))
                            .saturating_add(256),
                    ),
                ),
        ))
    }

    fn unit_heap_bytes(&self) -> u64 {
        // `recalled` and `overlap_sum`: one value each per noise level.
        (self.config.noises.len() as u64).saturating_mul(16)
    }

    fn summarize(&self, units: Vec<BasinsTrial>) -> Result<Basins> {
        let c = &self.config;
        let levels = c.noises.len();
        let curves = self
            .loads
            .sizes
            .iter()
            .enumerate()
            .map(|(load, &p)| {
                let trials: Vec<&BasinsTrial> = units.iter().filter(|u| u.load == load).collect();
                let cues: usize = trials.iter().map(|u| u.cues).sum();
                let total = cues.max(1) as f64;
                let q: Vec<f64> = (0..levels)
                    .map(|k| trials.iter().map(|u| u.recalled[k]).sum::<usize>() as f64 / total)
                    .collect();
                BasinsCurve {
                    alpha: p as f64 / c.n as f64,
                    p,
                    cues,
                    recall_se: q.iter().map(|&q| (q * (1.0 - q) / total).sqrt()).collect(),
                    recall_probability: q,
                    mean_overlap: (0..levels)
                        .map(|k| {
                            trials.iter().map(|u| u.overlap_sum[k]).sum::<i64>() as f64
                                / (total * c.n as f64)
                        })
                        .collect(),
                }
            })
            .collect();
        Ok(Basins {
            config: c.clone(),
            noises: c.noises.clone(),
            curves,
        })
    }
}

/// Runs a basin sweep (all units, on the current rayon pool).
///
/// For each load and trial: `P` random patterns stored with the rule; for each noise level
/// `f`, the first `min(cues, P)` patterns are cued with `⌊f N⌋` neurons flipped and
/// recalled; exact recalls and final overlaps are counted per level.
///
/// ```
/// use hopfield::experiment::{basins, BasinsConfig};
/// let b = basins(&BasinsConfig::default().n(300).alphas(vec![0.05]).noises(vec![0.0, 0.45]))?;
/// let q = &b.curves[0].recall_probability;
/// assert_eq!(q[0], 1.0);
/// assert!(q[1] < 0.5);
/// # Ok::<(), hopfield::Error>(())
/// ```
pub fn basins(config: &BasinsConfig) -> Result<Basins> {
    run_all(&BasinsSweep::new(config.clone())?, &|| {})
}
