"""The corpus on disk: one Delta Lake table per corpus table, written in versions.

A commit takes a group of documents and, under the corpus lock, for every table: moves the rows of
documents it replaces into ``_history/<table>`` and swaps old for new rows in one Delta transaction
(an overwrite limited to those doc_ids, so old and new rows are never both live; a plain append when
it replaces nothing). A table left with many files is folded into few (compaction). Then the version
row that pins every table's Delta version is appended — the commit point — and only then are files
no live version refers to deleted (vacuum).

A commit cut short (a crash, kill -9) leaves tables ahead of the last version row; the next commit
restores them to the pinned versions before it writes, and vacuum removes what the cut-short commit
wrote. Commits of two ingests on one corpus queue on the lock file (released by the kernel when a
process dies), so both land and neither loses rows.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import json
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from deltalake import DeltaTable, write_deltalake
from deltalake.transaction import AddAction

from parsers.model import Extraction

from pipeline.corpus import legacy, versions
from pipeline.corpus.layout import (DOCUMENTS, HISTORY, LOCK, REPLACED_COLUMN, TABLE_CONFIG, VERSION_COLUMN,
                                    data_tables, history_schema, read_files, step)
from pipeline.corpus.schema import TABLES, arrow_schema
from pipeline.corpus.versions import Version

# A table is folded into few files once a commit leaves it with more than this many: files per table
# stay bounded, and a commit does not rewrite the whole table each time (that grows with the corpus).
COMPACT_AFTER_FILES = 8


@dataclass(frozen=True)
class StoredDoc:
    doc_id: str
    source_path: str
    parser_version: str
    status: str
    corpus_version: int
    source_paths: list[str] | None  # every path these bytes were found under


class CorpusStore:
    def __init__(self, root: str | Path):
        self.root = Path(root)
        self._tables = data_tables(self.root)

    def documents(self) -> dict[str, StoredDoc]:
        """doc_id -> what the corpus holds for it: one read of the documents table's few files."""
        head = versions.head(self.root)
        if head is None:
            return {}
        cols = list(StoredDoc.__dataclass_fields__)
        table = read_files(self._delta(DOCUMENTS, head).file_uris(), arrow_schema(DOCUMENTS), columns=cols)
        return {row[0]: StoredDoc(*row) for row in zip(*(table.column(c).to_pylist() for c in cols))}

    def write(self, ext: Extraction) -> dict[str, int]:
        """One document as its own version (fixtures, benchmarks); returns rows per table."""
        rows = doc_rows(ext)
        self.commit([rows], run="write")
        return {t: len(r) for t, r in rows.items()}

    def commit(self, docs: list[dict[str, pa.Table]], run: str) -> Version | None:
        """Write a group of documents as the next version (None for no documents). Each entry holds the
        rows of one or more documents (``doc_rows``, or a merged block of them); a document in several
        entries (the same bytes twice) is written once, from its last entry."""
        if not docs:
            return None
        with self.lock():
            head = self.recover()
            number = head.version + 1 if head else 1
            rows = {t: pa.concat_tables(parts) for t, parts in _last_of_each_document(docs).items()}
            stamp = pa.array([number] * len(rows[DOCUMENTS]), pa.int64())
            rows[DOCUMENTS] = rows[DOCUMENTS].set_column(rows[DOCUMENTS].schema.get_field_index(VERSION_COLUMN),
                                                         VERSION_COLUMN, stamp)
            return self._apply(head, number, rows, run)

    @contextmanager
    def lock(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / LOCK, "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def recover(self) -> Version | None:
        """Under the lock: roll every table back to the last committed version, convert a corpus of
        per-document files on first use; returns the last committed version."""
        head = versions.head(self.root)
        for key, (path, _) in self._tables.items():
            if DeltaTable.is_deltatable(str(path)):
                table = DeltaTable(str(path))
                pinned = head.tables.get(key, 0) if head else 0
                # ahead of the pin by more than vacuum's own commits: a commit was cut short
                if table.version() > pinned and set(table.file_uris()) != set(
                        DeltaTable(str(path), version=pinned).file_uris()):
                    step("restore", key)
                    table.restore(pinned)
        if head is None and legacy.present(self.root):
            head = self._apply(None, 1, legacy.rows(self.root), run="converted from per-document files")
        return head

    def _apply(self, head: Version | None, number: int, rows: dict[str, pa.Table], run: str) -> Version:
        live = self._live(head)
        new_ids = set(rows[DOCUMENTS].column("doc_id").to_pylist())
        new_paths = rows[DOCUMENTS].column("source_path").to_pylist()
        by_path = {d.source_path: d.doc_id for d in live.values()}
        old_ids = {i for i in new_ids if i in live} | {by_path[p] for p in new_paths if p in by_path}
        pins = dict(head.tables) if head else {}  # table key -> Delta version: what this commit changes moves
        for table in TABLES:
            if old_ids:
                pins.update(self._archive(table, head, old_ids, live, number))
            if old_ids or len(rows[table]):
                pins[table] = self._swap(table, old_ids | new_ids, rows[table], bool(old_ids))
            elif table not in pins:  # a table without rows yet: its folder and columns all the same
                pins[table] = self._delta_or_empty(table).version()
        version = Version(number, dt.datetime.now(dt.timezone.utc), run, *_what_changed(rows[DOCUMENTS], live, by_path),
                          tables=pins)
        versions.append(self.root, version)
        self.vacuum({k for k, v in version.tables.items() if head is None or head.tables.get(k) != v})
        return version

    def vacuum(self, keys: set[str] | None = None) -> None:
        """Delete every file the last version does not use: replaced rows' files, a cut-short commit's
        files, a converted corpus's per-document files. Plain Parquet readers then see the live rows.
        ``keys``: only these tables (a commit cleans up what it changed; ``repair`` cleans up all)."""
        for key, (path, _) in self._tables.items():
            if (keys is None or key in keys) and DeltaTable.is_deltatable(str(path)):
                table = DeltaTable(str(path))
                args = {"retention_hours": 0, "enforce_retention_duration": False, "full": True}
                # a vacuum is a commit too: none when no file it would delete is still there
                if any((path / f).exists() for f in table.vacuum(dry_run=True, **args)):
                    step("vacuum", key)
                    table.vacuum(dry_run=False, **args)

    def repair(self) -> Version | None:
        """Roll back and clean up what an interrupted commit left (an ingest does this first)."""
        with self.lock():
            head = self.recover()
            self.vacuum()
            return head

    def _live(self, head: Version | None) -> dict[str, StoredDoc]:
        return self.documents() if head else {}

    def _archive(self, table: str, head: Version, ids: set[str], live: dict[str, StoredDoc], number: int) -> dict[str, int]:
        """Copy the live rows of replaced documents into the table's history, stamped with both versions;
        returns the history table's new Delta version by its key (none when there was nothing to copy)."""
        old = read_files(self._delta(table, head).file_uris(), arrow_schema(table),
                         filter=pc.field("doc_id").isin(sorted(ids)))
        if not len(old):
            return {}
        wrote = [live[i].corpus_version for i in old.column("doc_id").to_pylist()]
        if VERSION_COLUMN not in old.column_names:
            old = old.append_column(VERSION_COLUMN, pa.array(wrote, pa.int64()))
        old = old.append_column(REPLACED_COLUMN, pa.array([number] * len(old), pa.int64()))
        key = f"{HISTORY}/{table}"
        history = self._delta_or_empty(key)
        step("history", table)
        write_deltalake(history, old.cast(history_schema(table)), mode="append")
        return {key: history.version()}

    def _swap(self, table: str, ids: set[str], new: pa.Table, replaces: bool) -> int:
        """Old rows of ``ids`` out and new rows in, in one transaction; then few files again. Returns the
        table's new Delta version."""
        delta = self._delta_or_empty(table)
        predicate = "doc_id IN (" + ", ".join(_sql_str(i) for i in sorted(ids)) + ")"
        if not replaces:
            step("append", table)
            write_deltalake(delta, new, mode="append")  # nothing to take out: no scan of the table
        elif len(new):
            step("replace", table)
            write_deltalake(delta, new, mode="overwrite", predicate=predicate)
        else:
            step("delete", table)
            delta.delete(predicate)
        if len(delta.file_uris()) > COMPACT_AFTER_FILES:  # the object follows its own writes
            step("compact", table)
            delta.optimize.compact()
        _keep_a_file(delta, table, self._tables[table][1])
        return delta.version()

    def _delta(self, key: str, head: Version) -> DeltaTable:
        return DeltaTable(str(self._tables[key][0]), version=head.tables.get(key, 0))

    def _delta_or_empty(self, key: str) -> DeltaTable:
        """The table, created when missing; a live table without files gets an empty one (``_keep_a_file``)."""
        path, schema = self._tables[key]
        if DeltaTable.is_deltatable(str(path)):
            delta = DeltaTable(str(path))
        else:
            step("create", key)
            delta = DeltaTable.create(str(path), schema, configuration=TABLE_CONFIG)
        if key in TABLES:
            _keep_a_file(delta, key, schema)
        return delta


def _keep_a_file(delta: DeltaTable, key: str, schema: pa.Schema) -> None:
    """A table without rows still gets one (empty) Parquet file, so folder readers — pandas, DuckDB's
    ``*.parquet`` glob — find its columns instead of nothing."""
    if delta.file_uris():
        return
    name = f"part-empty-{uuid.uuid4()}.parquet"
    target = Path(delta.table_uri.removeprefix("file://")) / name
    step("empty file", key)
    pq.write_table(schema.empty_table(), target)
    add = AddAction(name, target.stat().st_size, {}, int(time.time() * 1000), True, json.dumps({"numRecords": 0}))
    step("add empty file", key)
    delta.create_write_transaction([add], mode="append", schema=schema)
    delta.update_incremental()  # unlike a write, a transaction does not move the object to its version


def doc_rows(ext: Extraction) -> dict[str, pa.Table]:
    """One document's rows as Arrow tables of the contract's types (raises on a value they reject)."""
    doc_id = ext.document["doc_id"]
    out = {}
    for table in TABLES:
        rows = [ext.document] if table == DOCUMENTS else ext.tables.get(table, [])
        out[table] = pa.Table.from_pylist([{**r, "doc_id": doc_id} for r in rows], schema=arrow_schema(table))
    return out


def _what_changed(docs: pa.Table, live: dict[str, StoredDoc], by_path: dict[str, str]) -> tuple[list, list, list]:
    added, replaced, failed = [], [], []
    for d in docs.select(["doc_id", "source_path", "status", "error"]).to_pylist():
        (replaced if d["doc_id"] in live or d["source_path"] in by_path else added).append(d["source_path"])
        if d["status"] == "failed":
            failed.append(f"{d['source_path']}: {d['error']}")
    return added, replaced, failed


def _last_of_each_document(docs: list[dict[str, pa.Table]]) -> dict[str, list[pa.Table]]:
    """Each table's rows, entry by entry, without the documents a later entry holds again."""
    parts: dict[str, list[pa.Table]] = {t: [] for t in TABLES}
    seen: set[str] = set()
    for entry in reversed(docs):
        ids = set(entry[DOCUMENTS].column("doc_id").to_pylist())
        keep = pa.array(sorted(ids - seen), pa.string())
        for t in TABLES:
            table = entry[t]
            parts[t].append(table if not ids & seen else table.filter(pc.is_in(table["doc_id"], value_set=keep)))
        seen |= ids
    return {t: p[::-1] for t, p in parts.items()}


def _sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"
