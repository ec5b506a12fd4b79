//! Two drawing back ends with one interface: an SVG writer and a rasteriser
//! (tiny-skia, with text filled from the embedded font's outlines).

use std::fmt::Write as _;

use tiny_skia::{FillRule, Mask, Paint, PathBuilder, Pixmap, Transform};

use crate::color::Color;
use crate::encode::{base64, encode_rgb_png};
use crate::error::PlotError;
use crate::font::{OutlineCmd, SVG_FONT_FAMILY, font};
use crate::geom::{HAlign, Pt, VAlign};

/// A geometric shape in figure pixels.
#[derive(Clone, Debug)]
pub(crate) enum Shape {
    /// Open polyline.
    Polyline(Vec<Pt>),
    /// Closed polygon.
    Polygon(Vec<Pt>),
    /// Independent straight segments.
    Segments(Vec<(Pt, Pt)>),
    /// Axis-aligned rectangle `x, y, w, h`.
    Rect(f64, f64, f64, f64),
    /// Rounded rectangle `x, y, w, h, radius`.
    RoundRect(f64, f64, f64, f64, f64),
    /// Circle `cx, cy, r`.
    Circle(f64, f64, f64),
}

/// Stroke style.
#[derive(Clone, Debug)]
pub(crate) struct Stroke {
    pub(crate) color: Color,
    pub(crate) opacity: f64,
    pub(crate) width: f64,
    pub(crate) dash: Option<Vec<f64>>,
    /// Round caps and joins (data lines) instead of butt caps and miter joins.
    pub(crate) round: bool,
}

impl Stroke {
    pub(crate) fn solid(color: Color, width: f64) -> Stroke {
        Stroke {
            color,
            opacity: 1.0,
            width,
            dash: None,
            round: false,
        }
    }
}

/// Fill style.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fill {
    pub(crate) color: Color,
    pub(crate) opacity: f64,
}

/// A single line of text.
#[derive(Clone, Debug)]
pub(crate) struct TextItem<'a> {
    pub(crate) text: &'a str,
    /// Anchor point.
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) size: f64,
    pub(crate) color: Color,
    pub(crate) halign: HAlign,
    /// `Top`: the anchor is at cap height; `Center`: half cap height;
    /// `Bottom`: the anchor is at descender depth.
    pub(crate) valign: VAlign,
    /// Rotated 90° counter-clockwise (reads bottom to top).
    pub(crate) vertical: bool,
}

/// An RGB bitmap.
#[derive(Clone, Debug)]
pub(crate) struct Bitmap {
    pub(crate) width: usize,
    pub(crate) height: usize,
    pub(crate) rgb: Vec<u8>,
}

/// The drawing interface shared by both back ends.
pub(crate) trait Canvas {
    fn shape(&mut self, shape: &Shape, fill: Option<Fill>, stroke: Option<&Stroke>);
    fn text(&mut self, item: &TextItem<'_>);
    /// Draws `bitmap` stretched over the rectangle, nearest-neighbour.
    fn bitmap(&mut self, bitmap: &Bitmap, x: f64, y: f64, w: f64, h: f64) -> Result<(), PlotError>;
    fn clip_begin(&mut self, x: f64, y: f64, w: f64, h: f64);
    fn clip_end(&mut self);
}

/// Baseline start point and unit vectors (along text, towards descenders).
fn text_frame(item: &TextItem<'_>) -> (Pt, Pt, Pt, f64) {
    let f = font();
    let width = f.width(item.text, item.size);
    let (dir, down) = if item.vertical {
        ((0.0, -1.0), (1.0, 0.0))
    } else {
        ((1.0, 0.0), (0.0, 1.0))
    };
    let du = match item.halign {
        HAlign::Left => 0.0,
        HAlign::Center => -width / 2.0,
        HAlign::Right => -width,
    };
    let dv = match item.valign {
        VAlign::Top => f.cap_height * item.size,
        VAlign::Center => f.cap_height * item.size / 2.0,
        VAlign::Bottom => -f.descent * item.size,
    };
    // Baseline point at the anchor's horizontal position.
    let anchor = (item.x + dv * down.0, item.y + dv * down.1);
    let start = (anchor.0 + du * dir.0, anchor.1 + du * dir.1);
    (start, dir, down, width)
}

// ---------------------------------------------------------------- SVG ----

/// Formats a coordinate with at most two decimals, without trailing zeros.
pub(crate) fn num(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes SVG elements into a string.
pub(crate) struct SvgCanvas {
    out: String,
    clip_id: usize,
}

impl SvgCanvas {
    pub(crate) fn new(width: u32, height: u32, title: Option<&str>) -> SvgCanvas {
        let mut out = String::with_capacity(1 << 16);
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
        let _ = writeln!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" \
             version=\"1.1\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" \
             font-family=\"{SVG_FONT_FAMILY}\">"
        );
        if let Some(t) = title {
            let _ = writeln!(out, "<title>{}</title>", escape(t));
        }
        let _ = writeln!(
            out,
            "<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>"
        );
        SvgCanvas { out, clip_id: 0 }
    }

    pub(crate) fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }

    fn style(fill: Option<Fill>, stroke: Option<&Stroke>) -> String {
        let mut s = String::new();
        match fill {
            Some(f) => {
                let _ = write!(s, " fill=\"{}\"", f.color.to_hex());
                if f.opacity < 1.0 {
                    let _ = write!(s, " fill-opacity=\"{}\"", num(f.opacity));
                }
            }
            None => s.push_str(" fill=\"none\""),
        }
        if let Some(st) = stroke {
            let _ = write!(
                s,
                " stroke=\"{}\" stroke-width=\"{}\"",
                st.color.to_hex(),
                num(st.width)
            );
            if st.opacity < 1.0 {
                let _ = write!(s, " stroke-opacity=\"{}\"", num(st.opacity));
            }
            if st.round {
                s.push_str(" stroke-linecap=\"round\" stroke-linejoin=\"round\"");
            }
            if let Some(d) = &st.dash {
                let list: Vec<String> = d.iter().map(|v| num(*v)).collect();
                let _ = write!(s, " stroke-dasharray=\"{}\"", list.join(" "));
            }
        }
        s
    }
}

fn points_attr(pts: &[Pt]) -> String {
    let mut s = String::with_capacity(pts.len() * 12);
    for (i, (x, y)) in pts.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        let _ = write!(s, "{},{}", num(*x), num(*y));
    }
    s
}

impl Canvas for SvgCanvas {
    fn shape(&mut self, shape: &Shape, fill: Option<Fill>, stroke: Option<&Stroke>) {
        let style = Self::style(fill, stroke);
        let o = &mut self.out;
        let _ = match shape {
            Shape::Polyline(p) => writeln!(o, "<polyline points=\"{}\"{style}/>", points_attr(p)),
            Shape::Polygon(p) => writeln!(o, "<polygon points=\"{}\"{style}/>", points_attr(p)),
            Shape::Segments(segs) => {
                let mut d = String::with_capacity(segs.len() * 24);
                for (a, b) in segs {
                    let _ = write!(d, "M{} {}L{} {}", num(a.0), num(a.1), num(b.0), num(b.1));
                }
                writeln!(o, "<path d=\"{d}\"{style}/>")
            }
            Shape::Rect(x, y, w, h) => writeln!(
                o,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"{style}/>",
                num(*x),
                num(*y),
                num(*w),
                num(*h)
            ),
            Shape::RoundRect(x, y, w, h, r) => writeln!(
                o,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\"{style}/>",
                num(*x),
                num(*y),
                num(*w),
                num(*h),
                num(*r)
            ),
            Shape::Circle(x, y, r) => writeln!(
                o,
                "<circle cx=\"{}\" cy=\"{}\" r=\"{}\"{style}/>",
                num(*x),
                num(*y),
                num(*r)
            ),
        };
    }

    fn text(&mut self, item: &TextItem<'_>) {
        if item.text.is_empty() {
            return;
        }
        let (start, dir, _, width) = text_frame(item);
        // Anchor SVG text where our alignment put it, so a substitute font
        // with other widths stays aligned the same way.
        let (anchor, frac) = match item.halign {
            HAlign::Left => ("start", 0.0),
            HAlign::Center => ("middle", 0.5),
            HAlign::Right => ("end", 1.0),
        };
        let x = start.0 + dir.0 * width * frac;
        let y = start.1 + dir.1 * width * frac;
        let rotate = if item.vertical {
            format!(" transform=\"rotate(-90 {} {})\"", num(x), num(y))
        } else {
            String::new()
        };
        let _ = writeln!(
            self.out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"{}\" text-anchor=\"{anchor}\"{rotate}>{}</text>",
            num(x),
            num(y),
            num(item.size),
            item.color.to_hex(),
            escape(item.text)
        );
    }

    fn bitmap(&mut self, bitmap: &Bitmap, x: f64, y: f64, w: f64, h: f64) -> Result<(), PlotError> {
        let png = encode_rgb_png(bitmap.width as u32, bitmap.height as u32, &bitmap.rgb)?;
        let _ = writeln!(
            self.out,
            "<image x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" preserveAspectRatio=\"none\" \
             image-rendering=\"optimizeSpeed\" style=\"image-rendering:pixelated\" \
             xlink:href=\"data:image/png;base64,{}\"/>",
            num(x),
            num(y),
            num(w),
            num(h),
            base64(&png)
        );
        Ok(())
    }

    fn clip_begin(&mut self, x: f64, y: f64, w: f64, h: f64) {
        self.clip_id += 1;
        let id = self.clip_id;
        let _ = writeln!(
            self.out,
            "<clipPath id=\"clip{id}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath>\n<g clip-path=\"url(#clip{id})\">",
            num(x),
            num(y),
            num(w),
            num(h)
        );
    }

    fn clip_end(&mut self) {
        self.out.push_str("</g>\n");
    }
}

// ------------------------------------------------------------- raster ----

/// Rasterises into a tiny-skia pixmap at `scale` device pixels per figure pixel.
pub(crate) struct RasterCanvas {
    pixmap: Pixmap,
    scale: f64,
    clip: Option<(Mask, (f64, f64, f64, f64))>,
}

fn paint(color: Color, opacity: f64) -> Paint<'static> {
    let mut p = Paint::default();
    let a = (opacity.clamp(0.0, 1.0) * 255.0).round() as u8;
    p.set_color_rgba8(color.r, color.g, color.b, a);
    p.anti_alias = true;
    p
}

fn shape_path(shape: &Shape) -> Option<tiny_skia::Path> {
    let mut pb = PathBuilder::new();
    let f = |v: f64| v as f32;
    match shape {
        Shape::Polyline(p) | Shape::Polygon(p) => {
            let mut it = p.iter();
            let first = it.next()?;
            pb.move_to(f(first.0), f(first.1));
            for q in it {
                pb.line_to(f(q.0), f(q.1));
            }
            if matches!(shape, Shape::Polygon(_)) {
                pb.close();
            }
        }
        Shape::Segments(segs) => {
            for (a, b) in segs {
                pb.move_to(f(a.0), f(a.1));
                pb.line_to(f(b.0), f(b.1));
            }
        }
        Shape::Rect(x, y, w, h) => {
            return tiny_skia::Rect::from_xywh(f(*x), f(*y), f(*w), f(*h))
                .map(PathBuilder::from_rect);
        }
        Shape::RoundRect(x, y, w, h, r) => {
            let (x, y, w, h) = (*x, *y, *w, *h);
            let r = r.min(w / 2.0).min(h / 2.0).max(0.0);
            // Quarter circles approximated by cubics (kappa = 0.5523).
            let k = r * (1.0 - 0.552_284_75);
            pb.move_to(f(x + r), f(y));
            pb.line_to(f(x + w - r), f(y));
            pb.cubic_to(f(x + w - k), f(y), f(x + w), f(y + k), f(x + w), f(y + r));
            pb.line_to(f(x + w), f(y + h - r));
            pb.cubic_to(
                f(x + w),
                f(y + h - k),
                f(x + w - k),
                f(y + h),
                f(x + w - r),
                f(y + h),
            );
            pb.line_to(f(x + r), f(y + h));
            pb.cubic_to(f(x + k), f(y + h), f(x), f(y + h - k), f(x), f(y + h - r));
            pb.line_to(f(x), f(y + r));
            pb.cubic_to(f(x), f(y + k), f(x + k), f(y), f(x + r), f(y));
            pb.close();
        }
        Shape::Circle(x, y, r) => pb.push_circle(f(*x), f(*y), f(*r)),
    }
    pb.finish()
}

impl RasterCanvas {
    pub(crate) fn new(width: u32, height: u32, scale: f64) -> Result<RasterCanvas, PlotError> {
        let w = (f64::from(width) * scale).round().max(1.0) as u32;
        let h = (f64::from(height) * scale).round().max(1.0) as u32;
        let mut pixmap = Pixmap::new(w, h).ok_or_else(|| {
            PlotError::invalid("figure", format!("cannot allocate a {w}×{h} PNG"))
        })?;
        pixmap.fill(tiny_skia::Color::WHITE);
        Ok(RasterCanvas {
            pixmap,
            scale,
            clip: None,
        })
    }

    fn transform(&self) -> Transform {
        Transform::from_scale(self.scale as f32, self.scale as f32)
    }

    /// PNG bytes of the (opaque) pixmap.
    pub(crate) fn into_png(self) -> Result<Vec<u8>, PlotError> {
        let (w, h) = (self.pixmap.width(), self.pixmap.height());
        let rgb: Vec<u8> = self
            .pixmap
            .data()
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        encode_rgb_png(w, h, &rgb)
    }
}

impl Canvas for RasterCanvas {
    fn shape(&mut self, shape: &Shape, fill: Option<Fill>, stroke: Option<&Stroke>) {
        let Some(path) = shape_path(shape) else {
            return;
        };
        let ts = self.transform();
        let mask = self.clip.as_ref().map(|c| &c.0);
        if let Some(f) = fill {
            self.pixmap.fill_path(
                &path,
                &paint(f.color, f.opacity),
                FillRule::Winding,
                ts,
                mask,
            );
        }
        if let Some(st) = stroke {
            if st.width <= 0.0 {
                return;
            }
            let mut sk = tiny_skia::Stroke {
                width: st.width as f32,
                ..Default::default()
            };
            if st.round {
                sk.line_cap = tiny_skia::LineCap::Round;
                sk.line_join = tiny_skia::LineJoin::Round;
            }
            if let Some(d) = &st.dash {
                sk.dash = tiny_skia::StrokeDash::new(d.iter().map(|v| *v as f32).collect(), 0.0);
            }
            self.pixmap
                .stroke_path(&path, &paint(st.color, st.opacity), &sk, ts, mask);
        }
    }

    fn text(&mut self, item: &TextItem<'_>) {
        let f = font();
        let (start, dir, down, _) = text_frame(item);
        let (glyphs, _) = f.layout(item.text);
        let size = item.size;
        let mut pb = PathBuilder::new();
        for g in &glyphs {
            let ox = start.0 + dir.0 * g.x * size;
            let oy = start.1 + dir.1 * g.x * size;
            // Font units (em, y up) -> figure pixels.
            let map = |x: f32, y: f32| -> (f32, f32) {
                let (x, y) = (f64::from(x) * size, f64::from(y) * size);
                (
                    (ox + x * dir.0 - y * down.0) as f32,
                    (oy + x * dir.1 - y * down.1) as f32,
                )
            };
            f.outline(g.id, &mut |cmd| match cmd {
                OutlineCmd::Move(x, y) => {
                    let (x, y) = map(x, y);
                    pb.move_to(x, y);
                }
                OutlineCmd::Line(x, y) => {
                    let (x, y) = map(x, y);
                    pb.line_to(x, y);
                }
                OutlineCmd::Quad(x1, y1, x, y) => {
                    let (x1, y1) = map(x1, y1);
                    let (x, y) = map(x, y);
                    pb.quad_to(x1, y1, x, y);
                }
                OutlineCmd::Cubic(x1, y1, x2, y2, x, y) => {
                    let (x1, y1) = map(x1, y1);
                    let (x2, y2) = map(x2, y2);
                    let (x, y) = map(x, y);
                    pb.cubic_to(x1, y1, x2, y2, x, y);
                }
                OutlineCmd::Close => pb.close(),
            });
        }
        if let Some(path) = pb.finish() {
            let ts = self.transform();
            let mask = self.clip.as_ref().map(|c| &c.0);
            self.pixmap
                .fill_path(&path, &paint(item.color, 1.0), FillRule::Winding, ts, mask);
        }
    }

    fn bitmap(&mut self, bitmap: &Bitmap, x: f64, y: f64, w: f64, h: f64) -> Result<(), PlotError> {
        if bitmap.width == 0 || bitmap.height == 0 || w <= 0.0 || h <= 0.0 {
            return Ok(());
        }
        let s = self.scale;
        let (mut x0, mut y0, mut x1, mut y1) = (x * s, y * s, (x + w) * s, (y + h) * s);
        if let Some((_, (cx, cy, cw, ch))) = self.clip {
            x0 = x0.max(cx * s);
            y0 = y0.max(cy * s);
            x1 = x1.min((cx + cw) * s);
            y1 = y1.min((cy + ch) * s);
        }
        let pw = self.pixmap.width() as usize;
        let ph = self.pixmap.height() as usize;
        // Device pixels whose centres fall inside the target rectangle.
        let first = |v: f64| (v - 0.5).ceil().max(0.0) as usize;
        let last = |v: f64, max: usize| ((v - 0.5).ceil().max(0.0) as usize).min(max);
        let (px0, px1) = (first(x0), last(x1, pw));
        let (py0, py1) = (first(y0), last(y1, ph));
        let data = self.pixmap.data_mut();
        for py in py0..py1 {
            let v = ((py as f64 + 0.5) / s - y) / h;
            let row = ((v * bitmap.height as f64) as usize).min(bitmap.height - 1);
            for px in px0..px1 {
                let u = ((px as f64 + 0.5) / s - x) / w;
                let col = ((u * bitmap.width as f64) as usize).min(bitmap.width - 1);
                let src = 3 * (row * bitmap.width + col);
                let dst = 4 * (py * pw + px);
                data[dst..dst + 3].copy_from_slice(&bitmap.rgb[src..src + 3]);
                data[dst + 3] = 255;
            }
        }
        Ok(())
    }

    fn clip_begin(&mut self, x: f64, y: f64, w: f64, h: f64) {
        let mut mask = match Mask::new(self.pixmap.width(), self.pixmap.height()) {
            Some(m) => m,
            None => return,
        };
        if let Some(rect) = tiny_skia::Rect::from_xywh(x as f32, y as f32, w as f32, h as f32) {
            let path = PathBuilder::from_rect(rect);
            mask.fill_path(&path, FillRule::Winding, false, self.transform());
        }
        self.clip = Some((mask, (x, y, w, h)));
    }

    fn clip_end(&mut self) {
        self.clip = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn num_formatting() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.256), "1.26");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(10.5), "10.5");
        assert_eq!(num(-3.10), "-3.1");
    }

    #[test]
    fn escaping() {
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
