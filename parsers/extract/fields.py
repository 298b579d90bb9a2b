"""The ``fields`` table: every text-valued label of the form found in the document, with its value.

Choice answers (selections, checklists) come from their own extractors; this stage covers text,
date and count items, section by section, and names the 特定個人情報ファイル each Ⅱ/Ⅲ block is about.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from parsers.form.align import LabelHit, label_hits, resolve, text_value
from parsers.form.tables import table_labels
from parsers.form.template import FormTemplate, Item
from parsers.model import Line, Section, source_ref
from parsers.extract.contract import Extracted
from parsers.settings import EXTRACT

if TYPE_CHECKING:  # the context is built from this module's alignment
    from parsers.extract.context import DocContext

TEXT_TYPES = {"text", "date", "count"}
FILE_NAME_LABEL = table_labels()["file_name"]["value"]  # Ⅱ１ / Ⅲ１ name the file the block is about


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
    """The value of this block's １．特定個人情報ファイル名 when it is printed inline or right below,
    or when it is the only text between the label and the section's next numbered heading."""
    stop = {a.hit.index for a in hits}
    for n, a in enumerate(hits):
        if a.item.name == FILE_NAME_LABEL and a.item.path[1:2] == (a.item.label,):
            value, used, confidence = text_value(lines, a.hit, stop, section.end)
            if value and (confidence >= EXTRACT.confident or _alone_before_heading(lines, used, hits[n + 1:n + 2])):
                return value
            return None
    return None


def _alone_before_heading(lines: Sequence[Line], used: list[int], following: list[Aligned]) -> bool:
    """Scrambled text separates every cell by a blank line, so a value below its label is not
    confident in general; but a paragraph with the label above it and the next numbered heading
    (２．基本情報) right below it has no other owner."""
    if not following:
        return False
    nxt = following[0]
    return (nxt.item.type == "group" and len(nxt.item.path) == 2
            and not any(lines[i].text.strip() for i in range(used[-1] + 1, nxt.hit.index)))


def extract(ctx: DocContext) -> Extracted:
    return Extracted({"fields": [row for v in ctx.views
                                 for row in field_rows(ctx.lines, v.section, ctx.template, v.hits, v.file_name)]})


def field_rows(lines: Sequence[Line], section: Section, template: FormTemplate, hits: list[Aligned],
               file_name: str | None) -> list[dict]:
    stop = {a.hit.index for a in hits}
    rows = []
    for a in hits:
        if a.item.type not in TEXT_TYPES:
            continue
        value, used, confidence = text_value(lines, a.hit, stop, section.end)
        if not a.certain:
            confidence = min(confidence, EXTRACT.ambiguous)
        rows.append({
            "section": section.key, "path": " > ".join(a.item.path), "file_name": file_name,
            "label": a.item.label, "value": value if value else None,
            "kind": "date" if a.item.type == "date" else "number" if a.item.type == "count" else "text",
            "confidence": confidence, "source_ref": source_ref([lines[i] for i in used]),
        })
    return rows
