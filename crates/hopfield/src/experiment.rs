//! Experiments whose results theory predicts.
//!
//! - [`crosstalk`]: the term `Σ ξ_i S_i` between random patterns against its Gaussian.
//! - [`capacity`]: fixed points, exact recalls and final overlaps against the load
//!   `α = P/N`, beside the signal-to-noise predictions [`bit_error_probability`] and
//!   [`fixed_point_probability`] and the critical load [`ALPHA_C`].
//! - [`basins`]: recall probability and final overlap against the noise of the cue.
//! - [`attractors`]: where the dynamics end from random states.
//!
//! The last three are [`Sweep`]s of independent work units, run in parallel with results
//! that do not depend on the number of threads, and splittable into [`Shard`]s whose
//! partial results [`merge`] into the result of one run.
//!
//! ```
//! use hopfield::{experiment, random};
//! // The page's crosstalk cell: N = 100, S overlapping ξ on 50 neurons.
//! let c = experiment::crosstalk(100, 50, 2000, &mut random::seeded(1))?;
//! assert_eq!((c.predicted_mean, c.predicted_sd), (50.0, 50f64.sqrt()));
//! assert!((c.mean - 50.0).abs() < 4.0 * c.predicted_sd / 2000f64.sqrt());
//! # Ok::<(), hopfield::Error>(())
//! ```

use rand::Rng;
#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use crate::error::{Result, require};
use crate::measure::dot;
use crate::random;

/// A sweep's configuration: the struct as written, each field with its default after its
/// type; a setter per field; and `Default`, documented by the comment before `impl Default`.
macro_rules! config {
    ($(#[$meta:meta])*
     pub struct $name:ident {
         $($(#[$field_doc:meta])* pub $field:ident: $ty:ty = $default:expr,)+
     }
     $(#[$default_doc:meta])*
     impl Default;) => {
        $(#[$meta])*
        pub struct $name {
            $($(#[$field_doc])* pub $field: $ty,)+
        }

        impl $name {
            $(#[doc = concat!("Sets `", stringify!($field), "`.")]
            #[must_use]
            pub fn $field(mut self, $field: $ty) -> Self {
                self.$field = $field;
                self
            })+
        }

        impl Default for $name {
            $(#[$default_doc])*
            fn default() -> Self {
                $name {
                    $($field: $default,)+
                }
            }
        }
    };
}

mod attractors;
mod basins;
mod capacity;
mod sweep;

pub use attractors::{
    AttractorClass, AttractorRun, Attractors, AttractorsConfig, AttractorsSweep, CLASSES,
    MixtureCount, attractors, class_of,
};
pub use basins::{Basins, BasinsConfig, BasinsCurve, BasinsSweep, BasinsTrial, basins};
pub use capacity::{
    Capacity, CapacityConfig, CapacityPoint, CapacitySweep, CapacityTrial, capacity,
};
pub use sweep::{
    Data, Partial, PartialOf, Shard, Sweep, UnitResult, merge, range, run_all, run_shard,
};

/// The critical load of Hebb's rule for large `N` (Amit, Gutfreund and Sompolinsky,
/// 1985): below `α_c ≈ 0.138` the stored patterns are recalled with few errors; above it
/// retrieval breaks down.
pub const ALPHA_C: f64 = 0.138;

/// The signal-to-noise probability that one neuron of a stored pattern is unstable under
/// Hebb's rule: the crosstalk of `P` patterns is about Gaussian with variance `P/N`
/// against a signal of 1, so the neuron flips with probability `½ erfc(√(N / 2P))`.
///
/// ```
/// let e = hopfield::experiment::bit_error_probability(1000, 100);
/// assert!((e - 0.5 * hopfield::experiment::erfc(5f64.sqrt())).abs() < 1e-15);
/// ```
pub fn bit_error_probability(n: usize, p: usize) -> f64 {
    if p == 0 {
        return 0.0;
    }
    0.5 * erfc((n as f64 / (2.0 * p as f64)).sqrt())
}

/// The probability that a stored pattern is an exact fixed point if its `N` neurons failed
/// independently: `(1 − ½ erfc(√(N / 2P)))^N`.
pub fn fixed_point_probability(n: usize, p: usize) -> f64 {
    libm::exp(n as f64 * libm::log1p(-bit_error_probability(n, p)))
}

/// Checks what every sweep needs: neurons, trials and a step limit.
fn check_common(n: usize, trials: usize, max_steps: Option<usize>) -> Result<()> {
    require(n > 0, "n", n, "must be at least 1")?;
    require(trials > 0, "trials", trials, "must be at least 1")?;
    let default = "must be at least 1 (omit it for the default)";
    require(max_steps != Some(0), "max-steps", 0, default)
}

/// The recall options of a sweep: its dynamics and step limit.
fn recall_options(dynamics: crate::Dynamics, max_steps: Option<usize>) -> crate::RecallOptions {
    let mut options = crate::RecallOptions::new(dynamics);
    options.max_steps = max_steps;
    options
}

/// The loads of a sweep over loads, `trials` networks each; its units are `(load, trial)`
/// in that order.
#[derive(Debug)]
struct Loads {
    /// `P = round(α N)` for every load.
    sizes: Vec<usize>,
    trials: usize,
}

/// The network of one `(load, trial)` unit of a sweep over loads.
struct TrialNetwork {
    load: usize,
    trial: usize,
    p: usize,
    /// The unit's seed, from `(P, trial)`: a load's trials do not depend on the other loads.
    seed: u64,
    patterns: crate::pattern::Patterns,
    net: crate::network::Network,
}

impl Loads {
    /// The loads `alphas` of networks of `n` neurons, checked: at least one load.
    fn new(n: usize, alphas: &[f64], trials: usize) -> Result<Loads> {
        require(!alphas.is_empty(), "alpha", "[]", "give at least one load")?;
        let sizes = alphas
            .iter()
            .map(|&a| load_size(n, a))
            .collect::<Result<Vec<_>>>()?;
        crate::guard::elements("loads × trials", &[sizes.len(), trials])?;
        Ok(Loads { sizes, trials })
    }

    /// The number of units (its product checked in `new`).
    fn units(&self) -> usize {
        self.sizes.len().saturating_mul(self.trials)
    }

    /// The most patterns of a load.
    fn largest(&self) -> u64 {
        self.sizes.iter().copied().max().unwrap_or(1) as u64
    }

    /// Unit `index`: `P` random patterns of `n` neurons stored with `rule`.
    fn network(
        &self,
        n: usize,
        rule: &crate::rule::Rule,
        seed: u64,
        index: usize,
    ) -> Result<TrialNetwork> {
        let (load, trial) = (index / self.trials, index % self.trials);
        let p = self.sizes[load];
        let seed = sweep::unit_seed(seed, ((p as u64) << 32) | trial as u64);
        let patterns = crate::generate::random_patterns(p, n, 0.5, &mut random::stream(seed, 0))?;
        let net = crate::network::Network::from_patterns(&patterns, rule)?;
        Ok(TrialNetwork {
            load,
            trial,
            p,
            seed,
            patterns,
            net,
        })
    }
}

/// `P = round(α N)` for a load `α`, at least 1.
fn load_size(n: usize, alpha: f64) -> Result<usize> {
    let positive = alpha.is_finite() && alpha > 0.0;
    require(positive, "alpha", alpha, "loads must be positive")?;
    let p = (alpha * n as f64).round();
    let most = format!("P = αN = {p} patterns is more than this sweep allows (10 million)");
    require(p <= 1e7, "alpha", alpha, most)?;
    Ok((p as usize).max(1))
}

/// The crosstalk term `Σ_i ξ_i S_i` between random patterns, measured and predicted.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Crosstalk {
    /// Neurons per pattern.
    pub n: usize,
    /// Neurons on which `S` copies `ξ`.
    pub overlap: usize,
    /// One value of the term per sample.
    pub values: Vec<i64>,
    /// Sample mean.
    pub mean: f64,
    /// Sample standard deviation (with `n − 1`).
    pub sd: f64,
    /// Theory: the `overlap` copied neurons each add 1, the others average 0.
    pub predicted_mean: f64,
    /// Theory: `√(N − overlap)`, from `N − overlap` independent ±1 terms.
    pub predicted_sd: f64,
    /// Kolmogorov–Smirnov distance between the sample and the predicted Gaussian
    /// (with a continuity correction for the lattice of step 2).
    pub ks_distance: f64,
    /// The KS distance a sample of this size exceeds with probability 5 % when the
    /// prediction is right (`1.358 / √samples`).
    pub ks_critical: f64,
}

/// Samples the crosstalk term: `ξ` and `S` random ±1 patterns of `n` neurons, with
/// `S_i = ξ_i` on the first `overlap` neurons, as the course page's cells.
pub fn crosstalk<R: Rng + ?Sized>(
    n: usize,
    overlap: usize,
    samples: usize,
    rng: &mut R,
) -> Result<Crosstalk> {
    check_common(n, 1, None)?;
    let within = format!("cannot exceed N = {n}");
    require(overlap <= n, "overlap", overlap, within)?;
    let deviation = "need at least 2 samples for a standard deviation";
    require(samples >= 2, "samples", samples, deviation)?;
    crate::guard::check(
        &format!("{samples} crosstalk samples of {n} neurons"),
        // The samples, their sorted copy, and ξ and S.
        (samples as u64)
            .saturating_mul(16)
            .saturating_add((n as u64).saturating_mul(2)),
        "use fewer samples",
    )?;
    let mut xi = vec![0i8; n];
    let mut s = vec![0i8; n];
    let values: Vec<i64> = (0..samples)
        .map(|_| {
            for v in xi.iter_mut() {
                *v = random::sign(rng);
            }
            for v in s.iter_mut() {
                *v = random::sign(rng);
            }
            s[..overlap].copy_from_slice(&xi[..overlap]);
            dot(&xi, &s)
        })
        .collect();
    let k = values.len() as f64;
    let mean = values.iter().sum::<i64>() as f64 / k;
    let sd = (values
        .iter()
        .map(|&v| (v as f64 - mean) * (v as f64 - mean))
        .sum::<f64>()
        / (k - 1.0))
        .sqrt();
    let predicted_mean = overlap as f64;
    let predicted_sd = ((n - overlap) as f64).sqrt();
    let ks_distance = ks_lattice(&values, predicted_mean, predicted_sd);
    Ok(Crosstalk {
        n,
        overlap,
        values,
        mean,
        sd,
        predicted_mean,
        predicted_sd,
        ks_distance,
        ks_critical: 1.358 / k.sqrt(),
    })
}

/// KS distance of integer samples on a lattice of step 2 from a Gaussian, comparing the
/// empirical CDF at each lattice value with the Gaussian CDF at the midpoint to the next.
fn ks_lattice(values: &[i64], mean: f64, sd: f64) -> f64 {
    if sd == 0.0 {
        return if values.iter().all(|&v| v as f64 == mean) {
            0.0
        } else {
            1.0
        };
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let k = sorted.len() as f64;
    let mut d: f64 = 0.0;
    let mut i = 0;
    while i < sorted.len() {
        let v = sorted[i];
        while i < sorted.len() && sorted[i] == v {
            i += 1;
        }
        let below = normal_cdf((v as f64 - 1.0 - mean) / sd);
        let at = normal_cdf((v as f64 + 1.0 - mean) / sd);
        let emp_at = i as f64 / k;
        let emp_below = (sorted.partition_point(|&x| x < v)) as f64 / k;
        d = d.max((emp_at - at).abs()).max((emp_below - below).abs());
    }
    d
}

/// The standard normal CDF Φ(x).
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

/// The complementary error function `erfc(x) = 1 − erf(x)` (from `libm`).
pub fn erfc(x: f64) -> f64 {
    libm::erfc(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::seeded;

    #[test]
    fn erfc_matches_known_values() {
        for (x, v) in [
            (0.0, 1.0),
            (0.1, 0.887_537_083_981_715),
            (0.5, 0.479_500_122_186_953_5),
            (1.0, 0.157_299_207_050_285_1),
            (2.0, 0.004_677_734_981_047_266),
            (3.0, 2.209_049_699_858_544e-5),
            (5.0, 1.537_459_794_428_035e-12),
            (-1.0, 1.842_700_792_949_715),
        ] {
            assert!(
                (erfc(x) - v).abs() <= 1e-13 * v.max(1e-300) + 1e-16,
                "erfc({x}) = {} not {v}",
                erfc(x)
            );
        }
        assert!((normal_cdf(1.959_963_984_540_054) - 0.975).abs() < 1e-12);
    }

    #[test]
    fn crosstalk_matches_theory() {
        for (n, overlap) in [(100, 0), (100, 50), (400, 100)] {
            let c = crosstalk(n, overlap, 4000, &mut seeded(2)).unwrap();
            let se_mean = c.predicted_sd / 4000f64.sqrt();
            assert!(
                (c.mean - c.predicted_mean).abs() < 4.0 * se_mean,
                "{n} {overlap}: {}",
                c.mean
            );
            // sd of the sample sd ≈ sd / √(2k).
            assert!(
                (c.sd - c.predicted_sd).abs() < 4.0 * c.predicted_sd / 8000f64.sqrt(),
                "{}",
                c.sd
            );
            assert!(
                c.ks_distance < c.ks_critical,
                "{} ≥ {}",
                c.ks_distance,
                c.ks_critical
            );
            assert!(
                c.values
                    .iter()
                    .all(|v| (v - overlap as i64) % 2 == (n - overlap) as i64 % 2)
            );
        }
        // A wrong prediction is detected: compare the sample against a shifted mean.
        let c = crosstalk(100, 0, 4000, &mut seeded(3)).unwrap();
        assert!(ks_lattice(&c.values, 5.0, 10.0) > c.ks_critical);
        assert!(crosstalk(10, 11, 5, &mut seeded(0)).is_err());
        assert!(crosstalk(10, 1, 1, &mut seeded(0)).is_err());
    }
}
