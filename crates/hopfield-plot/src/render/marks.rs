//! The data of a panel as pixel rectangles — bars, markers, images,
//! reference lines, and short pieces of lines and curves — for placing boxes
//! where they hide nothing and for checking that they do not.

use super::frame::Frame;
use super::marker::{marker_reach, stem_marker_size};
use super::panels::PPanel;
use super::style::snap;
use crate::geom::{Pt, Rect};
use crate::layers::LineStyle;
use crate::prepare::PLayer;

/// Longest piece of a line or curve given its own rectangle, px.
const PIECE: f64 = 4.0;

/// The rectangles covered by the data of panel `p`, clipped to its plotting area.
pub(super) fn panel_marks(p: &PPanel<'_>) -> Vec<Rect> {
    let fr = &p.frame;
    let area = Rect::new(fr.bx, fr.by, fr.bw, fr.bh);
    let mut out = Vec::new();
    let mut push = |r: Rect| {
        if let Some(r) = r.clip(&area) {
            out.push(r);
        }
    };
    for layer in &p.layers {
        layer_marks(layer, fr, &area, &mut push);
    }
    out
}

fn layer_marks(layer: &PLayer<'_>, fr: &Frame, area: &Rect, push: &mut dyn FnMut(Rect)) {
    match layer {
        PLayer::Line { src, pts, .. } => {
            let px: Vec<Pt> = pts.iter().map(|q| fr.pt(*q)).collect();
            if src.width > 0.0 {
                polyline(&px, src.width, area, push);
            }
            if src.marker.is_some() {
                for q in &px {
                    push(marker(*q, src.marker_size));
                }
            }
        }
        PLayer::Stem { src, pts, .. } => {
            let base = fr.py(src.baseline);
            if src.width > 0.0 {
                for q in pts {
                    let x = snap(fr.px(q.0), src.width);
                    push(Rect::spanning((x, base), (x, fr.py(q.1))).inflate(src.width / 2.0));
                }
            }
            let mut xs: Vec<f64> = pts.iter().map(|q| fr.px(q.0)).collect();
            xs.sort_by(f64::total_cmp);
            let bl = snap(base, 2.0);
            push(Rect::spanning((xs[0], bl), (xs[xs.len() - 1], bl)).inflate(1.0));
            if src.marker.is_some() {
                let size = stem_marker_size(src, &xs);
                for q in pts {
                    push(marker((snap(fr.px(q.0), src.width), fr.py(q.1)), size));
                }
            }
        }
        PLayer::Hist { src, counts, .. } => {
            let y0 = fr.py(0.0).round();
            let edge = if src.edge.is_some() { 0.5 } else { 0.0 };
            for (w, &n) in counts.edges.windows(2).zip(&counts.counts) {
                if n <= 0.0 {
                    continue;
                }
                let (xa, xb) = (fr.px(w[0]).round(), fr.px(w[1]).round());
                let bar = Rect::spanning((xa, fr.py(n).round()), (xb, y0));
                if bar.w > 0.0 && bar.h > 0.0 {
                    push(bar.inflate(edge));
                }
            }
        }
        PLayer::Curve { src, pieces, .. } => {
            if src.width > 0.0 {
                for piece in pieces {
                    let px: Vec<Pt> = piece.iter().map(|q| fr.pt(*q)).collect();
                    polyline(&px, src.width, area, push);
                }
            }
        }
        PLayer::HLine(h) => {
            let y = fr.py(h.value);
            let y = if h.style == LineStyle::Solid {
                snap(y, h.width)
            } else {
                y
            };
            if h.width > 0.0 {
                push(Rect::new(fr.bx, y - h.width / 2.0, fr.bw, h.width));
            }
        }
        PLayer::VLine(v) => {
            let x = fr.px(v.value);
            let x = if v.style == LineStyle::Solid {
                snap(x, v.width)
            } else {
                x
            };
            if v.width > 0.0 {
                push(Rect::new(x - v.width / 2.0, fr.by, v.width, fr.bh));
            }
        }
        PLayer::Image { src, .. } => {
            let a = fr.pt((-0.5, -0.5));
            let b = fr.pt((src.cols as f64 - 0.5, src.rows as f64 - 0.5));
            push(Rect::spanning(a, b));
        }
        PLayer::Text(_) => {}
    }
}

/// The square around a marker of diameter `size` at `q`.
fn marker(q: Pt, size: f64) -> Rect {
    Rect::new(q.0, q.1, 0.0, 0.0).inflate(marker_reach(size))
}

/// Rectangles along a polyline of stroke `width`: each segment is clipped to
/// `area` and cut into pieces of at most [`PIECE`] px.
fn polyline(px: &[Pt], width: f64, area: &Rect, push: &mut dyn FnMut(Rect)) {
    let reach = width / 2.0 + 0.5;
    let area = area.inflate(reach);
    for w in px.windows(2) {
        let Some((a, b)) = clip_segment(w[0], w[1], &area) else {
            continue;
        };
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let n = ((dx * dx + dy * dy).sqrt() / PIECE).ceil().max(1.0) as usize;
        let at = |k: usize| {
            let t = k as f64 / n as f64;
            (a.0 + t * dx, a.1 + t * dy)
        };
        for k in 0..n {
            push(Rect::spanning(at(k), at(k + 1)).inflate(reach));
        }
    }
}

/// The part of segment `a`–`b` inside `r` (Liang–Barsky), if any.
pub(super) fn clip_segment(a: Pt, b: Pt, r: &Rect) -> Option<(Pt, Pt)> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let mut t0 = 0.0f64;
    let mut t1 = 1.0f64;
    for (p, q) in [
        (-dx, a.0 - r.x),
        (dx, r.right() - a.0),
        (-dy, a.1 - r.y),
        (dy, r.bottom() - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let s = q / p;
            if p < 0.0 {
                t0 = t0.max(s);
            } else {
                t1 = t1.min(s);
            }
            if t0 > t1 {
                return None;
            }
        }
    }
    Some((
        (a.0 + t0 * dx, a.1 + t0 * dy),
        (a.0 + t1 * dx, a.1 + t1 * dy),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn liang_barsky() {
        let r = Rect::new(0.0, 0.0, 10.0, 10.0);
        let segment_hits_rect = |a: Pt, b: Pt, r: &Rect| clip_segment(a, b, r).is_some();
        assert!(segment_hits_rect((-5.0, 5.0), (15.0, 5.0), &r));
        assert!(segment_hits_rect((1.0, 1.0), (2.0, 2.0), &r));
        assert!(!segment_hits_rect((-5.0, -5.0), (-1.0, 20.0), &r));
        assert!(!segment_hits_rect((11.0, 0.0), (20.0, 10.0), &r));
        // The clipped part of a crossing segment lies on the edges.
        let (a, b) = clip_segment((-5.0, 5.0), (15.0, 5.0), &r).unwrap();
        assert_eq!((a, b), ((0.0, 5.0), (10.0, 5.0)));
    }

    #[test]
    fn long_segments_are_cut_into_short_pieces() {
        let area = Rect::new(0.0, 0.0, 100.0, 100.0);
        let mut pieces = Vec::new();
        polyline(&[(0.0, 0.0), (100.0, 100.0)], 2.0, &area, &mut |r| {
            pieces.push(r)
        });
        // 141 px long: 36 pieces of at most 4 px, none larger than 4 px plus the stroke.
        assert_eq!(pieces.len(), 36);
        assert!(pieces.iter().all(|r| r.w <= 4.0 + 3.0 && r.h <= 4.0 + 3.0));
        // The diagonal leaves the opposite corners free.
        let corner = Rect::new(70.0, 0.0, 30.0, 30.0);
        assert!(pieces.iter().all(|r| !r.intersects(&corner)));
    }
}
