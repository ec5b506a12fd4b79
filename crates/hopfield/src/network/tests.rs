//! The classical network under every dynamics: recalls, cycles, records, options and the
//! paths of the fields, each against its definition.

use std::sync::Arc;

use super::run::Fields;
use super::*;
use crate::dynamics::Dynamical;
use crate::generate::{page, random_patterns};
use crate::kernel::bits::BitMatrix;
use crate::random::{self, seeded};
use crate::rule::{Hebb, Normalization};
use crate::weights::Weights;
use crate::{Dynamics, Outcome, Patterns, noise};

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

#[cfg(feature = "rayon")]
#[test]
fn batches_do_not_depend_on_threads() {
    let p = random_patterns(10, 200, 0.5, &mut seeded(11)).unwrap();
    let net = Network::from_patterns(&p, &Rule::hebb()).unwrap();
    let cues: Vec<Vec<i8>> = (0..16)
        .map(|k| noise::flip_fraction(p.get(k % 10).unwrap(), 0.2, &mut seeded(k as u64)).unwrap())
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
            Hebb::new(Normalization::None).into(),
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

/// Runs both paths on the same cues, asserting equal results; returns how many runs the
/// bit-packed path took from start to end.
fn agree(net: &Network, cues: &[Vec<i8>], options: &RecallOptions) -> usize {
    let mut packed_runs = 0;
    for (k, cue) in cues.iter().enumerate() {
        let reference = dynamics::run(&Fields(net), cue, options, &mut seeded(0));
        let start = Dynamical::start(net, cue, options);
        let (r, run) = dynamics::run_from(net, start, cue, options, &mut seeded(0));
        assert_eq!(r, reference, "cue {k}, {options:?}");
        packed_runs += usize::from(run.is_packed());
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
                Network::train(&x, &Rule::from(Hebb::new(Normalization::None)), repr).unwrap(),
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
    // At avx2 and avx512 (where the processor has them) every run is a packed run.
    let x86 = cfg!(target_arch = "x86_64");
    let level = crate::simd::active();
    assert_eq!(
        crate::kernel::packed::available(),
        x86 && level >= crate::simd::Level::Avx2
    );
    if crate::kernel::packed::available() {
        assert_eq!(
            taken, cases,
            "every run should take the packed path at {level}"
        );
    } else {
        assert_eq!(taken, 0, "no packed run at {level}");
    }
}

/// A Hebbian network shares its patterns' bits with its couplings, and neither training
/// nor a synchronous batch forms the patterns' values.
#[test]
fn hebbian_networks_keep_their_patterns_as_bits() {
    let x = random_patterns(30, 50_000, 0.5, &mut seeded(3)).unwrap();
    let net = Network::train(&x, &Rule::hebb(), Representation::Factored).unwrap();
    let bits = net.patterns().unwrap().bits();
    assert!(Arc::ptr_eq(bits, x.bits()));
    assert!(Arc::ptr_eq(bits, net.weights().vector_bits().unwrap()));
    let c: Vec<Vec<i8>> = (0..3)
        .map(|k| noise::flip_each(x.get(k).unwrap(), 0.1, &mut seeded(4)).unwrap())
        .collect();
    let options = RecallOptions::new(Dynamics::Synchronous).max_steps(20);
    let batch = net.recall_batch(&c, &options, 5).unwrap();
    for (k, r) in batch.iter().enumerate() {
        assert_eq!(r.outcome, Outcome::Recalled { pattern: k });
    }
    assert!(
        !x.values_formed(),
        "the values of every pattern were formed"
    );
    assert_eq!(
        net,
        Network::train(&x, &Rule::hebb(), Representation::Factored).unwrap()
    );
}

/// Batches on wide layouts step several runs per pass over the layout: every result is
/// the general path's, cue by cue with the cue's own random stream, for every tie rule and
/// step limit and whatever the number of threads; among the runs some end in two-cycles
/// and some at the step limit.
#[test]
fn wide_batches_equal_general_runs() {
    let (mut cycles, mut cut) = (0, 0);
    for (n, p, noise_level) in [
        (600, 3000, 0.2),
        (8000, 400, 0.1),
        (40_000, 7, 0.3),
        (33_000, 1, 0.4),
    ] {
        let x = random_patterns(p, n, 0.5, &mut seeded(n as u64)).unwrap();
        let net = Network::train(&x, &Rule::hebb(), Representation::Factored).unwrap();
        if crate::kernel::packed::available() {
            assert!(net.weights().packed().unwrap().is_wide(), "N {n}, P {p}");
        }
        let mut rng = seeded(p as u64);
        let mut c: Vec<Vec<i8>> = (0..9)
            .map(|k| noise::flip_each(x.get(k % p).unwrap(), noise_level, &mut rng).unwrap())
            .collect();
        c.push((0..n).map(|_| random::sign(&mut rng)).collect());
        for (tie, steps) in [(Tie::Minus, 60), (Tie::Plus, 1), (Tie::Keep, 3)] {
            for options in [
                RecallOptions::new(Dynamics::Synchronous)
                    .tie(tie)
                    .max_steps(steps),
                RecallOptions::new(Dynamics::Synchronous)
                    .tie(tie)
                    .max_steps(steps)
                    .run_to_max(),
            ] {
                let batch = net.recall_batch(&c, &options, 21).unwrap();
                let planned = super::run::batch(&net, &c, &options, 21);
                assert_eq!(planned.is_some(), crate::kernel::packed::available());
                for (k, (cue, r)) in c.iter().zip(&batch).enumerate() {
                    let mut rng = random::stream(21, k as u64);
                    let reference = dynamics::run(&Fields(&net), cue, &options, &mut rng);
                    assert_eq!(*r, reference, "N {n}, P {p}, cue {k}, {options:?}");
                    cycles += usize::from(matches!(r.outcome, Outcome::Cycle { .. }));
                    cut += usize::from(!r.converged && r.steps == steps);
                }
                for threads in [1, 3] {
                    let pool = rayon::ThreadPoolBuilder::new()
                        .num_threads(threads)
                        .build()
                        .unwrap();
                    let other = pool.install(|| net.recall_batch(&c, &options, 21).unwrap());
                    assert_eq!(other, batch, "N {n}, P {p}, {threads} threads, {options:?}");
                }
            }
        }
    }
    assert!(
        cycles > 0 && cut > 0,
        "{cycles} cycles, {cut} runs cut short"
    );
}

#[test]
fn larger_networks_agree_too() {
    // More than 255 patterns (no distances; more than one batch of tables held in
    // registers) and a wider network, near and past capacity. At α = 0.17 the states
    // after one step overlap too much with too many patterns for 16-bit sums: those
    // runs go back to the general path, with the same results. Larger networks take
    // wide layouts from the start.
    for (n, p, noise_level, packed) in [
        (3000, 300, 0.1, true),
        (3000, 500, 0.2, false),
        (5000, 40, 0.3, true),
        // Wide layouts (32-bit fields): a typical state's overlaps leave 16 bits.
        (8000, 400, 0.1, true),
        (12_000, 20, 0.3, true),
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
    let run = |net: &Network, cue: &[i8], options: &RecallOptions| {
        Dynamical::start(net, cue, options)
            .is_packed()
            .then_some(())
    };
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
    assert_eq!(
        run(&net, &cue, &sync).is_some(),
        crate::kernel::packed::available()
    );
}

#[test]
fn states_and_thresholds_are_checked() {
    let p = Patterns::from_rows(vec![vec![1, -1, 1]]).unwrap();
    let net = Network::from_patterns(&p, &Rule::hebb()).unwrap();
    assert_eq!(
        net.energy(&[1, 1]).unwrap_err().to_string(),
        "state has 2 values, expected 3"
    );
    assert_eq!(
        net.energy(&[1, 3, 1]).unwrap_err().to_string(),
        "state, neuron 1: value 3 is not between -2 and 2"
    );
    assert!(
        net.clone()
            .with_threshold(Threshold::PerNeuron(vec![0.0; 2]))
            .is_err()
    );
    assert!(
        net.clone()
            .with_threshold(Threshold::Uniform(f64::NAN))
            .is_err()
    );
    let bin = net.with_activation(Activation::Binary);
    assert!(bin.energy(&[1, -1, 1]).is_err());
    assert!(bin.energy(&[1, 0, 1]).is_ok());
}

#[test]
fn energy_matches_its_definition() {
    let p = Patterns::from_rows(vec![vec![1, -1, 1, 1], vec![1, 1, -1, 1]]).unwrap();
    let net = Network::from_patterns(&p, &Rule::hebb())
        .unwrap()
        .with_threshold(Threshold::PerNeuron(vec![0.1, -0.2, 0.0, 0.3]))
        .unwrap();
    let s = [1i8, 1, 1, -1];
    let mut e = 0.0;
    for i in 0..4 {
        for j in 0..4 {
            e -= 0.5 * net.weights().get(i, j) * f64::from(s[i] * s[j]);
        }
        e += net.threshold().at(i) * f64::from(s[i]);
    }
    assert!((net.energy(&s).unwrap() - e).abs() < 1e-12);
}

/// Storing and forgetting patterns gives the network built from scratch on the patterns
/// kept, for every rule that learns online, in every representation, diluted or with a
/// threshold of the user's; the other rules refuse with the way out.
#[test]
fn storing_and_forgetting_equal_a_network_built_from_scratch() {
    use crate::rule::{Covariance, Outer01, Perceptron, PseudoInverse, Storkey};
    let p = random_patterns(8, 64, 0.4, &mut seeded(21)).unwrap();
    let first = p.select(&[0, 1, 2, 3, 4]).unwrap();
    let more = p.select(&[5, 6, 7]).unwrap();
    let rest = p.select(&[0, 1, 3, 4, 5, 6, 7]).unwrap();
    let rules: Vec<Rule> = vec![
        Rule::hebb(),
        Outer01::default().into(),
        Storkey::default().into(),
        Covariance::new(None).into(),
        Covariance::new(Some(0.4)).into(),
    ];
    for rule in &rules {
        for repr in [
            Representation::Auto,
            Representation::Dense,
            Representation::Factored,
        ] {
            let Ok(mut net) = Network::train(&first, rule, repr) else {
                continue; // a dense-only rule asked for the factored form
            };
            net.store(&more).unwrap();
            assert_eq!(
                net,
                Network::train(&p, rule, repr).unwrap(),
                "{rule} {repr:?}"
            );
            assert_eq!(net.forget(2).unwrap(), p.get(2).unwrap());
            assert_eq!(
                net,
                Network::train(&rest, rule, repr).unwrap(),
                "{rule} {repr:?}"
            );
        }
        let dilution = Dilution::new(0.5, 3);
        let theta = Threshold::Uniform(0.25);
        let mut net = Network::from_patterns(&first, rule)
            .unwrap()
            .diluted(&dilution)
            .unwrap()
            .with_threshold(theta.clone())
            .unwrap();
        net.store(&more).unwrap();
        let fresh = Network::from_patterns(&p, rule)
            .unwrap()
            .diluted(&dilution)
            .unwrap()
            .with_threshold(theta.clone())
            .unwrap();
        assert_eq!(net, fresh, "{rule}, diluted");
    }
    for rule in [
        Rule::from(PseudoInverse::default()),
        Perceptron::default().kappa(0.1).into(),
    ] {
        let mut net = Network::from_patterns(&first, &rule).unwrap();
        let e = net.store(&more).unwrap_err().to_string();
        assert!(e.contains("cannot store patterns one by one"), "{e}");
        assert!(
            e.ends_with("build a new network from all the patterns"),
            "{e}"
        );
        assert!(net.forget(0).is_err());
        assert_eq!(net, Network::from_patterns(&first, &rule).unwrap());
    }
    let mut single = Network::from_patterns(&p.select(&[0]).unwrap(), &Rule::hebb()).unwrap();
    assert!(
        single
            .forget(0)
            .unwrap_err()
            .to_string()
            .contains("only stored pattern")
    );
    assert!(single.forget(3).is_err());
    let mut bare = Network::new(Weights::uniform(5, &mut seeded(1)).unwrap());
    assert!(bare.store(&p.select(&[0]).unwrap()).is_err());
    let short = random_patterns(1, 10, 0.5, &mut seeded(2)).unwrap();
    let mut net = Network::from_patterns(&first, &Rule::hebb()).unwrap();
    assert_eq!(
        net.store(&short).unwrap_err().to_string(),
        "patterns to store has 10 values, expected 64"
    );
}

/// Sweeps past a fixed point change nothing and still draw their orders: a run to the step
/// limit ends as the definition does (every neuron of every sweep decided from its field,
/// in a freshly shuffled order), with its counts, and leaves the generator where the
/// definition leaves it.
#[test]
fn sweeps_past_a_fixed_point_draw_their_orders() {
    let (p, n, sweeps) = (12, 150, 9);
    let x = random_patterns(p, n, 0.5, &mut seeded(11)).unwrap();
    for repr in [Representation::Dense, Representation::Factored] {
        let net = Network::train(&x, &Rule::hebb(), repr).unwrap();
        let w = net.weights();
        for (k, dynamics) in [Dynamics::Sweep, Dynamics::Sequential]
            .into_iter()
            .enumerate()
        {
            let cue = noise::flip(x.get(k).unwrap(), 45, &mut seeded(12)).unwrap();
            let options = RecallOptions::new(dynamics)
                .tie(Tie::Minus)
                .max_steps(sweeps)
                .run_to_max();
            let mut rng = seeded(13);
            let r = net.recall(&cue, &options, &mut rng).unwrap();
            // The definition.
            let mut reference = seeded(13);
            let mut s = cue.clone();
            let mut order: Vec<usize> = (0..n).collect();
            let (mut flips, mut last_change) = (0, 0);
            for sweep in 1..=sweeps {
                if dynamics == Dynamics::Sweep {
                    random::shuffle(&mut reference, &mut order);
                }
                for &i in &order {
                    let h: f64 = (0..n).map(|j| w.get(i, j) * f64::from(s[j])).sum();
                    let new = if h > 0.0 { 1 } else { -1 };
                    if new != s[i] {
                        s[i] = new;
                        flips += 1;
                        last_change = sweep;
                    }
                }
            }
            assert!(
                (2..sweeps - 1).contains(&last_change),
                "{dynamics}: settles after a sweep or more of changes ({last_change})"
            );
            assert_eq!(r.state, s, "{dynamics} {repr:?}");
            assert_eq!(r.flips, flips);
            assert_eq!(r.hitting_time, last_change);
            assert_eq!((r.steps, r.updates), (sweeps, (sweeps * n) as u64));
            assert!(r.converged);
            assert_eq!(
                rng.next_u64(),
                reference.next_u64(),
                "{dynamics}: the generator"
            );
            // Runs cut off before the sweep that would see the fixed point: converged when
            // every neuron's field agrees with its value, by the definition.
            for steps in [last_change - 1, last_change] {
                let options = options.clone().max_steps(steps);
                let r = net.recall(&cue, &options, &mut seeded(13)).unwrap();
                let fixed = (0..n).all(|i| {
                    let h: f64 = (0..n).map(|j| w.get(i, j) * f64::from(r.state[j])).sum();
                    (if h > 0.0 { 1 } else { -1 }) == r.state[i]
                });
                assert_eq!(r.converged, fixed, "{dynamics}, {steps} sweeps");
                assert_eq!(fixed, steps == last_change);
            }
        }
    }
}
