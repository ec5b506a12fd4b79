//! Legends and text boxes: their sizes and how they are drawn once placed.

use super::frame::Frame;
use super::marker::draw_marker;
use super::panels::{Content, Corner, PBox, PPanel, Pin};
use super::style::{
    LEGEND_EDGE, Style, TEXT_BOX_PAD, TEXT_COLOR, TEXT_LINE_SPACING, TEXTBOX_EDGE, snap, text_h,
    text_w,
};
use crate::canvas::{Canvas, Fill, Shape, Stroke, TextItem};
use crate::color::Color;
use crate::geom::{HAlign, Pt, Rect, VAlign};
use crate::layers::Text;
use crate::panel::Legend;
use crate::prepare::{Handle, LegendEntry, PLayer};

/// Width and height of a legend holding `entries` (zero if there are none).
pub(super) fn legend_size(st: &Style, entries: &[LegendEntry]) -> (f64, f64) {
    if entries.is_empty() {
        return (0.0, 0.0);
    }
    let fs = st.legend;
    let label_w = entries
        .iter()
        .map(|e| text_w(&e.label, fs))
        .fold(0.0, f64::max);
    let n = entries.len() as f64;
    let w = 2.0 * 0.4 * fs + 2.0 * fs + 0.8 * fs + label_w;
    let h = 2.0 * 0.4 * fs + n * fs + (n - 1.0) * 0.5 * fs;
    (w, h)
}

/// Width and height of the box of text layer `t`; `None` if it has no text.
fn text_box_size(st: &Style, t: &Text) -> Option<(f64, f64)> {
    let lines: Vec<&str> = t.content.lines().collect();
    if lines.is_empty() {
        return None;
    }
    let size = t.font_size.unwrap_or(st.tick);
    let tw = lines.iter().map(|l| text_w(l, size)).fold(0.0, f64::max);
    let th = (lines.len() - 1) as f64 * TEXT_LINE_SPACING * size + text_h(size);
    let pad = TEXT_BOX_PAD * size;
    Some((tw + 2.0 * pad, th + 2.0 * pad))
}

/// The legend and text boxes of panel `p`: its text layers in order, then
/// its legend (if any layer is labelled), each with its size and pin.
pub(super) fn panel_boxes(st: &Style, p: &PPanel<'_>) -> Vec<PBox> {
    let mut boxes = Vec::new();
    for (i, l) in p.layers.iter().enumerate() {
        if let PLayer::Text(t) = l
            && let Some((w, h)) = text_box_size(st, t)
        {
            boxes.push(PBox {
                content: Content::Text(i),
                pin: if t.pinned { Pin::Anchor } else { Pin::Auto },
                w,
                h,
                outside: false,
                rect: Rect::default(),
            });
        }
    }
    if !p.legend.is_empty() {
        let (w, h) = legend_size(st, &p.legend);
        let pin = match p.src.legend {
            Legend::Best | Legend::Hidden => Pin::Auto,
            Legend::UpperRight => Pin::Corner(Corner::UpperRight),
            Legend::UpperLeft => Pin::Corner(Corner::UpperLeft),
            Legend::LowerLeft => Pin::Corner(Corner::LowerLeft),
            Legend::LowerRight => Pin::Corner(Corner::LowerRight),
            Legend::OutsideRight => Pin::OutsideRight,
        };
        boxes.push(PBox {
            content: Content::Legend,
            pin,
            w,
            h,
            outside: pin == Pin::OutsideRight,
            rect: Rect::default(),
        });
    }
    boxes
}

/// The `w × h` box of text layer `t` at the anchor it pins in frame `fr`.
pub(super) fn anchored(t: &Text, fr: &Frame, w: f64, h: f64) -> Rect {
    let ax = fr.bx + t.at.0 * fr.bw;
    let ay = fr.by + (1.0 - t.at.1) * fr.bh;
    let x = match t.halign {
        HAlign::Left => ax,
        HAlign::Center => ax - w / 2.0,
        HAlign::Right => ax - w,
    };
    let y = match t.valign {
        VAlign::Top => ay,
        VAlign::Center => ay - h / 2.0,
        VAlign::Bottom => ay - h,
    };
    Rect::new(x, y, w, h)
}

/// The box as drawn, on whole pixels, with its 1 px outline.
pub(super) fn drawn(r: &Rect) -> Rect {
    Rect::new(
        r.x.round() + 0.5,
        r.y.round() + 0.5,
        r.w.round(),
        r.h.round(),
    )
    .inflate(0.5)
}

/// Draws text layer `t` in its box `r`.
pub(super) fn draw_text_box(st: &Style, t: &Text, r: &Rect, c: &mut dyn Canvas) {
    let Rect { x, y, w: bw, h: bh } = *r;
    let lines: Vec<&str> = t.content.lines().collect();
    let size = t.font_size.unwrap_or(st.tick);
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

/// Draws a legend of `entries` with its top-left corner at `origin`.
pub(super) fn draw_legend(st: &Style, entries: &[LegendEntry], origin: Pt, c: &mut dyn Canvas) {
    let fs = st.legend;
    let (w, h) = legend_size(st, entries);
    let (x, y) = (origin.0.round() + 0.5, origin.1.round() + 0.5);
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
    for (i, e) in entries.iter().enumerate() {
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
