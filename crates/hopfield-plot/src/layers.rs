//! The things drawn inside a panel.
//!
//! All sizes are in pixels of the figure (1 px = 1/100 inch at matplotlib's
//! default 100 dpi, so 1 pt ≈ 1.39 px).

use std::fmt;
use std::sync::Arc;

use crate::bins::{Bins, HistogramCounts, histogram_counts};
use crate::color::{Color, Colormap};
use crate::error::PlotError;
use crate::geom::{HAlign, VAlign};

/// How a line is stroked. Dash lengths scale with the line width, as in matplotlib.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LineStyle {
    /// `-`
    #[default]
    Solid,
    /// `--`
    Dashed,
    /// `:`
    Dotted,
    /// `-.`
    DashDot,
}

impl LineStyle {
    /// Dash pattern (on, off, ...) for a line of the given width, if not solid.
    pub(crate) fn dashes(self, width: f64) -> Option<Vec<f64>> {
        let w = width.max(1.0);
        match self {
            LineStyle::Solid => None,
            LineStyle::Dashed => Some(vec![3.7 * w, 1.6 * w]),
            LineStyle::Dotted => Some(vec![w, 1.65 * w]),
            LineStyle::DashDot => Some(vec![6.4 * w, 1.6 * w, w, 1.6 * w]),
        }
    }
}

/// A marker drawn at each data point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    /// `o`
    Circle,
    /// `s`
    Square,
    /// `^`
    Triangle,
    /// `D`
    Diamond,
    /// `x`
    Cross,
    /// `+`
    Plus,
}

/// Default line width (matplotlib's 1.5 pt).
pub(crate) const DEFAULT_LINE_WIDTH: f64 = 2.0;
/// Default marker diameter (matplotlib's 6 pt).
pub(crate) const DEFAULT_MARKER_SIZE: f64 = 8.0;

/// A series of (x, y) points joined by straight segments, like `plt.plot`.
///
/// Every value must be finite: NaN or infinity is reported as
/// [`PlotError::NonFinite`](crate::PlotError::NonFinite) when the figure is rendered.
#[derive(Clone, Debug)]
pub struct Line {
    pub(crate) x: Option<Vec<f64>>,
    pub(crate) y: Vec<f64>,
    pub(crate) label: Option<String>,
    pub(crate) color: Option<Color>,
    pub(crate) width: f64,
    pub(crate) style: LineStyle,
    pub(crate) marker: Option<Marker>,
    pub(crate) marker_size: f64,
    pub(crate) alpha: f64,
}

impl Line {
    /// A line through the points `(x[i], y[i])`; both must have the same length.
    pub fn new(x: impl Into<Vec<f64>>, y: impl Into<Vec<f64>>) -> Line {
        Line::build(Some(x.into()), y.into())
    }

    /// A line through `(i, y[i])` for `i = 0, 1, ...` (like `plt.plot(y)`).
    pub fn from_y(y: impl Into<Vec<f64>>) -> Line {
        Line::build(None, y.into())
    }

    fn build(x: Option<Vec<f64>>, y: Vec<f64>) -> Line {
        Line {
            x,
            y,
            label: None,
            color: None,
            width: DEFAULT_LINE_WIDTH,
            style: LineStyle::Solid,
            marker: None,
            marker_size: DEFAULT_MARKER_SIZE,
            alpha: 1.0,
        }
    }

    /// The legend entry; unlabelled layers are left out of the legend.
    pub fn label(mut self, label: impl Into<String>) -> Line {
        self.label = Some(label.into());
        self
    }

    /// The colour; by default the next colour of [`Color::cycle`].
    pub fn color(mut self, color: Color) -> Line {
        self.color = Some(color);
        self
    }

    /// Stroke width in px (default 2); 0 draws markers only.
    pub fn width(mut self, width: f64) -> Line {
        self.width = width;
        self
    }

    /// Dash style (default solid).
    pub fn style(mut self, style: LineStyle) -> Line {
        self.style = style;
        self
    }

    /// Draw a marker at every point.
    pub fn marker(mut self, marker: Marker) -> Line {
        self.marker = Some(marker);
        self
    }

    /// Marker diameter in px (default 8).
    pub fn marker_size(mut self, size: f64) -> Line {
        self.marker_size = size;
        self
    }

    /// Opacity in `[0, 1]` (default 1).
    pub fn alpha(mut self, alpha: f64) -> Line {
        self.alpha = alpha;
        self
    }
}

/// Vertical stems from a baseline to each value, topped by a marker, like
/// `plt.stem`: the usual picture of a ±1 state vector.
///
/// Values must be finite (see [`Line`]).
#[derive(Clone, Debug)]
pub struct Stem {
    pub(crate) x: Option<Vec<f64>>,
    pub(crate) y: Vec<f64>,
    pub(crate) label: Option<String>,
    pub(crate) color: Option<Color>,
    pub(crate) baseline: f64,
    pub(crate) baseline_color: Color,
    pub(crate) marker: Option<Marker>,
    pub(crate) marker_size: Option<f64>,
    pub(crate) width: f64,
}

impl Stem {
    /// Stems at `x = 0, 1, ...` with heights `y`.
    pub fn new(y: impl Into<Vec<f64>>) -> Stem {
        Stem::build(None, y.into())
    }

    /// Stems at the given positions; `x` and `y` must have the same length.
    pub fn with_x(x: impl Into<Vec<f64>>, y: impl Into<Vec<f64>>) -> Stem {
        Stem::build(Some(x.into()), y.into())
    }

    fn build(x: Option<Vec<f64>>, y: Vec<f64>) -> Stem {
        Stem {
            x,
            y,
            label: None,
            color: None,
            baseline: 0.0,
            baseline_color: Color::RED,
            marker: Some(Marker::Circle),
            marker_size: None,
            width: DEFAULT_LINE_WIDTH,
        }
    }

    /// The legend entry.
    pub fn label(mut self, label: impl Into<String>) -> Stem {
        self.label = Some(label.into());
        self
    }

    /// Colour of stems and markers; by default the next colour of the cycle.
    pub fn color(mut self, color: Color) -> Stem {
        self.color = Some(color);
        self
    }

    /// Height the stems start from (default 0).
    pub fn baseline(mut self, baseline: f64) -> Stem {
        self.baseline = baseline;
        self
    }

    /// Colour of the baseline (default [`Color::RED`], as in matplotlib).
    pub fn baseline_color(mut self, color: Color) -> Stem {
        self.baseline_color = color;
        self
    }

    /// Marker at the top of each stem (default [`Marker::Circle`]); `None` for bare stems.
    pub fn marker(mut self, marker: Option<Marker>) -> Stem {
        self.marker = marker;
        self
    }

    /// Marker diameter in px. By default 8, shrunk when stems are closer
    /// than that so neighbouring markers stay distinct.
    pub fn marker_size(mut self, size: f64) -> Stem {
        self.marker_size = Some(size);
        self
    }

    /// Stroke width of the stems in px (default 2).
    pub fn width(mut self, width: f64) -> Stem {
        self.width = width;
        self
    }
}

/// A histogram of values, drawn as adjacent bars like `plt.hist`.
///
/// Values must be finite. With an explicit [`range`](Histogram::range) (or
/// explicit edges), values outside it are not counted, like numpy; the last
/// bin includes its right edge.
#[derive(Clone, Debug)]
pub struct Histogram {
    pub(crate) values: Vec<f64>,
    pub(crate) bins: Bins,
    pub(crate) range: Option<(f64, f64)>,
    pub(crate) density: bool,
    pub(crate) label: Option<String>,
    pub(crate) color: Option<Color>,
    pub(crate) alpha: f64,
    pub(crate) edge: Option<Color>,
}

impl Histogram {
    /// A histogram of `values` with automatic bins.
    pub fn new(values: impl Into<Vec<f64>>) -> Histogram {
        Histogram {
            values: values.into(),
            bins: Bins::Auto,
            range: None,
            density: false,
            label: None,
            color: None,
            alpha: 1.0,
            edge: None,
        }
    }

    /// The binning rule (default [`Bins::Auto`]).
    pub fn bins(mut self, bins: Bins) -> Histogram {
        self.bins = bins;
        self
    }

    /// Range covered by equal-width bins (default: min to max of the values);
    /// values outside it are not counted. Ignored with [`Bins::Edges`],
    /// whose first and last edges are the range.
    pub fn range(mut self, lo: f64, hi: f64) -> Histogram {
        self.range = Some((lo, hi));
        self
    }

    /// Normalise bar heights so their total area is 1 (default: raw counts).
    pub fn density(mut self, density: bool) -> Histogram {
        self.density = density;
        self
    }

    /// The legend entry.
    pub fn label(mut self, label: impl Into<String>) -> Histogram {
        self.label = Some(label.into());
        self
    }

    /// Bar colour; by default the next colour of the cycle.
    pub fn color(mut self, color: Color) -> Histogram {
        self.color = Some(color);
        self
    }

    /// Bar opacity in `[0, 1]` (default 1), for overlaid histograms.
    pub fn alpha(mut self, alpha: f64) -> Histogram {
        self.alpha = alpha;
        self
    }

    /// Outline the bars in this colour (default: no outline).
    pub fn edge_color(mut self, color: Color) -> Histogram {
        self.edge = Some(color);
        self
    }

    /// Computes the bins and counts that will be drawn, e.g. to scale a
    /// theoretical density to counts (`total × bin_width`).
    ///
    /// ```
    /// use hopfield_plot::{Bins, Histogram};
    /// let h = Histogram::new(vec![0.0, 0.5, 1.0, 1.0]).bins(Bins::Count(2));
    /// let c = h.compute().unwrap();
    /// assert_eq!(c.edges, vec![0.0, 0.5, 1.0]);
    /// assert_eq!(c.counts, vec![1.0, 3.0]);
    /// ```
    pub fn compute(&self) -> Result<HistogramCounts, PlotError> {
        self.counts_in("histogram")
    }

    /// [`compute`](Histogram::compute), naming `context` in errors.
    pub(crate) fn counts_in(&self, context: &str) -> Result<HistogramCounts, PlotError> {
        histogram_counts(&self.values, &self.bins, self.range, self.density, context)
    }
}

/// A function `y = f(x)` sampled on a grid, e.g. a theoretical density laid
/// over a histogram.
///
/// It is sampled at [`samples`](Curve::samples) evenly spaced points over its
/// [`domain`](Curve::domain), or over the panel's x range if no domain is set.
/// Non-finite samples are skipped explicitly: they break the drawn curve into
/// pieces. A curve with no finite sample at all is an error.
#[derive(Clone)]
pub struct Curve {
    pub(crate) f: Arc<dyn Fn(f64) -> f64 + Send + Sync>,
    pub(crate) domain: Option<(f64, f64)>,
    pub(crate) samples: usize,
    pub(crate) label: Option<String>,
    pub(crate) color: Option<Color>,
    pub(crate) width: f64,
    pub(crate) style: LineStyle,
    pub(crate) invalid: Option<String>,
}

impl fmt::Debug for Curve {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Curve")
            .field("domain", &self.domain)
            .field("samples", &self.samples)
            .field("label", &self.label)
            .field("color", &self.color)
            .field("width", &self.width)
            .field("style", &self.style)
            .finish_non_exhaustive()
    }
}

impl Curve {
    /// The curve of `f`.
    pub fn new(f: impl Fn(f64) -> f64 + Send + Sync + 'static) -> Curve {
        Curve {
            f: Arc::new(f),
            domain: None,
            samples: 256,
            label: None,
            color: None,
            width: DEFAULT_LINE_WIDTH,
            style: LineStyle::Solid,
            invalid: None,
        }
    }

    /// `scale × N(mean, sd²)` density: with `scale = total × bin_width` it
    /// matches the counts of a histogram of normally distributed values.
    /// `sd` must be positive and finite (checked when rendering).
    pub fn gaussian(mean: f64, sd: f64, scale: f64) -> Curve {
        let norm = scale / (sd * (2.0 * std::f64::consts::PI).sqrt());
        let mut curve = Curve::new(move |x| {
            let z = (x - mean) / sd;
            norm * libm::exp(-0.5 * z * z)
        });
        if !(sd > 0.0 && sd.is_finite() && mean.is_finite() && scale.is_finite()) {
            curve.invalid = Some(format!(
                "Gaussian needs a finite mean and scale and a positive sd (mean {mean}, sd {sd}, scale {scale})"
            ));
        }
        curve
    }

    /// Sample the curve over `[lo, hi]` instead of the panel's x range.
    pub fn domain(mut self, lo: f64, hi: f64) -> Curve {
        self.domain = Some((lo, hi));
        self
    }

    /// Number of sample points (default 256, at least 2).
    pub fn samples(mut self, n: usize) -> Curve {
        self.samples = n;
        self
    }

    /// The legend entry.
    pub fn label(mut self, label: impl Into<String>) -> Curve {
        self.label = Some(label.into());
        self
    }

    /// The colour; by default the next colour of the cycle.
    pub fn color(mut self, color: Color) -> Curve {
        self.color = Some(color);
        self
    }

    /// Stroke width in px (default 2).
    pub fn width(mut self, width: f64) -> Curve {
        self.width = width;
        self
    }

    /// Dash style (default solid).
    pub fn style(mut self, style: LineStyle) -> Curve {
        self.style = style;
        self
    }
}

macro_rules! reference_line {
    ($(#[$doc:meta])* $name:ident, $axis:literal) => {
        $(#[$doc])*
        #[derive(Clone, Debug)]
        pub struct $name {
            pub(crate) value: f64,
            pub(crate) label: Option<String>,
            pub(crate) color: Color,
            pub(crate) width: f64,
            pub(crate) style: LineStyle,
        }

        impl $name {
            #[doc = concat!("A line at ", $axis, " = `value` (must be finite).")]
            pub fn new(value: f64) -> $name {
                $name {
                    value,
                    label: None,
                    color: Color::DARK_GRAY,
                    width: 1.5,
                    style: LineStyle::Dashed,
                }
            }

            /// The legend entry.
            pub fn label(mut self, label: impl Into<String>) -> $name {
                self.label = Some(label.into());
                self
            }

            /// The colour (default [`Color::DARK_GRAY`]).
            pub fn color(mut self, color: Color) -> $name {
                self.color = color;
                self
            }

            /// Stroke width in px (default 1.5).
            pub fn width(mut self, width: f64) -> $name {
                self.width = width;
                self
            }

            /// Dash style (default [`LineStyle::Dashed`]).
            pub fn style(mut self, style: LineStyle) -> $name {
                self.style = style;
                self
            }
        }
    };
}

reference_line!(
    /// A horizontal reference line across the whole panel (like `plt.axhline`).
    /// Its value is included when the y range is chosen automatically.
    HLine,
    "y"
);
reference_line!(
    /// A vertical reference line across the whole panel (like `plt.axvline`).
    /// Its value is included when the x range is chosen automatically.
    VLine,
    "x"
);

/// Default limit on the drawn resolution of an [`Image`].
pub(crate) const DEFAULT_MAX_RESOLUTION: usize = 400;

/// A matrix drawn as an image with nearest-neighbour pixels, like
/// `plt.imshow`: row 0 at the top, cell `(r, c)` centred on `x = c, y = r`.
///
/// Matrices larger than the [maximum resolution](Image::max_resolution)
/// (400 × 400 by default) are reduced by block-averaging before drawing.
/// Values must be finite. Panels holding an image default to equal aspect
/// and an inverted y axis; see [`Panel::aspect`](crate::Panel::aspect).
#[derive(Clone, Debug)]
pub struct Image {
    /// Declared size of the full matrix.
    pub(crate) rows: usize,
    pub(crate) cols: usize,
    /// Stored grid (already reduced when built by `from_fn`).
    pub(crate) grid_rows: usize,
    pub(crate) grid_cols: usize,
    pub(crate) data: Vec<f64>,
    /// First non-finite value met by `from_fn`: (row-major index, value).
    pub(crate) non_finite: Option<(usize, f64)>,
    pub(crate) colormap: Colormap,
    pub(crate) range: Option<(f64, f64)>,
    pub(crate) symmetric: bool,
    pub(crate) colorbar: bool,
    pub(crate) colorbar_label: Option<String>,
    pub(crate) max_resolution: (usize, usize),
}

impl Image {
    /// A `rows × cols` image from row-major `data` (`data.len()` must be `rows * cols`).
    pub fn new(rows: usize, cols: usize, data: impl Into<Vec<f64>>) -> Image {
        Image {
            rows,
            cols,
            grid_rows: rows,
            grid_cols: cols,
            data: data.into(),
            non_finite: None,
            colormap: Colormap::default(),
            range: None,
            symmetric: false,
            colorbar: false,
            colorbar_label: None,
            max_resolution: (DEFAULT_MAX_RESOLUTION, DEFAULT_MAX_RESOLUTION),
        }
    }

    /// An image of a `rows × cols` matrix given by `f(row, col)`, reduced on
    /// the fly by block-averaging to at most `max_rows × max_cols` cells, so a
    /// 10000 × 10000 weight matrix never has to exist in memory.
    /// `f` is called exactly once per cell, in row-major order.
    ///
    /// ```
    /// use hopfield_plot::Image;
    /// let img = Image::from_fn(1000, 1000, 100, 100, |r, c| (r + c) as f64);
    /// assert_eq!(img.grid_shape(), (100, 100));
    /// assert_eq!(img.shape(), (1000, 1000));
    /// ```
    pub fn from_fn(
        rows: usize,
        cols: usize,
        max_rows: usize,
        max_cols: usize,
        mut f: impl FnMut(usize, usize) -> f64,
    ) -> Image {
        let out_r = rows.min(max_rows.max(1));
        let out_c = cols.min(max_cols.max(1));
        let mut non_finite = None;
        let data = block_average(rows, cols, out_r, out_c, |r, c| {
            let v = f(r, c);
            if !v.is_finite() && non_finite.is_none() {
                non_finite = Some((r * cols + c, v));
            }
            v
        });
        let mut img = Image::new(rows, cols, data);
        img.grid_rows = out_r;
        img.grid_cols = out_c;
        img.non_finite = non_finite;
        img.max_resolution = (max_rows, max_cols);
        img
    }

    /// `(rows, cols)` of the full matrix.
    pub fn shape(&self) -> (usize, usize) {
        (self.rows, self.cols)
    }

    /// `(rows, cols)` of the grid stored so far (smaller than [`shape`](Image::shape)
    /// after `from_fn` reduced it). Rendering may reduce it further.
    pub fn grid_shape(&self) -> (usize, usize) {
        (self.grid_rows, self.grid_cols)
    }

    /// The colormap (default [`Colormap::Viridis`]).
    pub fn colormap(mut self, colormap: Colormap) -> Image {
        self.colormap = colormap;
        self
    }

    /// Values mapped to the two ends of the colormap (matplotlib's
    /// `vmin`/`vmax`); others are clamped. Default: min and max of the drawn data.
    /// For ±1 patterns use `value_range(-1.0, 1.0)`, so that a pattern that
    /// happens to be constant still shows the right colour.
    pub fn value_range(mut self, lo: f64, hi: f64) -> Image {
        self.range = Some((lo, hi));
        self
    }

    /// Default range `[-m, m]` with `m` the largest absolute value, so that 0
    /// sits in the middle of a diverging colormap. Ignored if
    /// [`value_range`](Image::value_range) is set.
    pub fn symmetric_range(mut self) -> Image {
        self.symmetric = true;
        self
    }

    /// Draw a colorbar to the right of the panel.
    pub fn colorbar(mut self, show: bool) -> Image {
        self.colorbar = show;
        self
    }

    /// Label of the colorbar (implies [`colorbar(true)`](Image::colorbar)).
    pub fn colorbar_label(mut self, label: impl Into<String>) -> Image {
        self.colorbar = true;
        self.colorbar_label = Some(label.into());
        self
    }

    /// Largest drawn grid; bigger matrices are block-averaged down to it
    /// (default 400 × 400; both at least 1).
    pub fn max_resolution(mut self, max_rows: usize, max_cols: usize) -> Image {
        self.max_resolution = (max_rows, max_cols);
        self
    }
}

/// Block-averages a `rows × cols` matrix read through `get` into
/// `out_r × out_c` cells: input row `r` falls in output row `⌊r·out_r/rows⌋`
/// (blocks differ in size by at most one row), and likewise for columns.
pub(crate) fn block_average(
    rows: usize,
    cols: usize,
    out_r: usize,
    out_c: usize,
    mut get: impl FnMut(usize, usize) -> f64,
) -> Vec<f64> {
    if rows == 0 || cols == 0 || out_r == 0 || out_c == 0 {
        return Vec::new();
    }
    let col_bin: Vec<usize> = (0..cols).map(|c| c * out_c / cols).collect();
    let mut sums = vec![0.0; out_r * out_c];
    let mut counts = vec![0usize; out_r * out_c];
    for r in 0..rows {
        let base = (r * out_r / rows) * out_c;
        for (c, &bin) in col_bin.iter().enumerate() {
            sums[base + bin] += get(r, c);
            counts[base + bin] += 1;
        }
    }
    sums.iter()
        .zip(&counts)
        .map(|(s, &n)| s / n as f64)
        .collect()
}

/// A text box, such as the measured statistics next to a histogram. Lines
/// are separated by `\n`. Drawn with a white, outlined box by default.
///
/// By default it goes where it hides no data: the first free corner of the
/// plotting area (upper left, upper right, lower left, lower right), else
/// outside the axes, right of or below them (the plotting area shrinks to
/// make room); only when neither fits does it go in the corner that hides
/// least. [`at`](Text::at) pins it to a position instead.
#[derive(Clone, Debug)]
pub struct Text {
    pub(crate) content: String,
    /// Whether [`at`](Text::at) fixed the position.
    pub(crate) pinned: bool,
    pub(crate) at: (f64, f64),
    pub(crate) halign: HAlign,
    pub(crate) valign: VAlign,
    pub(crate) font_size: Option<f64>,
    pub(crate) boxed: bool,
}

impl Text {
    /// A text box placed where it hides no data (see [`Text`]).
    pub fn new(content: impl Into<String>) -> Text {
        Text {
            content: content.into(),
            pinned: false,
            at: (0.03, 0.97),
            halign: HAlign::Left,
            valign: VAlign::Top,
            font_size: None,
            boxed: true,
        }
    }

    /// Pins the box to an anchor in the panel's axes coordinates — `(0, 0)`
    /// is the bottom-left corner of the plotting area, `(1, 1)` the top-right —
    /// and says how the box sits on it. A pinned box is drawn there even if
    /// it hides data.
    pub fn at(mut self, x: f64, y: f64, halign: HAlign, valign: VAlign) -> Text {
        self.pinned = true;
        self.at = (x, y);
        self.halign = halign;
        self.valign = valign;
        self
    }

    /// Font size in px (default: the tick label size, 10 pt).
    pub fn font_size(mut self, size: f64) -> Text {
        self.font_size = Some(size);
        self
    }

    /// Draw the surrounding box (default true).
    pub fn boxed(mut self, boxed: bool) -> Text {
        self.boxed = boxed;
        self
    }
}

/// Anything that can be drawn in a [`Panel`](crate::Panel). Every layer type
/// converts into it, so `panel.layer(Line::from_y(y))` works directly.
#[derive(Clone, Debug)]
pub enum Layer {
    /// See [`Line`].
    Line(Line),
    /// See [`Stem`].
    Stem(Stem),
    /// See [`Histogram`].
    Histogram(Histogram),
    /// See [`Curve`].
    Curve(Curve),
    /// See [`HLine`].
    HLine(HLine),
    /// See [`VLine`].
    VLine(VLine),
    /// See [`Image`].
    Image(Image),
    /// See [`Text`].
    Text(Text),
}

macro_rules! into_layer {
    ($($t:ident),*) => {$(
        impl From<$t> for Layer {
            fn from(layer: $t) -> Layer {
                Layer::$t(layer)
            }
        }
    )*};
}
into_layer!(Line, Stem, Histogram, Curve, HLine, VLine, Image, Text);

impl Layer {
    /// Short name of the layer kind, used in error messages.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Layer::Line(_) => "line",
            Layer::Stem(_) => "stem",
            Layer::Histogram(_) => "histogram",
            Layer::Curve(_) => "curve",
            Layer::HLine(_) => "hline",
            Layer::VLine(_) => "vline",
            Layer::Image(_) => "image",
            Layer::Text(_) => "text",
        }
    }

    pub(crate) fn label(&self) -> Option<&str> {
        match self {
            Layer::Line(l) => l.label.as_deref(),
            Layer::Stem(l) => l.label.as_deref(),
            Layer::Histogram(l) => l.label.as_deref(),
            Layer::Curve(l) => l.label.as_deref(),
            Layer::HLine(l) => l.label.as_deref(),
            Layer::VLine(l) => l.label.as_deref(),
            Layer::Image(_) | Layer::Text(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_average_exact_and_uneven() {
        // 4x4 -> 2x2: each output cell is the mean of a 2x2 block.
        let v = block_average(4, 4, 2, 2, |r, c| (r * 4 + c) as f64);
        assert_eq!(v, vec![2.5, 4.5, 10.5, 12.5]);
        // 3x1 -> 2x1: rows {0, 1}, {2}.
        let v = block_average(3, 1, 2, 1, |r, _| r as f64);
        assert_eq!(v, vec![0.5, 2.0]);
        assert!(block_average(0, 3, 1, 1, |_, _| 1.0).is_empty());
    }

    #[test]
    fn from_fn_records_non_finite() {
        let img = Image::from_fn(
            3,
            3,
            2,
            2,
            |r, c| if r == 1 && c == 2 { f64::NAN } else { 0.0 },
        );
        assert_eq!(img.non_finite.map(|(i, _)| i), Some(5));
    }
}
