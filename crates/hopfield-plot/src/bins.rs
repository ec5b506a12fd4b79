//! Histogram binning: how values are sorted into bins and counted.

use crate::check::{check, check_finite, check_range};
use crate::error::PlotError;

/// How a [`Histogram`](crate::Histogram) chooses its bins.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Bins {
    /// numpy's `bins="auto"`: the smaller bin width of the Sturges and
    /// Freedman–Diaconis rules.
    #[default]
    Auto,
    /// This many equal-width bins over the range.
    Count(usize),
    /// Explicit, strictly increasing bin edges (at least two).
    Edges(Vec<f64>),
}

/// Bin edges and per-bin heights computed by [`Histogram::compute`](crate::Histogram::compute).
#[derive(Clone, Debug, PartialEq)]
pub struct HistogramCounts {
    /// `counts.len() + 1` increasing edges.
    pub edges: Vec<f64>,
    /// Count per bin (or density, if the histogram was set to densities).
    pub counts: Vec<f64>,
    /// Number of values that fell inside the bins.
    pub total: usize,
}

impl HistogramCounts {
    /// Width of the first bin (all bins share it unless explicit edges were given).
    pub fn bin_width(&self) -> f64 {
        self.edges[1] - self.edges[0]
    }
}

/// Linear-interpolated percentile of sorted data (numpy's default method).
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let pos = p * (sorted.len() - 1) as f64;
    let i = pos.floor() as usize;
    let j = (i + 1).min(sorted.len() - 1);
    sorted[i] + (sorted[j] - sorted[i]) * (pos - i as f64)
}

const MAX_BINS: usize = 100_000;

/// Bins and counts of `values`: the bins chosen by `bins` over `range` (by
/// default the values' extent), heights as counts or as densities.
pub(crate) fn histogram_counts(
    values: &[f64],
    bins: &Bins,
    range: Option<(f64, f64)>,
    density: bool,
    context: &str,
) -> Result<HistogramCounts, PlotError> {
    if values.is_empty() {
        return Err(PlotError::EmptyData {
            context: context.to_string(),
        });
    }
    check_finite(context, values)?;
    check_range(context, "range", range)?;
    if let Some((lo, hi)) = range {
        check(context, lo < hi, || {
            format!("range ({lo}, {hi}) must be increasing")
        })?;
    }
    let (lo, hi) = range.unwrap_or_else(|| {
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if lo == hi {
            (lo - 0.5, hi + 0.5)
        } else {
            (lo, hi)
        }
    });
    let uniform = |n: usize| -> Vec<f64> {
        (0..=n)
            .map(|i| {
                if i == n {
                    hi
                } else {
                    lo + (hi - lo) * i as f64 / n as f64
                }
            })
            .collect()
    };
    let edges = match bins {
        Bins::Count(n) => {
            check(context, (1..=MAX_BINS).contains(n), || {
                format!("bin count {n} must be in 1..={MAX_BINS}")
            })?;
            uniform(*n)
        }
        Bins::Edges(e) => {
            check(context, e.len() >= 2 && e.len() <= MAX_BINS + 1, || {
                format!("{} bin edges given; need 2..={}", e.len(), MAX_BINS + 1)
            })?;
            check_finite(&format!("{context}, bin edges"), e)?;
            check(context, e.windows(2).all(|w| w[0] < w[1]), || {
                "bin edges must be strictly increasing".to_string()
            })?;
            e.clone()
        }
        Bins::Auto => {
            let mut inside: Vec<f64> = values
                .iter()
                .copied()
                .filter(|v| (lo..=hi).contains(v))
                .collect();
            inside.sort_by(f64::total_cmp);
            let n = inside.len().max(1) as f64;
            let span = hi - lo;
            let sturges = span / (libm::log2(n) + 1.0);
            let iqr = if inside.is_empty() {
                0.0
            } else {
                percentile(&inside, 0.75) - percentile(&inside, 0.25)
            };
            let fd = 2.0 * iqr / libm::cbrt(n);
            let width = if fd > 0.0 { fd.min(sturges) } else { sturges };
            let bins = ((span / width).ceil() as usize).clamp(1, 10_000);
            uniform(bins)
        }
    };
    let nb = edges.len() - 1;
    let (first, last) = (edges[0], edges[nb]);
    let mut counts = vec![0.0; nb];
    let mut total = 0usize;
    for &v in values {
        if v < first || v > last {
            continue;
        }
        let mut i = edges.partition_point(|e| *e <= v).saturating_sub(1);
        if i >= nb {
            i = nb - 1;
        }
        counts[i] += 1.0;
        total += 1;
    }
    if total == 0 {
        return Err(PlotError::EmptyData {
            context: format!("{context} (no value inside the bin range)"),
        });
    }
    if density {
        for (c, w) in counts.iter_mut().zip(edges.windows(2)) {
            *c /= total as f64 * (w[1] - w[0]);
        }
    }
    Ok(HistogramCounts {
        edges,
        counts,
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_bins_and_counts() {
        let values: Vec<f64> = (0..100).map(|i| f64::from(i) / 10.0).collect();
        let c = histogram_counts(&values, &Bins::Auto, None, false, "t").unwrap();
        assert_eq!(c.total, 100);
        assert_eq!(c.counts.iter().sum::<f64>(), 100.0);
        assert!(c.counts.len() >= 7, "{} bins", c.counts.len());
        let d = histogram_counts(&values, &Bins::Auto, None, true, "t").unwrap();
        let area: f64 = d
            .counts
            .iter()
            .zip(d.edges.windows(2))
            .map(|(c, w)| c * (w[1] - w[0]))
            .sum();
        assert!((area - 1.0).abs() < 1e-12);
        let r = histogram_counts(&[5.0, 5.0], &Bins::Count(2), None, false, "t").unwrap();
        assert_eq!(r.edges, vec![4.5, 5.0, 5.5]);
        assert_eq!(r.counts, vec![0.0, 2.0]);
    }
}
