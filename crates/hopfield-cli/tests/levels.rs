//! Every kernel level (`HOPFIELD_SIMD`) gives the same bytes from the command line, and a
//! seed gives the same report on every machine.

mod common;

use std::path::Path;

use common::hopfield;
use hopfield::simd::{self, Level};

/// FNV-1a, 64 bits: a hash that is the same on every platform and in every version.
fn fnv(bytes: &[u8]) -> String {
    let h = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{h:016x}")
}

/// The command run with `HOPFIELD_SIMD` set to `level` (`None`: unset), its stdout.
fn output(args: &[&str], level: Option<Level>) -> Vec<u8> {
    let mut cmd = hopfield();
    cmd.args(args);
    match level {
        Some(l) => cmd.env(simd::VARIABLE, l.name()),
        None => cmd.env_remove(simd::VARIABLE),
    };
    let out = cmd.output().expect("runs");
    assert!(
        out.status.success(),
        "{args:?} at {level:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Every file under `dir`, by relative path, sorted.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn recall_gives_the_same_json_at_every_level() {
    let dir = tempfile::tempdir().unwrap();
    let random = dir.path().join("random.npy");
    let letters = dir.path().join("letters.npy");
    output(
        &[
            "patterns",
            "random",
            "-n",
            "500",
            "--count",
            "40",
            "--seed",
            "7",
            "-o",
            common::s(&random),
        ],
        None,
    );
    output(
        &["patterns", "page-letters", "-o", common::s(&letters)],
        None,
    );
    let runs: Vec<Vec<&str>> = vec![
        vec![
            "--patterns",
            common::s(&random),
            "--from",
            "3",
            "--noise",
            "0.2",
        ],
        vec![
            "--patterns",
            common::s(&random),
            "--from",
            "3",
            "--noise",
            "0.2",
            "--dynamics",
            "async",
        ],
        vec![
            "--patterns",
            common::s(&random),
            "--from",
            "5",
            "--noise",
            "0.3",
            "--dynamics",
            "sweep",
            "--representation",
            "dense",
        ],
        vec![
            "--patterns",
            common::s(&random),
            "--from",
            "1",
            "--noise",
            "0.1",
            "--rule",
            "storkey",
        ],
        vec![
            "--patterns",
            common::s(&random),
            "--from",
            "2",
            "--noise",
            "0.1",
            "--temperature",
            "0.3",
            "--dynamics",
            "sweep",
            "--max-steps",
            "20",
        ],
        vec![
            "--patterns",
            common::s(&random),
            "--from",
            "0",
            "--noise",
            "0.25",
            "--model",
            "dense",
            "--degree",
            "3",
        ],
        vec![
            "--patterns",
            common::s(&random),
            "--from",
            "0",
            "--noise",
            "0.25",
            "--model",
            "modern",
            "--beta",
            "0.1",
        ],
        vec![
            "--patterns",
            common::s(&letters),
            "--from",
            "2",
            "--noise",
            "0.2",
            "--rule",
            "outer01",
            "--tie",
            "minus",
        ],
    ];
    for run in runs {
        let args: Vec<&str> = ["recall", "--json", "--seed", "4"]
            .into_iter()
            .chain(run.iter().copied())
            .collect();
        let default = output(&args, None);
        for level in Level::supported() {
            assert_eq!(
                output(&args, Some(level)),
                default,
                "{args:?}: level {level} differs from the default"
            );
        }
    }
}

#[test]
fn the_tour_is_the_same_at_every_level() {
    let default = tempfile::tempdir().unwrap();
    output(
        &["tour", "--quiet", "--out", common::s(default.path())],
        None,
    );
    let expected = files(default.path());
    assert!(expected.len() >= 40, "{} files", expected.len());
    for level in Level::supported() {
        let dir = tempfile::tempdir().unwrap();
        output(
            &["tour", "--quiet", "--out", common::s(dir.path())],
            Some(level),
        );
        let got = files(dir.path());
        assert_eq!(got.len(), expected.len(), "level {level}");
        for ((name, a), (other, b)) in got.iter().zip(&expected) {
            assert_eq!(name, other);
            assert!(
                a == b,
                "level {level}: {name} differs from the default level's"
            );
        }
    }
}

/// The tour's numbers and figures for seed 1 are the same on every machine: these hashes
/// change only with a deliberate change of the library or of the figures.
#[test]
fn the_tour_is_pinned() {
    let dir = tempfile::tempdir().unwrap();
    output(
        &[
            "tour",
            "--quiet",
            "--seed",
            "1",
            "--out",
            common::s(dir.path()),
        ],
        None,
    );
    let hash = |f: &str| fnv(&std::fs::read(dir.path().join(f)).unwrap());
    assert_eq!(
        [
            hash("data/summary.json"),
            hash("figures/s3-error.png"),
            hash("figures/s6-recall.svg")
        ],
        ["2d1f717da48ec726", "fcc500e465a83a2a", "daf6180ad0854bed"]
    );
}

#[test]
fn an_invalid_level_is_refused_before_any_work() {
    let out = hopfield()
        .args(["patterns", "checkerboard"])
        .env(simd::VARIABLE, "sse9")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.trim(),
        "error: HOPFIELD_SIMD = sse9 is invalid: expected one of: scalar, avx2, avx512"
    );
    assert!(out.stdout.is_empty());
    // A level above what the processor runs names what it does run.
    if let Some(&above) = Level::ALL.iter().find(|&&l| l > simd::detected()) {
        let out = hopfield()
            .args(["info"])
            .env(simd::VARIABLE, above.name())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        let names: Vec<&str> = Level::supported().iter().map(|l| l.name()).collect();
        assert!(
            err.contains(&format!("this processor runs {} only", names.join(", "))),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    // `info` says which levels run, and which one is in force.
    let levels = String::from_utf8(output(&["info", "--levels"], None)).unwrap();
    let names: Vec<String> = Level::supported().iter().map(|l| l.to_string()).collect();
    assert_eq!(levels.lines().collect::<Vec<_>>(), names);
    let info = String::from_utf8(output(&["info"], Some(Level::Scalar))).unwrap();
    assert!(
        info.contains("kernels: scalar (forced by HOPFIELD_SIMD)"),
        "{info}"
    );
}
