//! Where a legend goes: a fixed corner, outside the axes, or the candidate
//! position that hides the least data.

use super::boxes::text_box_rect;
use super::layout::colorbar_width_total;
use super::panels::PPanel;
use super::style::Style;
use crate::geom::Pt;
use crate::panel::Legend;
use crate::prepare::PLayer;

/// Legend placement penalty for covering a text box.
const TEXT_OVERLAP_PENALTY: usize = 1_000_000;

/// Top-left corner of a `w × h` legend in panel `p`.
pub(super) fn legend_origin(st: &Style, p: &PPanel<'_>, w: f64, h: f64) -> Pt {
    let fr = &p.frame;
    let pad = 0.5 * st.legend;
    let (l, r) = (fr.bx + pad, fr.right() - pad - w);
    let (t, b) = (fr.by + pad, fr.bottom() - pad - h);
    let (cx, cy) = (fr.bx + (fr.bw - w) / 2.0, fr.by + (fr.bh - h) / 2.0);
    match p.src.legend {
        Legend::UpperRight => (r, t),
        Legend::UpperLeft => (l, t),
        Legend::LowerLeft => (l, b),
        Legend::LowerRight => (r, b),
        Legend::OutsideRight => {
            let mut x = fr.right() + pad;
            if p.colorbar.is_some() {
                x += colorbar_width_total(st, p);
            }
            (x, fr.by)
        }
        Legend::Best | Legend::Hidden => {
            let candidates = [
                (r, t),
                (l, t),
                (l, b),
                (r, b),
                (r, cy),
                (l, cy),
                (cx, b),
                (cx, t),
                (cx, cy),
            ];
            let mut best = candidates[0];
            let mut best_score = usize::MAX;
            for cand in candidates {
                let score = overlap_score(st, p, (cand.0, cand.1, w, h));
                if score < best_score {
                    best_score = score;
                    best = cand;
                }
            }
            best
        }
    }
}

/// How many data points and segments a legend box at `rect` would hide.
fn overlap_score(st: &Style, p: &PPanel<'_>, rect: (f64, f64, f64, f64)) -> usize {
    let fr = &p.frame;
    let (rx, ry, rw, rh) = rect;
    let inside = |q: Pt| q.0 >= rx && q.0 <= rx + rw && q.1 >= ry && q.1 <= ry + rh;
    let mut score = 0usize;
    let polyline = |pts: &mut dyn Iterator<Item = Pt>| -> usize {
        let mut hits = 0;
        let mut prev: Option<Pt> = None;
        for q in pts {
            if inside(q) {
                hits += 1;
            }
            if prev.is_some_and(|a| segment_hits_rect(a, q, rect)) {
                hits += 1;
            }
            prev = Some(q);
        }
        hits
    };
    for l in &p.layers {
        match l {
            PLayer::Line { pts, .. } => score += polyline(&mut pts.iter().map(|q| fr.pt(*q))),
            PLayer::Curve { pieces, .. } => {
                for piece in pieces {
                    score += polyline(&mut piece.iter().map(|q| fr.pt(*q)));
                }
            }
            PLayer::Stem { src, pts, .. } => {
                for q in pts {
                    let top = fr.pt(*q);
                    let base = (top.0, fr.py(src.baseline));
                    score += polyline(&mut [base, top].into_iter());
                }
            }
            PLayer::Hist { counts, .. } => {
                for (w, &n) in counts.edges.windows(2).zip(&counts.counts) {
                    if n <= 0.0 {
                        continue;
                    }
                    let (a, b) = (fr.px(w[0]), fr.px(w[1]));
                    let (top, bottom) = (fr.py(n), fr.py(0.0));
                    let (x0, x1) = (a.min(b), a.max(b));
                    let (y0, y1) = (top.min(bottom), top.max(bottom));
                    if x0 < rx + rw && x1 > rx && y0 < ry + rh && y1 > ry {
                        score += 1;
                    }
                }
            }
            PLayer::HLine(h) => {
                let y = fr.py(h.value);
                score += polyline(&mut [(fr.bx, y), (fr.right(), y)].into_iter());
            }
            PLayer::VLine(v) => {
                let x = fr.px(v.value);
                score += polyline(&mut [(x, fr.by), (x, fr.bottom())].into_iter());
            }
            PLayer::Text(t) => {
                if let Some((x, y, w, h)) = text_box_rect(st, t, fr)
                    && x < rx + rw
                    && x + w > rx
                    && y < ry + rh
                    && y + h > ry
                {
                    score += TEXT_OVERLAP_PENALTY;
                }
            }
            PLayer::Image { .. } => {}
        }
    }
    score
}

/// Whether segment `a`–`b` passes through the rectangle (Liang–Barsky).
fn segment_hits_rect(a: Pt, b: Pt, (rx, ry, rw, rh): (f64, f64, f64, f64)) -> bool {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let mut t0 = 0.0f64;
    let mut t1 = 1.0f64;
    for (p, q) in [
        (-dx, a.0 - rx),
        (dx, rx + rw - a.0),
        (-dy, a.1 - ry),
        (dy, ry + rh - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
            if t0 > t1 {
                return false;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn liang_barsky() {
        let r = (0.0, 0.0, 10.0, 10.0);
        assert!(segment_hits_rect((-5.0, 5.0), (15.0, 5.0), r));
        assert!(segment_hits_rect((1.0, 1.0), (2.0, 2.0), r));
        assert!(!segment_hits_rect((-5.0, -5.0), (-1.0, 20.0), r));
        assert!(!segment_hits_rect((11.0, 0.0), (20.0, 10.0), r));
    }
}
