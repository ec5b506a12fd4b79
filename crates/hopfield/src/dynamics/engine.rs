//! The update loop: every dynamics of every model.

use rand::Rng;

use super::cycle::Cycles;
use super::record::Recorder;
use super::{Dynamical, Dynamics, Recall, RecallOptions, Run};
use crate::kernel::decide::changed;
use crate::neuron::{decide, heat_bath};
use crate::outcome::Outcome;
use crate::random;

/// Runs the dynamics of `options` on `model` from `cue` (checked by the caller), drawing
/// from `rng` (random orders, heat-bath updates).
///
/// This is the loop behind every [`super::AssociativeMemory::recall`].
pub fn run<M, R>(model: &M, cue: &[i8], options: &RecallOptions, rng: &mut R) -> Recall
where
    M: Dynamical + ?Sized,
    R: Rng + ?Sized,
{
    run_from(model, model.start(cue, options), cue, options, rng).0
}

/// [`run`] from a run the caller started, which it gets back at the end.
pub(crate) fn run_from<'a, M, R>(
    model: &'a M,
    mut run: M::Run<'a>,
    cue: &[i8],
    options: &RecallOptions,
    rng: &mut R,
) -> (Recall, M::Run<'a>)
where
    M: Dynamical + ?Sized,
    R: Rng + ?Sized,
{
    let n = model.n();
    let levels = model.levels();
    let tie = options.tie;
    let dynamics = if model.all_at_once() {
        Dynamics::Synchronous
    } else {
        options.dynamics
    };
    let max_steps = options
        .max_steps
        .unwrap_or_else(|| dynamics.default_max_steps(n));
    // At T > 0 a run takes every step: there is no fixed point to stop at.
    let beta = (options.temperature > 0.0).then(|| 1.0 / options.temperature);
    let gain = model.energy_per_drive();
    let stop = options.stop_at_fixed_point && beta.is_none();

    let mut state = cue.to_vec();
    let mut rec = Recorder::new(options, model.patterns(), &mut run, &state);
    let (mut steps, mut hitting_time, mut updates, mut flips) = (0usize, 0usize, 0u64, 0u64);
    // Known to be a fixed point without asking the model again.
    let mut settled = false;
    let mut cycle = None;

    if dynamics == Dynamics::Synchronous {
        let mut next = vec![0i8; n];
        let mut changes: Vec<(usize, i64)> = Vec::new();
        let mut cycles = Cycles::new(&state, levels, model.longest_cycle(), stop);
        for step in 1..=max_steps {
            if options.cancelled() {
                break;
            }
            let still = match beta {
                None => run.step(&state, &mut next, &mut changes, tie, levels),
                Some(beta) => {
                    for (i, x) in next.iter_mut().enumerate() {
                        *x = heat_bath(gain * run.drive(&state, i), beta, levels, rng);
                    }
                    changes.clear();
                    changed(&state, &next, &mut changes);
                    false
                }
            };
            steps = step;
            updates += n as u64;
            flips += changes.len() as u64;
            if still {
                // A fixed point, for good: the remaining steps would change nothing.
                settled = true;
                rec.snapshot(&mut run, &state);
                if stop {
                    break;
                }
                if !rec.active() {
                    let rest = (max_steps - step) as u64;
                    updates = updates.saturating_add(rest.saturating_mul(n as u64));
                    steps = max_steps;
                    break;
                }
                continue;
            }
            if changes.is_empty() {
                rec.snapshot(&mut run, &state);
                continue;
            }
            hitting_time = step;
            std::mem::swap(&mut state, &mut next);
            run.moved(&state, &changes);
            rec.resync(&mut run, &state);
            rec.snapshot(&mut run, &state);
            if let Some(period) = cycles.visit(step, &next, &state, &changes) {
                cycle = Some(period);
                break;
            }
        }
    } else {
        let sweeps = dynamics != Dynamics::Asynchronous;
        let mut order: Vec<usize> = (0..n).collect();
        let mut since_flip = 0usize;
        let update =
            |i: usize, state: &mut [i8], rec: &mut Recorder, run: &mut M::Run<'_>, rng: &mut R| {
                let old = state[i];
                let drive = run.drive(state, i);
                let new = match beta {
                    None => decide(drive, old, tie, levels),
                    Some(beta) => heat_bath(gain * drive, beta, levels, rng),
                };
                if new == old {
                    return false;
                }
                state[i] = new;
                run.changed(state, i, i64::from(new) - i64::from(old));
                rec.change(i, old, new);
                true
            };
        for step in 1..=max_steps {
            // A recording run does far more than an update per step: look every step.
            if (sweeps || rec.active() || step % 1024 == 0) && options.cancelled() {
                break;
            }
            steps = step;
            if sweeps {
                if dynamics == Dynamics::Sweep {
                    random::shuffle(rng, &mut order);
                }
                let changed = if settled {
                    // A sweep at temperature 0 that changed nothing left a fixed point:
                    // every later sweep visits it unchanged, whatever its order (drawn
                    // all the same, so that the generator ends where it would).
                    0
                } else if beta.is_none() && !options.record.measures {
                    // Nothing to draw or to record neuron by neuron: the run's own pass.
                    run.sweep(&mut state, &order, tie, levels)
                } else {
                    let mut changed = 0u64;
                    for &i in &order {
                        changed += u64::from(update(i, &mut state, &mut rec, &mut run, rng));
                    }
                    changed
                };
                updates += n as u64;
                flips += changed;
                if changed > 0 {
                    hitting_time = step;
                }
                rec.snapshot(&mut run, &state);
                if changed == 0 && beta.is_none() {
                    // Every neuron was visited and none changed: a fixed point.
                    settled = true;
                    if stop {
                        break;
                    }
                }
            } else {
                let i = random::index(rng, n);
                updates += 1;
                if update(i, &mut state, &mut rec, &mut run, rng) {
                    flips += 1;
                    since_flip = 0;
                    hitting_time = step;
                } else {
                    since_flip += 1;
                }
                rec.snapshot(&mut run, &state);
                if stop
                    && since_flip >= n
                    && since_flip.is_multiple_of(n)
                    && run.settled(&state, tie, levels)
                {
                    settled = true;
                    break;
                }
            }
        }
    }

    let converged = cycle.is_none() && (settled || run.settled(&state, tie, levels));
    let dots = run.dots(&state);
    let outcome = Outcome::of_run(cycle, converged, &state, model.patterns(), &dots);
    let trajectory = rec.finish();
    let recall = Recall {
        overlaps: dots.iter().map(|&d| d as f64 / n as f64).collect(),
        energy: run.energy(&state),
        state,
        steps,
        hitting_time,
        updates,
        flips,
        converged,
        outcome,
        trajectory,
    };
    (recall, run)
}
