//! `hopfield tour`: the course page's experiments, redone and written up as one HTML report.

pub mod figures;
mod sections;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context as _, Result};
use hopfield_plot::Figure;
use serde_json::{Map, Value};

use crate::cli::TourArgs;

/// One section of the report.
pub struct Section {
    /// Anchor and file prefix, e.g. `s3`.
    pub id: &'static str,
    /// Heading.
    pub title: &'static str,
    /// The page cell it redoes.
    pub cell: &'static str,
    /// Paragraphs of explanation (HTML allowed: they are written by this program).
    pub text: Vec<String>,
    /// Figures, in order.
    pub figures: Vec<FigureRef>,
    /// Measured numbers: label, value.
    pub numbers: Vec<(String, String)>,
    /// Data files written for this section (relative to the report folder).
    pub data: Vec<String>,
    /// The line printed on the terminal.
    pub line: String,
    /// Machine-readable results, collected into `data/summary.json`.
    pub summary: Map<String, Value>,
}

impl Section {
    fn new(id: &'static str, title: &'static str, cell: &'static str) -> Section {
        Section {
            id,
            title,
            cell,
            text: Vec::new(),
            figures: Vec::new(),
            numbers: Vec::new(),
            data: Vec::new(),
            line: String::new(),
            summary: Map::new(),
        }
    }

    fn say(&mut self, paragraph: impl Into<String>) {
        self.text.push(paragraph.into());
    }

    fn number(&mut self, label: impl Into<String>, value: impl ToString) {
        self.numbers.push((label.into(), value.to_string()));
    }

    fn record(&mut self, key: &str, value: impl Into<Value>) {
        self.summary.insert(key.to_string(), value.into());
    }
}

/// A saved figure.
pub struct FigureRef {
    /// File stem under `figures/`.
    pub stem: String,
    /// Caption under the figure.
    pub caption: String,
}

/// Where the report goes and what seeds it.
pub struct Context {
    dir: PathBuf,
    seed: u64,
}

impl Context {
    /// Saves `figure` as `figures/<stem>.svg` and `.png`.
    fn figure(
        &self,
        section: &mut Section,
        stem: &str,
        caption: &str,
        figure: Figure,
    ) -> Result<()> {
        let stem = format!("{}-{stem}", section.id);
        figures::save(&figure, &self.dir.join("figures").join(&stem))
            .with_context(|| format!("drawing figure {stem}"))?;
        section.figures.push(FigureRef {
            stem,
            caption: caption.to_string(),
        });
        Ok(())
    }

    /// Writes `data/<name>` (CSV with a header row).
    fn csv(
        &self,
        section: &mut Section,
        name: &str,
        header: &[&str],
        rows: &[Vec<String>],
    ) -> Result<()> {
        let mut text = header.join(",");
        text.push('\n');
        for row in rows {
            text.push_str(&row.join(","));
            text.push('\n');
        }
        let file = format!("{}-{name}", section.id);
        hopfield_io::atomic_write(&self.dir.join("data").join(&file), text.as_bytes())?;
        section.data.push(format!("data/{file}"));
        Ok(())
    }

    /// The random stream of section `k`: sections do not share random numbers, so each
    /// reproduces on its own.
    fn rng(&self, k: u64) -> hopfield::random::SeededRng {
        hopfield::random::stream(self.seed, k)
    }
}

/// `hopfield tour`: writes the report to `--out`.
pub fn run(args: TourArgs) -> Result<()> {
    write(&args, false)
}

/// The explorer preset that sets up the experiment of a section, for the links of the
/// report that `hopfield serve` serves at `/tour/`.
pub fn preset(section: &str) -> Option<&'static str> {
    Some(match section {
        "s1" => "random-network",
        "s2" => "crosstalk",
        "s3" => "one-pattern",
        "s4" => "five-neurons",
        "s5" => "letters",
        "s6" => "images-01",
        "s7" | "s8" => "two-patterns",
        _ => return None,
    })
}

/// The report with `seed`, in memory: every file by its path under the report folder
/// (`index.html`, `figures/…`, `data/…`), with links from each section to its preset of
/// the explorer. The report is written to a temporary folder, read back and removed.
pub fn in_memory(seed: u64) -> Result<Vec<(String, Vec<u8>)>> {
    static COUNT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let k = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("hopfield-tour-{}-{k}", std::process::id()));
    let args = TourArgs {
        out: dir.clone(),
        seed,
        quiet: true,
    };
    let written = write(&args, true).and_then(|()| read_tree(&dir, ""));
    let _ = std::fs::remove_dir_all(&dir);
    written
}

/// Every file under `dir`, by its path relative to the report folder.
fn read_tree(dir: &std::path::Path, prefix: &str) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("{}: cannot read the report", dir.display()))?
        .collect::<std::io::Result<_>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = format!("{prefix}{}", e.file_name().to_string_lossy());
        if e.file_type()?.is_dir() {
            files.extend(read_tree(&e.path(), &format!("{name}/"))?);
        } else {
            files.push((name, std::fs::read(e.path())?));
        }
    }
    Ok(files)
}

/// Writes the report; `served` adds the links to the explorer's presets.
fn write(args: &TourArgs, served: bool) -> Result<()> {
    let t0 = Instant::now();
    let dir = args.out.clone();
    for sub in ["figures", "data"] {
        std::fs::create_dir_all(dir.join(sub)).with_context(|| {
            format!(
                "{}: cannot create the report folder",
                dir.join(sub).display()
            )
        })?;
    }
    let ctx = Context {
        dir: dir.clone(),
        seed: args.seed,
    };
    let mut done = Vec::new();
    for (k, section) in sections::ALL.iter().enumerate() {
        let s = section(&ctx).with_context(|| format!("tour section {}", k + 1))?;
        if !args.quiet {
            println!("{:>2}. {}: {}", k + 1, s.title, s.line);
        }
        done.push(s);
    }
    let html = page(&done, args.seed, served);
    hopfield_io::atomic_write(&dir.join("index.html"), html.as_bytes())?;
    let mut summary = Map::new();
    summary.insert("seed".into(), args.seed.into());
    for s in &done {
        summary.insert(s.id.to_string(), Value::Object(s.summary.clone()));
    }
    hopfield_io::atomic_write(
        &dir.join("data").join("summary.json"),
        serde_json::to_string_pretty(&Value::Object(summary))?.as_bytes(),
    )?;
    if !args.quiet {
        println!(
            "report written in {:.1} s: open {}",
            t0.elapsed().as_secs_f64(),
            dir.join("index.html").display()
        );
    }
    Ok(())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The report page: self-contained (inline style, local figures), readable from disk;
/// `served` adds a link from each section to its preset of the explorer.
fn page(sections: &[Section], seed: u64, served: bool) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hopfield networks: the course page, redone</title>
<style>
body {{ font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; line-height: 1.5; color: #222; max-width: 980px; margin: 0 auto; padding: 1.5em; }}
h1 {{ font-size: 1.7em; margin-bottom: 0.2em; }}
h2 {{ border-bottom: 2px solid #1f77b4; padding-bottom: 0.2em; margin-top: 2.2em; }}
.cell {{ color: #666; font-size: 0.9em; margin-top: -0.6em; }}
nav ol {{ columns: 2; }}
figure {{ margin: 1.2em 0; text-align: center; }}
figure img {{ max-width: 100%; height: auto; border: 1px solid #eee; }}
figcaption {{ color: #555; font-size: 0.9em; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
td, th {{ border: 1px solid #ddd; padding: 0.3em 0.8em; text-align: left; }}
th {{ background: #f5f7fa; }}
td.num {{ font-family: "DejaVu Sans Mono", Menlo, monospace; }}
.files {{ font-size: 0.85em; color: #555; }}
.live a {{ display: inline-block; padding: 0.3em 0.8em; border: 1px solid #1f77b4; border-radius: 6px; text-decoration: none; }}
code {{ background: #f3f3f3; padding: 0.1em 0.3em; border-radius: 3px; }}
</style>
</head>
<body>
<h1>Hopfield networks: the course page, redone</h1>
<p>Each section below reruns one group of cells of the course page with the <code>hopfield</code> engine, with the page's parameters, draws its figures and reports what was measured next to what theory predicts. Everything here was produced by <code>hopfield tour --seed {seed}</code>; the same seed gives the same report, byte for byte, on any machine. Figures are SVG (click for PNG); the numbers behind each figure are in the linked CSV files.</p>
<nav><ol>
"#
    );
    for s in sections {
        let _ = writeln!(
            h,
            r##"<li><a href="#{}">{}</a></li>"##,
            s.id,
            escape(s.title)
        );
    }
    h.push_str("</ol></nav>\n");
    for (k, s) in sections.iter().enumerate() {
        let _ = writeln!(
            h,
            r#"<section id="{}"><h2>{}. {}</h2><p class="cell">{}</p>"#,
            s.id,
            k + 1,
            escape(s.title),
            escape(s.cell)
        );
        if let (true, Some(name)) = (served, preset(s.id)) {
            let _ = writeln!(
                h,
                r#"<p class="live"><a href="/#preset={name}">Try it live in the explorer →</a></p>"#
            );
        }
        for p in &s.text {
            let _ = writeln!(h, "<p>{p}</p>");
        }
        for f in &s.figures {
            let _ = writeln!(
                h,
                r#"<figure><a href="figures/{0}.png"><img src="figures/{0}.svg" alt="{1}"></a><figcaption>{1}</figcaption></figure>"#,
                f.stem,
                escape(&f.caption)
            );
        }
        if !s.numbers.is_empty() {
            h.push_str("<table><tr><th>measured</th><th>value</th></tr>\n");
            for (label, value) in &s.numbers {
                let _ = writeln!(
                    h,
                    r#"<tr><td>{}</td><td class="num">{}</td></tr>"#,
                    escape(label),
                    escape(value)
                );
            }
            h.push_str("</table>\n");
        }
        if !s.data.is_empty() {
            let links: Vec<String> = s
                .data
                .iter()
                .map(|d| format!(r#"<a href="{d}">{}</a>"#, escape(d)))
                .collect();
            let _ = writeln!(h, r#"<p class="files">Data: {}</p>"#, links.join(", "));
        }
        h.push_str("</section>\n");
    }
    h.push_str(
        r#"<p class="files">All measured values: <a href="data/summary.json">data/summary.json</a>.</p>
</body>
</html>
"#,
    );
    h
}
