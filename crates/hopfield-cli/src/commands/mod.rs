//! One module per command.

mod attractors;
mod basins;
mod bench;
mod capacity;
mod crosstalk;
mod info;
mod merge;
mod patterns;
mod recall;
pub mod simulate;
mod sweep;
mod train;

use std::path::Path;

use anyhow::Result;
use hopfield::modern::{Memory, Model};
use hopfield::{Dilution, LearningRule, Network, Patterns, Representation, Rule, Threshold};

use crate::cli::{Cli, Command, NetworkArgs, UsageError};

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    // An invalid HOPFIELD_SIMD stops every command before it starts (exit 2).
    hopfield::simd::level()?;
    match cli.command {
        Command::Patterns(a) => patterns::run(a),
        Command::Recall(a) => recall::run(a),
        Command::Train(a) => train::run(a),
        Command::Simulate(a) => simulate::run(a),
        Command::Serve(a) => crate::serve::run(&a),
        Command::Bench(a) => bench::run(a),
        Command::Tour(a) => crate::tour::run(a),
        Command::Crosstalk(a) => crosstalk::run(a),
        Command::Capacity(a) => capacity::run(a),
        Command::Basins(a) => basins::run(a),
        Command::Attractors(a) => attractors::run(a),
        Command::Merge(a) => merge::run(a),
        Command::Info(a) => info::run(&a),
    }
}

/// The rule with the options the user asked for; an option of another rule is a usage
/// error.
pub fn rule(args: &NetworkArgs) -> Result<Rule> {
    let mut rule = args.rule.clone();
    let name = rule.name();
    let refuse = |flag: &str, owners: &str| -> Result<()> {
        Err(UsageError(format!(
            "{flag} applies to --rule {owners}, not to --rule {name}"
        ))
        .into())
    };
    match &mut rule {
        Rule::Perceptron(p) => {
            p.kappa = args.kappa.unwrap_or(p.kappa);
            p.max_epochs = args.max_epochs.unwrap_or(p.max_epochs);
        }
        Rule::Covariance(c) => c.activity = args.activity.or(c.activity),
        Rule::Hebb(h) => h.normalization = args.normalization.unwrap_or(h.normalization),
        Rule::Outer01(o) => o.normalization = args.normalization.unwrap_or(o.normalization),
        _ => {}
    }
    let given = [
        ("--kappa", args.kappa.is_some(), "perceptron"),
        ("--max-epochs", args.max_epochs.is_some(), "perceptron"),
        ("--activity", args.activity.is_some(), "covariance"),
        (
            "--normalization",
            args.normalization.is_some(),
            "hebb or outer01",
        ),
    ];
    for (flag, _, owners) in given.iter().filter(|(_, g, _)| *g) {
        if !owners.split(" or ").any(|o| o == name) {
            refuse(flag, owners)?;
        }
    }
    rule.check()?;
    Ok(rule)
}

/// The model with the options the user asked for; an option of another model is a usage
/// error, and so are the classical network's options on another model.
pub fn model(args: &NetworkArgs) -> Result<Model> {
    let mut model = args.model.clone();
    let name = model.name();
    let refuse = |flag: &str, owners: &str| -> Result<()> {
        Err(UsageError(format!(
            "{flag} applies to --model {owners}, not to --model {name}"
        ))
        .into())
    };
    if let Some(d) = args.degree {
        if !matches!(model, Model::Dense { .. }) {
            refuse("--degree", "dense or rectified")?;
        }
        model = model.degree(d);
    }
    if let Some(b) = args.beta {
        if !matches!(model, Model::Exponential { .. } | Model::Modern { .. }) {
            refuse("--beta", "exponential or modern")?;
        }
        model = model.beta(b);
    }
    if model != Model::Classical {
        let classical = [
            ("--rule", args.rule != Rule::hebb()),
            ("--normalization", args.normalization.is_some()),
            (
                "--representation",
                args.representation != Representation::Auto,
            ),
            ("--threshold", args.threshold.is_some()),
            ("--dilution", args.dilution.is_some()),
            ("--kappa", args.kappa.is_some()),
            ("--max-epochs", args.max_epochs.is_some()),
            ("--activity", args.activity.is_some()),
        ];
        if let Some((flag, _)) = classical.iter().find(|(_, given)| *given) {
            refuse(flag, "classical")?;
        }
    }
    model.check()?;
    Ok(model)
}

/// The memory of `recall`: the classical network ([`network`]) or another model.
pub fn memory(patterns: &Patterns, args: &NetworkArgs, seed: u64) -> Result<Memory> {
    let model = model(args)?;
    if model == Model::Classical {
        return Ok(Memory::Classical(Box::new(network(patterns, args, seed)?)));
    }
    Ok(Memory::build(&model, patterns, &Rule::hebb())?)
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
        // Bad data, not a bad flag: the file exists but does not fit the network.
        return Err(anyhow::anyhow!(
            "{}: holds {} thresholds, the network has {n} neurons",
            path.display(),
            array.len()
        ));
    }
    let values = array.to_f64();
    let t = Threshold::PerNeuron(values);
    t.check(n)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    Ok(t)
}

/// Builds the network of `recall`: patterns, rule, representation, threshold (the
/// rule's own unless given), dilution (drawn with `seed`).
pub fn network(patterns: &Patterns, args: &NetworkArgs, seed: u64) -> Result<Network> {
    let rule = rule(args)?;
    let (mut net, training) = Network::train_report(patterns, &rule, args.representation, None)?;
    rule.check_training(&training)?;
    if training.epochs > 0 {
        eprintln!(
            "{rule}: converged after {} epoch{} ({} updates)",
            training.epochs,
            if training.epochs == 1 { "" } else { "s" },
            training.updates
        );
    }
    if let Some(spec) = &args.threshold {
        let t = threshold(spec, net.n())?;
        net = net.with_threshold(t)?;
    }
    if let Some(c) = args.dilution {
        net = net.diluted(&Dilution::new(c, seed))?;
    }
    Ok(net)
}
