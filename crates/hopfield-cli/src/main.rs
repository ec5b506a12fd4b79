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
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => usage_error(&e),
    };
    if !matches!(cli.command, cli::Command::Serve(_)) {
        remove_temporary_files_on_signals();
    }
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Messages quote files and arguments: no control character reaches the
            // terminal.
            eprintln!("error: {}", hopfield::escape_controls(&format!("{e:#}")));
            ExitCode::from(exit_code(&e))
        }
    }
}

/// On SIGINT, SIGTERM or SIGHUP, removes the temporary files of the writes in progress
/// (their targets stay as they were), then ends as the signal would have.
fn remove_temporary_files_on_signals() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return;
        };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                hopfield_io::remove_temporary_files();
                let _ = signal_hook::low_level::emulate_default_handler(signal);
                std::process::exit(128 + signal);
            }
        });
    }
}

/// Prints clap's message and exits with its status: help and version as clap prints
/// them, errors in one line (see [`one_line`]) with control characters escaped.
fn usage_error(e: &clap::Error) -> ! {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        e.exit();
    }
    eprintln!(
        "{}",
        hopfield::escape_controls(&one_line(&e.render().to_string()))
    );
    std::process::exit(e.exit_code());
}

/// clap's error message in one line: the error, then its details and tips, then where the
/// usage is (`see 'hopfield recall --help'`) instead of the usage itself.
fn one_line(rendered: &str) -> String {
    let mut command = command_line_name();
    let mut text = String::new();
    let mut in_usage = false;
    for line in rendered.lines() {
        let t = line.trim();
        if t.is_empty() {
            in_usage = false;
            continue;
        }
        if let Some(usage) = t.strip_prefix("Usage: ") {
            command = usage
                .split_whitespace()
                .take_while(|w| !w.starts_with(['[', '<', '-']))
                .collect::<Vec<_>>()
                .join(" ");
            in_usage = true;
            continue;
        }
        if in_usage || t.starts_with("For more information") {
            continue;
        }
        let t = t.strip_prefix("tip: ").unwrap_or(t);
        if !text.is_empty() {
            // A list after "…:" continues it; anything else is a new clause.
            text.push_str(if text.ends_with(':') { " " } else { "; " });
        }
        text.push_str(t);
    }
    format!("{text}; see '{command} --help'")
}

/// `hopfield` and the subcommand of this command line, if it names one.
fn command_line_name() -> String {
    use clap::CommandFactory;
    let cli = cli::Cli::command();
    let sub = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .filter(|a| cli.find_subcommand(a).is_some());
    match sub {
        Some(s) => format!("hopfield {s}"),
        None => "hopfield".into(),
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
