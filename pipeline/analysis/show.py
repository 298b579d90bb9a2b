"""``pia show DOC WHAT``: find the value WHAT names in one document, for its provenance view.

WHAT is ``TABLE:N`` (the N-th row of a table in source order, e.g. ``entrustments:2``), a
documents column (``business_name``), or words of a printed label (``保有開始日``), looked up in
``fields``, the label/value view of every value.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

from normalizers.text import compact
from pipeline.analysis.diff import DOC_FIELDS
from pipeline.analysis.lookup import Corpus
from pipeline.analysis.diff_place import position
from pipeline.corpus.schema import TABLES

_ROW = regex.compile(r"^([a-z_]+):(\d+)$")


class ShowError(Exception):
    """WHAT names no value, or several; the message is one line."""


@dataclass
class Found:
    label: str
    value: str | None
    ref: str | None

    def line(self) -> str:
        return f"{self.ref or '?'}  {self.label} = {self.value if self.value is not None else '(null)'}"


def _row_found(corpus: Corpus, doc_id: str, table: str, n: int) -> Found:
    if table not in TABLES or "source_ref" not in (c for c, _, _ in TABLES[table]):
        raise ShowError(f"{table!r} is not a table with source references")
    rows = sorted(corpus.rows(table, doc_id), key=lambda r: position(r.get("source_ref")))
    if not 1 <= n <= len(rows):
        raise ShowError(f"the document has {len(rows)} {table} rows; no row {n}")
    row = rows[n - 1]
    label = next((str(row[c]) for c in ("label", "title", "question", "counterparty", "item", "raw", "name")
                  if row.get(c)), f"{table} {n}")
    value = next((row[c] for c in ("value", "chosen", "answer", "content", "normalized") if row.get(c) is not None), None)
    return Found(f"{table}:{n} {label}", None if value is None else str(value), row.get("source_ref"))


def find_values(corpus: Corpus, doc: dict, what: str) -> list[Found]:
    """Every value ``what`` names in the document (a row reference names exactly one)."""
    if m := _ROW.match(what):
        return [_row_found(corpus, doc["doc_id"], m.group(1), int(m.group(2)))]
    words = compact(DOC_FIELDS.get(what, what))
    rows = sorted(corpus.rows("fields", doc["doc_id"]), key=lambda r: position(r.get("source_ref")))
    return [Found(r["label"], r["value"], r["source_ref"]) for r in rows
            if words and words in compact(r["label"] or "") and r.get("source_ref")]


def pick(found: list[Found], what: str, nth: int | None) -> Found:
    if not found:
        raise ShowError(f"no value labelled {what!r} in this document (try a TABLE:N row, e.g. selections:1)")
    if nth is not None:
        if not 1 <= nth <= len(found):
            raise ShowError(f"{what!r} names {len(found)} values; --nth must be 1…{len(found)}")
        return found[nth - 1]
    if len(found) > 1:
        listed = "; ".join(f"{i}. {f.line()[:80]}" for i, f in enumerate(found[:10], 1))
        raise ShowError(f"{what!r} names {len(found)} values; choose one with --nth N: {listed}")
    return found[0]
