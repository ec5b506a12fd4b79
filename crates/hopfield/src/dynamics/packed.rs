//! Synchronous dynamics of Hebbian couplings on bit-packed states.
//!
//! When the couplings are `W = c (Σ_μ ξ^μ ξ^μᵀ − D·I)` with `c > 0` (Hebb's rule, factored
//! or dense), the neurons ±1, the threshold zero and nothing is recorded per step, a run
//! never forms a field: each step computes the overlaps and the new state from them in
//! one pass (see [`crate::kernel::packed`]). The result is the general path's, field for
//! field: same states, steps, flips, outcome, overlaps and energy.
//!
//! Cycles need no fingerprints here: with symmetric couplings and the ties resolved as a
//! fixed rule, synchronous dynamics end in a fixed point or a cycle of period two
//! (Goles, Fogelman-Soulié and Pellegrin 1985; Poljak and Sůra 1983). A tie rule is a
//! threshold of ±½ on the integer field, or (`keep`) a self-coupling of ½, both of which
//! keep the couplings symmetric. So the first repeated state is the one two steps back.

use std::sync::Arc;

use super::{Dynamics, Recall, RecallOptions};
use crate::kernel::bits::bipolar_bits;
use crate::kernel::packed::{Scratch, few};
use crate::network::{Activation, Network, Threshold};
use crate::outcome::Outcome;

/// Steps with few changes between reports to [`crate::kernel::packed::Packed::columns`].
const REPORT: u64 = 16;

/// The run of [`super::run`] when the couplings and options allow it; `None` otherwise
/// (and when a state's overlaps are too large for the 16-bit sums), leaving the run to the
/// general path.
pub(super) fn run(net: &Network, cue: &[i8], options: &RecallOptions) -> Option<Recall> {
    if options.dynamics != Dynamics::Synchronous
        || options.temperature > 0.0
        || options.record.states
        || options.record.measures
        || net.activation() != Activation::Bipolar
        || !matches!(net.threshold(), Threshold::Uniform(t) if *t == 0.0)
    {
        return None;
    }
    let weights = net.weights();
    let packed = weights.packed()?;
    let n = net.n();
    let mut cur = bipolar_bits(cue)?;
    let words = packed.words();
    let mut next = vec![0u64; words];
    // The state two steps back, to find cycles of period two.
    let mut back = vec![0u64; words];
    let mut scratch = packed.scratch();
    let max_steps = options
        .max_steps
        .unwrap_or_else(|| options.dynamics.default_max_steps(n));
    let stop = options.stop_at_fixed_point;

    let mut steps = 0usize;
    let mut hitting_time = 0usize;
    let mut flips = 0u64;
    let mut settled = false;
    let mut cycle = None;
    // The overlaps in the scratch space are those of the state: none yet.
    let mut fresh = true;
    // Through the distances once they pay (see `Packed::columns`): the fields in the
    // scratch space are then those of the state before `cur`.
    let mut columns = None;
    let mut unreported = 0u64;
    let decide = |cur: &[u64],
                  next: &mut [u64],
                  scratch: &mut Scratch,
                  fresh: &mut bool,
                  columns: Option<&[u8]>|
     -> Option<u64> {
        if let Some(w) = columns {
            return Some(packed.column_step(w, cur, scratch, options.tie, next));
        }
        let in_range = if *fresh {
            packed.overlaps(cur, scratch)
        } else {
            packed.update_overlaps(cur, scratch)
        };
        *fresh = false;
        in_range.then(|| packed.step(cur, scratch, options.tie, next))
    };
    for step in 1..=max_steps {
        if options.cancelled() {
            break;
        }
        let changed = decide(&cur, &mut next, &mut scratch, &mut fresh, columns)?;
        steps = step;
        flips += changed;
        if changed == 0 {
            // A fixed point, for good: the remaining steps would change nothing either.
            settled = true;
            if !stop {
                steps = max_steps;
            }
            break;
        }
        hitting_time = step;
        if columns.is_none() && few(changed as usize, n) {
            unreported += 1;
            let report = if unreported == REPORT { unreported } else { 0 };
            columns = packed.columns(report);
            unreported %= REPORT;
            if columns.is_some() {
                packed.fields_for_columns(&cur, &mut scratch);
            }
        }
        let repeated = stop && step >= 2 && next == back;
        std::mem::swap(&mut back, &mut cur);
        std::mem::swap(&mut cur, &mut next);
        if repeated {
            cycle = Some(2);
            break;
        }
    }
    let converged = settled
        || (cycle.is_none() && decide(&cur, &mut next, &mut scratch, &mut fresh, columns)? == 0);
    let m = packed.final_overlaps(&cur, &mut scratch);

    let state = packed.unpack(&cur);
    let shared = match (net.pattern_bits(), weights.vector_bits()) {
        (Some(a), Some(b)) => Arc::ptr_eq(a, b),
        _ => false,
    };
    let dots: Vec<i64> = if shared {
        m.iter().map(|&x| i64::from(x)).collect()
    } else {
        net.dots(&state)
    };
    let outcome = Outcome::of_run(cycle, converged, &state, net.patterns(), &dots);
    let overlaps = dots.iter().map(|&d| d as f64 / n as f64).collect();
    // Sᵀ W_int S = Σ_i S_i (Σ_μ ξ^μ_i m_μ − D S_i) = Σ_μ m_μ² − D·N.
    let q: i64 =
        m.iter().map(|&x| i64::from(x) * i64::from(x)).sum::<i64>() - packed.diagonal() * n as i64;
    let energy = -0.5 * (weights.scale() * q as f64) + net.threshold().dot(&state);
    Some(Recall {
        state,
        steps,
        hitting_time,
        updates: steps as u64 * n as u64,
        flips,
        converged,
        outcome,
        overlaps,
        energy,
        trajectory: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamics::{Tie, general};
    use crate::generate::random_patterns;
    use crate::kernel::bits::BitMatrix;
    use crate::random::seeded;
    use crate::rule::{Normalization, Rule};
    use crate::weights::{Representation, Weights};
    use crate::{Patterns, noise};

    /// Runs both paths on the same cues; returns how many runs the packed path took.
    fn agree(net: &Network, cues: &[Vec<i8>], options: &RecallOptions) -> usize {
        let mut packed_runs = 0;
        for (k, cue) in cues.iter().enumerate() {
            let reference = general(net, cue, options, &mut seeded(0));
            if let Some(r) = run(net, cue, options) {
                assert_eq!(r, reference, "cue {k}, {options:?}");
                packed_runs += 1;
            }
        }
        packed_runs
    }

    fn cues(x: &Patterns, noise_level: f64, seed: u64) -> Vec<Vec<i8>> {
        let mut rng = seeded(seed);
        x.iter()
            .map(|xi| noise::flip_each(xi, noise_level, &mut rng).unwrap())
            .collect()
    }

    #[test]
    fn packed_runs_equal_general_runs() {
        let mut taken = 0;
        let mut cases = 0;
        // Sizes around the block and word edges, loads on both sides of capacity, every tie
        // rule, both representations, with and without the diagonal, and the dense
        // matrix before and after it is formed (column updates).
        for (n, p) in [
            (2, 1),
            (31, 3),
            (64, 5),
            (65, 9),
            (200, 30),
            (333, 60),
            (1000, 180),
        ] {
            let x = random_patterns(p, n, 0.5, &mut seeded((n * 1000 + p) as u64)).unwrap();
            for repr in [Representation::Dense, Representation::Factored] {
                let bits = Arc::new(BitMatrix::from_positive(p, n, x.as_flat()));
                // The diagonal kept (`D = 0`), without patterns to compare with.
                let kept = Weights::outer(bits, false, 1.0, false, repr).unwrap();
                for net in [
                    Network::train(&x, &Rule::hebb(), repr).unwrap(),
                    Network::train(
                        &x,
                        &Rule::hebb().with_normalization(Normalization::None),
                        repr,
                    )
                    .unwrap(),
                    Network::new(kept),
                ] {
                    for formed in [false, true] {
                        if formed {
                            // Report enough steps for the matrix to pay at once.
                            net.weights().packed().map(|k| k.columns(u64::MAX / 4));
                        }
                        for tie in [Tie::Minus, Tie::Plus, Tie::Keep] {
                            for noise_level in [0.1, 0.4] {
                                let options = RecallOptions::new(Dynamics::Synchronous)
                                    .tie(tie)
                                    .max_steps(40);
                                let c = cues(&x, noise_level, n as u64);
                                taken += agree(&net, &c, &options);
                                taken += agree(&net, &c, &options.clone().max_steps(1));
                                taken += agree(&net, &c, &options.clone().run_to_max());
                                cases += 3 * c.len();
                            }
                        }
                    }
                }
            }
        }
        if crate::kernel::packed::available() {
            assert_eq!(taken, cases, "every run should take the packed path");
        }
    }

    #[test]
    fn larger_networks_agree_too() {
        // More than 255 patterns (no distances; more than one batch of tables held in
        // registers) and a wider network, near and past capacity. At α = 0.17 the states
        // after one step overlap too much with too many patterns for 16-bit sums: those
        // runs go back to the general path, with the same results.
        for (n, p, noise_level, packed) in [
            (3000, 300, 0.1, true),
            (3000, 500, 0.2, false),
            (5000, 40, 0.3, true),
        ] {
            let x = random_patterns(p, n, 0.5, &mut seeded(p as u64)).unwrap();
            let net = Network::train(&x, &Rule::hebb(), Representation::Factored).unwrap();
            net.weights().packed().map(|k| k.columns(u64::MAX / 4));
            let c: Vec<Vec<i8>> = cues(&x, noise_level, 12).into_iter().take(12).collect();
            let options = RecallOptions::new(Dynamics::Synchronous).max_steps(30);
            let taken = agree(&net, &c, &options);
            if packed && crate::kernel::packed::available() {
                assert_eq!(taken, c.len(), "N {n}, P {p}");
            }
        }
    }

    #[test]
    fn column_updates_take_over_long_runs() {
        // Past capacity runs drift for many steps with few changes: a batch forms the
        // dense matrix on its way and finishes through it, with the general path's results.
        let x = random_patterns(200, 1000, 0.5, &mut seeded(8)).unwrap();
        let net = Network::train(&x, &Rule::hebb(), Representation::Dense).unwrap();
        let options = RecallOptions::new(Dynamics::Synchronous).max_steps(50);
        let c = cues(&x, 0.1, 9);
        let formed = || net.weights().packed().and_then(|k| k.columns(0)).is_some();
        assert!(!formed(), "formed before any run");
        agree(&net, &c, &options);
        if crate::kernel::packed::available() {
            assert!(formed(), "never formed");
        }
    }

    #[test]
    fn batches_form_what_they_need_on_their_threads() {
        // The distances (synchronous runs past capacity) and the dense matrix (sweeps) are
        // formed on first use inside a parallel batch, whose threads must not wait on
        // themselves; the results are those of runs one by one.
        let x = random_patterns(200, 1000, 0.5, &mut seeded(10)).unwrap();
        let c = cues(&x, 0.1, 11);
        for options in [
            RecallOptions::new(Dynamics::Synchronous).max_steps(50),
            RecallOptions::new(Dynamics::Sweep).max_steps(5),
        ] {
            let net = Network::train(&x, &Rule::hebb(), Representation::Dense).unwrap();
            let batch = net.recall_batch(&c, &options, 3).unwrap();
            let fresh = Network::train(&x, &Rule::hebb(), Representation::Dense).unwrap();
            for (k, (cue, r)) in c.iter().zip(&batch).enumerate() {
                let one = fresh
                    .recall(cue, &options, &mut crate::random::stream(3, k as u64))
                    .unwrap();
                assert_eq!(*r, one, "cue {k}, {options:?}");
            }
        }
    }

    #[test]
    fn cycles_of_period_two_are_found() {
        // Past capacity many cues end in two-cycles; both paths must report them alike.
        let x = random_patterns(40, 100, 0.5, &mut seeded(4)).unwrap();
        let net = Network::train(&x, &Rule::hebb(), Representation::Factored).unwrap();
        let options = RecallOptions::new(Dynamics::Synchronous).max_steps(100);
        let c = cues(&x, 0.3, 5);
        agree(&net, &c, &options);
        let cycles = c
            .iter()
            .filter(|cue| {
                matches!(
                    net.recall(cue, &options, &mut seeded(0)).unwrap().outcome,
                    Outcome::Cycle { period: 2 }
                )
            })
            .count();
        assert!(cycles > 0, "no cycle among {} cues", c.len());
    }

    #[test]
    fn other_settings_take_the_general_path() {
        let x = random_patterns(3, 50, 0.5, &mut seeded(1)).unwrap();
        let net = Network::from_patterns(&x, &Rule::hebb()).unwrap();
        let cue = x.get(0).unwrap().to_vec();
        let sync = RecallOptions::new(Dynamics::Synchronous);
        assert!(run(&net, &cue, &RecallOptions::new(Dynamics::Sweep)).is_none());
        assert!(run(&net, &cue, &sync.clone().record_all(None)).is_none());
        let mut half = cue.clone();
        half[3] = 0;
        assert!(run(&net, &half, &sync).is_none());
        let shifted = net.clone().with_threshold(Threshold::Uniform(0.5)).unwrap();
        assert!(run(&shifted, &cue, &sync).is_none());
        let storkey = Network::from_patterns(&x, &Rule::storkey()).unwrap();
        assert!(run(&storkey, &cue, &sync).is_none());
    }
}
