#![deny(missing_docs)]
//! Figures for Hopfield network experiments, written as both SVG and PNG.
//!
//! ```
//! use hopfield_plot::{Figure, HLine, Line, Marker, Panel};
//!
//! let dir = tempfile::tempdir()?;
//! let errors = vec![12.0, 7.0, 3.0, 1.0, 0.0, 0.0];
//! let figure = Figure::new(640, 480).panel(
//!     Panel::new()
//!         .title("Recall from a noisy cue")
//!         .xlabel("update")
//!         .ylabel("Hamming error")
//!         .layer(Line::from_y(errors).label("run 1").marker(Marker::Circle))
//!         .layer(HLine::new(0.0)),
//! );
//! let paths = figure.save(dir.path().join("recall"))?;
//! assert!(paths.iter().all(|p| p.exists()));
//! assert!(paths[0].ends_with("recall.svg") && paths[1].ends_with("recall.png"));
//!
//! // The PNG decodes and has the requested size.
//! let bytes = std::fs::read(&paths[1])?;
//! let reader = png::Decoder::new(std::io::Cursor::new(bytes)).read_info()?;
//! assert_eq!((reader.info().width, reader.info().height), (640, 480));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Model
//!
//! A [`Figure`] (size in pixels, optional title) holds [`Panel`]s laid out in a
//! grid ([`Figure::grid`]; one column by default). A panel has a title, axis
//! labels, ranges (automatic by default) and layers drawn in order:
//! [`Line`], [`Stem`], [`Histogram`], [`Curve`], [`HLine`], [`VLine`],
//! [`Image`] and [`Text`]. [`Figure::save`] writes `<stem>.svg` and
//! `<stem>.png`; [`Figure::render_svg`] and [`Figure::render_png`] give the
//! bytes instead.
//!
//! # Legends, text boxes and titles
//!
//! A legend ([`Legend::Best`], the default) and a [`Text`] box go where they
//! hide no data: the first corner of the plotting area that none of the
//! drawn bars, markers, line pieces, reference lines or images reaches, nor
//! another box. When no corner is free they move outside the axes — right of
//! them or below the x labels, whichever takes less from the plotting area,
//! which shrinks to make room while the figure keeps its size. Only when
//! neither side has room does a box stay in the corner where it hides
//! least. A legend given a corner and a text box given a position
//! ([`Text::at`]) stay where they are put.
//!
//! A panel title is centred over its panel and set smaller if it would be
//! wider than the panel's share of the figure; a title for several panels
//! is the figure's own ([`Figure::title`]). [`Figure::layout`] tells where
//! everything went, and [`Layout::problems`] lists any box that hides data
//! and any title that leaves its panel:
//!
//! ```
//! use hopfield_plot::{Bins, Curve, Figure, Histogram, Panel, Text};
//!
//! let values: Vec<f64> = (0..400).map(|k| f64::from((k * 37) % 21) - 10.0).collect();
//! let panel = |title: &str| {
//!     Panel::new()
//!         .title(title)
//!         .layer(Histogram::new(values.clone()).bins(Bins::Count(21)).label("measured"))
//!         .layer(Curve::new(|x| 19.0 + 0.01 * x * x).label("a curve across the top"))
//!         .layer(Text::new("mean 0, sd 6.1"))
//! };
//! let fig = Figure::new(800, 360)
//!     .title("Two samples")
//!     .grid(1, 2)
//!     .panel(panel("first"))
//!     .panel(panel("second"));
//! let layout = fig.layout()?;
//! assert!(layout.problems().is_empty());
//! // The curve runs through every corner: each box found its place outside the axes.
//! assert!(layout.panels.iter().flat_map(|p| &p.boxes).all(|b| b.outside));
//! # Ok::<(), hopfield_plot::PlotError>(())
//! ```
//!
//! # Recipes
//!
//! Stacked stem plots sharing the x axis, a row of captioned ±1 patterns,
//! and a weight matrix with a colorbar:
//!
//! ```
//! use hopfield_plot::{Colormap, Figure, Image, Panel, Stem};
//!
//! let s: Vec<f64> = (0..100).map(|i| if i % 3 == 0 { 1.0 } else { -1.0 }).collect();
//! let stems = Figure::new(640, 560)
//!     .share_x(true)
//!     .panel(Panel::new().title("S original").layer(Stem::new(s.clone())))
//!     .panel(Panel::new().title("S final").xlabel("neuron").layer(Stem::new(s.clone())));
//!
//! let pattern = |d: &[f64]| {
//!     Image::new(5, 5, d.to_vec()).colormap(Colormap::GrayR).value_range(-1.0, 1.0)
//! };
//! let letters = Figure::new(540, 220)
//!     .grid(1, 3)
//!     .panel(Panel::new().title("true").hide_ticks().layer(pattern(&s[..25])))
//!     .panel(Panel::new().title("noisy").hide_ticks().layer(pattern(&s[25..50])))
//!     .panel(Panel::new().title("recalled").hide_ticks().layer(pattern(&s[..25])));
//!
//! // A 2000 × 2000 Hebbian matrix, never stored: block-averaged to 400 × 400.
//! let weights = Figure::new(560, 480).panel(
//!     Panel::new().title("W").layer(
//!         Image::from_fn(2000, 2000, 400, 400, |i, j| if i == j { 0.0 } else { s[i % 100] * s[j % 100] })
//!             .colormap(Colormap::RdBuR)
//!             .symmetric_range()
//!             .colorbar_label("w_ij"),
//!     ),
//! );
//! for fig in [stems, letters, weights] {
//!     assert!(fig.render_svg()?.contains("<svg"));
//!     assert!(!fig.render_png()?.is_empty());
//! }
//! # Ok::<(), hopfield_plot::PlotError>(())
//! ```
//!
//! `cargo run -p hopfield-plot --example gallery -- DIR` renders one figure
//! of each kind into `DIR`.
//!
//! # Look
//!
//! The style follows matplotlib's defaults: a black frame with outward ticks
//! on the bottom and left, round tick values, 5 % data margins, the "tab10"
//! colour cycle, 10 pt DejaVu Sans text at 100 dpi, a legend with a light
//! rounded box when layers are labelled. Margins adapt to the labels (like
//! `tight_layout`), so nothing is clipped.
//!
//! Text is drawn from the DejaVu Sans font embedded in the crate
//! (`assets/DejaVuSans.ttf`, license in `assets/LICENSE-DejaVu.txt`); no system
//! font is needed. In the SVG, text is kept as `<text>` (so it stays
//! searchable) and names DejaVu Sans first, with similar fallbacks.
//! Images are embedded in the SVG as a single base64 PNG `<image>` with
//! pixelated rendering, never as one `<rect>` per cell.
//!
//! # Data errors
//!
//! Nothing panics on data. Empty series, NaN or infinite values, mismatched
//! x/y lengths, malformed images and invalid settings are reported as
//! [`PlotError`] when rendering or saving, naming the panel and layer. The
//! one documented exception is [`Curve`]: its non-finite samples are skipped
//! and break the curve.
//!
//! # Determinism
//!
//! The same figure always gives byte-identical SVG and PNG files: there is no
//! timestamp, randomness, hash-map ordering or system font lookup.

//! # Layers
//!
//! The modules form layers: each imports only modules of the lines below
//! its own, never one above, so the model knows nothing of drawing and the
//! back ends nothing of the model. Everything public is re-exported here at
//! the crate root.
//!
//! ```text
//! output          Figure::render_svg, render_png, save, layout; files
//!                 written atomically
//! render          the scene, one file per job: data ranges, layout, data
//!                 marks, placement of legends and boxes, drawing (its files
//!                 import only earlier ones)
//! figure          Figure: a grid of panels                     (the model)
//! panel  prepare  Panel: one set of axes; layers checked, with derived
//!                 data: points, bins, colour-mapped images
//! layers          Line, Histogram, Image, Text, …
//! canvas  bins    the SVG and raster back ends, which know nothing of the
//!                 model; histogram binning
//! encode  report  check
//!                 PNG and base64; Layout: where plotting areas, marks, boxes
//!                 and titles landed; errors for bad numbers
//! error  color  font  geom  ticks      (import nothing from the crate)
//! ```

mod bins;
mod canvas;
mod check;
mod color;
mod encode;
mod error;
mod figure;
mod font;
mod geom;
mod layers;
mod output;
mod panel;
mod prepare;
mod render;
mod report;
mod ticks;

pub use bins::{Bins, HistogramCounts};
pub use color::{Color, Colormap};
pub use error::PlotError;
pub use figure::Figure;
pub use geom::{HAlign, Rect, VAlign};
pub use layers::{
    Curve, HLine, Histogram, Image, Layer, Line, LineStyle, Marker, Stem, Text, VLine,
};
pub use panel::{Aspect, Legend, Panel};
pub use report::{BoxKind, Layout, PanelLayout, PlacedBox};
