//! The README runs as written.
//!
//! - Every `hopfield …` line of its shell blocks, run in order in one empty folder with
//!   this build's binary first on `PATH`, succeeds; only the lines of [`SKIPPED`] (those
//!   of a batch scheduler) are left out.
//! - Every row of its table "Which command redoes which cell of the course page", run as
//!   written in an empty folder, reproduces the cell's outcome, checked against the page's
//!   own computation (its loops, redone here in plain Rust) wherever the page computes one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use hopfield::generate::page;
use hopfield::{noise, random};
use serde_json::Value;

/// Lines of the README's shell blocks not run here, each with the reason.
const SKIPPED: &[(&str, &str)] = &[
    ("$SLURM_ARRAY_TASK_ID", "a task of a SLURM job array"),
    (
        "hopfield merge shards/",
        "joins the shards of that SLURM job array",
    ),
];

fn readme() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The folder of this build's `hopfield` binary, put first on `PATH`.
fn path_with_binary() -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_hopfield"));
    let dir = bin.parent().expect("the binary's folder");
    format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// Runs one command line with bash in `dir`, as a reader pasting it would.
fn shell(line: &str, dir: &Path) -> Output {
    Command::new("bash")
        .args(["-c", line])
        .current_dir(dir)
        .env("PATH", path_with_binary())
        .env_remove("HOPFIELD_SIMD")
        .output()
        .unwrap_or_else(|e| panic!("bash -c {line:?}: {e}"))
}

/// Runs `line` and returns its standard output, failing the test with its message when
/// it does not succeed.
fn succeed(line: &str, dir: &Path) -> String {
    let out = shell(line, dir);
    assert!(
        out.status.success(),
        "README line failed ({}): {line}\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Whether a command line calls `hopfield` (after environment assignments such as
/// `HOPFIELD_SIMD=scalar`).
fn calls_hopfield(line: &str) -> bool {
    line.split_whitespace()
        .find(|w| !w.contains('='))
        .is_some_and(|w| w == "hopfield")
}

/// The lines of the README's `sh` blocks that call `hopfield`, in order.
fn shell_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut in_shell = false;
    for line in text.lines() {
        let t = line.trim();
        if let Some(fence) = t.strip_prefix("```") {
            in_shell = !in_shell && matches!(fence, "sh" | "bash" | "shell" | "console");
            continue;
        }
        if in_shell && calls_hopfield(t) {
            lines.push(t.to_string());
        }
    }
    lines
}

#[test]
fn every_hopfield_line_of_the_readme_runs_in_order_in_an_empty_folder() {
    let lines = shell_lines(&readme());
    assert!(lines.len() >= 25, "only {} lines found", lines.len());
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut skipped = BTreeMap::new();
    let mut ran = 0;
    for line in &lines {
        if let Some((pattern, why)) = SKIPPED.iter().find(|(p, _)| line.contains(p)) {
            *skipped.entry(format!("{pattern} ({why})")).or_insert(0) += 1;
            continue;
        }
        succeed(line, dir.path());
        ran += 1;
    }
    // Each skip rule still matches a line of the README, and no more than it should.
    for (pattern, why) in SKIPPED {
        assert!(
            skipped.contains_key(&format!("{pattern} ({why})")),
            "skip rule {pattern:?} matches no line of the README: remove it"
        );
    }
    let skipped_lines: usize = skipped.values().sum();
    assert!(
        skipped_lines <= 4,
        "{skipped_lines} lines skipped: {skipped:?}"
    );
    eprintln!("README: {ran} hopfield lines ran, {skipped_lines} skipped: {skipped:?}");
}

// ---------------------------------------------------------------------------------------
// The table of the course page's cells

/// One row of the table: the cell, its commands (in order) and the outcome it states.
struct Row {
    cell: String,
    commands: Vec<String>,
    outcome: String,
}

/// The rows of the table "Which command redoes which cell of the course page".
fn table(text: &str) -> Vec<Row> {
    let start = text
        .find("### Which command redoes which cell of the course page")
        .expect("the README has the course page's table");
    let mut rows = Vec::new();
    for line in text[start..].lines().skip(1) {
        let t = line.trim();
        if t.is_empty() && !rows.is_empty() {
            break;
        }
        if !t.starts_with('|') || t.starts_with("|---") || t.starts_with("| page cell") {
            continue;
        }
        let cells: Vec<&str> = t.trim_matches('|').split(" | ").map(str::trim).collect();
        assert_eq!(cells.len(), 3, "a row of three cells: {t}");
        let commands = cells[1]
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|c| calls_hopfield(c))
            .map(str::to_string)
            .collect();
        rows.push(Row {
            cell: cells[0].to_string(),
            commands,
            outcome: cells[2].to_string(),
        });
    }
    rows
}

/// A row run in its own empty folder: the output of its last command, and the folder for
/// further runs.
struct Ran {
    dir: tempfile::TempDir,
    last: String,
    stdout: String,
}

impl Ran {
    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The row's last command again with more flags, its JSON output parsed.
    fn json(&self, more: &str) -> Value {
        let out = succeed(&format!("{} {more} --json", self.last), self.path());
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{}: {e}\n{out}", self.last))
    }

    fn file(&self, name: &str) -> PathBuf {
        self.path().join(name)
    }
}

fn run_row(row: &Row) -> Ran {
    assert!(
        !row.commands.is_empty(),
        "{}: no hopfield command",
        row.cell
    );
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut stdout = String::new();
    for c in &row.commands {
        stdout = succeed(c, dir.path());
    }
    Ran {
        dir,
        last: row.commands.last().cloned().unwrap_or_default(),
        stdout,
    }
}

/// The ±1 values of a `.npy` file the binary wrote (int8).
fn read_states(path: &Path) -> Vec<i8> {
    let array = hopfield_io::read_array(path).unwrap_or_else(|e| panic!("{e}"));
    array.to_f64().into_iter().map(|v| v as i8).collect()
}

fn outcome(doc: &Value) -> (&str, Option<u64>) {
    (
        doc["outcome"].as_str().unwrap_or_default(),
        doc["pattern"].as_u64(),
    )
}

/// The page's synchronous loop: `S ← sign(W S)` with `W = Σ ξξᵀ` (zero diagonal), at most
/// `steps` updates, stopping when nothing changes if `stop`; `plus` sends a zero field to
/// +1 (`x >= 0`), else to −1 (`x > 0`).
fn page_sync(patterns: &[Vec<i8>], start: &[i8], steps: usize, stop: bool, plus: bool) -> Vec<i8> {
    let n = start.len();
    let mut s: Vec<i64> = start.iter().map(|&v| i64::from(v)).collect();
    for _ in 0..steps {
        let next: Vec<i64> = (0..n)
            .map(|i| {
                let h: i64 = (0..n)
                    .filter(|&j| j != i)
                    .map(|j| {
                        patterns
                            .iter()
                            .map(|p| i64::from(p[i]) * i64::from(p[j]))
                            .sum::<i64>()
                            * s[j]
                    })
                    .sum();
                if h > 0 || (plus && h == 0) { 1 } else { -1 }
            })
            .collect();
        if stop && next == s {
            break;
        }
        s = next;
    }
    s.into_iter().map(|v| v as i8).collect()
}

fn as_vec(p: &[i8]) -> Vec<i8> {
    p.to_vec()
}

/// Mean and standard deviation of the crosstalk terms of a `crosstalk --json` run.
fn mean_sd(doc: &Value) -> (f64, f64) {
    (
        doc["mean"].as_f64().expect("mean"),
        doc["sd"].as_f64().expect("sd"),
    )
}

/// Checks that the row's output starts with `start`, and that its last command again with
/// `--seed` and `flags` recalls pattern 0 from every seed, each run also passing `also`.
fn recalls_pattern_0(
    ran: &Ran,
    cell: &str,
    seeds: std::ops::RangeInclusive<u64>,
    (start, flags): (&str, &str),
    also: impl Fn(&Value, u64),
) {
    assert!(ran.stdout.starts_with(start), "{}", ran.stdout);
    for seed in seeds {
        let doc = ran.json(&format!("--seed {seed}{flags}"));
        assert_eq!(outcome(&doc), ("recalled", Some(0)), "{cell}, seed {seed}");
        also(&doc, seed);
    }
}

/// Checks that a run of `cell` reached its pattern within 1000 updates.
fn within_1000_updates(cell: &str) -> impl Fn(&Value, u64) + '_ {
    move |doc, seed| {
        let t = doc["hitting_time"].as_u64().expect("hitting_time");
        assert!(
            t <= 1000,
            "{cell}, seed {seed}: error 0 only after {t} updates"
        );
    }
}

/// Checks the row's outcome; panics with what differs.
fn check(row: &Row) {
    let ran = run_row(row);
    let cell = row.cell.as_str();
    let seeds = 1..=10u64;
    if cell.starts_with("Simulate a Hopfield network") {
        // Tij ≥ 0 and threshold 0: once one neuron is on, every updated neuron turns on
        // and none turns off.
        assert!(
            ran.stdout
                .lines()
                .filter(|l| l.contains('█') || l.contains('·'))
                .count()
                >= 20
        );
        for seed in seeds {
            let doc = ran.json(&format!("--seed {seed}"));
            let on: Vec<u64> = doc["on_per_step"]
                .as_array()
                .expect("on_per_step")
                .iter()
                .filter_map(Value::as_u64)
                .collect();
            assert_eq!(on.len(), 201, "{cell}: K = 200 updates, 201 columns");
            assert!(
                on.windows(2).all(|w| w[1] >= w[0]),
                "{cell}: a neuron turned off"
            );
            assert_eq!(
                on.last(),
                Some(&20),
                "{cell}, seed {seed}: not every neuron ends on"
            );
        }
    } else if cell.contains("without overlap") {
        // Σ ξ_i S_i of independent ±1 patterns: mean 0, standard deviation √N = 10.
        for seed in seeds {
            let (mean, sd) = mean_sd(&ran.json(&format!("--seed {seed}")));
            assert!(mean.abs() < 4.0, "{cell}, seed {seed}: mean {mean}");
            assert!((6.5..13.5).contains(&sd), "{cell}, seed {seed}: sd {sd}");
        }
    } else if cell.contains("S copying ξ on 50") {
        // K = 50 + the sum over the 50 others: mean 50, standard deviation √50 ≈ 7.07.
        for seed in seeds {
            let (mean, sd) = mean_sd(&ran.json(&format!("--seed {seed}")));
            assert!(
                (mean - 50.0).abs() < 4.5,
                "{cell}, seed {seed}: mean {mean}"
            );
            assert!((4.0..10.5).contains(&sd), "{cell}, seed {seed}: sd {sd}");
        }
    } else if cell.starts_with("One stored pattern") {
        let start = ("recalled pattern 0 after", "");
        recalls_pattern_0(&ran, cell, seeds, start, within_1000_updates(cell));
    } else if cell.starts_with("Five neurons") {
        // Every one of the 32 starts, as the row's start.txt, against the page's loop.
        let csi = as_vec(page::five().get(0).expect("csi"));
        let recall = row.commands.last().expect("the recall");
        for code in 0..32u32 {
            let start: Vec<i8> = (0..5)
                .map(|i| if code >> i & 1 == 1 { 1 } else { -1 })
                .collect();
            let line: String = start
                .iter()
                .map(|&v| if v > 0 { '#' } else { '.' })
                .collect();
            std::fs::write(ran.file("start.txt"), format!("{line}\n")).expect("start.txt");
            succeed(&format!("{recall} -o final.npy"), ran.path());
            let expected = page_sync(std::slice::from_ref(&csi), &start, 9, false, false);
            assert_eq!(
                read_states(&ran.file("final.npy")),
                expected,
                "{cell}: start {line}"
            );
        }
    } else if cell.starts_with("Letters") {
        let letters: Vec<Vec<i8>> = page::letters().iter().map(as_vec).collect();
        assert!(ran.stdout.contains("cued pattern 1"), "{}", ran.stdout);
        let mut recalled = 0;
        for seed in 1..=20u64 {
            let doc = ran.json(&format!("--seed {seed} -o final.npy"));
            let cue =
                noise::flip_fraction(&letters[1], 0.2, &mut random::seeded(seed)).expect("the cue");
            let expected = page_sync(&letters, &cue, 10, true, true);
            assert_eq!(
                read_states(&ran.file("final.npy")),
                expected,
                "{cell}, seed {seed}"
            );
            recalled += usize::from(outcome(&doc) == ("recalled", Some(1)));
        }
        // The page's point: three correlated letters, some cues recalled, others not.
        assert!(
            recalled > 0 && recalled < 20,
            "{cell}: {recalled} of 20 recalled"
        );
    } else if cell.contains("BC + noise") {
        // BU alone stored with the 0/1 rule: one step turns on exactly the BU pixels.
        let bu = as_vec(page::bu().get(0).expect("BU"));
        let start = ("recalled pattern 0 after 1 step", " -o final.npy");
        recalls_pattern_0(&ran, cell, seeds, start, |_, seed| {
            let last = read_states(&ran.file("final.npy"));
            assert_eq!(last, bu, "{cell}, seed {seed}");
        });
    } else if cell.contains("second half zeroed") {
        // BU and BC stored with the 0/1 rule: one step turns on their union, BU ∪ BC.
        let (bu, bc) = (page::bu(), page::bc());
        let union: Vec<i8> = bu
            .get(0)
            .expect("BU")
            .iter()
            .zip(bc.get(0).expect("BC"))
            .map(|(&a, &b)| a.max(b))
            .collect();
        for seed in seeds {
            ran.json(&format!("--seed {seed} -o final.npy"));
            assert_eq!(
                read_states(&ran.file("final.npy")),
                union,
                "{cell}, seed {seed}"
            );
        }
    } else if cell.starts_with("Two stored patterns") {
        let start = ("recalled pattern 0 after", "");
        recalls_pattern_0(&ran, cell, seeds, start, within_1000_updates(cell));
    } else {
        panic!(
            "{cell}: no check of this row's outcome ({}); add one",
            row.outcome
        );
    }
}

#[test]
fn every_row_of_the_course_page_table_reproduces_its_cell() {
    let rows = table(&readme());
    let cells: Vec<&str> = rows.iter().map(|r| r.cell.as_str()).collect();
    assert_eq!(rows.len(), 9, "the table's rows: {cells:?}");
    for row in &rows {
        check(row);
    }
}
