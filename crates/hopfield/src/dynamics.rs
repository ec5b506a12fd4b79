//! Dynamics: how neurons update, when a run stops, and what it records.
//!
//! Each neuron takes the sign of its field minus its threshold, `S_i ← sign(h_i − θ_i)`
//! with `h_i = Σ_j W_ij S_j`; [`Tie`] decides the case `h_i = θ_i`. What a *step* is
//! depends on the [`Dynamics`]:
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
//! # Speed
//!
//! Synchronous runs of Hebbian couplings (`W = c Σ_μ ξ^μ ξ^μᵀ`, factored or dense, `c > 0`)
//! with ±1 neurons, threshold 0 and nothing recorded per step take a path of their own on
//! processors with AVX-512: states stay bit-packed, overlaps come from vector popcounts,
//! fields from table look-ups 32 neurons at a time, and runs that drift with few changes
//! per step switch to adding columns of `W` kept as one byte per pair of neurons. The
//! results are those of the general path, field for field (tested path against path).
//!
//! ```
//! use hopfield::{generate, noise, random, Dynamics, Network, RecallOptions, Rule};
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

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::cancel::Cancel;
use crate::error::{Error, Result};
use crate::network::{Network, Threshold};
use crate::outcome::Outcome;
use crate::random;
use crate::weights::{Field, FieldBuf};

mod packed;
mod stochastic;

/// The order in which neurons update.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dynamics {
    /// All neurons at once (`S ← sign(W S − θ)`).
    #[default]
    #[serde(alias = "sync")]
    Synchronous,
    /// One random neuron per step, drawn with replacement.
    #[serde(alias = "async")]
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

    /// The command-line name.
    pub fn name(self) -> &'static str {
        match self {
            Dynamics::Synchronous => "sync",
            Dynamics::Asynchronous => "async",
            Dynamics::Sweep => "sweep",
            Dynamics::Sequential => "sequential",
        }
    }
}

impl fmt::Display for Dynamics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Dynamics {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "sync" | "synchronous" => Ok(Dynamics::Synchronous),
            "async" | "asynchronous" => Ok(Dynamics::Asynchronous),
            "sweep" => Ok(Dynamics::Sweep),
            "sequential" => Ok(Dynamics::Sequential),
            _ => Err(Error::parameter(
                "dynamics",
                s,
                "expected one of: sync, async, sweep, sequential",
            )),
        }
    }
}

/// The value a neuron takes when its field equals its threshold exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tie {
    /// +1 (`np.where(x >= 0, 1, -1)`).
    #[default]
    Plus,
    /// −1, or 0 for binary neurons (`np.where(x > 0, 1, -1)`, most of the page's cells).
    Minus,
    /// The neuron keeps its value (an unknown 0 in a bipolar cue becomes +1).
    Keep,
}

impl fmt::Display for Tie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Tie::Plus => "plus",
            Tie::Minus => "minus",
            Tie::Keep => "keep",
        })
    }
}

impl FromStr for Tie {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "plus" | "+" => Ok(Tie::Plus),
            "minus" | "-" => Ok(Tie::Minus),
            "keep" => Ok(Tie::Keep),
            _ => Err(Error::parameter(
                "tie",
                s,
                "expected one of: plus, minus, keep",
            )),
        }
    }
}

/// What a recall records at every step, besides its final result.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The state after every step (memory: `N` bytes per step).
    pub states: bool,
    /// Energy, overlaps with the stored patterns and Hamming error to the target after
    /// every step.
    pub measures: bool,
}

/// How to run a recall. Every field has a default ([`RecallOptions::default`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RecallOptions {
    /// Update order (default synchronous).
    pub dynamics: Dynamics,
    /// Tie rule for `h_i = θ_i` (default [`Tie::Plus`]).
    pub tie: Tie,
    /// Step limit (default [`Dynamics::default_max_steps`]); must be at least 1.
    pub max_steps: Option<usize>,
    /// Stop as soon as the state is a fixed point, or a cycle is found (default true).
    /// With `false` the run always takes `max_steps` steps, as the page's fixed-length
    /// loops do.
    pub stop_at_fixed_point: bool,
    /// What to record per step (default nothing: recording never slows a run that does
    /// not ask for it).
    pub record: Record,
    /// The state to measure the Hamming error against when recording measures (default:
    /// none).
    pub target: Option<Vec<i8>>,
    /// The temperature `T = 1/β ≥ 0` (default 0: the deterministic dynamics). At `T > 0`
    /// neurons update by the heat-bath rule and a run always takes `max_steps` steps (see
    /// [stochastic dynamics](crate::dynamics#stochastic-dynamics)).
    pub temperature: f64,
    /// A flag that stops the run at its next step with [`Error::Cancelled`] (default none).
    #[serde(skip)]
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

impl RecallOptions {
    /// Options with these dynamics and the other defaults.
    pub fn new(dynamics: Dynamics) -> Self {
        RecallOptions {
            dynamics,
            ..Self::default()
        }
    }

    /// Sets the tie rule.
    pub fn tie(mut self, tie: Tie) -> Self {
        self.tie = tie;
        self
    }

    /// Sets the step limit.
    pub fn max_steps(mut self, steps: usize) -> Self {
        self.max_steps = Some(steps);
        self
    }

    /// Runs all `max_steps` steps even after a fixed point.
    pub fn run_to_max(mut self) -> Self {
        self.stop_at_fixed_point = false;
        self
    }

    /// Records states and measures at every step, with the error measured to `target`.
    pub fn record_all(mut self, target: Option<Vec<i8>>) -> Self {
        self.record = Record {
            states: true,
            measures: true,
        };
        self.target = target;
        self
    }

    /// Sets the temperature `T` (0: deterministic).
    pub fn temperature(mut self, temperature: f64) -> Self {
        self.temperature = temperature;
        self
    }

    /// Stops the run at its next step once `cancel` is raised.
    pub fn cancel(mut self, cancel: Cancel) -> Self {
        self.cancel = Some(cancel);
        self
    }

    /// Whether the run was asked to stop.
    #[inline]
    pub(crate) fn cancelled(&self) -> bool {
        crate::cancel::raised(self.cancel.as_ref())
    }

    /// [`Error::Cancelled`] when the run was asked to stop (after it ended early).
    pub(crate) fn check_cancelled(&self) -> Result<()> {
        match &self.cancel {
            Some(c) => c.check(),
            None => Ok(()),
        }
    }

    /// Checks the options against a network.
    pub fn check(&self, net: &Network) -> Result<()> {
        self.check_for(net.n())
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
        if !(self.temperature.is_finite() && self.temperature >= 0.0) {
            return Err(Error::parameter(
                "temperature",
                self.temperature,
                "must be finite and ≥ 0 (0 for deterministic dynamics)",
            ));
        }
        if self.max_steps == Some(0) {
            return Err(Error::parameter(
                "max_steps",
                0,
                "must be at least 1 (omit it for the default)",
            ));
        }
        if let Some(t) = &self.target
            && t.len() != n
        {
            return Err(Error::length("target", n, t.len()));
        }
        Ok(())
    }
}

/// Per-step records of a recall; entry 0 is the cue.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

/// The new value of a neuron whose field exceeds its threshold by `x`.
#[inline]
pub(crate) fn decide(x: f64, current: i8, tie: Tie, on: i8, off: i8) -> i8 {
    if x > 0.0 {
        on
    } else if x < 0.0 {
        off
    } else {
        match tie {
            Tie::Plus => on,
            Tie::Minus => off,
            Tie::Keep if current == on || current == off => current,
            Tie::Keep => on,
        }
    }
}

pub(crate) fn is_fixed_point(net: &Network, state: &[i8], tie: Tie) -> bool {
    let mut buf = net.weights().field_buf();
    net.weights().compute_fields(state, &mut buf);
    settled(net, state, &buf, tie)
}

/// Whether no neuron of `state` would change, given its fields.
fn settled(net: &Network, state: &[i8], fields: &FieldBuf, tie: Tie) -> bool {
    let (on, off) = net.activation().levels();
    let theta = net.threshold();
    (0..state.len())
        .all(|i| decide(fields.value(i) - theta.at(i), state[i], tie, on, off) == state[i])
}

/// The energy `−½ SᵀWS + θ·S` from the fields of `state`.
fn energy_from(net: &Network, state: &[i8], fields: &FieldBuf) -> f64 {
    -0.5 * fields.quadratic(state) + net.threshold().dot(state)
}

struct Recorder<'a> {
    net: &'a Network,
    options: &'a RecallOptions,
    trajectory: Option<Trajectory>,
    /// Overlap numerators with the stored patterns, kept up to date on every flip.
    dots: Vec<i64>,
    errors: usize,
}

impl<'a> Recorder<'a> {
    fn new(net: &'a Network, options: &'a RecallOptions, state: &[i8]) -> Self {
        let on = options.record.states || options.record.measures;
        let dots = if options.record.measures {
            net.dots(state)
        } else {
            Vec::new()
        };
        let errors = match (&options.target, options.record.measures) {
            (Some(t), true) => t.iter().zip(state).filter(|(a, b)| a != b).count(),
            _ => 0,
        };
        Recorder {
            net,
            options,
            trajectory: on.then(Trajectory::default),
            dots,
            errors,
        }
    }

    #[inline]
    fn active(&self) -> bool {
        self.trajectory.is_some()
    }

    #[inline]
    fn wants_energy(&self) -> bool {
        self.trajectory.is_some() && self.options.record.measures
    }

    /// Neuron `i` changes from `old` to `new`.
    #[inline]
    fn change(&mut self, i: usize, old: i8, new: i8) {
        if !self.options.record.measures {
            return;
        }
        if let Some(p) = self.net.patterns() {
            let n = p.n();
            let d = i64::from(new) - i64::from(old);
            for (mu, m) in self.dots.iter_mut().enumerate() {
                *m += d * i64::from(p.as_flat()[mu * n + i]);
            }
        }
        if let Some(t) = &self.options.target {
            let was = usize::from(t[i] != old);
            let is = usize::from(t[i] != new);
            self.errors = self.errors + is - was;
        }
    }

    fn resync(&mut self, state: &[i8]) {
        if self.options.record.measures {
            self.dots = self.net.dots(state);
            if let Some(t) = &self.options.target {
                self.errors = t.iter().zip(state).filter(|(a, b)| a != b).count();
            }
        }
    }

    fn snapshot(&mut self, state: &[i8], energy: impl FnOnce() -> f64) {
        let Some(tr) = self.trajectory.as_mut() else {
            return;
        };
        if self.options.record.states {
            tr.states.push(state.to_vec());
        }
        if self.options.record.measures {
            tr.energy.push(energy());
            let n = self.net.n() as f64;
            tr.overlaps
                .push(self.dots.iter().map(|&d| d as f64 / n).collect());
            if self.options.target.is_some() {
                tr.errors.push(self.errors);
            }
        }
    }
}

/// The synchronous update of every neuron from its field: writes the new state into
/// `next` and the changed neurons with their change into `changes`.
fn sync_decisions(
    fields: &FieldBuf,
    theta: &Threshold,
    state: &[i8],
    next: &mut [i8],
    changes: &mut Vec<(usize, i64)>,
    tie: Tie,
    (on, off): (i8, i8),
) {
    changes.clear();
    match (fields, theta) {
        // θ = 0 with a positive scale: the sign of the exact integer field decides.
        (FieldBuf::Int { h, scale }, Threshold::Uniform(t)) if *t == 0.0 && *scale > 0.0 => {
            signs(h, state, next, changes, tie, (on, off));
        }
        (FieldBuf::Int32 { h, scale }, Threshold::Uniform(t)) if *t == 0.0 && *scale > 0.0 => {
            signs(h, state, next, changes, tie, (on, off));
        }
        (FieldBuf::Int16 { h, scale }, Threshold::Uniform(t)) if *t == 0.0 && *scale > 0.0 => {
            #[cfg(target_arch = "x86_64")]
            {
                let tied = match tie {
                    Tie::Plus => Some(on),
                    Tie::Minus => Some(off),
                    Tie::Keep => None,
                };
                if let Some(tied) = tied
                    && crate::simd::allows(crate::simd::Level::Avx2)
                {
                    // SAFETY: AVX2 is available (checked just above).
                    unsafe { avx2::signs_i16(h, state, next, changes, tied, (on, off)) };
                    return;
                }
            }
            signs(h, state, next, changes, tie, (on, off));
        }
        _ => {
            for (i, (n, &s)) in next.iter_mut().zip(state).enumerate() {
                *n = decide(fields.value(i) - theta.at(i), s, tie, on, off);
                if *n != s {
                    changes.push((i, i64::from(*n) - i64::from(s)));
                }
            }
        }
    }
}

/// [`sync_decisions`] when only the sign of the integer field matters: on for `h > 0`,
/// off for `h < 0`, the tie value for `h = 0`.
fn signs<T: Copy + PartialOrd + Default>(
    h: &[T],
    state: &[i8],
    next: &mut [i8],
    changes: &mut Vec<(usize, i64)>,
    tie: Tie,
    levels: (i8, i8),
) {
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "avx2")]
        fn fast<T: Copy + PartialOrd + Default>(
            h: &[T],
            state: &[i8],
            next: &mut [i8],
            changes: &mut Vec<(usize, i64)>,
            tie: Tie,
            levels: (i8, i8),
        ) {
            signs_body(h, state, next, changes, tie, levels)
        }
        if crate::simd::allows(crate::simd::Level::Avx2) {
            // SAFETY: AVX2 is available (checked just above).
            return unsafe { fast(h, state, next, changes, tie, levels) };
        }
    }
    signs_body(h, state, next, changes, tie, levels)
}

#[inline(always)]
fn signs_body<T: Copy + PartialOrd + Default>(
    h: &[T],
    state: &[i8],
    next: &mut [i8],
    changes: &mut Vec<(usize, i64)>,
    tie: Tie,
    (on, off): (i8, i8),
) {
    let zero = T::default();
    let pick = |h: T, tied: i8| {
        if h > zero {
            on
        } else if h < zero {
            off
        } else {
            tied
        }
    };
    // One loop per tie rule, branch-free inside, so that it compiles to SIMD selects.
    match tie {
        Tie::Plus => next.iter_mut().zip(h).for_each(|(n, &h)| *n = pick(h, on)),
        Tie::Minus => next.iter_mut().zip(h).for_each(|(n, &h)| *n = pick(h, off)),
        Tie::Keep => {
            for ((n, &h), &s) in next.iter_mut().zip(h).zip(state) {
                *n = pick(h, if s == on || s == off { s } else { on });
            }
        }
    }
    changed(state, next, changes);
}

/// Pushes `(i, next_i − state_i)` for every neuron that differs, eight neurons per
/// comparison (few neurons change in most steps).
#[inline(always)]
fn changed(state: &[i8], next: &[i8], changes: &mut Vec<(usize, i64)>) {
    let mut push = |at: usize, a: &[i8], b: &[i8]| {
        for (k, (&s, &n)) in a.iter().zip(b).enumerate() {
            if s != n {
                changes.push((at + k, i64::from(n) - i64::from(s)));
            }
        }
    };
    let word = |x: &[i8]| -> u64 {
        let mut bytes = [0i8; 8];
        bytes.copy_from_slice(x);
        u64::from_ne_bytes(bytes.map(|b| b as u8))
    };
    let (a, b) = (state.chunks_exact(8), next.chunks_exact(8));
    let tail = state.len() - a.remainder().len();
    let (ra, rb) = (a.remainder(), b.remainder());
    for (k, (a, b)) in a.zip(b).enumerate() {
        if word(a) != word(b) {
            push(8 * k, a, b);
        }
    }
    push(tail, ra, rb);
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    /// [`super::signs`] for `i16` fields and a fixed tie value, 32 neurons at a time:
    /// compare, narrow, select, and find the changed neurons from a byte mask.
    ///
    /// # Safety
    /// The caller checks that AVX2 is available.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn signs_i16(
        h: &[i16],
        state: &[i8],
        next: &mut [i8],
        changes: &mut Vec<(usize, i64)>,
        tied: i8,
        (on, off): (i8, i8),
    ) {
        let n = h.len().min(state.len()).min(next.len());
        let zero = _mm256_setzero_si256();
        let (onv, offv, tiedv) = (
            _mm256_set1_epi8(on),
            _mm256_set1_epi8(off),
            _mm256_set1_epi8(tied),
        );
        let mut k = 0;
        while k + 32 <= n {
            // SAFETY: k + 32 ≤ n bounds every load and store below.
            let (h0, h1, s) = unsafe {
                (
                    _mm256_loadu_si256(h.as_ptr().add(k).cast()),
                    _mm256_loadu_si256(h.as_ptr().add(k + 16).cast()),
                    _mm256_loadu_si256(state.as_ptr().add(k).cast()),
                )
            };
            // Packing interleaves 128-bit lanes; the permutation restores neuron order.
            let narrow = |a: __m256i, b: __m256i| {
                _mm256_permute4x64_epi64::<0b11_01_10_00>(_mm256_packs_epi16(a, b))
            };
            let pos = narrow(_mm256_cmpgt_epi16(h0, zero), _mm256_cmpgt_epi16(h1, zero));
            let neg = narrow(_mm256_cmpgt_epi16(zero, h0), _mm256_cmpgt_epi16(zero, h1));
            let v = _mm256_blendv_epi8(_mm256_blendv_epi8(tiedv, onv, pos), offv, neg);
            // SAFETY: as above.
            unsafe { _mm256_storeu_si256(next.as_mut_ptr().add(k).cast(), v) };
            let mut differ = !(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, s)) as u32);
            while differ != 0 {
                let i = k + differ.trailing_zeros() as usize;
                changes.push((i, i64::from(next[i]) - i64::from(state[i])));
                differ &= differ - 1;
            }
            k += 32;
        }
        for i in k..n {
            next[i] = if h[i] > 0 {
                on
            } else if h[i] < 0 {
                off
            } else {
                tied
            };
            if next[i] != state[i] {
                changes.push((i, i64::from(next[i]) - i64::from(state[i])));
            }
        }
    }
}

/// Exact energy bookkeeping of asynchronous runs: `Q = SᵀW_int S` and `θ·S`.
struct EnergyBook {
    q: i128,
    theta_s: f64,
}

/// A 64-bit fingerprint of which neurons are on, for cycle detection: the neurons packed
/// 64 to a word, each word hashed with its index and the hashes XORed (Zobrist hashing by
/// words), so that a change costs two hashes.
struct Print {
    words: Vec<u64>,
    hash: u64,
}

impl Print {
    fn new(state: &[i8], on: i8) -> Print {
        let mut words = vec![0u64; state.len().div_ceil(64)];
        for (w, chunk) in words.iter_mut().zip(state.chunks(64)) {
            for (k, &s) in chunk.iter().enumerate() {
                *w |= u64::from(s == on) << k;
            }
        }
        let hash = words
            .iter()
            .enumerate()
            .fold(0, |h, (w, &x)| h ^ Print::key(w, x));
        Print { words, hash }
    }

    #[inline]
    fn key(w: usize, x: u64) -> u64 {
        random::mix(x ^ random::mix(w as u64))
    }

    /// Neuron `i` is now on (or off).
    #[inline]
    fn set(&mut self, i: usize, on: bool) {
        let (w, bit) = (i / 64, 1u64 << (i % 64));
        let x = self.words[w];
        let y = if on { x | bit } else { x & !bit };
        if x != y {
            self.hash ^= Print::key(w, x) ^ Print::key(w, y);
            self.words[w] = y;
        }
    }
}

pub(crate) fn run<R: Rng + ?Sized>(
    net: &Network,
    cue: &[i8],
    options: &RecallOptions,
    rng: &mut R,
) -> Recall {
    if options.temperature > 0.0 {
        return stochastic::run(net, cue, options, rng);
    }
    if let Some(r) = packed::run(net, cue, options) {
        return r;
    }
    general(net, cue, options, rng)
}

/// The deterministic dynamics for any couplings, field by field.
fn general<R: Rng + ?Sized>(
    net: &Network,
    cue: &[i8],
    options: &RecallOptions,
    rng: &mut R,
) -> Recall {
    let n = net.n();
    let (on, off) = net.activation().levels();
    let tie = options.tie;
    let max_steps = options
        .max_steps
        .unwrap_or_else(|| options.dynamics.default_max_steps(n));
    let stop = options.stop_at_fixed_point;
    let weights = net.weights();
    let theta = net.threshold();

    let mut state = cue.to_vec();
    let mut rec = Recorder::new(net, options, &state);
    // The fields of the current state, kept up to date by every dynamics below.
    let mut fields = if options.dynamics == Dynamics::Synchronous {
        weights.field_buf_for(&state, (on, off))
    } else {
        weights.field_buf()
    };

    let mut steps = 0usize;
    let mut hitting_time = 0usize;
    let mut updates = 0u64;
    let mut flips = 0u64;
    let mut settled_known = false;
    let mut cycle = None::<usize>;

    match options.dynamics {
        Dynamics::Synchronous => {
            weights.compute_fields(&state, &mut fields);
            rec.snapshot(&state, || energy_from(net, &state, &fields));
            let mut next = vec![0i8; n];
            let mut changes: Vec<(usize, i64)> = Vec::new();
            let mut seen: HashMap<u64, usize> = HashMap::new();
            let mut print = Print::new(&state, on);
            // A cue with values other than on and off is never visited again.
            if stop && state.iter().all(|&s| s == on || s == off) {
                seen.insert(print.hash, 0);
            }
            for step in 1..=max_steps {
                if options.cancelled() {
                    break;
                }
                sync_decisions(
                    &fields,
                    theta,
                    &state,
                    &mut next,
                    &mut changes,
                    tie,
                    (on, off),
                );
                steps = step;
                updates += n as u64;
                flips += changes.len() as u64;
                if changes.is_empty() {
                    // A step that changes nothing: a fixed point, for good.
                    settled_known = true;
                    rec.snapshot(&state, || energy_from(net, &state, &fields));
                    if stop {
                        break;
                    }
                    continue;
                }
                hitting_time = step;
                std::mem::swap(&mut state, &mut next);
                if !weights.apply_changes(&mut fields, &changes) {
                    weights.compute_fields(&state, &mut fields);
                }
                if rec.active() {
                    rec.resync(&state);
                    rec.snapshot(&state, || energy_from(net, &state, &fields));
                }
                if stop {
                    for &(i, _) in &changes {
                        print.set(i, state[i] == on);
                    }
                    let f = print.hash;
                    if let Some(&at) = seen.get(&f) {
                        cycle = Some(step - at);
                        break;
                    }
                    seen.insert(f, step);
                }
            }
        }
        Dynamics::Asynchronous | Dynamics::Sweep | Dynamics::Sequential => {
            let mut tracker = weights.tracker(&state);
            let scale = weights.scale();
            // Energy bookkeeping when recording: E = −½ scale · Q + θ·S, with Q = SᵀWS kept
            // exactly (integers) through ΔQ = 2δ·h_i + W_ii·δ² for symmetric couplings.
            let exact_energy = rec.wants_energy() && weights.is_symmetric();
            let mut book = EnergyBook { q: 0, theta_s: 0.0 };
            if rec.wants_energy() {
                weights.tracked_fields(&tracker, &state, &mut fields);
                match &fields {
                    FieldBuf::Int { h, .. } => {
                        book.q = h
                            .iter()
                            .zip(&state)
                            .map(|(&h, &s)| i128::from(h) * i128::from(s))
                            .sum();
                    }
                    FieldBuf::Int32 { h, .. } => {
                        book.q = h
                            .iter()
                            .zip(&state)
                            .map(|(&h, &s)| i128::from(h) * i128::from(s))
                            .sum();
                    }
                    FieldBuf::Int16 { h, .. } => {
                        book.q = h
                            .iter()
                            .zip(&state)
                            .map(|(&h, &s)| i128::from(h) * i128::from(s))
                            .sum();
                    }
                    FieldBuf::Float(_) => {}
                }
                book.theta_s = theta.dot(&state);
                let e0 = energy_from(net, &state, &fields);
                rec.snapshot(&state, || e0);
            } else {
                rec.snapshot(&state, || 0.0);
            }
            let int_fields = !matches!(fields, FieldBuf::Float(_));
            let sweeps = options.dynamics != Dynamics::Asynchronous;
            let mut order: Vec<usize> = (0..n).collect();
            let mut since_flip = 0usize;
            let update = |i: usize,
                          state: &mut Vec<i8>,
                          rec: &mut Recorder,
                          tracker: &mut crate::weights::Tracker,
                          book: &mut EnergyBook|
             -> bool {
                let field = weights.tracked(tracker, state, i);
                let h = match field {
                    Field::Int(h) => scale * h as f64,
                    Field::Float(h) => h,
                };
                let old = state[i];
                let new = decide(h - theta.at(i), old, tie, on, off);
                if new == old {
                    return false;
                }
                let delta = i64::from(new) - i64::from(old);
                if exact_energy {
                    if let (Field::Int(h), Some(w_ii)) = (field, weights.self_coupling_int(i)) {
                        book.q += 2 * i128::from(delta) * i128::from(h)
                            + i128::from(w_ii) * i128::from(delta * delta);
                    }
                    book.theta_s += theta.at(i) * delta as f64;
                }
                state[i] = new;
                weights.track(tracker, i, delta);
                rec.change(i, old, new);
                true
            };
            let energy_now = |state: &[i8], book: &EnergyBook| -> f64 {
                if exact_energy && int_fields {
                    -0.5 * scale * book.q as f64 + book.theta_s
                } else {
                    net.energy_unchecked(state)
                }
            };
            for step in 1..=max_steps {
                // A recording run does far more than an update per step: look every step.
                if (sweeps || rec.active() || step % 1024 == 0) && options.cancelled() {
                    break;
                }
                steps = step;
                if sweeps {
                    if options.dynamics == Dynamics::Sweep {
                        random::shuffle(rng, &mut order);
                    }
                    let mut changed = 0u64;
                    for &i in &order {
                        changed +=
                            u64::from(update(i, &mut state, &mut rec, &mut tracker, &mut book));
                    }
                    updates += n as u64;
                    flips += changed;
                    if changed > 0 {
                        hitting_time = step;
                    }
                    if rec.active() {
                        let e = if rec.wants_energy() {
                            energy_now(&state, &book)
                        } else {
                            0.0
                        };
                        rec.snapshot(&state, || e);
                    }
                    if changed == 0 {
                        // Every neuron was visited and none changed: a fixed point.
                        settled_known = true;
                        if stop {
                            break;
                        }
                    }
                } else {
                    let i = random::index(rng, n);
                    updates += 1;
                    if update(i, &mut state, &mut rec, &mut tracker, &mut book) {
                        flips += 1;
                        since_flip = 0;
                        hitting_time = step;
                    } else {
                        since_flip += 1;
                    }
                    if rec.active() {
                        let e = if rec.wants_energy() {
                            energy_now(&state, &book)
                        } else {
                            0.0
                        };
                        rec.snapshot(&state, || e);
                    }
                    if stop && since_flip >= n && since_flip.is_multiple_of(n) {
                        weights.tracked_fields(&tracker, &state, &mut fields);
                        if settled(net, &state, &fields, tie) {
                            settled_known = true;
                            break;
                        }
                    }
                }
            }
            weights.tracked_fields(&tracker, &state, &mut fields);
        }
    }

    // `fields` now holds the fields of the final state.
    let converged = match cycle {
        Some(_) => false,
        None => settled_known || settled(net, &state, &fields, tie),
    };
    let dots = net.dots(&state);
    let outcome = Outcome::of_run(cycle, converged, &state, net.patterns(), &dots);
    let overlaps = dots.iter().map(|&d| d as f64 / n as f64).collect();
    let energy = energy_from(net, &state, &fields);
    Recall {
        state,
        steps,
        hitting_time,
        updates,
        flips,
        converged,
        outcome,
        overlaps,
        energy,
        trajectory: rec.trajectory,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{page, random_patterns};
    use crate::network::{Activation, Threshold};
    use crate::random::seeded;
    use crate::rule::Rule;
    use crate::weights::{Representation, Weights};
    use crate::{Patterns, noise};

    #[test]
    fn ties_follow_the_rule() {
        assert_eq!(decide(0.0, -1, Tie::Plus, 1, -1), 1);
        assert_eq!(decide(0.0, 1, Tie::Minus, 1, -1), -1);
        assert_eq!(decide(0.0, -1, Tie::Keep, 1, -1), -1);
        assert_eq!(decide(0.0, 0, Tie::Keep, 1, -1), 1);
        assert_eq!(decide(0.0, 0, Tie::Keep, 1, 0), 0);
        assert_eq!(decide(0.0, 1, Tie::Minus, 1, 0), 0);
        assert_eq!(decide(-0.5, 1, Tie::Plus, 1, -1), -1);
    }

    #[test]
    fn every_dynamics_recalls_one_stored_pattern() {
        let p = random_patterns(1, 100, 0.5, &mut seeded(1)).unwrap();
        let xi = p.get(0).unwrap().to_vec();
        for repr in [Representation::Dense, Representation::Factored] {
            let net = Network::train(&p, &Rule::hebb(), repr).unwrap();
            for dynamics in [
                Dynamics::Synchronous,
                Dynamics::Asynchronous,
                Dynamics::Sweep,
                Dynamics::Sequential,
            ] {
                let mut rng = seeded(2);
                let cue = noise::mix(
                    &xi,
                    &noise::flip_fraction(&xi, 1.0, &mut rng).unwrap(),
                    0.75,
                )
                .unwrap();
                let r = net
                    .recall(&cue, &RecallOptions::new(dynamics), &mut rng)
                    .unwrap();
                assert_eq!(r.state, xi, "{dynamics} {repr:?}");
                assert!(r.converged);
                assert_eq!(r.outcome, Outcome::Recalled { pattern: 0 });
                assert_eq!(r.overlaps, vec![1.0]);
            }
        }
    }

    #[test]
    fn synchronous_two_cycles_are_detected() {
        // Two neurons coupled negatively, started equal: they swap forever under sync.
        let w = Weights::from_matrix(2, vec![0.0, -1.0, -1.0, 0.0]).unwrap();
        let net = Network::new(w);
        let r = net
            .recall(&[1, 1], &RecallOptions::default(), &mut seeded(0))
            .unwrap();
        assert_eq!(r.outcome, Outcome::Cycle { period: 2 });
        assert!(!r.converged);
        assert_eq!(r.steps, 2);
        // Asynchronous dynamics on the same symmetric network settle.
        let r = net
            .recall(
                &[1, 1],
                &RecallOptions::new(Dynamics::Sweep),
                &mut seeded(0),
            )
            .unwrap();
        assert!(r.converged);
        assert_eq!(r.outcome, Outcome::FixedPoint);
    }

    #[test]
    fn the_page_five_neuron_example() {
        // csi = [1,-1,-1,1,1], W = outer(csi, csi) with zero diagonal, sign(x > 0).
        let net = Network::from_patterns(&page::five(), &Rule::hebb()).unwrap();
        let opts = RecallOptions::default().tie(Tie::Minus);
        // Three of five correct. m = csi·S = 1, so h = csi − S = [0, 0, 0, 2, 2]: the ties
        // go to −1 first, and csi is reached on the second step, confirmed on the third.
        let r = net
            .recall(&[1, -1, -1, -1, -1], &opts, &mut seeded(0))
            .unwrap();
        assert_eq!(r.state, vec![1, -1, -1, 1, 1]);
        assert_eq!(r.steps, 3);
        assert_eq!(r.outcome, Outcome::Recalled { pattern: 0 });
        // One of five correct: the reversal −csi.
        let r = net
            .recall(&[-1, 1, 1, -1, 1], &opts, &mut seeded(0))
            .unwrap();
        assert_eq!(r.state, vec![-1, 1, 1, -1, -1]);
        assert_eq!(r.outcome, Outcome::Reversed { pattern: 0 });
    }

    #[test]
    fn recording_tracks_measures_exactly() {
        let p = random_patterns(3, 64, 0.5, &mut seeded(7)).unwrap();
        let net = Network::from_patterns(&p, &Rule::hebb()).unwrap();
        let xi = p.get(1).unwrap().to_vec();
        let cue = noise::flip(&xi, 16, &mut seeded(8)).unwrap();
        let opts = RecallOptions::new(Dynamics::Asynchronous)
            .max_steps(500)
            .run_to_max()
            .record_all(Some(xi.clone()));
        let r = net.recall(&cue, &opts, &mut seeded(9)).unwrap();
        let tr = r.trajectory.unwrap();
        assert_eq!(tr.states.len(), 501);
        assert_eq!(tr.errors.len(), 501);
        assert_eq!(tr.errors[0], 16);
        for (k, s) in tr.states.iter().enumerate() {
            assert_eq!(
                tr.errors[k],
                s.iter().zip(&xi).filter(|(a, b)| a != b).count()
            );
            assert_eq!(tr.overlaps[k], net.overlaps(s).unwrap());
            assert!((tr.energy[k] - net.energy(s).unwrap()).abs() < 1e-9);
        }
        assert_eq!(*tr.errors.last().unwrap(), 0);
        assert_eq!(r.steps, 500);
    }

    #[test]
    fn binary_network_with_threshold() {
        let net = Network::new(Weights::uniform(20, &mut seeded(3)).unwrap())
            .with_activation(Activation::Binary)
            .with_threshold(Threshold::Uniform(0.0))
            .unwrap();
        let cue: Vec<i8> = (0..20).map(|i| i8::from(i % 3 == 0)).collect();
        let opts = RecallOptions::new(Dynamics::Asynchronous)
            .tie(Tie::Minus)
            .max_steps(200)
            .run_to_max()
            .record_all(None);
        let r = net.recall(&cue, &opts, &mut seeded(4)).unwrap();
        let states = r.trajectory.unwrap().states;
        assert_eq!(states.len(), 201);
        assert!(states.iter().flatten().all(|&v| v == 0 || v == 1));
        // Positive couplings and a zero threshold: every active input turns neurons on.
        assert!(r.state.iter().all(|&v| v == 1));
        assert!(r.converged);
    }

    #[test]
    fn bad_options_are_refused() {
        let p = Patterns::single(&[1, -1, 1]).unwrap();
        let net = Network::from_patterns(&p, &Rule::hebb()).unwrap();
        let e = net
            .recall(
                &[1, 1, 1],
                &RecallOptions::default().max_steps(0),
                &mut seeded(0),
            )
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "max_steps = 0 is invalid: must be at least 1 (omit it for the default)"
        );
        let o = RecallOptions {
            target: Some(vec![1]),
            ..RecallOptions::default()
        };
        assert!(net.recall(&[1, 1, 1], &o, &mut seeded(0)).is_err());
        assert!(
            net.recall(&[1, 1], &RecallOptions::default(), &mut seeded(0))
                .is_err()
        );
    }

    #[test]
    fn batches_do_not_depend_on_threads() {
        let p = random_patterns(10, 200, 0.5, &mut seeded(11)).unwrap();
        let net = Network::from_patterns(&p, &Rule::hebb()).unwrap();
        let cues: Vec<Vec<i8>> = (0..16)
            .map(|k| {
                noise::flip_fraction(p.get(k % 10).unwrap(), 0.2, &mut seeded(k as u64)).unwrap()
            })
            .collect();
        let opts = RecallOptions::new(Dynamics::Asynchronous);
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let a = one.install(|| net.recall_batch(&cues, &opts, 5).unwrap());
        let four = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .unwrap();
        let b = four.install(|| net.recall_batch(&cues, &opts, 5).unwrap());
        assert_eq!(a, b);
        let single = net
            .recall(&cues[3], &opts, &mut random::stream(5, 3))
            .unwrap();
        assert_eq!(a[3], single);
    }
    /// Dense matrices keep fields in `i16` when their row bound allows, go through the
    /// patterns for whole-state fields when they are few, and apply changed columns
    /// otherwise; every path must agree with the factored form step for step.
    #[test]
    fn every_field_path_gives_the_same_run() {
        // (N, P): i16 fields with the pattern cache; i16 fields without it (2P > N);
        // i32 fields (the row bound exceeds i16) with the cache.
        for (n, p, seed) in [(301, 40, 1u64), (150, 90, 2), (3000, 200, 3)] {
            let patterns = random_patterns(p, n, 0.5, &mut seeded(seed)).unwrap();
            for rule in [
                Rule::hebb(),
                Rule::hebb().with_normalization(crate::Normalization::None),
                Rule::outer01(),
            ] {
                let net = |repr| {
                    Network::train(&patterns, &rule, repr)
                        .unwrap()
                        .with_patterns(patterns.clone())
                        .unwrap()
                };
                let (dense, factored) = (net(Representation::Dense), net(Representation::Factored));
                for (k, tie) in [Tie::Minus, Tie::Plus, Tie::Keep].into_iter().enumerate() {
                    let mut rng = seeded(seed * 10 + k as u64);
                    let mut cue =
                        noise::flip_fraction(patterns.get(k).unwrap(), 0.3, &mut rng).unwrap();
                    if k == 2 {
                        // Values other than ±1 take the general paths.
                        cue[0] = 0;
                        cue[n / 2] = 2;
                    }
                    let opts = RecallOptions::new(Dynamics::Synchronous)
                        .tie(tie)
                        .max_steps(30);
                    let a = dense.recall(&cue, &opts, &mut seeded(0)).unwrap();
                    let b = factored.recall(&cue, &opts, &mut seeded(0)).unwrap();
                    assert_eq!(a, b, "N = {n}, P = {p}, {rule}, {tie}");
                    assert!(
                        a.flips > 0,
                        "the run must change something to test the paths"
                    );
                }
            }
        }
    }

    #[test]
    fn changed_neurons_are_found_at_any_length() {
        for n in [1usize, 7, 8, 9, 64, 67] {
            let state: Vec<i8> = (0..n).map(|i| if i % 3 == 0 { 1 } else { -1 }).collect();
            let mut next = state.clone();
            let flipped: Vec<usize> = (0..n).filter(|i| i % 5 == 4 || *i == n - 1).collect();
            for &i in &flipped {
                next[i] = -next[i];
            }
            let mut changes = Vec::new();
            changed(&state, &next, &mut changes);
            let expect: Vec<(usize, i64)> = flipped
                .iter()
                .map(|&i| (i, i64::from(next[i]) - i64::from(state[i])))
                .collect();
            assert_eq!(changes, expect, "n = {n}");
        }
    }
}
