//! Legends and text boxes leave the data visible: every kind of figure, with data that
//! fills the usual corners, is laid out and its layout checked — no box intersects a
//! bar, curve, point, line or image, no two boxes overlap, titles stay over their panels.

use hopfield_plot::{
    Aspect, Bins, BoxKind, Color, Colormap, Curve, Figure, HAlign, HLine, Histogram, Image, Layout,
    Legend, Line, LineStyle, Marker, Panel, Stem, Text, VAlign, VLine,
};

/// Roughly normal values (sums of 12 uniforms), deterministic.
fn normal(n: usize, mean: f64, sd: f64, seed: u64) -> Vec<f64> {
    let mut state = seed;
    let mut uniform = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..n)
        .map(|_| mean + sd * ((0..12).map(|_| uniform()).sum::<f64>() - 6.0))
        .collect()
}

/// A histogram of the crosstalk term with its Gaussian, a dotted mean and the
/// statistics box, as the tour and `hopfield crosstalk` draw it: the bars reach the top
/// in the middle and the Gaussian's tails run along the bottom to both edges.
fn crosstalk_panel(mean: f64, sd: f64, samples: usize, seed: u64) -> Panel {
    let values = normal(samples, mean, sd, seed);
    let edges: Vec<f64> = (0..=20).map(|j| mean - 40.0 + 4.0 * f64::from(j)).collect();
    Panel::new()
        .title(format!("S copies ξ ({samples} samples)"))
        .xlabel("Σ ξ_i S_i")
        .ylabel("count")
        .layer(
            Histogram::new(values)
                .bins(Bins::Edges(edges))
                .label("measured"),
        )
        .layer(
            Curve::gaussian(mean, sd, samples as f64 * 4.0)
                .label(format!("theory N({mean}, {sd}²)")),
        )
        .layer(VLine::new(mean).style(LineStyle::Dotted).color(Color::RED))
        .layer(Text::new(format!(
            "measured mean {mean:.1}, sd {sd:.1}\npredicted mean {mean:.0}, sd {sd:.1}"
        )))
}

/// Falling sigmoids across the whole panel, one per load, with markers: the shape of the
/// capacity and basins figures.
fn sigmoids(panel: Panel, n: usize, labels: &[&str]) -> Panel {
    let x: Vec<f64> = (0..n).map(|i| i as f64 / (n - 1) as f64 * 0.5).collect();
    let mut panel = panel;
    for (k, label) in labels.iter().enumerate() {
        let mid = 0.2 + 0.12 * k as f64;
        let top = 1.0 - 0.45 * k as f64;
        let y: Vec<f64> = x
            .iter()
            .map(|&v| top / (1.0 + libm::exp((v - mid) * 60.0)))
            .collect();
        panel.push(Line::new(x.clone(), y).marker(Marker::Circle).label(*label));
    }
    panel
}

/// The layout of `fig`, checked: no problem, the PNG of the requested size.
fn clean(name: &str, fig: &Figure) -> Layout {
    let layout = fig.layout().unwrap();
    let problems = layout.problems();
    assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
    let png = fig.render_png().unwrap();
    let reader = png::Decoder::new(std::io::Cursor::new(png))
        .read_info()
        .unwrap();
    assert_eq!(
        (reader.info().width, reader.info().height),
        fig.png_size(),
        "{name}: boxes outside the axes keep the figure's size"
    );
    for (i, p) in layout.panels.iter().enumerate() {
        assert!(!p.marks.is_empty(), "{name}: panel {i} has no marks");
        for b in &p.boxes {
            // Every box stays in its own panel's cell.
            assert!(
                b.rect.x >= p.cell.x && b.rect.right() <= p.cell.right() + 1e-9,
                "{name}: panel {i}: box {:?} leaves its cell {:?}",
                b.rect,
                p.cell
            );
        }
    }
    layout
}

fn outside(layout: &Layout) -> usize {
    layout
        .panels
        .iter()
        .flat_map(|p| &p.boxes)
        .filter(|b| b.outside)
        .count()
}

#[test]
fn the_check_sees_boxes_that_hide_data() {
    // A legend pinned upper right, over the peak of a histogram centred on the right.
    let peak = Panel::new()
        .legend(Legend::UpperRight)
        .layer(
            Histogram::new(normal(5000, 25.0, 10.0, 3))
                .bins(Bins::Count(20))
                .range(-40.0, 40.0)
                .label("measured"),
        )
        .layer(Curve::gaussian(25.0, 10.0, 5000.0 * 4.0).label("theory N(25, 10.0²)"));
    let problems = Figure::new(500, 400)
        .panel(peak)
        .layout()
        .unwrap()
        .problems();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("Legend box") && p.contains("covers a data mark")),
        "{problems:?}"
    );
    // A text box pinned at the bottom, over a Gaussian's tail.
    let tail = Panel::new()
        .layer(Curve::gaussian(0.0, 10.0, 100.0).domain(-40.0, 40.0))
        .layer(Text::new("tail").at(0.1, 0.02, HAlign::Left, VAlign::Bottom));
    let problems = Figure::new(400, 300)
        .panel(tail)
        .layout()
        .unwrap()
        .problems();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("Text box") && p.contains("covers a data mark")),
        "{problems:?}"
    );
    // Two pinned boxes on top of each other.
    let stacked = Panel::new()
        .x_range(0.0, 1.0)
        .y_range(0.0, 1.0)
        .layer(Text::new("first").at(0.1, 0.9, HAlign::Left, VAlign::Top))
        .layer(Text::new("second").at(0.1, 0.9, HAlign::Left, VAlign::Top));
    let problems = Figure::new(300, 200)
        .panel(stacked)
        .layout()
        .unwrap()
        .problems();
    assert!(
        problems.iter().any(|p| p.contains("overlaps")),
        "{problems:?}"
    );
}

#[test]
fn histograms_keep_their_statistics_box_and_legend_off_the_bars() {
    // One panel with room in its upper corners: both boxes stay inside.
    let fig = Figure::new(640, 440).panel(crosstalk_panel(50.0, 7.1, 5000, 1));
    let layout = clean("histogram", &fig);
    let boxes = &layout.panels[0].boxes;
    assert_eq!(boxes.len(), 2);
    assert_eq!(outside(&layout), 0);
    assert_eq!(
        (boxes[0].kind, boxes[1].kind),
        (BoxKind::Text, BoxKind::Legend)
    );
    // Two panels side by side: the bars and tails fill every corner, so boxes move out.
    for samples in [100, 5000] {
        let fig = Figure::new(1000, 400)
            .grid(1, 2)
            .panel(crosstalk_panel(0.0, 10.0, samples, 2))
            .panel(crosstalk_panel(50.0, 7.1, samples, 3));
        let layout = clean("two histograms", &fig);
        assert!(outside(&layout) >= 2, "{samples} samples");
        for p in &layout.panels {
            for b in p.boxes.iter().filter(|b| b.outside) {
                assert!(
                    b.rect.y > p.plot.bottom() || b.rect.x > p.plot.right(),
                    "outside boxes are below or right of the axes"
                );
            }
        }
    }
}

#[test]
fn curve_legends_find_a_free_corner_or_leave_the_axes() {
    // A decaying error with reference lines: the upper right is free.
    let errors: Vec<f64> = (0..40)
        .map(|k| (30.0 * (-f64::from(k) / 8.0).exp()).round())
        .collect();
    let fig = Figure::new(640, 480).panel(
        Panel::new()
            .layer(Line::from_y(errors).label("error").marker(Marker::Circle))
            .layer(HLine::new(0.0))
            .layer(VLine::new(20.0).label("switch")),
    );
    let layout = clean("decay", &fig);
    let (plot, legend) = (layout.panels[0].plot, layout.panels[0].boxes[0].rect);
    assert!(!layout.panels[0].boxes[0].outside);
    assert!(legend.x > plot.x + plot.w / 2.0 && legend.y < plot.y + plot.h / 2.0);
    // Crossing lines and flat lines along the top and bottom fill every corner.
    let n: Vec<f64> = (0..=30).map(f64::from).collect();
    let fig = Figure::new(480, 360).panel(
        Panel::new()
            .layer(Line::new(n.clone(), n.iter().map(|v| v * v).collect::<Vec<_>>()).label("n²"))
            .layer(
                Line::new(
                    n.clone(),
                    n.iter()
                        .map(|v| (30.0 - v) * (30.0 - v))
                        .collect::<Vec<_>>(),
                )
                .label("(30 − n)²"),
            )
            .layer(HLine::new(450.0).style(LineStyle::Solid).label("half")),
    );
    let layout = clean("crossing", &fig);
    assert_eq!(outside(&layout), 1);
    // Sigmoids with markers in two panels, one long legend each (the capacity and
    // basins figures), under one figure title.
    let labels = [
        "stored patterns that are fixed points",
        "noisy cues recalled exactly",
        "mean final overlap",
    ];
    let fig = Figure::new(1000, 420)
        .title("N = 1000, 5 trials, hebb rule, 10 % noise, sync dynamics")
        .grid(1, 2)
        .panel(
            sigmoids(Panel::new().title("Fixed points and recall"), 21, &labels)
                .layer(
                    Curve::new(|a| 1.0 / (1.0 + libm::exp((a - 0.2) * 50.0)))
                        .domain(0.0, 0.5)
                        .style(LineStyle::Dashed)
                        .label("theory"),
                )
                .layer(
                    VLine::new(0.138)
                        .style(LineStyle::Dotted)
                        .label("α_c ≈ 0.138"),
                ),
        )
        .panel(sigmoids(
            Panel::new().title("Final overlap"),
            11,
            &labels[..2],
        ));
    let layout = clean("sigmoids", &fig);
    assert!(layout.title.is_some());
    assert!(outside(&layout) >= 1);
}

#[test]
fn stems_rasters_and_images_keep_boxes_off_them() {
    // Stems over the whole width in three stacked panels, each with a legend.
    let v: Vec<f64> = (0..100)
        .map(|i| if (i * 7) % 3 == 0 { 1.0 } else { -1.0 })
        .collect();
    let mut fig = Figure::new(640, 600).share_x(true);
    for title in ["S original", "ξ¹", "S final"] {
        fig.push(
            Panel::new()
                .title(title)
                .y_range(-1.5, 1.5)
                .layer(Stem::new(v.clone()).label("state")),
        );
    }
    let layout = clean("stems", &fig);
    assert_eq!(
        layout.panels.iter().map(|p| p.boxes.len()).sum::<usize>(),
        3
    );
    // A neuron × time raster fills its axes: its note goes outside.
    let raster: Vec<f64> = (0..20 * 201).map(|k| f64::from(k % 7 < 3)).collect();
    let fig = Figure::new(900, 300).panel(
        Panel::new()
            .title("Neuron × time (black = 1)")
            .aspect(Aspect::Auto)
            .xlabel("time (updates)")
            .ylabel("neuron")
            .layer(
                Image::new(20, 201, raster)
                    .colormap(Colormap::GrayR)
                    .value_range(0.0, 1.0),
            )
            .layer(Text::new("11 flips, ends at a fixed point")),
    );
    assert_eq!(outside(&clean("raster", &fig)), 1);
    // A weight matrix with its colorbar and a labelled line: the legend goes right of
    // the colorbar or below the axes, never over the matrix.
    let fig = Figure::new(560, 480).panel(
        Panel::new()
            .title("W")
            .layer(
                Image::from_fn(60, 60, 400, 400, |i, j| {
                    ((i * 31 + j * 17) % 7) as f64 - 3.0
                })
                .colormap(Colormap::RdBuR)
                .symmetric_range()
                .colorbar_label("w_ij"),
            )
            .layer(HLine::new(30.0).label("neuron 30")),
    );
    assert_eq!(outside(&clean("weights", &fig)), 1);
    // A pinned outside legend and an automatic text box together.
    let fig = Figure::new(640, 400).panel(
        Panel::new()
            .legend(Legend::OutsideRight)
            .layer(Line::from_y(vec![0.0, 1.0, 0.5, 0.8]).label("a"))
            .layer(Text::new("note")),
    );
    let layout = clean("outside right", &fig);
    let p = &layout.panels[0];
    let legend = p.boxes.iter().find(|b| b.kind == BoxKind::Legend).unwrap();
    assert!(legend.outside && legend.rect.x > p.plot.right());
}

#[test]
fn a_box_that_fits_nowhere_stays_inside_where_it_hides_least() {
    // Eight entries in a small figure: neither a corner nor either side has room.
    let x: Vec<f64> = (0..50).map(f64::from).collect();
    let mut panel = Panel::new();
    for k in 0..8 {
        let y: Vec<f64> = x.iter().map(|v| v * (1.0 + f64::from(k) / 8.0)).collect();
        panel.push(Line::new(x.clone(), y).label(format!("series {k}")));
    }
    let layout = Figure::new(240, 180).panel(panel).layout().unwrap();
    let p = &layout.panels[0];
    let legend = &p.boxes[0];
    assert!(!legend.outside);
    // The lines rise from lower left to upper right: the legend takes the upper left.
    assert!(legend.rect.x < p.plot.x + 10.0 && legend.rect.y < p.plot.y + 10.0);
}

#[test]
fn titles_fit_their_panels() {
    let img = |seed: usize| {
        Image::new(
            4,
            4,
            (0..16).map(|k| ((k * seed) % 5) as f64).collect::<Vec<_>>(),
        )
    };
    let fig = Figure::new(600, 260)
        .title("Three patterns with long, descriptive titles")
        .grid(1, 3)
        .panel(
            Panel::new()
                .title("Hebb: BU, 10 % flipped, half zeroed")
                .hide_ticks()
                .layer(img(1)),
        )
        .panel(
            Panel::new()
                .title("after one step")
                .hide_ticks()
                .layer(img(2)),
        )
        .panel(
            Panel::new()
                .title("W2: BU + noise, second half zeroed")
                .hide_ticks()
                .layer(img(3)),
        );
    let layout = clean("titles", &fig);
    for (a, b) in layout.panels.iter().zip(&layout.panels[1..]) {
        let (ta, tb) = (a.title.unwrap(), b.title.unwrap());
        assert!(
            ta.right() <= tb.x,
            "titles {ta:?} and {tb:?} run into each other"
        );
    }
    // The short title keeps its full size (12 pt, about 17 px high).
    assert!(layout.panels[1].title.unwrap().h > 16.0);
    // The same figure twice gives the same layout.
    assert_eq!(fig.layout().unwrap(), layout);
}
