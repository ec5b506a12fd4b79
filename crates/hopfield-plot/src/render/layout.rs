//! Where each panel goes: ticks, the room taken by labels, titles, colorbars
//! and boxes outside the axes, the plotting areas of the grid, and titles
//! fitted over their panels.

use super::frame::{Frame, Ticks};
use super::panels::{Outside, PPanel};
use super::style::{Style, snap, text_h, text_w};
use crate::figure::Figure;
use crate::geom::Rect;
use crate::ticks::auto_ticks;

/// Space taken around the plotting area by ticks, labels, title, colorbar
/// and outside boxes.
#[derive(Clone, Copy, Debug, Default)]
struct Deco {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    /// Widest y tick label.
    ytick_w: f64,
    /// Room below the plotting area taken by ticks and x labels alone.
    labels_below: f64,
}

/// The x, y and colorbar ticks of a panel whose plotting area is `w × h`.
fn ticks_for(st: &Style, p: &PPanel<'_>, w: f64, h: f64) -> (Ticks, Ticks, Ticks) {
    let in_range = |t: &[f64], (a, b): (f64, f64)| -> Vec<f64> {
        let (lo, hi) = (a.min(b), a.max(b));
        let eps = (hi - lo) * 1e-9;
        t.iter()
            .copied()
            .filter(|v| *v >= lo - eps && *v <= hi + eps)
            .collect()
    };
    if p.src.ticks_hidden {
        let cb = match &p.colorbar {
            Some(c) => auto_ticks(
                c.vmin,
                c.vmax,
                ((h / (st.tick * 2.0)).floor() as usize).clamp(1, 9),
            ),
            None => Vec::new(),
        };
        return (Ticks::default(), Ticks::default(), Ticks::new(cb, st.tick));
    }
    let nx = ((w / (st.tick * 3.0)).floor() as usize).clamp(1, 9);
    let ny = ((h / (st.tick * 2.0)).floor() as usize).clamp(1, 9);
    let xv = match &p.src.x_ticks {
        Some(t) => in_range(t, p.x),
        None => auto_ticks(p.x.0, p.x.1, nx),
    };
    let yv = match &p.src.y_ticks {
        Some(t) => in_range(t, p.y),
        None => auto_ticks(p.y.0, p.y.1, ny),
    };
    let cb = match &p.colorbar {
        Some(c) => auto_ticks(c.vmin, c.vmax, ny),
        None => Vec::new(),
    };
    (
        Ticks::new(xv, st.tick),
        Ticks::new(yv, st.tick),
        Ticks::new(cb, st.tick),
    )
}

/// The decorations of a panel whose plotting area is `w × h`.
fn deco(st: &Style, p: &PPanel<'_>, w: f64, h: f64) -> Deco {
    let mut d = Deco::default();
    if let Some(t) = &p.src.title
        && !t.is_empty()
    {
        d.top = st.title_pad + text_h(st.title);
    }
    if p.src.axes_hidden {
        add_outside(st, p, &mut d);
        return d;
    }
    let (xt, yt, cbt) = ticks_for(st, p, w, h);
    let tick_h = text_h(st.tick);
    let ticks = !p.src.ticks_hidden;
    d.left = if ticks {
        st.tick_len + st.tick_pad + yt.max_w
    } else {
        0.0
    };
    if p.src.ylabel.as_deref().is_some_and(|s| !s.is_empty()) {
        d.left += st.label_pad + text_h(st.label);
    }
    d.bottom = if ticks { st.tick_len } else { 0.0 };
    if p.show_x_labels {
        if ticks {
            d.bottom += st.tick_pad + tick_h;
        }
        if p.src.xlabel.as_deref().is_some_and(|s| !s.is_empty()) {
            d.bottom += st.label_pad + text_h(st.label);
        }
        // First and last x tick labels may stick out sideways.
        let frame = Frame {
            bx: 0.0,
            by: 0.0,
            bw: w,
            bh: h,
            x0: p.x.0,
            x1: p.x.1,
            y0: p.y.0,
            y1: p.y.1,
        };
        for (v, l) in xt.values.iter().zip(&xt.labels) {
            let half = text_w(l, st.tick) / 2.0;
            let x = frame.px(*v);
            d.left = d.left.max(half - x);
            d.right = d.right.max(x + half - w);
        }
    }
    if ticks {
        d.top = d.top.max(tick_h / 2.0);
        d.bottom = d.bottom.max(tick_h / 2.0);
    }
    if let Some(cb) = &p.colorbar {
        d.right = st.colorbar_pad + st.colorbar_width + st.tick_len + st.tick_pad + cbt.max_w;
        if cb.label.as_deref().is_some_and(|s| !s.is_empty()) {
            d.right += st.label_pad + text_h(st.label);
        }
    } else {
        d.right = d.right.max(2.0);
    }
    d.ytick_w = yt.max_w;
    add_outside(st, p, &mut d);
    d
}

/// Adds the room for the boxes outside the axes, `gap` from the rest.
fn add_outside(st: &Style, p: &PPanel<'_>, d: &mut Deco) {
    d.labels_below = d.bottom;
    let gap = outside_gap(st);
    let (w, h) = p.outside_stack(gap);
    match p.outside {
        Outside::Right if w > 0.0 => d.right += gap + w,
        Outside::Below if h > 0.0 => d.bottom += gap + h,
        _ => {}
    }
}

/// The gap between the axes (or labels) and the boxes outside them, and
/// between those boxes; also their inset inside the axes.
pub(super) fn outside_gap(st: &Style) -> f64 {
    0.5 * st.legend
}

/// Horizontal space taken by a colorbar right of the axes.
pub(super) fn colorbar_width_total(st: &Style, p: &PPanel<'_>) -> f64 {
    let mut d = st.colorbar_pad + st.colorbar_width + st.tick_len + st.tick_pad + p.cbt.max_w;
    if p.colorbar
        .as_ref()
        .and_then(|c| c.label.as_deref())
        .is_some_and(|s| !s.is_empty())
    {
        d += st.label_pad + text_h(st.label);
    }
    d
}

/// Lays the panels out in a `rows × cols` grid: sets each panel's frame,
/// ticks and y label position.
pub(super) fn arrange(
    fig: &Figure,
    st: &Style,
    panels: &mut [PPanel<'_>],
    rows: usize,
    cols: usize,
) {
    let (fw, fh) = (f64::from(fig.width), f64::from(fig.height));
    let sup_h = match &fig.title {
        Some(t) if !t.is_empty() => text_h(st.suptitle) + st.title_pad,
        _ => 0.0,
    };
    let avail_w = fw - 2.0 * st.pad;
    let avail_h = fh - 2.0 * st.pad - sup_h;
    let mut pw = (avail_w / cols as f64) * 0.8;
    let mut ph = (avail_h / rows as f64) * 0.8;
    let mut left = vec![0.0f64; cols];
    let mut right = vec![0.0f64; cols];
    let mut ytick_w = vec![0.0f64; cols];
    let mut top = vec![0.0f64; rows];
    let mut bottom = vec![0.0f64; rows];
    for _ in 0..3 {
        left.fill(0.0);
        right.fill(0.0);
        ytick_w.fill(0.0);
        top.fill(0.0);
        bottom.fill(0.0);
        for p in panels.iter() {
            let d = deco(st, p, pw, ph);
            left[p.col] = left[p.col].max(d.left);
            right[p.col] = right[p.col].max(d.right);
            ytick_w[p.col] = ytick_w[p.col].max(d.ytick_w);
            top[p.row] = top[p.row].max(d.top);
            bottom[p.row] = bottom[p.row].max(d.bottom);
        }
        let gaps_w = (cols - 1) as f64 * st.gap;
        let gaps_h = (rows - 1) as f64 * st.gap;
        pw = ((avail_w - left.iter().sum::<f64>() - right.iter().sum::<f64>() - gaps_w)
            / cols as f64)
            .max(8.0);
        ph = ((avail_h - top.iter().sum::<f64>() - bottom.iter().sum::<f64>() - gaps_h)
            / rows as f64)
            .max(8.0);
    }
    let col_x: Vec<f64> = (0..cols)
        .map(|c| {
            st.pad
                + (0..c)
                    .map(|k| left[k] + pw + right[k] + st.gap)
                    .sum::<f64>()
                + left[c]
        })
        .collect();
    let row_y: Vec<f64> = (0..rows)
        .map(|r| {
            st.pad
                + sup_h
                + (0..r)
                    .map(|k| top[k] + ph + bottom[k] + st.gap)
                    .sum::<f64>()
                + top[r]
        })
        .collect();
    for p in panels.iter_mut() {
        let (mut x, mut y, mut w, mut h) = (col_x[p.col], row_y[p.row], pw, ph);
        if p.equal {
            let dx = (p.x.1 - p.x.0).abs();
            let dy = (p.y.1 - p.y.0).abs();
            let want = dx / dy;
            if w / h > want {
                let nw = h * want;
                x += (w - nw) / 2.0;
                w = nw;
            } else {
                let nh = w / want;
                y += (h - nh) / 2.0;
                h = nh;
            }
        }
        // Box edges on pixel centres so 1 px spines are crisp.
        let (x0, y0) = (snap(x, 1.0), snap(y, 1.0));
        let (x1, y1) = (snap(x + w, 1.0), snap(y + h, 1.0));
        let frame = Frame {
            bx: x0,
            by: y0,
            bw: (x1 - x0).max(1.0),
            bh: (y1 - y0).max(1.0),
            x0: p.x.0,
            x1: p.x.1,
            y0: p.y.0,
            y1: p.y.1,
        };
        let (xt, yt, cbt) = ticks_for(st, p, frame.bw, frame.bh);
        p.ylabel_x = if p.src.ticks_hidden {
            frame.bx - st.label_pad
        } else {
            frame.bx - st.tick_len - st.tick_pad - ytick_w[p.col].max(yt.max_w) - st.label_pad
        };
        // The cell reaches halfway to the neighbouring cells, or halfway to
        // the figure's edge.
        let half = |first: bool| if first { st.pad / 2.0 } else { st.gap / 2.0 };
        let cx0 = col_x[p.col] - left[p.col] - half(p.col == 0);
        let cx1 = col_x[p.col] + pw + right[p.col] + half(p.col + 1 == cols);
        let cy0 = row_y[p.row] - top[p.row];
        let cy1 = row_y[p.row] + ph + bottom[p.row];
        p.cell = Rect::new(cx0, cy0, cx1 - cx0, cy1 - cy0);
        p.below_y = frame.bottom() + deco(st, p, frame.bw, frame.bh).labels_below;
        p.title_at = match &p.src.title {
            Some(t) => fit_title(
                t,
                frame.bx + frame.bw / 2.0,
                st.title,
                (cx0.max(st.pad / 2.0), cx1.min(fw - st.pad / 2.0)),
                0.0,
            ),
            None => (0.0, 0.0),
        };
        p.frame = frame;
        p.xt = xt;
        p.yt = yt;
        p.cbt = cbt;
    }
}

/// Centre and font size of the figure title, if there is one.
pub(super) fn figure_title(fig: &Figure, st: &Style) -> Option<(f64, f64)> {
    let t = fig.title.as_deref()?;
    let w = f64::from(fig.width);
    Some(fit_title(
        t,
        w / 2.0,
        st.suptitle,
        (st.pad / 2.0, w - st.pad / 2.0),
        0.6,
    ))
}

/// Centre and font size for a title centred at `x`, kept within `lo..hi`:
/// shifted sideways if needed, and shrunk if it is wider (to no less than
/// `floor` times its size).
fn fit_title(text: &str, x: f64, size: f64, (lo, hi): (f64, f64), floor: f64) -> (f64, f64) {
    let avail = hi - lo;
    let mut size = size;
    let w = text_w(text, size);
    if w > avail {
        size = (size * avail / w).max(size * floor);
    }
    let half = text_w(text, size) / 2.0;
    let x = if 2.0 * half >= avail {
        (lo + hi) / 2.0
    } else {
        x.clamp(lo + half, hi - half)
    };
    (x, size)
}

/// The box of a one-line title of font size `size` centred at `x`, with its
/// top at `top`.
pub(super) fn title_rect(text: &str, x: f64, size: f64, top: f64) -> Rect {
    let w = text_w(text, size);
    Rect::new(x - w / 2.0, top, w, text_h(size))
}
