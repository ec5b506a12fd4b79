//! Where things landed in a laid-out figure, for checking that legends and
//! text boxes leave the data visible and that titles stay over their panels.

use crate::geom::Rect;

/// What a box beside the data is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoxKind {
    /// The legend of a panel.
    Legend,
    /// A [`Text`](crate::Text) layer (boxed or not).
    Text,
}

/// A legend or text box and where it was drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlacedBox {
    /// Legend or text.
    pub kind: BoxKind,
    /// The drawn box, outline included.
    pub rect: Rect,
    /// Whether it sits outside the plotting area (right of it or below it).
    pub outside: bool,
}

/// The layout of one panel, in figure pixels.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct PanelLayout {
    /// The plotting area (inside the frame).
    pub plot: Rect,
    /// The part of the figure the panel owns: its plotting area with ticks,
    /// labels, title, colorbar and outside boxes, plus half the gap to its
    /// neighbours.
    pub cell: Rect,
    /// The panel title, if any.
    pub title: Option<Rect>,
    /// The data as drawn, clipped to the plotting area: one rectangle per bar,
    /// marker, image and reference line, and per short piece of each line or
    /// curve (so that a diagonal line does not claim its whole bounding box).
    pub marks: Vec<Rect>,
    /// The legend and text boxes.
    pub boxes: Vec<PlacedBox>,
}

/// The layout of a whole figure (see [`Figure::layout`](crate::Figure::layout)).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Layout {
    /// Figure width in pixels (before [`png_scale`](crate::Figure::png_scale)).
    pub width: f64,
    /// Figure height in pixels.
    pub height: f64,
    /// The figure title, if any.
    pub title: Option<Rect>,
    /// The panels, in the order they were added.
    pub panels: Vec<PanelLayout>,
}

/// Slack for rounding when comparing positions, px.
const EPS: f64 = 1e-6;

impl Layout {
    /// Everything that hides data or reads wrongly, one line each; empty for
    /// a clean figure:
    ///
    /// - a legend or text box that intersects a data mark (of any panel),
    /// - two boxes that intersect each other,
    /// - a box that leaves the figure,
    /// - a panel title wider than its cell, or out of it,
    /// - the figure title over a panel title.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let figure = Rect::new(0.0, 0.0, self.width, self.height);
        let boxes: Vec<(usize, &PlacedBox)> = self
            .panels
            .iter()
            .enumerate()
            .flat_map(|(i, p)| p.boxes.iter().map(move |b| (i, b)))
            .collect();
        for (k, &(i, b)) in boxes.iter().enumerate() {
            let name = format!("panel {i}: {:?} box {}", b.kind, show(&b.rect));
            for (j, p) in self.panels.iter().enumerate() {
                if let Some(m) = p.marks.iter().find(|m| b.rect.intersects(m)) {
                    out.push(format!(
                        "{name} covers a data mark {} of panel {j}",
                        show(m)
                    ));
                }
            }
            for &(j, other) in &boxes[k + 1..] {
                if b.rect.intersects(&other.rect) {
                    out.push(format!(
                        "{name} overlaps panel {j}'s {:?} box {}",
                        other.kind,
                        show(&other.rect)
                    ));
                }
            }
            if b.rect.x < -EPS
                || b.rect.y < -EPS
                || b.rect.right() > figure.right() + EPS
                || b.rect.bottom() > figure.bottom() + EPS
            {
                out.push(format!("{name} leaves the figure"));
            }
        }
        for (i, p) in self.panels.iter().enumerate() {
            let Some(t) = p.title else { continue };
            if t.x < p.cell.x - EPS || t.right() > p.cell.right() + EPS {
                out.push(format!(
                    "panel {i}: title {} is not within its cell {}",
                    show(&t),
                    show(&p.cell)
                ));
            }
            if let Some(ft) = self.title
                && ft.intersects(&t)
            {
                out.push(format!(
                    "figure title {} overlaps panel {i}'s title {}",
                    show(&ft),
                    show(&t)
                ));
            }
        }
        out
    }
}

fn show(r: &Rect) -> String {
    format!("({:.1}, {:.1}, {:.1}×{:.1})", r.x, r.y, r.w, r.h)
}
