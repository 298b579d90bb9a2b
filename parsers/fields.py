"""The ``fields`` table: every text-valued label of the form found in the document, with its value.

Choice answers (selections, checklists) come from their own extractors; this stage covers text,
date and count items, section by section, and names the 特定個人情報ファイル each Ⅱ/Ⅲ block is about.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .align import LabelHit, label_hits, resolve, text_value
from .form_template import FormTemplate, Item
from .model import Line, Section, source_ref

TEXT_TYPES = {"text", "date", "count"}
FILE_NAME_LABEL = "特定個人情報ファイル名"  # Ⅱ１ / Ⅲ１ name the file the block is about


@dataclass(frozen=True)
class Aligned:
    """A label hit resolved to one template item."""

    hit: LabelHit
    item: Item
    certain: bool  # False when several items share the label and context could not decide


def aligned_hits(lines: Sequence[Line], section: Section, template: FormTemplate) -> list[Aligned]:
    out = []
    context: tuple[str, ...] = ()
    for hit in label_hits(lines, section.start, section.end, template, section.key):
        item, certain = resolve(hit, context)
        out.append(Aligned(hit, item, certain))
        context = item.path if item.type == "group" else item.path[:-1]
    return out


def block_file_name(lines: Sequence[Line], section: Section, hits: list[Aligned]) -> str | None:
    """The value of this block's １．特定個人情報ファイル名 when it is printed inline or right below."""
    stop = {a.hit.index for a in hits}
    for a in hits:
        if a.item.name == FILE_NAME_LABEL and a.item.path[1:2] == (a.item.label,):
            value, _, confidence = text_value(lines, a.hit, stop, section.end)
            return value if value and confidence >= 0.7 else None
    return None


def field_rows(lines: Sequence[Line], section: Section, template: FormTemplate, hits: list[Aligned],
               file_name: str | None) -> list[dict]:
    stop = {a.hit.index for a in hits}
    rows = []
    for a in hits:
        if a.item.type not in TEXT_TYPES:
            continue
        value, used, confidence = text_value(lines, a.hit, stop, section.end)
        if not a.certain:
            confidence = min(confidence, 0.3)
        rows.append({
            "section": section.key, "path": " > ".join(a.item.path), "file_name": file_name,
            "label": a.item.label, "value": value if value else None,
            "kind": "date" if a.item.type == "date" else "number" if a.item.type == "count" else "text",
            "confidence": confidence, "source_ref": source_ref([lines[i] for i in used]),
        })
    return rows
