//! PNG images: one pattern per image, dark pixels on.
//!
//! Reading converts any PNG (grey, RGB, palette, with or without alpha, 1 to 16 bits) to
//! luminance, composited over white; a pixel darker than mid-grey (luminance < 128 of 255)
//! is on (+1). Writing gives an 8-bit greyscale image, one pixel per neuron: on = black,
//! off = white, unknown (0) = grey.

use crate::array::Array;
use crate::error::Problem;

/// The largest image read, in pixels (a 16384 × 16384 pattern).
pub const MAX_PIXELS: u64 = 1 << 28;

/// Decodes a PNG into an array of shape (1, height, width) of ±1.
pub fn parse(bytes: &[u8]) -> Result<Array, Problem> {
    if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Err(Problem::new(
            "not a PNG image (it does not start with the PNG signature)",
        ));
    }
    let mut decoder =
        png::Decoder::new_with_limits(std::io::Cursor::new(bytes), png::Limits { bytes: 1 << 30 });
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder
        .read_info()
        .map_err(|e| Problem::new(format!("unreadable PNG: {e}")))?;
    let (w, h) = {
        let info = reader.info();
        (info.width as usize, info.height as usize)
    };
    if (w as u64) * (h as u64) > MAX_PIXELS {
        return Err(Problem::new(format!(
            "image is {w}x{h} pixels, more than the {MAX_PIXELS} allowed"
        )));
    }
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| Problem::new("image is too large to decode"))?;
    let mut buf = vec![0u8; size];
    let frame = reader
        .next_frame(&mut buf)
        .map_err(|e| Problem::new(format!("unreadable PNG: {e}")))?;
    let channels = frame.color_type.samples();
    let line = frame.line_size;
    let mut values = Vec::with_capacity(w * h);
    for r in 0..h {
        let row = &buf[r * line..r * line + w * channels];
        for px in row.chunks_exact(channels) {
            let (lum, alpha) = match channels {
                1 => (f64::from(px[0]), 255.0),
                2 => (f64::from(px[0]), f64::from(px[1])),
                3 => (luminance(px), 255.0),
                _ => (luminance(px), f64::from(px[3])),
            };
            // Composite over white.
            let lum = lum * alpha / 255.0 + 255.0 * (1.0 - alpha / 255.0);
            values.push(if lum < 128.0 { 1.0 } else { -1.0 });
        }
    }
    Ok(Array::from_values(vec![1, h, w], values))
}

fn luminance(px: &[u8]) -> f64 {
    0.299 * f64::from(px[0]) + 0.587 * f64::from(px[1]) + 0.114 * f64::from(px[2])
}

/// Encodes one state of `rows × cols` neurons as an 8-bit greyscale PNG.
pub fn encode(state: &[i8], rows: usize, cols: usize) -> Result<Vec<u8>, Problem> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, cols as u32, rows as u32);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc
            .write_header()
            .map_err(|e| Problem::new(format!("cannot encode PNG: {e}")))?;
        let pixels: Vec<u8> = state
            .iter()
            .map(|&s| match s {
                s if s > 0 => 0,
                0 => 128,
                _ => 255,
            })
            .collect();
        writer
            .write_image_data(&pixels)
            .map_err(|e| Problem::new(format!("cannot encode PNG: {e}")))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_a_pattern() {
        let state = [1i8, -1, -1, 1, 1, 1];
        let bytes = encode(&state, 2, 3).unwrap();
        let a = parse(&bytes).unwrap();
        assert_eq!(a.dims(), &[1, 2, 3]);
        assert_eq!(a.to_f64(), [1.0, -1.0, -1.0, 1.0, 1.0, 1.0]);
    }

    #[test]
    fn reads_colour_with_alpha_over_white() {
        let mut out = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut out, 3, 1);
            enc.set_color(png::ColorType::Rgba);
            enc.set_depth(png::BitDepth::Eight);
            let mut w = enc.write_header().unwrap();
            // black opaque, black transparent, dark red opaque
            w.write_image_data(&[0, 0, 0, 255, 0, 0, 0, 0, 120, 0, 0, 255])
                .unwrap();
        }
        assert_eq!(parse(&out).unwrap().to_f64(), [1.0, -1.0, 1.0]);
    }

    #[test]
    fn refuses_what_is_not_a_png() {
        assert!(
            parse(b"GIF89a....")
                .unwrap_err()
                .to_string()
                .contains("not a PNG")
        );
        let mut bytes = encode(&[1, -1, 1, -1], 2, 2).unwrap();
        bytes.truncate(bytes.len() - 20);
        assert!(
            parse(&bytes)
                .unwrap_err()
                .to_string()
                .contains("unreadable PNG")
        );
    }
}
