//! Learning rules beyond Hebb's, stochastic dynamics, dense and modern networks: each claim
//! checked on random patterns where the classical network is known to fail.

use std::time::Instant;

use hopfield::AssociativeMemory;
use hopfield::LearningRule;
use hopfield::modern::{ContinuousMemory, DenseMemory, Interaction, Model, ModernOptions};
use hopfield::random::seeded;
use hopfield::rule::{Covariance, Perceptron, PseudoInverse};
use hopfield::{
    Dilution, Dynamics, Error, Network, Outcome, Patterns, RecallOptions, Representation, Rule,
    Tie, Weights, generate, noise,
};

fn patterns(p: usize, n: usize, seed: u64) -> Patterns {
    generate::random_patterns(p, n, 0.5, &mut seeded(seed)).unwrap()
}

fn fixed_points(net: &Network, p: &Patterns) -> usize {
    p.iter()
        .filter(|xi| net.is_fixed_point(xi, Tie::Plus).unwrap())
        .count()
}

fn is_parameter(e: &Error, name: &str) -> bool {
    matches!(e, Error::Parameter { name: n, .. } if *n == name)
}

#[test]
fn pseudo_inverse_makes_half_n_patterns_fixed_points() {
    let (n, p) = (400, 200);
    let pats = patterns(p, n, 1);
    let start = Instant::now();
    let net = Network::from_patterns(&pats, &Rule::pseudo_inverse()).unwrap();
    eprintln!(
        "pseudo-inverse N = {n}, P = {p}: {:.0} ms",
        start.elapsed().as_secs_f64() * 1e3
    );
    assert!(net.weights().is_symmetric());
    assert_eq!(fixed_points(&net, &pats), p);
    // W ξ = ξ: the field at a stored pattern is the pattern itself.
    let h = net.fields(pats.get(17).unwrap()).unwrap();
    for (h, &x) in h.iter().zip(pats.get(17).unwrap()) {
        assert!((h - f64::from(x)).abs() < 1e-4, "{h} vs {x}");
    }
    // Without the diagonal the stored patterns stay fixed points; Hebb's rule loses most.
    let zero =
        Network::from_patterns(&pats, &PseudoInverse::default().zero_diagonal(true)).unwrap();
    assert_eq!(zero.weights().get(3, 3), 0.0);
    assert_eq!(fixed_points(&zero, &pats), p);
    let hebb = Network::from_patterns(&pats, &Rule::hebb()).unwrap();
    assert!(fixed_points(&hebb, &pats) < p / 10);
}

#[test]
fn linearly_dependent_patterns_are_named() {
    let mut pats = patterns(5, 64, 2);
    let repeat = pats.get(1).unwrap().to_vec();
    pats.push(&repeat).unwrap();
    let e = Rule::pseudo_inverse()
        .train(&pats, Representation::Auto)
        .unwrap_err();
    assert!(
        matches!(e, Error::LinearlyDependent { pattern: 5, .. }),
        "{e}"
    );
    assert!(
        e.to_string().starts_with(
            "patterns are linearly dependent: pattern 5 is a linear combination of patterns 0–4"
        ),
        "{e}"
    );
    // A reversal right after its pattern.
    let rev: Vec<i8> = pats.get(0).unwrap().iter().map(|&s| -s).collect();
    let two = Patterns::from_rows(vec![pats.get(0).unwrap().to_vec(), rev]).unwrap();
    let e = Rule::pseudo_inverse()
        .train(&two, Representation::Auto)
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("pattern 1 is a multiple of pattern 0"),
        "{e}"
    );
    // More patterns than neurons.
    let many = patterns(40, 32, 3);
    let e = Rule::pseudo_inverse()
        .train(&many, Representation::Auto)
        .unwrap_err();
    assert!(matches!(e, Error::LinearlyDependent { .. }), "{e}");
    assert!(e.to_string().contains("at most N patterns"), "{e}");
    // The dense rules refuse the factored representation explicitly.
    let e = Rule::storkey()
        .train(&patterns(3, 16, 4), Representation::Factored)
        .unwrap_err();
    assert!(matches!(e, Error::Unsupported(_)), "{e}");
}

#[test]
fn storkey_holds_more_patterns_than_hebb() {
    let (n, p) = (300, 45); // P = 0.15 N
    let (mut storkey, mut hebb) = (0, 0);
    for seed in 0..4 {
        let pats = patterns(p, n, 100 + seed);
        storkey += fixed_points(
            &Network::from_patterns(&pats, &Rule::storkey()).unwrap(),
            &pats,
        );
        hebb += fixed_points(
            &Network::from_patterns(&pats, &Rule::hebb()).unwrap(),
            &pats,
        );
    }
    eprintln!("fixed points of 4 x {p} patterns, N = {n}: storkey {storkey}, hebb {hebb}");
    assert!(storkey > hebb, "storkey {storkey}, hebb {hebb}");
}

/// Recalls from 10% noise: how many of the first `cues` patterns come back exactly.
fn recalled<F>(pats: &Patterns, cues: usize, seed: u64, recall: F) -> usize
where
    F: Fn(&[i8], &mut hopfield::random::SeededRng) -> Outcome,
{
    let mut rng = seeded(seed);
    (0..cues)
        .filter(|&mu| {
            let cue = noise::flip_fraction(pats.get(mu).unwrap(), 0.1, &mut rng).unwrap();
            recall(&cue, &mut rng) == Outcome::Recalled { pattern: mu }
        })
        .count()
}

#[test]
fn dense_and_exponential_models_recall_where_hebb_fails() {
    let (n, p, cues) = (200, 60, 20); // P = 0.3 N
    let pats = patterns(p, n, 5);
    let opts = RecallOptions::new(Dynamics::Sweep);
    let hebb = Network::from_patterns(&pats, &Rule::hebb()).unwrap();
    let h = recalled(&pats, cues, 6, |c, rng| {
        hebb.recall(c, &opts, rng).unwrap().outcome
    });
    let dense = DenseMemory::new(pats.clone(), Interaction::Polynomial { degree: 3 }).unwrap();
    let d = recalled(&pats, cues, 6, |c, rng| {
        dense.recall(c, &opts, rng).unwrap().outcome
    });
    let exp = DenseMemory::new(pats.clone(), Interaction::Exponential { beta: 1.0 }).unwrap();
    let e = recalled(&pats, cues, 6, |c, rng| {
        exp.recall(c, &opts, rng).unwrap().outcome
    });
    let rect = DenseMemory::new(pats.clone(), Interaction::Rectified { degree: 3 }).unwrap();
    let r = recalled(&pats, cues, 6, |c, rng| {
        rect.recall(c, &RecallOptions::default(), rng)
            .unwrap()
            .outcome
    });
    eprintln!(
        "recalled of {cues} at P = 0.3 N: hebb {h}, dense n=3 {d}, rectified {r}, exponential {e}"
    );
    assert_eq!(h, 0);
    assert_eq!(d, cues);
    assert_eq!(e, cues);
    assert_eq!(r, cues);
}

#[test]
fn dense_degree_two_is_the_classical_network() {
    // N even and P odd: no field is ever exactly zero, and the tie rule is exercised only
    // through unknown (0) cue values.
    let (n, p) = (100, 7);
    let pats = patterns(p, n, 8);
    let net = Network::train(&pats, &Rule::hebb(), Representation::Dense).unwrap();
    let dense = DenseMemory::new(pats.clone(), Interaction::Polynomial { degree: 2 }).unwrap();
    for dynamics in [
        Dynamics::Synchronous,
        Dynamics::Asynchronous,
        Dynamics::Sweep,
        Dynamics::Sequential,
    ] {
        for k in 0..6u64 {
            let mut rng = seeded(k);
            let mut cue =
                noise::flip_fraction(pats.get(k as usize).unwrap(), 0.35, &mut rng).unwrap();
            cue[3] = 0;
            let opts = RecallOptions::new(dynamics).record_all(Some(pats.get(0).unwrap().to_vec()));
            let a = net.recall(&cue, &opts, &mut seeded(40 + k)).unwrap();
            let b = dense.recall(&cue, &opts, &mut seeded(40 + k)).unwrap();
            assert_eq!(a.state, b.state, "{dynamics}");
            assert_eq!(
                (a.steps, a.flips, a.converged),
                (b.steps, b.flips, b.converged)
            );
            assert_eq!(a.outcome, b.outcome);
            assert_eq!(a.overlaps, b.overlaps);
            let (ta, tb) = (a.trajectory.unwrap(), b.trajectory.unwrap());
            assert_eq!(ta.states, tb.states);
            assert_eq!(ta.errors, tb.errors);
            // E_dense = −Σ_μ (ξ^μ·S)² = 2N E_hebb − P Σ_i S_i² (Hebb's zero diagonal).
            for ((ea, eb), s) in ta.energy.iter().zip(&tb.energy).zip(&ta.states) {
                let active = s.iter().filter(|&&v| v != 0).count();
                let expect = 2.0 * n as f64 * ea - (p * active) as f64;
                assert!((eb - expect).abs() < 1e-6, "{eb} vs {expect}");
            }
        }
    }
}

#[test]
fn modern_network_retrieves_the_nearest_of_many_patterns_in_one_update() {
    let (n, p) = (64, 1000);
    let pats = patterns(p, n, 9);
    let memory = ContinuousMemory::from_patterns(&pats, 1.0).unwrap();
    let mut rng = seeded(10);
    for mu in (0..p).step_by(50) {
        let cue = noise::flip_fraction(pats.get(mu).unwrap(), 0.2, &mut rng).unwrap();
        let nearest = (0..p)
            .max_by_key(|&nu| {
                let d: i64 = pats
                    .get(nu)
                    .unwrap()
                    .iter()
                    .zip(&cue)
                    .map(|(&a, &b)| i64::from(a * b))
                    .sum();
                (d, std::cmp::Reverse(nu))
            })
            .unwrap();
        let r = memory
            .retrieve_bipolar(&cue, &ModernOptions::default().max_steps(1))
            .unwrap();
        assert_eq!(r.steps, 1);
        assert_eq!(r.pattern, nearest);
        assert!(r.error < 1e-2, "error {}", r.error);
        assert_eq!(r.signs(), pats.get(nearest).unwrap());
        assert!(
            r.energy
                < memory
                    .energy(&cue.iter().map(|&v| f32::from(v)).collect::<Vec<_>>())
                    .unwrap()
        );
    }
    // Real-valued patterns: three of them in the plane's positive quadrant.
    let real = ContinuousMemory::new(2, vec![3.0, 0.5, 0.5, 3.0, 2.0, 2.0], 4.0).unwrap();
    let r = real
        .retrieve(&[2.6, 0.9], &ModernOptions::default())
        .unwrap();
    assert!(r.converged);
    assert_eq!(r.pattern, 0);
    assert!(r.error < 1e-3, "{r:?}");
    // A small β averages the patterns: a metastable state far from each.
    let soft = ContinuousMemory::new(2, vec![3.0, 0.5, 0.5, 3.0], 0.01).unwrap();
    assert!(
        soft.retrieve(&[2.6, 0.9], &ModernOptions::default())
            .unwrap()
            .error
            > 1.0
    );
}

#[test]
fn glauber_at_vanishing_temperature_is_the_deterministic_dynamics() {
    let (n, p) = (200, 11); // N even, P odd: no ties
    let pats = patterns(p, n, 11);
    for repr in [Representation::Dense, Representation::Factored] {
        let net = Network::train(&pats, &Rule::hebb(), repr).unwrap();
        for dynamics in [
            Dynamics::Synchronous,
            Dynamics::Asynchronous,
            Dynamics::Sweep,
            Dynamics::Sequential,
        ] {
            let cue = noise::flip_fraction(pats.get(2).unwrap(), 0.25, &mut seeded(12)).unwrap();
            let opts = RecallOptions::new(dynamics);
            let zero = net.recall(&cue, &opts, &mut seeded(13)).unwrap();
            let exact = net
                .recall(&cue, &opts.clone().temperature(0.0), &mut seeded(13))
                .unwrap();
            assert_eq!(zero, exact);
            let cold = net
                .recall(&cue, &opts.clone().temperature(1e-9), &mut seeded(13))
                .unwrap();
            assert_eq!(cold.state, zero.state, "{dynamics} {repr:?}");
            assert_eq!(cold.outcome, zero.outcome);
            assert_eq!(cold.overlaps, zero.overlaps);
            assert!((cold.energy - zero.energy).abs() < 1e-9);
            assert!(cold.converged);
        }
    }
}

#[test]
fn glauber_at_high_temperature_forgets() {
    let (n, p) = (500, 5);
    let pats = patterns(p, n, 14);
    let net = Network::from_patterns(&pats, &Rule::hebb()).unwrap();
    let xi = pats.get(0).unwrap();
    for dynamics in [
        Dynamics::Sweep,
        Dynamics::Synchronous,
        Dynamics::Asynchronous,
    ] {
        let steps = if dynamics == Dynamics::Asynchronous {
            50 * n
        } else {
            50
        };
        let opts = RecallOptions::new(dynamics)
            .temperature(5.0)
            .max_steps(steps);
        let runs = 10;
        let mean: f64 = (0..runs)
            .map(|k| net.recall(xi, &opts, &mut seeded(k)).unwrap().overlaps[0].abs())
            .sum::<f64>()
            / runs as f64;
        assert!(mean < 0.1, "{dynamics}: mean |m| = {mean}");
        let r = net.recall(xi, &opts, &mut seeded(1)).unwrap();
        assert_eq!(r.steps, steps);
        assert_eq!(r.outcome, Outcome::Unconverged);
        // The same seed, the same run.
        assert_eq!(r, net.recall(xi, &opts, &mut seeded(1)).unwrap());
    }
    // Below T = 1 the pattern survives.
    let cold = RecallOptions::new(Dynamics::Sweep)
        .temperature(0.4)
        .max_steps(50);
    let m = net.recall(xi, &cold, &mut seeded(3)).unwrap().overlaps[0];
    assert!(m > 0.9, "{m}");
    // Batches do not depend on the number of threads.
    let cues: Vec<Vec<i8>> = (0..6).map(|_| xi.to_vec()).collect();
    let warm = RecallOptions::new(Dynamics::Asynchronous).temperature(0.8);
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let three = rayon::ThreadPoolBuilder::new()
        .num_threads(3)
        .build()
        .unwrap();
    let a = one.install(|| net.recall_batch(&cues, &warm, 5).unwrap());
    let b = three.install(|| net.recall_batch(&cues, &warm, 5).unwrap());
    assert_eq!(a, b);
    assert_ne!(a[0].state, a[1].state);
}

#[test]
fn recording_a_stochastic_run_matches_the_states() {
    let pats = patterns(4, 80, 15);
    let net = Network::from_patterns(&pats, &Rule::hebb()).unwrap();
    let xi = pats.get(1).unwrap().to_vec();
    let opts = RecallOptions::new(Dynamics::Asynchronous)
        .temperature(0.7)
        .max_steps(300)
        .record_all(Some(xi.clone()));
    let r = net.recall(&xi, &opts, &mut seeded(16)).unwrap();
    let tr = r.trajectory.unwrap();
    assert_eq!(tr.states.len(), 301);
    assert_eq!(tr.states.last().unwrap(), &r.state);
    for (k, s) in tr.states.iter().enumerate() {
        assert_eq!(tr.overlaps[k], net.overlaps(s).unwrap());
        assert!((tr.energy[k] - net.energy(s).unwrap()).abs() < 1e-9);
        assert_eq!(
            tr.errors[k],
            s.iter().zip(&xi).filter(|(a, b)| a != b).count()
        );
    }
    assert!(r.flips > 0);
}

#[test]
fn perceptron_reaches_the_margin_where_hebb_fails() {
    let (n, p, kappa) = (200, 60, 0.5);
    let pats = patterns(p, n, 17);
    let hebb = Network::from_patterns(&pats, &Rule::hebb()).unwrap();
    assert!(fixed_points(&hebb, &pats) < p / 2);
    let rule = Perceptron::default().kappa(kappa).max_epochs(500);
    let (net, training) = Network::train_report(&pats, &rule, Representation::Auto, None).unwrap();
    eprintln!("perceptron N = {n}, P = {p}, κ = {kappa}: {training:?}");
    assert!(training.converged);
    assert!(training.epochs >= 1 && training.epochs < 500);
    assert_eq!(training.unstable, 0);
    let w = net.weights().to_matrix().unwrap();
    let mut smallest = f64::INFINITY;
    for i in 0..n {
        let row = &w[i * n..(i + 1) * n];
        assert_eq!(row[i], 0.0);
        let norm = row.iter().map(|v| v * v).sum::<f64>().sqrt();
        for xi in pats.iter() {
            let h: f64 = row.iter().zip(xi).map(|(w, &x)| w * f64::from(x)).sum();
            smallest = smallest.min(f64::from(xi[i]) * h / norm);
        }
    }
    eprintln!("smallest stability {smallest}");
    assert!(smallest >= kappa, "{smallest}");
    assert_eq!(fixed_points(&net, &pats), p);
    assert!(!net.weights().is_symmetric());
}

#[test]
fn perceptron_reports_an_impossible_load() {
    let pats = patterns(150, 50, 18); // α = 3 > 2
    let rule = Perceptron::default().kappa(0.0).max_epochs(5);
    let (_, training) = rule
        .train_report(&pats, Representation::Auto, None)
        .unwrap();
    assert!(!training.converged);
    assert_eq!(training.epochs, 5);
    assert!(training.unstable > 0);
    let e = rule.train(&pats, Representation::Auto).unwrap_err();
    assert!(matches!(e, Error::NotConverged { epochs: 5, .. }), "{e}");
    assert!(
        e.to_string()
            .starts_with("perceptron learning (κ = 0) did not converge in 5 epochs"),
        "{e}"
    );
    assert!(Network::from_patterns(&pats, &rule).is_err());
}

/// `p` patterns of `n` neurons with exactly `k` of them on.
fn sparse_patterns(p: usize, n: usize, k: usize, seed: u64) -> Patterns {
    let mut rng = seeded(seed);
    let mut data = vec![-1i8; p * n];
    for mu in 0..p {
        for i in hopfield::random::sample(&mut rng, n, k) {
            data[mu * n + i] = 1;
        }
    }
    Patterns::new(n, data).unwrap()
}

#[test]
fn covariance_rule_recalls_sparse_patterns() {
    let (n, p) = (1000, 150); // α = 0.15, above Hebb's 0.138
    let sparse = sparse_patterns(p, n, n / 10, 19); // a = 0.1
    let net = Network::from_patterns(&sparse, &Rule::covariance()).unwrap();
    assert!(matches!(net.threshold(), hopfield::Threshold::PerNeuron(_)));
    let opts = RecallOptions::new(Dynamics::Sweep);
    let cues = 20;
    // 2% of the neurons flipped: about as many wrong neurons on as right ones are. Returns
    // the cues recalled exactly and the largest Hamming error left.
    let recalled_sparse = |net: &Network| {
        let mut rng = seeded(20);
        let (mut exact, mut worst) = (0, 0);
        for mu in 0..cues {
            let xi = sparse.get(mu).unwrap();
            let cue = noise::flip(xi, n / 50, &mut rng).unwrap();
            let r = net.recall(&cue, &opts, &mut rng).unwrap();
            exact += usize::from(r.outcome == Outcome::Recalled { pattern: mu });
            worst = worst.max(hopfield::measure::hamming(&r.state, xi).unwrap());
        }
        (exact, worst)
    };
    let cov = recalled_sparse(&net);
    // Plain Hebb on dense ±1 patterns at the same load, and on the sparse patterns.
    let dense = patterns(p, n, 21);
    let hebb = Network::from_patterns(&dense, &Rule::hebb()).unwrap();
    let h = recalled(&dense, cues, 20, |c, rng| {
        hebb.recall(c, &opts, rng).unwrap().outcome
    });
    let hs = recalled_sparse(&Network::from_patterns(&sparse, &Rule::hebb()).unwrap());
    // Without its threshold the covariance couplings do not recall sparse patterns.
    let bare = Network::new(net.weights().clone())
        .with_patterns(sparse.clone())
        .unwrap();
    let b = recalled_sparse(&bare);
    eprintln!(
        "(exact, worst error) of {cues} cues at α = 0.15: covariance (a = 0.1) {cov:?}, \
         without its threshold {b:?}, hebb sparse {hs:?}; hebb dense exact {h}"
    );
    // At α = 0.15 and a = 0.1 the crosstalk has a standard deviation of √(α a) ≈ 0.12
    // against a margin of ½: a neuron errs with probability of order 1e-5 to 1e-4, so now
    // and then one neuron of a recalled pattern stays wrong.
    assert!(cov.0 >= cues - 2 && cov.1 <= 2, "{cov:?}");
    assert!(h <= cues / 4, "{h}");
    assert!(hs.0 == 0 && hs.1 > n / 20, "{hs:?}");
    assert!(b.0 == 0 && b.1 > n / 20, "{b:?}");
    // A given activity is used as given.
    let given = Rule::from(Covariance::new(Some(0.2)));
    let small = sparse.select(&[0, 1, 2, 3]).unwrap();
    let w = given.train(&small, Representation::Auto).unwrap();
    let v = |mu: usize, i: usize| {
        if small.get(mu).unwrap()[i] > 0 {
            0.8
        } else {
            -0.2
        }
    };
    let expect: f64 = (0..4).map(|mu| v(mu, 0) * v(mu, 1)).sum::<f64>() / (n as f64 * 0.16);
    assert!((w.get(0, 1) - expect).abs() < 1e-6);
}

#[test]
fn dilution_keeps_a_fraction_c_of_the_connections() {
    let n = 300;
    let pats = patterns(20, n, 22);
    let w = Rule::hebb().train(&pats, Representation::Factored).unwrap();
    let full = w.to_matrix().unwrap();
    // c = 1 keeps everything.
    let same = Dilution::new(1.0, 1).apply(&w).unwrap();
    assert_eq!(same.to_matrix().unwrap(), full);
    let cut = |d: &Weights| -> f64 {
        let m = d.to_matrix().unwrap();
        let (mut kept, mut total) = (0usize, 0usize);
        for i in 0..n {
            for j in (0..n).filter(|&j| j != i && full[i * n + j] != 0.0) {
                total += 1;
                kept += usize::from(m[i * n + j] != 0.0);
            }
        }
        kept as f64 / total as f64
    };
    for c in [0.3, 0.7] {
        let sym = Dilution::new(c, 5).apply(&w).unwrap();
        assert!((cut(&sym) - c).abs() < 0.01, "{c}: {}", cut(&sym));
        assert!(sym.is_symmetric());
        let m = sym.to_matrix().unwrap();
        assert!((0..n).all(|i| (0..n).all(|j| m[i * n + j] == m[j * n + i])));
        let asym = Dilution::new(c, 5).symmetric(false).apply(&w).unwrap();
        assert!((cut(&asym) - c).abs() < 0.01);
        assert!(!asym.is_symmetric());
        // Same seed, same couplings; another seed, others.
        assert_eq!(Dilution::new(c, 5).apply(&w).unwrap(), sym);
        assert_ne!(Dilution::new(c, 6).apply(&w).unwrap(), sym);
    }
    // Dense float couplings dilute too, and the diagonal stays.
    let pinv = Rule::pseudo_inverse()
        .train(&pats, Representation::Auto)
        .unwrap();
    let d = pinv.dilute(0.5, true, &mut seeded(3)).unwrap();
    assert_eq!(d.get(7, 7), pinv.get(7, 7));
    // On a network.
    let net = Network::from_patterns(&pats, &Rule::hebb())
        .unwrap()
        .diluted(&Dilution::new(0.5, 9))
        .unwrap();
    assert_eq!(net.weights(), &Dilution::new(0.5, 9).apply(&w).unwrap());
    let json = serde_json::to_string(&Dilution::new(0.5, 9)).unwrap();
    assert_eq!(json, r#"{"connectivity":0.5,"symmetric":true,"seed":9}"#);
}

#[test]
fn bad_parameters_are_refused_with_their_name() {
    let pats = patterns(4, 20, 23);
    let train = |r: Rule| r.train(&pats, Representation::Auto).unwrap_err();
    assert!(is_parameter(
        &train(Perceptron::default().kappa(-0.1).into()),
        "kappa"
    ));
    assert!(is_parameter(
        &train(Perceptron::default().kappa(f64::NAN).into()),
        "kappa"
    ));
    let e = train(Perceptron::default().max_epochs(0).into());
    assert!(is_parameter(&e, "max-epochs"));
    assert!(
        e.to_string().starts_with("max-epochs = 0 is invalid"),
        "{e}"
    );
    for a in [0.0, 1.0, -0.5, 1.5, f64::NAN] {
        assert!(is_parameter(
            &train(Covariance::new(Some(a)).into()),
            "activity"
        ));
    }
    let all_on = Patterns::from_rows(vec![vec![1i8; 10]]).unwrap();
    assert!(is_parameter(
        &Rule::covariance()
            .train(&all_on, Representation::Auto)
            .unwrap_err(),
        "activity"
    ));
    let w = Rule::hebb().train(&pats, Representation::Auto).unwrap();
    for c in [0.0, -1.0, 1.5, f64::NAN] {
        let e = Dilution::new(c, 0).apply(&w).unwrap_err();
        assert!(is_parameter(&e, "dilution"), "{e}");
    }
    for beta in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert!(is_parameter(
            &Model::modern().beta(beta).check().unwrap_err(),
            "beta"
        ));
        assert!(is_parameter(
            &Model::exponential().beta(beta).check().unwrap_err(),
            "beta"
        ));
        assert!(is_parameter(
            &ContinuousMemory::from_patterns(&pats, beta).unwrap_err(),
            "beta"
        ));
        assert!(is_parameter(
            &DenseMemory::new(pats.clone(), Interaction::Exponential { beta }).unwrap_err(),
            "beta"
        ));
    }
    for degree in [0, 1] {
        let e = DenseMemory::new(pats.clone(), Interaction::Polynomial { degree }).unwrap_err();
        assert!(is_parameter(&e, "degree"), "{e}");
        assert!(is_parameter(
            &Model::dense().degree(degree).check().unwrap_err(),
            "degree"
        ));
    }
    let net = Network::from_patterns(&pats, &Rule::hebb()).unwrap();
    for t in [-1.0, f64::NAN, f64::INFINITY] {
        let e = net
            .recall(
                pats.get(0).unwrap(),
                &RecallOptions::default().temperature(t),
                &mut seeded(0),
            )
            .unwrap_err();
        assert!(is_parameter(&e, "temperature"), "{e}");
    }
    let dense = DenseMemory::new(pats.clone(), Interaction::Polynomial { degree: 3 }).unwrap();
    assert!(
        dense
            .recall(&[1; 19], &RecallOptions::default(), &mut seeded(0))
            .is_err()
    );
    assert!(
        dense
            .recall(
                pats.get(0).unwrap(),
                &RecallOptions::default().temperature(1.0),
                &mut seeded(0)
            )
            .is_err()
    );
    assert!(ContinuousMemory::new(3, vec![1.0; 7], 1.0).is_err());
    assert!(ContinuousMemory::new(2, vec![1.0, f32::NAN], 1.0).is_err());
    let m = ContinuousMemory::new(2, vec![1.0, 0.0], 1.0).unwrap();
    assert!(
        m.retrieve(&[1.0, 0.0], &ModernOptions::default().max_steps(0))
            .is_err()
    );
    assert!(m.retrieve(&[1.0], &ModernOptions::default()).is_err());
}

#[test]
fn rules_and_models_parse_and_serialise() {
    for name in Rule::NAMES {
        let rule: Rule = name.parse().unwrap();
        let json = serde_json::to_string(&rule).unwrap();
        let back: Rule = serde_json::from_str(&json).unwrap();
        assert_eq!(back, rule, "{json}");
        assert!(rule.to_string().starts_with(name));
    }
    assert_eq!(
        "projection".parse::<Rule>().unwrap(),
        Rule::pseudo_inverse()
    );
    assert_eq!(
        serde_json::to_string(&Rule::perceptron()).unwrap(),
        r#"{"rule":"perceptron","kappa":0.5,"max_epochs":1000}"#
    );
    assert_eq!(
        serde_json::to_string(&Rule::storkey()).unwrap(),
        r#"{"rule":"storkey"}"#
    );
    let r: Rule = serde_json::from_str(r#"{"rule":"perceptron","kappa":1.5}"#).unwrap();
    assert_eq!(r, Rule::from(Perceptron::default().kappa(1.5)));
    let r: Rule = serde_json::from_str(r#"{"rule":"covariance","activity":0.2}"#).unwrap();
    assert_eq!(r, Rule::from(Covariance::new(Some(0.2))));
    let r: Rule = serde_json::from_str(r#"{"rule":"pseudo-inverse"}"#).unwrap();
    assert_eq!(r, Rule::pseudo_inverse());
    let e = "storkey2".parse::<Rule>().unwrap_err().to_string();
    assert!(
        e.contains("storkey, pseudo-inverse, perceptron, covariance"),
        "{e}"
    );

    for name in Model::NAMES {
        let model: Model = name.parse().unwrap();
        let json = serde_json::to_string(&model).unwrap();
        assert_eq!(
            serde_json::from_str::<Model>(&json).unwrap(),
            model,
            "{json}"
        );
        assert!(model.check().is_ok());
    }
    assert_eq!(
        serde_json::to_string(&Model::dense()).unwrap(),
        r#"{"model":"dense","degree":3,"rectified":false}"#
    );
    assert_eq!(
        "rectified".parse::<Model>().unwrap().interaction(),
        Some(Interaction::Rectified { degree: 3 })
    );
    assert!("quantum".parse::<Model>().is_err());
    // Memories travel through files.
    let pats = patterns(3, 16, 24);
    let dense = DenseMemory::new(pats.clone(), Interaction::Exponential { beta: 0.5 }).unwrap();
    let back: DenseMemory = serde_json::from_str(&serde_json::to_string(&dense).unwrap()).unwrap();
    assert_eq!(back, dense);
    let modern = ContinuousMemory::from_patterns(&pats, 2.0).unwrap();
    let back: ContinuousMemory =
        serde_json::from_str(&serde_json::to_string(&modern).unwrap()).unwrap();
    assert_eq!(back, modern);
    // Files are checked on the way in.
    let e = serde_json::from_str::<ContinuousMemory>(r#"{"n":0,"patterns":[],"beta":1.0}"#)
        .unwrap_err();
    assert!(e.to_string().contains("no neurons"), "{e}");
    let e = serde_json::from_str::<ContinuousMemory>(r#"{"n":1,"patterns":[1.0],"beta":-2.0}"#)
        .unwrap_err();
    assert!(e.to_string().contains("beta = -2 is invalid"), "{e}");
    let json = serde_json::to_string(&dense)
        .unwrap()
        .replace(r#""beta":0.5"#, r#""beta":0.0"#);
    assert!(serde_json::from_str::<DenseMemory>(&json).is_err());
}

#[test]
fn heat_bath_probabilities_follow_the_convention() {
    use hopfield::{Activation, Threshold};
    // One neuron without couplings: its field is 0, so x = h − θ = −θ at every update, and
    // the recorded states are independent heat-bath draws.
    let (t, x) = (0.5, 0.3);
    for (activation, off, gain) in [(Activation::Bipolar, -1, 2.0), (Activation::Binary, 0, 1.0)] {
        let net = Network::new(Weights::from_matrix(1, vec![0.0]).unwrap())
            .with_activation(activation)
            .with_threshold(Threshold::Uniform(-x))
            .unwrap();
        let draws = 40_000;
        let opts = RecallOptions::new(Dynamics::Asynchronous)
            .temperature(t)
            .max_steps(draws)
            .record_all(None);
        let r = net.recall(&[off], &opts, &mut seeded(25)).unwrap();
        let states = r.trajectory.unwrap().states;
        let on = states[1..].iter().filter(|s| s[0] == 1).count() as f64 / draws as f64;
        let expect = 1.0 / (1.0 + (-gain * x / t).exp());
        // Binomial standard deviation ≈ 0.0021: five of them.
        assert!(
            (on - expect).abs() < 0.011,
            "{activation:?}: {on} vs {expect}"
        );
    }
}

#[test]
fn the_exponential_model_never_overflows() {
    // Overlaps up to N = 4000: exp(4000) is far beyond f64, its log-sum-exp is not.
    let (n, p) = (4000, 50);
    let pats = patterns(p, n, 26);
    let memory = DenseMemory::new(pats.clone(), Interaction::Exponential { beta: 1.0 }).unwrap();
    let cue = noise::flip_fraction(pats.get(4).unwrap(), 0.3, &mut seeded(27)).unwrap();
    let r = memory
        .recall(
            &cue,
            &RecallOptions::new(Dynamics::Synchronous),
            &mut seeded(28),
        )
        .unwrap();
    assert_eq!(r.outcome, Outcome::Recalled { pattern: 4 });
    assert!(r.energy.is_finite());
    // −β⁻¹ ln Σ exp(β ξ·S) ≈ −N at the stored pattern.
    assert!((r.energy + n as f64).abs() < 1.0, "{}", r.energy);
    assert!(memory.energy(&cue).unwrap() > r.energy);
    // A high degree, scaled to stay finite.
    let poly = DenseMemory::new(pats.clone(), Interaction::Polynomial { degree: 40 }).unwrap();
    let r = poly
        .recall(&cue, &RecallOptions::new(Dynamics::Sweep), &mut seeded(29))
        .unwrap();
    assert_eq!(r.outcome, Outcome::Recalled { pattern: 4 });
}

#[test]
fn every_model_recalls_through_one_interface() {
    use hopfield::modern::Memory;
    let (n, p) = (120, 60); // α = 0.5
    let pats = patterns(p, n, 30);
    let mut rng = seeded(31);
    let cues: Vec<Vec<i8>> = (0..8)
        .map(|mu| noise::flip_fraction(pats.get(mu).unwrap(), 0.1, &mut rng).unwrap())
        .collect();
    let opts = RecallOptions::new(Dynamics::Asynchronous);
    for name in Model::NAMES {
        let model: Model = name.parse().unwrap();
        let memory = Memory::build(&model, &pats, &Rule::hebb()).unwrap();
        assert_eq!(memory.n(), n);
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let batch = one.install(|| memory.recall_batch(&cues, &opts, 32).unwrap());
        assert_eq!(batch, memory.recall_batch(&cues, &opts, 32).unwrap());
        let single = memory
            .recall(&cues[5], &opts, &mut hopfield::random::stream(32, 5))
            .unwrap();
        assert_eq!(batch[5], single, "{name}");
        // Synchronous batches go through the model's own batch (planned together for the
        // classical network): each cue as recalled alone.
        let sync = RecallOptions::new(Dynamics::Synchronous);
        let planned = memory.recall_batch(&cues, &sync, 33).unwrap();
        for (k, r) in planned.iter().enumerate() {
            let alone = memory.recall(&cues[k], &sync, &mut hopfield::random::stream(33, k as u64));
            assert_eq!(*r, alone.unwrap(), "{name}, cue {k}");
        }
        let recalled = batch
            .iter()
            .enumerate()
            .filter(|(mu, r)| r.outcome == Outcome::Recalled { pattern: *mu })
            .count();
        if *name == "classical" {
            assert_eq!(recalled, 0);
        } else {
            assert_eq!(recalled, cues.len(), "{name}");
        }
        let hot = opts.clone().temperature(1.0);
        let e = memory.recall(&cues[0], &hot, &mut rng);
        assert_eq!(e.is_err(), *name != "classical", "{name}");
    }
    // The modern model reports the steps it took and the signs it reached.
    let modern = Memory::build(&Model::modern(), &pats, &Rule::hebb()).unwrap();
    let r = modern.recall(&cues[2], &opts, &mut rng).unwrap();
    assert!(r.converged && r.steps <= 3, "{}", r.steps);
    assert_eq!(r.state, pats.get(2).unwrap());
    assert_eq!(r.overlaps[2], 1.0);
}

/// A modern network that reaches a stored pattern exactly in its one allowed update says
/// so: converged, recalled, one step.
#[test]
fn a_modern_run_that_reaches_its_fixed_point_within_the_limit_has_converged() {
    let pats = patterns(10, 64, 21);
    let memory = ContinuousMemory::from_patterns(&pats, 1.0).unwrap();
    let model = hopfield::modern::Memory::build(&Model::Modern { beta: 1.0 }, &pats, &Rule::hebb())
        .unwrap();
    let mut rng = seeded(22);
    for mu in 0..10 {
        let xi = pats.get(mu).unwrap();
        let cue = noise::flip_fraction(xi, 0.1, &mut rng).unwrap();
        let r = memory
            .retrieve_bipolar(&cue, &ModernOptions::default().max_steps(1))
            .unwrap();
        assert_eq!(r.error, 0.0, "pattern {mu}: one update reaches it exactly");
        assert!(r.converged, "pattern {mu}: {r:?}");
        assert_eq!(r.steps, 1);
        let options = RecallOptions::new(Dynamics::Synchronous).max_steps(1);
        let recall = model.recall(&cue, &options, &mut seeded(0)).unwrap();
        assert!(recall.converged);
        assert_eq!(recall.outcome, Outcome::Recalled { pattern: mu });
        assert_eq!((recall.steps, recall.hitting_time), (1, 1));
    }
    // Already at the pattern: no update moves it.
    let r = memory
        .retrieve_bipolar(pats.get(3).unwrap(), &ModernOptions::default())
        .unwrap();
    assert!(r.converged);
    assert_eq!(r.steps, 0);
}

/// `hitting_time` is the step of the last change, in the unit of `steps`; the steps after
/// it only confirm the final state (N updates of asynchronous dynamics, one sweep or step
/// for the others).
#[test]
fn hitting_time_is_when_the_final_state_was_reached() {
    let pats = patterns(5, 120, 31);
    let net = Network::from_patterns(&pats, &Rule::hebb()).unwrap();
    let xi = pats.get(2).unwrap();
    for dynamics in [
        Dynamics::Asynchronous,
        Dynamics::Sweep,
        Dynamics::Sequential,
        Dynamics::Synchronous,
    ] {
        let cue = noise::flip_fraction(xi, 0.2, &mut seeded(32)).unwrap();
        let plain = net
            .recall(&cue, &RecallOptions::new(dynamics), &mut seeded(33))
            .unwrap();
        let recorded = net
            .recall(
                &cue,
                &RecallOptions::new(dynamics).record_all(None),
                &mut seeded(33),
            )
            .unwrap();
        assert_eq!(plain.hitting_time, recorded.hitting_time, "{dynamics}");
        assert_eq!(
            plain.outcome,
            Outcome::Recalled { pattern: 2 },
            "{dynamics}"
        );
        let states = recorded.trajectory.unwrap().states;
        let t = plain.hitting_time;
        assert!(
            t > 0 && t < plain.steps,
            "{dynamics}: {t} of {}",
            plain.steps
        );
        assert!(states[t..].iter().all(|s| s == &plain.state), "{dynamics}");
        assert_ne!(states[t - 1], plain.state, "{dynamics}");
        let confirming = match dynamics {
            Dynamics::Asynchronous => 120,
            _ => 1,
        };
        assert_eq!(plain.steps - t, confirming, "{dynamics}");
    }
}
