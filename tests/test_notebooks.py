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
