//! Naming where a recall ended: a stored pattern, its reversal, a mixture, a spurious state,
//! a cycle, or nowhere yet.

use std::fmt;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use crate::pattern::Patterns;

/// Where a recall ended.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "kebab-case"))]
#[non_exhaustive]
pub enum Outcome {
    /// A fixed point equal to stored pattern `pattern`.
    Recalled {
        /// Index of the pattern.
        pattern: usize,
    },
    /// A fixed point equal to the reversal `−ξ^pattern` (also an attractor of Hebb's rule).
    Reversed {
        /// Index of the pattern.
        pattern: usize,
    },
    /// A fixed point that is (within 5 % of the neurons) the odd mixture
    /// `sign(±ξ^a ± ξ^b ± ξ^c)` of three stored patterns.
    Mixture {
        /// The three patterns, strongest overlap first.
        patterns: Vec<usize>,
        /// The sign with which each enters the mixture.
        signs: Vec<i8>,
    },
    /// A fixed point that is none of the above.
    Spurious,
    /// A fixed point of a network that stores no patterns to compare with.
    FixedPoint,
    /// Synchronous dynamics entered a cycle of this period (2 is the common case).
    Cycle {
        /// The number of steps after which the state repeats.
        period: usize,
    },
    /// The step limit was reached before a fixed point, or a stochastic run (temperature
    /// above 0) ended in a state that is not a fixed point of the deterministic dynamics.
    Unconverged,
}

impl Outcome {
    /// The one-word name: `recalled`, `reversed`, `mixture`, `spurious`, `fixed-point`,
    /// `cycle` or `unconverged`.
    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Recalled { .. } => "recalled",
            Outcome::Reversed { .. } => "reversed",
            Outcome::Mixture { .. } => "mixture",
            Outcome::Spurious => "spurious",
            Outcome::FixedPoint => "fixed-point",
            Outcome::Cycle { .. } => "cycle",
            Outcome::Unconverged => "unconverged",
        }
    }

    /// The stored pattern this outcome names, if it names exactly one.
    pub fn pattern(&self) -> Option<usize> {
        match self {
            Outcome::Recalled { pattern } | Outcome::Reversed { pattern } => Some(*pattern),
            _ => None,
        }
    }

    /// Classifies a fixed point `state` against the stored `patterns`.
    pub fn of_fixed_point(state: &[i8], patterns: Option<&Patterns>) -> Outcome {
        let Some(patterns) = patterns else {
            return Outcome::FixedPoint;
        };
        Outcome::classify(state, patterns, &crate::measure::dots(patterns, state))
    }

    /// Where a run ended: in a cycle of `period` if it found one, unconverged if the final
    /// `state` is not a fixed point, else the fixed point classified against the stored
    /// `patterns` from its dot products `ξ^μ · S`.
    pub(crate) fn of_run(
        cycle: Option<usize>,
        converged: bool,
        state: &[i8],
        patterns: Option<&Patterns>,
        dots: &[i64],
    ) -> Outcome {
        match (cycle, patterns) {
            (Some(period), _) => Outcome::Cycle { period },
            (None, _) if !converged => Outcome::Unconverged,
            (None, Some(p)) => Outcome::classify(state, p, dots),
            (None, None) => Outcome::FixedPoint,
        }
    }

    /// Classifies a fixed point given its dot products `ξ^μ · S` with the patterns.
    pub(crate) fn classify(state: &[i8], patterns: &Patterns, dots: &[i64]) -> Outcome {
        let n = patterns.n() as i64;
        if let Some(mu) = dots.iter().position(|&d| d == n) {
            return Outcome::Recalled { pattern: mu };
        }
        if let Some(mu) = dots.iter().position(|&d| d == -n) {
            return Outcome::Reversed { pattern: mu };
        }
        if patterns.len() >= 3 {
            // The three largest |dots|, the lower index first among equals.
            let mut top = [0usize, 1, 2];
            top.sort_by_key(|&mu| std::cmp::Reverse(dots[mu].abs()));
            for (mu, d) in dots.iter().enumerate().skip(3) {
                let a = d.abs();
                if a > dots[top[2]].abs() {
                    top[2] = mu;
                    if a > dots[top[1]].abs() {
                        top.swap(1, 2);
                        if a > dots[top[0]].abs() {
                            top.swap(0, 1);
                        }
                    }
                }
            }
            let signs: Vec<i8> = top
                .iter()
                .map(|&mu| if dots[mu] >= 0 { 1 } else { -1 })
                .collect();
            let row = |k: usize| patterns.get(top[k]).unwrap_or_default();
            let (a, b, c) = (row(0), row(1), row(2));
            let differ = state
                .iter()
                .zip(a.iter().zip(b).zip(c))
                .filter(|&(&s, ((&a, &b), &c))| {
                    let sum =
                        i32::from(signs[0] * a) + i32::from(signs[1] * b) + i32::from(signs[2] * c);
                    sum.signum() as i8 != s
                })
                .count();
            if differ <= state.len() / 20 {
                return Outcome::Mixture {
                    patterns: top.to_vec(),
                    signs,
                };
            }
        }
        Outcome::Spurious
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Recalled { pattern } => write!(f, "recalled pattern {pattern}"),
            Outcome::Reversed { pattern } => write!(f, "reversed pattern {pattern}"),
            Outcome::Mixture { patterns, signs } => {
                let terms: Vec<String> = patterns
                    .iter()
                    .zip(signs)
                    .map(|(mu, s)| format!("{}ξ{mu}", if *s > 0 { "+" } else { "−" }))
                    .collect();
                write!(f, "mixture sign({})", terms.join(" "))
            }
            Outcome::Spurious => f.write_str("spurious state"),
            Outcome::FixedPoint => f.write_str("fixed point"),
            Outcome::Cycle { period } => write!(f, "cycle of period {period}"),
            Outcome::Unconverged => f.write_str("not converged"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::random_patterns;
    use crate::random::seeded;

    #[test]
    fn classifies_stored_reversed_mixture_and_spurious() {
        let p = random_patterns(5, 200, 0.5, &mut seeded(1)).unwrap();
        let xi = |mu: usize| p.get(mu).unwrap().to_vec();
        assert_eq!(
            Outcome::of_fixed_point(&xi(2), Some(&p)),
            Outcome::Recalled { pattern: 2 }
        );
        let rev: Vec<i8> = xi(4).iter().map(|&s| -s).collect();
        assert_eq!(
            Outcome::of_fixed_point(&rev, Some(&p)),
            Outcome::Reversed { pattern: 4 }
        );
        let mix: Vec<i8> = (0..200)
            .map(|i| (xi(0)[i] - xi(3)[i] + xi(1)[i]).signum())
            .collect();
        match Outcome::of_fixed_point(&mix, Some(&p)) {
            Outcome::Mixture {
                mut patterns,
                signs,
            } => {
                let mut pairs: Vec<(usize, i8)> = patterns.drain(..).zip(signs).collect();
                pairs.sort();
                assert_eq!(pairs, vec![(0, 1), (1, 1), (3, -1)]);
            }
            o => panic!("expected a mixture, got {o}"),
        }
        let other = random_patterns(1, 200, 0.5, &mut seeded(99)).unwrap();
        assert_eq!(
            Outcome::of_fixed_point(other.get(0).unwrap(), Some(&p)),
            Outcome::Spurious
        );
        assert_eq!(Outcome::of_fixed_point(&xi(0), None), Outcome::FixedPoint);
        assert_eq!(Outcome::Cycle { period: 2 }.name(), "cycle");
    }
}
