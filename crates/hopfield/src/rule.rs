//! Learning rules: how stored patterns become couplings.
//!
//! A rule is anything that implements [`LearningRule`]; [`Rule`] is the serialisable enum of
//! the rules this crate ships, the form in which a rule travels through files, the command
//! line and Python.
//!
//! | rule | couplings | reference |
//! |---|---|---|
//! | [`Rule::Hebb`] | `W = c Σ_μ ξ^μ ξ^μᵀ`, zero diagonal, `c = 1/N` by default | Hopfield (1982) |
//! | [`Rule::Outer01`] | `W = c Σ_μ v^μ v^μᵀ` on the 0/1 vectors `v = (ξ + 1)/2`, zero diagonal, `c = 1` | the course page's image cells |

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::kernel::bits::BitMatrix;
use crate::pattern::Patterns;
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
}

impl Rule {
    /// The names accepted by [`Rule::from_str`].
    pub const NAMES: &'static [&'static str] = &["hebb", "outer01"];

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

    /// The same rule with another normalisation.
    pub fn with_normalization(self, normalization: Normalization) -> Rule {
        match self {
            Rule::Hebb { .. } => Rule::Hebb { normalization },
            Rule::Outer01 { .. } => Rule::Outer01 { normalization },
        }
    }

    /// Couplings that store `patterns` (see [`LearningRule::train`]).
    pub fn train(&self, patterns: &Patterns, representation: Representation) -> Result<Weights> {
        LearningRule::train(self, patterns, representation)
    }
}

impl LearningRule for Rule {
    fn name(&self) -> &'static str {
        match self {
            Rule::Hebb { .. } => "hebb",
            Rule::Outer01 { .. } => "outer01",
        }
    }

    fn train(&self, patterns: &Patterns, representation: Representation) -> Result<Weights> {
        let (n, p) = (patterns.n(), patterns.len());
        let (binary, normalization) = match *self {
            Rule::Hebb { normalization } => (false, normalization),
            Rule::Outer01 { normalization } => (true, normalization),
        };
        // Both rules are sums of outer products of vectors whose bit is "ξ > 0": ±1
        // vectors for Hebb, 0/1 vectors for the page's rule.
        let bits = Arc::new(BitMatrix::from_positive(p, n, patterns.as_flat()));
        Weights::outer(
            bits,
            binary,
            normalization.scale(n, p),
            true,
            representation,
        )
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Hebb { normalization } => write!(f, "hebb ({normalization})"),
            Rule::Outer01 { normalization } => write!(f, "outer01 ({normalization})"),
        }
    }
}

impl FromStr for Rule {
    type Err = Error;

    /// Parses a rule name with its default options: `hebb`, `outer01` (alias `raw`).
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "hebb" | "hebbian" => Ok(Rule::hebb()),
            "outer01" | "raw" => Ok(Rule::outer01()),
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
