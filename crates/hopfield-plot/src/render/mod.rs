//! Turning a [`Figure`] into a laid-out scene, and drawing that scene on a canvas.
//!
//! Building the scene validates all data, resolves ranges and ticks, lays
//! the panels out and places their legends and text boxes once; the SVG and
//! PNG are then drawn from the same scene, so the two files agree exactly.
//!
//! The files, each importing only those listed before it:
//! `style` (sizes, text metrics), `frame` (data-to-pixel map, ticks),
//! `marker` (point markers), `panels` (checked data, ranges, boxes),
//! `boxes` (legend and text box sizes and drawing), `layout` (the grid and
//! titles), `marks` (the data as pixel rectangles), `place` (where boxes
//! go), `draw` (everything on the canvas); this file runs them in order and
//! reports the result.

mod boxes;
mod draw;
mod frame;
mod layout;
mod marker;
mod marks;
mod panels;
mod place;
mod style;

use self::layout::{figure_title, title_rect};
use self::panels::{Content, Outside, PPanel, Pin, prepare_panel, resolve_ranges};
use self::style::{Style, text_h};
use crate::canvas::{RasterCanvas, SvgCanvas};
use crate::error::PlotError;
use crate::figure::Figure;
use crate::geom::Rect;
use crate::report::{BoxKind, Layout, PanelLayout, PlacedBox};

/// A fully validated and laid-out figure, ready to draw.
pub(crate) struct Scene<'a> {
    fig: &'a Figure,
    st: Style,
    panels: Vec<PPanel<'a>>,
}

impl<'a> Scene<'a> {
    /// Checks `fig`, resolves its ranges, lays it out and places its boxes.
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
        for p in &mut panels {
            p.boxes = boxes::panel_boxes(&st, p);
            if p.boxes.iter().any(|b| b.pin == Pin::OutsideRight) {
                p.outside = Outside::Right;
            }
        }
        // Each round moves at least one box outside the axes for good, so
        // there are at most as many rounds as boxes.
        let rounds = panels.iter().map(|p| p.boxes.len()).sum::<usize>() + 1;
        for _ in 0..rounds {
            layout::arrange(fig, &st, &mut panels, rows, cols);
            if !place::place_boxes(&st, &mut panels) {
                break;
            }
        }
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

    /// Where the plotting areas, data, boxes and titles are.
    pub(crate) fn layout(&self) -> Layout {
        let st = &self.st;
        let title = match (&self.fig.title, figure_title(self.fig, st)) {
            (Some(t), Some((x, size))) => Some(title_rect(t, x, size, st.pad)),
            _ => None,
        };
        let panels = self
            .panels
            .iter()
            .map(|p| {
                let fr = &p.frame;
                let title = p.src.title.as_ref().map(|t| {
                    let (x, size) = p.title_at;
                    title_rect(t, x, size, fr.by - st.title_pad - text_h(size))
                });
                let boxes = p
                    .boxes
                    .iter()
                    .map(|b| PlacedBox {
                        kind: match b.content {
                            Content::Legend => BoxKind::Legend,
                            Content::Text(_) => BoxKind::Text,
                        },
                        rect: boxes::drawn(&b.rect),
                        outside: b.outside,
                    })
                    .collect();
                PanelLayout {
                    plot: Rect::new(fr.bx, fr.by, fr.bw, fr.bh),
                    cell: p.cell,
                    title,
                    marks: marks::panel_marks(p),
                    boxes,
                }
            })
            .collect();
        Layout {
            width: f64::from(self.fig.width),
            height: f64::from(self.fig.height),
            title,
            panels,
        }
    }
}
