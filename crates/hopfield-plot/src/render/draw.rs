//! Drawing a laid-out figure: titles, grid, data layers, axes, colorbars,
//! text boxes and legends, in that order.

use super::boxes::{draw_legend, draw_text_box};
use super::frame::Frame;
use super::layout::figure_title;
use super::marker::{draw_marker, stem_marker_size};
use super::panels::{ColorbarInfo, Content, PPanel};
use super::style::{GRID_COLOR, SPINE_WIDTH, Style, TEXT_COLOR, snap, text_h};
use crate::canvas::{Bitmap, Canvas, Fill, Shape, Stroke, TextItem};
use crate::color::Color;
use crate::error::PlotError;
use crate::figure::Figure;
use crate::geom::{HAlign, Pt, VAlign};
use crate::layers::LineStyle;
use crate::prepare::PLayer;

/// Draws the whole figure.
pub(super) fn draw(
    fig: &Figure,
    st: &Style,
    panels: &[PPanel<'_>],
    c: &mut dyn Canvas,
) -> Result<(), PlotError> {
    if let (Some(t), Some((x, size))) = (&fig.title, figure_title(fig, st)) {
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
    for p in panels {
        draw_panel(st, p, c)?;
    }
    Ok(())
}

fn draw_panel(st: &Style, p: &PPanel<'_>, c: &mut dyn Canvas) -> Result<(), PlotError> {
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
        draw_layer(layer, fr, c)?;
    }
    c.clip_end();
    for b in &p.boxes {
        if let Content::Text(i) = b.content
            && let PLayer::Text(t) = &p.layers[i]
        {
            draw_text_box(st, t, &b.rect, c);
        }
    }
    if !hidden {
        draw_axes(st, p, c);
    }
    if let Some(t) = &p.src.title {
        let (x, size) = p.title_at;
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
        draw_colorbar(st, p, cb, c)?;
    }
    for b in &p.boxes {
        if b.content == Content::Legend {
            draw_legend(st, &p.legend, (b.rect.x, b.rect.y), c);
        }
    }
    Ok(())
}

fn draw_axes(st: &Style, p: &PPanel<'_>, c: &mut dyn Canvas) {
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

fn draw_layer(layer: &PLayer<'_>, fr: &Frame, c: &mut dyn Canvas) -> Result<(), PlotError> {
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
                let size = stem_marker_size(src, &xs);
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

fn draw_colorbar(
    st: &Style,
    p: &PPanel<'_>,
    cb: &ColorbarInfo,
    c: &mut dyn Canvas,
) -> Result<(), PlotError> {
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

/// `b` mirrored left–right and/or top–bottom.
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
