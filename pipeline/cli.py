"""The ``pia`` command (typer): one function per subcommand.

Conventions every subcommand keeps: results alone on stdout (``--json`` for machines), notes and
errors on stderr; exit 0 on success, 1 when the work failed (bad SQL, a file that could not be
read under ``--strict``, a goal missed), 2 for a usage error (bad option, no such corpus, a document
name that matches nothing or several), 130 on Ctrl-C. ``--corpus`` defaults to ``$PIA_CORPUS``,
then ``data/parquet``.
"""
from __future__ import annotations

import os
import shutil
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from pipeline import PARSER_VERSION
from pipeline.console import emit, emit_json, fail, note, usage

DEFAULT_CORPUS = "data/parquet"
CORPUS_HELP = "corpus folder"

app = typer.Typer(
    name="pia",
    help="Turn 特定個人情報保護評価書 (PIA reports: PDF, extracted text, markdown) into a Parquet corpus, "
         "and query, compare and score it.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_show_locals=False,
    rich_markup_mode="markdown",  # docstrings reflow as paragraphs
)

Corpus = Annotated[Path, typer.Option("--corpus", envvar="PIA_CORPUS", help=CORPUS_HELP)]
Json = Annotated[bool, typer.Option("--json", help="print the result as JSON")]
AsOf = Annotated[Optional[str], typer.Option("--as-of", metavar="VERSION|DATE",
                                             help="the corpus as it was at a version (pia log) or date (ISO 8601)")]


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    parquet = "parquet"


def existing_corpus(root: Path) -> Path:
    if not root.is_dir():
        raise usage(f"no corpus at {root} (build one with: pia ingest … --out {root}, or set PIA_CORPUS)")
    return root


def _version(value: bool) -> None:
    if value:
        print(f"pia-corpus {PARSER_VERSION}")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[Optional[bool], typer.Option("--version", callback=_version, is_eager=True,
                                                          help="print the version and exit")] = None) -> None:
    """Turn 特定個人情報保護評価書 (PIA reports) into a Parquet corpus; query, compare and score it."""


# ---------------------------------------------------------------- commands


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="files or folders to ingest")],
    out: Annotated[Path, typer.Option("--out", "--corpus", envvar="PIA_CORPUS", help=CORPUS_HELP)] = Path(DEFAULT_CORPUS),
    jobs: Annotated[int, typer.Option(min=1, help="local worker processes (default: all cores)")] = os.cpu_count() or 1,
    executor: Annotated[str, typer.Option(help="process (a local pool) or dask (a dask.distributed cluster)")] = "process",
    scheduler: Annotated[Optional[str], typer.Option(metavar="ADDRESS", help="dask scheduler, e.g. tcp://10.0.0.5:8786 "
                                                     "(default: a local cluster of --jobs workers)")] = None,
    time_limit: Annotated[float, typer.Option(min=1, help="seconds one document may take")] = 120.0,
    memory_limit: Annotated[int, typer.Option(min=256, help="MB of memory one document may use")] = 3072,
    text_limit: Annotated[float, typer.Option(min=0.001, help="MB a text source may have (larger ones fail unread)")] = 20.0,
    force: Annotated[bool, typer.Option(help="re-ingest files even when unchanged")] = False,
    strict: Annotated[bool, typer.Option(help="exit with status 1 when any file failed")] = False,
    follow_links: Annotated[bool, typer.Option(
        help="follow symbolic links under the folders even when they lead outside them")] = False,
    as_json: Json = False,
) -> None:
    """Read PDFs, extracted text and markdown (files or folders, recursively; the format is detected from
    the content) and write one set of rows per document into the corpus. Unchanged files are skipped by
    content hash; a changed file replaces its old rows in every table. A file that cannot be read gets
    one line on stderr and a documents row with status = failed."""
    from pipeline.ingest.batch import ingest as run_ingest
    from pipeline.ingest.executors import Executor
    from pipeline.ingest.inputs import UsageError
    from pipeline.ingest.limits import Limits

    if executor not in ("process", "dask"):
        raise usage(f"--executor is process or dask, not {executor!r}")
    try:
        summary = run_ingest(paths, out, force=force, executor=Executor(executor, jobs, scheduler),
                             limits=Limits(time_limit, memory_limit, text_limit), follow_links=follow_links)
    except UsageError as exc:
        raise usage(f"{exc} (nothing was written)") from None
    for line in summary.lines():
        note(line)
    note(f"corpus: {out}")
    if as_json:
        emit_json({"status": dict(summary.status), "rows": dict(summary.rows), "seconds": round(summary.seconds, 2),
                   "versions": summary.versions,
                   "failures": [{"path": p, "reason": r} for p, r in summary.failures], "corpus": str(out)})
    if strict and summary.status["failed"]:
        raise typer.Exit(1)


@app.command("eval")
def eval_(
    corpus: Corpus = Path(DEFAULT_CORPUS),
    expected: Annotated[Path, typer.Option(help="hand-checked expected values")] = Path("tests/expected"),
    min_precision: Annotated[Optional[float], typer.Option(help="exit 1 if any table is below")] = None,
    min_recall: Annotated[Optional[float], typer.Option(help="exit 1 if overall recall is below")] = None,
    details: Annotated[bool, typer.Option(help="list every mismatch")] = False,
    as_json: Json = False,
) -> None:
    """Compare the corpus with tests/expected/*.json (hand-checked values for the bundled samples) and print
    precision (right / emitted non-null values) and recall (right / expected values) per table and field."""
    from pipeline.analysis import evaluate

    existing_corpus(corpus)
    if not expected.is_dir() or not any(expected.glob("*.json")):
        raise usage(f"no expected values at {expected} (a folder of <seed>.json files)")
    report = evaluate.evaluate(corpus, expected)
    if as_json:
        emit_json(evaluate.report_json(report))
    else:
        emit(evaluate.format_report(report, details=details) + "\n")
    failures = evaluate.below_goals(report, min_precision, min_recall)
    for failure in failures:
        note(f"below goal: {failure}")
    if failures:
        raise typer.Exit(1)


@app.command(epilog='example: pia query "SELECT org_name, count(*) FROM entrustments JOIN documents USING (doc_id) '
                    'WHERE subcontract GROUP BY 1"')
def query(
    sql: Annotated[str, typer.Argument(help="the SQL statement")],
    corpus: Corpus = Path(DEFAULT_CORPUS),
    fmt: Annotated[Optional[Format], typer.Option("--format", "-f",
                                                  help="output format (default: table, or the --output file's extension)")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="write to this file instead of stdout")] = None,
    max_width: Annotated[int, typer.Option(min=0, help="terminal table: cut cells to this many columns (0 = no limit)")] = 40,
    as_json: Annotated[bool, typer.Option("--json", help="same as --format json")] = False,
    as_of: AsOf = None,
) -> None:
    """Run SQL with DuckDB over the corpus; every table is a view by its name (documents, files,
    entrustments, …), also when it has no rows yet. Prints an aligned table, or csv/json/parquet."""
    from pipeline.analysis.query import QueryError, render, run

    existing_corpus(corpus)
    name = "json" if as_json else fmt.value if fmt else "table" if output is None else output.suffix.lstrip(".")
    if name not in Format.__members__:
        raise usage(f"cannot tell the format from {str(output)!r}; give --format csv|json|parquet")
    if name == "parquet" and output is None and sys.stdout.isatty():
        raise usage("Parquet is binary: give --output FILE or redirect stdout")
    try:
        table = run(connected(corpus, as_of), sql)
    except QueryError as exc:
        raise fail(f"query failed: {exc}") from exc
    emit(render(table, name, max_width), output)


@app.command()
def tables(corpus: Corpus = Path(DEFAULT_CORPUS), as_json: Json = False, as_of: AsOf = None) -> None:
    """List the corpus tables with row and column counts."""
    from pipeline.analysis.query import row_counts, table_names
    from pipeline.analysis.termtable import render_table
    from pipeline.corpus.schema import TABLES

    con = connected(corpus, as_of)
    names = table_names(con)
    counts = row_counts(con, names)
    rows = [{"table": t, "rows": counts[t], "columns": len(TABLES[t]) if t in TABLES else None} for t in names]
    if as_json:
        emit_json(rows)
        return
    emit(render_table(["table", "rows", "columns"], [[r["table"], str(r["rows"]), str(r["columns"] or "?")] for r in rows]) + "\n")
    note(f"corpus: {corpus}")


@app.command()
def schema(
    names: Annotated[Optional[list[str]], typer.Argument(metavar="[TABLE]...", help="tables to describe (default: all)")] = None,
    as_json: Json = False,
) -> None:
    """Columns, Arrow types and meanings of the corpus tables (from pipeline/corpus/schema.py)."""
    from pipeline.analysis.query import type_name
    from pipeline.analysis.termtable import render_table
    from pipeline.corpus.schema import TABLES

    chosen = names or list(TABLES)
    unknown = [t for t in chosen if t not in TABLES]
    if unknown:
        raise usage(f"no table {unknown[0]!r}; tables: {', '.join(TABLES)}")
    described = {t: [{"column": c, "type": type_name(ty), "meaning": m} for c, ty, m in TABLES[t]] for t in chosen}
    if as_json:
        emit_json(described)
        return
    parts = [t + "\n" + render_table(["column", "type", "meaning"], [list(c.values()) for c in cols], max_col=80)
             for t, cols in described.items()]
    emit("\n\n".join(parts) + "\n")


@app.command()
def diff(
    docs: Annotated[Optional[list[str]], typer.Argument(metavar="[DOC]...",
                                                        help="two documents: doc_id, prefix, or org/title words")] = None,
    corpus: Corpus = Path(DEFAULT_CORPUS),
    versions: Annotated[Optional[str], typer.Option(metavar="BODY", help="the reports of one body over time, with their 変更箇所 rows")] = None,
    html: Annotated[Optional[Path], typer.Option(metavar="FILE", help="write a self-contained HTML report (and print nothing else)")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="show matching items too, not only differences")] = False,
    width: Annotated[int, typer.Option(min=40, help="terminal width (default: detected)")] = shutil.get_terminal_size((120, 24)).columns,
    as_json: Json = False,
    as_of: AsOf = None,
) -> None:
    """Compare two reports side by side, aligned by the form (same section, question, block): answers and
    checklists that differ, entrustments, transfers, retention, and measure texts compared as Japanese text
    (SudachiPy normalised forms) with a similarity score. A document is named by doc_id, a unique doc_id
    prefix, or words that match one document's org/title; DOC@VERSION names it as of a corpus version,
    so `pia diff 7dc3@2 7dc3` shows what a re-ingest changed in one report."""
    from pipeline.analysis.diff import compare_documents
    from pipeline.analysis.lookup import DiffError, open_corpus
    from pipeline.analysis.diff_versions import compare_versions
    from pipeline.analysis.diff_report import diff_json, render_diff, render_versions
    from pipeline.corpus.versions import VersionError

    existing_corpus(corpus)
    docs = docs or []
    if versions and docs:
        raise usage("give either two documents or --versions BODY, not both")
    if not versions and len(docs) != 2:
        raise usage("diff needs two documents (or --versions BODY)")
    try:
        found = open_corpus(corpus, as_of)
        result = compare_versions(found, versions) if versions else compare_documents(found, *docs)
    except (DiffError, VersionError) as exc:
        raise usage(str(exc)) from exc
    if html is not None:
        from pipeline.analysis.diff_html import write_html

        write_html(result, html, show_all=show_all)
        note(f"wrote {html}")
    if as_json:
        emit_json(diff_json(result))
    elif html is None:
        render = render_versions if versions else render_diff
        emit(render(result, width=width, show_all=show_all))


@app.command()
def show(
    doc: Annotated[str, typer.Argument(help="the document: doc_id, prefix, or org/title words")],
    what: Annotated[str, typer.Argument(metavar="COLUMN-or-ROW",
                                        help="a label (保有開始日), a documents column (business_name) or TABLE:N (entrustments:2)")],
    corpus: Corpus = Path(DEFAULT_CORPUS),
    nth: Annotated[Optional[int], typer.Option(min=1, help="which value when the label names several")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="PNG file for a PDF source (default: show-<doc>-p<page>.png)")] = None,
    context: Annotated[int, typer.Option(min=0, help="text source: lines shown around the value")] = 2,
    as_json: Json = False,
) -> None:
    """Where a value came from: for a text source the source lines with the value marked (▶ and ⟦ ⟧);
    for a PDF the page region with the value's box outlined, written as a PNG."""
    from pipeline.analysis.lookup import DiffError, open_corpus, resolve
    from pipeline.analysis.provenance import ProvenanceError, view
    from pipeline.analysis.show import ShowError, find_values, pick
    from pipeline.analysis.termtable import printable

    existing_corpus(corpus)
    try:
        found_corpus = open_corpus(corpus)
        document = resolve(found_corpus, doc)
        found = pick(find_values(found_corpus, document, what), what, nth)
    except (DiffError, ShowError) as exc:
        raise usage(str(exc)) from exc
    try:
        shown = view(document, found.ref, context=context)
    except ProvenanceError as exc:
        raise fail(str(exc)) from exc
    if shown.png is not None:
        output = output or Path(f"show-{document['doc_id'][:8]}-p{shown.ref.first}.png")
        output.write_bytes(shown.png)
        note(f"wrote {output}")
    if as_json:
        emit_json({"doc_id": document["doc_id"], "label": found.label, "value": found.value, "source_ref": found.ref,
                   "lines": shown.lines and [{"no": n, "text": t, "value": m} for n, t, m in shown.lines],
                   "png": str(output) if shown.png is not None else None})
    elif shown.lines is not None:
        emit(printable(f"{found.line()}\n{shown.text(found.value)}") + "\n")


@app.command()
def report(
    corpus: Corpus = Path(DEFAULT_CORPUS),
    html: Annotated[Optional[Path], typer.Option(metavar="FILE", help="write the report as one self-contained HTML page")] = None,
    as_json: Json = False,
) -> None:
    """The corpus whole: for each graded question the spread of answers across bodies, the bodies that
    give the negative answer (課題が残されている …) or none where their peers say otherwise, the
    contractors serving the most bodies (with 再委託), and report counts by kind, form and year."""
    from pipeline.analysis.report import corpus_report
    from pipeline.analysis.report_text import render_report, report_json

    found = corpus_report(existing_corpus(corpus))
    if html is not None:
        from pipeline.analysis.report_html import write_report

        write_report(found, html)
        note(f"wrote {html}")
    if as_json:
        emit_json(report_json(found))
    elif html is None:
        emit(render_report(found))


@app.command()
def log(corpus: Corpus = Path(DEFAULT_CORPUS), verbose: Annotated[bool, typer.Option(
        "--verbose", "-v", help="list the paths of each version")] = False, as_json: Json = False) -> None:
    """The corpus versions, newest first: when each was committed, by which run, and how many documents it
    added, replaced (a changed file, or a re-ingest) and recorded as failed."""
    from pipeline.analysis.termtable import render_table
    from pipeline.corpus.versions import log_rows

    rows = log_rows(existing_corpus(corpus))
    if as_json:
        emit_json(rows)
        return
    head = ["version", "committed", "added", "replaced", "failed", "run"]
    body = [[str(r["version"]), r["committed_at"], *(str(len(r[k])) for k in ("added", "replaced", "failed")), r["run"]]
            for r in rows]
    lines = [render_table(head, body, max_col=60)]
    for r in rows if verbose else []:
        lines += [f"\nversion {r['version']}"] + [f"  {k} {p}" for k in ("added", "replaced", "failed") for p in r[k]]
    emit("\n".join(lines) + "\n")


def connected(corpus: Path, as_of: str | None):
    """A DuckDB connection to the corpus as of a version or date; a bad one is a usage error."""
    from pipeline.analysis.query import connect
    from pipeline.corpus.versions import VersionError

    try:
        return connect(existing_corpus(corpus), as_of)
    except VersionError as exc:
        raise usage(str(exc)) from exc


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``pia`` script; returns the exit status instead of raising SystemExit."""
    try:
        typer.main.get_command(app).main(args=argv, prog_name="pia")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
    except KeyboardInterrupt:  # before a command started (imports): still no traceback
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
