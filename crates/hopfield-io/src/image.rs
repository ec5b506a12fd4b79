//! PNG images: one pattern per image, dark pixels on.
//!
//! Reading converts any PNG (grey, RGB, palette, with or without alpha, 1 to 16 bits) to
//! luminance, composited over white; a pixel darker than mid-grey (luminance < 128 of 255)
//! is on (+1). Writing gives an 8-bit greyscale image, one pixel per neuron: on = black,
//! off = white, unknown (0) = grey.

use std::io::Read;

use crate::array::Array;
use crate::error::Problem;
use crate::source::{Fail, Source};

/// The largest image read, in pixels (a 16384 × 16384 pattern).
pub const MAX_PIXELS: u64 = 1 << 28;

/// The largest PNG file read, in bytes.
pub const MAX_BYTES: u64 = 1 << 30;

const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Reads a PNG from `src`: the signature first, then the rest up to [`MAX_BYTES`].
pub(crate) fn read<R: Read>(src: &mut Source<R>) -> Result<Array, Fail> {
    let mut bytes = src.take(SIGNATURE.len() as u64)?;
    if bytes != SIGNATURE {
        return Err(not_png().into());
    }
    bytes.extend(src.take_all("the image", MAX_BYTES - bytes.len() as u64, 2, |_| false)?);
    Ok(parse(&bytes)?)
}

fn not_png() -> Problem {
    Problem::new("not a PNG image (it does not start with the PNG signature)")
}

/// Decodes a PNG into an array of shape (1, height, width) of ±1.
pub fn parse(bytes: &[u8]) -> Result<Array, Problem> {
    if !bytes.starts_with(SIGNATURE) {
        return Err(not_png());
    }
    // The colour type, from the header chunk that follows the signature: palette images
    // are decoded to their indices, checked against the palette here (the decoder would
    // read an index past the palette as opaque black).
    let indexed = bytes.get(12..16) == Some(b"IHDR") && bytes.get(25) == Some(&3);
    let mut decoder =
        png::Decoder::new_with_limits(std::io::Cursor::new(bytes), png::Limits { bytes: 1 << 30 });
    decoder.set_transformations(if indexed {
        png::Transformations::IDENTITY
    } else {
        png::Transformations::EXPAND | png::Transformations::STRIP_16
    });
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
    let line = frame.line_size;
    let mut values = Vec::with_capacity(w * h);
    let on = |lum: f64, alpha: f64| {
        // Composite over white.
        let lum = lum * alpha / 255.0 + 255.0 * (1.0 - alpha / 255.0);
        if lum < 128.0 { 1.0 } else { -1.0 }
    };
    if frame.color_type == png::ColorType::Indexed {
        let info = reader.info();
        let palette = info.palette.as_deref().unwrap_or(&[]);
        let colours = palette.len() / 3;
        let trns = info.trns.as_deref().unwrap_or(&[]);
        let depth = frame.bit_depth as usize;
        for r in 0..h {
            let row = &buf[r * line..(r + 1) * line];
            for c in 0..w {
                let bit = c * depth;
                let index = usize::from(row[bit / 8] >> (8 - depth - bit % 8)) & ((1 << depth) - 1);
                if index >= colours {
                    return Err(Problem::new(format!(
                        "pixel at row {r}, column {c} has palette index {index}, but the \
                         palette holds {colours} colour{}",
                        if colours == 1 { "" } else { "s" }
                    )));
                }
                let alpha = trns.get(index).map_or(255.0, |&a| f64::from(a));
                values.push(on(luminance(&palette[3 * index..3 * index + 3]), alpha));
            }
        }
    } else {
        let channels = frame.color_type.samples();
        for r in 0..h {
            let row = &buf[r * line..r * line + w * channels];
            for px in row.chunks_exact(channels) {
                let (lum, alpha) = match channels {
                    1 => (f64::from(px[0]), 255.0),
                    2 => (f64::from(px[0]), f64::from(px[1])),
                    3 => (luminance(px), 255.0),
                    _ => (luminance(px), f64::from(px[3])),
                };
                values.push(on(lum, alpha));
            }
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

    /// A palette PNG of `w × h` pixels with these packed rows.
    fn indexed(
        w: u32,
        h: u32,
        depth: png::BitDepth,
        palette: &[u8],
        trns: Option<&[u8]>,
        data: &[u8],
    ) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut out, w, h);
            enc.set_color(png::ColorType::Indexed);
            enc.set_depth(depth);
            enc.set_palette(palette.to_vec());
            if let Some(t) = trns {
                enc.set_trns(t.to_vec());
            }
            let mut writer = enc.write_header().unwrap();
            writer.write_image_data(data).unwrap();
        }
        out
    }

    #[test]
    fn reads_palette_images_and_refuses_indices_past_the_palette() {
        // Two colours: black and white; 1 bit per pixel, pixels 0 1 1 0.
        let bw = [0, 0, 0, 255, 255, 255];
        let bytes = indexed(4, 1, png::BitDepth::One, &bw, None, &[0b0110_0000]);
        assert_eq!(parse(&bytes).unwrap().to_f64(), [1.0, -1.0, -1.0, 1.0]);
        // 8 bits per pixel, a transparent black reads as white.
        let bytes = indexed(3, 1, png::BitDepth::Eight, &bw, Some(&[0]), &[0, 1, 0]);
        assert_eq!(parse(&bytes).unwrap().to_f64(), [-1.0, -1.0, -1.0]);
        // Index 5 of a 2-colour palette: refused (the decoder would call it black, on).
        let bytes = indexed(
            3,
            2,
            png::BitDepth::Four,
            &bw,
            None,
            &[0x01, 0x00, 0x50, 0x00],
        );
        let e = parse(&bytes).unwrap_err().to_string();
        assert_eq!(
            e,
            "pixel at row 1, column 0 has palette index 5, but the palette holds 2 colours"
        );
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
