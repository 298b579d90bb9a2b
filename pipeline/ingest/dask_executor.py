"""The per-document task on a dask.distributed cluster: the scheduler at an address, or a LocalCluster
bound to 127.0.0.1 with one single-threaded worker process per job. Results stream back as they finish.

The scheduler reschedules a task whose worker died; with ``allowed-failures`` at 1 (set on the
LocalCluster; a cluster started elsewhere keeps its own setting) a second death makes it KilledWorker,
recorded as failed. A task that raised is tried once more here."""
from __future__ import annotations

from collections import Counter, deque
from contextlib import ExitStack
from typing import Iterator

import dask
from distributed import Client, LocalCluster, as_completed

from parsers.model import Extraction

from pipeline.ingest.executors import TRIES, Executor, retry_or_fail
from pipeline.ingest.limits import Limits, Task, run_document

IN_FLIGHT_PER_WORKER = 2  # tasks queued per worker: keeps workers busy, results bounded


def dask_results(tasks: list[Task], executor: Executor, limits: Limits) -> Iterator[Extraction]:
    with ExitStack() as stack:
        if executor.scheduler:
            client = stack.enter_context(Client(executor.scheduler))
        else:
            stack.enter_context(dask.config.set({"distributed.scheduler.allowed-failures": 1}))
            cluster = stack.enter_context(LocalCluster(
                n_workers=executor.jobs, threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=None, silence_logs=50))
            client = stack.enter_context(Client(cluster))
        yield from _stream(client, tasks, limits, max(1, len(client.scheduler_info()["workers"])))


def _stream(client: Client, tasks: list[Task], limits: Limits, workers: int) -> Iterator[Extraction]:
    queue, tries, owner = deque(tasks), Counter(), {}
    running = as_completed()

    def submit() -> None:
        while queue and running.count() < workers * IN_FLIGHT_PER_WORKER:
            task = queue.popleft()
            tries[task] += 1
            fut = client.submit(run_document, task, limits, pure=False)
            owner[fut.key] = task
            running.add(fut)

    submit()
    while running.count() or queue:
        fut = next(running)
        task = owner.pop(fut.key)
        if fut.status == "finished":
            yield fut.result()
        else:
            error = fut.exception()
            if type(error).__name__ == "KilledWorker":
                tries[task] = TRIES  # the scheduler tried it on another worker already
            yield from retry_or_fail(task, error, tries, queue)
        fut.release()
        submit()
