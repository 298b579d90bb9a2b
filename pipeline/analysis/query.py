"""SQL over the corpus: an in-memory DuckDB connection with one view per table.

Every table of pipeline/corpus/schema.py gets a view even before any file exists for it (an empty view with
the contract's columns and types), so a query written today keeps working while extractors land.
Which files make a table, as of which corpus version, is pipeline/corpus/snapshot.py's business.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.corpus.schema import TABLES
from pipeline.corpus.snapshot import table_sources

_SQL_TYPES = {pa.string(): "VARCHAR", pa.int32(): "INTEGER", pa.int64(): "BIGINT", pa.float64(): "DOUBLE",
              pa.bool_(): "BOOLEAN", pa.date32(): "DATE", pa.list_(pa.string()): "VARCHAR[]"}


class QueryError(Exception):
    """A query DuckDB rejected; the message is one line."""


def sql_type(t: pa.DataType) -> str:
    return _SQL_TYPES[t]


def quote_name(name: str) -> str:
    """A SQL identifier, quoted (inner quotes doubled) so no name can end the statement."""
    return '"' + name.replace('"', '""') + '"'


def table_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The tables ``connect`` made views of: the schema's in schema order, then other table folders by
    name (which folders are tables, and which files make them, is decided in one place:
    pipeline.corpus.snapshot)."""
    views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    return [t for t in TABLES if t in views] + sorted(views - set(TABLES))


def connect(root: str | Path, as_of: str | int | None = None) -> duckdb.DuckDBPyConnection:
    """Views of every table as of one corpus version (``as_of``: a version number or date; None = latest)."""
    con = duckdb.connect()
    for table, select in table_sources(root, as_of).items():
        if select:
            con.execute(f"CREATE VIEW {quote_name(table)} AS {select}")
        else:
            cols = ", ".join(f"CAST(NULL AS {sql_type(t)}) AS {quote_name(c)}" for c, t, _ in TABLES[table])
            con.execute(f"CREATE VIEW {quote_name(table)} AS SELECT {cols} LIMIT 0")
    return con


def run(con: duckdb.DuckDBPyConnection, sql: str) -> pa.Table:
    try:
        rel = con.sql(sql)
        return rel.to_arrow_table() if rel is not None else pa.table({})
    except duckdb.Error as exc:
        raise QueryError(str(exc).strip().splitlines()[0]) from None


def row_counts(con: duckdb.DuckDBPyConnection, tables: list[str]) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {quote_name(t)}").fetchall()[0][0] for t in tables}


def type_name(t: pa.DataType) -> str:
    """``list<string>`` rather than Arrow's ``list<item: string>``."""
    return f"list<{type_name(t.value_type)}>" if pa.types.is_list(t) else str(t)


def cell_text(v) -> str:
    """How a value reads in a terminal or CSV cell: NULL for null, lists as JSON."""
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False, default=str)
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    return str(v)


def render(table: pa.Table, fmt: str, max_col: int = 40) -> str | bytes:
    """The result as text (table, csv, json) or Parquet bytes (parquet); ``max_col`` 0 = cells uncut.
    Only the terminal table escapes control characters: csv, json and Parquet carry values as they are."""
    rows = table.to_pylist()
    if fmt == "table":
        from pipeline.analysis.termtable import render_table  # rich: only for the terminal table

        body = render_table(table.column_names, [[cell_text(v) for v in r.values()] for r in rows], max_col)
        return f"{body}\n({len(rows)} row{'s' if len(rows) != 1 else ''})\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(table.column_names)
        w.writerows([["" if v is None else cell_text(v) for v in r.values()] for r in rows])
        return buf.getvalue()
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1, default=lambda v: v.isoformat()) + "\n"
    if fmt == "parquet":
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink)
        return sink.getvalue().to_pybytes()
    raise ValueError(f"unknown format {fmt!r}")


def write_output(data: str | bytes, output: str | None) -> None:
    """Write to ``output`` (a file) or to stdout's binary stream (UTF-8 whatever the locale)."""
    raw = data if isinstance(data, bytes) else data.encode("utf-8")
    if output:
        Path(output).write_bytes(raw)
        return
    sys.stdout.flush()
    sys.stdout.buffer.write(raw)
    sys.stdout.buffer.flush()
