"""Batch ingest: find inputs, skip what the corpus already holds, process the rest (optionally in
parallel), write each document atomically, report progress and a summary.
"""
from __future__ import annotations

import hashlib
import os
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from tqdm import tqdm

from parsers.model import Extraction

from pipeline import PARSER_VERSION
from pipeline.ingest.process import failed_document, process_path
from pipeline.corpus.store import CorpusStore


@dataclass
class Summary:
    status: Counter = field(default_factory=Counter)  # ok / partial / failed / unchanged
    rows: Counter = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        st = self.status
        out = [f"{st['ok']} ok, {st['partial']} partial, {st['failed']} failed, {st['unchanged']} unchanged "
               f"in {self.seconds:.1f} s"]
        if self.rows:
            out.append("rows written: " + ", ".join(f"{t} {n}" for t, n in sorted(self.rows.items())))
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


def _fingerprint(path: str) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    except OSError:
        return None


def ingest(paths: Iterable[str], out: str | Path, jobs: int = 1, force: bool = False) -> Summary:
    started = time.monotonic()
    store = CorpusStore(out)
    for name in store.recover():
        print(f"pia: removed {name}, left by an interrupted run", file=sys.stderr)
    stored = store.documents()
    by_path = {d.source_path: d.doc_id for d in stored.values()}
    summary = Summary()
    todo = []
    for path in discover(paths):
        doc_id = _fingerprint(path)
        old = stored.get(doc_id) if doc_id else None
        if old and not force and old.parser_version == PARSER_VERSION:
            summary.status["unchanged"] += 1
        else:
            todo.append(path)
    bar = tqdm(total=len(todo), unit="doc", file=sys.stderr, disable=None, desc="ingest")
    for path, ext in _results(todo, jobs):
        _save(store, ext, by_path.get(path), summary)
        bar.update(1)
    bar.close()
    summary.seconds = time.monotonic() - started
    return summary


def _results(paths: list[str], jobs: int) -> Iterator[tuple[str, Extraction]]:
    if jobs <= 1 or len(paths) <= 1:
        for p in paths:
            yield p, process_path(p)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from zip(paths, pool.map(process_path, paths, chunksize=4))


def _save(store: CorpusStore, ext: Extraction, previous_id: str | None, summary: Summary) -> None:
    doc = ext.document
    try:
        counts = store.write(ext)
    except Exception as exc:  # noqa: BLE001 — e.g. a value the schema rejects; recorded, batch goes on
        reason = f"cannot write rows: {type(exc).__name__}: {exc}"
        store.remove(doc["doc_id"])
        ext = failed_document(doc["source_path"], None, reason)
        ext.document.update(doc_id=doc["doc_id"], source_sha256=doc.get("source_sha256"))
        counts = store.write(ext)
        doc = ext.document
    if previous_id and previous_id != doc["doc_id"]:
        store.remove(previous_id)  # the file changed: its old rows go, everywhere
    summary.status[doc["status"]] += 1
    summary.rows.update(counts)
    if doc["status"] == "failed":
        summary.failures.append((doc["source_path"], doc["error"]))
        tqdm.write(f"pia: {doc['source_path']}: {doc['error']}", file=sys.stderr)
