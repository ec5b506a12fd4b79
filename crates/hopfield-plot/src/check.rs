//! Checks of user-given numbers, reported as [`PlotError`]s that name where
//! the value came from.

use crate::error::PlotError;

/// Every value finite, or the first that is not, with its index.
pub(crate) fn check_finite(context: &str, values: &[f64]) -> Result<(), PlotError> {
    match values.iter().position(|v| !v.is_finite()) {
        Some(index) => Err(PlotError::NonFinite {
            context: context.to_string(),
            index,
            value: values[index],
        }),
        None => Ok(()),
    }
}

/// `ok`, or an invalid parameter described by `message`.
pub(crate) fn check(
    context: &str,
    ok: bool,
    message: impl FnOnce() -> String,
) -> Result<(), PlotError> {
    if ok {
        Ok(())
    } else {
        Err(PlotError::invalid(context, message()))
    }
}

/// A width or size in `[0, 100]` px.
pub(crate) fn check_width(context: &str, what: &str, v: f64) -> Result<(), PlotError> {
    check(context, v.is_finite() && (0.0..=100.0).contains(&v), || {
        format!("{what} {v} must be in [0, 100]")
    })
}

/// An opacity in `[0, 1]`.
pub(crate) fn check_alpha(context: &str, v: f64) -> Result<(), PlotError> {
    check(context, (0.0..=1.0).contains(&v), || {
        format!("alpha {v} must be in [0, 1]")
    })
}

/// A range with finite, distinct ends (either order), if given.
pub(crate) fn check_range(
    context: &str,
    what: &str,
    r: Option<(f64, f64)>,
) -> Result<(), PlotError> {
    if let Some((lo, hi)) = r {
        check(
            context,
            lo.is_finite() && hi.is_finite() && lo != hi,
            || format!("{what} ({lo}, {hi}) must be finite and not empty"),
        )?;
    }
    Ok(())
}
