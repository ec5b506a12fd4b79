//! `hopfield train`: store patterns and save the network.

use anyhow::Result;

use hopfield::modern::Memory;

use crate::cli::{TrainArgs, UsageError};

pub fn run(args: TrainArgs) -> Result<()> {
    let patterns =
        hopfield_io::read_patterns(&args.patterns, args.input.size, args.input.encoding)?;
    let net = match super::memory(&patterns, &args.network, args.seed)? {
        Memory::Classical(net) => *net,
        _ => {
            return Err(UsageError(format!(
                "--model {}: saved files hold classical networks; recall --model {} from the patterns instead",
                args.network.model.name(),
                args.network.model.name()
            ))
            .into());
        }
    };
    hopfield_io::write_network(&args.out, &net)?;
    let rule = net.rule().map(ToString::to_string).unwrap_or_default();
    eprintln!(
        "stored {} pattern{} of {} neurons with {rule} ({}) in {}",
        patterns.len(),
        if patterns.len() == 1 { "" } else { "s" },
        net.n(),
        net.weights().storage(),
        args.out.display()
    );
    Ok(())
}
