"""One document through every stage: read → layout → sections → fields/extractors → rows.

``process_path`` never raises: a bad input becomes a ``failed`` documents row with the reason, and a
stage that breaks on an odd document costs that stage's rows (status ``partial``), not the batch.
"""
from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Callable

import regex

from parsers.extract import block_tables, choices
from parsers.form.template import detect_kind
from parsers.extract.changes import change_rows
from parsers.extract.context import DocContext, build_context
from parsers.extract.fields import field_rows
from parsers.extract.front import business_name, read_front
from parsers.extract.mentions import mention_rows
from parsers.model import Extraction, InputError, Layout, Section, Source
from parsers.read.readers import read_source
from parsers.extract.risks import extract as risk_rows
from parsers.form.sections import outline, split_sections
from parsers.read.text_layout import text_layout

from pipeline import PARSER_VERSION
from pipeline.ingest.enrich import enrich
from pipeline.ingest.paths import path_index
from pipeline.corpus.schema import SCHEMA_VERSION

MAIN_SECTIONS = ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "Ⅵ")
BUSINESS_NAME_LABEL = "①事務の名称"
TARGET_POPULATION_LABEL = "③対象人数"
WARNINGS = "_warnings"  # pseudo-table of an extractor's warnings, moved into documents.warnings
CHANGES_TITLE = "変更箇所"
CONFIDENT = 0.7  # document-level columns take only values at least this sure


def _fields(ctx: DocContext) -> dict[str, list[dict]]:
    return {"fields": [row for v in ctx.views for row in field_rows(ctx.lines, v.section, ctx.template, v.hits,
                                                                     v.file_name)]}


def _changes(ctx: DocContext) -> dict[str, list[dict]]:
    rows, warnings = [], []
    for sec in ctx.sections:
        if sec.title == CHANGES_TITLE:
            got, said = change_rows(ctx.lines, sec)
            rows += got
            warnings += said
    for n, row in enumerate(rows, 1):
        row["row_no"] = n
    return {"changes": rows, WARNINGS: warnings}


def _mentions(ctx: DocContext) -> dict[str, list[dict]]:
    return mention_rows(ctx.lines, ctx.path_for)


# Field extractors, in the order their rows appear; each returns table -> rows (without doc_id).
EXTRACTORS: list[tuple[str, Callable[[DocContext], dict[str, list[dict]]]]] = [
    ("fields", _fields),
    ("choices", choices.extract),
    ("blocks", block_tables.extract),
    ("risks", risk_rows),
    ("changes", _changes),
    ("mentions", _mentions),
]


def process_path(path: str) -> Extraction:
    try:
        source = read_source(path)
    except InputError as exc:
        return failed_document(path, None, str(exc))
    try:
        return process_source(source)
    except InputError as exc:
        return failed_document(path, source, str(exc))
    except Exception as exc:  # noqa: BLE001 — one odd document must not stop a batch of thousands
        return failed_document(path, source, f"internal error: {type(exc).__name__}: {exc}")


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
    kind = detect_kind("\n".join(ln.text for ln in lines))
    sections = split_sections(layout, kind)
    if kind is None and len(sections) <= 1:
        raise InputError("not a PIA report: no form title and no section headings found")
    ext = Extraction(document=_document_row(source, layout))
    front = read_front(lines, sections, kind)
    ext.warnings += front.warnings
    path_for = path_index(lines, sections)
    ctx = build_context(lines, sections, kind, path_for)
    ext.tables["fields"] = list(front.fields)
    ctx.rows = ext.tables
    for name, extractor in EXTRACTORS:
        for table, rows in _safe(ext, name, lambda: extractor(ctx), {}).items():
            target = ext.warnings if table == WARNINGS else ext.tables.setdefault(table, [])
            target.extend(rows)
    ext.warnings += _missing_sections(sections, kind)
    doc = ext.document
    doc.update(
        assessment_number=front.assessment_number, title=front.title, org_name=front.org_name,
        assessment_kind=kind, form_version=front.form_version, published_on=front.published_on,
        published_on_raw=front.published_on_raw,
        business_name=_business_name(ext, kind, lines, front.title), body_name=front.body_name,
        body_source_ref=front.body_source_ref, body_confidence=front.body_confidence,
        target_population=_basic_answer(ext.tables.get("selections", []), kind, TARGET_POPULATION_LABEL, "chosen"),
    )
    found = {s.key for s in sections}
    main_expected = [s["key"] for s in outline()[kind]["sections"] if s["key"] in MAIN_SECTIONS] if kind else []
    doc["status"] = "ok" if kind and all(k in found for k in main_expected) and not ext.stage_errors else "partial"
    doc["warnings"] = ext.warnings
    ext.tables["fields"] = sorted(ext.tables.get("fields", []), key=_document_order)
    for seq, row in enumerate(ext.tables["fields"], 1):
        row["seq"] = seq
    aliases = {r["alias"]: r["full"] for r in ext.tables.get("aliases", [])}
    for table, rows in [("documents", [doc]), *ext.tables.items()]:
        enrich(table, rows, aliases)
    return ext


_POSITION = regex.compile(r"^(?:L(\d+)|p(\d+))")


def _document_order(row: dict) -> tuple:
    """Extractors append their fields separately; the lossless view lists them as printed: the
    cover first, then by source line (text) or by page (PDF: within a page the extractors' order
    is kept, since box tops differ slightly between PDF backends)."""
    m = _POSITION.match(row.get("source_ref") or "")
    where = (int(m.group(1) or 0), int(m.group(2) or 0)) if m else (1 << 30, 1 << 30)
    return (row["section"] != "cover", where)


def _business_name(ext: Extraction, kind: str | None, lines, title: str | None) -> str | None:
    """Ⅰ①事務の名称 cut to the name (its fields row too); a value with no name's shape is dropped."""
    row = _basic_row(ext.tables["fields"], kind, BUSINESS_NAME_LABEL, "value")
    if row is None:
        return None
    name = business_name(row["value"], row["source_ref"], row["label"], lines, title)
    if name is None:
        ext.warnings.append(f"shape.business_name: {row['value'][:40]!r}… is no business name; dropped")
    else:
        row["value"] = name  # the ② text that followed it is not the name
    return name


def _basic_answer(rows: list[dict], kind: str | None, label: str, column: str) -> str | None:
    row = _basic_row(rows, kind, label, column)
    return row[column] if row else None


def _basic_row(rows: list[dict], kind: str | None, label: str, column: str) -> dict | None:
    """A Ⅰ answer that ``documents`` repeats, taken from the extractor's row when it is sure."""
    basic = next((s["title"] for s in outline()[kind]["sections"] if s["key"] == "Ⅰ"), None) if kind else None
    return next((r for r in rows if basic and r["label"] == label and r[column]
                 and r["confidence"] >= CONFIDENT and (r["path"] or "").startswith(basic)), None)


def _safe(ext: Extraction, name: str, stage: Callable, empty):
    try:
        return stage()
    except Exception as exc:  # noqa: BLE001 — recorded as a warning, the document stays partial
        ext.stage_errors.append(name)
        ext.warnings.append(f"{name}: stage failed: {type(exc).__name__}: {exc}")
        return empty


def _missing_sections(sections: list[Section], kind: str | None) -> list[str]:
    if kind is None:
        return ["form kind not recognised (基礎/重点/全項目)"]
    found = {s.key for s in sections}
    return [f"section {s['key']} {s['title']} not found" for s in outline()[kind]["sections"] if s["key"] not in found]


def _document_row(source: Source, layout: Layout) -> dict:
    return {
        "doc_id": source.doc_id, "schema_version": SCHEMA_VERSION, "source_path": source.path,
        "source_format": source.format, "source_sha256": source.sha256, "page_count": layout.page_count,
        "parser_version": PARSER_VERSION, "status": "ok", "warnings": [], "encoding": source.encoding,
    }


def failed_document(path: str, source: Source | None, reason: str) -> Extraction:
    """A failed row; an unreadable file has no bytes to hash, so its id hashes the path instead."""
    doc_id = source.doc_id if source else hashlib.sha256(f"unreadable:{path}".encode()).hexdigest()[:16]
    row = {
        "doc_id": doc_id, "schema_version": SCHEMA_VERSION, "source_path": path,
        "source_format": source.format if source else None, "source_sha256": source.sha256 if source else None,
        "parser_version": PARSER_VERSION, "status": "failed", "warnings": [reason], "error": reason,
        "encoding": source.encoding if source else None,
    }
    return Extraction(document=row, warnings=[reason])
