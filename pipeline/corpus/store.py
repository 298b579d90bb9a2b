"""The Parquet corpus on disk: ``<root>/<table>/<doc_id>.parquet``, one file per document per table.

One file per document makes replacing a document a set of renames, never a rewrite of other
documents' rows. Each file is written to a hidden temp name (ignored by pandas, pyarrow and
DuckDB globs) and renamed into place, so no reader ever sees half a file. The documents file is
written last and removed first: a document is in the corpus exactly when its documents file is,
and ``recover`` deletes rows a crash left without one.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from parsers.model import Extraction

from pipeline.corpus.schema import TABLES, arrow_schema

DOCUMENTS = "documents"
CHILD_TABLES = [t for t in TABLES if t != DOCUMENTS]


@dataclass(frozen=True)
class StoredDoc:
    doc_id: str
    source_path: str
    parser_version: str
    status: str
    source_paths: tuple[str, ...] = ()


class CorpusStore:
    def __init__(self, root: str | Path):
        self.root = Path(root)

    def _file(self, table: str, doc_id: str) -> Path:
        return self.root / table / f"{doc_id}.parquet"

    def documents(self) -> dict[str, StoredDoc]:
        """doc_id -> what the corpus holds for it (read from the documents files)."""
        folder = self.root / DOCUMENTS
        if not folder.is_dir():
            return {}
        out = {}
        for f in sorted(folder.glob("*.parquet")):
            columns = ["doc_id", "source_path", "parser_version", "status"]
            columns += ["source_paths"] * ("source_paths" in pq.read_schema(f).names)  # older corpora lack it
            for r in pq.read_table(f, columns=columns).to_pylist():
                out[r["doc_id"]] = StoredDoc(**{**r, "source_paths": tuple(r.get("source_paths") or ())})
        return out

    def write(self, ext: Extraction) -> dict[str, int]:
        """Write every table's rows of one document (documents last); returns rows per table."""
        doc_id = ext.document["doc_id"]
        counts = {}
        for table in CHILD_TABLES + [DOCUMENTS]:
            rows = [ext.document] if table == DOCUMENTS else ext.tables.get(table, [])
            rows = [{**r, "doc_id": doc_id} for r in rows]
            self._write_file(table, doc_id, pa.Table.from_pylist(rows, schema=arrow_schema(table)))
            counts[table] = len(rows)
        return counts

    def remove(self, doc_id: str) -> None:
        for table in [DOCUMENTS] + CHILD_TABLES:
            self._file(table, doc_id).unlink(missing_ok=True)

    def recover(self) -> list[str]:
        """Delete temp files and rows whose documents file is missing (a crash mid-write)."""
        removed = []
        known = {f.stem for f in (self.root / DOCUMENTS).glob("*.parquet")}
        for table in TABLES:
            for f in (self.root / table).glob(".*.tmp"):
                f.unlink(missing_ok=True)
            if table == DOCUMENTS:
                continue
            for f in (self.root / table).glob("*.parquet"):
                if f.stem not in known:
                    f.unlink(missing_ok=True)
                    removed.append(f"{table}/{f.name}")
        return removed

    def _write_file(self, table: str, doc_id: str, data: pa.Table) -> None:
        final = self._file(table, doc_id)
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = final.with_name(f".{doc_id}.{os.getpid()}.tmp")
        pq.write_table(data, tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, final)
