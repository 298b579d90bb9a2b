"""The ``pia`` command."""
from __future__ import annotations

import argparse
import os
import sys

from . import PARSER_VERSION

DEFAULT_OUT = "data/parquet"


def _cmd_ingest(args: argparse.Namespace) -> int:
    from .ingest import ingest

    summary = ingest(args.paths, args.out, jobs=args.jobs, force=args.force)
    for line in summary.lines():
        print(line)
    print(f"corpus: {args.out}")
    return 1 if args.strict and summary.status["failed"] else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pia",
        description="Turn 特定個人情報保護評価書 (PIA reports: PDF, extracted text, markdown) into a Parquet corpus.",
    )
    parser.add_argument("--version", action="version", version=f"pia-corpus {PARSER_VERSION}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "ingest",
        help="read reports and write/refresh the Parquet corpus",
        description="Read PDFs, extracted text and markdown (files or folders, recursively; the format is "
        "detected from the content) and write one set of rows per document into the corpus. Unchanged "
        "files are skipped by content hash; a changed file replaces its old rows in every table. A file "
        "that cannot be read gets one line on stderr and a documents row with status = failed.",
    )
    p.add_argument("paths", nargs="+", help="files or folders to ingest")
    p.add_argument("--out", default=DEFAULT_OUT, help=f"corpus folder (default: {DEFAULT_OUT})")
    p.add_argument("--jobs", type=int, default=1, help=f"worker processes (default 1; this machine has {os.cpu_count()})")
    p.add_argument("--force", action="store_true", help="re-ingest files even when unchanged")
    p.add_argument("--strict", action="store_true", help="exit with status 1 when any file failed")
    p.set_defaults(func=_cmd_ingest)

    from . import evaluate

    p = sub.add_parser(
        "eval",
        help="precision and recall of the corpus against hand-checked expected values",
        description="Compare the corpus with tests/expected/*.json (hand-checked values for the bundled samples) "
        "and print precision (right / emitted) and recall (right / expected) per table and field.",
    )
    evaluate.add_arguments(p)
    p.set_defaults(func=evaluate.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
