//! Where legends and text boxes go. A pinned box goes where it is told. An
//! automatic one takes the first corner of the plotting area where it hides
//! no data mark and no other box; if none is free, it joins the panel's
//! stack outside the axes — right of them or below the x labels, whichever
//! costs the plotting area less — and the figure is laid out again with the
//! room for it. Only when neither side can take the stack does a box stay
//! inside, in the corner where it hides least.

use super::boxes::anchored;
use super::frame::Frame;
use super::layout::{colorbar_width_total, outside_gap};
use super::marks::panel_marks;
use super::panels::{Content, Corner, Outside, PBox, PPanel, Pin};
use super::style::Style;
use crate::geom::Rect;
use crate::prepare::PLayer;

/// Free space kept between a box and the data, px.
const CLEARANCE: f64 = 2.0;
/// Largest share of the plotting area's width (or height) that a stack of
/// boxes outside the axes may take from it.
const MAX_OUTSIDE_SHARE: f64 = 0.5;

/// The order in which an automatic text box tries the corners.
const TEXT_CORNERS: [Corner; 4] = [
    Corner::UpperLeft,
    Corner::UpperRight,
    Corner::LowerLeft,
    Corner::LowerRight,
];
/// The order in which an automatic legend tries the corners (matplotlib's).
const LEGEND_CORNERS: [Corner; 4] = [
    Corner::UpperRight,
    Corner::UpperLeft,
    Corner::LowerLeft,
    Corner::LowerRight,
];

/// Places the boxes of every panel in its current frame. Returns whether a
/// box moved outside the axes, so that the figure must be laid out again.
pub(super) fn place_boxes(st: &Style, panels: &mut [PPanel<'_>]) -> bool {
    let mut relayout = false;
    for p in panels.iter_mut() {
        relayout |= place_panel(st, p);
    }
    relayout
}

fn place_panel(st: &Style, p: &mut PPanel<'_>) -> bool {
    if p.boxes.is_empty() {
        return false;
    }
    let fr = p.frame;
    let marks = panel_marks(p);
    let mut taken: Vec<Rect> = Vec::new();
    // Pinned boxes first: automatic ones keep clear of them.
    for b in p.boxes.iter_mut() {
        match (b.pin, b.content) {
            (Pin::Corner(c), _) => b.rect = corner(&fr, st, c, b.w, b.h),
            (Pin::Anchor, Content::Text(i)) => match &p.layers[i] {
                PLayer::Text(t) => b.rect = anchored(t, &fr, b.w, b.h),
                _ => continue,
            },
            _ => continue,
        }
        taken.push(b.rect);
    }
    let mut homeless = Vec::new();
    for (i, b) in p.boxes.iter_mut().enumerate() {
        if b.pin != Pin::Auto || b.outside {
            continue;
        }
        let order = match b.content {
            Content::Legend => LEGEND_CORNERS,
            Content::Text(_) => TEXT_CORNERS,
        };
        let free = order
            .iter()
            .map(|&c| corner(&fr, st, c, b.w, b.h))
            .find(|r| hides_nothing(&r.inflate(CLEARANCE), &marks, &taken));
        match free {
            Some(r) => {
                b.rect = r;
                taken.push(r);
            }
            None => homeless.push(i),
        }
    }
    let mut relayout = false;
    if !homeless.is_empty() {
        if p.outside == Outside::Undecided {
            p.outside = outside_side(st, p, &homeless);
        }
        if p.outside == Outside::Nowhere {
            for &i in &homeless {
                let b = &mut p.boxes[i];
                let order = match b.content {
                    Content::Legend => LEGEND_CORNERS,
                    Content::Text(_) => TEXT_CORNERS,
                };
                b.rect = least_hiding(&fr, st, &order, b, &marks, &taken);
                taken.push(b.rect);
            }
        } else {
            for &i in &homeless {
                p.boxes[i].outside = true;
            }
            relayout = true;
        }
    }
    stack_outside(st, p);
    relayout
}

/// A `w × h` box in corner `c` of the plotting area.
fn corner(fr: &Frame, st: &Style, c: Corner, w: f64, h: f64) -> Rect {
    let pad = outside_gap(st);
    let (l, r) = (fr.bx + pad, fr.right() - pad - w);
    let (t, b) = (fr.by + pad, fr.bottom() - pad - h);
    let (x, y) = match c {
        Corner::UpperLeft => (l, t),
        Corner::UpperRight => (r, t),
        Corner::LowerLeft => (l, b),
        Corner::LowerRight => (r, b),
    };
    Rect::new(x, y, w, h)
}

fn hides_nothing(r: &Rect, marks: &[Rect], taken: &[Rect]) -> bool {
    !marks.iter().chain(taken).any(|m| m.intersects(r))
}

/// The corner where box `b` hides the least data area (never another box,
/// if a corner avoids them all).
fn least_hiding(
    fr: &Frame,
    st: &Style,
    order: &[Corner],
    b: &PBox,
    marks: &[Rect],
    taken: &[Rect],
) -> Rect {
    let score = |r: &Rect| {
        let boxes = taken.iter().filter(|t| t.intersects(r)).count() as f64;
        let hidden: f64 = marks.iter().map(|m| m.overlap_area(r)).sum();
        (boxes, hidden)
    };
    let mut best = corner(fr, st, order[0], b.w, b.h);
    let mut best_score = score(&best);
    for &c in &order[1..] {
        let r = corner(fr, st, c, b.w, b.h);
        let s = score(&r);
        if s.0 < best_score.0 || (s.0 == best_score.0 && s.1 < best_score.1) {
            best = r;
            best_score = s;
        }
    }
    best
}

/// Where the boxes that found no free corner (with those already outside)
/// should go: the side that takes the smaller share of the plotting area,
/// if the stack fits there at all.
fn outside_side(st: &Style, p: &PPanel<'_>, homeless: &[usize]) -> Outside {
    let gap = outside_gap(st);
    let fr = &p.frame;
    let going = |i: usize, b: &PBox| b.outside || homeless.contains(&i);
    let (mut wmax, mut hmax, mut wsum, mut hsum, mut n) = (0.0f64, 0.0f64, 0.0, 0.0, 0usize);
    for (i, b) in p.boxes.iter().enumerate() {
        if going(i, b) {
            wmax = wmax.max(b.w);
            hmax = hmax.max(b.h);
            wsum += b.w;
            hsum += b.h;
            n += 1;
        }
    }
    let gaps = n.saturating_sub(1) as f64 * gap;
    // Right: a column as tall as the axes at most; below: a row as wide.
    let right = (hsum + gaps <= fr.bh && gap + wmax <= MAX_OUTSIDE_SHARE * fr.bw)
        .then(|| (gap + wmax) / fr.bw);
    let below = (wsum + gaps <= fr.bw && gap + hmax <= MAX_OUTSIDE_SHARE * fr.bh)
        .then(|| (gap + hmax) / fr.bh);
    match (right, below) {
        (Some(r), Some(b)) if b < r => Outside::Below,
        (Some(_), _) => Outside::Right,
        (None, Some(_)) => Outside::Below,
        (None, None) => Outside::Nowhere,
    }
}

/// Puts the boxes outside the axes in their places: top-down from the top
/// of the axes on the right, or side by side and centred below the labels.
fn stack_outside(st: &Style, p: &mut PPanel<'_>) {
    let gap = outside_gap(st);
    let fr = p.frame;
    let (w, _) = p.outside_stack(gap);
    let (mut x, mut y) = match p.outside {
        Outside::Below => (fr.bx + (fr.bw - w) / 2.0, p.below_y + gap),
        _ => {
            let mut x = fr.right() + gap;
            if p.colorbar.is_some() {
                x += colorbar_width_total(st, p);
            }
            (x, fr.by)
        }
    };
    let below = p.outside == Outside::Below;
    for b in p.boxes.iter_mut().filter(|b| b.outside) {
        b.rect = Rect::new(x, y, b.w, b.h);
        if below {
            x += b.w + gap;
        } else {
            y += b.h + gap;
        }
    }
}
