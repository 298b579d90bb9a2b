"""A writer that commits a fixed sequence of document groups into a corpus, for the kill -9 tests.

``python -m tests.store_worker --serve`` reads lines ``CORPUS GROUPS [--die-at N] [--steps FILE]`` and
forks one writer for each. A writer repairs the corpus, then commits those of the first GROUPS groups
that come after the last one whose documents are all live (as an ingest skips unchanged files). The
store names every step that changes files before it takes it (the ``pipeline.corpus.steps`` log: create, empty file,
history, append, replace, delete, compact, version, vacuum, restore …); the writer appends each name
to FILE, and with ``--die-at N`` kills itself (SIGKILL) at the N-th step, before taking it.

Group 1 adds two documents; group 2 replaces one of them (same path, other bytes: another doc_id,
and no rows in a table where the old one had rows) and adds one more.
"""
from __future__ import annotations

import argparse
import copy
import logging
import os
import signal
import sys

from pipeline.corpus import store as store_module
from pipeline.corpus.layout import STEPS
from pipeline.corpus.store import CorpusStore, doc_rows

from tests.corpus_fixture import extractions

# (fixture report, source path) of each group's documents; doc_ids are numbered in order
GROUPS = [[(0, "in/0.txt"), (1, "in/1.txt")], [(2, "in/0.txt"), (2, "in/2.txt")]]


def documents() -> list[list]:
    base = extractions()
    groups, n = [], 0
    for group in GROUPS:
        docs = []
        for k, path in group:
            ext = copy.deepcopy(base[k])
            ext.document.update(doc_id=f"{n:016x}", source_path=path)
            docs.append(ext)
            n += 1
        groups.append(docs)
    return groups


def expected(groups: int) -> dict[str, str]:
    """source path -> doc_id once the first ``groups`` groups are committed."""
    return {e.document["source_path"]: e.document["doc_id"] for group in documents()[:groups] for e in group}


def rows_per_document() -> dict[str, dict[str, int]]:
    """doc_id -> rows per table, for every document of the sequence."""
    return {e.document["doc_id"]: {t: len(r) for t, r in doc_rows(e).items()} for group in documents() for e in group}


class _Steps(logging.Handler):
    def __init__(self, record_to: str | None, die_at: int):
        super().__init__(logging.DEBUG)
        self.out = open(record_to, "a") if record_to else None
        self.die_at, self.n = die_at, 0

    def emit(self, record: logging.LogRecord) -> None:
        self.n += 1
        if self.out:
            self.out.write(record.getMessage() + "\n")
            self.out.flush()
        if self.n == self.die_at:
            os.kill(os.getpid(), signal.SIGKILL)


def run(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus")
    parser.add_argument("groups", type=int)
    parser.add_argument("--die-at", type=int, default=0)
    parser.add_argument("--steps")
    args = parser.parse_args(argv)
    STEPS.setLevel(logging.DEBUG)
    STEPS.addHandler(_Steps(args.steps, args.die_at))
    store_module.COMPACT_AFTER_FILES = 1  # compaction at the second commit, not after the eighth
    store = CorpusStore(args.corpus)
    store.repair()
    live = store.documents()
    groups = _ROWS[:args.groups]
    done = max((k for k, g in enumerate(groups, 1) if all(d["documents"]["doc_id"][0].as_py() in live for d in g)),
               default=0)
    for group in groups[done:]:
        store.commit(group, run="store_worker")


# every group's rows, made once by the serving process (writers fork with them ready)
_ROWS: list[list[dict]] = []


def serve() -> None:
    """Imports once, then for each line on stdin forks a writer, prints ``pid PID`` and, when the writer
    ends (or is killed), ``exit PID STATUS``: writers start in milliseconds, so a test can kill many.
    This process never touches a Delta table (each writer starts its own deltalake runtime after the
    fork; forking a process whose runtime threads run is unsafe)."""
    import pyarrow.dataset  # noqa: F401  (loads pandas: once here, not in every writer)

    _ROWS.extend([doc_rows(e) for e in group] for group in documents())
    for line in sys.stdin:
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                run(line.split())
                code = 0
            finally:
                os._exit(code)
        print(f"pid {pid}", flush=True)
        _, status = os.waitpid(pid, 0)
        print(f"exit {pid} {-os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)}", flush=True)


if __name__ == "__main__":
    serve()
