//! One module per command.

mod bench;
mod patterns;
mod recall;
pub mod simulate;
mod train;

use std::path::Path;

use anyhow::Result;
use hopfield::{Network, Rule, Threshold};

use crate::cli::{Cli, Command, NetworkArgs, UsageError};

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Patterns(a) => patterns::run(a),
        Command::Recall(a) => recall::run(a),
        Command::Train(a) => train::run(a),
        Command::Simulate(a) => simulate::run(a),
        Command::Serve(a) => crate::serve::run(&a),
        Command::Bench(a) => bench::run(a),
        Command::Tour(a) => crate::tour::run(a),
    }
}

/// The rule with the normalisation the user asked for.
pub fn rule(args: &NetworkArgs) -> Rule {
    match args.normalization {
        Some(n) => args.rule.clone().with_normalization(n),
        None => args.rule.clone(),
    }
}

/// `--threshold`: a number, or a file with one value per neuron.
pub fn threshold(spec: &str, n: usize) -> Result<Threshold> {
    if let Ok(t) = spec.parse::<f64>() {
        if !t.is_finite() {
            return Err(UsageError(format!("--threshold {spec}: must be a finite number")).into());
        }
        return Ok(Threshold::Uniform(t));
    }
    let path = Path::new(spec);
    if !path.exists() {
        return Err(UsageError(format!(
            "--threshold {spec}: neither a number nor an existing file (.npy or .txt with {n} values)"
        ))
        .into());
    }
    let array = hopfield_io::read_array(path)?;
    if array.len() != n {
        return Err(UsageError(format!(
            "{spec}: holds {} thresholds, the network has {n} neurons",
            array.len()
        ))
        .into());
    }
    let values = array.to_f64();
    let t = Threshold::PerNeuron(values);
    t.check(n)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    Ok(t)
}

/// Builds the network of `recall`: patterns, rule, representation, threshold.
pub fn network(patterns: &hopfield::Patterns, args: &NetworkArgs) -> Result<Network> {
    let net = Network::train(patterns, &rule(args), args.representation)?;
    let t = threshold(&args.threshold, net.n())?;
    Ok(net.with_threshold(t)?)
}
