//! Figure builders shared by the tour's sections and the commands, and the one place
//! where figures are written.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use hopfield::experiment;
use hopfield::{Shape, Weights};
use hopfield_plot::{
    Aspect, Bins, Colormap, Curve, Figure, Histogram, Image, Layout, Line, LineStyle, Panel, Rect,
    Stem, Text, VLine,
};
use serde_json::{Value, json};

/// When this environment variable names a folder, every figure written also leaves its
/// layout there (`<file name>.json`: plotting areas, data marks, legend and text boxes,
/// titles, as `Figure::layout` gives them). The command-line tests read these files to
/// check that no legend or box hides data in any figure the commands write; users have
/// no need of them.
pub const LAYOUT_VARIABLE: &str = "HOPFIELD_FIGURE_LAYOUTS";

/// Writes `figure` as `<stem>.svg` and `<stem>.png`, each atomically (see [`write`]).
pub fn save(figure: &Figure, stem: &Path) -> Result<Vec<PathBuf>> {
    let mut written = Vec::with_capacity(2);
    for ext in ["svg", "png"] {
        let mut name = stem.as_os_str().to_owned();
        name.push(".");
        name.push(ext);
        let path = PathBuf::from(name);
        render_to(figure, &path)?;
        written.push(path);
    }
    record_layout(figure, stem)?;
    Ok(written)
}

/// Writes `figure` to one file, as SVG or PNG after the extension of `path`, atomically
/// ([`hopfield_io::atomic_write`]: an unpredictable temporary name, the replaced file's
/// permissions kept, nothing left behind on error or interrupt).
pub fn write(figure: &Figure, path: &Path) -> Result<()> {
    render_to(figure, path)?;
    record_layout(figure, path)
}

/// Renders `figure` as the extension of `path` says and writes it there atomically.
fn render_to(figure: &Figure, path: &Path) -> Result<()> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let bytes = match ext.as_deref() {
        Some("svg") => figure.render_svg()?.into_bytes(),
        Some("png") => figure.render_png()?,
        _ => anyhow::bail!("{}: a figure is written as .svg or .png", path.display()),
    };
    hopfield_io::atomic_write(path, &bytes)?;
    Ok(())
}

/// Leaves the layout of `figure`, written at `path`, in the folder named by
/// [`LAYOUT_VARIABLE`], if it is set.
fn record_layout(figure: &Figure, path: &Path) -> Result<()> {
    let Some(dir) = std::env::var_os(LAYOUT_VARIABLE) else {
        return Ok(());
    };
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let file = Path::new(&dir).join(format!("{name}.json"));
    let text = serde_json::to_string(&layout_json(&figure.layout()?))?;
    hopfield_io::atomic_write(&file, text.as_bytes())
        .with_context(|| format!("writing the layout of {}", path.display()))?;
    Ok(())
}

fn layout_json(layout: &Layout) -> Value {
    let rect = |r: &Rect| json!([r.x, r.y, r.w, r.h]);
    json!({
        "width": layout.width,
        "height": layout.height,
        "title": layout.title.as_ref().map(rect),
        "panels": layout.panels.iter().map(|p| json!({
            "plot": rect(&p.plot),
            "cell": rect(&p.cell),
            "title": p.title.as_ref().map(rect),
            "marks": p.marks.iter().map(rect).collect::<Vec<_>>(),
            "boxes": p.boxes.iter().map(|b| json!({
                "kind": format!("{:?}", b.kind),
                "rect": rect(&b.rect),
                "outside": b.outside,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// The neuron × time raster of `simulate` (`raster[i][t]`, 0/1): black where a neuron is
/// on, time to the right.
pub fn raster(raster: &[Vec<i8>]) -> Figure {
    let n = raster.len();
    let t = raster.first().map_or(0, Vec::len);
    let values: Vec<f64> = raster.iter().flatten().map(|&v| f64::from(v)).collect();
    let height = (200 + 5 * n).clamp(300, 800) as u32;
    Figure::new(900, height).panel(
        Panel::new()
            .title("Neuron × time (black = 1)")
            .aspect(Aspect::Auto)
            .xlabel("time (updates)")
            .ylabel("neuron")
            .layer(
                Image::new(n, t, values)
                    .colormap(Colormap::GrayR)
                    .value_range(0.0, 1.0),
            ),
    )
}

/// A ±1 (or 0/1, or −2..2) state drawn as an image: on dark, off white.
pub fn pattern(state: &[i8], shape: Shape, title: &str) -> Panel {
    let values: Vec<f64> = state.iter().map(|&s| f64::from(s)).collect();
    let lo = values.iter().copied().fold(-1.0, f64::min);
    let hi = values.iter().copied().fold(1.0, f64::max);
    Panel::new()
        .title(title)
        .aspect(Aspect::Equal)
        .hide_ticks()
        .layer(
            Image::new(shape.rows, shape.cols, values)
                .colormap(Colormap::GrayR)
                .value_range(lo, hi),
        )
}

/// A weight matrix drawn with a diverging colormap, block-averaged to at most `res` cells.
pub fn weights(w: &Weights, title: &str, res: usize) -> Panel {
    let n = w.n();
    Panel::new()
        .title(title)
        .aspect(Aspect::Equal)
        .xlabel("j")
        .ylabel("i")
        .layer(
            Image::from_fn(n, n, res, res, |i, j| w.get(i, j))
                .colormap(Colormap::RdBuR)
                .symmetric_range()
                .colorbar_label("W_ij"),
        )
}

/// Stacked stem plots sharing the neuron axis, as the page's `plt.stem` subplots.
pub fn stems(series: &[(&str, &[i8])], width: u32) -> Figure {
    let mut fig = Figure::new(width, 150 * series.len() as u32 + 40)
        .grid(series.len(), 1)
        .share_x(true);
    for (k, (title, values)) in series.iter().enumerate() {
        let y: Vec<f64> = values.iter().map(|&v| f64::from(v)).collect();
        let mut p = Panel::new()
            .title(*title)
            .y_range(-1.5, 1.5)
            .y_ticks(vec![-1.0, 0.0, 1.0]);
        if k + 1 == series.len() {
            p = p.xlabel("neuron i");
        }
        fig.push(p.layer(Stem::new(y)));
    }
    fig
}

/// A curve of values against their index.
pub fn series(y: &[f64], label: &str) -> Line {
    Line::from_y(y.to_vec()).label(label)
}

/// The weight matrix of a network trained on `patterns`, block-averaged to at most
/// `res × res` cells without evaluating all N² couplings: W_ij depends only on the
/// columns of the two neurons (their "types"), so each block is a weighted sum over the
/// few types present in it.
pub fn weights_by_type(
    w: &Weights,
    patterns: &hopfield::Patterns,
    title: &str,
    res: usize,
) -> Panel {
    let n = w.n();
    let p = patterns.len();
    if p > 64 || n <= res {
        return weights(w, title, res);
    }
    let flat = patterns.as_flat();
    let types: Vec<u64> = (0..n)
        .map(|i| (0..p).fold(0u64, |t, mu| t | (u64::from(flat[mu * n + i] > 0) << mu)))
        .collect();
    let mut index = std::collections::HashMap::new();
    let mut reps: Vec<Vec<usize>> = Vec::new();
    let ids: Vec<usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let id = *index.entry(*t).or_insert_with(|| {
                reps.push(Vec::new());
                reps.len() - 1
            });
            if reps[id].len() < 2 {
                reps[id].push(i);
            }
            id
        })
        .collect();
    let k = reps.len();
    // Off-diagonal coupling between a neuron of type a and one of type b.
    let mut wt = vec![0.0; k * k];
    for a in 0..k {
        for b in 0..k {
            let i = reps[a][0];
            let j = if a == b {
                reps[b].get(1).copied()
            } else {
                Some(reps[b][0])
            };
            if let Some(j) = j {
                wt[a * k + b] = w.get(i, j);
            }
        }
    }
    let g = res.min(n);
    let bounds: Vec<usize> = (0..=g).map(|b| b * n / g).collect();
    let counts: Vec<Vec<f64>> = (0..g)
        .map(|b| {
            let mut c = vec![0.0; k];
            for &id in &ids[bounds[b]..bounds[b + 1]] {
                c[id] += 1.0;
            }
            c
        })
        .collect();
    let mut values = vec![0.0; g * g];
    for r in 0..g {
        for c in 0..g {
            let mut sum = 0.0;
            for a in 0..k {
                if counts[r][a] == 0.0 {
                    continue;
                }
                for b in 0..k {
                    sum += counts[r][a] * counts[c][b] * wt[a * k + b];
                }
            }
            // Diagonal cells: replace the type coupling by the actual self-coupling.
            let (lo, hi) = (bounds[r].max(bounds[c]), bounds[r + 1].min(bounds[c + 1]));
            for i in lo..hi {
                sum += w.get(i, i) - wt[ids[i] * k + ids[i]];
            }
            let area = ((bounds[r + 1] - bounds[r]) * (bounds[c + 1] - bounds[c])) as f64;
            values[r * g + c] = sum / area;
        }
    }
    Panel::new()
        .title(title)
        .aspect(Aspect::Equal)
        .xlabel("j (blocks)")
        .ylabel("i (blocks)")
        .layer(
            Image::new(g, g, values)
                .colormap(Colormap::RdBuR)
                .symmetric_range()
                .colorbar_label("mean W_ij"),
        )
}

/// A histogram of the crosstalk term with its predicted Gaussian and the measured moments.
pub fn crosstalk(c: &experiment::Crosstalk, title: &str) -> Result<Panel> {
    let k = c.values.len() as f64;
    // The term lives on a lattice of step 2: bins of width 4 centred on lattice points.
    let lo = (c.predicted_mean - 4.0 * c.predicted_sd.max(1.0)).floor();
    let lo = if (lo as i64 - c.overlap as i64).rem_euclid(2)
        == (c.n as i64 - c.overlap as i64).rem_euclid(2)
    {
        lo - 1.0
    } else {
        lo
    };
    let edges: Vec<f64> = (0..)
        .map(|j| lo + 4.0 * j as f64)
        .take_while(|&e| e <= c.predicted_mean + 4.0 * c.predicted_sd.max(1.0) + 4.0)
        .collect();
    let values: Vec<f64> = c.values.iter().map(|&v| v as f64).collect();
    Ok(Panel::new()
        .title(title)
        .xlabel("term in square brackets  Σ ξ_i S_i")
        .ylabel("count")
        .layer(
            Histogram::new(values)
                .bins(Bins::Edges(edges))
                .label("measured"),
        )
        .layer(
            Curve::gaussian(c.predicted_mean, c.predicted_sd.max(1e-9), k * 4.0).label(format!(
                "theory N({}, {:.1}²)",
                c.predicted_mean, c.predicted_sd
            )),
        )
        .layer(
            VLine::new(c.predicted_mean)
                .style(LineStyle::Dotted)
                .color(hopfield_plot::Color::rgb(214, 39, 40)),
        )
        .layer(Text::new(format!(
            "measured mean {:.1}, sd {:.1}\npredicted mean {:.0}, sd {:.1}",
            c.mean, c.sd, c.predicted_mean, c.predicted_sd
        ))))
}
