"""A process that commits a fixed sequence of document groups into a corpus, for kill -9 tests.

``python -m tests.store_worker CORPUS [--die-at N]`` (or ``--serve``, below): with ``--die-at N`` (N > 0) the process kills itself
(SIGKILL) at the N-th Delta operation that changes files — every write, delete, compaction, restore,
version-log append and vacuum is a commit point. Without it, the run completes the sequence.

The sequence writes ROUNDS groups of documents; documents of later groups reuse earlier source paths
with other bytes (other doc_ids), so commits replace documents as well as add them. Whatever the
history, the finished corpus holds, for each path, the last document written for it (``expected``).
"""
from __future__ import annotations

import copy
import os
import signal
import sys

from deltalake import DeltaTable
from deltalake.table import TableOptimizer

from pipeline.corpus import store as store_module, versions
from pipeline.corpus.store import CorpusStore, doc_rows

from tests.corpus_fixture import extractions

ROUNDS = 3
PER_ROUND = 2
PATHS = 3


def documents() -> list[list]:
    """ROUNDS groups of PER_ROUND documents: fixture reports with their own doc_id and a shared path."""
    base = extractions()
    groups = []
    for r in range(ROUNDS):
        group = []
        for k in range(PER_ROUND):
            n = r * PER_ROUND + k
            ext = copy.deepcopy(base[n % len(base)])
            ext.document.update(doc_id=f"{n:016x}", source_path=f"in/{n % PATHS}.txt")
            group.append(ext)
        groups.append(group)
    return groups


def expected() -> dict[str, str]:
    """source path -> doc_id in the finished corpus: the last document written for the path."""
    return {e.document["source_path"]: e.document["doc_id"] for group in documents() for e in group}


def rows_per_document() -> dict[str, dict[str, int]]:
    """doc_id -> rows per table, for every document of the sequence."""
    return {e.document["doc_id"]: {t: len(r) for t, r in doc_rows(e).items()} for group in documents() for e in group}


def _die_at(n: int) -> dict:
    calls = {"n": 0}

    def wrap(fn):
        def counted(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] == n:
                os.kill(os.getpid(), signal.SIGKILL)
            return fn(*args, **kwargs)
        return counted

    store_module.write_deltalake = wrap(store_module.write_deltalake)
    versions.write_deltalake = wrap(versions.write_deltalake)
    for cls, name in [(DeltaTable, "delete"), (DeltaTable, "restore"), (DeltaTable, "vacuum"),
                      (DeltaTable, "create_write_transaction"), (TableOptimizer, "compact")]:
        setattr(cls, name, wrap(getattr(cls, name)))
    return calls


def run(argv: list[str]) -> int:
    """The sequence into the corpus ``argv[0]``; returns the commit points passed."""
    calls = _die_at(int(argv[2]) if len(argv) > 2 else 0)
    store = CorpusStore(argv[0])
    store.repair()
    for group in documents():
        store.commit([doc_rows(e) for e in group], run="store_worker")
    return calls["n"]


def serve() -> None:
    """Imports once, then for each line ``CORPUS [--die-at N]`` on stdin forks a writer running the
    sequence, prints ``pid PID`` and, when the writer ends (or is killed), ``exit PID STATUS``.
    The forked writers start in milliseconds, so a test can kill many of them. This process itself
    never touches a Delta table (the writer creates its own deltalake runtime after the fork)."""
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
    if sys.argv[1:] == ["--serve"]:
        serve()
    else:
        print(run(sys.argv[1:]))  # commit points passed (``--die-at 0`` counts them)
