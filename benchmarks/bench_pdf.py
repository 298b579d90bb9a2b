"""PDF reading speed and memory, run on demand (not part of the tests).

    python benchmarks/bench_pdf.py [--pdf REPORT.pdf] [--batch-docs 200]

Without ``--pdf`` a 40+ page report is rendered with the test renderer. Every case runs in its
own subprocess so its peak RSS (``ru_maxrss``) is its own. Prints a markdown table.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHECKPOINTS = (1, 10, 50, 100, 200)  # documents read when the batch's peak RSS is noted
CASES = {
    "pdfplumber extract_text() (baseline)": "plumber-text",
    "read_pdf_layout, pdfplumber backend": "layout-pdfplumber",
    "read_pdf_layout, pdfium backend": "layout-pdfium",
    "end-to-end ingest (pdfium: parse, extract, normalise, write Parquet)": "ingest-pdfium",
}


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_case(case: str, pdf_path: str, docs: int) -> dict:
    """Executed in the child: read the PDF ``docs`` times, report pages/s and peak RSS."""
    data = Path(pdf_path).read_bytes()
    from parsers.model import Source
    from parsers.read.pdf_reader import read_pdf_layout

    pages = 0
    checkpoints = {}
    start = time.perf_counter()
    for n in range(1, docs + 1):
        if case == "plumber-text":
            import pdfplumber

            with pdfplumber.open(pdf_path) as pdf:
                for page in pdf.pages:
                    page.extract_text()
                    page.close()
                    pages += 1
        elif case == "ingest-pdfium":
            from pipeline.ingest.process import process_source
            from pipeline.corpus.store import CorpusStore

            source = Source(pdf_path, data, hashlib.sha256(data).hexdigest(), "pdf")
            ext = process_source(source)
            with tempfile.TemporaryDirectory() as out:
                CorpusStore(out).write(ext)
            pages += ext.document["page_count"]
        else:
            source = Source(pdf_path, data, hashlib.sha256(data).hexdigest(), "pdf")
            pages += read_pdf_layout(source, case.removeprefix("layout-")).page_count
        if n in CHECKPOINTS:
            checkpoints[n] = round(rss_mb(), 1)
    seconds = time.perf_counter() - start
    return {"pages": pages, "seconds": seconds, "rss_mb": rss_mb(), "checkpoints": checkpoints}


def spawn(case: str, pdf_path: str, docs: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", case, "--pdf", pdf_path,
                          "--batch-docs", str(docs)], capture_output=True, text=True, check=True,
                         cwd=ROOT)
    return json.loads(out.stdout)


def render_report(path: Path, changes_rows: int = 70, risk_rows: int = 24) -> None:
    from tests import pdfgen
    from tests.pdf_records import basic_info, changes, cover, long_block

    tables = [cover(), basic_info(), long_block(rows=risk_rows), changes(rows=changes_rows)]
    path.write_bytes(pdfgen.render(tables, pdfgen.Style(shuffle_seed=1)).pdf)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--pdf", help="report to read (default: render a 40+ page one)")
    ap.add_argument("--batch-docs", type=int, default=200, help="documents in the memory batch")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_case(args.child, args.pdf, args.batch_docs)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(args.pdf) if args.pdf else Path(tmp) / "report.pdf"
        if not args.pdf:
            render_report(report)
            small = Path(tmp) / "small.pdf"
            render_report(small, changes_rows=8, risk_rows=2)
        else:
            small = report
        print(f"report: {report.name}, batch document: {small.name}\n")
        print("| reader | pages | pages/s | peak RSS (MB) |")
        print("|---|---|---|---|")
        for label, case in CASES.items():
            r = spawn(case, str(report), 1)
            print(f"| {label} | {r['pages']} | {r['pages'] / r['seconds']:.0f} | {r['rss_mb']:.0f} |")
        print(f"\nBatch of {args.batch_docs} documents (peak RSS in MB after n documents):\n")
        marks = [n for n in CHECKPOINTS if n <= args.batch_docs]
        print("| reader | pages | pages/s | " + " | ".join(f"n={n}" for n in marks) + " |")
        print("|---|---|---|" + "---|" * len(marks))
        for label, case in list(CASES.items())[1:]:
            r = spawn(case, str(small), args.batch_docs)
            rss = " | ".join(str(r["checkpoints"][str(n)]) for n in marks)
            print(f"| {label} | {r['pages']} | {r['pages'] / r['seconds']:.0f} | {rss} |")


if __name__ == "__main__":
    main()
