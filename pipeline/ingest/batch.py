"""Batch ingest: find inputs, skip what the corpus already holds, process the rest (optionally in
parallel), write each document atomically, report progress and a summary.
"""
from __future__ import annotations

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
from pipeline.ingest.inputs import Input, collect, message, path_text
from pipeline.ingest.process import failed_document, process_path
from pipeline.corpus.store import CorpusStore


@dataclass
class Summary:
    status: Counter = field(default_factory=Counter)  # ok / partial / failed / unchanged / skipped
    rows: Counter = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        st = self.status
        skipped = f", {st['skipped']} skipped" if st["skipped"] else ""
        out = [f"{st['ok']} ok, {st['partial']} partial, {st['failed']} failed, {st['unchanged']} unchanged"
               f"{skipped} in {self.seconds:.1f} s"]
        if self.rows:
            out.append("rows written: " + ", ".join(f"{t} {n}" for t, n in sorted(self.rows.items())))
        return out


def ingest(paths: Iterable[str], out: str | Path, jobs: int = 1, force: bool = False,
           follow_links: bool = False) -> Summary:
    """Raises ``inputs.UsageError`` before anything is written when a given path does not exist."""
    started = time.monotonic()
    found = collect(list(paths), follow_links)
    store = CorpusStore(out)
    for name in store.recover():
        print(f"pia: removed {name}, left by an interrupted run", file=sys.stderr)
    stored = store.documents()
    by_path = {d.source_path: d.doc_id for d in stored.values()}
    summary = Summary()
    for refusal in found.refused:
        if refusal.failed:
            _save(store, failed_document(refusal.path, None, refusal.reason), by_path.get(path_text(refusal.path)),
                  summary)
        else:
            summary.status["skipped"] += 1
            tqdm.write(message(refusal.path, refusal.reason), file=sys.stderr)
    todo, known_paths = [], {}
    for inp in found.inputs:
        old = stored.get(inp.sha256[:16])
        known_paths[inp] = list(old.source_paths) if old else []
        new_path = {path_text(p) for p in inp.paths} - set(known_paths[inp])
        if old and not force and old.parser_version == PARSER_VERSION and not new_path:
            summary.status["unchanged"] += 1
        else:
            todo.append(inp)  # also when the same bytes turn up under a new path: the row lists it
    bar = tqdm(total=len(todo), unit="doc", file=sys.stderr, disable=None, desc="ingest")
    for inp, ext in _results(todo, jobs):
        paths = known_paths[inp] + [path_text(p) for p in inp.paths]
        ext.document["source_paths"] = list(dict.fromkeys(paths))
        _save(store, ext, by_path.get(path_text(inp.path)), summary)
        bar.update(1)
    bar.close()
    summary.seconds = time.monotonic() - started
    return summary


def _results(inputs: list[Input], jobs: int) -> Iterator[tuple[Input, Extraction]]:
    paths = [inp.path for inp in inputs]
    if jobs <= 1 or len(paths) <= 1:
        for inp in inputs:
            yield inp, process_path(inp.path)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from zip(inputs, pool.map(process_path, paths, chunksize=4))


def _save(store: CorpusStore, ext: Extraction, previous_id: str | None, summary: Summary) -> None:
    doc = ext.document
    try:
        counts = store.write(ext)
    except Exception as exc:  # noqa: BLE001 — e.g. a value the schema rejects; recorded, batch goes on
        reason = "cannot write rows: a value does not fit the corpus schema (a bug: please report the file)"
        store.remove(doc["doc_id"])
        ext = failed_document(doc["source_path"], None, reason)
        ext.document.update(doc_id=doc["doc_id"], source_sha256=doc.get("source_sha256"),
                            source_paths=doc.get("source_paths"), warnings=[reason, f"detail: {exc!r}"[:300]])
        counts = store.write(ext)
        doc = ext.document
    if previous_id and previous_id != doc["doc_id"]:
        store.remove(previous_id)  # the file changed: its old rows go, everywhere
    summary.status[doc["status"]] += 1
    summary.rows.update(counts)
    if doc["status"] == "failed":
        summary.failures.append((doc["source_path"], doc["error"]))
        tqdm.write(message(doc["source_path"], doc["error"]), file=sys.stderr)
