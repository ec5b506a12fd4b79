//! Learning rules: how stored patterns become couplings.
//!
//! A rule is anything that implements [`LearningRule`]; [`Rule`] is the serialisable enum of
//! the rules this crate ships, the form in which a rule travels through files, the command
//! line and Python.
//!
//! | rule | couplings | reference | use it for |
//! |---|---|---|---|
//! | [`Rule::Hebb`] | `W = c Σ_μ ξ^μ ξ^μᵀ`, zero diagonal, `c = 1/N` by default | Hopfield (1982) | the classical network; capacity `P ≈ 0.138 N` |
//! | [`Rule::Outer01`] | `W = c Σ_μ v^μ v^μᵀ` on the 0/1 vectors `v = (ξ + 1)/2`, zero diagonal, `c = 1` | the course page's image cells | showing why the bipolar form is needed |
//! | [`Rule::Storkey`] | `ΔW_ij = (ξ_i ξ_j − ξ_i h_ji − h_ij ξ_j)/N`, `h_ij = Σ_{k≠i,j} W_ik ξ_k`, one pattern at a time | Storkey (1997) | more patterns than Hebb, still local and incremental |
//! | [`Rule::PseudoInverse`] | `W = X (XᵀX)⁻¹ Xᵀ`, the projector onto the patterns' span | Personnaz, Guyon & Dreyfus (1985); Kanter & Sompolinsky (1987) | correlated patterns; every stored pattern a fixed point for `P < N` |
//! | [`Rule::Perceptron`] | per neuron, `W_i· += ξ_i^μ ξ^μ / N` until `ξ_i^μ h_i^μ ≥ κ ‖W_i·‖` for all `μ` | Gardner (1988); Krauth & Mézard (1987) | the largest capacity (`P < 2N` at `κ = 0`) and a chosen margin; asymmetric couplings |
//! | [`Rule::Covariance`] | `W_ij = Σ_μ (v_i^μ − a)(v_j^μ − a) / (N a (1 − a))`, zero diagonal, threshold from [`Rule::threshold`] | Tsodyks & Feigel'man (1988) | sparse patterns with mean activity `a ≪ ½` |
//!
//! Any couplings can be diluted afterwards, keeping each connection with probability `c`
//! ([`Dilution`], [`Weights::dilute`]).
//!
//! ```
//! use hopfield::{generate, random, Network, Rule};
//!
//! // 60 random patterns of 200 neurons (α = 0.3): far beyond Hebb's capacity, yet every
//! // one is a fixed point of the pseudo-inverse rule.
//! let patterns = generate::random_patterns(60, 200, 0.5, &mut random::seeded(1))?;
//! let net = Network::from_patterns(&patterns, &Rule::pseudo_inverse())?;
//! for xi in patterns.iter() {
//!     assert!(net.is_fixed_point(xi, Default::default())?);
//! }
//! # Ok::<(), hopfield::Error>(())
//! ```

mod covariance;
mod perceptron;
mod projection;
mod storkey;

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::cancel::Cancel;
use crate::error::{Error, Result};
use crate::kernel::bits::BitMatrix;
use crate::neuron::Threshold;
use crate::pattern::Patterns;
#[cfg(doc)]
use crate::weights::Dilution;
use crate::weights::{Representation, Weights};

/// A learning rule: builds couplings from stored patterns.
///
/// Implement it to add a rule; the dynamics, measures and tools work with any rule's
/// [`Weights`].
pub trait LearningRule {
    /// The rule's short name, as on the command line.
    fn name(&self) -> &'static str;

    /// Couplings that store `patterns`, in the requested representation.
    ///
    /// A rule that cannot use a representation returns [`Error::Unsupported`] when it is
    /// requested explicitly and picks its own for [`Representation::Auto`].
    fn train(&self, patterns: &Patterns, representation: Representation) -> Result<Weights>;
}

/// The scale factor `c` in front of a sum of outer products.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Normalization {
    /// `c = 1/N` (the usual Hopfield convention; the page's two-image cell).
    #[default]
    #[serde(rename = "1/N")]
    N,
    /// `c = 1/P`.
    #[serde(rename = "1/P")]
    P,
    /// `c = 1` (most of the page's cells: `Tij = np.outer(xi, xi)`).
    #[serde(rename = "none")]
    None,
}

impl Normalization {
    /// The scale factor for `p` patterns of `n` neurons.
    pub fn scale(self, n: usize, p: usize) -> f64 {
        match self {
            Normalization::N => 1.0 / n as f64,
            Normalization::P => 1.0 / p as f64,
            Normalization::None => 1.0,
        }
    }
}

impl fmt::Display for Normalization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Normalization::N => "1/N",
            Normalization::P => "1/P",
            Normalization::None => "none",
        })
    }
}

impl FromStr for Normalization {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "1/n" | "n" => Ok(Normalization::N),
            "1/p" | "p" => Ok(Normalization::P),
            "none" | "1" => Ok(Normalization::None),
            _ => Err(Error::parameter(
                "normalization",
                s,
                "expected one of: 1/N, 1/P, none",
            )),
        }
    }
}

/// The learning rules this crate ships.
///
/// The JSON form is tagged by the rule's name, with its options beside it; options left
/// out take their defaults:
/// `{"rule":"hebb","normalization":"1/N"}`, `{"rule":"storkey"}`,
/// `{"rule":"pseudo-inverse","zero_diagonal":false}`,
/// `{"rule":"perceptron","kappa":0.5,"max_epochs":1000}`,
/// `{"rule":"covariance","activity":null}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Rule {
    /// Hebb's rule on bipolar patterns: `W = c Σ_μ ξ^μ ξ^μᵀ` with zero diagonal.
    Hebb {
        /// The scale `c` (default `1/N`).
        normalization: Normalization,
    },
    /// The course page's rule on the 0/1 vectors: `W = c Σ_μ v^μ v^μᵀ`, `v = (ξ + 1)/2`,
    /// zero diagonal. It stores images poorly (every weight is ≥ 0); the page uses it to
    /// show why the bipolar form is needed.
    Outer01 {
        /// The scale `c` (default none, as on the page).
        normalization: Normalization,
    },
    /// Storkey's (1997) incremental rule. Starting from `W = 0`, pattern `ν` adds
    ///
    /// `ΔW_ij = (ξ_i ξ_j − ξ_i h_ji − h_ij ξ_j) / N`, with `h_ij = Σ_{k ≠ i, j} W_ik ξ_k`
    ///
    /// the local field of the couplings learned so far. The diagonal stays zero and `W`
    /// symmetric (dense `f32`). Like Hebb's rule it is local and learns one pattern at a time,
    /// but the correction terms cancel part of the crosstalk: with every pattern required to
    /// be stable, its capacity grows as `N / √(2 ln N)` against Hebb's `N / (2 ln N)`, and it
    /// copes better with correlated patterns. Building costs `O(P N²)`.
    ///
    /// Reference: A. Storkey, *Increasing the capacity of a Hopfield network without
    /// sacrificing functionality*, ICANN 1997.
    ///
    /// ```
    /// use hopfield::{generate, random, Network, Rule, Tie};
    /// let patterns = generate::random_patterns(30, 200, 0.5, &mut random::seeded(4))?;
    /// let net = Network::from_patterns(&patterns, &Rule::storkey())?;
    /// let fixed = patterns.iter().filter(|xi| net.is_fixed_point(xi, Tie::Plus).unwrap()).count();
    /// assert!(fixed >= 25);
    /// # Ok::<(), hopfield::Error>(())
    /// ```
    Storkey,
    /// The pseudo-inverse or projection rule: `W = X (XᵀX)⁻¹ Xᵀ`, where the columns of the
    /// `N × P` matrix `X` are the patterns.
    ///
    /// `W` projects onto the span of the patterns, so `W ξ^μ = ξ^μ`: every stored pattern is
    /// a fixed point, for correlated patterns as well, as long as they are linearly
    /// independent (`P ≤ N`, no repeats or reversals); otherwise training fails with
    /// [`Error::LinearlyDependent`], naming the first pattern that depends on the ones before
    /// it. Couplings are dense `f32` and symmetric; building costs `O(N P² + N² P)`
    /// (a QR factorisation, `W = Q Qᵀ`).
    ///
    /// **Diagonal.** By default the diagonal `W_ii` (about `P/N` each) is kept, so that `W` is
    /// the exact projector and `h = ξ^μ` at every stored pattern. With `zero_diagonal` it is
    /// removed, as Kanter & Sompolinsky do: the fields at a stored pattern become
    /// `(1 − W_ii) ξ_i^μ`, still of the right sign, and the spurious self-coupling that
    /// freezes noisy states goes, which widens the basins of attraction at high load; the
    /// fields are then no longer exactly the pattern.
    ///
    /// References: L. Personnaz, I. Guyon & G. Dreyfus, *Information storage and retrieval in
    /// spin-glass like neural networks*, J. Physique Lett. 46 (1985); I. Kanter &
    /// H. Sompolinsky, *Associative recall of memory without errors*, Phys. Rev. A 35 (1987).
    ///
    /// ```
    /// use hopfield::{Error, Patterns, Rule, Representation};
    /// let p = Patterns::from_rows(vec![vec![1, -1, 1, 1], vec![1, 1, -1, 1], vec![-1, 1, -1, -1]])?;
    /// let e = Rule::pseudo_inverse().train(&p, Representation::Auto).unwrap_err();
    /// assert!(matches!(e, Error::LinearlyDependent { pattern: 2, .. }));
    /// assert!(e.to_string().starts_with("patterns are linearly dependent: pattern 2"));
    /// # Ok::<(), hopfield::Error>(())
    /// ```
    PseudoInverse {
        /// Remove the self-couplings `W_ii` (default false: keep the exact projector).
        #[serde(default)]
        zero_diagonal: bool,
    },
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
    /// [`Rule::train`] returns [`Error::NotConverged`] when the epochs run out;
    /// [`Rule::train_report`] returns the couplings anyway with a [`Training`] report.
    ///
    /// References: E. Gardner, *The space of interactions in neural network models*,
    /// J. Phys. A 21 (1988); W. Krauth & M. Mézard, *Learning algorithms with optimal
    /// stability in neural networks*, J. Phys. A 20 (1987).
    ///
    /// ```
    /// use hopfield::{generate, random, Representation, Rule};
    /// let patterns = generate::random_patterns(40, 100, 0.5, &mut random::seeded(2))?;
    /// let (w, report) = Rule::perceptron().kappa(0.5).train_report(&patterns, Representation::Auto)?;
    /// assert!(report.converged);
    /// println!("converged after {} epochs", report.epochs);
    /// assert!(!w.is_symmetric());
    /// # Ok::<(), hopfield::Error>(())
    /// ```
    Perceptron {
        /// The margin `κ ≥ 0` (default 0.5).
        #[serde(default = "default_kappa")]
        kappa: f64,
        /// The most epochs to run, at least 1 (default 1000).
        #[serde(default = "default_max_epochs")]
        max_epochs: usize,
    },
    /// The covariance rule for low-activity patterns with mean activity `a`:
    ///
    /// `W_ij = Σ_μ (v_i^μ − a)(v_j^μ − a) / (N a (1 − a))`, zero diagonal,
    ///
    /// on the 0/1 vectors `v = (ξ + 1)/2`. It runs as the 0/1 network
    /// `V_i ← Θ(Σ_j W_ij V_j − (½ − a))`, whose field at a stored pattern is about `1 − a` on
    /// active neurons and `−a` on silent ones, the threshold `½ − a` halfway between.
    /// The library runs it on bipolar states `S = 2V − 1`: the same dynamics need the
    /// per-neuron threshold `θ_i = 1 − 2a − Σ_{j≠i} W_ij`, which [`Rule::threshold`] returns
    /// and [`Network::train`](crate::Network::train) sets. Hebb's rule on sparse patterns
    /// fails at a handful of patterns; this rule stores far more sparse patterns than Hebb
    /// stores dense ones (capacity growing like `1 / (a |ln a|)`). Dense `f32`, symmetric.
    ///
    /// Reference: M. V. Tsodyks & M. V. Feigel'man, *The enhanced storage capacity in neural
    /// networks with low activity level*, Europhys. Lett. 6 (1988).
    ///
    /// ```
    /// use hopfield::{generate, noise, random, Dynamics, Network, Outcome, RecallOptions, Rule};
    /// let mut rng = random::seeded(5);
    /// let patterns = generate::random_patterns(40, 300, 0.1, &mut rng)?; // a ≈ 0.1
    /// let net = Network::from_patterns(&patterns, &Rule::covariance())?;
    /// let cue = noise::flip(patterns.get(3).unwrap(), 10, &mut rng)?;
    /// let r = net.recall(&cue, &RecallOptions::new(Dynamics::Sweep), &mut rng)?;
    /// assert_eq!(r.outcome, Outcome::Recalled { pattern: 3 });
    /// # Ok::<(), hopfield::Error>(())
    /// ```
    Covariance {
        /// The mean activity `a` in `(0, 1)` (default: the patterns' measured fraction of
        /// +1 neurons).
        #[serde(default)]
        activity: Option<f64>,
    },
}

fn default_kappa() -> f64 {
    0.5
}

fn default_max_epochs() -> usize {
    1000
}

/// How an iterative rule's training ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Training {
    /// Whether every pattern was learned (always true for the one-shot rules).
    pub converged: bool,
    /// Epochs run (the most over the neurons; 0 for one-shot rules). When converged, the
    /// last of these changed nothing.
    pub epochs: usize,
    /// Single-pattern updates made, over all neurons.
    pub updates: u64,
    /// (neuron, pattern) pairs still below the margin (0 when converged).
    pub unstable: usize,
}

impl Rule {
    /// The names accepted by [`Rule::from_str`] (besides aliases).
    pub const NAMES: &'static [&'static str] = &[
        "hebb",
        "outer01",
        "storkey",
        "pseudo-inverse",
        "perceptron",
        "covariance",
    ];

    /// Hebb's rule with `1/N` normalisation.
    pub fn hebb() -> Rule {
        Rule::Hebb {
            normalization: Normalization::N,
        }
    }

    /// The page's 0/1 outer-product rule, unnormalised.
    pub fn outer01() -> Rule {
        Rule::Outer01 {
            normalization: Normalization::None,
        }
    }

    /// Storkey's rule.
    pub fn storkey() -> Rule {
        Rule::Storkey
    }

    /// The pseudo-inverse rule, diagonal kept.
    pub fn pseudo_inverse() -> Rule {
        Rule::PseudoInverse {
            zero_diagonal: false,
        }
    }

    /// Perceptron learning with `κ = 0.5` and at most 1000 epochs.
    pub fn perceptron() -> Rule {
        Rule::Perceptron {
            kappa: default_kappa(),
            max_epochs: default_max_epochs(),
        }
    }

    /// The covariance rule, activity measured from the patterns.
    pub fn covariance() -> Rule {
        Rule::Covariance { activity: None }
    }

    /// The same rule with another normalisation (Hebb and the 0/1 rule; the other rules
    /// have their own scale and are returned unchanged).
    pub fn with_normalization(self, normalization: Normalization) -> Rule {
        match self {
            Rule::Hebb { .. } => Rule::Hebb { normalization },
            Rule::Outer01 { .. } => Rule::Outer01 { normalization },
            other => other,
        }
    }

    /// The perceptron rule with margin `kappa` (other rules are returned unchanged).
    pub fn kappa(self, kappa: f64) -> Rule {
        match self {
            Rule::Perceptron { max_epochs, .. } => Rule::Perceptron { kappa, max_epochs },
            other => other,
        }
    }

    /// The perceptron rule with this epoch limit (other rules are returned unchanged).
    pub fn max_epochs(self, max_epochs: usize) -> Rule {
        match self {
            Rule::Perceptron { kappa, .. } => Rule::Perceptron { kappa, max_epochs },
            other => other,
        }
    }

    /// The covariance rule with this activity `a` (other rules are returned unchanged).
    pub fn activity(self, activity: f64) -> Rule {
        match self {
            Rule::Covariance { .. } => Rule::Covariance {
                activity: Some(activity),
            },
            other => other,
        }
    }

    /// The pseudo-inverse rule with or without the diagonal (other rules are returned
    /// unchanged).
    pub fn zero_diagonal(self, zero_diagonal: bool) -> Rule {
        match self {
            Rule::PseudoInverse { .. } => Rule::PseudoInverse { zero_diagonal },
            other => other,
        }
    }

    /// [`Error::NotConverged`] when an iterative rule's training (from
    /// [`Rule::train_report`]) ran out of epochs, with what to do instead.
    pub fn check_training(&self, training: &Training) -> Result<()> {
        if let (false, Rule::Perceptron { kappa, .. }) = (training.converged, self) {
            return Err(Error::NotConverged {
                what: format!("perceptron learning (κ = {kappa})"),
                epochs: training.epochs,
                unstable: training.unstable,
                hint: "allow more epochs, lower κ, or store fewer patterns (a solution exists \
                       only below P/N = 2 at κ = 0, less for κ > 0)"
                    .into(),
            });
        }
        Ok(())
    }

    /// Whether the rule's couplings are sums of outer products of the patterns, which the
    /// factored representation stores without forming `W` (Hebb and the 0/1 rule); the
    /// other rules build the dense matrix.
    pub fn is_outer_product(&self) -> bool {
        matches!(self, Rule::Hebb { .. } | Rule::Outer01 { .. })
    }

    /// Checks the rule's options: `κ ≥ 0` and finite, `max_epochs ≥ 1`, `0 < a < 1`.
    pub fn check(&self) -> Result<()> {
        match *self {
            Rule::Perceptron { kappa, max_epochs } => {
                if !(kappa.is_finite() && kappa >= 0.0) {
                    return Err(Error::parameter(
                        "kappa",
                        kappa,
                        "the margin must be finite and ≥ 0",
                    ));
                }
                if max_epochs == 0 {
                    return Err(Error::parameter(
                        "max-epochs",
                        0,
                        "must be at least 1 (omit it for the default 1000)",
                    ));
                }
            }
            Rule::Covariance {
                activity: Some(a), ..
            } if !(a > 0.0 && a < 1.0) => {
                return Err(Error::parameter(
                    "activity",
                    a,
                    "must lie strictly between 0 and 1 (omit it to measure it from the patterns)",
                ));
            }
            _ => {}
        }
        Ok(())
    }

    /// Couplings that store `patterns` (see [`LearningRule::train`]).
    ///
    /// Perceptron learning that runs out of epochs is an [`Error::NotConverged`]; use
    /// [`Rule::train_report`] to get its couplings anyway.
    pub fn train(&self, patterns: &Patterns, representation: Representation) -> Result<Weights> {
        LearningRule::train(self, patterns, representation)
    }

    /// Couplings that store `patterns`, and how training went: for perceptron learning,
    /// whether it converged and after how many epochs, without failing when it did not.
    pub fn train_report(
        &self,
        patterns: &Patterns,
        representation: Representation,
    ) -> Result<(Weights, Training)> {
        self.train_until(patterns, representation, None)
    }

    /// [`Rule::train_report`] that stops with [`Error::Cancelled`] once `cancel` is raised
    /// (checked before every pattern Storkey's rule or perceptron learning takes in).
    pub fn train_cancellable(
        &self,
        patterns: &Patterns,
        representation: Representation,
        cancel: &Cancel,
    ) -> Result<(Weights, Training)> {
        self.train_until(patterns, representation, Some(cancel))
    }

    fn train_until(
        &self,
        patterns: &Patterns,
        representation: Representation,
        cancel: Option<&Cancel>,
    ) -> Result<(Weights, Training)> {
        self.check()?;
        if let Some(c) = cancel {
            c.check()?;
        }
        let (n, p) = (patterns.n(), patterns.len());
        let one_shot = Training {
            converged: true,
            ..Training::default()
        };
        let (values, training) = match *self {
            Rule::Hebb { normalization } | Rule::Outer01 { normalization } => {
                // Both rules are sums of outer products of vectors whose bit is "ξ > 0":
                // ±1 vectors for Hebb, 0/1 vectors for the page's rule.
                let binary = matches!(self, Rule::Outer01 { .. });
                let bits = Arc::new(BitMatrix::from_positive(p, n, patterns.as_flat()));
                let w = Weights::outer(
                    bits,
                    binary,
                    normalization.scale(n, p),
                    true,
                    representation,
                )?;
                return Ok((w, one_shot));
            }
            _ if representation == Representation::Factored => {
                return Err(Error::Unsupported(format!(
                    "the {} rule builds dense couplings; use the dense or auto representation",
                    self.name()
                )));
            }
            Rule::Storkey => (storkey::couplings(patterns, cancel)?, one_shot),
            Rule::PseudoInverse { zero_diagonal } => {
                (projection::couplings(patterns, zero_diagonal)?, one_shot)
            }
            Rule::Perceptron { kappa, max_epochs } => {
                perceptron::couplings(patterns, kappa, max_epochs, cancel)?
            }
            Rule::Covariance { activity } => {
                let a = covariance::activity(patterns, activity)?;
                (covariance::couplings(patterns, a)?, one_shot)
            }
        };
        Ok((Weights::from_matrix(n, values)?, training))
    }

    /// The threshold that goes with the rule's couplings: the per-neuron threshold of the
    /// covariance rule (see [`Rule::Covariance`]), 0 for the other rules.
    pub fn threshold(&self, patterns: &Patterns) -> Result<Threshold> {
        match *self {
            Rule::Covariance { activity } => {
                self.check()?;
                let a = covariance::activity(patterns, activity)?;
                Ok(covariance::threshold(patterns, a))
            }
            _ => Ok(Threshold::default()),
        }
    }
}

impl LearningRule for Rule {
    fn name(&self) -> &'static str {
        match self {
            Rule::Hebb { .. } => "hebb",
            Rule::Outer01 { .. } => "outer01",
            Rule::Storkey => "storkey",
            Rule::PseudoInverse { .. } => "pseudo-inverse",
            Rule::Perceptron { .. } => "perceptron",
            Rule::Covariance { .. } => "covariance",
        }
    }

    fn train(&self, patterns: &Patterns, representation: Representation) -> Result<Weights> {
        let (w, training) = self.train_report(patterns, representation)?;
        self.check_training(&training)?;
        Ok(w)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Hebb { normalization } => write!(f, "hebb ({normalization})"),
            Rule::Outer01 { normalization } => write!(f, "outer01 ({normalization})"),
            Rule::Storkey => f.write_str("storkey"),
            Rule::PseudoInverse { zero_diagonal } => {
                let d = if *zero_diagonal {
                    "zero diagonal"
                } else {
                    "diagonal kept"
                };
                write!(f, "pseudo-inverse ({d})")
            }
            Rule::Perceptron { kappa, max_epochs } => {
                write!(f, "perceptron (κ = {kappa}, at most {max_epochs} epochs)")
            }
            Rule::Covariance { activity: Some(a) } => write!(f, "covariance (a = {a})"),
            Rule::Covariance { activity: None } => f.write_str("covariance (a measured)"),
        }
    }
}

impl FromStr for Rule {
    type Err = Error;

    /// Parses a rule name with its default options: `hebb`, `outer01` (alias `raw`),
    /// `storkey`, `pseudo-inverse` (aliases `projection`, `pinv`), `perceptron`,
    /// `covariance`.
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "hebb" | "hebbian" => Ok(Rule::hebb()),
            "outer01" | "raw" => Ok(Rule::outer01()),
            "storkey" => Ok(Rule::storkey()),
            "pseudo-inverse" | "pseudoinverse" | "projection" | "pinv" => {
                Ok(Rule::pseudo_inverse())
            }
            "perceptron" => Ok(Rule::perceptron()),
            "covariance" => Ok(Rule::covariance()),
            _ => Err(Error::parameter(
                "rule",
                s,
                format!("expected one of: {}", Rule::NAMES.join(", ")),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hebb_matches_the_outer_product_sum() {
        let p = Patterns::from_rows(vec![vec![1, -1, -1, 1, 1], vec![1, 1, -1, -1, 1]]).unwrap();
        let w = Rule::hebb()
            .with_normalization(Normalization::None)
            .train(&p, Representation::Dense)
            .unwrap();
        for i in 0..5 {
            for j in 0..5 {
                let expect = if i == j {
                    0
                } else {
                    p.iter().map(|x| i32::from(x[i] * x[j])).sum::<i32>()
                };
                assert_eq!(w.get(i, j), f64::from(expect));
            }
        }
        let w = Rule::hebb().train(&p, Representation::Factored).unwrap();
        assert_eq!(w.get(0, 4), 2.0 / 5.0);
    }

    #[test]
    fn outer01_uses_the_zero_one_vectors() {
        let p = Patterns::from_rows(vec![vec![1, -1, 1], vec![1, 1, -1]]).unwrap();
        let w = Rule::outer01().train(&p, Representation::Auto).unwrap();
        assert_eq!(w.get(0, 2), 1.0); // v¹ = [1,0,1]
        assert_eq!(w.get(0, 1), 1.0); // v² = [1,1,0]
        assert_eq!(w.get(1, 2), 0.0);
        assert_eq!(w.get(0, 0), 0.0);
    }

    #[test]
    fn rules_parse_and_serialise() {
        assert_eq!("hebb".parse::<Rule>().unwrap(), Rule::hebb());
        assert!("storkey-ish".parse::<Rule>().is_err());
        let json = serde_json::to_string(&Rule::hebb()).unwrap();
        assert_eq!(json, r#"{"rule":"hebb","normalization":"1/N"}"#);
        let back: Rule = serde_json::from_str(&json).unwrap();
        assert_eq!(back, Rule::hebb());
        assert_eq!("1/p".parse::<Normalization>().unwrap(), Normalization::P);
    }
}
