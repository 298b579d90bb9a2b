"""Executors: a process pool whose worker is killed, a Dask LocalCluster (127.0.0.1) that gives the
same tables as one process and survives a killed worker, and per-document limits."""
import os
import shutil
import signal
import threading
import time

import pandas as pd
import psutil
import pytest

from pipeline.corpus.schema import TABLES
from pipeline.ingest.batch import ingest
from pipeline.ingest.executors import Executor
from pipeline.ingest.limits import Limits, Task, run_document

from .conftest import seed

SEEDS = ["000", "001", "002", "003", "004"]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("in")
    for s in SEEDS:
        shutil.copy(seed(s), folder / f"{s}.txt")
    return folder


@pytest.fixture(scope="module")
def serial(inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("serial")
    ingest([str(inputs)], out, jobs=1)
    return out


def tables(root) -> dict[str, pd.DataFrame]:
    return {t: pd.read_parquet(root / t).drop(columns=["corpus_version"], errors="ignore")
            .sort_values(list(pd.read_parquet(root / t).columns[:2]), kind="stable").reset_index(drop=True)
            for t in TABLES}


def kill_a_worker_soon(is_worker) -> tuple[threading.Thread, list[int]]:
    """SIGKILL one process of ours that ``is_worker`` picks while it processes a document (it has forked
    the child that runs one)."""
    killed = []

    def killer():
        me = psutil.Process()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                workers = [p for p in me.children(recursive=True) if is_worker(p) and _busy(p)]
            except psutil.Error:  # a process ended while we looked (a document's child, say)
                continue
            if workers:
                os.kill(workers[0].pid, signal.SIGKILL)
                killed.append(workers[0].pid)
                return
            time.sleep(0.01)
    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    return thread, killed


def test_killed_pool_worker_is_retried_and_the_batch_finishes(inputs, serial, tmp_path):
    me = os.getpid()
    killer, killed = kill_a_worker_soon(lambda p: p.ppid() == me)  # pool workers are our direct children
    summary = ingest([str(inputs)], tmp_path, executor=Executor("process", 2))
    killer.join()
    assert killed
    assert summary.status["failed"] == 0 and summary.status["ok"] + summary.status["partial"] == len(SEEDS)
    for t, frame in tables(serial).items():
        pd.testing.assert_frame_equal(tables(tmp_path)[t], frame)


def test_dask_local_cluster_gives_the_serial_tables_and_survives_a_killed_worker(inputs, serial, tmp_path):
    me = os.getpid()  # the LocalCluster's nannies run here and spawn the workers as our children
    killer, killed = kill_a_worker_soon(lambda p: p.ppid() == me and "spawn_main" in " ".join(_cmdline(p)))
    summary = ingest([str(inputs)], tmp_path, executor=Executor("dask", 2))
    killer.join()
    assert killed
    assert summary.status["failed"] == 0 and summary.status["ok"] + summary.status["partial"] == len(SEEDS)
    for t, frame in tables(serial).items():
        pd.testing.assert_frame_equal(tables(tmp_path)[t], frame)


def _busy(p: psutil.Process) -> bool:
    try:
        return bool(p.children())
    except psutil.Error:
        return False


def _cmdline(p: psutil.Process) -> list[str]:
    try:
        return p.cmdline()
    except psutil.Error:
        return []


def test_a_document_past_its_time_limit_fails_with_that_reason(tmp_path):
    slow = tmp_path / "headings.txt"  # 17 MB, under the text size limit; reading it takes far over 2 s
    slow.write_text("Ⅰ 基本情報\n" * 1_000_000, encoding="utf-8")
    started = time.monotonic()
    ext = run_document(Task(str(slow), "ab" * 32), Limits(seconds=2))
    assert time.monotonic() - started < 10
    assert ext.document["status"] == "failed" and ext.document["error"] == "time limit (2 s) exceeded"
    assert ext.document["doc_id"] == "ab" * 8


def test_a_document_past_its_memory_limit_fails_and_the_batch_goes_on(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text(("特定個人情報保護評価書 " * 8 + "\n") * 300_000, encoding="utf-8")
    shutil.copy(seed("003"), tmp_path / "good.txt")
    limits = Limits(memory_mb=200, text_mb=100)  # the text is past the memory limit, within the text limit
    summary = ingest([str(big), str(tmp_path / "good.txt")], tmp_path / "corpus", limits=limits)
    assert summary.failures == [(str(big), "memory limit (200 MB) exceeded")]
    assert summary.status["ok"] + summary.status["partial"] == 1
