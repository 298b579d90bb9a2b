import csv
import io
import json
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.cli import main
from pipeline.analysis.query import QueryError, connect, render, run
from pipeline.corpus.schema import TABLES, arrow_schema
from pipeline.analysis.termtable import width
from tests.corpus_fixture import AOBA, AOBA_2024, SAKURA, write_corpus


@pytest.fixture
def corpus(tmp_path):
    return write_corpus(tmp_path / "corpus")


def test_every_schema_table_is_a_view_with_its_rows(corpus):
    con = connect(corpus)
    for table in TABLES:
        assert run(con, f"SELECT * FROM {table}").column_names[: len(TABLES[table])] == [c for c, _, _ in TABLES[table]]
    assert run(con, "SELECT count(*) AS n FROM documents").to_pylist() == [{"n": 3}]
    assert run(con, f"SELECT count(*) AS n FROM entrustments WHERE doc_id = '{AOBA_2024}'").to_pylist() == [{"n": 3}]


def test_tables_without_files_are_empty_views_with_the_schema_types(tmp_path):
    root = write_corpus(tmp_path / "c", tables=set())
    shutil.rmtree(root / "entrustments")  # as before any extractor wrote one
    shutil.rmtree(root / "risk_answers")
    con = connect(root)
    for table in ("entrustments", "risk_answers", "systems"):
        result = run(con, f"SELECT * FROM {table}")
        assert result.num_rows == 0
        assert result.schema.names == arrow_schema(table).names
        assert result.schema.types == arrow_schema(table).types
    # a query joining an empty table still runs
    joined = run(con, "SELECT d.org_name, count(e.doc_id) AS n FROM documents d LEFT JOIN entrustments e USING (doc_id) "
                      "GROUP BY 1 ORDER BY 1")
    assert joined.to_pylist() == [{"org_name": AOBA, "n": 0}, {"org_name": SAKURA, "n": 0}]


def test_a_table_folder_not_in_the_schema_is_registered_too(corpus):
    (corpus / "notes").mkdir()
    pq.write_table(pa.table({"doc_id": [AOBA_2024], "note": ["checked"]}), corpus / "notes" / f"{AOBA_2024}.parquet")
    assert run(connect(corpus), "SELECT note FROM notes").to_pylist() == [{"note": "checked"}]


def test_bad_sql_is_one_line_error(corpus):
    with pytest.raises(QueryError) as err:
        run(connect(corpus), "SELECT nope FROM documents")
    assert "\n" not in str(err.value) and "nope" in str(err.value)


SQL = ("SELECT d.org_name, e.entrustment_no, e.subcontract, d.published_on, t.methods FROM entrustments e "
       "JOIN documents d USING (doc_id) LEFT JOIN transfers t ON t.doc_id = e.doc_id AND t.kind = '移転' "
       f"WHERE d.doc_id = '{AOBA_2024}' ORDER BY e.entrustment_no")


def test_table_output_is_aligned_by_display_width(corpus):
    text = render(run(connect(corpus), SQL), "table")
    header, rule, *rows, count = text.splitlines()
    assert count == "(3 rows)"
    column_starts = [width(header[:header.index(name)]) for name in ("entrustment_no", "subcontract", "published_on", "methods")]
    for row, (no, sub) in zip(rows, [("1", "true"), ("2", "false"), ("3", "false")]):
        assert row.startswith(AOBA)  # two display columns per character, padded to the header
        values = [no, sub, "2024-10-01", '["庁内連携システム"]']
        at = [row.index(v, row.index(AOBA) + len(AOBA)) for v in values]
        assert [width(row[:i]) for i in at] == column_starts


def test_csv_json_parquet_to_files_and_stdout(corpus, tmp_path, capsysbinary):
    assert main(["query", "--corpus", str(corpus), SQL, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsysbinary.readouterr().out.decode("utf-8"))))
    assert [(r["entrustment_no"], r["subcontract"], r["published_on"]) for r in rows] == [
        ("1", "true", "2024-10-01"), ("2", "false", "2024-10-01"), ("3", "false", "2024-10-01")]
    assert json.loads(rows[0]["methods"]) == ["庁内連携システム"]

    out = tmp_path / "r.json"
    assert main(["query", "--corpus", str(corpus), SQL, "--output", str(out)]) == 0  # format from the extension
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data[0] == {"org_name": AOBA, "entrustment_no": 1, "subcontract": True, "published_on": "2024-10-01",
                       "methods": ["庁内連携システム"]}

    pq_out = tmp_path / "r.parquet"
    assert main(["query", "--corpus", str(corpus), SQL, "-o", str(pq_out), "--format", "parquet"]) == 0
    back = pq.read_table(pq_out)
    assert back.num_rows == 3
    assert back.schema.field("published_on").type == pa.date32()
    assert back.schema.field("methods").type.value_type == pa.string()
    assert back.column("entrustment_no").to_pylist() == [1, 2, 3]


def test_cli_errors_are_one_line_on_stderr(corpus, tmp_path, capsys):
    assert main(["query", "--corpus", str(corpus), "SELECT * FROM nowhere"]) == 1  # the work failed
    err = capsys.readouterr()
    assert err.out == "" and err.err.count("\n") == 1 and err.err.startswith("pia: query failed:")
    assert main(["query", "--corpus", str(tmp_path / "missing"), "SELECT 1"]) == 2  # a usage error
    assert "no corpus at" in capsys.readouterr().err


def test_tables_lists_row_counts(corpus, capsys):
    assert main(["tables", "--corpus", str(corpus)]) == 0
    counts = {line.split()[0]: line.split()[1] for line in capsys.readouterr().out.splitlines()[2:] if line and not line.startswith("corpus")}
    assert counts["documents"] == "3" and counts["entrustments"] == "9" and counts["systems"] == "0"
    assert set(TABLES) <= set(counts)


def test_schema_prints_the_schema_meanings(capsys):
    assert main(["schema", "entrustments"]) == 0
    out = capsys.readouterr().out
    for column, _type, meaning in TABLES["entrustments"]:
        assert any(line.split()[0] == column and meaning in line for line in out.splitlines()[1:] if line.strip())
    assert next(line for line in out.splitlines() if line.startswith("subcontract ")).split()[:2] == ["subcontract", "bool"]
    assert main(["schema", "nope"]) == 2
    assert "no table 'nope'" in capsys.readouterr().err
