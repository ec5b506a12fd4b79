"""Shared fixtures: the release `hopfield` binary of the workspace, for parity tests."""

import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]


def _binary():
    env = os.environ.get("HOPFIELD_BIN")
    if env:
        return pathlib.Path(env)
    return ROOT / "target" / "release" / "hopfield"


@pytest.fixture(scope="session")
def cli():
    """Runs `hopfield ARGS...`; returns the parsed JSON when --json is given, else stdout.

    Without the binary the parity tests are skipped, unless HOPFIELD_REQUIRE_CLI is set
    (scripts/python-test.sh sets it after `cargo build --release -p hopfield-cli`).
    """
    path = _binary()
    if not path.exists():
        message = f"{path} not found: run `cargo build --release -p hopfield-cli`"
        if os.environ.get("HOPFIELD_REQUIRE_CLI"):
            pytest.fail(message)
        pytest.skip(message)

    def run(*args):
        args = [str(a) for a in args]
        done = subprocess.run(
            [str(path), *args], capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, f"hopfield {' '.join(args)} failed:\n{done.stderr}"
        return json.loads(done.stdout) if "--json" in args else done.stdout

    return run
