//! A panel: one set of axes with its layers.

use crate::layers::Layer;

/// Where the legend goes. It is drawn only if at least one layer has a label.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Legend {
    /// Where it hides no data: the first free corner of the plotting area
    /// (upper right, upper left, lower left, lower right, after any text
    /// boxes have taken theirs), else outside the axes, right of or below
    /// them (the plotting area shrinks to make room); only when neither
    /// fits, in the corner that hides least.
    #[default]
    Best,
    /// Inside, upper right.
    UpperRight,
    /// Inside, upper left.
    UpperLeft,
    /// Inside, lower left.
    LowerLeft,
    /// Inside, lower right.
    LowerRight,
    /// Outside the axes, to the right (good for many series).
    OutsideRight,
    /// No legend.
    Hidden,
}

/// Aspect ratio of the plotting area.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aspect {
    /// Fill the available space.
    Auto,
    /// One x unit is as long as one y unit (square image pixels).
    Equal,
}

/// One set of axes: labels, ranges, and the layers drawn in it.
///
/// Ranges are automatic by default: the data extent plus a 5 % margin
/// (none beyond an image's edges or below a histogram's zero), like matplotlib.
///
/// ```
/// use hopfield_plot::{Panel, Line, HLine};
/// let p = Panel::new()
///     .title("energy")
///     .xlabel("step")
///     .ylabel("E")
///     .layer(Line::from_y(vec![3.0, 1.0, -2.0]))
///     .layer(HLine::new(0.0));
/// assert_eq!(p.layers().len(), 2);
/// ```
#[derive(Clone, Debug, Default)]
pub struct Panel {
    pub(crate) title: Option<String>,
    pub(crate) xlabel: Option<String>,
    pub(crate) ylabel: Option<String>,
    pub(crate) x_range: Option<(f64, f64)>,
    pub(crate) y_range: Option<(f64, f64)>,
    pub(crate) x_ticks: Option<Vec<f64>>,
    pub(crate) y_ticks: Option<Vec<f64>>,
    pub(crate) layers: Vec<Layer>,
    pub(crate) legend: Legend,
    pub(crate) grid: bool,
    pub(crate) aspect: Option<Aspect>,
    pub(crate) axes_hidden: bool,
    pub(crate) ticks_hidden: bool,
    pub(crate) invert_y: Option<bool>,
}

impl Panel {
    /// An empty panel.
    pub fn new() -> Panel {
        Panel::default()
    }

    /// Title above the axes.
    pub fn title(mut self, title: impl Into<String>) -> Panel {
        self.title = Some(title.into());
        self
    }

    /// Label under the x axis.
    pub fn xlabel(mut self, label: impl Into<String>) -> Panel {
        self.xlabel = Some(label.into());
        self
    }

    /// Label left of the y axis.
    pub fn ylabel(mut self, label: impl Into<String>) -> Panel {
        self.ylabel = Some(label.into());
        self
    }

    /// Fixed x range, left to right (`lo > hi` flips the axis). Must be finite
    /// and not empty.
    pub fn x_range(mut self, lo: f64, hi: f64) -> Panel {
        self.x_range = Some((lo, hi));
        self
    }

    /// Fixed y range, bottom to top (`lo > hi` flips the axis).
    pub fn y_range(mut self, lo: f64, hi: f64) -> Panel {
        self.y_range = Some((lo, hi));
        self
    }

    /// Explicit x tick positions (ticks outside the range are dropped).
    pub fn x_ticks(mut self, ticks: impl Into<Vec<f64>>) -> Panel {
        self.x_ticks = Some(ticks.into());
        self
    }

    /// Explicit y tick positions (ticks outside the range are dropped).
    pub fn y_ticks(mut self, ticks: impl Into<Vec<f64>>) -> Panel {
        self.y_ticks = Some(ticks.into());
        self
    }

    /// Adds a layer (drawn over the previous ones).
    pub fn layer(mut self, layer: impl Into<Layer>) -> Panel {
        self.layers.push(layer.into());
        self
    }

    /// Adds a layer in place, for loops.
    pub fn push(&mut self, layer: impl Into<Layer>) {
        self.layers.push(layer.into());
    }

    /// The layers added so far.
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// Legend placement (default [`Legend::Best`]).
    pub fn legend(mut self, legend: Legend) -> Panel {
        self.legend = legend;
        self
    }

    /// Light grid lines at the ticks (default off).
    pub fn grid(mut self, grid: bool) -> Panel {
        self.grid = grid;
        self
    }

    /// Aspect ratio. Default: [`Aspect::Equal`] if the panel holds an
    /// [`Image`](crate::Image), else [`Aspect::Auto`]. Use `Auto` for a
    /// neuron × time raster that should fill the panel.
    pub fn aspect(mut self, aspect: Aspect) -> Panel {
        self.aspect = Some(aspect);
        self
    }

    /// Hide the frame, ticks and axis labels (matplotlib's `axis("off")`);
    /// the title is still drawn. For galleries of small pattern images.
    pub fn hide_axes(mut self) -> Panel {
        self.axes_hidden = true;
        self
    }

    /// Hide ticks and tick labels but keep the frame and axis labels: for
    /// small pattern images whose white cells would otherwise merge with the
    /// background.
    pub fn hide_ticks(mut self) -> Panel {
        self.ticks_hidden = true;
        self
    }

    /// Whether y grows downwards. Default: true if the panel holds an image
    /// and has no explicit [`y_range`](Panel::y_range) (row 0 at the top,
    /// like `imshow`), else false. With an explicit range, `true` swaps it.
    pub fn invert_y(mut self, invert: bool) -> Panel {
        self.invert_y = Some(invert);
        self
    }
}
