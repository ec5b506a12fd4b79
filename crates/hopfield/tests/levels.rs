//! Every kernel level gives the same bits, and a seed gives the same results on every
//! machine: a fixed set of seeded runs — every dynamics on every representation, the
//! packed path, Glauber dynamics, the rules, the dense and modern models and the
//! experiments — printed as JSON by this test binary at each level the processor runs
//! (`HOPFIELD_SIMD`), compared byte for byte, and pinned by a hash.

use std::process::Command;

use hopfield::AssociativeMemory;
use hopfield::experiment::{self, BasinsConfig, CapacityConfig};
use hopfield::modern::{ContinuousMemory, DenseMemory, Interaction, ModernOptions};
use hopfield::random::{self, seeded};
use hopfield::simd::{self, Level};
use hopfield::{
    DenseMatrix, Dynamics, Network, Patterns, RecallOptions, Representation, Rule, Tie, Weights,
    generate, noise,
};
use serde_json::{Value, json};

const BEGIN: &str = "--- runs begin ---";
const END: &str = "--- runs end ---";

/// FNV-1a, 64 bits: a hash that is the same on every platform and in every version.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

const DYNAMICS: [Dynamics; 4] = [
    Dynamics::Synchronous,
    Dynamics::Asynchronous,
    Dynamics::Sweep,
    Dynamics::Sequential,
];

/// A random symmetric matrix with zero diagonal, values from `value`.
fn symmetric<T: Copy + Default>(n: usize, seed: u64, value: impl Fn(u64) -> T) -> Vec<T> {
    let mut rng = seeded(seed);
    let mut m = vec![T::default(); n * n];
    for i in 0..n {
        for j in 0..i {
            let v = value(rand::Rng::next_u64(&mut rng));
            m[i * n + j] = v;
            m[j * n + i] = v;
        }
    }
    m
}

/// Runs of every dynamics on `net`, from `cues`, with and without per-step records.
fn runs_of(net: &Network, cues: &[Vec<i8>], temperature: f64, seed: u64) -> Vec<Value> {
    let mut out = Vec::new();
    for dynamics in DYNAMICS {
        for (k, tie) in [Tie::Plus, Tie::Minus, Tie::Keep].into_iter().enumerate() {
            let cue = &cues[k % cues.len()];
            let options = RecallOptions::new(dynamics)
                .tie(tie)
                .temperature(temperature)
                .max_steps(if dynamics == Dynamics::Asynchronous {
                    20 * net.n()
                } else {
                    20
                });
            let plain = net.recall(cue, &options, &mut seeded(seed)).unwrap();
            let recorded = net
                .recall(
                    cue,
                    &options.clone().record_all(Some(cues[0].clone())),
                    &mut seeded(seed),
                )
                .unwrap();
            out.push(json!({ "dynamics": dynamics.name(), "tie": tie.to_string(),
                "plain": plain, "recorded": recorded }));
        }
    }
    out
}

fn cues(patterns: &Patterns, count: usize, noise_level: f64, seed: u64) -> Vec<Vec<i8>> {
    let mut rng = seeded(seed);
    (0..count)
        .map(|k| {
            noise::flip_fraction(
                patterns.get(k % patterns.len()).unwrap(),
                noise_level,
                &mut rng,
            )
            .unwrap()
        })
        .collect()
}

/// The fixed set of runs, as JSON.
fn runs() -> String {
    let mut doc = serde_json::Map::new();
    let mut rng = seeded(1);

    // The samplers.
    doc.insert(
        "samplers".into(),
        json!({
            "index": (0..8).map(|_| random::index(&mut rng, 1000)).collect::<Vec<_>>(),
            "unit": (0..4).map(|_| random::unit(&mut rng)).collect::<Vec<_>>(),
            "normal": (0..4).map(|_| random::normal(&mut rng)).collect::<Vec<_>>(),
            "sample": random::sample(&mut rng, 50, 6),
            "patterns": generate::random_patterns(2, 40, 0.3, &mut rng).unwrap().as_flat(),
        }),
    );

    // Hebb's rule, factored and dense (int8 couplings, int16 and int32 fields).
    let patterns = generate::random_patterns(20, 300, 0.5, &mut seeded(2)).unwrap();
    let noisy = cues(&patterns, 3, 0.2, 3);
    for repr in [Representation::Factored, Representation::Dense] {
        let net = Network::train(&patterns, &Rule::hebb(), repr).unwrap();
        doc.insert(
            format!("hebb {repr:?}"),
            json!(runs_of(&net, &noisy, 0.0, 4)),
        );
        doc.insert(
            format!("glauber {repr:?}"),
            json!(runs_of(&net, &noisy, 0.4, 5)),
        );
    }
    // Dense matrices of every stored type, −128 among the int8 values.
    let n = 97;
    let cue: Vec<i8> = (0..n).map(|_| random::sign(&mut rng)).collect();
    let alt: Vec<i8> = (0..n).map(|_| random::sign(&mut rng)).collect();
    let matrices = [
        ("int8", DenseMatrix::I8(symmetric(n, 6, |x| x as i8))),
        ("int16", DenseMatrix::I16(symmetric(n, 7, |x| x as i16))),
        (
            "int32",
            DenseMatrix::I32(symmetric(n, 8, |x| (x >> 40) as i32)),
        ),
        (
            "float32",
            DenseMatrix::F32(symmetric(n, 9, |x| {
                (x >> 11) as f32 / (1u64 << 53) as f32 - 0.5
            })),
        ),
    ];
    for (name, m) in matrices {
        let net = Network::new(Weights::from_dense_parts(n, m, 0.25).unwrap());
        doc.insert(
            format!("dense {name}"),
            json!(runs_of(&net, &[cue.clone(), alt.clone()], 0.0, 10)),
        );
    }
    let gaussian = Network::new(Weights::gaussian(80, 1.0, &mut seeded(11)).unwrap());
    doc.insert(
        "gaussian glauber".into(),
        json!(runs_of(&gaussian, &[cue[..80].to_vec()], 0.7, 12)),
    );

    // Synchronous Hebbian recall in batches (the bit-packed path where it runs), below
    // and past capacity.
    for (p, n) in [(100, 1000), (180, 1000)] {
        let patterns = generate::random_patterns(p, n, 0.5, &mut seeded(13)).unwrap();
        let net = Network::from_patterns(&patterns, &Rule::hebb()).unwrap();
        let batch = net
            .recall_batch(
                &cues(&patterns, 12, 0.15, 14),
                &RecallOptions::new(Dynamics::Synchronous),
                15,
            )
            .unwrap();
        doc.insert(format!("batch {p}x{n}"), json!(batch));
    }

    // The other rules.
    let patterns = generate::random_patterns(12, 100, 0.5, &mut seeded(16)).unwrap();
    let noisy = cues(&patterns, 2, 0.15, 17);
    for rule in [
        Rule::storkey(),
        Rule::pseudo_inverse(),
        hopfield::rule::Perceptron::default().kappa(0.3).into(),
        Rule::covariance(),
        Rule::outer01(),
    ] {
        let net = Network::from_patterns(&patterns, &rule).unwrap();
        let options = RecallOptions::new(Dynamics::Sweep).record_all(None);
        let r = net.recall(&noisy[0], &options, &mut seeded(18)).unwrap();
        let sync = net
            .recall(&noisy[1], &RecallOptions::default(), &mut seeded(18))
            .unwrap();
        doc.insert(format!("rule {rule}"), json!([r, sync]));
    }

    // The dense and modern models.
    for interaction in [
        Interaction::Polynomial { degree: 3 },
        Interaction::Rectified { degree: 4 },
        Interaction::Exponential { beta: 0.1 },
    ] {
        let memory = DenseMemory::new(patterns.clone(), interaction).unwrap();
        let runs: Vec<_> = [
            Dynamics::Synchronous,
            Dynamics::Asynchronous,
            Dynamics::Sweep,
        ]
        .into_iter()
        .map(|d| {
            memory
                .recall(
                    &noisy[0],
                    &RecallOptions::new(d).record_all(None),
                    &mut seeded(19),
                )
                .unwrap()
        })
        .collect();
        doc.insert(format!("model {interaction}"), json!(runs));
    }
    let modern = ContinuousMemory::from_patterns(&patterns, 0.05).unwrap();
    let retrieval = modern
        .retrieve_bipolar(&noisy[1], &ModernOptions::default())
        .unwrap();
    doc.insert("modern".into(), json!(retrieval));

    // Experiments.
    let capacity = experiment::capacity(
        &CapacityConfig::default()
            .n(200)
            .alphas(vec![0.05, 0.15])
            .trials(2),
    )
    .unwrap();
    doc.insert("capacity".into(), json!(capacity));
    let basins = experiment::basins(&BasinsConfig::default().n(200)).unwrap();
    doc.insert("basins".into(), json!(basins));
    let crosstalk = experiment::crosstalk(500, 3, 2000, &mut seeded(20)).unwrap();
    doc.insert("crosstalk".into(), json!(crosstalk));

    serde_json::to_string(&Value::Object(doc)).unwrap()
}

/// Prints the runs for [`every_level_gives_the_same_bytes`], which runs it in a child
/// process at each level.
#[test]
#[ignore = "run in a child process by every_level_gives_the_same_bytes"]
fn print_runs() {
    println!("{BEGIN}{}{END}", runs());
}

#[test]
fn every_level_gives_the_same_bytes() {
    let here = runs();
    let exe = std::env::current_exe().unwrap();
    let mut compared = Vec::new();
    for level in Level::supported() {
        let out = Command::new(&exe)
            .args([
                "--exact",
                "print_runs",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(simd::VARIABLE, level.name())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "level {level}: {text}");
        let start = text.find(BEGIN).expect("the child printed the runs") + BEGIN.len();
        let end = text.find(END).expect("the child printed the runs");
        let there = &text[start..end];
        assert!(
            there == here,
            "level {level} differs from level {}: hash {:016x} vs {:016x}",
            simd::level().unwrap(),
            fnv(there.as_bytes()),
            fnv(here.as_bytes())
        );
        compared.push(level.name());
    }
    if !compared.contains(&"avx512") {
        eprintln!(
            "levels compared: {} (this processor has no AVX-512: that level is compared on \
             machines that have it)",
            compared.join(", ")
        );
    }
}

/// The same runs give the same bytes on every machine: this hash changes only when a
/// result does, which must be a deliberate change of the library (say so in its notes).
#[test]
fn the_runs_are_pinned() {
    let json = runs();
    assert_eq!(format!("{:016x}", fnv(json.as_bytes())), "727081d3bf112b1c");
}

/// Seeded recalls of each dynamics end in these states, written `+`/`-` row by row (the
/// page's letter A, four pixels flipped), with their steps and hitting times.
#[test]
fn seeded_recalls_are_pinned() {
    let letters = generate::page::letters();
    let net = Network::from_patterns(&letters, &Rule::hebb()).unwrap();
    let cue = noise::flip(letters.get(2).unwrap(), 4, &mut seeded(3)).unwrap();
    let mut got = Vec::new();
    for (dynamics, temperature) in [
        (Dynamics::Synchronous, 0.0),
        (Dynamics::Asynchronous, 0.0),
        (Dynamics::Sweep, 0.0),
        (Dynamics::Sequential, 0.0),
        (Dynamics::Sweep, 0.5),
        (Dynamics::Asynchronous, 0.5),
    ] {
        let options = RecallOptions::new(dynamics)
            .temperature(temperature)
            .max_steps(if dynamics == Dynamics::Asynchronous {
                500
            } else {
                30
            });
        let r = net.recall(&cue, &options, &mut seeded(4)).unwrap();
        let state: String = r
            .state
            .iter()
            .map(|&s| if s > 0 { '+' } else { '-' })
            .collect();
        got.push(format!(
            "{dynamics} T={temperature}: {state} {} {}",
            r.steps, r.hitting_time
        ));
    }
    assert_eq!(
        got,
        [
            "sync T=0: --+---+-+-++++++---++---+ 2 1",
            "async T=0: --+---+-+-++++++---++---+ 64 39",
            "sweep T=0: --+---+-+-++++++---++---+ 2 1",
            "sequential T=0: --+---+-+-++++++---++---+ 2 1",
            "sweep T=0.5: --+-+-+-+-+-+-+-+-+-+---+ 30 30",
            "async T=0.5: +---+-+-+-+-+---+-+-+---+ 500 498",
        ]
    );
}
