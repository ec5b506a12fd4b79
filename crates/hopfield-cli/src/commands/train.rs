//! `hopfield train`: store patterns and save the network.

use anyhow::Result;

use hopfield::modern::Memory;

use crate::cli::TrainArgs;

pub fn run(args: TrainArgs) -> Result<()> {
    let patterns =
        hopfield_io::read_patterns(&args.patterns, args.input.size, args.input.encoding)?;
    let memory = super::memory(&patterns, &args.network, args.seed)?;
    hopfield_io::write_memory(&args.out, &memory)?;
    let what = match &memory {
        Memory::Classical(net) => format!(
            "{} ({})",
            net.rule().map(ToString::to_string).unwrap_or_default(),
            net.weights().storage()
        ),
        _ => format!("the {} model", super::model(&args.network)?),
    };
    eprintln!(
        "stored {} pattern{} of {} neurons with {what} in {}",
        patterns.len(),
        if patterns.len() == 1 { "" } else { "s" },
        memory.n(),
        args.out.display()
    );
    Ok(())
}
