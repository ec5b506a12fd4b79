//! Measures on states: overlap, Hamming distance and the crosstalk term.
//!
//! ```
//! use hopfield::measure::{crosstalk, hamming, overlap};
//! let xi = [1i8, -1, 1, 1];
//! let s = [1i8, 1, 1, 1];
//! assert_eq!(crosstalk(&xi, &s)?, 2);      // Σ ξ_i S_i
//! assert_eq!(overlap(&xi, &s)?, 0.5);      // ξ·S / N
//! assert_eq!(hamming(&xi, &s)?, 1);
//! # Ok::<(), hopfield::Error>(())
//! ```

use crate::error::{Error, Result, check_length};
use crate::pattern::Patterns;

/// Refuses a state `s` whose length is not `expected`.
fn same_length(expected: usize, s: &[i8]) -> Result<()> {
    check_length("state", expected, s.len())
}

/// The crosstalk term `Σ_i ξ_i S_i` (the page's "term in square brackets").
pub fn crosstalk(xi: &[i8], s: &[i8]) -> Result<i64> {
    same_length(xi.len(), s)?;
    Ok(dot(xi, s))
}

/// The overlap `m = ξ · S / N`, from −1 (reversed) to 1 (equal).
pub fn overlap(xi: &[i8], s: &[i8]) -> Result<f64> {
    same_length(xi.len(), s)?;
    if xi.is_empty() {
        return Err(Error::no_neurons("state"));
    }
    Ok(dot(xi, s) as f64 / xi.len() as f64)
}

/// The overlap of `s` with every pattern of `patterns`.
pub fn overlaps(patterns: &Patterns, s: &[i8]) -> Result<Vec<f64>> {
    same_length(patterns.n(), s)?;
    let n = patterns.n() as f64;
    Ok(dots(patterns, s)
        .into_iter()
        .map(|d| d as f64 / n)
        .collect())
}

/// The number of neurons where `a` and `b` differ.
pub fn hamming(a: &[i8], b: &[i8]) -> Result<usize> {
    same_length(a.len(), b)?;
    Ok(differ(a, b))
}

/// The number of neurons where `a` and `b` differ, over the shorter of the two.
pub(crate) fn differ(a: &[i8], b: &[i8]) -> usize {
    a.iter().zip(b).filter(|(x, y)| x != y).count()
}

/// `ξ^μ · S` for every pattern.
pub(crate) fn dots(patterns: &Patterns, s: &[i8]) -> Vec<i64> {
    patterns.iter().map(|xi| dot(xi, s)).collect()
}

#[inline]
pub(crate) fn dot(a: &[i8], b: &[i8]) -> i64 {
    a.iter()
        .zip(b)
        .map(|(&x, &y)| i32::from(x) * i32::from(y))
        .fold(0i64, |acc, v| acc + i64::from(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_check_lengths() {
        assert!(overlap(&[1, 1], &[1]).is_err());
        assert!(hamming(&[1], &[1, 1]).is_err());
        assert!(crosstalk(&[], &[1]).is_err());
        assert!(overlap(&[], &[]).is_err());
        let p = Patterns::from_rows(vec![vec![1, 1, 1, 1], vec![-1, -1, 1, 1]]).unwrap();
        assert_eq!(overlaps(&p, &[1, 1, 1, 1]).unwrap(), vec![1.0, 0.0]);
        assert_eq!(overlaps(&p, &[-1, -1, -1, -1]).unwrap(), vec![-1.0, 0.0]);
        assert!(overlaps(&p, &[1]).is_err());
    }
}
