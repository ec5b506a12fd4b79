//! Learning rules: how stored patterns become couplings.
//!
//! A rule is anything that implements [`LearningRule`]. Each rule this crate ships is a type
//! of its own holding its parameters, checked by [`LearningRule::check`] before training;
//! [`Rule`] is the serialisable enum of them, the form in which a rule travels through
//! files, the command line and Python.
//!
//! | rule | couplings | reference | use it for |
//! |---|---|---|---|
//! | [`Hebb`] | `W = c Σ_μ ξ^μ ξ^μᵀ`, zero diagonal, `c = 1/N` by default | Hopfield (1982) | the classical network; capacity `P ≈ 0.138 N` |
//! | [`Outer01`] | `W = c Σ_μ v^μ v^μᵀ` on the 0/1 vectors `v = (ξ + 1)/2`, zero diagonal, `c = 1` | the course page's image cells | showing why the bipolar form is needed |
//! | [`Storkey`] | `ΔW_ij = (ξ_i ξ_j − ξ_i h_ji − h_ij ξ_j)/N`, `h_ij = Σ_{k≠i,j} W_ik ξ_k`, one pattern at a time | Storkey (1997) | more patterns than Hebb, still local and incremental |
//! | [`PseudoInverse`] | `W = X (XᵀX)⁻¹ Xᵀ`, the projector onto the patterns' span | Personnaz, Guyon & Dreyfus (1985); Kanter & Sompolinsky (1987) | correlated patterns; every stored pattern a fixed point for `P < N` |
//! | [`Perceptron`] | per neuron, `W_i· += ξ_i^μ ξ^μ / N` until `ξ_i^μ h_i^μ ≥ κ ‖W_i·‖` for all `μ` | Gardner (1988); Krauth & Mézard (1987) | the largest capacity (`P < 2N` at `κ = 0`) and a chosen margin; asymmetric couplings |
//! | [`Covariance`] | `W_ij = Σ_μ (v_i^μ − a)(v_j^μ − a) / (N a (1 − a))`, zero diagonal, threshold from [`LearningRule::threshold`] | Tsodyks & Feigel'man (1988) | sparse patterns with mean activity `a ≪ ½` |
//!
//! Any couplings can be diluted afterwards, keeping each connection with probability `c`
//! ([`crate::Dilution`]).
//!
//! ```
//! use hopfield::prelude::*;
//! use hopfield::rule::{Perceptron, PseudoInverse};
//!
//! // 60 random patterns of 200 neurons (α = 0.3): far beyond Hebb's capacity, yet every
//! // one is a fixed point of the pseudo-inverse rule.
//! let patterns = generate::random_patterns(60, 200, 0.5, &mut random::seeded(1))?;
//! let net = Network::from_patterns(&patterns, &PseudoInverse::default())?;
//! for xi in patterns.iter() {
//!     assert!(net.is_fixed_point(xi, Tie::Plus)?);
//! }
//! // A parameter out of range is refused by name before any work.
//! let e = Network::from_patterns(&patterns, &Perceptron::default().kappa(-1.0)).unwrap_err();
//! assert!(e.to_string().starts_with("kappa = -1 is invalid"));
//! # Ok::<(), hopfield::Error>(())
//! ```

mod covariance;
mod hebb;
mod perceptron;
mod projection;
mod storkey;

use std::fmt;
use std::str::FromStr;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

pub use covariance::Covariance;
pub use hebb::{Hebb, Outer01};
pub use perceptron::Perceptron;
pub use projection::PseudoInverse;
pub use storkey::Storkey;

/// Storkey's rule learning `more` patterns on the couplings `w` learned so far.
pub(crate) fn storkey_extend(w: &mut [f32], more: &Patterns) -> Result<()> {
    storkey::extend(w, more, None)
}

use crate::cancel::Cancel;
use crate::error::{Error, Result};
use crate::neuron::Threshold;
use crate::pattern::Patterns;
use crate::weights::{Representation, Weights};

/// A learning rule: builds couplings from stored patterns.
///
/// Implement [`LearningRule::learn`] (and the provided methods where the rule differs) to add
/// a rule; the dynamics, measures and tools work with any rule's [`Weights`].
pub trait LearningRule {
    /// The rule's short name, as on the command line.
    fn name(&self) -> &'static str;

    /// Checks the rule's parameters (default: nothing to check).
    fn check(&self) -> Result<()> {
        Ok(())
    }

    /// Couplings that store `patterns` in the requested representation, and how training
    /// went, for parameters that passed [`LearningRule::check`]; stops with
    /// [`Error::Cancelled`] once `cancel` is raised.
    ///
    /// A rule that cannot use a representation returns [`Error::Unsupported`] when it is
    /// requested explicitly and picks its own for [`Representation::Auto`].
    fn learn(
        &self,
        patterns: &Patterns,
        representation: Representation,
        cancel: Option<&Cancel>,
    ) -> Result<(Weights, Training)>;

    /// The threshold that goes with the couplings (default 0).
    fn threshold(&self, _patterns: &Patterns) -> Result<Threshold> {
        Ok(Threshold::default())
    }

    /// An error when training that went as `training` did should not be used, saying what
    /// to do instead (default: never).
    fn check_training(&self, _training: &Training) -> Result<()> {
        Ok(())
    }

    /// The rule as a [`Rule`], saved with a network (default none: a rule outside this
    /// crate).
    fn to_rule(&self) -> Option<Rule> {
        None
    }

    /// How the rule learns one more pattern, or forgets one (see
    /// [`crate::Network::store`]); default [`Online::Rebuild`].
    fn online(&self) -> Online {
        Online::Rebuild
    }

    /// Couplings that store `patterns`: checks the parameters, trains, and refuses
    /// training that did not converge ([`Error::NotConverged`]).
    fn train(&self, patterns: &Patterns, representation: Representation) -> Result<Weights> {
        self.check()?;
        let (w, training) = self.learn(patterns, representation, None)?;
        self.check_training(&training)?;
        Ok(w)
    }

    /// Couplings that store `patterns`, and how training went, without failing when an
    /// iterative rule ran out of epochs; stops with [`Error::Cancelled`] once `cancel`
    /// (if any) is raised.
    fn train_report(
        &self,
        patterns: &Patterns,
        representation: Representation,
        cancel: Option<&Cancel>,
    ) -> Result<(Weights, Training)> {
        self.check()?;
        if let Some(c) = cancel {
            c.check()?;
        }
        self.learn(patterns, representation, cancel)
    }
}

/// How a rule learns patterns one at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Online {
    /// The couplings of a set of patterns come from those of another: stored or forgotten
    /// patterns cost a rebuild from the patterns kept (Hebb, the 0/1 rule, covariance).
    Rebuild,
    /// Patterns are learned one after another on the couplings so far (Storkey): storing
    /// continues; forgetting rebuilds from the patterns kept, in their order.
    Sequential,
    /// Every pattern shapes every coupling at once (pseudo-inverse, perceptron): the network
    /// must be built again from all its patterns.
    Refused,
}

/// The scale factor `c` in front of a sum of outer products.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub enum Normalization {
    /// `c = 1/N` (the usual Hopfield convention; the page's two-image cell).
    #[default]
    #[cfg_attr(feature = "serde", serde(rename = "1/N"))]
    N,
    /// `c = 1/P`.
    #[cfg_attr(feature = "serde", serde(rename = "1/P"))]
    P,
    /// `c = 1` (most of the page's cells: `Tij = np.outer(xi, xi)`).
    #[cfg_attr(feature = "serde", serde(rename = "none"))]
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

names!(Normalization, "normalization", |s| s.to_ascii_lowercase().as_str(), {
    N => "1/N" | "1/n" | "n",
    P => "1/P" | "1/p" | "p",
    None => "none" | "1",
});

/// How an iterative rule's training ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
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

impl Training {
    /// The report of a rule that learns in one shot.
    pub(crate) fn one_shot() -> Training {
        Training {
            converged: true,
            ..Training::default()
        }
    }
}

/// The learning rules this crate ships, as one serialisable value.
///
/// The JSON form is tagged by the rule's name, with its parameters beside it; parameters
/// left out take their defaults: `{"rule":"hebb","normalization":"1/N"}`,
/// `{"rule":"storkey"}`, `{"rule":"pseudo-inverse","zero_diagonal":false}`,
/// `{"rule":"perceptron","kappa":0.5,"max_epochs":1000}`,
/// `{"rule":"covariance","activity":null}`.
///
/// ```
/// use hopfield::rule::{Perceptron, Rule};
/// let rule: Rule = Perceptron::default().kappa(0.2).into();
/// assert_eq!(rule.to_string(), "perceptron (κ = 0.2, at most 1000 epochs)");
/// assert_eq!("storkey".parse::<Rule>()?, Rule::storkey());
/// # Ok::<(), hopfield::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "rule", rename_all = "kebab-case"))]
#[non_exhaustive]
pub enum Rule {
    /// [`Hebb`].
    Hebb(Hebb),
    /// [`Outer01`].
    Outer01(Outer01),
    /// [`Storkey`].
    Storkey(Storkey),
    /// [`PseudoInverse`].
    PseudoInverse(PseudoInverse),
    /// [`Perceptron`].
    Perceptron(Perceptron),
    /// [`Covariance`].
    Covariance(Covariance),
}

/// A rule this crate ships: a variant of [`Rule`].
trait Shipped: LearningRule + fmt::Display {}

impl<T: LearningRule + fmt::Display> Shipped for T {}

/// Each variant of [`Rule`] holds the rule type of its name: the conversion of each type
/// into it, the rule inside, the constructor of its defaults, and the names (with aliases)
/// [`Rule::from_str`] parses.
macro_rules! shipped {
    ($($rule:ident, $(#[$doc:meta])* $ctor:ident: $name:literal $(| $alias:literal)*;)+) => {
        $(impl From<$rule> for Rule {
            fn from(r: $rule) -> Rule {
                Rule::$rule(r)
            }
        })+

        impl Rule {
            /// The names accepted by [`Rule::from_str`] (besides aliases).
            pub const NAMES: &'static [&'static str] = &[$($name),+];

            $($(#[$doc])*
            pub fn $ctor() -> Rule {
                $rule::default().into()
            })+

            /// The rule inside.
            fn inner(&self) -> &dyn Shipped {
                match self {
                    $(Rule::$rule(r) => r,)+
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
                    $($name $(| $alias)* => Ok(Rule::$ctor()),)+
                    _ => Err(Error::parameter(
                        "rule",
                        s,
                        format!("expected one of: {}", Rule::NAMES.join(", ")),
                    )),
                }
            }
        }
    };
}

shipped! {
    Hebb,
    /// Hebb's rule with `1/N` normalisation.
    hebb: "hebb" | "hebbian";
    Outer01,
    /// The page's 0/1 outer-product rule, unnormalised.
    outer01: "outer01" | "raw";
    Storkey,
    /// Storkey's rule.
    storkey: "storkey";
    PseudoInverse,
    /// The pseudo-inverse rule, diagonal kept.
    pseudo_inverse: "pseudo-inverse" | "pseudoinverse" | "projection" | "pinv";
    Perceptron,
    /// Perceptron learning with `κ = 0.5` and at most 1000 epochs.
    perceptron: "perceptron";
    Covariance,
    /// The covariance rule, activity measured from the patterns.
    covariance: "covariance";
}

impl Rule {
    /// Whether the rule's couplings are sums of outer products of the patterns, which the
    /// factored representation stores without forming `W` (Hebb and the 0/1 rule); the
    /// other rules build the dense matrix.
    pub fn is_outer_product(&self) -> bool {
        matches!(self, Rule::Hebb(_) | Rule::Outer01(_))
    }
}

impl LearningRule for Rule {
    fn name(&self) -> &'static str {
        self.inner().name()
    }

    fn check(&self) -> Result<()> {
        self.inner().check()
    }

    fn learn(
        &self,
        patterns: &Patterns,
        representation: Representation,
        cancel: Option<&Cancel>,
    ) -> Result<(Weights, Training)> {
        self.inner().learn(patterns, representation, cancel)
    }

    fn threshold(&self, patterns: &Patterns) -> Result<Threshold> {
        self.inner().threshold(patterns)
    }

    fn check_training(&self, training: &Training) -> Result<()> {
        self.inner().check_training(training)
    }

    fn to_rule(&self) -> Option<Rule> {
        Some(self.clone())
    }

    fn online(&self) -> Online {
        self.inner().online()
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner().fmt(f)
    }
}

/// Dense couplings a rule computed as `f32` values for `patterns`, with how training
/// went, or [`Error::Unsupported`] when the factored representation was asked for.
fn dense(
    name: &str,
    patterns: &Patterns,
    representation: Representation,
    learn: impl FnOnce() -> Result<(Vec<f32>, Training)>,
) -> Result<(Weights, Training)> {
    if representation == Representation::Factored {
        return Err(Error::Unsupported(format!(
            "the {name} rule builds dense couplings; use the dense or auto representation"
        )));
    }
    let (values, training) = learn()?;
    Ok((Weights::from_matrix(patterns.n(), values)?, training))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hebb_matches_the_outer_product_sum() {
        let p = Patterns::from_rows(vec![vec![1, -1, -1, 1, 1], vec![1, 1, -1, -1, 1]]).unwrap();
        let w = Hebb::new(Normalization::None)
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

    #[cfg(feature = "serde")]
    #[test]
    fn rules_parse_and_serialise() {
        assert_eq!("hebb".parse::<Rule>().unwrap(), Rule::hebb());
        assert!("storkey-ish".parse::<Rule>().is_err());
        let json = serde_json::to_string(&Rule::hebb()).unwrap();
        assert_eq!(json, r#"{"rule":"hebb","normalization":"1/N"}"#);
        let back: Rule = serde_json::from_str(&json).unwrap();
        assert_eq!(back, Rule::hebb());
        assert_eq!("1/p".parse::<Normalization>().unwrap(), Normalization::P);
        for (json, rule) in [
            (r#"{"rule":"storkey"}"#, Rule::storkey()),
            (
                r#"{"rule":"perceptron","kappa":0.2}"#,
                Perceptron::default().kappa(0.2).into(),
            ),
            (
                r#"{"rule":"covariance","activity":0.1}"#,
                Covariance::new(Some(0.1)).into(),
            ),
            (r#"{"rule":"pseudo-inverse"}"#, Rule::pseudo_inverse()),
            (r#"{"rule":"outer01"}"#, Rule::outer01()),
        ] {
            assert_eq!(serde_json::from_str::<Rule>(json).unwrap(), rule, "{json}");
        }
        assert!(serde_json::from_str::<Rule>(r#"{"rule":"hebb","kappa":1}"#).is_err());
    }

    #[test]
    fn parameters_are_checked_by_each_rule() {
        let p = Patterns::from_rows(vec![vec![1, -1, 1, -1], vec![1, 1, -1, -1]]).unwrap();
        let e = Perceptron::default()
            .kappa(f64::NAN)
            .train(&p, Representation::Auto);
        assert!(
            e.unwrap_err()
                .to_string()
                .starts_with("kappa = NaN is invalid")
        );
        let e = Perceptron::default()
            .max_epochs(0)
            .train(&p, Representation::Auto);
        assert!(
            e.unwrap_err()
                .to_string()
                .starts_with("max-epochs = 0 is invalid")
        );
        let e = Covariance::new(Some(1.5)).train(&p, Representation::Auto);
        assert!(
            e.unwrap_err()
                .to_string()
                .starts_with("activity = 1.5 is invalid")
        );
        assert!(Rule::from(Covariance::new(Some(0.0))).check().is_err());
        assert!(Rule::hebb().check().is_ok());
    }
}
