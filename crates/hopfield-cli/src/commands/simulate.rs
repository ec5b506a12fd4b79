//! `hopfield simulate`: the course page's first cell, a random binary network.

use std::path::Path;

use anyhow::Result;
use hopfield::{
    Activation, AssociativeMemory, Dynamics, Network, RecallOptions, Record, Threshold, Tie,
    Weights, random,
};
use hopfield_io::Layout;
use rand::Rng;
use serde_json::json;

use crate::cli::{Connectivity, SimulateArgs, UsageError};
use crate::tour::figures;

/// The raster of a run: `raster[i][t]` is neuron `i` after `t` updates (0/1).
pub struct Simulation {
    pub raster: Vec<Vec<i8>>,
    pub flips: u64,
    pub converged: bool,
    pub energy: f64,
}

/// Runs the page's first cell: binary neurons, random connectivity, one random neuron per
/// step turning on when its input exceeds the threshold (ties off, as `>` on the page).
pub fn simulate(args: &SimulateArgs) -> Result<Simulation> {
    if args.n == 0 {
        return Err(UsageError("-n must be at least 1".into()).into());
    }
    if args.steps == 0 {
        return Err(UsageError("--steps must be at least 1".into()).into());
    }
    // The trajectory, the raster and the written copy: a byte per neuron and step each,
    // and a vector per step and per neuron.
    let t = args
        .steps
        .checked_add(1)
        .ok_or_else(|| UsageError(format!("--steps {} is too large", args.steps)))?;
    let cells = hopfield::guard::elements("n × steps", &[args.n, t])?;
    hopfield::guard::check(
        &format!("the raster of {} neurons over {t} steps", args.n),
        (cells as u64)
            .saturating_mul(3)
            .saturating_add((t as u64).saturating_add(args.n as u64).saturating_mul(24)),
        "use fewer steps or neurons",
    )?;
    let mut rng = random::seeded(args.seed);
    let weights = match args.connectivity {
        Connectivity::Uniform => Weights::uniform(args.n, &mut rng)?,
        Connectivity::Gaussian => Weights::gaussian(args.n, 1.0, &mut rng)?,
    };
    let net = Network::new(weights)
        .with_activation(Activation::Binary)
        .with_threshold(Threshold::Uniform(args.threshold))?;
    let start: Vec<i8> = (0..args.n).map(|_| (rng.next_u64() >> 63) as i8).collect();
    let options = RecallOptions::new(Dynamics::Asynchronous)
        .tie(Tie::Minus)
        .max_steps(args.steps)
        .run_to_max()
        .record(Record::new(true, false));
    let r = net.recall(&start, &options, &mut rng)?;
    let states = r.trajectory.map(|t| t.states).unwrap_or_default();
    let raster = (0..args.n)
        .map(|i| states.iter().map(|s| s[i]).collect())
        .collect();
    Ok(Simulation {
        raster,
        flips: r.flips,
        converged: r.converged,
        energy: r.energy,
    })
}

/// Whether `path` names a figure (.png or .svg) rather than a data file.
fn is_figure(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("png") || e.eq_ignore_ascii_case("svg"))
}

pub fn run(args: SimulateArgs) -> Result<()> {
    let sim = simulate(&args)?;
    let n = args.n;
    let t = args.steps + 1;
    if let Some(out) = args.out.as_deref().filter(|o| is_figure(o)) {
        figures::write(&figures::raster(&sim.raster), out)?;
    } else if let Some(out) = &args.out {
        let flat: Vec<i8> = sim
            .raster
            .iter()
            .flatten()
            .map(|&v| if v > 0 { 1 } else { -1 })
            .collect();
        let layout = Layout {
            count: 1,
            n: n * t,
            shape: Some(hopfield::Shape::new(n, t)),
            dims: vec![n, t],
        };
        hopfield_io::write_states(out, &flat, &layout)?;
    }
    if args.json {
        let last: Vec<i8> = sim.raster.iter().map(|r| r[t - 1]).collect();
        let on: Vec<usize> = (0..t)
            .map(|k| sim.raster.iter().filter(|r| r[k] == 1).count())
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "n": n,
                "steps": args.steps,
                "flips": sim.flips,
                "converged": sim.converged,
                "energy": sim.energy,
                "state": last,
                "on_per_step": on,
            }))?
        );
        return Ok(());
    }
    println!(
        "{n} binary neurons, {} connectivity, threshold {}; {} updates, {} flips, {}",
        match args.connectivity {
            Connectivity::Uniform => "uniform [0, 1)",
            Connectivity::Gaussian => "symmetric Gaussian",
        },
        args.threshold,
        args.steps,
        sim.flips,
        if sim.converged {
            "ends at a fixed point"
        } else {
            "not at a fixed point"
        }
    );
    if let Some(out) = &args.out {
        let verb = if is_figure(out) { "drew" } else { "wrote" };
        eprintln!("{verb} the {n} x {t} raster to {}", out.display());
        return Ok(());
    }
    println!("neuron × time (█ = 1):");
    for start in (0..t).step_by(100) {
        let end = (start + 100).min(t);
        println!("t = {start}..{}", end - 1);
        for (i, row) in sim.raster.iter().enumerate() {
            let line: String = row[start..end]
                .iter()
                .map(|&v| if v == 1 { '█' } else { '·' })
                .collect();
            println!("{i:>4} {line}");
        }
    }
    Ok(())
}
