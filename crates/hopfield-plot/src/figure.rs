//! The figure: a grid of panels, rendered to SVG and PNG.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::PlotError;
use crate::panel::Panel;
use crate::render;

/// A figure: an optional title over a grid of [`Panel`]s.
///
/// Sizes are in pixels. Fonts follow matplotlib's defaults at 100 dpi
/// (10 pt tick labels ≈ 14 px), so a 640 × 480 figure looks like
/// `plt.figure()`; [`font_scale`](Figure::font_scale) adjusts them.
///
/// Rendering is deterministic: the same figure gives byte-identical files.
#[derive(Clone, Debug)]
pub struct Figure {
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) title: Option<String>,
    pub(crate) grid: Option<(usize, usize)>,
    pub(crate) panels: Vec<Panel>,
    pub(crate) share_x: bool,
    pub(crate) png_scale: f64,
    pub(crate) font_scale: f64,
}

/// Largest accepted width or height, in output pixels.
const MAX_SIDE: f64 = 16384.0;

impl Figure {
    /// An empty figure of `width × height` pixels (each in `16..=16384`).
    pub fn new(width: u32, height: u32) -> Figure {
        Figure {
            width,
            height,
            title: None,
            grid: None,
            panels: Vec::new(),
            share_x: false,
            png_scale: 1.0,
            font_scale: 1.0,
        }
    }

    /// Title centred above all panels (matplotlib's `suptitle`); for a
    /// single panel, [`Panel::title`] reads better.
    pub fn title(mut self, title: impl Into<String>) -> Figure {
        self.title = Some(title.into());
        self
    }

    /// Lay panels out in `rows × cols` cells, filled row by row. By default
    /// panels are stacked in a single column.
    pub fn grid(mut self, rows: usize, cols: usize) -> Figure {
        self.grid = Some((rows, cols));
        self
    }

    /// Adds a panel (in the next free grid cell).
    pub fn panel(mut self, panel: Panel) -> Figure {
        self.panels.push(panel);
        self
    }

    /// Adds a panel in place, for loops.
    pub fn push(&mut self, panel: Panel) {
        self.panels.push(panel);
    }

    /// Share the x range between the panels of each grid column and show x
    /// tick labels and x labels only on the bottom panel of each column, like
    /// `plt.subplots(..., sharex=True)`. Default false.
    pub fn share_x(mut self, share: bool) -> Figure {
        self.share_x = share;
        self
    }

    /// Resolution multiplier of the PNG only (default 1): 2 gives a
    /// `2·width × 2·height` PNG with the same layout, for sharp prints.
    pub fn png_scale(mut self, scale: f64) -> Figure {
        self.png_scale = scale;
        self
    }

    /// Multiplies all font sizes and text paddings (default 1).
    pub fn font_scale(mut self, scale: f64) -> Figure {
        self.font_scale = scale;
        self
    }

    /// Width and height of the PNG in pixels.
    pub fn png_size(&self) -> (u32, u32) {
        let s = |v: u32| (f64::from(v) * self.png_scale).round().max(1.0) as u32;
        (s(self.width), s(self.height))
    }

    pub(crate) fn validate(&self) -> Result<(), PlotError> {
        let ok = |v: u32| (16..=MAX_SIDE as u32).contains(&v);
        if !ok(self.width) || !ok(self.height) {
            return Err(PlotError::invalid(
                "figure",
                format!(
                    "size {}×{} px is outside 16..=16384",
                    self.width, self.height
                ),
            ));
        }
        let s = self.png_scale;
        if !(s.is_finite() && s > 0.0 && f64::from(self.width.max(self.height)) * s <= MAX_SIDE) {
            return Err(PlotError::invalid(
                "figure",
                format!("png_scale {s} must be positive and keep the PNG within 16384 px"),
            ));
        }
        if !(self.font_scale.is_finite() && self.font_scale > 0.0 && self.font_scale <= 10.0) {
            return Err(PlotError::invalid(
                "figure",
                format!("font_scale {} must be in (0, 10]", self.font_scale),
            ));
        }
        Ok(())
    }

    /// The figure as an SVG document. Images are embedded as base64 PNG.
    pub fn render_svg(&self) -> Result<String, PlotError> {
        let scene = render::Scene::build(self)?;
        scene.to_svg()
    }

    /// The figure as PNG bytes (8-bit RGB, [`png_size`](Figure::png_size)).
    pub fn render_png(&self) -> Result<Vec<u8>, PlotError> {
        let scene = render::Scene::build(self)?;
        scene.to_png()
    }

    /// Writes `<stem>.svg` and `<stem>.png` and returns their paths in that
    /// order. The suffixes are appended, so `fig.v2` gives `fig.v2.svg`.
    ///
    /// Everything is rendered before anything is written; each file is
    /// written to a temporary file in the same folder and renamed into
    /// place, so on error no partial file is left behind (and if the second
    /// rename fails, the first file is removed again).
    pub fn save(&self, stem: impl AsRef<Path>) -> Result<Vec<PathBuf>, PlotError> {
        let stem = stem.as_ref();
        if stem.file_name().is_none() {
            return Err(PlotError::invalid(
                "figure",
                format!("{} is not a file name stem", stem.display()),
            ));
        }
        let scene = render::Scene::build(self)?;
        let svg = scene.to_svg()?;
        let png = scene.to_png()?;
        let svg_path = with_suffix(stem, "svg");
        let png_path = with_suffix(stem, "png");
        write_all_atomic(&[(&svg_path, svg.as_bytes()), (&png_path, &png)])?;
        Ok(vec![svg_path, png_path])
    }
}

fn with_suffix(stem: &Path, ext: &str) -> PathBuf {
    let mut s = stem.as_os_str().to_owned();
    s.push(".");
    s.push(ext);
    PathBuf::from(s)
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> PlotError + '_ {
    move |source| PlotError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `data` to a fresh temporary file next to `path`; returns its path.
fn write_temp(path: &Path, data: &[u8]) -> Result<PathBuf, PlotError> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .map_err(io_err(path))?;
    let written = file.write_all(data).and_then(|()| file.sync_all());
    drop(file);
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(io_err(path)(e));
    }
    Ok(tmp)
}

fn write_all_atomic(files: &[(&PathBuf, &[u8])]) -> Result<(), PlotError> {
    let mut temps = Vec::with_capacity(files.len());
    for (path, data) in files {
        match write_temp(path, data) {
            Ok(t) => temps.push(t),
            Err(e) => {
                for t in &temps {
                    let _ = fs::remove_file(t);
                }
                return Err(e);
            }
        }
    }
    for (i, (tmp, (path, _))) in temps.iter().zip(files).enumerate() {
        if let Err(e) = fs::rename(tmp, path) {
            for t in &temps[i..] {
                let _ = fs::remove_file(t);
            }
            for (done, _) in &files[..i] {
                let _ = fs::remove_file(done);
            }
            return Err(io_err(path)(e));
        }
    }
    Ok(())
}
