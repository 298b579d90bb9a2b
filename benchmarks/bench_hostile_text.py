"""Time of the text path on hostile repetition, to check it grows linearly with the input. Run on demand:

    python benchmarks/bench_hostile_text.py [--sizes 2000 4000 8000 100000]

Cases: N lines of one heading ("Ⅰ 基本情報"); a sample report with N Ⅰ and N Ⅱ headings between two
copies of itself (thousands of Ⅱ blocks); one line of N×10 characters inside a sample. Each case runs
in a fresh subprocess (process_path on one file); seconds per 1,000 lines should stay flat.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = sorted((ROOT / "data" / "raw").glob("001_*.txt"))[0]


def cases(n: int) -> dict[str, str]:
    report = SAMPLE.read_text(encoding="utf-8")
    return {
        "one heading repeated": "Ⅰ 基本情報\n" * n,
        "Ⅰ and Ⅱ headings inside a report": report + "Ⅰ 基本情報\n" * n + "Ⅱ 特定個人情報ファイルの概要\n" * n + report,
        "one long line inside a report": report + "[ " * (5 * n) + "\n" + report,
    }


def run(path: Path) -> float:
    code = f"from pipeline.ingest.process import process_path; process_path({str(path)!r})"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 4000, 8000, 100_000])
    args = parser.parse_args()
    print(f"{'case':34} {'N':>7} {'MB':>6} {'seconds':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            for name, text in cases(n).items():
                path = Path(tmp) / "case.txt"
                path.write_text(text, encoding="utf-8")
                print(f"{name:34} {n:7d} {path.stat().st_size / 1e6:6.1f} {run(path):8.1f}", flush=True)


if __name__ == "__main__":
    main()
