//! Tick placement (matplotlib's MaxNLocator with steps 1, 2, 2.5, 5, 10)
//! and tick label formatting.

/// Round tick values inside `[lo, hi]` (either order), at most `max_bins + 1` of them.
pub(crate) fn auto_ticks(lo: f64, hi: f64, max_bins: usize) -> Vec<f64> {
    let (a, b) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    let span = b - a;
    if !(span > 0.0 && span.is_finite()) {
        return vec![a];
    }
    let nbins = max_bins.max(1) as f64;
    let raw = span / nbins;
    // `libm`: the same ticks, hence the same figure bytes, on every platform.
    let mag = libm::pow(10.0, libm::floor(libm::log10(raw)));
    let mut step = 10.0 * mag;
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        let s = m * mag;
        if s < raw * (1.0 - 1e-9) {
            continue;
        }
        let intervals = (b / s - 1e-9).ceil() - (a / s + 1e-9).floor();
        if intervals <= nbins {
            step = s;
            break;
        }
    }
    let first = (a / step - 1e-9).ceil() as i64;
    let last = (b / step + 1e-9).floor() as i64;
    (first..=last)
        .map(|k| {
            let v = k as f64 * step;
            if v.abs() < step * 1e-9 { 0.0 } else { v }
        })
        .collect()
}

/// Labels for tick values: the fewest decimals that represent every tick,
/// scientific notation for very large or small magnitudes, and a true minus sign.
pub(crate) fn format_ticks(ticks: &[f64]) -> Vec<String> {
    if ticks.is_empty() {
        return Vec::new();
    }
    let max_abs = ticks.iter().fold(0.0f64, |m, t| m.max(t.abs()));
    let step = ticks
        .windows(2)
        .map(|w| (w[1] - w[0]).abs())
        .filter(|d| *d > 0.0)
        .fold(f64::INFINITY, f64::min);
    let step = if step.is_finite() {
        step
    } else {
        max_abs.max(1.0)
    };
    let tol = step * 1e-6;
    let sci = max_abs >= 1e6 || (max_abs > 0.0 && max_abs < 1e-4);
    let fmt = |t: f64, d: usize| -> String {
        if sci {
            format!("{t:.d$e}")
        } else {
            format!("{t:.d$}")
        }
    };
    let decimals = (0..=12)
        .find(|&d| {
            ticks
                .iter()
                .all(|&t| fmt(t, d).parse::<f64>().is_ok_and(|p| (p - t).abs() <= tol))
        })
        .unwrap_or(12);
    ticks
        .iter()
        .map(|&t| {
            let s = fmt(t, decimals);
            let zero = s.parse::<f64>().is_ok_and(|p| p == 0.0);
            if zero {
                s.trim_start_matches('-').to_string()
            } else {
                s.replacen('-', "\u{2212}", 1)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round() {
        assert_eq!(
            auto_ticks(0.0, 10.0, 5),
            vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
        );
        assert_eq!(auto_ticks(-0.5, 4.5, 9), vec![0.0, 1.0, 2.0, 3.0, 4.0]);
        assert_eq!(auto_ticks(-1.1, 1.1, 6), vec![-1.0, -0.5, 0.0, 0.5, 1.0]);
        assert_eq!(auto_ticks(0.0, 99.0, 9), vec![0.0, 20.0, 40.0, 60.0, 80.0]);
        let t = auto_ticks(0.0, 1.0, 4);
        assert_eq!(t, vec![0.0, 0.25, 0.5, 0.75, 1.0]);
    }

    #[test]
    fn labels() {
        assert_eq!(
            format_ticks(&[0.0, 0.25, 0.5]),
            vec!["0.00", "0.25", "0.50"]
        );
        assert_eq!(format_ticks(&[-1.0, 0.0, 1.0]), vec!["\u{2212}1", "0", "1"]);
        assert_eq!(
            format_ticks(&[0.1, 0.2, 0.30000000000000004]),
            vec!["0.1", "0.2", "0.3"]
        );
        assert_eq!(format_ticks(&[0.0, 2e6, 4e6]), vec!["0e0", "2e6", "4e6"]);
        assert_eq!(format_ticks(&[-0.0]), vec!["0"]);
    }
}
