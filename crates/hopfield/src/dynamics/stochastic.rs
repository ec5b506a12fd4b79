//! Stochastic (Glauber, heat-bath) dynamics at a temperature `T > 0`.
//!
//! A neuron updated at temperature `T = 1/β` turns on with probability
//! `P(S_i = +1) = 1 / (1 + exp(−2β (h_i − θ_i)))` for bipolar neurons (the heat bath of the
//! energy `E = −½ SᵀWS + θ·S`, whose change between `S_i = ±1` is `2 (h_i − θ_i)`), and
//! `P(V_i = 1) = 1 / (1 + exp(−β (h_i − θ_i)))` for binary ones. As `T → 0` this becomes
//! `sign(h_i − θ_i)`; a neuron whose field is exactly at threshold turns on with
//! probability ½ at any `T > 0`.
//!
//! The steps are those of [`Dynamics`]: one random neuron, a random sweep, an ordered sweep
//! or all neurons at once from the old state. A stochastic run has no fixed point to stop
//! at: it always takes `max_steps` steps (default [`Dynamics::default_max_steps`]) and
//! reports the final state; `converged` says whether that state happens to be a fixed
//! point of the deterministic dynamics, and the outcome is classified as usual when it is
//! ([`Outcome::Unconverged`] otherwise).
//!
//! Each update draws one uniform number from the caller's generator, except when the
//! heat-bath probability rounds to 0 or 1 in `f64` (a field far above `T`): then the update
//! is deterministic and draws nothing. So a run at a tiny temperature without ties follows
//! the deterministic trajectory draw for draw.

use rand::Rng;

use super::{Dynamics, Recall, RecallOptions, Recorder, energy_from, settled};
use crate::network::{Activation, Network};
use crate::outcome::Outcome;
use crate::random;
use crate::weights::Field;

/// The heat-bath draw for a neuron whose field exceeds its threshold by `x`; `gain` is `2β`
/// (bipolar) or `β` (binary).
#[inline]
fn heat_bath<R: Rng + ?Sized>(x: f64, gain: f64, (on, off): (i8, i8), rng: &mut R) -> i8 {
    let (favoured, other) = if x >= 0.0 { (on, off) } else { (off, on) };
    // The probability of the favoured value, 1 / (1 + e^{−gain |x|}) ≥ ½.
    // `libm`, not the platform's `exp`: the same draws on every machine.
    let p = 1.0 / (1.0 + libm::exp(-gain * x.abs()));
    if p >= 1.0 || random::unit(rng) < p {
        favoured
    } else {
        other
    }
}

pub(super) fn run<R: Rng + ?Sized>(
    net: &Network,
    cue: &[i8],
    options: &RecallOptions,
    rng: &mut R,
) -> Recall {
    let n = net.n();
    let levels = net.activation().levels();
    let beta = 1.0 / options.temperature;
    let gain = match net.activation() {
        Activation::Bipolar => 2.0 * beta,
        Activation::Binary => beta,
    };
    let max_steps = options
        .max_steps
        .unwrap_or_else(|| options.dynamics.default_max_steps(n));
    let weights = net.weights();
    let theta = net.threshold();

    let mut state = cue.to_vec();
    let mut rec = Recorder::new(net, options, &state);
    let energy = |s: &[i8]| net.energy_unchecked(s);
    if rec.wants_energy() {
        rec.snapshot(&state, || energy(&state));
    } else {
        rec.snapshot(&state, || 0.0);
    }
    let mut fields = weights.field_buf();
    let mut updates = 0u64;
    let mut flips = 0u64;
    let mut hitting_time = 0usize;

    match options.dynamics {
        Dynamics::Synchronous => {
            let mut next = vec![0i8; n];
            for step in 0..max_steps {
                if options.cancelled() {
                    break;
                }
                weights.compute_fields(&state, &mut fields);
                for (i, s) in next.iter_mut().enumerate() {
                    *s = heat_bath(fields.value(i) - theta.at(i), gain, levels, rng);
                }
                let changed = state.iter().zip(&next).filter(|(a, b)| a != b).count() as u64;
                if changed > 0 {
                    hitting_time = step + 1;
                }
                flips += changed;
                updates += n as u64;
                std::mem::swap(&mut state, &mut next);
                if rec.active() {
                    rec.resync(&state);
                    rec.snapshot(&state, || energy(&state));
                }
            }
        }
        Dynamics::Asynchronous | Dynamics::Sweep | Dynamics::Sequential => {
            let mut tracker = weights.tracker(&state);
            let scale = weights.scale();
            let mut order: Vec<usize> = (0..n).collect();
            let mut update = |i: usize, state: &mut Vec<i8>, rng: &mut R, rec: &mut Recorder| {
                let h = match weights.tracked(&tracker, state, i) {
                    Field::Int(h) => scale * h as f64,
                    Field::Float(h) => h,
                };
                let old = state[i];
                let new = heat_bath(h - theta.at(i), gain, levels, rng);
                if new != old {
                    state[i] = new;
                    weights.track(&mut tracker, i, i64::from(new) - i64::from(old));
                    rec.change(i, old, new);
                    1
                } else {
                    0
                }
            };
            for step in 0..max_steps {
                // A recording run computes the energy every step: look every step.
                if (options.dynamics != Dynamics::Asynchronous || rec.active() || step % 1024 == 0)
                    && options.cancelled()
                {
                    break;
                }
                match options.dynamics {
                    Dynamics::Asynchronous => {
                        let i = random::index(rng, n);
                        let changed = update(i, &mut state, rng, &mut rec);
                        if changed > 0 {
                            hitting_time = step + 1;
                        }
                        flips += changed;
                        updates += 1;
                    }
                    dynamics => {
                        if dynamics == Dynamics::Sweep {
                            random::shuffle(rng, &mut order);
                        }
                        let mut changed = 0;
                        for &i in &order {
                            changed += update(i, &mut state, rng, &mut rec);
                        }
                        if changed > 0 {
                            hitting_time = step + 1;
                        }
                        flips += changed;
                        updates += n as u64;
                    }
                }
                if rec.active() {
                    rec.snapshot(&state, || energy(&state));
                }
            }
        }
    }

    weights.compute_fields(&state, &mut fields);
    let converged = settled(net, &state, &fields, options.tie);
    let dots = net.dots(&state);
    let outcome = Outcome::of_run(None, converged, &state, net.patterns(), &dots);
    Recall {
        overlaps: dots.iter().map(|&d| d as f64 / n as f64).collect(),
        energy: energy_from(net, &state, &fields),
        state,
        steps: max_steps,
        hitting_time,
        updates,
        flips,
        converged,
        outcome,
        trajectory: rec.trajectory,
    }
}
