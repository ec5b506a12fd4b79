//! A panel's axes in pixels: the plotting area, how data maps onto it, and
//! the ticks along its edges.

use super::style::text_w;
use crate::geom::Pt;
use crate::ticks::format_ticks;

/// Maps data coordinates to figure pixels for one panel.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Frame {
    pub(super) bx: f64,
    pub(super) by: f64,
    pub(super) bw: f64,
    pub(super) bh: f64,
    /// Data x at the left and right edges.
    pub(super) x0: f64,
    pub(super) x1: f64,
    /// Data y at the bottom and top edges.
    pub(super) y0: f64,
    pub(super) y1: f64,
}

impl Frame {
    pub(super) fn px(&self, x: f64) -> f64 {
        self.bx + (x - self.x0) / (self.x1 - self.x0) * self.bw
    }
    pub(super) fn py(&self, y: f64) -> f64 {
        self.by + self.bh - (y - self.y0) / (self.y1 - self.y0) * self.bh
    }
    pub(super) fn pt(&self, p: Pt) -> Pt {
        (self.px(p.0), self.py(p.1))
    }
    pub(super) fn right(&self) -> f64 {
        self.bx + self.bw
    }
    pub(super) fn bottom(&self) -> f64 {
        self.by + self.bh
    }
}

/// Tick values along one edge, with their labels.
#[derive(Clone, Debug, Default)]
pub(super) struct Ticks {
    pub(super) values: Vec<f64>,
    pub(super) labels: Vec<String>,
    /// Widest label, px.
    pub(super) max_w: f64,
}

impl Ticks {
    pub(super) fn new(values: Vec<f64>, size: f64) -> Ticks {
        let labels = format_ticks(&values);
        let max_w = labels.iter().map(|l| text_w(l, size)).fold(0.0, f64::max);
        Ticks {
            values,
            labels,
            max_w,
        }
    }
}
