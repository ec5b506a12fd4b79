//! Diluted connectivity: keep each connection with probability `c`.

use rand::Rng;
#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use super::{Repr, Weights};
use crate::error::{Result, require};
use crate::random;

/// Random dilution of the couplings: each connection `i ≠ j` is kept with probability `c`
/// and cut (set to 0) otherwise; the self-couplings are left as they are.
///
/// Symmetric dilution cuts `W_ij` and `W_ji` together (one draw per pair, so symmetric
/// couplings stay symmetric and the energy still never rises under asynchronous dynamics);
/// asymmetric dilution draws every directed connection on its own, as in Derrida, Gardner &
/// Zippelius's strongly diluted network. The draws come from [`random::seeded`]`(seed)`, in
/// row order, so a seed gives the same couplings on every machine. Diluting a factored
/// representation first makes it dense.
///
/// Use it to model sparse biological wiring, or to study how capacity falls with `c` (for
/// symmetric dilution of Hebb's rule, roughly in proportion to `c`).
///
/// ```
/// use hopfield::{generate, random, Dilution, Network, Rule};
/// let patterns = generate::random_patterns(5, 200, 0.5, &mut random::seeded(1))?;
/// let net = Network::from_patterns(&patterns, &Rule::hebb())?.diluted(&Dilution::new(0.5, 7))?;
/// assert!(net.weights().is_symmetric());
/// assert!(net.is_fixed_point(patterns.get(0).unwrap(), Default::default())?);
/// # Ok::<(), hopfield::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Dilution {
    /// The probability `c ∈ (0, 1]` of keeping a connection.
    pub connectivity: f64,
    /// Cut `W_ij` and `W_ji` together (default true).
    #[cfg_attr(feature = "serde", serde(default = "yes"))]
    pub symmetric: bool,
    /// The seed of the draws.
    pub seed: u64,
}

#[cfg(feature = "serde")]
fn yes() -> bool {
    true
}

setters!(Dilution {
    /// The same dilution, symmetric or not.
    symmetric: bool,
});

impl Dilution {
    /// Symmetric dilution keeping connections with probability `connectivity`.
    pub fn new(connectivity: f64, seed: u64) -> Dilution {
        Dilution {
            connectivity,
            symmetric: true,
            seed,
        }
    }

    /// Checks `0 < c ≤ 1`.
    pub fn check(&self) -> Result<()> {
        check_connectivity(self.connectivity)
    }

    /// The diluted copy of `weights`.
    pub fn apply(&self, weights: &Weights) -> Result<Weights> {
        weights.dilute(
            self.connectivity,
            self.symmetric,
            &mut random::seeded(self.seed),
        )
    }
}

fn check_connectivity(c: f64) -> Result<()> {
    let kept = "the connectivity c (the probability of keeping a connection) must lie in (0, 1]";
    require(c > 0.0 && c <= 1.0, "dilution", c, kept)
}

/// Cuts the connections `draw` rejects: pairs at once when `symmetric`, else one by one.
fn cut<T: Copy + Default + PartialEq>(
    m: &mut [T],
    n: usize,
    symmetric: bool,
    mut keep: impl FnMut() -> bool,
) -> bool {
    for i in 0..n {
        if symmetric {
            for j in i + 1..n {
                if !keep() {
                    m[i * n + j] = T::default();
                    m[j * n + i] = T::default();
                }
            }
        } else {
            for j in (0..n).filter(|&j| j != i) {
                if !keep() {
                    m[i * n + j] = T::default();
                }
            }
        }
    }
    (0..n).all(|i| (0..i).all(|j| m[i * n + j] == m[j * n + i]))
}

impl Weights {
    /// A copy in which each connection `i ≠ j` is kept with probability `connectivity` (see
    /// [`Dilution`]); the draws come from `rng`.
    pub fn dilute<R: Rng + ?Sized>(
        &self,
        connectivity: f64,
        symmetric: bool,
        rng: &mut R,
    ) -> Result<Weights> {
        check_connectivity(connectivity)?;
        let mut w = self.to_dense()?;
        let n = w.n;
        let keep = || random::chance(rng, connectivity);
        let Repr::Dense { matrix, .. } = w.repr_mut() else {
            unreachable!("to_dense gives a dense representation")
        };
        w.symmetric = each_type!(matrix, m => cut(m, n, symmetric, keep));
        Ok(w)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::kernel::bits::BitMatrix;
    use crate::weights::Representation;
    use crate::{generate, noise};

    #[test]
    fn diluted_couplings_give_the_fields_of_their_matrix() {
        // Few patterns: the undiluted dense matrix keeps its factored form beside it, which
        // must not outlive the cut.
        let mut rng = random::seeded(3);
        let x = generate::random_patterns(10, 300, 0.5, &mut rng).unwrap();
        let bits = Arc::new(BitMatrix::from_positive(10, 300, x.as_flat()));
        let w = Weights::outer(bits, false, 1.0, true, Representation::Dense).unwrap();
        let cut = Dilution::new(0.5, 4).apply(&w).unwrap();
        let (matrix, scale) = cut.dense_parts().unwrap();
        let plain = Weights::from_dense_parts(300, matrix, scale).unwrap();
        let state = noise::flip_fraction(x.get(0).unwrap(), 0.2, &mut rng).unwrap();
        let (mut a, mut b) = (vec![0.0; 300], vec![0.0; 300]);
        cut.fields(&state, &mut a);
        plain.fields(&state, &mut b);
        assert_eq!(a, b);
        let direct: Vec<f64> = (0..300)
            .map(|i| (0..300).map(|j| cut.get(i, j) * f64::from(state[j])).sum())
            .collect();
        assert_eq!(a, direct);
    }
}
