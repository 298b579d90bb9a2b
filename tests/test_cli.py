"""The command's conventions: exit codes, PIA_CORPUS, stdout for data only, no cell limit, --json,
shell completion, and no terminal escape from a document's values or a hostile folder name."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.cli import main
from pipeline.corpus.store import CorpusStore
from tests.corpus_fixture import AOBA, AOBA_2024, SAKURA, extractions, write_corpus

ROOT = Path(__file__).resolve().parent.parent
COUNT = "SELECT count(*) AS n FROM documents"


@pytest.fixture
def corpus(tmp_path):
    return write_corpus(tmp_path / "corpus")


def pia(*args: str, env: dict | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, timeout=120)


def test_exit_codes_success_usage_runtime(corpus, tmp_path):
    assert pia("query", "--corpus", str(corpus), COUNT).returncode == 0
    bad_sql = pia("query", "--corpus", str(corpus), "SELEC nothing")
    assert bad_sql.returncode == 1 and bad_sql.stdout == "" and "Traceback" not in bad_sql.stderr
    for args in (["query"], ["query", "--corpus", str(tmp_path / "none"), COUNT], ["query", "--no-such-option", COUNT],
                 ["query", "--corpus", str(corpus), "--max-width", "-1", COUNT], ["schema", "nope"], ["diff", "--corpus", str(corpus), "x"],
                 ["frobnicate"]):
        done = pia(*args)
        assert done.returncode == 2, args
        assert done.stdout == "" and done.stderr and "Traceback" not in done.stderr, args


def test_pia_corpus_environment_variable_then_default(corpus, tmp_path):
    done = pia("query", COUNT, "--format", "csv", env={"PIA_CORPUS": str(corpus)}, cwd=tmp_path)
    assert done.returncode == 0 and done.stdout == "n\n3\n"
    # --corpus wins over the variable
    assert pia("query", "--corpus", str(corpus), COUNT, "--format", "csv", env={"PIA_CORPUS": "/nowhere"}).stdout == "n\n3\n"
    # neither: data/parquet under the current folder
    env = {k: v for k, v in os.environ.items() if k != "PIA_CORPUS"}
    (tmp_path / "data").mkdir()
    corpus.rename(tmp_path / "data" / "parquet")
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "query", COUNT, "-f", "csv"], capture_output=True, text=True,
                          cwd=tmp_path, env={**env, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert done.returncode == 0 and done.stdout == "n\n3\n"


def test_ctrl_c_exits_130_without_traceback(corpus, monkeypatch, capsys):
    def interrupted(*_):
        raise KeyboardInterrupt
    monkeypatch.setattr("pipeline.analysis.query.run", interrupted)
    assert main(["query", "--corpus", str(corpus), COUNT]) == 130
    assert "Traceback" not in capsys.readouterr().err


def test_data_alone_on_stdout(corpus, capsys):
    assert main(["tables", "--corpus", str(corpus)]) == 0
    out, err = capsys.readouterr()
    assert "corpus:" not in out and f"corpus: {corpus}" in err
    assert main(["tables", "--corpus", str(corpus), "--json"]) == 0
    rows = {r["table"]: r["rows"] for r in json.loads(capsys.readouterr().out)}
    assert rows["documents"] == 3 and rows["entrustments"] == 9


def test_max_width_zero_means_no_limit(corpus, capsys):
    sql = "SELECT repeat('あ', 60) AS long, 'x' AS short"
    assert main(["query", "--corpus", str(corpus), sql]) == 0
    cut = capsys.readouterr().out
    assert "あ" * 60 not in cut and "…" in cut
    assert main(["query", "--corpus", str(corpus), sql, "--max-width", "0"]) == 0
    whole = capsys.readouterr().out
    assert "あ" * 60 in whole and "…" not in whole


def test_json_wherever_results_are_printed(corpus, capsys):
    assert main(["query", "--corpus", str(corpus), "SELECT org_name FROM documents ORDER BY org_name", "--json"]) == 0
    assert [r["org_name"] for r in json.loads(capsys.readouterr().out)] == [AOBA, SAKURA, SAKURA]
    assert main(["schema", "documents", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["documents"][0]["column"] == "doc_id"
    assert main(["diff", "--corpus", str(corpus), "3f9", AOBA_2024, "--json"]) == 0
    diff = json.loads(capsys.readouterr().out)
    assert diff["b"]["org_name"] == AOBA and diff["differences"] == sum(it["differs"] for it in diff["items"]) > 0


def test_shell_completion_script():
    """The script ``pia --show-completion`` prints, asked for by name: ``--show-completion`` guesses
    the shell from the parent process, which a CI job or a background run does not have."""
    done = pia(env={"_PIA_COMPLETE": "source_bash"})
    assert done.returncode == 0 and "_PIA_COMPLETE=complete_bash" in done.stdout


def test_version_and_help():
    assert pia("--version").stdout.startswith("pia-corpus ")
    done = pia("--help")
    assert done.returncode == 0 and all(c in done.stdout for c in ("ingest", "query", "diff", "eval", "tables", "schema"))


# ---------------------------------------------------------------- hostile names and values

HOSTILE_FOLDERS = ['a" AS SELECT 1; CREATE TABLE pwn AS SELECT 42 AS injected; CREATE VIEW "b', 'evil"x', "Upper Case"]


def test_hostile_folder_names_run_nothing(corpus, capsys):
    for name in HOSTILE_FOLDERS:
        (corpus / name).mkdir()
        pq.write_table(pa.table({"injected": [1]}), corpus / name / "x.parquet")
    assert main(["tables", "--corpus", str(corpus), "--json"]) == 0
    names = [r["table"] for r in json.loads(capsys.readouterr().out)]
    assert not any(n in names for n in HOSTILE_FOLDERS) and "pwn" not in names
    assert main(["query", "--corpus", str(corpus), "SELECT * FROM pwn"]) == 1
    assert "pwn" in capsys.readouterr().err
    assert main(["query", "--corpus", str(corpus), COUNT, "-f", "csv"]) == 0
    assert capsys.readouterr().out == "n\n3\n"


ESCAPES = "\x1b]0;owned\x07\x1b[2J\x1b[31mred\u202eevil"


def _planted_corpus(root: Path) -> Path:
    """The fixture corpus with one business name carrying an OSC title change, a screen clear and a
    bidi override, written through the store like any extraction."""
    store = CorpusStore(root)
    for ext in extractions():
        if ext.document["doc_id"] == AOBA_2024:
            ext.document["business_name"] = "事務" + ESCAPES
        store.write(ext)
    return root


def test_control_characters_are_escaped_in_query_and_diff(tmp_path, capsys):
    corpus = _planted_corpus(tmp_path / "corpus")
    assert main(["query", "--corpus", str(corpus), "SELECT business_name FROM documents", "--max-width", "0"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "\\x1b]0;owned\\x07\\x1b[2J\\x1b[31mred\\u202eevil" in out
    assert main(["diff", "--corpus", str(corpus), "3f9", AOBA_2024, "--width", "300"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out and "\\x1b[31mred" in out
    # machine formats keep the value as it is
    assert main(["query", "--corpus", str(corpus), f"SELECT business_name FROM documents WHERE doc_id = '{AOBA_2024}'",
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["business_name"] == "事務" + ESCAPES
