"""``documents`` columns that repeat a Ⅰ answer (事務の名称, 対象人数), taken from the rows the
fields and choices extractors produced, and only when those are sure; the business name is cut to
a name (``business_name.business_name``), using the cover's title."""
from __future__ import annotations

import regex

from normalizers.text import compact
from parsers.extract.business_name import business_name
from parsers.extract.context import DocContext
from parsers.extract.contract import Extracted
from parsers.extract.front import HEAD_LINES, spaced
from parsers.form.sections import outline
from parsers.form.tables import table_labels
from parsers.form.template import cover_vocabulary
from parsers.settings import EXTRACT

_COLUMNS = table_labels()["documents"]["columns"]  # documents column -> the Ⅰ row it repeats


def extract(ctx: DocContext) -> Extracted:
    basic = next((s["title"] for s in outline()[ctx.kind]["sections"] if s["key"] == "Ⅰ"), None) if ctx.kind else None
    out = Extracted(document={
        "target_population": _answer(ctx.rows.get("selections", []), basic, _COLUMNS["target_population"], "chosen"),
    })
    out.document["business_name"] = _business_name(ctx, basic, out)
    return out


def _business_name(ctx: DocContext, basic: str | None, out: Extracted) -> str | None:
    """Ⅰ①事務の名称 cut to the name (its fields row too: the ② text that followed is not the
    name); a value with no name's shape is dropped with a warning."""
    title = next((r["value"] for r in ctx.rows.get("fields", []) if r["section"] == "cover"
                  and r["label"] == cover_vocabulary()["labels"]["title"]), None)
    row = _row(ctx.rows.get("fields", []), basic, _COLUMNS["business_name"], "value")
    if row is None:
        return _inline_name(ctx, title) if basic else None
    name = business_name(row["value"], row["source_ref"], row["label"], ctx.lines, title)
    if name is None:
        out.warn("business_name_shape", f"business_name: {row['value'][:40]!r}… is no business name; dropped",
                 row["source_ref"])
    else:
        row["value"] = name
    return name


def _inline_name(ctx: DocContext, title: str | None) -> str | None:
    """Where the Ⅰ section was not found (a text flattened onto one line, page numbers before its
    heading): the name printed right after its label on the same line, if the title repeats it or
    prose follows it."""
    label = regex.sub(r"^[①-⑳]", "", _COLUMNS["business_name"])
    found = regex.compile(r"(?:^|\s)(?:[①1１]\s*)?" + spaced(label) + r"\s+(\S.*)$")
    last = max((i for i, ln in enumerate(ctx.lines) if ln.text.strip()), default=-1)
    for i, ln in enumerate(ctx.lines[:HEAD_LINES]):
        if m := found.search(ln.text):
            name = business_name(m.group(1), None, _COLUMNS["business_name"], ctx.lines, title if i != last else None)
            cut = i == last and name and compact(name) == compact(m.group(1))  # the text may end mid-name
            return None if cut else name
    return None


def _answer(rows: list[dict], basic: str | None, label: str, column: str) -> str | None:
    row = _row(rows, basic, label, column)
    return row[column] if row else None


def _row(rows: list[dict], basic: str | None, label: str, column: str) -> dict | None:
    return next((r for r in rows if basic and r["label"] == label and r[column]
                 and r["confidence"] >= EXTRACT.confident and (r["path"] or "").startswith(basic)), None)
