//! The command-line interface: commands, flags and their meaning.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use hopfield::noise::Region;
use hopfield::{Dynamics, Encoding, Normalization, Representation, Rule, Shape, Tie};

/// A usage error found after parsing: contradictory or missing flags.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Hopfield networks and associative memory: store patterns, corrupt them, recall them.
#[derive(Debug, Parser)]
#[command(name = "hopfield", version, about, long_about = None)]
#[command(
    after_help = "Files: .npy (int8…float64, ±1 or 0/1), .png (dark = on) and .txt \
    (# on, . off, ? unknown; blank line between patterns); saved networks from 'hopfield \
    train' (safetensors, docs/network-format.md).\n\
    Run 'hopfield tour --out DIR' for the course page's experiments with figures."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write generated patterns (random, shapes, letters, text, the course page's drawings).
    Patterns(PatternsArgs),
    /// Store patterns and recall from a cue (a file, or a stored pattern corrupted).
    Recall(RecallArgs),
    /// Store patterns in a network and save it (safetensors, see docs/network-format.md).
    Train(TrainArgs),
    /// The course page's first cell: a random binary network updated one neuron at a time.
    Simulate(SimulateArgs),
    /// Serve the interactive explorer on http://HOST:PORT (draw, store, corrupt, recall).
    Serve(ServeArgs),
    /// Time the reference workloads A–E of numpy_baseline.py (and the dense-matrix references).
    Bench(BenchArgs),
    /// Redo every experiment of the course page and write an HTML report with figures.
    Tour(TourArgs),
}

/// `hopfield tour`.
#[derive(Debug, Args)]
pub struct TourArgs {
    /// Folder for the report (index.html, figures/, data/); created if missing.
    #[arg(long, short = 'o', default_value = "tour")]
    pub out: PathBuf,
    /// Seed for every random choice of the tour.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Print nothing but errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// `hopfield bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Workloads to run: A B B-dense write C D E step read (default: all).
    pub workloads: Vec<String>,
    /// Runs per workload; the median time is reported.
    #[arg(long, default_value_t = 3)]
    pub repeat: usize,
    /// Print JSON instead of one line per workload.
    #[arg(long)]
    pub json: bool,
}

/// `hopfield serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// Address to bind; the default serves this machine only.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
}

/// `hopfield patterns`.
#[derive(Debug, Args)]
pub struct PatternsArgs {
    /// random, checkerboard, x, star, l, rows, columns, letter, text, page-a, page-bu,
    /// page-bc, page-star, page-letters (checkerboard, X, A at 5x5), page-images (BU, BC,
    /// star at 100x100).
    pub kind: String,
    /// Grid size HxW (default 10x10; letters 7x5 per character; page drawings their own).
    #[arg(long, value_name = "HxW")]
    pub size: Option<Shape>,
    /// Number of neurons for random patterns without a 2-D shape (instead of --size).
    #[arg(long, short = 'n', conflicts_with = "size")]
    pub n: Option<usize>,
    /// Characters for `letter` (one pattern each) or the text for `text`.
    #[arg(long)]
    pub text: Option<String>,
    /// Number of random patterns.
    #[arg(long, short = 'p', default_value_t = 1)]
    pub count: usize,
    /// Probability that a random neuron is on.
    #[arg(long, default_value_t = 0.5)]
    pub p_on: f64,
    /// Stripe thickness for `rows` and `columns`.
    #[arg(long, default_value_t = 1)]
    pub width: usize,
    /// Seed for random patterns.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output file (.npy, .png or .txt); without it the patterns are drawn on the terminal.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
}

/// How to read pattern and cue files.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Display shape HxW for .npy files without one (a 2-D .npy is read as P patterns of N).
    #[arg(long, value_name = "HxW")]
    pub size: Option<Shape>,
    /// How numbers in .npy files map to neurons: auto (only 0 and 1 means binary), bipolar,
    /// binary.
    #[arg(long, default_value = "auto")]
    pub encoding: Encoding,
}

/// The network: rule and representation.
#[derive(Debug, Args)]
pub struct NetworkArgs {
    /// Learning rule: hebb (bipolar, W = Σ ξξᵀ), outer01 (the page's 0/1 rule W = Σ vvᵀ).
    #[arg(long, default_value = "hebb")]
    pub rule: Rule,
    /// Scale of the weights: 1/N, 1/P or none (default: 1/N for hebb, none for outer01).
    #[arg(long)]
    pub normalization: Option<Normalization>,
    /// How the weights are stored: auto, dense (N×N matrix) or factored (W never formed).
    #[arg(long, default_value = "auto")]
    pub representation: Representation,
    /// Threshold θ: one number for every neuron, or a file (.npy/.txt) with one per neuron.
    #[arg(long, default_value = "0", allow_hyphen_values = true)]
    pub threshold: String,
}

/// How the dynamics run.
#[derive(Debug, Args)]
pub struct DynamicsArgs {
    /// sync (all at once), async (random neuron, with replacement), sweep (random order),
    /// sequential (order 0..N).
    #[arg(long, default_value = "sync")]
    pub dynamics: Dynamics,
    /// Value when the field equals the threshold: plus (+1), minus (−1), keep.
    #[arg(long, default_value = "plus")]
    pub tie: Tie,
    /// Step limit (default 100 steps; async: 100·N single updates).
    #[arg(long)]
    pub max_steps: Option<usize>,
    /// Seed for random updates and noise.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// `hopfield train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Patterns to store (.npy, .png or .txt).
    #[arg(long, value_name = "FILE")]
    pub patterns: PathBuf,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub network: NetworkArgs,
    /// The saved network (written atomically; `recall --network FILE` reads it).
    #[arg(long, short = 'o', value_name = "NET")]
    pub out: PathBuf,
}

/// `hopfield recall`.
#[derive(Debug, Args)]
pub struct RecallArgs {
    /// Patterns to store (.npy, .png or .txt); with --network, the patterns for --from
    /// and the overlaps instead of those saved in the network.
    #[arg(long, value_name = "FILE", required_unless_present = "saved")]
    pub patterns: Option<PathBuf>,
    /// A network saved by `hopfield train` (instead of training one from --patterns).
    #[arg(
        long = "network",
        value_name = "NET",
        conflicts_with_all = ["rule", "normalization", "representation", "threshold"]
    )]
    pub saved: Option<PathBuf>,
    /// Cue file: one cue or a batch (K, N) / (K, H, W); each is recalled independently.
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "from",
        conflicts_with = "from"
    )]
    pub cue: Option<PathBuf>,
    /// Build the cue from stored pattern INDEX (with --noise, --add-noise, --mask).
    #[arg(long, value_name = "INDEX")]
    pub from: Option<usize>,
    /// Flip this fraction of the neurons of the --from pattern (exactly ⌊F·N⌋ of them).
    #[arg(long, value_name = "F", requires = "from")]
    pub noise: Option<f64>,
    /// Add random ±1 to every value of the --from pattern, as the course page does.
    #[arg(long, requires = "from")]
    pub add_noise: bool,
    /// Zero ("unknown") a region of the --from pattern: first-half, second-half, left-half,
    /// right-half, range:A..B, rect:TOP,LEFT,HxW.
    #[arg(long, value_name = "REGION", requires = "from")]
    pub mask: Option<Region>,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub network: NetworkArgs,
    #[command(flatten)]
    pub dynamics: DynamicsArgs,
    /// Write the final state(s) as int8 ±1, in the cue's shape (.npy, .png or .txt).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Print one JSON object per cue (an array for a batch) instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `hopfield simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Number of binary (0/1) neurons.
    #[arg(long, short = 'n', default_value_t = 20)]
    pub n: usize,
    /// Number of single-neuron updates (the raster has steps + 1 columns).
    #[arg(long, short = 'k', default_value_t = 200)]
    pub steps: usize,
    /// Threshold: a neuron turns on when its input exceeds it.
    #[arg(long, default_value_t = 0.0, allow_hyphen_values = true)]
    pub threshold: f64,
    /// Connectivity: uniform (Tij uniform in [0, 1), as the page) or gaussian (symmetric,
    /// zero diagonal, N(0, 1/N)).
    #[arg(long, default_value = "uniform")]
    pub connectivity: Connectivity,
    /// Seed for the connectivity, the initial state and the update order.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Write the neuron × time raster (0/1 as ±1) to a .npy, .png or .txt file.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Print a JSON summary instead of the raster.
    #[arg(long)]
    pub json: bool,
}

/// Random connectivity of `simulate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Connectivity {
    /// Uniform in [0, 1), asymmetric, as the page's `np.random.rand(N, N)`.
    Uniform,
    /// Symmetric Gaussian with zero diagonal.
    Gaussian,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
