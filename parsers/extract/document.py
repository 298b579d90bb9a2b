"""``documents`` columns that repeat a Ⅰ answer (事務の名称, 対象人数), taken from the rows the
fields and choices extractors produced, and only when those are sure."""
from __future__ import annotations

from parsers.extract.context import DocContext
from parsers.extract.contract import Extracted
from parsers.form.sections import outline
from parsers.settings import EXTRACT

BUSINESS_NAME_LABEL = "①事務の名称"
TARGET_POPULATION_LABEL = "③対象人数"


def extract(ctx: DocContext) -> Extracted:
    basic = next((s["title"] for s in outline()[ctx.kind]["sections"] if s["key"] == "Ⅰ"), None) if ctx.kind else None
    return Extracted(document={
        "business_name": _answer(ctx.rows.get("fields", []), basic, BUSINESS_NAME_LABEL, "value"),
        "target_population": _answer(ctx.rows.get("selections", []), basic, TARGET_POPULATION_LABEL, "chosen"),
    })


def _answer(rows: list[dict], basic: str | None, label: str, column: str) -> str | None:
    return next((r[column] for r in rows if basic and r["label"] == label and r[column]
                 and r["confidence"] >= EXTRACT.confident and (r["path"] or "").startswith(basic)), None)
