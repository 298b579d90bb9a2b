"""One document through every stage: read → layout → sections → fields/extractors → rows.

``process_path`` never raises: a bad input becomes a ``failed`` documents row with the reason, and a
stage that breaks on an odd document costs that stage's rows (status ``partial``), not the batch.
"""
from __future__ import annotations

import hashlib
from dataclasses import replace


from parsers.extract.context import build_context
from parsers.extract.contract import ExtractWarning
from parsers.extract.registry import run_all
from parsers.form.sections import outline, split_sections
from parsers.form.template import detect_kind
from parsers.model import Extraction, InputError, Layout, Section, Source, parse_ref
from parsers.read.readers import DEFAULT_MAX_TEXT_MB, read_source
from parsers.read.text_layout import text_layout

from pipeline import PARSER_VERSION
from pipeline.corpus.schema import SCHEMA_VERSION
from pipeline.ingest.captured import library_warnings
from pipeline.ingest.enrich import enrich
from pipeline.ingest.inputs import path_text
from pipeline.ingest.paths import path_index

MAIN_SECTIONS = ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "Ⅵ")


def process_path(path: str, max_text_mb: float = DEFAULT_MAX_TEXT_MB) -> Extraction:
    """One document; library warnings raised meanwhile become the document's warnings. ``max_text_mb``:
    see ``read_source`` (an ingest passes its ``Limits``)."""
    with library_warnings() as caught:
        ext = _process_path(path, max_text_mb)
    ext.document["warnings"] = [*ext.document.get("warnings", []), *caught]
    return ext


def _process_path(path: str, max_text_mb: float) -> Extraction:
    source = None
    try:
        source = read_source(path, max_text_mb)
        return process_source(source)
    except InputError as exc:
        return failed_document(path, source, str(exc), _detail(exc.__cause__))
    except MemoryError:
        raise  # the document's memory limit: reported by the limits that set it, not as a reader bug
    except Exception as exc:  # noqa: BLE001 — one odd document must not stop a batch of thousands
        return failed_document(path, source, "the reader broke on this file (a bug: please report it with the file)",
                               _detail(exc))


def _detail(exc: BaseException | None) -> list[str]:
    """A technical note for the warnings (the one-line reason stays plain): type and message, cut."""
    return [f"detail: {type(exc).__name__}: {' '.join(str(exc).split())}"[:200]] if exc else []


def layout_of(source: Source) -> Layout:
    if source.format == "pdf":
        from parsers.read.pdf_reader import read_pdf_layout

        return with_cells(read_pdf_layout(source))
    return text_layout(source)


def with_cells(layout: Layout) -> Layout:
    """Tag each line with the (row, col) of the form cell the PDF reader put it in, so extractors
    tell a label wrapped inside its cell from the next row's label right below it."""
    owner = {i: (c.row, c.col) for c in layout.cells for i in c.lines}
    lines = tuple(replace(ln, cell=owner.get(k)) for k, ln in enumerate(layout.lines))
    return replace(layout, lines=lines)


def process_source(source: Source) -> Extraction:
    layout = layout_of(source)
    lines = layout.lines
    if not any(ln.text.strip() for ln in lines):
        raise InputError("empty file: no text")
    kind = detect_kind("\n".join(ln.text for ln in lines))
    sections = split_sections(layout, kind)
    if kind is None and len(sections) <= 1:
        raise InputError("not a PIA report: no form title and no section headings found")
    ctx = build_context(lines, sections, kind, path_index(lines, sections))
    run = run_all(ctx)
    ext = Extraction(document=_document_row(source, layout), tables=run.tables,
                     warnings=[ExtractWarning("encoding_repaired", w, stage="read") for w in source.warnings]
                     + list(layout.warnings) + run.warnings + _missing_sections(sections, kind))
    doc = ext.document
    doc.update(run.document, assessment_kind=kind)
    found = {s.key for s in sections}
    main_expected = [s["key"] for s in outline()[kind]["sections"] if s["key"] in MAIN_SECTIONS] if kind else []
    doc["status"] = "ok" if kind and all(k in found for k in main_expected) and not run.failed else "partial"
    doc["warnings"] = [w.text for w in ext.warnings]
    ext.tables["fields"] = sorted(ext.tables.get("fields", []), key=_document_order)
    for seq, row in enumerate(ext.tables["fields"], 1):
        row["seq"] = seq
    aliases = {r["alias"]: r["full"] for r in ext.tables.get("aliases", [])}
    for table, rows in [("documents", [doc]), *ext.tables.items()]:
        enrich(table, rows, aliases)
    return ext




def _document_order(row: dict) -> tuple:
    """Extractors append their fields separately; the lossless view lists them as printed: the
    cover first, then by source line (text) or by page (PDF: within a page the extractors' order
    is kept, since box tops differ slightly between PDF backends)."""
    r = parse_ref(row.get("source_ref"))
    where = (1 << 30, 1 << 30) if r is None else (0, r.first) if r.page else (r.first, 0)
    return (row["section"] != "cover", where)


def _missing_sections(sections: list[Section], kind: str | None) -> list[ExtractWarning]:
    if kind is None:
        return [ExtractWarning("kind_unknown", "form kind not recognised (no form title of the three kinds)", stage="sections")]
    found = {s.key for s in sections}
    return [ExtractWarning("section_missing", f"section {s['key']} {s['title']} not found", stage="sections")
            for s in outline()[kind]["sections"] if s["key"] not in found]


def _document_row(source: Source, layout: Layout) -> dict:
    return {
        "doc_id": source.doc_id, "schema_version": SCHEMA_VERSION, "source_path": path_text(source.path),
        "source_paths": [path_text(source.path)],
        "source_format": source.format, "source_sha256": source.sha256, "page_count": layout.page_count,
        "parser_version": PARSER_VERSION, "status": "ok", "warnings": [], "encoding": source.encoding,
    }


def failed_document(path: str, source: Source | None, reason: str, notes: list[str] = ()) -> Extraction:
    """A failed row; an unreadable file has no bytes to hash, so its id hashes the path instead.
    ``notes`` (technical detail) go to its warnings after the reason."""
    doc_id = source.doc_id if source else hashlib.sha256(f"unreadable:{path_text(path)}".encode()).hexdigest()[:16]
    row = {
        "doc_id": doc_id, "schema_version": SCHEMA_VERSION, "source_path": path_text(path),
        "source_paths": [path_text(path)],
        "source_format": source.format if source else None, "source_sha256": source.sha256 if source else None,
        "parser_version": PARSER_VERSION, "status": "failed", "warnings": [reason, *notes], "error": reason,
        "encoding": source.encoding if source else None,
    }
    return Extraction(document=row, warnings=[ExtractWarning("unreadable", reason)])
