//! End-to-end tests: every kind of figure is saved to a temporary folder,
//! the PNG is decoded and inspected, the SVG is checked for structure and
//! content, outputs are compared across runs, and error cases leave no files.

use std::fs;
use std::io::Cursor;
use std::path::Path;

use hopfield_plot::{
    Aspect, Bins, Color, Colormap, Curve, Figure, HLine, Histogram, Image, Legend, Line, LineStyle,
    Marker, Panel, PlotError, Stem, Text, VLine,
};

/// A decoded 8-bit RGB image.
struct Png {
    width: usize,
    height: usize,
    rgb: Vec<u8>,
}

impl Png {
    fn decode(bytes: &[u8]) -> Png {
        let mut reader = png::Decoder::new(Cursor::new(bytes))
            .read_info()
            .expect("PNG header");
        let mut buf = vec![0; reader.output_buffer_size().expect("buffer size")];
        let info = reader.next_frame(&mut buf).expect("PNG data");
        assert_eq!(info.color_type, png::ColorType::Rgb);
        assert_eq!(info.bit_depth, png::BitDepth::Eight);
        buf.truncate(info.buffer_size());
        Png {
            width: info.width as usize,
            height: info.height as usize,
            rgb: buf,
        }
    }

    fn pixel(&self, x: usize, y: usize) -> Color {
        let i = 3 * (y * self.width + x);
        Color::rgb(self.rgb[i], self.rgb[i + 1], self.rgb[i + 2])
    }

    fn pixels(&self) -> impl Iterator<Item = Color> + '_ {
        self.rgb
            .chunks_exact(3)
            .map(|p| Color::rgb(p[0], p[1], p[2]))
    }

    fn count(&self, color: Color) -> usize {
        self.pixels().filter(|p| *p == color).count()
    }

    /// Asserts the image has a white background and real dark content.
    fn assert_not_blank(&self) {
        let lum = |c: Color| (u32::from(c.r) + u32::from(c.g) + u32::from(c.b)) / 3;
        let dark = self.pixels().filter(|c| lum(*c) < 60).count();
        let light = self.pixels().filter(|c| lum(*c) > 240).count();
        let total = self.width * self.height;
        assert!(dark > 200, "only {dark} dark pixels");
        assert!(light > total / 4, "only {light} light pixels of {total}");
        assert_eq!(self.pixel(0, 0), Color::WHITE, "background");
    }

    /// Bounding box `(x0, y0, x1, y1)` (inclusive) of pixels matching `pred`.
    fn bbox(&self, pred: impl Fn(Color) -> bool) -> (usize, usize, usize, usize) {
        let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
        for y in 0..self.height {
            for x in 0..self.width {
                if pred(self.pixel(x, y)) {
                    x0 = x0.min(x);
                    y0 = y0.min(y);
                    x1 = x1.max(x);
                    y1 = y1.max(y);
                }
            }
        }
        assert!(x0 <= x1, "no matching pixel");
        (x0, y0, x1, y1)
    }
}

/// Minimal well-formedness check: tags are balanced and properly nested.
fn assert_well_formed_svg(svg: &str) {
    assert!(
        svg.starts_with("<?xml") || svg.starts_with("<svg"),
        "prolog"
    );
    assert!(svg.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    let mut stack: Vec<String> = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        let end = rest[start..].find('>').expect("unterminated tag") + start;
        let tag = &rest[start + 1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('?') || tag.starts_with('!') {
            continue;
        }
        assert!(!tag.contains('<'), "'<' inside tag {tag:?}");
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop().unwrap_or_else(|| panic!("unmatched </{name}>"));
            assert_eq!(open, name.trim(), "mis-nested tags");
        } else if !tag.ends_with('/') {
            let name = tag.split_whitespace().next().expect("tag name");
            stack.push(name.to_string());
        }
    }
    assert!(stack.is_empty(), "unclosed tags: {stack:?}");
    assert!(svg.trim_end().ends_with("</svg>"));
}

/// Saves `fig` under `dir/name`, checks both files, returns (SVG text, decoded PNG).
fn save_and_load(fig: &Figure, dir: &Path, name: &str) -> (String, Png) {
    let paths = fig.save(dir.join(name)).expect("save");
    assert_eq!(
        paths,
        vec![
            dir.join(format!("{name}.svg")),
            dir.join(format!("{name}.png"))
        ]
    );
    let svg = fs::read_to_string(&paths[0]).expect("read SVG");
    let png = Png::decode(&fs::read(&paths[1]).expect("read PNG"));
    assert_well_formed_svg(&svg);
    // No temporary files are left next to the outputs.
    let leftovers: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    (svg, png)
}

fn line_figure() -> Figure {
    let errors: Vec<f64> = (0..40)
        .map(|k| (30.0 * (-f64::from(k) / 8.0).exp()).round())
        .collect();
    let mut panel = Panel::new()
        .title("Hamming error during recall")
        .xlabel("update number")
        .ylabel("Hamming error")
        .layer(
            Line::from_y(errors.clone())
                .label("run 1")
                .marker(Marker::Circle),
        )
        .layer(
            Line::new(
                (0..40).map(f64::from).collect::<Vec<_>>(),
                errors.iter().map(|e| e * 0.5).collect::<Vec<_>>(),
            )
            .label("run 2")
            .style(LineStyle::Dashed),
        )
        .layer(HLine::new(0.0).style(LineStyle::Dotted))
        .layer(VLine::new(20.0).label("switch"));
    for k in 0..8 {
        panel.push(
            Line::from_y(vec![f64::from(k), f64::from(k) + 1.0, f64::from(k)])
                .label(format!("pattern {k}")),
        );
    }
    Figure::new(640, 480).panel(panel)
}

#[test]
fn line_plot_with_legend_and_reference_lines() {
    let dir = tempfile::tempdir().unwrap();
    let (svg, png) = save_and_load(&line_figure(), dir.path(), "lines");
    assert_eq!((png.width, png.height), (640, 480));
    png.assert_not_blank();
    assert!(png.count(Color::BLUE) > 100, "first series in tab:blue");
    assert!(png.count(Color::ORANGE) > 50, "second series in tab:orange");
    for text in [
        "Hamming error during recall",
        "update number",
        "Hamming error",
        "run 1",
        "run 2",
        "switch",
        "pattern 7",
    ] {
        assert!(
            svg.contains(&format!(">{text}</text>")),
            "SVG lacks {text:?}"
        );
    }
    assert!(svg.contains("stroke-dasharray"), "dashed and dotted lines");
}

#[test]
fn stacked_stem_panels_share_x() {
    let v: Vec<f64> = (0..100)
        .map(|i| if (i * 7) % 3 == 0 { 1.0 } else { -1.0 })
        .collect();
    let flipped: Vec<f64> = v.iter().map(|x| -x).collect();
    let fig = Figure::new(640, 600)
        .share_x(true)
        .panel(Panel::new().title("S original").layer(Stem::new(v.clone())))
        .panel(Panel::new().title("xi1").layer(Stem::new(flipped)))
        .panel(
            Panel::new()
                .title("S final")
                .xlabel("neuron")
                .layer(Stem::new(v)),
        );
    let dir = tempfile::tempdir().unwrap();
    let (svg, png) = save_and_load(&fig, dir.path(), "stems");
    assert_eq!((png.width, png.height), (640, 600));
    png.assert_not_blank();
    assert!(png.count(Color::BLUE) > 500, "stems and markers");
    assert!(png.count(Color::RED) > 300, "red baselines");
    for text in ["S original", "xi1", "S final", "neuron"] {
        assert!(
            svg.contains(&format!(">{text}</text>")),
            "SVG lacks {text:?}"
        );
    }
    // Shared x: tick labels only under the bottom panel.
    assert_eq!(svg.matches(">40</text>").count(), 1);
}

#[test]
fn histogram_with_curve_lines_and_annotation() {
    // Deterministic, roughly normal values: sums of 12 uniforms.
    let mut state = 12345u64;
    let mut uniform = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let values: Vec<f64> = (0..2000)
        .map(|_| 10.0 * ((0..12).map(|_| uniform()).sum::<f64>() - 6.0))
        .collect();
    let hist = Histogram::new(values)
        .bins(Bins::Count(25))
        .label("measured");
    let counts = hist.compute().unwrap();
    assert_eq!(counts.counts.len(), 25);
    assert_eq!(counts.total, 2000);
    let fig = Figure::new(640, 480).panel(
        Panel::new()
            .title("Local field distribution")
            .xlabel("h")
            .ylabel("count")
            .layer(hist)
            .layer(
                Curve::gaussian(0.0, 10.0, counts.total as f64 * counts.bin_width())
                    .color(Color::BLACK)
                    .label("theory"),
            )
            .layer(VLine::new(-10.0).color(Color::RED))
            .layer(VLine::new(10.0).color(Color::RED))
            .layer(Text::new("measured mean 0.3, sd 9.8\npredicted 0, 10")),
    );
    let dir = tempfile::tempdir().unwrap();
    let (svg, png) = save_and_load(&fig, dir.path(), "hist");
    png.assert_not_blank();
    assert!(png.count(Color::BLUE) > 20_000, "bars are filled");
    assert!(svg.contains(">measured mean 0.3, sd 9.8</text>"));
    assert!(svg.contains(">predicted 0, 10</text>"));
    assert!(svg.contains(">theory</text>"));
    // Automatic bins also work.
    let auto = Histogram::new(vec![1.0, 2.0, 2.0, 3.0, 3.0, 3.0, 4.0])
        .compute()
        .unwrap();
    assert_eq!(auto.counts.iter().sum::<f64>(), 7.0);
}

#[test]
fn heatmap_pixels_have_colormap_colours() {
    // 3 x 4 matrix with distinct values 0..11.
    let data: Vec<f64> = (0..12).map(f64::from).collect();
    let fig = Figure::new(400, 300).panel(
        Panel::new()
            .hide_axes()
            .layer(Image::new(3, 4, data).colormap(Colormap::Viridis)),
    );
    let dir = tempfile::tempdir().unwrap();
    let (svg, png) = save_and_load(&fig, dir.path(), "heat");
    assert_eq!(svg.matches("<image ").count(), 1);
    assert!(svg.contains("data:image/png;base64,"));
    let (x0, y0, x1, y1) = png.bbox(|c| c != Color::WHITE);
    let (w, h) = ((x1 - x0 + 1) as f64, (y1 - y0 + 1) as f64);
    // Equal aspect: cells are square.
    assert!((w / 4.0 - h / 3.0).abs() <= 1.0, "cells {w}/4 × {h}/3");
    for r in 0..3 {
        for c in 0..4 {
            let px = x0 + ((c as f64 + 0.5) * w / 4.0) as usize;
            let py = y0 + ((r as f64 + 0.5) * h / 3.0) as usize;
            let expected = Colormap::Viridis.sample((r * 4 + c) as f64 / 11.0);
            assert_eq!(png.pixel(px, py), expected, "cell ({r}, {c})");
        }
    }
}

#[test]
fn pattern_row_with_captions_gray_r() {
    let letter = ["..#..", ".#.#.", "#...#", "#####", "#...#"];
    let a: Vec<f64> = letter
        .iter()
        .flat_map(|r| r.chars().map(|c| if c == '#' { 1.0 } else { -1.0 }))
        .collect();
    let img = |d: Vec<f64>| {
        Image::new(5, 5, d)
            .colormap(Colormap::GrayR)
            .value_range(-1.0, 1.0)
    };
    let mut noisy = a.clone();
    noisy[0] = 1.0;
    let fig = Figure::new(600, 240)
        .grid(1, 3)
        .panel(Panel::new().title("true").hide_axes().layer(img(a.clone())))
        .panel(Panel::new().title("noisy").hide_axes().layer(img(noisy)))
        .panel(
            Panel::new()
                .title("recalled")
                .hide_axes()
                .layer(img(a.clone())),
        );
    let dir = tempfile::tempdir().unwrap();
    let (svg, png) = save_and_load(&fig, dir.path(), "letters");
    for t in ["true", "noisy", "recalled"] {
        assert!(svg.contains(&format!(">{t}</text>")));
    }
    assert_eq!(svg.matches("<image ").count(), 3);
    // The letter touches every edge of its 5×5 grid, so the black cells of
    // the first panel span its whole image.
    let (x0, y0, x1, y1) = png.bbox(|c| c == Color::BLACK);
    assert!(x1 > 400, "black cells in all three panels");
    let left_panel_right = (0..png.width)
        .take_while(|&x| x < png.width / 3)
        .filter(|&x| (0..png.height).any(|y| png.pixel(x, y) == Color::BLACK))
        .max()
        .unwrap();
    let (w, h) = ((left_panel_right - x0 + 1) as f64, (y1 - y0 + 1) as f64);
    for r in 0..5 {
        for c in 0..5 {
            let px = x0 + ((c as f64 + 0.5) * w / 5.0) as usize;
            let py = y0 + ((r as f64 + 0.5) * h / 5.0) as usize;
            let expected = if a[r * 5 + c] > 0.0 {
                Color::BLACK
            } else {
                Color::WHITE
            };
            assert_eq!(png.pixel(px, py), expected, "cell ({r}, {c})");
        }
    }
}

#[test]
fn weight_matrix_with_diverging_colorbar() {
    let n = 60;
    let fig = Figure::new(560, 480).panel(
        Panel::new().title("W").layer(
            Image::from_fn(n, n, 400, 400, |i, j| {
                if i == j {
                    0.0
                } else {
                    ((i * 31 + j * 17) % 7) as f64 - 3.0
                }
            })
            .colormap(Colormap::RdBuR)
            .symmetric_range()
            .colorbar_label("w_ij"),
        ),
    );
    let dir = tempfile::tempdir().unwrap();
    let (svg, png) = save_and_load(&fig, dir.path(), "weights");
    png.assert_not_blank();
    // Matrix plus colorbar gradient, both embedded images.
    assert_eq!(svg.matches("<image ").count(), 2);
    assert!(svg.contains(">w_ij</text>"));
    assert!(
        png.count(Colormap::RdBuR.sample(0.0)) > 100,
        "darkest blue present"
    );
    assert!(
        png.count(Colormap::RdBuR.sample(1.0)) > 100,
        "darkest red present"
    );
}

/// Decodes the width and height of the first embedded PNG in an SVG.
fn embedded_png_size(svg: &str) -> (u32, u32) {
    let start = svg.find("base64,").expect("embedded PNG") + 7;
    let b64: Vec<u8> = svg[start..start + 32].bytes().collect();
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let mut bytes = Vec::new();
    for q in b64.chunks(4) {
        let n = q
            .iter()
            .fold(0u32, |acc, c| (acc << 6) | u32::from(val(*c)));
        bytes.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8]);
    }
    assert_eq!(&bytes[1..4], b"PNG");
    let be = |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    (be(16), be(20))
}

#[test]
fn large_matrices_are_block_averaged() {
    // Given as a closure: reduced while it is read.
    let mut calls = 0usize;
    let img = Image::from_fn(2000, 3000, 400, 400, |i, j| {
        calls += 1;
        ((i / 5 + j / 5) % 2) as f64
    });
    assert_eq!(calls, 6_000_000);
    assert_eq!(img.grid_shape(), (400, 400));
    let fig = Figure::new(500, 400).panel(Panel::new().layer(img.colorbar(true)));
    let svg = fig.render_svg().unwrap();
    assert_eq!(svg.matches("<image ").count(), 2);
    assert_eq!(embedded_png_size(&svg), (400, 400));
    assert!(svg.matches("<rect").count() < 20, "no per-cell rectangles");
    assert!(svg.len() < 1_500_000);
    // Given as data: reduced at render time to the maximum resolution.
    let data: Vec<f64> = (0..1000 * 800).map(|k| (k % 13) as f64).collect();
    let fig = Figure::new(500, 400)
        .panel(Panel::new().layer(Image::new(1000, 800, data).max_resolution(100, 50)));
    let svg = fig.render_svg().unwrap();
    assert_eq!(embedded_png_size(&svg), (50, 100));
    // Axis ticks still refer to the full matrix.
    assert!(svg.contains(">800</text>"));
    let png = Png::decode(&fig.render_png().unwrap());
    png.assert_not_blank();
}

#[test]
fn raster_has_axis_labels() {
    let (neurons, steps) = (50, 200);
    let data: Vec<f64> = (0..neurons * steps)
        .map(|k| ((k / steps + k % steps) % 3 == 0) as u8 as f64)
        .collect();
    let fig = Figure::new(640, 400).panel(
        Panel::new()
            .title("raster")
            .xlabel("time")
            .ylabel("neuron")
            .aspect(Aspect::Auto)
            .layer(
                Image::new(neurons, steps, data)
                    .colormap(Colormap::GrayR)
                    .value_range(0.0, 1.0),
            ),
    );
    let dir = tempfile::tempdir().unwrap();
    let (svg, png) = save_and_load(&fig, dir.path(), "raster");
    assert!(svg.contains(">time</text>") && svg.contains(">neuron</text>"));
    assert!(svg.contains("rotate(-90"), "y label is vertical");
    // Auto aspect: the image fills most of the width although it is 4:1.
    let (x0, _, x1, _) = png.bbox(|c| c == Color::BLACK);
    assert!(x1 - x0 > 450);
}

#[test]
fn output_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let fig = line_figure().title("Figure title").png_scale(1.5);
    let a = fig.save(dir.path().join("a")).unwrap();
    let b = fig.save(dir.path().join("b")).unwrap();
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(
            fs::read(x).unwrap(),
            fs::read(y).unwrap(),
            "{} differs",
            x.display()
        );
    }
    assert_eq!(fig.render_png().unwrap(), fig.render_png().unwrap());
    assert_eq!(
        fig.render_svg().unwrap(),
        fs::read_to_string(&a[0]).unwrap()
    );
    // Overwriting an existing file works and is still identical.
    let c = fig.save(dir.path().join("a")).unwrap();
    assert_eq!(fs::read(&c[1]).unwrap(), fs::read(&b[1]).unwrap());
}

#[test]
fn png_scale_multiplies_pixels_only() {
    let fig = line_figure().png_scale(2.0);
    assert_eq!(fig.png_size(), (1280, 960));
    let png = Png::decode(&fig.render_png().unwrap());
    assert_eq!((png.width, png.height), (1280, 960));
    png.assert_not_blank();
    assert!(
        fig.render_svg()
            .unwrap()
            .contains("viewBox=\"0 0 640 480\"")
    );
}

#[test]
fn legend_placement_variants_render() {
    for legend in [
        Legend::Best,
        Legend::UpperLeft,
        Legend::LowerRight,
        Legend::OutsideRight,
        Legend::Hidden,
    ] {
        let fig = Figure::new(480, 320).panel(
            Panel::new()
                .legend(legend)
                .layer(Line::from_y(vec![0.0, 1.0, 0.5]).label("a"))
                .layer(Line::from_y(vec![1.0, 0.0, 0.5]).label("b")),
        );
        let svg = fig.render_svg().unwrap();
        assert_eq!(
            svg.contains(">a</text>"),
            legend != Legend::Hidden,
            "{legend:?}"
        );
        Png::decode(&fig.render_png().unwrap()).assert_not_blank();
    }
}

// ------------------------------------------------------------ errors ----

fn dir_entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Saves a figure that must fail, checks nothing was written, returns the error.
fn save_fails(fig: Figure) -> PlotError {
    let dir = tempfile::tempdir().unwrap();
    let err = fig
        .save(dir.path().join("out"))
        .expect_err("save must fail");
    assert!(
        dir_entries(dir.path()).is_empty(),
        "files left: {:?}",
        dir_entries(dir.path())
    );
    assert!(!err.to_string().is_empty());
    err
}

fn one(layer: impl Into<hopfield_plot::Layer>) -> Figure {
    Figure::new(320, 240).panel(Panel::new().layer(layer))
}

#[test]
fn empty_data_is_an_error() {
    assert!(matches!(
        save_fails(one(Line::from_y(Vec::new()))),
        PlotError::EmptyData { .. }
    ));
    assert!(matches!(
        save_fails(one(Stem::new(Vec::new()))),
        PlotError::EmptyData { .. }
    ));
    assert!(matches!(
        save_fails(one(Histogram::new(Vec::new()))),
        PlotError::EmptyData { .. }
    ));
    assert!(matches!(
        save_fails(one(Image::new(0, 5, Vec::new()))),
        PlotError::EmptyData { .. }
    ));
    assert!(matches!(
        save_fails(Figure::new(320, 240)),
        PlotError::EmptyData { .. }
    ));
    // All values outside an explicit histogram range.
    let h = Histogram::new(vec![5.0, 6.0]).range(0.0, 1.0);
    assert!(matches!(save_fails(one(h)), PlotError::EmptyData { .. }));
}

#[test]
fn non_finite_values_are_errors_with_position() {
    let err = save_fails(one(Line::from_y(vec![1.0, f64::NAN, 2.0]).label("m1")));
    match err {
        PlotError::NonFinite { context, index, .. } => {
            assert_eq!(index, 1);
            assert!(
                context.contains("panel 0, layer 0 (line \"m1\")"),
                "{context}"
            );
        }
        e => panic!("unexpected {e:?}"),
    }
    let err = save_fails(one(Line::new(vec![0.0, f64::INFINITY], vec![1.0, 2.0])));
    assert!(matches!(err, PlotError::NonFinite { index: 1, .. }));
    assert!(matches!(
        save_fails(one(Histogram::new(vec![1.0, f64::NAN]))),
        PlotError::NonFinite { index: 1, .. }
    ));
    assert!(matches!(
        save_fails(one(Image::new(2, 2, vec![0.0, 1.0, 2.0, f64::NAN]))),
        PlotError::NonFinite { index: 3, .. }
    ));
    let img = Image::from_fn(
        10,
        10,
        2,
        2,
        |r, c| if (r, c) == (3, 4) { f64::NAN } else { 1.0 },
    );
    assert!(matches!(
        save_fails(one(img)),
        PlotError::NonFinite { index: 34, .. }
    ));
    assert!(matches!(
        save_fails(one(HLine::new(f64::NAN))),
        PlotError::NonFinite { .. }
    ));
    // A curve that is nowhere finite.
    let c = Curve::new(|_| f64::NAN).domain(0.0, 1.0);
    assert!(matches!(save_fails(one(c)), PlotError::NonFinite { .. }));
}

#[test]
fn curve_skips_non_finite_samples() {
    // 1/x is infinite at x = 0 (sample 100 of 201): the curve is drawn in
    // two pieces, without error.
    let fig = one(Curve::new(|x| 1.0 / x).domain(-1.0, 1.0).samples(201));
    let svg = fig.render_svg().unwrap();
    assert_eq!(svg.matches("<polyline").count(), 2);
    Png::decode(&fig.render_png().unwrap()).assert_not_blank();
}

#[test]
fn mismatched_lengths_and_shapes_are_errors() {
    let err = save_fails(one(Line::new(vec![1.0, 2.0], vec![1.0, 2.0, 3.0])));
    assert!(matches!(
        err,
        PlotError::LengthMismatch {
            x_len: 2,
            y_len: 3,
            ..
        }
    ));
    let err = save_fails(one(Stem::with_x(vec![1.0], vec![1.0, 2.0])));
    assert!(matches!(err, PlotError::LengthMismatch { .. }));
    let err = save_fails(one(Image::new(3, 3, vec![0.0; 8])));
    assert!(matches!(
        err,
        PlotError::ImageShape {
            expected: 9,
            actual: 8,
            ..
        }
    ));
}

#[test]
fn invalid_settings_are_errors() {
    let invalid = |fig: Figure| matches!(save_fails(fig), PlotError::InvalidParameter { .. });
    assert!(invalid(one(Histogram::new(vec![1.0]).bins(Bins::Count(0)))));
    assert!(invalid(one(
        Histogram::new(vec![1.0]).bins(Bins::Edges(vec![1.0, 1.0]))
    )));
    assert!(invalid(
        one(Curve::gaussian(0.0, 0.0, 1.0).domain(0.0, 1.0))
    ));
    assert!(invalid(
        Figure::new(320, 240).panel(
            Panel::new()
                .x_range(1.0, 1.0)
                .layer(Line::from_y(vec![1.0]))
        )
    ));
    assert!(invalid(
        Figure::new(0, 240).panel(Panel::new().layer(Line::from_y(vec![1.0])))
    ));
    assert!(invalid(line_figure().grid(1, 0)));
    assert!(invalid(line_figure().panel(Panel::new()).grid(1, 1)));
    assert!(invalid(line_figure().png_scale(f64::NAN)));
    assert!(invalid(one(Line::from_y(vec![1.0]).alpha(2.0))));
    // Only a horizontal line: nothing fixes the x range.
    assert!(invalid(one(HLine::new(1.0))));
    assert!(invalid(one(
        Image::new(1, 1, vec![1.0]).max_resolution(0, 1)
    )));
}

#[test]
fn unwritable_directory_is_an_error_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // The "directory" is a regular file, so nothing can be created inside it
    // (this holds even when the tests run as root).
    let file = dir.path().join("not-a-dir");
    fs::write(&file, b"x").unwrap();
    let err = line_figure().save(file.join("fig")).expect_err("must fail");
    match &err {
        PlotError::Io { path, .. } => assert!(path.starts_with(&file)),
        e => panic!("unexpected {e:?}"),
    }
    assert_eq!(dir_entries(dir.path()), vec!["not-a-dir".to_string()]);
    // A missing directory too.
    let err = line_figure()
        .save(dir.path().join("missing").join("fig"))
        .expect_err("must fail");
    assert!(matches!(err, PlotError::Io { .. }));
    assert_eq!(dir_entries(dir.path()), vec!["not-a-dir".to_string()]);
    // A failed save does not clobber earlier good files.
    let good = line_figure().save(dir.path().join("fig")).unwrap();
    let before = fs::read(&good[1]).unwrap();
    assert!(
        one(Line::from_y(vec![f64::NAN]))
            .save(dir.path().join("fig"))
            .is_err()
    );
    assert_eq!(fs::read(&good[1]).unwrap(), before);
}

#[test]
fn embedded_font_renders_text() {
    // A figure that is only text: tick labels and a title must produce ink.
    let fig = Figure::new(300, 200).panel(
        Panel::new()
            .title("Ag")
            .hide_ticks()
            .layer(Text::new("Hopfield"))
            .x_range(0.0, 1.0)
            .y_range(0.0, 1.0),
    );
    let png = Png::decode(&fig.render_png().unwrap());
    let dark = png.pixels().filter(|c| c.r < 100).count();
    assert!(dark > 150, "{dark} dark pixels");
}
