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

/// An axis-aligned rectangle in figure pixels: top-left corner `(x, y)`,
/// width `w` and height `h` (y grows downwards).
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// The rectangle with corner `(x, y)` and size `w × h`.
    pub const fn new(x: f64, y: f64, w: f64, h: f64) -> Rect {
        Rect { x, y, w, h }
    }

    /// Right edge.
    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    /// Bottom edge.
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }

    /// Whether the two rectangles share some area (touching edges do not count).
    pub fn intersects(&self, other: &Rect) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }

    /// Area shared with `other` (0 if they do not intersect).
    pub(crate) fn overlap_area(&self, other: &Rect) -> f64 {
        let w = self.right().min(other.right()) - self.x.max(other.x);
        let h = self.bottom().min(other.bottom()) - self.y.max(other.y);
        if w > 0.0 && h > 0.0 { w * h } else { 0.0 }
    }

    /// The rectangle grown by `d` on every side.
    pub(crate) fn inflate(&self, d: f64) -> Rect {
        Rect::new(self.x - d, self.y - d, self.w + 2.0 * d, self.h + 2.0 * d)
    }

    /// The part inside `clip`, if any area is left.
    pub(crate) fn clip(&self, clip: &Rect) -> Option<Rect> {
        let (x0, y0) = (self.x.max(clip.x), self.y.max(clip.y));
        let (x1, y1) = (
            self.right().min(clip.right()),
            self.bottom().min(clip.bottom()),
        );
        (x1 > x0 && y1 > y0).then(|| Rect::new(x0, y0, x1 - x0, y1 - y0))
    }

    /// Smallest rectangle holding both points.
    pub(crate) fn spanning(a: Pt, b: Pt) -> Rect {
        let (x0, y0) = (a.0.min(b.0), a.1.min(b.1));
        Rect::new(x0, y0, a.0.max(b.0) - x0, a.1.max(b.1) - y0)
    }
}
