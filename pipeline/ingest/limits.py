"""One document under limits: processed in a child process forked for it, so a document that runs too
long or grows too big is stopped there — killed at its wall-time limit, refused memory past its limit —
and becomes a ``failed`` row with that reason while the worker and the batch go on."""
from __future__ import annotations

import os
import pickle
import resource
import select
import signal
import time
from dataclasses import dataclass

from parsers.model import Extraction
from parsers.read.readers import DEFAULT_MAX_TEXT_MB

from pipeline.ingest.process import failed_document, process_path
from pipeline.ingest.warm import warm_up


@dataclass(frozen=True)
class Limits:
    """Per-document limits of an ingest (``pia ingest --time-limit / --memory-limit / --text-limit``): the
    one place they are set."""
    seconds: float = 120.0  # wall time of one document, reading included
    memory_mb: int = 3072  # heap one document may add to the process that handles it (RLIMIT_DATA)
    text_mb: float = DEFAULT_MAX_TEXT_MB  # a text source larger than this fails before it is read


@dataclass(frozen=True)
class Task:
    """One input: its path and, when it could be read, the SHA-256 of its bytes (names its failed row)."""
    path: str
    sha256: str | None = None


def failed_task(task: Task, reason: str) -> Extraction:
    ext = failed_document(task.path, None, reason)
    if task.sha256:
        ext.document.update(doc_id=task.sha256[:16], source_sha256=task.sha256)
    return ext


def run_document(task: Task, limits: Limits) -> Extraction:
    """``process_path`` in a forked child within ``limits``; never raises for the document's sake."""
    warm_up()  # once per process, before its first fork: each document's child inherits the set-up
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: no return from here
        os.close(read_end)
        code = 0
        try:
            cap = _data_size() + (limits.memory_mb << 20)
            resource.setrlimit(resource.RLIMIT_DATA, (cap, cap))
            try:
                ext = process_path(task.path, limits.text_mb)
            except MemoryError:
                ext = failed_task(task, f"memory limit ({limits.memory_mb} MB) exceeded")
            with os.fdopen(write_end, "wb") as out:
                out.write(pickle.dumps(ext, protocol=pickle.HIGHEST_PROTOCOL))
        except BaseException:  # noqa: BLE001 — the parent reports a child that sent nothing
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    try:
        data = _read_until(read_end, time.monotonic() + limits.seconds)
    finally:
        os.close(read_end)
    if data is None:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    if data is None:
        return failed_task(task, f"time limit ({limits.seconds:g} s) exceeded")
    if not data:
        return failed_task(task, f"processing stopped ({_how(status)}); memory limit {limits.memory_mb} MB")
    return pickle.loads(data)


def _data_size() -> int:
    """The process's data segment now (what RLIMIT_DATA counts), from /proc."""
    with open("/proc/self/status", encoding="ascii") as fh:
        kb = next(int(line.split()[1]) for line in fh if line.startswith("VmData:"))
    return kb << 10


def _read_until(fd: int, deadline: float) -> bytes | None:
    """Everything the child writes, or None when the deadline passes first."""
    chunks = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return None
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by {signal.Signals(os.WTERMSIG(status)).name}"
    return f"exit status {os.WEXITSTATUS(status)}"
