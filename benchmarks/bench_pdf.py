"""PDF speed and memory per producer, run on demand (not part of the tests).

    python benchmarks/bench_pdf.py [--out DIR] [--batch-docs 200] [--pages 40-45]

For each producer of ``tests.producers`` (LibreOffice from an .xlsx grid, Chromium printing HTML,
reportlab with embedded TrueType) and the test renderer (reportlab, non-embedded CID fonts), a
全項目評価書 of 40–45 pages is drawn (its 変更箇所 table grown until the page count fits; kept in
``--out`` and reused) and read once, one process at a time:

- baseline: pdfplumber ``extract_text()`` on every page (pages closed after use);
- end to end: what ``pia ingest`` does for one file (read, layout, extract, normalise, write
  Parquet), pdfium backend.

Each process first reads the small committed LibreOffice 基礎 fixture once, untimed (imports and
first-call set-up, reported as warm-up seconds), so pages/s is what a batch sees.

Every case runs in its own subprocess, so its peak RSS (``ru_maxrss``) is its own. Then a batch of
``--batch-docs`` documents (the committed LibreOffice 基礎 fixture) is ingested in one process,
noting peak RSS after n documents: flat means nothing accumulates per document. Prints markdown,
with the date and the load average before and after.
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


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read_once(case: str, pdf_path: str) -> int:
    """Read one PDF the case's way; returns its page count."""
    if case == "plumber-text":
        import pdfplumber

        with pdfplumber.open(pdf_path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.close()
            return len(pdf.pages)
    from parsers.model import Source
    from pipeline.corpus.store import CorpusStore
    from pipeline.ingest.process import process_source

    data = Path(pdf_path).read_bytes()
    ext = process_source(Source(pdf_path, data, hashlib.sha256(data).hexdigest(), "pdf"))
    assert ext.document["status"] != "failed", ext.document["warnings"]
    with tempfile.TemporaryDirectory() as out:
        CorpusStore(out).write(ext)
    return ext.document["page_count"]


def run_case(case: str, pdf_path: str, docs: int) -> dict:
    """Executed in the child: one warm-up read of a small report (imports, first-call set-up;
    timed apart as ``cold``), then the PDF ``docs`` times; pages, seconds, peak RSS."""
    from tests.producers import fixture_path

    start = time.perf_counter()
    read_once(case, str(fixture_path("libreoffice", "基礎項目評価書", 3)))
    cold = time.perf_counter() - start
    pages, checkpoints = 0, {}
    start = time.perf_counter()
    for n in range(1, docs + 1):
        pages += read_once(case, pdf_path)
        if n in CHECKPOINTS:
            checkpoints[n] = round(rss_mb(), 1)
    return {"pages": pages, "seconds": time.perf_counter() - start, "rss_mb": rss_mb(),
            "checkpoints": checkpoints, "cold": cold}


def spawn(case: str, pdf_path: Path, docs: int = 1) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", case, "--pdf", str(pdf_path),
                          "--batch-docs", str(docs)], capture_output=True, text=True, check=True,
                         cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def draw(producer: str, rows: int) -> bytes:
    from tests.pdf_reports import build, render_report
    from tests.producers import PRODUCERS as MAKERS

    report = build("全項目評価書", SEED, long_changes=rows)
    return render_report(report) if producer == "reportlab-cid" else MAKERS[producer](report, SEED)


def report_of(producer: str, out: Path, lo: int, hi: int) -> Path:
    """A report of ``lo``–``hi`` pages from the producer, reused when already drawn."""
    import pypdfium2 as pdfium

    path = out / f"{producer}.pdf"
    rows = 40
    for _ in range(8):
        if path.exists() and lo <= len(pdfium.PdfDocument(str(path))) <= hi:
            return path
        data = draw(producer, rows)
        pages = len(pdfium.PdfDocument(data))
        path.write_bytes(data)
        if lo <= pages <= hi:
            return path
        rows = max(1, round(rows * ((lo + hi) / 2 - 14) / max(pages - 14, 1)))  # ~14 pages besides
    raise SystemExit(f"{producer}: could not draw a report of {lo}-{hi} pages")


def load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--out", default=str(Path(tempfile.gettempdir()) / "pia-bench-pdf"),
                    help="where the drawn reports are kept and reused")
    ap.add_argument("--batch-docs", type=int, default=200, help="documents in the memory batch")
    ap.add_argument("--pages", default="40-45", help="page range of the drawn reports")
    ap.add_argument("--pdf", help=argparse.SUPPRESS)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_case(args.child, args.pdf, args.batch_docs)))
        return
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    lo, hi = map(int, args.pages.split("-"))
    reports = {p: report_of(p, out, lo, hi) for p in PRODUCERS}
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.machine()}, "
          f"{os.cpu_count()} cores, load average before: {load()}\n")
    print("| producer | pages | pdfplumber `extract_text()` pages/s | peak RSS MB "
          "| end-to-end ingest pages/s | peak RSS MB | ratio | warm-up s (plumber / ingest) |")
    print("|---|---|---|---|---|---|---|---|")
    for producer, path in reports.items():
        base, ours = spawn("plumber-text", path), spawn("ingest", path)
        b, o = base["pages"] / base["seconds"], ours["pages"] / ours["seconds"]
        print(f"| {producer} | {ours['pages']} | {b:.1f} | {base['rss_mb']:.0f} | {o:.1f} "
              f"| {ours['rss_mb']:.0f} | {o / b:.1f}× | {base['cold']:.1f} / {ours['cold']:.1f} |")
    from tests.producers import fixture_path

    small = fixture_path("libreoffice", "基礎項目評価書", 3)
    marks = [n for n in CHECKPOINTS if n <= args.batch_docs]
    r = spawn("ingest", small, args.batch_docs)
    print(f"\nEnd-to-end ingest of {args.batch_docs} documents in one process "
          f"({small.name}, {r['pages']} pages, {r['pages'] / r['seconds']:.1f} pages/s); "
          "peak RSS MB after n documents:\n")
    print("| " + " | ".join(f"n={n}" for n in marks) + " |")
    print("|" + "---|" * len(marks))
    print("| " + " | ".join(str(r["checkpoints"][str(n)]) for n in marks) + " |")
    print(f"\nload average after: {load()}")


if __name__ == "__main__":
    main()
