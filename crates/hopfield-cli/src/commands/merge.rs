//! `hopfield merge`: the partial results of `--shard k/n` runs joined into one result.

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};
use hopfield::experiment::{self, AttractorsSweep, BasinsSweep, CapacitySweep, PartialOf, Sweep};
use serde::Serialize;
use serde_json::Value;

use super::sweep::{self, Report};
use crate::cli::MergeArgs;

pub fn run(args: MergeArgs) -> Result<()> {
    let mut docs: Vec<(PathBuf, Value)> = Vec::new();
    for path in &args.shards {
        // A shard's JSON, bounded: parsed values take a few times the text's size.
        let text = hopfield_io::read_text(path, 1 << 32, 8)?;
        let value: Value = serde_json::from_str(&text)
            .map_err(|e| anyhow!("{}: not a JSON file ({e})", path.display()))?;
        docs.push((path.clone(), value));
    }
    let name = |v: &Value| {
        v.get("experiment")
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let first = name(&docs[0].1).ok_or_else(|| {
        anyhow!(
            "{}: not the output of a --shard run (no \"experiment\" field)",
            docs[0].0.display()
        )
    })?;
    let out = args.output.out.as_deref();
    match first.as_str() {
        n if n == CapacitySweep::NAME => merge::<CapacitySweep>(docs, args.output.json, out),
        n if n == BasinsSweep::NAME => merge::<BasinsSweep>(docs, args.output.json, out),
        n if n == AttractorsSweep::NAME => merge::<AttractorsSweep>(docs, args.output.json, out),
        other => Err(anyhow!(
            "{}: a '{}' result cannot be merged (capacity, basins and attractors can)",
            docs[0].0.display(),
            hopfield::excerpt(other)
        )),
    }
}

fn merge<S>(docs: Vec<(PathBuf, Value)>, json: bool, out: Option<&Path>) -> Result<()>
where
    S: Sweep + Report<Output = <S as Sweep>::Output>,
    <S as Sweep>::Output: Serialize,
{
    let mut partials: Vec<PartialOf<S>> = Vec::with_capacity(docs.len());
    for (path, value) in docs {
        if value.get("shard").is_none() || value.get("units").is_none() {
            return Err(anyhow!(
                "{}: not the output of a --shard run (a merged or single-run result?)",
                path.display()
            ));
        }
        let name = value
            .get("experiment")
            .and_then(Value::as_str)
            .unwrap_or("unnamed");
        if name != S::NAME {
            return Err(anyhow!(
                "{}: holds a {} shard, not {} like the first file",
                path.display(),
                hopfield::excerpt(name),
                S::NAME
            ));
        }
        let part: PartialOf<S> = serde_json::from_value(value).map_err(|e| {
            anyhow!(
                "{}: not a {} shard ({})",
                path.display(),
                S::NAME,
                hopfield::excerpt(&e.to_string())
            )
        })?;
        partials.push(part);
    }
    let sweep = S::new(partials[0].config.clone())?;
    let units = experiment::merge(&sweep, partials)?;
    let output = sweep.summarize(units)?;
    sweep::emit::<S>(&output, json, out)
}
