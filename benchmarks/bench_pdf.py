"""PDF speed and memory per producer, as a user runs it (run on demand, not part of the tests).

    python benchmarks/bench_pdf.py [--out DIR] [--copies 8] [--batch-docs 200] [--pages 40-45]

For each producer of ``tests.producers`` (LibreOffice from an .xlsx grid, Chromium printing HTML,
reportlab with embedded TrueType) and the test renderer (reportlab, non-embedded CID fonts), a
全項目評価書 of 40–45 pages is drawn (its 変更箇所 table grown until the page count fits; kept in
``--out`` and reused) and written ``--copies`` times with varied bytes (a comment after the end
marker, so every copy is a new document). In one run, one process each:

- baseline: pdfplumber ``extract_text()`` on every page of every copy (pages closed after use);
- end to end: ``ingest`` on the folder of copies, as ``pia ingest DIR --out CORPUS`` runs it (one
  process, a child forked per document under the default limits, one corpus commit at the end, as
  a batch of under 1,000 documents does), pdfium backend, fresh corpus.

Both time the batch from the first document to the last, set-up included (for ingest: warming the
forking process, planning, the commit), interpreter start-up and imports excluded (reported apart).
The stage columns split ingest's seconds: layout (pdfium reading + grid + cells) and extraction
(sections, extractors, rows) timed on one copy in the same process after the batch, store = the
commit, and the rest (warm-up, forking, sending results back, Arrow rows).

Then ``--batch-docs`` copies of the committed LibreOffice 基礎 fixture are ingested the same way,
noting after n documents the writer's resident set now and at its peak and the largest peak of the
per-document children: flat means nothing accumulates per document. Prints markdown with the date
and the load average before and after; the machine is shared, so compare the ratio, measured in
one run, rather than the pages/s across runs.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHECKPOINTS = (1, 10, 50, 100, 200)
PRODUCERS = ["libreoffice", "chromium", "reportlab-ttf", "reportlab-cid"]
SEED = 1


def rss_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (peak) of this process, in MB."""
    with open("/proc/self/status", encoding="ascii") as fh:
        return next(int(ln.split()[1]) for ln in fh if ln.startswith(field + ":")) / 1024


def children_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def cpu_seconds() -> float:
    """User + system CPU of this process and its waited-for children (load inflates it less)."""
    return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                  resource.getrusage(resource.RUSAGE_CHILDREN)))


def copies(pdf: Path, n: int, folder: Path) -> list[Path]:
    """``n`` copies of the PDF, each with its own bytes (a comment after %%EOF), in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    data = pdf.read_bytes()
    paths = [folder / f"{pdf.stem}-{i:04d}.pdf" for i in range(n)]
    for i, path in enumerate(paths):
        path.write_bytes(data + f"% copy {i}\n".encode())
    return paths


def plumber_batch(paths: list[Path]) -> dict:
    import pdfplumber

    pages, start, cpu = 0, time.perf_counter(), cpu_seconds()
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.close()
            pages += len(pdf.pages)
    return {"pages": pages, "seconds": time.perf_counter() - start, "cpu": cpu_seconds() - cpu}


def ingest_batch(paths: list[Path], commit_every: int) -> dict:
    """``ingest`` of the folder; commit seconds and RSS after n documents noted on the way."""
    from pipeline.ingest import batch

    commits, marks, done = [], {}, [0]
    commit, results = batch.CorpusStore.commit, batch.results

    def timed_commit(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return commit(self, *args, **kwargs)
        finally:
            commits.append(time.perf_counter() - start)

    def counted(*args, **kwargs):
        for ext in results(*args, **kwargs):
            yield ext
            done[0] += 1
            if done[0] in CHECKPOINTS:
                marks[done[0]] = [round(rss_mb("VmRSS"), 1), round(rss_mb("VmHWM"), 1),
                                  round(children_peak_mb(), 1)]

    batch.CorpusStore.commit, batch.results = timed_commit, counted
    with tempfile.TemporaryDirectory() as out:
        start, cpu = time.perf_counter(), cpu_seconds()
        summary = batch.ingest([str(paths[0].parent)], out, jobs=1, commit_every=commit_every)
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
        pages = _pages(paths[0]) * len(paths)
    assert summary.status["ok"] + summary.status["partial"] == len(paths), summary.lines()
    return {"pages": pages, "seconds": seconds, "cpu": cpu, "store": sum(commits), "marks": marks,
            **_stages(paths[0])}


def _pages(path: Path) -> int:
    import pypdfium2 as pdfium

    return len(pdfium.PdfDocument(str(path)))


def _stages(path: Path) -> dict:
    """Layout and extraction seconds of one copy, read in this process after one untimed read
    (the batch's children inherit a warmed process the same way)."""
    from parsers.model import Source
    from pipeline.ingest import process

    data = path.read_bytes()
    source = Source(str(path), data, hashlib.sha256(data).hexdigest(), "pdf")
    process.process_source(source)
    start = time.perf_counter()
    process.layout_of(source)
    mid = time.perf_counter()
    process.process_source(source)
    end = time.perf_counter()
    return {"layout": mid - start, "extraction": (end - mid) - (mid - start)}


def run_child(case: str, folder: str, commit_every: int) -> dict:
    started = time.perf_counter()
    if case == "plumber":
        import pdfplumber  # noqa: F401
    else:
        import pipeline.ingest.batch  # noqa: F401
    imports = time.perf_counter() - started
    paths = sorted(Path(folder).glob("*.pdf"))
    out = plumber_batch(paths) if case == "plumber" else ingest_batch(paths, commit_every)
    return {**out, "imports": imports, "peak_mb": rss_mb("VmHWM"), "children_mb": children_peak_mb()}


def spawn(case: str, folder: Path, commit_every: int = 1000) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", case, "--pdf", str(folder),
                          "--commit-every", str(commit_every)],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def draw(producer: str, rows: int) -> bytes:
    from tests.pdf_reports import build, render_report
    from tests.producers import PRODUCERS as MAKERS

    report = build("全項目評価書", SEED, long_changes=rows)
    return render_report(report) if producer == "reportlab-cid" else MAKERS[producer](report, SEED)


def report_of(producer: str, out: Path, lo: int, hi: int) -> Path:
    """A report of ``lo``–``hi`` pages from the producer, reused when already drawn."""
    path = out / f"{producer}.pdf"
    rows = 40
    for _ in range(8):
        if path.exists() and lo <= _pages(path) <= hi:
            return path
        data = draw(producer, rows)
        path.write_bytes(data)
        pages = _pages(path)
        if lo <= pages <= hi:
            return path
        rows = max(1, round(rows * ((lo + hi) / 2 - 14) / max(pages - 14, 1)))  # ~14 pages besides
    raise SystemExit(f"{producer}: could not draw a report of {lo}-{hi} pages")


def load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def producer_rows(reports: dict[str, Path], work: Path, n: int) -> None:
    print("| producer | pages × copies | pdfplumber `extract_text()` pages/s | peak RSS MB "
          "| `pia ingest` pages/s | ratio | CPU s plumber / ingest (ratio) | layout / extraction / store / rest s per document "
          "| ingest peak RSS MB (writer / child) | imports s (plumber / ingest) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for producer, pdf in reports.items():
        folder = work / producer
        copies(pdf, n, folder)
        base, ours = spawn("plumber", folder), spawn("ingest", folder)
        b, o = base["pages"] / base["seconds"], ours["pages"] / ours["seconds"]
        layout, extraction, store = ours["layout"], ours["extraction"], ours["store"] / n
        rest = ours["seconds"] / n - layout - extraction - store
        print(f"| {producer} | {ours['pages'] // n} × {n} | {b:.1f} | {base['peak_mb']:.0f} | {o:.1f} "
              f"| **{o / b:.1f}×** | {base['cpu']:.1f} / {ours['cpu']:.1f} ({base['cpu'] / ours['cpu']:.1f}×) "
              f"| {layout:.2f} / {extraction:.2f} / {store:.2f} / {rest:.2f} "
              f"| {ours['peak_mb']:.0f} / {ours['children_mb']:.0f} "
              f"| {base['imports']:.1f} / {ours['imports']:.1f} |", flush=True)


def memory_rows(work: Path, docs: int, commit_every: int) -> None:
    from tests.producers import fixture_path

    small = fixture_path("libreoffice", "基礎項目評価書", 3)
    folder = work / "batch"
    copies(small, docs, folder)
    r = spawn("ingest", folder, commit_every)
    marks = [n for n in CHECKPOINTS if n <= docs]
    print(f"\n`pia ingest` of {docs} documents ({small.name} with varied bytes, {r['pages']} pages, "
          f"{r['pages'] / r['seconds']:.1f} pages/s, a commit every {commit_every} documents, "
          f"{r['store']:.1f} s in commits); RSS MB after n "
          "documents:\n")
    print("| | " + " | ".join(f"n={n}" for n in marks) + " | end |")
    print("|---|" + "---|" * (len(marks) + 1))
    for k, label in enumerate(("writer now", "writer peak", "children peak")):
        print(f"| {label} | " + " | ".join(str(r["marks"][str(n)][k]) for n in marks)
              + f" | {[r['peak_mb'], r['peak_mb'], r['children_mb']][k]:.1f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--out", default=str(Path(tempfile.gettempdir()) / "pia-bench-pdf"),
                    help="where the drawn reports are kept and reused")
    ap.add_argument("--copies", type=int, default=8, help="copies of each producer's report")
    ap.add_argument("--batch-docs", type=int, default=200, help="documents in the memory batch")
    ap.add_argument("--pages", default="40-45", help="page range of the drawn reports")
    ap.add_argument("--producers", default=",".join(PRODUCERS), help="comma-separated subset")
    ap.add_argument("--commit-every", type=int, default=1000,
                    help="documents per commit in the memory batch (ingest's default: 1000)")
    ap.add_argument("--pdf", help=argparse.SUPPRESS)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_child(args.child, args.pdf, args.commit_every)))
        return
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    lo, hi = map(int, args.pages.split("-"))
    reports = {p: report_of(p, out, lo, hi) for p in args.producers.split(",") if p}
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.machine()}, "
          f"{os.cpu_count()} cores, load average before: {load()}\n", flush=True)
    with tempfile.TemporaryDirectory() as work:
        if reports:
            producer_rows(reports, Path(work), args.copies)
        memory_rows(Path(work), args.batch_docs, args.commit_every)
    print(f"\nload average after: {load()}")


if __name__ == "__main__":
    main()
