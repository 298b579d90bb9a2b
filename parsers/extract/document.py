"""``documents`` columns that repeat a Ⅰ answer (事務の名称, 対象人数), taken from the rows the
fields and choices extractors produced, and only when those are sure."""
from __future__ import annotations

from parsers.extract.context import DocContext
from parsers.extract.contract import Extracted
from parsers.form.sections import outline
from parsers.form.tables import table_labels
from parsers.settings import EXTRACT

_COLUMNS = table_labels()["documents"]["columns"]  # documents column -> the Ⅰ row it repeats


def extract(ctx: DocContext) -> Extracted:
    basic = next((s["title"] for s in outline()[ctx.kind]["sections"] if s["key"] == "Ⅰ"), None) if ctx.kind else None
    return Extracted(document={
        "business_name": _answer(ctx.rows.get("fields", []), basic, _COLUMNS["business_name"], "value"),
        "target_population": _answer(ctx.rows.get("selections", []), basic, _COLUMNS["target_population"], "chosen"),
    })


def _answer(rows: list[dict], basic: str | None, label: str, column: str) -> str | None:
    return next((r[column] for r in rows if basic and r["label"] == label and r[column]
                 and r["confidence"] >= EXTRACT.confident and (r["path"] or "").startswith(basic)), None)
