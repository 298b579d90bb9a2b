"""End-to-end ingest into the Parquet corpus: types, idempotence, replace-on-change, crashes, bad input."""
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.cli import main
from pipeline.ingest.batch import ingest
from pipeline.corpus.schema import TABLES

from . import pdfgen
from .conftest import RAW, seed


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    summary = ingest([str(RAW)], out)
    return out, summary


def read(out: Path, table: str) -> pd.DataFrame:
    return pd.read_parquet(out / table)


def test_every_seed_ingests_ok_or_partial(corpus):
    out, summary = corpus
    docs = read(out, "documents")
    assert len(docs) == 5
    assert set(docs.status) <= {"ok", "partial"}
    assert summary.status["failed"] == 0


def test_every_table_exists_with_contract_columns(corpus):
    out, _ = corpus
    for table, cols in TABLES.items():
        got = pq.read_schema(next((out / table).glob("*.parquet"))).names
        assert got[: len(cols)] == [c for c, _, _ in cols], table


def test_arrow_types_follow_the_contract(corpus):
    out, _ = corpus
    # types as written in shared/corpus-schema.md
    expected = {
        "documents": {"page_count": pa.int32(), "warnings": pa.list_(pa.string()), "assessment_number": pa.int32(),
                      "published_on": pa.date32(), "schema_version": pa.string()},
        "fields": {"seq": pa.int32(), "confidence": pa.float64()},
        "systems": {"system_no": pa.int32(), "connections": pa.list_(pa.string())},
        "files": {"holding_start": pa.date32(), "entrusts": pa.bool_(), "entrustment_count": pa.int32()},
        "checklist_items": {"checked": pa.bool_()},
        "transfers": {"methods": pa.list_(pa.string()), "transfer_no": pa.int32()},
        "changes": {"changed_on": pa.date32(), "row_no": pa.int32()},
        "dates": {"date": pa.date32(), "era_year": pa.int32(), "valid": pa.bool_()},
    }
    for table, types in expected.items():
        schema = pq.read_schema(next((out / table).glob("*.parquet")))
        for col, typ in types.items():
            assert schema.field(col).type == typ, (table, col)


def test_duckdb_reads_the_corpus(corpus):
    out, _ = corpus
    n = duckdb.connect().execute(f"select count(*) from '{out}/documents/*.parquet'").fetchone()[0]
    assert n == 5


def test_doc_ids_are_sha256_prefixes(corpus):
    out, _ = corpus
    docs = read(out, "documents")
    assert all(s.startswith(d) and len(d) == 16 for d, s in zip(docs.doc_id, docs.source_sha256))


def test_same_input_twice_changes_nothing(tmp_path):
    src = tmp_path / "raw"
    shutil.copytree(RAW, src)
    out = tmp_path / "corpus"
    ingest([str(src)], out)
    before = {t: read(out, t) for t in TABLES}
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*.parquet")}
    second = ingest([str(src)], out)
    assert second.status["unchanged"] == 5
    for t in TABLES:
        pd.testing.assert_frame_equal(read(out, t), before[t])
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.parquet")} == mtimes


def test_changed_file_replaces_its_rows_everywhere(tmp_path):
    src = tmp_path / "report.txt"
    shutil.copy(seed("000"), src)
    out = tmp_path / "corpus"
    ingest([str(src)], out)
    old_id = read(out, "documents").doc_id.item()
    src.write_text(src.read_text(encoding="utf-8") + "\n追記\n", encoding="utf-8")
    ingest([str(src)], out)
    docs = read(out, "documents")
    assert len(docs) == 1 and docs.doc_id.item() != old_id
    for t in TABLES:
        assert old_id not in set(read(out, t).doc_id), t
    assert not list(out.rglob(f"{old_id}*"))


MINUTES = pdfgen.render([pdfgen.Table([120, 380], [["議題", "予算について"], ["結論", "継続審議とする"]],
                                       title="会議録")]).pdf
BAD_INPUTS = {
    "empty.txt": (b"", "empty file"),
    "junk.bin": (bytes(range(256)) * 40, "binary data"),
    "truncated.pdf": (pdfgen.truncated(MINUTES), "corrupt PDF"),
    "encrypted.pdf": (pdfgen.encrypted(), "encrypted PDF"),
    "scanned.pdf": (pdfgen.scanned(), "no text layer"),
    "minutes.pdf": (MINUTES, "not a PIA report"),
    "notes.txt": ("議事録\n本日の会議では予算について議論した。\n".encode(), "not a PIA report"),
}


def test_bad_inputs_fail_one_line_each_and_batch_continues(tmp_path, capsys):
    src = tmp_path / "raw"
    src.mkdir()
    for name, (data, _) in BAD_INPUTS.items():
        (src / name).write_bytes(data)
    shutil.copy(seed("003"), src / "good.txt")
    (src / "dangling.txt").symlink_to(tmp_path / "nowhere")
    out = tmp_path / "corpus"
    assert main(["ingest", str(src), "--out", str(out)]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    docs = read(out, "documents").set_index("source_path")
    failed = docs[docs.status == "failed"]
    assert len(failed) == len(BAD_INPUTS) + 1
    assert docs.loc[str(src / "good.txt"), "status"] in {"ok", "partial"}
    for name, (_, reason) in BAD_INPUTS.items():
        path = str(src / name)
        assert reason in failed.loc[path, "error"]
        assert sum(1 for line in err if path in line and reason in line) == 1
    assert "broken symbolic link" in failed.loc[str(src / "dangling.txt"), "error"]
    assert main(["ingest", str(src), "--out", str(out), "--strict", "--force"]) == 1


def test_cli_help_explains_each_subcommand():
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "ingest", "--help"], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0 and "--out" in done.stdout and "status = failed" in done.stdout


def test_parallel_ingest_writes_the_same_corpus(corpus, tmp_path):
    out, _ = corpus
    ingest([str(RAW)], tmp_path, jobs=2)
    for t in TABLES:
        a = read(out, t).sort_values(["doc_id"], kind="stable").reset_index(drop=True)
        b = read(tmp_path, t).sort_values(["doc_id"], kind="stable").reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b)


def test_fields_are_in_document_order(corpus):
    out, _ = corpus
    fields = read(out, "fields")
    for _, doc in fields.groupby("doc_id"):
        body = doc[doc.section != "cover"].sort_values("seq")
        first_lines = body.source_ref.str.extract(r"^L(\d+)")[0].dropna().astype(int)
        assert first_lines.is_monotonic_increasing
        assert list(doc.sort_values("seq").section.iloc[: (doc.section == "cover").sum()]) == ["cover"] * int(
            (doc.section == "cover").sum())
