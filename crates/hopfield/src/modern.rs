//! Dense associative memories and modern Hopfield networks: models whose energy is a sharper
//! function of the overlaps than the classical quadratic one, so that many more patterns
//! than neurons can be stored.
//!
//! | model | energy | update | reference |
//! |---|---|---|---|
//! | [`Interaction::Polynomial`] | `E = −Σ_μ (ξ^μ·S)ⁿ` | `S_i ← sign Σ_μ [F(ξ^μ·S⁽ⁱ⁺⁾) − F(ξ^μ·S⁽ⁱ⁻⁾)]` | Krotov & Hopfield (2016) |
//! | [`Interaction::Rectified`] | `E = −Σ_μ max(ξ^μ·S, 0)ⁿ` | the same | Krotov & Hopfield (2016) |
//! | [`Interaction::Exponential`] | `E = −Σ_μ exp(β ξ^μ·S)` | the same | Demircigil et al. (2017) |
//! | [`ContinuousMemory`] | `E = −β⁻¹ ln Σ_μ exp(β x^μ·ξ) + ½ ξ·ξ + const` | `ξ ← X softmax(β Xᵀ ξ)` | Ramsauer et al. (2020) |
//!
//! `S⁽ⁱ⁺⁾` and `S⁽ⁱ⁻⁾` are the state with neuron `i` set to `+1` and `−1`. The polynomial
//! model of degree `n` stores about `N^{n−1}` patterns; `n = 2` is the classical network
//! with Hebb's couplings, update for update. The exponential model stores exponentially
//! many. The continuous model works on real-valued patterns and retrieves in one update
//! when the patterns are well separated.
//!
//! [`Model`] names the choices for the command line: `classical` (a [`crate::Network`]),
//! `dense`, `exponential` and `modern`.
//!
//! ```
//! use hopfield::modern::{DenseMemory, Interaction};
//! use hopfield::{generate, noise, random, Dynamics, Outcome, RecallOptions};
//!
//! // 60 patterns of 200 neurons (α = 0.3, twice Hebb's capacity) and a cue with 10% noise.
//! let mut rng = random::seeded(1);
//! let patterns = generate::random_patterns(60, 200, 0.5, &mut rng)?;
//! let memory = DenseMemory::new(patterns.clone(), Interaction::Polynomial { degree: 3 })?;
//! let cue = noise::flip_fraction(patterns.get(7).unwrap(), 0.1, &mut rng)?;
//! let r = memory.recall(&cue, &RecallOptions::new(Dynamics::Sweep), &mut rng)?;
//! assert_eq!(r.outcome, Outcome::Recalled { pattern: 7 });
//! # Ok::<(), hopfield::Error>(())
//! ```
//!
//! References: D. Krotov & J. J. Hopfield, *Dense associative memory for pattern
//! recognition*, NeurIPS 2016; M. Demircigil, J. Heusel, M. Löwe, S. Upgang & F. Vermet, *On a
//! model of associative memory with huge storage capacity*, J. Stat. Phys. 168 (2017);
//! H. Ramsauer et al., *Hopfield networks is all you need*, ICLR 2021 (arXiv 2020).

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::dynamics::{Dynamics, Recall, RecallOptions, Tie, Trajectory, decide};
use crate::error::{Error, Result};
use crate::network::Network;
use crate::outcome::Outcome;
use crate::pattern::Patterns;
use crate::random;
use crate::rule::Rule;

/// The interaction function `F` of a dense associative memory, `E = −Σ_μ F(ξ^μ · S)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "interaction", rename_all = "kebab-case")]
pub enum Interaction {
    /// `F(x) = xⁿ`, `n ≥ 2` (Krotov & Hopfield 2016). Even and odd degrees alike; `n = 2` is
    /// the classical network.
    Polynomial {
        /// The degree `n` (2 to 1000).
        degree: u32,
    },
    /// `F(x) = max(x, 0)ⁿ`, `n ≥ 2` (Krotov & Hopfield 2016): only patterns that agree with
    /// the state more than they disagree pull on it, so reversed patterns are not attractors.
    Rectified {
        /// The degree `n` (2 to 1000).
        degree: u32,
    },
    /// `F(x) = exp(β x)` (Demircigil et al. 2017; `β = 1` in the paper), evaluated as a
    /// log-sum-exp so that it never overflows.
    Exponential {
        /// The inverse temperature `β > 0` scaling the overlaps.
        beta: f64,
    },
}

impl Interaction {
    /// Checks `2 ≤ n ≤ 1000` and `β` finite and positive.
    pub fn check(&self) -> Result<()> {
        match *self {
            Interaction::Polynomial { degree } | Interaction::Rectified { degree } => {
                if !(2..=1000).contains(&degree) {
                    return Err(Error::parameter(
                        "degree",
                        degree,
                        "the interaction degree n must lie between 2 (the classical network) and 1000",
                    ));
                }
            }
            Interaction::Exponential { beta } => check_beta(beta)?,
        }
        Ok(())
    }
}

impl fmt::Display for Interaction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Interaction::Polynomial { degree } => write!(f, "F(x) = x^{degree}"),
            Interaction::Rectified { degree } => write!(f, "F(x) = max(x, 0)^{degree}"),
            Interaction::Exponential { beta } => write!(f, "F(x) = exp({beta} x)"),
        }
    }
}

fn check_beta(beta: f64) -> Result<()> {
    if !(beta.is_finite() && beta > 0.0) {
        return Err(Error::parameter(
            "beta",
            beta,
            "the inverse temperature β must be finite and > 0",
        ));
    }
    Ok(())
}

/// `x^n` by repeated squaring: the same bits on every platform (the standard library's
/// `powi` promises no precision).
fn powi(mut x: f64, mut n: u32) -> f64 {
    let mut r = 1.0;
    loop {
        if n & 1 == 1 {
            r *= x;
        }
        n >>= 1;
        if n == 0 {
            return r;
        }
        x *= x;
    }
}

/// `ln Σ exp(v)`, shifted by the maximum so that it never overflows (`−∞` when empty).
fn log_sum_exp(values: impl Iterator<Item = f64> + Clone) -> f64 {
    let max = values.clone().fold(f64::NEG_INFINITY, f64::max);
    if max == f64::NEG_INFINITY {
        return max;
    }
    max + libm::log(values.map(|v| libm::exp(v - max)).sum::<f64>())
}

/// A dense associative memory: ±1 patterns and an interaction function.
///
/// The dynamics are those of [`crate::dynamics`] with the dense update rule: a neuron
/// takes the value that lowers the energy, `S_i ← sign Σ_μ [F(m_μ + ξ_i^μ) − F(m_μ − ξ_i^μ)]`
/// with `m_μ = Σ_{j≠i} ξ_j^μ S_j` ([`Tie`] decides a zero difference). The overlaps
/// `ξ^μ · S` are kept up to date, so an asynchronous update costs `O(P)` and a synchronous
/// step `O(N P)`. Runs are deterministic at temperature 0 only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "DenseMemoryFields")]
pub struct DenseMemory {
    patterns: Patterns,
    interaction: Interaction,
}

/// The serialised form of a [`DenseMemory`], checked on the way in.
#[derive(Deserialize)]
struct DenseMemoryFields {
    patterns: Patterns,
    interaction: Interaction,
}

impl TryFrom<DenseMemoryFields> for DenseMemory {
    type Error = Error;
    fn try_from(f: DenseMemoryFields) -> Result<DenseMemory> {
        DenseMemory::new(f.patterns, f.interaction)
    }
}

impl DenseMemory {
    /// A memory of `patterns` with this interaction.
    pub fn new(patterns: Patterns, interaction: Interaction) -> Result<DenseMemory> {
        interaction.check()?;
        Ok(DenseMemory {
            patterns,
            interaction,
        })
    }

    /// The stored patterns.
    pub fn patterns(&self) -> &Patterns {
        &self.patterns
    }

    /// The interaction function.
    pub fn interaction(&self) -> Interaction {
        self.interaction
    }

    /// The number of neurons, `N`.
    pub fn n(&self) -> usize {
        self.patterns.n()
    }

    fn check_state(&self, item: &str, state: &[i8]) -> Result<()> {
        if state.len() != self.n() {
            return Err(Error::length(item, self.n(), state.len()));
        }
        match state.iter().position(|&s| !(-1..=1).contains(&s)) {
            Some(i) => Err(Error::Value {
                item: item.to_string(),
                position: i,
                value: f64::from(state[i]),
                allowed: "-1, 0 or 1",
            }),
            None => Ok(()),
        }
    }

    /// The energy `E = −Σ_μ F(ξ^μ · S)`; for the exponential interaction it is reported as
    /// `−β⁻¹ ln Σ_μ exp(β ξ^μ·S)`, a monotone function of it that stays finite.
    pub fn energy(&self, state: &[i8]) -> Result<f64> {
        self.check_state("state", state)?;
        Ok(Kernel::new(self).energy(&dots(&self.patterns, state)))
    }

    /// Whether no neuron of `state` would change under the update rule.
    pub fn is_fixed_point(&self, state: &[i8], tie: Tie) -> Result<bool> {
        self.check_state("state", state)?;
        let k = Kernel::new(self);
        Ok(k.settled(&dots(&self.patterns, state), state, tie))
    }

    /// Runs the dynamics from `cue` (values ±1, or 0 for unknown) with `options`; the
    /// result is classified against the stored patterns as for a [`crate::Network`].
    pub fn recall<R: Rng + ?Sized>(
        &self,
        cue: &[i8],
        options: &RecallOptions,
        rng: &mut R,
    ) -> Result<Recall> {
        self.check_options(options)?;
        self.check_state("cue", cue)?;
        let r = Kernel::new(self).run(cue, options, rng);
        options.check_cancelled()?;
        Ok(r)
    }

    /// Recalls every cue independently, in parallel; cue `k` draws from
    /// [`random::stream`]`(seed, k)`, so the results do not depend on the number of threads.
    pub fn recall_batch<C>(
        &self,
        cues: &[C],
        options: &RecallOptions,
        seed: u64,
    ) -> Result<Vec<Recall>>
    where
        C: AsRef<[i8]> + Sync,
    {
        self.check_options(options)?;
        for (k, c) in cues.iter().enumerate() {
            self.check_state(&format!("cue {k}"), c.as_ref())?;
        }
        let kernel = Kernel::new(self);
        let runs =
            random::par_map_streams(cues, seed, |c, rng| kernel.run(c.as_ref(), options, rng));
        options.check_cancelled()?;
        Ok(runs)
    }

    fn check_options(&self, options: &RecallOptions) -> Result<()> {
        self.interaction.check()?;
        options.check_for(self.n())?;
        if options.temperature != 0.0 {
            return Err(Error::Unsupported(
                "dense associative memories run at temperature 0 only".into(),
            ));
        }
        Ok(())
    }
}

/// `ξ^μ · S` for every pattern.
fn dots(patterns: &Patterns, state: &[i8]) -> Vec<i64> {
    patterns
        .iter()
        .map(|xi| crate::measure::dot(xi, state))
        .collect()
}

/// A memory prepared for runs: the patterns by neuron, and the scale of the overlaps.
struct Kernel<'a> {
    memory: &'a DenseMemory,
    /// `ξ_i^μ` at `i · P + μ`.
    columns: Vec<i8>,
    /// Overlaps are multiplied by this before `F`: 1 while `N^n · P` is exact in `f64`,
    /// `1/N` otherwise (the sign of a difference does not change).
    scale: f64,
}

impl<'a> Kernel<'a> {
    fn new(memory: &'a DenseMemory) -> Kernel<'a> {
        let (n, p) = (memory.n(), memory.patterns.len());
        let flat = memory.patterns.as_flat();
        let mut columns = vec![0i8; n * p];
        for (mu, xi) in flat.chunks_exact(n).enumerate() {
            for (i, &x) in xi.iter().enumerate() {
                columns[i * p + mu] = x;
            }
        }
        let scale = match memory.interaction {
            Interaction::Polynomial { degree } | Interaction::Rectified { degree }
                if libm::pow(n as f64, f64::from(degree)) * p as f64 >= 9_007_199_254_740_992.0 =>
            {
                1.0 / n as f64
            }
            _ => 1.0,
        };
        Kernel {
            memory,
            columns,
            scale,
        }
    }

    fn p(&self) -> usize {
        self.memory.patterns.len()
    }

    fn column(&self, i: usize) -> &[i8] {
        let p = self.p();
        &self.columns[i * p..(i + 1) * p]
    }

    /// A value whose sign is that of `Σ_μ [F(m_μ + ξ_i^μ) − F(m_μ − ξ_i^μ)]`.
    fn drive(&self, dots: &[i64], s_i: i8, i: usize) -> f64 {
        let xi = self.column(i);
        let s = self.scale;
        let terms = dots.iter().zip(xi).map(|(&d, &x)| {
            let m = (d - i64::from(x) * i64::from(s_i)) as f64;
            let x = f64::from(x);
            (m + x, m - x)
        });
        match self.memory.interaction {
            Interaction::Polynomial { degree } => {
                let n = degree;
                terms.map(|(a, b)| powi(a * s, n) - powi(b * s, n)).sum()
            }
            Interaction::Rectified { degree } => {
                let n = degree;
                terms
                    .map(|(a, b)| powi((a * s).max(0.0), n) - powi((b * s).max(0.0), n))
                    .sum()
            }
            Interaction::Exponential { beta } => {
                let up = log_sum_exp(terms.clone().map(|(a, _)| beta * a));
                let down = log_sum_exp(terms.map(|(_, b)| beta * b));
                up - down
            }
        }
    }

    fn energy(&self, dots: &[i64]) -> f64 {
        let x = dots.iter().map(|&d| d as f64);
        match self.memory.interaction {
            Interaction::Polynomial { degree } => -x.map(|x| powi(x, degree)).sum::<f64>(),
            Interaction::Rectified { degree } => -x.map(|x| powi(x.max(0.0), degree)).sum::<f64>(),
            Interaction::Exponential { beta } => -log_sum_exp(x.map(|x| beta * x)) / beta,
        }
    }

    fn settled(&self, dots: &[i64], state: &[i8], tie: Tie) -> bool {
        (0..state.len())
            .all(|i| decide(self.drive(dots, state[i], i), state[i], tie, 1, -1) == state[i])
    }

    /// Neuron `i` changes by `delta`: the overlaps follow.
    fn track(&self, dots: &mut [i64], i: usize, delta: i64) {
        for (d, &x) in dots.iter_mut().zip(self.column(i)) {
            *d += delta * i64::from(x);
        }
    }

    fn run<R: Rng + ?Sized>(&self, cue: &[i8], options: &RecallOptions, rng: &mut R) -> Recall {
        let n = cue.len();
        let tie = options.tie;
        let stop = options.stop_at_fixed_point;
        let max_steps = options
            .max_steps
            .unwrap_or_else(|| options.dynamics.default_max_steps(n));
        let mut state = cue.to_vec();
        let mut d = dots(&self.memory.patterns, &state);
        let mut trajectory =
            (options.record.states || options.record.measures).then(Trajectory::default);
        let snapshot = |tr: &mut Option<Trajectory>, state: &[i8], d: &[i64]| {
            let Some(tr) = tr.as_mut() else { return };
            if options.record.states {
                tr.states.push(state.to_vec());
            }
            if options.record.measures {
                tr.energy.push(self.energy(d));
                tr.overlaps
                    .push(d.iter().map(|&d| d as f64 / n as f64).collect());
                if let Some(t) = &options.target {
                    tr.errors
                        .push(t.iter().zip(state).filter(|(a, b)| a != b).count());
                }
            }
        };
        snapshot(&mut trajectory, &state, &d);
        let (mut steps, mut updates, mut flips) = (0usize, 0u64, 0u64);
        let mut hitting_time = 0usize;
        let mut settled = false;
        let mut cycle = None;
        match options.dynamics {
            Dynamics::Synchronous => {
                let mut seen: HashMap<Vec<i8>, usize> = HashMap::new();
                seen.insert(state.clone(), 0);
                for step in 1..=max_steps {
                    if options.cancelled() {
                        break;
                    }
                    steps = step;
                    let next: Vec<i8> = (0..n)
                        .map(|i| decide(self.drive(&d, state[i], i), state[i], tie, 1, -1))
                        .collect();
                    updates += n as u64;
                    let changed = next.iter().zip(&state).filter(|(a, b)| a != b).count();
                    flips += changed as u64;
                    if changed == 0 {
                        settled = true;
                        snapshot(&mut trajectory, &state, &d);
                        if stop {
                            break;
                        }
                        continue;
                    }
                    hitting_time = step;
                    state = next;
                    d = dots(&self.memory.patterns, &state);
                    snapshot(&mut trajectory, &state, &d);
                    if stop {
                        if let Some(&at) = seen.get(&state) {
                            cycle = Some(step - at);
                            break;
                        }
                        seen.insert(state.clone(), step);
                    }
                }
            }
            Dynamics::Asynchronous | Dynamics::Sweep | Dynamics::Sequential => {
                let mut order: Vec<usize> = (0..n).collect();
                let mut since_flip = 0usize;
                let update = |i: usize, state: &mut [i8], d: &mut [i64]| -> bool {
                    let old = state[i];
                    let new = decide(self.drive(d, old, i), old, tie, 1, -1);
                    if new == old {
                        return false;
                    }
                    state[i] = new;
                    self.track(d, i, i64::from(new) - i64::from(old));
                    true
                };
                for step in 1..=max_steps {
                    if (options.dynamics != Dynamics::Asynchronous || step % 256 == 0)
                        && options.cancelled()
                    {
                        break;
                    }
                    steps = step;
                    if options.dynamics == Dynamics::Asynchronous {
                        let i = random::index(rng, n);
                        updates += 1;
                        if update(i, &mut state, &mut d) {
                            flips += 1;
                            since_flip = 0;
                            hitting_time = step;
                        } else {
                            since_flip += 1;
                        }
                        snapshot(&mut trajectory, &state, &d);
                        if stop
                            && since_flip >= n
                            && since_flip.is_multiple_of(n)
                            && self.settled(&d, &state, tie)
                        {
                            settled = true;
                            break;
                        }
                    } else {
                        if options.dynamics == Dynamics::Sweep {
                            random::shuffle(rng, &mut order);
                        }
                        let changed = order
                            .iter()
                            .filter(|&&i| update(i, &mut state, &mut d))
                            .count();
                        updates += n as u64;
                        flips += changed as u64;
                        if changed > 0 {
                            hitting_time = step;
                        }
                        snapshot(&mut trajectory, &state, &d);
                        if changed == 0 {
                            settled = true;
                            if stop {
                                break;
                            }
                        }
                    }
                }
            }
        }
        let converged = cycle.is_none() && (settled || self.settled(&d, &state, tie));
        let outcome = Outcome::of_run(cycle, converged, &state, Some(&self.memory.patterns), &d);
        Recall {
            overlaps: d.iter().map(|&d| d as f64 / n as f64).collect(),
            energy: self.energy(&d),
            state,
            steps,
            hitting_time,
            updates,
            flips,
            converged,
            outcome,
            trajectory,
        }
    }
}

/// How to run a continuous modern Hopfield network ([`ContinuousMemory::retrieve`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ModernOptions {
    /// The most updates to make, at least 1 (default 100).
    pub max_steps: usize,
    /// Stop when no component moves by more than this (default 1e-6); a run that stops so
    /// has converged.
    pub tolerance: f64,
}

impl Default for ModernOptions {
    fn default() -> Self {
        ModernOptions {
            max_steps: 100,
            tolerance: 1e-6,
        }
    }
}

impl ModernOptions {
    /// Sets the most updates.
    pub fn max_steps(mut self, steps: usize) -> Self {
        self.max_steps = steps;
        self
    }

    /// Sets the tolerance.
    pub fn tolerance(mut self, tolerance: f64) -> Self {
        self.tolerance = tolerance;
        self
    }

    fn check(&self) -> Result<()> {
        if self.max_steps == 0 {
            return Err(Error::parameter("max-steps", 0, "must be at least 1"));
        }
        if !(self.tolerance.is_finite() && self.tolerance >= 0.0) {
            return Err(Error::parameter(
                "tolerance",
                self.tolerance,
                "must be finite and ≥ 0",
            ));
        }
        Ok(())
    }
}

/// The result of a continuous retrieval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Retrieval {
    /// The final state `ξ`.
    pub state: Vec<f32>,
    /// Updates that moved the state (by more than the tolerance), at most `max_steps`.
    pub steps: usize,
    /// Whether the final state is a fixed point up to the tolerance: one more update would
    /// move no component by more than it (checked even after the last allowed step).
    pub converged: bool,
    /// The stored pattern with the largest attention weight at the final state.
    pub pattern: usize,
    /// Its attention weight `softmax(β Xᵀ ξ)_pattern`, from 1/P to 1.
    pub weight: f64,
    /// The retrieval error `‖ξ − x^pattern‖`, Euclidean.
    pub error: f64,
    /// The energy of the final state (see [`ContinuousMemory::energy`]).
    pub energy: f64,
}

impl Retrieval {
    /// The signs of the final state, for ±1 patterns (`+1` for 0).
    pub fn signs(&self) -> Vec<i8> {
        self.state
            .iter()
            .map(|&v| if v >= 0.0 { 1 } else { -1 })
            .collect()
    }
}

/// A continuous modern Hopfield network (Ramsauer et al. 2020): real-valued patterns
/// `x^1 … x^P` (the columns of `X`) and an inverse temperature `β`.
///
/// An update is `ξ ← X softmax(β Xᵀ ξ)`: attention over the stored patterns, computed
/// with the maximum subtracted so that it never overflows. It lowers the energy
/// `E = −β⁻¹ ln Σ_μ exp(β x^μ·ξ) + ½ ξ·ξ + β⁻¹ ln P + ½ M²` (`M` the largest pattern norm).
/// With a large `β` and well-separated patterns one update lands next to the pattern nearest
/// the cue, even for `P ≫ N`; a small `β` yields averages of patterns (metastable states).
///
/// ```
/// use hopfield::modern::{ContinuousMemory, ModernOptions};
/// let memory = ContinuousMemory::new(3, vec![1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0], 20.0)?;
/// let r = memory.retrieve(&[0.2, 0.9, 0.1], &ModernOptions::default().max_steps(1))?;
/// assert_eq!(r.pattern, 1);
/// assert!(r.error < 1e-3);
/// # Ok::<(), hopfield::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ContinuousMemoryFields")]
pub struct ContinuousMemory {
    n: usize,
    /// `x^μ_i` at `μ · N + i`.
    patterns: Vec<f32>,
    beta: f64,
}

/// The serialised form of a [`ContinuousMemory`], checked on the way in.
#[derive(Deserialize)]
struct ContinuousMemoryFields {
    n: usize,
    patterns: Vec<f32>,
    beta: f64,
}

impl TryFrom<ContinuousMemoryFields> for ContinuousMemory {
    type Error = Error;
    fn try_from(f: ContinuousMemoryFields) -> Result<ContinuousMemory> {
        ContinuousMemory::new(f.n, f.patterns, f.beta)
    }
}

impl ContinuousMemory {
    /// A memory of `P = patterns.len() / n` patterns of `n` values each, stored one after
    /// another, with inverse temperature `beta`.
    pub fn new(n: usize, patterns: Vec<f32>, beta: f64) -> Result<ContinuousMemory> {
        crate::pattern::check_layout(n, patterns.len())?;
        if let Some(k) = patterns.iter().position(|v| !v.is_finite()) {
            return Err(Error::NotFinite {
                item: format!("pattern {}", k / n),
                position: k % n,
                value: f64::from(patterns[k]),
            });
        }
        check_beta(beta)?;
        Ok(ContinuousMemory { n, patterns, beta })
    }

    /// A memory of ±1 patterns.
    pub fn from_patterns(patterns: &Patterns, beta: f64) -> Result<ContinuousMemory> {
        let values = patterns.as_flat().iter().map(|&v| f32::from(v)).collect();
        ContinuousMemory::new(patterns.n(), values, beta)
    }

    /// The number of values per pattern, `N`.
    pub fn n(&self) -> usize {
        self.n
    }

    /// The number of stored patterns, `P`.
    pub fn len(&self) -> usize {
        self.patterns.len() / self.n
    }

    /// Whether no pattern is stored (never, for a memory built by [`ContinuousMemory::new`]).
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// The inverse temperature `β`.
    pub fn beta(&self) -> f64 {
        self.beta
    }

    /// Pattern `μ`.
    pub fn pattern(&self, mu: usize) -> Option<&[f32]> {
        self.patterns.chunks_exact(self.n).nth(mu)
    }

    fn check_state(&self, state: &[f32]) -> Result<()> {
        if state.len() != self.n {
            return Err(Error::length("state", self.n, state.len()));
        }
        match state.iter().position(|v| !v.is_finite()) {
            Some(k) => Err(Error::NotFinite {
                item: "state".into(),
                position: k,
                value: f64::from(state[k]),
            }),
            None => Ok(()),
        }
    }

    /// `x^μ · ξ` for every pattern.
    fn similarities(&self, state: &[f32]) -> Vec<f64> {
        self.patterns
            .chunks_exact(self.n)
            .map(|x| {
                x.iter()
                    .zip(state)
                    .map(|(&a, &b)| f64::from(a) * f64::from(b))
                    .sum()
            })
            .collect()
    }

    fn softmax(&self, similarities: &[f64]) -> Vec<f64> {
        let max = similarities
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        let mut p: Vec<f64> = similarities
            .iter()
            .map(|&s| libm::exp(self.beta * (s - max)))
            .collect();
        let total: f64 = p.iter().sum();
        for v in &mut p {
            *v /= total;
        }
        p
    }

    /// The attention weights `softmax(β Xᵀ ξ)` over the stored patterns.
    pub fn attention(&self, state: &[f32]) -> Result<Vec<f64>> {
        self.check_state(state)?;
        Ok(self.softmax(&self.similarities(state)))
    }

    /// One update, `X softmax(β Xᵀ ξ)`.
    pub fn update(&self, state: &[f32]) -> Result<Vec<f32>> {
        let weights = self.attention(state)?;
        Ok(self.combine(&weights))
    }

    fn combine(&self, weights: &[f64]) -> Vec<f32> {
        let mut out = vec![0f64; self.n];
        for (x, &w) in self.patterns.chunks_exact(self.n).zip(weights) {
            if w == 0.0 {
                continue;
            }
            for (o, &v) in out.iter_mut().zip(x) {
                *o += w * f64::from(v);
            }
        }
        out.into_iter().map(|v| v as f32).collect()
    }

    /// The energy `E = −β⁻¹ ln Σ_μ exp(β x^μ·ξ) + ½ ξ·ξ + β⁻¹ ln P + ½ M²`.
    pub fn energy(&self, state: &[f32]) -> Result<f64> {
        self.check_state(state)?;
        Ok(self.energy_of(state, &self.similarities(state)))
    }

    fn energy_of(&self, state: &[f32], similarities: &[f64]) -> f64 {
        let lse = log_sum_exp(similarities.iter().map(|&s| self.beta * s));
        let half_norm: f64 = 0.5
            * state
                .iter()
                .map(|&v| f64::from(v) * f64::from(v))
                .sum::<f64>();
        let m2 = self
            .patterns
            .chunks_exact(self.n)
            .map(|x| x.iter().map(|&v| f64::from(v) * f64::from(v)).sum::<f64>())
            .fold(0.0, f64::max);
        -lse / self.beta + half_norm + libm::log(self.len() as f64) / self.beta + 0.5 * m2
    }

    /// Updates `cue` until an update would move no component by more than the tolerance,
    /// or `options.max_steps` updates are made.
    pub fn retrieve(&self, cue: &[f32], options: &ModernOptions) -> Result<Retrieval> {
        options.check()?;
        self.check_state(cue)?;
        let mut state = cue.to_vec();
        let mut steps = 0;
        let converged = loop {
            let next = self.combine(&self.softmax(&self.similarities(&state)));
            let moved = next
                .iter()
                .zip(&state)
                .map(|(a, b)| f64::from((a - b).abs()))
                .fold(0.0, f64::max);
            // An update that moves nothing beyond the tolerance only confirms a fixed
            // point: it is made even after the last allowed step, and not counted.
            if moved <= options.tolerance {
                break true;
            }
            if steps == options.max_steps {
                break false;
            }
            state = next;
            steps += 1;
        };
        let similarities = self.similarities(&state);
        let weights = self.softmax(&similarities);
        let (pattern, &weight) =
            weights
                .iter()
                .enumerate()
                .fold((0, &f64::NEG_INFINITY), |best, (mu, w)| {
                    if *w > *best.1 { (mu, w) } else { best }
                });
        let x = &self.patterns[pattern * self.n..(pattern + 1) * self.n];
        let error = x
            .iter()
            .zip(&state)
            .map(|(&a, &b)| (f64::from(a) - f64::from(b)) * (f64::from(a) - f64::from(b)))
            .sum::<f64>()
            .sqrt();
        Ok(Retrieval {
            energy: self.energy_of(&state, &similarities),
            state,
            steps,
            converged,
            pattern,
            weight,
            error,
        })
    }

    /// [`ContinuousMemory::retrieve`] from a ±1 cue (0 for unknown).
    pub fn retrieve_bipolar(&self, cue: &[i8], options: &ModernOptions) -> Result<Retrieval> {
        let cue: Vec<f32> = cue.iter().map(|&v| f32::from(v)).collect();
        self.retrieve(&cue, options)
    }
}

/// The associative-memory models, as the command line selects them (`--model`).
///
/// JSON: `{"model":"classical"}`, `{"model":"dense","degree":3,"rectified":false}`,
/// `{"model":"exponential","beta":1.0}`, `{"model":"modern","beta":1.0}`.
///
/// ```
/// use hopfield::modern::{Interaction, Model};
/// let m: Model = "dense".parse()?;
/// assert_eq!(m.clone().degree(4).interaction(), Some(Interaction::Polynomial { degree: 4 }));
/// assert_eq!(m.to_string(), "dense (F(x) = x^3)");
/// assert!(Model::exponential().beta(-1.0).check().is_err());
/// # Ok::<(), hopfield::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "model", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Model {
    /// The classical network ([`crate::Network`], with a [`crate::Rule`]).
    Classical,
    /// Krotov & Hopfield's dense associative memory, `F(x) = xⁿ` or `max(x, 0)ⁿ`.
    Dense {
        /// The degree `n ≥ 2` (default 3).
        #[serde(default = "default_degree")]
        degree: u32,
        /// Use the rectified polynomial (default false).
        #[serde(default)]
        rectified: bool,
    },
    /// Demircigil et al.'s exponential interaction `F(x) = exp(β x)`.
    Exponential {
        /// `β > 0` (default 1).
        #[serde(default = "default_beta")]
        beta: f64,
    },
    /// The continuous modern Hopfield network ([`ContinuousMemory`]).
    Modern {
        /// `β > 0` (default 1).
        #[serde(default = "default_beta")]
        beta: f64,
    },
}

fn default_degree() -> u32 {
    3
}

fn default_beta() -> f64 {
    1.0
}

impl Model {
    /// The names accepted by [`Model::from_str`].
    pub const NAMES: &'static [&'static str] = &["classical", "dense", "exponential", "modern"];

    /// The dense model of degree 3.
    pub fn dense() -> Model {
        Model::Dense {
            degree: default_degree(),
            rectified: false,
        }
    }

    /// The exponential model with `β = 1`.
    pub fn exponential() -> Model {
        Model::Exponential {
            beta: default_beta(),
        }
    }

    /// The continuous modern network with `β = 1`.
    pub fn modern() -> Model {
        Model::Modern {
            beta: default_beta(),
        }
    }

    /// The command-line name.
    pub fn name(&self) -> &'static str {
        match self {
            Model::Classical => "classical",
            Model::Dense { .. } => "dense",
            Model::Exponential { .. } => "exponential",
            Model::Modern { .. } => "modern",
        }
    }

    /// The same model with degree `n` (the dense model; others are returned unchanged).
    pub fn degree(self, n: u32) -> Model {
        match self {
            Model::Dense { rectified, .. } => Model::Dense {
                degree: n,
                rectified,
            },
            other => other,
        }
    }

    /// The dense model, rectified or not (others are returned unchanged).
    pub fn rectified(self, rectified: bool) -> Model {
        match self {
            Model::Dense { degree, .. } => Model::Dense { degree, rectified },
            other => other,
        }
    }

    /// The same model with inverse temperature `β` (exponential and modern; others are
    /// returned unchanged).
    pub fn beta(self, beta: f64) -> Model {
        match self {
            Model::Exponential { .. } => Model::Exponential { beta },
            Model::Modern { .. } => Model::Modern { beta },
            other => other,
        }
    }

    /// Checks the parameters: `n ≥ 2`, `β` finite and positive.
    pub fn check(&self) -> Result<()> {
        match *self {
            Model::Modern { beta } => check_beta(beta),
            _ => self.interaction().map_or(Ok(()), |i| i.check()),
        }
    }

    /// The interaction of a dense associative memory model.
    pub fn interaction(&self) -> Option<Interaction> {
        match *self {
            Model::Dense {
                degree,
                rectified: false,
            } => Some(Interaction::Polynomial { degree }),
            Model::Dense {
                degree,
                rectified: true,
            } => Some(Interaction::Rectified { degree }),
            Model::Exponential { beta } => Some(Interaction::Exponential { beta }),
            Model::Classical | Model::Modern { .. } => None,
        }
    }
}

impl From<Interaction> for Model {
    /// The model whose [`Model::interaction`] this is.
    fn from(interaction: Interaction) -> Model {
        match interaction {
            Interaction::Polynomial { degree } => Model::dense().degree(degree),
            Interaction::Rectified { degree } => Model::dense().degree(degree).rectified(true),
            Interaction::Exponential { beta } => Model::exponential().beta(beta),
        }
    }
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self, self.interaction()) {
            (Model::Modern { beta }, _) => write!(f, "modern (β = {beta})"),
            (_, Some(i)) => write!(f, "{} ({i})", self.name()),
            _ => f.write_str(self.name()),
        }
    }
}

impl FromStr for Model {
    type Err = Error;

    /// Parses a model name with its default parameters: `classical`, `dense` (alias
    /// `polynomial`; degree 3), `rectified` (the rectified dense model of degree 3),
    /// `exponential` (β = 1), `modern` (alias `continuous`; β = 1).
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "classical" | "hopfield" => Ok(Model::Classical),
            "dense" | "polynomial" => Ok(Model::dense()),
            "rectified" => Ok(Model::dense().rectified(true)),
            "exponential" => Ok(Model::exponential()),
            "modern" | "continuous" => Ok(Model::modern()),
            _ => Err(Error::parameter(
                "model",
                s,
                format!("expected one of: {}", Model::NAMES.join(", ")),
            )),
        }
    }
}

/// A memory of any [`Model`], built from ±1 patterns and recalled through one interface.
///
/// The classical model is a [`Network`] trained with a [`Rule`]; the dense and exponential
/// models are [`DenseMemory`]s; the modern model is a [`ContinuousMemory`] whose recall
/// starts from the ±1 cue, updates until it stops moving (tolerance 1e-6) or
/// `max_steps` updates (default 100), and reports the signs of the final state. The
/// modern model's update moves every component at once, whatever the [`Dynamics`]; its
/// overlaps and outcome are measured against the signs of the stored patterns.
///
/// ```
/// use hopfield::modern::{Memory, Model};
/// use hopfield::{generate, noise, random, Dynamics, Outcome, RecallOptions, Rule};
/// let mut rng = random::seeded(2);
/// let patterns = generate::random_patterns(100, 100, 0.5, &mut rng)?; // P = N
/// let cue = noise::flip_fraction(patterns.get(9).unwrap(), 0.1, &mut rng)?;
/// for name in Model::NAMES {
///     let memory = Memory::build(&name.parse()?, &patterns, &Rule::hebb())?;
///     let r = memory.recall(&cue, &RecallOptions::new(Dynamics::Sweep), &mut rng)?;
///     let recalled = r.outcome == Outcome::Recalled { pattern: 9 };
///     assert_eq!(recalled, *name != "classical", "{name}");
/// }
/// # Ok::<(), hopfield::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Memory {
    /// The classical network.
    Classical(Box<Network>),
    /// A dense associative memory (polynomial, rectified or exponential).
    Dense(DenseMemory),
    /// A continuous modern Hopfield network.
    Modern(ContinuousMemory),
}

impl Memory {
    /// Stores `patterns` in `model`; `rule` trains the classical model and is not used by
    /// the others.
    pub fn build(model: &Model, patterns: &Patterns, rule: &Rule) -> Result<Memory> {
        model.check()?;
        Ok(match (model, model.interaction()) {
            (Model::Modern { beta }, _) => {
                Memory::Modern(ContinuousMemory::from_patterns(patterns, *beta)?)
            }
            (_, Some(interaction)) => {
                Memory::Dense(DenseMemory::new(patterns.clone(), interaction)?)
            }
            _ => Memory::Classical(Box::new(Network::from_patterns(patterns, rule)?)),
        })
    }

    /// The number of neurons, `N`.
    pub fn n(&self) -> usize {
        match self {
            Memory::Classical(net) => net.n(),
            Memory::Dense(m) => m.n(),
            Memory::Modern(m) => m.n(),
        }
    }

    /// Recalls from `cue` (see [`Memory`] for the modern model).
    pub fn recall<R: Rng + ?Sized>(
        &self,
        cue: &[i8],
        options: &RecallOptions,
        rng: &mut R,
    ) -> Result<Recall> {
        match self {
            Memory::Classical(net) => net.recall(cue, options, rng),
            Memory::Dense(m) => m.recall(cue, options, rng),
            Memory::Modern(m) => {
                check_modern_options(m, options)?;
                modern_recall(m, cue, options)
            }
        }
    }

    /// Recalls every cue independently, in parallel; cue `k` draws from
    /// [`random::stream`]`(seed, k)`.
    pub fn recall_batch<C>(
        &self,
        cues: &[C],
        options: &RecallOptions,
        seed: u64,
    ) -> Result<Vec<Recall>>
    where
        C: AsRef<[i8]> + Sync,
    {
        match self {
            Memory::Classical(net) => net.recall_batch(cues, options, seed),
            Memory::Dense(m) => m.recall_batch(cues, options, seed),
            Memory::Modern(m) => {
                check_modern_options(m, options)?;
                random::par_map_streams(cues, seed, |c, _| modern_recall(m, c.as_ref(), options))
                    .into_iter()
                    .collect()
            }
        }
    }
}

fn check_modern_options(memory: &ContinuousMemory, options: &RecallOptions) -> Result<()> {
    options.check_for(memory.n())?;
    if options.temperature != 0.0 {
        return Err(Error::Unsupported(
            "the modern Hopfield network runs at temperature 0 only".into(),
        ));
    }
    Ok(())
}

/// A continuous retrieval from a ±1 cue, reported as a [`Recall`] of its signs.
fn modern_recall(memory: &ContinuousMemory, cue: &[i8], options: &RecallOptions) -> Result<Recall> {
    let modern = ModernOptions::default().max_steps(options.max_steps.unwrap_or(100));
    let r = memory.retrieve_bipolar(cue, &modern)?;
    let state = r.signs();
    let n = state.len();
    // Overlaps and outcome against the signs of the stored patterns.
    let signs = memory
        .patterns
        .iter()
        .map(|&v| if v >= 0.0 { 1 } else { -1 })
        .collect();
    let signs = Patterns::new(n, signs)?;
    let dots = dots(&signs, &state);
    let outcome = Outcome::of_run(None, r.converged, &state, Some(&signs), &dots);
    Ok(Recall {
        flips: state.iter().zip(cue).filter(|(a, b)| a != b).count() as u64,
        updates: (r.steps * n) as u64,
        steps: r.steps,
        hitting_time: r.steps,
        converged: r.converged,
        outcome,
        overlaps: dots.iter().map(|&d| d as f64 / n as f64).collect(),
        energy: r.energy,
        state,
        trajectory: None,
    })
}
