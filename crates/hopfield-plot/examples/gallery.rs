//! Renders one figure of each kind, with small synthetic Hopfield-network
//! data, into the folder given as the first argument (default `plot-samples`).
//!
//! `cargo run -p hopfield-plot --example gallery -- /tmp/plot-samples`

use hopfield_plot::{
    Aspect, Bins, Color, Colormap, Curve, Figure, HAlign, HLine, Histogram, Image, Legend, Line,
    LineStyle, Marker, Panel, PlotError, Stem, Text, VAlign, VLine,
};

/// A tiny deterministic generator (PCG-style LCG), to keep the example dependency-free.
struct Rng(u64);

impl Rng {
    fn next_u32(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as u32
    }
    fn sign(&mut self) -> f64 {
        if self.next_u32() & 1 == 0 { 1.0 } else { -1.0 }
    }
}

fn patterns(rng: &mut Rng, p: usize, n: usize) -> Vec<Vec<f64>> {
    (0..p)
        .map(|_| (0..n).map(|_| rng.sign()).collect())
        .collect()
}

fn hebb(pats: &[Vec<f64>]) -> impl Fn(usize, usize) -> f64 + '_ {
    let n = pats[0].len() as f64;
    move |i, j| {
        if i == j {
            0.0
        } else {
            pats.iter().map(|p| p[i] * p[j]).sum::<f64>() / n
        }
    }
}

fn main() -> Result<(), PlotError> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "plot-samples".into());
    std::fs::create_dir_all(&dir).map_err(|source| PlotError::Io {
        path: dir.clone().into(),
        source,
    })?;
    let out = |name: &str| std::path::Path::new(&dir).join(name);
    let mut rng = Rng(42);

    // Network: 100 neurons, 5 patterns, asynchronous recall from a noisy cue.
    let n = 100;
    let pats = patterns(&mut rng, 5, n);
    let w = hebb(&pats);
    let mut s = pats[0].clone();
    for v in s.iter_mut().take(30) {
        *v = rng.sign();
    }
    let s_original = s.clone();
    let mut hamming = Vec::new();
    let mut energy = Vec::new();
    let mut overlaps: Vec<Vec<f64>> = vec![Vec::new(); pats.len()];
    let mut raster = Vec::new();
    for step in 0..600 {
        let i = (rng.next_u32() as usize) % n;
        let h: f64 = (0..n).map(|j| w(i, j) * s[j]).sum();
        s[i] = if h >= 0.0 { 1.0 } else { -1.0 };
        if step % 5 == 0 {
            hamming.push(s.iter().zip(&pats[0]).filter(|(a, b)| a != b).count() as f64);
            let e: f64 = -0.5
                * (0..n)
                    .map(|a| (0..n).map(|b| w(a, b) * s[a] * s[b]).sum::<f64>())
                    .sum::<f64>();
            energy.push(e);
            for (k, p) in pats.iter().enumerate() {
                overlaps[k].push(p.iter().zip(&s).map(|(a, b)| a * b).sum::<f64>() / n as f64);
            }
            raster.extend(s.iter().map(|v| (v + 1.0) / 2.0));
        }
    }
    let steps: Vec<f64> = (0..hamming.len()).map(|k| (5 * k) as f64).collect();

    // 1. Hamming error vs update number, with a second run and a reference line.
    let second: Vec<f64> = hamming.iter().map(|h| (h * 1.3 + 2.0).min(50.0)).collect();
    Figure::new(640, 420)
        .panel(
            Panel::new()
                .title("Recall of pattern 1 from a cue with 30 flipped bits")
                .xlabel("update number")
                .ylabel("Hamming error")
                .layer(
                    Line::new(steps.clone(), hamming.clone())
                        .label("run 1")
                        .marker(Marker::Circle)
                        .marker_size(4.0),
                )
                .layer(
                    Line::new(steps.clone(), second)
                        .label("run 2")
                        .style(LineStyle::Dashed),
                )
                .layer(
                    HLine::new(0.0)
                        .label("perfect recall")
                        .style(LineStyle::Dotted),
                ),
        )
        .save(out("hamming"))?;

    // 2. Energy vs step.
    Figure::new(640, 420)
        .panel(
            Panel::new()
                .title("Energy decreases monotonically")
                .xlabel("step")
                .ylabel("energy E")
                .grid(true)
                .layer(Line::new(steps.clone(), energy))
                .layer(VLine::new(250.0).color(Color::RED).label("converged")),
        )
        .save(out("energy"))?;

    // 3. Overlap with ten stored patterns (five real ones plus random ones).
    let mut panel = Panel::new()
        .title("Overlap m with each stored pattern")
        .xlabel("step")
        .ylabel("overlap m")
        .y_range(-1.1, 1.1)
        .legend(Legend::OutsideRight);
    let extra = patterns(&mut rng, 5, n);
    for k in 0..10 {
        let series: Vec<f64> = if k < 5 {
            overlaps[k].clone()
        } else {
            (0..steps.len())
                .map(|t| 0.2 * ((t as f64) / 10.0 + k as f64).sin() * extra[k - 5][t % n])
                .collect()
        };
        panel.push(Line::new(steps.clone(), series).label(format!("pattern {}", k + 1)));
    }
    Figure::new(760, 420).panel(panel).save(out("overlaps"))?;

    // 4. Stacked stem plots sharing the x axis.
    Figure::new(640, 560)
        .share_x(true)
        .panel(
            Panel::new()
                .title("S original")
                .y_range(-1.5, 1.5)
                .layer(Stem::new(s_original)),
        )
        .panel(
            Panel::new()
                .title("xi1")
                .y_range(-1.5, 1.5)
                .layer(Stem::new(pats[0].clone())),
        )
        .panel(
            Panel::new()
                .title("S final")
                .xlabel("neuron i")
                .y_range(-1.5, 1.5)
                .layer(Stem::new(s.clone())),
        )
        .save(out("stems"))?;

    // 5. Histogram of local fields with the predicted Gaussian.
    let pats_big = patterns(&mut rng, 100, 100);
    // Crosstalk at neuron i for pattern p: sum over the other patterns q of
    // q_i * (q . p - q_i p_i), scaled by 1/10 (sd sqrt(99 * 99) / 10 = 9.9).
    let mut fields = Vec::new();
    for (k, p) in pats_big.iter().enumerate().take(20) {
        for i in 0..100 {
            let mut sum = 0.0;
            for (l, q) in pats_big.iter().enumerate() {
                if l != k {
                    let dot: f64 = q.iter().zip(p).map(|(a, b)| a * b).sum();
                    sum += q[i] * (dot - q[i] * p[i]);
                }
            }
            fields.push(sum / 10.0);
        }
    }
    let m = fields.iter().sum::<f64>() / fields.len() as f64;
    let sd = (fields.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / fields.len() as f64).sqrt();
    let hist = Histogram::new(fields).bins(Bins::Count(30));
    let counts = hist.compute()?;
    let predicted = 9.9;
    Figure::new(640, 420)
        .panel(
            Panel::new()
                .title("Crosstalk term of the local field")
                .xlabel("crosstalk")
                .ylabel("count")
                .layer(hist.label("measured"))
                .layer(
                    Curve::gaussian(0.0, predicted, counts.total as f64 * counts.bin_width())
                        .color(Color::BLACK)
                        .label("predicted N(0, 9.9²)"),
                )
                .layer(VLine::new(-predicted).color(Color::RED))
                .layer(VLine::new(predicted).color(Color::RED))
                .layer(Text::new(format!(
                    "measured mean {m:.1}, sd {sd:.1}\npredicted 0, {predicted:.1}"
                ))),
        )
        .save(out("histogram"))?;

    // 6. A row of small letter images.
    let letter: [&str; 5] = ["..#..", ".#.#.", "#...#", "#####", "#...#"];
    let truth: Vec<f64> = letter
        .iter()
        .flat_map(|r| r.chars().map(|c| if c == '#' { 1.0 } else { -1.0 }))
        .collect();
    let mut noisy = truth.clone();
    for k in [0, 6, 12, 19, 23] {
        noisy[k] = -noisy[k];
    }
    let img = |d: &[f64]| {
        Image::new(5, 5, d.to_vec())
            .colormap(Colormap::GrayR)
            .value_range(-1.0, 1.0)
    };
    Figure::new(540, 220)
        .grid(1, 3)
        .panel(Panel::new().title("true").hide_ticks().layer(img(&truth)))
        .panel(Panel::new().title("noisy").hide_ticks().layer(img(&noisy)))
        .panel(
            Panel::new()
                .title("recalled")
                .hide_ticks()
                .layer(img(&truth)),
        )
        .save(out("letters"))?;

    // 7. Weight matrix with a diverging colormap and colorbar.
    Figure::new(560, 480)
        .panel(
            Panel::new()
                .title("Hebbian weights W (100 × 100)")
                .xlabel("j")
                .ylabel("i")
                .layer(
                    Image::from_fn(n, n, 400, 400, &w)
                        .colormap(Colormap::RdBuR)
                        .symmetric_range()
                        .colorbar_label("w_ij"),
                ),
        )
        .save(out("weights"))?;

    // 7b. A 10000 × 10000 matrix given as a closure, block-averaged to 400 × 400.
    Figure::new(560, 480)
        .panel(
            Panel::new()
                .title("10000 × 10000 matrix, block-averaged")
                .layer(
                    Image::from_fn(10_000, 10_000, 400, 400, |i, j| {
                        let (x, y) = (i as f64 / 10_000.0, j as f64 / 10_000.0);
                        (6.0 * x).sin() * (4.0 * y).cos()
                    })
                    .colorbar(true),
                ),
        )
        .save(out("big_matrix"))?;

    // 8. Neuron × time raster.
    let t_len = raster.len() / n;
    let mut transposed = vec![0.0; raster.len()];
    for t in 0..t_len {
        for i in 0..n {
            transposed[i * t_len + t] = raster[t * n + i];
        }
    }
    Figure::new(640, 420)
        .panel(
            Panel::new()
                .title("Raster of neuron states (dark = +1)")
                .xlabel("time")
                .ylabel("neuron")
                .aspect(Aspect::Auto)
                .layer(
                    Image::new(n, t_len, transposed)
                        .colormap(Colormap::GrayR)
                        .value_range(0.0, 1.0),
                ),
        )
        .save(out("raster"))?;

    // 9. Text placement check: annotation in the lower right.
    Figure::new(480, 360)
        .title("Figure title")
        .grid(1, 2)
        .panel(
            Panel::new()
                .title("a")
                .layer(Line::from_y(vec![1.0, 4.0, 9.0, 16.0]))
                .layer(Text::new("bottom right").at(0.97, 0.03, HAlign::Right, VAlign::Bottom)),
        )
        .panel(
            Panel::new()
                .title("b")
                .layer(Line::from_y(vec![16.0, 9.0, 4.0, 1.0]).marker(Marker::Square)),
        )
        .save(out("grid"))?;
    println!("wrote figures to {dir}");
    Ok(())
}
