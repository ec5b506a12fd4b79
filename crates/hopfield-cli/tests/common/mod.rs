//! What the command-line tests share: running the `hopfield` binary and reading its
//! exit code and output.

#![allow(dead_code)]

use std::path::Path;

use assert_cmd::Command;

/// The binary, ready for arguments.
pub fn hopfield() -> Command {
    Command::cargo_bin("hopfield").expect("binary built")
}

/// A finished run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the binary with `args`.
pub fn run(args: &[&str]) -> Run {
    let out = hopfield().args(args).output().expect("runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A path as the `&str` an argument list takes.
pub fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}
