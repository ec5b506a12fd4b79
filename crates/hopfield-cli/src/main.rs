//! `hopfield`: Hopfield networks and associative memory from the command line.

mod cli;
mod commands;
mod serve;
mod terminal;
mod tour;

use std::process::ExitCode;

use clap::Parser;

/// Exit status for bad data (unreadable or invalid files, failed runs).
const EXIT_DATA: u8 = 1;
/// Exit status for usage errors (bad flags or flag values), as clap uses.
const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    restore_sigpipe();
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(exit_code(&e))
        }
    }
}

/// Lets a closed pipe (`hopfield ... | head`) end the program quietly, as other Unix
/// tools do, instead of failing on the next write.
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to its default has no preconditions.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// Usage errors (an out-of-range or contradictory flag) exit with 2, everything else with 1.
fn exit_code(e: &anyhow::Error) -> u8 {
    let usage = e.chain().any(|c| {
        c.downcast_ref::<cli::UsageError>().is_some()
            || matches!(
                c.downcast_ref::<hopfield::Error>(),
                Some(hopfield::Error::Parameter { .. })
            )
    });
    if usage { EXIT_USAGE } else { EXIT_DATA }
}
