//! Dense associative memories and modern Hopfield networks: models whose energy is a sharper
//! function of the overlaps than the classical quadratic one, so that many more patterns
//! than neurons can be stored.
//!
//! | model | energy | update | reference |
//! |---|---|---|---|
//! | [`Interaction::Polynomial`] | `E = −Σ_μ (ξ^μ·S)ⁿ` | `S_i ← sign Σ_μ [F(ξ^μ·S⁽ⁱ⁺⁾) − F(ξ^μ·S⁽ⁱ⁻⁾)]` | Krotov & Hopfield (2016) |
//! | [`Interaction::Rectified`] | `E = −Σ_μ max(ξ^μ·S, 0)ⁿ` | the same | Krotov & Hopfield (2016) |
//! | [`Interaction::Exponential`] | `E = −Σ_μ exp(β ξ^μ·S)` | the same | Demircigil et al. (2017) |
//! | [`ContinuousMemory`] | `E = −β⁻¹ ln Σ_μ exp(β x^μ·ξ) + ½ ξ·ξ + const` | `ξ ← X softmax(β Xᵀ ξ)` | Ramsauer et al. (2020) |
//!
//! `S⁽ⁱ⁺⁾` and `S⁽ⁱ⁻⁾` are the state with neuron `i` set to `+1` and `−1`. The polynomial
//! model of degree `n` stores about `N^{n−1}` patterns; `n = 2` is the classical network
//! with Hebb's couplings, update for update. The exponential model stores exponentially
//! many. The continuous model works on real-valued patterns and retrieves in one update
//! when the patterns are well separated.
//!
//! [`Model`] names the choices for the command line: `classical` (a [`crate::Network`]),
//! `dense`, `exponential` and `modern`.
//!
//! ```
//! use hopfield::modern::{DenseMemory, Interaction};
//! use hopfield::prelude::*;
//!
//! // 60 patterns of 200 neurons (α = 0.3, twice Hebb's capacity) and a cue with 10% noise.
//! let mut rng = random::seeded(1);
//! let patterns = generate::random_patterns(60, 200, 0.5, &mut rng)?;
//! let memory = DenseMemory::new(patterns.clone(), Interaction::Polynomial { degree: 3 })?;
//! let cue = noise::flip_fraction(patterns.get(7).unwrap(), 0.1, &mut rng)?;
//! let r = memory.recall(&cue, &RecallOptions::new(Dynamics::Sweep), &mut rng)?;
//! assert_eq!(r.outcome, Outcome::Recalled { pattern: 7 });
//! # Ok::<(), hopfield::Error>(())
//! ```
//!
//! References: D. Krotov & J. J. Hopfield, *Dense associative memory for pattern
//! recognition*, NeurIPS 2016; M. Demircigil, J. Heusel, M. Löwe, S. Upgang & F. Vermet, *On a
//! model of associative memory with huge storage capacity*, J. Stat. Phys. 168 (2017);
//! H. Ramsauer et al., *Hopfield networks is all you need*, ICLR 2021 (arXiv 2020).

mod continuous;
mod dense;

use std::fmt;
use std::str::FromStr;

use rand::Rng;
#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

pub use continuous::{ContinuousMemory, ModernOptions, ModernRun, Retrieval};
pub use dense::{DenseMemory, DenseRun, Interaction};

use crate::dynamics::{AssociativeMemory, Recall, RecallOptions};
use crate::error::{Error, Result, require};
use crate::network::Network;
use crate::pattern::Patterns;
use crate::rule::Rule;

pub(crate) fn check_beta(beta: f64) -> Result<()> {
    let positive = "the inverse temperature β must be finite and > 0";
    require(beta.is_finite() && beta > 0.0, "beta", beta, positive)
}

/// `x^n` by repeated squaring: the same bits on every platform (the standard library's
/// `powi` promises no precision).
pub(crate) fn powi(mut x: f64, mut n: u32) -> f64 {
    let mut r = 1.0;
    loop {
        if n & 1 == 1 {
            r *= x;
        }
        n >>= 1;
        if n == 0 {
            return r;
        }
        x *= x;
    }
}

/// `ln Σ exp(v)`, shifted by the maximum so that it never overflows (`−∞` when empty).
pub(crate) fn log_sum_exp(values: impl Iterator<Item = f64> + Clone) -> f64 {
    let max = values.clone().fold(f64::NEG_INFINITY, f64::max);
    if max == f64::NEG_INFINITY {
        return max;
    }
    max + libm::log(values.map(|v| libm::exp(v - max)).sum::<f64>())
}
/// The associative-memory models, as the command line selects them (`--model`).
///
/// JSON: `{"model":"classical"}`, `{"model":"dense","degree":3,"rectified":false}`,
/// `{"model":"exponential","beta":1.0}`, `{"model":"modern","beta":1.0}`.
///
/// ```
/// use hopfield::modern::{Interaction, Model};
/// let m: Model = "dense".parse()?;
/// assert_eq!(m.clone().degree(4).interaction(), Some(Interaction::Polynomial { degree: 4 }));
/// assert_eq!(m.to_string(), "dense (F(x) = x^3)");
/// assert!(Model::exponential().beta(-1.0).check().is_err());
/// # Ok::<(), hopfield::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "model", rename_all = "kebab-case"))]
#[non_exhaustive]
pub enum Model {
    /// The classical network ([`crate::Network`], with a [`crate::Rule`]).
    Classical,
    /// Krotov & Hopfield's dense associative memory, `F(x) = xⁿ` or `max(x, 0)ⁿ`.
    Dense {
        /// The degree `n ≥ 2` (default 3).
        #[cfg_attr(feature = "serde", serde(default = "default_degree"))]
        degree: u32,
        /// Use the rectified polynomial (default false).
        #[cfg_attr(feature = "serde", serde(default))]
        rectified: bool,
    },
    /// Demircigil et al.'s exponential interaction `F(x) = exp(β x)`.
    Exponential {
        /// `β > 0` (default 1).
        #[cfg_attr(feature = "serde", serde(default = "default_beta"))]
        beta: f64,
    },
    /// The continuous modern Hopfield network ([`ContinuousMemory`]).
    Modern {
        /// `β > 0` (default 1).
        #[cfg_attr(feature = "serde", serde(default = "default_beta"))]
        beta: f64,
    },
}

fn default_degree() -> u32 {
    3
}

fn default_beta() -> f64 {
    1.0
}

impl Model {
    /// The names accepted by [`Model::from_str`].
    pub const NAMES: &'static [&'static str] = &["classical", "dense", "exponential", "modern"];

    /// The dense model of degree 3.
    pub fn dense() -> Model {
        Model::Dense {
            degree: default_degree(),
            rectified: false,
        }
    }

    /// The exponential model with `β = 1`.
    pub fn exponential() -> Model {
        Model::Exponential {
            beta: default_beta(),
        }
    }

    /// The continuous modern network with `β = 1`.
    pub fn modern() -> Model {
        Model::Modern {
            beta: default_beta(),
        }
    }

    /// The command-line name.
    pub fn name(&self) -> &'static str {
        match self {
            Model::Classical => "classical",
            Model::Dense { .. } => "dense",
            Model::Exponential { .. } => "exponential",
            Model::Modern { .. } => "modern",
        }
    }

    /// The same model with degree `n` (the dense model; others are returned unchanged).
    pub fn degree(mut self, n: u32) -> Model {
        if let Model::Dense { degree, .. } = &mut self {
            *degree = n;
        }
        self
    }

    /// The dense model, rectified or not (others are returned unchanged).
    pub fn rectified(mut self, rectified: bool) -> Model {
        if let Model::Dense { rectified: r, .. } = &mut self {
            *r = rectified;
        }
        self
    }

    /// The same model with inverse temperature `β` (exponential and modern; others are
    /// returned unchanged).
    pub fn beta(mut self, beta: f64) -> Model {
        if let Model::Exponential { beta: b } | Model::Modern { beta: b } = &mut self {
            *b = beta;
        }
        self
    }

    /// Checks the parameters: `n ≥ 2`, `β` finite and positive.
    pub fn check(&self) -> Result<()> {
        match *self {
            Model::Modern { beta } => check_beta(beta),
            _ => self.interaction().map_or(Ok(()), |i| i.check()),
        }
    }

    /// The interaction of a dense associative memory model.
    pub fn interaction(&self) -> Option<Interaction> {
        match *self {
            Model::Dense {
                degree,
                rectified: false,
            } => Some(Interaction::Polynomial { degree }),
            Model::Dense {
                degree,
                rectified: true,
            } => Some(Interaction::Rectified { degree }),
            Model::Exponential { beta } => Some(Interaction::Exponential { beta }),
            Model::Classical | Model::Modern { .. } => None,
        }
    }
}

impl From<Interaction> for Model {
    /// The model whose [`Model::interaction`] this is.
    fn from(interaction: Interaction) -> Model {
        match interaction {
            Interaction::Polynomial { degree } => Model::dense().degree(degree),
            Interaction::Rectified { degree } => Model::dense().degree(degree).rectified(true),
            Interaction::Exponential { beta } => Model::exponential().beta(beta),
        }
    }
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self, self.interaction()) {
            (Model::Modern { beta }, _) => write!(f, "modern (β = {beta})"),
            (_, Some(i)) => write!(f, "{} ({i})", self.name()),
            _ => f.write_str(self.name()),
        }
    }
}

impl FromStr for Model {
    type Err = Error;

    /// Parses a model name with its default parameters: `classical`, `dense` (alias
    /// `polynomial`; degree 3), `rectified` (the rectified dense model of degree 3),
    /// `exponential` (β = 1), `modern` (alias `continuous`; β = 1).
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "classical" | "hopfield" => Ok(Model::Classical),
            "dense" | "polynomial" => Ok(Model::dense()),
            "rectified" => Ok(Model::dense().rectified(true)),
            "exponential" => Ok(Model::exponential()),
            "modern" | "continuous" => Ok(Model::modern()),
            _ => Err(Error::parameter(
                "model",
                s,
                format!("expected one of: {}", Model::NAMES.join(", ")),
            )),
        }
    }
}

/// A memory of any [`Model`], built from ±1 patterns and recalled through one interface.
///
/// The classical model is a [`Network`] trained with a [`Rule`]; the dense and exponential
/// models are [`DenseMemory`]s; the modern model is a [`ContinuousMemory`] whose recall
/// starts from the ±1 cue, updates until it stops moving (tolerance 1e-6) or
/// `max_steps` updates (default 100), and reports the signs of the final state. The
/// modern model's update moves every component at once, whatever the [`Dynamics`](crate::Dynamics); its
/// overlaps and outcome are measured against the signs of the stored patterns.
///
/// ```
/// use hopfield::modern::{Memory, Model};
/// use hopfield::prelude::*;
/// let mut rng = random::seeded(2);
/// let patterns = generate::random_patterns(100, 100, 0.5, &mut rng)?; // P = N
/// let cue = noise::flip_fraction(patterns.get(9).unwrap(), 0.1, &mut rng)?;
/// for name in Model::NAMES {
///     let memory = Memory::build(&name.parse()?, &patterns, &Rule::hebb())?;
///     let r = memory.recall(&cue, &RecallOptions::new(Dynamics::Sweep), &mut rng)?;
///     let recalled = r.outcome == Outcome::Recalled { pattern: 9 };
///     assert_eq!(recalled, *name != "classical", "{name}");
/// }
/// # Ok::<(), hopfield::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Memory {
    /// The classical network.
    Classical(Box<Network>),
    /// A dense associative memory (polynomial, rectified or exponential).
    Dense(DenseMemory),
    /// A continuous modern Hopfield network.
    Modern(ContinuousMemory),
}

macro_rules! each {
    ($self:ident, $m:ident => $e:expr) => {
        match $self {
            Memory::Classical($m) => $e,
            Memory::Dense($m) => $e,
            Memory::Modern($m) => $e,
        }
    };
}

impl Memory {
    /// Stores `patterns` in `model`; `rule` trains the classical model and is not used by
    /// the others.
    pub fn build(model: &Model, patterns: &Patterns, rule: &Rule) -> Result<Memory> {
        model.check()?;
        Ok(match (model, model.interaction()) {
            (Model::Modern { beta }, _) => {
                Memory::Modern(ContinuousMemory::from_patterns(patterns, *beta)?)
            }
            (_, Some(interaction)) => {
                Memory::Dense(DenseMemory::new(patterns.clone(), interaction)?)
            }
            _ => Memory::Classical(Box::new(Network::from_patterns(patterns, rule)?)),
        })
    }

    /// The number of neurons, `N`.
    pub fn n(&self) -> usize {
        each!(self, m => m.n())
    }
}

impl AssociativeMemory for Memory {
    fn check_cue(&self, item: &str, cue: &[i8]) -> Result<()> {
        each!(self, m => m.check_cue(item, cue))
    }

    fn check_options(&self, options: &RecallOptions) -> Result<()> {
        each!(self, m => m.check_options(options))
    }

    fn run<R: Rng + ?Sized>(&self, cue: &[i8], options: &RecallOptions, rng: &mut R) -> Recall {
        each!(self, m => m.run(cue, options, rng))
    }

    /// The model's own batch (a classical network plans its cues' steps together).
    fn recall_batch<C>(&self, cues: &[C], options: &RecallOptions, seed: u64) -> Result<Vec<Recall>>
    where
        C: AsRef<[i8]> + Sync,
    {
        each!(self, m => m.recall_batch(cues, options, seed))
    }
}
