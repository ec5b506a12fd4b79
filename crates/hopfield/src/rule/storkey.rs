//! Storkey's (1997) incremental rule.

use crate::cancel::Cancel;
use crate::error::Result;
use crate::pattern::Patterns;
use crate::weights::check_dense_memory;

/// The couplings of Storkey's rule, row-major, zero diagonal.
///
/// Pattern `ν` adds `ΔW_ij = (ξ_i ξ_j − ξ_i h_ji − h_ij ξ_j) / N` with the local fields
/// `h_ij = Σ_{k ≠ i, j} W_ik ξ_k` of the couplings before it. With `g_i = Σ_k W_ik ξ_k`
/// (zero diagonal, symmetric `W`) that is `h_ij = g_i − W_ij ξ_j`, so
/// `ΔW_ij = (ξ_i ξ_j − ξ_i g_j − g_i ξ_j + 2 W_ij) / N`: `O(N²)` per pattern.
pub(super) fn couplings(patterns: &Patterns, cancel: Option<&Cancel>) -> Result<Vec<f32>> {
    let n = patterns.n();
    check_dense_memory(n, 12)?;
    let inv = 1.0 / n as f64;
    let mut w = vec![0f64; n * n];
    let mut g = vec![0f64; n];
    let mut x = vec![0f64; n];
    for xi in patterns.iter() {
        if let Some(c) = cancel {
            c.check()?;
        }
        for (x, &v) in x.iter_mut().zip(xi) {
            *x = f64::from(v);
        }
        for (g, row) in g.iter_mut().zip(w.chunks_exact(n)) {
            *g = row.iter().zip(&x).map(|(w, x)| w * x).sum();
        }
        for i in 0..n {
            // A pattern of a large network takes long: look at the flag every 64 rows too.
            if i % 64 == 63
                && let Some(c) = cancel
            {
                c.check()?;
            }
            for j in 0..i {
                let wij = w[i * n + j];
                let d = inv * (x[i] * x[j] - x[i] * g[j] - g[i] * x[j] + 2.0 * wij);
                w[i * n + j] = wij + d;
                w[j * n + i] = wij + d;
            }
        }
    }
    Ok(w.into_iter().map(|v| v as f32).collect())
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
        let fast = couplings(&p, None).unwrap();
        let slow = reference(&p);
        for (a, b) in fast.iter().zip(&slow) {
            assert!((f64::from(*a) - b).abs() < 1e-6, "{a} vs {b}");
        }
        assert!((0..17).all(|i| fast[i * 17 + i] == 0.0));
    }
}
