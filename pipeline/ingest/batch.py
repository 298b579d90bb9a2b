"""Batch ingest: find inputs, skip what the corpus already holds, process the rest on an executor,
and commit the results as they stream in — a corpus version every ``commit_every`` documents (or
``commit_seconds``) and at the end, so memory stays flat and a crash loses at most one group.
"""
from __future__ import annotations

import datetime as dt
import os
import socket
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pyarrow as pa
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from parsers.model import Extraction

from pipeline import PARSER_VERSION
from pipeline.corpus.store import CorpusStore, doc_rows
from pipeline.ingest.executors import Executor, results
from pipeline.ingest.inputs import Found, collect, message, path_text
from pipeline.ingest.limits import Limits, Task, failed_task
from pipeline.ingest.process import failed_document

COMMIT_EVERY = 1000
COMMIT_SECONDS = 300.0
MERGE_EVERY = 50  # documents whose rows are merged into one Arrow table per corpus table


@dataclass
class Summary:
    status: Counter = field(default_factory=Counter)  # ok / partial / failed / unchanged / skipped
    rows: Counter = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)
    versions: list[int] = field(default_factory=list)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        st = self.status
        skipped = f", {st['skipped']} skipped" if st["skipped"] else ""
        out = [f"{st['ok']} ok, {st['partial']} partial, {st['failed']} failed, {st['unchanged']} unchanged"
               f"{skipped} in {self.seconds:.1f} s"]
        if self.rows:
            out.append("rows written: " + ", ".join(f"{t} {n}" for t, n in sorted(self.rows.items())))
        if self.versions:
            span = f"{self.versions[0]}" if len(self.versions) == 1 else f"{self.versions[0]}–{self.versions[-1]}"
            out.append(f"corpus version {span}")
        return out


def plan(found: Found, store: CorpusStore, force: bool, summary: Summary) -> dict[Task, list[str]]:
    """The inputs to process, each with every path its bytes were found under (in the corpus and now):
    a file whose bytes the corpus holds under every path found now, parsed by this version, is
    skipped (a dictionary lookup by content hash)."""
    stored = store.documents()
    tasks = {}
    for inp in found.inputs:
        old = stored.get(inp.sha256[:16])
        known = list(old.source_paths or ()) if old else []
        paths = list(dict.fromkeys(known + [path_text(p) for p in inp.paths]))
        if old and not force and old.parser_version == PARSER_VERSION and len(paths) == len(known):
            summary.status["unchanged"] += 1
        else:  # also when the same bytes turn up under a new path: the row lists it
            tasks[Task(inp.path, inp.sha256)] = paths
    return tasks


def _refused(found: Found, summary: Summary) -> list[dict[str, pa.Table]]:
    """Paths not read: a failed row each, or for links the policy skips, a message."""
    rows = []
    for refusal in found.refused:
        if refusal.failed:
            rows.append(_checked_rows(failed_document(refusal.path, None, refusal.reason), summary))
        else:
            summary.status["skipped"] += 1
            print(message(refusal.path, refusal.reason), file=sys.stderr)
    return rows


def ingest(paths: Iterable[str], out: str | Path, jobs: int = 1, force: bool = False,
           executor: Executor | None = None, limits: Limits | None = None,
           commit_every: int = COMMIT_EVERY, commit_seconds: float = COMMIT_SECONDS,
           follow_links: bool = False) -> Summary:
    """Raises ``inputs.UsageError`` before anything is written when a given path does not exist."""
    started = time.monotonic()
    found = collect(list(paths), follow_links)
    executor = executor or Executor(jobs=jobs)
    store = CorpusStore(out)
    store.repair()
    summary = Summary()
    tasks = plan(found, store, force, summary)
    paths_of = {task.sha256[:16]: paths for task, paths in tasks.items()}
    run = f"{socket.gethostname()} pid {os.getpid()} {dt.datetime.now(dt.timezone.utc):%Y-%m-%dT%H:%M:%SZ}"
    group, opened = Group(_refused(found, summary)), time.monotonic()
    with _progress() as bar:
        counted = bar.add_task("ingest", total=len(tasks))
        for ext in results(list(tasks), executor, limits or Limits()):
            ext.document["source_paths"] = paths_of.get(ext.document["doc_id"], ext.document.get("source_paths"))
            group.add(_checked_rows(ext, summary))
            bar.advance(counted)
            if len(group) >= commit_every or time.monotonic() - opened >= commit_seconds:
                _commit(store, group, run, summary)
                group, opened = Group(), time.monotonic()
        _commit(store, group, run, summary)
    summary.seconds = time.monotonic() - started
    return summary


class Group:
    """The rows of the documents of the next commit. Thirteen small Arrow tables a document hold
    about four times their data in memory, so every ``MERGE_EVERY`` documents their rows are
    merged into one table per corpus table (the documents of one ingest have distinct ids)."""

    def __init__(self, docs: list[dict[str, pa.Table]] = ()):
        self.blocks: list[dict[str, pa.Table]] = []
        self.recent: list[dict[str, pa.Table]] = []
        self.count = 0
        for rows in docs:
            self.add(rows)

    def __len__(self) -> int:
        return self.count

    def add(self, rows: dict[str, pa.Table]) -> None:
        self.recent.append(rows)
        self.count += 1
        if len(self.recent) >= MERGE_EVERY:
            self._merge()

    def rows(self) -> list[dict[str, pa.Table]]:
        """Rows for ``CorpusStore.commit``: one entry per merged block of documents."""
        self._merge()
        return self.blocks

    def _merge(self) -> None:
        if self.recent:
            self.blocks.append({t: pa.concat_tables([d[t] for d in self.recent]).combine_chunks()
                                for t in self.recent[0]})
            self.recent = []


def _progress() -> Progress:
    """Documents done, on stderr while it is a terminal (rich; lines printed meanwhile go above the bar)."""
    console = Console(stderr=True)
    return Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
                    console=console, disable=not console.is_terminal)


def _checked_rows(ext: Extraction, summary: Summary) -> dict[str, pa.Table]:
    """The document's Arrow rows; a value the schema rejects makes it a failed row, the batch goes on."""
    doc = ext.document
    try:
        rows = doc_rows(ext)
    except Exception as exc:  # noqa: BLE001 — recorded on the document
        ext = failed_task(Task(doc["source_path"], doc.get("source_sha256")),
                          "cannot write rows: a value does not fit the corpus schema (a bug: please report it "
                          "with the file)")
        ext.document.update(doc_id=doc["doc_id"], source_paths=doc.get("source_paths"))
        ext.document["warnings"].append(f"detail: {exc!r}"[:200])
        rows = doc_rows(ext)
        doc = ext.document
    summary.status[doc["status"]] += 1
    summary.rows.update({t: len(r) for t, r in rows.items()})
    if doc["status"] == "failed":
        summary.failures.append((doc["source_path"], doc["error"]))
        print(message(doc["source_path"], doc["error"]), file=sys.stderr)
    return rows


def _commit(store: CorpusStore, group: Group, run: str, summary: Summary) -> None:
    version = store.commit(group.rows(), run)
    if version:
        summary.versions.append(version.version)
