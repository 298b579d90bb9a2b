"""The starter notebooks run top to bottom: on a full corpus (charts drawn), on one where only the
documents table has rows (every analysis says "no rows yet"), and on the bundled reports as ingested."""
import shutil
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="notebook tests need nbformat, nbclient and ipykernel")
nbclient = pytest.importorskip("nbclient", reason="notebook tests need nbformat, nbclient and ipykernel")
pytest.importorskip("ipykernel", reason="notebook tests need an ipykernel to run the notebooks in")
pytest.importorskip("matplotlib", reason="the notebooks draw with matplotlib")

from tests.corpus_fixture import write_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def execute(path: Path, corpus: Path, monkeypatch) -> list[dict]:
    """Run the notebook as a researcher would (from notebooks/, corpus in PIA_CORPUS); its outputs."""
    monkeypatch.setenv("PIA_CORPUS", str(corpus))
    nb = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}}).execute()
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]


def texts(outputs) -> str:
    return "".join(o.get("text", "") for o in outputs if o["output_type"] == "stream")


def images(outputs) -> int:
    return sum("image/png" in o.get("data", {}) for o in outputs)


MISSING_GLYPH = "missing from font"  # matplotlib's warning when a label's characters have no glyph


def no_missing_glyphs(outputs) -> bool:
    return MISSING_GLYPH not in texts(outputs)


def _draw_japanese_label(tmp_path: Path) -> list[str]:
    """Warnings from drawing a chart with a Japanese title (what every notebook does)."""
    import warnings

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.set_title("評価書の種類ごとの件数")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(tmp_path / "chart.png")
    plt.close(fig)
    return [str(w.message) for w in caught]


def test_japanese_labels_have_glyphs_with_the_bundled_font(tmp_path):
    import matplotlib
    from matplotlib import font_manager

    from pipeline.analysis.notebook import use_japanese_font

    saved = matplotlib.rcParams.copy()
    try:
        matplotlib.rcParams["font.family"] = ["DejaVu Sans"]  # matplotlib's default: no Japanese glyphs
        assert any(MISSING_GLYPH in w for w in _draw_japanese_label(tmp_path))  # the check can fail
        name = use_japanese_font()
        assert not any(MISSING_GLYPH in w for w in _draw_japanese_label(tmp_path))
        path = font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
        assert "matplotlib_fontja" in path  # the package's own font, not whatever this machine has installed
    finally:
        matplotlib.rcParams.update(saved)


def test_there_are_starter_notebooks():
    assert [p.name for p in NOTEBOOKS] == ["01_corpus_overview.ipynb", "02_entrustment_network.ipynb",
                                           "03_risk_answers_by_org.ipynb"]
    for path in NOTEBOOKS:  # committed without outputs, so diffs of the repository stay readable
        assert all(not c.get("outputs") for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_and_draws_on_a_full_corpus(path, tmp_path, monkeypatch):
    outputs = execute(path, write_corpus(tmp_path / "corpus"), monkeypatch)
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert images(outputs) >= 2
    assert "no rows yet" not in texts(outputs)
    assert no_missing_glyphs(outputs)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_when_extractor_tables_are_empty(path, tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "corpus", tables=set())
    shutil.rmtree(corpus / "entrustments")  # a table no extractor has written yet
    shutil.rmtree(corpus / "risk_answers")
    outputs = execute(path, corpus, monkeypatch)
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert "no rows yet" in texts(outputs)


def test_notebooks_run_on_the_bundled_reports(tmp_path, monkeypatch):
    try:
        from pipeline.ingest.batch import ingest
    except ModuleNotFoundError as exc:  # a checkout without the parser modules the ingest needs
        pytest.skip(f"pipeline.ingest cannot be imported here: {exc}")
    corpus = tmp_path / "parquet"
    summary = ingest([str(ROOT / "data" / "raw")], corpus)
    assert summary.status["ok"] + summary.status["partial"] == len(list((ROOT / "data" / "raw").iterdir()))
    for path in NOTEBOOKS:
        outputs = execute(path, corpus, monkeypatch)
        assert not [o for o in outputs if o["output_type"] == "error"], path.name
        assert no_missing_glyphs(outputs), path.name


def test_the_notebooks_extra_installs_what_they_import():
    """Every module a notebook (or its helper) imports comes from the standard library, this project,
    its dependencies or the ``notebooks`` extra, which also brings Jupyter."""
    import ast
    import re
    import sys
    import tomllib
    from importlib.metadata import packages_distributions

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    name = lambda req: re.split(r"[<>=!\[; ]", req)[0].lower().replace("_", "-")  # noqa: E731
    extra = {name(r) for r in project["optional-dependencies"]["notebooks"]}
    provided = {name(r) for r in project["dependencies"]} | extra
    assert "jupyterlab" in extra and "matplotlib-fontja" in extra
    sources = [c.source for p in NOTEBOOKS for c in nbformat.read(p, as_version=4).cells if c.cell_type == "code"]
    sources.append((ROOT / "pipeline" / "analysis" / "notebook.py").read_text(encoding="utf-8"))
    modules = {(n.module if isinstance(n, ast.ImportFrom) else a.name).split(".")[0]
               for src in sources for n in ast.walk(ast.parse(src)) if isinstance(n, (ast.Import, ast.ImportFrom))
               for a in n.names}
    dists = packages_distributions()
    for module in modules - set(sys.stdlib_module_names) - {"pipeline", "parsers", "normalizers"}:
        assert {d.lower().replace("_", "-") for d in dists.get(module, [])} & provided, module
