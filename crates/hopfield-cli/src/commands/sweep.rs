//! What the experiment commands share: value ranges, thread pools, progress bars, shards
//! and the three outputs (a table, JSON, a folder with figure, CSV and JSON).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use hopfield::experiment::{self, PartialOf, Shard, Sweep};
use hopfield_plot::Figure;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::cli::{ExperimentArgs, UsageError};

/// How an experiment's result is shown: a figure, a CSV table and a text table.
pub trait Report {
    /// The result.
    type Output: Serialize;
    /// The file stem of the outputs (`capacity` → `capacity.svg`, …).
    const STEM: &'static str;
    /// The figure.
    fn figure(out: &Self::Output) -> Result<Figure>;
    /// The data as CSV (header row first).
    fn csv(out: &Self::Output) -> String;
    /// A readable table for the terminal.
    fn table(out: &Self::Output) -> String;
}

/// Parses `FROM:TO:STEP`, a single value, or several of these separated by commas.
pub fn values(flag: &str, spec: &str) -> Result<Vec<f64>> {
    let number = |s: &str| -> Result<f64> {
        s.trim().parse::<f64>().map_err(|_| {
            UsageError(format!(
                "--{flag} {spec}: '{s}' is not a number (expected FROM:TO:STEP or A,B,...)"
            ))
            .into()
        })
    };
    let mut out = Vec::new();
    for item in spec.split(',') {
        let parts: Vec<&str> = item.split(':').collect();
        match parts.as_slice() {
            [v] => out.push(number(v)?),
            [from, to, step] => {
                let r = experiment::range(number(from)?, number(to)?, number(step)?)
                    .map_err(|e| UsageError(format!("--{flag} {spec}: {e}")))?;
                out.extend(r);
            }
            _ => {
                return Err(UsageError(format!(
                    "--{flag} {spec}: expected FROM:TO:STEP or values separated by commas"
                ))
                .into());
            }
        }
    }
    Ok(out)
}

/// `--shard K/N`, checked.
pub fn shard(spec: Option<&str>) -> Result<Option<Shard>> {
    spec.map(|s| {
        s.parse::<Shard>()
            .map_err(|e| UsageError(format!("--shard {s}: {e}")).into())
    })
    .transpose()
}

/// The most worker threads `--threads` accepts: four per core, and at least 64. More
/// threads than cores only add overhead to this CPU-bound work.
pub fn max_threads() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    cores.saturating_mul(4).max(64)
}

/// A rayon pool of `threads` workers (default: one per core).
pub fn pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    if threads == Some(0) {
        return Err(UsageError("--threads must be at least 1".into()).into());
    }
    let max = max_threads();
    if let Some(t) = threads.filter(|&t| t > max) {
        return Err(UsageError(format!(
            "--threads {t} is more than the {max} allowed on this machine (four per core, at \
             least 64); omit it for one thread per core"
        ))
        .into());
    }
    Ok(rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()?)
}

/// Whether to draw a progress bar: on a terminal, and never with `--json`.
pub fn show_progress(json: bool, stderr_is_terminal: bool) -> bool {
    !json && stderr_is_terminal
}

/// A progress bar of `len` units on stderr, hidden unless [`show_progress`].
pub fn progress(len: usize, json: bool, what: &str) -> ProgressBar {
    if !show_progress(json, std::io::stderr().is_terminal()) {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{msg} [{bar:40.cyan/blue}] {pos}/{len} {elapsed_precise} (eta {eta})",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_string());
    bar
}

/// Runs `sweep` (or the slice `shard` of it) on `common.threads` threads and writes the
/// result: the summary, or the shard's partial result.
pub fn run<S>(sweep: S, shard: Option<Shard>, common: &ExperimentArgs) -> Result<()>
where
    S: Sweep + Report<Output = <S as Sweep>::Output>,
    <S as Sweep>::Output: Serialize,
{
    let pool = pool(common.threads)?;
    let part = shard.unwrap_or(Shard::ALL);
    let units = part.len_of(sweep.units());
    let label = match shard {
        Some(s) => format!("{} {s}", S::NAME),
        None => S::NAME.to_string(),
    };
    let bar = progress(units, common.output.json, &label);
    let partial = pool.install(|| experiment::run_shard(&sweep, part, &|| bar.inc(1)))?;
    bar.finish_and_clear();
    match shard {
        Some(s) => write_partial::<S>(&partial, s, common.output.out.as_deref()),
        None => {
            let units = partial.units.into_iter().map(|u| u.result).collect();
            let output = sweep.summarize(units)?;
            emit::<S>(&output, common.output.json, common.output.out.as_deref())
        }
    }
}

/// Writes a shard's partial result: into `DIR/<name>.shard-K-of-N.json`, or on stdout.
fn write_partial<S: Sweep>(partial: &PartialOf<S>, shard: Shard, out: Option<&Path>) -> Result<()> {
    let text = pretty(partial)?;
    match out {
        Some(dir) => {
            let path = dir.join(format!(
                "{}.shard-{}-of-{}.json",
                S::NAME,
                shard.index,
                shard.count
            ));
            write(&path, text.as_bytes())?;
            eprintln!(
                "wrote {} units of shard {shard} to {}",
                partial.units.len(),
                path.display()
            );
        }
        None => print!("{text}"),
    }
    Ok(())
}

/// The result as JSON, with the experiment's name first.
pub fn result_json<R: Report>(name: &str, output: &R::Output) -> Result<String> {
    let mut map = Map::new();
    map.insert("experiment".into(), Value::String(name.to_string()));
    match serde_json::to_value(output)? {
        Value::Object(fields) => map.extend(fields),
        other => {
            map.insert("result".into(), other);
        }
    }
    pretty(&Value::Object(map))
}

fn pretty<T: Serialize>(value: &T) -> Result<String> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    Ok(text)
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating the folder {}", dir.display()))?;
    }
    hopfield_io::atomic_write(path, bytes)?;
    Ok(())
}

/// Shows a result: JSON on stdout with `--json`; the figure, CSV and JSON in `out`; the
/// table on stdout unless `--json`.
pub fn emit<R: Report>(output: &R::Output, json: bool, out: Option<&Path>) -> Result<()> {
    let text = result_json::<R>(R::STEM, output)?;
    if let Some(dir) = out {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating the folder {}", dir.display()))?;
        let stem = dir.join(R::STEM);
        let figure = R::figure(output)?;
        let mut written: Vec<PathBuf> = crate::tour::figures::save(&figure, &stem)
            .with_context(|| format!("drawing {}", stem.display()))?;
        for (ext, bytes) in [
            ("csv", R::csv(output).into_bytes()),
            ("json", text.clone().into_bytes()),
        ] {
            let path = dir.join(format!("{}.{ext}", R::STEM));
            write(&path, &bytes)?;
            written.push(path);
        }
        if !json {
            let names: Vec<String> = written
                .iter()
                .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .collect();
            eprintln!("wrote {} to {}", names.join(", "), dir.display());
        }
    }
    if json {
        print!("{text}");
    } else {
        print!("{}", R::table(output));
    }
    Ok(())
}

/// A CSV line from already formatted fields.
pub fn csv_line(fields: &[String]) -> String {
    let mut s = fields.join(",");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_parse_ranges_and_lists() {
        assert_eq!(values("alpha", "0.1:0.3:0.1").unwrap(), vec![0.1, 0.2, 0.3]);
        assert_eq!(values("alpha", "0.05,0.1").unwrap(), vec![0.05, 0.1]);
        assert_eq!(
            values("noise", "0:0.1:0.05,0.5").unwrap(),
            vec![0.0, 0.05, 0.1, 0.5]
        );
        for bad in ["0.2:0.1:0.01", "0:1:0", "a", "1:2", "0.1,,0.2"] {
            let e = values("alpha", bad).unwrap_err();
            assert!(e.downcast_ref::<UsageError>().is_some(), "{bad}: {e}");
        }
    }

    #[test]
    fn progress_only_on_a_terminal_without_json() {
        assert!(show_progress(false, true));
        assert!(!show_progress(true, true));
        assert!(!show_progress(false, false));
        assert!(!show_progress(true, false));
        assert!(progress(10, true, "x").is_hidden());
    }

    #[test]
    fn shards_are_checked() {
        assert_eq!(shard(Some("2/3")).unwrap(), Some(Shard::new(2, 3).unwrap()));
        assert_eq!(shard(None).unwrap(), None);
        for bad in ["0/3", "4/3", "3", "a/b"] {
            assert!(
                shard(Some(bad))
                    .unwrap_err()
                    .downcast_ref::<UsageError>()
                    .is_some()
            );
        }
    }
}
