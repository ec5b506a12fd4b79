//! The pseudo-inverse (projection) rule.

use nalgebra::DMatrix;

use crate::error::{Error, Result};
use crate::pattern::Patterns;
use crate::weights::check_dense_memory;

/// The projector `W = X (XᵀX)⁻¹ Xᵀ` onto the span of the patterns (the columns of the
/// `N × P` matrix `X`), row-major and exactly symmetric.
///
/// `X = QR` (Householder) gives `W = Q Qᵀ` without forming `(XᵀX)⁻¹`; `|R_kk|` is the
/// distance of pattern `k` from the span of the patterns before it, so a vanishing one names
/// the first dependent pattern. `O(N P² + N² P)`.
pub(super) fn couplings(patterns: &Patterns, zero_diagonal: bool) -> Result<Vec<f32>> {
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
    let mut out = vec![0f32; n * n];
    for i in 0..n {
        for j in 0..=i {
            let v = if i == j && zero_diagonal {
                0.0
            } else {
                w[(i, j)] as f32
            };
            out[i * n + j] = v;
            out[j * n + i] = v;
        }
    }
    Ok(out)
}
