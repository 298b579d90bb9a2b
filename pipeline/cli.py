"""The ``pia`` command."""
from __future__ import annotations

import argparse
import os
import shutil
import sys

from pipeline import PARSER_VERSION

DEFAULT_OUT = "data/parquet"
QUERY_FORMATS = ("table", "csv", "json", "parquet")


def _cmd_ingest(args: argparse.Namespace) -> int:
    from pipeline.ingest.batch import ingest
    from pipeline.ingest.inputs import UsageError

    try:
        summary = ingest(args.paths, args.out, jobs=args.jobs, force=args.force, follow_links=args.follow_links)
    except UsageError as exc:
        return _fail(f"{exc} (nothing was written)")
    for line in summary.lines():
        print(line)
    print(f"corpus: {args.out}")
    return 1 if args.strict and summary.status["failed"] else 0


def _fail(message: str) -> int:
    print(f"pia: {message}", file=sys.stderr)
    return 2


def _no_corpus(args: argparse.Namespace) -> int | None:
    if not os.path.isdir(args.corpus):
        return _fail(f"no corpus at {args.corpus} (build one with: pia ingest … --out {args.corpus})")
    return None


def _cmd_query(args: argparse.Namespace) -> int:
    from pipeline.analysis.query import QueryError, connect, render, run, write_output

    if (rc := _no_corpus(args)) is not None:
        return rc
    fmt = args.format or ("table" if args.output is None else args.output.rsplit(".", 1)[-1])
    if fmt not in QUERY_FORMATS:
        return _fail(f"cannot tell the format from {args.output!r}; give --format csv|json|parquet")
    if fmt == "parquet" and args.output is None and sys.stdout.isatty():
        return _fail("Parquet is binary: give --output FILE or redirect stdout")
    try:
        table = run(connect(args.corpus), args.sql)
    except QueryError as exc:
        return _fail(f"query failed: {exc}")
    write_output(render(table, fmt, args.max_width), args.output)
    return 0


def _cmd_tables(args: argparse.Namespace) -> int:
    from pipeline.analysis.query import connect, row_counts, table_names
    from pipeline.corpus.schema import TABLES
    from pipeline.analysis.termtable import render_table

    if (rc := _no_corpus(args)) is not None:
        return rc
    names = table_names(args.corpus)
    counts = row_counts(connect(args.corpus), names)
    rows = [[t, str(counts[t]), str(len(TABLES[t])) if t in TABLES else "?"] for t in names]
    print(render_table(["table", "rows", "columns"], rows))
    print(f"corpus: {args.corpus}")
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from pipeline.analysis.query import type_name
    from pipeline.corpus.schema import TABLES
    from pipeline.analysis.termtable import render_table

    tables = args.tables or list(TABLES)
    unknown = [t for t in tables if t not in TABLES]
    if unknown:
        return _fail(f"no table {unknown[0]!r}; tables: {', '.join(TABLES)}")
    for i, t in enumerate(tables):
        print(("\n" if i else "") + t)
        print(render_table(["column", "type", "meaning"], [[c, type_name(ty), m] for c, ty, m in TABLES[t]], max_col=80))
    return 0


def _cmd_diff(args: argparse.Namespace) -> int:
    from pipeline.analysis.diff import DiffError, compare_documents, compare_versions, open_corpus
    from pipeline.analysis.diff_report import render_diff, render_versions

    if (rc := _no_corpus(args)) is not None:
        return rc
    try:
        corpus = open_corpus(args.corpus)
        if args.versions and args.docs:
            return _fail("give either two documents or --versions BODY, not both")
        if args.versions:
            result = compare_versions(corpus, args.versions)
            text = render_versions(result, width=args.width, show_all=args.all)
        else:
            if len(args.docs) != 2:
                return _fail("diff needs two documents (or --versions BODY)")
            result = compare_documents(corpus, *args.docs)
            text = render_diff(result, width=args.width, show_all=args.all)
    except DiffError as exc:
        return _fail(str(exc))
    if args.html:
        from pipeline.analysis.diff_html import write_html

        write_html(result, args.html, show_all=args.all)
    sys.stdout.write(text)
    return 0


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
    p.add_argument("--follow-links", action="store_true",
                   help="follow symbolic links under the folders even when they lead outside them")
    p.set_defaults(func=_cmd_ingest)

    from pipeline.analysis import evaluate

    p = sub.add_parser(
        "eval",
        help="precision and recall of the corpus against hand-checked expected values",
        description="Compare the corpus with tests/expected/*.json (hand-checked values for the bundled samples) "
        "and print precision (right / emitted) and recall (right / expected) per table and field.",
    )
    evaluate.add_arguments(p)
    p.set_defaults(func=evaluate.run)

    corpus = argparse.ArgumentParser(add_help=False)
    corpus.add_argument("--corpus", default=DEFAULT_OUT, help=f"corpus folder (default: {DEFAULT_OUT})")

    p = sub.add_parser(
        "query", parents=[corpus], help="run SQL over the corpus (DuckDB)",
        description="Run SQL with DuckDB over the corpus; every table is a view by its name (documents, files, "
        "entrustments, …), also when it has no rows yet. Prints an aligned table, or csv/json/parquet.",
        epilog="example: pia query \"SELECT org_name, count(*) FROM entrustments JOIN documents USING (doc_id) "
        "WHERE subcontract GROUP BY 1\"",
    )
    p.add_argument("sql", help="the SQL statement")
    p.add_argument("--format", choices=QUERY_FORMATS,
                   help="output format (default: table, or the --output file's extension)")
    p.add_argument("--output", "-o", help="write to this file instead of stdout")
    p.add_argument("--max-width", type=int, default=40, help="terminal table: cut cells to this many columns")
    p.set_defaults(func=_cmd_query)

    p = sub.add_parser("tables", parents=[corpus], help="list the corpus tables with row counts")
    p.set_defaults(func=_cmd_tables)

    p = sub.add_parser("schema", help="columns, types and meanings of tables (from pipeline/corpus/schema.py)")
    p.add_argument("tables", nargs="*", metavar="TABLE", help="tables to describe (default: all)")
    p.set_defaults(func=_cmd_schema)

    p = sub.add_parser(
        "diff", parents=[corpus], help="compare two reports, or one body's reports over time",
        description="Compare two reports side by side, aligned by the form (same section, question, block): "
        "answers and checklists that differ, entrustments, transfers, retention, and measure texts compared "
        "as Japanese text (SudachiPy normalised forms) with a similarity score. A document is named by "
        "doc_id, a unique doc_id prefix, or words that match one document's org/title.",
    )
    p.add_argument("docs", nargs="*", metavar="DOC", help="two documents: doc_id, prefix, or org/title words")
    p.add_argument("--versions", metavar="BODY", help="the reports of one body over time, with their 変更箇所 rows")
    p.add_argument("--html", metavar="FILE", help="also write a self-contained HTML report")
    p.add_argument("--all", action="store_true", help="show matching items too, not only differences")
    p.add_argument("--width", type=int, default=shutil.get_terminal_size((120, 24)).columns,
                   help="terminal width (default: detected)")
    p.set_defaults(func=_cmd_diff)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # `pia … | head` closed the pipe: not an error
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
