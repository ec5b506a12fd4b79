//! Turning a [`Figure`] into a laid-out scene, and drawing that scene on a canvas.
//!
//! Building the scene validates all data, resolves ranges, ticks and the
//! layout once; the SVG and PNG are then drawn from the same scene, so the two
//! files agree exactly.
//!
//! The files, each importing only those listed before it:
//! `style` (sizes, text metrics), `frame` (data-to-pixel map, ticks),
//! `marker` (point markers), `panels` (checked data and ranges), `boxes`
//! (legend and text box sizes and drawing), `layout` (the grid), `place`
//! (where legends go), `draw` (everything else on the canvas); this file
//! runs them in order.

mod boxes;
mod draw;
mod frame;
mod layout;
mod marker;
mod panels;
mod place;
mod style;

use self::panels::{PPanel, prepare_panel, resolve_ranges};
use self::style::Style;
use crate::canvas::{RasterCanvas, SvgCanvas};
use crate::error::PlotError;
use crate::figure::Figure;

/// A fully validated and laid-out figure, ready to draw.
pub(crate) struct Scene<'a> {
    fig: &'a Figure,
    st: Style,
    panels: Vec<PPanel<'a>>,
}

impl<'a> Scene<'a> {
    /// Checks `fig`, resolves its ranges and lays it out.
    pub(crate) fn build(fig: &'a Figure) -> Result<Scene<'a>, PlotError> {
        fig.validate()?;
        if fig.panels.is_empty() {
            return Err(PlotError::EmptyData {
                context: "figure (no panels)".to_string(),
            });
        }
        let n = fig.panels.len();
        let (rows, cols) = fig.grid.unwrap_or((n, 1));
        if rows == 0 || cols == 0 || rows.saturating_mul(cols) < n {
            return Err(PlotError::invalid(
                "figure",
                format!("a {rows}×{cols} grid cannot hold {n} panels"),
            ));
        }
        let st = Style::new(fig.font_scale);
        let mut panels = Vec::with_capacity(n);
        for (pi, p) in fig.panels.iter().enumerate() {
            panels.push(prepare_panel(pi, p, pi / cols, pi % cols)?);
        }
        // Bottom-most panel of each column shows the shared x labels.
        let mut bottom_row = vec![0usize; cols];
        for p in &panels {
            bottom_row[p.col] = bottom_row[p.col].max(p.row);
        }
        if fig.share_x {
            for p in &mut panels {
                p.show_x_labels = p.row == bottom_row[p.col];
            }
        }
        resolve_ranges(fig, &mut panels, cols)?;
        layout::arrange(fig, &st, &mut panels, rows, cols);
        Ok(Scene { fig, st, panels })
    }

    /// The scene as an SVG document.
    pub(crate) fn to_svg(&self) -> Result<String, PlotError> {
        let mut c = SvgCanvas::new(
            self.fig.width,
            self.fig.height,
            self.fig
                .title
                .as_deref()
                .or_else(|| self.panels.iter().find_map(|p| p.src.title.as_deref())),
        );
        draw::draw(self.fig, &self.st, &self.panels, &mut c)?;
        Ok(c.finish())
    }

    /// The scene as PNG bytes.
    pub(crate) fn to_png(&self) -> Result<Vec<u8>, PlotError> {
        let mut c = RasterCanvas::new(self.fig.width, self.fig.height, self.fig.png_scale)?;
        draw::draw(self.fig, &self.st, &self.panels, &mut c)?;
        c.into_png()
    }
}
