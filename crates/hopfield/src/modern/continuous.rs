//! The continuous modern Hopfield network (Ramsauer et al. 2020).

use rand::Rng;
#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use super::{check_beta, log_sum_exp};
use crate::dynamics::{self, AssociativeMemory, Dynamical, Recall, RecallOptions, Run};
use crate::error::{Result, check_finite, check_length, require};
use crate::measure;
use crate::neuron::Tie;
use crate::pattern::Patterns;

/// `Σ_i a_i b_i` in `f64`.
fn dot(a: &[f32], b: &[f32]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(&a, &b)| f64::from(a) * f64::from(b))
        .sum()
}

/// The sign of a real value as a neuron's: `+1` for 0.
#[inline]
fn sign(v: f32) -> i8 {
    if v >= 0.0 { 1 } else { -1 }
}

/// How to run a continuous modern Hopfield network ([`ContinuousMemory::retrieve`]).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
#[non_exhaustive]
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

setters!(ModernOptions {
    /// Sets the most updates.
    max_steps: usize,
    /// Sets the tolerance.
    tolerance: f64,
});

impl ModernOptions {
    fn check(&self) -> Result<()> {
        require(self.max_steps > 0, "max-steps", 0, "must be at least 1")?;
        let t = self.tolerance;
        require(
            t.is_finite() && t >= 0.0,
            "tolerance",
            t,
            "must be finite and ≥ 0",
        )
    }
}

/// The result of a continuous retrieval.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
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
        self.state.iter().map(|&v| sign(v)).collect()
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
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "ContinuousMemoryFields"))]
pub struct ContinuousMemory {
    n: usize,
    /// `x^μ_i` at `μ · N + i`.
    patterns: Vec<f32>,
    beta: f64,
    /// The signs of the patterns (`+1` for 0), which ±1 states are compared with.
    #[cfg_attr(feature = "serde", serde(skip))]
    signs: Patterns,
}

/// The serialised form of a [`ContinuousMemory`], checked on the way in.
#[cfg(feature = "serde")]
#[cfg_attr(feature = "serde", derive(Deserialize))]
struct ContinuousMemoryFields {
    n: usize,
    patterns: Vec<f32>,
    beta: f64,
}

#[cfg(feature = "serde")]
impl TryFrom<ContinuousMemoryFields> for ContinuousMemory {
    type Error = crate::error::Error;
    fn try_from(f: ContinuousMemoryFields) -> Result<ContinuousMemory> {
        ContinuousMemory::new(f.n, f.patterns, f.beta)
    }
}

impl ContinuousMemory {
    /// A memory of `P = patterns.len() / n` patterns of `n` values each, stored one after
    /// another, with inverse temperature `beta`.
    pub fn new(n: usize, patterns: Vec<f32>, beta: f64) -> Result<ContinuousMemory> {
        crate::pattern::check_layout(n, patterns.len())?;
        check_finite(&patterns, |k| (format!("pattern {}", k / n), k % n))?;
        check_beta(beta)?;
        let signs = Patterns::new(n, patterns.iter().map(|&v| sign(v)).collect())?;
        Ok(ContinuousMemory {
            n,
            patterns,
            beta,
            signs,
        })
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
        check_length("state", self.n, state.len())?;
        check_finite(state, |k| ("state".into(), k))
    }

    /// `x^μ · ξ` for every pattern.
    fn similarities(&self, state: &[f32]) -> Vec<f64> {
        self.patterns
            .chunks_exact(self.n)
            .map(|x| dot(x, state))
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
        let half_norm = 0.5 * dot(state, state);
        let m2 = self
            .patterns
            .chunks_exact(self.n)
            .map(|x| dot(x, x))
            .fold(0.0, f64::max);
        -lse / self.beta + half_norm + libm::log(self.len() as f64) / self.beta + 0.5 * m2
    }

    /// Updates `cue` until an update would move no component by more than the tolerance,
    /// or `options.max_steps` updates are made.
    pub fn retrieve(&self, cue: &[f32], options: &ModernOptions) -> Result<Retrieval> {
        options.check()?;
        self.check_state(cue)?;
        let signs: Vec<i8> = cue.iter().map(|&v| sign(v)).collect();
        let run = self.run(cue.to_vec(), options.tolerance);
        let steps = RecallOptions::default().max_steps(options.max_steps);
        let (r, run) = dynamics::run_from(self, run, &signs, &steps, &mut crate::random::seeded(0));
        let state = run.state;
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
            energy: r.energy,
            state,
            steps: run.moves,
            converged: r.converged,
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

    /// A run from the real-valued `state` that stops moving within `tolerance`.
    fn run(&self, state: Vec<f32>, tolerance: f64) -> ModernRun<'_> {
        ModernRun {
            memory: self,
            state,
            tolerance,
            moves: 0,
        }
    }

    /// The update of `state`, and how far it moves the farthest component.
    fn next(&self, state: &[f32]) -> (Vec<f32>, f64) {
        let next = self.combine(&self.softmax(&self.similarities(state)));
        let moved = next
            .iter()
            .zip(state)
            .map(|(a, b)| f64::from((a - b).abs()))
            .fold(0.0, f64::max);
        (next, moved)
    }
}

/// The modern network recalls from a ±1 cue: it starts from the cue's values, updates until
/// it stops moving (tolerance 1e-6) or `max_steps` updates (default 100), and reports the
/// signs of its state, compared with the signs of the stored patterns. Every update moves
/// every component at once, whatever the [`crate::Dynamics`].
impl AssociativeMemory for ContinuousMemory {
    fn check_cue(&self, item: &str, cue: &[i8]) -> Result<()> {
        dynamics::check_state(item, cue, self.n, (1, -1))
    }

    fn check_options(&self, options: &RecallOptions) -> Result<()> {
        options.check_deterministic(self.n, "the modern Hopfield network runs")
    }

    fn run<R: Rng + ?Sized>(&self, cue: &[i8], options: &RecallOptions, rng: &mut R) -> Recall {
        dynamics::run(self, cue, options, rng)
    }
}

impl Dynamical for ContinuousMemory {
    type Run<'a> = ModernRun<'a>;

    fn n(&self) -> usize {
        self.n
    }

    fn start<'a>(&'a self, state: &[i8], _: &RecallOptions) -> ModernRun<'a> {
        let values = state.iter().map(|&v| f32::from(v)).collect();
        self.run(values, ModernOptions::default().tolerance)
    }

    fn patterns(&self) -> Option<&Patterns> {
        Some(&self.signs)
    }

    fn all_at_once(&self) -> bool {
        true
    }

    /// The signs may repeat while the real state behind them moves on: no cycles.
    fn longest_cycle(&self) -> Option<usize> {
        Some(1)
    }
}

/// A run of a [`ContinuousMemory`]: the real-valued state behind the signs the engine sees.
#[derive(Debug)]
pub struct ModernRun<'a> {
    memory: &'a ContinuousMemory,
    state: Vec<f32>,
    tolerance: f64,
    /// Updates that moved the state by more than the tolerance.
    moves: usize,
}

impl Run for ModernRun<'_> {
    /// The value the next update gives neuron `i` (its sign decides).
    fn drive(&mut self, _state: &[i8], i: usize) -> f64 {
        f64::from(self.memory.next(&self.state).0[i])
    }

    /// Every update moves all components: single changes do not reach this run.
    fn changed(&mut self, _state: &[i8], _i: usize, _delta: i64) {}

    fn step(
        &mut self,
        state: &[i8],
        next: &mut [i8],
        changes: &mut Vec<(usize, i64)>,
        _tie: Tie,
        _levels: (i8, i8),
    ) -> bool {
        changes.clear();
        let (x, moved) = self.memory.next(&self.state);
        if moved <= self.tolerance {
            return true;
        }
        self.state = x;
        self.moves += 1;
        for (n, &v) in next.iter_mut().zip(&self.state) {
            *n = sign(v);
        }
        crate::kernel::decide::changed(state, next, changes);
        false
    }

    /// `step` moved the state already.
    fn moved(&mut self, _state: &[i8], _changes: &[(usize, i64)]) {}

    fn energy(&mut self, _state: &[i8]) -> f64 {
        self.memory
            .energy_of(&self.state, &self.memory.similarities(&self.state))
    }

    fn dots(&mut self, state: &[i8]) -> Vec<i64> {
        measure::dots(&self.memory.signs, state)
    }

    /// Whether one more update would move no component by more than the tolerance.
    fn settled(&mut self, _state: &[i8], _tie: Tie, _levels: (i8, i8)) -> bool {
        self.memory.next(&self.state).1 <= self.tolerance
    }
}
