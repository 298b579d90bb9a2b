"""The corpus at national scale (20,000 documents). Run on demand:

    python benchmarks/bench_scale.py [--docs 20000] [--batch 1000] [--ingest-docs 40] [--work DIR]
    python benchmarks/bench_scale.py --work DIR --only-cli     # step 3's CLI timings alone, on DIR/corpus

1. Inputs: each bundled sample plus one line naming its copy (varied bytes, so 20,000 doc_ids).
2. Corpus: the samples are processed once and their rows written for every copy directly through
   the store, ``--batch`` documents per commit (ingesting 20,000 documents at a few per second would
   take hours); the writer's RSS and each commit's time are recorded.
3. Files on disk per table; ``pia tables``, a group-by and a join through the CLI (wall and CPU time
   of the whole command, a fresh interpreter each time: best of 5); ``pia ingest`` of the 20,000
   unchanged inputs.
4. Ingest throughput (documents/hour) on ``--ingest-docs`` fresh inputs with 1 and 2 workers, process
   pool and Dask LocalCluster.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import resource

import psutil
import pyarrow as pa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.corpus.layout import DOCUMENTS, live_path  # noqa: E402
from pipeline.corpus.schema import TABLES  # noqa: E402
from pipeline.corpus.store import CorpusStore, doc_rows  # noqa: E402
from pipeline.ingest.process import process_path  # noqa: E402

SAMPLES = sorted((ROOT / "data" / "raw").glob("*.txt"))
GROUP_BY = "SELECT assessment_kind, status, count(*) AS n FROM documents GROUP BY ALL ORDER BY n DESC"
JOIN = ("SELECT d.assessment_kind, r.answer, count(*) AS n FROM risk_answers r JOIN documents d USING (doc_id) "
        "GROUP BY ALL ORDER BY n DESC LIMIT 5")


def make_inputs(folder: Path, first: int, count: int) -> list[tuple[Path, str, int]]:
    """(path, sha256, sample index) of ``count`` varied copies, 1,000 to a folder."""
    out = []
    for k in range(first, first + count):
        sample = k % len(SAMPLES)
        data = SAMPLES[sample].read_bytes() + f"\ncopy {k}\n".encode()
        path = folder / f"{k // 1000:03d}" / f"{k:06d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        out.append((path, hashlib.sha256(data).hexdigest(), sample))
    return out


def variant(rows: dict[str, pa.Table], path: Path, sha: str) -> dict[str, pa.Table]:
    out = {}
    for table, t in rows.items():
        t = t.set_column(t.schema.get_field_index("doc_id"), "doc_id", pa.array([sha[:16]] * len(t), pa.string()))
        if table == DOCUMENTS:
            for col, value in (("source_path", str(path)), ("source_sha256", sha), ("source_paths", [str(path)])):
                field = t.schema.field(col)
                t = t.set_column(t.schema.get_field_index(col), field, pa.array([value], field.type))
        out[table] = t
    return out


def build(corpus: Path, inputs: list[tuple[Path, str, int]], batch: int) -> None:
    templates = [doc_rows(process_path(str(s))) for s in SAMPLES]
    store, me = CorpusStore(corpus), psutil.Process()
    print("| commit | documents | seconds | writer RSS MB |\n|---|---|---|---|")
    for n, start in enumerate(range(0, len(inputs), batch), 1):
        group = [variant(templates[s], p, sha) for p, sha, s in inputs[start:start + batch]]
        started = time.perf_counter()
        store.commit(group, run="bench_scale")
        print(f"| {n} | {start + len(group)} | {time.perf_counter() - started:.1f} | {me.memory_info().rss / 2**20:.0f} |")


def cli(*args: str, runs: int = 5) -> str:
    """Best wall time of ``runs`` runs of ``pia ARGS`` (a fresh interpreter each time), and the CPU time
    (user + system) of that run."""
    best = None
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pipeline.cli", *args], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        took = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        best = min(best or (took, cpu), (took, cpu))
    return f"{best[0]:.2f} s wall, {best[1]:.2f} s CPU"


def time_cli(corpus: Path) -> None:
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for name, argv in (("pia tables", ["tables", "--corpus", str(corpus)]),
                       ("pia query (group-by)", ["query", "--corpus", str(corpus), GROUP_BY]),
                       ("pia query (join)", ["query", "--corpus", str(corpus), JOIN])):
        print(f"{name}: {cli(*argv)}")
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


def disk(corpus: Path) -> None:
    print("| table | files | MB |\n|---|---|---|")
    for table in TABLES:
        files = list(live_path(corpus, table).glob("*.parquet"))
        print(f"| {table} | {len(files)} | {sum(f.stat().st_size for f in files) / 1e6:.1f} |")
    everything = [f for f in corpus.rglob("*") if f.is_file()]
    print(f"all files under the corpus (logs and history included): {len(everything)}, "
          f"{sum(f.stat().st_size for f in everything) / 1e6:.1f} MB")


def throughput(work: Path, first: int, count: int) -> None:
    print("| executor | workers | documents | seconds | documents/hour |\n|---|---|---|---|---|")
    for executor, jobs in (("process", 1), ("process", 2), ("dask", 1), ("dask", 2)):
        folder = work / f"fresh-{executor}-{jobs}"
        make_inputs(folder, first, count)
        first += count
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pipeline.cli", "ingest", str(folder), "--out", str(work / folder.name)
                        + ".corpus", "--executor", executor, "--jobs", str(jobs)], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        took = time.perf_counter() - started
        print(f"| {executor} | {jobs} | {count} | {took:.1f} | {count / took * 3600:.0f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--ingest-docs", type=int, default=40)
    ap.add_argument("--work", type=Path, help="folder to keep inputs and corpus in (default: a temp folder)")
    ap.add_argument("--only-cli", action="store_true", help="only time the CLI on the corpus already in --work")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench_scale_"))
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average {os.getloadavg()[0]:.1f}, "
          f"{os.cpu_count()} cores; work in {work}")
    if args.only_cli:
        if not (work / "corpus").is_dir():
            ap.error(f"no corpus at {work / 'corpus'}: build one first (without --only-cli)")
        time_cli(work / "corpus")
        return
    started = time.perf_counter()
    inputs = make_inputs(work / "inputs", 0, args.docs)
    print(f"{len(inputs)} inputs, {sum(p.stat().st_size for p, _, _ in inputs) / 1e9:.2f} GB, "
          f"{time.perf_counter() - started:.0f} s to write")
    corpus = work / "corpus"
    build(corpus, inputs, args.batch)
    disk(corpus)
    time_cli(corpus)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "ingest", str(work / "inputs"), "--out", str(corpus)],
                          cwd=ROOT, check=True, capture_output=True, text=True)
    print(f"re-ingest of {len(inputs)} unchanged inputs: {time.perf_counter() - started:.1f} s "
          f"({done.stderr.strip().splitlines()[0]})")
    throughput(work, args.docs, args.ingest_docs)


if __name__ == "__main__":
    main()
