//! Every figure the tour and the experiment commands write shows its data: no legend or
//! text box covers a bar, curve, point, line or image, no two boxes overlap, and every
//! title stays over its own panel. Checked on the layouts the commands leave when
//! `HOPFIELD_FIGURE_LAYOUTS` names a folder, with `hopfield_plot::Layout::problems`.

mod common;

use std::path::{Path, PathBuf};

use common::{hopfield, s};
use hopfield_plot::{BoxKind, Layout, PanelLayout, PlacedBox, Rect};
use serde_json::Value;

/// Runs the binary with `args`, leaving the figures' layouts in `layouts`.
fn run_with_layouts(args: &[&str], layouts: &Path) -> String {
    std::fs::create_dir_all(layouts).unwrap();
    let out = hopfield()
        .args(args)
        .env("HOPFIELD_FIGURE_LAYOUTS", layouts)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn rect(v: &Value) -> Rect {
    let n = |i: usize| v[i].as_f64().expect("a number");
    Rect::new(n(0), n(1), n(2), n(3))
}

/// The layout a command left for the figure written as `name` (a file or a stem).
fn layout(layouts: &Path, name: &str) -> Layout {
    let path = layouts.join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("no layout for {name} ({}): {e}", path.display()));
    let v: Value = serde_json::from_str(&text).unwrap();
    let panels = v["panels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| PanelLayout {
            plot: rect(&p["plot"]),
            cell: rect(&p["cell"]),
            title: (!p["title"].is_null()).then(|| rect(&p["title"])),
            marks: p["marks"].as_array().unwrap().iter().map(rect).collect(),
            boxes: p["boxes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| PlacedBox {
                    kind: match b["kind"].as_str().unwrap() {
                        "Legend" => BoxKind::Legend,
                        "Text" => BoxKind::Text,
                        other => panic!("box kind {other}"),
                    },
                    rect: rect(&b["rect"]),
                    outside: b["outside"].as_bool().unwrap(),
                })
                .collect(),
        })
        .collect();
    Layout {
        width: v["width"].as_f64().unwrap(),
        height: v["height"].as_f64().unwrap(),
        title: (!v["title"].is_null()).then(|| rect(&v["title"])),
        panels,
    }
}

/// Width and height of a PNG file.
fn png_size(path: &Path) -> (f64, f64) {
    let file = std::fs::File::open(path).unwrap();
    let reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .unwrap();
    let info = reader.info();
    (f64::from(info.width), f64::from(info.height))
}

/// Checks the figure `png` against its layout; returns the layout.
fn check(png: &Path, layouts: &Path, name: &str) -> Layout {
    let l = layout(layouts, name);
    assert_eq!(
        png_size(png),
        (l.width, l.height),
        "{name}: layout of another figure"
    );
    let problems = l.problems();
    assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
    l
}

fn boxes(l: &Layout) -> usize {
    l.panels.iter().map(|p| p.boxes.len()).sum()
}

fn marks(l: &Layout) -> usize {
    l.panels.iter().map(|p| p.marks.len()).sum()
}

#[test]
fn no_tour_figure_hides_its_data() {
    for seed in ["1", "7"] {
        let dir = tempfile::tempdir().unwrap();
        let layouts = dir.path().join("layouts");
        let report = dir.path().join("report");
        run_with_layouts(
            &["tour", "--quiet", "--seed", seed, "--out", s(&report)],
            &layouts,
        );
        let mut pngs: Vec<PathBuf> = std::fs::read_dir(report.join("figures"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "png"))
            .collect();
        pngs.sort();
        assert!(pngs.len() >= 15, "{} figures", pngs.len());
        let written = std::fs::read_dir(&layouts).unwrap().count();
        assert_eq!(written, pngs.len(), "one layout per figure");
        let mut total_boxes = 0;
        for png in &pngs {
            let stem = png.file_stem().unwrap().to_string_lossy().into_owned();
            let l = check(png, &layouts, &stem);
            assert!(marks(&l) > 0, "{stem}: no data marks");
            total_boxes += boxes(&l);
            if stem.starts_with("s2-histograms") {
                // Per panel: the statistics box and the legend.
                assert_eq!(boxes(&l), 4, "{stem}");
            }
        }
        assert!(total_boxes >= 12, "{total_boxes} boxes in the tour");
    }
}

#[test]
fn no_experiment_figure_hides_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let layouts = dir.path().join("layouts");
    // The README's commands, and crosstalk without overlap.
    let runs: [(&str, &[&str]); 5] = [
        (
            "crosstalk",
            &[
                "crosstalk",
                "--n",
                "100",
                "--overlap",
                "50",
                "--samples",
                "5000",
            ],
        ),
        (
            "crosstalk",
            &["crosstalk", "--n", "100", "--samples", "100"],
        ),
        (
            "capacity",
            &[
                "capacity",
                "--n",
                "1000",
                "--alpha",
                "0.01:0.2:0.01",
                "--trials",
                "5",
            ],
        ),
        (
            "basins",
            &[
                "basins",
                "--n",
                "1000",
                "--alpha",
                "0.05,0.1,0.14",
                "--noise",
                "0:0.5:0.05",
                "--trials",
                "5",
            ],
        ),
        (
            "attractors",
            &["attractors", "--n", "500", "--p", "5", "--starts", "1000"],
        ),
    ];
    for (k, (name, args)) in runs.iter().enumerate() {
        let out = dir.path().join(format!("out{k}"));
        let layouts = layouts.join(k.to_string());
        let mut args = args.to_vec();
        args.extend(["-o", s(&out)]);
        run_with_layouts(&args, &layouts);
        let l = check(&out.join(format!("{name}.png")), &layouts, name);
        assert!(marks(&l) > 0 && boxes(&l) > 0, "{name}: nothing to check");
    }
    let capacity = layout(&layouts.join("2"), "capacity");
    let basins = layout(&layouts.join("3"), "basins");
    for l in [&capacity, &basins] {
        assert!(
            l.title.is_some(),
            "the run is named once, above both panels"
        );
        assert_eq!(l.panels.len(), 2);
    }
}

#[test]
fn simulate_draws_the_tours_raster() {
    let dir = tempfile::tempdir().unwrap();
    let layouts = dir.path().join("layouts");
    for name in ["raster.png", "raster.svg"] {
        let file = dir.path().join(name);
        let stdout = run_with_layouts(
            &[
                "simulate",
                "-n",
                "20",
                "--steps",
                "200",
                "--seed",
                "3",
                "-o",
                s(&file),
            ],
            &layouts,
        );
        // A file was asked for: one summary line, not the raster.
        assert_eq!(stdout.lines().count(), 1, "{stdout}");
        assert!(stdout.contains("20 binary neurons") && stdout.contains("200 updates"));
        assert!(!stdout.contains('█'));
        let l = layout(&layouts, name);
        assert!(l.problems().is_empty(), "{:?}", l.problems());
        // One image filling most of a 900-pixel-wide figure, with axes around it.
        let p = &l.panels[0];
        assert_eq!(p.marks.len(), 1);
        assert!(p.plot.w > 700.0 && p.plot.x > 40.0 && p.plot.bottom() < l.height - 30.0);
    }
    let png = dir.path().join("raster.png");
    assert_eq!(png_size(&png), (900.0, 300.0));
    let svg = std::fs::read_to_string(dir.path().join("raster.svg")).unwrap();
    for text in ["time (updates)", "neuron", "Neuron × time (black = 1)"] {
        assert!(
            svg.contains(&format!(">{text}</text>")),
            "SVG lacks {text:?}"
        );
    }
    // Without -o the raster is drawn on the terminal.
    let stdout = run_with_layouts(&["simulate", "-n", "20", "--steps", "200"], &layouts);
    assert!(stdout.lines().count() > 20 && stdout.contains('█'));
}
