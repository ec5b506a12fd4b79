//! Criterion benches of the kernels: overlaps, one field, a synchronous step and an
//! asynchronous sweep, for the factored and the dense representation, whole synchronous
//! recalls (on bit-packed states where the processor has AVX2 or AVX-512), below and past
//! capacity, one bit-packed step (`packed_step`: overlaps, table look-ups, decisions), and
//! one step at α = 0.05 across sizes (`alpha_0.05_step`, for the time per `N·P`).
//!
//! The packed build is the one of the level in force: compare the levels with
//! `HOPFIELD_SIMD=avx2 cargo bench -p hopfield-bench -- packed_step` and the same with
//! `HOPFIELD_SIMD=scalar` (the general path) or `avx512`.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
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
        g.bench_function(format!("N{n}_P{p}"), |b| {
            b.iter(|| {
                black_box(
                    net.recall(&cue, &options, &mut random::seeded(3))
                        .expect("runs"),
                )
            })
        });
    }
    g.finish();

    // One synchronous step from a cue far from every pattern (a third of its bits flipped),
    // so that the step goes through the look-ups rather than the distances.
    let mut g = c.benchmark_group("packed_step");
    g.sample_size(30);
    for (n, p) in [(1000, 60), (1000, 200), (4000, 200), (10_000, 60)] {
        let x = random_patterns(p, n, 0.5, &mut random::seeded(5)).expect("valid sizes");
        let net = Network::train(&x, &Rule::hebb(), Representation::Factored).expect("trains");
        let cue = noise::flip_fraction(x.get(0).expect("one pattern"), 0.3, &mut random::seeded(6))
            .expect("valid fraction");
        let options = RecallOptions::new(Dynamics::Synchronous)
            .tie(Tie::Minus)
            .max_steps(1)
            .run_to_max();
        g.bench_function(format!("N{n}_P{p}"), |b| {
            b.iter(|| {
                black_box(
                    net.recall(&cue, &options, &mut random::seeded(3))
                        .expect("runs"),
                )
            })
        });
    }
    g.finish();

    // One step at α = 0.05 from 10 % noise, across sizes: the time per N·P should not jump
    // where 16-bit sums stop serving (N ≈ 7 000) and the wide layouts take over.
    let mut g = c.benchmark_group("alpha_0.05_step");
    g.sample_size(10);
    for n in [1000, 4000, 10_000, 30_000] {
        let p = n / 20;
        let x = random_patterns(p, n, 0.5, &mut random::seeded(7)).expect("valid sizes");
        let net = Network::train(&x, &Rule::hebb(), Representation::Factored).expect("trains");
        let cue = noise::flip_fraction(x.get(0).expect("one pattern"), 0.1, &mut random::seeded(8))
            .expect("valid fraction");
        let options = RecallOptions::new(Dynamics::Synchronous)
            .tie(Tie::Minus)
            .max_steps(1)
            .run_to_max();
        g.bench_function(format!("N{n}_P{p}"), |b| {
            b.iter(|| {
                black_box(
                    net.recall(&cue, &options, &mut random::seeded(3))
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
        let options = RecallOptions::new(Dynamics::Sweep)
            .tie(Tie::Minus)
            .max_steps(1)
            .run_to_max();
        g.bench_function(format!("{repr:?}_N{n}_P{p}"), |b| {
            b.iter(|| {
                black_box(
                    net.recall(&cue, &options, &mut random::seeded(3))
                        .expect("runs"),
                )
            })
        });
    }
    g.finish();
}

criterion_group!(benches, kernels);
criterion_main!(benches);
