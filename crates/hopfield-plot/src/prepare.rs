//! Validation of figure data and the prepared (checked, derived) form of
//! each layer: points, histogram bins, reduced and colour-mapped images,
//! data bounds and legend entries.

use crate::bins::HistogramCounts;
use crate::canvas::{Bitmap, Stroke};
use crate::check::{check, check_alpha, check_finite, check_range, check_width};
use crate::color::Color;
use crate::error::PlotError;
use crate::geom::Pt;
use crate::layers::{
    Curve, HLine, Histogram, Image, Layer, Line, LineStyle, Marker, Stem, Text, VLine,
    block_average,
};

// ------------------------------------------------------------ validation ----

fn layer_context(pi: usize, li: usize, layer: &Layer) -> String {
    match layer.label() {
        Some(l) => format!("panel {pi}, layer {li} ({} {l:?})", layer.kind()),
        None => format!("panel {pi}, layer {li} ({})", layer.kind()),
    }
}

/// Validated points of an x/y series.
fn points(context: &str, x: Option<&[f64]>, y: &[f64]) -> Result<Vec<Pt>, PlotError> {
    if let Some(x) = x {
        if x.len() != y.len() {
            return Err(PlotError::LengthMismatch {
                context: context.to_string(),
                x_len: x.len(),
                y_len: y.len(),
            });
        }
        check_finite(&format!("{context}, x values"), x)?;
    }
    if y.is_empty() {
        return Err(PlotError::EmptyData {
            context: context.to_string(),
        });
    }
    check_finite(&format!("{context}, y values"), y)?;
    Ok(match x {
        Some(x) => x.iter().copied().zip(y.iter().copied()).collect(),
        None => y.iter().enumerate().map(|(i, v)| (i as f64, *v)).collect(),
    })
}

// --------------------------------------------------------- prepared data ----

/// A validated layer with resolved colour and derived data (in data units).
pub(crate) enum PLayer<'a> {
    Line {
        src: &'a Line,
        pts: Vec<Pt>,
        color: Color,
    },
    Stem {
        src: &'a Stem,
        pts: Vec<Pt>,
        color: Color,
    },
    Hist {
        src: &'a Histogram,
        counts: HistogramCounts,
        color: Color,
    },
    Curve {
        src: &'a Curve,
        pieces: Vec<Vec<Pt>>,
        color: Color,
        context: String,
    },
    HLine(&'a HLine),
    VLine(&'a VLine),
    Image {
        src: &'a Image,
        bitmap: Bitmap,
        vmin: f64,
        vmax: f64,
    },
    Text(&'a Text),
}

/// Data extent along one axis, with "sticky" values that margins must not cross.
#[derive(Clone, Debug)]
pub(crate) struct Bounds {
    pub(crate) lo: f64,
    pub(crate) hi: f64,
    pub(crate) sticky: Vec<f64>,
}

impl Default for Bounds {
    fn default() -> Bounds {
        Bounds {
            lo: f64::INFINITY,
            hi: f64::NEG_INFINITY,
            sticky: Vec::new(),
        }
    }
}

impl Bounds {
    pub(crate) fn add(&mut self, v: f64) {
        self.lo = self.lo.min(v);
        self.hi = self.hi.max(v);
    }

    pub(crate) fn merge(&mut self, other: &Bounds) {
        self.lo = self.lo.min(other.lo);
        self.hi = self.hi.max(other.hi);
        self.sticky.extend_from_slice(&other.sticky);
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.lo > self.hi
    }

    /// The automatic range: extent plus 5 % margins, stopping at sticky values.
    pub(crate) fn resolve(&self, context: &str, axis: &str) -> Result<(f64, f64), PlotError> {
        if self.is_empty() {
            return Err(PlotError::invalid(
                context,
                format!("no layer determines the {axis} range; set it with Panel::{axis}_range"),
            ));
        }
        let (lo, hi) = (self.lo, self.hi);
        if lo == hi {
            let d = if lo == 0.0 { 0.5 } else { lo.abs() * 0.1 };
            return Ok((lo - d, hi + d));
        }
        let m = 0.05 * (hi - lo);
        let (mut a, mut b) = (lo - m, hi + m);
        for &s in &self.sticky {
            if s <= lo && s > a {
                a = s;
            }
            if s >= hi && s < b {
                b = s;
            }
        }
        Ok((a, b))
    }
}

/// Legend handle kinds.
#[derive(Clone, Debug)]
pub(crate) enum Handle {
    Line {
        stroke: Option<Stroke>,
        marker: Option<(Marker, f64)>,
        color: Color,
    },
    Patch {
        color: Color,
        alpha: f64,
    },
    Stem {
        color: Color,
        marker: Option<Marker>,
    },
}

#[derive(Clone, Debug)]
pub(crate) struct LegendEntry {
    pub(crate) label: String,
    pub(crate) handle: Handle,
}

pub(crate) fn prepare_layer<'a>(
    pi: usize,
    li: usize,
    layer: &'a Layer,
    next_color: &mut usize,
) -> Result<PLayer<'a>, PlotError> {
    let ctx = layer_context(pi, li, layer);
    let mut cycle = |c: Option<Color>| {
        c.unwrap_or_else(|| {
            let color = Color::cycle(*next_color);
            *next_color += 1;
            color
        })
    };
    Ok(match layer {
        Layer::Line(l) => {
            check_width(&ctx, "line width", l.width)?;
            check_width(&ctx, "marker size", l.marker_size)?;
            check_alpha(&ctx, l.alpha)?;
            let pts = points(&ctx, l.x.as_deref(), &l.y)?;
            PLayer::Line {
                src: l,
                pts,
                color: cycle(l.color),
            }
        }
        Layer::Stem(s) => {
            check_width(&ctx, "stem width", s.width)?;
            if let Some(m) = s.marker_size {
                check_width(&ctx, "marker size", m)?;
            }
            check(&ctx, s.baseline.is_finite(), || {
                format!("baseline {} must be finite", s.baseline)
            })?;
            let pts = points(&ctx, s.x.as_deref(), &s.y)?;
            PLayer::Stem {
                src: s,
                pts,
                color: cycle(s.color),
            }
        }
        Layer::Histogram(h) => {
            check_alpha(&ctx, h.alpha)?;
            let counts = h.counts_in(&ctx)?;
            PLayer::Hist {
                src: h,
                counts,
                color: cycle(h.color),
            }
        }
        Layer::Curve(c) => {
            if let Some(msg) = &c.invalid {
                return Err(PlotError::invalid(&ctx, msg.clone()));
            }
            check_width(&ctx, "line width", c.width)?;
            check(&ctx, (2..=1_000_000).contains(&c.samples), || {
                format!("{} samples; need 2..=1000000", c.samples)
            })?;
            check_range(&ctx, "domain", c.domain)?;
            PLayer::Curve {
                src: c,
                pieces: Vec::new(),
                color: cycle(c.color),
                context: ctx,
            }
        }
        Layer::HLine(h) => {
            check_finite(&ctx, &[h.value])?;
            check_width(&ctx, "line width", h.width)?;
            PLayer::HLine(h)
        }
        Layer::VLine(v) => {
            check_finite(&ctx, &[v.value])?;
            check_width(&ctx, "line width", v.width)?;
            PLayer::VLine(v)
        }
        Layer::Image(img) => prepare_image(&ctx, img)?,
        Layer::Text(t) => {
            check(&ctx, t.at.0.is_finite() && t.at.1.is_finite(), || {
                format!("position {:?} must be finite", t.at)
            })?;
            if let Some(s) = t.font_size {
                check(&ctx, s > 0.0 && s <= 500.0, || {
                    format!("font size {s} must be in (0, 500]")
                })?;
            }
            PLayer::Text(t)
        }
    })
}

fn prepare_image<'a>(ctx: &str, img: &'a Image) -> Result<PLayer<'a>, PlotError> {
    if img.rows == 0 || img.cols == 0 {
        return Err(PlotError::EmptyData {
            context: ctx.to_string(),
        });
    }
    let expected = img.grid_rows.saturating_mul(img.grid_cols);
    if img.data.len() != expected {
        return Err(PlotError::ImageShape {
            context: ctx.to_string(),
            rows: img.grid_rows,
            cols: img.grid_cols,
            expected,
            actual: img.data.len(),
        });
    }
    if let Some((index, value)) = img.non_finite {
        return Err(PlotError::NonFinite {
            context: ctx.to_string(),
            index,
            value,
        });
    }
    check_finite(ctx, &img.data)?;
    let (mr, mc) = img.max_resolution;
    check(ctx, mr >= 1 && mc >= 1, || {
        format!("maximum resolution {mr}×{mc} must be at least 1×1")
    })?;
    check_range(ctx, "value range", img.range)?;
    let (out_r, out_c) = (img.grid_rows.min(mr), img.grid_cols.min(mc));
    let reduced;
    let grid: &[f64] = if (out_r, out_c) == (img.grid_rows, img.grid_cols) {
        &img.data
    } else {
        let gc = img.grid_cols;
        reduced = block_average(img.grid_rows, gc, out_r, out_c, |r, c| img.data[r * gc + c]);
        &reduced
    };
    let (vmin, vmax) = match img.range {
        Some(r) => r,
        None if img.symmetric => {
            let m = grid.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            if m > 0.0 { (-m, m) } else { (-1.0, 1.0) }
        }
        None => (
            grid.iter().copied().fold(f64::INFINITY, f64::min),
            grid.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        ),
    };
    let mut rgb = Vec::with_capacity(grid.len() * 3);
    for &v in grid {
        let t = if vmax != vmin {
            (v - vmin) / (vmax - vmin)
        } else {
            0.0
        };
        let c = img.colormap.sample(t);
        rgb.extend_from_slice(&[c.r, c.g, c.b]);
    }
    Ok(PLayer::Image {
        src: img,
        bitmap: Bitmap {
            width: out_c,
            height: out_r,
            rgb,
        },
        vmin,
        vmax,
    })
}

pub(crate) fn legend_entry(layer: &PLayer<'_>) -> Option<LegendEntry> {
    let line_stroke = |color: Color, width: f64, style: LineStyle, alpha: f64| {
        (width > 0.0).then(|| Stroke {
            color,
            opacity: alpha,
            width,
            dash: style.dashes(width),
            round: style == LineStyle::Solid,
        })
    };
    let (label, handle) = match layer {
        PLayer::Line { src, color, .. } => (
            src.label.as_deref()?,
            Handle::Line {
                stroke: line_stroke(*color, src.width, src.style, src.alpha),
                marker: src.marker.map(|m| (m, src.marker_size)),
                color: *color,
            },
        ),
        PLayer::Curve { src, color, .. } => (
            src.label.as_deref()?,
            Handle::Line {
                stroke: line_stroke(*color, src.width, src.style, 1.0),
                marker: None,
                color: *color,
            },
        ),
        PLayer::HLine(h) => (
            h.label.as_deref()?,
            Handle::Line {
                stroke: line_stroke(h.color, h.width, h.style, 1.0),
                marker: None,
                color: h.color,
            },
        ),
        PLayer::VLine(v) => (
            v.label.as_deref()?,
            Handle::Line {
                stroke: line_stroke(v.color, v.width, v.style, 1.0),
                marker: None,
                color: v.color,
            },
        ),
        PLayer::Stem { src, color, .. } => (
            src.label.as_deref()?,
            Handle::Stem {
                color: *color,
                marker: src.marker,
            },
        ),
        PLayer::Hist { src, color, .. } => (
            src.label.as_deref()?,
            Handle::Patch {
                color: *color,
                alpha: src.alpha,
            },
        ),
        PLayer::Image { .. } | PLayer::Text(_) => return None,
    };
    if label.is_empty() {
        return None;
    }
    Some(LegendEntry {
        label: label.to_string(),
        handle,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_margins_and_sticky() {
        let mut b = Bounds::default();
        b.add(0.0);
        b.add(10.0);
        assert_eq!(b.resolve("t", "x").unwrap(), (-0.5, 10.5));
        b.sticky.push(0.0);
        assert_eq!(b.resolve("t", "x").unwrap(), (0.0, 10.5));
        let mut one = Bounds::default();
        one.add(2.0);
        assert_eq!(one.resolve("t", "x").unwrap(), (1.8, 2.2));
        assert!(Bounds::default().resolve("t", "x").is_err());
    }
}
