//! The experiment commands: outputs, thread independence, shards and merge, errors.

use serde_json::Value;

mod common;
use common::{Run, run, s};

fn ok(args: &[&str]) -> Run {
    let r = run(args);
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    r
}

fn json(r: &Run) -> Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

const CAPACITY: &[&str] = &[
    "capacity",
    "--n",
    "200",
    "--alpha",
    "0.05:0.2:0.05",
    "--trials",
    "3",
    "--seed",
    "5",
];
const BASINS: &[&str] = &[
    "basins",
    "--n",
    "200",
    "--alpha",
    "0.05,0.12",
    "--noise",
    "0:0.4:0.1",
    "--trials",
    "3",
    "--cues",
    "10",
];
const ATTRACTORS: &[&str] = &["attractors", "--n", "120", "--p", "4", "--starts", "60"];

fn with(base: &[&str], more: &[&str]) -> Vec<String> {
    base.iter().chain(more).map(|s| s.to_string()).collect()
}

fn run_owned(args: &[String]) -> Run {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    ok(&refs)
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    for base in [CAPACITY, BASINS, ATTRACTORS] {
        let one = run_owned(&with(base, &["--json", "--threads", "1"]));
        let two = run_owned(&with(base, &["--json", "--threads", "2"]));
        assert_eq!(one.stdout, two.stdout, "{}", base[0]);
        assert_eq!(json(&one)["experiment"], base[0]);
    }
}

#[test]
fn json_mode_prints_only_json_and_no_progress_bar() {
    for base in [CAPACITY, BASINS, ATTRACTORS] {
        let r = run_owned(&with(base, &["--json"]));
        json(&r);
        assert_eq!(r.stderr, "", "{}", base[0]);
    }
    // Not on a terminal (stderr is a pipe here): no bar either, only the table on stdout.
    let r = ok(CAPACITY);
    assert_eq!(r.stderr, "");
    assert!(r.stdout.starts_with("capacity: N = 200"), "{}", r.stdout);
    assert_eq!(r.stdout.lines().count(), 2 + 4);
}

#[test]
fn tables_write_numbers_for_people() {
    // At α = 0.01 with N = 200 no neuron of a stored pattern flips: the bit error is 0,
    // written `0`, and the tiny predicted rate in scientific notation.
    let r = ok(&[
        "capacity",
        "-n",
        "200",
        "--alpha",
        "0.01,0.15",
        "--trials",
        "2",
    ]);
    let rows: Vec<&str> = r.stdout.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "{}", r.stdout);
    let first: Vec<&str> = rows[0].split_whitespace().collect();
    assert_eq!(
        first[4], "0",
        "measured bit errors at α = 0.01: {}",
        rows[0]
    );
    assert!(first[5].contains("e-"), "theory at α = 0.01: {}", rows[0]);
    assert!(!r.stdout.contains("e0"), "{}", r.stdout);
    let second: Vec<&str> = rows[1].split_whitespace().collect();
    assert!(
        second[4].starts_with("0.0"),
        "bit errors at α = 0.15: {}",
        rows[1]
    );
}

#[test]
fn three_merged_shards_equal_one_run_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    for base in [CAPACITY, BASINS, ATTRACTORS] {
        let name = base[0];
        let single = dir.path().join(format!("{name}-single"));
        let shards = dir.path().join(format!("{name}-shards"));
        let merged = dir.path().join(format!("{name}-merged"));
        run_owned(&with(base, &["-o", s(&single)]));
        for k in 1..=3 {
            let shard = format!("{k}/3");
            let r = run_owned(&with(base, &["--shard", &shard, "-o", s(&shards)]));
            assert!(r.stderr.contains(&format!("shard {k}/3")), "{}", r.stderr);
        }
        let mut parts: Vec<String> = std::fs::read_dir(&shards)
            .unwrap()
            .map(|e| e.unwrap().path().to_string_lossy().into_owned())
            .collect();
        parts.sort();
        parts.reverse(); // the order of the shards on the command line does not matter
        assert_eq!(parts.len(), 3);
        let mut args = vec!["merge".to_string()];
        args.extend(parts.iter().cloned());
        args.extend(["-o".to_string(), s(&merged).to_string()]);
        run_owned(&args);
        for ext in ["json", "csv", "svg", "png"] {
            let file = format!("{name}.{ext}");
            let a = std::fs::read(single.join(&file)).unwrap();
            let b = std::fs::read(merged.join(&file)).unwrap();
            assert!(!a.is_empty());
            assert!(a == b, "{file} differs between one run and merged shards");
        }
        // A shard's JSON names its slice and the units it covers.
        let part: Value = serde_json::from_slice(&std::fs::read(&parts[0]).unwrap()).unwrap();
        assert_eq!(part["experiment"], name);
        assert_eq!(part["shard"]["count"], 3);
        assert!(
            part["units"]
                .as_array()
                .unwrap()
                .iter()
                .all(|u| u["unit"].is_u64())
        );

        // A missing shard, a duplicated one, and a shard of another configuration are refused.
        let r = run(&["merge", &parts[0], &parts[1]]);
        assert_eq!(r.code, 1);
        assert!(r.stderr.contains("missing"), "{}", r.stderr);
        assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
        let r = run(&["merge", &parts[0], &parts[1], &parts[2], &parts[1]]);
        assert_eq!(r.code, 1);
        assert!(r.stderr.contains("more than one shard"), "{}", r.stderr);
    }
    let other = run_owned(&with(CAPACITY, &["--noise", "0.2", "--shard", "2/3"]));
    let other_path = dir.path().join("other.json");
    std::fs::write(&other_path, other.stdout).unwrap();
    let first = dir
        .path()
        .join("capacity-shards/capacity.shard-1-of-3.json");
    let r = run(&["merge", s(&first), s(&other_path)]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("another configuration"), "{}", r.stderr);
    let basins = dir.path().join("basins-shards/basins.shard-2-of-3.json");
    let r = run(&["merge", s(&first), s(&basins)]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("not capacity like the first"),
        "{}",
        r.stderr
    );
    let single = dir.path().join("capacity-single/capacity.json");
    let r = run(&["merge", s(&single)]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("not the output of a --shard run"),
        "{}",
        r.stderr
    );
}

#[test]
fn folder_output_has_figure_data_and_result() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_owned(&with(CAPACITY, &["-o", s(&out)]));
    let csv = std::fs::read_to_string(out.join("capacity.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "alpha,p,trials,fixed_point_fraction,predicted_fixed_point,bit_error_rate,predicted_bit_error,recalled_fraction,mean_overlap"
        )
    );
    assert_eq!(
        lines
            .next()
            .map(|l| l.split(',').take(3).collect::<Vec<_>>()),
        Some(vec!["0.05", "10", "3"])
    );
    let png = std::fs::read(out.join("capacity.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let svg = std::fs::read_to_string(out.join("capacity.svg")).unwrap();
    assert!(svg.contains("α_c ≈ 0.138"));
    let result: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("capacity.json")).unwrap()).unwrap();
    assert_eq!(result["config"]["n"], 200);
    assert_eq!(result["points"].as_array().unwrap().len(), 4);
    // Nothing else is left in the folder (no temporary files).
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "capacity.csv",
            "capacity.json",
            "capacity.png",
            "capacity.svg"
        ]
    );
}

#[test]
fn crosstalk_matches_theory_and_writes_its_histogram() {
    let r = ok(&[
        "crosstalk",
        "--n",
        "400",
        "--overlap",
        "100",
        "--samples",
        "4000",
        "--json",
    ]);
    let v = json(&r);
    let (mean, sd) = (v["mean"].as_f64().unwrap(), v["sd"].as_f64().unwrap());
    assert_eq!(v["predicted_mean"], 100.0);
    assert_eq!(v["predicted_sd"], 300f64.sqrt());
    // Four standard errors of the mean and of the standard deviation.
    assert!(
        (mean - 100.0).abs() < 4.0 * 300f64.sqrt() / 4000f64.sqrt(),
        "{mean}"
    );
    assert!(
        (sd - 300f64.sqrt()).abs() < 4.0 * 300f64.sqrt() / 8000f64.sqrt(),
        "{sd}"
    );
    assert!(v["ks_distance"].as_f64().unwrap() < v["ks_critical"].as_f64().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let r = ok(&["crosstalk", "--samples", "500", "-o", s(dir.path())]);
    assert!(r.stdout.contains("KS distance"), "{}", r.stdout);
    for f in [
        "crosstalk.svg",
        "crosstalk.png",
        "crosstalk.csv",
        "crosstalk.json",
    ] {
        assert!(dir.path().join(f).is_file(), "{f}");
    }
    let csv = std::fs::read_to_string(dir.path().join("crosstalk.csv")).unwrap();
    assert_eq!(csv.lines().count(), 501);
}

#[test]
fn attractors_count_every_start() {
    let v = json(&run_owned(&with(ATTRACTORS, &["--json"])));
    let classes = v["classes"].as_array().unwrap();
    let names: Vec<&str> = classes
        .iter()
        .map(|c| c["class"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "stored",
            "reversed",
            "mixture",
            "spurious",
            "cycle",
            "unconverged"
        ]
    );
    let total: u64 = classes.iter().map(|c| c["count"].as_u64().unwrap()).sum();
    assert_eq!(total, 60);
}

#[test]
fn usage_errors_exit_2_with_one_line() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["capacity", "--alpha", "0.2:0.1:0.01"],
            "FROM must not exceed TO",
        ),
        (
            &["capacity", "--alpha", "0.1:0.2:0"],
            "step must be positive",
        ),
        (&["capacity", "--alpha", "0.1:x:0.1"], "not a number"),
        (&["capacity", "--alpha=-0.1"], "loads must be positive"),
        (&["capacity", "--noise", "1.5"], "noise = 1.5"),
        (&["capacity", "--trials", "0"], "trials = 0"),
        (&["capacity", "--shard", "0/3"], "between 1 and 3"),
        (&["capacity", "--shard", "4/3"], "between 1 and 3"),
        (&["capacity", "--shard", "three"], "expected k/n"),
        (&["capacity", "--threads", "0"], "--threads"),
        (&["capacity", "--max-steps", "0"], "max-steps"),
        (
            &["basins", "--noise", "0:1.2:0.1"],
            "must lie between 0 and 1",
        ),
        (&["basins", "--cues", "0"], "cues = 0"),
        (&["attractors", "--p", "0"], "at least 1 pattern"),
        (&["attractors", "--starts", "0"], "starts = 0"),
        (
            &["crosstalk", "--n", "10", "--overlap", "11"],
            "cannot exceed",
        ),
    ];
    for (args, needle) in cases {
        let r = run(args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.starts_with("error: ") && r.stderr.contains(needle),
            "{args:?}: {}",
            r.stderr
        );
        assert_eq!(r.stderr.lines().count(), 1, "{args:?}: {}", r.stderr);
        assert_eq!(r.stdout, "");
    }
    // An unknown rule is refused by the flag parser (also exit 2).
    assert_eq!(run(&["capacity", "--rule", "nonsense"]).code, 2);
    // Unreadable shard files are data errors.
    let r = run(&["merge", "/nonexistent/shard.json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
}

/// On a terminal (a pseudo-terminal from util-linux `script`) the bar is drawn on stderr,
/// except with --json. Skipped where `script` is not installed.
#[test]
fn progress_bar_on_a_terminal_only_without_json() {
    let Ok(script) = which("script") else {
        eprintln!("`script` not found: the terminal case is not exercised");
        return;
    };
    let bin = assert_cmd::cargo::cargo_bin("hopfield");
    let on_tty = |extra: &str| -> String {
        // stdout to /dev/null, stderr to the terminal that `script` records.
        let cmd = format!(
            "{} capacity --n 300 --alpha 0.05:0.2:0.05 --trials 3 {extra} 2>&1 >/dev/null",
            bin.display()
        );
        let out = std::process::Command::new(&script)
            .args(["-qec", &cmd, "/dev/null"])
            .output()
            .expect("script runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let drawn = on_tty("");
    assert!(
        drawn.contains("capacity [") && drawn.contains("/12"),
        "{drawn:?}"
    );
    let json = on_tty("--json");
    assert!(!json.contains("capacity ["), "{json:?}");
    assert_eq!(json.trim(), "");
}

fn which(name: &str) -> Result<std::path::PathBuf, ()> {
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .ok_or(())
}
