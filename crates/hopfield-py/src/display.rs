//! What a notebook shows after a cell: HTML (`_repr_html_`) and PNG (`_repr_png_`) views
//! of networks and recalls, built without matplotlib.
//!
//! States are drawn as the command line draws them ([`hopfield_io::image::encode`]):
//! black for an active neuron (+1), white for an inactive one (−1, or 0 for binary
//! neurons), grey for an unknown one (0 of a ±1 cue). A 2-D state is drawn in its shape;
//! a flat state of N neurons in the rows [`grid`] gives. HTML images are scaled by the
//! browser without smoothing (`image-rendering: pixelated`); PNG images are enlarged
//! pixel by pixel to at least [`PNG_SIDE`] pixels a side.

use std::fmt::Write as _;

use crate::error::{Error, Result};

/// The smallest side, in pixels, of an image in a PNG view.
pub const PNG_SIDE: usize = 96;

/// Height in CSS pixels of a state's image in an HTML view.
pub const THUMB_HEIGHT: usize = 96;

/// The most states drawn in one view (the first ones).
pub const MAX_IMAGES: usize = 8;

/// The rows and columns a state of `n` neurons is drawn in: its own shape when `dims` is
/// 2-D; for a flat state, one row when `n ≤ 16`, else rows of the smallest divisor of `n`
/// from ⌈√n⌉ to 2⌈√n⌉ (10 × 10 for 100, 25 × 40 for 1000), else rows of ⌈√n⌉ neurons
/// with the last row padded (in grey).
pub fn grid(n: usize, dims: &[usize]) -> (usize, usize) {
    match *dims {
        [rows, cols] if rows * cols == n => (rows, cols),
        _ if n <= 16 => (1, n.max(1)),
        _ => {
            let root = (n as f64).sqrt().ceil() as usize;
            let cols = (root..=2 * root)
                .find(|&d| n.is_multiple_of(d))
                .unwrap_or(root);
            (n.div_ceil(cols), cols)
        }
    }
}

/// A state as drawn: `rows × cols` values of −1 (white), 0 (grey) or +1 (black); the
/// 0 of binary neurons is inactive (white).
fn pixels(state: &[i8], rows: usize, cols: usize, binary: bool) -> Vec<i8> {
    let mut out: Vec<i8> = state
        .iter()
        .map(|&s| match s {
            0 if binary => -1,
            s => s.signum(),
        })
        .collect();
    out.resize(rows * cols, 0);
    out
}

/// The PNG of one state.
pub fn png(state: &[i8], dims: &[usize], binary: bool) -> Result<Vec<u8>> {
    let (rows, cols) = grid(state.len(), dims);
    encode(&pixels(state, rows, cols, binary), rows, cols)
}

fn encode(values: &[i8], rows: usize, cols: usize) -> Result<Vec<u8>> {
    hopfield_io::image::encode(values, rows, cols)
        .map_err(|e| Error::Internal(format!("drawing a state: {e}")))
}

/// One PNG of several states side by side, each enlarged pixel by pixel to at least
/// [`PNG_SIDE`] pixels a side and framed in grey.
pub fn png_row(states: &[&[i8]], dims: &[usize], binary: bool) -> Result<Vec<u8>> {
    let Some(first) = states.first() else {
        return Err(Error::Internal("no state to draw".into()));
    };
    let (rows, cols) = grid(first.len(), dims);
    let scale = PNG_SIDE.div_ceil(rows.min(cols)).max(1);
    let (h, w) = (rows * scale, cols * scale);
    let border = scale.clamp(1, 4);
    let gap = 2 * border;
    let height = h + 2 * border;
    let width = states.len() * (w + 2 * border) + (states.len() - 1) * gap;
    // White everywhere, grey frames, then the enlarged states.
    let mut canvas = vec![-1i8; height * width];
    for (k, state) in states.iter().enumerate() {
        let img = pixels(state, rows, cols, binary);
        let x0 = k * (w + 2 * border + gap);
        for y in 0..height {
            for x in 0..w + 2 * border {
                let inside = (border..border + h).contains(&y) && (border..border + w).contains(&x);
                canvas[y * width + x0 + x] = if inside {
                    img[(y - border) / scale * cols + (x - border) / scale]
                } else {
                    0
                };
            }
        }
    }
    encode(&canvas, height, width)
}

/// Base64 of `bytes` (RFC 4648, with padding), for `data:` URLs.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let v = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(ALPHABET[(v >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `text` with the characters HTML gives a meaning escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// An `<img>` of one state, at most [`THUMB_HEIGHT`] pixels high, with `title` as its
/// tooltip.
pub fn img(state: &[i8], dims: &[usize], binary: bool, title: &str) -> Result<String> {
    let (rows, cols) = grid(state.len(), dims);
    // Square cells of at most 24 pixels, the image at most THUMB_HEIGHT high and four
    // times that wide.
    let cell = (THUMB_HEIGHT as f64 / rows as f64)
        .min(4.0 * THUMB_HEIGHT as f64 / cols as f64)
        .min(24.0);
    let (width, height) = (
        (cell * cols as f64).round().max(1.0),
        (cell * rows as f64).round().max(1.0),
    );
    Ok(format!(
        "<img src=\"data:image/png;base64,{}\" alt=\"{t}\" title=\"{t}\" \
         style=\"height:{height}px;width:{width}px;image-rendering:pixelated;\
         border:1px solid #999;margin:2px\">",
        base64(&png(state, dims, binary)?),
        t = escape(title),
    ))
}

/// An image with a caption under it.
pub fn figure(img: &str, caption: &str) -> String {
    format!(
        "<figure style=\"display:inline-block;margin:0 6px;text-align:center\">{img}\
         <figcaption style=\"font-size:small\">{}</figcaption></figure>",
        escape(caption)
    )
}

/// A table with a caption and `(header, value)` rows; values are HTML already.
pub fn table(caption: &str, rows: &[(String, String)]) -> String {
    let mut s = format!(
        "<table style=\"border-collapse:collapse\"><caption style=\"text-align:left\">\
         <b>{}</b></caption>",
        escape(caption)
    );
    for (h, v) in rows {
        let _ = write!(
            s,
            "<tr><th style=\"text-align:left;padding-right:1em\">{}</th>\
             <td style=\"text-align:left\">{v}</td></tr>",
            escape(h)
        );
    }
    s.push_str("</table>");
    s
}
