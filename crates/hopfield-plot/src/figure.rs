//! The figure: a grid of panels, with its size and title.

use crate::error::PlotError;
use crate::panel::Panel;

/// A figure: an optional title over a grid of [`Panel`]s.
///
/// Sizes are in pixels. Fonts follow matplotlib's defaults at 100 dpi
/// (10 pt tick labels ≈ 14 px), so a 640 × 480 figure looks like
/// `plt.figure()`; [`font_scale`](Figure::font_scale) adjusts them.
///
/// Rendering is deterministic: the same figure gives byte-identical files.
#[derive(Clone, Debug)]
pub struct Figure {
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) title: Option<String>,
    pub(crate) grid: Option<(usize, usize)>,
    pub(crate) panels: Vec<Panel>,
    pub(crate) share_x: bool,
    pub(crate) png_scale: f64,
    pub(crate) font_scale: f64,
}

/// Largest accepted width or height, in output pixels.
const MAX_SIDE: f64 = 16384.0;

impl Figure {
    /// An empty figure of `width × height` pixels (each in `16..=16384`).
    pub fn new(width: u32, height: u32) -> Figure {
        Figure {
            width,
            height,
            title: None,
            grid: None,
            panels: Vec::new(),
            share_x: false,
            png_scale: 1.0,
            font_scale: 1.0,
        }
    }

    /// Title centred above all panels (matplotlib's `suptitle`); for a
    /// single panel, [`Panel::title`] reads better.
    pub fn title(mut self, title: impl Into<String>) -> Figure {
        self.title = Some(title.into());
        self
    }

    /// Lay panels out in `rows × cols` cells, filled row by row. By default
    /// panels are stacked in a single column.
    pub fn grid(mut self, rows: usize, cols: usize) -> Figure {
        self.grid = Some((rows, cols));
        self
    }

    /// Adds a panel (in the next free grid cell).
    pub fn panel(mut self, panel: Panel) -> Figure {
        self.panels.push(panel);
        self
    }

    /// Adds a panel in place, for loops.
    pub fn push(&mut self, panel: Panel) {
        self.panels.push(panel);
    }

    /// Share the x range between the panels of each grid column and show x
    /// tick labels and x labels only on the bottom panel of each column, like
    /// `plt.subplots(..., sharex=True)`. Default false.
    pub fn share_x(mut self, share: bool) -> Figure {
        self.share_x = share;
        self
    }

    /// Resolution multiplier of the PNG only (default 1): 2 gives a
    /// `2·width × 2·height` PNG with the same layout, for sharp prints.
    pub fn png_scale(mut self, scale: f64) -> Figure {
        self.png_scale = scale;
        self
    }

    /// Multiplies all font sizes and text paddings (default 1).
    pub fn font_scale(mut self, scale: f64) -> Figure {
        self.font_scale = scale;
        self
    }

    /// Width and height of the PNG in pixels.
    pub fn png_size(&self) -> (u32, u32) {
        let s = |v: u32| (f64::from(v) * self.png_scale).round().max(1.0) as u32;
        (s(self.width), s(self.height))
    }

    pub(crate) fn validate(&self) -> Result<(), PlotError> {
        let ok = |v: u32| (16..=MAX_SIDE as u32).contains(&v);
        if !ok(self.width) || !ok(self.height) {
            return Err(PlotError::invalid(
                "figure",
                format!(
                    "size {}×{} px is outside 16..=16384",
                    self.width, self.height
                ),
            ));
        }
        let s = self.png_scale;
        if !(s.is_finite() && s > 0.0 && f64::from(self.width.max(self.height)) * s <= MAX_SIDE) {
            return Err(PlotError::invalid(
                "figure",
                format!("png_scale {s} must be positive and keep the PNG within 16384 px"),
            ));
        }
        if !(self.font_scale.is_finite() && self.font_scale > 0.0 && self.font_scale <= 10.0) {
            return Err(PlotError::invalid(
                "figure",
                format!("font_scale {} must be in (0, 10]", self.font_scale),
            ));
        }
        Ok(())
    }
}
