"""Batch ingest: find inputs, skip what the corpus already holds, process the rest on an executor,
and commit the results as they stream in — a corpus version every ``commit_every`` documents (or
``commit_seconds``) and at the end, so memory stays flat and a crash loses at most one group.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import socket
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import pyarrow as pa
from tqdm import tqdm

from parsers.model import Extraction

from pipeline import PARSER_VERSION
from pipeline.corpus.store import CorpusStore, doc_rows
from pipeline.ingest.executors import Executor, results
from pipeline.ingest.limits import Limits, Task, failed_task

COMMIT_EVERY = 1000
COMMIT_SECONDS = 300.0


@dataclass
class Summary:
    status: Counter = field(default_factory=Counter)  # ok / partial / failed / unchanged
    rows: Counter = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)
    versions: list[int] = field(default_factory=list)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        st = self.status
        out = [f"{st['ok']} ok, {st['partial']} partial, {st['failed']} failed, {st['unchanged']} unchanged "
               f"in {self.seconds:.1f} s"]
        if self.rows:
            out.append("rows written: " + ", ".join(f"{t} {n}" for t, n in sorted(self.rows.items())))
        if self.versions:
            span = f"{self.versions[0]}" if len(self.versions) == 1 else f"{self.versions[0]}–{self.versions[-1]}"
            out.append(f"corpus version {span}")
        return out


def discover(paths: Iterable[str]) -> Iterator[str]:
    """Files named, and every non-hidden file under folders named, in a stable order.
    A path that does not exist is yielded as is, so it is reported as a failure like any bad input."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield str(Path(root) / name)
        else:
            yield str(path)


def _sha256(path: str) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def plan(paths: Iterable[str], store: CorpusStore, force: bool, summary: Summary) -> list[Task]:
    """The inputs to process: a file whose bytes the corpus holds, parsed by this version, is skipped
    (a dictionary lookup by content hash)."""
    stored = store.documents()
    tasks = []
    for path in discover(paths):
        digest = _sha256(path)
        old = stored.get(digest[:16]) if digest else None
        if old and not force and old.parser_version == PARSER_VERSION:
            summary.status["unchanged"] += 1
        else:
            tasks.append(Task(path, digest))
    return tasks


def ingest(paths: Iterable[str], out: str | Path, jobs: int = 1, force: bool = False,
           executor: Executor | None = None, limits: Limits | None = None,
           commit_every: int = COMMIT_EVERY, commit_seconds: float = COMMIT_SECONDS) -> Summary:
    started = time.monotonic()
    executor = executor or Executor(jobs=jobs)
    store = CorpusStore(out)
    store.repair()
    summary = Summary()
    tasks = plan(paths, store, force, summary)
    run = f"{socket.gethostname()} pid {os.getpid()} {dt.datetime.now(dt.timezone.utc):%Y-%m-%dT%H:%M:%SZ}"
    group, opened = [], time.monotonic()
    bar = tqdm(total=len(tasks), unit="doc", file=sys.stderr, disable=None, desc="ingest")
    for ext in results(tasks, executor, limits or Limits()):
        group.append(_checked_rows(ext, summary))
        bar.update(1)
        if len(group) >= commit_every or time.monotonic() - opened >= commit_seconds:
            _commit(store, group, run, summary)
            group, opened = [], time.monotonic()
    _commit(store, group, run, summary)
    bar.close()
    summary.seconds = time.monotonic() - started
    return summary


def _checked_rows(ext: Extraction, summary: Summary) -> dict[str, pa.Table]:
    """The document's Arrow rows; a value the schema rejects makes it a failed row, the batch goes on."""
    doc = ext.document
    try:
        rows = doc_rows(ext)
    except Exception as exc:  # noqa: BLE001 — recorded on the document
        task = Task(doc["source_path"], doc.get("source_sha256"))
        ext = failed_task(task, f"cannot write rows: {type(exc).__name__}: {exc}")
        ext.document["doc_id"] = doc["doc_id"]
        rows = doc_rows(ext)
        doc = ext.document
    summary.status[doc["status"]] += 1
    summary.rows.update({t: len(r) for t, r in rows.items()})
    if doc["status"] == "failed":
        summary.failures.append((doc["source_path"], doc["error"]))
        tqdm.write(f"pia: {doc['source_path']}: {doc['error']}", file=sys.stderr)
    return rows


def _commit(store: CorpusStore, group: list[dict[str, pa.Table]], run: str, summary: Summary) -> None:
    version = store.commit(group, run)
    if version:
        summary.versions.append(version.version)
