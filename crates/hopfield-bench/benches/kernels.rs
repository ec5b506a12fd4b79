//! Criterion benches of the kernels: overlaps, one field, a synchronous step and an
//! asynchronous sweep, for the factored and the dense representation, whole synchronous
//! recalls (on bit-packed states where the processor has AVX2 or AVX-512), below and past
//! capacity, one bit-packed step (`packed_step`: overlaps, table look-ups, decisions), one
//! step at α = 0.05 across sizes (`alpha_0.05_step`, for the time per `N·P`), batches on
//! wide layouts (`wide_batch`: several runs per pass over the codes, overlaps counted again
//! from the patterns after each step) and the build of a large network with its wide
//! layout (`wide_build`: patterns drawn into bits, the codes formed from them).
//!
//! The packed build is the one of the level in force: compare the levels with
//! `HOPFIELD_SIMD=avx2 cargo bench -p hopfield-bench -- packed_step` and the same with
//! `HOPFIELD_SIMD=scalar` (the general path) or `avx512`.

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, criterion_group, criterion_main};
use hopfield::generate::random_patterns;
use hopfield::{
    AssociativeMemory, Dynamics, Network, RecallOptions, Representation, Rule, Tie, noise, random,
};
use std::hint::black_box;

fn network(n: usize, p: usize, repr: Representation) -> (Network, Vec<i8>) {
    let x = random_patterns(p, n, 0.5, &mut random::seeded(1)).expect("valid sizes");
    let net = Network::train(&x, &Rule::hebb(), repr).expect("trains");
    let cue = noise::flip_fraction(x.get(0).expect("one pattern"), 0.1, &mut random::seeded(2))
        .expect("valid fraction");
    (net, cue)
}

/// A bench group `name` of one synchronous step of a Hebbian network of each size
/// `(N, P)`, from the first pattern with a fraction `noise` of its bits flipped.
fn one_step(
    c: &mut Criterion,
    name: &str,
    samples: usize,
    sizes: &[(usize, usize)],
    noise: f64,
    seed: u64,
) {
    let mut g = c.benchmark_group(name);
    g.sample_size(samples);
    for &(n, p) in sizes {
        let x = random_patterns(p, n, 0.5, &mut random::seeded(seed)).expect("valid sizes");
        let net = Network::train(&x, &Rule::hebb(), Representation::Factored).expect("trains");
        let first = x.get(0).expect("one pattern");
        let cue = noise::flip_fraction(first, noise, &mut random::seeded(seed + 1))
            .expect("valid fraction");
        let options = single_step(Dynamics::Synchronous);
        bench_recall(&mut g, format!("N{n}_P{p}"), &net, &cue, &options);
    }
    g.finish();
}

/// Options for exactly one step of `dynamics`, ties sent to −1.
fn single_step(dynamics: Dynamics) -> RecallOptions {
    RecallOptions::new(dynamics)
        .tie(Tie::Minus)
        .max_steps(1)
        .run_to_max()
}

/// A bench `id` in group `g` of the recall of `cue` with `options`, each run seeded alike.
fn bench_recall(
    g: &mut BenchmarkGroup<'_, WallTime>,
    id: String,
    net: &Network,
    cue: &[i8],
    options: &RecallOptions,
) {
    g.bench_function(id, |b| {
        b.iter(|| {
            black_box(
                net.recall(cue, options, &mut random::seeded(3))
                    .expect("runs"),
            )
        })
    });
}

fn kernels(c: &mut Criterion) {
    let mut g = c.benchmark_group("overlaps");
    for (n, p) in [(1000, 50), (10_000, 50), (100_000, 100)] {
        let (net, cue) = network(n, p, Representation::Factored);
        g.bench_with_input(
            BenchmarkId::from_parameter(format!("N{n}_P{p}")),
            &cue,
            |b, cue| b.iter(|| black_box(net.overlaps(cue).expect("valid state"))),
        );
    }
    g.finish();

    let mut g = c.benchmark_group("field");
    for repr in [Representation::Factored, Representation::Dense] {
        let (net, cue) = network(2000, 100, repr);
        g.bench_function(format!("{repr:?}_N2000_P100"), |b| {
            b.iter(|| black_box(net.weights().field(&cue, 7)))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("sync_step");
    g.sample_size(20);
    for (n, p, repr) in [
        (10_000, 2, Representation::Factored),
        (10_000, 2, Representation::Dense),
        (10_000, 100, Representation::Factored),
        (2000, 400, Representation::Dense),
    ] {
        let (net, cue) = network(n, p, repr);
        let mut h = vec![0.0; n];
        g.bench_function(format!("{repr:?}_N{n}_P{p}"), |b| {
            b.iter(|| {
                net.weights().fields(&cue, &mut h);
                black_box(&h);
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group("sync_recall");
    g.sample_size(20);
    for (n, p) in [(1000, 100), (1000, 200), (10_000, 100)] {
        let (net, cue) = network(n, p, Representation::Auto);
        let options = RecallOptions::new(Dynamics::Synchronous)
            .tie(Tie::Minus)
            .max_steps(50);
        bench_recall(&mut g, format!("N{n}_P{p}"), &net, &cue, &options);
    }
    g.finish();

    // One synchronous step from a cue far from every pattern (a third of its bits flipped),
    // so that the step goes through the look-ups rather than the distances.
    one_step(
        c,
        "packed_step",
        30,
        &[(1000, 60), (1000, 200), (4000, 200), (10_000, 60)],
        0.3,
        5,
    );
    // One step at α = 0.05 from 10 % noise, across sizes from 10³ to 10⁵: the time per N·P
    // should not jump where 16-bit sums stop serving (N ≈ 7 000) and the wide layouts take
    // over.
    let sizes: Vec<(usize, usize)> = [1000, 4000, 10_000, 30_000, 100_000]
        .iter()
        .map(|&n| (n, n / 20))
        .collect();
    one_step(c, "alpha_0.05_step", 10, &sizes, 0.1, 7);

    // Wide layouts (32-bit fields, E's sizes): batches of cues from 10 % noise to a fixed
    // point, up to four runs stepped per pass over the look-up codes and overlaps updated
    // from each step's changes; one cue alone for the single-run step.
    let mut g = c.benchmark_group("wide_batch");
    g.sample_size(10);
    let (n, p) = (100_000, 1000);
    let x = random_patterns(p, n, 0.5, &mut random::seeded(9)).expect("valid sizes");
    let net = Network::train(&x, &Rule::hebb(), Representation::Factored).expect("trains");
    for count in [1, 4, 8] {
        let mut rng = random::seeded(10);
        let cues: Vec<Vec<i8>> = (0..count)
            .map(|k| noise::flip_each(x.get(k).expect("a pattern"), 0.1, &mut rng).expect("valid"))
            .collect();
        let options = RecallOptions::new(Dynamics::Synchronous)
            .tie(Tie::Minus)
            .max_steps(20);
        g.bench_function(format!("N{n}_P{p}_cues{count}"), |b| {
            b.iter(|| black_box(net.recall_batch(&cues, &options, 11).expect("runs")))
        });
    }
    g.finish();

    // Building a large network and its wide layout: patterns drawn into bit words, the
    // couplings (sharing the bits), the look-up codes (formed from the bits by the first
    // step).
    let mut g = c.benchmark_group("wide_build");
    g.sample_size(10);
    for (n, p) in [(100_000, 1000), (30_000, 1500)] {
        let options = RecallOptions::new(Dynamics::Synchronous)
            .tie(Tie::Minus)
            .max_steps(1);
        g.bench_function(format!("N{n}_P{p}"), |b| {
            b.iter(|| {
                let x = random_patterns(p, n, 0.5, &mut random::seeded(12)).expect("valid");
                let net =
                    Network::train(&x, &Rule::hebb(), Representation::Factored).expect("trains");
                let cue = x.get(0).expect("a pattern");
                black_box(
                    net.recall(cue, &options, &mut random::seeded(3))
                        .expect("runs"),
                )
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group("async_sweep");
    g.sample_size(20);
    for (n, p, repr) in [
        (10_000, 50, Representation::Factored),
        (2000, 50, Representation::Dense),
    ] {
        let (net, cue) = network(n, p, repr);
        let options = single_step(Dynamics::Sweep);
        bench_recall(&mut g, format!("{repr:?}_N{n}_P{p}"), &net, &cue, &options);
    }
    g.finish();
}

criterion_group!(benches, kernels);
criterion_main!(benches);
