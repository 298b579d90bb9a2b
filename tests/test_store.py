"""The Delta corpus: versions, as-of reads, history, only live files on disk, conversion of the old
layout, kill -9 at commit points and at random moments, two ingests at once."""
import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from deltalake import DeltaTable

from pipeline.analysis.query import connect
from pipeline.cli import main
from pipeline.corpus import versions
from pipeline.corpus.schema import TABLES, arrow_schema
from pipeline.corpus.store import CorpusStore
from pipeline.ingest.batch import ingest

from . import store_worker
from .conftest import seed
from .corpus_fixture import extractions

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def live(root: Path, sql: str) -> list[tuple]:
    return connect(root).execute(sql).fetchall()


def check(root: Path, allowed: list[dict[str, str]]) -> dict[str, str]:
    """The corpus reads; it holds one of the ``allowed`` states (source path -> doc_id), so each path has
    exactly one live document; each document has exactly the rows it was written with. Plain Parquet
    readers see the same, unless the kill came before the commit's clean-up finished: files no version
    uses then stay in the folder until the next run repairs the corpus."""
    want = store_worker.rows_per_document()
    con = connect(root)  # one version for every query below
    docs = dict(con.execute("SELECT source_path, doc_id FROM documents").fetchall())
    assert len(docs) == len(con.execute("SELECT doc_id FROM documents").fetchall()), "a path has two live documents"
    assert docs in allowed, docs
    for table in TABLES:
        counts = dict(con.execute(f'SELECT doc_id, count(*) FROM "{table}" GROUP BY 1').fetchall())
        assert counts == {d: want[d][table] for d in docs.values() if want[d][table]}, table
    head = versions.head(root)
    if head:
        assert len(pd.read_parquet(root / "documents")) == len(docs) or _unused_files(root, head)
    return docs


def _unused_files(root: Path, head: versions.Version) -> bool:
    pinned = DeltaTable(str(root / "documents"), version=head.tables["documents"]).file_uris()
    return {Path(f).name for f in pinned} != {f.name for f in (root / "documents").glob("*.parquet")}


class Writers:
    """Writer processes forked by one ``store_worker --serve`` process (imports paid once)."""

    def __init__(self, steps: Path):
        self.steps = steps
        self.server = subprocess.Popen([sys.executable, "-m", "tests.store_worker", "--serve"], cwd=ROOT, env=ENV,
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def start(self, root: Path, groups: int, die_at: int = 0) -> int:
        self.steps.unlink(missing_ok=True)
        self.server.stdin.write(f"{root} {groups} --die-at {die_at} --steps {self.steps}\n")
        self.server.stdin.flush()
        word, pid = self.server.stdout.readline().split()
        assert word == "pid"
        return int(pid)

    def wait(self, pid: int) -> int:
        word, ended, status = self.server.stdout.readline().split()
        assert (word, int(ended)) == ("exit", pid)
        return int(status)

    def run(self, root: Path, groups: int, die_at: int = 0) -> list[str]:
        """A writer's run to its end (``die_at``: killed at that step); returns the steps it began."""
        status = self.wait(self.start(root, groups, die_at))
        assert status == (-9 if die_at else 0), (root, groups, die_at)
        return self.steps.read_text().splitlines() if self.steps.exists() else []

    def close(self) -> None:
        self.server.stdin.close()
        self.server.wait(timeout=60)


def _copy(base: Path, to: Path) -> Path:
    shutil.rmtree(to, ignore_errors=True)
    if base.exists():
        shutil.copytree(base, to)
    return to


def test_kill_at_every_commit_step_then_rerun_completes(tmp_path):
    """kill -9 at every step the store takes (listed by the store itself, so a new step is covered
    without changing this test) in three phases: the first commit into an empty corpus; a second
    commit that replaces, deletes, archives, compacts and vacuums; and the repair of a commit cut short
    just before its version row (restore, vacuum). After each kill the corpus reads as the version
    before or after that commit, and a re-run completes the sequence."""
    writers = Writers(tmp_path / "steps")
    empty, first, cut = tmp_path / "empty", tmp_path / "first", tmp_path / "cut"
    one, two = store_worker.expected(1), store_worker.expected(2)
    try:
        writers.run(first, 1)
        commit_two = writers.run(_copy(first, cut), 2, die_at=0)
        writers.run(_copy(first, cut), 2, die_at=commit_two.index("version _versions") + 1)
        # (base corpus, groups the killed writer commits, states a kill may leave, groups the re-run commits)
        phases = [(empty, 1, [{}, one], 1), (first, 2, [one, two], 2), (cut, 1, [one], 2)]
        kinds = set()
        for base, groups, allowed, rerun in phases:
            steps = writers.run(_copy(base, tmp_path / "list"), groups)
            assert steps
            for n, name in enumerate(steps, 1):
                root = _copy(base, tmp_path / "corpus")
                assert writers.run(root, groups, die_at=n)[-1] == name  # killed at the step it names
                check(root, allowed)
                writers.run(root, rerun)
                assert check(root, [store_worker.expected(rerun)])
                assert len(pd.read_parquet(root / "documents")) == len(store_worker.expected(rerun))
                kinds.add(name.rsplit(" ", 1)[0])  # "replace fields" -> replace
    finally:
        writers.close()
    assert kinds >= {"create", "empty file", "add empty file", "append", "history", "replace", "delete", "compact",
                     "version", "vacuum", "restore"}, kinds


def test_kill_at_random_moments_then_rerun_completes(tmp_path):
    root = tmp_path / "corpus"
    writers = Writers(tmp_path / "steps")
    rng = random.Random(13)
    try:
        began = time.monotonic()
        writers.run(tmp_path / "timed", 2)
        whole = time.monotonic() - began
        for _ in range(20):
            pid = writers.start(root, 2)
            time.sleep(rng.uniform(0, whole))
            with contextlib.suppress(ProcessLookupError):  # it may have finished already
                os.kill(pid, signal.SIGKILL)
            writers.wait(pid)
            if check(root, [{}, store_worker.expected(1), store_worker.expected(2)]) == store_worker.expected(2):
                shutil.rmtree(root)  # finished: the next kill starts over, so it lands in a commit again
        writers.run(root, 2)
    finally:
        writers.close()
    assert check(root, [store_worker.expected(2)])
    assert len(pd.read_parquet(root / "documents")) == 2 + 1


def test_versions_log_as_of_and_history(tmp_path):
    root = tmp_path / "corpus"
    store = CorpusStore(root)
    first, second, third = extractions()
    store.write(first)
    store.write(second)
    changed = third
    changed.document["source_path"] = first.document["source_path"]  # the first file, changed
    store.write(changed)
    log = versions.read_log(root)
    assert [(v.version, len(v.added), len(v.replaced)) for v in log] == [(1, 1, 0), (2, 1, 0), (3, 0, 1)]
    now = {r[0] for r in live(root, "SELECT doc_id FROM documents")}
    assert now == {second.document["doc_id"], third.document["doc_id"]}
    at1 = connect(root, 1)
    assert at1.execute("SELECT doc_id FROM documents").fetchall() == [(first.document["doc_id"],)]
    assert at1.execute("SELECT count(*) FROM risk_answers").fetchall()[0][0] == len(first.tables["risk_answers"])
    at_date = connect(root, log[1].committed_at.isoformat())
    assert {r[0] for r in at_date.execute("SELECT doc_id FROM documents").fetchall()} == {
        first.document["doc_id"], second.document["doc_id"]}
    with pytest.raises(versions.VersionError):
        connect(root, "7")
    with pytest.raises(versions.VersionError):
        connect(root, "2001-01-01")
    # files on disk: the live table folders hold only live files
    assert len(pd.read_parquet(root / "documents")) == 2
    assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{root}/documents/*.parquet')").fetchall()[0][0] == 2
    assert pl.read_parquet(f"{root}/risk_answers/*.parquet").height == len(
        second.tables["risk_answers"]) + len(third.tables["risk_answers"])
    assert pl.read_delta(str(root / "documents")).height == 2


def test_cli_log_and_as_of(tmp_path, capsys):
    root = tmp_path / "corpus"
    for ext in extractions()[:2]:
        CorpusStore(root).write(ext)
    assert main(["log", "--corpus", str(root), "-v"]) == 0
    out = capsys.readouterr().out
    assert "version" in out and "added data/raw/" in out
    assert main(["query", "--corpus", str(root), "--as-of", "1", "SELECT count(*) AS n FROM documents", "-f", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["n", "1"]
    assert main(["tables", "--corpus", str(root), "--as-of", "99"]) == 2


def test_old_per_document_corpus_is_converted_on_first_use(tmp_path):
    root = tmp_path / "corpus"
    kept = []
    for ext in extractions():  # the layout before the Delta tables: one file per document per table
        for table in TABLES:
            rows = [ext.document] if table == "documents" else ext.tables.get(table, [])
            rows = [{**r, "doc_id": ext.document["doc_id"]} for r in rows]
            schema = pa.schema([f for f in arrow_schema(table) if f.name != "corpus_version"])
            (root / table).mkdir(parents=True, exist_ok=True)
            pq.write_table(pa.Table.from_pylist(rows, schema=schema), root / table / f"{ext.document['doc_id']}.parquet")
        kept.append(ext.document["doc_id"])
    ingest([str(seed("003"))], root, jobs=1)
    docs = dict(live(root, "SELECT doc_id, corpus_version FROM documents"))
    assert {d: docs[d] for d in kept} == {d: 1 for d in kept} and len(docs) == 4
    assert not list((root / "documents").glob("*_*.parquet")) and not any(
        (root / "fields" / f"{d}.parquet").exists() for d in kept)
    assert len(pd.read_parquet(root / "fields")) == live(root, "SELECT count(*) FROM fields")[0][0]


def test_two_concurrent_ingests_of_different_inputs_lose_nothing(tmp_path):
    inputs = {}
    for side, seeds in (("a", ["000", "001"]), ("b", ["002", "004"])):
        folder = tmp_path / side
        folder.mkdir()
        for s in seeds:
            shutil.copy(seed(s), folder / f"{s}.txt")
        inputs[side] = folder
    root = tmp_path / "corpus"
    procs = [subprocess.Popen([sys.executable, "-m", "pipeline.cli", "ingest", str(folder), "--out", str(root),
                               "--jobs", "1"], cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for folder in inputs.values()]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    docs = live(root, "SELECT source_path, status FROM documents")
    assert sorted(Path(p).name for p, _ in docs) == ["000.txt", "001.txt", "002.txt", "004.txt"]
    assert all(s in {"ok", "partial"} for _, s in docs)
    assert len(versions.read_log(root)) == 2
    for table in TABLES:
        assert {r[0] for r in live(root, f'SELECT DISTINCT doc_id FROM "{table}"')} <= {
            r[0] for r in live(root, "SELECT doc_id FROM documents")}


def test_diff_compares_one_report_across_corpus_versions(tmp_path):
    from pipeline.analysis.diff import compare_documents
    from pipeline.analysis.lookup import open_corpus

    root = tmp_path / "corpus"
    first = extractions()[0]
    CorpusStore(root).write(first)
    reparsed = extractions()[0]  # the same bytes parsed again (say by a newer parser): one answer differs
    risk = reparsed.tables["risk_answers"][0]
    before = risk["answer"]
    risk["answer"] = "課題が残されている" if before != "課題が残されている" else "十分である"
    CorpusStore(root).write(reparsed)
    doc_id = first.document["doc_id"]
    result = compare_documents(open_corpus(root), f"{doc_id}@1", doc_id)
    changed = [(it.a, it.b) for it in result.items if it.differs]
    assert changed == [(before, risk["answer"])]
    assert compare_documents(open_corpus(root), doc_id, doc_id).items and not any(
        it.differs for it in compare_documents(open_corpus(root), doc_id, doc_id).items)
