//! Storage capacity: how many random patterns a network keeps as fixed points and recalls.

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use super::sweep::{Sweep, run_all};
use super::{
    ALPHA_C, Loads, bit_error_probability, check_common, fixed_point_probability, recall_options,
};
use crate::dynamics::{AssociativeMemory, Dynamics, RecallOptions};
use crate::error::Result;
use crate::generate::check_probability;
use crate::noise;
use crate::random;
use crate::rule::Rule;

config! {
    /// A capacity sweep: for each load `α = P/N`, `trials` networks of `N` neurons storing
    /// `P` random patterns.
    #[derive(Debug, Clone, PartialEq)]
    #[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
    #[cfg_attr(feature = "serde", serde(default))]
    #[non_exhaustive]
    pub struct CapacityConfig {
        /// Neurons.
        pub n: usize = 1000,
        /// Loads `α = P/N`; `P = round(α N)`, at least 1.
        pub alphas: Vec<f64> = (1..=20).map(|k| f64::from(k) / 100.0).collect(),
        /// Networks (independent pattern sets) per load.
        pub trials: usize = 5,
        /// Learning rule.
        pub rule: Rule = Rule::hebb(),
        /// Fraction of neurons flipped in each cue (exactly `⌊noise · N⌋`).
        pub noise: f64 = 0.1,
        /// Dynamics of the recall from the noisy cues.
        pub dynamics: Dynamics = Dynamics::Synchronous,
        /// Step limit of the recall (default: the dynamics' default).
        pub max_steps: Option<usize> = None,
        /// Seed of the sweep.
        pub seed: u64 = 1,
    }

    /// `N = 1000`, `α = 0.01, 0.02, …, 0.20`, 5 trials, Hebb's rule, 10 % noise, synchronous.
    impl Default;
}

/// One network of a capacity sweep: counts over its `P` stored patterns.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct CapacityTrial {
    /// Index of the load in [`CapacityConfig::alphas`].
    pub load: usize,
    /// Trial number at this load.
    pub trial: usize,
    /// Stored patterns.
    pub p: usize,
    /// Stored patterns that are exact fixed points.
    pub fixed_points: usize,
    /// Neurons of stored patterns that one synchronous step would flip (out of `P · N`).
    pub unstable_bits: u64,
    /// Noisy cues whose recall ended exactly at their pattern.
    pub recalled: usize,
    /// Sum over the cues of `ξ^μ · S_final` (the final overlap times `N`).
    pub overlap_sum: i64,
}

/// The measured and predicted values at one load.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct CapacityPoint {
    /// The load `P/N` actually run.
    pub alpha: f64,
    /// Stored patterns.
    pub p: usize,
    /// Trials.
    pub trials: usize,
    /// Fraction of stored patterns that are exact fixed points.
    pub fixed_point_fraction: f64,
    /// Fraction of the neurons of stored patterns that one step would flip.
    pub bit_error_rate: f64,
    /// Fraction of noisy cues recalled exactly.
    pub recalled_fraction: f64,
    /// Mean final overlap `ξ^μ · S / N` of the recalls from noisy cues.
    pub mean_overlap: f64,
    /// Signal-to-noise prediction of the bit error rate, `½ erfc(√(N / 2P))`.
    pub predicted_bit_error: f64,
    /// Prediction of the fixed-point fraction, `(1 − ½ erfc(√(N / 2P)))^N`.
    pub predicted_fixed_point: f64,
}

/// The result of a capacity sweep.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Capacity {
    /// What was run.
    pub config: CapacityConfig,
    /// One point per load, in the order of [`CapacityConfig::alphas`].
    pub points: Vec<CapacityPoint>,
    /// The Amit–Gutfreund–Sompolinsky critical load for Hebb's rule, [`ALPHA_C`].
    pub alpha_c: f64,
}

/// A prepared capacity sweep; its units are `(load, trial)` in that order.
#[derive(Debug)]
pub struct CapacitySweep {
    config: CapacityConfig,
    loads: Loads,
}

impl Sweep for CapacitySweep {
    type Config = CapacityConfig;
    type Unit = CapacityTrial;
    type Output = Capacity;
    const NAME: &'static str = "capacity";

    fn new(config: CapacityConfig) -> Result<Self> {
        check_common(config.n, config.trials, config.max_steps)?;
        check_probability("noise", config.noise)?;
        let loads = Loads::new(config.n, &config.alphas, config.trials)?;
        Ok(CapacitySweep { config, loads })
    }

    fn config(&self) -> &CapacityConfig {
        &self.config
    }

    fn units(&self) -> usize {
        self.loads.units()
    }

    fn run_unit(&self, index: usize) -> Result<CapacityTrial> {
        let c = &self.config;
        let t = self.loads.network(c.n, &c.rule, c.seed, index)?;

        // Stability: one synchronous step from every stored pattern.
        let step = RecallOptions::new(Dynamics::Synchronous).max_steps(1);
        let rows: Vec<&[i8]> = t.patterns.iter().collect();
        let after = t.net.recall_batch(&rows, &step, random::mix(t.seed ^ 1))?;
        let mut fixed_points = 0;
        let mut unstable_bits = 0u64;
        for (r, xi) in after.iter().zip(&rows) {
            let wrong = crate::measure::differ(&r.state, xi);
            unstable_bits += wrong as u64;
            fixed_points += usize::from(wrong == 0);
        }

        // Recall from cues with ⌊noise · N⌋ neurons flipped.
        let mut rng = random::stream(t.seed, 1);
        let cues = rows
            .iter()
            .map(|xi| noise::flip_fraction(xi, c.noise, &mut rng))
            .collect::<Result<Vec<_>>>()?;
        let options = recall_options(c.dynamics, c.max_steps);
        let results = t
            .net
            .recall_batch(&cues, &options, random::mix(t.seed ^ 2))?;
        let mut recalled = 0;
        let mut overlap_sum = 0i64;
        for (r, xi) in results.iter().zip(&rows) {
            recalled += usize::from(r.state == *xi);
            overlap_sum += crate::measure::dot(xi, &r.state);
        }
        Ok(CapacityTrial {
            load: t.load,
            trial: t.trial,
            p: t.p,
            fixed_points,
            unstable_bits,
            recalled,
            overlap_sum,
        })
    }

    fn unit_memory(&self) -> Option<(String, u64)> {
        // A unit at the largest load: the patterns, their cues and two batches of results
        // (a final state and P overlaps each).
        let n = self.config.n as u64;
        let p = self.loads.largest();
        Some((
            format!("a capacity trial of P = {p} patterns of N = {n} neurons"),
            p.saturating_mul(
                n.saturating_mul(4)
                    .saturating_add(p.saturating_mul(16))
                    .saturating_add(256),
            ),
        ))
    }

    fn summarize(&self, units: Vec<CapacityTrial>) -> Result<Capacity> {
        let c = &self.config;
        let n = c.n;
        let points = self
            .loads
            .sizes
            .iter()
            .enumerate()
            .map(|(load, &p)| {
                let trials: Vec<&CapacityTrial> = units.iter().filter(|u| u.load == load).collect();
                let cues = (trials.len() * p) as f64;
                let sum = |f: fn(&CapacityTrial) -> f64| trials.iter().map(|u| f(u)).sum::<f64>();
                CapacityPoint {
                    alpha: p as f64 / n as f64,
                    p,
                    trials: trials.len(),
                    fixed_point_fraction: sum(|u| u.fixed_points as f64) / cues,
                    bit_error_rate: sum(|u| u.unstable_bits as f64) / (cues * n as f64),
                    recalled_fraction: sum(|u| u.recalled as f64) / cues,
                    mean_overlap: sum(|u| u.overlap_sum as f64) / (cues * n as f64),
                    predicted_bit_error: bit_error_probability(n, p),
                    predicted_fixed_point: fixed_point_probability(n, p),
                }
            })
            .collect();
        Ok(Capacity {
            config: c.clone(),
            points,
            alpha_c: ALPHA_C,
        })
    }
}

/// Runs a capacity sweep (all units, on the current rayon pool).
///
/// For each load `α = P/N` and trial: `P` random patterns stored with the rule; whether
/// each is a fixed point (one synchronous step changes nothing) and how many of its
/// neurons that step would flip; and the recall from a cue with `⌊noise · N⌋` neurons
/// flipped: exact or not, and the final overlap.
///
/// ```
/// use hopfield::experiment::{capacity, CapacityConfig};
/// let c = capacity(&CapacityConfig::default().n(400).alphas(vec![0.02, 0.3]).trials(2))?;
/// assert_eq!(c.points[0].p, 8);
/// assert!(c.points[0].mean_overlap > 0.99 && c.points[1].mean_overlap < 0.9);
/// # Ok::<(), hopfield::Error>(())
/// ```
pub fn capacity(config: &CapacityConfig) -> Result<Capacity> {
    run_all(&CapacitySweep::new(config.clone())?, &|| {})
}
