//! The rules, dynamics and models beyond the classical network, through `hopfield recall`
//! on real files.

use std::path::Path;

use serde_json::Value;

mod common;
use common::run;

/// 60 random patterns of 200 neurons (α = 0.3, twice Hebb's capacity).
fn many(dir: &Path) -> String {
    let f = dir.join("many.npy");
    let f = f.to_str().unwrap().to_string();
    let r = run(&[
        "patterns", "random", "-n", "200", "--count", "60", "--seed", "1", "-o", &f,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    f
}

/// `recall --from INDEX --noise 0.1 --seed 2 --json` with more flags: the JSON of the cue.
fn recall_from(file: &str, index: &str, more: &[&str]) -> Value {
    let mut args = vec![
        "recall",
        "--patterns",
        file,
        "--from",
        index,
        "--noise",
        "0.1",
        "--seed",
        "2",
        "--json",
    ];
    args.extend_from_slice(more);
    let r = run(&args);
    assert_eq!(r.code, 0, "{more:?}: {}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

fn recall(file: &str, more: &[&str]) -> Value {
    recall_from(file, "7", more)
}

#[test]
fn models_and_rules_recall_beyond_hebbs_capacity() {
    let dir = tempfile::tempdir().unwrap();
    let f = many(dir.path());
    let hebb = recall(&f, &[]);
    assert_ne!(hebb["outcome"], "recalled", "Hebb fails at α = 0.3");
    for more in [
        &["--model", "dense"][..],
        &["--model", "dense", "--degree", "4"],
        &["--model", "rectified"],
        &["--model", "exponential", "--beta", "0.5"],
        &["--model", "modern", "--beta", "0.5"],
        &["--rule", "pseudo-inverse"],
        &["--rule", "perceptron", "--kappa", "0.2"],
    ] {
        let r = recall(&f, more);
        assert_eq!(r["outcome"], "recalled", "{more:?}: {r}");
        assert_eq!(r["pattern"], 7, "{more:?}");
    }
}

#[test]
fn temperature_and_dilution_follow_the_seed() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("few.npy");
    let f = f.to_str().unwrap();
    let r = run(&[
        "patterns", "random", "-n", "300", "--count", "5", "--seed", "3", "-o", f,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let warm = [
        "--dynamics",
        "sweep",
        "--temperature",
        "0.3",
        "--max-steps",
        "10",
    ];
    let a = recall_from(f, "2", &warm);
    assert_eq!(
        a,
        recall_from(f, "2", &warm),
        "same seed, same stochastic run"
    );
    assert_eq!(a["steps"], 10, "a run at T > 0 takes every step");
    let m = a["overlaps"][2].as_f64().unwrap();
    assert!(m > 0.8, "a low temperature keeps the pattern: m = {m}");
    let hot = [
        "--dynamics",
        "sweep",
        "--temperature",
        "10",
        "--max-steps",
        "10",
    ];
    let m = recall_from(f, "2", &hot)["overlaps"][2].as_f64().unwrap();
    assert!(m.abs() < 0.25, "heat forgets the pattern: m = {m}");
    let diluted = ["--dilution", "0.5", "--dynamics", "sweep"];
    let half = recall_from(f, "2", &diluted);
    assert_eq!(half["outcome"], "recalled", "{half}");
    assert_eq!(half, recall_from(f, "2", &diluted));
}

#[test]
fn options_of_another_rule_or_model_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let f = many(dir.path());
    let base = ["recall", "--patterns", &f, "--from", "0"];
    for (more, expect, code) in [
        (
            &["--kappa", "0.5"][..],
            "--kappa applies to --rule perceptron",
            2,
        ),
        (
            &["--activity", "0.1"],
            "--activity applies to --rule covariance",
            2,
        ),
        (&["--degree", "3"], "--degree applies to --model dense", 2),
        (
            &["--model", "dense", "--beta", "2"],
            "--beta applies to --model exponential",
            2,
        ),
        (
            &["--model", "dense", "--rule", "storkey"],
            "--rule applies to --model classical",
            2,
        ),
        (
            &["--model", "modern", "--dilution", "0.5"],
            "--dilution applies",
            2,
        ),
        (&["--model", "dense", "--degree", "1"], "degree", 2),
        (&["--model", "exponential", "--beta", "-1"], "beta", 2),
        (&["--temperature", "-1"], "temperature", 2),
        (&["--dilution", "1.5"], "dilution", 2),
        (&["--rule", "perceptron", "--kappa", "-0.1"], "kappa", 2),
        (&["--rule", "oja"], "expected one of", 2),
        (&["--model", "boltzmann"], "expected one of", 2),
        (
            &["--rule", "perceptron", "--max-epochs", "1"],
            "did not converge in 1 epochs",
            1,
        ),
    ] {
        let mut args = base.to_vec();
        args.extend_from_slice(more);
        let r = run(&args);
        assert_eq!(r.code, code, "{more:?}: {}", r.stderr);
        // One line, the argument parser's errors included.
        assert!(r.stderr.contains(expect), "{more:?}: {}", r.stderr);
        assert_eq!(r.stderr.trim().lines().count(), 1, "{more:?}: {}", r.stderr);
        assert!(!r.stderr.contains("panicked"));
    }
}

#[test]
fn pseudo_inverse_names_the_dependent_pattern() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("twice.txt");
    std::fs::write(&f, "#.#\n.#.\n\n##.\n...\n\n#.#\n.#.\n").unwrap();
    let r = run(&[
        "recall",
        "--patterns",
        f.to_str().unwrap(),
        "--from",
        "0",
        "--rule",
        "pseudo-inverse",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("linearly dependent") && r.stderr.contains("pattern 2"),
        "{}",
        r.stderr
    );
}

#[test]
fn every_model_is_saved_and_recalled_from_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = many(dir.path());
    for model in [
        &["--model", "dense", "--degree", "4"][..],
        &["--model", "rectified"],
        &["--model", "exponential", "--beta", "0.5"],
        &["--model", "modern", "--beta", "0.5"],
        &["--rule", "storkey"],
    ] {
        let net = dir.path().join("memory.hfn");
        let net = net.to_str().unwrap();
        let mut train = vec!["train", "--patterns", &f, "-o", net];
        train.extend_from_slice(model);
        let r = run(&train);
        assert_eq!(r.code, 0, "{model:?}: {}", r.stderr);
        let direct = recall(&f, model);
        let args = [
            "recall",
            "--network",
            net,
            "--patterns",
            &f,
            "--from",
            "7",
            "--noise",
            "0.1",
            "--seed",
            "2",
            "--json",
        ];
        let r = run(&args);
        assert_eq!(r.code, 0, "{model:?}: {}", r.stderr);
        let saved: Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(
            saved, direct,
            "{model:?}: the saved memory recalls as the built one"
        );
    }
    // A memory file whose parameters were altered is refused with the reason.
    let net = dir.path().join("dense.hfn");
    let r = run(&[
        "train",
        "--patterns",
        &f,
        "--model",
        "dense",
        "-o",
        net.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let bytes = std::fs::read(&net).unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let at = text
        .find("\"degree\\\":3")
        .expect("the degree is in the header");
    let mut altered = bytes.clone();
    altered[at + "\"degree\\\":".len()] = b'1';
    std::fs::write(&net, &altered).unwrap();
    let r = run(&["recall", "--network", net.to_str().unwrap(), "--from", "0"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("dense.hfn") && r.stderr.contains("degree"),
        "{}",
        r.stderr
    );
}

#[test]
fn perceptron_learning_reports_its_epochs() {
    let dir = tempfile::tempdir().unwrap();
    let f = many(dir.path());
    let r = run(&[
        "recall",
        "--patterns",
        &f,
        "--from",
        "3",
        "--rule",
        "perceptron",
        "--kappa",
        "0.2",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let line = r.stderr.lines().next().unwrap_or_default();
    assert!(
        line.starts_with("perceptron (κ = 0.2") && line.contains("converged after"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.starts_with("recalled pattern 3"), "{}", r.stdout);
}
