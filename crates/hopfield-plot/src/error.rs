//! The error type.

use std::path::PathBuf;

/// Everything that can go wrong while building or saving a figure.
///
/// The `context` strings name the offending item, e.g.
/// `panel 2, layer 1 (line "overlap 3")`, so a message is enough to find it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlotError {
    /// A layer (or the figure) has nothing to draw: an empty series, a
    /// histogram whose values all fall outside its range, a figure without
    /// panels, a zero-sized image.
    #[error("{context}: no data to plot")]
    EmptyData {
        /// Which item is empty.
        context: String,
    },
    /// A data value is NaN or infinite. Data is never silently dropped;
    /// the only exception is [`Curve`](crate::Curve), whose non-finite
    /// samples break the drawn curve (documented there).
    #[error("{context}: value at index {index} is not finite ({value})")]
    NonFinite {
        /// Which item holds the value.
        context: String,
        /// Index of the first offending value (row-major for images).
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// The x and y series of a layer have different lengths.
    #[error("{context}: x has {x_len} values but y has {y_len}")]
    LengthMismatch {
        /// Which layer.
        context: String,
        /// Number of x values.
        x_len: usize,
        /// Number of y values.
        y_len: usize,
    },
    /// An image's data length does not match `rows × cols`.
    #[error("{context}: a {rows}×{cols} image needs {expected} values, got {actual}")]
    ImageShape {
        /// Which layer.
        context: String,
        /// Declared rows.
        rows: usize,
        /// Declared columns.
        cols: usize,
        /// `rows * cols` (saturating).
        expected: usize,
        /// Values supplied.
        actual: usize,
    },
    /// A setting is out of its valid domain (zero bins, an empty axis range,
    /// a zero-sized figure, more panels than grid cells, ...).
    #[error("{context}: {message}")]
    InvalidParameter {
        /// Which item.
        context: String,
        /// What is wrong with it.
        message: String,
    },
    /// Reading or writing a file failed. No partial file is left behind.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file being written.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The PNG encoder failed (it should not, for in-memory output).
    #[error("PNG encoding failed: {0}")]
    Encode(String),
}

impl PlotError {
    pub(crate) fn invalid(context: impl Into<String>, message: impl Into<String>) -> PlotError {
        PlotError::InvalidParameter {
            context: context.into(),
            message: message.into(),
        }
    }
}
