//! The bad-input corpus (`tests/data/bad/`, see its `make.py` and `manifest.tsv`) through
//! the command that reads each file, saved networks end to end, and the argument checks
//! every front end shares.

use std::fs;
use std::path::{Path, PathBuf};

mod common;
use common::{run, s};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn data(name: &str) -> PathBuf {
    root().join("tests/data").join(name)
}

/// The manifest's entries: file, command, expected fragment.
fn manifest() -> Vec<(String, String, String)> {
    let text = fs::read_to_string(data("bad/manifest.tsv")).expect("manifest.tsv");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 3, "manifest line {l:?}");
            (f[0].to_string(), f[1].to_string(), f[2].to_string())
        })
        .collect()
}

#[test]
fn every_bad_input_is_refused_in_one_line_naming_the_file() {
    let entries = manifest();
    assert!(entries.len() >= 40, "only {} bad inputs", entries.len());
    let letters = data("letters.npy");
    let mut failures = Vec::new();
    for (name, command, fragment) in &entries {
        let file = data(&format!("bad/{name}"));
        // A file, or a link (to /dev/zero for the unbounded inputs).
        assert!(
            fs::symlink_metadata(&file).is_ok(),
            "{name} is listed but missing"
        );
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join(if command == "train-patterns" {
            "out.hfn"
        } else {
            "out.npy"
        });
        let f = s(&file);
        let args: Vec<&str> = match command.as_str() {
            "recall-patterns" => vec!["recall", "--patterns", f, "--from", "0", "-o", s(&out)],
            "train-patterns" => vec!["train", "--patterns", f, "-o", s(&out)],
            "recall-cue" => vec![
                "recall",
                "--patterns",
                s(&letters),
                "--cue",
                f,
                "-o",
                s(&out),
            ],
            "recall-network" => vec!["recall", "--network", f, "--from", "0", "-o", s(&out)],
            "recall-threshold" => vec![
                "recall",
                "--patterns",
                s(&letters),
                "--threshold",
                f,
                "--from",
                "0",
                "-o",
                s(&out),
            ],
            other => panic!("{name}: unknown command {other}"),
        };
        let r = run(&args);
        let lines: Vec<&str> = r.stderr.lines().collect();
        let problems = [
            (r.code == 0).then(|| "exit status 0".to_string()),
            (r.code != 1).then(|| format!("exit status {} (bad data is 1)", r.code)),
            (lines.len() != 1).then(|| format!("{} lines on stderr", lines.len())),
            (!r.stderr.contains(name.as_str())).then(|| "the file is not named".to_string()),
            (!r.stderr.contains(fragment.as_str())).then(|| format!("no {fragment:?}")),
            r.stderr.contains("panicked").then(|| "a panic".to_string()),
            // Text from the file is escaped and cut: no control character reaches the
            // terminal, and no line runs on with the file's contents.
            r.stderr
                .trim_end_matches('\n')
                .contains(char::is_control)
                .then(|| "a control character on stderr".to_string()),
            (r.stderr.chars().count() > 700)
                .then(|| format!("{} characters on stderr", r.stderr.chars().count())),
            out.exists()
                .then(|| "an output file was written".to_string()),
            (!r.stdout.is_empty()).then(|| "output on stdout".to_string()),
        ];
        let problems: Vec<String> = problems.into_iter().flatten().collect();
        if !problems.is_empty() {
            failures.push(format!(
                "{name} ({command}): {} — stderr: {}",
                problems.join(", "),
                r.stderr.trim_end()
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_file_in_the_corpus_is_in_the_manifest() {
    let listed: Vec<String> = manifest().into_iter().map(|e| e.0).collect();
    for entry in fs::read_dir(data("bad")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if ["make.py", "manifest.tsv", "README.md"].contains(&name.as_str()) {
            continue;
        }
        assert!(listed.contains(&name), "{name} is not in manifest.tsv");
    }
}

#[test]
fn train_then_recall_from_the_saved_network() {
    let dir = tempfile::tempdir().unwrap();
    let net = dir.path().join("letters.hfn");
    let letters = data("letters.npy");
    for repr in ["dense", "factored"] {
        let r = run(&[
            "train",
            "--patterns",
            s(&letters),
            "--representation",
            repr,
            "-o",
            s(&net),
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stderr.contains("stored 3 patterns of 25 neurons"),
            "{}",
            r.stderr
        );
        let args = ["--from", "2", "--noise", "0.12", "--json", "--seed", "3"];
        let saved = run(&[&["recall", "--network", s(&net)][..], &args].concat());
        let direct = run(&[
            &[
                "recall",
                "--patterns",
                s(&letters),
                "--representation",
                repr,
            ][..],
            &args,
        ]
        .concat());
        assert_eq!(saved.code, 0, "{}", saved.stderr);
        assert_eq!(saved.stdout, direct.stdout, "{repr}");
        assert!(saved.stdout.contains("\"outcome\""));
    }
}

#[test]
fn checked_in_version_1_networks_still_load() {
    // Written by `hopfield train --patterns letters.npy` with these flags.
    let letters = data("letters.npy");
    for (name, flags) in [
        (
            "network-v1-dense.hfn",
            ["--representation", "dense", "--threshold", "0"],
        ),
        (
            "network-v1-factored.hfn",
            ["--representation", "factored", "--threshold", "0.1"],
        ),
    ] {
        for from in ["0", "1", "2"] {
            let saved = run(&[
                "recall",
                "--network",
                s(&data(name)),
                "--from",
                from,
                "--json",
            ]);
            assert_eq!(saved.code, 0, "{name}: {}", saved.stderr);
            let direct = run(&[
                &[
                    "recall",
                    "--patterns",
                    s(&letters),
                    "--from",
                    from,
                    "--json",
                ][..],
                &flags,
            ]
            .concat());
            assert_eq!(saved.stdout, direct.stdout, "{name}");
        }
    }
}

#[test]
fn recall_network_flags_are_checked() {
    let net = data("network-v1-dense.hfn");
    let r = run(&[
        "recall",
        "--network",
        s(&net),
        "--rule",
        "hebb",
        "--from",
        "0",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cannot be used with"), "{}", r.stderr);
    let r = run(&["recall", "--from", "0"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--patterns"), "{}", r.stderr);
    // A network saved without patterns cannot build a cue from one.
    let dir = tempfile::tempdir().unwrap();
    let bare = dir.path().join("bare.hfn");
    let bytes = fs::read(&net).unwrap();
    let mut network = hopfield_io::network::decode_network(&bytes).unwrap();
    network = hopfield::Network::new(network.weights().clone());
    hopfield_io::write_network(&bare, &network).unwrap();
    let r = run(&["recall", "--network", s(&bare), "--from", "0"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("stores no patterns; give them with --patterns FILE"),
        "{}",
        r.stderr
    );
    let r = run(&[
        "recall",
        "--network",
        s(&bare),
        "--patterns",
        s(&data("letters.npy")),
        "--from",
        "1",
        "--json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("\"pattern\": 1"), "{}", r.stdout);
}

#[test]
fn an_existing_file_is_not_clobbered_on_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("net.hfn");
    fs::write(&out, b"precious").unwrap();
    let r = run(&[
        "train",
        "--patterns",
        s(&data("bad/npy_value_2.npy")),
        "-o",
        s(&out),
    ]);
    assert_eq!(r.code, 1);
    assert_eq!(fs::read(&out).unwrap(), b"precious");
    // A write that fails (the target is a folder) leaves no temporary file behind.
    let folder = dir.path().join("folder.hfn");
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("keep"), b"x").unwrap();
    let r = run(&[
        "train",
        "--patterns",
        s(&data("letters.npy")),
        "-o",
        s(&folder),
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.contains("folder.hfn"), "{}", r.stderr);
    let names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert_eq!(fs::read(folder.join("keep")).unwrap(), b"x");
    assert_eq!(fs::read(&out).unwrap(), b"precious");
}

/// The exact messages the Python package (tests/test_errors.py) and the server
/// (tests/serve.rs) give for the same values: one check in the core.
#[test]
fn out_of_range_arguments_get_the_shared_message() {
    let letters = data("letters.npy");
    for (flag, value, message) in [
        (
            "--noise",
            "1.5",
            "noise = 1.5 is invalid: must lie between 0 and 1",
        ),
        (
            "--max-steps",
            "0",
            "max_steps = 0 is invalid: must be at least 1 (omit it for the default)",
        ),
    ] {
        let r = run(&[
            "recall",
            "--patterns",
            s(&letters),
            "--from",
            "0",
            flag,
            value,
        ]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert_eq!(r.stderr, format!("error: {message}\n"));
    }
}
