//! The experiments against theory: capacity, basins, attractors; and their sweeps'
//! independence of thread count and sharding.

use std::sync::LazyLock;

use hopfield::experiment::{
    self, AttractorsConfig, AttractorsSweep, BasinsConfig, BasinsSweep, CapacityConfig,
    CapacitySweep, Shard, Sweep,
};
use hopfield::{Dynamics, Error};

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
}

/// Hebb's rule at N = 2000, 10 % noise, synchronous recall: loads 0.08, 0.10, 0.18.
static CAPACITY_2000: LazyLock<experiment::Capacity> = LazyLock::new(|| {
    experiment::capacity(
        &CapacityConfig::default()
            .n(2000)
            .alphas(vec![0.08, 0.10, 0.18])
            .trials(3)
            .noise(0.1)
            .seed(11),
    )
    .unwrap()
});

#[test]
fn capacity_overlap_holds_below_and_collapses_above_the_critical_load() {
    let c = &*CAPACITY_2000;
    for pt in &c.points {
        eprintln!(
            "alpha {:.3} P {}: overlap {:.3}, recalled {:.3}, fixed points {:.3} (theory {:.3}), bit errors {:.2e} (theory {:.2e})",
            pt.alpha,
            pt.p,
            pt.mean_overlap,
            pt.recalled_fraction,
            pt.fixed_point_fraction,
            pt.predicted_fixed_point,
            pt.bit_error_rate,
            pt.predicted_bit_error
        );
    }
    assert_eq!(
        c.points.iter().map(|p| p.p).collect::<Vec<_>>(),
        [160, 200, 360]
    );
    assert!(
        c.points[1].mean_overlap > 0.9,
        "{}",
        c.points[1].mean_overlap
    );
    assert!(
        c.points[2].mean_overlap < 0.5,
        "{}",
        c.points[2].mean_overlap
    );
    assert_eq!(c.alpha_c, 0.138);
}

#[test]
fn capacity_fixed_points_follow_the_signal_to_noise_prediction() {
    let c = &*CAPACITY_2000;
    for pt in &c.points[..2] {
        // The prediction lies well inside (0, 1) here, so the comparison has teeth.
        assert!((0.1..0.9).contains(&pt.predicted_fixed_point));
        assert!(
            (pt.fixed_point_fraction - pt.predicted_fixed_point).abs() < 0.1,
            "alpha {}: measured {} predicted {}",
            pt.alpha,
            pt.fixed_point_fraction,
            pt.predicted_fixed_point
        );
        // The per-neuron error rate within 30 % of ½ erfc(√(N/2P)) (thousands of events).
        let ratio = pt.bit_error_rate / pt.predicted_bit_error;
        assert!(
            (0.7..1.3).contains(&ratio),
            "alpha {}: ratio {ratio}",
            pt.alpha
        );
    }
}

#[test]
fn theory_values() {
    // N = 2000: about 0.67 at α = 0.08 and 0.21 at α = 0.10.
    let f = experiment::fixed_point_probability(2000, 160);
    assert!((f - 0.666).abs() < 0.01, "{f}");
    let f = experiment::fixed_point_probability(2000, 200);
    assert!((f - 0.214).abs() < 0.01, "{f}");
    assert_eq!(experiment::bit_error_probability(100, 0), 0.0);
    assert_eq!(experiment::fixed_point_probability(100, 0), 1.0);
}

#[test]
fn basins_shrink_with_noise_and_with_load() {
    let b = experiment::basins(
        &BasinsConfig::default()
            .n(500)
            .alphas(vec![0.04, 0.1, 0.14])
            .noises(experiment::range(0.0, 0.5, 0.05).unwrap())
            .trials(4)
            .cues(20)
            .seed(3),
    )
    .unwrap();
    for c in &b.curves {
        eprintln!(
            "alpha {:.3}: recall {:?} overlap {:?}",
            c.alpha,
            c.recall_probability
                .iter()
                .map(|q| format!("{q:.2}"))
                .collect::<Vec<_>>(),
            c.mean_overlap
                .iter()
                .map(|q| format!("{q:.2}"))
                .collect::<Vec<_>>()
        );
    }
    for c in &b.curves {
        let q = &c.recall_probability;
        // Never rises by more than three binomial standard errors from one level to the next.
        for k in 1..q.len() {
            let se = (q[k] * (1.0 - q[k]) / c.cues as f64)
                .sqrt()
                .max(1.0 / c.cues as f64);
            assert!(q[k] <= q[k - 1] + 3.0 * se, "alpha {}: {q:?}", c.alpha);
        }
        // And falls to (nearly) never at 50 % noise, where the cue is a random state.
        assert!(
            q[q.len() - 1] < 0.05 && q[0] > 0.2,
            "alpha {}: {q:?}",
            c.alpha
        );
        // The final overlap falls too, from (nearly) 1 for a clean cue.
        let m = &c.mean_overlap;
        assert!(
            m[0] > 0.9 && m[m.len() - 1] < 0.3,
            "alpha {}: {m:?}",
            c.alpha
        );
    }
    // A larger load has a smaller basin: less area under the recall curve.
    let area: Vec<f64> = b
        .curves
        .iter()
        .map(|c| c.recall_probability.iter().sum())
        .collect();
    assert!(
        area[0] > area[1] + 1.0 && area[1] > area[2] + 1.0,
        "{area:?}"
    );
}

#[test]
fn attractors_are_stored_reversed_or_mixtures() {
    let a = experiment::attractors(&AttractorsConfig::default().n(400).p(5).starts(600).seed(4))
        .unwrap();
    let class = |name: &str| a.classes.iter().find(|c| c.class == name).unwrap();
    eprintln!("{:?}", a.classes);
    assert_eq!(a.classes.iter().map(|c| c.count).sum::<usize>(), 600);
    // Random-order sweeps on symmetric couplings always end at a fixed point.
    assert_eq!(class("cycle").count + class("unconverged").count, 0);
    // Stored patterns and their reversals attract the same number of starts (by symmetry).
    let (s, r) = (class("stored").count as f64, class("reversed").count as f64);
    assert!(s + r > 300.0);
    assert!((s - r).abs() < 4.0 * (s + r).sqrt(), "{s} {r}");
    assert!(class("stored").distinct <= 5 && class("reversed").distinct <= 5);
    // Mixtures of three exist and lie above the stored patterns in energy.
    let m = class("mixture");
    assert!(m.count > 0);
    assert!(m.mean_energy.unwrap() > class("stored").mean_energy.unwrap());
    assert_eq!(a.mixtures.iter().map(|m| m.count).sum::<usize>(), m.count);
    assert!(
        a.mixtures
            .iter()
            .all(|m| m.patterns.len() == 3 && m.patterns.windows(2).all(|w| w[0] < w[1]))
    );
    assert_eq!(
        a.per_pattern.iter().map(|c| c[0]).sum::<usize>(),
        s as usize
    );
}

/// The units of `sweep` computed on 1 and 2 threads, and as 3 merged shards, agree.
fn same_for_threads_and_shards<S: Sweep>(config: S::Config)
where
    S::Output: PartialEq + std::fmt::Debug,
{
    let sweep = S::new(config).unwrap();
    let one = pool(1).install(|| experiment::run_all(&sweep, &|| {}).unwrap());
    let two = pool(2).install(|| experiment::run_all(&sweep, &|| {}).unwrap());
    assert_eq!(one, two);
    let parts: Vec<_> = [3, 1, 2]
        .iter()
        .map(|&k| experiment::run_shard(&sweep, Shard::new(k, 3).unwrap(), &|| {}).unwrap())
        .collect();
    let merged = sweep
        .summarize(experiment::merge(&sweep, parts.clone()).unwrap())
        .unwrap();
    assert_eq!(merged, one);

    // Missing and duplicated units are refused.
    let err = experiment::merge(&sweep, parts[..2].to_vec()).unwrap_err();
    assert!(
        matches!(err, Error::Merge(_)) && err.to_string().contains("missing"),
        "{err}"
    );
    let mut twice = parts.clone();
    twice.push(parts[0].clone());
    let err = experiment::merge(&sweep, twice).unwrap_err();
    assert!(err.to_string().contains("more than one shard"), "{err}");
}

#[test]
fn sweeps_do_not_depend_on_threads_or_shards() {
    same_for_threads_and_shards::<CapacitySweep>(
        CapacityConfig::default()
            .n(300)
            .alphas(vec![0.05, 0.1, 0.15, 0.2])
            .trials(3)
            .dynamics(Dynamics::Asynchronous),
    );
    same_for_threads_and_shards::<BasinsSweep>(
        BasinsConfig::default()
            .n(200)
            .alphas(vec![0.05, 0.12])
            .noises(vec![0.1, 0.3])
            .trials(3)
            .dynamics(Dynamics::Sweep),
    );
    same_for_threads_and_shards::<AttractorsSweep>(
        AttractorsConfig::default().n(100).p(4).starts(40),
    );
}

#[test]
fn shards_of_another_configuration_are_refused() {
    let config = CapacityConfig::default().n(100).alphas(vec![0.1]).trials(2);
    let a = CapacitySweep::new(config.clone()).unwrap();
    let b = CapacitySweep::new(config.clone().seed(2)).unwrap();
    let parts = vec![
        experiment::run_shard(&a, Shard::new(1, 2).unwrap(), &|| {}).unwrap(),
        experiment::run_shard(&b, Shard::new(2, 2).unwrap(), &|| {}).unwrap(),
    ];
    let err = experiment::merge(&a, parts).unwrap_err();
    assert!(err.to_string().contains("another configuration"), "{err}");
}

#[test]
fn bad_configurations_are_parameter_errors() {
    let bad =
        |c: CapacityConfig| matches!(CapacitySweep::new(c).unwrap_err(), Error::Parameter { .. });
    assert!(bad(CapacityConfig::default().trials(0)));
    assert!(bad(CapacityConfig::default().noise(1.5)));
    assert!(bad(CapacityConfig::default().alphas(vec![])));
    assert!(bad(CapacityConfig::default().alphas(vec![-0.1])));
    assert!(bad(CapacityConfig::default().n(0)));
    assert!(bad(CapacityConfig::default().max_steps(Some(0))));
    assert!(BasinsSweep::new(BasinsConfig::default().noises(vec![1.2])).is_err());
    assert!(AttractorsSweep::new(AttractorsConfig::default().p(0)).is_err());
}
