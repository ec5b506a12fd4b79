//! From a panel's layers to its prepared data: checked layers, legend
//! entries, colorbar, and the x and y ranges (automatic or given).

use super::frame::{Frame, Ticks};
use crate::check::{check_finite, check_range};
use crate::color::Colormap;
use crate::error::PlotError;
use crate::figure::Figure;
use crate::geom::Rect;
use crate::panel::{Aspect, Legend, Panel};
use crate::prepare::{Bounds, LegendEntry, PLayer, legend_entry, prepare_layer};

/// The colorbar of an image, drawn right of its panel.
#[derive(Clone, Debug)]
pub(super) struct ColorbarInfo {
    pub(super) cmap: Colormap,
    pub(super) vmin: f64,
    pub(super) vmax: f64,
    pub(super) label: Option<String>,
}

/// A corner of the plotting area.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Corner {
    UpperLeft,
    UpperRight,
    LowerLeft,
    LowerRight,
}

/// How a legend or text box is placed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Pin {
    /// Where it hides no data (a free corner, else outside the axes).
    Auto,
    /// In this corner.
    Corner(Corner),
    /// At the anchor its [`Text`](crate::Text) gives.
    Anchor,
    /// Outside the axes, right of them.
    OutsideRight,
}

/// What a box shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Content {
    /// The panel's legend.
    Legend,
    /// The text layer with this index.
    Text(usize),
}

/// A legend or text box of a panel: its size, and where it went.
#[derive(Clone, Copy, Debug)]
pub(super) struct PBox {
    pub(super) content: Content,
    pub(super) pin: Pin,
    pub(super) w: f64,
    pub(super) h: f64,
    /// Whether it sits in the panel's stack outside the axes.
    pub(super) outside: bool,
    /// Its box in figure pixels, once placed (before rounding to pixels).
    pub(super) rect: Rect,
}

/// Where a panel keeps the boxes that found no room inside its axes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Outside {
    /// No box has needed it yet.
    Undecided,
    /// Stacked top-down, right of the axes (and of any colorbar).
    Right,
    /// Side by side, below the x labels.
    Below,
    /// Neither fits: boxes stay inside, where they hide least.
    Nowhere,
}

/// A panel with checked data, resolved ranges and (once laid out) its place.
pub(super) struct PPanel<'a> {
    pub(super) index: usize,
    pub(super) src: &'a Panel,
    pub(super) row: usize,
    pub(super) col: usize,
    pub(super) layers: Vec<PLayer<'a>>,
    pub(super) equal: bool,
    pub(super) inverted: bool,
    pub(super) show_x_labels: bool,
    pub(super) xb: Bounds,
    pub(super) yb: Bounds,
    pub(super) x: (f64, f64),
    pub(super) y: (f64, f64),
    pub(super) colorbar: Option<ColorbarInfo>,
    pub(super) legend: Vec<LegendEntry>,
    /// Its text boxes (in layer order), then its legend.
    pub(super) boxes: Vec<PBox>,
    pub(super) outside: Outside,
    // Layout results.
    pub(super) frame: Frame,
    pub(super) xt: Ticks,
    pub(super) yt: Ticks,
    pub(super) cbt: Ticks,
    pub(super) ylabel_x: f64,
    /// The part of the figure the panel owns (see [`crate::PanelLayout::cell`]).
    pub(super) cell: Rect,
    /// Top of the room below the x labels, where boxes stacked below go.
    pub(super) below_y: f64,
    /// Centre and font size of the title.
    pub(super) title_at: (f64, f64),
}

impl PPanel<'_> {
    /// Width and height of the stack of boxes outside the axes, `gap` apart.
    pub(super) fn outside_stack(&self, gap: f64) -> (f64, f64) {
        let outside = self.boxes.iter().filter(|b| b.outside);
        let (mut w, mut h, mut n) = (0.0f64, 0.0f64, 0usize);
        for b in outside {
            match self.outside {
                Outside::Below => {
                    w += b.w;
                    h = h.max(b.h);
                }
                _ => {
                    w = w.max(b.w);
                    h += b.h;
                }
            }
            n += 1;
        }
        if n == 0 {
            return (0.0, 0.0);
        }
        let gaps = (n - 1) as f64 * gap;
        match self.outside {
            Outside::Below => (w + gaps, h),
            _ => (w, h + gaps),
        }
    }
}

/// Checks panel `pi` (in grid cell `row`, `col`) and prepares its layers.
pub(super) fn prepare_panel(
    pi: usize,
    p: &Panel,
    row: usize,
    col: usize,
) -> Result<PPanel<'_>, PlotError> {
    let ctx = format!("panel {pi}");
    check_range(&ctx, "x range", p.x_range)?;
    check_range(&ctx, "y range", p.y_range)?;
    for (what, t) in [("x ticks", &p.x_ticks), ("y ticks", &p.y_ticks)] {
        if let Some(t) = t {
            check_finite(&format!("{ctx}, {what}"), t)?;
        }
    }
    let mut next_color = 0;
    let mut layers = Vec::with_capacity(p.layers.len());
    for (li, layer) in p.layers.iter().enumerate() {
        layers.push(prepare_layer(pi, li, layer, &mut next_color)?);
    }
    let has_image = layers.iter().any(|l| matches!(l, PLayer::Image { .. }));
    let equal = p.aspect.unwrap_or(if has_image {
        Aspect::Equal
    } else {
        Aspect::Auto
    }) == Aspect::Equal;
    let inverted = p.invert_y.unwrap_or(has_image && p.y_range.is_none());
    let (mut xb, mut yb) = (Bounds::default(), Bounds::default());
    let mut colorbar = None;
    for l in &layers {
        match l {
            PLayer::Line { pts, .. } | PLayer::Stem { pts, .. } => {
                for &(x, y) in pts {
                    xb.add(x);
                    yb.add(y);
                }
                if let PLayer::Stem { src, .. } = l {
                    yb.add(src.baseline);
                }
            }
            PLayer::Hist { counts, .. } => {
                xb.add(counts.edges[0]);
                xb.add(counts.edges[counts.edges.len() - 1]);
                yb.add(0.0);
                yb.sticky.push(0.0);
                for &c in &counts.counts {
                    yb.add(c);
                }
            }
            PLayer::Curve { src, .. } => {
                if let Some((a, b)) = src.domain {
                    xb.add(a);
                    xb.add(b);
                }
            }
            PLayer::HLine(h) => yb.add(h.value),
            PLayer::VLine(v) => xb.add(v.value),
            PLayer::Image {
                src, vmin, vmax, ..
            } => {
                let (x0, x1) = (-0.5, src.cols as f64 - 0.5);
                let (y0, y1) = (-0.5, src.rows as f64 - 0.5);
                xb.add(x0);
                xb.add(x1);
                yb.add(y0);
                yb.add(y1);
                xb.sticky.extend([x0, x1]);
                yb.sticky.extend([y0, y1]);
                if src.colorbar {
                    colorbar = Some(ColorbarInfo {
                        cmap: src.colormap,
                        vmin: *vmin,
                        vmax: *vmax,
                        label: src.colorbar_label.clone(),
                    });
                }
            }
            PLayer::Text(_) => {}
        }
    }
    let legend = if p.legend == Legend::Hidden {
        Vec::new()
    } else {
        layers.iter().filter_map(legend_entry).collect()
    };
    Ok(PPanel {
        index: pi,
        src: p,
        row,
        col,
        layers,
        equal,
        inverted,
        show_x_labels: true,
        xb,
        yb,
        x: (0.0, 1.0),
        y: (0.0, 1.0),
        colorbar,
        legend,
        boxes: Vec::new(),
        outside: Outside::Undecided,
        frame: Frame::default(),
        xt: Ticks::default(),
        yt: Ticks::default(),
        cbt: Ticks::default(),
        ylabel_x: 0.0,
        cell: Rect::default(),
        below_y: 0.0,
        title_at: (0.0, 0.0),
    })
}

/// Resolves every panel's x range (shared per grid column if the figure
/// asks), samples its curves over it, then resolves the y range.
pub(super) fn resolve_ranges(
    fig: &Figure,
    panels: &mut [PPanel<'_>],
    cols: usize,
) -> Result<(), PlotError> {
    // x ranges, shared per column if asked.
    let mut column_bounds = vec![Bounds::default(); cols];
    let mut column_explicit: Vec<Option<(f64, f64)>> = vec![None; cols];
    for p in panels.iter() {
        column_bounds[p.col].merge(&p.xb);
        if column_explicit[p.col].is_none() {
            column_explicit[p.col] = p.src.x_range;
        }
    }
    for p in panels.iter_mut() {
        let ctx = format!("panel {}", p.index);
        p.x = if fig.share_x {
            match column_explicit[p.col] {
                Some(r) => r,
                None => column_bounds[p.col].resolve(&ctx, "x")?,
            }
        } else {
            match p.src.x_range {
                Some(r) => r,
                None => p.xb.resolve(&ctx, "x")?,
            }
        };
        // Sample curves over their domain or the panel's x range.
        let (xlo, xhi) = (p.x.0.min(p.x.1), p.x.0.max(p.x.1));
        for l in &mut p.layers {
            if let PLayer::Curve {
                src,
                pieces,
                context,
                ..
            } = l
            {
                let (a, b) = src.domain.unwrap_or((xlo, xhi));
                let n = src.samples;
                let mut current = Vec::new();
                let mut first_bad = None;
                for i in 0..n {
                    let x = a + (b - a) * i as f64 / (n - 1) as f64;
                    let y = (src.f)(x);
                    if y.is_finite() {
                        current.push((x, y));
                        p.yb.add(y);
                    } else {
                        first_bad.get_or_insert((i, y));
                        if !current.is_empty() {
                            pieces.push(std::mem::take(&mut current));
                        }
                    }
                }
                if !current.is_empty() {
                    pieces.push(current);
                }
                if pieces.is_empty() {
                    let (index, value) = first_bad.unwrap_or((0, f64::NAN));
                    return Err(PlotError::NonFinite {
                        context: format!("{context} (no finite sample)"),
                        index,
                        value,
                    });
                }
            }
        }
        let ctx = format!("panel {}", p.index);
        let (lo, hi) = match p.src.y_range {
            Some(r) => r,
            None => p.yb.resolve(&ctx, "y")?,
        };
        p.y = if p.inverted { (hi, lo) } else { (lo, hi) };
    }
    Ok(())
}
