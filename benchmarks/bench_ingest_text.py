"""Throughput of the whole text path (read, layout, sections, extractors, normalisers, Parquet) on
copies of the bundled samples. Run on demand:

    python benchmarks/bench_ingest_text.py [--copies 40] [--jobs 1 2]

Each copy gets one extra line so its content hash differs (no skip-as-unchanged). Each case runs in
a fresh subprocess so peak RSS (ru_maxrss of the children) is its own.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_inputs(folder: Path, copies: int) -> tuple[int, int]:
    files = sorted((ROOT / "data" / "raw").glob("*.txt"))
    total = 0
    for n in range(copies):
        for f in files:
            data = f.read_bytes() + f"\n{n}\n".encode()
            (folder / f"{n:04d}_{f.name}").write_bytes(data)
            total += len(data)
    return copies * len(files), total


def run_case(inputs: Path, jobs: int) -> dict:
    with tempfile.TemporaryDirectory() as out:
        code = ("import sys; from pipeline.ingest.batch import ingest; "
                f"s = ingest([{str(inputs)!r}], {out!r}, jobs={jobs}); sys.exit(s.status['failed'])")
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, stderr=subprocess.DEVNULL)
        seconds = time.perf_counter() - started
    return {"jobs": jobs, "seconds": seconds,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=40)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        docs, size = make_inputs(Path(tmp), args.copies)
        print(f"{docs} documents, {size / 1e6:.1f} MB of text")
        print("| jobs | seconds | docs/s | MB/s | peak RSS MB (max over cases so far) |\n|---|---|---|---|---|")
        for jobs in args.jobs:
            r = run_case(Path(tmp), jobs)
            print(f"| {jobs} | {r['seconds']:.1f} | {docs / r['seconds']:.1f} | {size / 1e6 / r['seconds']:.2f} "
                  f"| {r['peak_rss_mb']:.0f} |")
            print(json.dumps(r), file=sys.stderr)


if __name__ == "__main__":
    main()
