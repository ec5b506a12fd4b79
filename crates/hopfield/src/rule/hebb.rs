//! Sums of outer products: Hebb's rule, and the course page's rule on 0/1 vectors.

use std::fmt;
use std::sync::Arc;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use super::{LearningRule, Normalization, Rule, Training};
use crate::cancel::Cancel;
use crate::error::Result;
use crate::pattern::Patterns;
use crate::weights::{Representation, Weights};

/// Hebb's rule on bipolar patterns: `W = c Σ_μ ξ^μ ξ^μᵀ` with zero diagonal (Hopfield 1982).
///
/// The couplings are kept factored (the patterns' sign bits) or dense integers times `c`, as
/// [`Representation`] says; either way `W` is exact. Capacity `P ≈ 0.138 N`.
///
/// ```
/// use hopfield::prelude::*;
/// use hopfield::rule::Hebb;
/// let patterns = Patterns::from_rows(vec![vec![1, -1, 1, -1, 1]])?;
/// let w = Hebb::new(Normalization::None).train(&patterns, Representation::Dense)?;
/// assert_eq!(w.get(0, 1), -1.0);  // ξ₀ξ₁
/// assert_eq!(w.get(2, 2), 0.0);   // zero diagonal
/// # Ok::<(), hopfield::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct Hebb {
    /// The scale `c` (default `1/N`).
    pub normalization: Normalization,
}

/// The course page's rule on the 0/1 vectors: `W = c Σ_μ v^μ v^μᵀ`, `v = (ξ + 1)/2`, zero
/// diagonal. It stores images poorly (every weight is ≥ 0); the page uses it to show why the
/// bipolar form is needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct Outer01 {
    /// The scale `c` (default none, as on the page).
    pub normalization: Normalization,
}

impl Default for Outer01 {
    fn default() -> Self {
        Outer01 {
            normalization: Normalization::None,
        }
    }
}

/// `W = c Σ_μ a^μ a^μᵀ` with zero diagonal for the vectors whose bit is "ξ > 0": ±1 vectors
/// for Hebb, 0/1 vectors (`binary`) for the page's rule.
fn outer(
    patterns: &Patterns,
    binary: bool,
    normalization: Normalization,
    representation: Representation,
) -> Result<(Weights, Training)> {
    let (n, p) = (patterns.n(), patterns.len());
    let scale = normalization.scale(n, p);
    let w = Weights::outer(
        Arc::clone(patterns.bits()),
        binary,
        scale,
        true,
        representation,
    )?;
    Ok((w, Training::one_shot()))
}

/// The constructor, the learning and the name of a rule of outer products, of ±1 vectors
/// or of 0/1 vectors (`binary`).
macro_rules! outer_rule {
    ($rule:ident, $name:literal, $binary:literal, $doc:literal) => {
        impl $rule {
            #[doc = $doc]
            pub fn new(normalization: Normalization) -> $rule {
                $rule { normalization }
            }
        }

        impl LearningRule for $rule {
            fn name(&self) -> &'static str {
                $name
            }

            fn learn(
                &self,
                patterns: &Patterns,
                representation: Representation,
                _: Option<&Cancel>,
            ) -> Result<(Weights, Training)> {
                outer(patterns, $binary, self.normalization, representation)
            }

            fn to_rule(&self) -> Option<Rule> {
                Some(Rule::$rule(*self))
            }
        }

        impl fmt::Display for $rule {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{} ({})", $name, self.normalization)
            }
        }
    };
}

outer_rule!(Hebb, "hebb", false, "Hebb's rule with this scale.");
outer_rule!(Outer01, "outer01", true, "The 0/1 rule with this scale.");
