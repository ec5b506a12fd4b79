//! Dynamics: how neurons update, when a run stops, and what it records — one engine for
//! every model.
//!
//! Each neuron takes the sign of its drive, for the classical network its field minus its
//! threshold, `S_i ← sign(h_i − θ_i)` with `h_i = Σ_j W_ij S_j`; [`Tie`] decides the case
//! `h_i = θ_i`. What a *step* is depends on the [`Dynamics`]:
//!
//! | dynamics | one step | stops at a fixed point when |
//! |---|---|---|
//! | [`Dynamics::Synchronous`] | every neuron at once, from the old state | a step changes nothing (a repeated state is reported as a cycle) |
//! | [`Dynamics::Asynchronous`] | one neuron drawn at random, with replacement (the page's cells) | `N` draws in a row change nothing and no neuron would change |
//! | [`Dynamics::Sweep`] | every neuron once, in a fresh random order | a sweep changes nothing |
//! | [`Dynamics::Sequential`] | every neuron once, in order `0..N` | a sweep changes nothing |
//!
//! # Stochastic dynamics
//!
//! At a temperature `T = 1/β > 0` ([`RecallOptions::temperature`]) neurons update by
//! Glauber's heat-bath rule, `P(S_i = +1) = 1 / (1 + exp(−2β (h_i − θ_i)))` (for binary
//! neurons `P(V_i = 1) = 1 / (1 + exp(−β (h_i − θ_i)))`), with the same kinds of step. A
//! stochastic run takes all `max_steps` steps; `converged` then says whether the final state
//! is a fixed point of the deterministic dynamics. `T = 0` runs the deterministic dynamics
//! exactly.
//!
//! # One engine
//!
//! [`run`] is the only update loop of the crate: synchronous and single-neuron steps, `T = 0`
//! and Glauber, the stopping rules, exact cycle detection (a fingerprint of the state,
//! confirmed by comparing the states themselves) and the per-step records. A model plugs in
//! by implementing [`Dynamical`]: the drive of one neuron, what follows from a change, the
//! energy, and (optionally) a whole synchronous step at once — which is where the fast
//! paths live, such as the bit-packed steps of Hebbian couplings below. Every model that
//! implements it gets [`AssociativeMemory::recall`] and a parallel
//! [`AssociativeMemory::recall_batch`].
//!
//! # Speed
//!
//! Synchronous runs of Hebbian couplings (`W = c Σ_μ ξ^μ ξ^μᵀ`, factored or dense, `c > 0`)
//! with ±1 neurons, threshold 0 and nothing recorded per step take a path of their own on
//! processors with AVX2 or AVX-512: states stay bit-packed, overlaps come from popcounts,
//! fields from table look-ups 16 (AVX2) or 32 (AVX-512) neurons at a time, and runs that
//! drift with few changes per step switch to adding columns of `W` kept as one byte per
//! pair of neurons. The results are those of the general path, field for field (tested
//! path against path, at every level).
//!
//! ```
//! use hopfield::prelude::*;
//! let mut rng = random::seeded(3);
//! let patterns = generate::random_patterns(5, 400, 0.5, &mut rng)?;
//! let net = Network::from_patterns(&patterns, &Rule::hebb())?;
//! let cue = noise::flip_fraction(patterns.get(0).unwrap(), 0.1, &mut rng)?;
//! // Below the critical temperature (T = 1 for few patterns) the memory survives the noise…
//! let cold = RecallOptions::new(Dynamics::Sweep).temperature(0.3).max_steps(30);
//! assert!(net.recall(&cue, &cold, &mut rng)?.overlaps[0] > 0.9);
//! // …above it, it melts away.
//! let hot = RecallOptions::new(Dynamics::Sweep).temperature(3.0).max_steps(30);
//! assert!(net.recall(&cue, &hot, &mut rng)?.overlaps[0].abs() < 0.3);
//! # Ok::<(), hopfield::Error>(())
//! ```

mod cycle;
mod engine;
mod record;

use rand::Rng;
#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use crate::cancel::Cancel;
use crate::error::{Error, Result, check_length, check_values, require};
use crate::neuron::{Tie, decide};
use crate::outcome::Outcome;
use crate::pattern::Patterns;
use crate::random;

pub use engine::run;
pub(crate) use engine::run_from;

/// The order in which neurons update.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Dynamics {
    /// All neurons at once (`S ← sign(W S − θ)`).
    #[default]
    #[cfg_attr(feature = "serde", serde(alias = "sync"))]
    Synchronous,
    /// One random neuron per step, drawn with replacement.
    #[cfg_attr(feature = "serde", serde(alias = "async"))]
    Asynchronous,
    /// Every neuron once per step, in a new random permutation each sweep.
    Sweep,
    /// Every neuron once per step, in the fixed order 0, 1, …, N − 1.
    Sequential,
}

impl Dynamics {
    /// The step limit used when none is given: 100 steps (synchronous), `100 N` single
    /// updates (asynchronous), 100 sweeps (sweep, sequential).
    pub fn default_max_steps(self, n: usize) -> usize {
        match self {
            Dynamics::Asynchronous => 100 * n.max(1),
            _ => 100,
        }
    }
}

names!(Dynamics, "dynamics", |s| s, {
    Synchronous => "sync" | "synchronous",
    Asynchronous => "async" | "asynchronous",
    Sweep => "sweep",
    Sequential => "sequential",
});

/// What a recall records at every step, besides its final result.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Record {
    /// The state after every step (memory: `N` bytes per step).
    pub states: bool,
    /// Energy, overlaps with the stored patterns and Hamming error to the target after
    /// every step.
    pub measures: bool,
}

impl Record {
    /// Records the states (`states`) and the measures (`measures`).
    pub fn new(states: bool, measures: bool) -> Record {
        Record { states, measures }
    }

    /// Whether anything is recorded.
    pub fn any(&self) -> bool {
        self.states || self.measures
    }
}

/// How to run a recall: built with [`RecallOptions::new`] and the setters below, each of
/// which says its default.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
#[non_exhaustive]
pub struct RecallOptions {
    /// Update order (default synchronous).
    pub dynamics: Dynamics,
    /// Tie rule for `h_i = θ_i` (default [`Tie::Plus`]).
    pub tie: Tie,
    /// Step limit (default [`Dynamics::default_max_steps`]); must be at least 1.
    pub max_steps: Option<usize>,
    /// Stop as soon as the state is a fixed point, or a cycle is found (default true).
    pub stop_at_fixed_point: bool,
    /// What to record per step (default nothing).
    pub record: Record,
    /// The state to measure the Hamming error against when recording measures.
    pub target: Option<Vec<i8>>,
    /// The temperature `T = 1/β ≥ 0` (default 0: the deterministic dynamics).
    pub temperature: f64,
    /// A flag that stops the run at its next step with [`Error::Cancelled`].
    #[cfg_attr(feature = "serde", serde(skip))]
    pub cancel: Option<Cancel>,
}

impl Default for RecallOptions {
    fn default() -> Self {
        RecallOptions {
            dynamics: Dynamics::Synchronous,
            tie: Tie::Plus,
            max_steps: None,
            stop_at_fixed_point: true,
            record: Record::default(),
            target: None,
            temperature: 0.0,
            cancel: None,
        }
    }
}

setters!(RecallOptions {
    /// Sets the update order (default synchronous).
    dynamics: Dynamics,
    /// Sets the tie rule (default [`Tie::Plus`]).
    tie: Tie,
    /// Whether to stop at a fixed point or a cycle (default true). With `false` the run
    /// always takes `max_steps` steps, as the page's fixed-length loops do.
    stop_at_fixed_point: bool,
    /// Sets what to record per step (default nothing: recording never slows a run that
    /// does not ask for it).
    record: Record,
    /// Sets the state the Hamming error is measured against when measures are recorded
    /// (default none).
    target: Option<Vec<i8>>,
    /// Sets the temperature `T ≥ 0` (default 0: deterministic). At `T > 0` neurons update
    /// by the heat-bath rule and a run always takes `max_steps` steps (see
    /// [stochastic dynamics](crate::dynamics#stochastic-dynamics)).
    temperature: f64,
});

impl RecallOptions {
    /// Options with these dynamics and the other defaults.
    pub fn new(dynamics: Dynamics) -> Self {
        RecallOptions {
            dynamics,
            ..Self::default()
        }
    }

    /// Sets the step limit, at least 1 (default [`Dynamics::default_max_steps`]).
    pub fn max_steps(mut self, steps: usize) -> Self {
        self.max_steps = Some(steps);
        self
    }

    /// Runs all `max_steps` steps even after a fixed point.
    pub fn run_to_max(self) -> Self {
        self.stop_at_fixed_point(false)
    }

    /// Records states and measures at every step, with the error measured to `target`.
    pub fn record_all(self, target: Option<Vec<i8>>) -> Self {
        self.record(Record::new(true, true)).target(target)
    }

    /// Stops the run at its next step once `cancel` is raised (default: never).
    pub fn cancel(mut self, cancel: Cancel) -> Self {
        self.cancel = Some(cancel);
        self
    }

    /// The step limit that applies to a network of `n` neurons.
    pub fn steps_for(&self, n: usize) -> usize {
        self.max_steps
            .unwrap_or_else(|| self.dynamics.default_max_steps(n))
    }

    /// Whether the run was asked to stop.
    #[inline]
    pub(crate) fn cancelled(&self) -> bool {
        crate::cancel::raised(self.cancel.as_ref())
    }

    /// Checks the options for a network of `n` neurons, before any network is built (a
    /// server refuses bad options before it trains).
    ///
    /// ```
    /// use hopfield::{Dynamics, RecallOptions};
    /// assert!(RecallOptions::new(Dynamics::Sweep).check_for(10).is_ok());
    /// let e = RecallOptions::new(Dynamics::Sweep).temperature(-1.0).check_for(10).unwrap_err();
    /// assert!(e.to_string().starts_with("temperature = -1 is invalid"));
    /// ```
    pub fn check_for(&self, n: usize) -> Result<()> {
        let t = self.temperature;
        let deterministic = "must be finite and ≥ 0 (0 for deterministic dynamics)";
        require(t.is_finite() && t >= 0.0, "temperature", t, deterministic)?;
        let default = "must be at least 1 (omit it for the default)";
        require(self.max_steps != Some(0), "max_steps", 0, default)?;
        match &self.target {
            Some(t) => check_length("target", n, t.len()),
            None => Ok(()),
        }
    }

    /// [`RecallOptions::check_for`] for a model that runs at temperature 0 only: `model`
    /// says which, with its verb ("dense associative memories run").
    pub(crate) fn check_deterministic(&self, n: usize, model: &str) -> Result<()> {
        self.check_for(n)?;
        if self.temperature != 0.0 {
            return Err(Error::Unsupported(format!("{model} at temperature 0 only")));
        }
        Ok(())
    }
}

/// Per-step records of a recall; entry 0 is the cue.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Trajectory {
    /// States (when [`Record::states`]).
    pub states: Vec<Vec<i8>>,
    /// Energies (when [`Record::measures`]).
    pub energy: Vec<f64>,
    /// Overlaps with each stored pattern (when [`Record::measures`]).
    pub overlaps: Vec<Vec<f64>>,
    /// Hamming distance to the target (when [`Record::measures`] and a target is set).
    pub errors: Vec<usize>,
}

/// The result of a recall.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Recall {
    /// The final state (±1, or 0/1 for binary neurons).
    pub state: Vec<i8>,
    /// Steps taken (see the table in [`crate::dynamics`]), including those that confirmed
    /// the final state: `N` unchanged updates for asynchronous dynamics, one unchanged
    /// step or sweep for the others.
    pub steps: usize,
    /// The step at which the state became its final state for good: the step of the last
    /// change (0 when the cue is final). In the unit of `steps` (one update for
    /// asynchronous dynamics, a sweep or a synchronous step otherwise), so
    /// `steps − hitting_time` steps only confirmed it.
    pub hitting_time: usize,
    /// Single-neuron updates performed.
    pub updates: u64,
    /// Updates that changed a neuron.
    pub flips: u64,
    /// Whether the final state is a fixed point.
    pub converged: bool,
    /// Where the run ended.
    pub outcome: Outcome,
    /// Final overlaps with the stored patterns (empty when the network stores none).
    pub overlaps: Vec<f64>,
    /// Final energy.
    pub energy: f64,
    /// Per-step records, when asked for.
    pub trajectory: Option<Trajectory>,
}

/// A model the dynamics run: neurons, and the bookkeeping that makes their drives cheap.
///
/// Implement it (with [`Run`]) to add a model; [`run`] then runs every dynamics on it, and
/// [`AssociativeMemory`] is a few lines away. The provided methods describe the classical
/// ±1 network; override them where a model differs.
pub trait Dynamical: Sync {
    /// The bookkeeping of one run.
    type Run<'a>: Run
    where
        Self: 'a;

    /// The number of neurons, `N`.
    fn n(&self) -> usize;

    /// Starts a run from `state` with `options` (what the run will be asked for).
    fn start<'a>(&'a self, state: &[i8], options: &RecallOptions) -> Self::Run<'a>;

    /// The patterns a state is compared with (overlaps, outcomes), if any.
    fn patterns(&self) -> Option<&Patterns>;

    /// The (on, off) values of a neuron (default ±1).
    fn levels(&self) -> (i8, i8) {
        (1, -1)
    }

    /// The energy gained by turning a neuron on, per unit of its drive: the gain of the
    /// heat bath (default 2, for ±1 neurons whose drive is `h_i − θ_i`).
    fn energy_per_drive(&self) -> f64 {
        2.0
    }

    /// The longest cycle synchronous dynamics can enter, when the model bounds it (default
    /// none): 2 for symmetric couplings (Goles, Fogelman-Soulié and Pellegrin 1985), whose
    /// cycles are then found by comparing with the state two steps back; 1 for a model
    /// whose neurons' values are not its whole state, where a repeated value is no cycle.
    /// Unbounded cycles are found by fingerprints, confirmed by comparing states.
    fn longest_cycle(&self) -> Option<usize> {
        None
    }

    /// Whether every step moves all neurons at once, whatever the [`Dynamics`] (default
    /// false).
    fn all_at_once(&self) -> bool {
        false
    }
}

/// The bookkeeping of one run of a [`Dynamical`] model.
pub trait Run {
    /// The drive on neuron `i` of `state`, whose sign decides the neuron (0 is a tie): for
    /// the classical network its field minus its threshold.
    fn drive(&mut self, state: &[i8], i: usize) -> f64;

    /// Neuron `i` of `state` (already changed) changed by `delta`; [`Run::drive`] was
    /// asked for it just before.
    fn changed(&mut self, state: &[i8], i: usize, delta: i64);

    /// One synchronous step at temperature 0: the new state of every neuron into `next`,
    /// and the neurons that change (with their change) into `changes`. Returns whether the
    /// state is settled — for the provided step, whether nothing changed.
    fn step(
        &mut self,
        state: &[i8],
        next: &mut [i8],
        changes: &mut Vec<(usize, i64)>,
        tie: Tie,
        levels: (i8, i8),
    ) -> bool {
        for (i, (n, &s)) in next.iter_mut().zip(state).enumerate() {
            *n = decide(self.drive(state, i), s, tie, levels);
        }
        changes.clear();
        crate::kernel::decide::changed(state, next, changes);
        changes.is_empty()
    }

    /// One pass of single-neuron updates at temperature 0: each neuron of `order` in turn
    /// takes its deterministic value, `state` changing in place. Returns how many changed.
    /// The provided pass asks [`Run::drive`] and tells [`Run::changed`] neuron by neuron; a
    /// run with its own bookkeeping may do the same in one loop.
    fn sweep(&mut self, state: &mut [i8], order: &[usize], tie: Tie, levels: (i8, i8)) -> u64 {
        sweep_each(self, state, order, tie, levels)
    }

    /// The state became `state` by the synchronous `changes`.
    fn moved(&mut self, state: &[i8], changes: &[(usize, i64)]);

    /// The energy of `state`.
    fn energy(&mut self, state: &[i8]) -> f64;

    /// `ξ^μ · S` for each pattern of [`Dynamical::patterns`] (empty without patterns).
    fn dots(&mut self, state: &[i8]) -> Vec<i64>;

    /// Whether no neuron of `state` would change.
    fn settled(&mut self, state: &[i8], tie: Tie, levels: (i8, i8)) -> bool {
        (0..state.len()).all(|i| decide(self.drive(state, i), state[i], tie, levels) == state[i])
    }
}

/// [`Run::sweep`] neuron by neuron, through [`Run::drive`] and [`Run::changed`].
pub(crate) fn sweep_each<R: Run + ?Sized>(
    run: &mut R,
    state: &mut [i8],
    order: &[usize],
    tie: Tie,
    levels: (i8, i8),
) -> u64 {
    let mut changed = 0;
    for &i in order {
        let old = state[i];
        let new = decide(run.drive(state, i), old, tie, levels);
        if new != old {
            state[i] = new;
            run.changed(state, i, i64::from(new) - i64::from(old));
            changed += 1;
        }
    }
    changed
}

/// Checks `options` and every cue of a batch for `memory`, naming cue `k` in the error.
pub(crate) fn check_batch<M, C>(memory: &M, cues: &[C], options: &RecallOptions) -> Result<()>
where
    M: AssociativeMemory + ?Sized,
    C: AsRef<[i8]>,
{
    memory.check_options(options)?;
    for (k, c) in cues.iter().enumerate() {
        memory.check_cue(&format!("cue {k}"), c.as_ref())?;
    }
    Ok(())
}

/// Whether no neuron of `state` would change under the deterministic update with `tie`.
pub fn is_fixed_point<M: Dynamical + ?Sized>(model: &M, state: &[i8], tie: Tie) -> bool {
    let options = RecallOptions::default().tie(tie);
    model
        .start(state, &options)
        .settled(state, tie, model.levels())
}

/// A memory that recalls: from one cue, or from many in parallel.
///
/// Implemented by [`crate::Network`], [`crate::modern::DenseMemory`],
/// [`crate::modern::ContinuousMemory`] and [`crate::modern::Memory`]; a model that
/// implements [`Dynamical`] implements it with three short methods (see
/// [`AssociativeMemory::run`]).
pub trait AssociativeMemory: Sync {
    /// Checks `cue` (length, values), naming it `item` in the error.
    fn check_cue(&self, item: &str, cue: &[i8]) -> Result<()>;

    /// Checks `options` for this memory.
    fn check_options(&self, options: &RecallOptions) -> Result<()>;

    /// Runs the dynamics from a checked cue (a [`Dynamical`] model: [`run`]`(self, …)`).
    fn run<R: Rng + ?Sized>(&self, cue: &[i8], options: &RecallOptions, rng: &mut R) -> Recall;

    /// Runs the dynamics from `cue` (see [`RecallOptions`]).
    fn recall<R: Rng + ?Sized>(
        &self,
        cue: &[i8],
        options: &RecallOptions,
        rng: &mut R,
    ) -> Result<Recall> {
        self.check_options(options)?;
        self.check_cue("cue", cue)?;
        let r = self.run(cue, options, rng);
        check_cancelled(options)?;
        Ok(r)
    }

    /// Recalls every cue independently, in parallel; cue `k` draws from
    /// [`random::stream`]`(seed, k)`, so the results do not depend on the number of threads.
    fn recall_batch<C>(&self, cues: &[C], options: &RecallOptions, seed: u64) -> Result<Vec<Recall>>
    where
        C: AsRef<[i8]> + Sync,
    {
        check_batch(self, cues, options)?;
        let runs = random::par_map_streams(cues, seed, |c, rng| self.run(c.as_ref(), options, rng));
        check_cancelled(options)?;
        Ok(runs)
    }
}

/// [`Error::Cancelled`] when the run was asked to stop (and so ended early).
fn check_cancelled(options: &RecallOptions) -> Result<()> {
    options.cancel.as_ref().map_or(Ok(()), Cancel::check)
}

/// Checks a state for neurons of `levels`: `n` values, ±1 (or −2..2 before the first update,
/// 0 meaning unknown) for bipolar neurons, 0/1 for binary ones.
pub(crate) fn check_state(item: &str, state: &[i8], n: usize, levels: (i8, i8)) -> Result<()> {
    check_length(item, n, state.len())?;
    if levels.1 == 0 {
        check_values(item, state, "0 or 1", |s| s == 0 || s == 1)
    } else if state.iter().fold(false, |a, &s| a | !(-2..=2).contains(&s)) {
        // A vectorized check first; the position only for a bad state.
        check_values(item, state, "between -2 and 2", |s| (-2..=2).contains(&s))
    } else {
        Ok(())
    }
}
