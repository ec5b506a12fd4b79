//! Turning a [`Figure`] into a laid-out scene, and drawing that scene on a canvas.
//!
//! Building the scene validates all data, resolves ranges, ticks and the
//! layout once; the SVG and PNG are then drawn from the same scene, so the two
//! files agree exactly.

use crate::canvas::{Bitmap, Canvas, Fill, Pt, RasterCanvas, Shape, Stroke, SvgCanvas, TextItem};
use crate::color::{Color, Colormap};
use crate::error::PlotError;
use crate::figure::Figure;
use crate::font::font;
use crate::layers::{HAlign, LineStyle, Marker, Text, VAlign};
use crate::panel::{Aspect, Legend, Panel};
use crate::prepare::{
    Bounds, Handle, LegendEntry, PLayer, check_finite, check_range, legend_entry, prepare_layer,
};
use crate::ticks::{auto_ticks, format_ticks};

/// Points per pixel factor: 1 pt = 100/72 px at 100 dpi.
const PT: f64 = 100.0 / 72.0;
const SPINE_WIDTH: f64 = 1.0;
const GRID_COLOR: Color = Color::rgb(0xdd, 0xdd, 0xdd);
const LEGEND_EDGE: Color = Color::rgb(0xcc, 0xcc, 0xcc);
const TEXTBOX_EDGE: Color = Color::rgb(0xaa, 0xaa, 0xaa);
const TEXT_COLOR: Color = Color::rgb(0x11, 0x11, 0x11);
/// Baseline-to-baseline distance of multi-line text, in font sizes.
const TEXT_LINE_SPACING: f64 = 1.3;
/// Padding inside a text box, in font sizes.
const TEXT_BOX_PAD: f64 = 0.45;
/// Legend placement penalty for covering a text box.
const TEXT_OVERLAP_PENALTY: usize = 1_000_000;

/// Text sizes and paddings in figure pixels.
#[derive(Clone, Copy, Debug)]
struct Style {
    tick: f64,
    label: f64,
    title: f64,
    suptitle: f64,
    legend: f64,
    tick_len: f64,
    tick_pad: f64,
    label_pad: f64,
    title_pad: f64,
    pad: f64,
    gap: f64,
    colorbar_pad: f64,
    colorbar_width: f64,
}

impl Style {
    fn new(s: f64) -> Style {
        Style {
            tick: 10.0 * PT * s,
            label: 10.0 * PT * s,
            title: 12.0 * PT * s,
            suptitle: 13.0 * PT * s,
            legend: 10.0 * PT * s,
            tick_len: 3.5 * PT,
            tick_pad: 3.5 * PT * s,
            label_pad: 4.0 * PT * s,
            title_pad: 6.0 * PT * s,
            pad: 10.0 * s.max(0.5),
            gap: 16.0 * s,
            colorbar_pad: 12.0 * s,
            colorbar_width: 14.0 * s,
        }
    }
}

/// Height of one line of text (cap height + descender).
fn text_h(size: f64) -> f64 {
    let f = font();
    size * (f.cap_height + f.descent)
}

fn text_w(text: &str, size: f64) -> f64 {
    font().width(text, size)
}

/// Snaps a coordinate so that a line of the given width is pixel-crisp.
fn snap(v: f64, width: f64) -> f64 {
    if (width.round() as i64) % 2 == 1 {
        v.floor() + 0.5
    } else {
        v.round()
    }
}

/// Maps data coordinates to figure pixels for one panel.
#[derive(Clone, Copy, Debug, Default)]
struct Frame {
    bx: f64,
    by: f64,
    bw: f64,
    bh: f64,
    /// Data x at the left and right edges.
    x0: f64,
    x1: f64,
    /// Data y at the bottom and top edges.
    y0: f64,
    y1: f64,
}

impl Frame {
    fn px(&self, x: f64) -> f64 {
        self.bx + (x - self.x0) / (self.x1 - self.x0) * self.bw
    }
    fn py(&self, y: f64) -> f64 {
        self.by + self.bh - (y - self.y0) / (self.y1 - self.y0) * self.bh
    }
    fn pt(&self, p: Pt) -> Pt {
        (self.px(p.0), self.py(p.1))
    }
    fn right(&self) -> f64 {
        self.bx + self.bw
    }
    fn bottom(&self) -> f64 {
        self.by + self.bh
    }
}

#[derive(Clone, Debug, Default)]
struct Ticks {
    values: Vec<f64>,
    labels: Vec<String>,
    /// Widest label, px.
    max_w: f64,
}

impl Ticks {
    fn new(values: Vec<f64>, size: f64) -> Ticks {
        let labels = format_ticks(&values);
        let max_w = labels.iter().map(|l| text_w(l, size)).fold(0.0, f64::max);
        Ticks {
            values,
            labels,
            max_w,
        }
    }
}

#[derive(Clone, Debug)]
struct ColorbarInfo {
    cmap: Colormap,
    vmin: f64,
    vmax: f64,
    label: Option<String>,
}

/// Space taken around the plotting area by ticks, labels, title, colorbar, legend.
#[derive(Clone, Copy, Debug, Default)]
struct Deco {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

struct PPanel<'a> {
    index: usize,
    src: &'a Panel,
    row: usize,
    col: usize,
    layers: Vec<PLayer<'a>>,
    equal: bool,
    inverted: bool,
    show_x_labels: bool,
    xb: Bounds,
    yb: Bounds,
    x: (f64, f64),
    y: (f64, f64),
    colorbar: Option<ColorbarInfo>,
    legend: Vec<LegendEntry>,
    // Layout results.
    frame: Frame,
    xt: Ticks,
    yt: Ticks,
    cbt: Ticks,
    ylabel_x: f64,
}

/// A fully validated and laid-out figure, ready to draw.
pub(crate) struct Scene<'a> {
    fig: &'a Figure,
    st: Style,
    panels: Vec<PPanel<'a>>,
}

impl<'a> Scene<'a> {
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
            panels.push(Scene::prepare_panel(pi, p, pi / cols, pi % cols)?);
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
        Scene::resolve_ranges(fig, &mut panels, cols)?;
        let mut scene = Scene { fig, st, panels };
        scene.layout(rows, cols);
        Ok(scene)
    }

    fn prepare_panel(
        pi: usize,
        p: &'a Panel,
        row: usize,
        col: usize,
    ) -> Result<PPanel<'a>, PlotError> {
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
            frame: Frame::default(),
            xt: Ticks::default(),
            yt: Ticks::default(),
            cbt: Ticks::default(),
            ylabel_x: 0.0,
        })
    }

    fn resolve_ranges(
        fig: &Figure,
        panels: &mut [PPanel<'a>],
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

    // ----------------------------------------------------------- layout ----

    fn ticks_for(&self, p: &PPanel<'_>, w: f64, h: f64) -> (Ticks, Ticks, Ticks) {
        let st = &self.st;
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

    fn legend_size(&self, p: &PPanel<'_>) -> (f64, f64) {
        if p.legend.is_empty() {
            return (0.0, 0.0);
        }
        let fs = self.st.legend;
        let label_w = p
            .legend
            .iter()
            .map(|e| text_w(&e.label, fs))
            .fold(0.0, f64::max);
        let n = p.legend.len() as f64;
        let w = 2.0 * 0.4 * fs + 2.0 * fs + 0.8 * fs + label_w;
        let h = 2.0 * 0.4 * fs + n * fs + (n - 1.0) * 0.5 * fs;
        (w, h)
    }

    fn deco(&self, p: &PPanel<'_>, w: f64, h: f64) -> (Deco, f64) {
        let st = &self.st;
        let mut d = Deco::default();
        if let Some(t) = &p.src.title
            && !t.is_empty()
        {
            d.top = st.title_pad + text_h(st.title);
        }
        if p.src.axes_hidden {
            return (d, 0.0);
        }
        let (xt, yt, cbt) = self.ticks_for(p, w, h);
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
        if p.src.legend == Legend::OutsideRight && !p.legend.is_empty() {
            d.right += 0.5 * st.legend + self.legend_size(p).0;
        }
        (d, yt.max_w)
    }

    fn layout(&mut self, rows: usize, cols: usize) {
        let st = self.st;
        let (fw, fh) = (f64::from(self.fig.width), f64::from(self.fig.height));
        let sup_h = match &self.fig.title {
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
            for p in &self.panels {
                let (d, yw) = self.deco(p, pw, ph);
                left[p.col] = left[p.col].max(d.left);
                right[p.col] = right[p.col].max(d.right);
                ytick_w[p.col] = ytick_w[p.col].max(yw);
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
        let mut frames = Vec::with_capacity(self.panels.len());
        for p in &self.panels {
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
            frames.push(Frame {
                bx: x0,
                by: y0,
                bw: (x1 - x0).max(1.0),
                bh: (y1 - y0).max(1.0),
                x0: p.x.0,
                x1: p.x.1,
                y0: p.y.0,
                y1: p.y.1,
            });
        }
        for (i, frame) in frames.into_iter().enumerate() {
            let (xt, yt, cbt) = self.ticks_for(&self.panels[i], frame.bw, frame.bh);
            let p = &mut self.panels[i];
            p.ylabel_x = if p.src.ticks_hidden {
                frame.bx - st.label_pad
            } else {
                frame.bx - st.tick_len - st.tick_pad - ytick_w[p.col].max(yt.max_w) - st.label_pad
            };
            p.frame = frame;
            p.xt = xt;
            p.yt = yt;
            p.cbt = cbt;
        }
    }

    // ------------------------------------------------------------ output ----

    pub(crate) fn to_svg(&self) -> Result<String, PlotError> {
        let mut c = SvgCanvas::new(
            self.fig.width,
            self.fig.height,
            self.fig
                .title
                .as_deref()
                .or_else(|| self.panels.iter().find_map(|p| p.src.title.as_deref())),
        );
        self.draw(&mut c)?;
        Ok(c.finish())
    }

    pub(crate) fn to_png(&self) -> Result<Vec<u8>, PlotError> {
        let mut c = RasterCanvas::new(self.fig.width, self.fig.height, self.fig.png_scale)?;
        self.draw(&mut c)?;
        c.into_png()
    }

    fn draw(&self, c: &mut dyn Canvas) -> Result<(), PlotError> {
        let st = &self.st;
        if let Some(t) = &self.fig.title {
            let (x, size) = self.fit_title(t, f64::from(self.fig.width) / 2.0, st.suptitle);
            c.text(&TextItem {
                text: t,
                x,
                y: st.pad,
                size,
                color: TEXT_COLOR,
                halign: HAlign::Center,
                valign: VAlign::Top,
                vertical: false,
            });
        }
        for p in &self.panels {
            self.draw_panel(p, c)?;
        }
        Ok(())
    }

    fn draw_panel(&self, p: &PPanel<'_>, c: &mut dyn Canvas) -> Result<(), PlotError> {
        let st = &self.st;
        let fr = &p.frame;
        let hidden = p.src.axes_hidden;
        if p.src.grid && !hidden {
            let grid = Stroke::solid(GRID_COLOR, 1.0);
            let mut segs = Vec::new();
            for &v in &p.xt.values {
                let x = snap(fr.px(v), 1.0);
                segs.push(((x, fr.by), (x, fr.bottom())));
            }
            for &v in &p.yt.values {
                let y = snap(fr.py(v), 1.0);
                segs.push(((fr.bx, y), (fr.right(), y)));
            }
            c.shape(&Shape::Segments(segs), None, Some(&grid));
        }
        c.clip_begin(fr.bx, fr.by, fr.bw, fr.bh);
        for layer in &p.layers {
            self.draw_layer(layer, fr, c)?;
        }
        c.clip_end();
        for layer in &p.layers {
            if let PLayer::Text(t) = layer {
                self.draw_text_box(t, fr, c);
            }
        }
        if !hidden {
            self.draw_axes(p, c);
        }
        if let Some(t) = &p.src.title {
            let (x, size) = self.fit_title(t, fr.bx + fr.bw / 2.0, st.title);
            c.text(&TextItem {
                text: t,
                x,
                y: fr.by - st.title_pad,
                size,
                color: TEXT_COLOR,
                halign: HAlign::Center,
                valign: VAlign::Bottom,
                vertical: false,
            });
        }
        if let Some(cb) = &p.colorbar
            && !hidden
        {
            self.draw_colorbar(p, cb, c)?;
        }
        if !p.legend.is_empty() {
            self.draw_legend(p, c);
        }
        Ok(())
    }

    /// Centre and font size for a title centred at `x`, kept inside the
    /// figure: shifted sideways if needed, and shrunk (to at most 60 %) if
    /// it is wider than the figure.
    fn fit_title(&self, text: &str, x: f64, size: f64) -> (f64, f64) {
        let (lo, hi) = (
            self.st.pad / 2.0,
            f64::from(self.fig.width) - self.st.pad / 2.0,
        );
        let avail = hi - lo;
        let mut size = size;
        let w = text_w(text, size);
        if w > avail {
            size = (size * avail / w).max(size * 0.6);
        }
        let half = text_w(text, size) / 2.0;
        let x = if 2.0 * half >= avail {
            (lo + hi) / 2.0
        } else {
            x.clamp(lo + half, hi - half)
        };
        (x, size)
    }

    fn draw_axes(&self, p: &PPanel<'_>, c: &mut dyn Canvas) {
        let st = &self.st;
        let fr = &p.frame;
        let black = Stroke::solid(Color::BLACK, SPINE_WIDTH);
        c.shape(&Shape::Rect(fr.bx, fr.by, fr.bw, fr.bh), None, Some(&black));
        let mut segs = Vec::new();
        for &v in &p.xt.values {
            let x = snap(fr.px(v), SPINE_WIDTH);
            segs.push(((x, fr.bottom()), (x, fr.bottom() + st.tick_len)));
        }
        for &v in &p.yt.values {
            let y = snap(fr.py(v), SPINE_WIDTH);
            segs.push(((fr.bx - st.tick_len, y), (fr.bx, y)));
        }
        c.shape(&Shape::Segments(segs), None, Some(&black));
        let (label_y, xlabel_y) = if p.src.ticks_hidden {
            (fr.bottom(), fr.bottom() + st.label_pad)
        } else {
            let y = fr.bottom() + st.tick_len + st.tick_pad;
            (y, y + text_h(st.tick) + st.label_pad)
        };
        if p.show_x_labels {
            for (v, l) in p.xt.values.iter().zip(&p.xt.labels) {
                c.text(&TextItem {
                    text: l,
                    x: fr.px(*v),
                    y: label_y,
                    size: st.tick,
                    color: TEXT_COLOR,
                    halign: HAlign::Center,
                    valign: VAlign::Top,
                    vertical: false,
                });
            }
            if let Some(xl) = &p.src.xlabel {
                c.text(&TextItem {
                    text: xl,
                    x: fr.bx + fr.bw / 2.0,
                    y: xlabel_y,
                    size: st.label,
                    color: TEXT_COLOR,
                    halign: HAlign::Center,
                    valign: VAlign::Top,
                    vertical: false,
                });
            }
        }
        for (v, l) in p.yt.values.iter().zip(&p.yt.labels) {
            c.text(&TextItem {
                text: l,
                x: fr.bx - st.tick_len - st.tick_pad,
                y: fr.py(*v),
                size: st.tick,
                color: TEXT_COLOR,
                halign: HAlign::Right,
                valign: VAlign::Center,
                vertical: false,
            });
        }
        if let Some(yl) = &p.src.ylabel {
            c.text(&TextItem {
                text: yl,
                x: p.ylabel_x,
                y: fr.by + fr.bh / 2.0,
                size: st.label,
                color: TEXT_COLOR,
                halign: HAlign::Center,
                valign: VAlign::Bottom,
                vertical: true,
            });
        }
    }

    fn draw_layer(
        &self,
        layer: &PLayer<'_>,
        fr: &Frame,
        c: &mut dyn Canvas,
    ) -> Result<(), PlotError> {
        match layer {
            PLayer::Line { src, pts, color } => {
                let px: Vec<Pt> = pts.iter().map(|p| fr.pt(*p)).collect();
                if src.width > 0.0 && px.len() > 1 {
                    let stroke = Stroke {
                        color: *color,
                        opacity: src.alpha,
                        width: src.width,
                        dash: src.style.dashes(src.width),
                        round: src.style == LineStyle::Solid,
                    };
                    c.shape(&Shape::Polyline(px.clone()), None, Some(&stroke));
                }
                if let Some(m) = src.marker {
                    for p in &px {
                        draw_marker(c, m, *p, src.marker_size, *color, src.alpha);
                    }
                }
            }
            PLayer::Stem { src, pts, color } => {
                let base = fr.py(src.baseline);
                let mut xs: Vec<f64> = pts.iter().map(|p| fr.px(p.0)).collect();
                let segs: Vec<(Pt, Pt)> = pts
                    .iter()
                    .map(|p| {
                        let x = snap(fr.px(p.0), src.width);
                        ((x, base), (x, fr.py(p.1)))
                    })
                    .collect();
                if src.width > 0.0 {
                    c.shape(
                        &Shape::Segments(segs),
                        None,
                        Some(&Stroke::solid(*color, src.width)),
                    );
                }
                xs.sort_by(f64::total_cmp);
                let (xmin, xmax) = (xs[0], xs[xs.len() - 1]);
                let bl = snap(base, 2.0);
                c.shape(
                    &Shape::Polyline(vec![(xmin, bl), (xmax, bl)]),
                    None,
                    Some(&Stroke::solid(src.baseline_color, 2.0)),
                );
                if let Some(m) = src.marker {
                    let size = src.marker_size.unwrap_or_else(|| {
                        let spacing = xs
                            .windows(2)
                            .map(|w| w[1] - w[0])
                            .filter(|d| *d > 1e-9)
                            .fold(f64::INFINITY, f64::min);
                        (0.9 * spacing).clamp(3.0, 8.0)
                    });
                    for p in pts {
                        draw_marker(
                            c,
                            m,
                            (snap(fr.px(p.0), src.width), fr.py(p.1)),
                            size,
                            *color,
                            1.0,
                        );
                    }
                }
            }
            PLayer::Hist { src, counts, color } => {
                let y0 = fr.py(0.0).round();
                for (w, &n) in counts.edges.windows(2).zip(&counts.counts) {
                    if n <= 0.0 {
                        continue;
                    }
                    let (xa, xb) = (fr.px(w[0]).round(), fr.px(w[1]).round());
                    let yt = fr.py(n).round();
                    let (x, width) = (xa.min(xb), (xb - xa).abs());
                    let (y, height) = (yt.min(y0), (y0 - yt).abs());
                    if width <= 0.0 || height <= 0.0 {
                        continue;
                    }
                    let edge = src.edge.map(|e| Stroke::solid(e, 1.0));
                    c.shape(
                        &Shape::Rect(x, y, width, height),
                        Some(Fill {
                            color: *color,
                            opacity: src.alpha,
                        }),
                        edge.as_ref(),
                    );
                }
            }
            PLayer::Curve {
                src, pieces, color, ..
            } => {
                let stroke = Stroke {
                    color: *color,
                    opacity: 1.0,
                    width: src.width,
                    dash: src.style.dashes(src.width),
                    round: src.style == LineStyle::Solid,
                };
                for piece in pieces {
                    let px: Vec<Pt> = piece.iter().map(|p| fr.pt(*p)).collect();
                    if px.len() > 1 && src.width > 0.0 {
                        c.shape(&Shape::Polyline(px), None, Some(&stroke));
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
                let stroke = Stroke {
                    color: h.color,
                    opacity: 1.0,
                    width: h.width,
                    dash: h.style.dashes(h.width),
                    round: false,
                };
                c.shape(
                    &Shape::Polyline(vec![(fr.bx, y), (fr.right(), y)]),
                    None,
                    Some(&stroke),
                );
            }
            PLayer::VLine(v) => {
                let x = fr.px(v.value);
                let x = if v.style == LineStyle::Solid {
                    snap(x, v.width)
                } else {
                    x
                };
                let stroke = Stroke {
                    color: v.color,
                    opacity: 1.0,
                    width: v.width,
                    dash: v.style.dashes(v.width),
                    round: false,
                };
                // Dashes start at the bottom, like matplotlib.
                c.shape(
                    &Shape::Polyline(vec![(x, fr.bottom()), (x, fr.by)]),
                    None,
                    Some(&stroke),
                );
            }
            PLayer::Image { src, bitmap, .. } => {
                let xa = fr.px(-0.5);
                let xb = fr.px(src.cols as f64 - 0.5);
                let ya = fr.py(-0.5);
                let yb = fr.py(src.rows as f64 - 0.5);
                let flipped;
                let bm = if xa > xb || ya > yb {
                    flipped = flip(bitmap, xa > xb, ya > yb);
                    &flipped
                } else {
                    bitmap
                };
                c.bitmap(bm, xa.min(xb), ya.min(yb), (xb - xa).abs(), (yb - ya).abs())?;
            }
            PLayer::Text(_) => {}
        }
        Ok(())
    }

    /// Box `(x, y, w, h)` of a text layer in figure pixels; `None` if it has no text.
    fn text_box_rect(&self, t: &Text, fr: &Frame) -> Option<(f64, f64, f64, f64)> {
        let lines: Vec<&str> = t.content.lines().collect();
        if lines.is_empty() {
            return None;
        }
        let size = t.font_size.unwrap_or(self.st.tick);
        let tw = lines.iter().map(|l| text_w(l, size)).fold(0.0, f64::max);
        let th = (lines.len() - 1) as f64 * TEXT_LINE_SPACING * size + text_h(size);
        let pad = TEXT_BOX_PAD * size;
        let (bw, bh) = (tw + 2.0 * pad, th + 2.0 * pad);
        let ax = fr.bx + t.at.0 * fr.bw;
        let ay = fr.by + (1.0 - t.at.1) * fr.bh;
        let x = match t.halign {
            HAlign::Left => ax,
            HAlign::Center => ax - bw / 2.0,
            HAlign::Right => ax - bw,
        };
        let y = match t.valign {
            VAlign::Top => ay,
            VAlign::Center => ay - bh / 2.0,
            VAlign::Bottom => ay - bh,
        };
        Some((x, y, bw, bh))
    }

    fn draw_text_box(&self, t: &Text, fr: &Frame, c: &mut dyn Canvas) {
        let Some((x, y, bw, bh)) = self.text_box_rect(t, fr) else {
            return;
        };
        let lines: Vec<&str> = t.content.lines().collect();
        let size = t.font_size.unwrap_or(self.st.tick);
        let line_h = TEXT_LINE_SPACING * size;
        let pad = TEXT_BOX_PAD * size;
        if t.boxed {
            c.shape(
                &Shape::RoundRect(
                    x.round() + 0.5,
                    y.round() + 0.5,
                    bw.round(),
                    bh.round(),
                    0.3 * size,
                ),
                Some(Fill {
                    color: Color::WHITE,
                    opacity: 0.9,
                }),
                Some(&Stroke::solid(TEXTBOX_EDGE, 1.0)),
            );
        }
        for (i, l) in lines.iter().enumerate() {
            c.text(&TextItem {
                text: l,
                x: x + pad,
                y: y + pad + i as f64 * line_h,
                size,
                color: TEXT_COLOR,
                halign: HAlign::Left,
                valign: VAlign::Top,
                vertical: false,
            });
        }
    }

    fn draw_colorbar(
        &self,
        p: &PPanel<'_>,
        cb: &ColorbarInfo,
        c: &mut dyn Canvas,
    ) -> Result<(), PlotError> {
        let st = &self.st;
        let fr = &p.frame;
        let x = snap(fr.right() + st.colorbar_pad, 1.0);
        let w = st.colorbar_width.round();
        let (y, h) = (fr.by, fr.bh);
        const STEPS: usize = 256;
        let mut rgb = Vec::with_capacity(STEPS * 3);
        for i in 0..STEPS {
            let t = 1.0 - (i as f64 + 0.5) / STEPS as f64;
            let col = cb.cmap.sample(t);
            rgb.extend_from_slice(&[col.r, col.g, col.b]);
        }
        c.bitmap(
            &Bitmap {
                width: 1,
                height: STEPS,
                rgb,
            },
            x,
            y,
            w,
            h,
        )?;
        let black = Stroke::solid(Color::BLACK, SPINE_WIDTH);
        c.shape(&Shape::Rect(x, y, w, h), None, Some(&black));
        let span = cb.vmax - cb.vmin;
        let to_y = |v: f64| {
            if span == 0.0 {
                y + h / 2.0
            } else {
                y + h - (v - cb.vmin) / span * h
            }
        };
        let right = x + w;
        let segs: Vec<(Pt, Pt)> = p
            .cbt
            .values
            .iter()
            .map(|v| {
                let ty = snap(to_y(*v), SPINE_WIDTH);
                ((right, ty), (right + st.tick_len, ty))
            })
            .collect();
        c.shape(&Shape::Segments(segs), None, Some(&black));
        for (v, l) in p.cbt.values.iter().zip(&p.cbt.labels) {
            c.text(&TextItem {
                text: l,
                x: right + st.tick_len + st.tick_pad,
                y: to_y(*v),
                size: st.tick,
                color: TEXT_COLOR,
                halign: HAlign::Left,
                valign: VAlign::Center,
                vertical: false,
            });
        }
        if let Some(label) = &cb.label {
            c.text(&TextItem {
                text: label,
                x: right + st.tick_len + st.tick_pad + p.cbt.max_w + st.label_pad,
                y: y + h / 2.0,
                size: st.label,
                color: TEXT_COLOR,
                halign: HAlign::Center,
                valign: VAlign::Top,
                vertical: true,
            });
        }
        Ok(())
    }

    fn legend_origin(&self, p: &PPanel<'_>, w: f64, h: f64) -> Pt {
        let fr = &p.frame;
        let pad = 0.5 * self.st.legend;
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
                    x += self.colorbar_width_total(p);
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
                    let score = self.overlap_score(p, (cand.0, cand.1, w, h));
                    if score < best_score {
                        best_score = score;
                        best = cand;
                    }
                }
                best
            }
        }
    }

    /// Horizontal space taken by a colorbar right of the axes.
    fn colorbar_width_total(&self, p: &PPanel<'_>) -> f64 {
        let st = &self.st;
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

    /// How many data points and segments a legend box at `rect` would hide.
    fn overlap_score(&self, p: &PPanel<'_>, rect: (f64, f64, f64, f64)) -> usize {
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
                    if let Some((x, y, w, h)) = self.text_box_rect(t, fr)
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

    fn draw_legend(&self, p: &PPanel<'_>, c: &mut dyn Canvas) {
        let fs = self.st.legend;
        let (w, h) = self.legend_size(p);
        let (x, y) = self.legend_origin(p, w, h);
        let (x, y) = (x.round() + 0.5, y.round() + 0.5);
        c.shape(
            &Shape::RoundRect(x, y, w.round(), h.round(), 0.25 * fs),
            Some(Fill {
                color: Color::WHITE,
                opacity: 0.85,
            }),
            Some(&Stroke::solid(LEGEND_EDGE, 1.0)),
        );
        let border = 0.4 * fs;
        let handle_len = 2.0 * fs;
        for (i, e) in p.legend.iter().enumerate() {
            let cy = y + border + i as f64 * 1.5 * fs + fs / 2.0;
            let hx = x + border;
            match &e.handle {
                Handle::Line {
                    stroke,
                    marker,
                    color,
                } => {
                    if let Some(s) = stroke {
                        c.shape(
                            &Shape::Polyline(vec![(hx, cy), (hx + handle_len, cy)]),
                            None,
                            Some(s),
                        );
                    }
                    if let Some((m, size)) = marker {
                        let opacity = stroke.as_ref().map_or(1.0, |s| s.opacity);
                        draw_marker(c, *m, (hx + handle_len / 2.0, cy), *size, *color, opacity);
                    }
                }
                Handle::Patch { color, alpha } => {
                    let ph = 0.7 * fs;
                    c.shape(
                        &Shape::Rect(hx, cy - ph / 2.0, handle_len, ph),
                        Some(Fill {
                            color: *color,
                            opacity: *alpha,
                        }),
                        None,
                    );
                }
                Handle::Stem { color, marker } => {
                    let mx = snap(hx + handle_len / 2.0, 2.0);
                    c.shape(
                        &Shape::Polyline(vec![(mx, cy + fs / 2.0), (mx, cy)]),
                        None,
                        Some(&Stroke::solid(*color, 2.0)),
                    );
                    if let Some(m) = marker {
                        draw_marker(c, *m, (mx, cy), 7.0, *color, 1.0);
                    }
                }
            }
            c.text(&TextItem {
                text: &e.label,
                x: hx + handle_len + 0.8 * fs,
                y: cy,
                size: fs,
                color: TEXT_COLOR,
                halign: HAlign::Left,
                valign: VAlign::Center,
                vertical: false,
            });
        }
    }
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

fn flip(b: &Bitmap, horizontal: bool, vertical: bool) -> Bitmap {
    let mut rgb = Vec::with_capacity(b.rgb.len());
    for r in 0..b.height {
        let sr = if vertical { b.height - 1 - r } else { r };
        for col in 0..b.width {
            let sc = if horizontal { b.width - 1 - col } else { col };
            let i = 3 * (sr * b.width + sc);
            rgb.extend_from_slice(&b.rgb[i..i + 3]);
        }
    }
    Bitmap {
        width: b.width,
        height: b.height,
        rgb,
    }
}

fn draw_marker(c: &mut dyn Canvas, m: Marker, (x, y): Pt, size: f64, color: Color, alpha: f64) {
    let r = size / 2.0;
    let fill = Some(Fill {
        color,
        opacity: alpha,
    });
    match m {
        Marker::Circle => c.shape(&Shape::Circle(x, y, r), fill, None),
        Marker::Square => {
            let s = 0.85 * size;
            c.shape(&Shape::Rect(x - s / 2.0, y - s / 2.0, s, s), fill, None);
        }
        Marker::Triangle => c.shape(
            &Shape::Polygon(vec![
                (x, y - r * 1.1),
                (x + r, y + r * 0.75),
                (x - r, y + r * 0.75),
            ]),
            fill,
            None,
        ),
        Marker::Diamond => c.shape(
            &Shape::Polygon(vec![
                (x, y - r),
                (x + 0.7 * r, y),
                (x, y + r),
                (x - 0.7 * r, y),
            ]),
            fill,
            None,
        ),
        Marker::Cross | Marker::Plus => {
            let segs = if m == Marker::Cross {
                let d = r * 0.75;
                vec![
                    ((x - d, y - d), (x + d, y + d)),
                    ((x - d, y + d), (x + d, y - d)),
                ]
            } else {
                vec![((x - r, y), (x + r, y)), ((x, y - r), (x, y + r))]
            };
            let stroke = Stroke {
                color,
                opacity: alpha,
                width: (size / 5.0).max(1.0),
                dash: None,
                round: false,
            };
            c.shape(&Shape::Segments(segs), None, Some(&stroke));
        }
    }
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
