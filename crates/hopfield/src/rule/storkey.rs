//! Storkey's (1997) incremental rule.

use std::fmt;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use super::{LearningRule, Online, Rule, Training, dense};
use crate::cancel::{self, Cancel};
use crate::error::{Error, Result};
use crate::pattern::Patterns;
use crate::weights::{Representation, Weights, check_dense_memory};

/// Storkey's (1997) incremental rule. Starting from `W = 0`, pattern `ν` adds
///
/// `ΔW_ij = (ξ_i ξ_j − ξ_i h_ji − h_ij ξ_j) / N`, with `h_ij = Σ_{k ≠ i, j} W_ik ξ_k`
///
/// the local field of the couplings learned so far. The diagonal stays zero and `W`
/// symmetric (dense `f32`, rounded after every pattern, so that storing one more pattern
/// later continues exactly the same computation). Like Hebb's rule it is local and learns
/// one pattern at a time, but the correction terms cancel part of the crosstalk: with every
/// pattern required to be stable, its capacity grows as `N / √(2 ln N)` against Hebb's
/// `N / (2 ln N)`, and it copes better with correlated patterns. Building costs `O(P N²)`.
///
/// Reference: A. Storkey, *Increasing the capacity of a Hopfield network without
/// sacrificing functionality*, ICANN 1997.
///
/// ```
/// use hopfield::prelude::*;
/// use hopfield::rule::Storkey;
/// let patterns = generate::random_patterns(30, 200, 0.5, &mut random::seeded(4))?;
/// let net = Network::from_patterns(&patterns, &Storkey::default())?;
/// let fixed = patterns.iter().filter(|xi| net.is_fixed_point(xi, Tie::Plus).unwrap()).count();
/// assert!(fixed >= 25);
/// # Ok::<(), hopfield::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Storkey {}

impl LearningRule for Storkey {
    fn name(&self) -> &'static str {
        "storkey"
    }

    fn learn(
        &self,
        patterns: &Patterns,
        representation: Representation,
        cancel: Option<&Cancel>,
    ) -> Result<(Weights, Training)> {
        dense(self.name(), patterns, representation, || {
            let n = patterns.n();
            check_dense_memory(n, 12)?;
            let mut w = vec![0f32; n * n];
            extend(&mut w, patterns, cancel)?;
            Ok((w, Training::one_shot()))
        })
    }

    fn to_rule(&self) -> Option<Rule> {
        Some(Rule::Storkey(*self))
    }

    fn online(&self) -> Online {
        Online::Sequential
    }
}

impl fmt::Display for Storkey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("storkey")
    }
}

/// Learns `patterns`, one after another, on the row-major couplings `w` learned so far.
///
/// With `g_i = Σ_k W_ik ξ_k` (zero diagonal, symmetric `W`), `h_ij = g_i − W_ij ξ_j`, so
/// `ΔW_ij = (ξ_i ξ_j − ξ_i g_j − g_i ξ_j + 2 W_ij) / N`: `O(N²)` per pattern.
pub(crate) fn extend(w: &mut [f32], patterns: &Patterns, cancel: Option<&Cancel>) -> Result<()> {
    let n = patterns.n();
    let inv = 1.0 / n as f64;
    let mut g = vec![0f64; n];
    let mut x = vec![0f64; n];
    for xi in patterns.iter() {
        for (x, &v) in x.iter_mut().zip(xi) {
            *x = f64::from(v);
        }
        for (g, row) in g.iter_mut().zip(w.chunks_exact(n)) {
            *g = row.iter().zip(&x).map(|(&w, x)| f64::from(w) * x).sum();
        }
        for i in 0..n {
            // A pattern of a large network takes long: look at the flag every 64 rows.
            if i % 64 == 0 && cancel::raised(cancel) {
                return Err(Error::Cancelled);
            }
            for j in 0..i {
                let wij = f64::from(w[i * n + j]);
                let d = inv * (x[i] * x[j] - x[i] * g[j] - g[i] * x[j] + 2.0 * wij);
                let v = (wij + d) as f32;
                w[i * n + j] = v;
                w[j * n + i] = v;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::random_patterns;
    use crate::random::seeded;

    /// Storkey's definition, term by term: `O(N³)` per pattern.
    fn reference(p: &Patterns) -> Vec<f64> {
        let n = p.n();
        let mut w = vec![0f64; n * n];
        for xi in p.iter() {
            let x: Vec<f64> = xi.iter().map(|&v| f64::from(v)).collect();
            let h = |w: &[f64], i: usize, j: usize| -> f64 {
                (0..n)
                    .filter(|&k| k != i && k != j)
                    .map(|k| w[i * n + k] * x[k])
                    .sum()
            };
            let mut next = w.clone();
            for i in 0..n {
                for j in 0..n {
                    if i != j {
                        next[i * n + j] +=
                            (x[i] * x[j] - x[i] * h(&w, j, i) - h(&w, i, j) * x[j]) / n as f64;
                    }
                }
            }
            w = next;
        }
        w
    }

    #[test]
    fn matches_the_definition() {
        let p = random_patterns(6, 17, 0.5, &mut seeded(3)).unwrap();
        let mut fast = vec![0f32; 17 * 17];
        extend(&mut fast, &p, None).unwrap();
        let slow = reference(&p);
        for (a, b) in fast.iter().zip(&slow) {
            assert!((f64::from(*a) - b).abs() < 1e-6, "{a} vs {b}");
        }
        assert!((0..17).all(|i| fast[i * 17 + i] == 0.0));
    }

    #[test]
    fn learning_more_continues_the_same_computation() {
        let p = random_patterns(9, 40, 0.5, &mut seeded(5)).unwrap();
        let mut all = vec![0f32; 40 * 40];
        extend(&mut all, &p, None).unwrap();
        let mut parts = vec![0f32; 40 * 40];
        extend(&mut parts, &p.select(&[0, 1, 2, 3]).unwrap(), None).unwrap();
        extend(&mut parts, &p.select(&[4, 5, 6, 7, 8]).unwrap(), None).unwrap();
        assert_eq!(all, parts);
    }
}
