"""Where documents are processed: this process, a pool of local processes, or a dask.distributed
cluster. Each runs the same task (``limits.run_document``) and yields results as they finish to the one
writer. A task whose worker dies, or that raises, is tried once more on another worker, then becomes a
``failed`` row with the reason; the batch always finishes."""
from __future__ import annotations

import os
from collections import Counter, deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Iterator

from parsers.model import Extraction

from pipeline.ingest.limits import Limits, Task, failed_task, run_document

TRIES = 2  # the first try and one retry


@dataclass(frozen=True)
class Executor:
    """``kind``: ``process`` (a local pool; one process runs in-line) or ``dask``; ``scheduler``: a
    dask scheduler address (a LocalCluster on 127.0.0.1 when None); ``jobs``: local workers."""
    kind: str = "process"
    jobs: int = os.cpu_count() or 1
    scheduler: str | None = None


def results(tasks: list[Task], executor: Executor, limits: Limits) -> Iterator[Extraction]:
    if executor.kind == "dask":
        from pipeline.ingest.dask_executor import dask_results

        yield from dask_results(tasks, executor, limits)
    elif executor.jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield run_document(task, limits)
    else:
        yield from _pool_results(tasks, executor.jobs, limits)


def retry_or_fail(task: Task, error: BaseException | str, tries: Counter, queue: deque) -> Iterator[Extraction]:
    """Queue the task again after its first failure; after its second, its failed row."""
    if tries[task] < TRIES:
        queue.append(task)
        return
    reason = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    yield failed_task(task, f"failed on {TRIES} workers: {reason}")


def _pool_results(tasks: list[Task], jobs: int, limits: Limits) -> Iterator[Extraction]:
    """As many tasks in flight as workers, so a worker's death touches only the documents it ran;
    a broken pool is replaced by a new one for the rest."""
    queue, tries = deque(tasks), Counter()
    while queue:
        pool, inflight, broken = ProcessPoolExecutor(max_workers=jobs), {}, False
        try:
            while (queue or inflight) and not broken:
                while queue and len(inflight) < jobs:
                    task = queue.popleft()
                    tries[task] += 1
                    inflight[pool.submit(run_document, task, limits)] = task
                done, _ = wait(inflight, return_when=FIRST_COMPLETED)
                for fut in done:
                    task, error = inflight.pop(fut), fut.exception()
                    if error is None:
                        yield fut.result()
                        continue
                    broken |= isinstance(error, BrokenProcessPool)
                    yield from retry_or_fail(task, "a worker process died" if broken else error, tries, queue)
            for task in inflight.values():  # the other tasks of a broken pool
                yield from retry_or_fail(task, "a worker process died", tries, queue)
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
