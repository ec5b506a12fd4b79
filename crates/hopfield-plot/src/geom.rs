//! Positions and alignment in figure pixels (x to the right, y down).

/// A point in figure pixels, y down.
pub(crate) type Pt = (f64, f64);

/// Horizontal alignment of a text box relative to its anchor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum HAlign {
    /// The anchor is at the left edge.
    #[default]
    Left,
    /// The anchor is at the centre.
    Center,
    /// The anchor is at the right edge.
    Right,
}

/// Vertical alignment of a text box relative to its anchor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum VAlign {
    /// The anchor is at the top edge.
    #[default]
    Top,
    /// The anchor is at the centre.
    Center,
    /// The anchor is at the bottom edge.
    Bottom,
}
