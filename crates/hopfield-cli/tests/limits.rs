//! The limits of the command line on the real binary: sizes whose product overflows,
//! requests beyond memory (including `ulimit -v`), the thread count, writes that are
//! interrupted or meet a planted link, and messages that quote hostile text.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{Run, run, s};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data")
        .join(name)
}

fn binary() -> PathBuf {
    assert_cmd::cargo::cargo_bin("hopfield")
}

/// Runs `hopfield ARGS` from a shell that first sets `ulimit -v KIB`.
fn run_limited(kib: u64, args: &[&str]) -> Run {
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {kib} && exec \"$0\" \"$@\""))
        .arg(binary())
        .args(args)
        .output()
        .expect("runs sh");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A refusal of bad data: exit status 1 (not 101, a panic, nor 134, an abort), one line
/// on stderr holding every fragment.
fn refused(r: &Run, fragments: &[&str]) {
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    for f in fragments {
        assert!(r.stderr.contains(f), "no {f:?} in {}", r.stderr);
    }
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn sizes_whose_product_overflows_are_refused_not_wrapped() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.npy");
    let net = dir.path().join("net.hfn");
    let letters = data("letters.npy");
    // 3 × 6148914691236517206 = 2^64 + 2: two neurons in wrapping arithmetic.
    let huge = "3x6148914691236517206";
    for args in [
        vec!["patterns", "x", "--size", huge],
        vec!["patterns", "random", "--size", huge, "-o", s(&out)],
        vec![
            "train",
            "--patterns",
            s(&letters),
            "--size",
            huge,
            "-o",
            s(&net),
        ],
        vec![
            "recall",
            "--patterns",
            s(&letters),
            "--size",
            huge,
            "--from",
            "0",
        ],
    ] {
        let r = run(&args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!(
                "size = {huge} is invalid: 3 x 6148914691236517206 neurons is more than"
            )),
            "{args:?}: {}",
            r.stderr
        );
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
        assert!(r.stdout.is_empty(), "{}", r.stdout);
    }
    // 1024 × (2^54 + 1) = 2^64 + 1024: one pattern of 1024 in wrapping arithmetic.
    let r = run(&[
        "patterns",
        "random",
        "-n",
        "1024",
        "--count",
        "18014398509481985",
        "-o",
        s(&out),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(
        r.stderr.trim_end(),
        "error: count × n = 18014398509481985 x 1024 is invalid: the product is more than \
         18446744073709551615 values, beyond what a machine can address"
    );
    assert_eq!(names(dir.path()), Vec::<String>::new());
}

#[test]
fn generators_and_experiments_beyond_memory_are_refused_with_the_figure() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.npy");
    let folder = dir.path().join("result");
    let cases: [(Vec<&str>, &str); 5] = [
        (
            vec!["patterns", "random", "-n", "1000000000000", "-o", s(&out)],
            "1 random pattern of 1000000000000 neurons needs 931.3 GiB but only ",
        ),
        (
            vec!["patterns", "x", "--size", "200000x200000", "-o", s(&out)],
            "1 pattern of 200000x200000 needs 37.3 GiB but only ",
        ),
        (
            vec!["capacity", "--trials", "1000000000000", "-o", s(&folder)],
            "keeping the results of 20000000000000 capacity units needs ",
        ),
        (
            vec!["attractors", "--starts", "100000000000000", "--json"],
            "keeping the results of 100000000000000 attractors units needs ",
        ),
        (
            vec![
                "crosstalk",
                "--samples",
                "1000000000000000",
                "-o",
                s(&folder),
            ],
            "1000000000000000 crosstalk samples of 100 neurons needs 14.2 PiB but only ",
        ),
    ];
    for (args, figure) in &cases {
        // Under an address-space limit of 4 GiB every one is beyond reach, whatever the
        // machine has; the limit is named.
        let r = run_limited(4 << 20, args);
        refused(
            &r,
            &[
                figure,
                " is available under the address-space limit (ulimit -v); ",
            ],
        );
        assert!(r.stdout.is_empty(), "{}", r.stdout);
        // Without the limit, the memory the machine has decides (the first two ask for
        // less than some machines have).
        if !args.contains(&"patterns") {
            let r = run(args);
            refused(&r, &[figure, " is available"]);
        }
    }
    assert_eq!(names(dir.path()), Vec::<String>::new());
}

#[test]
fn a_sweep_whose_units_do_not_fit_side_by_side_is_refused_before_it_runs() {
    // One unit holds its patterns, cues and results (P overlaps per result): far beyond
    // 4 GiB at these sizes, on any number of threads.
    for (args, what) in [
        (
            vec![
                "capacity", "-n", "1000000", "--alpha", "0.1", "--trials", "1", "--json",
            ],
            "a capacity trial of P = 100000 patterns of N = 1000000 neurons, on each of ",
        ),
        (
            vec![
                "basins",
                "-n",
                "100000",
                "--alpha",
                "0.1",
                "--noise",
                "0:1:0.0001",
                "--trials",
                "1",
                "--json",
            ],
            "a basins trial of P = 10000 patterns of N = 100000 neurons, 200020 cues, on each of ",
        ),
    ] {
        let start = Instant::now();
        let r = run_limited(4 << 20, &args);
        refused(
            &r,
            &[
                what,
                " is available under the address-space limit (ulimit -v); ",
            ],
        );
        assert!(start.elapsed() < Duration::from_secs(20), "{args:?}");
    }
}

#[test]
fn the_thread_count_is_bounded_and_the_bound_named() {
    let start = Instant::now();
    let r = run(&["crosstalk", "--samples", "100", "--threads", "5000"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .starts_with("error: --threads 5000 is more than the ")
            && r.stderr
                .contains(" allowed on this machine (four per core, at least 64)"),
        "{}",
        r.stderr
    );
    assert!(start.elapsed() < Duration::from_secs(10));
    let r = run(&["crosstalk", "--samples", "100", "--threads", "64", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn a_link_at_the_old_temporary_name_is_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim.txt");
    fs::write(&victim, b"keep me").unwrap();
    // `exec` keeps the shell's process id, so the link sits at `.out.npy.PID.tmp`: the
    // name earlier versions wrote to, through the link.
    let status = Command::new("sh")
        .arg("-c")
        .arg("ln -s \"$1\" \".out.npy.$$.tmp\" && exec \"$0\" patterns page-letters -o out.npy")
        .arg(binary())
        .arg(&victim)
        .current_dir(dir.path())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(fs::read(&victim).unwrap(), b"keep me");
    let written =
        hopfield_io::read_patterns(&dir.path().join("out.npy"), None, Default::default()).unwrap();
    assert_eq!(written, hopfield::generate::page::letters());
}

#[cfg(unix)]
#[test]
fn a_replaced_file_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let net = dir.path().join("private.hfn");
    fs::write(&net, b"old").unwrap();
    fs::set_permissions(&net, fs::Permissions::from_mode(0o600)).unwrap();
    let r = run(&[
        "train",
        "--patterns",
        s(&data("letters.npy")),
        "-o",
        s(&net),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(hopfield_io::read_network(&net).is_ok());
    let mode = fs::metadata(&net).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{mode:o}");
}

#[cfg(unix)]
#[test]
fn an_interrupted_write_leaves_no_temporary_file_and_the_old_file_intact() {
    use std::os::unix::process::ExitStatusExt;
    for signal in [libc::SIGINT, libc::SIGTERM] {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.npy");
        fs::write(&big, b"previous").unwrap();
        // 300 MB of patterns: generated, then streamed to a temporary file and synced.
        let mut child = Command::new(binary())
            .args(["patterns", "random", "-n", "100000", "--count", "3000"])
            .arg("-o")
            .arg(&big)
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(120);
        let temporary = loop {
            let found = names(dir.path())
                .into_iter()
                .find(|n| n.starts_with(".big.npy.") && n.ends_with(".tmp"));
            if let Some(name) = found {
                break name;
            }
            if let Some(status) = child.try_wait().unwrap() {
                panic!("the write ended ({status}) before its temporary file was seen");
            }
            assert!(Instant::now() < deadline, "no temporary file appeared");
            std::thread::sleep(Duration::from_millis(1));
        };
        assert!(!temporary.contains(&child.id().to_string()));
        // SAFETY: kill sends a signal to the child started above.
        assert_eq!(unsafe { libc::kill(child.id() as libc::pid_t, signal) }, 0);
        let status = child.wait().unwrap();
        assert_eq!(status.signal(), Some(signal), "{status}");
        assert_eq!(names(dir.path()), ["big.npy"], "signal {signal}");
        assert_eq!(fs::read(&big).unwrap(), b"previous");
    }
}

#[test]
fn control_characters_in_names_and_arguments_do_not_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    // A file name that would retitle the terminal and ring its bell.
    let name = dir.path().join("\u{1b}]0;owned\u{7}.npy");
    let r = run(&["recall", "--patterns", s(&name), "--from", "0"]);
    refused(&r, &["\\u{1b}]0;owned\\u{7}.npy"]);
    assert!(
        !r.stderr.trim_end().contains(char::is_control),
        "{:?}",
        r.stderr
    );
    // A bad flag value, echoed by the argument parser.
    let r = run(&["patterns", "x", "--size", "\u{1b}[2J"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("\\u{1b}[2J"), "{:?}", r.stderr);
    assert!(
        !r.stderr.replace('\n', "").contains(char::is_control),
        "{:?}",
        r.stderr
    );
    // A kind of pattern that is not one: quoted in our own message.
    let r = run(&["patterns", "\u{7}\u{1b}c"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("\\u{7}\\u{1b}c"), "{:?}", r.stderr);
    assert!(
        !r.stderr.trim_end().contains(char::is_control),
        "{:?}",
        r.stderr
    );
}
