//! Point markers (circle, square, triangle, diamond, cross, plus).

use crate::canvas::{Canvas, Fill, Shape, Stroke};
use crate::color::Color;
use crate::geom::Pt;
use crate::layers::{Marker, Stem};

/// Draws marker `m` of diameter `size` centred on `(x, y)`.
pub(super) fn draw_marker(
    c: &mut dyn Canvas,
    m: Marker,
    (x, y): Pt,
    size: f64,
    color: Color,
    alpha: f64,
) {
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

/// Marker diameter of a stem plot whose stems stand at the increasing pixel
/// positions `xs`: as set, or 8 px shrunk to stay distinct from neighbours.
pub(super) fn stem_marker_size(src: &Stem, xs: &[f64]) -> f64 {
    src.marker_size.unwrap_or_else(|| {
        let spacing = xs
            .windows(2)
            .map(|w| w[1] - w[0])
            .filter(|d| *d > 1e-9)
            .fold(f64::INFINITY, f64::min);
        (0.9 * spacing).clamp(3.0, 8.0)
    })
}

/// Half the side of a square holding any marker of diameter `size`.
pub(super) fn marker_reach(size: f64) -> f64 {
    0.55 * size + 0.5
}
