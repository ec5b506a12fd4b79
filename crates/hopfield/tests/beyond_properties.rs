//! Properties of the rules and models beyond Hebb's: asynchronous dynamics never raise
//! their energy, on random small instances.

use hopfield::modern::{DenseMemory, Interaction};
use hopfield::{Dynamics, Network, Patterns, RecallOptions, Rule, Tie, random};
use proptest::collection::vec;
use proptest::prelude::*;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

const ASYNC_DYNAMICS: [Dynamics; 3] = [
    Dynamics::Asynchronous,
    Dynamics::Sweep,
    Dynamics::Sequential,
];

fn sign() -> impl Strategy<Value = i8> {
    prop_oneof![Just(1i8), Just(-1i8)]
}

fn tie() -> impl Strategy<Value = Tie> {
    prop_oneof![Just(Tie::Plus), Just(Tie::Minus), Just(Tie::Keep)]
}

/// `p` patterns of `n` neurons, a ±1 cue, a tie rule and a seed.
fn instance() -> impl Strategy<Value = (Patterns, Vec<i8>, Tie, u64)> {
    (4usize..=40, 1usize..=6).prop_flat_map(|(n, p)| {
        (
            vec(sign(), n * p).prop_map(move |d| Patterns::new(n, d).unwrap()),
            vec(sign(), n),
            tie(),
            any::<u64>(),
        )
    })
}

/// Checks that the recorded energies never rise by more than `tol`.
fn descends(energy: &[f64], tol: f64) -> Result<(), TestCaseError> {
    for (k, w) in energy.windows(2).enumerate() {
        prop_assert!(
            w[1] <= w[0] + tol,
            "energy rose at step {} from {} to {}",
            k + 1,
            w[0],
            w[1]
        );
    }
    Ok(())
}

fn options(dynamics: Dynamics, tie: Tie) -> RecallOptions {
    let mut opts = RecallOptions::new(dynamics).tie(tie);
    opts.record.measures = true;
    opts
}

proptest! {
    #![proptest_config(config(96))]

    /// Storkey's, the covariance and the pseudo-inverse rules give symmetric couplings with
    /// a non-negative diagonal, so an asynchronous update changes the energy by
    /// `−δ (h_i − θ_i) − ½ W_ii δ² ≤ 0`.
    #[test]
    fn symmetric_rules_descend((patterns, cue, tie, seed) in instance()) {
        for rule in [
            Rule::storkey(),
            Rule::covariance(),
            Rule::pseudo_inverse(),
            Rule::pseudo_inverse().zero_diagonal(true),
        ] {
            // Dependent patterns (pseudo-inverse) or all-on patterns (covariance) are refused.
            let Ok(net) = Network::from_patterns(&patterns, &rule) else { continue };
            prop_assert!(net.weights().is_symmetric());
            for dynamics in ASYNC_DYNAMICS {
                let r = net.recall(&cue, &options(dynamics, tie), &mut random::seeded(seed)).unwrap();
                let energy = r.trajectory.unwrap().energy;
                prop_assert!((energy[0] - net.energy(&cue).unwrap()).abs() < 1e-6);
                descends(&energy, 1e-5)?;
                if r.converged {
                    prop_assert!(net.is_fixed_point(&r.state, tie).unwrap());
                }
            }
        }
    }

    /// A dense associative memory's update picks the value with the lower energy.
    #[test]
    fn dense_memories_descend(
        (patterns, cue, tie, seed) in instance(),
        degree in 2u32..=6,
        beta in 0.05f64..3.0,
    ) {
        for interaction in [
            Interaction::Polynomial { degree },
            Interaction::Rectified { degree },
            Interaction::Exponential { beta },
        ] {
            let memory = DenseMemory::new(patterns.clone(), interaction).unwrap();
            for dynamics in ASYNC_DYNAMICS {
                let r = memory.recall(&cue, &options(dynamics, tie), &mut random::seeded(seed)).unwrap();
                let energy = r.trajectory.unwrap().energy;
                prop_assert_eq!(energy.len(), r.steps + 1);
                prop_assert!((energy[0] - memory.energy(&cue).unwrap()).abs() < 1e-9);
                prop_assert!((energy[r.steps] - r.energy).abs() < 1e-9);
                descends(&energy, 1e-9 * (1.0 + energy[0].abs()))?;
                if r.converged {
                    prop_assert!(memory.is_fixed_point(&r.state, tie).unwrap());
                }
            }
        }
    }
}
