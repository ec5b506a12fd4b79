//! The figure's outputs: SVG and PNG bytes, and files written atomically.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::PlotError;
use crate::figure::Figure;
use crate::render::Scene;
use crate::report::Layout;

impl Figure {
    /// The figure as an SVG document. Images are embedded as base64 PNG.
    pub fn render_svg(&self) -> Result<String, PlotError> {
        let scene = Scene::build(self)?;
        scene.to_svg()
    }

    /// The figure as PNG bytes (8-bit RGB, [`png_size`](Figure::png_size)).
    pub fn render_png(&self) -> Result<Vec<u8>, PlotError> {
        let scene = Scene::build(self)?;
        scene.to_png()
    }

    /// Where everything of the figure lands, in figure pixels: the plotting
    /// areas, the data marks, the legends and text boxes, the titles. The
    /// same layout is drawn by [`render_svg`](Figure::render_svg),
    /// [`render_png`](Figure::render_png) and [`save`](Figure::save).
    ///
    /// ```
    /// use hopfield_plot::{Figure, Line, Panel};
    ///
    /// let fig = Figure::new(480, 320).panel(
    ///     Panel::new()
    ///         .layer(Line::from_y(vec![0.0, 1.0, 4.0, 9.0]).label("n²"))
    ///         .layer(Line::from_y(vec![0.0, 0.5, 2.0, 4.5]).label("n²/2")),
    /// );
    /// let layout = fig.layout()?;
    /// assert!(layout.problems().is_empty(), "{:?}", layout.problems());
    /// // The curves rise to the right: the legend takes the upper left corner.
    /// let (plot, legend) = (layout.panels[0].plot, layout.panels[0].boxes[0]);
    /// assert!(!legend.outside);
    /// assert!(legend.rect.x < plot.x + 20.0 && legend.rect.y < plot.y + 20.0);
    /// # Ok::<(), hopfield_plot::PlotError>(())
    /// ```
    pub fn layout(&self) -> Result<Layout, PlotError> {
        Ok(Scene::build(self)?.layout())
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
        let scene = Scene::build(self)?;
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
