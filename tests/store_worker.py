"""A process that commits a fixed sequence of document groups into a corpus, for kill -9 tests.

``python -m tests.store_worker CORPUS [--die-at N]``: with ``--die-at N`` (N > 0) the process kills itself
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


def main(argv: list[str]) -> None:
    root = argv[0]
    calls = _die_at(int(argv[2]) if len(argv) > 2 else 0)
    print("ready", flush=True)  # imports done: a kill from now on lands in the corpus work
    store = CorpusStore(root)
    store.repair()
    for group in documents():
        store.commit([doc_rows(e) for e in group], run="store_worker")
    print(calls["n"])  # commit points passed (``--die-at 0`` counts them)


if __name__ == "__main__":
    main(sys.argv[1:])
