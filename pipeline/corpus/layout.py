"""Where each Delta table of a corpus lives, and the Arrow schema it holds.

``<corpus>/<table>/`` holds the live rows of each contract table (after every commit only live files
stay, so plain Parquet readers see exactly the current corpus); ``<corpus>/_history/<table>/`` holds
rows a later version replaced, stamped with the version that wrote them and the one that replaced
them; ``<corpus>/_versions/`` is the version log. Folders starting with ``_`` are skipped by pandas,
pyarrow and Spark when they read a folder.
"""
from __future__ import annotations

import logging
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.corpus.schema import TABLES, arrow_schema

DOCUMENTS = "documents"
HISTORY = "_history"
VERSIONS = "_versions"
LOCK = ".lock"
VERSION_COLUMN = "corpus_version"
REPLACED_COLUMN = "replaced_in"
# Readers replay at most 10 log entries past a checkpoint; log entries are kept for ten years, since
# readers load the version the last version row pins, however old it is.
TABLE_CONFIG = {"delta.checkpointInterval": "10", "delta.logRetentionDuration": "interval 3650 days"}

# Every change a commit makes to files on disk is named here first, in order (``create fields``,
# ``replace fields``, ``version _versions`` …): the steps of the commit protocol, at debug level, for
# tracing a commit; the kill tests kill a writer at each of them.
STEPS = logging.getLogger("pipeline.corpus.steps")


def step(kind: str, key: str) -> None:
    STEPS.debug("%s %s", kind, key)


def live_path(root: str | Path, table: str) -> Path:
    return Path(root) / table


def history_path(root: str | Path, table: str) -> Path:
    return Path(root) / HISTORY / table


def history_schema(table: str) -> pa.Schema:
    """The table's columns, the version that wrote the row (documents has it already), the one that replaced it."""
    schema = arrow_schema(table)
    if VERSION_COLUMN not in schema.names:
        schema = schema.append(pa.field(VERSION_COLUMN, pa.int64()))
    return schema.append(pa.field(REPLACED_COLUMN, pa.int64()))


def data_tables(root: str | Path) -> dict[str, tuple[Path, pa.Schema]]:
    """Every Delta table a commit may touch, by a key naming it (``fields``, ``_history/fields``)."""
    out = {t: (live_path(root, t), arrow_schema(t)) for t in TABLES}
    out.update({f"{HISTORY}/{t}": (history_path(root, t), history_schema(t)) for t in TABLES})
    return out


def read_files(files: list[str], schema: pa.Schema, columns: list[str] | None = None, filter=None) -> pa.Table:
    """Rows of a Delta version's files, read by pyarrow straight from local paths (deltalake's own
    pyarrow filesystem adaptor can abort the interpreter at exit, so it is not used). ``filter``, a
    pyarrow.dataset expression, needs pyarrow.dataset, which loads pandas: too slow for every CLI start."""
    if filter is not None:
        import pyarrow.dataset as pds

        return pds.dataset(files, schema=schema, format="parquet").to_table(columns=columns, filter=filter)
    wanted = pa.schema([schema.field(c) for c in columns]) if columns else schema
    parts = [pq.ParquetFile(f).read(columns=wanted.names) for f in files]
    # a cast loads pyarrow.compute (slow to import): only for files written with other types
    parts = [p if p.schema.equals(wanted) else p.cast(wanted) for p in parts]
    return pa.concat_tables(parts) if parts else wanted.empty_table()
