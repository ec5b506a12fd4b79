"""examples/course_page.ipynb runs headless from top to bottom and shows what the course
page shows; its code, exported as a script, type-checks under mypy --strict."""

import os
import pathlib
import re

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
nbconvert = pytest.importorskip("nbconvert")

from test_typing import mypy  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[3]
NOTEBOOK = ROOT / "examples" / "course_page.ipynb"


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    folder = tmp_path_factory.mktemp("notebook")
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    )
    # The kernel draws figures as Jupyter does (inline PNG), whatever backend the tests use.
    backend = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    try:
        client.execute()
    finally:
        if backend is None:
            del os.environ["MPLBACKEND"]
        else:
            os.environ["MPLBACKEND"] = backend
    return nb


def outputs(nb):
    for cell in nb.cells:
        if cell.cell_type == "code":
            yield from cell.get("outputs", [])


def text(nb):
    return "".join(o.get("text", "") for o in outputs(nb) if o.output_type == "stream")


def test_the_notebook_runs_without_errors(executed):
    errors = [o for o in outputs(executed) if o.output_type == "error"]
    assert errors == []
    assert all(cell.get("execution_count") for cell in executed.cells if cell.cell_type == "code")


def test_the_notebook_recalls_what_the_page_recalls(executed):
    out = text(executed)
    # One stored pattern and two stored patterns: the error reaches 0.
    assert "one pattern: recalled pattern 0, final error 0" in out
    assert "two patterns: recalled pattern 0, final error 0" in out
    # The letters: the noisy X is recalled; half of BU with noise recalls BU.
    assert "letters: recalled pattern 1" in out
    m_bu, m_bc = map(float, re.search(
        r"two images, half unknown: .*, overlap ([\d.]+) with BU, ([\d.]+) with BC", out).groups())
    assert m_bu > 0.95 and m_bc < m_bu - 0.1
    mean = float(re.search(r"crosstalk, overlap 50: mean ([\d.]+)", out).group(1))
    assert 45 < mean < 55
    # Beyond the page: every pattern is a fixed point at low load, few beyond α_c.
    low, high = map(float, re.search(
        r"capacity: fixed points ([\d.]+) at alpha 0.02, ([\d.]+) at alpha 0.20", out).groups())
    assert low == 1.0 and high < 0.2


def test_the_notebook_shows_figures_and_rich_views(executed):
    pngs = [o for o in outputs(executed) if "image/png" in o.get("data", {})]
    assert len(pngs) >= 15
    html = [o["data"]["text/html"] for o in outputs(executed)
            if o.output_type == "execute_result" and "text/html" in o.get("data", {})]
    assert any("hopfield.Recall:" in h for h in html)
    assert any("hopfield.Network" in h and "N = 25 (5 × 5)" in h for h in html)
    assert any("hopfield.RecallBatch of 200 cues" in h for h in html)


def test_the_notebook_code_type_checks_under_strict(tmp_path):
    script, _ = nbconvert.PythonExporter().from_filename(str(NOTEBOOK))
    (tmp_path / "course_page.py").write_text(script)
    code, out = mypy("--strict", "course_page.py", cwd=tmp_path)
    assert code == 0, out
