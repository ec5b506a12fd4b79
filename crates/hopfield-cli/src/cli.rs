//! The command-line interface: commands, flags and their meaning.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use hopfield::modern::Model;
use hopfield::noise::{AddTo, Region};
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
    /// Time the reference workloads A–F of numpy_baseline.py (and the dense-matrix references).
    Bench(BenchArgs),
    /// Redo every experiment of the course page and write an HTML report with figures.
    Tour(TourArgs),
    /// Sample the crosstalk term Σ ξ_i S_i and compare it with its Gaussian prediction.
    Crosstalk(CrosstalkArgs),
    /// Storage capacity: fixed points, recalls and overlaps against the load α = P/N.
    Capacity(CapacityArgs),
    /// Basins of attraction: recall against the noise of the cue, one curve per load.
    Basins(BasinsArgs),
    /// Run from random states and count where they end: stored, reversed, mixtures, spurious.
    Attractors(AttractorsArgs),
    /// Join the outputs of `--shard k/n` runs into the result of one run.
    Merge(MergeArgs),
    /// What this machine gives hopfield: kernel levels (HOPFIELD_SIMD), threads, memory.
    Info(InfoArgs),
}

/// Flags every experiment shares: seed, threads, output.
#[derive(Debug, Args)]
pub struct ExperimentArgs {
    /// Seed of every random choice; the results are the same for any --threads.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "T")]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Where an experiment's result goes.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Print the result as JSON on stdout (and no progress bar).
    #[arg(long)]
    pub json: bool,
    /// Folder for the figure (SVG and PNG), the data (CSV) and the result (JSON).
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Flags of the sweeps that can be split over machines.
#[derive(Debug, Args)]
pub struct ShardArgs {
    /// Run only slice K of N of the sweep and write its partial result (JSON), to be joined
    /// with `hopfield merge`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
}

/// `hopfield crosstalk`.
#[derive(Debug, Args)]
pub struct CrosstalkArgs {
    /// Neurons per pattern.
    #[arg(long, short = 'n', default_value_t = 100)]
    pub n: usize,
    /// Neurons on which S copies ξ.
    #[arg(long, default_value_t = 0)]
    pub overlap: usize,
    /// Samples of the term.
    #[arg(long, default_value_t = 5000)]
    pub samples: usize,
    #[command(flatten)]
    pub common: ExperimentArgs,
}

/// The network and dynamics of a sweep.
#[derive(Debug, Args)]
pub struct SweepNetworkArgs {
    /// Learning rule (hebb, outer01, …).
    #[arg(long, default_value = "hebb")]
    pub rule: Rule,
    /// Dynamics of the recall: sync, async, sweep, sequential.
    #[arg(long, default_value = "sync")]
    pub dynamics: Dynamics,
    /// Step limit of the recall (default 100 steps; async: 100·N single updates).
    #[arg(long)]
    pub max_steps: Option<usize>,
}

/// `hopfield capacity`.
#[derive(Debug, Args)]
pub struct CapacityArgs {
    /// Neurons.
    #[arg(long, short = 'n', default_value_t = 1000)]
    pub n: usize,
    /// Loads α = P/N: FROM:TO:STEP, or values separated by commas.
    #[arg(long, default_value = "0.01:0.2:0.01", value_name = "FROM:TO:STEP")]
    pub alpha: String,
    /// Networks (independent pattern sets) per load.
    #[arg(long, default_value_t = 5)]
    pub trials: usize,
    /// Fraction of neurons flipped in the cues.
    #[arg(long, default_value_t = 0.1, value_name = "F")]
    pub noise: f64,
    #[command(flatten)]
    pub network: SweepNetworkArgs,
    #[command(flatten)]
    pub shard: ShardArgs,
    #[command(flatten)]
    pub common: ExperimentArgs,
}

/// `hopfield basins`.
#[derive(Debug, Args)]
pub struct BasinsArgs {
    /// Neurons.
    #[arg(long, short = 'n', default_value_t = 1000)]
    pub n: usize,
    /// Loads α = P/N, one curve each: A[,A2,...] (or FROM:TO:STEP).
    #[arg(long, default_value = "0.05,0.1", value_name = "A[,A2,...]")]
    pub alpha: String,
    /// Fractions of neurons flipped in the cue: FROM:TO:STEP (or values separated by commas).
    #[arg(long, default_value = "0:0.5:0.05", value_name = "FROM:TO:STEP")]
    pub noise: String,
    /// Networks (independent pattern sets) per load.
    #[arg(long, default_value_t = 5)]
    pub trials: usize,
    /// Stored patterns cued per network and noise level.
    #[arg(long, default_value_t = 20)]
    pub cues: usize,
    #[command(flatten)]
    pub network: SweepNetworkArgs,
    #[command(flatten)]
    pub shard: ShardArgs,
    #[command(flatten)]
    pub common: ExperimentArgs,
}

/// `hopfield attractors`.
#[derive(Debug, Args)]
pub struct AttractorsArgs {
    /// Neurons.
    #[arg(long, short = 'n', default_value_t = 500)]
    pub n: usize,
    /// Stored random patterns.
    #[arg(long, short = 'p', default_value_t = 5)]
    pub p: usize,
    /// Random starting states.
    #[arg(long, default_value_t = 1000)]
    pub starts: usize,
    /// Learning rule (hebb, outer01, …).
    #[arg(long, default_value = "hebb")]
    pub rule: Rule,
    /// Dynamics: sweep (random order, the default), async, sequential or sync.
    #[arg(long, default_value = "sweep")]
    pub dynamics: Dynamics,
    /// Step limit (default 100 sweeps or steps; async: 100·N single updates).
    #[arg(long)]
    pub max_steps: Option<usize>,
    #[command(flatten)]
    pub shard: ShardArgs,
    #[command(flatten)]
    pub common: ExperimentArgs,
}

/// `hopfield merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The partial results written by `--shard k/n` runs (JSON).
    #[arg(required = true, value_name = "SHARD.json")]
    pub shards: Vec<PathBuf>,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `hopfield info`.
#[derive(Debug, Args)]
pub struct InfoArgs {
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
    /// Print only the kernel levels this processor runs, one per line (for scripts).
    #[arg(long, conflicts_with = "json")]
    pub levels: bool,
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
    /// Workloads to run: A B B-dense write C capacity D E F step read (default: all).
    pub workloads: Vec<String>,
    /// Runs per workload; the median time is reported.
    #[arg(long, default_value_t = 3)]
    pub repeat: usize,
    /// Print JSON instead of one line per workload.
    #[arg(long)]
    pub json: bool,
    /// Time each workload with one thread and with this many (default: once, with the
    /// threads in force).
    #[arg(long)]
    pub threads: Option<usize>,
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
    /// star at 100x100), page-five (the five neurons' csi = [1, -1, -1, 1, 1]). Several
    /// kinds of the same size are written one after the other (e.g. page-bu page-bc).
    #[arg(required = true, value_name = "KIND")]
    pub kinds: Vec<String>,
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
    /// Learning rule: hebb (bipolar, W = Σ ξξᵀ), outer01 (the page's 0/1 rule W = Σ vvᵀ),
    /// storkey, pseudo-inverse, perceptron, covariance (see the README's table).
    #[arg(long, default_value = "hebb")]
    pub rule: Rule,
    /// Perceptron rule: the margin κ ≥ 0 every neuron must reach (default 0.5).
    #[arg(long, allow_negative_numbers = true, value_name = "K")]
    pub kappa: Option<f64>,
    /// Perceptron rule: the most epochs before giving up (default 1000).
    #[arg(long, value_name = "E")]
    pub max_epochs: Option<usize>,
    /// Covariance rule: the patterns' mean activity a in (0, 1) (default: measured).
    #[arg(long, allow_negative_numbers = true, value_name = "A")]
    pub activity: Option<f64>,
    /// Keep each coupling with probability C in (0, 1], in symmetric pairs (drawn with
    /// --seed).
    #[arg(long, allow_negative_numbers = true, value_name = "C")]
    pub dilution: Option<f64>,
    /// Model: classical (the network of --rule), dense (energy −Σ(ξ·S)ⁿ), rectified
    /// (−Σ max(ξ·S, 0)ⁿ), exponential (−Σ exp(β ξ·S)), modern (ξ ← X softmax(β Xᵀξ)).
    #[arg(long, default_value = "classical")]
    pub model: Model,
    /// Dense and rectified models: the degree n ≥ 2 (default 3).
    #[arg(long, value_name = "N")]
    pub degree: Option<u32>,
    /// Exponential and modern models: the inverse temperature β > 0 of the interaction
    /// (default 1).
    #[arg(long, allow_negative_numbers = true, value_name = "B")]
    pub beta: Option<f64>,
    /// Scale of the weights: 1/N, 1/P or none (default: 1/N for hebb, none for outer01).
    #[arg(long)]
    pub normalization: Option<Normalization>,
    /// How the weights are stored: auto, dense (N×N matrix) or factored (W never formed).
    #[arg(long, default_value = "auto")]
    pub representation: Representation,
    /// Threshold θ: one number for every neuron, or a file (.npy/.txt) with one per neuron
    /// (default 0, or the covariance rule's own).
    #[arg(long, allow_hyphen_values = true)]
    pub threshold: Option<String>,
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
    /// Temperature T ≥ 0 of Glauber updates: P(S = +1) = 1/(1 + e^(−2h/T)); 0 is the
    /// deterministic rule. A run at T > 0 takes every step.
    #[arg(
        long,
        default_value_t = 0.0,
        value_name = "T",
        allow_negative_numbers = true
    )]
    pub temperature: f64,
    /// Seed for random updates, noise and dilution.
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
    /// Seed of the dilution.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
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
        conflicts_with_all = [
            "rule", "normalization", "representation", "threshold", "kappa", "max_epochs",
            "activity", "dilution", "model", "degree", "beta"
        ]
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
    /// Keep the first ⌊F·N⌋ neurons of the cue and take the others from stored pattern J,
    /// as the page's start "3/4 of ξ¹, 1/4 of ξ²" (--from 0 --mix 1:0.75).
    #[arg(long, value_name = "J:F")]
    pub mix: Option<Mix>,
    /// Flip this fraction of the neurons of the cue (exactly ⌊F·N⌋ of them).
    #[arg(long, value_name = "F")]
    pub noise: Option<f64>,
    /// Add a random ±1 to every value of the cue, as the course page does: to its 0/1
    /// image (binary: −1 to 2, the page's image cells) or to its ±1 values (bipolar: −2,
    /// 0, 2). Applied after --noise, before --mask.
    #[arg(long, value_name = "TO")]
    pub add_noise: Option<AddTo>,
    /// Zero ("unknown") a region of the cue: first-half, second-half, left-half,
    /// right-half, range:A..B, rect:TOP,LEFT,HxW.
    #[arg(long, value_name = "REGION")]
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

/// `--mix J:F`: the first ⌊F·N⌋ neurons of the cue, the others from stored pattern J.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mix {
    /// The stored pattern the other neurons come from.
    pub pattern: usize,
    /// The fraction of the neurons kept from the cue.
    pub fraction: f64,
}

impl std::str::FromStr for Mix {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad =
            || "expected J:F, a stored pattern and the fraction kept, e.g. 1:0.75".to_string();
        let (j, f) = s.split_once(':').ok_or_else(bad)?;
        let pattern = j.trim().parse().map_err(|_| bad())?;
        let fraction: f64 = f.trim().parse().map_err(|_| bad())?;
        if !(0.0..=1.0).contains(&fraction) {
            return Err(format!("the fraction kept must lie in [0, 1], not {f}"));
        }
        Ok(Mix { pattern, fraction })
    }
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
    /// Write the neuron × time raster: drawn with axes to a .png or .svg file, or as data
    /// (0/1 as ±1) to a .npy or .txt file; then print only the summary line.
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
