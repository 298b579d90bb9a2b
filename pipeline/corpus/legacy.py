"""A corpus written before the Delta tables (``<table>/<doc_id>.parquet``, one file per document per
table), read once so the first commit can convert it into version 1."""
from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.corpus.layout import DOCUMENTS, VERSION_COLUMN, live_path
from pipeline.corpus.schema import TABLES, arrow_schema

DELTA_LOG = "_delta_log"


def files(root: Path, table: str) -> list[Path]:
    """A table's per-document files (none once the folder is a Delta table)."""
    folder = live_path(root, table)
    if not folder.is_dir() or (folder / DELTA_LOG).exists():
        return []
    return sorted(f for f in folder.glob("*.parquet") if not f.name.startswith((".", "_")))


def present(root: str | Path) -> bool:
    return bool(files(Path(root), DOCUMENTS))


def rows(root: str | Path) -> dict[str, pa.Table]:
    """Every table's rows of the documents the old layout holds (rows a crash left without their
    documents file are not part of that corpus and are dropped)."""
    root = Path(root)
    kept = {f.stem for f in files(root, DOCUMENTS)}
    out = {}
    for table in TABLES:
        schema = arrow_schema(table)
        parts = [_conform(pq.read_table(f), schema) for f in files(root, table) if f.stem in kept]
        out[table] = pa.concat_tables(parts) if parts else schema.empty_table()
    return out


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """Columns in the current schema's order; columns added since (corpus_version) become version 1."""
    n = len(table)
    cols = [table.column(f.name).cast(f.type) if f.name in table.column_names
            else pa.array([1 if f.name == VERSION_COLUMN else None] * n, f.type) for f in schema]
    return pa.Table.from_arrays(cols, schema=schema)
