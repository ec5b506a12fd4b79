//! The pseudo-inverse (projection) rule.

use std::fmt;

use nalgebra::DMatrix;
#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use super::{LearningRule, Online, Rule, Training, dense};
use crate::cancel::Cancel;
use crate::error::{Error, Result};
use crate::pattern::Patterns;
use crate::weights::{Representation, Weights, check_dense_memory, symmetric_matrix};

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
/// use hopfield::prelude::*;
/// use hopfield::rule::PseudoInverse;
/// let p = Patterns::from_rows(vec![vec![1, -1, 1, 1], vec![1, 1, -1, 1], vec![-1, 1, -1, -1]])?;
/// let e = PseudoInverse::default().train(&p, Representation::Auto).unwrap_err();
/// assert!(matches!(e, Error::LinearlyDependent { pattern: 2, .. }));
/// assert!(e.to_string().starts_with("patterns are linearly dependent: pattern 2"));
/// # Ok::<(), hopfield::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct PseudoInverse {
    /// Remove the self-couplings `W_ii` (default false: keep the exact projector).
    pub zero_diagonal: bool,
}

setters!(PseudoInverse {
    /// The rule with the self-couplings removed (`true`) or kept.
    zero_diagonal: bool,
});

impl LearningRule for PseudoInverse {
    fn name(&self) -> &'static str {
        "pseudo-inverse"
    }

    fn learn(
        &self,
        patterns: &Patterns,
        representation: Representation,
        _: Option<&Cancel>,
    ) -> Result<(Weights, Training)> {
        dense(self.name(), patterns, representation, || {
            let w = couplings(patterns, self.zero_diagonal)?;
            Ok((w, Training::one_shot()))
        })
    }

    fn to_rule(&self) -> Option<Rule> {
        Some(Rule::PseudoInverse(*self))
    }

    fn online(&self) -> Online {
        Online::Refused
    }
}

impl fmt::Display for PseudoInverse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = if self.zero_diagonal {
            "zero diagonal"
        } else {
            "diagonal kept"
        };
        write!(f, "pseudo-inverse ({d})")
    }
}

/// The projector `W = X (XᵀX)⁻¹ Xᵀ` onto the span of the patterns (the columns of the
/// `N × P` matrix `X`), row-major and exactly symmetric.
///
/// `X = QR` (Householder) gives `W = Q Qᵀ` without forming `(XᵀX)⁻¹`; `|R_kk|` is the
/// distance of pattern `k` from the span of the patterns before it, so a vanishing one names
/// the first dependent pattern. `O(N P² + N² P)`.
fn couplings(patterns: &Patterns, zero_diagonal: bool) -> Result<Vec<f32>> {
    let (n, p) = (patterns.n(), patterns.len());
    check_dense_memory(n, 12)?;
    let m = p.min(n);
    let flat = patterns.as_flat();
    let x = DMatrix::<f64>::from_fn(n, m, |i, mu| f64::from(flat[mu * n + i]));
    let qr = x.qr();
    let r = qr.r();
    // ‖ξ‖ = √N; rounding in the factorisation is of order 1e-16 · √N · P.
    let tolerance = 1e-8 * (n as f64).sqrt();
    if let Some(k) = (0..m).find(|&k| r[(k, k)].abs() <= tolerance) {
        let earlier = match k {
            0 => "(it is zero)".to_string(),
            1 => "is a multiple of pattern 0 (a repeat or a reversal)".to_string(),
            _ => format!(
                "is a linear combination of patterns 0–{} (for instance a repeat or a reversal)",
                k - 1
            ),
        };
        return Err(Error::LinearlyDependent {
            pattern: k,
            reason: format!(
                "{earlier}; the pseudo-inverse rule needs linearly independent patterns: remove it"
            ),
        });
    }
    if p > n {
        return Err(Error::LinearlyDependent {
            pattern: n,
            reason: format!(
                "is one of P = {p} patterns of N = {n} neurons, and at most N patterns can be \
                 linearly independent (rank ≤ {n}); store at most {n} patterns"
            ),
        });
    }
    let q = qr.q();
    let w = &q * q.transpose();
    Ok(symmetric_matrix(n, !zero_diagonal, |i, j| w[(i, j)] as f32))
}
