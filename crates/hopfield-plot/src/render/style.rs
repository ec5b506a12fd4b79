//! Sizes of text and decorations, text measurement and pixel snapping.

use crate::color::Color;
use crate::font::font;

/// Points per pixel factor: 1 pt = 100/72 px at 100 dpi.
const PT: f64 = 100.0 / 72.0;
pub(super) const SPINE_WIDTH: f64 = 1.0;
pub(super) const GRID_COLOR: Color = Color::rgb(0xdd, 0xdd, 0xdd);
pub(super) const LEGEND_EDGE: Color = Color::rgb(0xcc, 0xcc, 0xcc);
pub(super) const TEXTBOX_EDGE: Color = Color::rgb(0xaa, 0xaa, 0xaa);
pub(super) const TEXT_COLOR: Color = Color::rgb(0x11, 0x11, 0x11);
/// Baseline-to-baseline distance of multi-line text, in font sizes.
pub(super) const TEXT_LINE_SPACING: f64 = 1.3;
/// Padding inside a text box, in font sizes.
pub(super) const TEXT_BOX_PAD: f64 = 0.45;

/// Text sizes and paddings in figure pixels.
#[derive(Clone, Copy, Debug)]
pub(super) struct Style {
    pub(super) tick: f64,
    pub(super) label: f64,
    pub(super) title: f64,
    pub(super) suptitle: f64,
    pub(super) legend: f64,
    pub(super) tick_len: f64,
    pub(super) tick_pad: f64,
    pub(super) label_pad: f64,
    pub(super) title_pad: f64,
    pub(super) pad: f64,
    pub(super) gap: f64,
    pub(super) colorbar_pad: f64,
    pub(super) colorbar_width: f64,
}

impl Style {
    /// The sizes for a figure whose fonts are scaled by `s`.
    pub(super) fn new(s: f64) -> Style {
        Style {
            tick: 10.0 * PT * s,
            label: 10.0 * PT * s,
            title: 12.0 * PT * s,
            suptitle: 13.0 * PT * s,
            legend: 10.0 * PT * s,
            tick_len: 3.5 * PT,
            tick_pad: 3.5 * PT * s,
            label_pad: 4.0 * PT * s,
            title_pad: 6.0 * PT * s,
            pad: 10.0 * s.max(0.5),
            gap: 16.0 * s,
            colorbar_pad: 12.0 * s,
            colorbar_width: 14.0 * s,
        }
    }
}

/// Height of one line of text (cap height + descender).
pub(super) fn text_h(size: f64) -> f64 {
    let f = font();
    size * (f.cap_height + f.descent)
}

/// Width of one line of text.
pub(super) fn text_w(text: &str, size: f64) -> f64 {
    font().width(text, size)
}

/// Snaps a coordinate so that a line of the given width is pixel-crisp.
pub(super) fn snap(v: f64, width: f64) -> f64 {
    if (width.round() as i64) % 2 == 1 {
        v.floor() + 0.5
    } else {
        v.round()
    }
}
